// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

// JSON and YAML helpers shared by the client, the sandbox and the agent.
namespace vk::json {

/// Parses one YAML document (YAML 1.2 core schema for plain scalars) into JSON. `source` names the file or
/// request in error messages, which also carry the line and column.
Result<QJsonValue> fromYaml(const QByteArray& text, const QString& source);
/// Parses every document of a multi-document YAML stream; empty documents are skipped.
Result<QList<QJsonValue>> fromYamlStream(const QByteArray& text, const QString& source);
/// Emits block-style YAML, as kubectl -o yaml does.
QByteArray toYaml(const QJsonValue& value);

/// Parses a JSON object; the error names `source` and the offset.
Result<QJsonObject> parseObject(const QByteArray& text, const QString& source);
/// Parses JSON, or YAML when contentType says so (application/yaml) or when the text is not JSON.
Result<QJsonObject> parseObjectJsonOrYaml(const QByteArray& text, const QByteArray& contentType, const QString& source);

QByteArray compact(const QJsonObject& object);

/// A 64-bit hash of a JSON value's content, for telling whether two values are equal without keeping or
/// serializing them: equal values (objects compare with their keys sorted, as QJsonObject keeps them) hash equal,
/// different ones collide with negligible probability. Stable across processes and runs; not cryptographic.
quint64 hash(const QJsonValue& value, quint64 seed = 0);
/// Combines hashes so that the order does not matter (a multiset: duplicates count), e.g. for lists compared
/// without regard to order.
inline quint64 unorderedCombine(quint64 sum, quint64 itemHash)
{
    // splitmix64's finalizer spreads every item's bits before the (commutative) sum.
    itemHash += 0x9e3779b97f4a7c15ULL;
    itemHash = (itemHash ^ (itemHash >> 30)) * 0xbf58476d1ce4e5b9ULL;
    itemHash = (itemHash ^ (itemHash >> 27)) * 0x94d049bb133111ebULL;
    return sum + (itemHash ^ (itemHash >> 31));
}

/// RFC 3339 with seconds ("2026-11-22T00:13:34Z"), as metav1.Time.
QString formatTime(const QDateTime& time);
/// RFC 3339 with microseconds ("2026-11-22T00:13:34.123456Z"), as metav1.MicroTime.
QString formatMicroTime(const QDateTime& time);
/// Parses metav1.Time or MicroTime; invalid QDateTime when malformed.
QDateTime parseTime(const QString& text);

/// Reads a nested value by path ("metadata", "name"); Undefined when any step is missing.
QJsonValue at(const QJsonObject& object, std::initializer_list<QLatin1String> path);

/// One field of an object as a string, object or array (empty when missing or of another type).
inline QString str(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1String(key)).toString();
}
inline QJsonObject obj(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1String(key)).toObject();
}
inline QJsonArray arr(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1String(key)).toArray();
}

} // namespace vk::json
