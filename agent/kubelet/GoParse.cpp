// SPDX-License-Identifier: Apache-2.0
#include "kubelet/GoParse.h"

#include <limits>

namespace vk::kubelet::go {

QString quote(const QString& text)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : text) {
        const ushort u = c.unicode();
        if (c == QLatin1Char('"'))
            out += QStringLiteral("\\\"");
        else if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\\\");
        else if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c == QLatin1Char('\t'))
            out += QStringLiteral("\\t");
        else if (c == QLatin1Char('\r'))
            out += QStringLiteral("\\r");
        else if (u < 0x20 || u == 0x7f)
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

namespace {

Error numError(const char* function, const QString& text, const char* what)
{
    return Error::badRequest(
        QStringLiteral("strconv.%1: parsing %2: %3").arg(QLatin1String(function), quote(text), QLatin1String(what)));
}

bool isDigit(const QString& s, qsizetype i)
{
    return i < s.size() && s.at(i) >= QLatin1Char('0') && s.at(i) <= QLatin1Char('9');
}

} // namespace

Result<qint64> atoi(const QString& text)
{
    QString s = text;
    bool negative = false;
    if (!s.isEmpty() && (s.at(0) == QLatin1Char('-') || s.at(0) == QLatin1Char('+'))) {
        negative = s.at(0) == QLatin1Char('-');
        s = s.mid(1);
    }
    if (s.isEmpty())
        return numError("Atoi", text, "invalid syntax");
    // Like ParseUint: the first problem (a bad character or an overflow) decides the error.
    const quint64 limit =
        negative ? quint64(std::numeric_limits<qint64>::max()) + 1 : quint64(std::numeric_limits<qint64>::max());
    quint64 n = 0;
    for (const QChar c : s) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return numError("Atoi", text, "invalid syntax");
        const quint64 d = quint64(c.unicode() - '0');
        if (n > (limit - d) / 10)
            return numError("Atoi", text, "value out of range");
        n = n * 10 + d;
    }
    if (negative)
        return n == quint64(std::numeric_limits<qint64>::max()) + 1 ? std::numeric_limits<qint64>::min() : -qint64(n);
    return qint64(n);
}

Result<bool> parseBool(const QString& text)
{
    static const QStringList yes{QStringLiteral("1"),    QStringLiteral("t"),    QStringLiteral("T"),
                                 QStringLiteral("TRUE"), QStringLiteral("true"), QStringLiteral("True")};
    static const QStringList no{QStringLiteral("0"),     QStringLiteral("f"),     QStringLiteral("F"),
                                QStringLiteral("FALSE"), QStringLiteral("false"), QStringLiteral("False")};
    if (yes.contains(text))
        return true;
    if (no.contains(text))
        return false;
    return numError("ParseBool", text, "invalid syntax");
}

namespace {

const QString kRfc3339 = QStringLiteral("2006-01-02T15:04:05Z07:00");

Error cannotParse(const QString& value, const QString& valueElem, const QString& layoutElem)
{
    return Error::badRequest(QStringLiteral("parsing time %1 as %2: cannot parse %3 as %4")
                                 .arg(quote(value), quote(kRfc3339), quote(valueElem), quote(layoutElem)));
}

Error outOfRange(const QString& value, const QString& what)
{
    return Error::badRequest(QStringLiteral("parsing time %1: %2 out of range").arg(quote(value), what));
}

// Go's getnum: one or two digits (exactly two when fixed).
bool getnum(QString& rest, bool fixed, int* out)
{
    if (!isDigit(rest, 0))
        return false;
    if (!isDigit(rest, 1)) {
        if (fixed)
            return false;
        *out = rest.at(0).unicode() - '0';
        rest = rest.mid(1);
        return true;
    }
    *out = (rest.at(0).unicode() - '0') * 10 + (rest.at(1).unicode() - '0');
    rest = rest.mid(2);
    return true;
}

int daysIn(int month, int year)
{
    return QDate(year, month, 1).daysInMonth();
}

} // namespace

