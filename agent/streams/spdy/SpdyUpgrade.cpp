// SPDX-License-Identifier: Apache-2.0
#include "spdy/SpdyUpgrade.h"

#include "http/HttpServer.h"
#include "streams/Streams.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>

namespace vk::streams {

bool isSpdyUpgrade(const http::HttpRequest& request)
{
    return request.isUpgrade() && request.upgradeProtocol().startsWith("spdy/");
}

} // namespace vk::streams

namespace vk::streams::spdy {

namespace {

QByteArray goList(const QList<QByteArray>& values)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < values.size(); ++i)
        out += (i ? " " : "") + values[i];
    return out + ']';
}

QByteArray jsonString(const QString& s)
{
    const QByteArray array = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QString goCommand(const QStringList& command)
{
    return QLatin1Char('[') + command.join(QLatin1Char(' ')) + QLatin1Char(']');
}

} // namespace

QList<QByteArray> remoteCommandProtocols()
{
    return {"v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"};
}

QList<QByteArray> portForwardProtocols()
{
    return {"portforward.k8s.io"};
}

QList<QByteArray> clientProtocols(const http::HttpRequest& request)
{
    QList<QByteArray> out;
    for (const QByteArray& value : request.headerValues("x-stream-protocol-version"))
        for (const QByteArray& part : value.split(','))
            if (const QByteArray p = part.trimmed(); !p.isEmpty())
                out.append(p);
    return out;
}

QByteArray negotiateProtocol(const QList<QByteArray>& client, const QList<QByteArray>& server)
{
    for (const QByteArray& c : client)
        if (server.contains(c))
            return c;
    return {};
}

QTcpSocket* upgradeToSpdy(const http::HttpRequest& request,
                          http::HttpResponder* responder,
                          const QList<QByteArray>& supported,
                          QByteArray* chosen,
                          QByteArray* early)
{
    const QList<QByteArray> client = clientProtocols(request);
    const QByteArray textPlain = QByteArrayLiteral("text/plain; charset=utf-8");
    const http::HeaderList nosniff{{QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")}};
    if (client.isEmpty()) {
        responder->respond(400, textPlain,
                           QByteArrayLiteral("unable to upgrade: X-Stream-Protocol-Version is required\n"), nosniff);
        return nullptr;
    }
    const QByteArray protocol = negotiateProtocol(client, supported);
    if (protocol.isEmpty()) {
        http::HeaderList headers = nosniff;
        for (const QByteArray& s : supported)
            headers.append({QByteArrayLiteral("X-Accepted-Stream-Protocol-Versions"), s});
        responder->respond(403, textPlain,
                           "unable to upgrade: unable to negotiate protocol: client supports " + goList(client) +
                               ", server accepts " + goList(supported) + '\n',
                           headers);
        return nullptr;
    }
    QTcpSocket* socket = responder->takeSocket(false, early);
    if (!socket)
        return nullptr;
    socket->write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                  "X-Stream-Protocol-Version: " +
                  protocol + "\r\n\r\n");
    *chosen = protocol;
    return socket;
}

namespace status {

QByteArray success()
{
    return QByteArrayLiteral(R"({"metadata":{},"status":"Success"})");
}

QString nonZeroExitText(const QStringList& command, int exitCode)
{
    return QStringLiteral("command terminated with non-zero exit code: error executing command %1, exit code %2")
        .arg(goCommand(command))
        .arg(exitCode);
}

QByteArray nonZeroExit(const QStringList& command, int exitCode)
{
    return R"({"metadata":{},"status":"Failure","message":)" + jsonString(nonZeroExitText(command, exitCode)) +
           R"(,"reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":")" +
           QByteArray::number(exitCode) + R"("}]}})";
}

QString internalErrorText(const QString& message)
{
    return QStringLiteral("Internal error occurred: error executing command in container: ") + message;
}

QByteArray internalError(const QString& message)
{
    const QString cause = QStringLiteral("error executing command in container: ") + message;
    return R"({"metadata":{},"status":"Failure","message":)" + jsonString(internalErrorText(message)) +
           R"(,"reason":"InternalError","details":{"causes":[{"message":)" + jsonString(cause) + R"(}]},"code":500})";
}

} // namespace status

} // namespace vk::streams::spdy
