// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spdy/SpdyFrame.h"

#include <QString>

#include <memory>
#include <optional>

namespace vk::streams::spdy {

/// SPDY/3 (3.1) frame codec without a socket: feed() whatever bytes arrived (Go writes a frame in several small
/// writes), then take complete frames with next(). Header blocks are zlib-compressed against the SPDY/3 dictionary
/// with one inflate context for everything received and one deflate context for everything sent, as the protocol
/// requires (the contexts live as long as the connection). A malformed or oversized frame puts the framer into a
/// permanent error state: the connection must answer GOAWAY and close.
class SpdyFramer
{
public:
    struct Limits
    {
        quint32 maxFrameBytes = 1 << 20;           ///< payload length of any frame
        qsizetype maxHeaderBlockBytes = 256 << 10; ///< decompressed header block
        quint32 maxHeaderPairs = 1024;
    };

    SpdyFramer();
    explicit SpdyFramer(Limits limits);
    ~SpdyFramer();
    SpdyFramer(const SpdyFramer&) = delete;
    SpdyFramer& operator=(const SpdyFramer&) = delete;

    // --- decoding ------------------------------------------------------------------------------------------------
    void feed(QByteArrayView bytes);
    /// The next complete frame, or nothing when more bytes are needed or after an error. Unknown control frame
    /// types are skipped, as SPDY/3 says.
    std::optional<SpdyFrame> next();
    bool hasError() const { return !m_error.isEmpty(); }
    /// What was wrong, e.g. "SPDY frame too large: 2000000 bytes (limit 1048576)".
    QString errorString() const { return m_error; }
    /// The stream the failing frame belonged to (0 for session-level problems).
    quint32 errorStreamId() const { return m_errorStreamId; }
    /// Bytes buffered but not yet a whole frame.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }

    // --- encoding ------------------------------------------------------------------------------------------------
    QByteArray encodeSynStream(
        quint32 streamId, const SpdyHeaders& headers, quint8 flags = 0, quint32 associatedId = 0, quint8 priority = 0);
    QByteArray encodeSynReply(quint32 streamId, const SpdyHeaders& headers, quint8 flags = 0);
    QByteArray encodeHeaders(quint32 streamId, const SpdyHeaders& headers, quint8 flags = 0);
    static QByteArray encodeData(quint32 streamId, QByteArrayView data, quint8 flags = 0);
    static QByteArray encodeRstStream(quint32 streamId, RstStatus status);
    static QByteArray encodeSettings(const QList<SpdySetting>& settings, quint8 flags = 0);
    static QByteArray encodePing(quint32 id);
    static QByteArray encodeGoAway(quint32 lastGoodStreamId, GoAwayStatus status);
    static QByteArray encodeWindowUpdate(quint32 streamId, quint32 delta);
    /// A control frame with an arbitrary type and payload (tests of malformed input).
    static QByteArray encodeControl(quint16 type, quint8 flags, const QByteArray& payload, quint16 version = 3);

    /// The uncompressed header block (count, then length-prefixed names and values).
    static QByteArray serializeHeaderBlock(const SpdyHeaders& headers);

private:
    bool fail(const QString& message, quint32 streamId = 0);
    bool decodeHeaderBlock(QByteArrayView compressed, quint32 streamId, SpdyHeaders* out);
    bool parseHeaderBlock(const QByteArray& plain, quint32 streamId, SpdyHeaders* out);
    QByteArray compress(const QByteArray& plain);

    struct Zlib;
    Limits m_limits;
    std::unique_ptr<Zlib> m_zlib;
    QByteArray m_buffer;
    qsizetype m_offset = 0;
    QString m_error;
    quint32 m_errorStreamId = 0;
};

} // namespace vk::streams::spdy
