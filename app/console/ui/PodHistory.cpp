// SPDX-License-Identifier: Apache-2.0
#include "PodHistory.h"

#include "ConsoleStyle.h"

#include <algorithm>

namespace vk::console {

namespace {

QString serverTime(const QDateTime& time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

} // namespace

LifecycleRecord::Lane& LifecycleRecord::lane(const QString& name)
{
    for (auto& l : lanes) {
        if (l.name == name)
            return l;
    }
    lanes.append(Lane{name, {}, {}});
    return lanes.last();
}

const LifecycleRecord::Lane* LifecycleRecord::findLane(const QString& name) const
{
    for (const auto& l : lanes) {
        if (l.name == name)
            return &l;
    }
    return nullptr;
}

std::pair<qint64, qint64> LifecycleRecord::span(qint64 nowMs) const
{
    qint64 first = createdMs > 0 ? createdMs : nowMs;
    qint64 last = deletedMs > 0 ? deletedMs : nowMs;
    for (const auto& l : lanes) {
        for (const auto& s : l.segments) {
            first = std::min(first, s.startMs);
            last = std::max(last, s.endMs < 0 ? (deletedMs > 0 ? deletedMs : nowMs) : s.endMs);
        }
        for (const auto& m : l.markers) {
            first = std::min(first, m.atMs);
            last = std::max(last, m.atMs);
        }
    }
    return {first, std::max(last, first + 1)};
}

PodHistory::PodHistory(QObject* parent) : QObject(parent) {}

template <typename T>
void PodHistory::trimOldest(QList<T>& entries) const
{
    if (entries.size() > m_maxEntriesPerLane)
        entries.remove(0, entries.size() - m_maxEntriesPerLane * 3 / 4);
}

void PodHistory::transition(
    LifecycleRecord::Lane& lane, const QString& state, const QString& label, qint64 atMs, const QString& detail)
{
    if (!lane.segments.isEmpty()) {
        auto& last = lane.segments.last();
        if (last.state == state && last.label == label) {
            last.detail = detail;
            return;
        }
        atMs = std::max(atMs, last.startMs);
        if (last.endMs < 0)
            last.endMs = atMs;
    }
    lane.segments.append({label, state, atMs, -1, detail});
    trimOldest(lane.segments);
}

void PodHistory::observe(const PodSummary& pod)
{
    const QString key = pod.key();
    auto it = m_records.find(key);
    const bool firstSight = it == m_records.end() || it->uid != pod.uid;
    if (firstSight) {
        if (it != m_records.end()) {
            m_deletedOrder.removeAll(key);
            m_records.erase(it);
        }
        LifecycleRecord record;
        record.key = key;
        record.uid = pod.uid;
        record.createdMs = pod.created.isValid() ? pod.created.toMSecsSinceEpoch() : pod.observedMs;
        record.lane(QStringLiteral("Phase"));
        it = m_records.insert(key, record);
    }
    LifecycleRecord& record = *it;
    record.nodeName = pod.nodeName;
    record.currentPhase = pod.phase;
    // On first sight the server's times place what already happened; afterwards the time the console saw it.
    auto when = [&](const QDateTime& serverTime) {
        if (firstSight && serverTime.isValid())
            return std::min(serverTime.toMSecsSinceEpoch(), pod.observedMs);
        return pod.observedMs;
    };

    const QString phaseLabel = pod.terminating ? QStringLiteral("%1 (terminating)").arg(pod.phase) : pod.phase;
    transition(record.lane(QStringLiteral("Phase")), pod.terminating ? QStringLiteral("Terminating") : pod.phase,
               phaseLabel, firstSight ? record.createdMs : pod.observedMs,
               tr("%1 — STATUS %2").arg(phaseLabel, pod.statusText));

    for (const ConditionSummary& c : pod.conditions) {
        QString detail = tr("%1=%2").arg(c.type, c.status);
        if (!c.reason.isEmpty())
            detail += tr("\nreason: %1").arg(c.reason);
        if (!c.message.isEmpty())
            detail += tr("\nmessage: %1").arg(c.message);
        if (c.lastTransitionTime.isValid())
            detail += tr("\nlastTransitionTime: %1").arg(serverTime(c.lastTransitionTime));
        transition(record.lane(c.type), c.status, c.status, when(c.lastTransitionTime), detail);
    }

    for (const ContainerStateSummary& c : pod.containers) {
        QString state = c.state.isEmpty() ? QStringLiteral("waiting") : c.state;
        QString label = state;
        if (!c.reason.isEmpty())
            label += QStringLiteral(": ") + c.reason;
        if (c.state == QLatin1String("running"))
            label = c.ready ? tr("running, ready") : (c.started ? tr("running, not ready") : tr("running, starting"));
        if (c.state == QLatin1String("terminated"))
            label = tr("terminated: %1 (exit %2)").arg(c.reason.isEmpty() ? tr("exited") : c.reason).arg(c.exitCode);
        QString detail = tr("container %1: %2").arg(c.name, label);
        if (c.restartCount > 0)
            detail += tr("\nrestarts: %1").arg(c.restartCount);
        if (c.startedAt.isValid())
            detail += tr("\nstartedAt: %1").arg(serverTime(c.startedAt));
        if (c.finishedAt.isValid())
            detail += tr("\nfinishedAt: %1").arg(serverTime(c.finishedAt));
        if (!c.message.isEmpty())
            detail += tr("\nmessage: %1").arg(c.message);
        const QDateTime server = c.state == QLatin1String("terminated") ? c.finishedAt : c.startedAt;
        // A restart count change is a new segment even when the state reads the same.
        transition(record.lane(tr("Container %1").arg(c.name)),
                   state + QStringLiteral("#%1").arg(c.restartCount) + (c.ready ? QStringLiteral("+") : QString()),
                   label, when(server), detail);
    }

    if (firstSight) {
        for (const EventSummary& e : m_earlyEvents.take(key))
            addEvent(e);
    }
    Q_EMIT changed(key);
}

void PodHistory::observeRemoved(const QString& key, qint64 atMs)
{
    auto it = m_records.find(key);
    if (it == m_records.end())
        return;
    it->deletedMs = atMs;
    for (auto& lane : it->lanes) {
        if (!lane.segments.isEmpty() && lane.segments.last().endMs < 0)
            lane.segments.last().endMs = std::max(atMs, lane.segments.last().startMs);
    }
    it->lane(QStringLiteral("Events"))
        .markers.append({tr("Deleted"), atMs, tr("removed from the API at %1").arg(style::exactTime(atMs)), false});
    m_deletedOrder.removeAll(key);
    m_deletedOrder.append(key);
    pruneDeleted();
    Q_EMIT changed(key);
}

void PodHistory::addEvent(const EventSummary& event)
{
    if (event.involvedKind != QLatin1String("Pod"))
        return;
    const QString key = event.involvedKey();
    auto it = m_records.find(key);
    if (it == m_records.end() || (!event.involvedUid.isEmpty() && !it->uid.isEmpty() && it->uid != event.involvedUid)) {
        auto& early = m_earlyEvents[key];
        if (early.size() < 50)
            early.append(event);
        return;
    }
    const qint64 at =
        event.lastTime.isValid() ? event.lastTime.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    auto& lane = it->lane(QStringLiteral("Events"));
    QString detail =
        tr("%1 %2 (%3)\n%4\nat %5").arg(event.type, event.reason, event.source, event.message, style::exactTime(at));
    if (event.count > 1)
        detail += tr("\nseen %1 times").arg(event.count);
    // An aggregated event (count > 1) updates its marker instead of adding one.
    for (auto& marker : lane.markers) {
        if (marker.label == event.reason && marker.detail.section(QLatin1Char('\n'), 1, 1) == event.message) {
            marker.atMs = at;
            marker.detail = detail;
            Q_EMIT changed(key);
            return;
        }
    }
    lane.markers.append({event.reason, at, detail, event.type == QLatin1String("Warning")});
    trimOldest(lane.markers);
    Q_EMIT changed(key);
}

void PodHistory::clear()
{
    m_records.clear();
    m_earlyEvents.clear();
    m_deletedOrder.clear();
    Q_EMIT changed({});
}

const LifecycleRecord* PodHistory::record(const QString& key) const
{
    auto it = m_records.constFind(key);
    return it == m_records.constEnd() ? nullptr : &*it;
}

QStringList PodHistory::keysOnNode(const QString& nodeName) const
{
    QList<const LifecycleRecord*> records;
    for (const auto& r : m_records) {
        if (r.nodeName == nodeName)
            records.append(&r);
    }
    std::sort(records.begin(), records.end(), [](const LifecycleRecord* a, const LifecycleRecord* b) {
        return a->createdMs != b->createdMs ? a->createdMs < b->createdMs : a->key < b->key;
    });
    QStringList keys;
    for (const auto* r : records)
        keys.append(r->key);
    return keys;
}

void PodHistory::pruneDeleted()
{
    while (m_deletedOrder.size() > m_maxDeletedKept)
        m_records.remove(m_deletedOrder.takeFirst());
}

} // namespace vk::console
