// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "provider/Provider.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace vk::streams::ws {

/// The Kubernetes channel subprotocol a WebSocket connection negotiated.
struct ChannelProtocol
{
    int version = 1;     ///< 1 ("" and channel.k8s.io) to 5 (v5.channel.k8s.io)
    bool base64 = false; ///< base64.channel.k8s.io, v4.base64.channel.k8s.io: text messages, base64 payloads

    /// "" → v1 binary; unknown names → nullopt.
    static std::optional<ChannelProtocol> fromName(const QString& name);
    /// v5 adds the CLOSE signal (channel 255 followed by the closed channel's id).
    bool hasCloseSignal() const { return version >= 5 && !base64; }
    /// v4+ report the exit as a metav1.Status JSON on the error channel; older versions as plain text.
    bool statusAsJson() const { return version >= 4; }

    friend bool operator==(const ChannelProtocol&, const ChannelProtocol&) = default;
};

/// Subprotocols offered for exec/attach, best first.
QStringList remoteCommandSubprotocols();
/// Subprotocols offered for port-forward (the kubelet's: v4 binary and base64).
QStringList portForwardSubprotocols();

/// One decoded client message.
struct ChannelMessage
{
    enum Kind
    {
        Data,    ///< payload for `channel`
        Close,   ///< v5 CLOSE signal: the client will send nothing more on `channel`
        Ignored, ///< empty, malformed, oversized or for an unknown channel; `reason` says why
    };
    Kind kind = Ignored;
    quint8 channel = 0;
    QByteArray payload;
    QString reason;
};

/// Socket-free framing of the Kubernetes channel protocols: the first byte of a binary message is the channel
/// (a digit character in the base64 protocols, followed by base64 payload). Decoding never fails hard: anything
/// it cannot use comes back as Ignored with a reason.
class ChannelCodec
{
public:
    static constexpr quint8 kCloseSignal = 255;
    static constexpr qsizetype kDefaultMaxMessageBytes = 4 * 1024 * 1024;

    ChannelCodec(ChannelProtocol protocol, int channelCount, qsizetype maxMessageBytes = kDefaultMaxMessageBytes);

    const ChannelProtocol& protocol() const { return m_protocol; }
    int channelCount() const { return m_channelCount; }
    /// True when messages go out as text (the base64 protocols).
    bool textMessages() const { return m_protocol.base64; }

    ChannelMessage decode(const QByteArray& message) const;
    /// The message to send `payload` on `channel` (as a text message when textMessages()).
    QByteArray encode(quint8 channel, const QByteArray& payload) const;

private:
    ChannelProtocol m_protocol;
    int m_channelCount;
    qsizetype m_maxMessageBytes;
};

/// The resize channel's JSON {"Width":80,"Height":24} (field names case-insensitive, as Go decodes them);
/// nullopt for anything else (not an object, negative or out-of-range sizes, wrong types).
std::optional<provider::TerminalSize> parseTerminalSize(const QByteArray& json);

} // namespace vk::streams::ws
