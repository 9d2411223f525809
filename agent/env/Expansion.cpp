// SPDX-License-Identifier: Apache-2.0
// $(VAR) expansion, a port of the kubelet's third_party/forked/golang/expansion Expand/MappingFuncFor.
#include "env/EnvResolver.h"

namespace vk::env {

namespace {

constexpr QChar kOperator = QLatin1Char('$');
constexpr QChar kOpener = QLatin1Char('(');
constexpr QChar kCloser = QLatin1Char(')');

struct Read
{
    QString text; ///< the variable name (isVar) or the text to copy
    bool isVar = false;
    qsizetype advance = 0; ///< characters consumed after the operator
};

/// input starts right after a '$' (and is not empty).
Read tryReadVariableName(QStringView input)
{
    const QChar first = input.front();
    if (first == kOperator)
        return {QString(kOperator), false, 1}; // "$$": an escaped operator
    if (first == kOpener) {
        for (qsizetype i = 1; i < input.size(); ++i) {
            if (input[i] == kCloser)
                return {input.mid(1, i - 1).toString(), true, i + 1};
        }
        return {QStringLiteral("$("), false, 1}; // incomplete reference: kept as is
    }
    // An operator that does not start an expression: keep it and the character after it.
    return {QString(kOperator) + first, false, 1};
}

} // namespace

QString expand(const QString& input, const std::function<std::optional<QString>(const QString&)>& lookup)
{
    QString out;
    out.reserve(input.size());
    qsizetype checkpoint = 0;
    for (qsizetype cursor = 0; cursor < input.size(); ++cursor) {
        if (input[cursor] != kOperator || cursor + 1 >= input.size())
            continue;
        out += QStringView(input).mid(checkpoint, cursor - checkpoint);
        const Read read = tryReadVariableName(QStringView(input).mid(cursor + 1));
        if (read.isVar) {
            const std::optional<QString> value = lookup ? lookup(read.text) : std::nullopt;
            if (value)
                out += *value;
            else
                out += QStringLiteral("$(") + read.text + kCloser; // undefined: kept literally
        } else {
            out += read.text;
        }
        cursor += read.advance;
        checkpoint = cursor + 1;
    }
    out += QStringView(input).mid(checkpoint);
    return out;
}

} // namespace vk::env
