// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace vk::provider {
class Provider;
}

namespace vk::node {

/// Pings the provider at once and then every interval, with at most one ping in flight (upstream's singleflight):
/// while a ping is pending no new one is issued; once it has been pending for the timeout, each tick reports a
/// Timeout error until it answers.
class PingController : public QObject
{
    Q_OBJECT

public:
    PingController(
        provider::Provider* provider, Clock* clock, qint64 intervalMs, qint64 timeoutMs, QObject* parent = nullptr);

    void start();
    void stop();

    /// Whether a first result exists.
    bool hasResult() const { return m_result.has_value(); }
    /// The last result (ok when none yet).
    Status lastResult() const { return m_result.value_or(Status()); }
    bool isInFlight() const { return m_inFlight; }
    /// Pings issued so far.
    int pingCount() const { return m_count; }

Q_SIGNALS:
    /// Every result: a provider answer, or a Timeout error for a ping pending longer than the timeout.
    void pinged(const vk::Status& result);

private:
    void tick();
    void publish(const Status& result);
    void scheduleNext();
    Error timeoutError() const;

    QPointer<provider::Provider> m_provider;
    Clock* m_clock;
    qint64 m_intervalMs;
    qint64 m_timeoutMs;
    std::optional<Status> m_result;
    ScheduledCall m_next;
    ScheduledCall m_timeout;
    quint64 m_generation = 0;
    qint64 m_startedMs = 0;
    int m_count = 0;
    bool m_inFlight = false;
    bool m_running = false;
};

} // namespace vk::node
