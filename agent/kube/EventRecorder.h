// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <deque>
#include <functional>
#include <memory>

namespace vk::kube {

class ApiClient;

/// Records core/v1 Events about objects, as client-go's recorder does for a component ("<node>/pod-controller"):
/// a repeat of the same object, type, reason and message within 10 minutes bumps the existing event's count and
/// lastTimestamp (PATCH) instead of creating another. Writes are fire-and-forget; failures are logged.
///
/// As client-go's broadcaster and sink, writes are queued and sent one at a time (maxInFlight), so a burst of
/// events (one per pod for 1,000 pods) trails behind the controllers' own requests instead of competing with
/// them. A repeat whose create (or count bump) is still queued only updates the queued write. When more than
/// maxQueued writes wait, new events are dropped with a warning (client-go drops beyond 1,000).
class EventRecorder : public QObject
{
    Q_OBJECT

public:
    EventRecorder(ApiClient* client,
                  QString component,
                  QString host = {},
                  Clock* clock = Clock::system(),
                  QObject* parent = nullptr);

    /// type: "Normal" or "Warning". `involved` is the object (v1.Pod JSON, v1.Node JSON, ...).
    void record(const QJsonObject& involved, const QString& type, const QString& reason, const QString& message);

    /// Every event recorded so far through this recorder (reason, message), newest last; for the console's activity
    /// log and for tests.
    Q_SIGNAL void
    recorded(const QJsonObject& involved, const QString& type, const QString& reason, const QString& message);

    /// Writes sent at the same time (default 1, as client-go's sink); at least 1.
    void setMaxInFlight(int writes);
    int maxInFlight() const { return m_maxInFlight; }
    /// Writes allowed to wait (default 10,000); beyond, events are dropped.
    void setMaxQueued(int writes) { m_maxQueued = writes; }
    /// Writes waiting to be sent, and sent but not answered.
    int queuedWrites() const { return int(m_queue.size()); }
    int writesInFlight() const { return m_inFlight; }
    /// Events dropped because the queue was full.
    int droppedEvents() const { return m_dropped; }

    /// Lets more urgent writes go first: while busy() is true no event write is started, for at most maxYieldMs
    /// at a time (after that events flow again until busy() has been false once). Events wait; none is dropped for
    /// it, and their timestamps are those of record(). Call resume() when busy() may have become false.
    void setYieldWhile(std::function<bool()> busy, qint64 maxYieldMs = 1000);
    void resume() { pump(); }

private:
    /// What a new Event says, kept as its few fields until it is sent: the JSON is built then, off the busy path
    /// that recorded it (events wait behind status writes under a burst).
    struct NewEvent
    {
        QString involvedKind, involvedApiVersion, involvedNamespace, involvedName, involvedResourceVersion;
        QString involvedUid;
        QString type;
        QString message;
        QString firstTimestamp;
    };
    struct Write
    {
        QString key;                           ///< the Seen key
        std::shared_ptr<const NewEvent> event; ///< a create; empty for a count bump
        QString namespaceName;
        QString name;
        QString reason;
    };
    QByteArray eventJson(const Write& write, int count, const QString& lastTimestamp) const;
    struct Seen
    {
        QString namespaceName;
        QString name;
        int count = 1;
        qint64 lastMs = 0;
        QString lastTimestamp;
        bool queued = false; ///< a write for it waits in m_queue (it reads count/lastTimestamp when sent)
    };
    void pump();
    bool yielding();
    void send(Write write);

    ApiClient* m_client;
    QString m_component;
    QString m_host;
    Clock* m_clock;
    QHash<QString, Seen> m_seen;
    std::deque<Write> m_queue;
    int m_inFlight = 0;
    int m_maxInFlight = 1;
    int m_maxQueued = 10000;
    int m_dropped = 0;
    std::function<bool()> m_busy;
    qint64 m_maxYieldMs = 1000;
    qint64 m_yieldSinceMs = -1; ///< when the current yield began; -1: not yielding
    bool m_yieldExpired = false;
    ScheduledCall m_yieldTimer;
};

} // namespace vk::kube
