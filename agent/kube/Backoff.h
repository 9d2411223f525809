// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace vk::kube {

/// Exponential backoff with jitter: the n-th delay is min(cap, initial * factor^n) stretched by a random
/// factor in [1, 1 + jitter), then capped again. Plain value type; the caller schedules on its Clock.
class Backoff
{
public:
    Backoff(qint64 initialMs, qint64 capMs, double factor = 2.0, double jitter = 0.25);

    /// The delay to wait before the next attempt; each call grows the following one.
    qint64 next();
    /// Back to the initial delay (after a success).
    void reset() { m_attempts = 0; }
    /// Delays handed out since the last reset.
    int attempts() const { return m_attempts; }

    qint64 initialMs() const { return m_initialMs; }
    qint64 capMs() const { return m_capMs; }

private:
    qint64 m_initialMs;
    qint64 m_capMs;
    double m_factor;
    double m_jitter;
    int m_attempts = 0;
};

} // namespace vk::kube
