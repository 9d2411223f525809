// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

#include <functional>

class QWebSocket;

namespace vk::http {
class HttpResponder;
struct HttpRequest;
} // namespace vk::http

namespace vk::streams::ws {

/// The subprotocols a client offered (Sec-WebSocket-Protocol, comma-separated, possibly repeated).
QStringList offeredSubprotocols(const http::HttpRequest& request);

/// What is wrong with a WebSocket opening handshake (method, Sec-WebSocket-Key, Sec-WebSocket-Version 13), so it
/// can be answered 400 before Qt sees it (Qt closes such connections without an answer); empty when fine.
QString handshakeProblem(const http::HttpRequest& request);

/// Takes the upgraded connection from the HTTP server and lets a QWebSocketServer (NonSecureMode: TLS is already
/// done) answer the handshake with one of `subprotocols`. `onOpen` receives the open QWebSocket, whose owner it
/// becomes (the TCP socket is parented to it). The per-connection QWebSocketServer goes away after the handshake,
/// or with the TCP socket when the handshake fails. Incoming messages are limited to `maxMessageBytes` (Qt closes
/// with 1009 beyond).
void acceptWebSocket(http::HttpResponder* responder,
                     const QStringList& subprotocols,
                     qsizetype maxMessageBytes,
                     std::function<void(QWebSocket*)> onOpen);

} // namespace vk::streams::ws
