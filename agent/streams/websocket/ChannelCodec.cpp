// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/ChannelCodec.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace vk::streams::ws {

std::optional<ChannelProtocol> ChannelProtocol::fromName(const QString& name)
{
    if (name.isEmpty() || name == QLatin1String("channel.k8s.io"))
        return ChannelProtocol{1, false};
    if (name == QLatin1String("base64.channel.k8s.io"))
        return ChannelProtocol{1, true};
    if (name == QLatin1String("v4.base64.channel.k8s.io"))
        return ChannelProtocol{4, true};
    for (int v = 2; v <= 5; ++v) {
        if (name == QStringLiteral("v%1.channel.k8s.io").arg(v))
            return ChannelProtocol{v, false};
    }
    return std::nullopt;
}

QStringList remoteCommandSubprotocols()
{
    return {QStringLiteral("v5.channel.k8s.io"),        QStringLiteral("v4.channel.k8s.io"),
            QStringLiteral("v4.base64.channel.k8s.io"), QStringLiteral("v3.channel.k8s.io"),
            QStringLiteral("v2.channel.k8s.io"),        QStringLiteral("channel.k8s.io"),
            QStringLiteral("base64.channel.k8s.io")};
}

QStringList portForwardSubprotocols()
{
    return {QStringLiteral("v4.channel.k8s.io"), QStringLiteral("v4.base64.channel.k8s.io")};
}

ChannelCodec::ChannelCodec(ChannelProtocol protocol, int channelCount, qsizetype maxMessageBytes)
    : m_protocol(protocol), m_channelCount(channelCount), m_maxMessageBytes(maxMessageBytes)
{}

ChannelMessage ChannelCodec::decode(const QByteArray& message) const
{
    ChannelMessage out;
    if (message.isEmpty()) {
        out.reason = QStringLiteral("empty message");
        return out;
    }
    if (message.size() > m_maxMessageBytes) {
        out.reason =
            QStringLiteral("message of %1 bytes exceeds the limit of %2").arg(message.size()).arg(m_maxMessageBytes);
        return out;
    }
    const quint8 first = quint8(message.at(0));
    if (m_protocol.hasCloseSignal() && first == kCloseSignal) {
        if (message.size() != 2) {
            out.reason = QStringLiteral("close signal of %1 bytes, expected 2").arg(message.size());
            return out;
        }
        const quint8 closed = quint8(message.at(1));
        if (closed >= m_channelCount) {
            out.reason = QStringLiteral("close signal for unknown channel %1").arg(closed);
            return out;
        }
        out.kind = ChannelMessage::Close;
        out.channel = closed;
        return out;
    }
    int channel = first;
    if (m_protocol.base64) {
        if (first < '0') {
            out.reason = QStringLiteral("channel character 0x%1 is not a digit").arg(first, 2, 16, QLatin1Char('0'));
            return out;
        }
        channel = first - '0';
    }
    if (channel >= m_channelCount) {
        out.reason = QStringLiteral("message for unknown channel %1").arg(channel);
        return out;
    }
    out.channel = quint8(channel);
    if (m_protocol.base64) {
        auto decoded = QByteArray::fromBase64Encoding(message.mid(1), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            out.reason = QStringLiteral("invalid base64 payload on channel %1").arg(channel);
            return out;
        }
        out.payload = std::move(*decoded);
    } else {
        out.payload = message.mid(1);
    }
    out.kind = ChannelMessage::Data;
    return out;
}

QByteArray ChannelCodec::encode(quint8 channel, const QByteArray& payload) const
{
    QByteArray out;
    if (m_protocol.base64) {
        const QByteArray encoded = payload.toBase64();
        out.reserve(encoded.size() + 1);
        out.append(char('0' + channel));
        out.append(encoded);
    } else {
        out.reserve(payload.size() + 1);
        out.append(char(channel));
        out.append(payload);
    }
    return out;
}

std::optional<provider::TerminalSize> parseTerminalSize(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.trimmed(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject object = doc.object();
    std::optional<double> width;
    std::optional<double> height;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key().toLower();
        if (key != QLatin1String("width") && key != QLatin1String("height"))
            continue;
        if (!it.value().isDouble())
            return std::nullopt;
        const double v = it.value().toDouble();
        if (v < 0 || v > 65535 || v != double(qint64(v)))
            return std::nullopt;
        (key == QLatin1String("width") ? width : height) = v;
    }
    if (!width && !height)
        return std::nullopt;
    provider::TerminalSize size;
    size.width = quint16(width.value_or(0));
    size.height = quint16(height.value_or(0));
    return size;
}

} // namespace vk::streams::ws
