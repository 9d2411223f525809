// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace vk::streams::ws {

/// A minimal server-side RFC 6455 framer, socket-free, for the SPDY tunnel: Qt's QWebSocketServer refuses
/// subprotocol names with '/' ("SPDY/3.1+portforward.k8s.io"), so that handshake and its frames are done here.
/// Client frames must be masked; fragmented messages are reassembled; no extensions.
class WebSocketFramer
{
public:
    enum Opcode : quint8
    {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA,
    };

    struct Event
    {
        Opcode opcode = Binary; ///< Binary or Text (a whole message), Close, Ping, Pong
        QByteArray payload;
    };

    explicit WebSocketFramer(qsizetype maxMessageBytes = 4 * 1024 * 1024) : m_maxMessageBytes(maxMessageBytes) {}

    /// Consumes bytes; appends complete events. False on a protocol error (errorCloseCode()/errorString() say
    /// which); the connection must then be closed.
    bool feed(const QByteArray& bytes, QList<Event>* events);
    int errorCloseCode() const { return m_errorCode; }
    const QString& errorString() const { return m_error; }

    /// One unmasked server frame with FIN set.
    static QByteArray frame(Opcode opcode, const QByteArray& payload);
    /// A Close frame's payload: the code (big-endian) and a reason.
    static QByteArray closePayload(int code, const QString& reason);
    /// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
    static QByteArray acceptKey(const QByteArray& clientKey);

private:
    bool fail(int code, const QString& message);

    qsizetype m_maxMessageBytes;
    QByteArray m_buffer;
    QByteArray m_message;
    Opcode m_messageOpcode = Binary;
    bool m_inMessage = false;
    int m_errorCode = 0;
    QString m_error;
};

} // namespace vk::streams::ws
