// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/WebSocketFramer.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace vk::streams::ws {

bool WebSocketFramer::fail(int code, const QString& message)
{
    m_errorCode = code;
    m_error = message;
    m_buffer.clear();
    return false;
}

bool WebSocketFramer::feed(const QByteArray& bytes, QList<Event>* events)
{
    if (m_errorCode)
        return false;
    m_buffer += bytes;
    for (;;) {
        if (m_buffer.size() < 2)
            return true;
        const auto* p = reinterpret_cast<const uchar*>(m_buffer.constData());
        const bool fin = p[0] & 0x80;
        const quint8 rsv = p[0] & 0x70;
        const quint8 opcode = p[0] & 0x0F;
        const bool masked = p[1] & 0x80;
        quint64 length = p[1] & 0x7F;
        qsizetype header = 2;
        if (rsv)
            return fail(1002, QStringLiteral("reserved bits set without an extension"));
        if (!masked)
            return fail(1002, QStringLiteral("client frames must be masked"));
        if (length == 126) {
            if (m_buffer.size() < 4)
                return true;
            length = qFromBigEndian<quint16>(p + 2);
            header = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return true;
            length = qFromBigEndian<quint64>(p + 2);
            header = 10;
        }
        const bool control = opcode & 0x8;
        if (control && (length > 125 || !fin))
            return fail(1002, QStringLiteral("invalid control frame"));
        if (length > quint64(m_maxMessageBytes) || quint64(m_message.size()) + length > quint64(m_maxMessageBytes))
            return fail(1009, QStringLiteral("message exceeds %1 bytes").arg(m_maxMessageBytes));
        if (quint64(m_buffer.size()) < quint64(header) + 4 + length)
            return true;
        const uchar* mask = p + header;
        QByteArray payload(qsizetype(length), Qt::Uninitialized);
        const uchar* data = mask + 4;
        for (qsizetype i = 0; i < qsizetype(length); ++i)
            payload[i] = char(data[i] ^ mask[i % 4]);
        m_buffer.remove(0, header + 4 + qsizetype(length));

        switch (opcode) {
        case Continuation:
            if (!m_inMessage)
                return fail(1002, QStringLiteral("continuation without a message"));
            m_message += payload;
            break;
        case Text:
        case Binary:
            if (m_inMessage)
                return fail(1002, QStringLiteral("new message inside a fragmented one"));
            m_inMessage = true;
            m_messageOpcode = Opcode(opcode);
            m_message = payload;
            break;
        case Close:
        case Ping:
        case Pong:
            events->append({Opcode(opcode), payload});
            continue;
        default:
            return fail(1002, QStringLiteral("unknown opcode %1").arg(opcode));
        }
        if (fin) {
            m_inMessage = false;
            events->append({m_messageOpcode, std::exchange(m_message, {})});
        }
    }
}

QByteArray WebSocketFramer::frame(Opcode opcode, const QByteArray& payload)
{
    QByteArray out;
    out.reserve(payload.size() + 10);
    out.append(char(0x80 | opcode));
    const quint64 n = quint64(payload.size());
    if (n < 126) {
        out.append(char(n));
    } else if (n <= 0xFFFF) {
        out.append(char(126));
        char len[2];
        qToBigEndian<quint16>(quint16(n), len);
        out.append(len, 2);
    } else {
        out.append(char(127));
        char len[8];
        qToBigEndian<quint64>(n, len);
        out.append(len, 8);
    }
    out.append(payload);
    return out;
}

QByteArray WebSocketFramer::closePayload(int code, const QString& reason)
{
    char c[2];
    qToBigEndian<quint16>(quint16(code), c);
    return QByteArray(c, 2) + reason.toUtf8().left(120);
}

QByteArray WebSocketFramer::acceptKey(const QByteArray& clientKey)
{
    return QCryptographicHash::hash(QByteArray(clientKey.trimmed() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                    QCryptographicHash::Sha1)
        .toBase64();
}

} // namespace vk::streams::ws
