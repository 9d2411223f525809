// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/Logging.h"

Q_LOGGING_CATEGORY(lcSandboxKinds, "vk.sandbox.kinds", QtInfoMsg)
