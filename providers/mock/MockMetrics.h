// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace vk::mock {

/// Resource usage of one running container, as the stats and metrics endpoints report it.
struct ContainerUsage
{
    QString name;
    QDateTime startTime;
    quint64 usageNanoCores = 0;
    quint64 usageCoreNanoSeconds = 0;
    quint64 workingSetBytes = 0;
    quint64 usageBytes = 0;
};

struct PodUsage
{
    QString name;
    QString namespaceName;
    QString uid;
    QDateTime startTime;
    QList<ContainerUsage> containers;
};

struct NodeUsage
{
    QString nodeName;
    QDateTime startTime;
    quint64 usageNanoCores = 0;
    quint64 usageCoreNanoSeconds = 0;
    quint64 workingSetBytes = 0;
    quint64 usageBytes = 0;
    quint64 availableBytes = 0;
};

/// k8s.io/kubelet/pkg/apis/stats/v1alpha1 Summary.
QJsonObject statsSummaryJson(const NodeUsage& node, const QList<PodUsage>& pods, const QDateTime& now);
/// The kubelet's /metrics/resource exposition (names, labels, HELP and TYPE as kubelet 1.29+).
QByteArray metricsResourceText(const NodeUsage& node, const QList<PodUsage>& pods, const QDateTime& now);

} // namespace vk::mock
