// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QObject>

#include <functional>
#include <memory>

namespace vk {

/// A handle to a call scheduled on a Clock. Destroying the handle does not cancel the call; cancel() does.
class ScheduledCall
{
public:
    ScheduledCall() = default;
    explicit ScheduledCall(std::shared_ptr<bool> alive) : m_alive(std::move(alive)) {}
    void cancel()
    {
        if (m_alive)
            *m_alive = false;
    }
    bool isPending() const { return m_alive && *m_alive; }

private:
    std::shared_ptr<bool> m_alive;
};

/// Where time comes from for everything that waits: leases, pings, backoff, grace periods. Production code uses
/// Clock::system(); tests inject a ManualClock and advance it, so they never sleep.
/// A clock is used from the thread that owns the `context` objects passed to schedule().
class Clock
{
public:
    virtual ~Clock() = default;

    /// Wall-clock time in UTC.
    virtual QDateTime now() const = 0;
    /// Monotonic milliseconds since an arbitrary origin.
    virtual qint64 monotonicMs() const = 0;
    /// Calls fn once after delayMs on context's thread, unless context is destroyed or the call is cancelled first.
    virtual ScheduledCall schedule(qint64 delayMs, QObject* context, std::function<void()> fn) = 0;

    /// The real clock, shared by everyone.
    static Clock* system();
};

/// A clock that only moves when told to. Due calls run, in time order, inside advance().
class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
    ~ManualClock() override;

    QDateTime now() const override;
    qint64 monotonicMs() const override { return m_elapsedMs; }
    ScheduledCall schedule(qint64 delayMs, QObject* context, std::function<void()> fn) override;

    /// Moves time forward by ms, running every call that falls due on the way.
    void advance(qint64 ms);
    /// Number of calls still waiting.
    int pendingCalls() const;

private:
    struct Pending;
    QDateTime m_start;
    qint64 m_elapsedMs = 0;
    quint64 m_sequence = 0;
    std::vector<std::unique_ptr<Pending>> m_pending;
};

} // namespace vk
