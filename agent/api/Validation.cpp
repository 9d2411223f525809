// SPDX-License-Identifier: Apache-2.0
#include "api/Validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace vk::api::validation {

namespace {

const QString kDns1123LabelFmt = QStringLiteral("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
const QString kDns1123SubdomainFmt =
    kDns1123LabelFmt + QStringLiteral("(\\.") + kDns1123LabelFmt + QStringLiteral(")*");
const QString kQualifiedNameFmt = QStringLiteral("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
const QString kLabelValueFmt = QStringLiteral("(") + kQualifiedNameFmt + QStringLiteral(")?");

const QString kDns1123LabelErrMsg =
    QStringLiteral("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                   "start and end with an alphanumeric character");
const QString kDns1123SubdomainErrMsg =
    QStringLiteral("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                   "and must start and end with an alphanumeric character");
const QString kQualifiedNameErrMsg = QStringLiteral(
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
const QString kLabelValueErrMsg =
    QStringLiteral("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
                   "must start and end with an alphanumeric character");

constexpr int kDns1123LabelMaxLength = 63;
constexpr int kDns1123SubdomainMaxLength = 253;
constexpr int kQualifiedNameMaxLength = 63;
constexpr int kLabelValueMaxLength = 63;
constexpr int kTotalAnnotationSizeLimitB = 256 * 1024;

// Go's regexp `^...$` matches the whole text only (no trailing-newline leniency), hence anchoredPattern.
const QRegularExpression& dns1123LabelRe()
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(kDns1123LabelFmt));
    return re;
}

const QRegularExpression& dns1123SubdomainRe()
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(kDns1123SubdomainFmt));
    return re;
}

const QRegularExpression& qualifiedNameRe()
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(kQualifiedNameFmt));
    return re;
}

const QRegularExpression& labelValueRe()
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(kLabelValueFmt));
    return re;
}

// Go's len(): bytes of the UTF-8 encoding.
qsizetype byteLength(const QString& value)
{
    return value.toUtf8().size();
}

QString maxLenError(int length)
{
    return QStringLiteral("must be no more than %1 characters").arg(length);
}

QString emptyError()
{
    return QStringLiteral("must be non-empty");
}

// validation.RegexError
QString regexError(const QString& msg, const QString& fmt, const QStringList& examples)
{
    if (examples.isEmpty())
        return msg + QStringLiteral(" (regex used for validation is '") + fmt + QStringLiteral("')");
    QString out = msg + QStringLiteral(" (e.g. ");
    for (qsizetype i = 0; i < examples.size(); ++i) {
        if (i > 0)
            out += QStringLiteral(" or ");
        out += QLatin1Char('\'') + examples.at(i) + QStringLiteral("', ");
    }
    out += QStringLiteral("regex used for validation is '") + fmt + QStringLiteral("')");
    return out;
}

QString bodyFor(const QString& type, const QString& detail)
{
    return detail.isEmpty() ? type : type + QStringLiteral(": ") + detail;
}

} // namespace

QStringList dns1123LabelErrors(const QString& value)
{
    QStringList errs;
    if (byteLength(value) > kDns1123LabelMaxLength)
        errs.append(maxLenError(kDns1123LabelMaxLength));
    if (!dns1123LabelRe().match(value).hasMatch()) {
        if (dns1123SubdomainRe().match(value).hasMatch()) {
            // A valid subdomain but not a valid label: since the length was checked already, it must be dots.
            errs.append(QStringLiteral("must not contain dots"));
        } else {
            errs.append(regexError(kDns1123LabelErrMsg, kDns1123LabelFmt,
                                   {QStringLiteral("my-name"), QStringLiteral("123-abc")}));
        }
    }
    return errs;
}

QStringList dns1123SubdomainErrors(const QString& value)
{
    QStringList errs;
    if (byteLength(value) > kDns1123SubdomainMaxLength)
        errs.append(maxLenError(kDns1123SubdomainMaxLength));
    if (!dns1123SubdomainRe().match(value).hasMatch())
        errs.append(regexError(kDns1123SubdomainErrMsg, kDns1123SubdomainFmt, {QStringLiteral("example.com")}));
    return errs;
}

