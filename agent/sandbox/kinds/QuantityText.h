// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QJsonValue>

// Resource quantities as kube-apiserver stores them: every quantity is re-emitted in canonical form ("0.5" becomes
// "500m", 1 becomes "1"), as Go's resource.Quantity does when an object is encoded.
namespace vk::sandbox::detail {

/// The canonical text of a quantity; `value` unchanged when it does not parse (validation reports it).
QJsonValue canonicalQuantity(const QJsonValue& value);
/// Canonicalizes every value of a ResourceList ({"cpu": "0.5"}).
QJsonObject canonicalResourceList(const QJsonObject& list);

} // namespace vk::sandbox::detail
