// SPDX-License-Identifier: Apache-2.0
// k8s.io/apimachinery/pkg/util/duration.HumanDuration, to the letter.
#include "sandbox/kinds/Kinds.h"

namespace vk::sandbox {

QString humanDuration(const QDateTime& from, const QDateTime& now)
{
    const qint64 ms = from.msecsTo(now);
    // int(d.Seconds()) truncates toward zero; a deviation of less than two seconds counts as "now".
    const qint64 seconds = ms / 1000;
    if (seconds < -1)
        return QStringLiteral("<invalid>");
    if (seconds < 0)
        return QStringLiteral("0s");
    if (seconds < 60 * 2)
        return QStringLiteral("%1s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 10) {
        const qint64 s = seconds % 60;
        if (s == 0)
            return QStringLiteral("%1m").arg(minutes);
        return QStringLiteral("%1m%2s").arg(minutes).arg(s);
    }
    if (minutes < 60 * 3)
        return QStringLiteral("%1m").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 8) {
        const qint64 m = minutes % 60;
        if (m == 0)
            return QStringLiteral("%1h").arg(hours);
        return QStringLiteral("%1h%2m").arg(hours).arg(m);
    }
    if (hours < 48)
        return QStringLiteral("%1h").arg(hours);
    if (hours < 24 * 8) {
        const qint64 h = hours % 24;
        if (h == 0)
            return QStringLiteral("%1d").arg(hours / 24);
        return QStringLiteral("%1d%2h").arg(hours / 24).arg(h);
    }
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1d").arg(hours / 24);
    if (hours < 24 * 365 * 8) {
        const qint64 dy = (hours / 24) % 365;
        if (dy == 0)
            return QStringLiteral("%1y").arg(hours / 24 / 365);
        return QStringLiteral("%1y%2d").arg(hours / 24 / 365).arg(dy);
    }
    return QStringLiteral("%1y").arg(hours / 24 / 365);
}

} // namespace vk::sandbox
