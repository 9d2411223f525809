// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "sandbox/ObjectStore.h"
#include "sandbox/kinds/Kinds.h"

#include <QObject>

#include <optional>

namespace vk::sandbox {

/// metav1.DeleteOptions, as far as the sandbox honours them.
struct DeleteOptions
{
    std::optional<qint64> gracePeriodSeconds;
    QString preconditionUid;
    QString preconditionResourceVersion;
    QString propagationPolicy;
    bool dryRun = false;

    /// Reads a DeleteOptions body and/or query parameters (gracePeriodSeconds, propagationPolicy, dryRun).
    static Result<DeleteOptions> fromJson(const QJsonObject& body);
};

/// The outcome of a delete: the object's last state, and whether it is still there (graceful deletion or
/// finalizers pending) or gone.
struct DeleteOutcome
{
    QJsonObject object;
    bool stillExists = false;
};

/// The semantics of kube-apiserver's registry for the built-in kinds, on top of the ObjectStore: uid,
/// creationTimestamp, generation, resourceVersion preconditions (409), status versus main-resource updates, no-op
/// writes that do not bump resourceVersion, pod graceful deletion, finalizers, namespace termination rules,
/// binding, eviction and service cluster-IP allocation. Used by the HTTP API and by the in-process controllers.
class Registry : public QObject
{
    Q_OBJECT

public:
    Registry(ObjectStore* store, Clock* clock, QObject* parent = nullptr);

    ObjectStore* store() const { return m_store; }
    Clock* clock() const { return m_clock; }

    /// "pods", "coordination.k8s.io/leases": the store's key for a type.
    static QString typeKey(const ResourceType& type);
    /// "pods", "leases.coordination.k8s.io": how kube-apiserver names a resource in messages.
    static QString qualifiedResource(const ResourceType& type);

    Result<QJsonObject> get(const ResourceType& type, const QString& ns, const QString& name) const;
    Result<QJsonObject> create(const ResourceType& type, const QString& ns, QJsonObject object, bool dryRun = false);
    /// PUT of the main resource (statusOnly=false: status is kept from the stored object) or of the status
    /// subresource (statusOnly=true: only status and labels/annotations change).
    Result<QJsonObject> update(const ResourceType& type,
                               const QString& ns,
                               const QString& name,
                               QJsonObject object,
                               bool statusOnly = false,
                               bool dryRun = false);
    Result<DeleteOutcome>
    remove(const ResourceType& type, const QString& ns, const QString& name, const DeleteOptions& options);

    /// PUT namespaces/{name}/finalize: the only way to change a namespace's spec.finalizers; a terminating namespace
    /// with none left goes.
    Result<QJsonObject> finalizeNamespace(const QString& name, const QJsonArray& finalizers);
    /// POST pods/binding: assigns a pod to a node.
    Result<QJsonObject> bind(const QString& ns, const QString& podName, const QJsonObject& binding);
    /// POST pods/eviction: deletes the pod with the eviction's delete options (there are no disruption budgets).
    Result<DeleteOutcome> evict(const QString& ns, const QString& podName, const QJsonObject& eviction);

    /// Errors as kube-apiserver words them.
    static Error notFound(const ResourceType& type, const QString& name);
    static Error alreadyExists(const ResourceType& type, const QString& name);
    static Error conflict(const ResourceType& type, const QString& name, const QString& detail);

private:
    Result<QJsonObject> prepareCreate(const ResourceType& type, const QString& ns, QJsonObject object);
    Status allocateClusterIp(QJsonObject& service);
    QJsonObject finishDeletionIfReady(const ResourceType& type, const QJsonObject& object, bool* removed);

    ObjectStore* m_store;
    Clock* m_clock;
};

/// Helpers on object JSON.
namespace object {
QJsonObject metadata(const QJsonObject& object);
QString name(const QJsonObject& object);
QString namespaceName(const QJsonObject& object);
QString uid(const QJsonObject& object);
QString resourceVersion(const QJsonObject& object);
QJsonObject labels(const QJsonObject& object);
void setMetadataField(QJsonObject& object, const QString& field, const QJsonValue& value);
QString newUid();
} // namespace object

} // namespace vk::sandbox
