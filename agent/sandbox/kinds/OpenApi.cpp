// SPDX-License-Identifier: Apache-2.0
// /openapi/v3 as kube-apiserver serves it. The schemas come from openapi/schemas.json (generated from the real
// kube-apiserver OpenAPI v2 document by openapi/generate.py, embedded as a Qt resource); the paths are built here
// from builtinResourceTypes(), with the operations, parameters and extensions kube-apiserver publishes.
#include "sandbox/kinds/Kinds.h"
#include "sandbox/kinds/Logging.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QSet>

namespace vk::sandbox {

namespace {

const QString kServedVersion = QStringLiteral("v1.32.0");
const QString kSchemaPrefix = QStringLiteral("#/components/schemas/");

struct SchemaSource
{
    QJsonObject schemas;
    QJsonObject parameters;
    QJsonObject securitySchemes;
};

const SchemaSource& schemaSource()
{
    static const SchemaSource source = [] {
        SchemaSource s;
        QFile file(QStringLiteral(":/vk/sandbox/kinds/openapi/schemas.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcSandboxKinds) << "OpenAPI schemas resource missing:" << file.fileName();
            return s;
        }
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        if (!doc.isObject()) {
            qCWarning(lcSandboxKinds) << "OpenAPI schemas resource unreadable:" << error.errorString();
            return s;
        }
        const QJsonObject root = doc.object();
        s.schemas = root.value(QLatin1String("schemas")).toObject();
        s.parameters = root.value(QLatin1String("parameters")).toObject();
        s.securitySchemes = root.value(QLatin1String("securitySchemes")).toObject();
        return s;
    }();
    return source;
}

QJsonObject ref(const QString& schema)
{
    return {{QStringLiteral("$ref"), QString(kSchemaPrefix + schema)}};
}

QString schemaNameFor(const QString& group, const QString& version, const QString& kind)
{
    if (group.isEmpty())
        return QStringLiteral("io.k8s.api.core.") + version + QLatin1Char('.') + kind;
    return QStringLiteral("io.k8s.api.") + group.section(QLatin1Char('.'), 0, 0) + QLatin1Char('.') + version +
           QLatin1Char('.') + kind;
}

QString metaSchema(const QString& kind)
{
    return QStringLiteral("io.k8s.apimachinery.pkg.apis.meta.v1.") + kind;
}

QJsonObject gvk(const QString& group, const QString& version, const QString& kind)
{
    return {{QStringLiteral("group"), group}, {QStringLiteral("version"), version}, {QStringLiteral("kind"), kind}};
}

QJsonObject queryParam(const QString& name)
{
    const QJsonObject known = schemaSource().parameters.value(name).toObject();
    const QString type = known.value(QLatin1String("type")).toString(QStringLiteral("string"));
    return {
        {QStringLiteral("name"), name},
        {QStringLiteral("in"), QStringLiteral("query")},
        {QStringLiteral("description"), known.value(QLatin1String("description")).toString()},
        {QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("uniqueItems"), true}}}};
}

QJsonObject queryParam(const QString& name, const QString& description)
{
    QJsonObject p = queryParam(name);
    p.insert(QLatin1String("description"), description);
    return p;
}

QJsonObject pathParam(const QString& name, const QString& description)
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("in"), QStringLiteral("path")},
            {QStringLiteral("description"), description},
            {QStringLiteral("required"), true},
            {QStringLiteral("schema"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("uniqueItems"), true}}}};
}

QJsonArray queryParams(const QStringList& names)
{
    QJsonArray out;
    for (const QString& name : names)
        out.append(queryParam(name));
    return out;
}

const QStringList kListParams{QStringLiteral("allowWatchBookmarks"),
                              QStringLiteral("continue"),
                              QStringLiteral("fieldSelector"),
                              QStringLiteral("labelSelector"),
                              QStringLiteral("limit"),
                              QStringLiteral("resourceVersion"),
                              QStringLiteral("resourceVersionMatch"),
                              QStringLiteral("sendInitialEvents"),
                              QStringLiteral("timeoutSeconds"),
                              QStringLiteral("watch")};
