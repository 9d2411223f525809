// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QTreeWidget;

namespace vk::console {

/// The selected node's health: conditions (coloured, with heartbeat and transition times), capacity and
/// allocatable against what its pods request, taints, addresses, and — for a node this console runs — the agent's
/// phase and lease renewals.
class NodePanel : public QWidget
{
    Q_OBJECT

public:
    explicit NodePanel(QWidget* parent = nullptr);

    void setNode(const NodeSummary& node);
    void setUsage(const NodeUsage& usage);
    void setVirtualNodeState(const VirtualNodeState& state);
    void clearNode();
    QString nodeName() const { return m_node.name; }

    /// "Ready=True" style list of what is shown, for tests.
    QStringList conditionTexts() const;

private:
    void refresh();

    NodeSummary m_node;
    NodeUsage m_usage;
    VirtualNodeState m_agent;
    bool m_hasAgent = false;

    QLabel* m_title;
    QLabel* m_agentLabel;
    QTreeWidget* m_conditions;
    QProgressBar* m_pods;
    QProgressBar* m_cpu;
    QProgressBar* m_memory;
    QLabel* m_taints;
    QLabel* m_addresses;
    QLabel* m_info;
};

} // namespace vk::console
