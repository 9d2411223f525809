// SPDX-License-Identifier: Apache-2.0
#include "sandbox/Scheduler.h"

#include "api/LabelSelector.h"
#include "api/Quantity.h"
#include "core/Json.h"
#include "sandbox/Logging.h"
#include "sandbox/Registry.h"

#include <QJsonArray>
#include <QMap>
#include <QTimer>

#include <algorithm>
#include <tuple>

namespace vk::sandbox {

namespace {

const QLatin1String kSpec("spec");
const QLatin1String kStatus("status");

qint64 quantityMilli(const QJsonValue& value)
{
    auto q = api::Quantity::fromJson(value);
    return q ? q->milliValue() : 0;
}

/// The pod's effective requests: the sum over containers, or the largest init container if that is more.
std::pair<qint64, qint64> podRequests(const QJsonObject& pod)
{
    qint64 cpu = 0;
    qint64 memory = 0;
    const QJsonObject spec = pod.value(kSpec).toObject();
    for (const auto& c : spec.value(QLatin1String("containers")).toArray()) {
        const QJsonObject requests =
            c.toObject().value(QLatin1String("resources")).toObject().value(QLatin1String("requests")).toObject();
        cpu += quantityMilli(requests.value(QLatin1String("cpu")));
        memory += quantityMilli(requests.value(QLatin1String("memory"))) / 1000;
    }
    for (const auto& c : spec.value(QLatin1String("initContainers")).toArray()) {
        const QJsonObject requests =
            c.toObject().value(QLatin1String("resources")).toObject().value(QLatin1String("requests")).toObject();
        cpu = std::max(cpu, quantityMilli(requests.value(QLatin1String("cpu"))));
        memory = std::max(memory, quantityMilli(requests.value(QLatin1String("memory"))) / 1000);
    }
    return {cpu, memory};
}

bool tolerates(const QJsonArray& tolerations, const QJsonObject& taint)
{
    const QString key = taint.value(QLatin1String("key")).toString();
    const QString value = taint.value(QLatin1String("value")).toString();
    const QString effect = taint.value(QLatin1String("effect")).toString();
    for (const auto& t : tolerations) {
        const QJsonObject toleration = t.toObject();
        const QString tEffect = toleration.value(QLatin1String("effect")).toString();
        if (!tEffect.isEmpty() && tEffect != effect)
            continue;
        const QString tKey = toleration.value(QLatin1String("key")).toString();
        const QString op = toleration.value(QLatin1String("operator")).toString(QStringLiteral("Equal"));
        if (tKey.isEmpty() && op == QLatin1String("Exists"))
            return true;
        if (tKey != key)
            continue;
        if (op == QLatin1String("Exists") || toleration.value(QLatin1String("value")).toString() == value)
            return true;
    }
    return false;
}

bool matchesNodeSelection(const QJsonObject& pod, const QJsonObject& node)
{
    const QJsonObject spec = pod.value(kSpec).toObject();
    const QJsonObject labels = object::labels(node);
    const QJsonObject nodeSelector = spec.value(QLatin1String("nodeSelector")).toObject();
    for (auto it = nodeSelector.begin(); it != nodeSelector.end(); ++it) {
        if (labels.value(it.key()).toString() != it.value().toString())
            return false;
    }
    const QJsonObject required = spec.value(QLatin1String("affinity"))
                                     .toObject()
                                     .value(QLatin1String("nodeAffinity"))
                                     .toObject()
                                     .value(QLatin1String("requiredDuringSchedulingIgnoredDuringExecution"))
                                     .toObject();
    if (required.isEmpty())
        return true;
    const QJsonArray terms = required.value(QLatin1String("nodeSelectorTerms")).toArray();
    const QJsonObject fields{{QStringLiteral("metadata.name"), object::name(node)}};
    for (const auto& t : terms) {
        const QJsonObject term = t.toObject();
        auto byLabels = api::LabelSelector::fromNodeSelectorRequirements(
            term.value(QLatin1String("matchExpressions")).toArray(), QStringLiteral("nodeSelectorTerms"));
        auto byFields = api::LabelSelector::fromNodeSelectorRequirements(
            term.value(QLatin1String("matchFields")).toArray(), QStringLiteral("nodeSelectorTerms"));
        if (!byLabels || !byFields)
            continue;
        // An empty term matches nothing (kube-scheduler's rule).
        if (byLabels->isEmpty() && byFields->isEmpty())
            continue;
        if (byLabels->matches(labels) && byFields->matches(fields))
            return true;
    }
    return false;
}

bool isPending(const QJsonObject& pod)
{
    const QJsonObject spec = pod.value(kSpec).toObject();
    if (!spec.value(QLatin1String("nodeName")).toString().isEmpty())
        return false;
    if (object::metadata(pod).contains(QLatin1String("deletionTimestamp")))
        return false;
    const QString scheduler = spec.value(QLatin1String("schedulerName")).toString();
    return scheduler.isEmpty() || scheduler == QLatin1String("default-scheduler");
}

bool isTerminal(const QJsonObject& pod)
{
    const QString phase = pod.value(kStatus).toObject().value(QLatin1String("phase")).toString();
    return phase == QLatin1String("Succeeded") || phase == QLatin1String("Failed");
}

} // namespace

Scheduler::Scheduler(Registry* registry, QObject* parent)
    : QObject(parent), m_registry(registry), m_events(registry, QStringLiteral("default-scheduler"))
{}

void Scheduler::start()
{
    if (m_started)
        return;
    m_started = true;
    connect(m_registry->store(), &ObjectStore::changed, this, &Scheduler::onChanged);
    for (const auto& pod : m_registry->store()->list(QStringLiteral("pods"))) {
        const QString key = object::namespaceName(pod) + QLatin1Char('/') + object::name(pod);
        if (isPending(pod))
            m_pending.insert(key);
        track(key, &pod);
    }
    requestPass();
}

void Scheduler::track(const QString& key, const QJsonObject* pod)
{
    if (const auto old = m_placed.constFind(key); old != m_placed.constEnd()) {
        Usage& u = m_usage[old->nodeName];
        u.cpu -= old->cpu;
        u.memory -= old->memory;
        if (--u.pods <= 0)
            m_usage.remove(old->nodeName);
        m_placed.erase(old);
    }
    if (!pod || isTerminal(*pod))
        return;
    const QString nodeName = pod->value(kSpec).toObject().value(QLatin1String("nodeName")).toString();
    if (nodeName.isEmpty())
        return;
    const auto [cpu, memory] = podRequests(*pod);
    m_placed.insert(key, Placement{nodeName, cpu, memory});
    Usage& u = m_usage[nodeName];
    u.cpu += cpu;
    u.memory += memory;
    ++u.pods;
}

void Scheduler::onChanged(const ChangeEvent& event)
{
    if (event.typeKey == QLatin1String("nodes")) {
        requestPass();
    } else if (event.typeKey == QLatin1String("pods")) {
        const QString key = event.namespaceName + QLatin1Char('/') + event.name;
        const bool deleted = event.type == ChangeEvent::Type::Deleted;
        if (!deleted && isPending(event.object))
            m_pending.insert(key);
        else
            m_pending.remove(key);
        track(key, deleted ? nullptr : &event.object);
        // New pending pods, and pods that leave a node (freeing room), are worth a pass (when a pod waits).
        if (event.type == ChangeEvent::Type::Deleted || isPending(event.object) || isTerminal(event.object))
            requestPass();
    }
}

void Scheduler::requestPass()
{
    if (m_passQueued || m_pending.isEmpty())
        return;
    m_passQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_passQueued = false;
        runPass();
    });
}