Result<QDateTime> parseRfc3339(const QString& value)
{
    QString rest = value;
    QString rangeError;
    auto literal = [&](const QString& prefix) -> bool {
        if (!rest.startsWith(prefix))
            return false;
        rest = rest.mid(prefix.size());
        return true;
    };
    // 2006
    if (rest.size() < 4 || !isDigit(rest, 0) || !isDigit(rest, 1) || !isDigit(rest, 2) || !isDigit(rest, 3))
        return cannotParse(value, rest, QStringLiteral("2006"));
    const int year = rest.left(4).toInt();
    rest = rest.mid(4);
    struct Field
    {
        const char* prefix;
        const char* layout;
        bool fixed;
        int low;
        int high;
        const char* name;
    };
    static const Field fields[] = {
        {"-", "01", true, 1, 12, "month"},  {"-", "02", true, 1, 31, "day"},    {"T", "15", false, 0, 23, "hour"},
        {":", "04", true, 0, 59, "minute"}, {":", "05", true, 0, 59, "second"},
    };
    int numbers[5] = {};
    for (int i = 0; i < 5; ++i) {
        const Field& f = fields[i];
        if (!literal(QLatin1String(f.prefix)))
            return cannotParse(value, rest, QLatin1String(f.prefix));
        const QString hold = rest;
        if (!getnum(rest, f.fixed, &numbers[i]))
            return cannotParse(value, hold, QLatin1String(f.layout));
        if (rangeError.isEmpty() && (numbers[i] < f.low || numbers[i] > f.high))
            rangeError = QLatin1String(f.name);
    }
    // Fractional seconds are accepted after "05" even though the layout has none.
    qint64 nanos = 0;
    if (rest.size() >= 2 && (rest.at(0) == QLatin1Char('.') || rest.at(0) == QLatin1Char(',')) && isDigit(rest, 1)) {
        qsizetype n = 2;
        while (isDigit(rest, n))
            ++n;
        QString digits = rest.mid(1, n - 1).left(9);
        while (digits.size() < 9)
            digits += QLatin1Char('0');
        nanos = digits.toLongLong();
        rest = rest.mid(n);
    }
    if (!rangeError.isEmpty())
        return outOfRange(value, rangeError);
    // Z07:00
    int offsetSeconds = 0;
    const QString zoneHold = rest;
    if (rest.startsWith(QLatin1Char('Z'))) {
        rest = rest.mid(1);
    } else {
        if (rest.size() < 6 || rest.at(3) != QLatin1Char(':') ||
            (rest.at(0) != QLatin1Char('+') && rest.at(0) != QLatin1Char('-')))
            return cannotParse(value, zoneHold, QStringLiteral("Z07:00"));
        QString hh = rest.mid(1, 2);
        QString mm = rest.mid(4, 2);
        int h = 0;
        int m = 0;
        if (!getnum(hh, true, &h) || !getnum(mm, true, &m))
            return cannotParse(value, zoneHold, QStringLiteral("Z07:00"));
        if (h > 24)
            return outOfRange(value, QStringLiteral("time zone offset hour"));
        if (m > 60)
            return outOfRange(value, QStringLiteral("time zone offset minute"));
        offsetSeconds = (h * 3600 + m * 60) * (rest.at(0) == QLatin1Char('-') ? -1 : 1);
        rest = rest.mid(6);
    }
    if (!rest.isEmpty())
        return Error::badRequest(QStringLiteral("parsing time %1: extra text: %2").arg(quote(value), quote(rest)));
    if (numbers[1] > daysIn(numbers[0], year))
        return outOfRange(value, QStringLiteral("day"));
    QDateTime time(QDate(year, numbers[0], numbers[1]), QTime(numbers[2], numbers[3], numbers[4]), Qt::OffsetFromUTC,
                   offsetSeconds);
    return time.addMSecs(nanos / 1'000'000).toUTC();
}

} // namespace vk::kubelet::go
