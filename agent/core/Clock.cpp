// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QThread>
#include <QThreadStorage>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <map>
#include <vector>

namespace vk {

namespace {

QElapsedTimer& monotonic()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer;
}

/// fn, unless the call was cancelled (or has run) by then.
std::function<void()> once(std::shared_ptr<bool> alive, std::function<void()> fn)
{
    return [alive = std::move(alive), fn = std::move(fn)] {
        if (*alive) {
            *alive = false;
            fn();
        }
    };
}

/// The system clock's scheduled calls of one thread, in due order, behind a single QTimer armed for the earliest.
/// Qt keeps a thread's timers in a list that registering and unregistering walk, so one QTimer per call made
/// every schedule() cost O(calls waiting): with 10,000 pods (each with lifecycle, backoff and poll calls) the agent
/// thread spent most of its time there. Cancelled calls stay queued (cheaply) until they fall due.
class TimerQueue
{
public:
    TimerQueue()
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { runDue(); });
    }

    void add(qint64 delayMs, QObject* context, std::shared_ptr<bool> alive, std::function<void()> fn)
    {
        const qint64 dueMs = monotonic().elapsed() + std::max<qint64>(0, delayMs);
        m_calls.emplace(std::make_pair(dueMs, m_sequence++),
                        Call{QPointer<QObject>(context), context != nullptr, std::move(alive), std::move(fn)});
        if (!m_timer.isActive() || dueMs < m_armedForMs)
            arm();
    }

    /// The queue of the calling thread (made on first use, deleted when the thread finishes).
    static TimerQueue* current()
    {
        static QThreadStorage<TimerQueue*> queues;
        if (!queues.hasLocalData())
            queues.setLocalData(new TimerQueue);
        return queues.localData();
    }

private:
    struct Call
    {
        QPointer<QObject> context;
        bool hadContext;
        std::shared_ptr<bool> alive;
        std::function<void()> fn;
    };

    void arm()
    {
        if (m_calls.empty()) {
            m_timer.stop();
            return;
        }
        m_armedForMs = m_calls.begin()->first.first;
        m_timer.start(int(std::clamp<qint64>(m_armedForMs - monotonic().elapsed(), 0, INT_MAX)));
    }

    void runDue()
    {
        // Take out what is due and arm for the rest before running anything: a call may schedule or cancel others,
        // or spin a nested event loop, without this queue being in the middle of a walk. What the calls schedule
        // waits for the next timer event, even when already due, so schedule(0, ...) still yields to the event
        // loop as a zero timer does.
        const qint64 nowMs = monotonic().elapsed();
        std::vector<Call> due;
        while (!m_calls.empty() && m_calls.begin()->first.first <= nowMs) {
            due.push_back(std::move(m_calls.begin()->second));
            m_calls.erase(m_calls.begin());
        }
        arm();
        for (Call& call : due) {
            if (!*call.alive || (call.hadContext && !call.context))
                continue; // cancelled, or its context is gone (perhaps by an earlier call of this batch)
            if (call.context && call.context->thread() != QThread::currentThread()) {
                // The context moved to another thread since: run the call there, as a QTimer would have.
                QMetaObject::invokeMethod(call.context, once(call.alive, std::move(call.fn)));
                continue;
            }
            *call.alive = false;
            call.fn();
        }
    }

    QTimer m_timer;
    std::map<std::pair<qint64, quint64>, Call> m_calls; ///< (due ms, sequence) -> call: due order, FIFO among equals
    quint64 m_sequence = 0;
    qint64 m_armedForMs = 0;
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return monotonic().elapsed(); }

    ScheduledCall schedule(qint64 delayMs, QObject* context, std::function<void()> fn) override
    {
        auto alive = std::make_shared<bool>(true);
        if (context && context->thread() != QThread::currentThread()) {
            // Rare: the call belongs to another thread's queue; let Qt deliver it there.
            QTimer::singleShot(std::chrono::milliseconds(std::max<qint64>(0, delayMs)), context,
                               once(alive, std::move(fn)));
        } else {
            TimerQueue::current()->add(delayMs, context, alive, std::move(fn));
        }
        return ScheduledCall(alive);
    }
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
