// SPDX-License-Identifier: Apache-2.0
#include "ConfigEditor.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QPainter>
#include <QTextBlock>
#include <QToolTip>

namespace vk::console {

/// The line-number gutter; painting and tooltips are done by the editor.
class ConfigEditorGutter : public QWidget
{
public:
    explicit ConfigEditorGutter(ConfigEditor* editor) : QWidget(editor), m_editor(editor)
    {
        setObjectName(QStringLiteral("lineNumberArea"));
    }
    QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent* event) override { m_editor->paintGutter(event); }
    bool event(QEvent* event) override { return m_editor->gutterEvent(event) || QWidget::event(event); }

private:
    ConfigEditor* m_editor;
};

ConfigEditor::ConfigEditor(QWidget* parent) : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("configEditor"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(false);
    setTabStopDistance(QFontMetricsF(font()).horizontalAdvance(QLatin1Char(' ')) * 2);
    m_gutter = new ConfigEditorGutter(this);
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { updateGutterWidth(); });
    connect(this, &QPlainTextEdit::updateRequest, this, &ConfigEditor::updateGutter);
    connect(this, &QPlainTextEdit::textChanged, this, &ConfigEditor::detectLanguage);
    updateGutterWidth();
    attachHighlighter();
}

ConfigEditor::~ConfigEditor() = default;

void ConfigEditor::setLanguage(Language language)
{
    m_autoDetect = false;
    if (language == m_language && m_highlighter)
        return;
    m_language = language;
    attachHighlighter();
    Q_EMIT languageChanged(language);
}

void ConfigEditor::setAutoDetectLanguage(bool enabled)
{
    m_autoDetect = enabled;
    detectLanguage();
}

void ConfigEditor::replaceText(const QString& text)
{
    if (text == toPlainText())
        return;
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
    cursor.endEditBlock();
}

void ConfigEditor::showError(int line, const QString& message)
{
    m_errorLine = line;
    m_errorMessage = message;
    updateSelections();
    m_gutter->update();
}

void ConfigEditor::clearError()
{
    if (m_errorMessage.isEmpty() && m_errorLine == 0)
        return;
    m_errorLine = 0;
    m_errorMessage.clear();
    updateSelections();
    m_gutter->update();
}

int ConfigEditor::lineNumberAreaWidth() const
{
    int digits = 2;
    for (int max = qMax(1, blockCount()); max >= 100; max /= 10)
        ++digits;
    return 10 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + fontMetrics().height() / 2;
}

void ConfigEditor::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect contents = contentsRect();
    m_gutter->setGeometry(QRect(contents.left(), contents.top(), lineNumberAreaWidth(), contents.height()));
}

void ConfigEditor::changeEvent(QEvent* event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        attachHighlighter();
        updateSelections();
    } else if (event->type() == QEvent::FontChange) {
        updateGutterWidth();
    }
}

bool ConfigEditor::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && hasError()) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QTextBlock block = cursorForPosition(help->pos()).block();
        if (m_errorLine < 1 || block.blockNumber() == m_errorLine - 1) {
            QToolTip::showText(help->globalPos(), m_errorMessage, viewport());
            return true;
        }
        QToolTip::hideText();
        return true;
    }
    return QPlainTextEdit::viewportEvent(event);
}

void ConfigEditor::attachHighlighter()
{
    // Highlighting marks the document dirty, which emits textChanged(): no language detection meanwhile.
    m_attaching = true;
    m_highlighter = nullptr;
    m_highlighter = EditorHighlighting::attach(document(), m_language, palette());
    m_attaching = false;
}

void ConfigEditor::updateGutterWidth()
{
    setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void ConfigEditor::updateGutter(const QRect& rect, int dy)
{
    if (dy)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    if (rect.contains(viewport()->rect()))
        updateGutterWidth();
}

void ConfigEditor::updateSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (hasError()) {
        const QTextEdit::ExtraSelection error =
            EditorHighlighting::errorSelection(document(), m_errorLine, m_errorMessage, palette());
        if (!error.cursor.isNull())
            selections.append(error);
    }
    setExtraSelections(selections);
    setToolTip(hasError() && (m_errorLine < 1 || m_errorLine > blockCount()) ? m_errorMessage : QString());
}

void ConfigEditor::detectLanguage()
{
    if (!m_autoDetect || m_attaching)
        return;
    const Language detected = EditorHighlighting::detect(toPlainText());
    if (detected == m_language && m_highlighter)
        return;
    m_language = detected;
    attachHighlighter();
    Q_EMIT languageChanged(detected);
}

void ConfigEditor::paintGutter(QPaintEvent* event)
{
    QPainter painter(m_gutter);
    const QPalette& pal = palette();
    painter.fillRect(event->rect(), pal.color(QPalette::AlternateBase));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int width = m_gutter->width();
    const int lineHeight = fontMetrics().height();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int number = block.blockNumber() + 1;
            const bool isError = hasError() && number == m_errorLine;
            if (isError) {
                const QColor color = HighlightFormats::errorColor(pal);
                painter.setBrush(color);
                painter.setPen(Qt::NoPen);
                const int d = qMax(4, lineHeight / 2);
                painter.drawEllipse(QRect(3, top + (lineHeight - d) / 2, d, d));
                painter.setPen(color);
            } else {
                painter.setPen(pal.color(QPalette::PlaceholderText));
            }
            painter.drawText(0, top, width - 4, lineHeight, Qt::AlignRight | Qt::AlignVCenter, QString::number(number));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

bool ConfigEditor::gutterEvent(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return false;
    auto* help = static_cast<QHelpEvent*>(event);
    const QTextBlock block = cursorForPosition(QPoint(0, help->pos().y())).block();
    if (hasError() && block.blockNumber() == m_errorLine - 1)
        QToolTip::showText(help->globalPos(), m_errorMessage, m_gutter);
    else
        QToolTip::hideText();
    return true;
}

} // namespace vk::console
