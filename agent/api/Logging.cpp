// SPDX-License-Identifier: Apache-2.0
#include "api/Logging.h"

Q_LOGGING_CATEGORY(lcApi, "vk.api", QtInfoMsg)
