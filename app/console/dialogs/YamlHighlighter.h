// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "EditorHighlighting.h"

#include <QSyntaxHighlighter>

namespace vk::console {

/// YAML highlighting, one line at a time: keys (plain and quoted, also inside flow mappings), quoted strings,
/// numbers/booleans/null (YAML 1.2 core schema plus ~), comments, list dashes, document markers, tags, anchors
/// and aliases, and the lines of block scalars (| and >) as strings.
class YamlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit YamlHighlighter(QTextDocument* document, HighlightFormats formats = HighlightFormats::fromPalette({}));

    const HighlightFormats& formats() const { return m_formats; }
    void setFormats(const HighlightFormats& formats);

protected:
    void highlightBlock(const QString& text) override;

private:
    int highlightValue(const QString& text, int from, bool flow);
    HighlightFormats m_formats;
};

} // namespace vk::console
