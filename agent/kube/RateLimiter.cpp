// SPDX-License-Identifier: Apache-2.0
#include "kube/RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace vk::kube {

namespace {
constexpr double kEpsilon = 1e-9;
}

RateLimiter::RateLimiter(double qps, int burst, Clock* clock, QObject* parent)
    : QObject(parent), m_qps(qps), m_burst(std::max(1, burst)), m_clock(clock ? clock : Clock::system()),
      m_tokens(m_burst), m_lastRefillMs(m_clock->monotonicMs())
{}

RateLimiter::~RateLimiter()
{
    m_wake.cancel();
}

void RateLimiter::refill() const
{
    const qint64 now = m_clock->monotonicMs();
    if (now > m_lastRefillMs && m_qps > 0) {
        m_tokens = std::min<double>(m_burst, m_tokens + double(now - m_lastRefillMs) * m_qps / 1000.0);
    }
    m_lastRefillMs = std::max(now, m_lastRefillMs);
}

double RateLimiter::availableTokens() const
{
    if (m_qps <= 0)
        return m_burst;
    refill();
    return m_tokens;
}

int RateLimiter::waiting() const
{
    return int(
        std::count_if(m_waiters.begin(), m_waiters.end(), [](const Waiter& w) { return !w.hadContext || w.context; }));
}

bool RateLimiter::tryAcquire()
{
    if (m_qps <= 0)
        return true;
    dropDeadWaiters();
    if (!m_waiters.empty())
        return false;
    refill();
    if (m_tokens + kEpsilon < 1.0)
        return false;
    m_tokens = std::max(0.0, m_tokens - 1.0);
    return true;
}

void RateLimiter::acquire(QObject* context, std::function<void()> fn)
{
    if (tryAcquire()) {
        fn();
        return;
    }
    m_waiters.push_back(Waiter{context, context != nullptr, std::move(fn)});
    scheduleWake();
}

void RateLimiter::dropDeadWaiters()
{
    std::erase_if(m_waiters, [](const Waiter& w) { return w.hadContext && !w.context; });
}

void RateLimiter::serve()
{
    dropDeadWaiters();
    refill();
    while (!m_waiters.empty() && m_tokens + kEpsilon >= 1.0) {
        Waiter waiter = std::move(m_waiters.front());
        m_waiters.pop_front();
        if (waiter.hadContext && !waiter.context)
            continue;
        m_tokens = std::max(0.0, m_tokens - 1.0);
        waiter.fn(); // may add waiters or destroy contexts; the loop re-checks
        dropDeadWaiters();
    }
    if (!m_waiters.empty())
        scheduleWake();
}

void RateLimiter::scheduleWake()
{
    if (m_wake.isPending() || m_waiters.empty())
        return;
    refill();
    const double missing = std::max(0.0, 1.0 - m_tokens);
    const auto delayMs = qint64(std::ceil(missing * 1000.0 / m_qps - kEpsilon));
    m_wake = m_clock->schedule(std::max<qint64>(0, delayMs), this, [this] { serve(); });
}

} // namespace vk::kube
