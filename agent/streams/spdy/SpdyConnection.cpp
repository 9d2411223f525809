// SPDX-License-Identifier: Apache-2.0
#include "spdy/SpdyConnection.h"

#include "spdy/Logging.h"

#include <QTcpSocket>

namespace vk::streams::spdy {

namespace {
constexpr qint64 kMaxWindow = 0x7fffffff;
constexpr quint32 kWindowUpdateThreshold = 32 << 10; ///< acknowledge received data in 32 KiB steps
constexpr qsizetype kMaxDataFrame = 32 << 10;        ///< our DATA frames carry at most this much
constexpr qint64 kFlushOnCloseMs = 5'000;
} // namespace

SpdyConnection::SpdyConnection(QTcpSocket* socket, Options options, QObject* parent)
    : QObject(parent), m_socket(socket), m_options(options), m_framer(options.limits)
{
    if (!m_options.clock)
        m_options.clock = Clock::system();
    socket->setParent(this);
}

SpdyConnection::~SpdyConnection()
{
    m_idleCheck.cancel();
    m_drainDeadline.cancel();
}

void SpdyConnection::start(const QByteArray& early)
{
    connect(m_socket, &QIODevice::readyRead, this, &SpdyConnection::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, [this] {
        pump();
        if (m_draining && queuedBytes() == 0 && m_streams.empty())
            goAway(GoAwayStatus::Ok, QStringLiteral("session finished"));
    });
    connect(m_socket, &QAbstractSocket::disconnected, this,
            [this] { finishClose(QStringLiteral("peer closed the connection")); });
    touch();
    if (m_options.idleTimeoutMs > 0)
        armIdleCheck(m_options.idleTimeoutMs);
    if (!early.isEmpty())
        m_framer.feed(early);
    // Process buffered input (early bytes or anything already in the socket) on the next turn, so the caller can
    // connect its signals first.
    QMetaObject::invokeMethod(this, &SpdyConnection::onReadyRead, Qt::QueuedConnection);
}

void SpdyConnection::touch()
{
    m_lastActivityMs = m_options.clock->monotonicMs();
}

void SpdyConnection::armIdleCheck(qint64 delayMs)
{
    m_idleCheck = m_options.clock->schedule(delayMs, this, [this] {
        if (m_closed)
            return;
        const qint64 idle = m_options.clock->monotonicMs() - m_lastActivityMs;
        if (idle >= m_options.idleTimeoutMs) {
            qCInfo(lcSpdy) << "closing SPDY connection idle for" << idle << "ms";
            goAway(GoAwayStatus::Ok, QStringLiteral("idle timeout"));
            return;
        }
        armIdleCheck(m_options.idleTimeoutMs - idle);
    });
}

void SpdyConnection::onReadyRead()
{
    if (m_closed || !m_socket)
        return;
    const QByteArray bytes = m_socket->readAll();
    if (!bytes.isEmpty()) {
        touch();
        m_framer.feed(bytes);
    }
    while (!m_closed) {
        std::optional<SpdyFrame> frame = m_framer.next();
        if (!frame)
            break;
        handleFrame(*frame);
    }
    if (m_framer.hasError() && !m_goingAway) {
        qCWarning(lcSpdy) << "SPDY protocol error:" << m_framer.errorString();
        goAway(GoAwayStatus::ProtocolError, m_framer.errorString());
    }
}

void SpdyConnection::handleFrame(SpdyFrame& frame)
{
    switch (frame.type) {
    case FrameType::SynStream:
        handleSynStream(frame);
        return;
    case FrameType::Data:
        handleData(frame);
        return;
    case FrameType::RstStream: {
        auto it = m_streams.find(frame.streamId);
        if (it == m_streams.end())
            return;
        m_streams.erase(it);
        Q_EMIT streamReset(frame.streamId);
        return;
    }
    case FrameType::Settings:
        for (const SpdySetting& s : frame.settings) {
            if (s.id == kSettingsInitialWindowSize && s.value <= kMaxWindow) {
                const qint64 delta = qint64(s.value) - m_initialSendWindow;
                m_initialSendWindow = s.value;
                m_flowControl = true;
                for (auto& [id, stream] : m_streams)
                    stream.sendWindow += delta;
            }
        }
        pump();
        return;
    case FrameType::Ping:
        // Our own pings would be even; answer the client's (odd) ones.
        if (frame.pingId % 2 == 1)
            writeRaw(SpdyFramer::encodePing(frame.pingId));
        return;
    case FrameType::GoAway:
        m_goingAway = true;
        if (m_streams.empty())
            finishClose(QStringLiteral("peer sent GOAWAY"));
        return;
    case FrameType::Headers:
        return;
    case FrameType::WindowUpdate: {
        m_flowControl = true;
        if (frame.streamId == 0) {
            m_sessionSendWindow += frame.deltaWindowSize;
            if (m_sessionSendWindow > kMaxWindow) {
                goAway(GoAwayStatus::ProtocolError, QStringLiteral("session flow control window overflow"));
                return;
            }
        } else {
            auto it = m_streams.find(frame.streamId);
            if (it == m_streams.end())
                return;
            it->second.sendWindow += frame.deltaWindowSize;
            if (it->second.sendWindow > kMaxWindow) {
                resetStream(frame.streamId, RstStatus::FlowControlError);
                return;
            }
        }
        pump();
        return;
    }
    case FrameType::SynReply:
        // We never open streams, so a reply is for a stream that does not exist.
        writeRaw(SpdyFramer::encodeRstStream(frame.streamId, RstStatus::InvalidStream));
        return;
    }
}

void SpdyConnection::handleSynStream(SpdyFrame& frame)
{
    const quint32 id = frame.streamId;
    if (id % 2 == 0 || id <= m_lastClientStreamId) {
        goAway(GoAwayStatus::ProtocolError,
               QStringLiteral("SYN_STREAM with stream id %1 after %2 (client ids must be odd and increasing)")
                   .arg(id)
                   .arg(m_lastClientStreamId));
        return;
    }
    m_lastClientStreamId = id;
    if (m_goingAway || m_draining || int(m_streams.size()) >= m_options.maxStreams) {
        writeRaw(SpdyFramer::encodeRstStream(id, RstStatus::RefusedStream));
        return;
    }
    Stream stream;
    stream.headers = frame.headers;
    stream.sendWindow = m_initialSendWindow;
    stream.remoteClosed = frame.fin();
    stream.localClosed = (frame.flags & kFlagUnidirectional) != 0;
    m_streams.emplace(id, std::move(stream));
    writeRaw(m_framer.encodeSynReply(id, {}));
    Q_EMIT streamOpened(id, frame.headers);
    if (frame.fin() && !m_closed) {
        Q_EMIT remoteFinished(id);
        maybeForget(id);
    }
}

void SpdyConnection::handleData(SpdyFrame& frame)
{
    const quint32 id = frame.streamId;
    auto it = m_streams.find(id);
    if (it == m_streams.end()) {
        // Data for a stream never opened is an error; for one already closed, a late frame to drop.
        if (id > m_lastClientStreamId || id % 2 == 0)
            writeRaw(SpdyFramer::encodeRstStream(id, RstStatus::InvalidStream));
        return;
    }
    if (it->second.remoteClosed) {
        writeRaw(SpdyFramer::encodeRstStream(id, RstStatus::StreamAlreadyClosed));
        return;
    }
    const quint32 size = quint32(frame.data.size());
    it->second.remoteClosed = frame.fin();
    if (size > 0) {
        m_sessionUnackedReceived += size;
        if (!frame.fin()) {
            it->second.unackedReceived += size;
            if (it->second.unackedReceived >= kWindowUpdateThreshold) {
                writeRaw(SpdyFramer::encodeWindowUpdate(id, it->second.unackedReceived));
                it->second.unackedReceived = 0;
            }
        }
        if (m_sessionUnackedReceived >= kWindowUpdateThreshold) {
            writeRaw(SpdyFramer::encodeWindowUpdate(0, m_sessionUnackedReceived));
            m_sessionUnackedReceived = 0;
        }
        Q_EMIT dataReceived(id, frame.data);
    }
    if (frame.fin() && !m_closed) {
        Q_EMIT remoteFinished(id);
        maybeForget(id);
    }
}

bool SpdyConnection::writeData(quint32 streamId, const QByteArray& data)
{
    auto it = m_streams.find(streamId);
    if (m_closed || it == m_streams.end() || it->second.localClosed || it->second.finQueued)
        return false;
    it->second.queue += data;
    pump();
    return true;
}

void SpdyConnection::finishStream(quint32 streamId)
{
    auto it = m_streams.find(streamId);
    if (m_closed || it == m_streams.end() || it->second.localClosed || it->second.finQueued)
        return;
    it->second.finQueued = true;
    pump();
}

void SpdyConnection::resetStream(quint32 streamId, RstStatus status)
{
    auto it = m_streams.find(streamId);
    if (it != m_streams.end())
        m_streams.erase(it);
    writeRaw(SpdyFramer::encodeRstStream(streamId, status));
}

qint64 SpdyConnection::queuedBytes() const
{
    qint64 total = m_socket ? m_socket->bytesToWrite() : 0;
    for (const auto& [id, stream] : m_streams)
        total += stream.queue.size();
    return total;
}

void SpdyConnection::pump()
{
    if (m_closed || !m_socket)
        return;
    QList<quint32> finished;
    bool progress = true;
    while (progress) {
        progress = false;
        for (auto& [id, stream] : m_streams) {
            if (m_socket->bytesToWrite() >= m_options.maxQueuedBytes)
                return;
            if (!stream.queue.isEmpty()) {
                qint64 allowed = kMaxDataFrame;
                if (m_flowControl)
                    allowed = std::min({allowed, stream.sendWindow, m_sessionSendWindow});
                if (allowed <= 0)
                    continue;
                const qsizetype n = qsizetype(std::min<qint64>(allowed, stream.queue.size()));
                const bool last = n == stream.queue.size() && stream.finQueued;
                writeRaw(SpdyFramer::encodeData(id, QByteArrayView(stream.queue).first(n), last ? kFlagFin : 0));
                stream.queue.remove(0, n);
                stream.sendWindow -= n;
                m_sessionSendWindow -= n;
                if (last) {
                    stream.localClosed = true;
                    finished.append(id);
                }
                progress = true;
            } else if (stream.finQueued && !stream.localClosed) {
                writeRaw(SpdyFramer::encodeData(id, {}, kFlagFin));
                stream.localClosed = true;
                finished.append(id);
            }
        }
    }
    for (quint32 id : finished)
        maybeForget(id);
    if (queuedBytes() < m_options.maxQueuedBytes / 2)
        Q_EMIT writable();
}

void SpdyConnection::maybeForget(quint32 streamId)
{
    auto it = m_streams.find(streamId);
    if (it != m_streams.end() && it->second.localClosed && it->second.remoteClosed)
        m_streams.erase(it);
    if (m_streams.empty() && m_goingAway && !m_closed && !m_draining)
        finishClose(QStringLiteral("peer sent GOAWAY and every stream is closed"));
}

void SpdyConnection::writeRaw(const QByteArray& bytes)
{
    if (m_closed || !m_socket)
        return;
    touch();
    m_socket->write(bytes);
}

void SpdyConnection::goAway(GoAwayStatus status, const QString& reason)
{
    if (m_closed)
        return;
    writeRaw(SpdyFramer::encodeGoAway(m_lastClientStreamId, status));
    m_goingAway = true;
    finishClose(reason);
}

void SpdyConnection::closeAfterDrain(qint64 graceMs)
{
    if (m_closed || m_draining)
        return;
    m_draining = true;
    m_drainDeadline = m_options.clock->schedule(
        graceMs, this, [this] { goAway(GoAwayStatus::Ok, QStringLiteral("session finished (drain timeout)")); });
    pump();
}

void SpdyConnection::finishClose(const QString& reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_idleCheck.cancel();
    m_drainDeadline.cancel();
    m_streams.clear();
    if (QTcpSocket* socket = m_socket; socket) {
        disconnect(socket, nullptr, this, nullptr);
        if (socket->state() != QAbstractSocket::UnconnectedState) {
            // The socket outlives this connection until its last bytes (a GOAWAY, the exit status) are written, or
            // for a few seconds at most when the peer does not read.
            socket->setParent(nullptr);
            connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            m_options.clock->schedule(kFlushOnCloseMs, socket, [socket] {
                socket->abort();
                socket->deleteLater();
            });
            socket->disconnectFromHost(); // writes what is queued first
        }
    }
    qCDebug(lcSpdy) << "SPDY connection closed:" << reason;
    Q_EMIT closed(reason);
}

} // namespace vk::streams::spdy
