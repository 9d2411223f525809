// SPDX-License-Identifier: Apache-2.0
#include "kube/WatchEvent.h"

#include "core/Json.h"
#include "core/KubeStatus.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QVarLengthArray>

#include <array>
#include <cstring>

namespace vk::kube {

WatchEvent::WatchEvent(Type type, QJsonObject object, QByteArray objectJson)
    : type(type), objectJson(std::move(objectJson)), m_object(std::move(object))
{}

const QJsonObject& WatchEvent::object() const
{
    if (!m_objectParsed) {
        m_object = QJsonDocument::fromJson(objectJson).object();
        m_objectParsed = true;
    }
    return m_object;
}

QJsonObject WatchEvent::metadata() const
{
    if (!m_objectParsed)
        return m_metadata;
    return m_object.value(QLatin1String("metadata")).toObject();
}

QString WatchEvent::resourceVersion() const
{
    return metadata().value(QLatin1String("resourceVersion")).toString();
}

Error WatchEvent::error() const
{
    const QJsonObject& status = object();
    if (status.value(QStringLiteral("kind")).toString() == QLatin1String("Status"))
        return errorFromStatus(status);
    return Error::internal(QStringLiteral("watch ERROR event without a Status: %1")
                               .arg(QString::fromUtf8(json::compact(status).left(256))));
}

QString WatchEvent::typeName(Type type)
{
    switch (type) {
    case Type::Added:
        return QStringLiteral("ADDED");
    case Type::Modified:
        return QStringLiteral("MODIFIED");
    case Type::Deleted:
        return QStringLiteral("DELETED");
    case Type::Bookmark:
        return QStringLiteral("BOOKMARK");
    case Type::Error:
        return QStringLiteral("ERROR");
    }
    return QStringLiteral("UNKNOWN");
}

Result<WatchEvent> WatchEvent::fromJson(const QJsonObject& event)
{
    static const Type types[] = {Type::Added, Type::Modified, Type::Deleted, Type::Bookmark, Type::Error};
    const QString name = event.value(QStringLiteral("type")).toString();
    const QJsonValue object = event.value(QStringLiteral("object"));
    for (Type type : types) {
        if (typeName(type) == name) {
            if (!object.isObject())
                return Error::badRequest(QStringLiteral("watch event %1 has no object").arg(name));
            return WatchEvent(type, object.toObject());
        }
    }
    return Error::badRequest(QStringLiteral("watch event has unknown type \"%1\"").arg(name));
}

std::optional<WatchEvent> WatchEvent::fromTextLazily(const QByteArray& eventText)
{
    const QByteArray typeText = WatchDecoder::memberValueText(eventText, "type");
    Type type;
    if (typeText == QByteArrayView("\"ADDED\""))
        type = Type::Added;
    else if (typeText == QByteArrayView("\"MODIFIED\""))
        type = Type::Modified;
    else
        return std::nullopt;
    QByteArray objectText = WatchDecoder::objectMemberText(eventText);
    if (objectText.isEmpty())
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument metadata =
        QJsonDocument::fromJson(WatchDecoder::memberObjectText(objectText, "metadata"), &error);
    if (error.error != QJsonParseError::NoError || !metadata.isObject())
        return std::nullopt;
    WatchEvent event;
    event.type = type;
    event.objectJson = std::move(objectText);
    event.m_objectParsed = false;
    event.m_metadata = metadata.object();
    return event;
}

void WatchDecoder::reset()
{
    *this = WatchDecoder();
}

Result<QList<QJsonObject>> WatchDecoder::feed(const QByteArray& chunk)
{
    auto decoded = feedWithText(chunk);
    if (!decoded)
        return decoded.error();
    QList<QJsonObject> objects;
    objects.reserve(decoded->size());
    for (const Decoded& d : decoded.value())
        objects.append(d.object);
    return objects;
}

QByteArray WatchDecoder::objectMemberText(const QByteArray& text)
{
    return memberObjectText(text, "object");
}

namespace {

/// Whether a member name as written (between its quotes, escapes and all) is `member`; names with escapes are
/// decoded first ("st\u0061tus" is "status").
bool nameIs(QByteArrayView written, QByteArrayView member)
{
    if (!written.contains('\\'))
        return written == member;
    const QByteArray quoted = QByteArray("[\"") + written.toByteArray() + QByteArray("\"]");
    const QJsonArray decoded = QJsonDocument::fromJson(quoted).array();
    return !decoded.isEmpty() && decoded.first().toString() == QString::fromUtf8(member);
}

/// What a byte means to the scan of a nested value: one table lookup per byte instead of four comparisons.
enum class Structural : unsigned char
{
    None,
    Quote,
    Open,
    Close
};
constexpr std::array<Structural, 256> kStructural = [] {
    std::array<Structural, 256> table{};
    table[static_cast<unsigned char>('"')] = Structural::Quote;
    table[static_cast<unsigned char>('{')] = Structural::Open;
    table[static_cast<unsigned char>('[')] = Structural::Open;
    table[static_cast<unsigned char>('}')] = Structural::Close;
    table[static_cast<unsigned char>(']')] = Structural::Close;
    return table;
}();

/// A scan of a JSON text's top level: strings (with escapes) and nesting are skipped, brackets must pair up.
/// Nothing is decoded or validated beyond that structure.
struct TopLevelScanner
{
    const char* data;
    qsizetype size;
    qsizetype i = 0;

