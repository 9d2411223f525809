// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QMap>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace vk::console {

/// The live pod table: one row per pod, updated in batches (applyChanges) so 10,000 rows stay smooth. Rows are
/// appended and never reordered here; sorting and filtering is PodFilterModel's job.
class PodTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        Namespace,
        Node,
        Status,
        Ready,
        Restarts,
        Age,
        Ip,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        PhaseRole,
        NamespaceRole,
        NodeRole,
        KeyRole,
    };

    explicit PodTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applyChanges(const QList<PodSummary>& upserted, const QStringList& removedKeys);
    void clear();

    const PodSummary* pod(const QString& key) const;
    const PodSummary& podAt(int row) const { return m_rows.at(row); }
    int rowOf(const QString& key) const { return m_index.value(key, -1); }
    QStringList namespaces() const;

    /// "3s", "5m", "2h", "4d" as kubectl's AGE column.
    static QString humanAge(qint64 seconds);
    /// The colour of a phase/status, shared by the table, the timeline and the tree.
    static QColor phaseColor(const QString& phase, const QString& statusText = {});

    /// Which columns (bit per Column) show something different for `after` than for `before`.
    static uint changedColumns(const PodSummary& before, const PodSummary& after);

Q_SIGNALS:
    void countChanged(int count);
    /// Every few seconds while there are rows: AGE, computed when read, may read differently; repaint it. (Not a
    /// dataChanged, which would make a proxy sorted by age re-sort every row.)
    void agesAdvanced();

private:
    void emitChanged(const QList<std::pair<int, uint>>& rows);

    void forgetNamespace(const QString& namespaceName);

    QList<PodSummary> m_rows;
    QStringList m_keys;              ///< m_rows' keys ("ns/name"), row for row
    QHash<QString, int> m_index;     ///< key -> row
    QMap<QString, int> m_namespaces; ///< namespace -> rows in it (the namespace filter's choices, sorted)
    QTimer m_ageTimer;
};

/// Filters by namespace, node, phase and free text (name, namespace, node, status, IP), and sorts by the raw
/// values (age by creation time, restarts numerically).
class PodFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit PodFilterModel(QObject* parent = nullptr);

    void setNamespaceFilter(const QString& namespaceName); ///< empty: all
    void setNodeFilter(const QString& nodeName);           ///< empty: all
    void setPhaseFilter(const QString& phase);             ///< empty: all
    void setTextFilter(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_namespace;
    QString m_node;
    QString m_phase;
    QString m_text;
};

} // namespace vk::console
