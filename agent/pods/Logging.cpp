// SPDX-License-Identifier: Apache-2.0
#include "pods/Logging.h"

namespace vk::pods {
Q_LOGGING_CATEGORY(lcPods, "vk.agent.pods", QtInfoMsg)
} // namespace vk::pods
