// SPDX-License-Identifier: Apache-2.0
#include "LogView.h"
#include "ConsoleStyle.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSyntaxHighlighter>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace vk::console {

/// Highlights every match of the search expression.
class MatchHighlighter : public QSyntaxHighlighter
{
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

    void setExpression(const QRegularExpression& expression)
    {
        m_expression = expression;
        rehighlight();
    }

protected:
    void highlightBlock(const QString& text) override
    {
        if (!m_expression.isValid() || m_expression.pattern().isEmpty())
            return;
        QTextCharFormat format;
        format.setBackground(QColor(0xff, 0xd5, 0x4f));
        format.setForeground(QColor(Qt::black));
        auto it = m_expression.globalMatch(text);
        while (it.hasNext()) {
            const auto match = it.next();
            if (match.capturedLength() == 0)
                break;
            setFormat(int(match.capturedStart()), int(match.capturedLength()), format);
        }
    }

private:
    QRegularExpression m_expression;
};

namespace {
const QList<QColor> kPodColors = {QColor(0x2f, 0x80, 0xd1), QColor(0x2e, 0xa0, 0x43), QColor(0xb8, 0x5c, 0xd6),
                                  QColor(0xd0, 0x7a, 0x20), QColor(0x1f, 0xa5, 0xa5), QColor(0xd9, 0x3f, 0x6f)};
}

