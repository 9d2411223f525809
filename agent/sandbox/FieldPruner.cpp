// SPDX-License-Identifier: Apache-2.0
#include "sandbox/FieldPruner.h"

#include "sandbox/Logging.h"
#include "sandbox/kinds/Kinds.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace vk::sandbox {

namespace {
const QLatin1String kRefPrefix("#/components/schemas/");
constexpr int kMaxDepth = 64;

QString kindKey(const QString& group, const QString& version, const QString& kind)
{
    return group + QLatin1Char('/') + version + QLatin1Char('/') + kind;
}
} // namespace

const FieldPruner& FieldPruner::instance()
{
    static const FieldPruner pruner;
    return pruner;
}

FieldPruner::FieldPruner()
{
    QFile file(QStringLiteral(":/vk/sandbox/kinds/openapi/schemas.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcSandbox) << "no OpenAPI schemas embedded: unknown fields are kept";
        return;
    }
    m_schemas = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("schemas")).toObject();
    for (auto it = m_schemas.begin(); it != m_schemas.end(); ++it) {
        const QJsonArray gvks = it.value().toObject().value(QLatin1String("x-kubernetes-group-version-kind")).toArray();
        for (const auto& g : gvks) {
            const QJsonObject gvk = g.toObject();
            m_schemaByKind.insert(kindKey(gvk.value(QLatin1String("group")).toString(),
                                          gvk.value(QLatin1String("version")).toString(),
                                          gvk.value(QLatin1String("kind")).toString()),
                                  it.key());
        }
    }
}

QJsonObject FieldPruner::resolve(const QJsonObject& schema) const
{
    QJsonObject current = schema;
    for (int hops = 0; hops < 8; ++hops) {
        QString ref = current.value(QLatin1String("$ref")).toString();
        if (ref.isEmpty()) {
            const QJsonArray allOf = current.value(QLatin1String("allOf")).toArray();
            if (allOf.size() == 1)
                ref = allOf.first().toObject().value(QLatin1String("$ref")).toString();
        }
        if (!ref.startsWith(kRefPrefix))
            return current;
        current = m_schemas.value(ref.mid(kRefPrefix.size())).toObject();
    }
    return current;
}

QStringList FieldPruner::prune(const ResourceType& type, QJsonObject& object) const
{
    QStringList unknown;
    // Nearly every object is clean: find that out without rebuilding it.
    if (isClean(type, object))
        return unknown;
    const QString name = m_schemaByKind.value(kindKey(type.group, type.version, type.kind));
    object = pruneValue(object, m_schemas.value(name).toObject(), QString(), unknown, 0).toObject();
    return unknown;
}

bool FieldPruner::isClean(const ResourceType& type, const QJsonObject& object) const
{
    const QString name = m_schemaByKind.value(kindKey(type.group, type.version, type.kind));
    return name.isEmpty() || !hasUnknown(object, m_schemas.value(name).toObject(), 0);
}

QStringList FieldPruner::pruneMembers(const ResourceType& type, QJsonObject& object, const QStringList& members) const
{
    QStringList unknown;
    const QString name = m_schemaByKind.value(kindKey(type.group, type.version, type.kind));
    if (name.isEmpty())
        return unknown;
    const QJsonObject properties =
        resolve(m_schemas.value(name).toObject()).value(QLatin1String("properties")).toObject();
    const auto clean = [&] {
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const auto property = properties.constFind(it.key());
            if (property == properties.constEnd())
                return false;
            if (members.contains(it.key()) && hasUnknown(it.value(), property->toObject(), 1))
                return false;
        }
        return true;
    };
    if (clean())
        return unknown;
    for (auto it = object.begin(); it != object.end();) {
        if (!properties.contains(it.key())) {
            unknown.append(it.key());
            it = object.erase(it);
            continue;
        }
        if (members.contains(it.key()))
            it.value() = pruneValue(it.value(), properties.value(it.key()).toObject(), it.key(), unknown, 1);
        ++it;
    }
    return unknown;
}

QJsonObject FieldPruner::checkedSchema(const QJsonValue& value, const QJsonObject& rawSchema, int depth) const
{
    const QJsonObject schema = resolve(rawSchema);
    if (depth > kMaxDepth || schema.isEmpty() ||
        schema.value(QLatin1String("x-kubernetes-preserve-unknown-fields")).toBool())
        return {};
    if (value.isObject()) {
        // A free-form object (RawExtension, FieldsV1, ...) has neither.
        if (schema.value(QLatin1String("properties")).toObject().isEmpty() &&
            !schema.value(QLatin1String("additionalProperties")).isObject())
            return {};
        return schema;
    }
    if (value.isArray() && !schema.value(QLatin1String("items")).toObject().isEmpty())
        return schema;
    return {};
}

std::optional<QJsonObject> FieldPruner::memberSchema(const QJsonObject& schema, const QString& key)
{
    const QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
    if (const auto property = properties.constFind(key); property != properties.constEnd())
        return property->toObject();
    const QJsonValue additional = schema.value(QLatin1String("additionalProperties"));
    if (additional.isObject())
        return additional.toObject();
    return std::nullopt;
}

bool FieldPruner::hasUnknown(const QJsonValue& value, const QJsonObject& rawSchema, int depth) const
{
    // What pruneValue() would find, without building anything.
    const QJsonObject schema = checkedSchema(value, rawSchema, depth);
    if (schema.isEmpty())
        return false;
    if (value.isObject()) {
        const QJsonObject in = value.toObject();
        for (auto it = in.constBegin(); it != in.constEnd(); ++it) {
            const std::optional<QJsonObject> child = memberSchema(schema, it.key());
            if (!child || hasUnknown(it.value(), *child, depth + 1))
                return true;
        }
        return false;
    }
    const QJsonObject items = schema.value(QLatin1String("items")).toObject();
    const QJsonArray in = value.toArray();
    for (const QJsonValue& item : in) {
        if (hasUnknown(item, items, depth + 1))
            return true;
    }
    return false;
}

QJsonValue FieldPruner::pruneValue(
    const QJsonValue& value, const QJsonObject& rawSchema, const QString& path, QStringList& unknown, int depth) const
{
    const QJsonObject schema = checkedSchema(value, rawSchema, depth);
    if (schema.isEmpty())
        return value;
    if (value.isObject()) {
        const QJsonObject in = value.toObject();
        QJsonObject out;
        for (auto it = in.constBegin(); it != in.constEnd(); ++it) {
            const QString childPath = path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key();
            if (const std::optional<QJsonObject> child = memberSchema(schema, it.key()))
                out.insert(it.key(), pruneValue(it.value(), *child, childPath, unknown, depth + 1));
            else
                unknown.append(childPath);
        }
        return out;
    }
    const QJsonObject items = schema.value(QLatin1String("items")).toObject();
    const QJsonArray in = value.toArray();
    QJsonArray out;
    for (qsizetype i = 0; i < in.size(); ++i)
        out.append(pruneValue(in.at(i), items, QStringLiteral("%1[%2]").arg(path).arg(i), unknown, depth + 1));
    return out;
}

} // namespace vk::sandbox
