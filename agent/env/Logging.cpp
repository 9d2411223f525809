// SPDX-License-Identifier: Apache-2.0
#include "env/Logging.h"

Q_LOGGING_CATEGORY(lcEnv, "vk.agent.env", QtInfoMsg)
