// SPDX-License-Identifier: Apache-2.0
#include "EditorHighlighting.h"

#include "JsonHighlighter.h"
#include "YamlHighlighter.h"

#include <QPointer>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

#ifdef VK_HAVE_KF6_SYNTAX_HIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace vk::console {

namespace {

constexpr const char* kHighlighterProperty = "vkConsoleHighlighter";

QColor tone(int hue, int saturation, bool dark)
{
    // Lightness opposite to the background: light tones on dark bases, deep tones on light ones.
    return QColor::fromHsl(hue, saturation, dark ? 175 : 85);
}

QTextCharFormat colored(const QColor& color, bool bold = false, bool italic = false)
{
    QTextCharFormat format;
    format.setForeground(color);
    if (bold)
        format.setFontWeight(QFont::Bold);
    if (italic)
        format.setFontItalic(true);
    return format;
}

#ifdef VK_HAVE_KF6_SYNTAX_HIGHLIGHTING
KSyntaxHighlighting::Repository& repository()
{
    static KSyntaxHighlighting::Repository repo;
    return repo;
}
#endif

} // namespace

const QTextCharFormat& HighlightFormats::format(HighlightRole role) const
{
    switch (role) {
    case HighlightRole::Key:
        return key;
    case HighlightRole::String:
        return string;
    case HighlightRole::Scalar:
        return scalar;
    case HighlightRole::Comment:
        return comment;
    case HighlightRole::Dash:
        return dash;
    case HighlightRole::Marker:
        return marker;
    }
    return key;
}

bool HighlightFormats::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor HighlightFormats::errorColor(const QPalette& palette)
{
    return isDark(palette) ? QColor::fromHsl(0, 230, 160) : QColor::fromHsl(0, 200, 100);
}

HighlightFormats HighlightFormats::fromPalette(const QPalette& palette)
{
    const bool dark = isDark(palette);
    HighlightFormats formats;
    // Keys: the palette's link colour when it contrasts with the base (it is tuned for it), else a blue tone.
    QColor link = palette.color(QPalette::Link);
    const int contrast = qAbs(link.lightness() - palette.color(QPalette::Base).lightness());
    if (contrast < 90)
        link = tone(215, 160, dark);
    formats.key = colored(link, true);
    formats.string = colored(tone(120, 110, dark));
    formats.scalar = colored(tone(28, 200, dark));
    QColor muted = palette.color(QPalette::PlaceholderText);
    if (qAbs(muted.lightness() - palette.color(QPalette::Base).lightness()) < 60)
        muted = dark ? QColor(150, 150, 150) : QColor(110, 110, 110);
    formats.comment = colored(muted, false, true);
    formats.dash = colored(tone(290, 120, dark), true);
    formats.marker = colored(tone(330, 150, dark), true);
    return formats;
}

QObject*
EditorHighlighting::attach(QTextDocument* document, Language language, const QPalette& palette, Backend backend)
{
    if (!document)
        return nullptr;
    if (auto* previous = document->property(kHighlighterProperty).value<QObject*>()) {
        if (auto* highlighter = qobject_cast<QSyntaxHighlighter*>(previous))
            highlighter->setDocument(nullptr);
        delete previous;
    }
    QObject* highlighter = nullptr;
#ifdef VK_HAVE_KF6_SYNTAX_HIGHLIGHTING
    if (backend == Backend::Auto) {
        auto* kf = new KSyntaxHighlighting::SyntaxHighlighter(document);
        kf->setTheme(repository().defaultTheme(HighlightFormats::isDark(palette)
                                                   ? KSyntaxHighlighting::Repository::DarkTheme
                                                   : KSyntaxHighlighting::Repository::LightTheme));
        kf->setDefinition(repository().definitionForName(language == Language::Json ? QStringLiteral("JSON")
                                                                                    : QStringLiteral("YAML")));
        highlighter = kf;
    }
#else
    Q_UNUSED(backend)
#endif
    if (!highlighter) {
        const HighlightFormats formats = HighlightFormats::fromPalette(palette);
        if (language == Language::Json)
            highlighter = new JsonHighlighter(document, formats);
        else
            highlighter = new YamlHighlighter(document, formats);
    }
    document->setProperty(kHighlighterProperty, QVariant::fromValue(highlighter));
    // Highlight now rather than on the next event-loop turn (QSyntaxHighlighter's default), so that a palette
    // or language switch never shows a frame of plain text.
    if (auto* syntax = qobject_cast<QSyntaxHighlighter*>(highlighter))
        syntax->rehighlight();
    return highlighter;
}

EditorHighlighting::Language EditorHighlighting::detect(const QString& text)
{
    for (const QChar c : text) {
        if (c.isSpace())
            continue;
        return c == QLatin1Char('{') || c == QLatin1Char('[') ? Language::Json : Language::Yaml;
    }
    return Language::Yaml;
}

bool EditorHighlighting::hasKSyntaxHighlighting()
{
#ifdef VK_HAVE_KF6_SYNTAX_HIGHLIGHTING
    return true;
#else
    return false;
#endif
}

QTextEdit::ExtraSelection
EditorHighlighting::errorSelection(QTextDocument* document, int line, const QString& message, const QPalette& palette)
{
    QTextEdit::ExtraSelection selection;
    if (!document || line < 1 || line > document->blockCount())
        return selection;
    const QTextBlock block = document->findBlockByNumber(line - 1);
    QTextCursor cursor(block);
    // Underline the line's text without its indentation; an empty line gets its (empty) end selected.
    const QString text = block.text();
    int start = 0;
    while (start < text.size() && text.at(start).isSpace())
        ++start;
    if (start == text.size())
        start = 0;
    cursor.setPosition(block.position() + start);
    cursor.setPosition(block.position() + text.size(), QTextCursor::KeepAnchor);
    selection.cursor = cursor;
    selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    selection.format.setUnderlineColor(HighlightFormats::errorColor(palette));
    selection.format.setToolTip(message);
    return selection;
}

} // namespace vk::console
