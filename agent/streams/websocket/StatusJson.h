// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace vk::streams::ws {

/// A JSON string literal (quotes and escapes included).
QByteArray jsonQuoted(const QString& text);

} // namespace vk::streams::ws
