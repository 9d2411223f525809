// SPDX-License-Identifier: Apache-2.0
#include "NodePanel.h"
#include "ConsoleStyle.h"

#include "api/Quantity.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vk::console {

namespace {

double quantityValue(const QString& text)
{
    auto q = api::Quantity::parse(text);
    return q ? double(q->milliValue()) / 1000.0 : 0;
}

QString ago(const QDateTime& time)
{
    if (!time.isValid())
        return {};
    const qint64 s = time.secsTo(QDateTime::currentDateTimeUtc());
    if (s < 120)
        return QObject::tr("%1 s ago").arg(std::max<qint64>(0, s));
    if (s < 7200)
        return QObject::tr("%1 min ago").arg(s / 60);
    return QObject::tr("%1 h ago").arg(s / 3600);
}

void setBar(QProgressBar* bar, double used, double total, const QString& text)
{
    bar->setRange(0, 1000);
    bar->setValue(total > 0 ? int(std::min(1.0, used / total) * 1000) : 0);
    bar->setFormat(text);
}

QString bytes(double value)
{
    return QLocale().formattedDataSize(qint64(value), 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

NodePanel::NodePanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("nodePanel"));
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("nodeTitleLabel"));
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    m_agentLabel = new QLabel(this);
    m_agentLabel->setObjectName(QStringLiteral("nodeAgentLabel"));
    m_agentLabel->setWordWrap(true);
    layout->addWidget(m_agentLabel);

    m_conditions = new QTreeWidget(this);
    m_conditions->setObjectName(QStringLiteral("nodeConditionsTree"));
    m_conditions->setHeaderLabels({tr("Condition"), tr("Status"), tr("Reason"), tr("Heartbeat"), tr("Transition")});
    m_conditions->setRootIsDecorated(false);
    m_conditions->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_conditions, 1);

    auto* form = new QFormLayout;
    m_pods = new QProgressBar(this);
    m_pods->setObjectName(QStringLiteral("nodePodsBar"));
    m_cpu = new QProgressBar(this);
    m_cpu->setObjectName(QStringLiteral("nodeCpuBar"));
    m_memory = new QProgressBar(this);
    m_memory->setObjectName(QStringLiteral("nodeMemoryBar"));
    form->addRow(tr("pods"), m_pods);
    form->addRow(tr("cpu"), m_cpu);
    form->addRow(tr("memory"), m_memory);
    m_taints = new QLabel(this);
    m_taints->setObjectName(QStringLiteral("nodeTaintsLabel"));
    m_taints->setWordWrap(true);
    form->addRow(tr("taints"), m_taints);
    m_addresses = new QLabel(this);
    m_addresses->setWordWrap(true);
    form->addRow(tr("addresses"), m_addresses);
    m_info = new QLabel(this);
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("info"), m_info);
    layout->addLayout(form);
    clearNode();
}

void NodePanel::setNode(const NodeSummary& node)
{
    if (node.name != m_node.name) {
        m_usage = {};
        m_hasAgent = false;
    }
    m_node = node;
    refresh();
}

void NodePanel::setUsage(const NodeUsage& usage)
{
    m_usage = usage;
    refresh();
}

void NodePanel::setVirtualNodeState(const VirtualNodeState& state)
{
    if (!m_node.name.isEmpty() && state.nodeName != m_node.name)
        return;
    m_agent = state;
    m_hasAgent = true;
    refresh();
}

void NodePanel::clearNode()
{
    m_node = {};
    m_usage = {};
    m_hasAgent = false;
    m_title->setText(tr("No node selected"));
    m_agentLabel->setText(tr("Select a node in the tree on the left."));
    m_conditions->clear();
    for (QProgressBar* bar : {m_pods, m_cpu, m_memory})
        setBar(bar, 0, 0, QString());
    m_taints->clear();
    m_addresses->clear();
    m_info->clear();
}

QStringList NodePanel::conditionTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_conditions->topLevelItemCount(); ++i) {
        const auto* item = m_conditions->topLevelItem(i);
        texts.append(item->text(0) + QLatin1Char('=') + item->text(1));
    }
    return texts;
}