const QStringList kWriteParams{QStringLiteral("dryRun"), QStringLiteral("fieldManager"),
                               QStringLiteral("fieldValidation")};

QJsonObject content(const QJsonObject& schema, const QStringList& mediaTypes)
{
    QJsonObject out;
    for (const QString& type : mediaTypes)
        out.insert(type, QJsonObject{{QStringLiteral("schema"), schema}});
    return out;
}

QStringList objectMediaTypes(bool watch = false)
{
    QStringList types{QStringLiteral("application/json"), QStringLiteral("application/vnd.kubernetes.protobuf"),
                      QStringLiteral("application/yaml")};
    if (watch)
        types << QStringLiteral("application/json;stream=watch")
              << QStringLiteral("application/vnd.kubernetes.protobuf;stream=watch");
    return types;
}

QJsonObject responses(const QJsonObject& schema, const QStringList& codes, const QStringList& mediaTypes)
{
    static const QHash<QString, QString> descriptions{{QStringLiteral("200"), QStringLiteral("OK")},
                                                      {QStringLiteral("201"), QStringLiteral("Created")},
                                                      {QStringLiteral("202"), QStringLiteral("Accepted")}};
    QJsonObject out;
    for (const QString& code : codes)
        out.insert(code, QJsonObject{{QStringLiteral("description"), descriptions.value(code)},
                                     {QStringLiteral("content"), content(schema, mediaTypes)}});
    out.insert(QStringLiteral("401"), QJsonObject{{QStringLiteral("description"), QStringLiteral("Unauthorized")}});
    return out;
}

QJsonObject requestBody(const QJsonObject& schema, bool required = true)
{
    QJsonObject body{{QStringLiteral("content"), content(schema, {QStringLiteral("*/*")})}};
    if (required)
        body.insert(QLatin1String("required"), true);
    return body;
}

QJsonObject patchBody()
{
    return {{QStringLiteral("content"),
             content(ref(metaSchema(QStringLiteral("Patch"))),
                     {QStringLiteral("application/apply-patch+yaml"), QStringLiteral("application/json-patch+json"),
                      QStringLiteral("application/merge-patch+json"),
                      QStringLiteral("application/strategic-merge-patch+json")})},
            {QStringLiteral("required"), true}};
}

// The naming of kube-apiserver's operation ids and tags.
struct Naming
{
    QString group;
    QString version;
    QString tag;    ///< "core_v1", "coordination_v1"
    QString prefix; ///< "CoreV1", "CoordinationV1"
    QString root;   ///< "/api/v1", "/apis/coordination.k8s.io/v1"

    Naming(const QString& g, const QString& v) : group(g), version(v)
    {
        const QString first = g.isEmpty() ? QStringLiteral("core") : g.section(QLatin1Char('.'), 0, 0);
        tag = first + QLatin1Char('_') + v;
        prefix = first.left(1).toUpper() + first.mid(1) + v.left(1).toUpper() + v.mid(1);
        root = g.isEmpty() ? QString(QStringLiteral("/api/") + v)
                           : QString(QStringLiteral("/apis/") + g + QLatin1Char('/') + v);
    }
};

QJsonObject operation(const Naming& n,
                      const QString& description,
                      const QString& operationId,
                      const QString& action,
                      const QJsonObject& kind)
{
    QJsonObject op{{QStringLiteral("tags"), QJsonArray{n.tag}},
                   {QStringLiteral("description"), description},
                   {QStringLiteral("operationId"), operationId},
                   {QStringLiteral("x-kubernetes-action"), action}};
    if (!kind.isEmpty())
        op.insert(QLatin1String("x-kubernetes-group-version-kind"), kind);
    return op;
}

QString deleteResultSchema(const ResourceType& type)
{
    // Graceful deletion returns the object for pods; 1.19 also documents it for service accounts.
    if (type.resource == QLatin1String("pods") || type.resource == QLatin1String("serviceaccounts"))
        return schemaNameFor(type.group, type.version, type.kind);
    return metaSchema(QStringLiteral("Status"));
}

