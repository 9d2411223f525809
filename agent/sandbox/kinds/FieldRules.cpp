// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/FieldRules.h"

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

} // namespace vk::sandbox::detail