QStringList qualifiedNameErrors(const QString& value)
{
    QStringList errs;
    const QStringList parts = value.split(QLatin1Char('/'));
    QString name;
    const QStringList examples{QStringLiteral("MyName"), QStringLiteral("my.name"), QStringLiteral("123-abc")};
    switch (parts.size()) {
    case 1:
        name = parts.at(0);
        break;
    case 2: {
        const QString prefix = parts.at(0);
        name = parts.at(1);
        if (prefix.isEmpty()) {
            errs.append(QStringLiteral("prefix part ") + emptyError());
        } else {
            for (const QString& msg : dns1123SubdomainErrors(prefix))
                errs.append(QStringLiteral("prefix part ") + msg);
        }
        break;
    }
    default:
        errs.append(QStringLiteral("a qualified name ") +
                    regexError(kQualifiedNameErrMsg, kQualifiedNameFmt, examples) +
                    QStringLiteral(" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
        return errs;
    }
    if (name.isEmpty())
        errs.append(QStringLiteral("name part ") + emptyError());
    else if (byteLength(name) > kQualifiedNameMaxLength)
        errs.append(QStringLiteral("name part ") + maxLenError(kQualifiedNameMaxLength));
    if (!qualifiedNameRe().match(name).hasMatch())
        errs.append(QStringLiteral("name part ") + regexError(kQualifiedNameErrMsg, kQualifiedNameFmt, examples));
    return errs;
}

QStringList labelValueErrors(const QString& value)
{
    QStringList errs;
    if (byteLength(value) > kLabelValueMaxLength)
        errs.append(maxLenError(kLabelValueMaxLength));
    if (!labelValueRe().match(value).hasMatch())
        errs.append(regexError(kLabelValueErrMsg, kLabelValueFmt,
                               {QStringLiteral("MyValue"), QStringLiteral("my_value"), QStringLiteral("12345")}));
    return errs;
}

QString goQuote(const QString& value)
{
    QString out;
    out.reserve(value.size() + 2);
    out += QLatin1Char('"');
    const QList<uint> codepoints = value.toUcs4();
    for (const uint c : codepoints) {
        switch (c) {
        case '"':
            out += QStringLiteral("\\\"");
            continue;
        case '\\':
            out += QStringLiteral("\\\\");
            continue;
        case '\a':
            out += QStringLiteral("\\a");
            continue;
        case '\b':
            out += QStringLiteral("\\b");
            continue;
        case '\f':
            out += QStringLiteral("\\f");
            continue;
        case '\n':
            out += QStringLiteral("\\n");
            continue;
        case '\r':
            out += QStringLiteral("\\r");
            continue;
        case '\t':
            out += QStringLiteral("\\t");
            continue;
        case '\v':
            out += QStringLiteral("\\v");
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        } else if (c < 0x80) {
            out += QChar(char16_t(c));
        } else if (QChar::isPrint(char32_t(c))) {
            out += QString::fromUcs4(reinterpret_cast<const char32_t*>(&c), 1);
        } else if (c < 0x10000) {
            out += QStringLiteral("\\u%1").arg(c, 4, 16, QLatin1Char('0'));
        } else {
            out += QStringLiteral("\\U%1").arg(c, 8, 16, QLatin1Char('0'));
        }
    }
    out += QLatin1Char('"');
    return out;
}

QString formatBadValue(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return goQuote(value.toString());
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        bool allStrings = true;
        for (const auto& item : array)
            allStrings = allStrings && item.isString();
        if (allStrings) {
            QStringList quoted;
            for (const auto& item : array)
                quoted.append(goQuote(item.toString()));
            return QStringLiteral("[]string{") + quoted.join(QStringLiteral(", ")) + QLatin1Char('}');
        }
        return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("null");
}

QString causeToString(const ErrorCause& cause)
{
    return cause.field + QStringLiteral(": ") + cause.message;
}

QString aggregateMessage(const Causes& causes)
{
    QStringList messages;
    QSet<QString> seen;
    for (const auto& cause : causes) {
        const QString text = causeToString(cause);
        if (seen.contains(text))
            continue;
        seen.insert(text);
        messages.append(text);
    }
    if (messages.size() == 1)
        return messages.first();
    return QLatin1Char('[') + messages.join(QStringLiteral(", ")) + QLatin1Char(']');
}

void dns1123Label(const QString& value, const QString& field, Causes& causes)
{
    for (const QString& msg : dns1123LabelErrors(value))
        invalid(field, value, msg, causes);
}

void dns1123Subdomain(const QString& value, const QString& field, Causes& causes)
{
    for (const QString& msg : dns1123SubdomainErrors(value))
        invalid(field, value, msg, causes);
}

void qualifiedName(const QString& value, const QString& field, Causes& causes)
{
    for (const QString& msg : qualifiedNameErrors(value))
        invalid(field, value, msg, causes);
}

void labelValue(const QString& value, const QString& field, Causes& causes)
{
    for (const QString& msg : labelValueErrors(value))
        invalid(field, value, msg, causes);
}

void objectMetaLabelsAndAnnotations(const QJsonObject& metadata, Causes& causes)
{
    // metav1validation.ValidateLabels: key and value errors both name the map field itself.
    const QString labelsField = QStringLiteral("metadata.labels");
    const QJsonValue labels = metadata.value(QStringLiteral("labels"));
    if (labels.isObject()) {
        const QJsonObject map = labels.toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            qualifiedName(it.key(), labelsField, causes);
            if (!it.value().isString()) {
                invalid(labelsField, it.value(), QStringLiteral("must be a string"), causes);
                continue;
            }
            labelValue(it.value().toString(), labelsField, causes);
        }
    } else if (!labels.isUndefined() && !labels.isNull()) {
        invalid(labelsField, labels, QStringLiteral("must be a map of strings"), causes);
    }

    // ValidateAnnotations: keys are qualified names compared case-insensitively; the total size is limited.
    const QString annotationsField = QStringLiteral("metadata.annotations");
    const QJsonValue annotations = metadata.value(QStringLiteral("annotations"));
    if (annotations.isObject()) {
        const QJsonObject map = annotations.toObject();
        qint64 total = 0;
        for (auto it = map.begin(); it != map.end(); ++it) {
            for (const QString& msg : qualifiedNameErrors(it.key().toLower()))
                invalid(annotationsField, it.key(), msg, causes);
            if (!it.value().isString())
                invalid(annotationsField, it.value(), QStringLiteral("must be a string"), causes);
            total += byteLength(it.key()) + byteLength(it.value().toString());
        }
        if (total > kTotalAnnotationSizeLimitB)
            tooLong(annotationsField, kTotalAnnotationSizeLimitB, causes);
    } else if (!annotations.isUndefined() && !annotations.isNull()) {
        invalid(annotationsField, annotations, QStringLiteral("must be a map of strings"), causes);
    }
}

void required(const QString& field, Causes& causes)
{
    causes.append({QStringLiteral("FieldValueRequired"), QStringLiteral("Required value"), field});
}

void invalid(const QString& field, const QJsonValue& value, const QString& detail, Causes& causes)
{
    causes.append({QStringLiteral("FieldValueInvalid"),
                   bodyFor(QStringLiteral("Invalid value: ") + formatBadValue(value), detail), field});
}

void notSupported(const QString& field, const QString& value, const QStringList& allowed, Causes& causes)
{
    QString detail;
    if (!allowed.isEmpty()) {
        QStringList quoted;
        for (const QString& a : allowed)
            quoted.append(goQuote(a));
        detail = QStringLiteral("supported values: ") + quoted.join(QStringLiteral(", "));
    }
    causes.append({QStringLiteral("FieldValueNotSupported"),
                   bodyFor(QStringLiteral("Unsupported value: ") + goQuote(value), detail), field});
}

void forbidden(const QString& field, const QString& detail, Causes& causes)
{
    causes.append({QStringLiteral("FieldValueForbidden"), bodyFor(QStringLiteral("Forbidden"), detail), field});
}

void duplicate(const QString& field, const QJsonValue& value, Causes& causes)
{
    causes.append(
        {QStringLiteral("FieldValueDuplicate"), QStringLiteral("Duplicate value: ") + formatBadValue(value), field});
}

void tooLong(const QString& field, int maxBytes, Causes& causes)
{
    causes.append({QStringLiteral("FieldValueTooLong"),
                   QStringLiteral("Too long: must have at most %1 bytes").arg(maxBytes), field});
}

Error invalidError(const QString& kind, const QString& group, const QString& name, const Causes& causes)
{
    const QString qualifiedKind = group.isEmpty() ? kind : kind + QLatin1Char('.') + group;
    QString message = qualifiedKind + QLatin1Char(' ') + goQuote(name) + QStringLiteral(" is invalid");
    if (!causes.isEmpty())
        message += QStringLiteral(": ") + aggregateMessage(causes);
    Error error(ErrorCategory::Invalid, message);
    error.setReason(QStringLiteral("Invalid"));
    error.setHttpCode(422);
    error.setDetails(name, kind, group);
    for (const auto& cause : causes)
        error.addCause(cause);
    return error;
}

} // namespace vk::api::validation
