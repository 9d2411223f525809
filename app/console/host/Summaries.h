// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QJsonObject>

namespace vk::console {

/// v1.Pod → what the console shows, including kubectl's STATUS column text.
PodSummary podSummaryFromJson(const QJsonObject& pod, qint64 observedMs);
/// v1.Node → NodeSummary.
NodeSummary nodeSummaryFromJson(const QJsonObject& node);
/// core/v1 Event → EventSummary.
EventSummary eventSummaryFromJson(const QJsonObject& event);
/// What `kubectl get pods` prints in STATUS for this pod (printers.go printPod, without init containers detail).
QString kubectlPodStatus(const QJsonObject& pod);
/// Requests of a pod's containers (max with init containers, as the scheduler counts), for node usage.
void addPodRequests(const QJsonObject& pod, NodeUsage& usage);

} // namespace vk::console
