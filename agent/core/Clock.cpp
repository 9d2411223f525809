// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <algorithm>

namespace vk {

namespace {

class SystemClock final : public Clock
{
public:
    SystemClock() { m_timer.start(); }

    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }

    ScheduledCall schedule(qint64 delayMs, QObject* context, std::function<void()> fn) override
    {
        auto alive = std::make_shared<bool>(true);
        QTimer::singleShot(std::chrono::milliseconds(std::max<qint64>(0, delayMs)), context,
                           [alive, fn = std::move(fn)] {
                               if (*alive) {
                                   *alive = false;
                                   fn();
                               }
                           });
        return ScheduledCall(alive);
    }

private:
    QElapsedTimer m_timer;
};

} // namespace

Clock* Clock::system()
{
    static SystemClock clock;
    return &clock;
}

struct ManualClock::Pending
{
    qint64 dueMs;
    quint64 sequence;
    QPointer<QObject> context;
    bool hadContext;
    std::shared_ptr<bool> alive;
    std::function<void()> fn;
};

ManualClock::ManualClock(QDateTime start) : m_start(std::move(start)) {}

ManualClock::~ManualClock() = default;

QDateTime ManualClock::now() const
{
    return m_start.addMSecs(m_elapsedMs);
}

ScheduledCall ManualClock::schedule(qint64 delayMs, QObject* context, std::function<void()> fn)
{
    auto alive = std::make_shared<bool>(true);
    m_pending.push_back(std::make_unique<Pending>(Pending{m_elapsedMs + std::max<qint64>(0, delayMs), m_sequence++,
                                                          context, context != nullptr, alive, std::move(fn)}));
    return ScheduledCall(alive);
}

void ManualClock::advance(qint64 ms)
{
    const qint64 target = m_elapsedMs + std::max<qint64>(0, ms);
    for (;;) {
        // Drop cancelled calls and calls whose context died.
        std::erase_if(m_pending, [](const auto& p) { return !*p->alive || (p->hadContext && !p->context); });
        auto next = std::min_element(m_pending.begin(), m_pending.end(), [](const auto& a, const auto& b) {
            return a->dueMs != b->dueMs ? a->dueMs < b->dueMs : a->sequence < b->sequence;
        });
        if (next == m_pending.end() || (*next)->dueMs > target)
            break;
        std::unique_ptr<Pending> call = std::move(*next);
        m_pending.erase(next);
        m_elapsedMs = std::max(m_elapsedMs, call->dueMs);
        *call->alive = false;
        call->fn();
    }
    m_elapsedMs = target;
}

int ManualClock::pendingCalls() const
{
    return int(std::count_if(m_pending.begin(), m_pending.end(),
                             [](const auto& p) { return *p->alive && (!p->hadContext || p->context); }));
}

} // namespace vk
