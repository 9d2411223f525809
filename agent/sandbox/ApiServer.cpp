// SPDX-License-Identifier: Apache-2.0
#include "sandbox/ApiServer.h"

#include "api/FieldSelector.h"
#include "api/LabelSelector.h"
#include "api/Patch.h"
#include "api/Protobuf.h"
#include "core/Json.h"
#include "core/KubeStatus.h"
#include "http/HttpServer.h"
#include "sandbox/AuthProtobuf.h"
#include "sandbox/EventConversion.h"
#include "sandbox/FieldPruner.h"
#include "sandbox/KubeletProxy.h"
#include "sandbox/Logging.h"
#include "sandbox/RbacAuthorizer.h"
#include "sandbox/Registry.h"
#include "sandbox/RequestAuth.h"
#include "sandbox/Reviews.h"
#include "sandbox/TokenAuthority.h"
#include "sandbox/WatchSession.h"
#include "sandbox/kinds/Kinds.h"
#include "sandbox/kinds/OpenApiV2.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QUuid>

#include <utility>

namespace vk::sandbox {

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");

struct Accept
{
    bool table = false;
    bool yaml = false;
};

/// Reads the Accept header the way kube-apiserver's content negotiation does for the cases kubectl uses:
/// "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" asks for a Table; yaml for YAML.
Accept parseAccept(const QByteArray& header)
{
    Accept accept;
    for (const QByteArray& range : header.split(',')) {
        const QList<QByteArray> params = range.trimmed().split(';');
        const QByteArray mediaType = params.value(0).trimmed().toLower();
        bool table = false;
        for (qsizetype i = 1; i < params.size(); ++i) {
            const QByteArray p = params.at(i).trimmed();
            if (p == "as=Table")
                table = true;
        }
        if (table && (mediaType == "application/json" || mediaType == "*/*")) {
            accept.table = true;
            return accept;
        }
        if (mediaType == "application/yaml") {
            accept.yaml = true;
            return accept;
        }
        if (mediaType == "application/json" || mediaType == "*/*" || mediaType == "application/*")
            return accept;
    }
    return accept;
}

bool wantsPretty(const http::HttpRequest& request)
{
    const QString pretty = request.queryValue(QStringLiteral("pretty"));
    if (!pretty.isEmpty())
        return pretty == QLatin1String("true") || pretty == QLatin1String("1");
    // kube-apiserver pretty-prints for curl and wget.
    const QByteArray agent = request.header("user-agent");
    return agent.startsWith("curl") || agent.startsWith("Wget");
}

QByteArray serialize(const http::HttpRequest& request, const QJsonObject& object, bool yaml)
{
    if (yaml)
        return json::toYaml(object);
    return QJsonDocument(object).toJson(wantsPretty(request) ? QJsonDocument::Indented : QJsonDocument::Compact);
}

http::HeaderList standardHeaders()
{
    return {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache, private")},
            {QByteArrayLiteral("Audit-Id"), QUuid::createUuid().toByteArray(QUuid::WithoutBraces)}};
}

/// standardHeaders() with a Warning header (299, as kube-apiserver) per warning.
http::HeaderList headersWith(const QStringList& warnings)
{
    http::HeaderList headers = standardHeaders();
    for (const auto& warning : warnings) {
        QString quoted = warning;
        quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        headers.append({QByteArrayLiteral("Warning"), "299 - \"" + quoted.toUtf8() + '"'});
    }
    return headers;
}

Error unauthorized()
{
    return Error(ErrorCategory::Unauthorized, QStringLiteral("Unauthorized"));
}

Error resourceNotFound()
{
    return Error(ErrorCategory::NotFound, QStringLiteral("the server could not find the requested resource"));
}

Error methodNotAllowed()
{
    return Error(ErrorCategory::MethodNotAllowed,
                 QStringLiteral("the server does not allow this method on the requested resource"));
}

/// The body of a write: JSON or YAML, with kube-apiserver's 400 for anything it cannot read.
Result<QJsonObject> readBody(const http::HttpRequest& request, const QString& kind)
{
    QByteArray contentType = request.header("content-type").toLower();
    if (contentType.isEmpty())
        contentType = kJson;
    if (!contentType.startsWith("application/json") && !contentType.startsWith("application/yaml") &&
        !contentType.startsWith("application/vnd.kubernetes.protobuf") && !contentType.startsWith("*/*")) {
        return Error(ErrorCategory::UnsupportedMediaType,
                     QStringLiteral("the body of the request was in an unknown format - accepted media types "
                                    "include: application/json, application/yaml, "
                                    "application/vnd.kubernetes.protobuf"));
    }
    if (api::protobuf::isProtobufContentType(contentType)) {
        // kubectl's typed clients (create namespace, configmap, secret, ...) send protobuf.
        auto decoded = api::protobuf::decodeObject(request.body);
        if (!decoded && decoded.error().category() == ErrorCategory::UnsupportedMediaType) {
            // The authentication and authorization kinds (RBAC, reviews, TokenRequest, CSRs) are decoded here.
            auto auth = authprotobuf::decodeObject(request.body);
            if (auth || auth.error().category() != ErrorCategory::UnsupportedMediaType)
                return auth;
        }
        if (!decoded)
            return decoded.error();
        return decoded;
    }
    auto body = json::parseObjectJsonOrYaml(request.body, contentType, QStringLiteral("request body"));
    if (!body) {
        const QString excerpt = QString::fromUtf8(request.body.left(100));
        return Error::badRequest(QStringLiteral("the object provided is unrecognized (must be of type %1): couldn't "
                                                "get version/kind; json parse error: %2 (%3)")
                                     .arg(kind, body.error().message(), excerpt));
    }
    return body;
}

Status checkKindAndVersion(const QJsonObject& body, const ResourceType& type)
{
    const QString apiVersion = body.value(QLatin1String("apiVersion")).toString();
    const QString kind = body.value(QLatin1String("kind")).toString();
    if (!apiVersion.isEmpty() && apiVersion != type.apiVersion())
        return Error::badRequest(QStringLiteral("the API version in the data (%1) does not match the expected API "
                                                "version (%2)")
                                     .arg(apiVersion, type.apiVersion()));
    if (!kind.isEmpty() && kind != type.kind)
        return Error::badRequest(
            QStringLiteral("the kind in the data (%1) does not match the expected kind (%2)").arg(kind, type.kind));
    return {};
}

QJsonObject listObject(const ResourceType& type,
                       const QJsonArray& items,
                       const QString& resourceVersion,
                       const QString& continueToken,
                       qsizetype remaining)
{
    QJsonObject meta{{QStringLiteral("resourceVersion"), resourceVersion}};
    if (!continueToken.isEmpty()) {
        meta.insert(QStringLiteral("continue"), continueToken);
        if (remaining > 0)
            meta.insert(QStringLiteral("remainingItemCount"), qint64(remaining));
    }
    return QJsonObject{{QStringLiteral("kind"), type.listKind()},
                       {QStringLiteral("apiVersion"), type.apiVersion()},
                       {QStringLiteral("metadata"), meta},
                       {QStringLiteral("items"), items}};
}

QString encodeContinue(quint64 rv, const QString& startAfter)
{
    const QJsonObject token{{QStringLiteral("v"), QStringLiteral("meta.k8s.io/v1")},
                            {QStringLiteral("rv"), qint64(rv)},
                            {QStringLiteral("start"), startAfter}};
    return QString::fromLatin1(json::compact(token).toBase64(QByteArray::Base64UrlEncoding));
}

Result<QPair<quint64, QString>> decodeContinue(const QString& token)
{
    const QByteArray raw = QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
    auto parsed = json::parseObject(raw, QStringLiteral("continue"));
    if (!parsed || !parsed->contains(QLatin1String("rv")))
        return Error::badRequest(QStringLiteral("continue key is not valid: incorrect encoded start resourceVersion "
                                                "(version meta.k8s.io/v1)"));
    return qMakePair(quint64(parsed->value(QLatin1String("rv")).toInteger()),
                     parsed->value(QLatin1String("start")).toString());
}

struct Selectors
{
    api::LabelSelector labels;
    api::FieldSelector fields;
};

Result<Selectors> readSelectors(const http::HttpRequest& request, const ResourceType& type, const RequestInfo& info)
{
    Selectors selectors;
    auto labels = api::LabelSelector::parse(request.queryValue(QStringLiteral("labelSelector")));
    if (!labels)
        return labels.error();
    selectors.labels = labels.value();
    QString fieldText = request.queryValue(QStringLiteral("fieldSelector"));
    if (!info.name.isEmpty()) {
        // Watching one object is a watch with metadata.name=<name>.
        const QString byName = QStringLiteral("metadata.name=") + info.name;
        fieldText = fieldText.isEmpty() ? byName : fieldText + QLatin1Char(',') + byName;
    }
    auto fields = api::FieldSelector::parse(fieldText);
    if (!fields)
        return fields.error();
    QStringList supported{QStringLiteral("metadata.name"), QStringLiteral("metadata.namespace")};
    supported += type.selectableFields;
    if (auto valid = fields->validateFields(supported); !valid)
        return valid.error();
    selectors.fields = fields.value();
    return selectors;
}

QString storageTypeKey(const ResourceType& type)
{
    return Registry::typeKey(type);
}

/// events.k8s.io/v1 is a view of core/v1 events: requests on it read and write core events, converted.
const ResourceType* storageType(const ResourceType& type)
{
    if (isEventsK8sIo(type))
        return findResourceType({}, QStringLiteral("v1"), QStringLiteral("events"));
    return &type;
}

QJsonObject toClient(const ResourceType& type, const QJsonObject& stored)
{
    return isEventsK8sIo(type) ? coreEventToEventsV1(stored) : stored;
}

/// kube-apiserver's field validation: unknown fields are dropped; with fieldValidation=Strict they fail the request
/// (400), with Warn (the default) each becomes a Warning header, with Ignore nothing is said. A patched status write
/// (`statusWrite`) changes only metadata and status (the rest comes from the stored object, already pruned): only
/// those are walked, and unknown top-level fields.
Status validateFields(const http::HttpRequest& request,
                      const ResourceType& type,
                      QJsonObject& object,
                      QStringList* warnings,
                      bool statusWrite = false)
{
    static const QStringList statusWriteMembers{QStringLiteral("metadata"), QStringLiteral("status")};
    const QStringList unknown = statusWrite ? FieldPruner::instance().pruneMembers(type, object, statusWriteMembers)
                                            : FieldPruner::instance().prune(type, object);
    if (unknown.isEmpty())
        return {};
    const QString mode = request.queryValue(QStringLiteral("fieldValidation"));
    QStringList messages;
    for (const auto& path : unknown)
        messages.append(QStringLiteral("unknown field \"%1\"").arg(path));
    if (mode == QLatin1String("Strict"))
        return Error::badRequest(
            QStringLiteral("%1 in version \"%2\" cannot be handled as a %1: strict decoding error: %3")
                .arg(type.kind, type.version, messages.join(QStringLiteral(", "))));
    if (mode != QLatin1String("Ignore"))
        *warnings += messages;
    return {};
}

const QString kAuthenticationGroup = QStringLiteral("authentication.k8s.io");
const QString kAuthorizationGroup = QStringLiteral("authorization.k8s.io");
const QString kCertificatesGroup = QStringLiteral("certificates.k8s.io");

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    for (const auto& v : value.toArray())
        out.append(v.toString());
    return out;
}

} // namespace

