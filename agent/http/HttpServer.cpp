// SPDX-License-Identifier: Apache-2.0
#include "http/HttpServer.h"

#include "http/ClientCaVerifier.h"
#include "http/HttpConnection.h"
#include "http/Logging.h"

#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>

#include <optional>

namespace vk::http {

namespace {

// Connections beyond maxConnections are answered 503 one request later; beyond this many of those, they are dropped.
constexpr int kMaxRejectingConnections = 64;

} // namespace

struct HttpServer::Private
{
    HttpServer* q = nullptr;
    ConnectionContext context;
    std::optional<QSslConfiguration> tls;
    QList<QSslCertificate> clientCas;
    std::unique_ptr<ClientCaVerifier> verifier;
    std::vector<std::unique_ptr<ClientCaVerifier>> retiredVerifiers;
    QTcpServer* server = nullptr;
    QList<HttpConnection*> connections;
    quint64 nextConnectionId = 1;

    void acceptPending();
    void onFinished(HttpConnection* connection);
    int rejectingCount() const
    {
        return int(std::count_if(connections.begin(), connections.end(),
                                 [](const HttpConnection* c) { return c->isRejecting(); }));
    }
};

void HttpServer::Private::acceptPending()
{
    while (server && server->hasPendingConnections()) {
        QTcpSocket* socket = server->nextPendingConnection();
        if (!socket)
            break;
        const int rejecting = rejectingCount();
        const bool reject = connections.size() - rejecting >= context.limits.maxConnections;
        if (reject) {
            qCInfo(lcHttp) << "connection limit" << context.limits.maxConnections << "reached; refusing"
                           << socket->peerAddress().toString();
            if (rejecting >= kMaxRejectingConnections) {
                socket->abort();
                socket->deleteLater();
                continue;
            }
        }
        auto* connection = new HttpConnection(&context, socket, nextConnectionId++, reject, q);
        connections.append(connection);
        QObject::connect(connection, &HttpConnection::finished, q,
                         [this](HttpConnection* finished) { onFinished(finished); });
        connection->start();
    }
}

void HttpServer::Private::onFinished(HttpConnection* connection)
{
    connections.removeOne(connection);
    connection->disconnect(q);
    connection->deleteLater();
}

HttpServer::HttpServer(QObject* parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
}

HttpServer::~HttpServer()
{
    close();
    // Connections are children; delete them now, while the context they point to still exists.
    const QList<HttpConnection*> remaining = findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly);
    qDeleteAll(remaining);
}

void HttpServer::setLimits(const Limits& limits)
{
    d->context.limits = limits;
    if (auto* ssl = qobject_cast<QSslServer*>(d->server))
        ssl->setHandshakeTimeout(limits.handshakeTimeoutMs);
}

const HttpServer::Limits& HttpServer::limits() const
{
    return d->context.limits;
}

void HttpServer::setTlsConfiguration(const QSslConfiguration& configuration)
{
    d->tls = configuration;
    applyTlsToListener();
}

void HttpServer::setClientCaCertificates(const QList<QSslCertificate>& cas)
{
    d->clientCas = cas;
    // The old verifier may still be referenced by connections in progress: keep it until the server goes.
    if (d->verifier)
        d->retiredVerifiers.push_back(std::move(d->verifier));
    d->verifier = std::make_unique<ClientCaVerifier>(cas);
    d->context.verifier = d->verifier.get();
    applyTlsToListener();
}

