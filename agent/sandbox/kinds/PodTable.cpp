// SPDX-License-Identifier: Apache-2.0
// printPod of k8s.io/kubernetes/pkg/printers/internalversion/printers.go, and the pod's selectable fields.
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"

#include <QHash>

namespace vk::sandbox::detail {

namespace {

bool isRestartableInitContainer(const QJsonObject& container)
{
    return stringField(container, QLatin1String("restartPolicy")) == QLatin1String("Always");
}

bool hasConditionTrue(const QJsonArray& conditions, QLatin1String type)
{
    for (const QJsonValue& value : conditions) {
        const QJsonObject c = value.toObject();
        if (stringField(c, QLatin1String("type")) == type)
            return stringField(c, QLatin1String("status")) == QLatin1String("True");
    }
    return false;
}

bool hasPodReadyCondition(const QJsonArray& conditions)
{
    for (const QJsonValue& value : conditions) {
        const QJsonObject c = value.toObject();
        if (stringField(c, QLatin1String("type")) == QLatin1String("Ready") &&
            stringField(c, QLatin1String("status")) == QLatin1String("True"))
            return true;
    }
    return false;
}

// lastRestartDate tracking: the latest lastState.terminated.finishedAt seen.
void noteLastTermination(const QJsonObject& status, QDateTime& latest)
{
    const QJsonValue terminated = objectField(status, QLatin1String("lastState")).value(QLatin1String("terminated"));
    if (!terminated.isObject())
        return;
    const QDateTime finished = timeField(terminated.toObject(), QLatin1String("finishedAt"));
    if (finished.isValid() && (!latest.isValid() || latest < finished))
        latest = finished;
}

bool hasState(const QJsonObject& status, QLatin1String state)
{
    return objectField(status, QLatin1String("state")).value(state).isObject();
}

QJsonObject stateOf(const QJsonObject& status, QLatin1String state)
{
    return objectField(objectField(status, QLatin1String("state")), state);
}

QString firstPodIp(const QJsonObject& status)
{
    const QJsonArray ips = arrayField(status, QLatin1String("podIPs"));
    if (!ips.isEmpty())
        return stringField(ips.first().toObject(), QLatin1String("ip"));
    return stringField(status, QLatin1String("podIP"));
}

} // namespace

QList<TableColumn> podColumns()
{
    return {
        nameColumn(),
        {QStringLiteral("Ready"), QStringLiteral("string"), QString(),
         QStringLiteral("The aggregate readiness state of this pod for accepting traffic."), 0},
        {QStringLiteral("Status"), QStringLiteral("string"), QString(),
         QStringLiteral("The aggregate status of the containers in this pod."), 0},
        {QStringLiteral("Restarts"), QStringLiteral("string"), QString(),
         QStringLiteral("The number of times the containers in this pod have been restarted and when the last "
                        "container in this pod has restarted."),
         0},
        ageColumn(),
        {QStringLiteral("IP"), QStringLiteral("string"), QString(),
         QStringLiteral("podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet "
                        "allocated."),
         1},
        {QStringLiteral("Node"), QStringLiteral("string"), QString(),
         QStringLiteral("NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate "
                        "for scheduling by the scheduler defined in schedulerName. Once this field is set, the "
                        "kubelet for this node becomes responsible for the lifecycle of this pod. This field should "
                        "not be used to express a desire for the pod to be scheduled on a specific node. "
                        "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename"),
         1},
        {QStringLiteral("Nominated Node"), QStringLiteral("string"), QString(),
         QStringLiteral("nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be "
                        "scheduled right away as preemption victims receive their graceful termination periods. This "
                        "field does not guarantee that the pod will be scheduled on this node. Scheduler may decide "
                        "to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide "
                        "to give the resources on this node to a higher priority pod that is created after "
                        "preemption. As a result, this field may be different than PodSpec.nodeName when the pod is "
                        "scheduled."),
         1},
        {QStringLiteral("Readiness Gates"), QStringLiteral("string"), QString(),
         QStringLiteral("If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when "
                        "all its containers are ready AND all conditions specified in the readiness gates have status "
                        "equal to \"True\" More info: "
                        "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates"),
         1},
    };
}

QJsonArray podTableCells(const QJsonObject& pod, const QDateTime& now)
{
    const QJsonObject spec = objectField(pod, QLatin1String("spec"));
    const QJsonObject status = objectField(pod, QLatin1String("status"));
    const QJsonArray conditions = arrayField(status, QLatin1String("conditions"));
    const QJsonArray specInit = arrayField(spec, QLatin1String("initContainers"));

    qint64 restarts = 0;
    qint64 restartableInitRestarts = 0;
    qint64 totalContainers = arrayField(spec, QLatin1String("containers")).size();
    qint64 readyContainers = 0;
    QDateTime lastRestartDate;
    QDateTime lastRestartableInitRestartDate;

    const QString podPhase = stringField(status, QLatin1String("phase"));
    QString reason = podPhase;
    if (!stringField(status, QLatin1String("reason")).isEmpty())
        reason = stringField(status, QLatin1String("reason"));
    for (const QJsonValue& value : conditions) {
        const QJsonObject c = value.toObject();
        if (stringField(c, QLatin1String("type")) == QLatin1String("PodScheduled") &&
            stringField(c, QLatin1String("reason")) == QLatin1String("SchedulingGated"))
            reason = QStringLiteral("SchedulingGated");
    }

    QHash<QString, QJsonObject> initContainers;
    for (const QJsonValue& value : specInit) {
        const QJsonObject c = value.toObject();
        initContainers.insert(stringField(c, QLatin1String("name")), c);
        if (isRestartableInitContainer(c))
            ++totalContainers;
    }

    bool initializing = false;
    const QJsonArray initStatuses = arrayField(status, QLatin1String("initContainerStatuses"));
    for (qsizetype i = 0; i < initStatuses.size(); ++i) {
        const QJsonObject container = initStatuses.at(i).toObject();
        const qint64 restartCount = intField(container, QLatin1String("restartCount"));
        restarts += restartCount;
        noteLastTermination(container, lastRestartDate);
        const bool restartable =
            isRestartableInitContainer(initContainers.value(stringField(container, QLatin1String("name"))));
        if (restartable) {
            restartableInitRestarts += restartCount;
            noteLastTermination(container, lastRestartableInitRestartDate);
        }
        const QJsonObject terminated = stateOf(container, QLatin1String("terminated"));
        const QJsonObject waiting = stateOf(container, QLatin1String("waiting"));
        if (hasState(container, QLatin1String("terminated")) && intField(terminated, QLatin1String("exitCode")) == 0)
            continue;
        if (restartable && boolField(container, QLatin1String("started"))) {
            if (boolField(container, QLatin1String("ready")))
                ++readyContainers;
            continue;
        }
        if (hasState(container, QLatin1String("terminated"))) {
            const QString terminatedReason = stringField(terminated, QLatin1String("reason"));
            if (terminatedReason.isEmpty()) {
                const qint64 signal = intField(terminated, QLatin1String("signal"));
                if (signal != 0)
                    reason = QStringLiteral("Init:Signal:%1").arg(signal);
                else
                    reason = QStringLiteral("Init:ExitCode:%1").arg(intField(terminated, QLatin1String("exitCode")));
            } else {
                reason = QStringLiteral("Init:") + terminatedReason;
            }
        } else if (hasState(container, QLatin1String("waiting")) &&
                   !stringField(waiting, QLatin1String("reason")).isEmpty() &&
                   stringField(waiting, QLatin1String("reason")) != QLatin1String("PodInitializing")) {
            reason = QStringLiteral("Init:") + stringField(waiting, QLatin1String("reason"));
        } else {
            reason = QStringLiteral("Init:%1/%2").arg(i).arg(specInit.size());
        }
        initializing = true;
        break;
    }

    if (!initializing || hasConditionTrue(conditions, QLatin1String("Initialized"))) {
        restarts = restartableInitRestarts;
        lastRestartDate = lastRestartableInitRestartDate;
        bool hasRunning = false;
        const QJsonArray statuses = arrayField(status, QLatin1String("containerStatuses"));
        for (qsizetype i = statuses.size() - 1; i >= 0; --i) {
            const QJsonObject container = statuses.at(i).toObject();
            restarts += intField(container, QLatin1String("restartCount"));
            noteLastTermination(container, lastRestartDate);
            const QJsonObject waiting = stateOf(container, QLatin1String("waiting"));
            const QJsonObject terminated = stateOf(container, QLatin1String("terminated"));
            if (hasState(container, QLatin1String("waiting")) &&
                !stringField(waiting, QLatin1String("reason")).isEmpty()) {
                reason = stringField(waiting, QLatin1String("reason"));
            } else if (hasState(container, QLatin1String("terminated")) &&
                       !stringField(terminated, QLatin1String("reason")).isEmpty()) {
                reason = stringField(terminated, QLatin1String("reason"));
            } else if (hasState(container, QLatin1String("terminated"))) {
                const qint64 signal = intField(terminated, QLatin1String("signal"));
                if (signal != 0)
                    reason = QStringLiteral("Signal:%1").arg(signal);
                else
                    reason = QStringLiteral("ExitCode:%1").arg(intField(terminated, QLatin1String("exitCode")));
            } else if (boolField(container, QLatin1String("ready")) && hasState(container, QLatin1String("running"))) {
                hasRunning = true;
                ++readyContainers;
            }
        }
        // Back to "Running" if at least one container still reports as running.
        if (reason == QLatin1String("Completed") && hasRunning)
            reason = hasPodReadyCondition(conditions) ? QStringLiteral("Running") : QStringLiteral("NotReady");
    }

    const bool deleting = hasField(metadataOf(pod), QLatin1String("deletionTimestamp"));
    const bool terminal = podPhase == QLatin1String("Succeeded") || podPhase == QLatin1String("Failed");
    if (deleting && stringField(status, QLatin1String("reason")) == QLatin1String("NodeLost"))
        reason = QStringLiteral("Unknown");
    else if (deleting && !terminal)
        reason = QStringLiteral("Terminating");

    QString restartsText = QString::number(restarts);
    if (restarts != 0 && lastRestartDate.isValid())
        restartsText = QStringLiteral("%1 (%2 ago)").arg(restarts).arg(translateTimestampSince(lastRestartDate, now));

    QString podIp = firstPodIp(status);
    if (podIp.isEmpty())
        podIp = QStringLiteral("<none>");
    QString nodeName = stringField(spec, QLatin1String("nodeName"));
    if (nodeName.isEmpty())
        nodeName = QStringLiteral("<none>");
    QString nominated = stringField(status, QLatin1String("nominatedNodeName"));
    if (nominated.isEmpty())
        nominated = QStringLiteral("<none>");
    QString readinessGates = QStringLiteral("<none>");
    const QJsonArray gates = arrayField(spec, QLatin1String("readinessGates"));
    if (!gates.isEmpty()) {
        int trueConditions = 0;
        for (const QJsonValue& gate : gates) {
            const QString type = stringField(gate.toObject(), QLatin1String("conditionType"));
            for (const QJsonValue& value : conditions) {
                const QJsonObject c = value.toObject();
                if (stringField(c, QLatin1String("type")) == type) {
                    if (stringField(c, QLatin1String("status")) == QLatin1String("True"))
                        ++trueConditions;
                    break;
                }
            }
        }
        readinessGates = QStringLiteral("%1/%2").arg(trueConditions).arg(gates.size());
    }

    return {nameOf(pod),     QStringLiteral("%1/%2").arg(readyContainers).arg(totalContainers),
            reason,          restartsText,
            ageOf(pod, now), podIp,
            nodeName,        nominated,
            readinessGates};
}

QString podFieldValue(const QJsonObject& pod, const QString& field)
{
    bool known = false;
    const QString meta = metadataFieldValue(pod, field, &known);
    if (known)
        return meta;
    const QJsonObject spec = objectField(pod, QLatin1String("spec"));
    const QJsonObject status = objectField(pod, QLatin1String("status"));
    if (field == QLatin1String("spec.nodeName"))
        return stringField(spec, QLatin1String("nodeName"));
    if (field == QLatin1String("spec.restartPolicy"))
        return stringField(spec, QLatin1String("restartPolicy"));
    if (field == QLatin1String("spec.schedulerName"))
        return stringField(spec, QLatin1String("schedulerName"));
    if (field == QLatin1String("spec.serviceAccountName"))
        return stringField(spec, QLatin1String("serviceAccountName"));
    if (field == QLatin1String("spec.hostNetwork"))
        return boolString(boolField(spec, QLatin1String("hostNetwork")));
    if (field == QLatin1String("status.phase"))
        return stringField(status, QLatin1String("phase"));
    if (field == QLatin1String("status.podIP"))
        return firstPodIp(status);
    if (field == QLatin1String("status.nominatedNodeName"))
        return stringField(status, QLatin1String("nominatedNodeName"));
    return {};
}

} // namespace vk::sandbox::detail
