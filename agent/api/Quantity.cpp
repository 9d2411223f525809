// SPDX-License-Identifier: Apache-2.0
#include "api/Quantity.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace vk::api {

namespace {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// resource.Quantity caps every quantity at 2^63-1 in magnitude.
constexpr Int128 kMaxMilli = Int128(std::numeric_limits<qint64>::max()) * 1000;

const QString kFormatWrong =
    QStringLiteral("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");

// A small unsigned big integer (base 2^32 limbs, least significant first): just enough to scale a quantity's
// digits exactly before it is clamped into 128 bits.
class BigUInt
{
public:
    bool isZero() const
    {
        for (const auto limb : m_limbs) {
            if (limb != 0)
                return false;
        }
        return true;
    }

    void mulSmall(quint32 factor)
    {
        quint64 carry = 0;
        for (auto& limb : m_limbs) {
            const quint64 v = quint64(limb) * factor + carry;
            limb = quint32(v);
            carry = v >> 32;
        }
        if (carry != 0)
            m_limbs.push_back(quint32(carry));
    }

    void addSmall(quint32 value)
    {
        quint64 carry = value;
        for (auto& limb : m_limbs) {
            if (carry == 0)
                return;
            const quint64 v = quint64(limb) + carry;
            limb = quint32(v);
            carry = v >> 32;
        }
        if (carry != 0)
            m_limbs.push_back(quint32(carry));
    }

    /// Divides in place and returns the remainder.
    quint32 divSmall(quint32 divisor)
    {
        quint64 rem = 0;
        for (auto it = m_limbs.rbegin(); it != m_limbs.rend(); ++it) {
            const quint64 cur = (rem << 32) | *it;
            *it = quint32(cur / divisor);
            rem = cur % divisor;
        }
        while (!m_limbs.empty() && m_limbs.back() == 0)
            m_limbs.pop_back();
        return quint32(rem);
    }

    int bitLength() const
    {
        for (auto i = qsizetype(m_limbs.size()) - 1; i >= 0; --i) {
            if (m_limbs[size_t(i)] != 0) {
                int bits = 0;
                for (quint32 v = m_limbs[size_t(i)]; v != 0; v >>= 1)
                    ++bits;
                return int(i) * 32 + bits;
            }
        }
        return 0;
    }

    /// Only meaningful when bitLength() < 127.
    Int128 toInt128() const
    {
        UInt128 v = 0;
        for (auto it = m_limbs.rbegin(); it != m_limbs.rend(); ++it)
            v = (v << 32) | *it;
        return Int128(v);
    }

private:
    std::vector<quint32> m_limbs;
};

struct Suffix
{
    int base = 10;
    int exponent = 0;
    bool binary = false;
    bool decimalExponent = false;
};

bool interpretSuffix(const QString& suffix, Suffix& out)
{
    static const QList<std::pair<QLatin1String, int>> decimal{
        {QLatin1String("n"), -9}, {QLatin1String("u"), -6}, {QLatin1String("m"), -3}, {QLatin1String(""), 0},
        {QLatin1String("k"), 3},  {QLatin1String("M"), 6},  {QLatin1String("G"), 9},  {QLatin1String("T"), 12},
        {QLatin1String("P"), 15}, {QLatin1String("E"), 18}};
    static const QList<std::pair<QLatin1String, int>> binary{{QLatin1String("Ki"), 10}, {QLatin1String("Mi"), 20},
                                                             {QLatin1String("Gi"), 30}, {QLatin1String("Ti"), 40},
                                                             {QLatin1String("Pi"), 50}, {QLatin1String("Ei"), 60}};
    for (const auto& [text, exp] : decimal) {
        if (suffix == text) {
            out = {10, exp, false, false};
            return true;
        }
    }
    for (const auto& [text, exp] : binary) {
        if (suffix == text) {
            out = {2, exp, true, false};
            return true;
        }
    }
    if (suffix.size() > 1 && (suffix.at(0) == QLatin1Char('e') || suffix.at(0) == QLatin1Char('E'))) {
        bool ok = false;
        const qint64 parsed = suffix.mid(1).toLongLong(&ok);
        if (!ok)
            return false;
        out = {10, int(std::clamp<qint64>(parsed, -100000, 100000)), false, true};
        return true;
    }
    return false;
}

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

QString int128ToString(UInt128 value)
{
    if (value == 0)
        return QStringLiteral("0");
    QString digits;
    while (value != 0) {
        digits.prepend(QLatin1Char(char('0' + int(value % 10))));
        value /= 10;
    }
    return digits;
}

Error parseError(const QString& text, const QString& reason)
{
    return Error::invalidInput(QStringLiteral("invalid quantity \"") + text + QStringLiteral("\": ") + reason);
}

} // namespace