ApiServer::ApiServer(Registry* registry, Options options, QObject* parent)
    : QObject(parent), m_registry(registry), m_options(std::move(options)), m_http(new http::HttpServer)
{
    m_http->setTlsConfiguration(m_options.tls);
    m_http->setClientCaCertificates(m_options.clientCas);
    m_http->setHandler(
        [this](const http::HttpRequest& request, http::HttpResponder* responder) { handle(request, responder); });
    connect(registry->store(), &ObjectStore::changed, this, &ApiServer::onStoreChanged);
    m_tokens = std::make_unique<TokenAuthority>(
        registry->clock(),
        m_options.apiAudiences.isEmpty() ? QStringList{TokenAuthority::defaultAudience()} : m_options.apiAudiences,
        m_options.tokenSigningKey);
    ObjectStore* store = registry->store();
    m_tokens->setAccountCheck([store](const QString& ns, const QString& name, const QString& uid) {
        const auto account = store->get(QStringLiteral("serviceaccounts"), ns, name);
        return account && (uid.isEmpty() || object::uid(*account) == uid);
    });
    m_rbac = std::make_unique<RbacAuthorizer>([store](const QString& resource, const QString& ns) {
        return store->list(QStringLiteral("rbac.authorization.k8s.io/") + resource, ns);
    });
}

bool ApiServer::isAllowed(const AccessAttributes& attributes, QString* reason) const
{
    const AccessDecision decision = m_rbac->authorize(attributes);
    if (reason)
        *reason = decision.reason;
    return decision.allowed;
}

ApiServer::~ApiServer()
{
    stop();
}

Result<quint16> ApiServer::start()
{
    return m_http->listen(m_options.address, m_options.port);
}

void ApiServer::stop()
{
    const auto all = m_watches;
    for (const auto& sessions : all) {
        for (WatchSession* session : sessions)
            session->end();
    }
    m_http->close();
}

quint16 ApiServer::port() const
{
    return m_http->serverPort();
}

int ApiServer::watchCount() const
{
    return m_watchCount;
}

void ApiServer::sendObject(const http::HttpRequest& request,
                           http::HttpResponder* responder,
                           int status,
                           const QJsonObject& object,
                           const QStringList& warnings)
{
    const Accept accept = parseAccept(request.header("accept"));
    const QByteArray contentType = accept.yaml ? QByteArrayLiteral("application/yaml") : kJson;
    responder->respond(status, contentType, serialize(request, object, accept.yaml), headersWith(warnings));
}

