// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

// apimachinery's util/validation checks that the api library does not export and several kinds share.
namespace vk::sandbox::detail {

/// hasChDirPrefix: "must not be '.'", "must not be '..'", "must not start with '..'".
QStringList chDirPrefixErrors(const QString& value);
/// IsConfigMapKey: keys of configmaps, secrets and key selectors.
QStringList configMapKeyErrors(const QString& value);

} // namespace vk::sandbox::detail
