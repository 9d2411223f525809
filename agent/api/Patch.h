// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

// The three PATCH content types of kube-apiserver, applied to JSON objects.
namespace vk::api::patch {

/// application/merge-patch+json (RFC 7386): objects merge recursively, null deletes, anything else replaces.
QJsonValue applyMergePatch(const QJsonValue& target, const QJsonValue& patch);

/// application/json-patch+json (RFC 6902): add, remove, replace, move, copy, test; JSON pointers with ~0 ~1.
/// A failed op or test gives an Invalid error (kube-apiserver answers 422) naming the op index and path; a
/// malformed document gives BadRequest.
Result<QJsonValue> applyJsonPatch(const QJsonValue& target, const QJsonArray& operations);

/// application/strategic-merge-patch+json for the built-in kinds, following the patchStrategy/patchMergeKey tags
/// of k8s.io/api: containers, initContainers, ephemeralContainers, volumes, env, imagePullSecrets by name; ports by
/// containerPort; volumeMounts by mountPath; pod and node conditions and node addresses by type; ownerReferences by
/// uid; hostAliases by ip; finalizers merge as a set of strings. Lists without a strategy (tolerations, taints,
/// command, args, ...) are replaced. Supports `$patch: replace|delete|merge`, `$retainKeys`,
/// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`. `kind` is the object's kind ("Pod").
Result<QJsonObject> applyStrategicMergePatch(const QJsonObject& target, const QJsonObject& patch, const QString& kind);

/// The merge key of a list field for a kind at a dotted path (e.g. "Pod", "spec.containers" -> "name"); empty when
/// the list has none. Exposed for three-way merges on the agent side.
QString mergeKeyFor(const QString& kind, const QString& listPath);

/// Creates a JSON merge patch that turns `original` into `modified` (used by the agent's status writes).
QJsonObject createMergePatch(const QJsonObject& original, const QJsonObject& modified);

} // namespace vk::api::patch
