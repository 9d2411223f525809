// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"

#include "core/Json.h"

#include <QStringList>

namespace vk::sandbox::detail {

QString objectMetaDescription(const QString& field)
{
    if (field == QLatin1String("name"))
        return QStringLiteral(
            "Name must be unique within a namespace. Is required when creating resources, although some resources "
            "may allow a client to request the generation of an appropriate name automatically. Name is primarily "
            "intended for creation idempotence and configuration definition. Cannot be updated. More info: "
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");
    if (field == QLatin1String("creationTimestamp"))
        return QStringLiteral(
            "CreationTimestamp is a timestamp representing the server time when this object was created. It is not "
            "guaranteed to be set in happens-before order across separate operations. Clients may not set this "
            "value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for "
            "lists. More info: "
            "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    return {};
}

TableColumn nameColumn()
{
    return {QStringLiteral("Name"), QStringLiteral("string"), QStringLiteral("name"),
            objectMetaDescription(QStringLiteral("name")), 0};
}

TableColumn ageColumn()
{
    return {QStringLiteral("Age"), QStringLiteral("string"), QString(),
            objectMetaDescription(QStringLiteral("creationTimestamp")), 0};
}

QList<TableColumn> defaultColumns()
{
    return {nameColumn(),
            {QStringLiteral("Created At"), QStringLiteral("date"), QString(),
             objectMetaDescription(QStringLiteral("creationTimestamp")), 0}};
}

QJsonArray defaultTableCells(const QJsonObject& object, const QDateTime& /*now*/)
{
    const QDateTime created = timeField(metadataOf(object), QLatin1String("creationTimestamp"));
    return {nameOf(object), created.isValid() ? json::formatTime(created) : QStringLiteral("0001-01-01T00:00:00Z")};
}

QString translateTimestampSince(const QDateTime& time, const QDateTime& now)
{
    if (!time.isValid())
        return QStringLiteral("<unknown>");
    return humanDuration(time, now);
}

QString ageOf(const QJsonObject& object, const QDateTime& now)
{
    return translateTimestampSince(timeField(metadataOf(object), QLatin1String("creationTimestamp")), now);
}

QString formatLabels(const QJsonObject& labels)
{
    QStringList pairs;
    for (auto it = labels.begin(); it != labels.end(); ++it) // QJsonObject iterates in key order
        pairs.append(it.key() + QLatin1Char('=') + it.value().toString());
    if (pairs.isEmpty())
        return QStringLiteral("<none>");
    return pairs.join(QLatin1Char(','));
}

QString metadataFieldValue(const QJsonObject& object, const QString& field, bool* known)
{
    *known = true;
    if (field == QLatin1String("metadata.name"))
        return nameOf(object);
    if (field == QLatin1String("metadata.namespace"))
        return stringField(metadataOf(object), QLatin1String("namespace"));
    *known = false;
    return {};
}

} // namespace vk::sandbox::detail
