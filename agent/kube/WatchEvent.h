// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace vk::kube {

/// One event of a watch stream (metav1.WatchEvent).
struct WatchEvent
{
    enum class Type
    {
        Added,
        Modified,
        Deleted,
        Bookmark,
        Error
    };

    WatchEvent() = default;
    WatchEvent(Type type, QJsonObject object, QByteArray objectJson = {});

    Type type = Type::Added;
    /// The object's JSON text exactly as the server sent it (Watch fills it; empty when unknown), so that a cache
    /// can keep it without serializing the object again.
    QByteArray objectJson;

    /// The object; for Error, a metav1.Status; for Bookmark, only metadata.resourceVersion. An event read by
    /// fromTextLazily() parses objectJson on the first call (an empty object if it is not valid JSON after all), so
    /// one instance is not for several threads at once (a copy is).
    const QJsonObject& object() const;
    /// The object's metadata; an event read by fromTextLazily() has it without parsing the rest of the object.
    QJsonObject metadata() const;
    /// object.metadata.resourceVersion
    QString resourceVersion() const;
    /// Whether object() has been parsed (always, except for an event read lazily whose object nobody asked for).
    bool isObjectParsed() const { return m_objectParsed; }
    /// For Error events: the Status as an Error (410 Expired/Gone → ErrorCategory::Gone).
    Error error() const;

    /// "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"
    static QString typeName(Type type);
    /// Reads {"type": "...", "object": {...}}; unknown types and missing objects are BadRequest errors.
    static Result<WatchEvent> fromJson(const QJsonObject& event);
    /// Reads an ADDED or MODIFIED event from its text without parsing its object: the type and the object's
    /// metadata are cut out and only the metadata is parsed; object() parses the rest when it is first asked for.
    /// std::nullopt for any other event or shape (another type, a type written with escapes, no object, no
    /// metadata object): the caller parses those whole.
    static std::optional<WatchEvent> fromTextLazily(const QByteArray& eventText);

private:
    mutable QJsonObject m_object;
    mutable bool m_objectParsed = true;
    QJsonObject m_metadata; ///< for an event read lazily
};

/// Splits a watch response body into JSON objects as bytes arrive, however the stream is cut into chunks: an
/// object may span many chunks and one chunk may hold many objects. Objects are normally newline-delimited,
/// but only their braces count (strings and escapes are honoured), so any whitespace between them works.
class WatchDecoder
{
public:
    /// Appends bytes and returns the objects completed by them, in order. After an error (text that is not a
    /// JSON object, or an object larger than maxObjectBytes) the decoder stays failed until reset().
    Result<QList<QJsonObject>> feed(const QByteArray& chunk);
    /// As feed(), with each object's text as received.
    struct Decoded
    {
        QJsonObject object;
        QByteArray text;
    };
    Result<QList<Decoded>> feedWithText(const QByteArray& chunk);
    /// As feed(), without parsing: each object's text as received, its structure checked by the brace scan only.
    Result<QList<QByteArray>> feedTexts(const QByteArray& chunk);
    /// The text of the top-level member "object" of an event's JSON text (whitespace around it excluded), or
    /// empty bytes when there is none or the text is not a JSON object.
    static QByteArray objectMemberText(const QByteArray& eventText);
    /// The text of the top-level member `member` of a JSON object's text when its value is an object (e.g. an
    /// answer's "metadata", read without parsing the whole answer); empty bytes otherwise. Members of nested values
    /// and names that occur as values never match; names are compared decoded ("st\u0061tus" is "status"); the
    /// first one counts if the name repeats (QJsonDocument keeps the last; API servers never repeat one). The text is
    /// scanned, not validated: up to the end of the member's value its structure must hold (an object, quoted names,
    /// colons, commas, paired brackets, terminated strings, no missing value), else the answer is empty bytes; scalars
    /// are not checked and nothing after the value is read.
    static QByteArray memberObjectText(const QByteArray& text, QByteArrayView member);
    /// The texts of the elements of the top-level member `member` when its value is an array (a list's "items"),
    /// in order and as written; empty when there is none, it is empty or its structure does not hold (scanned as
    /// memberObjectText, the array to its closing bracket).
    static QList<QByteArray> memberArrayItemTexts(const QByteArray& text, QByteArrayView member);
    /// The text of the top-level member `member`'s value, whatever it is (a string with its quotes), as written;
    /// empty bytes when there is none or the structure does not hold (scanned as memberObjectText).
    static QByteArray memberValueText(const QByteArray& text, QByteArrayView member);
    /// Whether part of an object is buffered (the stream ended mid-object if this is true at its end).
    bool hasPartialObject() const { return m_depth > 0 || m_start >= 0; }
    void reset();

    static constexpr qsizetype maxObjectBytes = 256 * 1024 * 1024;

private:
    Result<QList<Decoded>> feedImpl(const QByteArray& chunk, bool parse);

    QByteArray m_buffer;
    qsizetype m_scan = 0;   ///< next byte of m_buffer to look at
    qsizetype m_start = -1; ///< where the current object starts in m_buffer, -1 between objects
    qsizetype m_offset = 0; ///< stream offset of m_buffer[0], for messages
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    bool m_failed = false;
};

} // namespace vk::kube

Q_DECLARE_METATYPE(vk::kube::WatchEvent)