void ApiServer::sendStored(const http::HttpRequest& request,
                           http::HttpResponder* responder,
                           int status,
                           const ResourceType& type,
                           const QJsonObject& stored,
                           const QStringList& warnings,
                           bool dryRun)
{
    // The same resourceVersion is the same stored object, so its text from the watches is this answer's body
    // (a dry run's object was not stored and may differ from the version it carries).
    if (!dryRun && !isEventsK8sIo(type) && !wantsPretty(request)) {
        const Accept accept = parseAccept(request.header("accept"));
        if (!accept.yaml && !accept.table) {
            const QByteArray text = m_registry->store()->lastChangeJson(object::resourceVersion(stored).toULongLong());
            if (!text.isEmpty())
                return responder->respond(status, kJson, text, headersWith(warnings));
        }
    }
    sendObject(request, responder, status, toClient(type, stored), warnings);
}

void ApiServer::sendError(const http::HttpRequest& request, http::HttpResponder* responder, const Error& error)
{
    http::HeaderList headers = standardHeaders();
    if (error.retryAfterSeconds() > 0)
        headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(error.retryAfterSeconds())});
    const QJsonObject status = kube::statusObject(error);
    responder->respond(
        error.httpCode() > 0 ? error.httpCode() : 500, kJson,
        QJsonDocument(status).toJson(wantsPretty(request) ? QJsonDocument::Indented : QJsonDocument::Compact), headers);
}

void ApiServer::handle(const http::HttpRequest& request, http::HttpResponder* responder)
{
    // As kube-apiserver, whose watches learn of a write from etcd after it is done: the writer has its answer before
    // any watch has the change (a client can tell its own write's echo by the resourceVersion the answer gave it).
    ++m_handling;
    handleRequest(request, responder);
    if (--m_handling > 0)
        return;
    while (!m_heldBack.isEmpty()) {
        const QList<std::shared_ptr<const ChangeEvent>> changes = std::exchange(m_heldBack, {});
        for (const auto& change : changes)
            deliver(*change);
    }
}

void ApiServer::handleRequest(const http::HttpRequest& request, http::HttpResponder* responder)
{
    ++m_requests;
    // x509 client certificates, then service account bearer tokens (as --anonymous-auth=false).
    UserInfo user = authenticate(request, *m_tokens);
    if (user.name.isEmpty())
        return sendError(request, responder, unauthorized());
    const auto allowed = [this](const AccessAttributes& attributes, QString* reason) {
        return isAllowed(attributes, reason);
    };
    if (!request.header("impersonate-user").isEmpty()) {
        auto impersonated = impersonate(request, user, allowed);
        if (!impersonated)
            return sendError(request, responder, impersonated.error());
        user = impersonated.value();
    }

    const bool watchParam = [&] {
        const QString w = request.queryValue(QStringLiteral("watch"));
        return w == QLatin1String("true") || w == QLatin1String("1");
    }();
    const RequestInfo info = RequestInfo::parse(request.method, request.path, watchParam);
    if (m_options.authorizationMode == QLatin1String("RBAC")) {
        const AccessAttributes attributes = requestAttributes(request, info, user);
        QString reason;
        if (!isAllowed(attributes, &reason))
            return sendError(request, responder, forbiddenError(attributes, reason));
    }
    if (!info.isResourceRequest)
        return handleNonResource(request, responder);
    handleResource(request, info, user, responder);
}