QSslConfiguration HttpServer::effectiveTlsConfiguration() const
{
    if (!d->tls)
        return {};
    QSslConfiguration config = *d->tls;
    config.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    if (!d->clientCas.isEmpty()) {
        config.setPeerVerifyMode(QSslSocket::QueryPeer);
        config.setCaCertificates(d->clientCas); // also tells clients which issuers are accepted
    } else {
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return config;
}

void HttpServer::applyTlsToListener()
{
    // QSslServer hands its configuration to each socket it accepts: a new one applies to the next connection,
    // without closing the listening socket or the connections in progress.
    auto* ssl = qobject_cast<QSslServer*>(d->server);
    if (!ssl || !d->tls || d->tls->localCertificate().isNull() || d->tls->privateKey().isNull())
        return;
    ssl->setSslConfiguration(effectiveTlsConfiguration());
    qCInfo(lcHttp) << "TLS configuration of port" << ssl->serverPort() << "replaced for new connections";
}

void HttpServer::setHandler(Handler handler)
{
    d->context.handler = std::move(handler);
}

Result<quint16> HttpServer::listen(const QHostAddress& address, quint16 port)
{
    if (d->server && d->server->isListening())
        return Error(ErrorCategory::InvalidInput,
                     QStringLiteral("HTTP server already listening on port %1").arg(d->server->serverPort()));
    if (d->tls && (d->tls->localCertificate().isNull() || d->tls->privateKey().isNull()))
        return Error::invalidInput(
            QStringLiteral("TLS configuration for port %1 has no serving certificate or private key").arg(port));
    QTcpServer* server = nullptr;
    if (d->tls) {
        auto* ssl = new QSslServer(this);
        ssl->setSslConfiguration(effectiveTlsConfiguration());
        ssl->setHandshakeTimeout(d->context.limits.handshakeTimeoutMs);
        const bool queryClientCertificates = !d->clientCas.isEmpty();
        connect(ssl, &QSslServer::sslErrors, this,
                [queryClientCertificates](QSslSocket* socket, const QList<QSslError>& errors) {
                    // Errors here are about the client's certificate: the handshake goes on and the request is
                    // marked unverified, so the handler can answer 401 itself.
                    if (queryClientCertificates) {
                        qCDebug(lcHttp) << "client certificate errors (ignored for the handshake):" << errors;
                        socket->ignoreSslErrors();
                    }
                });
        connect(ssl, &QSslServer::errorOccurred, this, [this](QSslSocket* socket, QAbstractSocket::SocketError) {
            const QHostAddress peer = socket->peerAddress();
            const QString message =
                QStringLiteral("TLS handshake with %1 failed or timed out: %2")
                    .arg(peer.isNull() ? QStringLiteral("a client") : peer.toString(), socket->errorString());
            qCDebug(lcHttp) << message;
            Q_EMIT connectionError(message);
        });
        server = ssl;
    } else {
        server = new QTcpServer(this);
    }
    connect(server, &QTcpServer::pendingConnectionAvailable, this, [this] { d->acceptPending(); });
    connect(server, &QTcpServer::acceptError, this, [this, server](QAbstractSocket::SocketError) {
        const QString message = QStringLiteral("accepting a connection failed: %1").arg(server->errorString());
        qCWarning(lcHttp) << message;
        Q_EMIT connectionError(message);
    });
    if (!server->listen(address, port)) {
        const QString message = QStringLiteral("cannot listen on %1 port %2: %3")
                                    .arg(address.toString())
                                    .arg(port)
                                    .arg(server->errorString());
        delete server;
        return Error(ErrorCategory::Network, message);
    }
    if (d->server)
        d->server->deleteLater();
    d->server = server;
    qCInfo(lcHttp) << "listening on" << address.toString() << "port" << server->serverPort()
                   << (d->tls ? "(TLS)" : "(plain HTTP)");
    return server->serverPort();
}

quint16 HttpServer::serverPort() const
{
    return d->server ? d->server->serverPort() : 0;
}

bool HttpServer::isListening() const
{
    return d->server && d->server->isListening();
}

void HttpServer::close()
{
    if (d->server) {
        d->server->close();
        d->server->disconnect(this);
        d->server->deleteLater();
        d->server = nullptr;
    }
    const QList<HttpConnection*> connections = std::exchange(d->connections, {});
    for (HttpConnection* connection : connections) {
        connection->disconnect(this);
        connection->shutdown(); // open responses see disconnected()
        connection->deleteLater();
    }
}

int HttpServer::connectionCount() const
{
    return int(d->connections.size());
}

} // namespace vk::http
