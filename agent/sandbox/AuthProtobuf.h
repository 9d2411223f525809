// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>

namespace vk::sandbox {

/// Protobuf request bodies (application/vnd.kubernetes.protobuf) of the authentication and authorization kinds,
/// which kubectl's typed clients send (create role/clusterrole/rolebinding/clusterrolebinding, create token,
/// auth can-i, certificate approve|deny): rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding,
/// ClusterRoleBinding; authentication.k8s.io/v1 TokenRequest, TokenReview; authorization.k8s.io/v1
/// SubjectAccessReview, SelfSubjectAccessReview, LocalSubjectAccessReview; certificates.k8s.io/v1
/// CertificateSigningRequest. Field numbers are those of k8s.io/api's generated.proto. Complements
/// vk::api::protobuf::decodeObject (the core kinds); unknown fields (ownerReferences, managedFields, ...) are skipped.
/// Zero values are left out, as Go's `omitempty` would for these kinds.
namespace authprotobuf {

/// Decodes a "k8s\0"-prefixed runtime.Unknown envelope of one of the kinds above into JSON with apiVersion and
/// kind. Another kind: UnsupportedMediaType naming it; malformed bytes: BadRequest.
Result<QJsonObject> decodeObject(const QByteArray& body);

} // namespace authprotobuf
} // namespace vk::sandbox
