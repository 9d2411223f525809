// SPDX-License-Identifier: Apache-2.0
#include "sandbox/NodeLifecycleController.h"

#include "core/Json.h"
#include "sandbox/Logging.h"
#include "sandbox/Registry.h"

#include <QJsonArray>

namespace vk::sandbox {

namespace {

const QLatin1String kUnreachable("node.kubernetes.io/unreachable");

QDateTime lastHeartbeat(const QJsonObject& node, const QJsonObject* lease)
{
    QDateTime latest = json::parseTime(object::metadata(node).value(QLatin1String("creationTimestamp")).toString());
    bool sawStatus = false;
    for (const auto& c : node.value(QLatin1String("status")).toObject().value(QLatin1String("conditions")).toArray()) {
        const QJsonObject condition = c.toObject();
        if (condition.value(QLatin1String("type")).toString() != QLatin1String("Ready"))
            continue;
        const QDateTime t = json::parseTime(condition.value(QLatin1String("lastHeartbeatTime")).toString());
        if (t.isValid() && t > latest)
            latest = t;
        sawStatus = true;
    }
    if (lease) {
        const QDateTime renewed = json::parseTime(
            lease->value(QLatin1String("spec")).toObject().value(QLatin1String("renewTime")).toString());
        if (renewed.isValid() && renewed > latest)
            latest = renewed;
    }
    Q_UNUSED(sawStatus);
    return latest;
}

} // namespace

NodeLifecycleController::NodeLifecycleController(Registry* registry, Clock* clock, QObject* parent)
    : QObject(parent), m_registry(registry), m_clock(clock), m_events(registry, QStringLiteral("node-controller"))
{}

void NodeLifecycleController::start()
{
    if (m_running)
        return;
    m_running = true;
    scheduleNext();
}

void NodeLifecycleController::stop()
{
    m_running = false;
    m_next.cancel();
}

void NodeLifecycleController::scheduleNext()
{
    m_next = m_clock->schedule(monitorPeriodMs, this, [this] {
        checkNodes();
        if (m_running)
            scheduleNext();
    });
}

void NodeLifecycleController::checkNodes()
{
    const ResourceType* nodes = findResourceType({}, QStringLiteral("v1"), QStringLiteral("nodes"));
    const QDateTime now = m_clock->now();
    for (const auto& node : m_registry->store()->list(QStringLiteral("nodes"))) {
        const QString name = object::name(node);
        const QJsonObject* lease = m_registry->store()->get(QStringLiteral("coordination.k8s.io/leases"),
                                                            QStringLiteral("kube-node-lease"), name);
        QJsonObject status = node.value(QLatin1String("status")).toObject();
        QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();
        const bool hasConditions = !conditions.isEmpty();
        const QDateTime heartbeat = lastHeartbeat(node, lease);
        const qint64 silentMs = heartbeat.isValid() ? heartbeat.msecsTo(now) : 0;
        const qint64 allowed = hasConditions ? gracePeriodMs : startupGracePeriodMs;

        QString readyStatus;
        for (const auto& c : conditions) {
            if (c.toObject().value(QLatin1String("type")).toString() == QLatin1String("Ready"))
                readyStatus = c.toObject().value(QLatin1String("status")).toString();
        }
        QJsonObject spec = node.value(QLatin1String("spec")).toObject();
        QJsonArray taints = spec.value(QLatin1String("taints")).toArray();
        const auto hasUnreachableTaint = [&] {
            for (const auto& t : taints) {
                if (t.toObject().value(QLatin1String("key")).toString() == kUnreachable)
                    return true;
            }
            return false;
        };

        if (silentMs > allowed && readyStatus != QLatin1String("Unknown")) {
            const QString stamp = json::formatTime(now);
            QJsonArray updated;
            QStringList types{QStringLiteral("Ready"), QStringLiteral("MemoryPressure"), QStringLiteral("DiskPressure"),
                              QStringLiteral("PIDPressure")};
            for (const auto& c : conditions) {
                QJsonObject condition = c.toObject();
                const QString type = condition.value(QLatin1String("type")).toString();
                if (types.contains(type)) {
                    types.removeAll(type);
                    condition.insert(QStringLiteral("status"), QStringLiteral("Unknown"));
                    condition.insert(QStringLiteral("reason"), QStringLiteral("NodeStatusUnknown"));
                    condition.insert(QStringLiteral("message"), QStringLiteral("Kubelet stopped posting node status."));
                    condition.insert(QStringLiteral("lastTransitionTime"), stamp);
                }
                updated.append(condition);
            }
            for (const auto& type : types) {
                updated.append(
                    QJsonObject{{QStringLiteral("type"), type},
                                {QStringLiteral("status"), QStringLiteral("Unknown")},
                                {QStringLiteral("lastHeartbeatTime"), json::formatTime(heartbeat)},
                                {QStringLiteral("lastTransitionTime"), stamp},
                                {QStringLiteral("reason"), QStringLiteral("NodeStatusNeverUpdated")},
                                {QStringLiteral("message"), QStringLiteral("Kubelet never posted node status.")}});
            }
            status.insert(QStringLiteral("conditions"), updated);
            QJsonObject changed = node;
            changed.insert(QStringLiteral("status"), status);
            auto written = m_registry->update(*nodes, {}, name, changed, true);
            if (!written) {
                qCWarning(lcSandbox) << "could not mark node" << name << "unknown:" << written.error().toString();
                continue;
            }
            qCInfo(lcSandbox) << "node" << name << "stopped posting status" << silentMs / 1000 << "s ago";
            m_events.record(written.value(), QStringLiteral("Normal"), QStringLiteral("NodeNotReady"),
                            QStringLiteral("Node %1 status is now: NodeNotReady").arg(name));
            if (!hasUnreachableTaint()) {
                for (const char* effect : {"NoSchedule", "NoExecute"}) {
                    QJsonObject taint{{QStringLiteral("key"), kUnreachable},
                                      {QStringLiteral("effect"), QLatin1String(effect)}};
                    if (QLatin1String(effect) == QLatin1String("NoExecute"))
                        taint.insert(QStringLiteral("timeAdded"), stamp);
                    taints.append(taint);
                }
                QJsonObject tainted = written.value();
                spec.insert(QStringLiteral("taints"), taints);
                tainted.insert(QStringLiteral("spec"), spec);
                if (auto r = m_registry->update(*nodes, {}, name, tainted); !r)
                    qCWarning(lcSandbox) << "could not taint node" << name << ":" << r.error().toString();
            }
        } else if (readyStatus == QLatin1String("True") && hasUnreachableTaint()) {
            QJsonArray kept;
            for (const auto& t : taints) {
                if (t.toObject().value(QLatin1String("key")).toString() != kUnreachable)
                    kept.append(t);
            }
            spec.insert(QStringLiteral("taints"), kept);
            QJsonObject untainted = node;
            untainted.insert(QStringLiteral("spec"), spec);
            if (auto r = m_registry->update(*nodes, {}, name, untainted); !r)
                qCWarning(lcSandbox) << "could not remove taints of node" << name << ":" << r.error().toString();
        }
    }
}

} // namespace vk::sandbox
