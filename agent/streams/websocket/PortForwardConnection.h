// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "streams/Streams.h"
#include "streams/websocket/ChannelCodec.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QWebSocket;

namespace vk::streams::ws {

/// Port-forward over the kubelet's WebSocket channel protocol: for port i of the request, data on channel 2i
/// (both ways) and errors on channel 2i+1 (server to client); each channel's first message is the port as
/// 2 bytes little-endian. Closes with 1000 once every port's stream has ended; deletes itself when the connection
/// is gone.
class PortForwardConnection : public QObject
{
    Q_OBJECT

public:
    /// Takes ownership of `socket` (already open). `podName` only names the pod in error texts.
    PortForwardConnection(QWebSocket* socket,
                          ChannelProtocol protocol,
                          QList<quint16> ports,
                          QString podName,
                          PortForwardFactory factory,
                          StreamOptions options);
    ~PortForwardConnection() override;

    /// The ports of ?port=80&port=8080 or ?ports=80,8080 (both forms, repeated or comma-separated, as the kubelet
    /// parses "port"); an error naming the bad value.
    static Result<QList<quint16>> parsePorts(const QStringList& values);

private:
    struct Port
    {
        quint16 port = 0;
        QPointer<provider::PortForwardStream> stream;
        bool done = false;
    };

    void start();
    void onMessage(const QByteArray& message);
    void send(quint8 channel, const QByteArray& payload);
    void portDone(int index, const QString& error);
    void closeAll();
    void touch();

    QPointer<QWebSocket> m_socket;
    ChannelCodec m_codec;
    QList<Port> m_ports;
    QString m_podName;
    PortForwardFactory m_factory;
    StreamOptions m_options;
    QTimer m_idle;
    bool m_closing = false;
};

} // namespace vk::streams::ws
