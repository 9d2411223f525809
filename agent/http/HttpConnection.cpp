// SPDX-License-Identifier: Apache-2.0
#include "http/HttpConnection.h"

#include "core/KubeStatus.h"
#include "http/ClientCaVerifier.h"
#include "http/Logging.h"
#include "http/ResponseHead.h"

#include <QSslSocket>

#include <sys/socket.h>

#include <algorithm>

namespace vk::http {

namespace {

// After an error answer the server stops writing and discards what the client still sends, so the client reads the
// answer instead of a connection reset; this long at most.
constexpr int kLingerMs = 2000;
// A graceful close (Connection: close, idle timeout) waits this long for the peer before aborting.
constexpr int kClosingMs = 5000;
// Input buffer capacity kept between requests.
constexpr qsizetype kKeptInputCapacity = 64 * 1024;

} // namespace

HttpConnection::HttpConnection(
    const ConnectionContext* context, QTcpSocket* socket, quint64 id, bool rejectOverLimit, QObject* parent)
    : QObject(parent), m_ctx(context), m_socket(socket), m_ssl(qobject_cast<QSslSocket*>(socket)), m_id(id),
      m_reject(rejectOverLimit), m_parser({context->limits.maxHeaderBytes, context->limits.maxBodyBytes})
{
    m_socket->setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::start()
{
    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &HttpConnection::onSocketError);
    if (m_ssl)
        connect(m_ssl, &QSslSocket::encryptedBytesWritten, this, &HttpConnection::onBytesSent);
    else
        connect(m_socket, &QIODevice::bytesWritten, this, &HttpConnection::onBytesSent);

    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peerAddress = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();

    if (m_ssl) {
        m_peerChain = m_ssl->peerCertificateChain();
        const QSslCertificate leaf = m_ssl->peerCertificate();
        if (!leaf.isNull() && (m_peerChain.isEmpty() || m_peerChain.first() != leaf))
            m_peerChain.prepend(leaf);
        if (!m_peerChain.isEmpty() && m_ctx->verifier && !m_ctx->verifier->isEmpty()) {
            QString why;
            m_peerVerified = m_ctx->verifier->verify(m_peerChain, &why);
            if (!m_peerVerified)
                qCDebug(lcHttp) << "connection" << m_id << "client certificate"
                                << m_peerChain.first().subjectInfo(QSslCertificate::CommonName)
                                << "not verified:" << why;
        }
    }

    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        QMetaObject::invokeMethod(this, &HttpConnection::finish, Qt::QueuedConnection);
        return;
    }
    startTimer(TimerKind::Idle, m_ctx->limits.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        processInput();
}

void HttpConnection::shutdown()
{
    if (m_phase == Phase::Closed || m_phase == Phase::Taken)
        return;
    m_phase = Phase::Closed;
    stopTimer();
    m_socket->disconnect(this);
    detachResponder(true);
    m_socket->abort();
}

bool HttpConnection::isWritable() const
{
    return m_phase == Phase::Open && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::write(const QByteArray& data)
{
    if (isWritable() && !data.isEmpty())
        m_socket->write(data);
}

qint64 HttpConnection::pendingBytes() const
{
    if (!m_socket || m_phase == Phase::Closed || m_phase == Phase::Taken)
        return 0;
    return m_socket->bytesToWrite() + (m_ssl ? m_ssl->encryptedBytesToWrite() : 0);
}

void HttpConnection::responseComplete(HttpResponder* responder, bool closeConnection)
{
    if (responder != m_responder)
        return;
    m_responder = nullptr;
    responder->deleteLater();
    if (m_phase != Phase::Open)
        return;
    if (closeConnection) {
        closeGracefully();
        return;
    }
    compactInput();
    startTimer(TimerKind::Idle, m_ctx->limits.idleTimeoutMs);
    if (!m_processing && (m_parsed < m_in.size() || m_socket->bytesAvailable() > 0))
        queueProcessInput();
    // The whole answer is buffered: send it now, not when the event loop next gets to the socket (a TLS socket
    // defers its flush by a queued call, then the TCP socket waits for its write notifier). A write error is
    // reported through the socket's signals as usual; this connection is not deleted by them.
    m_socket->flush();
}

QTcpSocket* HttpConnection::takeSocket(HttpResponder* responder, bool rewindToRequestStart, QByteArray* alreadyReceived)
{
    if (responder != m_responder || m_phase != Phase::Open)
        return nullptr;
    QTcpSocket* socket = m_socket;
    stopTimer();
    socket->disconnect(this);
    m_responder = nullptr;
    responder->deleteLater();

    // m_in holds the raw request from its first byte (for a request with a body that is not an upgrade: from the
    // body on, as the head was dropped while the body arrived), then whatever followed it.
    const QByteArray rest = rewindToRequestStart ? m_in : m_in.sliced(std::min(m_parsed, m_in.size()));
    m_in = QByteArray();
    m_parsed = 0;
    if (!rewindToRequestStart && alreadyReceived) {
        *alreadyReceived = rest;
    } else {
        // Put the bytes back in front of the socket's read buffer, in order.
        for (qsizetype i = rest.size() - 1; i >= 0; --i)
            socket->ungetChar(rest.at(i));
    }
    socket->setParent(nullptr);
    m_socket = nullptr;
    m_ssl = nullptr;
    m_phase = Phase::Taken;
    qCDebug(lcHttp) << "connection" << m_id << "taken over," << rest.size() << "bytes"
                    << (rewindToRequestStart ? "rewound" : "already received");
    Q_EMIT finished(this);
    return socket;
}

void HttpConnection::onReadyRead()
{
    switch (m_phase) {
    case Phase::Open:
        if (!m_responder)
            processInput();
        break; // while a response is in progress the bytes wait in the socket
    case Phase::Closing:
    case Phase::Lingering:
        discardInput();
        break;
    case Phase::Closed:
    case Phase::Taken:
        break;
    }
}

void HttpConnection::onDisconnected()
{
    finish();
}

void HttpConnection::onSocketError()
{
    if (!m_socket)
        return;
    if (m_socket->error() != QAbstractSocket::RemoteHostClosedError)
        qCDebug(lcHttp) << "connection" << m_id << "socket error:" << m_socket->errorString();
    if (m_socket->state() != QAbstractSocket::ConnectedState && m_socket->state() != QAbstractSocket::ClosingState)
        finish();
}

void HttpConnection::onBytesSent(qint64 bytes)
{
    if (m_phase == Phase::Lingering) {
        halfCloseIfFlushed();
        return;
    }
    if (m_responder && m_phase == Phase::Open)
        Q_EMIT m_responder->bytesWritten(bytes);
}

void HttpConnection::onTimeout()
{
    const TimerKind kind = m_timerKind;
    m_timerKind = TimerKind::None;
    switch (kind) {
    case TimerKind::Request:
        qCDebug(lcHttp) << "connection" << m_id << "request not complete within" << m_ctx->limits.requestTimeoutMs
                        << "ms; closing";
        m_phase = Phase::Closed;
        m_socket->disconnect(this);
        m_socket->abort();
        detachResponder(true);
        Q_EMIT finished(this);
        break;
    case TimerKind::Idle:
        qCDebug(lcHttp) << "connection" << m_id << "idle; closing";
        closeGracefully();
        break;
    case TimerKind::Closing:
        m_phase = Phase::Closed;
        m_socket->disconnect(this);
        m_socket->abort();
        detachResponder(true);
        Q_EMIT finished(this);
        break;
    case TimerKind::None:
        break;
    }
}

void HttpConnection::queueProcessInput()
{
    if (m_processQueued)
        return;
    m_processQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processQueued = false;
            processInput();
        },
        Qt::QueuedConnection);
}

