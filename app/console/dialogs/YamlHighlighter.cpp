// SPDX-License-Identifier: Apache-2.0
#include "YamlHighlighter.h"

#include <QRegularExpression>

namespace vk::console {

namespace {

/// Index just past the closing quote of the quoted scalar starting at `from` (the end of the line when it is not
/// closed on this line). Single quotes escape themselves (''), double quotes use backslashes.
int endOfQuoted(const QString& text, int from)
{
    const QChar quote = text.at(from);
    int i = from + 1;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (quote == QLatin1Char('"') && c == QLatin1Char('\\')) {
            i += 2;
            continue;
        }
        if (c == quote) {
            if (quote == QLatin1Char('\'') && i + 1 < text.size() && text.at(i + 1) == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return int(text.size());
}

bool isScalarWord(const QString& word)
{
    static const QRegularExpression scalar(QStringLiteral(
        "^(?:[-+]?(?:[0-9]+|[0-9]*\\.[0-9]+|[0-9]+\\.[0-9]*)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+"
        "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$"));
    return scalar.match(word).hasMatch();
}

int skipSpaces(const QString& text, int i)
{
    while (i < text.size() && text.at(i).isSpace())
        ++i;
    return i;
}

/// A ':' that ends a key: followed by a space, the end of the line or (in flow collections) a flow indicator.
bool isKeyColon(const QString& text, int i, bool flow)
{
    if (i >= text.size() || text.at(i) != QLatin1Char(':'))
        return false;
    if (i + 1 == text.size() || text.at(i + 1).isSpace())
        return true;
    return flow && QStringLiteral(",]}").contains(text.at(i + 1));
}

} // namespace

YamlHighlighter::YamlHighlighter(QTextDocument* document, HighlightFormats formats)
    : QSyntaxHighlighter(document), m_formats(std::move(formats))
{
    setObjectName(QStringLiteral("yamlHighlighter"));
}

void YamlHighlighter::setFormats(const HighlightFormats& formats)
{
    m_formats = formats;
    rehighlight();
}

void YamlHighlighter::highlightBlock(const QString& text)
{
    const int length = int(text.size());
    const int indent = skipSpaces(text, 0);

    // Lines of a block scalar (| or >): everything indented deeper than the line that opened it.
    const int previous = previousBlockState();
    if (previous >= 1) {
        const int parentIndent = previous - 1;
        if (indent == length) {
            setCurrentBlockState(previous);
            return;
        }
        if (indent > parentIndent) {
            setFormat(indent, length - indent, m_formats.string);
            setCurrentBlockState(previous);
            return;
        }
    }
    setCurrentBlockState(0);

    int i = indent;
    int nodeColumn = indent; // where the node that may open a block scalar starts
    if (indent == 0 && (text.startsWith(QLatin1String("---")) || text.startsWith(QLatin1String("..."))) &&
        (length == 3 || text.at(3).isSpace())) {
        setFormat(0, 3, m_formats.marker);
        i = skipSpaces(text, 3);
    }
    while (i < length && text.at(i) == QLatin1Char('-') && (i + 1 == length || text.at(i + 1).isSpace())) {
        setFormat(i, 1, m_formats.dash);
        nodeColumn = i;
        i = skipSpaces(text, i + 1);
    }
    if (i >= length)
        return;

    // A key at the start of the node: quoted, or plain up to ": ".
    const QChar first = text.at(i);
    if (first == QLatin1Char('"') || first == QLatin1Char('\'')) {
        const int end = endOfQuoted(text, i);
        const int colon = skipSpaces(text, end);
        if (isKeyColon(text, colon, false)) {
            setFormat(i, end - i, m_formats.key);
            nodeColumn = i;
            i = colon + 1;
        }
    } else if (!QStringLiteral("#[{|>&*!%@`?").contains(first)) {
        for (int j = i; j < length; ++j) {
            if (text.at(j) == QLatin1Char('#') && text.at(j - 1).isSpace())
                break;
            if (isKeyColon(text, j, false)) {
                int end = j;
                while (end > i && text.at(end - 1).isSpace())
                    --end;
                setFormat(i, end - i, m_formats.key);
                nodeColumn = i;
                i = j + 1;
                break;
            }
        }
    }

    // A block scalar indicator (|, >, with chomping/indentation indicators) ends the line.
    i = skipSpaces(text, i);
    if (i < length && (text.at(i) == QLatin1Char('|') || text.at(i) == QLatin1Char('>'))) {
        int j = i + 1;
        while (j < length && QStringLiteral("+-0123456789").contains(text.at(j)))
            ++j;
        const int rest = skipSpaces(text, j);
        if (rest == length || text.at(rest) == QLatin1Char('#')) {
            setFormat(i, j - i, m_formats.marker);
            if (rest < length)
                setFormat(rest, length - rest, m_formats.comment);
            setCurrentBlockState(nodeColumn + 1);
            return;
        }
    }
    highlightValue(text, i, false);
}

int YamlHighlighter::highlightValue(const QString& text, int from, bool flow)
{
    const int length = int(text.size());
    int depth = flow ? 1 : 0;
    int i = from;
    while (i < length) {
        const QChar c = text.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('#') && (i == 0 || text.at(i - 1).isSpace())) {
            setFormat(i, length - i, m_formats.comment);
            return length;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            const int end = endOfQuoted(text, i);
            const bool key = depth > 0 && isKeyColon(text, skipSpaces(text, end), true);
            setFormat(i, end - i, key ? m_formats.key : m_formats.string);
            i = end;
            continue;
        }
        if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
            ++depth;
            ++i;
            continue;
        }
        if (c == QLatin1Char('}') || c == QLatin1Char(']')) {
            depth = qMax(0, depth - 1);
            ++i;
            continue;
        }
        if ((c == QLatin1Char(',') || c == QLatin1Char(':')) && depth > 0) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('&') || c == QLatin1Char('*') || c == QLatin1Char('!')) {
            int j = i + 1;
            while (j < length && !text.at(j).isSpace() && !(depth > 0 && QStringLiteral(",]}").contains(text.at(j))))
                ++j;
            setFormat(i, j - i, m_formats.marker);
            i = j;
            continue;
        }
        // A plain scalar: to the end of the line (or a comment) in block context; to a flow indicator in flow.
        int j = i;
        while (j < length) {
            const QChar d = text.at(j);
            if (d == QLatin1Char('#') && j > i && text.at(j - 1).isSpace())
                break;
            if (depth > 0 && (QStringLiteral(",[]{}").contains(d) || isKeyColon(text, j, true)))
                break;
            ++j;
        }
        int end = j;
        while (end > i && text.at(end - 1).isSpace())
            --end;
        const QString word = text.mid(i, end - i);
        if (depth > 0 && isKeyColon(text, j, true))
            setFormat(i, end - i, m_formats.key);
        else if (isScalarWord(word))
            setFormat(i, end - i, m_formats.scalar);
        i = qMax(j, i + 1);
    }
    return length;
}

} // namespace vk::console
