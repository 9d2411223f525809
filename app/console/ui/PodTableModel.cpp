// SPDX-License-Identifier: Apache-2.0
#include "PodTableModel.h"
#include "ConsoleStyle.h"

#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace vk::console {

PodTableModel::PodTableModel(QObject* parent) : QAbstractTableModel(parent)
{
    // AGE moves on by itself. Not a dataChanged: a proxy sorted by age (the default) would re-sort every row each
    // time, though the order (by creation time) never changes; views repaint instead.
    m_ageTimer.setInterval(5000);
    connect(&m_ageTimer, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            Q_EMIT agesAdvanced();
    });
    m_ageTimer.start();
}

uint PodTableModel::changedColumns(const PodSummary& before, const PodSummary& after)
{
    if (before.terminating != after.terminating)
        return (1u << ColumnCount) - 1; // every cell's colour
    uint columns = 0;
    auto mark = [&columns](bool changed, Column column) {
        if (changed)
            columns |= 1u << column;
    };
    mark(before.name != after.name, Name);
    mark(before.namespaceName != after.namespaceName, Namespace);
    mark(before.nodeName != after.nodeName, Node);
    mark(before.statusText != after.statusText || before.phase != after.phase, Status);
    mark(before.readyContainers != after.readyContainers || before.totalContainers != after.totalContainers, Ready);
    mark(before.restarts != after.restarts, Restarts);
    mark(before.created != after.created, Age);
    mark(before.podIp != after.podIp, Ip);
    return columns;
}

void PodTableModel::emitChanged(const QList<std::pair<int, uint>>& rows)
{
    // Consecutive rows with the same changed columns share a signal; each contiguous run of columns is its own,
    // so that a change of STATUS and IP does not touch AGE between them (a proxy re-sorts the rows of a signal
    // that spans its sort column).
    qsizetype i = 0;
    while (i < rows.size()) {
        const int first = rows.at(i).first;
        const uint columns = rows.at(i).second;
        qsizetype j = i + 1;
        while (j < rows.size() && rows.at(j).first == rows.at(j - 1).first + 1 && rows.at(j).second == columns)
            ++j;
        const int last = rows.at(j - 1).first;
        for (int column = 0; column < ColumnCount;) {
            if (!(columns & (1u << column))) {
                ++column;
                continue;
            }
            int end = column;
            while (end + 1 < ColumnCount && (columns & (1u << (end + 1))))
                ++end;
            Q_EMIT dataChanged(index(first, column), index(last, end));
            column = end + 1;
        }
        i = j;
    }
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
            for (int r = first; r <= last; ++r) {
                m_index.remove(m_keys.at(r));
                forgetNamespace(m_rows.at(r).namespaceName);
            }
            m_rows.remove(first, last - first + 1);
            m_keys.remove(first, last - first + 1);
            endRemoveRows();
            i = j;
        }
        // Rows after the lowest removed one moved up (updating entries in place: no rehashing).
        for (int r = rows.constLast(); r < m_rows.size(); ++r)
            m_index[m_keys.at(r)] = r;
    }

    QList<PodSummary> added;
    QList<std::pair<int, uint>> changed; // row, changed columns
    const int oldCount = int(m_rows.size());
    for (const PodSummary& pod : upserted) {
        const QString key = pod.key();
        const int row = m_index.value(key, -1);
        if (row >= oldCount) {
            added[row - oldCount] = pod; // new in this batch, and again later in it
            continue;
        }
        if (row < 0) {
            m_index.insert(key, oldCount + int(added.size()));
            added.append(pod);
            continue;
        }
        if (const uint columns = changedColumns(m_rows.at(row), pod))
            changed.append({row, columns});
        m_rows[row] = pod;
    }
    // Rows first: the index already names them, and whoever handles dataChanged may look a key up.
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const PodSummary& pod : std::as_const(added)) {
            m_keys.append(pod.key());
            ++m_namespaces[pod.namespaceName];
            m_rows.append(pod);
        }
        endInsertRows();
    }
    if (!changed.isEmpty()) {
        std::sort(changed.begin(), changed.end());
        // The same pod twice in one batch: one entry, with both changes' columns.
        qsizetype out = 0;
        for (qsizetype in = 0; in < changed.size(); ++in) {
            if (out > 0 && changed.at(out - 1).first == changed.at(in).first)
                changed[out - 1].second |= changed.at(in).second;
            else
                changed[out++] = changed.at(in);
        }
        changed.resize(out);
        emitChanged(changed);
    }
    if (!rows.isEmpty() || !added.isEmpty())
        Q_EMIT countChanged(int(m_rows.size()));
}

void PodTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_keys.clear();
    m_index.clear();
    m_namespaces.clear();
    endResetModel();
    Q_EMIT countChanged(0);
}

const PodSummary* PodTableModel::pod(const QString& key) const
{
    const int row = m_index.value(key, -1);
    return row < 0 || row >= m_rows.size() ? nullptr : &m_rows.at(row); // (a row about to be inserted: not yet)
}

QStringList PodTableModel::namespaces() const
{
    return m_namespaces.keys();
}

void PodTableModel::forgetNamespace(const QString& namespaceName)
{
    auto it = m_namespaces.find(namespaceName);
    if (it != m_namespaces.end() && --it.value() <= 0)
        m_namespaces.erase(it);
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
