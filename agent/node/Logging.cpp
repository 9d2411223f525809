// SPDX-License-Identifier: Apache-2.0
#include "node/Logging.h"

Q_LOGGING_CATEGORY(lcNode, "vk.agent.node", QtInfoMsg)
