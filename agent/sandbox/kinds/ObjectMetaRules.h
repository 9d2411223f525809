// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "api/Validation.h"

#include <QJsonObject>
#include <QStringList>

// apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate and the name rules of the built-in kinds, plus the
// few field.Error shapes the api helpers do not build (Required with a detail, DNS-1035 labels).
namespace vk::sandbox::detail {

using api::validation::Causes;

/// Which name rule a kind's metadata.name follows (ValidatePodName, ValidateServiceName, ...).
enum class NameRule
{
    Dns1123Subdomain, ///< most kinds (NameIsDNSSubdomain)
    Dns1123Label,     ///< namespaces (ValidateNamespaceName)
    Dns1035Label,     ///< services (ValidateServiceName)
    PathSegment,      ///< RBAC kinds (ValidateRBACName: path.IsValidPathSegmentName, so "system:masters" is valid)
};

/// The messages of apimachinery's IsDNS1035Label for `value` (empty when valid).
QStringList dns1035LabelErrors(const QString& value);
/// The messages of a kind's name rule; `prefix` masks one trailing '-' as for generateName.
QStringList nameErrors(NameRule rule, const QString& value, bool prefix = false);

/// FieldValueRequired with a detail: "Required value: <detail>".
void requiredWithDetail(const QString& field, const QString& detail, Causes& causes);
/// FieldValueInvalid "field is immutable" when `value` differs from `oldValue`.
void immutableField(const QString& field, const QJsonValue& value, const QJsonValue& oldValue, Causes& causes);

/// ValidateObjectMeta on create: generateName, name (required), namespace (required for namespaced kinds,
/// forbidden otherwise), generation, labels, annotations, ownerReferences, finalizers.
void validateObjectMeta(const QJsonObject& object, bool namespaced, NameRule rule, Causes& causes);
/// ValidateObjectMetaUpdate's kind-visible part: name and namespace may not change.
void validateObjectMetaUpdate(const QJsonObject& object, const QJsonObject& old, Causes& causes);

} // namespace vk::sandbox::detail
