// SPDX-License-Identifier: Apache-2.0
#include "spdy/SpdyFramer.h"

#include "spdy/SpdyDictionary.h"

#include <zlib.h>

namespace vk::streams::spdy {

namespace {

constexpr quint16 kVersion = 3;

quint32 readU32(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return (quint32(u[0]) << 24) | (quint32(u[1]) << 16) | (quint32(u[2]) << 8) | quint32(u[3]);
}

void appendU32(QByteArray& out, quint32 v)
{
    out.append(char(v >> 24));
    out.append(char(v >> 16));
    out.append(char(v >> 8));
    out.append(char(v));
}

void appendU16(QByteArray& out, quint16 v)
{
    out.append(char(v >> 8));
    out.append(char(v));
}

QByteArray controlHeader(quint16 type, quint8 flags, quint32 length, quint16 version = kVersion)
{
    QByteArray out;
    out.reserve(8 + qsizetype(length));
    appendU16(out, quint16(0x8000 | (version & 0x7fff)));
    appendU16(out, type);
    appendU32(out, (quint32(flags) << 24) | (length & 0xffffff));
    return out;
}

QString typeName(quint16 type)
{
    switch (FrameType(type)) {
    case FrameType::SynStream:
        return QStringLiteral("SYN_STREAM");
    case FrameType::SynReply:
        return QStringLiteral("SYN_REPLY");
    case FrameType::RstStream:
        return QStringLiteral("RST_STREAM");
    case FrameType::Settings:
        return QStringLiteral("SETTINGS");
    case FrameType::Ping:
        return QStringLiteral("PING");
    case FrameType::GoAway:
        return QStringLiteral("GOAWAY");
    case FrameType::Headers:
        return QStringLiteral("HEADERS");
    case FrameType::WindowUpdate:
        return QStringLiteral("WINDOW_UPDATE");
    case FrameType::Data:
        break;
    }
    return QStringLiteral("type %1").arg(type);
}

} // namespace

QByteArray headerValue(const SpdyHeaders& headers, QByteArrayView name)
{
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

struct SpdyFramer::Zlib
{
    z_stream inflater{};
    z_stream deflater{};
    bool inflaterOk = false;
    bool deflaterOk = false;

    Zlib()
    {
        inflaterOk = inflateInit(&inflater) == Z_OK;
        deflaterOk = deflateInit(&deflater, Z_DEFAULT_COMPRESSION) == Z_OK;
        if (deflaterOk) {
            const QByteArrayView dict = headerDictionary();
            deflaterOk =
                deflateSetDictionary(&deflater, reinterpret_cast<const Bytef*>(dict.data()), uInt(dict.size())) == Z_OK;
        }
    }
    ~Zlib()
    {
        inflateEnd(&inflater);
        deflateEnd(&deflater);
    }
};

SpdyFramer::SpdyFramer() : SpdyFramer(Limits{}) {}

SpdyFramer::SpdyFramer(Limits limits) : m_limits(limits), m_zlib(std::make_unique<Zlib>()) {}

SpdyFramer::~SpdyFramer() = default;

void SpdyFramer::feed(QByteArrayView bytes)
{
    if (hasError())
        return;
    if (m_offset > 0 && m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset > (64 << 10) && m_offset > m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(bytes.data(), bytes.size());
}

bool SpdyFramer::fail(const QString& message, quint32 streamId)
{
    m_error = message;
    m_errorStreamId = streamId;
    m_buffer.clear();
    m_offset = 0;
    return false;
}

std::optional<SpdyFrame> SpdyFramer::next()
{
    while (!hasError()) {
        if (m_buffer.size() - m_offset < 8)
            return std::nullopt;
        const char* head = m_buffer.constData() + m_offset;
        const quint32 word0 = readU32(head);
        const quint32 word1 = readU32(head + 4);
        const quint8 flags = quint8(word1 >> 24);
        const quint32 length = word1 & 0xffffff;
        const bool control = (word0 & 0x80000000u) != 0;
        if (length > m_limits.maxFrameBytes) {
            fail(QStringLiteral("SPDY frame too large: %1 bytes (limit %2)").arg(length).arg(m_limits.maxFrameBytes),
                 control ? 0 : (word0 & 0x7fffffff));
            return std::nullopt;
        }
        if (m_buffer.size() - m_offset < 8 + qsizetype(length))
            return std::nullopt;
        const QByteArrayView payload(head + 8, qsizetype(length));
        m_offset += 8 + qsizetype(length);

        SpdyFrame frame;
        frame.flags = flags;
        if (!control) {
            frame.type = FrameType::Data;
            frame.streamId = word0 & 0x7fffffff;
            if (frame.streamId == 0) {
                fail(QStringLiteral("SPDY DATA frame on stream 0"));
                return std::nullopt;
            }
            frame.data = payload.toByteArray();
            return frame;
        }

        const quint16 version = quint16((word0 >> 16) & 0x7fff);
        const quint16 type = quint16(word0 & 0xffff);
        if (version != kVersion) {
            fail(QStringLiteral("unsupported SPDY version %1 in a %2 frame (only 3 is spoken)")
                     .arg(version)
                     .arg(typeName(type)));
            return std::nullopt;
        }
        auto needLength = [&](qsizetype min, bool exact) {
            if (exact ? payload.size() == min : payload.size() >= min)
                return true;
            fail(
                QStringLiteral("malformed SPDY %1 frame: payload of %2 bytes").arg(typeName(type)).arg(payload.size()));
            return false;
        };
        const char* p = payload.data();
        switch (FrameType(type)) {
        case FrameType::SynStream:
            if (!needLength(10, false))
                return std::nullopt;
            frame.type = FrameType::SynStream;
            frame.streamId = readU32(p) & 0x7fffffff;
            frame.associatedId = readU32(p + 4) & 0x7fffffff;
            frame.priority = quint8(quint8(p[8]) >> 5);
            if (!decodeHeaderBlock(payload.sliced(10), frame.streamId, &frame.headers))
                return std::nullopt;
            if (frame.streamId == 0) {
                fail(QStringLiteral("SPDY SYN_STREAM with stream id 0"));
                return std::nullopt;
            }
            return frame;
        case FrameType::SynReply:
        case FrameType::Headers:
            if (!needLength(4, false))
                return std::nullopt;
            frame.type = FrameType(type);
            frame.streamId = readU32(p) & 0x7fffffff;
            if (!decodeHeaderBlock(payload.sliced(4), frame.streamId, &frame.headers))
                return std::nullopt;
            if (frame.streamId == 0) {
                fail(QStringLiteral("SPDY %1 with stream id 0").arg(typeName(type)));
                return std::nullopt;
            }
            return frame;
        case FrameType::RstStream:
            if (!needLength(8, true))
                return std::nullopt;
            frame.type = FrameType::RstStream;
            frame.streamId = readU32(p) & 0x7fffffff;
            frame.status = readU32(p + 4);
            if (frame.streamId == 0 || frame.status == 0) {
                fail(QStringLiteral("malformed SPDY RST_STREAM: stream %1, status %2")
                         .arg(frame.streamId)
                         .arg(frame.status));
                return std::nullopt;
            }
            return frame;
        case FrameType::Settings: {
            if (!needLength(4, false))
                return std::nullopt;
            const quint32 count = readU32(p);
            if (qint64(payload.size()) != 4 + qint64(count) * 8) {
                fail(QStringLiteral("malformed SPDY SETTINGS: %1 entries in %2 bytes").arg(count).arg(payload.size()));
                return std::nullopt;
            }
            frame.type = FrameType::Settings;
            for (quint32 i = 0; i < count; ++i) {
                const quint32 idWord = readU32(p + 4 + i * 8);
                frame.settings.append({quint8(idWord >> 24), idWord & 0xffffff, readU32(p + 8 + i * 8)});
            }
            return frame;
        }
        case FrameType::Ping:
            if (!needLength(4, true))
                return std::nullopt;
            frame.type = FrameType::Ping;
            frame.pingId = readU32(p);
            return frame;
        case FrameType::GoAway:
            if (!needLength(8, true))
                return std::nullopt;
            frame.type = FrameType::GoAway;
            frame.lastGoodStreamId = readU32(p) & 0x7fffffff;
            frame.status = readU32(p + 4);
            return frame;
        case FrameType::WindowUpdate:
            if (!needLength(8, true))
                return std::nullopt;
            frame.type = FrameType::WindowUpdate;
            frame.streamId = readU32(p) & 0x7fffffff;
            frame.deltaWindowSize = readU32(p + 4) & 0x7fffffff;
            if (frame.deltaWindowSize == 0) {
                fail(QStringLiteral("malformed SPDY WINDOW_UPDATE: delta 0 on stream %1").arg(frame.streamId),
                     frame.streamId);
                return std::nullopt;
            }
            return frame;
        case FrameType::Data:
            break;
        }
        // Unknown control frame types (NOOP, CREDENTIAL, future ones) are ignored.
    }
    return std::nullopt;
}

bool SpdyFramer::decodeHeaderBlock(QByteArrayView compressed, quint32 streamId, SpdyHeaders* out)
{
    if (!m_zlib->inflaterOk)
        return fail(QStringLiteral("SPDY header decompression unavailable (zlib init failed)"));
    z_stream& z = m_zlib->inflater;
    QByteArray plain;
    char chunk[4096];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    z.avail_in = uInt(compressed.size());
    while (z.avail_in > 0) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof(chunk);
        int rc = inflate(&z, Z_SYNC_FLUSH);
        if (rc == Z_NEED_DICT) {
            const QByteArrayView dict = headerDictionary();
            if (inflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dict.data()), uInt(dict.size())) != Z_OK)
                return fail(
                    QStringLiteral("SPDY header block on stream %1 uses an unknown zlib dictionary").arg(streamId),
                    streamId);
            rc = Z_OK;
        }
        plain.append(chunk, qsizetype(sizeof(chunk) - z.avail_out));
        if (plain.size() > m_limits.maxHeaderBlockBytes)
            return fail(QStringLiteral("SPDY header block on stream %1 exceeds %2 bytes")
                            .arg(streamId)
                            .arg(m_limits.maxHeaderBlockBytes),
                        streamId);
        if (rc == Z_BUF_ERROR && z.avail_out == sizeof(chunk))
            break; // no progress possible: the rest is not a complete deflate unit
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return fail(QStringLiteral("corrupt SPDY header block on stream %1: zlib error %2").arg(streamId).arg(rc),
                        streamId);
    }
    // Flush any output still held back by inflate.
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof(chunk);
        const int rc = inflate(&z, Z_SYNC_FLUSH);
        plain.append(chunk, qsizetype(sizeof(chunk) - z.avail_out));
        if (plain.size() > m_limits.maxHeaderBlockBytes)
            return fail(QStringLiteral("SPDY header block on stream %1 exceeds %2 bytes")
                            .arg(streamId)
                            .arg(m_limits.maxHeaderBlockBytes),
                        streamId);
        if (rc != Z_OK || z.avail_out != 0)
            break;
    }
    if (z.avail_in > 0)
        return fail(QStringLiteral("corrupt SPDY header block on stream %1").arg(streamId), streamId);
    return parseHeaderBlock(plain, streamId, out);
}