QString
Scheduler::misfit(const QJsonObject& pod, const QJsonObject& node, qint64 usedMilliCpu, qint64 usedMemory, int usedPods)
{
    const QJsonObject nodeSpec = node.value(kSpec).toObject();
    if (nodeSpec.value(QLatin1String("unschedulable")).toBool())
        return QStringLiteral("node(s) were unschedulable");
    const QJsonArray tolerations = pod.value(kSpec).toObject().value(QLatin1String("tolerations")).toArray();
    bool ready = false;
    for (const auto& c : node.value(kStatus).toObject().value(QLatin1String("conditions")).toArray()) {
        const QJsonObject condition = c.toObject();
        if (condition.value(QLatin1String("type")).toString() == QLatin1String("Ready"))
            ready = condition.value(QLatin1String("status")).toString() == QLatin1String("True");
    }
    if (!ready) {
        const QJsonObject notReady{{QStringLiteral("key"), QStringLiteral("node.kubernetes.io/not-ready")},
                                   {QStringLiteral("effect"), QStringLiteral("NoSchedule")}};
        if (!tolerates(tolerations, notReady))
            return QStringLiteral("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    }
    for (const auto& t : nodeSpec.value(QLatin1String("taints")).toArray()) {
        const QJsonObject taint = t.toObject();
        const QString effect = taint.value(QLatin1String("effect")).toString();
        if (effect != QLatin1String("NoSchedule") && effect != QLatin1String("NoExecute"))
            continue;
        if (!tolerates(tolerations, taint))
            return QStringLiteral("node(s) had untolerated taint {%1: %2}")
                .arg(taint.value(QLatin1String("key")).toString(), taint.value(QLatin1String("value")).toString());
    }
    if (!matchesNodeSelection(pod, node))
        return QStringLiteral("node(s) didn't match Pod's node affinity/selector");
    const QJsonObject status = node.value(kStatus).toObject();
    QJsonObject allocatable = status.value(QLatin1String("allocatable")).toObject();
    if (allocatable.isEmpty())
        allocatable = status.value(QLatin1String("capacity")).toObject();
    const qint64 maxPods = quantityMilli(allocatable.value(QLatin1String("pods"))) / 1000;
    if (usedPods + 1 > maxPods)
        return QStringLiteral("Too many pods");
    const auto [cpu, memory] = podRequests(pod);
    if (cpu > 0 && usedMilliCpu + cpu > quantityMilli(allocatable.value(QLatin1String("cpu"))))
        return QStringLiteral("Insufficient cpu");
    if (memory > 0 && usedMemory + memory > quantityMilli(allocatable.value(QLatin1String("memory"))) / 1000)
        return QStringLiteral("Insufficient memory");
    return {};
}

void Scheduler::runPass()
{
    if (m_pending.isEmpty())
        return;
    ObjectStore* store = m_registry->store();
    QList<QJsonObject> pending;
    pending.reserve(m_pending.size());
    for (const QString& key : std::as_const(m_pending)) {
        const qsizetype slash = key.indexOf(QLatin1Char('/'));
        if (const QJsonObject* pod = store->get(QStringLiteral("pods"), key.left(slash), key.mid(slash + 1)))
            pending.append(*pod);
    }
    if (pending.isEmpty())
        return;
    // Oldest first, as the scheduling queue orders pods of equal priority (then by name, so that the order does not
    // depend on the pending set's hashing).
    auto order = [](const QJsonObject& pod) {
        return std::make_tuple(object::metadata(pod).value(QLatin1String("creationTimestamp")).toString(),
                               object::namespaceName(pod), object::name(pod));
    };
    std::sort(pending.begin(), pending.end(),
              [&order](const QJsonObject& a, const QJsonObject& b) { return order(a) < order(b); });
    const QList<QJsonObject> nodes = store->list(QStringLiteral("nodes"));
    for (const auto& pod : pending) {
        QMap<QString, int> reasons;
        QString best;
        double bestScore = -1;
        for (const auto& node : nodes) {
            const QString nodeName = object::name(node);
            const Usage u = m_usage.value(nodeName);
            const QString why = misfit(pod, node, u.cpu, u.memory, u.pods);
            if (!why.isEmpty()) {
                reasons[why] += 1;
                continue;
            }
            // Least allocated: the free fraction of cpu and memory after placing the pod.
            QJsonObject allocatable = node.value(kStatus).toObject().value(QLatin1String("allocatable")).toObject();
            const double cpuAlloc = std::max<double>(1, quantityMilli(allocatable.value(QLatin1String("cpu"))));
            const double memAlloc =
                std::max<double>(1, quantityMilli(allocatable.value(QLatin1String("memory"))) / 1000.0);
            const auto [cpu, memory] = podRequests(pod);
            const double score = (1 - (u.cpu + cpu) / cpuAlloc) + (1 - (u.memory + memory) / memAlloc) -
                                 u.pods * 1e-6; // fewer pods breaks ties
            if (score > bestScore) {
                bestScore = score;
                best = nodeName;
            }
        }
        const QString podName = object::name(pod);
        const QString ns = object::namespaceName(pod);
        if (best.isEmpty()) {
            QString message;
            if (nodes.isEmpty()) {
                message = QStringLiteral("no nodes available to schedule pods");
            } else {
                QStringList parts;
                for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
                    parts.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
                std::sort(parts.begin(), parts.end());
                message = QStringLiteral("0/%1 nodes are available: %2. preemption: 0/%1 nodes are available: %1 "
                                         "Preemption is not helpful for scheduling.")
                              .arg(nodes.size())
                              .arg(parts.join(QStringLiteral(", ")));
            }
            markUnschedulable(pod, message);
            continue;
        }
        const QJsonObject binding{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Binding")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), podName}}},
            {QStringLiteral("target"), QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                                   {QStringLiteral("kind"), QStringLiteral("Node")},
                                                   {QStringLiteral("name"), best}}}};
        if (auto bound = m_registry->bind(ns, podName, binding); !bound) {
            qCWarning(lcSandbox) << "binding" << ns << podName << "to" << best << "failed:" << bound.error().toString();
            continue;
        }
        // The binding's change (delivered synchronously) has counted the pod against `best`'s usage.
        m_events.record(pod, QStringLiteral("Normal"), QStringLiteral("Scheduled"),
                        QStringLiteral("Successfully assigned %1/%2 to %3").arg(ns, podName, best));
    }
}

void Scheduler::markUnschedulable(const QJsonObject& pod, const QString& message)
{
    QJsonObject status = pod.value(kStatus).toObject();
    QJsonArray conditions;
    for (const auto& c : status.value(QLatin1String("conditions")).toArray()) {
        const QJsonObject condition = c.toObject();
        if (condition.value(QLatin1String("type")).toString() == QLatin1String("PodScheduled")) {
            if (condition.value(QLatin1String("status")).toString() == QLatin1String("False") &&
                condition.value(QLatin1String("message")).toString() == message)
                return; // already says so
            continue;
        }
        conditions.append(condition);
    }
    conditions.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("PodScheduled")},
                                  {QStringLiteral("status"), QStringLiteral("False")},
                                  {QStringLiteral("lastProbeTime"), QJsonValue::Null},
                                  {QStringLiteral("lastTransitionTime"), json::formatTime(m_registry->clock()->now())},
                                  {QStringLiteral("reason"), QStringLiteral("Unschedulable")},
                                  {QStringLiteral("message"), message}});
    status.insert(QStringLiteral("conditions"), conditions);
    QJsonObject updated = pod;
    updated.insert(kStatus, status);
    const ResourceType* pods = findResourceType({}, QStringLiteral("v1"), QStringLiteral("pods"));
    if (auto result = m_registry->update(*pods, object::namespaceName(pod), object::name(pod), updated, true);
        !result) {
        qCWarning(lcSandbox) << "could not mark" << object::name(pod) << "unschedulable:" << result.error().toString();
        return;
    }
    m_events.record(pod, QStringLiteral("Warning"), QStringLiteral("FailedScheduling"), message);
}

} // namespace vk::sandbox