void ApiServer::handleNonResource(const http::HttpRequest& request, http::HttpResponder* responder)
{
    const QString& path = request.path;
    const auto text = [&](int status, const QByteArray& body) {
        responder->respond(status, QByteArrayLiteral("text/plain; charset=utf-8"), body,
                           {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache, private")},
                            {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")}});
    };
    if (path == QLatin1String("/version") || path == QLatin1String("/version/")) {
        const QJsonObject version{
            {QStringLiteral("major"), QStringLiteral("1")},
            {QStringLiteral("minor"), QStringLiteral("32")},
            {QStringLiteral("gitVersion"), m_options.gitVersion},
            {QStringLiteral("gitCommit"), QStringLiteral(VK_VERSION)},
            {QStringLiteral("gitTreeState"), QStringLiteral("clean")},
            {QStringLiteral("buildDate"), QStringLiteral("2026-11-22T00:00:00Z")},
            {QStringLiteral("goVersion"), QStringLiteral("n/a (C++20, Qt %1)").arg(QString::fromLatin1(qVersion()))},
            {QStringLiteral("compiler"), QStringLiteral("gcc")},
            {QStringLiteral("platform"), QStringLiteral("linux/amd64")}};
        return sendObject(request, responder, 200, version);
    }
    for (const char* probe : {"/healthz", "/livez", "/readyz"}) {
        const QLatin1String base(probe);
        if (path == base || path == base + QLatin1Char('/')) {
            if (request.query.hasQueryItem(QStringLiteral("verbose")))
                return text(200, QByteArray("[+]ping ok\n[+]log ok\n[+]etcd ok\n") + QByteArray(probe + 1) +
                                     " check passed\n");
            return text(200, QByteArrayLiteral("ok"));
        }
        if (path.startsWith(base + QLatin1Char('/')))
            return text(200, QByteArrayLiteral("ok"));
    }
    const QString address = QStringLiteral("%1:%2").arg(m_options.address.toString()).arg(port());
    if (path == QLatin1String("/api") || path == QLatin1String("/api/")) {
        const QJsonObject versions{{QStringLiteral("kind"), QStringLiteral("APIVersions")},
                                   {QStringLiteral("versions"), QJsonArray{QStringLiteral("v1")}},
                                   {QStringLiteral("serverAddressByClientCIDRs"),
                                    QJsonArray{QJsonObject{{QStringLiteral("clientCIDR"), QStringLiteral("0.0.0.0/0")},
                                                           {QStringLiteral("serverAddress"), address}}}}};
        return sendObject(request, responder, 200, versions);
    }
    // Groups and their versions, from the served types.
    QMap<QString, QStringList> groups;
    for (const auto& type : builtinResourceTypes()) {
        if (!type.group.isEmpty() && !groups[type.group].contains(type.version))
            groups[type.group].append(type.version);
    }
    const auto groupObject = [&](const QString& group) {
        QJsonArray versions;
        for (const auto& v : groups.value(group))
            versions.append(QJsonObject{{QStringLiteral("groupVersion"), QString(group + QLatin1Char('/') + v)},
                                        {QStringLiteral("version"), v}});
        const QString preferred = groups.value(group).value(0);
        return QJsonObject{{QStringLiteral("name"), group},
                           {QStringLiteral("versions"), versions},
                           {QStringLiteral("preferredVersion"),
                            QJsonObject{{QStringLiteral("groupVersion"), QString(group + QLatin1Char('/') + preferred)},
                                        {QStringLiteral("version"), preferred}}}};
    };
    if (path == QLatin1String("/apis") || path == QLatin1String("/apis/")) {
        QJsonArray list;
        for (auto it = groups.cbegin(); it != groups.cend(); ++it)
            list.append(groupObject(it.key()));
        return sendObject(request, responder, 200,
                          QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIGroupList")},
                                      {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                      {QStringLiteral("groups"), list}});
    }
    // /api/v1, /apis/<group>, /apis/<group>/<version>
    const QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (segments.size() == 2 && segments.at(0) == QLatin1String("apis") && groups.contains(segments.at(1))) {
        QJsonObject group = groupObject(segments.at(1));
        group.insert(QStringLiteral("kind"), QStringLiteral("APIGroup"));
        group.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
        return sendObject(request, responder, 200, group);
    }
    QString groupName;
    QString version;
    if (segments.size() == 2 && segments.at(0) == QLatin1String("api")) {
        version = segments.at(1);
    } else if (segments.size() == 3 && segments.at(0) == QLatin1String("apis")) {
        groupName = segments.at(1);
        version = segments.at(2);
    }
    if (!version.isEmpty()) {
        QJsonArray resources;
        for (const auto& type : builtinResourceTypes()) {
            if (type.group != groupName || type.version != version)
                continue;
            QJsonObject resource{{QStringLiteral("name"), type.resource},
                                 {QStringLiteral("singularName"), type.singularName},
                                 {QStringLiteral("namespaced"), type.namespaced},
                                 {QStringLiteral("kind"), type.kind},
                                 {QStringLiteral("verbs"), QJsonArray::fromStringList(type.verbs)}};
            if (!type.shortNames.isEmpty())
                resource.insert(QStringLiteral("shortNames"), QJsonArray::fromStringList(type.shortNames));
            if (!type.categories.isEmpty())
                resource.insert(QStringLiteral("categories"), QJsonArray::fromStringList(type.categories));
            if (!type.storageVersionHash.isEmpty())
                resource.insert(QStringLiteral("storageVersionHash"), type.storageVersionHash);
            resources.append(resource);
            for (const auto& sub : type.subresourceInfos) {
                QJsonObject subresource{{QStringLiteral("name"), QString(type.resource + QLatin1Char('/') + sub.name)},
                                        {QStringLiteral("singularName"), QString()},
                                        {QStringLiteral("namespaced"), type.namespaced},
                                        {QStringLiteral("kind"), sub.kind},
                                        {QStringLiteral("verbs"), QJsonArray::fromStringList(sub.verbs)}};
                if (!sub.group.isEmpty())
                    subresource.insert(QStringLiteral("group"), sub.group);
                if (!sub.version.isEmpty())
                    subresource.insert(QStringLiteral("version"), sub.version);
                resources.append(subresource);
            }
        }
        if (resources.isEmpty())
            return text(404, QByteArrayLiteral("404 page not found\n"));
        const QString groupVersion = groupName.isEmpty() ? version : groupName + QLatin1Char('/') + version;
        QJsonObject list{{QStringLiteral("kind"), QStringLiteral("APIResourceList")},
                         {QStringLiteral("groupVersion"), groupVersion},
                         {QStringLiteral("resources"), resources}};
        if (!groupName.isEmpty())
            list.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
        return sendObject(request, responder, 200, list);
    }
    if (path == QLatin1String("/openapi/v2") || path == QLatin1String("/swagger.json")) {
        // kubectl asks for protobuf (client-side validation of List manifests, older kubectl for everything).
        const OpenApiV2Representation representation = openApiV2For(
            path == QLatin1String("/swagger.json") ? QByteArrayLiteral("application/json") : request.header("accept"));
        if (representation.contentType.isEmpty())
            return sendError(request, responder,
                             Error(ErrorCategory::NotAcceptable,
                                   QStringLiteral("only the following media types are accepted: application/json, "
                                                  "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")));
        if (request.header("if-none-match") == openApiV2ETag())
            return responder->respond(304, representation.contentType, {},
                                      {{QByteArrayLiteral("Etag"), openApiV2ETag()}});
        return responder->respond(
            200, representation.contentType, representation.body,
            {{QByteArrayLiteral("Etag"), openApiV2ETag()}, {QByteArrayLiteral("Vary"), QByteArrayLiteral("Accept")}});
    }
    if (path == QLatin1String("/openapi/v3") || path == QLatin1String("/openapi/v3/"))
        return sendObject(request, responder, 200, openApiV3Index());
    if (path.startsWith(QLatin1String("/openapi/v3/"))) {
        const QJsonObject document = openApiV3Document(path.mid(int(qstrlen("/openapi/v3/"))));
        if (document.isEmpty())
            return text(404, QByteArrayLiteral("404 page not found\n"));
        return responder->respond(200, kJson, QJsonDocument(document).toJson(QJsonDocument::Compact),
                                  {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("public, immutable")}});
    }
    text(404, QByteArrayLiteral("404 page not found\n"));
}

void ApiServer::handleResource(const http::HttpRequest& request,
                               const RequestInfo& info,
                               const UserInfo& user,
                               http::HttpResponder* responder)
{
    const ResourceType* found = findResourceType(info.group, info.version, info.resource);
    if (!found && info.group == QLatin1String("apiextensions.k8s.io") &&
        info.resource == QLatin1String("customresourcedefinitions") && info.verb == QLatin1String("list")) {
        // The sandbox serves no custom resources. kubectl's client-side validation (used for kinds without a PATCH
        // path, such as the reviews) lists CRDs to tell built-in kinds from custom ones: an empty list says so.
        return sendObject(request, responder, 200,
                          QJsonObject{{QStringLiteral("kind"), QStringLiteral("CustomResourceDefinitionList")},
                                      {QStringLiteral("apiVersion"), QStringLiteral("apiextensions.k8s.io/v1")},
                                      {QStringLiteral("metadata"),
                                       QJsonObject{{QStringLiteral("resourceVersion"),
                                                    QString::number(m_registry->store()->currentResourceVersion())}}},
                                      {QStringLiteral("items"), QJsonArray{}}});
    }
    if (!found || found->resource != info.resource)
        return sendError(request, responder, resourceNotFound());
    const ResourceType& type = *found;
    if (type.namespaced && info.namespaceName.isEmpty() && !info.name.isEmpty())
        return sendError(request, responder, resourceNotFound());
    if (!type.namespaced && !info.namespaceName.isEmpty())
        return sendError(request, responder, resourceNotFound());
    if (!info.subresource.isEmpty() && !type.subresources.contains(info.subresource))
        return sendError(request, responder, resourceNotFound());

    const ResourceType& stored = *storageType(type);
    const bool dryRun = request.query.hasQueryItem(QStringLiteral("dryRun"));
    const QString& verb = info.verb;
    const QString& sub = info.subresource;

    if (type.group == kAuthenticationGroup || type.group == kAuthorizationGroup)
        return handleReview(request, info, type, user, responder);
    if (type.group.isEmpty() && type.resource == QLatin1String("serviceaccounts") && sub == QLatin1String("token"))
        return handleTokenRequest(request, info, responder);
    if (type.group == kCertificatesGroup && sub == QLatin1String("approval") && verb == QLatin1String("update"))
        return handleApproval(request, info, type, responder);
    if (sub == QLatin1String("log") || sub == QLatin1String("exec") || sub == QLatin1String("attach") ||
        sub == QLatin1String("portforward") || sub == QLatin1String("proxy"))
        return handleProxy(request, info, responder);

    if (verb == QLatin1String("get")) {
        auto object = m_registry->get(stored, info.namespaceName, info.name);
        if (!object)
            return sendError(request, responder, object.error());
        if (parseAccept(request.header("accept")).table) {
            const QJsonObject table =
                buildTable(type, {toClient(type, object.value())}, request.queryValue(QStringLiteral("includeObject")),
                           m_registry->clock()->now(), object::resourceVersion(object.value()));
            return responder->respond(200, QByteArrayLiteral("application/json;as=Table;v=v1;g=meta.k8s.io"),
                                      serialize(request, table, false), standardHeaders());
        }
        return sendObject(request, responder, 200, toClient(type, object.value()));
    }
    if (verb == QLatin1String("list"))
        return handleList(request, info, type, responder);
    if (verb == QLatin1String("watch"))
        return handleWatch(request, info, type, responder);
    if (verb == QLatin1String("create")) {
        if (sub == QLatin1String("binding") || (type.resource == QLatin1String("bindings"))) {
            auto body = readBody(request, QStringLiteral("Binding"));
            if (!body)
                return sendError(request, responder, body.error());
            const QString podName = sub.isEmpty() ? object::name(body.value()) : info.name;
            auto bound = m_registry->bind(info.namespaceName, podName, body.value());
            if (!bound)
                return sendError(request, responder, bound.error());
            return sendObject(request, responder, 201, bound.value());
        }
        if (sub == QLatin1String("eviction")) {
            auto body = readBody(request, QStringLiteral("Eviction"));
            if (!body)
                return sendError(request, responder, body.error());
            auto evicted = m_registry->evict(info.namespaceName, info.name, body.value());
            if (!evicted)
                return sendError(request, responder, evicted.error());
            return sendObject(request, responder, 201,
                              QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                          {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                          {QStringLiteral("metadata"), QJsonObject{}},
                                          {QStringLiteral("status"), QStringLiteral("Success")},
                                          {QStringLiteral("code"), 201}});
        }
        if (!info.name.isEmpty() || !sub.isEmpty())
            return sendError(request, responder, methodNotAllowed());
        auto body = readBody(request, type.kind);
        if (!body)
            return sendError(request, responder, body.error());
        if (auto ok = checkKindAndVersion(body.value(), type); !ok)
            return sendError(request, responder, ok.error());
        QStringList warnings;
        if (auto fields = validateFields(request, type, body.value(), &warnings); !fields)
            return sendError(request, responder, fields.error());
        QJsonObject object = isEventsK8sIo(type) ? eventsV1ToCoreEvent(body.value()) : body.value();
        if (type.group == kCertificatesGroup) {
            // The requester's identity, set by the API server (immutable afterwards).
            QJsonObject spec = object.value(QLatin1String("spec")).toObject();
            spec.insert(QStringLiteral("username"), user.name);
            if (!user.uid.isEmpty())
                spec.insert(QStringLiteral("uid"), user.uid);
            spec.insert(QStringLiteral("groups"), QJsonArray::fromStringList(user.groups));
            if (!user.extra.isEmpty())
                spec.insert(QStringLiteral("extra"), user.extra);
            else
                spec.remove(QStringLiteral("extra"));
            object.insert(QStringLiteral("spec"), spec);
        }
        auto created = m_registry->create(stored, info.namespaceName, object, dryRun);
        if (!created)
            return sendError(request, responder, created.error());
        return sendStored(request, responder, 201, type, created.value(), warnings, dryRun);
    }
    if (verb == QLatin1String("update")) {
        if (info.name.isEmpty())
            return sendError(request, responder, methodNotAllowed());
        auto body = readBody(request, type.kind);
        if (!body)
            return sendError(request, responder, body.error());
        if (auto ok = checkKindAndVersion(body.value(), type); !ok)
            return sendError(request, responder, ok.error());
        QStringList warnings;
        // The whole body is decoded, so unknown fields anywhere in it are reported, even in a status write's spec
        // (which the stored one then replaces).
        if (auto fields = validateFields(request, type, body.value(), &warnings); !fields)
            return sendError(request, responder, fields.error());
        QJsonObject object = isEventsK8sIo(type) ? eventsV1ToCoreEvent(body.value()) : body.value();
        if (sub == QLatin1String("finalize")) {
            auto finalized = m_registry->finalizeNamespace(
                info.name, object.value(QLatin1String("spec")).toObject().value(QLatin1String("finalizers")).toArray());
            if (!finalized)
                return sendError(request, responder, finalized.error());
            return sendObject(request, responder, 200, finalized.value());
        }
        auto updated =
            m_registry->update(stored, info.namespaceName, info.name, object, sub == QLatin1String("status"), dryRun);
        if (!updated)
            return sendError(request, responder, updated.error());
        return sendStored(request, responder, 200, type, updated.value(), warnings, dryRun);
    }
    if (verb == QLatin1String("patch"))
        return handlePatch(request, info, type, responder);
    if (verb == QLatin1String("delete"))
        return handleDelete(request, info, type, responder);
    if (verb == QLatin1String("deletecollection"))
        return handleDeleteCollection(request, info, type, responder);
    sendError(request, responder, methodNotAllowed());
}

void ApiServer::handleList(const http::HttpRequest& request,
                           const RequestInfo& info,
                           const ResourceType& type,
                           http::HttpResponder* responder)
{
    auto selectors = readSelectors(request, type, info);
    if (!selectors)
        return sendError(request, responder, selectors.error());
    ObjectStore* store = m_registry->store();
    const quint64 rv = store->currentResourceVersion();
    const int limit = request.queryValue(QStringLiteral("limit")).toInt();
    QString startAfter;
    const QString continueToken = request.queryValue(QStringLiteral("continue"));
    if (!continueToken.isEmpty()) {
        auto decoded = decodeContinue(continueToken);
        if (!decoded)
            return sendError(request, responder, decoded.error());
        if (decoded->first < store->oldestResumableVersion()) {
            Error expired(ErrorCategory::Gone,
                          QStringLiteral("The provided continue parameter is too old to display a consistent list "
                                         "result. You can start a new list without the continue parameter, or use "
                                         "the continue token in this response to retrieve the remainder of the "
                                         "results. Continuing with the provided token results in an inconsistent "
                                         "list - objects that were created, modified, or deleted between the time the "
                                         "first chunk was returned and now may show up in the list."));
            expired.setReason(QStringLiteral("Expired"));
            return sendError(request, responder, expired);
        }
        startAfter = decoded->second;
    }
    const QString typeKey = storageTypeKey(*storageType(type));
    const bool filtered = !selectors->labels.isEmpty() || !selectors->fields.isEmpty();
    QList<QJsonObject> page;
    QString lastKey;
    qsizetype remaining = 0;
    bool more = false;
    {
        const QList<QJsonObject> candidates = store->listPage(typeKey, info.namespaceName, startAfter, 0, &remaining);
        for (qsizetype i = 0; i < candidates.size(); ++i) {
            const QJsonObject& object = candidates.at(i);
            if (filtered) {
                if (!selectors->labels.matches(object::labels(object)))
                    continue;
                if (!matchesFields(type, selectors->fields, object))
                    continue;
            }
            if (limit > 0 && page.size() >= limit) {
                more = true;
                remaining = filtered ? 0 : candidates.size() - i;
                break;
            }
            page.append(object);
            lastKey = ObjectStore::objectKey(object::namespaceName(object), object::name(object));
        }
    }
    const QString nextToken = more ? encodeContinue(rv, lastKey) : QString();
    if (parseAccept(request.header("accept")).table) {
        QList<QJsonObject> rows;
        rows.reserve(page.size());
        for (const auto& object : page)
            rows.append(toClient(type, object));
        QJsonObject table = buildTable(type, rows, request.queryValue(QStringLiteral("includeObject")),
                                       m_registry->clock()->now(), QString::number(rv));
        if (!nextToken.isEmpty()) {
            QJsonObject meta = table.value(QLatin1String("metadata")).toObject();
            meta.insert(QStringLiteral("continue"), nextToken);
            table.insert(QStringLiteral("metadata"), meta);
        }
        return responder->respond(200, QByteArrayLiteral("application/json;as=Table;v=v1;g=meta.k8s.io"),
                                  serialize(request, table, false), standardHeaders());
    }
    QJsonArray items;
    for (const auto& object : page) {
        QJsonObject item = toClient(type, object);
        // kube-apiserver's list items carry no kind/apiVersion.
        item.remove(QStringLiteral("kind"));
        item.remove(QStringLiteral("apiVersion"));
        items.append(item);
    }
    sendObject(request, responder, 200, listObject(type, items, QString::number(rv), nextToken, remaining));
}

void ApiServer::handleWatch(const http::HttpRequest& request,
                            const RequestInfo& info,
                            const ResourceType& type,
                            http::HttpResponder* responder)
{
    if (m_watchCount >= m_options.maxWatches) {
        Error busy(ErrorCategory::TooManyRequests,
                   QStringLiteral("too many watches (%1 open); try again later").arg(m_watchCount));
        busy.setRetryAfterSeconds(1);
        return sendError(request, responder, busy);
    }
    auto selectors = readSelectors(request, type, info);
    if (!selectors)
        return sendError(request, responder, selectors.error());
    WatchFilter filter;
    filter.type = &type;
    filter.namespaceName = info.namespaceName;
    filter.labels = selectors->labels;
    filter.fields = selectors->fields;
    filter.asTable = parseAccept(request.header("accept")).table;
    const QString includeObject = request.queryValue(QStringLiteral("includeObject"));
    if (!includeObject.isEmpty())
        filter.tableIncludeObject = includeObject;
    const QString bookmarks = request.queryValue(QStringLiteral("allowWatchBookmarks"));
    filter.bookmarks = bookmarks == QLatin1String("true") || bookmarks == QLatin1String("1");
    if (isEventsK8sIo(type))
        filter.convert = coreEventToEventsV1;

    qint64 timeoutMs = m_options.defaultWatchTimeoutMs;
    const QString timeoutSeconds = request.queryValue(QStringLiteral("timeoutSeconds"));
    if (!timeoutSeconds.isEmpty())
        timeoutMs = std::max<qint64>(0, timeoutSeconds.toLongLong()) * 1000;
    else
        timeoutMs += QRandomGenerator::global()->bounded(int(std::min<qint64>(timeoutMs, 1 << 30)));

    ObjectStore* store = m_registry->store();
    auto* session = new WatchSession(
        filter, responder, m_registry->clock(), timeoutMs, m_options.bookmarkIntervalMs,
        [store] { return store->currentResourceVersion(); }, this);
    const QString typeKey = storageTypeKey(*storageType(type));
    m_watches[typeKey].append(session);
    ++m_watchCount;
    connect(session, &WatchSession::finished, this, [this, typeKey](WatchSession* s) {
        if (m_watches[typeKey].removeOne(s))
            --m_watchCount;
        s->deleteLater();
    });

    const QString rvText = request.queryValue(QStringLiteral("resourceVersion"));
    if (rvText.isEmpty() || rvText == QLatin1String("0"))
        return session->begin(store->list(typeKey, info.namespaceName), {});
    bool ok = false;
    const quint64 rv = rvText.toULongLong(&ok);
    if (!ok) {
        Error bad(ErrorCategory::BadRequest, QStringLiteral("invalid resource version: %1").arg(rvText));
        return session->fail(bad);
    }
    auto replay = store->changesSince(rv, typeKey);
    if (!replay)
        return session->fail(replay.error());
    session->begin({}, replay.value());
}

void ApiServer::onStoreChanged(const ChangeEvent& event)
{
    if (m_handling > 0) {
        const auto change = m_registry->store()->lastChange();
        if (change && change.get() == &event) {
            m_heldBack.append(change);
            return;
        }
    }
    deliver(event);
}

void ApiServer::deliver(const ChangeEvent& event)
{
    const auto it = m_watches.constFind(event.typeKey);
    if (it == m_watches.cend() || it->isEmpty())
        return;
    const QList<WatchSession*> sessions = *it; // a session may end while we deliver
    for (WatchSession* session : sessions)
        session->deliver(event);
}

void ApiServer::handlePatch(const http::HttpRequest& request,
                            const RequestInfo& info,
                            const ResourceType& type,
                            http::HttpResponder* responder)
{
    if (info.name.isEmpty())
        return sendError(request, responder, methodNotAllowed());
    const ResourceType& stored = *storageType(type);
    auto current = m_registry->get(stored, info.namespaceName, info.name);
    if (!current)
        return sendError(request, responder, current.error());
    const QJsonObject original = toClient(type, current.value());
    const QByteArray contentType = request.header("content-type").split(';').first().trimmed().toLower();
    Result<QJsonObject> patched = Error::internal(QStringLiteral("unreachable"));
    bool patchIsClean = false; // a merge patch with no unknown field: the result needs no field validation
    if (contentType == "application/merge-patch+json" || contentType == "application/json-patch+json" ||
        contentType == "application/strategic-merge-patch+json") {
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return sendError(
                request, responder,
                Error::badRequest(QStringLiteral("error decoding patch: %1").arg(parseError.errorString())));
        if (contentType == "application/json-patch+json") {
            if (!doc.isArray())
                return sendError(request, responder,
                                 Error::badRequest(QStringLiteral("json: cannot unmarshal object into Go value of type "
                                                                  "jsonpatch.Patch")));
            auto result = api::patch::applyJsonPatch(original, doc.array());
            if (!result)
                return sendError(request, responder, result.error());
            if (!result->isObject())
                return sendError(request, responder,
                                 Error::badRequest(QStringLiteral("the patch did not produce an object")));
            patched = result->toObject();
        } else if (!doc.isObject()) {
            return sendError(request, responder,
                             Error::badRequest(QStringLiteral("json: cannot unmarshal array into Go value of type "
                                                              "map[string]interface {}")));
        } else if (contentType == "application/merge-patch+json") {
            patched = api::patch::applyMergePatch(original, doc.object()).toObject();
            // What a merge patch does not bring cannot be unknown (the stored object was pruned when written): a
            // clean patch (a null for an unknown field counts as unclean, to be safe) spares walking the result.
            patchIsClean = FieldPruner::instance().isClean(type, doc.object());
        } else {
            patched = api::patch::applyStrategicMergePatch(original, doc.object(), type.kind);
        }
    } else {
        return sendError(request, responder,
                         Error(ErrorCategory::UnsupportedMediaType,
                               QStringLiteral("the body of the request was in an unknown format - accepted media types "
                                              "include: application/json-patch+json, application/merge-patch+json, "
                                              "application/strategic-merge-patch+json")));
    }
    if (!patched)
        return sendError(request, responder, patched.error());
    const bool statusOnly =
        info.subresource == QLatin1String("status") || info.subresource == QLatin1String("approval");
    QStringList warnings;
    if (!patchIsClean) {
        if (auto fields = validateFields(request, type, patched.value(), &warnings, statusOnly); !fields)
            return sendError(request, responder, fields.error());
    }
    QJsonObject object = isEventsK8sIo(type) ? eventsV1ToCoreEvent(patched.value()) : patched.value();
    const bool dryRun = request.query.hasQueryItem(QStringLiteral("dryRun"));
    auto updated = m_registry->update(stored, info.namespaceName, info.name, object, statusOnly, dryRun);
    if (!updated)
        return sendError(request, responder, updated.error());
    sendStored(request, responder, 200, type, updated.value(), warnings, dryRun);
}

void ApiServer::handleDelete(const http::HttpRequest& request,
                             const RequestInfo& info,
                             const ResourceType& type,
                             http::HttpResponder* responder)
{
    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        auto parsed = readBody(request, QStringLiteral("DeleteOptions"));
        if (!parsed)
            return sendError(request, responder, parsed.error());
        body = parsed.value();
    }
    // Query parameters are the other way to pass DeleteOptions.
    const QString grace = request.queryValue(QStringLiteral("gracePeriodSeconds"));
    if (!grace.isEmpty())
        body.insert(QStringLiteral("gracePeriodSeconds"), grace.toLongLong());
    const QString propagation = request.queryValue(QStringLiteral("propagationPolicy"));
    if (!propagation.isEmpty())
        body.insert(QStringLiteral("propagationPolicy"), propagation);
    if (request.query.hasQueryItem(QStringLiteral("dryRun")))
        body.insert(QStringLiteral("dryRun"), QJsonArray{QStringLiteral("All")});
    auto options = DeleteOptions::fromJson(body);
    if (!options)
        return sendError(request, responder, options.error());
    auto outcome = m_registry->remove(*storageType(type), info.namespaceName, info.name, options.value());
    if (!outcome)
        return sendError(request, responder, outcome.error());
    // Pods and namespaces answer with the object (kube-apiserver's ReturnDeletedObject); others with a Status.
    const bool returnsObject = type.group.isEmpty() &&
                               (type.resource == QLatin1String("pods") || type.resource == QLatin1String("namespaces"));
    if (returnsObject || outcome->stillExists)
        return sendObject(request, responder, 200, toClient(type, outcome->object));
    sendObject(request, responder, 200,
               kube::successStatus(info.name, type.resource, type.group, object::uid(outcome->object)));
}

void ApiServer::handleDeleteCollection(const http::HttpRequest& request,
                                       const RequestInfo& info,
                                       const ResourceType& type,
                                       http::HttpResponder* responder)
{
    auto selectors = readSelectors(request, type, info);
    if (!selectors)
        return sendError(request, responder, selectors.error());
    const ResourceType& stored = *storageType(type);
    DeleteOptions options;
    const QString grace = request.queryValue(QStringLiteral("gracePeriodSeconds"));
    if (!grace.isEmpty())
        options.gracePeriodSeconds = grace.toLongLong();
    const auto objects = m_registry->store()->list(storageTypeKey(stored), info.namespaceName);
    QJsonArray items;
    for (const auto& object : objects) {
        if (!selectors->labels.matches(object::labels(object)) || !matchesFields(type, selectors->fields, object))
            continue;
        auto outcome = m_registry->remove(stored, object::namespaceName(object), object::name(object), options);
        if (outcome)
            items.append(toClient(type, outcome->object));
    }
    sendObject(request, responder, 200,
               listObject(type, items, QString::number(m_registry->store()->currentResourceVersion()), {}, 0));
}

void ApiServer::handleProxy(const http::HttpRequest& request, const RequestInfo& info, http::HttpResponder* responder)
{
    QString nodeName;
    QByteArray target;
    QUrlQuery query = request.query;
    if (info.resource == QLatin1String("nodes")) {
        nodeName = info.name;
        target = '/' + info.parts.join(QLatin1Char('/')).toUtf8();
        if (request.path.endsWith(QLatin1Char('/')) && !target.endsWith('/'))
            target += '/';
    } else if (info.resource == QLatin1String("pods")) {
        const ResourceType* pods = findResourceType({}, QStringLiteral("v1"), QStringLiteral("pods"));
        auto pod = m_registry->get(*pods, info.namespaceName, info.name);
        if (!pod)
            return sendError(request, responder, pod.error());
        const QJsonObject spec = pod->value(QLatin1String("spec")).toObject();
        nodeName = spec.value(QLatin1String("nodeName")).toString();
        if (nodeName.isEmpty())
            return sendError(request, responder,
                             Error::badRequest(QStringLiteral("pod %1 does not have a host assigned").arg(info.name)));
        const QString ns = info.namespaceName;
        if (info.subresource == QLatin1String("portforward")) {
            target = "/portForward/" + ns.toUtf8() + '/' + info.name.toUtf8();
        } else if (info.subresource == QLatin1String("proxy")) {
            return sendError(request, responder,
                             Error(ErrorCategory::ServiceUnavailable,
                                   QStringLiteral("pods/proxy needs a pod network, which virtual nodes do not have")));
        } else {
            QString container = query.queryItemValue(QStringLiteral("container"), QUrl::FullyDecoded);
            query.removeAllQueryItems(QStringLiteral("container"));
            if (container.isEmpty()) {
                QStringList names;
                for (const auto& c : spec.value(QLatin1String("containers")).toArray())
                    names.append(c.toObject().value(QLatin1String("name")).toString());
                const QString annotated = object::metadata(pod.value())
                                              .value(QLatin1String("annotations"))
                                              .toObject()
                                              .value(QLatin1String("kubectl.kubernetes.io/default-container"))
                                              .toString();
                if (names.size() == 1)
                    container = names.first();
                else if (!annotated.isEmpty())
                    container = annotated;
                else
                    return sendError(request, responder,
                                     Error::badRequest(QStringLiteral("a container name must be specified for pod %1, "
                                                                      "choose one of: [%2]")
                                                           .arg(info.name, names.join(QLatin1Char(' ')))));
            }
            const QByteArray path = info.subresource == QLatin1String("log")    ? "/containerLogs/"
                                    : info.subresource == QLatin1String("exec") ? "/exec/"
                                                                                : "/attach/";
            target = path + ns.toUtf8() + '/' + info.name.toUtf8() + '/' + container.toUtf8();
        }
    }
    const ResourceType* nodes = findResourceType({}, QStringLiteral("v1"), QStringLiteral("nodes"));
    auto node = m_registry->get(*nodes, {}, nodeName);
    if (!node)
        return sendError(request, responder, node.error());
    const QJsonObject status = node->value(QLatin1String("status")).toObject();
    QString host;
    for (const char* kind : {"InternalIP", "ExternalIP", "Hostname"}) {
        for (const auto& a : status.value(QLatin1String("addresses")).toArray()) {
            if (host.isEmpty() && a.toObject().value(QLatin1String("type")).toString() == QLatin1String(kind))
                host = a.toObject().value(QLatin1String("address")).toString();
        }
    }
    const int port = status.value(QLatin1String("daemonEndpoints"))
                         .toObject()
                         .value(QLatin1String("kubeletEndpoint"))
                         .toObject()
                         .value(QLatin1String("Port"))
                         .toInt(10250);
    if (host.isEmpty())
        return sendError(
            request, responder,
            Error::badRequest(QStringLiteral("node %1 has no address to reach its kubelet").arg(nodeName)));
    const QByteArray encodedQuery = query.toString(QUrl::FullyEncoded).toUtf8();
    if (!encodedQuery.isEmpty())
        target += '?' + encodedQuery;
    new KubeletProxy(request, responder, host, quint16(port), target, m_options.kubeletClientCertificate,
                     m_options.kubeletClientKey, this);
}

void ApiServer::handleReview(const http::HttpRequest& request,
                             const RequestInfo& info,
                             const ResourceType& type,
                             const UserInfo& user,
                             http::HttpResponder* responder)
{
    if (info.verb != QLatin1String("create") || !info.name.isEmpty() || !info.subresource.isEmpty())
        return sendError(request, responder, methodNotAllowed());
    auto body = readBody(request, type.kind);
    if (!body)
        return sendError(request, responder, body.error());
    if (auto ok = checkKindAndVersion(body.value(), type); !ok)
        return sendError(request, responder, ok.error());
    QJsonObject review = body.value();
    review.insert(QStringLiteral("apiVersion"), type.apiVersion());
    review.insert(QStringLiteral("kind"), type.kind);
    auto answered = ReviewAnswerer(*m_tokens, *m_rbac).answer(review, user, info.namespaceName);
    if (!answered)
        return sendError(request, responder, answered.error());
    sendObject(request, responder, 201, answered.value());
}

void ApiServer::handleTokenRequest(const http::HttpRequest& request,
                                   const RequestInfo& info,
                                   http::HttpResponder* responder)
{
    if (info.verb != QLatin1String("create"))
        return sendError(request, responder, methodNotAllowed());
    const ResourceType* accounts = findResourceType({}, QStringLiteral("v1"), QStringLiteral("serviceaccounts"));
    auto account = m_registry->get(*accounts, info.namespaceName, info.name);
    if (!account)
        return sendError(request, responder, account.error());
    auto body = readBody(request, QStringLiteral("TokenRequest"));
    if (!body)
        return sendError(request, responder, body.error());
    QJsonObject spec = body->value(QLatin1String("spec")).toObject();
    auto issued = m_tokens->issue(info.namespaceName, info.name, object::uid(account.value()),
                                  stringList(spec.value(QLatin1String("audiences"))),
                                  spec.value(QLatin1String("expirationSeconds")).toInteger());
    if (!issued)
        return sendError(request, responder, issued.error());
    spec.insert(QStringLiteral("audiences"), QJsonArray::fromStringList(issued->audiences));
    spec.insert(QStringLiteral("expirationSeconds"), issued->expirationSeconds);
    if (!spec.contains(QLatin1String("boundObjectRef")))
        spec.insert(QStringLiteral("boundObjectRef"), QJsonValue::Null);
    const QJsonObject response{
        {QStringLiteral("kind"), QStringLiteral("TokenRequest")},
        {QStringLiteral("apiVersion"), QStringLiteral("authentication.k8s.io/v1")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), info.name},
                     {QStringLiteral("namespace"), info.namespaceName},
                     {QStringLiteral("creationTimestamp"), m_registry->clock()->now().toUTC().toString(Qt::ISODate)}}},
        {QStringLiteral("spec"), spec},
        {QStringLiteral("status"),
         QJsonObject{{QStringLiteral("token"), issued->token},
                     {QStringLiteral("expirationTimestamp"), issued->expiration.toString(Qt::ISODate)}}}};
    sendObject(request, responder, 201, response);
}

