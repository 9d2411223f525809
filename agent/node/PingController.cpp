// SPDX-License-Identifier: Apache-2.0
#include "node/PingController.h"

#include "node/Logging.h"
#include "provider/Provider.h"

namespace vk::node {

PingController::PingController(
    provider::Provider* provider, Clock* clock, qint64 intervalMs, qint64 timeoutMs, QObject* parent)
    : QObject(parent), m_provider(provider), m_clock(clock), m_intervalMs(intervalMs), m_timeoutMs(timeoutMs)
{}

void PingController::start()
{
    if (m_running)
        return;
    m_running = true;
    tick();
}

void PingController::stop()
{
    m_running = false;
    m_next.cancel();
    m_timeout.cancel();
    m_inFlight = false;
    ++m_generation; // answers of pings issued before stop() are dropped
}

void PingController::scheduleNext()
{
    m_next.cancel();
    m_next = m_clock->schedule(m_intervalMs, this, [this] { tick(); });
}

void PingController::tick()
{
    if (!m_running)
        return;
    scheduleNext();
    if (m_inFlight) {
        const qint64 pendingMs = m_clock->monotonicMs() - m_startedMs;
        if (m_timeoutMs > 0 && pendingMs >= m_timeoutMs)
            publish(timeoutError());
        return;
    }
    if (!m_provider) {
        publish(Error::internal(QStringLiteral("the provider is gone")));
        return;
    }
    m_inFlight = true;
    m_startedMs = m_clock->monotonicMs();
    ++m_count;
    const quint64 generation = ++m_generation;
    if (m_timeoutMs > 0) {
        m_timeout.cancel();
        m_timeout = m_clock->schedule(m_timeoutMs, this, [this, generation] {
            if (m_running && m_inFlight && generation == m_generation)
                publish(timeoutError());
        });
    }
    // The provider may answer synchronously, inside ping().
    m_provider->ping(this, [this, generation](Status result) {
        if (!m_running || generation != m_generation)
            return;
        m_inFlight = false;
        m_timeout.cancel();
        publish(result);
    });
}

Error PingController::timeoutError() const
{
    return Error(ErrorCategory::Timeout, QStringLiteral("provider ping timed out after %1 ms").arg(m_timeoutMs));
}

void PingController::publish(const Status& result)
{
    const bool wasOk = !m_result || m_result->ok();
    m_result = result;
    if (!result.ok() && wasOk)
        qCWarning(lcNode).noquote() << "provider ping failed:" << result.error().toString();
    else if (result.ok() && !wasOk)
        qCInfo(lcNode).noquote() << "provider ping succeeded again";
    Q_EMIT pinged(result);
}

} // namespace vk::node
