// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/FieldRules.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace vk::sandbox::detail {

QStringList chDirPrefixErrors(const QString& value)
{
    if (value == QLatin1String("."))
        return {QStringLiteral("must not be '.'")};
    if (value == QLatin1String(".."))
        return {QStringLiteral("must not be '..'")};
    if (value.startsWith(QLatin1String("..")))
        return {QStringLiteral("must not start with '..'")};
    return {};
}

QStringList configMapKeyErrors(const QString& value)
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(QStringLiteral("[-._a-zA-Z0-9]+")));
    QStringList errs;
    if (value.toUtf8().size() > 253)
        errs.append(QStringLiteral("must be no more than 253 characters"));
    if (!re.match(value).hasMatch())
        errs.append(QStringLiteral("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                                   "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                                   "'[-._a-zA-Z0-9]+')"));
    errs.append(chDirPrefixErrors(value));
    return errs;
}

namespace {

bool isSloppyIpv4(QStringView value)
{
    const auto parts = value.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return false;
    for (QStringView part : parts) {
        if (part.isEmpty())
            return false;
        int n = 0;
        for (QChar c : part) {
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return false;
            n = n * 10 + (c.unicode() - '0');
            if (n > 255)
                return false;
        }
    }
    return true;
}

} // namespace

int ipFamilyOf(const QString& value)
{
    if (!value.contains(QLatin1Char(':')))
        return isSloppyIpv4(value) ? 4 : 0;
    // QHostAddress takes zones and surrounding spaces, which Go's parser does not; an embedded IPv4 tail must be a
    // dotted quad.
    for (QChar c : value) {
        if (c == QLatin1Char('%') || c.isSpace())
            return 0;
    }
    const qsizetype lastColon = value.lastIndexOf(QLatin1Char(':'));
    const QStringView tail = QStringView(value).mid(lastColon + 1);
    if (tail.contains(QLatin1Char('.')) && !isSloppyIpv4(tail))
        return 0;
    QHostAddress address;
    if (!address.setAddress(value) || address.protocol() != QAbstractSocket::IPv6Protocol)
        return 0;
    bool mapped = false;
    address.toIPv4Address(&mapped);
    return mapped ? 4 : 6;
}

} // namespace vk::sandbox::detail