void HttpConnection::pullFromSocket()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    const qsizetype old = m_in.size();
    m_in.resize(old + qsizetype(available));
    const qint64 got = m_socket->read(m_in.data() + old, available);
    m_in.resize(old + qsizetype(std::max<qint64>(got, 0)));
}

void HttpConnection::discardInput()
{
    if (m_socket && m_socket->bytesAvailable() > 0)
        m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::compactInput()
{
    if (m_parsed <= 0)
        return;
    if (m_parsed >= m_in.size()) {
        if (m_in.capacity() > kKeptInputCapacity)
            m_in = QByteArray(); // after a big body: do not keep megabytes per idle connection
        else
            m_in.resize(0); // keeps the capacity for the next request
    } else {
        m_in.remove(0, m_parsed);
    }
    m_parsed = 0;
}

void HttpConnection::processInput()
{
    if (m_processing || m_phase != Phase::Open)
        return;
    m_processing = true;
    const QPointer<HttpConnection> alive(this);
    while (m_phase == Phase::Open && !m_responder) {
        pullFromSocket();
        if (m_parsed >= m_in.size())
            break;
        m_parsed += m_parser.parse(QByteArrayView(m_in).sliced(m_parsed));
        const HttpRequestParser::State state = m_parser.state();
        if (state == HttpRequestParser::State::Failed) {
            qCDebug(lcHttp) << "connection" << m_id << "bad request:" << m_parser.error().message();
            failAndClose(m_reject ? 503 : m_parser.errorStatus(), m_parser.error());
            break;
        }
        if (state == HttpRequestParser::State::Complete) {
            dispatch();
            if (!alive)
                return;
            continue;
        }
        if (state == HttpRequestParser::State::Idle) {
            compactInput(); // only blank lines so far
            continue;
        }
        // Head or Body: wait for more bytes.
        if (m_parser.takeContinueExpected())
            write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        if (state == HttpRequestParser::State::Body && !m_parser.isUpgrade())
            compactInput(); // the head is no longer needed for a rewind
        if (m_timerKind != TimerKind::Request)
            startTimer(TimerKind::Request, m_ctx->limits.requestTimeoutMs);
    }
    m_processing = false;
    if (m_phase == Phase::Open && !m_responder && m_parser.state() == HttpRequestParser::State::Idle &&
        m_timerKind != TimerKind::Idle)
        startTimer(TimerKind::Idle, m_ctx->limits.idleTimeoutMs);
}

void HttpConnection::dispatch()
{
    stopTimer();
    const bool keepAlive = m_parser.keepAlive();
    const bool upgrade = m_parser.isUpgrade();
    const bool head = m_parser.isHead();
    const bool http10 = m_parser.httpMajor() < 1 || (m_parser.httpMajor() == 1 && m_parser.httpMinor() == 0);
    HttpRequest request = m_parser.takeRequest();
    // m_in keeps the raw request (for takeSocket(true)) until the response is complete.

    if (m_reject) {
        failAndClose(503,
                     Error(ErrorCategory::ServiceUnavailable,
                           QStringLiteral("too many open connections (limit %1)").arg(m_ctx->limits.maxConnections)));
        return;
    }

    request.peerAddress = m_peerAddress;
    request.peerPort = m_peerPort;
    request.connectionId = m_id;
    request.peerCertificateChain = m_peerChain;
    request.peerCertificateVerified = m_peerVerified;

    auto* responder = new HttpResponder(this);
    HttpResponder::Private& r = *responder->d;
    r.connection = this;
    r.head = head;
    r.keepAlive = keepAlive;
    r.http10 = http10;
    r.upgrade = upgrade;
    m_responder = responder;

    if (m_ctx->handler) {
        m_ctx->handler(request, responder);
    } else {
        responder->respond(
            404, QByteArrayLiteral("application/json"),
            vk::kube::statusBody(Error::notFound(
                QStringLiteral("no handler for %1 %2").arg(QString::fromLatin1(request.method), request.path))));
    }
}

void HttpConnection::failAndClose(int status, const Error& error)
{
    if (m_phase != Phase::Open)
        return;
    Error answer = error;
    if (status == 503)
        answer = Error(ErrorCategory::ServiceUnavailable,
                       QStringLiteral("too many open connections (limit %1)").arg(m_ctx->limits.maxConnections));
    answer.setHttpCode(status);
    const QByteArray body = vk::kube::statusBody(answer);
    write(detail::responseHead(status, QByteArrayLiteral("application/json"), {}, body.size(), false,
                               detail::ConnectionHeader::Close) +
          body);
    detachResponder(true);
    m_phase = Phase::Lingering;
    m_in = QByteArray();
    m_parsed = 0;
    discardInput();
    startTimer(TimerKind::Closing, std::min(kLingerMs, std::max(1, m_ctx->limits.idleTimeoutMs)));
    m_socket->flush();
    halfCloseIfFlushed();
}

void HttpConnection::halfCloseIfFlushed()
{
    if (m_halfClosed || !m_socket || pendingBytes() > 0)
        return;
    // Everything is sent: signal end-of-stream to the client but keep reading (and discarding) until it closes,
    // so a request body still in flight does not turn into a reset that swallows the answer.
    m_halfClosed = true;
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0)
        ::shutdown(int(fd), SHUT_WR);
}

