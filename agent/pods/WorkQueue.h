// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include <deque>
#include <functional>

namespace vk::pods {

/// A keyed work queue as client-go's rate-limited workqueue, with asynchronous handlers:
/// - a key queued twice runs once; a key added while its handler runs is marked dirty and runs again afterwards;
/// - at most `maxConcurrent` keys are processed at the same time, in FIFO order;
/// - a handler that reports an error is retried after a per-key exponential backoff (base doubling to `maxDelayMs`,
///   then retried at the cap forever — a key is never dropped), further delayed by an overall token bucket
///   (qps/burst) so retries of many keys cannot storm; success resets the key's backoff.
/// All timing goes through the injected Clock. Handlers start from the event loop (never inside enqueue()).
class WorkQueue : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const QString& key, std::function<void(vk::Status)> done)>;

    struct Options
    {
        int maxConcurrent = 10;
        qint64 baseDelayMs = 5;
        qint64 maxDelayMs = 30000;
        double retryQps = 10; ///< token bucket for retries; <= 0: unlimited
        int retryBurst = 100;
        Clock* clock = Clock::system();
    };

    WorkQueue(Handler handler, Options options, QObject* parent = nullptr);
    ~WorkQueue() override;

    /// Queues the key now (no-op when already queued; marks it dirty while it is being processed).
    void enqueue(const QString& key);
    /// Queues the key after delayMs (<= 0: now). An earlier pending delay for the key wins.
    void enqueueAfter(const QString& key, qint64 delayMs);
    /// Resets the key's failure count (the next failure waits the base delay again). Does not unqueue it.
    void forget(const QString& key);
    /// Failures since the last success or forget().
    int failures(const QString& key) const;
    /// The backoff the key's next failure would wait, without the token bucket.
    qint64 nextBackoffMs(const QString& key) const;

    /// Stops starting handlers (running ones finish; their done() is accepted). enqueue() still records keys.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }

    /// Keys waiting to run now.
    int queuedLength() const { return int(m_queue.size()); }
    /// Keys waiting for a delay (enqueueAfter or a retry backoff).
    int delayedLength() const { return int(m_delayed.size()); }
    /// Keys whose handler is running.
    int processingLength() const { return int(m_processing.size()); }
    /// Nothing queued, delayed or running.
    bool isIdle() const { return m_queue.empty() && m_delayed.isEmpty() && m_processing.isEmpty(); }
    bool isQueued(const QString& key) const { return m_queued.contains(key); }
    bool isProcessing(const QString& key) const { return m_processing.contains(key); }

    const Options& options() const { return m_options; }

Q_SIGNALS:
    /// A handler finished (for metrics and tests).
    void processed(const QString& key, bool ok);

private:
    struct Delayed
    {
        qint64 dueMs = 0;
        ScheduledCall call;
    };

    void kick();
    void dispatch();
    void finish(const QString& key, const Status& status);
    qint64 reserveRetryToken();

    Handler m_handler;
    Options m_options;
    std::deque<QString> m_queue;
    QSet<QString> m_queued;
    QSet<QString> m_processing;
    QSet<QString> m_dirty;
    QHash<QString, int> m_failures;
    QHash<QString, Delayed> m_delayed;
    double m_tokens = 0;
    qint64 m_lastRefillMs = 0;
    bool m_kickPending = false;
    bool m_dispatching = false;
    bool m_paused = false;
};

} // namespace vk::pods
