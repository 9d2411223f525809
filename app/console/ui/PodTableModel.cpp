// SPDX-License-Identifier: Apache-2.0
#include "PodTableModel.h"
#include "ConsoleStyle.h"

#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>
#include <QSet>

#include <algorithm>

namespace vk::console {

PodTableModel::PodTableModel(QObject* parent) : QAbstractTableModel(parent)
{
    // AGE moves on by itself: one dataChanged for the whole column every few seconds.
    m_ageTimer.setInterval(5000);
    connect(&m_ageTimer, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, Age), index(int(m_rows.size()) - 1, Age), {Qt::DisplayRole});
    });
    m_ageTimer.start();
}

int PodTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PodTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PodTableModel::humanAge(qint64 seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 120)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600 * 3)
        return QStringLiteral("%1m").arg(seconds / 60);
    if (seconds < 86400 * 2)
        return QStringLiteral("%1h").arg(seconds / 3600);
    return QStringLiteral("%1d").arg(seconds / 86400);
}

QColor PodTableModel::phaseColor(const QString& phase, const QString& statusText)
{
    if (statusText == QLatin1String("Terminating"))
        return style::unknown();
    if (statusText.contains(QLatin1String("BackOff")) || statusText.contains(QLatin1String("Err")) ||
        statusText == QLatin1String("Error") || statusText == QLatin1String("ProviderFailed"))
        return style::failing();
    if (phase == QLatin1String("Running"))
        return style::healthy();
    if (phase == QLatin1String("Pending"))
        return style::progressing();
    if (phase == QLatin1String("Succeeded"))
        return style::finished();
    if (phase == QLatin1String("Failed"))
        return style::failing();
    return style::unknown();
}

QVariant PodTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const PodSummary& pod = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return pod.name;
        case Namespace:
            return pod.namespaceName;
        case Node:
            return pod.nodeName.isEmpty() ? QStringLiteral("<none>") : pod.nodeName;
        case Status:
            return pod.statusText;
        case Ready:
            return QStringLiteral("%1/%2").arg(pod.readyContainers).arg(pod.totalContainers);
        case Restarts:
            return pod.restarts;
        case Age:
            return pod.created.isValid() ? humanAge(pod.created.secsTo(QDateTime::currentDateTimeUtc())) : QString();
        case Ip:
            return pod.podIp;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == Status)
            return phaseColor(pod.phase, pod.statusText);
        break;
    case Qt::ForegroundRole:
        if (index.column() == Status)
            return phaseColor(pod.phase, pod.statusText);
        if (pod.terminating)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Restarts || index.column() == Age || index.column() == Ready)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        if (index.column() == Status)
            return tr("phase %1").arg(pod.phase);
        if (index.column() == Age)
            return pod.created.toLocalTime().toString(Qt::ISODate);
        break;
    case SortRole:
        switch (index.column()) {
        case Restarts:
            return pod.restarts;
        case Age:
            // Youngest first when ascending, as "AGE" reads.
            return -pod.created.toMSecsSinceEpoch();
        case Ready:
            return pod.readyContainers * 1000 + pod.totalContainers;
        default:
            return data(index, Qt::DisplayRole);
        }
    case PhaseRole:
        return pod.phase;
    case NamespaceRole:
        return pod.namespaceName;
    case NodeRole:
        return pod.nodeName;
    case KeyRole:
        return pod.key();
    }
    return {};
}

QVariant PodTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("NAME");
    case Namespace:
        return tr("NAMESPACE");
    case Node:
        return tr("NODE");
    case Status:
        return tr("STATUS");
    case Ready:
        return tr("READY");
    case Restarts:
        return tr("RESTARTS");
    case Age:
        return tr("AGE");
    case Ip:
        return tr("IP");
    }
    return {};
}

void PodTableModel::applyChanges(const QList<PodSummary>& upserted, const QStringList& removedKeys)
{
    // Removals: highest rows first, contiguous runs in one beginRemoveRows each.
    QList<int> rows;
    rows.reserve(removedKeys.size());
    for (const QString& key : removedKeys) {
        const int row = m_index.value(key, -1);
        if (row >= 0)
            rows.append(row);
    }
    if (!rows.isEmpty()) {
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        int i = 0;
        while (i < rows.size()) {
            int last = rows.at(i);
            int first = last;
            int j = i + 1;
            while (j < rows.size() && rows.at(j) == first - 1) {
                first = rows.at(j);
                ++j;
            }
            beginRemoveRows({}, first, last);
            for (int r = first; r <= last; ++r)
                m_index.remove(m_rows.at(r).key());
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
            i = j;
        }
        // Rows after the removed ones moved up.
        m_index.clear();
        for (int r = 0; r < m_rows.size(); ++r)
            m_index.insert(m_rows.at(r).key(), r);
    }

    QList<PodSummary> added;
    int minChanged = INT_MAX;
    int maxChanged = -1;
    for (const PodSummary& pod : upserted) {
        const int row = m_index.value(pod.key(), -1);
        if (row < 0) {
            added.append(pod);
            continue;
        }
        m_rows[row] = pod;
        minChanged = std::min(minChanged, row);
        maxChanged = std::max(maxChanged, row);
    }
    if (maxChanged >= 0)
        Q_EMIT dataChanged(index(minChanged, 0), index(maxChanged, ColumnCount - 1));
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const PodSummary& pod : std::as_const(added)) {
            m_index.insert(pod.key(), int(m_rows.size()));
            m_rows.append(pod);
        }
        endInsertRows();
    }
    if (!rows.isEmpty() || !added.isEmpty())
        Q_EMIT countChanged(int(m_rows.size()));
}

void PodTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
    Q_EMIT countChanged(0);
}

const PodSummary* PodTableModel::pod(const QString& key) const
{
    const int row = m_index.value(key, -1);
    return row < 0 ? nullptr : &m_rows.at(row);
}

QStringList PodTableModel::namespaces() const
{
    QSet<QString> set;
    for (const auto& pod : m_rows)
        set.insert(pod.namespaceName);
    QStringList list(set.begin(), set.end());
    list.sort();
    return list;
}

PodFilterModel::PodFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(PodTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void PodFilterModel::setNamespaceFilter(const QString& namespaceName)
{
    m_namespace = namespaceName;
    invalidateFilter();
}

void PodFilterModel::setNodeFilter(const QString& nodeName)
{
    m_node = nodeName;
    invalidateFilter();
}

void PodFilterModel::setPhaseFilter(const QString& phase)
{
    m_phase = phase;
    invalidateFilter();
}

void PodFilterModel::setTextFilter(const QString& text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool PodFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    auto* model = static_cast<PodTableModel*>(sourceModel());
    const PodSummary& pod = model->podAt(sourceRow);
    if (!m_namespace.isEmpty() && pod.namespaceName != m_namespace)
        return false;
    if (!m_node.isEmpty() && pod.nodeName != m_node)
        return false;
    if (!m_phase.isEmpty() && pod.phase != m_phase)
        return false;
    if (!m_text.isEmpty()) {
        const auto cs = Qt::CaseInsensitive;
        if (!pod.name.contains(m_text, cs) && !pod.namespaceName.contains(m_text, cs) &&
            !pod.nodeName.contains(m_text, cs) && !pod.statusText.contains(m_text, cs) &&
            !pod.podIp.contains(m_text, cs))
            return false;
    }
    return true;
}

} // namespace vk::console
