// SPDX-License-Identifier: Apache-2.0
#include "DialogsLogging.h"

namespace vk::console {
Q_LOGGING_CATEGORY(lcDialogs, "vk.console.dialogs", QtInfoMsg)
} // namespace vk::console
