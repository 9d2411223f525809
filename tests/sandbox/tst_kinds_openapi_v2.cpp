// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/Kinds.h"
#include "sandbox/kinds/OpenApiV2.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include <algorithm>

using namespace vk::sandbox;

namespace {

const QString kDefinitionPrefix = QStringLiteral("#/definitions/");
const QStringList kMethods{QStringLiteral("get"),    QStringLiteral("put"),     QStringLiteral("post"),
                           QStringLiteral("delete"), QStringLiteral("options"), QStringLiteral("head"),
                           QStringLiteral("patch")};

QJsonObject v2Document()
{
    return QJsonDocument::fromJson(openApiV2Json()).object();
}

QJsonObject definitions()
{
    return v2Document().value(QLatin1String("definitions")).toObject();
}

QJsonObject paths()
{
    return v2Document().value(QLatin1String("paths")).toObject();
}

void collectRefs(const QJsonValue& value, QSet<QString>& out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("$ref"))
                out.insert(it.value().toString());
            else
                collectRefs(it.value(), out);
        }
    } else if (value.isArray()) {
        for (const QJsonValue& item : value.toArray())
            collectRefs(item, out);
    }
}

void collectKeys(const QJsonValue& value, QSet<QString>& out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            out.insert(it.key());
            collectKeys(it.value(), out);
        }
    } else if (value.isArray()) {
        for (const QJsonValue& item : value.toArray())
            collectKeys(item, out);
    }
}

bool gvkListHas(const QJsonValue& extension, const QString& group, const QString& version, const QString& kind)
{
    const auto matches = [&](const QJsonObject& g) {
        return g.value(QLatin1String("group")).toString() == group &&
               g.value(QLatin1String("version")).toString() == version &&
               g.value(QLatin1String("kind")).toString() == kind;
    };
    if (extension.isObject())
        return matches(extension.toObject());
    for (const QJsonValue& g : extension.toArray()) {
        if (matches(g.toObject()))
            return true;
    }
    return false;
}

QString schemaNameFor(const QString& group, const QString& version, const QString& kind)
{
    if (group.isEmpty())
        return QStringLiteral("io.k8s.api.core.") + version + QLatin1Char('.') + kind;
    return QStringLiteral("io.k8s.api.") + group.section(QLatin1Char('.'), 0, 0) + QLatin1Char('.') + version +
           QLatin1Char('.') + kind;
}

// ---- A minimal protobuf wire-format reader ----------------------------------------------------------------------

struct WireField
{
    quint32 number = 0;
    int wireType = 0;
    quint64 varint = 0;
    QByteArray bytes;
};

bool readVarint(const QByteArray& data, qsizetype& pos, quint64& out)
{
    out = 0;
    for (int shift = 0; pos < data.size() && shift < 64; shift += 7) {
        const auto byte = quint8(data.at(pos++));
        out |= quint64(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0)
            return true;
    }
    return false;
}

bool parseWire(const QByteArray& data, QList<WireField>& fields)
{
    qsizetype pos = 0;
    while (pos < data.size()) {
        quint64 key = 0;
        if (!readVarint(data, pos, key))
            return false;
        WireField field;
        field.number = quint32(key >> 3);
        field.wireType = int(key & 7);
        if (field.number == 0)
            return false;
        switch (field.wireType) {
        case 0:
            if (!readVarint(data, pos, field.varint))
                return false;
            break;
        case 1:
        case 5: {
            const qsizetype size = field.wireType == 1 ? 8 : 4;
            if (pos + size > data.size())
                return false;
            field.bytes = data.mid(pos, size);
            pos += size;
            break;
        }
        case 2: {
            quint64 length = 0;
            if (!readVarint(data, pos, length) || length > quint64(data.size() - pos))
                return false;
            field.bytes = data.mid(pos, qsizetype(length));
            pos += qsizetype(length);
            break;
        }
        default:
            return false;
        }
        fields.append(field);
    }
    return true;
}

/// One decoded message level: fields by number, in wire order.
class Message
{
public:
    explicit Message(const QByteArray& data) { m_ok = parseWire(data, m_fields); }

