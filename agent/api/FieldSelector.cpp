// SPDX-License-Identifier: Apache-2.0
#include "api/FieldSelector.h"

#include <QJsonArray>

#include <algorithm>

namespace vk::api {

namespace {

// fields.splitTerms: commas split terms unless backslash-escaped (the backslash stays in the term).
QStringList splitTerms(const QString& selector)
{
    QStringList terms;
    if (selector.isEmpty())
        return terms;
    qsizetype start = 0;
    bool inSlash = false;
    for (qsizetype i = 0; i < selector.size(); ++i) {
        const QChar c = selector.at(i);
        if (inSlash) {
            inSlash = false;
        } else if (c == QLatin1Char('\\')) {
            inSlash = true;
        } else if (c == QLatin1Char(',')) {
            terms.append(selector.mid(start, i - start));
            start = i + 1;
        }
    }
    terms.append(selector.mid(start));
    return terms;
}

// fields.splitTerm: the first recognised operator splits; "!=" and "==" are tried before "=".
bool splitTerm(const QString& term, QString& lhs, QString& op, QString& rhs)
{
    static const QStringList operators{QStringLiteral("!="), QStringLiteral("=="), QStringLiteral("=")};
    for (qsizetype i = 0; i < term.size(); ++i) {
        for (const QString& candidate : operators) {
            if (QStringView(term).mid(i).startsWith(candidate)) {
                lhs = term.left(i);
                op = candidate;
                rhs = term.mid(i + candidate.size());
                return true;
            }
        }
    }
    return false;
}

// fields.UnescapeValue
Result<QString> unescapeValue(const QString& value)
{
    QString out;
    out.reserve(value.size());
    bool inSlash = false;
    for (const QChar c : value) {
        if (inSlash) {
            if (c == QLatin1Char('\\') || c == QLatin1Char(',') || c == QLatin1Char('=')) {
                out += c;
            } else {
                return Error::badRequest(QStringLiteral("invalid field selector: invalid escape sequence: \\") + c);
            }
            inSlash = false;
            continue;
        }
        if (c == QLatin1Char('\\'))
            inSlash = true;
        else if (c == QLatin1Char(',') || c == QLatin1Char('='))
            return Error::badRequest(QStringLiteral("invalid field selector: unescaped character in value: ") + c);
        else
            out += c;
    }
    if (inSlash)
        return Error::badRequest(QStringLiteral("invalid field selector: invalid escape sequence: \\"));
    return out;
}

// fields.EscapeValue
QString escapeValue(const QString& value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c == QLatin1Char('\\') || c == QLatin1Char(',') || c == QLatin1Char('='))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

QString readField(const QJsonObject& object, const QString& path)
{
    QJsonValue current(object);
    const QStringList parts = path.split(QLatin1Char('.'));
    for (const QString& part : parts) {
        if (!current.isObject())
            return QString();
        current = current.toObject().value(part);
    }
    switch (current.type()) {
    case QJsonValue::String:
        return current.toString();
    case QJsonValue::Bool:
        return current.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = current.toDouble();
        if (d == double(qint64(d)))
            return QString::number(qint64(d));
        return QString::number(d);
    }
    default:
        return QString();
    }
}

} // namespace

Result<FieldSelector> FieldSelector::parse(const QString& text)
{
    QStringList parts = splitTerms(text);
    std::sort(parts.begin(), parts.end());
    FieldSelector selector;
    for (const QString& part : parts) {
        if (part.isEmpty())
            continue;
        QString lhs;
        QString op;
        QString rhs;
        if (!splitTerm(part, lhs, op, rhs)) {
            return Error::badRequest(QStringLiteral("invalid selector: '") + text +
                                     QStringLiteral("'; can't understand '") + part + QLatin1Char('\''));
        }
        auto value = unescapeValue(rhs);
        if (!value)
            return value.error();
        selector.m_requirements.append({lhs, value.value(), op == QLatin1String("!=")});
    }
    return selector;
}

Status FieldSelector::validateFields(const QStringList& supportedFields) const
{
    for (const auto& requirement : m_requirements) {
        if (!supportedFields.contains(requirement.field))
            return Error::badRequest(QStringLiteral("field label not supported: ") + requirement.field);
    }
    return {};
}

bool FieldSelector::matches(const QJsonObject& object) const
{
    for (const auto& requirement : m_requirements) {
        const bool equal = readField(object, requirement.field) == requirement.value;
        if (equal == requirement.negated)
            return false;
    }
    return true;
}

std::optional<QString> FieldSelector::requiredValue(const QString& field) const
{
    for (const auto& requirement : m_requirements) {
        if (requirement.field == field && !requirement.negated)
            return requirement.value;
    }
    return std::nullopt;
}

QString FieldSelector::toString() const
{
    QStringList terms;
    for (const auto& requirement : m_requirements)
        terms.append(requirement.field + (requirement.negated ? QStringLiteral("!=") : QStringLiteral("=")) +
                     escapeValue(requirement.value));
    return terms.join(QLatin1Char(','));
}

} // namespace vk::api
