// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/WebSocketHandoff.h"

#include "http/HttpServer.h"
#include "streams/websocket/Logging.h"

#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace vk::streams::ws {

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
    server->handleConnection(socket);
}

} // namespace vk::streams::ws