    bool ok() const { return m_ok; }
    bool has(quint32 number) const
    {
        return std::any_of(m_fields.begin(), m_fields.end(),
                           [number](const WireField& f) { return f.number == number; });
    }
    QList<QByteArray> all(quint32 number) const
    {
        QList<QByteArray> out;
        for (const WireField& f : m_fields) {
            if (f.number == number && f.wireType == 2)
                out.append(f.bytes);
        }
        return out;
    }
    QByteArray bytes(quint32 number) const
    {
        const QList<QByteArray> found = all(number);
        return found.isEmpty() ? QByteArray() : found.last();
    }
    Message message(quint32 number) const { return Message(bytes(number)); }
    QString string(quint32 number) const { return QString::fromUtf8(bytes(number)); }
    QStringList strings(quint32 number) const
    {
        QStringList out;
        for (const QByteArray& b : all(number))
            out.append(QString::fromUtf8(b));
        return out;
    }
    bool boolean(quint32 number) const
    {
        for (const WireField& f : m_fields) {
            if (f.number == number && f.wireType == 0)
                return f.varint != 0;
        }
        return false;
    }

private:
    QList<WireField> m_fields;
    bool m_ok = false;
};

/// openapi_v2.Any.yaml as generated (JSON text, which is YAML) back to a JSON value.
QJsonValue anyValue(const Message& any)
{
    const QByteArray wrapped = '[' + any.bytes(2) + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

/// Map entries (NamedSchema, NamedAny, NamedPathItem, ...: name = 1, value = 2) by name.
QHash<QString, QByteArray> namedEntries(const Message& container, quint32 number)
{
    QHash<QString, QByteArray> out;
    for (const QByteArray& entry : container.all(number)) {
        const Message named(entry);
        out.insert(named.string(1), named.bytes(2));
    }
    return out;
}

QStringList namedOrder(const Message& container, quint32 number)
{
    QStringList out;
    for (const QByteArray& entry : container.all(number))
        out.append(Message(entry).string(1));
    return out;
}

QStringList jsonStrings(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out.append(v.toString());
    return out;
}

void compareExtensions(
    const Message& m, quint32 number, const QJsonObject& json, const QString& path, QStringList& problems)
{
    const QHash<QString, QByteArray> extensions = namedEntries(m, number);
    QSet<QString> expected;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!it.key().startsWith(QLatin1String("x-")))
            continue;
        expected.insert(it.key());
        if (!extensions.contains(it.key()))
            problems << path + QStringLiteral(": extension missing: ") + it.key();
        else if (anyValue(Message(extensions.value(it.key()))) != it.value())
            problems << path + QStringLiteral(": extension differs: ") + it.key();
    }
    if (QSet<QString>(extensions.keyBegin(), extensions.keyEnd()) != expected)
        problems << path + QStringLiteral(": unexpected extensions");
}

/// Compares a decoded openapi_v2.Schema with its JSON form, recursively; records differences in `problems`.
void compareSchema(const Message& s, const QJsonObject& json, const QString& path, QStringList& problems)
{
    if (!s.ok()) {
        problems << path + QStringLiteral(": malformed Schema message");
        return;
    }
    const auto check = [&](bool good, const char* what) {
        if (!good)
            problems << path + QStringLiteral(": ") + QLatin1String(what);
    };
    check(s.string(1) == json.value(QLatin1String("$ref")).toString(), "$ref");
    check(s.string(2) == json.value(QLatin1String("format")).toString(), "format");
    check(s.string(4) == json.value(QLatin1String("description")).toString(), "description");
    check(s.strings(19) == jsonStrings(json.value(QLatin1String("required"))), "required");
    const QJsonValue type = json.value(QLatin1String("type"));
    check(s.has(22) == !type.isUndefined(), "type presence");
    if (!type.isUndefined())
        check(s.message(22).strings(1) == QStringList{type.toString()}, "type");
    const QJsonValue items = json.value(QLatin1String("items"));
    check(s.has(23) == !items.isUndefined(), "items presence");
    if (!items.isUndefined()) {
        const QList<QByteArray> itemSchemas = s.message(23).all(1);
        check(itemSchemas.size() == 1, "exactly one items schema");
        if (itemSchemas.size() == 1)
            compareSchema(Message(itemSchemas.first()), items.toObject(), path + QStringLiteral("[]"), problems);
    }
    const QJsonValue additional = json.value(QLatin1String("additionalProperties"));
    check(s.has(21) == !additional.isUndefined(), "additionalProperties presence");
    if (additional.isObject())
        compareSchema(s.message(21).message(1), additional.toObject(), path + QStringLiteral("{}"), problems);
    const QJsonValue properties = json.value(QLatin1String("properties"));
    check(s.has(25) == !properties.isUndefined(), "properties presence");
    if (properties.isObject()) {
        const QHash<QString, QByteArray> decoded = namedEntries(s.message(25), 1);
        const QJsonObject props = properties.toObject();
        check(decoded.size() == props.size(), "property count");
        for (auto it = props.begin(); it != props.end(); ++it) {
            if (!decoded.contains(it.key()))
                problems << path + QStringLiteral(": property missing: ") + it.key();
            else
                compareSchema(Message(decoded.value(it.key())), it.value().toObject(),
                              path + QLatin1Char('.') + it.key(), problems);
        }
    }
    compareExtensions(s, 31, json, path, problems);
}

