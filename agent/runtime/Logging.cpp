// SPDX-License-Identifier: Apache-2.0
#include "runtime/Logging.h"

Q_LOGGING_CATEGORY(lcRuntime, "vk.agent.runtime", QtInfoMsg)
