// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace vk::sandbox {

struct ResourceType;

/// Drops the fields of an object that its kind's OpenAPI schema does not know, as kube-apiserver's decoder does,
/// and reports their paths ("spec.containers[0].imagePolicy") so the server can answer fieldValidation=Strict
/// with 400 "strict decoding error: unknown field ..." or add a Warning header (Warn, the default).
/// Uses the same schemas the sandbox serves at /openapi/v3.
class FieldPruner
{
public:
    static const FieldPruner& instance();

    /// Removes unknown fields in place; returns their paths, in document order. Kinds without a schema are left
    /// as they are.
    QStringList prune(const ResourceType& type, QJsonObject& object) const;
    /// As prune(), for a write whose other members come from the stored object (a /status write: its metadata and
    /// status): only the top-level members in `members` are walked; unknown top-level members are still dropped and
    /// reported, known ones not in `members` are kept as they are.
    QStringList pruneMembers(const ResourceType& type, QJsonObject& object, const QStringList& members) const;

    /// Whether nothing in `object` is unknown to the kind's schema (read only). A merge patch (a partial object) that
    /// is clean cannot add an unknown field to a clean stored object, so its result needs no walk.
    bool isClean(const ResourceType& type, const QJsonObject& object) const;

private:
    FieldPruner();
    /// The resolved schema whose fields a value's members (or items) are checked against; empty when nothing below
    /// the value is checked (too deep, no schema, preserve-unknown-fields, a free-form object, a scalar).
    QJsonObject checkedSchema(const QJsonValue& value, const QJsonObject& rawSchema, int depth) const;
    /// The schema of an object's member `key` under a checked schema; none when the member is unknown.
    static std::optional<QJsonObject> memberSchema(const QJsonObject& schema, const QString& key);
    /// Whether pruneValue() would find an unknown field (read only: nothing is copied or built).
    bool hasUnknown(const QJsonValue& value, const QJsonObject& schema, int depth) const;
    QJsonValue pruneValue(
        const QJsonValue& value, const QJsonObject& schema, const QString& path, QStringList& unknown, int depth) const;
    QJsonObject resolve(const QJsonObject& schema) const;

    QJsonObject m_schemas;                  ///< components.schemas
    QHash<QString, QString> m_schemaByKind; ///< "group/version/Kind" -> schema name
};

} // namespace vk::sandbox