/// ParametersItem -> (in, name, required): body parameters are oneof 1, query 2.3, path 2.4.
struct DecodedParameter
{
    QString in;
    QString name;
    bool required = false;
    QString schemaRef;
};

DecodedParameter decodeParameter(const QByteArray& parametersItem)
{
    const Message parameter = Message(parametersItem).message(1);
    DecodedParameter out;
    if (parameter.has(1)) {
        const Message body = parameter.message(1);
        out = {body.string(3), body.string(2), body.boolean(4), body.message(5).string(1)};
    } else {
        const Message nonBody = parameter.message(2);
        const Message sub = nonBody.has(3) ? nonBody.message(3) : nonBody.message(4);
        out = {sub.string(2), sub.string(4), sub.boolean(1), QString()};
    }
    return out;
}

} // namespace

class TstKindsOpenApiV2 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonIsSwagger20();
    void podDefinitionHasGroupVersionKind();
    void everyRefResolvesToADefinition();
    void definitionsHaveNoOpenApi3Constructs();
    void servedKindsHaveDefinitionsAndWritablePaths_data();
    void servedKindsHaveDefinitionsAndWritablePaths();
    void agreesWithOpenApiV3Paths();
    void agreesWithOpenApiV3Schemas();
    void protobufDecodesToTheDocument();
    void protobufDefinitionsMatchJson();
    void protobufPathsMatchJson();
    void etagIsStableAndHashesTheJson();
    void negotiation_data();
    void negotiation();
};