void HttpConnection::closeGracefully()
{
    if (m_phase != Phase::Open)
        return;
    m_phase = Phase::Closing;
    detachResponder(true);
    discardInput();
    startTimer(TimerKind::Closing, kClosingMs);
    m_socket->disconnectFromHost(); // flushes what is pending, then closes; disconnected() follows
}

void HttpConnection::finish()
{
    if (m_phase == Phase::Closed || m_phase == Phase::Taken)
        return;
    m_phase = Phase::Closed;
    stopTimer();
    detachResponder(true);
    Q_EMIT finished(this);
}

void HttpConnection::detachResponder(bool notify)
{
    HttpResponder* responder = m_responder;
    m_responder = nullptr;
    if (!responder)
        return;
    HttpResponder::Private& r = *responder->d;
    const bool incomplete = !r.finished;
    r.disconnected = true;
    r.finished = true;
    r.connection = nullptr;
    if (notify && incomplete)
        Q_EMIT responder->disconnected();
    responder->deleteLater();
}

void HttpConnection::startTimer(TimerKind kind, int ms)
{
    if (ms <= 0) {
        stopTimer();
        return;
    }
    m_timerKind = kind;
    m_timer.start(ms);
}

void HttpConnection::stopTimer()
{
    m_timerKind = TimerKind::None;
    m_timer.stop();
}

} // namespace vk::http
