// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace vk::pods {
Q_DECLARE_LOGGING_CATEGORY(lcPods)
} // namespace vk::pods
