// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "sandbox/RequestAuth.h"
#include "sandbox/RequestInfo.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

#include <memory>

namespace vk::http {
class HttpServer;
class HttpResponder;
struct HttpRequest;
} // namespace vk::http

namespace vk::sandbox {

class Registry;
class WatchSession;
struct ChangeEvent;
struct ResourceType;

struct AccessAttributes;
class RbacAuthorizer;
class TokenAuthority;

/// The sandbox's Kubernetes API over HTTPS: authentication, discovery, OpenAPI, CRUD with kube-apiserver's
/// semantics (through the Registry), patches, server-side tables, watches, and the pod/node subresources that are
/// proxied to a node's kubelet endpoint.
class ApiServer : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 0; ///< 0 picks a free port
        QSslConfiguration tls;
        QList<QSslCertificate> clientCas;
        /// The client certificate the API server presents to kubelets (proxying logs, exec, ...).
        QSslCertificate kubeletClientCertificate;
        QSslKey kubeletClientKey;
        int maxWatches = 1000;
        qint64 bookmarkIntervalMs = 60'000;
        qint64 defaultWatchTimeoutMs = 30 * 60'000;
        QString gitVersion = QStringLiteral("v1.32.0-vkstudio");
        /// "AlwaysAllow" (default: every authenticated user may do everything) or "RBAC" (kube's RBAC, with
        /// kube-apiserver's 403 messages). Reviews (SubjectAccessReview, SelfSubjectAccessReview) always answer
        /// with RBAC.
        QString authorizationMode = QStringLiteral("AlwaysAllow");
        /// The audiences bearer tokens must be for (kube-apiserver's --api-audiences); empty: the default.
        QStringList apiAudiences;
        /// The key service account tokens are signed with (empty: a random one, tokens die with the server).
        QByteArray tokenSigningKey;
    };

    ApiServer(Registry* registry, Options options, QObject* parent = nullptr);
    ~ApiServer() override;

    Result<quint16> start();
    void stop();
    quint16 port() const;
    int watchCount() const;
    /// Total requests served (for benchmarks and the console).
    quint64 requestCount() const { return m_requests; }
    /// Service account tokens (TokenRequest, TokenReview, bearer authentication).
    TokenAuthority* tokenAuthority() const { return m_tokens.get(); }
    /// The RBAC evaluator over the stored roles and bindings.
    const RbacAuthorizer& rbac() const { return *m_rbac; }
    /// kube-apiserver's authorizer chain as the reviews see it: system:masters, then RBAC.
    bool isAllowed(const AccessAttributes& attributes, QString* reason = nullptr) const;

private:
    void handle(const http::HttpRequest& request, http::HttpResponder* responder);
    void handleNonResource(const http::HttpRequest& request, http::HttpResponder* responder);
    void handleResource(const http::HttpRequest& request,
                        const RequestInfo& info,
                        const UserInfo& user,
                        http::HttpResponder* responder);
    void handleList(const http::HttpRequest& request,
                    const RequestInfo& info,
                    const ResourceType& type,
                    http::HttpResponder* responder);
    void handleWatch(const http::HttpRequest& request,
                     const RequestInfo& info,
                     const ResourceType& type,
                     http::HttpResponder* responder);
    void handlePatch(const http::HttpRequest& request,
                     const RequestInfo& info,
                     const ResourceType& type,
                     http::HttpResponder* responder);
    void handleDelete(const http::HttpRequest& request,
                      const RequestInfo& info,
                      const ResourceType& type,
                      http::HttpResponder* responder);
    void handleDeleteCollection(const http::HttpRequest& request,
                                const RequestInfo& info,
                                const ResourceType& type,
                                http::HttpResponder* responder);
    void handleProxy(const http::HttpRequest& request, const RequestInfo& info, http::HttpResponder* responder);
    void handleReview(const http::HttpRequest& request,
                      const RequestInfo& info,
                      const ResourceType& type,
                      const UserInfo& user,
                      http::HttpResponder* responder);
    void handleTokenRequest(const http::HttpRequest& request, const RequestInfo& info, http::HttpResponder* responder);
    void handleApproval(const http::HttpRequest& request,
                        const RequestInfo& info,
                        const ResourceType& type,
                        http::HttpResponder* responder);
    void onStoreChanged(const ChangeEvent& event);
    void deliver(const ChangeEvent& event);
    /// What handle() does; handle() holds the watches' events back until it has returned.
    void handleRequest(const http::HttpRequest& request, http::HttpResponder* responder);

    void sendObject(const http::HttpRequest& request,
                    http::HttpResponder* responder,
                    int status,
                    const QJsonObject& object,
                    const QStringList& warnings = {});
    /// The answer to a write that stored `stored` (a create, update or patch): as sendObject, but the text a watch
    /// already made of that version is sent when it can be (plain JSON, not a dry run, not a converted kind).
    void sendStored(const http::HttpRequest& request,
                    http::HttpResponder* responder,
                    int status,
                    const ResourceType& type,
                    const QJsonObject& stored,
                    const QStringList& warnings,
                    bool dryRun);
    void sendError(const http::HttpRequest& request, http::HttpResponder* responder, const Error& error);

    Registry* m_registry;
    Options m_options;
    std::unique_ptr<http::HttpServer> m_http;
    std::unique_ptr<TokenAuthority> m_tokens;
    std::unique_ptr<RbacAuthorizer> m_rbac;
    QHash<QString, QList<WatchSession*>> m_watches; ///< by store type key
    int m_watchCount = 0;
    quint64 m_requests = 0;
    int m_handling = 0;                                   ///< handle() calls on the stack
    QList<std::shared_ptr<const ChangeEvent>> m_heldBack; ///< changes made while handling, for the watches after it
};

} // namespace vk::sandbox
