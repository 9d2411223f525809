// SPDX-License-Identifier: Apache-2.0
#include "sandbox/Logging.h"

Q_LOGGING_CATEGORY(lcSandbox, "vk.sandbox", QtInfoMsg)
