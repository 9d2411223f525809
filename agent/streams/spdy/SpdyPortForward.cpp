// SPDX-License-Identifier: Apache-2.0
#include "spdy/SpdyPortForward.h"

#include "http/HttpServer.h"
#include "spdy/Logging.h"
#include "spdy/SpdyUpgrade.h"

#include <QTcpSocket>

namespace vk::streams {

void serveSpdyPortForward(const http::HttpRequest& request,
                          http::HttpResponder* responder,
                          PortForwardFactory factory,
                          StreamOptions options)
{
    QByteArray protocol;
    QByteArray early;
    QTcpSocket* socket = spdy::upgradeToSpdy(request, responder, spdy::portForwardProtocols(), &protocol, &early);
    if (!socket)
        return;
    auto* handler = new spdy::SpdyPortForward(socket, std::move(factory), options);
    handler->start(early);
}

} // namespace vk::streams

namespace vk::streams::spdy {

SpdyPortForward::SpdyPortForward(QTcpSocket* socket, PortForwardFactory factory, StreamOptions options, QObject* parent)
    : QObject(parent), m_factory(std::move(factory)), m_options(options)
{
    SpdyConnection::Options o;
    o.idleTimeoutMs = options.idleTimeoutMs;
    m_connection = new SpdyConnection(socket, o, this);
    connect(m_connection, &SpdyConnection::streamOpened, this, &SpdyPortForward::onStreamOpened);
    connect(m_connection, &SpdyConnection::dataReceived, this, &SpdyPortForward::onData);
    connect(m_connection, &SpdyConnection::remoteFinished, this, &SpdyPortForward::onRemoteFinished);
    connect(m_connection, &SpdyConnection::streamReset, this, [this](quint32 id) {
        if (Pair* p = pairForStream(id); p && id == p->dataStream)
            endPair(p->requestId, {});
    });
    connect(m_connection, &SpdyConnection::closed, this, [this] {
        for (auto& [id, pair] : m_pairs) {
            pair.deadline.cancel();
            if (pair.stream)
                pair.stream->close();
        }
        m_pairs.clear();
        deleteLater();
    });
}

void SpdyPortForward::start(const QByteArray& early)
{
    m_connection->start(early);
}

SpdyPortForward::Pair* SpdyPortForward::pairForStream(quint32 id)
{
    for (auto& [key, pair] : m_pairs)
        if (pair.dataStream == id || pair.errorStream == id)
            return &pair;
    return nullptr;
}

void SpdyPortForward::onStreamOpened(quint32 id, const SpdyHeaders& headers)
{
    const QByteArray type = headerValue(headers, "streamtype");
    QByteArray requestId = headerValue(headers, "requestid");
    if (requestId.isEmpty()) // clients before requestID: the error stream is opened first, 2 ids before data
        requestId = QByteArray::number(type == "data" ? qint64(id) - 2 : qint64(id));
    auto [it, created] = m_pairs.try_emplace(requestId);
    Pair& pair = it->second;
    pair.requestId = requestId;
    if (created) {
        pair.deadline = Clock::system()->schedule(m_options.creationTimeoutMs, this, [this, requestId] {
            auto p = m_pairs.find(requestId);
            if (p != m_pairs.end() && !p->second.started)
                endPair(requestId,
                        QStringLiteral("(request=%1) timed out waiting for streams").arg(QString::fromUtf8(requestId)));
        });
    }
    QString error;
    if (type == "error") {
        if (pair.errorStream)
            error = QStringLiteral("error stream already assigned");
        else
            pair.errorStream = id;
    } else if (type == "data") {
        if (pair.dataStream)
            error = QStringLiteral("data stream already assigned");
        else
            pair.dataStream = id;
    } else {
        error = QStringLiteral("invalid stream type %1").arg(QString::fromUtf8(type));
    }
    if (!error.isEmpty()) {
        const QString message =
            QStringLiteral("error processing stream for request %1: %2").arg(QString::fromUtf8(requestId), error);
        qCWarning(lcSpdy) << message;
        if (pair.errorStream && pair.errorStream != id)
            m_connection->writeData(pair.errorStream, message.toUtf8());
        m_connection->resetStream(id, RstStatus::ProtocolError);
        return;
    }
    if (type == "data") {
        bool ok = false;
        const uint port = headerValue(headers, "port").toUInt(&ok);
        pair.port = ok && port > 0 && port <= 65535 ? quint16(port) : 0;
        if (!pair.port) {
            const QByteArray raw = headerValue(headers, "port");
            pair.deadline.cancel();
            endPair(requestId, raw.isEmpty()
                                   ? QStringLiteral("\"port\" header is required")
                                   : QStringLiteral("unable to parse \"%1\" as a port").arg(QString::fromUtf8(raw)));
            return;
        }
    }
    if (pair.dataStream && pair.errorStream && !pair.started)
        startPair(pair);
}

void SpdyPortForward::startPair(Pair& pair)
{
    pair.started = true;
    pair.deadline.cancel();
    const QByteArray requestId = pair.requestId;
    Result<provider::PortForwardStream*> stream = m_factory(pair.port, this);
    if (!stream) {
        endPair(requestId, QStringLiteral("error forwarding port %1: %2").arg(pair.port).arg(stream.error().message()));
        return;
    }
    pair.stream = *stream;
    const quint32 data = pair.dataStream;
    connect(pair.stream, &provider::PortForwardStream::dataReceived, this,
            [this, data](const QByteArray& bytes) { m_connection->writeData(data, bytes); });
    connect(pair.stream, &provider::PortForwardStream::closed, this,
            [this, requestId, port = pair.port](const Status& status) {
                endPair(requestId,
                        status.ok()
                            ? QString()
                            : QStringLiteral("error forwarding port %1: %2").arg(port).arg(status.error().message()));
            });
}

void SpdyPortForward::onData(quint32 id, const QByteArray& data)
{
    Pair* pair = pairForStream(id);
    if (pair && id == pair->dataStream && pair->stream && !pair->done)
        pair->stream->write(data);
}

void SpdyPortForward::onRemoteFinished(quint32 id)
{
    Pair* pair = pairForStream(id);
    // The client half-closes its error stream at once; the data stream's FIN means the local connection ended.
    if (pair && id == pair->dataStream && pair->started)
        endPair(pair->requestId, {});
}

void SpdyPortForward::endPair(const QByteArray& requestId, const QString& error)
{
    auto it = m_pairs.find(requestId);
    if (it == m_pairs.end() || it->second.done)
        return;
    Pair& pair = it->second;
    pair.done = true;
    pair.deadline.cancel();
    if (!error.isEmpty()) {
        qCInfo(lcSpdy) << "port-forward:" << error;
        if (pair.errorStream)
            m_connection->writeData(pair.errorStream, error.toUtf8());
    }
    if (pair.stream) {
        QPointer<provider::PortForwardStream> stream = pair.stream;
        stream->disconnect(this);
        stream->close();
        if (stream)
            stream->deleteLater();
    }
    if (pair.dataStream)
        m_connection->finishStream(pair.dataStream);
    if (pair.errorStream)
        m_connection->finishStream(pair.errorStream);
    // Keep the entry so late frames of this request are ignored; the requestID is not reused by clients.
}

} // namespace vk::streams::spdy
