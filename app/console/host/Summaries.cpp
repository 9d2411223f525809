// SPDX-License-Identifier: Apache-2.0
#include "Summaries.h"

#include "api/Quantity.h"
#include "core/Json.h"

#include <QJsonArray>
#include <QSet>

namespace vk::console {
namespace {

using json::arr;
using json::obj;
using json::str;

QList<ConditionSummary> conditionsOf(const QJsonArray& conditions)
{
    QList<ConditionSummary> result;
    for (const auto& value : conditions) {
        const QJsonObject c = value.toObject();
        ConditionSummary s;
        s.type = str(c, "type");
        s.status = str(c, "status");
        s.reason = str(c, "reason");
        s.message = str(c, "message");
        s.lastTransitionTime = json::parseTime(str(c, "lastTransitionTime"));
        s.lastHeartbeatTime = json::parseTime(str(c, "lastHeartbeatTime"));
        result.append(s);
    }
    return result;
}

QMap<QString, QString> stringMap(const QJsonObject& o)
{
    QMap<QString, QString> result;
    for (auto it = o.begin(); it != o.end(); ++it)
        result.insert(it.key(), it.value().isString() ? it.value().toString() : QString::number(it.value().toDouble()));
    return result;
}

} // namespace

QString kubectlPodStatus(const QJsonObject& pod)
{
    const QJsonObject metadata = obj(pod, "metadata");
    const QJsonObject status = obj(pod, "status");
    QString reason = str(status, "phase");
    if (!str(status, "reason").isEmpty())
        reason = str(status, "reason");

    bool initializing = false;
    const QJsonArray initStatuses = arr(status, "initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); ++i) {
        const QJsonObject cs = initStatuses.at(i).toObject();
        const QJsonObject state = obj(cs, "state");
        const QJsonObject terminated = obj(state, "terminated");
        const QJsonObject waiting = obj(state, "waiting");
        if (!terminated.isEmpty() && terminated.value(QLatin1String("exitCode")).toInt() == 0)
            continue;
        if (!terminated.isEmpty()) {
            reason = str(terminated, "reason").isEmpty()
                         ? QStringLiteral("Init:ExitCode:%1").arg(terminated.value(QLatin1String("exitCode")).toInt())
                         : QStringLiteral("Init:") + str(terminated, "reason");
        } else if (!waiting.isEmpty() && !str(waiting, "reason").isEmpty() &&
                   str(waiting, "reason") != QLatin1String("PodInitializing")) {
            reason = QStringLiteral("Init:") + str(waiting, "reason");
        } else {
            reason = QStringLiteral("Init:%1/%2")
                         .arg(i)
                         .arg(obj(pod, "spec").value(QLatin1String("initContainers")).toArray().size());
        }
        initializing = true;
        break;
    }

    if (!initializing) {
        bool hasRunning = false;
        const QJsonArray statuses = arr(status, "containerStatuses");
        for (int i = statuses.size() - 1; i >= 0; --i) {
            const QJsonObject cs = statuses.at(i).toObject();
            const QJsonObject state = obj(cs, "state");
            const QJsonObject waiting = obj(state, "waiting");
            const QJsonObject terminated = obj(state, "terminated");
            if (!waiting.isEmpty() && !str(waiting, "reason").isEmpty()) {
                reason = str(waiting, "reason");
            } else if (!terminated.isEmpty() && !str(terminated, "reason").isEmpty()) {
                reason = str(terminated, "reason");
            } else if (!terminated.isEmpty()) {
                const int signal = terminated.value(QLatin1String("signal")).toInt();
                reason = signal != 0
                             ? QStringLiteral("Signal:%1").arg(signal)
                             : QStringLiteral("ExitCode:%1").arg(terminated.value(QLatin1String("exitCode")).toInt());
            } else if (cs.value(QLatin1String("ready")).toBool() && state.contains(QLatin1String("running"))) {
                hasRunning = true;
            }
        }
        if (reason == QLatin1String("Completed") && hasRunning)
            reason = QStringLiteral("Running");
    }
    if (metadata.contains(QLatin1String("deletionTimestamp"))) {
        if (str(status, "reason") == QLatin1String("NodeLost"))
            reason = QStringLiteral("Unknown");
        else
            reason = QStringLiteral("Terminating");
    }
    return reason.isEmpty() ? QStringLiteral("Pending") : reason;
}

PodSummary podSummaryFromJson(const QJsonObject& pod, qint64 observedMs)
{
    const QJsonObject metadata = obj(pod, "metadata");
    const QJsonObject spec = obj(pod, "spec");
    const QJsonObject status = obj(pod, "status");
    PodSummary s;
    s.namespaceName = str(metadata, "namespace");
    s.name = str(metadata, "name");
    s.uid = str(metadata, "uid");
    s.resourceVersion = str(metadata, "resourceVersion");
    s.created = json::parseTime(str(metadata, "creationTimestamp"));
    s.terminating = metadata.contains(QLatin1String("deletionTimestamp"));
    s.nodeName = str(spec, "nodeName");
    s.phase = str(status, "phase");
    if (s.phase.isEmpty())
        s.phase = QStringLiteral("Pending");
    s.statusText = kubectlPodStatus(pod);
    s.podIp = str(status, "podIP");
    s.startTime = json::parseTime(str(status, "startTime"));
    s.conditions = conditionsOf(arr(status, "conditions"));
    s.observedMs = observedMs;

    const QJsonArray specContainers = arr(spec, "containers");
    s.totalContainers = int(specContainers.size());
    QHash<QString, QString> images;
    for (const auto& c : specContainers)
        images.insert(str(c.toObject(), "name"), str(c.toObject(), "image"));
    QSet<QString> seen;
    for (const auto& value : arr(status, "containerStatuses")) {
        const QJsonObject cs = value.toObject();
        ContainerStateSummary c;
        c.name = str(cs, "name");
        c.ready = cs.value(QLatin1String("ready")).toBool();
        c.started = cs.value(QLatin1String("started")).toBool();
        c.restartCount = cs.value(QLatin1String("restartCount")).toInt();
        c.image = str(cs, "image");
        const QJsonObject state = obj(cs, "state");
        if (state.contains(QLatin1String("running"))) {
            c.state = QStringLiteral("running");
            c.startedAt = json::parseTime(str(obj(state, "running"), "startedAt"));
        } else if (state.contains(QLatin1String("terminated"))) {
            const QJsonObject t = obj(state, "terminated");
            c.state = QStringLiteral("terminated");
            c.reason = str(t, "reason");
            c.message = str(t, "message");
            c.exitCode = t.value(QLatin1String("exitCode")).toInt();
            c.startedAt = json::parseTime(str(t, "startedAt"));
            c.finishedAt = json::parseTime(str(t, "finishedAt"));
        } else if (state.contains(QLatin1String("waiting"))) {
            c.state = QStringLiteral("waiting");
            c.reason = str(obj(state, "waiting"), "reason");
            c.message = str(obj(state, "waiting"), "message");
        }
        if (c.ready)
            ++s.readyContainers;
        s.restarts += c.restartCount;
        seen.insert(c.name);
        s.containers.append(c);
    }
    // Containers the status does not mention yet (a fresh pod): waiting with no reason.
    for (const auto& c : specContainers) {
        const QString name = str(c.toObject(), "name");
        if (seen.contains(name))
            continue;
        ContainerStateSummary w;
        w.name = name;
        w.image = images.value(name);
        s.containers.append(w);
    }
    return s;
}

NodeSummary nodeSummaryFromJson(const QJsonObject& node)
{
    const QJsonObject metadata = obj(node, "metadata");
    const QJsonObject spec = obj(node, "spec");
    const QJsonObject status = obj(node, "status");
    NodeSummary s;
    s.name = str(metadata, "name");
    s.uid = str(metadata, "uid");
    s.created = json::parseTime(str(metadata, "creationTimestamp"));
    s.labels = stringMap(obj(metadata, "labels"));
    s.unschedulable = spec.value(QLatin1String("unschedulable")).toBool();
    s.providerId = str(spec, "providerID");
    for (const auto& value : arr(spec, "taints")) {
        const QJsonObject t = value.toObject();
        s.taints.append({str(t, "key"), str(t, "value"), str(t, "effect")});
    }
    s.conditions = conditionsOf(arr(status, "conditions"));
    for (const auto& c : std::as_const(s.conditions)) {
        if (c.type == QLatin1String("Ready"))
            s.ready = c.status == QLatin1String("True");
    }
    for (const auto& value : arr(status, "addresses"))
        s.addresses.append({str(value.toObject(), "type"), str(value.toObject(), "address")});
    s.capacity = stringMap(obj(status, "capacity"));
    s.allocatable = stringMap(obj(status, "allocatable"));
    s.kubeletVersion = str(obj(status, "nodeInfo"), "kubeletVersion");
    s.kubeletPort = obj(obj(status, "daemonEndpoints"), "kubeletEndpoint").value(QLatin1String("Port")).toInt();
    return s;
}

EventSummary eventSummaryFromJson(const QJsonObject& event)
{
    const QJsonObject metadata = obj(event, "metadata");
    const QJsonObject involved = obj(event, "involvedObject");
    EventSummary s;
    s.uid = str(metadata, "uid");
    s.namespaceName = str(involved, "namespace");
    if (s.namespaceName.isEmpty())
        s.namespaceName = str(metadata, "namespace");
    s.involvedKind = str(involved, "kind");
    s.involvedName = str(involved, "name");
    s.involvedUid = str(involved, "uid");
    s.type = str(event, "type");
    s.reason = str(event, "reason");
    s.message = str(event, "message");
    s.source = str(obj(event, "source"), "component");
    if (s.source.isEmpty())
        s.source = str(event, "reportingComponent");
    s.count = qMax(1, event.value(QLatin1String("count")).toInt());
    s.firstTime = json::parseTime(str(event, "firstTimestamp"));
    s.lastTime = json::parseTime(str(event, "lastTimestamp"));
    const QDateTime eventTime = json::parseTime(str(event, "eventTime"));
    if (eventTime.isValid()) {
        // eventTime has microseconds: the precise time of the first occurrence.
        if (!s.firstTime.isValid() || s.count == 1)
            s.firstTime = eventTime;
        if (!s.lastTime.isValid() || s.count == 1)
            s.lastTime = eventTime;
    }
    if (!s.firstTime.isValid())
        s.firstTime = json::parseTime(str(metadata, "creationTimestamp"));
    if (!s.lastTime.isValid())
        s.lastTime = s.firstTime;
    return s;
}

void addPodRequests(const QJsonObject& pod, NodeUsage& usage)
{
    const QString phase = str(obj(pod, "status"), "phase");
    if (phase == QLatin1String("Succeeded") || phase == QLatin1String("Failed"))
        return;
    ++usage.pods;
    double cpu = 0;
    double memory = 0;
    for (const auto& value : arr(obj(pod, "spec"), "containers")) {
        const QJsonObject requests = obj(obj(value.toObject(), "resources"), "requests");
        if (auto q = api::Quantity::fromJson(requests.value(QLatin1String("cpu"))))
            cpu += double(q->milliValue()) / 1000.0;
        if (auto q = api::Quantity::fromJson(requests.value(QLatin1String("memory"))))
            memory += double(q->milliValue()) / 1000.0;
    }
    usage.cpuRequestsCores += cpu;
    usage.memoryRequestsBytes += memory;
}

} // namespace vk::console
