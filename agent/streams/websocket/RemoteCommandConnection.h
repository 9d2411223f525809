// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "streams/Streams.h"
#include "streams/websocket/ChannelCodec.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QWebSocket;

namespace vk::streams::ws {

/// One exec/attach over a Kubernetes channel WebSocket: channel 0 stdin, 1 stdout, 2 stderr, 3 error/status,
/// 4 resize. Creates the provider session, pumps bytes both ways, reports the exit on channel 3 and closes with
/// 1000. Deletes itself (and the socket) once the connection is gone.
class RemoteCommandConnection : public QObject
{
    Q_OBJECT

public:
    enum Channel : quint8
    {
        Stdin = 0,
        Stdout = 1,
        Stderr = 2,
        Error = 3,
        Resize = 4,
    };

    /// Takes ownership of `socket` (already open).
    RemoteCommandConnection(QWebSocket* socket,
                            ChannelProtocol protocol,
                            provider::ExecRequest request,
                            ExecSessionFactory factory,
                            StreamOptions options);
    ~RemoteCommandConnection() override;

    /// The metav1.Status JSON the kubelet writes on the error channel for a finished command (v4+), in Go's field
    /// order: success, NonZeroExitCode with an ExitCode cause, or InternalError for a failure to run it.
    static QByteArray statusJson(const QStringList& command, int exitCode, const Status& status);
    /// The pre-v4 error channel text: empty on success, else the status message.
    static QByteArray statusText(const QStringList& command, int exitCode, const Status& status);

private:
    void start();
    void onMessage(const QByteArray& message);
    void send(quint8 channel, const QByteArray& payload);
    void finish(int exitCode, const Status& status);
    void closeConnection();
    void touch();

    QPointer<QWebSocket> m_socket;
    ChannelCodec m_codec;
    provider::ExecRequest m_request;
    ExecSessionFactory m_factory;
    StreamOptions m_options;
    QPointer<provider::ExecSession> m_session;
    QTimer m_idle;
    bool m_finished = false;
    bool m_stdinClosed = false;
};

} // namespace vk::streams::ws
