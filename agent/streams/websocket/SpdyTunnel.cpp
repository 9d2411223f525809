// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/SpdyTunnel.h"

#include "http/HttpServer.h"
#include "streams/websocket/Logging.h"
#include "streams/websocket/WebSocketHandoff.h"

#include <QCoreApplication>
#include <QHash>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

namespace vk::streams::ws {

namespace {

constexpr int kTokenLifetimeMs = 10'000;
constexpr int kCloseGraceMs = 10'000;
constexpr qsizetype kMaxResponseHead = 16 * 1024;
constexpr char kTokenHeader[] = "x-vk-spdy-tunnel";

/// The loopback HTTP server the tunnels hand their SPDY sessions to: one per process, owned by the application.
/// It serves only requests carrying a live single-use token.
class TunnelBridge : public QObject
{
public:
    static TunnelBridge* instance()
    {
        static QPointer<TunnelBridge> bridge;
        if (!bridge)
            bridge = new TunnelBridge(QCoreApplication::instance());
        return bridge;
    }

    quint16 port() const { return m_port; }

    QByteArray registerHandler(SpdyHandler handler)
    {
        QByteArray token = QByteArray::number(QRandomGenerator::system()->generate64(), 16) +
                           QByteArray::number(QRandomGenerator::system()->generate64(), 16);
        m_handlers.insert(token, std::move(handler));
        QTimer::singleShot(kTokenLifetimeMs, this, [this, token] { m_handlers.remove(token); });
        return token;
    }

private:
    explicit TunnelBridge(QObject* parent) : QObject(parent), m_server(this)
    {
        m_server.setHandler([this](const http::HttpRequest& request, http::HttpResponder* responder) {
            const QByteArray token = request.header(kTokenHeader);
            SpdyHandler handler = m_handlers.take(token);
            if (token.isEmpty() || !handler || request.peerAddress != QHostAddress(QHostAddress::LocalHost)) {
                responder->respond(404, QByteArrayLiteral("text/plain"), QByteArrayLiteral("404 page not found\n"));
                return;
            }
            handler(request, responder);
        });
        auto port = m_server.listen(QHostAddress::LocalHost, 0);
        if (port.ok())
            m_port = port.value();
        else
            qCWarning(lcWebSocketStreams) << "SPDY tunnel bridge cannot listen:" << port.error().message();
    }

    http::HttpServer m_server;
    QHash<QByteArray, SpdyHandler> m_handlers;
    quint16 m_port = 0;
};

} // namespace

QStringList tunnelledSpdyProtocols(const http::HttpRequest& request)
{
    QStringList out;
    const QString prefix = QString::fromLatin1(kSpdyTunnelPrefix);
    for (const QString& name : offeredSubprotocols(request)) {
        if (name.startsWith(prefix) && name.endsWith(QLatin1String(".k8s.io")))
            out.append(name.mid(prefix.size()));
    }
    return out;
}

void SpdyTunnel::accept(const http::HttpRequest& request, http::HttpResponder* responder, SpdyHandler handler)
{
    const QByteArray key = request.header("sec-websocket-key").trimmed();
    const QStringList tunnelled = tunnelledSpdyProtocols(request);
    if (!handshakeProblem(request).isEmpty() || tunnelled.isEmpty()) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("bad WebSocket handshake for a SPDY tunnel\n"));
        return;
    }
    QByteArray early;
    QTcpSocket* client = responder->takeSocket(false, &early);
    if (!client)
        return;
    client->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: " +
                  WebSocketFramer::acceptKey(key) + "\r\nSec-WebSocket-Protocol: " + QByteArray(kSpdyTunnelPrefix) +
                  tunnelled.first().toLatin1() + "\r\n\r\n");
    new SpdyTunnel(client, request, std::move(handler), early);
}

