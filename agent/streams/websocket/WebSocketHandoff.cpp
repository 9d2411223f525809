// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/WebSocketHandoff.h"

#include "http/HttpServer.h"
#include "streams/websocket/Logging.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace vk::streams::ws {

namespace {
constexpr int kHandshakeTimeoutMs = 10'000;
}

QStringList offeredSubprotocols(const http::HttpRequest& request)
{
    QStringList out;
    for (const QByteArray& value : request.headerValues("sec-websocket-protocol")) {
        for (const QByteArray& part : value.split(',')) {
            const QByteArray name = part.trimmed();
            if (!name.isEmpty())
                out.append(QString::fromLatin1(name));
        }
    }
    return out;
}

QString handshakeProblem(const http::HttpRequest& request)
{
    if (request.method != "GET")
        return QStringLiteral("a WebSocket handshake must be a GET, not %1").arg(QString::fromLatin1(request.method));
    if (request.header("sec-websocket-key").trimmed().isEmpty())
        return QStringLiteral("missing Sec-WebSocket-Key");
    if (request.header("sec-websocket-version").trimmed() != "13")
        return QStringLiteral("unsupported Sec-WebSocket-Version (13 is supported)");
    return {};
}

void acceptWebSocket(http::HttpResponder* responder,
                     const QStringList& subprotocols,
                     qsizetype maxMessageBytes,
                     std::function<void(QWebSocket*)> onOpen)
{
    QTcpSocket* socket = responder->takeSocket(true);
    if (!socket)
        return;
    // A server per connection, parented to the TCP socket: Qt deletes the socket (and so the server) when a failed
    // handshake closes it; after a successful one the server is deleted below.
    auto* server = new QWebSocketServer(QStringLiteral("vk-kubelet"), QWebSocketServer::NonSecureMode, socket);
    server->setSupportedSubprotocols(subprotocols);
    QObject::connect(server, &QWebSocketServer::newConnection, server, [server, socket, maxMessageBytes, onOpen] {
        QWebSocket* webSocket = server->nextPendingConnection();
        server->deleteLater();
        if (!webSocket)
            return;
        socket->setParent(webSocket); // Qt 6.4's handleConnection() does not take ownership
        // The handshake code deletes the TCP socket when it disconnects; from now on it lives and dies with its
        // QWebSocket instead, which still uses it while it goes away.
        QObject::disconnect(socket, &QAbstractSocket::disconnected, socket, nullptr);
        webSocket->setParent(nullptr);
        webSocket->setMaxAllowedIncomingMessageSize(quint64(maxMessageBytes));
        webSocket->setMaxAllowedIncomingFrameSize(quint64(maxMessageBytes));
        qCDebug(lcWebSocketStreams) << "WebSocket open from" << webSocket->peerAddress() << "subprotocol"
                                    << webSocket->subprotocol();
        onOpen(webSocket);
    });
    // A handshake Qt refuses (or one that never completes) closes the socket: it then goes, and the server with it.
    QObject::connect(socket, &QAbstractSocket::disconnected, server, [socket] { socket->deleteLater(); });
    QTimer::singleShot(kHandshakeTimeoutMs, server, [socket] {
        qCDebug(lcWebSocketStreams) << "WebSocket handshake timed out";
        socket->abort();
        socket->deleteLater();
    });
    server->handleConnection(socket);
}

} // namespace vk::streams::ws
