// SPDX-License-Identifier: Apache-2.0
#pragma once

// A tiny HTTP/1.1 server for the client tests: it records every request and lets each test answer it, at once
// or later, with a plain response or a chunked stream (watches). Plain HTTP, or TLS with a QSslConfiguration.

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

class QTcpServer;
class QTcpSocket;

namespace vk {
class Error;
}

namespace vk::test {

struct FakeRequest
{
    QByteArray method;
    QByteArray target;   ///< the request-target exactly as sent (origin-form, or absolute-form via a proxy)
    QByteArray path;     ///< the path of the target, still percent-encoded
    QByteArray rawQuery; ///< the query of the target, still percent-encoded
    QHash<QByteArray, QByteArray> headers; ///< lower-case names
    QByteArray body;
    QString peerCommonName; ///< CN of the client certificate (TLS only)

    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    /// Decoded query value (percent-decoding only, '+' stays '+'); empty when absent.
    QString queryValue(const QString& key) const;
    bool hasQueryItem(const QString& key) const;
    QJsonObject json() const;
};

class FakeConnection;

/// One request waiting for its answer. Owned by its connection; keep a QPointer when answering later.
class FakeExchange : public QObject
{
    Q_OBJECT

public:
    FakeExchange(FakeConnection* connection, FakeRequest request);

    const FakeRequest& request() const { return m_request; }

    void respond(int status,
                 const QByteArray& body,
                 const QByteArray& contentType = "application/json",
                 const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {});
    void
    respondJson(int status, const QJsonObject& body, const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {});
    /// A metav1.Status body for the error, with its HTTP code.
    void respondError(const vk::Error& error, const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {});

    /// Starts a chunked response; then writeChunk() any number of times and endStream() or dropConnection().
    void beginStream(int status = 200, const QByteArray& contentType = "application/json");
    void writeChunk(const QByteArray& data);
    /// Writes one watch event line: {"type": type, "object": object}\n
    void writeEvent(const QString& type, const QJsonObject& object);
    void endStream();
    /// Closes the TCP connection abruptly (as a crashing API server would).
    void dropConnection();

    bool isAnswered() const { return m_answered; }
    /// Whether the client is still connected.
    bool isConnected() const;

private:
    QPointer<FakeConnection> m_connection;
    FakeRequest m_request;
    bool m_answered = false;
    bool m_streaming = false;
};

class FakeApiServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(FakeExchange*)>;

    explicit FakeApiServer(QObject* parent = nullptr);
    ~FakeApiServer() override;

    /// Plain HTTP on 127.0.0.1 (port 0: any free port).
    bool listen(quint16 port = 0);
    /// TLS on 127.0.0.1 with this server configuration (certificate, key, CA and peer verify mode).
    bool listenTls(const QSslConfiguration& configuration, quint16 port = 0);
    void close();

    quint16 port() const;
    /// http(s)://127.0.0.1:port
    QUrl url() const;

    /// Called for every request; the default answers 404 with a Status.
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    QList<FakeRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    FakeRequest lastRequest() const { return m_requests.isEmpty() ? FakeRequest{} : m_requests.last(); }
    void clearRequests() { m_requests.clear(); }

    /// Aborts every open client connection.
    void dropAllConnections();
    int connectionCount() const;

    /// Called by connections.
    void dispatch(FakeExchange* exchange);

Q_SIGNALS:
    void requestReceived(vk::test::FakeExchange* exchange);

private:
    void acceptPending();

    QTcpServer* m_server = nullptr;
    bool m_tls = false;
    Handler m_handler;
    QList<FakeRequest> m_requests;
    QList<QPointer<FakeConnection>> m_connections;
};

/// Reads a file of tests/data/kube (via $VK_TEST_DATA).
QByteArray testData(const QString& name);

} // namespace vk::test
