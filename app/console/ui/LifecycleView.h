// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "PodHistory.h"

#include <QTimer>
#include <QWidget>

namespace vk::console {

/// The lifecycle drawn on a time axis (QPainter): for one pod, a lane per phase, condition, container and the
/// events; for a node, one row per pod with its phases and events. Live while it happens (open segments grow with
/// the clock); hovering shows exact times and messages.
class LifecycleView : public QWidget
{
    Q_OBJECT

public:
    explicit LifecycleView(PodHistory* history, QWidget* parent = nullptr);

    void showPod(const QString& key);
    void showNode(const QString& nodeName);
    void clearSubject();
    QString subject() const { return m_podKey.isEmpty() ? m_nodeName : m_podKey; }
    bool showingNode() const { return !m_nodeName.isEmpty(); }

    /// The rows currently drawn (lane names for a pod, pod keys for a node), for tests and accessibility.
    QStringList rowNames() const;
    /// The tooltip text at a point (what hovering shows), empty when nothing is there.
    QString toolTipAt(const QPoint& point) const;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void showEvent(QShowEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Row
    {
        QString name;
        const LifecycleRecord* record;
        const LifecycleRecord::Lane* lane;   ///< for a pod: that lane; for a node: the Phase lane
        const LifecycleRecord::Lane* events; ///< for a node: the pod's Events lane
    };
    /// The rows, computed once after each change of the history (pointers into it are valid until the next).
    const QList<Row>& rows() const;
    QList<Row> computeRows() const;
    /// A history change: the rows are recomputed, the size re-checked and the view repainted once per event-loop
    /// pass, however many pods changed in it.
    void historyChanged();
    QRectF plotArea() const;
    double xOf(qint64 ms, qint64 from, qint64 to, const QRectF& area) const;
    std::pair<qint64, qint64> timeRange(const QList<Row>& rows) const;
    QColor colorOf(const QString& state) const;

    PodHistory* m_history;
    QString m_podKey;
    QString m_nodeName;
    QTimer m_liveTimer;
    mutable QList<Row> m_rows;
    mutable bool m_rowsStale = true;
    int m_rowCountShown = -1; ///< the row count the size hint was last given for
    bool m_refreshQueued = false;
    bool m_refreshWhenShown = false; ///< history changed while hidden (another tab): rows are recomputed on show
    static constexpr int kRowHeight = 22;
    static constexpr int kLabelWidth = 170;
    static constexpr int kAxisHeight = 24;
};

} // namespace vk::console
