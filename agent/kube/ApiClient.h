// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "kube/GroupVersionResource.h"
#include "kube/RequestOptions.h"
#include "kubeconfig/ClusterConnection.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace vk::kube {

class ApiStream;
class CredentialProvider;
struct HttpClientRequest;
class RateLimiter;
class Watch;

/// One HTTP answer of request().
struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    /// The first header with this name (case-insensitive); empty when absent.
    QByteArray header(const QByteArray& name) const;
};

/// An asynchronous REST client for one API server as one user (a ClusterConnection): TLS and proxy per the
/// connection, per-request credentials from a CredentialProvider, client-side rate limiting, retries with backoff
/// for idempotent calls, and watches on a separate connection pool.
///
/// Every call takes a `context` and a callback. The callback runs exactly once on the client's thread, never
/// synchronously inside the call, and never after `context` is destroyed (destroying it also aborts the
/// request). Destroying the client drops pending requests without calling back. Errors come from
/// vk::kube::errorFromResponse() for HTTP answers (server message unchanged), or are Network/Timeout errors whose
/// message names the method and URL.
class ApiClient : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        double qps = 50; ///< <= 0: no client-side rate limit
        int burst = 100;
        int maxRetries = 5; ///< retries after the first attempt, for retryable errors
        QString userAgent = QStringLiteral("vk-studio/" VK_VERSION);
        int requestTimeoutMs = 30000; ///< transfer timeout of short requests (not watches/streams); 0: none
        Clock* clock = Clock::system();
        int retryInitialDelayMs = 500; ///< first retry backoff (when the server gave no Retry-After)
        int retryMaxDelayMs = 30000;   ///< backoff cap
    };

    using JsonCallback = std::function<void(Result<QJsonObject>)>;
    using RawCallback = std::function<void(Result<RawResponse>)>;
    using StreamCallback = std::function<void(Result<QNetworkReply*>)>;

    explicit ApiClient(ClusterConnection connection, QObject* parent = nullptr);
    ApiClient(ClusterConnection connection, Options options, QObject* parent = nullptr);
    ~ApiClient() override;

    const ClusterConnection& connection() const;
    const Options& options() const;
    CredentialProvider* credentials() const;
    RateLimiter* rateLimiter() const;
    /// The namespace of the connection's context ("default" when none), for callers that take no --namespace.
    QString defaultNamespace() const;

    /// The absolute URL of an API path (server URL prefix kept), with the query encoded as encodeQuery() does.
    QUrl url(const QString& path, const QUrlQuery& query = {}) const;

    void get(const GroupVersionResource& gvr,
             const QString& namespaceName,
             const QString& name,
             QObject* context,
             JsonCallback callback);
    /// One page (or the whole collection when options.limit is 0). namespaceName empty: all namespaces.
    void list(const GroupVersionResource& gvr,
              const QString& namespaceName,
              const ListOptions& options,
              QObject* context,
              JsonCallback callback);
    /// Follows metadata.continue until the last page and answers one list object whose items are all pages'
    /// items and whose metadata.resourceVersion is the snapshot's. When a continue token has expired (410) the
    /// listing restarts from scratch, once.
    void listAll(const GroupVersionResource& gvr,
                 const QString& namespaceName,
                 const ListOptions& options,
                 QObject* context,
                 JsonCallback callback);
    /// The list and each item's text as the server wrote it (texts[i] is items[i]; no texts when one could not be
    /// cut from its page), for a cache that keeps objects as text (the Informer).
    using ListCallback = std::function<void(Result<QJsonObject> list, const QList<QByteArray>& itemTexts)>;
    void listAllWithItemTexts(const GroupVersionResource& gvr,
                              const QString& namespaceName,
                              const ListOptions& options,
                              QObject* context,
                              ListCallback callback);
    /// POST to the collection (namespaceName: the object's namespace for namespaced kinds).
    void create(const GroupVersionResource& gvr,
                const QString& namespaceName,
                const QJsonObject& object,
                QObject* context,
                JsonCallback callback);
    /// POST to a subresource of one object, e.g. pods/{name}/eviction, serviceaccounts/{name}/token.
    void createSubresource(const GroupVersionResource& gvr,
                           const QString& namespaceName,
                           const QString& name,
                           const QString& subresource,
                           const QJsonObject& body,
                           QObject* context,
                           JsonCallback callback);
    /// PUT; the name comes from object.metadata.name.
    void update(const GroupVersionResource& gvr,
                const QString& namespaceName,
                const QJsonObject& object,
                QObject* context,
                JsonCallback callback);
    /// PUT .../{name}/status
    void updateStatus(const GroupVersionResource& gvr,
                      const QString& namespaceName,
                      const QJsonObject& object,
                      QObject* context,
                      JsonCallback callback);
    /// PATCH with the Content-Type of `type`; subresource e.g. "status" (empty: the object itself).
    void patch(const GroupVersionResource& gvr,
               const QString& namespaceName,
               const QString& name,
               PatchType type,
               const QByteArray& body,
               const QString& subresource,
               QObject* context,
               JsonCallback callback);
    void patch(const GroupVersionResource& gvr,
               const QString& namespaceName,
               const QString& name,
               PatchType type,
               const QByteArray& body,
               QObject* context,
               JsonCallback callback);
    /// DELETE with a metav1.DeleteOptions body. Answers the object (graceful delete) or a Success Status.
    void remove(const GroupVersionResource& gvr,
                const QString& namespaceName,
                const QString& name,
                const DeleteOptions& options,
                QObject* context,
                JsonCallback callback);
    void remove(const GroupVersionResource& gvr,
                const QString& namespaceName,
                const QString& name,
                QObject* context,
                JsonCallback callback);

    /// Any other request (e.g. GET /version, a subresource). `path` is an encoded absolute API path
    /// ("/api/v1/namespaces/default/pods/p1/log"); a non-empty contentType is sent with the body; accept empty:
    /// application/json. Non-2xx answers are errors, like everywhere else.
    void request(const QByteArray& method,
                 const QString& path,
                 const QUrlQuery& query,
                 const QByteArray& body,
                 const QByteArray& contentType,
                 const QByteArray& accept,
                 QObject* context,
                 RawCallback callback);

    /// Starts a long-running GET (log follow) on a QNetworkAccessManager: rate limited, with credentials and TLS,
    /// without transfer timeout and without retries. `started` gets the reply once it was sent; the caller owns it
    /// from then on (abort() + deleteLater() when done) and must read its status itself.
    void openStream(const QString& path, const QUrlQuery& query, QObject* context, StreamCallback started);

    /// Starts a long-running GET (watch) read as it arrives, on a connection of its own on this thread: rate
    /// limited, with credentials and TLS, without transfer timeout and without retries. The stream belongs to
    /// `parent` (delete it, or close(), to stop); it must not outlive the client.
    ApiStream* stream(const QString& path, const QUrlQuery& query, QObject* parent);

    /// Creates and starts a Watch of a collection (namespaceName empty: all namespaces). The Watch must not
    /// outlive the client.
    Watch* watch(const GroupVersionResource& gvr,
                 const QString& namespaceName,
                 const WatchOptions& options,
                 QObject* parent = nullptr);

