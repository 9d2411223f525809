// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace vk::streams::spdy {

/// Header name/value pairs of a SYN_STREAM, SYN_REPLY or HEADERS frame. Names are lower-case; a value that
/// arrived NUL-separated is split into several pairs with the same name.
using SpdyHeaders = QList<QPair<QByteArray, QByteArray>>;

/// First value of a header (name compared case-insensitively); empty when absent.
QByteArray headerValue(const SpdyHeaders& headers, QByteArrayView name);

enum class FrameType : quint16
{
    Data = 0, ///< not a control frame type on the wire; used for DATA frames
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
};

/// Frame flags (DATA and control frames share FIN = 0x01).
inline constexpr quint8 kFlagFin = 0x01;
inline constexpr quint8 kFlagUnidirectional = 0x02;

/// RST_STREAM status codes.
enum class RstStatus : quint32
{
    ProtocolError = 1,
    InvalidStream = 2,
    RefusedStream = 3,
    UnsupportedVersion = 4,
    Cancel = 5,
    InternalError = 6,
    FlowControlError = 7,
    StreamInUse = 8,
    StreamAlreadyClosed = 9,
    FrameTooLarge = 11,
};

/// GOAWAY status codes.
enum class GoAwayStatus : quint32
{
    Ok = 0,
    ProtocolError = 1,
    InternalError = 2,
};

/// SETTINGS ids used here.
inline constexpr quint32 kSettingsMaxConcurrentStreams = 4;
inline constexpr quint32 kSettingsInitialWindowSize = 7;

struct SpdySetting
{
    quint8 flags = 0;
    quint32 id = 0;
    quint32 value = 0;
};

/// One decoded frame; which fields are meaningful depends on type.
struct SpdyFrame
{
    FrameType type = FrameType::Data;
    quint8 flags = 0;
    quint32 streamId = 0;         ///< DATA, SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE
    quint32 associatedId = 0;     ///< SYN_STREAM
    quint8 priority = 0;          ///< SYN_STREAM (0..7)
    SpdyHeaders headers;          ///< SYN_STREAM, SYN_REPLY, HEADERS
    QByteArray data;              ///< DATA
    quint32 status = 0;           ///< RST_STREAM, GOAWAY
    quint32 pingId = 0;           ///< PING
    quint32 lastGoodStreamId = 0; ///< GOAWAY
    quint32 deltaWindowSize = 0;  ///< WINDOW_UPDATE
    QList<SpdySetting> settings;  ///< SETTINGS

    bool fin() const { return (flags & kFlagFin) != 0; }
};

} // namespace vk::streams::spdy