void addResourcePaths(QJsonObject& paths, const ResourceType& type)
{
    const Naming n(type.group, type.version);
    const QString kind = type.kind;
    const QString kindSchema = schemaNameFor(type.group, type.version, kind);
    const QJsonObject kindGvk = gvk(type.group, type.version, kind);
    const QString scope = type.namespaced ? QStringLiteral("Namespaced") : QString();
    const QString nsSegment = type.namespaced ? QStringLiteral("/namespaces/{namespace}") : QString();
    const QString collectionPath = n.root + nsSegment + QLatin1Char('/') + type.resource;
    const QString itemPath = collectionPath + QStringLiteral("/{name}");
    const QJsonObject nsParam = pathParam(QStringLiteral("namespace"),
                                          QStringLiteral("object name and auth scope, such as for teams and projects"));
    const QJsonObject pretty = queryParam(QStringLiteral("pretty"));
    const auto has = [&type](const char* verb) { return type.verbs.contains(QLatin1String(verb)); };
    const auto scopeParams = [&](const QJsonArray& extra) {
        QJsonArray params = extra;
        if (type.namespaced)
            params.append(nsParam);
        params.append(pretty);
        return params;
    };
    const auto nameParam = [](const QString& k) {
        return pathParam(QStringLiteral("name"), QStringLiteral("name of the ") + k);
    };

    // Collection
    QJsonObject collection;
    if (has("list")) {
        QJsonObject op = operation(n, QStringLiteral("list or watch objects of kind ") + kind,
                                   QStringLiteral("list") + n.prefix + scope + kind, QStringLiteral("list"), kindGvk);
        op.insert(QLatin1String("parameters"), queryParams(kListParams));
        op.insert(QLatin1String("responses"), responses(ref(schemaNameFor(type.group, type.version, type.listKind())),
                                                        {QStringLiteral("200")}, objectMediaTypes(true)));
        collection.insert(QLatin1String("get"), op);
    }
    if (has("create")) {
        QJsonObject op = operation(n, QStringLiteral("create a ") + kind,
                                   QStringLiteral("create") + n.prefix + scope + kind, QStringLiteral("post"), kindGvk);
        op.insert(QLatin1String("parameters"), queryParams(kWriteParams));
        op.insert(QLatin1String("requestBody"), requestBody(ref(kindSchema)));
        op.insert(QLatin1String("responses"),
                  responses(ref(kindSchema), {QStringLiteral("200"), QStringLiteral("201"), QStringLiteral("202")},
                            objectMediaTypes()));
        collection.insert(QLatin1String("post"), op);
    }
    if (has("deletecollection")) {
        QJsonObject op = operation(n, QStringLiteral("delete collection of ") + kind,
                                   QStringLiteral("delete") + n.prefix + QStringLiteral("Collection") + scope + kind,
                                   QStringLiteral("deletecollection"), kindGvk);
        op.insert(
            QLatin1String("parameters"),
            queryParams({QStringLiteral("continue"), QStringLiteral("dryRun"), QStringLiteral("fieldSelector"),
                         QStringLiteral("gracePeriodSeconds"), QStringLiteral("labelSelector"), QStringLiteral("limit"),
                         QStringLiteral("orphanDependents"), QStringLiteral("propagationPolicy"),
                         QStringLiteral("resourceVersion"), QStringLiteral("resourceVersionMatch"),
                         QStringLiteral("sendInitialEvents"), QStringLiteral("timeoutSeconds")}));
        op.insert(QLatin1String("requestBody"), requestBody(ref(metaSchema(QStringLiteral("DeleteOptions"))), false));
        op.insert(QLatin1String("responses"),
                  responses(ref(metaSchema(QStringLiteral("Status"))), {QStringLiteral("200")}, objectMediaTypes()));
        collection.insert(QLatin1String("delete"), op);
    }
    if (!collection.isEmpty()) {
        collection.insert(QLatin1String("parameters"), scopeParams({}));
        paths.insert(collectionPath, collection);
    }

    // Item
    QJsonObject item;
    if (has("get")) {
        QJsonObject op = operation(n, QStringLiteral("read the specified ") + kind,
                                   QStringLiteral("read") + n.prefix + scope + kind, QStringLiteral("get"), kindGvk);
        op.insert(QLatin1String("responses"), responses(ref(kindSchema), {QStringLiteral("200")}, objectMediaTypes()));
        item.insert(QLatin1String("get"), op);
    }
    if (has("update")) {
        QJsonObject op = operation(n, QStringLiteral("replace the specified ") + kind,
                                   QStringLiteral("replace") + n.prefix + scope + kind, QStringLiteral("put"), kindGvk);
        op.insert(QLatin1String("parameters"), queryParams(kWriteParams));
        op.insert(QLatin1String("requestBody"), requestBody(ref(kindSchema)));
        op.insert(QLatin1String("responses"),
                  responses(ref(kindSchema), {QStringLiteral("200"), QStringLiteral("201")}, objectMediaTypes()));
        item.insert(QLatin1String("put"), op);
    }
    if (has("delete")) {
        QJsonObject op =
            operation(n, QStringLiteral("delete a ") + kind, QStringLiteral("delete") + n.prefix + scope + kind,
                      QStringLiteral("delete"), kindGvk);
        op.insert(QLatin1String("parameters"),
                  queryParams({QStringLiteral("dryRun"), QStringLiteral("gracePeriodSeconds"),
                               QStringLiteral("orphanDependents"), QStringLiteral("propagationPolicy")}));
        op.insert(QLatin1String("requestBody"), requestBody(ref(metaSchema(QStringLiteral("DeleteOptions"))), false));
        op.insert(QLatin1String("responses"),
                  responses(ref(deleteResultSchema(type)), {QStringLiteral("200"), QStringLiteral("202")},
                            objectMediaTypes()));
        item.insert(QLatin1String("delete"), op);
    }
    if (has("patch")) {
        QJsonObject op = operation(n, QStringLiteral("partially update the specified ") + kind,
                                   QStringLiteral("patch") + n.prefix + scope + kind, QStringLiteral("patch"), kindGvk);
        op.insert(QLatin1String("parameters"), queryParams(kWriteParams + QStringList{QStringLiteral("force")}));
        op.insert(QLatin1String("requestBody"), patchBody());
        op.insert(QLatin1String("responses"),
                  responses(ref(kindSchema), {QStringLiteral("200"), QStringLiteral("201")}, objectMediaTypes()));
        item.insert(QLatin1String("patch"), op);
    }
    if (!item.isEmpty()) {
        item.insert(QLatin1String("parameters"), scopeParams({nameParam(kind)}));
        paths.insert(itemPath, item);
    }

    // Listing across namespaces
    if (type.namespaced && has("list")) {
        QJsonObject op = operation(n, QStringLiteral("list or watch objects of kind ") + kind,
                                   QStringLiteral("list") + n.prefix + kind + QStringLiteral("ForAllNamespaces"),
                                   QStringLiteral("list"), kindGvk);
        op.insert(QLatin1String("responses"), responses(ref(schemaNameFor(type.group, type.version, type.listKind())),
                                                        {QStringLiteral("200")}, objectMediaTypes(true)));
        QJsonObject path{{QStringLiteral("get"), op}};
        QStringList params = kListParams;
        params.append(QStringLiteral("pretty"));
        params.sort();
        path.insert(QLatin1String("parameters"), queryParams(params));
        paths.insert(n.root + QLatin1Char('/') + type.resource, path);
    }

    // Deprecated watch paths
    if (has("watch")) {
        const QJsonObject watchEvent = ref(metaSchema(QStringLiteral("WatchEvent")));
        QStringList params = kListParams;
        params.append(QStringLiteral("pretty"));
        params.sort();
        const QJsonArray listParams = queryParams(params);
        const auto watchPath = [&](const QString& path, const QString& description, const QString& operationId,
                                   const QString& action, const QJsonArray& pathParams) {
            QJsonObject op = operation(n, description, operationId, action, kindGvk);
            op.insert(QLatin1String("responses"),
                      responses(watchEvent, {QStringLiteral("200")}, objectMediaTypes(true)));
            QJsonArray all = pathParams;
            for (const QJsonValue& p : listParams)
                all.append(p);
            paths.insert(path, QJsonObject{{QStringLiteral("get"), op}, {QStringLiteral("parameters"), all}});
        };
        const QString watchRoot = n.root + QStringLiteral("/watch") + nsSegment + QLatin1Char('/') + type.resource;
        const QJsonArray nsOnly = type.namespaced ? QJsonArray{nsParam} : QJsonArray{};
        watchPath(watchRoot,
                  QStringLiteral("watch individual changes to a list of ") + kind +
                      QStringLiteral(". deprecated: use the 'watch' parameter with a list operation instead."),
                  QStringLiteral("watch") + n.prefix + scope + kind + QStringLiteral("List"),
                  QStringLiteral("watchlist"), nsOnly);
        QJsonArray itemParams{nameParam(kind)};
        for (const QJsonValue& p : nsOnly)
            itemParams.append(p);
        watchPath(watchRoot + QStringLiteral("/{name}"),
                  QStringLiteral("watch changes to an object of kind ") + kind +
                      QStringLiteral(". deprecated: use the 'watch' parameter with a list operation instead, filtered "
                                     "to a single item with the 'fieldSelector' parameter."),
                  QStringLiteral("watch") + n.prefix + scope + kind, QStringLiteral("watch"), itemParams);
        if (type.namespaced)
            watchPath(n.root + QStringLiteral("/watch/") + type.resource,
                      QStringLiteral("watch individual changes to a list of ") + kind +
                          QStringLiteral(". deprecated: use the 'watch' parameter with a list operation instead."),
                      QStringLiteral("watch") + n.prefix + kind + QStringLiteral("ListForAllNamespaces"),
                      QStringLiteral("watchlist"), {});
    }

    // Subresources
    for (const SubresourceInfo& sub : type.subresourceInfos) {
        const QString path = itemPath + QLatin1Char('/') + sub.name;
        const QString subGroup = sub.group.isEmpty() ? type.group : sub.group;
        const QString subVersion = sub.version.isEmpty() ? type.version : sub.version;
        const QJsonObject subGvk = gvk(subGroup, subVersion, sub.kind);
        const QString suffix = sub.name.left(1).toUpper() + sub.name.mid(1);
        const QString lowerKind = type.singularName;
        if (sub.name == QLatin1String("status")) {
            QJsonObject status;
            QJsonObject get =
                operation(n, QStringLiteral("read status of the specified ") + kind,
                          QStringLiteral("read") + n.prefix + scope + kind + suffix, QStringLiteral("get"), kindGvk);
            get.insert(QLatin1String("responses"),
                       responses(ref(kindSchema), {QStringLiteral("200")}, objectMediaTypes()));
            status.insert(QLatin1String("get"), get);
            QJsonObject put =
                operation(n, QStringLiteral("replace status of the specified ") + kind,
                          QStringLiteral("replace") + n.prefix + scope + kind + suffix, QStringLiteral("put"), kindGvk);
            put.insert(QLatin1String("parameters"), queryParams(kWriteParams));
            put.insert(QLatin1String("requestBody"), requestBody(ref(kindSchema)));
            put.insert(QLatin1String("responses"),
                       responses(ref(kindSchema), {QStringLiteral("200"), QStringLiteral("201")}, objectMediaTypes()));
            status.insert(QLatin1String("put"), put);
            QJsonObject patch =
                operation(n, QStringLiteral("partially update status of the specified ") + kind,
                          QStringLiteral("patch") + n.prefix + scope + kind + suffix, QStringLiteral("patch"), kindGvk);
            patch.insert(QLatin1String("parameters"), queryParams(kWriteParams + QStringList{QStringLiteral("force")}));
            patch.insert(QLatin1String("requestBody"), patchBody());
            patch.insert(
                QLatin1String("responses"),
                responses(ref(kindSchema), {QStringLiteral("200"), QStringLiteral("201")}, objectMediaTypes()));
            status.insert(QLatin1String("patch"), patch);
            status.insert(QLatin1String("parameters"), scopeParams({nameParam(kind)}));
            paths.insert(path, status);
        } else if (sub.name == QLatin1String("finalize")) {
            QJsonObject put =
                operation(n, QStringLiteral("replace finalize of the specified ") + kind,
                          QStringLiteral("replace") + n.prefix + scope + kind + suffix, QStringLiteral("put"), kindGvk);
            put.insert(QLatin1String("requestBody"), requestBody(ref(kindSchema)));
            put.insert(QLatin1String("responses"),
                       responses(ref(kindSchema), {QStringLiteral("200"), QStringLiteral("201")}, objectMediaTypes()));
            QJsonArray params = queryParams(kWriteParams);
            params.append(nameParam(kind));
            params.append(pretty);
            paths.insert(path, QJsonObject{{QStringLiteral("put"), put}, {QStringLiteral("parameters"), params}});
        } else if (sub.name == QLatin1String("binding") || sub.name == QLatin1String("eviction")) {
            const QString schema = sub.name == QLatin1String("eviction")
                                       ? QStringLiteral("io.k8s.api.policy.v1.Eviction")
                                       : schemaNameFor(subGroup, subVersion, sub.kind);
            QJsonObject post =
                operation(n, QStringLiteral("create ") + sub.name + QStringLiteral(" of a ") + kind,
                          QStringLiteral("create") + n.prefix + scope + kind + suffix, QStringLiteral("post"), subGvk);
            post.insert(QLatin1String("requestBody"), requestBody(ref(schema)));
            post.insert(QLatin1String("responses"),
                        responses(ref(schema), {QStringLiteral("200"), QStringLiteral("201"), QStringLiteral("202")},
                                  objectMediaTypes()));
            QJsonArray params = queryParams(kWriteParams);
            params.append(nameParam(sub.kind));
            if (type.namespaced)
                params.append(nsParam);
            params.append(pretty);
            paths.insert(path, QJsonObject{{QStringLiteral("post"), post}, {QStringLiteral("parameters"), params}});
        } else if (sub.name == QLatin1String("log")) {
            QJsonObject get =
                operation(n, QStringLiteral("read log of the specified ") + kind,
                          QStringLiteral("read") + n.prefix + scope + kind + suffix, QStringLiteral("get"), kindGvk);
            get.insert(
                QLatin1String("responses"),
                responses(QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}, {QStringLiteral("200")},
                          {QStringLiteral("application/json"), QStringLiteral("application/vnd.kubernetes.protobuf"),
                           QStringLiteral("application/yaml"), QStringLiteral("text/plain")}));
            QJsonArray params =
                queryParams({QStringLiteral("container"), QStringLiteral("follow"),
                             QStringLiteral("insecureSkipTLSVerifyBackend"), QStringLiteral("limitBytes")});
            params.append(nameParam(kind));
            params.append(nsParam);
            for (const QJsonValue& p :
                 queryParams({QStringLiteral("pretty"), QStringLiteral("previous"), QStringLiteral("sinceSeconds"),
                              QStringLiteral("tailLines"), QStringLiteral("timestamps")}))
                params.append(p);
            paths.insert(path, QJsonObject{{QStringLiteral("get"), get}, {QStringLiteral("parameters"), params}});
        } else {
            // connect subresources: exec, attach, portforward, proxy
            QStringList methods{QStringLiteral("get"), QStringLiteral("post")};
            QStringList names;
            if (sub.name == QLatin1String("exec"))
                names = {QStringLiteral("command"), QStringLiteral("container"), QStringLiteral("stderr"),
                         QStringLiteral("stdin"),   QStringLiteral("stdout"),    QStringLiteral("tty")};
            else if (sub.name == QLatin1String("attach"))
                names = {QStringLiteral("container"), QStringLiteral("stderr"), QStringLiteral("stdin"),
                         QStringLiteral("stdout"), QStringLiteral("tty")};
            else if (sub.name == QLatin1String("portforward"))
                names = {QStringLiteral("ports")};
            else if (sub.name == QLatin1String("proxy"))
                methods = {QStringLiteral("delete"),  QStringLiteral("get"),   QStringLiteral("head"),
                           QStringLiteral("options"), QStringLiteral("patch"), QStringLiteral("post"),
                           QStringLiteral("put")};
            const QString proxyDescription =
                type.resource == QLatin1String("services")
                    ? QStringLiteral(
                          "Path is the part of URLs that include service endpoints, suffixes, and parameters "
                          "to use for the current proxy request to service. For example, the whole request "
                          "URL is http://localhost/api/v1/namespaces/kube-system/services/"
                          "elasticsearch-logging/_search?q=user:kimchy. Path is _search?q=user:kimchy.")
                    : QStringLiteral("Path is the URL path to use for the current proxy request to ") + lowerKind +
                          QLatin1Char('.');
            const auto connectItem = [&](bool withPath) {
                QJsonObject pathItem;
                for (const QString& method : methods) {
                    const QString upper = method.toUpper();
                    const QString camel = method.left(1).toUpper() + method.mid(1);
                    QJsonObject op = operation(n,
                                               QStringLiteral("connect ") + upper + QStringLiteral(" requests to ") +
                                                   sub.name + QStringLiteral(" of ") + kind,
                                               QStringLiteral("connect") + n.prefix + camel + scope + kind + suffix +
                                                   (withPath ? QStringLiteral("WithPath") : QString()),
                                               QStringLiteral("connect"), subGvk);
                    op.insert(QLatin1String("responses"),
                              responses(QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}},
                                        {QStringLiteral("200")}, {QStringLiteral("*/*")}));
                    pathItem.insert(method, op);
                }
                QJsonArray params = queryParams(names);
                params.append(nameParam(sub.kind));
                if (type.namespaced)
                    params.append(nsParam);
                if (sub.name == QLatin1String("proxy")) {
                    if (withPath)
                        params.append(pathParam(QStringLiteral("path"), QStringLiteral("path to the resource")));
                    params.append(queryParam(QStringLiteral("path"), proxyDescription));
                }
                pathItem.insert(QLatin1String("parameters"), params);
                return pathItem;
            };
            paths.insert(path, connectItem(false));
            if (sub.name == QLatin1String("proxy"))
                paths.insert(path + QStringLiteral("/{path}"), connectItem(true));
        }
    }
}

