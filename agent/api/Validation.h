// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// Field validation with kube-apiserver's exact messages, for the sandbox's 422 answers.
namespace vk::api::validation {

/// Collects causes; an empty list means valid.
using Causes = QList<ErrorCause>;

/// "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with
/// an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is
/// '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" Appends FieldValueInvalid causes for `value` at `field`; "must be no more than 63
/// characters" for length.
void dns1123Label(const QString& value, const QString& field, Causes& causes);
/// DNS-1123 subdomain (object names of most kinds, 253 characters).
void dns1123Subdomain(const QString& value, const QString& field, Causes& causes);
/// Qualified names (label and annotation keys: optional DNS prefix + '/' + name of 63 characters).
void qualifiedName(const QString& value, const QString& field, Causes& causes);
/// Label values (63 characters, alphanumerics, '-', '_', '.').
void labelValue(const QString& value, const QString& field, Causes& causes);
/// metadata.labels and metadata.annotations (keys, values, total annotation size 256 KiB).
void objectMetaLabelsAndAnnotations(const QJsonObject& metadata, Causes& causes);

void required(const QString& field, Causes& causes); ///< FieldValueRequired, "Required value"
void invalid(const QString& field, const QJsonValue& value, const QString& detail, Causes& causes);
void notSupported(const QString& field, const QString& value, const QStringList& allowed, Causes& causes);
void forbidden(const QString& field, const QString& detail, Causes& causes);
void duplicate(const QString& field, const QJsonValue& value, Causes& causes);

/// The raw messages of apimachinery's IsDNS1123Label / IsDNS1123Subdomain / IsQualifiedName / IsValidLabelValue
/// (empty when valid), for callers that build their own causes or messages.
QStringList dns1123LabelErrors(const QString& value);
QStringList dns1123SubdomainErrors(const QString& value);
QStringList qualifiedNameErrors(const QString& value);
QStringList labelValueErrors(const QString& value);

/// Go's %q quoting of a string (strconv.Quote): "a\"b".
QString goQuote(const QString& value);
/// How field.Error prints a bad value: strings as %q, integers plainly, null as null, string lists as []string{...}.
QString formatBadValue(const QJsonValue& value);
/// "<field>: <message>" of one cause, as field.Error.Error().
QString causeToString(const ErrorCause& cause);
/// The aggregate text of several causes (duplicates dropped): the one message alone, or "[a, b]".
QString aggregateMessage(const Causes& causes);
/// FieldValueTooLong, "Too long: must have at most <n> bytes".
void tooLong(const QString& field, int maxBytes, Causes& causes);

/// Turns causes into the 422 Error kube-apiserver sends: message "<Kind> \"<name>\" is invalid: [a, b]" (no
/// brackets for one cause), reason Invalid, details {name, group, kind, causes}.
Error invalidError(const QString& kind, const QString& group, const QString& name, const Causes& causes);

} // namespace vk::api::validation