    void skipSpace()
    {
        while (i < size && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
            ++i;
    }
    bool skipString() // at the opening quote; leaves i after the closing one
    {
        // From quote to quote (memchr is vectorized); a quote after an odd run of backslashes is escaped.
        const char* from = data + i + 1;
        const char* const end = data + size;
        while (from < end) {
            const char* quote = static_cast<const char*>(std::memchr(from, '"', size_t(end - from)));
            if (!quote)
                return false;
            const char* run = quote;
            while (run > from && run[-1] == '\\')
                --run;
            if ((quote - run) % 2 == 0) {
                i = quote + 1 - data;
                return true;
            }
            from = quote + 1;
        }
        return false;
    }
    bool skipValue() // a string, an object/array, or a scalar; leaves i after it
    {
        if (i >= size)
            return false;
        if (data[i] == '"')
            return skipString();
        if (data[i] == '{' || data[i] == '[') {
            QVarLengthArray<char, 32> closers; // what closes each open bracket, innermost last
            while (i < size) {
                const char c = data[i];
                switch (kStructural[static_cast<unsigned char>(c)]) {
                case Structural::None:
                    ++i;
                    continue;
                case Structural::Quote:
                    if (!skipString())
                        return false;
                    continue;
                case Structural::Open:
                    closers.append(c == '{' ? '}' : ']');
                    break;
                case Structural::Close:
                    if (c != closers.last())
                        return false;
                    closers.removeLast();
                    if (closers.isEmpty())
                        return ++i, true;
                    break;
                }
                ++i;
            }
            return false;
        }
        const qsizetype start = i;
        while (i < size && data[i] != ',' && data[i] != '}' && data[i] != ']' && data[i] != ' ' && data[i] != '\n' &&
               data[i] != '\r' && data[i] != '\t')
            ++i;
        return i > start;
    }
    /// Where the value of the top-level member `member` starts (i is then after the value), or -1.
    qsizetype findMember(QByteArrayView member)
    {
        skipSpace();
        if (i >= size || data[i] != '{')
            return -1;
        ++i;
        while (true) {
            skipSpace();
            if (i >= size || data[i] != '"')
                return -1;
            const qsizetype nameStart = i + 1;
            if (!skipString())
                return -1;
            const QByteArrayView name(data + nameStart, i - 1 - nameStart);
            skipSpace();
            if (i >= size || data[i] != ':')
                return -1;
            ++i;
            skipSpace();
            const qsizetype valueStart = i;
            if (!skipValue())
                return -1;
            if (nameIs(name, member))
                return valueStart;
            skipSpace();
            if (i >= size || data[i] != ',')
                return -1;
            ++i;
        }
    }
};

} // namespace

QByteArray WatchDecoder::memberObjectText(const QByteArray& text, QByteArrayView member)
{
    TopLevelScanner scan{text.constData(), text.size()};
    const qsizetype start = scan.findMember(member);
    return start >= 0 && text.at(start) == '{' ? text.mid(start, scan.i - start) : QByteArray();
}

QByteArray WatchDecoder::memberValueText(const QByteArray& text, QByteArrayView member)
{
    TopLevelScanner scan{text.constData(), text.size()};
    const qsizetype start = scan.findMember(member);
    return start >= 0 ? text.mid(start, scan.i - start) : QByteArray();
}

QList<QByteArray> WatchDecoder::memberArrayItemTexts(const QByteArray& text, QByteArrayView member)
{
    TopLevelScanner scan{text.constData(), text.size()};
    const qsizetype start = scan.findMember(member);
    if (start < 0 || text.at(start) != '[')
        return {};
    QList<QByteArray> items;
    scan.i = start + 1;
    scan.skipSpace();
    if (scan.i < scan.size && text.at(scan.i) == ']')
        return items;
    while (true) {
        scan.skipSpace();
        const qsizetype itemStart = scan.i;
        if (!scan.skipValue())
            return {};
        items.append(text.mid(itemStart, scan.i - itemStart));
        scan.skipSpace();
        if (scan.i >= scan.size)
            return {};
        if (text.at(scan.i) == ']')
            return items;
        if (text.at(scan.i) != ',')
            return {};
        ++scan.i;
    }
}

Result<QList<WatchDecoder::Decoded>> WatchDecoder::feedWithText(const QByteArray& chunk)
{
    return feedImpl(chunk, true);
}

Result<QList<QByteArray>> WatchDecoder::feedTexts(const QByteArray& chunk)
{
    auto decoded = feedImpl(chunk, false);
    if (!decoded)
        return decoded.error();
    QList<QByteArray> texts;
    texts.reserve(decoded->size());
    for (Decoded& d : decoded.value())
        texts.append(std::move(d.text));
    return texts;
}

Result<QList<WatchDecoder::Decoded>> WatchDecoder::feedImpl(const QByteArray& chunk, bool parse)
{
    if (m_failed)
        return Error::badRequest(QStringLiteral("watch stream: decoding already failed"));
    m_buffer.append(chunk);
    QList<Decoded> objects;
    qsizetype consumed = 0; // bytes of m_buffer no longer needed
    const char* data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    for (qsizetype i = m_scan; i < size; ++i) {
        const char c = data[i];
        if (m_depth == 0) {
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                consumed = i + 1;
                continue;
            }
            if (c != '{') {
                m_failed = true;
                return Error::badRequest(QStringLiteral("watch stream: expected '{' at byte %1, got '%2'")
                                             .arg(m_offset + i)
                                             .arg(QLatin1Char(c)));
            }
            m_start = i;
            m_depth = 1;
            continue;
        }
        if (m_inString) {
            if (m_escape) {
                m_escape = false;
                continue;
            }
            // Straight to the string's next quote or backslash (memchr is vectorized); the loop then steps past it.
            const auto* quote = static_cast<const char*>(std::memchr(data + i, '"', size_t(size - i)));
            const qsizetype limit = quote ? quote - data : size;
            if (const auto* slash = static_cast<const char*>(std::memchr(data + i, '\\', size_t(limit - i)))) {
                i = slash - data;
                m_escape = true;
            } else if (quote) {
                i = limit;
                m_inString = false;
            } else {
                i = size - 1; // the rest of the buffer is inside the string
            }
            continue;
        }
        switch (c) {
        case '"':
            m_inString = true;
            break;
        case '{':
        case '[':
            ++m_depth;
            break;
        case '}':
        case ']':
            if (--m_depth == 0) {
                QByteArray text = m_buffer.mid(m_start, i + 1 - m_start);
                QJsonObject object;
                if (parse) {
                    QJsonParseError error{};
                    const auto doc = QJsonDocument::fromJson(text, &error);
                    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                        m_failed = true;
                        return Error::badRequest(QStringLiteral("watch stream: invalid JSON object at byte %1: %2")
                                                     .arg(m_offset + m_start + error.offset)
                                                     .arg(error.errorString()));
                    }
                    object = doc.object();
                }
                objects.append(Decoded{std::move(object), std::move(text)});
                m_start = -1;
                consumed = i + 1;
            }
            break;
        default:
            break;
        }
    }
    m_scan = size;
    if (m_start >= 0 && size - m_start > maxObjectBytes) {
        m_failed = true;
        return Error::badRequest(QStringLiteral("watch stream: an event is larger than %1 bytes").arg(maxObjectBytes));
    }
    if (consumed > 0) {
        m_buffer.remove(0, consumed);
        m_offset += consumed;
        m_scan -= consumed;
        if (m_start >= 0)
            m_start -= consumed;
    }
    return objects;
}

} // namespace vk::kube