void collectRefs(const QJsonValue& value, QSet<QString>& out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("$ref") && it.value().isString()) {
                const QString target = it.value().toString();
                if (target.startsWith(kSchemaPrefix))
                    out.insert(target.mid(kSchemaPrefix.size()));
            } else {
                collectRefs(it.value(), out);
            }
        }
    } else if (value.isArray()) {
        for (const QJsonValue& item : value.toArray())
            collectRefs(item, out);
    }
}

QJsonObject schemaClosure(const QJsonObject& paths)
{
    const QJsonObject& all = schemaSource().schemas;
    QSet<QString> pending;
    collectRefs(paths, pending);
    QJsonObject out;
    while (!pending.isEmpty()) {
        const QString name = *pending.begin();
        pending.erase(pending.begin());
        if (out.contains(name))
            continue;
        if (!all.contains(name)) {
            qCWarning(lcSandboxKinds) << "OpenAPI schema missing:" << name;
            continue;
        }
        const QJsonValue schema = all.value(name);
        out.insert(name, schema);
        QSet<QString> found;
        collectRefs(schema, found);
        for (const QString& f : std::as_const(found)) {
            if (!out.contains(f))
                pending.insert(f);
        }
    }
    return out;
}

QJsonObject document(const QJsonObject& paths)
{
    return {{QStringLiteral("openapi"), QStringLiteral("3.0.0")},
            {QStringLiteral("info"), QJsonObject{{QStringLiteral("title"), QStringLiteral("Kubernetes")},
                                                 {QStringLiteral("version"), kServedVersion}}},
            {QStringLiteral("paths"), paths},
            {QStringLiteral("components"),
             QJsonObject{{QStringLiteral("schemas"), schemaClosure(paths)},
                         {QStringLiteral("securitySchemes"), schemaSource().securitySchemes}}}};
}

