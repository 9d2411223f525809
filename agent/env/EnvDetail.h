// SPDX-License-Identifier: Apache-2.0
#pragma once

// The synchronous parts of env resolution (no I/O), used by EnvResolver and unit tests.

#include "core/Result.h"
#include "env/EnvResolver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>

namespace vk::env::detail {

/// IsEnvVarName of k8s.io/apimachinery validation: [-._a-zA-Z][-._a-zA-Z0-9]*
bool isEnvVarName(const QString& name);
/// Go's strconv.Quote (what the kubelet's %q prints).
QString goQuote(const QString& text);
/// fieldpath.FormatMap: k="v" lines, keys sorted, values quoted as Go does, no trailing newline.
QString formatMap(const QJsonObject& map);

/// The kubelet's envvars.FromServices for these services (services without a ClusterIP are skipped), in service
/// order. Names: upper-cased, '-' → '_'.
QList<QPair<QString, QString>> serviceEnvVars(const QList<QJsonObject>& services);
/// True when spec.clusterIP is neither empty nor "None".
bool isServiceIpSet(const QJsonObject& service);

/// The value of an env fieldRef ({apiVersion, fieldPath}). IPs come from `addresses`, falling back to the pod's
/// status when an address list is empty.
Result<QString> fieldRefValue(const QJsonObject& fieldRef, const QJsonObject& pod, const PodAddresses& addresses);
/// The value of an env resourceFieldRef ({containerName, resource, divisor}) for `container` of `pod`. Limits that
/// are not set read nodeAllocatable, else the request.
Result<QString> resourceFieldRefValue(const QJsonObject& ref,
                                      const QJsonObject& pod,
                                      const QJsonObject& container,
                                      const QJsonObject& nodeAllocatable);

/// What a ConfigMap or Secret lookup found.
struct ObjectSnapshot
{
    enum class State
    {
        Present,
        Missing,
        Failed
    };
    State state = State::Missing;
    QJsonObject object;
    Error error; ///< for Failed
};

/// Variables as a container env list ([{"name": ..., "value": ...}], in the map's name order).
QJsonArray envList(const QMap<QString, QString>& vars);

/// Resolves the env of every container of one pod, given the objects it references and the service variables.
/// Events go to `events` (reason, message); all are Warnings.
class PodEnvBuilder
{
public:
    using Lookup = std::function<ObjectSnapshot(const QString& kind, const QString& name)>;
    using EventSink = std::function<void(const QString& reason, const QString& message)>;

    /// serviceEnvList: envList(serviceEnv) when the caller keeps it (what a container without env or envFrom gets),
    /// else empty.
    PodEnvBuilder(QJsonObject pod,
                  PodAddresses addresses,
                  QMap<QString, QString> serviceEnv,
                  QJsonArray serviceEnvList,
                  Lookup lookup,
                  EventSink events);

    /// The pod with initContainers, containers and ephemeralContainers' env made literal and envFrom removed; or
    /// the first mandatory failure.
    Result<QJsonObject> build();

    /// One container's final env list: envFrom-derived variables not set by env (sorted by name), then service
    /// variables nobody set (sorted by name), then env entries in declaration order (a repeated name keeps its
    /// first position and its last value; skipped optional entries are absent).
    Result<QJsonArray> containerEnv(const QJsonObject& container);

private:
    Status envFromSource(const QJsonObject& envFrom, QMap<QString, QString>& env);
    /// nullopt: skip this variable (optional reference missing)
    Result<std::optional<QString>> keyRef(const QString& kind, const QString& envName, const QJsonObject& ref);

    QJsonObject m_pod;
    PodAddresses m_addresses;
    QMap<QString, QString> m_serviceEnv;
    QJsonArray m_serviceEnvList;
    Lookup m_lookup;
    EventSink m_events;
    QString m_podName;
};

} // namespace vk::env::detail
