// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QPair>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace vk {
class Clock;
}

namespace vk::kube {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// The first header with this name (case-insensitive); empty when absent.
QByteArray headerValue(const HeaderList& headers, const QByteArray& name);

/// Whether sending the request twice is harmless (GET, HEAD, PUT, DELETE, OPTIONS), as Go's transport judges.
bool isIdempotent(const QByteArray& method);

/// One request for HttpClientPool.
struct HttpClientRequest
{
    QByteArray method;
    QUrl url;                                     ///< http or https; path and query are sent as encoded
    QList<QPair<QByteArray, QByteArray>> headers; ///< besides Host and Content-Length, which the pool writes
    QByteArray body;                              ///< sent with a Content-Length when non-empty or sendsBody
    bool sendsBody = false;                       ///< POST/PUT/PATCH: Content-Length even for an empty body
    int timeoutMs = 0;                            ///< no byte sent or received for this long fails the request; 0: none
    QSslConfiguration ssl;                        ///< https: CA certificates, client certificate and key
    QString peerVerifyName;       ///< https: the name the server certificate must carry; empty: the URL's host
    bool ignoreTlsErrors = false; ///< insecure-skip-tls-verify
    /// DefaultProxy: the application's (as QNetworkAccessManager). An HTTP proxy gets plain-HTTP requests in
    /// absolute form and tunnels TLS with CONNECT; SOCKS5 carries both.
    QNetworkProxy proxy;
};

/// The answer to an HttpClientRequest, or why there is none.
struct HttpClientResponse
{
    enum class Failure
    {
        None,
        Refused,      ///< nothing listens there: the request was never sent
        HostNotFound, ///< the name did not resolve: the request was never sent
        Tls,          ///< the TLS handshake failed (certificate not trusted, wrong name, ...)
        Timeout,      ///< nothing moved for timeoutMs
        Closed,       ///< the server closed the connection before the answer was complete
        Other,
    };

    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; ///< as received, in order
    QByteArray body;
    Failure failure = Failure::None;
    QString errorString; ///< what went wrong, when failure is not None

    /// The first header with this name (case-insensitive); empty when absent.
    QByteArray header(const QByteArray& name) const;
};

/// What a stream's reader gets (HttpClientPool::openStream): each runs on the pool's thread, and may cancel.
struct HttpStreamHandlers
{
    /// The status line and headers have arrived.
    std::function<void(int status, const QList<QPair<QByteArray, QByteArray>>& headers)> head;
    /// Body bytes as they arrive (chunked framing removed).
    std::function<void(const QByteArray& data)> data;
    /// The end, once: failure None when the server ended the answer, else why it broke off.
    std::function<void(HttpClientResponse::Failure failure, const QString& errorString)> end;
};

/// Persistent HTTP/1.1 connections (plain TCP or TLS) for short request/response exchanges, on the thread that
/// owns the pool: no thread hand-over per request, as QNetworkAccessManager's HTTP thread costs. Up to
/// `maxConnectionsPerServer` connections per server and TLS identity; when all are busy, requests wait in order.
/// An idempotent request (GET, PUT, DELETE, ...) that meets a kept-alive connection the server has closed
/// meanwhile (nothing received yet) is sent again once on a new connection; a POST or PATCH fails instead.
/// Responses are read with libhttp-parser (Content-Length, chunked, or until the connection closes). HTTP and
/// SOCKS5 proxies; no compression (none is asked for), no redirects followed.
class HttpClientPool : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(HttpClientResponse)>;

    /// A connection idle this long is closed instead of reused (client-go's IdleConnTimeout): a middlebox may have
    /// dropped it without a word.
    static constexpr qint64 kIdleTimeoutMs = 90'000;

    /// clock: measures idleness (nullptr: the system clock).
    explicit HttpClientPool(int maxConnectionsPerServer = 6, Clock* clock = nullptr, QObject* parent = nullptr);
    ~HttpClientPool() override;

    /// Queues the request. `done` runs exactly once on this thread, never inside send(), unless the request is
    /// cancelled or the pool destroyed first. Returns a ticket for cancel().
    quint64 send(HttpClientRequest request, Done done);
    /// A long-running GET (watch, log follow) on a connection of its own, read as it arrives; no timeout applies
    /// (request.timeoutMs is ignored). Handlers never run inside openStream(). cancel() closes it.
    quint64 openStream(HttpClientRequest request, HttpStreamHandlers handlers);
    /// Drops the request's callback (or a stream's handlers); a request on the wire closes its connection.
    void cancel(quint64 ticket);

    /// Open (or opening) connections, over all servers.
    int connectionCount() const;

    class Connection;
    struct Private;

private:
    std::unique_ptr<Private> d;
};

} // namespace vk::kube