LogView::LogView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("logView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    layout->addLayout(bar);

    m_follow = new QCheckBox(tr("&Follow"), this);
    m_follow->setObjectName(QStringLiteral("logFollowCheck"));
    m_follow->setChecked(true);
    m_tail = new QComboBox(this);
    m_tail->setObjectName(QStringLiteral("logTailCombo"));
    for (int n : {100, 500, 1000, 5000})
        m_tail->addItem(tr("tail %1").arg(n), n);
    m_tail->addItem(tr("all lines"), -1);
    m_tail->setCurrentIndex(1);
    m_since = new QComboBox(this);
    m_since->setObjectName(QStringLiteral("logSinceCombo"));
    m_since->addItem(tr("since start"), 0);
    m_since->addItem(tr("last 1 min"), 60);
    m_since->addItem(tr("last 5 min"), 300);
    m_since->addItem(tr("last 1 h"), 3600);
    m_timestamps = new QCheckBox(tr("&Timestamps"), this);
    m_timestamps->setObjectName(QStringLiteral("logTimestampsCheck"));
    m_previous = new QCheckBox(tr("&Previous"), this);
    m_previous->setObjectName(QStringLiteral("logPreviousCheck"));
    m_previous->setToolTip(tr("The logs of the previous instance of the container (after a restart)"));
    m_wrap = new QCheckBox(tr("&Wrap"), this);
    m_wrap->setObjectName(QStringLiteral("logWrapCheck"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearchEdit"));
    m_search->setPlaceholderText(tr("regex search…"));
    m_search->setClearButtonEnabled(true);
    auto* prev = new QToolButton(this);
    prev->setObjectName(QStringLiteral("logPrevMatchButton"));
    prev->setText(QStringLiteral("▲"));
    prev->setToolTip(tr("Previous match (Shift+F3)"));
    prev->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    auto* next = new QToolButton(this);
    next->setObjectName(QStringLiteral("logNextMatchButton"));
    next->setText(QStringLiteral("▼"));
    next->setToolTip(tr("Next match (F3)"));
    next->setShortcut(QKeySequence(Qt::Key_F3));
    m_matches = new QLabel(this);
    m_matches->setObjectName(QStringLiteral("logMatchLabel"));
    auto* save = new QToolButton(this);
    save->setObjectName(QStringLiteral("logSaveButton"));
    save->setText(tr("Save…"));
    auto* copy = new QToolButton(this);
    copy->setObjectName(QStringLiteral("logCopyButton"));
    copy->setText(tr("Copy"));
    auto* clear = new QToolButton(this);
    clear->setObjectName(QStringLiteral("logClearButton"));
    clear->setText(tr("Clear"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("logStateLabel"));

    for (QWidget* w : std::initializer_list<QWidget*>{m_follow, m_tail, m_since, m_timestamps, m_previous, m_wrap})
        bar->addWidget(w);
    bar->addSpacing(12);
    bar->addWidget(m_search, 1);
    for (QWidget* w : std::initializer_list<QWidget*>{prev, next, m_matches, save, copy, clear, m_state})
        bar->addWidget(w);

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("logText"));
    m_text->setReadOnly(true);
    m_text->setMaximumBlockCount(200000);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setPlaceholderText(tr("Select one or more pods and press Ctrl+L to see their logs."));
    layout->addWidget(m_text, 1);
    m_highlighter = new MatchHighlighter(m_text->document());

    for (QCheckBox* box : {m_follow, m_timestamps, m_previous})
        connect(box, &QCheckBox::toggled, this, &LogView::restartStreams);
    connect(m_tail, &QComboBox::currentIndexChanged, this, &LogView::restartStreams);
    connect(m_since, &QComboBox::currentIndexChanged, this, &LogView::restartStreams);
    connect(m_wrap, &QCheckBox::toggled, this,
            [this](bool on) { m_text->setLineWrapMode(on ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap); });
    connect(m_search, &QLineEdit::textChanged, this, &LogView::updateSearch);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNext(false); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(prev, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(save, &QToolButton::clicked, this, &LogView::save);
    connect(copy, &QToolButton::clicked, this, [this] {
        QString selected = m_text->textCursor().selectedText();
        selected.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
        QApplication::clipboard()->setText(selected.isEmpty() ? m_text->toPlainText() : selected);
    });
    connect(clear, &QToolButton::clicked, m_text, &QPlainTextEdit::clear);
}

LogRequest LogView::requestFor(const QString& podKey) const
{
    LogRequest request;
    const QStringList parts = podKey.split(QLatin1Char('/'));
    request.namespaceName = parts.value(0);
    request.pod = parts.value(1);
    request.container = parts.value(2);
    request.follow = m_follow->isChecked() && !m_previous->isChecked();
    request.tailLines = m_tail->currentData().toInt();
    request.sinceSeconds = m_since->currentData().toLongLong();
    request.timestamps = m_timestamps->isChecked();
    request.previous = m_previous->isChecked();
    return request;
}

QColor LogView::colorForPod(const QString& podKey) const
{
    return kPodColors.at(m_colorIndex.value(podKey, 0) % kPodColors.size());
}

void LogView::setPods(const QStringList& podKeys)
{
    m_pods = podKeys;
    m_colorIndex.clear();
    for (int i = 0; i < podKeys.size(); ++i)
        m_colorIndex.insert(podKeys.at(i), i);
    restartStreams();
}

void LogView::stopAll()
{
    for (auto it = m_streams.begin(); it != m_streams.end(); ++it)
        Q_EMIT stopRequested(it.key());
    m_streams.clear();
    m_state->clear();
}

void LogView::restartStreams()
{
    stopAll();
    m_text->clear();
    for (const QString& key : std::as_const(m_pods)) {
        const int id = m_nextStreamId++;
        m_streams.insert(id, key);
        Q_EMIT startRequested(id, requestFor(key));
    }
    if (!m_pods.isEmpty())
        m_state->setText(m_follow->isChecked() ? tr("following %n pod(s)", nullptr, int(m_pods.size()))
                                               : tr("%n pod(s)", nullptr, int(m_pods.size())));
}

void LogView::appendLines(int streamId, const QStringList& lines)
{
    auto it = m_streams.constFind(streamId);
    if (it == m_streams.constEnd() || lines.isEmpty())
        return;
    const QString key = it.value();
    QScrollBar* bar = m_text->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    QTextCharFormat prefix;
    prefix.setForeground(colorForPod(key));
    prefix.setFontWeight(QFont::Bold);
    const QTextCharFormat plain;
    const bool several = m_pods.size() > 1;
    cursor.beginEditBlock();
    for (const QString& line : lines) {
        if (!m_text->document()->isEmpty())
            cursor.insertBlock();
        if (several)
            cursor.insertText(QStringLiteral("[%1] ").arg(key.section(QLatin1Char('/'), 1, 1)), prefix);
        cursor.insertText(line, plain);
    }
    cursor.endEditBlock();
    if (atBottom)
        bar->setValue(bar->maximum());
    if (!m_search->text().isEmpty())
        updateSearch();
}

void LogView::streamFinished(int streamId, const QString& error)
{
    const QString key = m_streams.take(streamId);
    if (key.isEmpty())
        return;
    if (!error.isEmpty()) {
        QTextCursor cursor(m_text->document());
        cursor.movePosition(QTextCursor::End);
        QTextCharFormat format;
        format.setForeground(style::failing());
        if (!m_text->document()->isEmpty())
            cursor.insertBlock();
        cursor.insertText(tr("[%1] error: %2").arg(key, error), format);
    }
    m_state->setText(m_streams.isEmpty() ? tr("ended") : m_state->text());
}

QString LogView::text() const
{
    return m_text->toPlainText();
}

void LogView::updateSearch()
{
    QRegularExpression expression(m_search->text(), QRegularExpression::CaseInsensitiveOption);
    if (!expression.isValid()) {
        m_matches->setText(tr("bad regex: %1").arg(expression.errorString()));
        m_highlighter->setExpression({});
        m_matchCount = 0;
        return;
    }
    m_highlighter->setExpression(expression);
    m_matchCount = 0;
    if (!m_search->text().isEmpty()) {
        for (QTextBlock block = m_text->document()->begin(); block.isValid(); block = block.next()) {
            auto it = expression.globalMatch(block.text());
            while (it.hasNext()) {
                if (it.next().capturedLength() == 0)
                    break;
                ++m_matchCount;
            }
        }
    }
    m_matches->setText(m_search->text().isEmpty() ? QString() : tr("%n match(es)", nullptr, m_matchCount));
}

void LogView::findNext(bool backwards)
{
    QRegularExpression expression(m_search->text(), QRegularExpression::CaseInsensitiveOption);
    if (!expression.isValid() || m_search->text().isEmpty())
        return;
    const QTextDocument::FindFlags flags = backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    if (!m_text->find(expression, flags)) {
        // Wrap around.
        QTextCursor cursor(m_text->document());
        cursor.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
        m_text->setTextCursor(cursor);
        m_text->find(expression, flags);
    }
}

bool LogView::saveTo(const QString& path, QString* error) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error)
            *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(m_text->toPlainText().toUtf8());
    file.write("\n");
    return true;
}

void LogView::save()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save logs"), QStringLiteral("logs.txt"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error))
        m_state->setText(error);
}

} // namespace vk::console
