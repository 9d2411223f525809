// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QDateTime>
#include <QString>

// Go's strconv and time parsing, with Go's error texts: the kubelet API answers bad query parameters with them
// (upstream virtual-kubelet wraps them, e.g. `could not parse "tailLines": strconv.Atoi: parsing "x": invalid
// syntax`), so clients see the same messages as from the Go implementation.
namespace vk::kubelet::go {

/// strconv.Quote for the printable-ASCII and UTF-8 texts that reach us: "..." with \" \\ \n \t \r and \xNN escapes.
QString quote(const QString& text);
/// strconv.Atoi (64-bit int): optional sign, decimal digits only.
Result<qint64> atoi(const QString& text);
/// strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
Result<bool> parseBool(const QString& text);
/// time.Parse(time.RFC3339, text), including fractional seconds and numeric zones.
Result<QDateTime> parseRfc3339(const QString& text);

} // namespace vk::kubelet::go
