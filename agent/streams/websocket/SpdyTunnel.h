// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include "streams/websocket/WebSocketFramer.h"

#include <functional>

class QTcpSocket;

namespace vk::http {
class HttpResponder;
struct HttpRequest;
} // namespace vk::http

namespace vk::streams::ws {

/// WebSocket subprotocol prefix of kubectl's SPDY tunnelling (KEP-4006): "SPDY/3.1+portforward.k8s.io".
inline constexpr char kSpdyTunnelPrefix[] = "SPDY/3.1+";

using SpdyHandler = std::function<void(const http::HttpRequest& request, http::HttpResponder* responder)>;

/// The SPDY protocols tunnelled in a WebSocket offer ("portforward.k8s.io" for "SPDY/3.1+portforward.k8s.io").
QStringList tunnelledSpdyProtocols(const http::HttpRequest& request);

/// Answers the WebSocket handshake itself (Qt's QWebSocketServer rejects subprotocol names containing '/') with
/// the first offered "SPDY/3.1+..." subprotocol, then carries the SPDY/3.1 session tunnelled in binary messages to
/// an ordinary SPDY handler: it opens a private loopback connection to a bridge HTTP server, sends
/// "POST <original target>" with "Upgrade: SPDY/3.1" and the tunnelled protocols as X-Stream-Protocol-Version, lets
/// `handler` answer 101 and speak SPDY there, and pipes the bytes both ways. Deletes itself when either side closes.
class SpdyTunnel : public QObject
{
    Q_OBJECT

public:
    /// Takes ownership of `client`, the upgraded connection after our 101; `early` are frames that came with it.
    SpdyTunnel(QTcpSocket* client, const http::HttpRequest& request, SpdyHandler handler, const QByteArray& early);
    ~SpdyTunnel() override;

    /// Validates the handshake, writes the 101 and starts a tunnel; or answers 400.
    static void accept(const http::HttpRequest& request, http::HttpResponder* responder, SpdyHandler handler);

private:
    void onClientData(const QByteArray& bytes);
    void onBridgeConnected();
    void onBridgeReadyRead();
    void sendFrame(WebSocketFramer::Opcode opcode, const QByteArray& payload);
    void shutdown(int closeCode, const QString& reason);

    QPointer<QTcpSocket> m_client;
    WebSocketFramer m_framer;
    bool m_closeSent = false;
    QPointer<QTcpSocket> m_bridge;
    QByteArray m_token;
    QByteArray m_requestHead;
    QByteArray m_pendingToBridge;
    QByteArray m_responseHead;
    bool m_bridgeOpen = false;
    bool m_upgraded = false;
    bool m_closing = false;
};

} // namespace vk::streams::ws
