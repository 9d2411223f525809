// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

namespace vk::http {
struct HttpRequest;
}
namespace vk::kube {
class ApiClient;
}

namespace vk::kubelet {

/// Who made a request: from the client certificate (CN = user, O = groups) or from a TokenReview.
struct UserInfo
{
    QString name;
    QString uid;
    QStringList groups;
    QJsonObject extra; ///< TokenReview user.extra, passed on to the SubjectAccessReview
};

/// The kubelet's authorization attributes of a request (pkg/kubelet/server/auth.go GetRequestAttributes):
/// resource "nodes", name = node, apiVersion v1, verb from the method, subresource from the path.
struct RequestAttributes
{
    QString verb;        ///< get, create, update, patch, delete (empty for other methods, as the kubelet)
    QString subresource; ///< stats (/stats/...), metrics (/metrics...), log (/logs/...), spec (/spec/...), else proxy
    QString path;

    static RequestAttributes of(const QByteArray& method, const QString& path);
};

/// The outcome of the authentication and authorization of one request.
struct AuthDecision
{
    int httpCode = 0; ///< 0: allowed; 401, 403 or 500 otherwise
    QString message;  ///< the kubelet's text: "Unauthorized", "Forbidden (user=..., verb=..., ...)", ...
    UserInfo user;

    bool allowed() const { return httpCode == 0; }
};

/// The kubelet API's authentication and authorization when a client CA is configured (upstream §4.2):
/// - a client certificate verified against the CA: CN is the user, O the groups;
/// - else `Authorization: Bearer` via TokenReview (authentication.k8s.io/v1), results cached 2 min;
/// - else 401 "Unauthorized";
/// - then a SubjectAccessReview (authorization.k8s.io/v1) for RequestAttributes; allowed cached 5 min, denied 30 s.
/// An API server that does not serve TokenReview or SubjectAccessReview (404) denies, with a message that says so.
/// Without an ApiClient there are no reviews: tokens are rejected and certificate users are allowed (logged once).
class KubeletAuth : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString nodeName;
        Clock* clock = Clock::system();
        qint64 tokenCacheMs = 2 * 60'000;
        qint64 allowCacheMs = 5 * 60'000;
        qint64 denyCacheMs = 30'000;
    };

    KubeletAuth(kube::ApiClient* client, Options options, QObject* parent = nullptr);

    using DecisionCallback = std::function<void(const AuthDecision&)>;
    /// Decides; the callback runs at once for cached or local decisions, or after the reviews, never after
    /// `context` is destroyed.
    void check(const http::HttpRequest& request, QObject* context, DecisionCallback done);

    /// Number of TokenReview / SubjectAccessReview requests sent so far (for tests of the caches).
    int tokenReviewsSent() const { return m_tokenReviews; }
    int accessReviewsSent() const { return m_accessReviews; }

private:
    struct CachedUser
    {
        std::optional<UserInfo> user; ///< empty: not authenticated
        QString reason;
        qint64 expiresMs = 0;
    };
    struct CachedDecision
    {
        bool allowed = false;
        QString reason;
        qint64 expiresMs = 0;
    };

    void authenticateToken(const QString& token, QObject* context, std::function<void(std::optional<UserInfo>)> done);
    void authorize(const UserInfo& user, const RequestAttributes& attrs, QObject* context, DecisionCallback done);

    QPointer<kube::ApiClient> m_client;
    bool m_hasClient = false;
    Options m_options;
    QHash<QString, CachedUser> m_tokens;
    QHash<QString, CachedDecision> m_decisions;
    int m_tokenReviews = 0;
    int m_accessReviews = 0;
    bool m_warnedNoClient = false;
};

} // namespace vk::kubelet