Q_SIGNALS:
    /// One HTTP attempt finished (retries are separate attempts): method, "host:port", the HTTP status (0 when
    /// there was no HTTP answer) and how long it took. For the agent's /metrics.
    void requestCompleted(const QByteArray& method, const QString& host, int status, qint64 elapsedMs);

private:
    void failLater(QObject* context, JsonCallback callback, Error error);
    void putObject(const GroupVersionResource& gvr,
                   const QString& namespaceName,
                   const QJsonObject& object,
                   const QString& subresource,
                   QObject* context,
                   JsonCallback callback);

    struct Private;
    class Call;
    friend class Call;
    friend class ApiStream;
    std::unique_ptr<Private> d;
};

/// A GET whose answer is read as it arrives (ApiClient::stream()).
class ApiStream : public QObject
{
    Q_OBJECT

public:
    ~ApiStream() override;

    /// The HTTP status; 0 until headReceived().
    int status() const { return m_status; }
    /// The first answer header with this name (case-insensitive); empty when absent.
    QByteArray header(const QByteArray& name) const;
    /// Closes the connection; no signal follows.
    void close();

Q_SIGNALS:
    /// The status line and headers have arrived.
    void headReceived();
    void dataReceived(const QByteArray& data);
    /// Exactly once unless closed: OK when the server ended the answer; else a Network or Timeout error, or the
    /// credentials' error, each message starting with "GET <url>: ".
    void finished(const vk::Status& status);

private:
    friend class ApiClient;
    explicit ApiStream(ApiClient* client, QObject* parent);
    void open(const HttpClientRequest& request);
    void fail(Error error);

    QPointer<ApiClient> m_client;
    QString m_what; ///< "GET <url>", for error messages
    quint64 m_ticket = 0;
    int m_status = 0;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    bool m_closed = false;
};

} // namespace vk::kube