bool SpdyFramer::parseHeaderBlock(const QByteArray& plain, quint32 streamId, SpdyHeaders* out)
{
    auto bad = [&](const QString& what) {
        return fail(QStringLiteral("malformed SPDY header block on stream %1: %2").arg(streamId).arg(what), streamId);
    };
    if (plain.size() < 4)
        return bad(QStringLiteral("%1 bytes").arg(plain.size()));
    const char* p = plain.constData();
    const qsizetype size = plain.size();
    const quint32 count = readU32(p);
    if (count > m_limits.maxHeaderPairs)
        return bad(QStringLiteral("%1 pairs (limit %2)").arg(count).arg(m_limits.maxHeaderPairs));
    qsizetype pos = 4;
    auto readString = [&](QByteArray* s) {
        if (size - pos < 4)
            return false;
        const quint32 len = readU32(p + pos);
        pos += 4;
        if (qint64(len) > qint64(size - pos))
            return false;
        *s = QByteArray(p + pos, qsizetype(len));
        pos += qsizetype(len);
        return true;
    };
    for (quint32 i = 0; i < count; ++i) {
        QByteArray name;
        QByteArray value;
        if (!readString(&name) || !readString(&value))
            return bad(QStringLiteral("pair %1 runs past the end").arg(i));
        if (name.isEmpty())
            return bad(QStringLiteral("empty header name"));
        name = name.toLower();
        for (const QByteArray& v : value.split('\0'))
            out->append({name, v});
    }
    if (pos != size)
        return bad(QStringLiteral("%1 trailing bytes").arg(size - pos));
    return true;
}