void ApiServer::handleApproval(const http::HttpRequest& request,
                               const RequestInfo& info,
                               const ResourceType& type,
                               http::HttpResponder* responder)
{
    auto body = readBody(request, type.kind);
    if (!body)
        return sendError(request, responder, body.error());
    if (auto ok = checkKindAndVersion(body.value(), type); !ok)
        return sendError(request, responder, ok.error());
    auto current = m_registry->get(type, {}, info.name);
    if (!current)
        return sendError(request, responder, current.error());
    // Only the Approved/Denied conditions change through /approval; defaults as the approval strategy sets them.
    const QString now = m_registry->clock()->now().toUTC().toString(Qt::ISODate);
    QJsonArray conditions;
    for (const auto& c : body->value(QLatin1String("status")).toObject().value(QLatin1String("conditions")).toArray()) {
        QJsonObject condition = c.toObject();
        if (condition.value(QLatin1String("status")).toString().isEmpty())
            condition.insert(QStringLiteral("status"), QStringLiteral("True"));
        if (!condition.contains(QLatin1String("lastUpdateTime")))
            condition.insert(QStringLiteral("lastUpdateTime"), now);
        if (!condition.contains(QLatin1String("lastTransitionTime")))
            condition.insert(QStringLiteral("lastTransitionTime"), now);
        conditions.append(condition);
    }
    QJsonObject object = current.value();
    QJsonObject status = object.value(QLatin1String("status")).toObject();
    status.insert(QStringLiteral("conditions"), conditions);
    object.insert(QStringLiteral("status"), status);
    const QString resourceVersion = object::resourceVersion(body.value());
    if (!resourceVersion.isEmpty())
        object::setMetadataField(object, QStringLiteral("resourceVersion"), resourceVersion);
    auto updated =
        m_registry->update(type, {}, info.name, object, true, request.query.hasQueryItem(QStringLiteral("dryRun")));
    if (!updated)
        return sendError(request, responder, updated.error());
    sendObject(request, responder, 200, updated.value());
}

} // namespace vk::sandbox