void TstKindsOpenApiV2::jsonIsSwagger20()
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(openApiV2Json(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject root = doc.object();
    QCOMPARE(root.value(QLatin1String("swagger")).toString(), QStringLiteral("2.0"));
    QCOMPARE(root.value(QLatin1String("info")).toObject().value(QLatin1String("title")).toString(),
             QStringLiteral("Kubernetes"));
    QCOMPARE(root.value(QLatin1String("info")).toObject().value(QLatin1String("version")).toString(),
             QStringLiteral("v1.32.0"));
    const QJsonObject bearer =
        root.value(QLatin1String("securityDefinitions")).toObject().value(QLatin1String("BearerToken")).toObject();
    QCOMPARE(bearer.value(QLatin1String("type")).toString(), QStringLiteral("apiKey"));
    QCOMPARE(bearer.value(QLatin1String("name")).toString(), QStringLiteral("authorization"));
    QCOMPARE(bearer.value(QLatin1String("in")).toString(), QStringLiteral("header"));
    QVERIFY(root.value(QLatin1String("security")).toArray().at(0).toObject().contains(QLatin1String("BearerToken")));
    QVERIFY(!root.contains(QLatin1String("openapi")));
    QVERIFY(!root.contains(QLatin1String("components")));
}

void TstKindsOpenApiV2::podDefinitionHasGroupVersionKind()
{
    const QJsonObject pod = definitions().value(QLatin1String("io.k8s.api.core.v1.Pod")).toObject();
    QVERIFY(!pod.isEmpty());
    QVERIFY(gvkListHas(pod.value(QLatin1String("x-kubernetes-group-version-kind")), QString(), QStringLiteral("v1"),
                       QStringLiteral("Pod")));
    const QJsonObject spec = pod.value(QLatin1String("properties")).toObject().value(QLatin1String("spec")).toObject();
    // v2 keeps a description next to $ref (v3 wraps it in allOf).
    QCOMPARE(spec.value(QLatin1String("$ref")).toString(), QStringLiteral("#/definitions/io.k8s.api.core.v1.PodSpec"));
    QVERIFY(!spec.value(QLatin1String("description")).toString().isEmpty());
    const QJsonObject containers = definitions()
                                       .value(QLatin1String("io.k8s.api.core.v1.PodSpec"))
                                       .toObject()
                                       .value(QLatin1String("properties"))
                                       .toObject()
                                       .value(QLatin1String("containers"))
                                       .toObject();
    QCOMPARE(containers.value(QLatin1String("x-kubernetes-patch-merge-key")).toString(), QStringLiteral("name"));
    QCOMPARE(containers.value(QLatin1String("items")).toObject().value(QLatin1String("$ref")).toString(),
             QStringLiteral("#/definitions/io.k8s.api.core.v1.Container"));
}

void TstKindsOpenApiV2::everyRefResolvesToADefinition()
{
    const QJsonObject root = v2Document();
    const QJsonObject defs = root.value(QLatin1String("definitions")).toObject();
    QSet<QString> refs;
    collectRefs(root, refs);
    QVERIFY(refs.size() > 100);
    for (const QString& ref : std::as_const(refs)) {
        QVERIFY2(ref.startsWith(kDefinitionPrefix), qPrintable(ref));
        QVERIFY2(defs.contains(ref.mid(kDefinitionPrefix.size())), qPrintable(ref));
    }
}

void TstKindsOpenApiV2::definitionsHaveNoOpenApi3Constructs()
{
    QSet<QString> keys;
    collectKeys(definitions(), keys);
    for (const char* v3Only : {"allOf", "oneOf", "anyOf", "nullable", "x-kubernetes-int-or-string"})
        QVERIFY2(!keys.contains(QLatin1String(v3Only)), v3Only);
    const QJsonObject intOrString =
        definitions().value(QLatin1String("io.k8s.apimachinery.pkg.util.intstr.IntOrString")).toObject();
    QCOMPARE(intOrString.value(QLatin1String("type")).toString(), QStringLiteral("string"));
    QCOMPARE(intOrString.value(QLatin1String("format")).toString(), QStringLiteral("int-or-string"));
    const QJsonObject quantity =
        definitions().value(QLatin1String("io.k8s.apimachinery.pkg.api.resource.Quantity")).toObject();
    QCOMPARE(quantity.value(QLatin1String("type")).toString(), QStringLiteral("string"));
}

void TstKindsOpenApiV2::servedKindsHaveDefinitionsAndWritablePaths_data()
{
    QTest::addColumn<QString>("group");
    QTest::addColumn<QString>("resource");
    for (const ResourceType& type : builtinResourceTypes()) {
        const QString row = type.kind + QStringLiteral(" (") +
                            (type.group.isEmpty() ? QStringLiteral("core") : type.group) + QLatin1Char('/') +
                            type.version +
                            QStringLiteral(") has a definition with its group-version-kind and paths "
                                           "for its verbs");
        QTest::newRow(qPrintable(row)) << type.group << type.resource;
    }
}

void TstKindsOpenApiV2::servedKindsHaveDefinitionsAndWritablePaths()
{
    QFETCH(QString, group);
    QFETCH(QString, resource);
    const ResourceType* type = findResourceType(group, QString(), resource);
    QVERIFY(type);
    const QString schema = schemaNameFor(type->group, type->version, type->kind);
    const QJsonObject definition = definitions().value(schema).toObject();
    QVERIFY2(!definition.isEmpty(), qPrintable(schema));
    QVERIFY(gvkListHas(definition.value(QLatin1String("x-kubernetes-group-version-kind")), type->group, type->version,
                       type->kind));

    const QString root =
        type->group.isEmpty() ? QStringLiteral("/api/") + type->version : QStringLiteral("/apis/") + type->apiVersion();
    const QString collection =
        root + (type->namespaced ? QStringLiteral("/namespaces/{namespace}/") : QStringLiteral("/")) + type->resource;
    const QJsonObject all = paths();
    if (type->verbs.contains(QLatin1String("create"))) {
        const QJsonObject post = all.value(collection).toObject().value(QLatin1String("post")).toObject();
        QCOMPARE(post.value(QLatin1String("x-kubernetes-action")).toString(), QStringLiteral("post"));
        QVERIFY(gvkListHas(post.value(QLatin1String("x-kubernetes-group-version-kind")), type->group, type->version,
                           type->kind));
        const QJsonObject body = post.value(QLatin1String("parameters")).toArray().at(0).toObject();
        QCOMPARE(body.value(QLatin1String("in")).toString(), QStringLiteral("body"));
        QVERIFY(body.value(QLatin1String("required")).toBool());
        QCOMPARE(body.value(QLatin1String("schema")).toObject().value(QLatin1String("$ref")).toString(),
                 kDefinitionPrefix + schema);
    }
    if (type->verbs.contains(QLatin1String("patch"))) {
        // What kubectl's v2 QueryParamVerifier looks for: a PATCH tagged with the GVK that takes fieldValidation.
        const QJsonObject patch =
            all.value(collection + QStringLiteral("/{name}")).toObject().value(QLatin1String("patch")).toObject();
        QVERIFY(gvkListHas(patch.value(QLatin1String("x-kubernetes-group-version-kind")), type->group, type->version,
                           type->kind));
        QVERIFY(jsonStrings(patch.value(QLatin1String("consumes")))
                    .contains(QStringLiteral("application/strategic-merge-patch+json")));
        QStringList names;
        for (const QJsonValue& p : patch.value(QLatin1String("parameters")).toArray())
            names << p.toObject().value(QLatin1String("name")).toString();
        QVERIFY2(names.contains(QStringLiteral("fieldValidation")), qPrintable(names.join(QLatin1Char(','))));
    }
    if (type->verbs.contains(QLatin1String("list")))
        QVERIFY(all.value(collection).toObject().contains(QLatin1String("get")));
}

void TstKindsOpenApiV2::agreesWithOpenApiV3Paths()
{
    const QJsonObject v2Paths = paths();
    QSet<QString> v3PathNames;
    const QJsonObject index = openApiV3Index().value(QLatin1String("paths")).toObject();
    QVERIFY(!index.isEmpty());
    for (auto doc = index.begin(); doc != index.end(); ++doc) {
        const QJsonObject v3Paths = openApiV3Document(doc.key()).value(QLatin1String("paths")).toObject();
        QVERIFY2(!v3Paths.isEmpty(), qPrintable(doc.key()));
        for (auto it = v3Paths.begin(); it != v3Paths.end(); ++it) {
            v3PathNames.insert(it.key());
            QVERIFY2(v2Paths.contains(it.key()), qPrintable(it.key()));
            const QJsonObject v3Item = it.value().toObject();
            const QJsonObject v2Item = v2Paths.value(it.key()).toObject();
            for (const QString& method : kMethods) {
                const QString where = it.key() + QLatin1Char(' ') + method;
                QCOMPARE(v2Item.contains(method), v3Item.contains(method));
                if (!v3Item.contains(method))
                    continue;
                const QJsonObject v3Op = v3Item.value(method).toObject();
                const QJsonObject v2Op = v2Item.value(method).toObject();
                for (const char* key :
                     {"operationId", "x-kubernetes-action", "x-kubernetes-group-version-kind", "tags", "description"})
                    QVERIFY2(v2Op.value(QLatin1String(key)) == v3Op.value(QLatin1String(key)),
                             qPrintable(where + QLatin1Char(' ') + QLatin1String(key)));
                // The same query parameters; the v3 requestBody is the v2 body parameter.
                QStringList v2Query, v3Query;
                QString v2Body;
                for (const QJsonValue& p : v2Op.value(QLatin1String("parameters")).toArray()) {
                    const QJsonObject param = p.toObject();
                    if (param.value(QLatin1String("in")).toString() == QLatin1String("body"))
                        v2Body =
                            param.value(QLatin1String("schema")).toObject().value(QLatin1String("$ref")).toString();
                    else
                        v2Query << param.value(QLatin1String("name")).toString();
                }
                for (const QJsonValue& p : v3Op.value(QLatin1String("parameters")).toArray())
                    v3Query << p.toObject().value(QLatin1String("name")).toString();
                QVERIFY2(v2Query == v3Query, qPrintable(where));
                QString v3Body;
                const QJsonObject content =
                    v3Op.value(QLatin1String("requestBody")).toObject().value(QLatin1String("content")).toObject();
                if (!content.isEmpty())
                    v3Body = content.begin()
                                 .value()
                                 .toObject()
                                 .value(QLatin1String("schema"))
                                 .toObject()
                                 .value(QLatin1String("$ref"))
                                 .toString();
                QCOMPARE(v2Body.section(QLatin1Char('/'), -1), v3Body.section(QLatin1Char('/'), -1));
            }
            // Same parameter names at path level.
            QStringList v2Names, v3Names;
            for (const QJsonValue& p : v2Item.value(QLatin1String("parameters")).toArray())
                v2Names << p.toObject().value(QLatin1String("name")).toString();
            for (const QJsonValue& p : v3Item.value(QLatin1String("parameters")).toArray())
                v3Names << p.toObject().value(QLatin1String("name")).toString();
            QVERIFY2(v2Names == v3Names, qPrintable(it.key()));
        }
    }
    QCOMPARE(v2Paths.size(), v3PathNames.size());
}

void TstKindsOpenApiV2::agreesWithOpenApiV3Schemas()
{
    const QJsonObject defs = definitions();
    int checked = 0;
    const QJsonObject index = openApiV3Index().value(QLatin1String("paths")).toObject();
    for (auto doc = index.begin(); doc != index.end(); ++doc) {
        const QJsonObject schemas = openApiV3Document(doc.key())
                                        .value(QLatin1String("components"))
                                        .toObject()
                                        .value(QLatin1String("schemas"))
                                        .toObject();
        for (auto it = schemas.begin(); it != schemas.end(); ++it) {
            QVERIFY2(defs.contains(it.key()), qPrintable(it.key()));
            const QJsonObject v3 = it.value().toObject();
            const QJsonObject v2 = defs.value(it.key()).toObject();
            QVERIFY2(v2.value(QLatin1String("properties")).toObject().keys() ==
                         v3.value(QLatin1String("properties")).toObject().keys(),
                     qPrintable(it.key()));
            QVERIFY2(v2.value(QLatin1String("required")) == v3.value(QLatin1String("required")), qPrintable(it.key()));
            QVERIFY2(v2.value(QLatin1String("x-kubernetes-group-version-kind")) ==
                         v3.value(QLatin1String("x-kubernetes-group-version-kind")),
                     qPrintable(it.key()));
            ++checked;
        }
    }
    QVERIFY(checked > 100);
}

void TstKindsOpenApiV2::protobufDecodesToTheDocument()
{
    const QByteArray pb = openApiV2Protobuf();
    QVERIFY(!pb.isEmpty());
    const Message document(pb);
    QVERIFY(document.ok());
    QCOMPARE(document.string(1), QStringLiteral("2.0"));
    const Message info = document.message(2);
    QCOMPARE(info.string(1), QStringLiteral("Kubernetes"));
    QCOMPARE(info.string(2), QStringLiteral("v1.32.0"));

    const QJsonObject root = v2Document();
    const Message defs = document.message(9);
    QVERIFY(defs.ok());
    QCOMPARE(defs.all(1).size(), root.value(QLatin1String("definitions")).toObject().size());
    const Message pathsMessage = document.message(8);
    QVERIFY(pathsMessage.ok());
    QCOMPARE(pathsMessage.all(2).size(), root.value(QLatin1String("paths")).toObject().size());

    // security: [{BearerToken: []}]; securityDefinitions.BearerToken is an ApiKeySecurity.
    QCOMPARE(namedOrder(document.message(12), 1), QStringList{QStringLiteral("BearerToken")});
    const QHash<QString, QByteArray> security = namedEntries(document.message(13), 1);
    QVERIFY(security.contains(QStringLiteral("BearerToken")));
    const Message apiKey = Message(security.value(QStringLiteral("BearerToken"))).message(2);
    QCOMPARE(apiKey.string(1), QStringLiteral("apiKey"));
    QCOMPARE(apiKey.string(2), QStringLiteral("authorization"));
    QCOMPARE(apiKey.string(3), QStringLiteral("header"));

    // The Pod definition: x-kubernetes-group-version-kind as Any{yaml} that reads back to the list kubectl expects.
    const QHash<QString, QByteArray> schemas = namedEntries(defs, 1);
    const Message pod(schemas.value(QStringLiteral("io.k8s.api.core.v1.Pod")));
    QVERIFY(pod.ok());
    const QHash<QString, QByteArray> extensions = namedEntries(pod, 31);
    QVERIFY(extensions.contains(QStringLiteral("x-kubernetes-group-version-kind")));
    QVERIFY(gvkListHas(anyValue(Message(extensions.value(QStringLiteral("x-kubernetes-group-version-kind")))),
                       QString(), QStringLiteral("v1"), QStringLiteral("Pod")));
    const QHash<QString, QByteArray> podProperties = namedEntries(pod.message(25), 1);
    QCOMPARE(Message(podProperties.value(QStringLiteral("spec"))).string(1),
             QStringLiteral("#/definitions/io.k8s.api.core.v1.PodSpec"));
}

void TstKindsOpenApiV2::protobufDefinitionsMatchJson()
{
    const QJsonObject defs = definitions();
    const Message definitionsMessage = Message(openApiV2Protobuf()).message(9);
    QStringList jsonOrder = defs.keys();
    QStringList pbOrder = namedOrder(definitionsMessage, 1);
    std::sort(jsonOrder.begin(), jsonOrder.end());
    std::sort(pbOrder.begin(), pbOrder.end());
    QCOMPARE(pbOrder, jsonOrder);
    const QHash<QString, QByteArray> decoded = namedEntries(definitionsMessage, 1);
    QStringList problems;
    for (auto it = defs.begin(); it != defs.end(); ++it)
        compareSchema(Message(decoded.value(it.key())), it.value().toObject(), it.key(), problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 10).join(QLatin1Char('\n'))));
}