QByteArray SpdyFramer::serializeHeaderBlock(const SpdyHeaders& headers)
{
    // Repeated names travel as one NUL-separated value, as Go's framer writes http.Header.
    QList<QPair<QByteArray, QByteArray>> merged;
    for (const auto& [name, value] : headers) {
        const QByteArray lower = name.toLower();
        auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& e) { return e.first == lower; });
        if (it == merged.end())
            merged.append({lower, value});
        else
            it->second += '\0' + value;
    }
    QByteArray out;
    appendU32(out, quint32(merged.size()));
    for (const auto& [name, value] : merged) {
        appendU32(out, quint32(name.size()));
        out += name;
        appendU32(out, quint32(value.size()));
        out += value;
    }
    return out;
}

QByteArray SpdyFramer::compress(const QByteArray& plain)
{
    QByteArray out;
    if (!m_zlib->deflaterOk)
        return out;
    z_stream& z = m_zlib->deflater;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.constData()));
    z.avail_in = uInt(plain.size());
    char chunk[4096];
    do {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof(chunk);
        deflate(&z, Z_SYNC_FLUSH);
        out.append(chunk, qsizetype(sizeof(chunk) - z.avail_out));
    } while (z.avail_out == 0);
    return out;
}

QByteArray SpdyFramer::encodeSynStream(
    quint32 streamId, const SpdyHeaders& headers, quint8 flags, quint32 associatedId, quint8 priority)
{
    const QByteArray block = compress(serializeHeaderBlock(headers));
    QByteArray out = controlHeader(quint16(FrameType::SynStream), flags, quint32(10 + block.size()));
    appendU32(out, streamId & 0x7fffffff);
    appendU32(out, associatedId & 0x7fffffff);
    out.append(char((priority & 0x7) << 5));
    out.append(char(0)); // slot
    out += block;
    return out;
}

