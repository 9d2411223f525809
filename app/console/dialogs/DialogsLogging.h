// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace vk::console {
Q_DECLARE_LOGGING_CATEGORY(lcDialogs)
} // namespace vk::console