Quantity Quantity::fromMilli(qint64 milli)
{
    Quantity q;
    q.m_milli = milli;
    return q;
}

Quantity Quantity::fromValue(qint64 value)
{
    Quantity q;
    q.m_milli = Int128(value) * 1000;
    return q;
}

Result<Quantity> Quantity::parse(const QString& text)
{
    if (text.isEmpty())
        return parseError(text, kFormatWrong);
    if (text == QLatin1String("0"))
        return Quantity();

    // The scanner of resource.parseQuantityString: [sign] digits [. digits] suffix-letters [sign] digits.
    const qsizetype end = text.size();
    qsizetype pos = 0;
    bool positive = true;
    if (text.at(0) == QLatin1Char('-')) {
        positive = false;
        ++pos;
    } else if (text.at(0) == QLatin1Char('+')) {
        ++pos;
    }
    const qsizetype numStart = pos;
    while (pos < end && isDigit(text.at(pos)))
        ++pos;
    const QString num = text.mid(numStart, pos - numStart);
    QString denom;
    if (pos < end && text.at(pos) == QLatin1Char('.')) {
        ++pos;
        const qsizetype denomStart = pos;
        while (pos < end && isDigit(text.at(pos)))
            ++pos;
        denom = text.mid(denomStart, pos - denomStart);
    }
    const qsizetype suffixStart = pos;
    static const QString suffixLetters = QStringLiteral("eEinumkKMGTP");
    while (pos < end && suffixLetters.contains(text.at(pos)))
        ++pos;
    if (pos < end && (text.at(pos) == QLatin1Char('-') || text.at(pos) == QLatin1Char('+')))
        ++pos;
    while (pos < end && isDigit(text.at(pos)))
        ++pos;
    if (pos < end)
        return parseError(text, kFormatWrong);
    const QString suffixText = text.mid(suffixStart);

    Suffix suffix;
    if (!interpretSuffix(suffixText, suffix))
        return parseError(text, QStringLiteral("unable to parse quantity's suffix"));

    // value = digits * 10^scale10 * 2^binaryExponent, scaled to milli-units and rounded up (away from zero).
    BigUInt digits;
    for (const QChar c : QString(num + denom)) {
        digits.mulSmall(10);
        digits.addSmall(quint32(c.unicode() - '0'));
    }
    const int scale10 = (suffix.base == 10 ? suffix.exponent : 0) - int(denom.size()) + 3;
    const int binaryExponent = suffix.base == 2 ? suffix.exponent : 0;

    Int128 magnitude = 0;
    if (!digits.isZero()) {
        for (int i = 0; i < binaryExponent; ++i)
            digits.mulSmall(2);
        bool roundUp = false;
        bool overflow = false;
        if (scale10 >= 0) {
            for (int i = 0; i < scale10 && !overflow; ++i) {
                digits.mulSmall(10);
                overflow = digits.bitLength() > 100;
            }
        } else {
            for (int i = 0; i < -scale10 && !digits.isZero(); ++i) {
                if (digits.divSmall(10) != 0)
                    roundUp = true;
            }
            if (digits.isZero())
                roundUp = true; // a non-zero amount smaller than the precision becomes the smallest unit
        }
        overflow = overflow || digits.bitLength() > 100;
        magnitude = overflow ? kMaxMilli : digits.toInt128() + (roundUp ? 1 : 0);
        if (magnitude > kMaxMilli)
            magnitude = kMaxMilli;
    }

    Quantity q;
    q.m_milli = positive ? magnitude : -magnitude;
    q.m_binary = suffix.binary;
    q.m_exponent = suffix.decimalExponent;
    return q;
}