QByteArray SpdyFramer::encodeSynReply(quint32 streamId, const SpdyHeaders& headers, quint8 flags)
{
    const QByteArray block = compress(serializeHeaderBlock(headers));
    QByteArray out = controlHeader(quint16(FrameType::SynReply), flags, quint32(4 + block.size()));
    appendU32(out, streamId & 0x7fffffff);
    out += block;
    return out;
}

QByteArray SpdyFramer::encodeHeaders(quint32 streamId, const SpdyHeaders& headers, quint8 flags)
{
    const QByteArray block = compress(serializeHeaderBlock(headers));
    QByteArray out = controlHeader(quint16(FrameType::Headers), flags, quint32(4 + block.size()));
    appendU32(out, streamId & 0x7fffffff);
    out += block;
    return out;
}

QByteArray SpdyFramer::encodeData(quint32 streamId, QByteArrayView data, quint8 flags)
{
    QByteArray out;
    out.reserve(8 + data.size());
    appendU32(out, streamId & 0x7fffffff);
    appendU32(out, (quint32(flags) << 24) | (quint32(data.size()) & 0xffffff));
    out.append(data.data(), data.size());
    return out;
}

QByteArray SpdyFramer::encodeRstStream(quint32 streamId, RstStatus status)
{
    QByteArray out = controlHeader(quint16(FrameType::RstStream), 0, 8);
    appendU32(out, streamId & 0x7fffffff);
    appendU32(out, quint32(status));
    return out;
}

QByteArray SpdyFramer::encodeSettings(const QList<SpdySetting>& settings, quint8 flags)
{
    QByteArray out = controlHeader(quint16(FrameType::Settings), flags, quint32(4 + settings.size() * 8));
    appendU32(out, quint32(settings.size()));
    for (const SpdySetting& s : settings) {
        appendU32(out, (quint32(s.flags) << 24) | (s.id & 0xffffff));
        appendU32(out, s.value);
    }
    return out;
}

QByteArray SpdyFramer::encodePing(quint32 id)
{
    QByteArray out = controlHeader(quint16(FrameType::Ping), 0, 4);
    appendU32(out, id);
    return out;
}

QByteArray SpdyFramer::encodeGoAway(quint32 lastGoodStreamId, GoAwayStatus status)
{
    QByteArray out = controlHeader(quint16(FrameType::GoAway), 0, 8);
    appendU32(out, lastGoodStreamId & 0x7fffffff);
    appendU32(out, quint32(status));
    return out;
}

QByteArray SpdyFramer::encodeWindowUpdate(quint32 streamId, quint32 delta)
{
    QByteArray out = controlHeader(quint16(FrameType::WindowUpdate), 0, 8);
    appendU32(out, streamId & 0x7fffffff);
    appendU32(out, delta & 0x7fffffff);
    return out;
}

QByteArray SpdyFramer::encodeControl(quint16 type, quint8 flags, const QByteArray& payload, quint16 version)
{
    QByteArray out = controlHeader(type, flags, quint32(payload.size()), version);
    out.append(payload.data(), payload.size());
    return out;
}

} // namespace vk::streams::spdy