SpdyTunnel::SpdyTunnel(QTcpSocket* client,
                       const http::HttpRequest& request,
                       SpdyHandler handler,
                       const QByteArray& early)
    : m_client(client), m_bridge(new QTcpSocket(this))
{
    client->setParent(this);
    TunnelBridge* bridge = TunnelBridge::instance();
    m_token = bridge->registerHandler(std::move(handler));
    m_requestHead =
        "POST " + request.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n";
    for (const QString& protocol : tunnelledSpdyProtocols(request))
        m_requestHead += "X-Stream-Protocol-Version: " + protocol.toLatin1() + "\r\n";
    m_requestHead += QByteArray(kTokenHeader) + ": " + m_token + "\r\nContent-Length: 0\r\n\r\n";

    connect(client, &QIODevice::readyRead, this, [this] { onClientData(m_client->readAll()); });
    connect(client, &QAbstractSocket::disconnected, this, [this] { shutdown(-1, {}); });
    connect(m_bridge, &QTcpSocket::connected, this, &SpdyTunnel::onBridgeConnected);
    connect(m_bridge, &QTcpSocket::readyRead, this, &SpdyTunnel::onBridgeReadyRead);
    connect(m_bridge, &QTcpSocket::disconnected, this, [this] {
        onBridgeReadyRead();
        shutdown(1000, {});
    });
    connect(m_bridge, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (!m_bridgeOpen)
            shutdown(1011, QStringLiteral("SPDY tunnel: %1").arg(m_bridge->errorString()));
    });
    if (bridge->port() == 0) {
        QMetaObject::invokeMethod(
            this, [this] { shutdown(1011, QStringLiteral("SPDY tunnel bridge unavailable")); }, Qt::QueuedConnection);
        return;
    }
    m_bridge->connectToHost(QHostAddress::LocalHost, bridge->port());
    if (!early.isEmpty())
        onClientData(early);
}

SpdyTunnel::~SpdyTunnel() = default;

void SpdyTunnel::onClientData(const QByteArray& bytes)
{
    if (m_closing || bytes.isEmpty())
        return;
    QList<WebSocketFramer::Event> events;
    const bool ok = m_framer.feed(bytes, &events);
    for (const WebSocketFramer::Event& event : events) {
        switch (event.opcode) {
        case WebSocketFramer::Binary:
            if (m_bridgeOpen)
                m_bridge->write(event.payload);
            else
                m_pendingToBridge += event.payload;
            break;
        case WebSocketFramer::Text:
            shutdown(1003, QStringLiteral("the SPDY tunnel carries binary messages only"));
            return;
        case WebSocketFramer::Ping:
            sendFrame(WebSocketFramer::Pong, event.payload);
            break;
        case WebSocketFramer::Close:
            shutdown(1000, {});
            return;
        default:
            break;
        }
    }
    if (!ok)
        shutdown(m_framer.errorCloseCode(), m_framer.errorString());
}

void SpdyTunnel::sendFrame(WebSocketFramer::Opcode opcode, const QByteArray& payload)
{
    if (m_client && m_client->state() == QAbstractSocket::ConnectedState && !m_closeSent)
        m_client->write(WebSocketFramer::frame(opcode, payload));
}

void SpdyTunnel::onBridgeConnected()
{
    m_bridgeOpen = true;
    m_bridge->write(m_requestHead);
    if (!m_pendingToBridge.isEmpty())
        m_bridge->write(std::exchange(m_pendingToBridge, {}));
}

void SpdyTunnel::onBridgeReadyRead()
{
    if (!m_bridge || !m_client)
        return;
    QByteArray data = m_bridge->readAll();
    if (data.isEmpty())
        return;
    if (!m_upgraded) {
        m_responseHead += data;
        const qsizetype end = m_responseHead.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_responseHead.size() > kMaxResponseHead)
                shutdown(1011, QStringLiteral("SPDY tunnel: oversized upgrade response"));
            return;
        }
        if (!m_responseHead.startsWith("HTTP/1.1 101")) {
            const QString statusLine = QString::fromLatin1(m_responseHead.left(m_responseHead.indexOf("\r\n")));
            qCInfo(lcWebSocketStreams) << "SPDY tunnel refused by its handler:" << statusLine;
            shutdown(1011, statusLine.left(100));
            return;
        }
        m_upgraded = true;
        data = m_responseHead.mid(end + 4);
        m_responseHead.clear();
        if (data.isEmpty())
            return;
    }
    sendFrame(WebSocketFramer::Binary, data);
}

void SpdyTunnel::shutdown(int closeCode, const QString& reason)
{
    if (m_closing)
        return;
    m_closing = true;
    if (m_bridge)
        m_bridge->disconnectFromHost();
    if (closeCode > 0) {
        sendFrame(WebSocketFramer::Close, WebSocketFramer::closePayload(closeCode, reason));
        m_closeSent = true;
    }
    if (!m_client || m_client->state() == QAbstractSocket::UnconnectedState) {
        deleteLater();
        return;
    }
    m_client->disconnectFromHost(); // after the pending frames are written
    connect(m_client, &QAbstractSocket::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(kCloseGraceMs, this, [this] {
        if (m_client)
            m_client->abort();
        deleteLater();
    });
}

} // namespace vk::streams::ws
