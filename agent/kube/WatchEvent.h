// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

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

    Type type = Type::Added;
    QJsonObject object; ///< the object; for Error, a metav1.Status; for Bookmark, only metadata.resourceVersion
    /// The object's JSON text exactly as the server sent it (Watch fills it; empty when unknown), so that a cache
    /// can keep it without serializing the object again.
    QByteArray objectJson;

    /// object.metadata.resourceVersion
    QString resourceVersion() const;
    /// For Error events: the Status as an Error (410 Expired/Gone → ErrorCategory::Gone).
    Error error() const;

    /// "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"
    static QString typeName(Type type);
    /// Reads {"type": "...", "object": {...}}; unknown types and missing objects are BadRequest errors.
    static Result<WatchEvent> fromJson(const QJsonObject& event);
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
    /// Whether part of an object is buffered (the stream ended mid-object if this is true at its end).
    bool hasPartialObject() const { return m_depth > 0 || m_start >= 0; }
    void reset();

    static constexpr qsizetype maxObjectBytes = 256 * 1024 * 1024;

private:
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
