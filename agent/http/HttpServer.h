// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QUrlQuery>

#include <functional>
#include <memory>

class QTcpSocket;

namespace vk::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// One parsed HTTP/1.1 request. Header names are lower-case.
struct HttpRequest
{
    QByteArray method;  ///< "GET", "POST", ...
    QByteArray target;  ///< raw request-target, e.g. "/api/v1/pods?watch=1"
    QString path;       ///< percent-decoded path, e.g. "/api/v1/pods"
    QUrlQuery query;    ///< the query string (use query.queryItemValue(k, QUrl::FullyDecoded))
    HeaderList headers; ///< in arrival order, names lower-cased
    QByteArray body;    ///< the whole body (chunked request bodies are de-chunked)

    QHostAddress peerAddress;
    quint16 peerPort = 0;
    quint64 connectionId = 0;

    /// The client certificate chain the peer presented, leaf first; empty when none.
    QList<QSslCertificate> peerCertificateChain;
    /// True when the leaf verified against the server's client CA list (setClientCaCertificates).
    bool peerCertificateVerified = false;

    /// First value of a header, case-insensitive name; empty when absent.
    QByteArray header(QByteArrayView name) const;
    QList<QByteArray> headerValues(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    /// True for "Connection: Upgrade" requests; upgradeProtocol() is the lower-cased Upgrade header value.
    bool isUpgrade() const;
    QByteArray upgradeProtocol() const;
    /// Decoded value of a query parameter; empty when absent.
    QString queryValue(const QString& key) const;
    QStringList queryValues(const QString& key) const;
};

/// What one request answers with. Owned by its connection; it stays valid until the response is complete or the
/// connection closes (then disconnected() is emitted and every further write is a no-op returning false).
/// Use a QPointer if you keep it across event-loop turns.
class HttpResponder : public QObject
{
    Q_OBJECT

public:
    ~HttpResponder() override;

    /// A complete response: adds Content-Length and Date, keeps the connection alive unless the client asked to
    /// close it. Must be the only call made on this responder.
    void respond(int status, const QByteArray& contentType, const QByteArray& body, const HeaderList& extra = {});

    /// Streaming (watch, logs -f): status line and headers with Transfer-Encoding: chunked, then writeChunk()s,
    /// then endStream().
    void beginStream(int status, const QByteArray& contentType, const HeaderList& extra = {});
    bool writeChunk(const QByteArray& data);
    void endStream();

    /// Bytes handed to the socket but not yet sent, for back-pressure on slow watchers.
    qint64 pendingBytes() const;
    bool isConnected() const;
    bool hasStarted() const; ///< status line already written
    bool isFinished() const;

    /// Takes the connection out of HTTP handling, e.g. after "Upgrade: SPDY/3.1" (reply 101 yourself, then speak the
    /// protocol) or "Upgrade: websocket" (pass the socket to QWebSocketServer::handleConnection).
    /// rewindToRequestStart=true puts the raw request bytes back into the socket's read buffer, as
    /// QWebSocketServer needs; false leaves the socket positioned after the request head, and any bytes of the new
    /// protocol already received are returned in *alreadyReceived.
    /// The caller owns the returned socket (a QSslSocket when TLS is on); the server forgets it.
    QTcpSocket* takeSocket(bool rewindToRequestStart, QByteArray* alreadyReceived = nullptr);

Q_SIGNALS:
    /// The client went away (or the server closed) before the response was complete.
    void disconnected();
    /// Some pending bytes were sent; for back-pressure.
    void bytesWritten(qint64 bytes);

protected:
    explicit HttpResponder(QObject* parent = nullptr);
    friend class HttpConnection;
    struct Private;
    std::unique_ptr<Private> d;
};

/// An HTTP/1.1 server on QSslServer (TLS) or QTcpServer (plain, for tests), parsing with libhttp-parser.
/// Keep-alive, chunked request bodies, streaming responses, connection upgrades, limits and timeouts.
/// Requests on one connection are handled one at a time, in order.
/// Malformed requests get 400, oversized headers 431, oversized bodies 413, too many connections 503, each with a
/// metav1.Status JSON body, and the connection is closed; other connections are unaffected.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        qsizetype maxHeaderBytes = 1 << 20;       ///< request line + headers (kube-apiserver allows 1 MiB)
        qsizetype maxBodyBytes = 3 * 1024 * 1024; ///< kube-apiserver's request size limit is 3 MiB
        int maxConnections = 2048;
        int handshakeTimeoutMs = 10'000; ///< TLS handshake
        int requestTimeoutMs = 60'000;   ///< from first byte to a complete request
        int idleTimeoutMs = 120'000;     ///< keep-alive connection with no request in progress
    };

    using Handler = std::function<void(const HttpRequest& request, HttpResponder* responder)>;

    explicit HttpServer(QObject* parent = nullptr);
    ~HttpServer() override;

    void setLimits(const Limits& limits);
    const Limits& limits() const;
    /// TLS on; without it the server speaks plain HTTP. Call before listen() to serve TLS. On a listening TLS
    /// server it replaces the configuration (e.g. a renewed certificate) for NEW connections only: the listening
    /// socket and the connections in progress are not touched.
    void setTlsConfiguration(const QSslConfiguration& configuration);
    /// CAs that client certificates are verified against. With a non-empty list the server asks every peer for a
    /// certificate (QueryPeer) and sets HttpRequest::peerCertificateVerified; a missing or bad certificate does not
    /// fail the handshake, so the handler can answer 401 itself.
    void setClientCaCertificates(const QList<QSslCertificate>& cas);
    /// The configuration each new TLS connection gets (the one set, with ALPN and the client-CA settings).
    QSslConfiguration effectiveTlsConfiguration() const;
    void setHandler(Handler handler);

    /// Listens; port 0 picks a free one. Returns the port.
    Result<quint16> listen(const QHostAddress& address, quint16 port);
    quint16 serverPort() const;
    bool isListening() const;
    /// Stops listening and closes every connection; open streams see disconnected().
    void close();
    int connectionCount() const;

Q_SIGNALS:
    /// A connection or TLS failure worth logging (not a client's HTTP mistake).
    void connectionError(const QString& message);

private:
    void applyTlsToListener();

    struct Private;
    std::unique_ptr<Private> d;
};

/// "Mon, 02 Jan 2006 15:04:05 GMT"
QByteArray httpDate(const QDateTime& time);
/// Standard reason phrase for a status code ("Not Found").
QByteArray reasonPhrase(int status);

} // namespace vk::http
