// SPDX-License-Identifier: Apache-2.0
#include "spdy/SpdyRemoteCommand.h"

#include "http/HttpServer.h"
#include "spdy/Logging.h"
#include "spdy/SpdyUpgrade.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace vk::streams {

void serveSpdyRemoteCommand(const http::HttpRequest& request,
                            http::HttpResponder* responder,
                            provider::ExecRequest base,
                            ExecSessionFactory factory,
                            StreamOptions options)
{
    const spdy::SpdyRemoteCommand::Expected expected = spdy::SpdyRemoteCommand::expectedFromQuery(request);
    if (!expected.stdinStream && !expected.stdoutStream && !expected.stderrStream) {
        responder->respond(400, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("you must specify at least 1 of stdin, stdout, stderr\n"),
                           {{QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")}});
        return;
    }
    QByteArray protocol;
    QByteArray early;
    QTcpSocket* socket = spdy::upgradeToSpdy(request, responder, spdy::remoteCommandProtocols(), &protocol, &early);
    if (!socket)
        return;
    auto* session =
        new spdy::SpdyRemoteCommand(socket, protocol, expected, std::move(base), std::move(factory), options);
    session->start(early);
}

} // namespace vk::streams

namespace vk::streams::spdy {

namespace {
constexpr qint64 kDrainMs = 2'000;

bool flag(const http::HttpRequest& request, const char* name)
{
    const QString v = request.queryValue(QLatin1String(name));
    return v == QLatin1String("1") || v.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}
} // namespace

SpdyRemoteCommand::Expected SpdyRemoteCommand::expectedFromQuery(const http::HttpRequest& request)
{
    Expected e;
    e.tty = flag(request, "tty");
    e.stdinStream = flag(request, "stdin");
    e.stdoutStream = flag(request, "stdout");
    e.stderrStream = flag(request, "stderr") && !e.tty;
    return e;
}

SpdyRemoteCommand::SpdyRemoteCommand(QTcpSocket* socket,
                                     QByteArray protocol,
                                     Expected expected,
                                     provider::ExecRequest base,
                                     ExecSessionFactory factory,
                                     StreamOptions options,
                                     QObject* parent)
    : QObject(parent), m_protocol(std::move(protocol)), m_expected(expected), m_base(std::move(base)),
      m_factory(std::move(factory)), m_options(options)
{
    SpdyConnection::Options o;
    o.idleTimeoutMs = options.idleTimeoutMs;
    m_connection = new SpdyConnection(socket, o, this);
    m_expectedCount = 1 + int(expected.stdinStream) + int(expected.stdoutStream) + int(expected.stderrStream) +
                      int(expected.tty && protocolVersion() >= 3);
    connect(m_connection, &SpdyConnection::streamOpened, this, &SpdyRemoteCommand::onStreamOpened);
    connect(m_connection, &SpdyConnection::dataReceived, this, &SpdyRemoteCommand::onData);
    connect(m_connection, &SpdyConnection::remoteFinished, this, &SpdyRemoteCommand::onRemoteFinished);
    connect(m_connection, &SpdyConnection::streamReset, this, [this](quint32 id) { onRemoteFinished(id); });
    connect(m_connection, &SpdyConnection::closed, this, &SpdyRemoteCommand::onClosed);
}

SpdyRemoteCommand::~SpdyRemoteCommand()
{
    m_creationDeadline.cancel();
}

int SpdyRemoteCommand::protocolVersion() const
{
    if (m_protocol.startsWith("v") && m_protocol.size() > 1 && m_protocol.at(2) == '.')
        return m_protocol.at(1) - '0';
    return 1;
}

void SpdyRemoteCommand::start(const QByteArray& early)
{
    m_creationDeadline = Clock::system()->schedule(m_options.creationTimeoutMs, this, [this] {
        if (m_started)
            return;
        qCWarning(lcSpdy) << "timed out waiting for client to create streams for" << m_base.namespaceName
                          << m_base.podName;
        m_connection->goAway(GoAwayStatus::Ok, QStringLiteral("timed out waiting for client to create streams"));
    });
    m_connection->start(early);
}

void SpdyRemoteCommand::onStreamOpened(quint32 id, const SpdyHeaders& headers)
{
    const QByteArray type = headerValue(headers, "streamtype");
    quint32* slot = nullptr;
    if (type == "error")
        slot = &m_errorStream;
    else if (type == "stdin")
        slot = &m_stdinStream;
    else if (type == "stdout")
        slot = &m_stdoutStream;
    else if (type == "stderr")
        slot = &m_stderrStream;
    else if (type == "resize" && protocolVersion() >= 3)
        slot = &m_resizeStream;
    if (!slot) {
        qCWarning(lcSpdy) << "unexpected stream type:" << type;
        return;
    }
    *slot = id;
    ++m_receivedCount;
    maybeStartSession();
}

void SpdyRemoteCommand::maybeStartSession()
{
    if (m_started || m_receivedCount < m_expectedCount)
        return;
    m_started = true;
    m_creationDeadline.cancel();
    // Protocol v1 clients never write stdin (the kubelet closes it at once).
    if (protocolVersion() == 1 && m_stdinStream)
        m_connection->finishStream(m_stdinStream);
    startSession();
}

void SpdyRemoteCommand::startSession()
{
    provider::ExecRequest request = m_base;
    request.stdinOpen = m_stdinStream != 0;
    request.stdoutWanted = m_stdoutStream != 0;
    request.stderrWanted = m_stderrStream != 0;
    request.tty = m_expected.tty;
    Result<provider::ExecSession*> created = m_factory(request, this);
    if (!created) {
        finish(-1, created.error());
        return;
    }
    m_session = *created;
    connect(m_session, &provider::ExecSession::stdoutData, this, [this](const QByteArray& data) {
        if (m_stdoutStream)
            m_connection->writeData(m_stdoutStream, data);
    });
    connect(m_session, &provider::ExecSession::stderrData, this, [this](const QByteArray& data) {
        if (m_stderrStream)
            m_connection->writeData(m_stderrStream, data);
        else if (m_stdoutStream && m_expected.tty)
            m_connection->writeData(m_stdoutStream, data);
    });
    connect(m_session, &provider::ExecSession::finished, this,
            [this](int exitCode, const Status& status) { finish(exitCode, status); });
    if (!m_pendingStdin.isEmpty())
        m_session->writeStdin(std::exchange(m_pendingStdin, {}));
    if (m_stdinFinished && m_session)
        m_session->closeStdin();
    if (!m_resizeBuffer.isEmpty())
        handleResize();
}

void SpdyRemoteCommand::onData(quint32 id, const QByteArray& data)
{
    if (m_finished)
        return;
    if (id == m_stdinStream && id != 0) {
        if (m_session)
            m_session->writeStdin(data);
        else
            m_pendingStdin += data;
    } else if (id == m_resizeStream && id != 0) {
        m_resizeBuffer += data;
        if (m_resizeBuffer.size() > (64 << 10))
            m_resizeBuffer.clear(); // nonsense; a resize event is a few dozen bytes
        if (m_session)
            handleResize();
    }
}

void SpdyRemoteCommand::handleResize()
{
    qsizetype nl;
    while ((nl = m_resizeBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_resizeBuffer.left(nl).trimmed();
        m_resizeBuffer.remove(0, nl + 1);
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        auto field = [&](const char* upper, const char* lower) {
            const QJsonValue v =
                o.contains(QLatin1String(upper)) ? o.value(QLatin1String(upper)) : o.value(QLatin1String(lower));
            return quint16(std::clamp(v.toInt(), 0, 65535));
        };
        if (o.isEmpty() || !m_session)
            continue;
        m_session->resize({field("Width", "width"), field("Height", "height")});
    }
}

void SpdyRemoteCommand::onRemoteFinished(quint32 id)
{
    if (id == 0 || id != m_stdinStream || m_stdinFinished)
        return;
    m_stdinFinished = true;
    if (m_session && !m_finished)
        m_session->closeStdin();
}

void SpdyRemoteCommand::writeStatus(const QByteArray& json, const QString& text)
{
    if (!m_errorStream)
        return;
    if (protocolVersion() >= 4)
        m_connection->writeData(m_errorStream, json);
    else if (!text.isEmpty())
        m_connection->writeData(m_errorStream, text.toUtf8());
}

void SpdyRemoteCommand::finish(int exitCode, const Status& status)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!status.ok()) {
        writeStatus(status::internalError(status.error().message()),
                    status::internalErrorText(status.error().message()));
    } else if (exitCode != 0) {
        writeStatus(status::nonZeroExit(m_base.command, exitCode), status::nonZeroExitText(m_base.command, exitCode));
    } else {
        writeStatus(status::success(), {});
    }
    for (quint32 id : {m_stdoutStream, m_stderrStream, m_errorStream, m_stdinStream, m_resizeStream})
        if (id)
            m_connection->finishStream(id);
    m_connection->closeAfterDrain(kDrainMs);
}

void SpdyRemoteCommand::onClosed()
{
    if (m_session && !m_finished) {
        m_finished = true;
        m_session->cancel();
    }
    deleteLater();
}

} // namespace vk::streams::spdy