void NodePanel::refresh()
{
    if (m_node.name.isEmpty())
        return;
    m_title->setText(tr("NODE  %1").arg(m_node.name));
    if (m_hasAgent) {
        QString text = tr("agent: %1 (%2)").arg(VirtualNodeState::phaseName(m_agent.phase), m_agent.provider);
        if (m_agent.leaseRenewals > 0)
            text += tr(" · lease renewed %1 (%2×)").arg(ago(m_agent.lastLeaseRenewal)).arg(m_agent.leaseRenewals);
        if (m_agent.kubeletPort)
            text += tr(" · kubelet API :%1").arg(m_agent.kubeletPort);
        if (m_agent.phase == VirtualNodeState::Phase::Failed)
            text += QStringLiteral("\n") + m_agent.message;
        m_agentLabel->setText(text);
    } else {
        m_agentLabel->setText(tr("not run by this console"));
    }

    m_conditions->clear();
    for (const ConditionSummary& c : std::as_const(m_node.conditions)) {
        auto* item = new QTreeWidgetItem(
            m_conditions, {c.type, c.status, c.reason, ago(c.lastHeartbeatTime), ago(c.lastTransitionTime)});
        // Ready=True is healthy; for the pressure conditions False is.
        const bool healthy =
            c.type == QLatin1String("Ready") ? c.status == QLatin1String("True") : c.status == QLatin1String("False");
        const QColor color = c.status == QLatin1String("Unknown") ? style::unknown()
                             : healthy                            ? style::healthy()
                                                                  : style::failing();
        item->setForeground(1, color);
        item->setData(1, Qt::DecorationRole, color);
        const QString tip =
            tr("%1=%2\nreason: %3\nmessage: %4\nlastHeartbeatTime: %5\nlastTransitionTime: %6")
                .arg(c.type, c.status, c.reason, c.message, c.lastHeartbeatTime.toLocalTime().toString(Qt::ISODate),
                     c.lastTransitionTime.toLocalTime().toString(Qt::ISODate));
        for (int column = 0; column < 5; ++column)
            item->setToolTip(column, tip);
    }

    const double podsAllocatable = quantityValue(m_node.allocatable.value(QStringLiteral("pods")));
    const double cpuAllocatable = quantityValue(m_node.allocatable.value(QStringLiteral("cpu")));
    const double memoryAllocatable = quantityValue(m_node.allocatable.value(QStringLiteral("memory")));
    setBar(m_pods, m_usage.pods, podsAllocatable,
           tr("%1 / %2").arg(m_usage.pods).arg(m_node.allocatable.value(QStringLiteral("pods"))));
    setBar(m_cpu, m_usage.cpuRequestsCores, cpuAllocatable,
           tr("%1 / %2 cores requested").arg(m_usage.cpuRequestsCores, 0, 'g', 3).arg(cpuAllocatable, 0, 'g', 4));
    setBar(m_memory, m_usage.memoryRequestsBytes, memoryAllocatable,
           tr("%1 / %2 requested").arg(bytes(m_usage.memoryRequestsBytes), bytes(memoryAllocatable)));
    m_pods->setToolTip(
        tr("capacity %1, allocatable %2")
            .arg(m_node.capacity.value(QStringLiteral("pods")), m_node.allocatable.value(QStringLiteral("pods"))));
    m_cpu->setToolTip(
        tr("capacity %1, allocatable %2")
            .arg(m_node.capacity.value(QStringLiteral("cpu")), m_node.allocatable.value(QStringLiteral("cpu"))));
    m_memory->setToolTip(
        tr("capacity %1, allocatable %2")
            .arg(m_node.capacity.value(QStringLiteral("memory")), m_node.allocatable.value(QStringLiteral("memory"))));

    QStringList taints;
    for (const auto& t : std::as_const(m_node.taints))
        taints.append(t.value.isEmpty() ? QStringLiteral("%1:%2").arg(t.key, t.effect)
                                        : QStringLiteral("%1=%2:%3").arg(t.key, t.value, t.effect));
    if (m_node.unschedulable)
        taints.append(tr("(cordoned)"));
    m_taints->setText(taints.isEmpty() ? tr("none") : taints.join(QLatin1Char('\n')));
    QStringList addresses;
    for (const auto& [type, address] : std::as_const(m_node.addresses))
        addresses.append(QStringLiteral("%1 %2").arg(type, address));
    m_addresses->setText(addresses.join(QLatin1Char('\n')));
    m_info->setText(tr("kubelet %1\nproviderID %2\nkubelet port %3")
                        .arg(m_node.kubeletVersion, m_node.providerId)
                        .arg(m_node.kubeletPort));
}

} // namespace vk::console