Result<Quantity> Quantity::fromJson(const QJsonValue& value)
{
    if (value.isString())
        return parse(value.toString());
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (!std::isfinite(d))
            return Error::invalidInput(QStringLiteral("invalid quantity: not a finite number"));
        if (d == std::trunc(d) && std::fabs(d) < 9.0e15)
            return parse(QString::number(qint64(d)));
        QString text = QString::number(d, 'g', QLocale::FloatingPointShortest);
        return parse(text);
    }
    return Error::invalidInput(QStringLiteral("invalid quantity: expected a string or a number"));
}

qint64 Quantity::milliValue() const
{
    if (m_milli > std::numeric_limits<qint64>::max())
        return std::numeric_limits<qint64>::max();
    if (m_milli < std::numeric_limits<qint64>::min())
        return std::numeric_limits<qint64>::min();
    return qint64(m_milli);
}

qint64 Quantity::value() const
{
    Int128 units = m_milli / 1000;
    if (m_milli % 1000 != 0)
        units += m_milli > 0 ? 1 : -1;
    if (units > std::numeric_limits<qint64>::max())
        return std::numeric_limits<qint64>::max();
    if (units < std::numeric_limits<qint64>::min())
        return std::numeric_limits<qint64>::min();
    return qint64(units);
}

QString Quantity::toString() const
{
    if (m_milli == 0)
        return QStringLiteral("0");
    const bool negative = m_milli < 0;
    UInt128 magnitude = negative ? UInt128(-m_milli) : UInt128(m_milli);
    const QString sign = negative ? QStringLiteral("-") : QString();

    // BinarySI prints with the largest exact power of 1024, unless the value is below 1024 or not whole.
    if (m_binary && magnitude >= UInt128(1024) * 1000 && magnitude % 1000 == 0) {
        static const char* const suffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        UInt128 units = magnitude / 1000;
        int power = 0;
        while (power < 6 && units % 1024 == 0) {
            units /= 1024;
            ++power;
        }
        return sign + int128ToString(units) + QLatin1String(suffixes[power]);
    }

    // Decimal: the largest exponent that is a multiple of three and keeps the mantissa whole.
    UInt128 mantissa = magnitude;
    int exponent = -3;
    while (mantissa % 10 == 0) {
        mantissa /= 10;
        ++exponent;
    }
    int exponent3 = exponent >= 0 ? exponent / 3 * 3 : -3;
    if (!m_exponent && exponent3 > 18)
        exponent3 = 18;
    for (int i = exponent3; i < exponent; ++i)
        mantissa *= 10;
    QString suffix;
    if (m_exponent) {
        if (exponent3 != 0)
            suffix = QStringLiteral("e") + QString::number(exponent3);
    } else {
        switch (exponent3) {
        case -3:
            suffix = QStringLiteral("m");
            break;
        case 0:
            break;
        case 3:
            suffix = QStringLiteral("k");
            break;
        case 6:
            suffix = QStringLiteral("M");
            break;
        case 9:
            suffix = QStringLiteral("G");
            break;
        case 12:
            suffix = QStringLiteral("T");
            break;
        case 15:
            suffix = QStringLiteral("P");
            break;
        default:
            suffix = QStringLiteral("E");
            break;
        }
    }
    return sign + int128ToString(mantissa) + suffix;
}

Quantity Quantity::operator+(const Quantity& other) const
{
    Quantity result = m_milli == 0 && !m_binary && !m_exponent ? other : *this;
    result.m_milli = m_milli + other.m_milli;
    return result;
}

Quantity Quantity::operator-(const Quantity& other) const
{
    Quantity result = m_milli == 0 && !m_binary && !m_exponent ? other : *this;
    result.m_milli = m_milli - other.m_milli;
    return result;
}

Quantity& Quantity::operator+=(const Quantity& other)
{
    *this = *this + other;
    return *this;
}

} // namespace vk::api
