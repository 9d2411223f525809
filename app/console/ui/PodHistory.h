// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QHash>
#include <QObject>

#include <algorithm>

namespace vk::console {

/// What happened to one pod, as lanes on a time axis: the phase, each condition, each container's state, and
/// events as markers. Built from the successive states the console sees (PodHistory::observe).
struct LifecycleRecord
{
    struct Segment
    {
        QString label; ///< "Running", "waiting: ContainerCreating", "True"
        QString state; ///< what colours it: a phase, or True/False/Unknown, or running/waiting/terminated
        qint64 startMs = 0;
        qint64 endMs = -1; ///< -1: still going
        QString detail;    ///< tooltip text (reason, message, server time)
    };
    struct Marker
    {
        QString label;
        qint64 atMs = 0;
        QString detail;
        bool warning = false;
    };
    struct Lane
    {
        QString name; ///< "Phase", "Ready", "Container web", "Events"
        QList<Segment> segments;
        QList<Marker> markers;
    };

    QString key;
    QString uid;
    QString nodeName;
    qint64 createdMs = 0;
    qint64 deletedMs = -1;
    QString currentPhase;
    QList<Lane> lanes;

    Lane& lane(const QString& name);
    const Lane* findLane(const QString& name) const;
    /// Earliest and latest time on any lane (latest: `nowMs` while something is still going).
    std::pair<qint64, qint64> span(qint64 nowMs) const;
};

/// Lifecycle records of every pod the console has seen, fed by the pod and event streams. Deleted pods are kept
/// (up to a limit) so their whole lifecycle can still be looked at.
class PodHistory : public QObject
{
    Q_OBJECT

public:
    explicit PodHistory(QObject* parent = nullptr);

    void observe(const PodSummary& pod);
    void observeRemoved(const QString& key, qint64 atMs);
    void addEvent(const EventSummary& event);
    void clear();

    const LifecycleRecord* record(const QString& key) const;
    /// Keys of pods (live or recently deleted) bound to this node, oldest first.
    QStringList keysOnNode(const QString& nodeName) const;
    void setMaxDeletedKept(int count) { m_maxDeletedKept = count; }
    /// Segments (and, separately, event markers) kept per lane: a pod that restarts every few seconds would
    /// otherwise grow without end. The oldest quarter goes when a lane is over.
    void setMaxEntriesPerLane(int count) { m_maxEntriesPerLane = std::max(4, count); }

Q_SIGNALS:
    /// A record changed, was added or removed (key empty: all were cleared). Pointers from record() may be stale.
    void changed(const QString& key);

private:
    void transition(
        LifecycleRecord::Lane& lane, const QString& state, const QString& label, qint64 atMs, const QString& detail);
    void pruneDeleted();
    template <typename T>
    void trimOldest(QList<T>& entries) const;

    QHash<QString, LifecycleRecord> m_records;
    QHash<QString, QList<EventSummary>> m_earlyEvents; ///< events that came before their pod
    QStringList m_deletedOrder;
    int m_maxDeletedKept = 2000;
    int m_maxEntriesPerLane = 200;
};

} // namespace vk::console
