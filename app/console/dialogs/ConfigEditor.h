// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "EditorHighlighting.h"

#include <QPlainTextEdit>

namespace vk::console {

/// The provider config editor: a monospace QPlainTextEdit with a line-number gutter, YAML/JSON highlighting
/// (EditorHighlighting) and a validation error marker: a wavy underline on the error's line, a mark in the
/// gutter, and the message as tooltip on both. objectName "configEditor".
class ConfigEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    using Language = EditorHighlighting::Language;

    explicit ConfigEditor(QWidget* parent = nullptr);
    ~ConfigEditor() override;

    Language language() const { return m_language; }
    /// Switches the highlighter; turns language auto-detection off.
    void setLanguage(Language language);
    /// On by default: the language follows the text (JSON when it starts with '{' or '[', else YAML).
    void setAutoDetectLanguage(bool enabled);
    bool autoDetectLanguage() const { return m_autoDetect; }
    /// The attached highlighter (YamlHighlighter, JsonHighlighter or KF6's).
    QObject* highlighter() const { return m_highlighter; }

    /// Replaces the whole text as one undoable edit (unlike setPlainText, which clears the undo history).
    void replaceText(const QString& text);

    /// Marks the 1-based `line` as wrong with `message` (tooltip of the line and of its gutter mark). A line
    /// outside the text shows only the message as the editor's tooltip.
    void showError(int line, const QString& message);
    void clearError();
    int errorLine() const { return m_errorLine; }
    QString errorMessage() const { return m_errorMessage; }
    bool hasError() const { return !m_errorMessage.isEmpty(); }

    QWidget* lineNumberArea() const { return m_gutter; }
    int lineNumberAreaWidth() const;

Q_SIGNALS:
    void languageChanged(vk::console::EditorHighlighting::Language language);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    friend class ConfigEditorGutter;
    void paintGutter(QPaintEvent* event);
    bool gutterEvent(QEvent* event);
    void attachHighlighter();
    void updateGutterWidth();
    void updateGutter(const QRect& rect, int dy);
    void updateSelections();
    void detectLanguage();

    QWidget* m_gutter = nullptr;
    QObject* m_highlighter = nullptr;
    Language m_language = Language::Yaml;
    bool m_autoDetect = true;
    bool m_attaching = false;
    int m_errorLine = 0;
    QString m_errorMessage;
};

} // namespace vk::console
