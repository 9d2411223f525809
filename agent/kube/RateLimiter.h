// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"

#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>

namespace vk::kube {

/// A token bucket, as client-go's flowcontrol: up to `burst` requests at once, then `qps` per second. Waiters
/// are served strictly in arrival order through calls scheduled on the injected Clock; nobody blocks.
/// qps <= 0 disables limiting. Lives on the thread of its owner.
class RateLimiter : public QObject
{
    Q_OBJECT

public:
    RateLimiter(double qps, int burst, Clock* clock = Clock::system(), QObject* parent = nullptr);
    ~RateLimiter() override;

    /// Calls fn once a token is available: synchronously when one is free and nobody waits, otherwise later
    /// from the clock, FIFO. fn is dropped when `context` (if not null) is destroyed first.
    void acquire(QObject* context, std::function<void()> fn);
    /// Takes a token only if one is free now and nobody waits.
    bool tryAcquire();

    /// Requests waiting for a token.
    int waiting() const;
    /// Tokens available now (fractional), after refilling for the time elapsed.
    double availableTokens() const;

    double qps() const { return m_qps; }
    int burst() const { return m_burst; }

private:
    struct Waiter
    {
        QPointer<QObject> context;
        bool hadContext = false;
        std::function<void()> fn;
    };

    void refill() const;
    void dropDeadWaiters();
    void serve();
    void scheduleWake();

    double m_qps;
    int m_burst;
    Clock* m_clock;
    mutable double m_tokens;
    mutable qint64 m_lastRefillMs;
    std::deque<Waiter> m_waiters;
    ScheduledCall m_wake;
};

} // namespace vk::kube
