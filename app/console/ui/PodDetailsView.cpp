// SPDX-License-Identifier: Apache-2.0
#include "PodDetailsView.h"
#include "ConsoleStyle.h"
#include "PodTableModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vk::console {

namespace {

QString timeOrDash(const QDateTime& time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("–");
}

QColor conditionColor(const QString& status)
{
    if (status == QLatin1String("True"))
        return style::healthy();
    if (status == QLatin1String("False"))
        return style::progressing();
    return style::unknown();
}

QColor containerColor(const ContainerStateSummary& c)
{
    if (c.state == QLatin1String("running"))
        return c.ready ? style::healthy() : style::progressing();
    if (c.state == QLatin1String("waiting"))
        return c.reason.contains(QLatin1String("BackOff")) || c.reason.contains(QLatin1String("Err"))
                   ? style::failing()
                   : style::progressing();
    if (c.state == QLatin1String("terminated"))
        return c.exitCode == 0 ? style::finished() : style::failing();
    return style::unknown();
}

QTreeWidget* makeTree(QWidget* parent, const char* objectName, const QStringList& headers)
{
    auto* tree = new QTreeWidget(parent);
    tree->setObjectName(QLatin1String(objectName));
    tree->setRootIsDecorated(false);
    tree->setHeaderLabels(headers);
    tree->setSelectionMode(QAbstractItemView::NoSelection);
    tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tree->header()->setStretchLastSection(true);
    return tree;
}

} // namespace

PodDetailsView::PodDetailsView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("podDetailsView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("podSummaryLabel"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_containers = makeTree(this, "podContainersTree",
                            {tr("Container"), tr("State"), tr("Ready"), tr("Restarts"), tr("Exit code"), tr("Started"),
                             tr("Finished"), tr("Image"), tr("Message")});
    layout->addWidget(m_containers, 1);
    m_conditions = makeTree(this, "podConditionsTree",
                            {tr("Condition"), tr("Status"), tr("Reason"), tr("Last transition"), tr("Message")});
    layout->addWidget(m_conditions, 1);
    clear();
}

void PodDetailsView::clear()
{
    m_key.clear();
    m_summary->setText(tr("Select a pod to see its containers and conditions."));
    m_conditions->clear();
    m_containers->clear();
}

void PodDetailsView::setPod(const PodSummary& pod)
{
    m_key = pod.key();
    const QColor phase = PodTableModel::phaseColor(pod.phase, pod.statusText);
    m_summary->setText(
        tr("<b>%1</b> in %2 · <span style=\"color:%3\">%4</span> (phase %5) · node %6 · pod IP %7 · started %8 · "
           "%n restart(s)",
           nullptr, pod.restarts)
            .arg(pod.name.toHtmlEscaped(), pod.namespaceName.toHtmlEscaped(), phase.name(),
                 pod.statusText.toHtmlEscaped(), pod.phase.toHtmlEscaped(),
                 pod.nodeName.isEmpty() ? tr("(not scheduled)") : pod.nodeName.toHtmlEscaped(),
                 pod.podIp.isEmpty() ? QStringLiteral("–") : pod.podIp, timeOrDash(pod.startTime)));

    m_containers->clear();
    for (const ContainerStateSummary& c : pod.containers) {
        QString state = c.state.isEmpty() ? tr("unknown") : c.state;
        if (!c.reason.isEmpty())
            state += QStringLiteral(" (%1)").arg(c.reason);
        auto* item = new QTreeWidgetItem(
            m_containers, {c.name, state, c.ready ? tr("yes") : tr("no"), QString::number(c.restartCount),
                           c.state == QLatin1String("terminated") ? QString::number(c.exitCode) : QString(),
                           timeOrDash(c.startedAt), timeOrDash(c.finishedAt), c.image, c.message});
        item->setForeground(1, containerColor(c));
        item->setToolTip(8, c.message);
    }
    m_conditions->clear();
    for (const ConditionSummary& condition : pod.conditions) {
        auto* item = new QTreeWidgetItem(m_conditions, {condition.type, condition.status, condition.reason,
                                                        timeOrDash(condition.lastTransitionTime), condition.message});
        item->setForeground(1, conditionColor(condition.status));
        item->setToolTip(3, style::exactTime(condition.lastTransitionTime));
        item->setToolTip(4, condition.message);
    }
}

QStringList PodDetailsView::conditionTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_conditions->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = m_conditions->topLevelItem(i);
        QString text = item->text(0) + QLatin1Char('=') + item->text(1);
        if (!item->text(2).isEmpty())
            text += QStringLiteral(" (%1)").arg(item->text(2));
        texts.append(text);
    }
    return texts;
}

QStringList PodDetailsView::containerTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_containers->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = m_containers->topLevelItem(i);
        texts.append(QStringLiteral("%1: %2, %3, %4 restarts")
                         .arg(item->text(0), item->text(1),
                              item->text(2) == tr("yes") ? QStringLiteral("ready") : QStringLiteral("not ready"),
                              item->text(3)));
    }
    return texts;
}

} // namespace vk::console
