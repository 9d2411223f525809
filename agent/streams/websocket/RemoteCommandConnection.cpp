// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/RemoteCommandConnection.h"

#include "streams/websocket/Logging.h"
#include "streams/websocket/StatusJson.h"

#include <QWebSocket>

namespace vk::streams::ws {

namespace {

constexpr int kChannelCount = 5;
constexpr int kCloseGraceMs = 10'000;

QString goStringList(const QStringList& list)
{
    return QLatin1Char('[') + list.join(QLatin1Char(' ')) + QLatin1Char(']');
}

QString failureMessage(const QStringList& command, int exitCode, const Status& status, bool* internal)
{
    *internal = !status.ok();
    if (!status.ok())
        return QStringLiteral("error executing command in container: %1").arg(status.error().message());
    return QStringLiteral("command terminated with non-zero exit code: error executing command %1, exit code %2")
        .arg(goStringList(command))
        .arg(exitCode);
}

} // namespace

RemoteCommandConnection::RemoteCommandConnection(QWebSocket* socket,
                                                 ChannelProtocol protocol,
                                                 provider::ExecRequest request,
                                                 ExecSessionFactory factory,
                                                 StreamOptions options)
    : m_socket(socket), m_codec(protocol, kChannelCount), m_request(std::move(request)), m_factory(std::move(factory)),
      m_options(options)
{
    socket->setParent(this);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &RemoteCommandConnection::onMessage);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString& message) { onMessage(message.toLatin1()); });
    connect(socket, &QWebSocket::disconnected, this, [this] {
        if (!m_finished && m_session) {
            qCDebug(lcWebSocketStreams) << "client went away; cancelling" << m_request.podName;
            m_session->cancel();
        }
        m_finished = true;
        deleteLater();
    });
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        qCInfo(lcWebSocketStreams) << "exec stream to" << m_request.namespaceName << m_request.podName << "idle for"
                                   << m_options.idleTimeoutMs << "ms; closing";
        if (m_session && !m_finished)
            m_session->cancel();
        m_finished = true;
        if (m_socket)
            m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("stream idle timeout"));
        QTimer::singleShot(kCloseGraceMs, this, [this] { deleteLater(); });
    });
    start();
}

RemoteCommandConnection::~RemoteCommandConnection() = default;

QByteArray RemoteCommandConnection::statusJson(const QStringList& command, int exitCode, const Status& status)
{
    if (status.ok() && exitCode == 0)
        return QByteArrayLiteral(R"({"metadata":{},"status":"Success"})");
    bool internal = false;
    const QString message = failureMessage(command, exitCode, status, &internal);
    if (internal) {
        return R"({"metadata":{},"status":"Failure","message":)" +
               jsonQuoted(QStringLiteral("Internal error occurred: ") + message) +
               R"(,"reason":"InternalError","details":{"causes":[{"message":)" + jsonQuoted(message) +
               R"(}]},"code":500})";
    }
    return R"({"metadata":{},"status":"Failure","message":)" + jsonQuoted(message) +
           R"(,"reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":")" +
           QByteArray::number(exitCode) + R"("}]}})";
}

QByteArray RemoteCommandConnection::statusText(const QStringList& command, int exitCode, const Status& status)
{
    if (status.ok() && exitCode == 0)
        return {};
    bool internal = false;
    const QString message = failureMessage(command, exitCode, status, &internal);
    return (internal ? QStringLiteral("Internal error occurred: ") + message : message).toUtf8();
}

void RemoteCommandConnection::start()
{
    touch();
    // The kubelet's first message: an empty one on the lowest writable channel, telling the client it is connected.
    send(m_request.stdoutWanted ? Stdout : m_request.stderrWanted ? Stderr : Error, {});
    Result<provider::ExecSession*> session = m_factory(m_request, this);
    if (!session.ok()) {
        finish(-1, session.error());
        return;
    }
    m_session = session.value();
    connect(m_session, &provider::ExecSession::stdoutData, this, [this](const QByteArray& data) {
        if (m_request.stdoutWanted)
            send(Stdout, data);
    });
    connect(m_session, &provider::ExecSession::stderrData, this, [this](const QByteArray& data) {
        if (m_request.stderrWanted)
            send(Stderr, data);
    });
    connect(m_session, &provider::ExecSession::finished, this,
            [this](int exitCode, const Status& status) { finish(exitCode, status); });
}

void RemoteCommandConnection::onMessage(const QByteArray& message)
{
    if (m_finished)
        return;
    touch();
    const ChannelMessage decoded = m_codec.decode(message);
    switch (decoded.kind) {
    case ChannelMessage::Ignored:
        qCDebug(lcWebSocketStreams) << "ignoring a message:" << decoded.reason;
        return;
    case ChannelMessage::Close:
        if (decoded.channel == Stdin && m_request.stdinOpen && !m_stdinClosed && m_session) {
            m_stdinClosed = true;
            m_session->closeStdin();
        }
        return;
    case ChannelMessage::Data:
        break;
    }
    if (!m_session)
        return;
    if (decoded.channel == Stdin) {
        if (m_request.stdinOpen && !m_stdinClosed && !decoded.payload.isEmpty())
            m_session->writeStdin(decoded.payload);
    } else if (decoded.channel == Resize) {
        if (!m_request.tty)
            return;
        if (auto size = parseTerminalSize(decoded.payload))
            m_session->resize(*size);
        else
            qCDebug(lcWebSocketStreams) << "ignoring a malformed resize message";
    }
}

void RemoteCommandConnection::send(quint8 channel, const QByteArray& payload)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    touch();
    const QByteArray message = m_codec.encode(channel, payload);
    if (m_codec.textMessages())
        m_socket->sendTextMessage(QString::fromLatin1(message));
    else
        m_socket->sendBinaryMessage(message);
}

void RemoteCommandConnection::finish(int exitCode, const Status& status)
{
    if (m_finished)
        return;
    m_finished = true;
    m_idle.stop();
    if (!status.ok())
        qCWarning(lcWebSocketStreams) << "exec in" << m_request.namespaceName << m_request.podName
                                      << "failed:" << status.error().message();
    const QByteArray report = m_codec.protocol().statusAsJson() ? statusJson(m_request.command, exitCode, status)
                                                                : statusText(m_request.command, exitCode, status);
    if (!report.isEmpty())
        send(Error, report);
    closeConnection();
}

void RemoteCommandConnection::closeConnection()
{
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    // A client that never answers the close frame does not keep us around.
    QTimer::singleShot(kCloseGraceMs, this, [this] {
        if (m_socket)
            m_socket->abort();
        deleteLater();
    });
}

void RemoteCommandConnection::touch()
{
    if (!m_finished && m_options.idleTimeoutMs > 0)
        m_idle.start(int(qMin<qint64>(m_options.idleTimeoutMs, std::numeric_limits<int>::max())));
}

} // namespace vk::streams::ws
