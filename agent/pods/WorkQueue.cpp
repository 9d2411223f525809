// SPDX-License-Identifier: Apache-2.0
#include "pods/WorkQueue.h"

#include "pods/Logging.h"

#include <QPointer>

#include <algorithm>
#include <cmath>
#include <memory>

namespace vk::pods {

WorkQueue::WorkQueue(Handler handler, Options options, QObject* parent)
    : QObject(parent), m_handler(std::move(handler)), m_options(options)
{
    if (!m_options.clock)
        m_options.clock = Clock::system();
    m_options.maxConcurrent = std::max(1, m_options.maxConcurrent);
    m_options.baseDelayMs = std::max<qint64>(1, m_options.baseDelayMs);
    m_options.maxDelayMs = std::max(m_options.baseDelayMs, m_options.maxDelayMs);
    m_tokens = std::max(1, m_options.retryBurst);
    m_lastRefillMs = m_options.clock->monotonicMs();
}

WorkQueue::~WorkQueue()
{
    for (auto& d : m_delayed)
        d.call.cancel();
}

void WorkQueue::enqueue(const QString& key)
{
    if (m_processing.contains(key)) {
        m_dirty.insert(key);
        return;
    }
    if (m_queued.contains(key))
        return;
    m_queued.insert(key);
    m_queue.push_back(key);
    kick();
}

void WorkQueue::enqueueAfter(const QString& key, qint64 delayMs)
{
    if (delayMs <= 0) {
        enqueue(key);
        return;
    }
    const qint64 due = m_options.clock->monotonicMs() + delayMs;
    auto it = m_delayed.find(key);
    if (it != m_delayed.end()) {
        if (it->dueMs <= due && it->call.isPending())
            return;
        it->call.cancel();
    }
    Delayed d;
    d.dueMs = due;
    d.call = m_options.clock->schedule(delayMs, this, [this, key] {
        m_delayed.remove(key);
        enqueue(key);
    });
    m_delayed.insert(key, d);
}

void WorkQueue::forget(const QString& key)
{
    m_failures.remove(key);
}

int WorkQueue::failures(const QString& key) const
{
    return m_failures.value(key);
}

qint64 WorkQueue::nextBackoffMs(const QString& key) const
{
    const int n = m_failures.value(key);
    // base * 2^n, computed without overflow.
    double delay = double(m_options.baseDelayMs) * std::pow(2.0, std::min(n, 62));
    return delay >= double(m_options.maxDelayMs) ? m_options.maxDelayMs : qint64(delay);
}

void WorkQueue::pause()
{
    m_paused = true;
}

void WorkQueue::resume()
{
    m_paused = false;
    kick();
}

void WorkQueue::kick()
{
    if (m_kickPending || m_paused)
        return;
    m_kickPending = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_kickPending = false;
            dispatch();
        },
        Qt::QueuedConnection);
}

void WorkQueue::dispatch()
{
    if (m_dispatching || m_paused)
        return;
    m_dispatching = true;
    while (!m_paused && !m_queue.empty() && int(m_processing.size()) < m_options.maxConcurrent) {
        const QString key = m_queue.front();
        m_queue.pop_front();
        m_queued.remove(key);
        m_processing.insert(key);
        auto called = std::make_shared<bool>(false);
        QPointer<WorkQueue> self(this);
        m_handler(key, [self, key, called](Status status) {
            if (*called || !self)
                return;
            *called = true;
            self->finish(key, status);
        });
    }
    m_dispatching = false;
}

void WorkQueue::finish(const QString& key, const Status& status)
{
    m_processing.remove(key);
    if (status.ok()) {
        m_failures.remove(key);
    } else {
        const qint64 backoff = nextBackoffMs(key);
        m_failures[key] += 1;
        const qint64 delay = std::max(backoff, reserveRetryToken());
        qCDebug(lcPods) << "retrying" << key << "in" << delay << "ms after failure" << m_failures.value(key) << ":"
                        << status.error().toString();
        if (!m_dirty.contains(key))
            enqueueAfter(key, delay);
    }
    if (m_dirty.remove(key)) {
        // Changed while running: run again now (a failure's backoff does not hold back a new change).
        enqueue(key);
    }
    Q_EMIT processed(key, status.ok());
    if (m_dispatching)
        return; // the dispatch loop in progress picks up the freed slot
    kick();
}

qint64 WorkQueue::reserveRetryToken()
{
    if (m_options.retryQps <= 0)
        return 0;
    const qint64 now = m_options.clock->monotonicMs();
    const double burst = std::max(1, m_options.retryBurst);
    m_tokens = std::min(burst, m_tokens + double(now - m_lastRefillMs) * m_options.retryQps / 1000.0);
    m_lastRefillMs = now;
    m_tokens -= 1.0;
    if (m_tokens >= 0)
        return 0;
    return qint64(std::ceil(-m_tokens * 1000.0 / m_options.retryQps));
}

} // namespace vk::pods