void TstKindsOpenApiV2::protobufPathsMatchJson()
{
    const QJsonObject all = paths();
    const QHash<QString, QByteArray> decoded = namedEntries(Message(openApiV2Protobuf()).message(8), 2);
    QCOMPARE(decoded.size(), all.size());
    for (auto it = all.begin(); it != all.end(); ++it) {
        QVERIFY2(decoded.contains(it.key()), qPrintable(it.key()));
        const Message item(decoded.value(it.key()));
        QVERIFY(item.ok());
        const QJsonObject jsonItem = it.value().toObject();
        QCOMPARE(item.all(9).size(), jsonItem.value(QLatin1String("parameters")).toArray().size());
        for (int i = 0; i < kMethods.size(); ++i) {
            const QString& method = kMethods.at(i);
            const quint32 field = quint32(i + 2); // PathItem: get = 2, put, post, delete, options, head, patch = 8
            const QString where = it.key() + QLatin1Char(' ') + method;
            QVERIFY2(item.has(field) == jsonItem.contains(method), qPrintable(where));
            if (!jsonItem.contains(method))
                continue;
            const Message op = item.message(field);
            const QJsonObject jsonOp = jsonItem.value(method).toObject();
            QCOMPARE(op.string(5), jsonOp.value(QLatin1String("operationId")).toString());
            QCOMPARE(op.strings(1), jsonStrings(jsonOp.value(QLatin1String("tags"))));
            QCOMPARE(op.strings(6), jsonStrings(jsonOp.value(QLatin1String("produces"))));
            QCOMPARE(op.strings(7), jsonStrings(jsonOp.value(QLatin1String("consumes"))));
            QStringList problems;
            compareExtensions(op, 13, jsonOp, where, problems);
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));

            const QJsonArray jsonParams = jsonOp.value(QLatin1String("parameters")).toArray();
            const QList<QByteArray> params = op.all(8);
            QCOMPARE(params.size(), jsonParams.size());
            for (int p = 0; p < params.size(); ++p) {
                const DecodedParameter decodedParam = decodeParameter(params.at(p));
                const QJsonObject jsonParam = jsonParams.at(p).toObject();
                QCOMPARE(decodedParam.in, jsonParam.value(QLatin1String("in")).toString());
                QCOMPARE(decodedParam.name, jsonParam.value(QLatin1String("name")).toString());
                QCOMPARE(decodedParam.required, jsonParam.value(QLatin1String("required")).toBool());
                QCOMPARE(decodedParam.schemaRef,
                         jsonParam.value(QLatin1String("schema")).toObject().value(QLatin1String("$ref")).toString());
            }

            const QJsonObject jsonResponses = jsonOp.value(QLatin1String("responses")).toObject();
            const QHash<QString, QByteArray> responses = namedEntries(op.message(9), 1);
            QCOMPARE(responses.size(), jsonResponses.size());
            for (auto r = jsonResponses.begin(); r != jsonResponses.end(); ++r) {
                const Message response = Message(responses.value(r.key())).message(1);
                const QJsonObject jsonResponse = r.value().toObject();
                QCOMPARE(response.string(1), jsonResponse.value(QLatin1String("description")).toString());
                compareSchema(response.message(2).message(1), jsonResponse.value(QLatin1String("schema")).toObject(),
                              where, problems);
                QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
            }
        }
    }
}

