// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "spdy/SpdyFramer.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <map>

namespace vk::streams::spdy {

/// The server side of one SPDY/3.1 connection on an upgraded socket, as spdystream speaks it: accepts the
/// client's streams (odd ids) and answers each SYN_STREAM with an empty SYN_REPLY, delivers DATA per stream,
/// answers PING, sends WINDOW_UPDATE as data is consumed, queues output per stream and honours the peer's send
/// windows once the peer shows it does flow control (Go's spdystream, i.e. kubectl and kube-apiserver, never sends
/// WINDOW_UPDATE and does not enforce windows, so enforcing them against it would stall after 64 KiB).
/// Malformed input gets GOAWAY(PROTOCOL_ERROR) and the connection closes; a stream over the limit gets
/// RST_STREAM(REFUSED_STREAM). The connection owns the socket.
class SpdyConnection : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        qint64 idleTimeoutMs = 30'000; ///< close when no frame went either way this long (0: never)
        int maxStreams = 100;          ///< concurrently open client streams
        SpdyFramer::Limits limits;
        qint64 maxQueuedBytes = 4 << 20; ///< per-connection output queued in front of the socket
        Clock* clock = Clock::system();
    };

    SpdyConnection(QTcpSocket* socket, Options options, QObject* parent = nullptr);
    ~SpdyConnection() override;

    /// Starts reading; `early` are bytes of the SPDY session that arrived with the HTTP request head.
    void start(const QByteArray& early = {});

    /// Queues bytes on a stream (split into DATA frames, within the peer's windows). False when the stream is not
    /// open for writing.
    bool writeData(quint32 streamId, const QByteArray& data);
    /// Half-closes our side of the stream (DATA with FIN once the queue is written).
    void finishStream(quint32 streamId);
    void resetStream(quint32 streamId, RstStatus status);
    /// GOAWAY, then close once the output is written.
    void goAway(GoAwayStatus status, const QString& reason);
    /// Closes after our queued output is written and the peer closed, or after graceMs at the latest.
    void closeAfterDrain(qint64 graceMs);

    bool isClosed() const { return m_closed; }
    /// Output bytes queued (streams and socket), for back-pressure.
    qint64 queuedBytes() const;
    int openStreamCount() const { return int(m_streams.size()); }
    QTcpSocket* socket() const { return m_socket; }

Q_SIGNALS:
    void streamOpened(quint32 streamId, const vk::streams::spdy::SpdyHeaders& headers);
    void dataReceived(quint32 streamId, const QByteArray& data);
    /// The client sent FIN on the stream: no more data from it.
    void remoteFinished(quint32 streamId);
    void streamReset(quint32 streamId);
    /// Queued output drained below the limit again.
    void writable();
    /// The connection is gone (peer closed, idle timeout, protocol error, or after goAway/closeAfterDrain).
    void closed(const QString& reason);

private:
    struct Stream
    {
        SpdyHeaders headers;
        bool remoteClosed = false;
        bool localClosed = false; ///< FIN sent
        bool finQueued = false;
        QByteArray queue;
        qint64 sendWindow = 65536;
        quint32 unackedReceived = 0;
    };

    void onReadyRead();
    void handleFrame(SpdyFrame& frame);
    void handleSynStream(SpdyFrame& frame);
    void handleData(SpdyFrame& frame);
    void pump();
    void writeRaw(const QByteArray& bytes);
    void maybeForget(quint32 streamId);
    void touch();
    void armIdleCheck(qint64 delayMs);
    void finishClose(const QString& reason);

    QPointer<QTcpSocket> m_socket;
    Options m_options;
    SpdyFramer m_framer;
    std::map<quint32, Stream> m_streams;
    quint32 m_lastClientStreamId = 0;
    bool m_flowControl = false; ///< the peer sends WINDOW_UPDATE/SETTINGS: honour its windows
    qint64 m_sessionSendWindow = 65536;
    qint64 m_initialSendWindow = 65536;
    quint32 m_sessionUnackedReceived = 0;
    bool m_goingAway = false;
    bool m_draining = false;
    bool m_closed = false;
    qint64 m_lastActivityMs = 0;
    ScheduledCall m_idleCheck;
    ScheduledCall m_drainDeadline;
};

} // namespace vk::streams::spdy
