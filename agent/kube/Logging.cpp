// SPDX-License-Identifier: Apache-2.0
#include "kube/Logging.h"

Q_LOGGING_CATEGORY(lcKube, "vk.kube", QtInfoMsg)