QJsonObject
discoveryPath(const QString& tag, const QString& description, const QString& operationId, const QString& schema)
{
    QJsonObject op{
        {QStringLiteral("tags"), QJsonArray{tag}},
        {QStringLiteral("description"), description},
        {QStringLiteral("operationId"), operationId},
        {QStringLiteral("responses"), responses(ref(metaSchema(schema)), {QStringLiteral("200")}, objectMediaTypes())}};
    return {{QStringLiteral("get"), op}};
}

QJsonObject groupVersionDocument(const QString& group, const QString& version)
{
    const Naming n(group, version);
    QJsonObject paths;
    paths.insert(n.root + QLatin1Char('/'),
                 discoveryPath(n.tag, QStringLiteral("get available resources"),
                               QStringLiteral("get") + n.prefix + QStringLiteral("APIResources"),
                               QStringLiteral("APIResourceList")));
    for (const ResourceType& type : builtinResourceTypes()) {
        if (type.group == group && type.version == version)
            addResourcePaths(paths, type);
    }
    return document(paths);
}

QJsonObject groupDocument(const QString& group)
{
    const QString first = group.section(QLatin1Char('.'), 0, 0);
    const QString camel = first.left(1).toUpper() + first.mid(1);
    QJsonObject paths;
    paths.insert(QStringLiteral("/apis/") + group + QLatin1Char('/'),
                 discoveryPath(first, QStringLiteral("get information of a group"),
                               QStringLiteral("get") + camel + QStringLiteral("APIGroup"), QStringLiteral("APIGroup")));
    return document(paths);
}

