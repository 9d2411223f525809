// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace vk::kube {
class ApiClient;
class EventRecorder;
} // namespace vk::kube

namespace vk::env {

/// Where a pod's host and pod IPs come from when env refers to status.hostIP(s) / status.podIP(s).
struct PodAddresses
{
    QString hostIp;     ///< the node's InternalIP
    QStringList podIps; ///< from the provider's status when known, else empty
    /// The node's allocatable v1.ResourceList ({"cpu": "4", "memory": "16Gi", ...}). A resourceFieldRef to a limit
    /// that is not set reads it, as the kubelet does; when it is empty (unknown) the container's request is used.
    QJsonObject nodeAllocatable;
};

/// A reference that held a pod back, so the caller can retry when that object appears or changes.
struct Dependency
{
    QString kind; ///< "ConfigMap", "Secret"
    QString namespaceName;
    QString name;
    bool operator==(const Dependency&) const = default;
};

/// Resolves a pod's environment as upstream virtual-kubelet (and the kubelet) do, plus what upstream lacks:
/// envFrom (prefixes, invalid keys skipped with an InvalidEnvironmentVariableNames event), configMapKeyRef and
/// secretKeyRef (optional vs mandatory, with the upstream event reasons), service environment variables
/// (enableServiceLinks), $(VAR) expansion with $$ escapes, fieldRef (metadata.*, spec.nodeName,
/// spec.serviceAccountName, spec.restartPolicy, spec.schedulerName, status.podIP(s), status.hostIP(s)) and
/// resourceFieldRef (limits/requests with divisor). The result is the pod with every container's env made literal
/// and envFrom emptied.
///
/// It reads only the ConfigMaps and Secrets the pod references (GET by name, cached and kept fresh by a watch on
/// each referenced object) and the Services of the pod's namespace plus default/kubernetes, so the agent works
/// under the Node authorizer. objectChanged() tells when a referenced object appears or changes, so pods waiting
/// on it can be retried.
class EnvResolver : public QObject
{
    Q_OBJECT

public:
    EnvResolver(kube::ApiClient* client, kube::EventRecorder* events, QObject* parent = nullptr);
    ~EnvResolver() override;

    struct Outcome
    {
        QJsonObject pod;           ///< with resolved env
        QList<Dependency> missing; ///< mandatory references not found (the error names them too)
    };

    /// Resolves asynchronously. An error (a mandatory ConfigMap/Secret or key missing, an unreadable object) keeps
    /// the pod from being created; its message is the upstream one ("configmap \"x\" not found").
    void resolve(const QJsonObject& pod,
                 const PodAddresses& addresses,
                 QObject* context,
                 std::function<void(Result<QJsonObject>)> done);

    /// Stops watching objects no pod references any more (call when pods go away).
    void release(const QString& podKey);

    /// Besides watching each referenced object, every `ms` (default 30 s; <= 0: never) each one is read again by
    /// name, so objectChanged() also comes when a watch cannot be served (an HTTP/1.1 server gives a client few
    /// connections, and each watch holds one). Timed by the clock (default: the client's).
    void setRecheckInterval(qint64 ms);
    void setClock(Clock* clock);

    /// At most `count` referenced ConfigMaps/Secrets are watched at once (default 4; < 0: no limit); the others are
    /// read by GET on every resolve and by the periodic re-read. Watches run on a client of the resolver's own
    /// (same connection), so an HTTP/1.1 server's per-client connection limit never starves the agent's other
    /// watches; against an HTTP/2 server a higher limit is cheap.
    void setMaxObjectWatches(int count);

    /// The pod keys ("ns/name") whose last resolve referenced this ConfigMap or Secret: the pods to retry when
    /// objectChanged(object) arrives.
    QStringList dependents(const Dependency& object) const;
    /// How many ConfigMaps/Secrets are referenced (and cached), how many of them have a watch, and how many
    /// Service collections are watched (for tests and status displays).
    int watchedObjectCount() const;
    int objectWatchCount() const;
    int watchedServiceCollectionCount() const;

Q_SIGNALS:
    /// A ConfigMap or Secret a pod referenced was created, changed or deleted.
    void objectChanged(const vk::env::Dependency& object);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

/// The pure part, for unit tests: expands $(VAR) references the way the kubelet does ($$ escapes, undefined
/// references kept literally, an unterminated "$(" kept).
QString expand(const QString& input, const std::function<std::optional<QString>(const QString&)>& lookup);

} // namespace vk::env

Q_DECLARE_METATYPE(vk::env::Dependency)
