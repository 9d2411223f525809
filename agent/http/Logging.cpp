// SPDX-License-Identifier: Apache-2.0
#include "http/Logging.h"

Q_LOGGING_CATEGORY(lcHttp, "vk.http", QtInfoMsg)
