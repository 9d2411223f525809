// SPDX-License-Identifier: Apache-2.0
#include "mock/MockMetrics.h"

#include "core/Json.h"

#include <QJsonArray>

#include <optional>

namespace vk::mock {

namespace {

QJsonObject cpuStats(const QDateTime& now, quint64 nanoCores, quint64 coreNanoSeconds)
{
    return {{QStringLiteral("time"), json::formatTime(now)},
            {QStringLiteral("usageNanoCores"), double(nanoCores)},
            {QStringLiteral("usageCoreNanoSeconds"), double(coreNanoSeconds)}};
}

QJsonObject memoryStats(const QDateTime& now, quint64 workingSet, quint64 usage, std::optional<quint64> available = {})
{
    QJsonObject memory{{QStringLiteral("time"), json::formatTime(now)},
                       {QStringLiteral("usageBytes"), double(usage)},
                       {QStringLiteral("workingSetBytes"), double(workingSet)},
                       {QStringLiteral("rssBytes"), double(workingSet)},
                       {QStringLiteral("pageFaults"), 0},
                       {QStringLiteral("majorPageFaults"), 0}};
    if (available)
        memory.insert(QStringLiteral("availableBytes"), double(*available));
    return memory;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 15);
}

QByteArray label(const QString& value)
{
    QByteArray text = value.toUtf8();
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return '"' + text + '"';
}

} // namespace

QJsonObject statsSummaryJson(const NodeUsage& node, const QList<PodUsage>& pods, const QDateTime& now)
{
    QJsonArray podArray;
    for (const PodUsage& pod : pods) {
        QJsonArray containers;
        quint64 nanoCores = 0, coreNanoSeconds = 0, workingSet = 0, usage = 0;
        for (const ContainerUsage& c : pod.containers) {
            containers.append(QJsonObject{
                {QStringLiteral("name"), c.name},
                {QStringLiteral("startTime"), json::formatTime(c.startTime)},
                {QStringLiteral("cpu"), cpuStats(now, c.usageNanoCores, c.usageCoreNanoSeconds)},
                {QStringLiteral("memory"), memoryStats(now, c.workingSetBytes, c.usageBytes)},
            });
            nanoCores += c.usageNanoCores;
            coreNanoSeconds += c.usageCoreNanoSeconds;
            workingSet += c.workingSetBytes;
            usage += c.usageBytes;
        }
        podArray.append(QJsonObject{
            {QStringLiteral("podRef"), QJsonObject{{QStringLiteral("name"), pod.name},
                                                   {QStringLiteral("namespace"), pod.namespaceName},
                                                   {QStringLiteral("uid"), pod.uid}}},
            {QStringLiteral("startTime"), json::formatTime(pod.startTime)},
            {QStringLiteral("containers"), containers},
            {QStringLiteral("cpu"), cpuStats(now, nanoCores, coreNanoSeconds)},
            {QStringLiteral("memory"), memoryStats(now, workingSet, usage)},
        });
    }
    const QJsonObject nodeObject{
        {QStringLiteral("nodeName"), node.nodeName},
        {QStringLiteral("startTime"), json::formatTime(node.startTime)},
        {QStringLiteral("cpu"), cpuStats(now, node.usageNanoCores, node.usageCoreNanoSeconds)},
        {QStringLiteral("memory"), memoryStats(now, node.workingSetBytes, node.usageBytes, node.availableBytes)},
    };
    return {{QStringLiteral("node"), nodeObject}, {QStringLiteral("pods"), podArray}};
}

QByteArray metricsResourceText(const NodeUsage& node, const QList<PodUsage>& pods, const QDateTime& now)
{
    const QByteArray ts = ' ' + QByteArray::number(now.toMSecsSinceEpoch()) + '\n';
    QByteArray text;
    auto family = [&text](const char* name, const char* help, const char* type) {
        text += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    };
    auto containerLabels = [](const PodUsage& pod, const ContainerUsage& c) -> QByteArray {
        return "{container=" + label(c.name) + ",namespace=" + label(pod.namespaceName) + ",pod=" + label(pod.name) +
               '}';
    };
    auto podLabels = [](const PodUsage& pod) -> QByteArray {
        return "{namespace=" + label(pod.namespaceName) + ",pod=" + label(pod.name) + '}';
    };

    family("container_cpu_usage_seconds_total",
           "[STABLE] Cumulative cpu time consumed by the container in core-seconds", "counter");
    for (const PodUsage& pod : pods)
        for (const ContainerUsage& c : pod.containers)
            text += "container_cpu_usage_seconds_total" + containerLabels(pod, c) + ' ' +
                    number(double(c.usageCoreNanoSeconds) / 1e9) + ts;
    family("container_memory_working_set_bytes", "[STABLE] Current working set of the container in bytes", "gauge");
    for (const PodUsage& pod : pods)
        for (const ContainerUsage& c : pod.containers)
            text += "container_memory_working_set_bytes" + containerLabels(pod, c) + ' ' +
                    number(double(c.workingSetBytes)) + ts;
    family("container_start_time_seconds", "[STABLE] Start time of the container since unix epoch in seconds", "gauge");
    for (const PodUsage& pod : pods)
        for (const ContainerUsage& c : pod.containers)
            text += "container_start_time_seconds" + containerLabels(pod, c) + ' ' +
                    number(double(c.startTime.toMSecsSinceEpoch()) / 1000.0) + ts;
    family("node_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the node in core-seconds",
           "counter");
    text += "node_cpu_usage_seconds_total " + number(double(node.usageCoreNanoSeconds) / 1e9) + ts;
    family("node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", "gauge");
    text += "node_memory_working_set_bytes " + number(double(node.workingSetBytes)) + ts;
    family("pod_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds",
           "counter");
    for (const PodUsage& pod : pods) {
        quint64 total = 0;
        for (const ContainerUsage& c : pod.containers)
            total += c.usageCoreNanoSeconds;
        text += "pod_cpu_usage_seconds_total" + podLabels(pod) + ' ' + number(double(total) / 1e9) + ts;
    }
    family("pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", "gauge");
    for (const PodUsage& pod : pods) {
        quint64 total = 0;
        for (const ContainerUsage& c : pod.containers)
            total += c.workingSetBytes;
        text += "pod_memory_working_set_bytes" + podLabels(pod) + ' ' + number(double(total)) + ts;
    }
    family("scrape_error", "[ALPHA] 1 if there was an error while getting container metrics, 0 otherwise", "gauge");
    text += "scrape_error 0\n";
    return text;
}

} // namespace vk::mock
