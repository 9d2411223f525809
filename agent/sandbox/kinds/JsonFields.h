// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Small accessors for reading Kubernetes objects held as QJsonObject. Missing or mistyped fields read as empty,
// like Go's zero values after decoding.
namespace vk::sandbox::detail {

inline QJsonObject objectField(const QJsonObject& object, QLatin1String key)
{
    return object.value(key).toObject();
}

inline QJsonArray arrayField(const QJsonObject& object, QLatin1String key)
{
    return object.value(key).toArray();
}

inline QString stringField(const QJsonObject& object, QLatin1String key)
{
    return object.value(key).toString();
}

/// Integer fields (int32/int64); Go decodes absent as 0.
inline qint64 intField(const QJsonObject& object, QLatin1String key)
{
    return object.value(key).toInteger();
}

inline bool boolField(const QJsonObject& object, QLatin1String key)
{
    return object.value(key).toBool();
}

/// Whether a field is present and not null (a Go pointer that is set).
inline bool hasField(const QJsonObject& object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    return !value.isUndefined() && !value.isNull();
}

inline QJsonObject metadataOf(const QJsonObject& object)
{
    return objectField(object, QLatin1String("metadata"));
}

inline QString nameOf(const QJsonObject& object)
{
    return stringField(metadataOf(object), QLatin1String("name"));
}

/// A metav1.Time or MicroTime field; an invalid QDateTime when absent (Go's zero time).
QDateTime timeField(const QJsonObject& object, QLatin1String key);

/// "true"/"false", as strconv.FormatBool.
inline QString boolString(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

} // namespace vk::sandbox::detail
