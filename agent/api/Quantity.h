// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QJsonValue>
#include <QString>

#include <compare>

namespace vk::api {

/// A resource.Quantity ("100m", "1.5", "128Mi", "1G", "1e3"), held exactly as milli-units in 128 bits, enough for
/// every quantity kubelets and schedulers compare (cpu, memory, pods, ephemeral-storage).
class Quantity
{
public:
    Quantity() = default;
    static Quantity fromMilli(qint64 milli);
    static Quantity fromValue(qint64 value);

    /// Parses the Kubernetes quantity grammar (decimal SI, binary SI, decimal exponent). Errors are InvalidInput
    /// naming the text. Fractions smaller than a milli-unit round up, as Kubernetes does for cpu.
    static Result<Quantity> parse(const QString& text);
    /// Accepts a JSON string or number (as found in resource lists).
    static Result<Quantity> fromJson(const QJsonValue& value);

    qint64 milliValue() const;
    /// Value rounded up to a whole unit (as Quantity.Value()).
    qint64 value() const;
    bool isZero() const { return m_milli == 0; }

    /// Canonical form: binary suffixes when the text used them and the value divides evenly, otherwise decimal
    /// ("100m", "2", "128Mi", "1500m").
    QString toString() const;

    Quantity operator+(const Quantity& other) const;
    Quantity operator-(const Quantity& other) const;
    Quantity& operator+=(const Quantity& other);
    auto operator<=>(const Quantity& other) const { return m_milli <=> other.m_milli; }
    bool operator==(const Quantity& other) const { return m_milli == other.m_milli; }

private:
    __extension__ __int128 m_milli = 0; // __extension__: a GCC/Clang type, fine under -Wpedantic
    bool m_binary = false;   ///< prefer a binary-SI suffix when printing
    bool m_exponent = false; ///< print with a decimal exponent ("12e6") instead of an SI suffix
};

} // namespace vk::api
