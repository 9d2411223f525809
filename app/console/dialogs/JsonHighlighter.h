// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "EditorHighlighting.h"

#include <QSyntaxHighlighter>

namespace vk::console {

/// JSON highlighting, one line at a time: keys (a string followed by ':'), other strings, numbers, true, false
/// and null.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument* document, HighlightFormats formats = HighlightFormats::fromPalette({}));

    const HighlightFormats& formats() const { return m_formats; }
    void setFormats(const HighlightFormats& formats);

protected:
    void highlightBlock(const QString& text) override;

private:
    HighlightFormats m_formats;
};

} // namespace vk::console
