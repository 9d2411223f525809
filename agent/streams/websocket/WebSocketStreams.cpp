// SPDX-License-Identifier: Apache-2.0
// The WebSocket half of streams/Streams.h.
#include "http/HttpServer.h"
#include "streams/Streams.h"
#include "streams/websocket/ChannelCodec.h"
#include "streams/websocket/Logging.h"
#include "streams/websocket/PortForwardConnection.h"
#include "streams/websocket/RemoteCommandConnection.h"
#include "streams/websocket/SpdyTunnel.h"
#include "streams/websocket/WebSocketHandoff.h"

#include <QWebSocket>

namespace vk::streams {

namespace {

std::optional<bool> queryFlag(const http::HttpRequest& request, const char* name, const char* kubeletName)
{
    for (const char* key : {name, kubeletName}) {
        const QString k = QString::fromLatin1(key);
        if (!request.query.hasQueryItem(k))
            continue;
        const QString value = request.queryValue(k).toLower();
        return value == QLatin1String("1") || value == QLatin1String("true");
    }
    return std::nullopt;
}

/// The first offered subprotocol we support; "" when the client offered none; nullopt when it offered only
/// others (answered 403, as the kubelet's wsstream does: kubectl then falls back to SPDY).
std::optional<QString> negotiable(const http::HttpRequest& request, const QStringList& supported)
{
    const QStringList offered = ws::offeredSubprotocols(request);
    if (offered.isEmpty())
        return QString();
    for (const QString& name : offered) {
        if (supported.contains(name))
            return name;
    }
    return std::nullopt;
}

void refuseProtocols(const http::HttpRequest& request, http::HttpResponder* responder, const QStringList& supported)
{
    const QString message =
        QStringLiteral("requested protocol(s) are not supported: [%1]; supports [%2]")
            .arg(ws::offeredSubprotocols(request).join(QLatin1Char(' ')), supported.join(QLatin1Char(' ')));
    qCInfo(lcWebSocketStreams) << request.path << message;
    responder->respond(403, QByteArrayLiteral("text/plain; charset=utf-8"), message.toUtf8() + '\n');
}

} // namespace

bool isWebSocketUpgrade(const http::HttpRequest& request)
{
    return request.isUpgrade() && request.upgradeProtocol() == "websocket";
}

void serveWebSocketRemoteCommand(const http::HttpRequest& request,
                                 http::HttpResponder* responder,
                                 provider::ExecRequest base,
                                 ExecSessionFactory factory,
                                 StreamOptions options)
{
    if (!isWebSocketUpgrade(request)) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("expected a WebSocket upgrade\n"));
        return;
    }
    if (const QString problem = ws::handshakeProblem(request); !problem.isEmpty()) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"), problem.toUtf8() + '\n');
        return;
    }
    const QStringList supported = ws::remoteCommandSubprotocols();
    if (!negotiable(request, supported))
        return refuseProtocols(request, responder, supported);

    const auto stdinFlag = queryFlag(request, "stdin", "input");
    const auto stdoutFlag = queryFlag(request, "stdout", "output");
    const auto stderrFlag = queryFlag(request, "stderr", "error");
    const auto ttyFlag = queryFlag(request, "tty", "tty");
    if (stdinFlag || stdoutFlag || stderrFlag) {
        base.stdinOpen = stdinFlag.value_or(false);
        base.stdoutWanted = stdoutFlag.value_or(false);
        base.stderrWanted = stderrFlag.value_or(false);
    }
    if (ttyFlag)
        base.tty = *ttyFlag;
    if (base.tty)
        base.stderrWanted = false; // as the kubelet: a tty has no separate stderr
    if (!base.stdinOpen && !base.stdoutWanted && !base.stderrWanted) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("you must specify at least 1 of stdin, stdout, stderr\n"));
        return;
    }

    ws::acceptWebSocket(responder, supported, ws::ChannelCodec::kDefaultMaxMessageBytes,
                        [base = std::move(base), factory = std::move(factory), options](QWebSocket* socket) {
                            const auto protocol =
                                ws::ChannelProtocol::fromName(socket->subprotocol()).value_or(ws::ChannelProtocol{});
                            new ws::RemoteCommandConnection(socket, protocol, base, factory, options);
                        });
}

void serveWebSocketPortForward(const http::HttpRequest& request,
                               http::HttpResponder* responder,
                               PortForwardFactory factory,
                               StreamOptions options)
{
    if (!isWebSocketUpgrade(request)) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("expected a WebSocket upgrade\n"));
        return;
    }
    if (const QString problem = ws::handshakeProblem(request); !problem.isEmpty()) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"), problem.toUtf8() + '\n');
        return;
    }
    const QStringList supported = ws::portForwardSubprotocols();
    if (!negotiable(request, supported))
        return refuseProtocols(request, responder, supported);
    auto ports = ws::PortForwardConnection::parsePorts(request.queryValues(QStringLiteral("port")) +
                                                       request.queryValues(QStringLiteral("ports")));
    if (!ports.ok()) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"),
                           ports.error().message().toUtf8() + '\n');
        return;
    }
    // /portForward/{namespace}/{pod}
    const QStringList parts = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QString podName = parts.size() >= 3 ? parts.at(1) + QLatin1Char('/') + parts.at(2) : request.path;
    ws::acceptWebSocket(
        responder, supported, ws::ChannelCodec::kDefaultMaxMessageBytes,
        [ports = ports.value(), podName, factory = std::move(factory), options](QWebSocket* socket) {
            const auto protocol =
                ws::ChannelProtocol::fromName(socket->subprotocol()).value_or(ws::ChannelProtocol{4, false});
            new ws::PortForwardConnection(socket, protocol, ports, podName, factory, options);
        });
}

bool isWebSocketSpdyTunnel(const http::HttpRequest& request)
{
    return isWebSocketUpgrade(request) && !ws::tunnelledSpdyProtocols(request).isEmpty();
}

void serveWebSocketSpdyTunnel(const http::HttpRequest& request,
                              http::HttpResponder* responder,
                              std::function<void(const http::HttpRequest&, http::HttpResponder*)> spdyHandler)
{
    if (!isWebSocketSpdyTunnel(request)) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("expected a WebSocket upgrade offering SPDY/3.1+ subprotocols\n"));
        return;
    }
    ws::SpdyTunnel::accept(request, responder, std::move(spdyHandler));
}

} // namespace vk::streams
