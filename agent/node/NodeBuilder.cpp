// SPDX-License-Identifier: Apache-2.0
#include "node/NodeBuilder.h"

#include "core/Json.h"

#include <QJsonArray>
#include <QSysInfo>

namespace vk::node {

namespace {

QString str(const char* text)
{
    return QString::fromLatin1(text);
}

QJsonObject agentLabels(const NodeOptions& options)
{
    const QString arch = NodeBuilder::architecture();
    return QJsonObject{
        {str("type"), str("virtual-kubelet")},
        {str("kubernetes.io/role"), str("agent")},
        {str("kubernetes.io/hostname"), options.nodeName},
        {str("kubernetes.io/os"), options.operatingSystem},
        {str("kubernetes.io/arch"), arch},
        {str("beta.kubernetes.io/os"), options.operatingSystem},
        {str("beta.kubernetes.io/arch"), arch},
    };
}

} // namespace

QString NodeBuilder::architecture()
{
#if defined(__x86_64__) || defined(_M_X64)
    return str("amd64");
#elif defined(__aarch64__) || defined(_M_ARM64)
    return str("arm64");
#elif defined(__i386__) || defined(_M_IX86)
    return str("386");
#elif defined(__arm__)
    return str("arm");
#else
    return QSysInfo::buildCpuArchitecture();
#endif
}

QJsonObject NodeBuilder::taint(const NodeOptions& options)
{
    return QJsonObject{
        {str("key"), options.taintKey},
        {str("value"), options.taintValue.isEmpty() ? options.providerName : options.taintValue},
        {str("effect"), options.taintEffect},
    };
}

QJsonObject NodeBuilder::condition(
    const QString& type, const QString& status, const QString& reason, const QString& message, const QDateTime& now)
{
    const QString stamp = json::formatTime(now);
    return QJsonObject{
        {str("type"), type},
        {str("status"), status},
        {str("lastHeartbeatTime"), stamp},
        {str("lastTransitionTime"), stamp},
        {str("reason"), reason},
        {str("message"), message},
    };
}

QJsonObject NodeBuilder::build(const NodeOptions& options, const QDateTime& now)
{
    QJsonObject metadata{{str("name"), options.nodeName}, {str("labels"), agentLabels(options)}};

    QJsonObject spec;
    if (options.taintEnabled)
        spec.insert(str("taints"), QJsonArray{taint(options)});

    const QJsonObject nodeInfo{
        {str("machineID"), QString()},
        {str("systemUUID"), QString()},
        {str("bootID"), QString()},
        {str("kernelVersion"), QString()},
        {str("osImage"), QString()},
        {str("containerRuntimeVersion"), QString()},
        {str("kubeletVersion"), options.kubeletVersion},
        {str("kubeProxyVersion"), QString()},
        {str("operatingSystem"), options.operatingSystem},
        {str("architecture"), architecture()},
    };
    const QJsonArray conditions{
        condition(str("Ready"), str("False"), str("KubeletNotReady"), str("the pod controller is not ready yet"), now),
        condition(str("MemoryPressure"), str("False"), str("KubeletHasSufficientMemory"),
                  str("kubelet has sufficient memory available"), now),
        condition(str("DiskPressure"), str("False"), str("KubeletHasNoDiskPressure"),
                  str("kubelet has no disk pressure"), now),
        condition(str("PIDPressure"), str("False"), str("KubeletHasSufficientPID"),
                  str("kubelet has sufficient PID available"), now),
        condition(str("NetworkUnavailable"), str("False"), str("RouteCreated"), str("RouteController created a route"),
                  now),
    };
    const QJsonObject status{
        {str("phase"), str("Pending")},
        {str("conditions"), conditions},
        {str("nodeInfo"), nodeInfo},
    };
    return QJsonObject{
        {str("apiVersion"), str("v1")}, {str("kind"), str("Node")}, {str("metadata"), metadata}, {str("spec"), spec},
        {str("status"), status},
    };
}

void NodeBuilder::ensureAgentFields(QJsonObject& node, const NodeOptions& options)
{
    node.insert(str("apiVersion"), str("v1"));
    node.insert(str("kind"), str("Node"));

    QJsonObject metadata = node.value(QLatin1String("metadata")).toObject();
    metadata.insert(str("name"), options.nodeName);
    QJsonObject labels = metadata.value(QLatin1String("labels")).toObject();
    const QJsonObject ours = agentLabels(options);
    for (auto it = ours.constBegin(); it != ours.constEnd(); ++it)
        labels.insert(it.key(), it.value());
    metadata.insert(str("labels"), labels);
    node.insert(str("metadata"), metadata);

    if (options.taintEnabled) {
        QJsonObject spec = node.value(QLatin1String("spec")).toObject();
        QJsonArray taints = spec.value(QLatin1String("taints")).toArray();
        const QJsonObject wanted = taint(options);
        bool present = false;
        for (const auto& t : taints) {
            const QJsonObject existing = t.toObject();
            if (existing.value(QLatin1String("key")) == wanted.value(QLatin1String("key")) &&
                existing.value(QLatin1String("effect")) == wanted.value(QLatin1String("effect")))
                present = true;
        }
        if (!present)
            taints.append(wanted);
        spec.insert(str("taints"), taints);
        node.insert(str("spec"), spec);
    }

    QJsonObject status = node.value(QLatin1String("status")).toObject();
    QJsonObject nodeInfo = status.value(QLatin1String("nodeInfo")).toObject();
    nodeInfo.insert(str("kubeletVersion"), options.kubeletVersion);
    if (nodeInfo.value(QLatin1String("operatingSystem")).toString().isEmpty())
        nodeInfo.insert(str("operatingSystem"), options.operatingSystem);
    if (nodeInfo.value(QLatin1String("architecture")).toString().isEmpty())
        nodeInfo.insert(str("architecture"), architecture());
    status.insert(str("nodeInfo"), nodeInfo);
    if (options.kubeletPort != 0) {
        QJsonObject endpoints = status.value(QLatin1String("daemonEndpoints")).toObject();
        endpoints.insert(str("kubeletEndpoint"), QJsonObject{{str("Port"), int(options.kubeletPort)}});
        status.insert(str("daemonEndpoints"), endpoints);
    }
    node.insert(str("status"), status);
}

QJsonObject NodeBuilder::findCondition(const QJsonObject& node, const QString& type)
{
    const QJsonArray conditions =
        node.value(QLatin1String("status")).toObject().value(QLatin1String("conditions")).toArray();
    for (const auto& c : conditions) {
        if (c.toObject().value(QLatin1String("type")).toString() == type)
            return c.toObject();
    }
    return {};
}

bool NodeBuilder::setCondition(QJsonObject& node,
                               const QString& type,
                               const QString& status,
                               const QString& reason,
                               const QString& message,
                               const QDateTime& now)
{
    QJsonObject nodeStatus = node.value(QLatin1String("status")).toObject();
    QJsonArray conditions = nodeStatus.value(QLatin1String("conditions")).toArray();
    int index = -1;
    for (int i = 0; i < conditions.size(); ++i) {
        if (conditions.at(i).toObject().value(QLatin1String("type")).toString() == type) {
            index = i;
            break;
        }
    }
    if (index < 0) {
        conditions.append(condition(type, status, reason, message, now));
    } else {
        QJsonObject existing = conditions.at(index).toObject();
        if (existing.value(QLatin1String("status")).toString() == status &&
            existing.value(QLatin1String("reason")).toString() == reason &&
            existing.value(QLatin1String("message")).toString() == message)
            return false;
        if (existing.value(QLatin1String("status")).toString() != status ||
            !existing.contains(QLatin1String("lastTransitionTime")))
            existing.insert(str("lastTransitionTime"), json::formatTime(now));
        existing.insert(str("status"), status);
        existing.insert(str("reason"), reason);
        existing.insert(str("message"), message);
        if (!existing.contains(QLatin1String("lastHeartbeatTime")))
            existing.insert(str("lastHeartbeatTime"), json::formatTime(now));
        conditions.replace(index, existing);
    }
    nodeStatus.insert(str("conditions"), conditions);
    node.insert(str("status"), nodeStatus);
    return true;
}

void NodeBuilder::stampHeartbeats(QJsonObject& node, const QDateTime& now)
{
    QJsonObject nodeStatus = node.value(QLatin1String("status")).toObject();
    QJsonArray conditions = nodeStatus.value(QLatin1String("conditions")).toArray();
    const QString stamp = json::formatTime(now);
    for (int i = 0; i < conditions.size(); ++i) {
        QJsonObject c = conditions.at(i).toObject();
        c.insert(str("lastHeartbeatTime"), stamp);
        conditions.replace(i, c);
    }
    nodeStatus.insert(str("conditions"), conditions);
    node.insert(str("status"), nodeStatus);
}

} // namespace vk::node