void TstKindsOpenApiV2::etagIsStableAndHashesTheJson()
{
    const QByteArray etag = openApiV2ETag();
    QCOMPARE(openApiV2ETag(), etag);
    QCOMPARE(etag.size(), 2 + 128);
    QVERIFY(etag.startsWith('"') && etag.endsWith('"'));
    const QByteArray expected = QCryptographicHash::hash(openApiV2Json(), QCryptographicHash::Sha512).toHex().toUpper();
    QCOMPARE(etag.mid(1, 128), expected);
}

void TstKindsOpenApiV2::negotiation_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<QByteArray>("contentType");
    const QByteArray json = "application/json";
    const QByteArray pb = openApiV2ProtobufContentType();
    QTest::newRow("kubectl's protobuf Accept gets protobuf, answered with the dotted content type")
        << QByteArray("application/com.github.proto-openapi.spec.v2@v1.0+protobuf") << pb;
    QTest::newRow("the dotted protobuf media type gets protobuf")
        << QByteArray("application/com.github.proto-openapi.spec.v2.v1.0+protobuf") << pb;
    QTest::newRow("application/json gets JSON") << json << json;
    QTest::newRow("*/* gets JSON") << QByteArray("*/*") << json;
    QTest::newRow("application/* gets JSON") << QByteArray("application/*") << json;
    QTest::newRow("client-go's default Accept gets JSON") << QByteArray("application/json, */*") << json;
    QTest::newRow("a higher q for protobuf wins")
        << QByteArray("application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf") << pb;
    QTest::newRow("a concrete type beats a wildcard of the same q")
        << QByteArray("*/*, application/com.github.proto-openapi.spec.v2@v1.0+protobuf") << pb;
    QTest::newRow("text/html is not acceptable") << QByteArray("text/html") << QByteArray();
    QTest::newRow("q=0 rules a type out") << QByteArray("application/json;q=0") << QByteArray();
    QTest::newRow("an empty Accept is not acceptable (as kube-apiserver)") << QByteArray() << QByteArray();
}

void TstKindsOpenApiV2::negotiation()
{
    QFETCH(QByteArray, accept);
    QFETCH(QByteArray, contentType);
    const OpenApiV2Representation r = openApiV2For(accept);
    QCOMPARE(r.contentType, contentType);
    if (contentType.isEmpty())
        QVERIFY(r.body.isEmpty());
    else if (contentType == "application/json")
        QCOMPARE(r.body, openApiV2Json());
    else
        QCOMPARE(r.body, openApiV2Protobuf());
}

QTEST_GUILESS_MAIN(TstKindsOpenApiV2)
#include "tst_kinds_openapi_v2.moc"
