// SPDX-License-Identifier: Apache-2.0
#include "kubelet/KubeletAuth.h"

#include "http/HttpServer.h"
#include "kube/ApiClient.h"
#include "kubelet/Logging.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSslCertificate>

namespace vk::kubelet {

namespace {

bool isSubpath(const QString& subpath, QString path)
{
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return subpath == path ||
           (subpath.startsWith(path) && subpath.size() > path.size() && subpath.at(path.size()) == QLatin1Char('/'));
}

const kube::GroupVersionResource kTokenReviews{QStringLiteral("authentication.k8s.io"), QStringLiteral("v1"),
                                               QStringLiteral("tokenreviews"), false};
const kube::GroupVersionResource kAccessReviews{QStringLiteral("authorization.k8s.io"), QStringLiteral("v1"),
                                                QStringLiteral("subjectaccessreviews"), false};

QString describe(const UserInfo& user, const RequestAttributes& attrs)
{
    return QStringLiteral("user=%1, verb=%2, resource=nodes, subresource=%3")
        .arg(user.name, attrs.verb, attrs.subresource);
}

} // namespace

RequestAttributes RequestAttributes::of(const QByteArray& method, const QString& path)
{
    RequestAttributes attrs;
    if (method == "POST")
        attrs.verb = QStringLiteral("create");
    else if (method == "GET")
        attrs.verb = QStringLiteral("get");
    else if (method == "PUT")
        attrs.verb = QStringLiteral("update");
    else if (method == "PATCH")
        attrs.verb = QStringLiteral("patch");
    else if (method == "DELETE")
        attrs.verb = QStringLiteral("delete");
    attrs.path = path;
    attrs.subresource = QStringLiteral("proxy");
    if (isSubpath(path, QStringLiteral("/stats/")))
        attrs.subresource = QStringLiteral("stats");
    else if (isSubpath(path, QStringLiteral("/metrics")))
        attrs.subresource = QStringLiteral("metrics");
    else if (isSubpath(path, QStringLiteral("/logs/")))
        attrs.subresource = QStringLiteral("log");
    else if (isSubpath(path, QStringLiteral("/spec/")))
        attrs.subresource = QStringLiteral("spec");
    return attrs;
}

KubeletAuth::KubeletAuth(kube::ApiClient* client, Options options, QObject* parent)
    : QObject(parent), m_client(client), m_hasClient(client != nullptr), m_options(std::move(options))
{
    if (!m_options.clock)
        m_options.clock = Clock::system();
}

void KubeletAuth::check(const http::HttpRequest& request, QObject* context, DecisionCallback done)
{
    const RequestAttributes attrs = RequestAttributes::of(request.method, request.path);
    if (request.peerCertificateVerified && !request.peerCertificateChain.isEmpty()) {
        const QSslCertificate& leaf = request.peerCertificateChain.first();
        UserInfo user;
        user.name = leaf.subjectInfo(QSslCertificate::CommonName).value(0);
        user.groups = leaf.subjectInfo(QSslCertificate::Organization);
        authorize(user, attrs, context, std::move(done));
        return;
    }
    const QByteArray authorization = request.header("authorization").trimmed();
    const int space = authorization.indexOf(' ');
    const QByteArray scheme = space > 0 ? authorization.left(space).toLower() : QByteArray();
    const QString token = space > 0 ? QString::fromUtf8(authorization.mid(space + 1).trimmed()) : QString();
    if (scheme != "bearer" || token.isEmpty()) {
        if (!request.peerCertificateChain.isEmpty())
            qCDebug(lcKubelet) << "client certificate of" << request.peerAddress.toString()
                               << "did not verify against the client CA";
        done(AuthDecision{401, QStringLiteral("Unauthorized"), {}});
        return;
    }
    QPointer<QObject> guard(context);
    authenticateToken(token, context, [this, guard, attrs, done](std::optional<UserInfo> user) {
        if (!guard)
            return;
        if (!user) {
            done(AuthDecision{401, QStringLiteral("Unauthorized"), {}});
            return;
        }
        authorize(*user, attrs, guard, done);
    });
}

void KubeletAuth::authenticateToken(const QString& token,
                                    QObject* context,
                                    std::function<void(std::optional<UserInfo>)> done)
{
    const QString key =
        QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
    const qint64 now = m_options.clock->monotonicMs();
    const auto cached = m_tokens.constFind(key);
    if (cached != m_tokens.cend() && cached->expiresMs > now) {
        done(cached->user);
        return;
    }
    if (!m_client) {
        if (!m_warnedNoClient)
            qCWarning(lcKubelet) << "a bearer token cannot be verified: the kubelet API has no API client for "
                                    "TokenReview; only client certificates are accepted";
        m_warnedNoClient = true;
        done(std::nullopt);
        return;
    }
    const QJsonObject review{
        {QStringLiteral("apiVersion"), QStringLiteral("authentication.k8s.io/v1")},
        {QStringLiteral("kind"), QStringLiteral("TokenReview")},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("token"), token}}},
    };
    ++m_tokenReviews;
    m_client->create(kTokenReviews, {}, review, context, [this, key, done](Result<QJsonObject> answer) {
        const qint64 expires = m_options.clock->monotonicMs() + m_options.tokenCacheMs;
        if (!answer) {
            if (answer.error().httpCode() == 404)
                qCWarning(lcKubelet).noquote()
                    << "bearer token rejected: the API server does not serve tokenreviews.authentication.k8s.io/v1 "
                       "(404), so tokens cannot be verified";
            else
                qCWarning(lcKubelet).noquote() << "TokenReview failed:" << answer.error().message();
            done(std::nullopt); // errors are not cached: the next request asks again
            return;
        }
        const QJsonObject status = answer->value(QLatin1String("status")).toObject();
        if (!status.value(QLatin1String("authenticated")).toBool()) {
            const QString reason = status.value(QLatin1String("error")).toString();
            qCInfo(lcKubelet).noquote() << "bearer token not authenticated"
                                        << (reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
            m_tokens.insert(key, CachedUser{std::nullopt, reason, expires});
            done(std::nullopt);
            return;
        }
        const QJsonObject u = status.value(QLatin1String("user")).toObject();
        UserInfo user;
        user.name = u.value(QLatin1String("username")).toString();
        user.uid = u.value(QLatin1String("uid")).toString();
        for (const auto& g : u.value(QLatin1String("groups")).toArray())
            user.groups.append(g.toString());
        user.extra = u.value(QLatin1String("extra")).toObject();
        m_tokens.insert(key, CachedUser{user, {}, expires});
        done(user);
    });
}