struct Documents
{
    QHash<QString, QJsonObject> byPath;
    QJsonObject index;
};

const Documents& documents()
{
    static const Documents docs = [] {
        Documents d;
        QJsonObject paths;
        paths.insert(QStringLiteral("/api/"),
                     discoveryPath(QStringLiteral("core"), QStringLiteral("get available API versions"),
                                   QStringLiteral("getCoreAPIVersions"), QStringLiteral("APIVersions")));
        d.byPath.insert(QStringLiteral("api"), document(paths));
        paths = QJsonObject();
        paths.insert(QStringLiteral("/apis/"),
                     discoveryPath(QStringLiteral("apis"), QStringLiteral("get available API versions"),
                                   QStringLiteral("getAPIVersions"), QStringLiteral("APIGroupList")));
        d.byPath.insert(QStringLiteral("apis"), document(paths));
        for (const ResourceType& type : builtinResourceTypes()) {
            const QString gvPath =
                type.group.isEmpty() ? QString(QStringLiteral("api/") + type.version)
                                     : QString(QStringLiteral("apis/") + type.group + QLatin1Char('/') + type.version);
            if (!d.byPath.contains(gvPath))
                d.byPath.insert(gvPath, groupVersionDocument(type.group, type.version));
            if (!type.group.isEmpty() && !d.byPath.contains(QStringLiteral("apis/") + type.group))
                d.byPath.insert(QStringLiteral("apis/") + type.group, groupDocument(type.group));
        }
        QJsonObject indexPaths;
        for (auto it = d.byPath.cbegin(); it != d.byPath.cend(); ++it) {
            const QByteArray hash = QCryptographicHash::hash(QJsonDocument(it.value()).toJson(QJsonDocument::Compact),
                                                             QCryptographicHash::Sha512)
                                        .toHex()
                                        .toUpper();
            const QString url =
                QStringLiteral("/openapi/v3/") + it.key() + QStringLiteral("?hash=") + QString::fromLatin1(hash);
            indexPaths.insert(it.key(), QJsonObject{{QStringLiteral("serverRelativeURL"), url}});
        }
        d.index = QJsonObject{{QStringLiteral("paths"), indexPaths}};
        return d;
    }();
    return docs;
}

} // namespace

QJsonObject openApiV3Index()
{
    return documents().index;
}

QJsonObject openApiV3Document(const QString& groupVersionPath)
{
    QString path = groupVersionPath;
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (path.startsWith(QLatin1String("openapi/v3/")))
        path.remove(0, int(qstrlen("openapi/v3/")));
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    if (query >= 0)
        path.truncate(query);
    return documents().byPath.value(path);
}

} // namespace vk::sandbox
