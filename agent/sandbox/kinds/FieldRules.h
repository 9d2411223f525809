// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

// apimachinery's util/validation checks that the api library does not export and several kinds share.
namespace vk::sandbox::detail {

/// hasChDirPrefix: "must not be '.'", "must not be '..'", "must not start with '..'".
QStringList chDirPrefixErrors(const QString& value);
/// IsConfigMapKey: keys of configmaps, secrets and key selectors.
QStringList configMapKeyErrors(const QString& value);
/// The family of an address as k8s.io/utils' ParseIPSloppy reads it: 4 for IPv4 (dotted decimal, leading zeros
/// allowed) and IPv4-mapped IPv6, 6 for other IPv6 (no zone), 0 when it is not an address.
int ipFamilyOf(const QString& value);

} // namespace vk::sandbox::detail
