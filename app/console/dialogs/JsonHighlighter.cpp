// SPDX-License-Identifier: Apache-2.0
#include "JsonHighlighter.h"

#include <QRegularExpression>

namespace vk::console {

JsonHighlighter::JsonHighlighter(QTextDocument* document, HighlightFormats formats)
    : QSyntaxHighlighter(document), m_formats(std::move(formats))
{
    setObjectName(QStringLiteral("jsonHighlighter"));
}

void JsonHighlighter::setFormats(const HighlightFormats& formats)
{
    m_formats = formats;
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString& text)
{
    static const QRegularExpression number(QStringLiteral("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"));
    const int length = int(text.size());
    int i = 0;
    while (i < length) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"')) {
            int j = i + 1;
            while (j < length && text.at(j) != QLatin1Char('"'))
                j += text.at(j) == QLatin1Char('\\') ? 2 : 1;
            j = qMin(j + 1, length);
            int k = j;
            while (k < length && text.at(k).isSpace())
                ++k;
            const bool key = k < length && text.at(k) == QLatin1Char(':');
            setFormat(i, j - i, key ? m_formats.key : m_formats.string);
            i = j;
            continue;
        }
        if (c == QLatin1Char('-') || c.isDigit()) {
            const QRegularExpressionMatch match =
                number.match(text, i, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
            if (match.hasMatch() && match.capturedLength() > 0) {
                setFormat(i, int(match.capturedLength()), m_formats.scalar);
                i += int(match.capturedLength());
                continue;
            }
        }
        if (c.isLetter()) {
            int j = i;
            while (j < length && text.at(j).isLetter())
                ++j;
            const QStringView word = QStringView(text).mid(i, j - i);
            if (word == QLatin1String("true") || word == QLatin1String("false") || word == QLatin1String("null"))
                setFormat(i, j - i, m_formats.scalar);
            i = j;
            continue;
        }
        ++i;
    }
}

} // namespace vk::console
