// SPDX-License-Identifier: Apache-2.0
#include "kube/Backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace vk::kube {

Backoff::Backoff(qint64 initialMs, qint64 capMs, double factor, double jitter)
    : m_initialMs(std::max<qint64>(0, initialMs)), m_capMs(std::max(capMs, m_initialMs)),
      m_factor(std::max(1.0, factor)), m_jitter(std::max(0.0, jitter))
{}

qint64 Backoff::next()
{
    const double base = std::min(double(m_capMs), double(m_initialMs) * std::pow(m_factor, std::min(m_attempts, 62)));
    ++m_attempts;
    const double jittered = base * (1.0 + m_jitter * QRandomGenerator::global()->generateDouble());
    return std::min(m_capMs, qint64(jittered));
}

} // namespace vk::kube
