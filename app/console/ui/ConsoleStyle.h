// SPDX-License-Identifier: Apache-2.0
#pragma once

// The console's shared look: status colours (one meaning, one colour, in the table, tree, node panel, timeline and
// logs) and the exact-time format used wherever a moment is shown to the millisecond.

#include <QColor>
#include <QDateTime>
#include <QString>

namespace vk::console::style {

inline QColor healthy()
{
    return QColor(0x2e, 0xa0, 0x43);
} ///< Running, Ready, condition fine
inline QColor progressing()
{
    return QColor(0xe0, 0x9b, 0x18);
} ///< Pending, waiting, starting
inline QColor failing()
{
    return QColor(0xd9, 0x3f, 0x3f);
} ///< Failed, errors, warnings
inline QColor finished()
{
    return QColor(0x2f, 0x80, 0xd1);
} ///< Succeeded, terminated
inline QColor unknown()
{
    return QColor(0x8e, 0x8e, 0x93);
} ///< Unknown, terminating, not reported

/// "HH:mm:ss.zzz" in local time.
inline QString exactTime(const QDateTime& time)
{
    return time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
}
inline QString exactTime(qint64 msSinceEpoch)
{
    return exactTime(QDateTime::fromMSecsSinceEpoch(msSinceEpoch));
}

} // namespace vk::console::style
