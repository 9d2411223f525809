// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace vk::console {

/// The selected pod at a glance, as `kubectl describe pod` opens: status, node, IPs, start time and restarts, the
/// pod's conditions (coloured, with reason, message and transition time) and every container with its image,
/// state (and why), readiness, restarts, exit code and start/finish times. Object names: "podDetailsView",
/// "podSummaryLabel", "podConditionsTree", "podContainersTree".
class PodDetailsView : public QWidget
{
    Q_OBJECT

public:
    explicit PodDetailsView(QWidget* parent = nullptr);

    void setPod(const PodSummary& pod);
    void clear();
    QString podKey() const { return m_key; }

    /// "Ready=True (reason)" per condition row, for tests and accessibility.
    QStringList conditionTexts() const;
    /// "app: running, ready, 0 restarts" per container row.
    QStringList containerTexts() const;

private:
    QString m_key;
    QLabel* m_summary;
    QTreeWidget* m_conditions;
    QTreeWidget* m_containers;
};

} // namespace vk::console