void KubeletAuth::authorize(const UserInfo& user,
                            const RequestAttributes& attrs,
                            QObject* context,
                            DecisionCallback done)
{
    if (!m_hasClient) {
        if (!m_warnedNoClient)
            qCWarning(lcKubelet) << "the kubelet API has no API client for SubjectAccessReview: every user with a "
                                    "client certificate from the client CA is allowed";
        m_warnedNoClient = true;
        done(AuthDecision{0, {}, user});
        return;
    }
    const QString key = user.name + QChar(0x1f) + user.groups.join(QLatin1Char(',')) + QChar(0x1f) + attrs.verb +
                        QChar(0x1f) + attrs.subresource;
    const qint64 now = m_options.clock->monotonicMs();
    const auto cached = m_decisions.constFind(key);
    if (cached != m_decisions.cend() && cached->expiresMs > now) {
        if (cached->allowed)
            done(AuthDecision{0, {}, user});
        else
            done(AuthDecision{403, cached->reason, user});
        return;
    }
    if (!m_client) {
        done(AuthDecision{500, QStringLiteral("Authorization error (%1)").arg(describe(user, attrs)), user});
        return;
    }
    QJsonObject spec{
        {QStringLiteral("resourceAttributes"), QJsonObject{{QStringLiteral("verb"), attrs.verb},
                                                           {QStringLiteral("version"), QStringLiteral("v1")},
                                                           {QStringLiteral("resource"), QStringLiteral("nodes")},
                                                           {QStringLiteral("subresource"), attrs.subresource},
                                                           {QStringLiteral("name"), m_options.nodeName}}},
        {QStringLiteral("user"), user.name},
        {QStringLiteral("groups"), QJsonArray::fromStringList(user.groups)},
    };
    if (!user.uid.isEmpty())
        spec.insert(QStringLiteral("uid"), user.uid);
    if (!user.extra.isEmpty())
        spec.insert(QStringLiteral("extra"), user.extra);
    const QJsonObject review{
        {QStringLiteral("apiVersion"), QStringLiteral("authorization.k8s.io/v1")},
        {QStringLiteral("kind"), QStringLiteral("SubjectAccessReview")},
        {QStringLiteral("spec"), spec},
    };
    ++m_accessReviews;
    m_client->create(kAccessReviews, {}, review, context, [this, key, user, attrs, done](Result<QJsonObject> answer) {
        const qint64 now = m_options.clock->monotonicMs();
        const QString forbidden = QStringLiteral("Forbidden (%1)").arg(describe(user, attrs));
        if (!answer) {
            if (answer.error().httpCode() == 404) {
                const QString message =
                    forbidden + QStringLiteral(": the API server does not serve "
                                               "subjectaccessreviews.authorization.k8s.io/v1, so the kubelet API "
                                               "cannot authorize requests");
                qCWarning(lcKubelet).noquote() << message;
                m_decisions.insert(key, CachedDecision{false, message, now + m_options.denyCacheMs});
                done(AuthDecision{403, message, user});
                return;
            }
            qCWarning(lcKubelet).noquote() << "SubjectAccessReview failed:" << answer.error().message();
            done(AuthDecision{500, QStringLiteral("Authorization error (%1)").arg(describe(user, attrs)), user});
            return;
        }
        const QJsonObject status = answer->value(QLatin1String("status")).toObject();
        if (status.value(QLatin1String("allowed")).toBool() && !status.value(QLatin1String("denied")).toBool()) {
            m_decisions.insert(key, CachedDecision{true, {}, now + m_options.allowCacheMs});
            done(AuthDecision{0, {}, user});
            return;
        }
        const QString reason = status.value(QLatin1String("reason")).toString();
        qCInfo(lcKubelet).noquote() << forbidden << (reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
        m_decisions.insert(key, CachedDecision{false, forbidden, now + m_options.denyCacheMs});
        done(AuthDecision{403, forbidden, user});
    });
}

} // namespace vk::kubelet
