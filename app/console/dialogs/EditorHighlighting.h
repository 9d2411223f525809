// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QPalette>
#include <QTextCharFormat>
#include <QTextEdit>

class QObject;
class QTextDocument;

namespace vk::console {

/// What a highlighted span is; each role has one character format (HighlightFormats).
enum class HighlightRole
{
    Key,     ///< mapping keys ("cpu" in `cpu: 2`, "\"cpu\"" in JSON)
    String,  ///< quoted strings and block scalars
    Scalar,  ///< numbers, booleans, null
    Comment, ///< # comments (YAML)
    Dash,    ///< list item dashes (YAML)
    Marker,  ///< document markers (--- and ...), tags, anchors and aliases (YAML)
};

/// The character formats of the highlighters, derived from a QPalette so that light and dark palettes both read
/// well: hues are fixed, lightness follows the palette's text colour.
struct HighlightFormats
{
    QTextCharFormat key;
    QTextCharFormat string;
    QTextCharFormat scalar;
    QTextCharFormat comment;
    QTextCharFormat dash;
    QTextCharFormat marker;

    const QTextCharFormat& format(HighlightRole role) const;
    static HighlightFormats fromPalette(const QPalette& palette);
    /// Whether the palette is dark (its Base colour is dark).
    static bool isDark(const QPalette& palette);
    /// The colour of validation errors (underline, message) for this palette.
    static QColor errorColor(const QPalette& palette);
};

/// The small interface between the config editor and whatever highlights it: our own QSyntaxHighlighter
/// subclasses (YamlHighlighter, JsonHighlighter), or KF6::SyntaxHighlighting when the build found it.
class EditorHighlighting
{
public:
    enum class Language
    {
        Yaml,
        Json
    };
    enum class Backend
    {
        Auto,   ///< KF6::SyntaxHighlighting when built with it, else Builtin
        Builtin ///< YamlHighlighter / JsonHighlighter
    };

    /// Attaches a highlighter for `language` to `document` (replacing one attached before by this function) and
    /// returns it; it is a child of the document.
    static QObject* attach(QTextDocument* document,
                           Language language,
                           const QPalette& palette = QPalette(),
                           Backend backend = Backend::Auto);
    /// JSON when the text starts with '{' or '[' (after whitespace), else YAML.
    static Language detect(const QString& text);
    /// Whether the build has KF6::SyntaxHighlighting ("kf6" backend) or only the built-in highlighters.
    static bool hasKSyntaxHighlighting();

    /// A wavy underline (QTextCharFormat::WaveUnderline) in the palette's error colour over the whole of the
    /// 1-based `line`, with `message` as its tooltip. An empty selection (null cursor) when the line does not exist.
    static QTextEdit::ExtraSelection
    errorSelection(QTextDocument* document, int line, const QString& message, const QPalette& palette);
};

} // namespace vk::console
