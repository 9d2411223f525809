// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spdy/SpdyConnection.h"
#include "streams/Streams.h"

#include <QPointer>

namespace vk::streams::spdy {

/// One exec/attach over SPDY: waits for the client's streams (error, stdin, stdout, stderr, resize), creates the
/// provider session, pipes the bytes, writes the exit status on the error stream and closes. Deletes itself when
/// the connection is gone. serveSpdyRemoteCommand() creates it; tests may drive it on any socket.
class SpdyRemoteCommand : public QObject
{
    Q_OBJECT

public:
    struct Expected
    {
        bool stdinStream = false;
        bool stdoutStream = false;
        bool stderrStream = false;
        bool tty = false;
    };

    SpdyRemoteCommand(QTcpSocket* socket,
                      QByteArray protocol,
                      Expected expected,
                      provider::ExecRequest base,
                      ExecSessionFactory factory,
                      StreamOptions options,
                      QObject* parent = nullptr);
    ~SpdyRemoteCommand() override;

    void start(const QByteArray& early);

    /// Reads the expectations from the query (stdin/stdout/stderr/tty = 1 or true; stderr is off with tty).
    static Expected expectedFromQuery(const http::HttpRequest& request);

private:
    int protocolVersion() const; ///< 1..5
    void onStreamOpened(quint32 id, const SpdyHeaders& headers);
    void onData(quint32 id, const QByteArray& data);
    void onRemoteFinished(quint32 id);
    void maybeStartSession();
    void startSession();
    void handleResize();
    void finish(int exitCode, const Status& status);
    void writeStatus(const QByteArray& json, const QString& text);
    void onClosed();

    SpdyConnection* m_connection;
    QByteArray m_protocol;
    Expected m_expected;
    provider::ExecRequest m_base;
    ExecSessionFactory m_factory;
    StreamOptions m_options;
    int m_expectedCount = 1;
    int m_receivedCount = 0;
    quint32 m_errorStream = 0;
    quint32 m_stdinStream = 0;
    quint32 m_stdoutStream = 0;
    quint32 m_stderrStream = 0;
    quint32 m_resizeStream = 0;
    QByteArray m_pendingStdin;
    bool m_stdinFinished = false;
    QByteArray m_resizeBuffer;
    QPointer<provider::ExecSession> m_session;
    bool m_started = false;
    bool m_finished = false;
    ScheduledCall m_creationDeadline;
};

} // namespace vk::streams::spdy
