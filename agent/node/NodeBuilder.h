// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "node/NodeOptions.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace vk::node {

/// Builds the v1.Node the agent registers, as upstream's CLI and nodeutil do, and edits its conditions.
class NodeBuilder
{
public:
    /// The Node before the provider's configureNode(): the upstream labels (type, role, hostname, os, arch and
    /// their beta twins), the taint, status.nodeInfo (kubeletVersion, operatingSystem, architecture and the other
    /// fields present but empty, as a kubelet sends them), phase Pending and the five kubelet conditions
    /// (Ready=False/KubeletNotReady, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable all False).
    static QJsonObject build(const NodeOptions& options, const QDateTime& now);
    /// Re-asserts what the agent owns after the provider edited the node: the upstream labels, our taint (appended
    /// when missing), the kubelet version, and operatingSystem/architecture when the provider left them empty.
    static void ensureAgentFields(QJsonObject& node, const NodeOptions& options);

    /// "amd64", "arm64", ... of this build (Go's GOARCH names).
    static QString architecture();
    /// {"key","value","effect"} of the provider taint.
    static QJsonObject taint(const NodeOptions& options);

    static QJsonObject condition(const QString& type,
                                 const QString& status,
                                 const QString& reason,
                                 const QString& message,
                                 const QDateTime& now);
    /// The condition of this type in node.status.conditions, or an empty object.
    static QJsonObject findCondition(const QJsonObject& node, const QString& type);
    /// Sets status/reason/message of a condition (adding it when missing). lastTransitionTime moves to `now` only
    /// when the status changes. Returns whether anything changed.
    static bool setCondition(QJsonObject& node,
                             const QString& type,
                             const QString& status,
                             const QString& reason,
                             const QString& message,
                             const QDateTime& now);
    /// lastHeartbeatTime = now on every condition of node.status.
    static void stampHeartbeats(QJsonObject& node, const QDateTime& now);
};

} // namespace vk::node
