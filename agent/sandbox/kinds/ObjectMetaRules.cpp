// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/ObjectMetaRules.h"

#include "sandbox/kinds/JsonFields.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

const QString kDns1035LabelFmt = QStringLiteral("[a-z]([-a-z0-9]*[a-z0-9])?");

// The DNS-1035 message in the same wording generation as the api library's DNS-1123 messages (which changed from
// "a DNS-1123 label" to "a lowercase RFC 1123 label" in Kubernetes 1.34).
QString dns1035LabelMessage()
{
    static const QString message = [] {
        const QStringList probe = av::dns1123LabelErrors(QStringLiteral("-"));
        const bool rfcWording = !probe.isEmpty() && probe.first().startsWith(QStringLiteral("a lowercase RFC 1123"));
        QString text = rfcWording ? QStringLiteral("a lowercase RFC 1035 label") : QStringLiteral("a DNS-1035 label");
        text.append(QStringLiteral(" must consist of lower case alphanumeric characters or '-', start with an "
                                   "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                                   "'abc-123', regex used for validation is '"));
        text.append(kDns1035LabelFmt);
        text.append(QStringLiteral("')"));
        return text;
    }();
    return message;
}

QString maskTrailingDash(const QString& name)
{
    if (name.size() > 1 && name.endsWith(QLatin1Char('-')))
        return name.left(name.size() - 2) + QLatin1Char('a');
    return name;
}

void validateOwnerReferences(const QJsonArray& refs, Causes& causes)
{
    for (qsizetype i = 0; i < refs.size(); ++i) {
        const QJsonObject ref = refs.at(i).toObject();
        const QString base = QStringLiteral("metadata.ownerReferences[%1]").arg(i);
        const QString apiVersion = stringField(ref, QLatin1String("apiVersion"));
        const QString version = apiVersion.section(QLatin1Char('/'), -1);
        if (version.isEmpty())
            av::invalid(base + QStringLiteral(".apiVersion"), version, QStringLiteral("version must not be empty"),
                        causes);
        if (stringField(ref, QLatin1String("kind")).isEmpty())
            av::invalid(base + QStringLiteral(".kind"), QString(), QStringLiteral("kind must not be empty"), causes);
        if (stringField(ref, QLatin1String("name")).isEmpty())
            av::invalid(base + QStringLiteral(".name"), QString(), QStringLiteral("name must not be empty"), causes);
        if (stringField(ref, QLatin1String("uid")).isEmpty())
            av::invalid(base + QStringLiteral(".uid"), QString(), QStringLiteral("uid must not be empty"), causes);
    }
}

} // namespace

QStringList dns1035LabelErrors(const QString& value)
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(kDns1035LabelFmt));
    QStringList errs;
    if (value.toUtf8().size() > 63)
        errs.append(QStringLiteral("must be no more than 63 characters"));
    if (!re.match(value).hasMatch())
        errs.append(dns1035LabelMessage());
    return errs;
}

QStringList nameErrors(NameRule rule, const QString& value, bool prefix)
{
    const QString name = prefix ? maskTrailingDash(value) : value;
    switch (rule) {
    case NameRule::Dns1123Subdomain:
        return av::dns1123SubdomainErrors(name);
    case NameRule::Dns1123Label:
        return av::dns1123LabelErrors(name);
    case NameRule::Dns1035Label:
        return dns1035LabelErrors(name);
    case NameRule::PathSegment: {
        // path.IsValidPathSegmentName
        if (name == QLatin1String(".") || name == QLatin1String(".."))
            return {QStringLiteral("may not be '%1'").arg(name)};
        QStringList errors;
        for (const char* illegal : {"/", "%"}) {
            if (name.contains(QLatin1String(illegal)))
                errors.append(QStringLiteral("may not contain '%1'").arg(QLatin1String(illegal)));
        }
        return errors;
    }
    }
    return {};
}

void requiredWithDetail(const QString& field, const QString& detail, Causes& causes)
{
    causes.append({QStringLiteral("FieldValueRequired"), QStringLiteral("Required value: ") + detail, field});
}

void immutableField(const QString& field, const QJsonValue& value, const QJsonValue& oldValue, Causes& causes)
{
    if (value != oldValue)
        av::invalid(field, value, QStringLiteral("field is immutable"), causes);
}

void validateObjectMeta(const QJsonObject& object, bool namespaced, NameRule rule, Causes& causes)
{
    const QJsonObject meta = metadataOf(object);
    const QString generateName = stringField(meta, QLatin1String("generateName"));
    if (!generateName.isEmpty()) {
        for (const QString& msg : nameErrors(rule, generateName, true))
            av::invalid(QStringLiteral("metadata.generateName"), generateName, msg, causes);
    }
    const QString name = stringField(meta, QLatin1String("name"));
    if (name.isEmpty()) {
        requiredWithDetail(QStringLiteral("metadata.name"), QStringLiteral("name or generateName is required"), causes);
    } else {
        for (const QString& msg : nameErrors(rule, name))
            av::invalid(QStringLiteral("metadata.name"), name, msg, causes);
    }
    const QString ns = stringField(meta, QLatin1String("namespace"));
    if (namespaced) {
        if (ns.isEmpty()) {
            av::required(QStringLiteral("metadata.namespace"), causes);
        } else {
            for (const QString& msg : av::dns1123LabelErrors(ns))
                av::invalid(QStringLiteral("metadata.namespace"), ns, msg, causes);
        }
    } else if (!ns.isEmpty()) {
        av::forbidden(QStringLiteral("metadata.namespace"), QStringLiteral("not allowed on this type"), causes);
    }
    const qint64 generation = intField(meta, QLatin1String("generation"));
    if (generation < 0)
        av::invalid(QStringLiteral("metadata.generation"), generation,
                    QStringLiteral("must be greater than or equal to 0"), causes);
    av::objectMetaLabelsAndAnnotations(meta, causes);
    validateOwnerReferences(arrayField(meta, QLatin1String("ownerReferences")), causes);
    const QJsonArray finalizers = arrayField(meta, QLatin1String("finalizers"));
    for (const QJsonValue& finalizer : finalizers) {
        for (const QString& msg : av::qualifiedNameErrors(finalizer.toString()))
            av::invalid(QStringLiteral("metadata.finalizers"), finalizer, msg, causes);
    }
}

void validateObjectMetaUpdate(const QJsonObject& object, const QJsonObject& old, Causes& causes)
{
    const QJsonObject meta = metadataOf(object);
    const QJsonObject oldMeta = metadataOf(old);
    immutableField(QStringLiteral("metadata.name"), meta.value(QLatin1String("name")).toString(),
                   oldMeta.value(QLatin1String("name")).toString(), causes);
    immutableField(QStringLiteral("metadata.namespace"), meta.value(QLatin1String("namespace")).toString(),
                   oldMeta.value(QLatin1String("namespace")).toString(), causes);
}

} // namespace vk::sandbox::detail
