// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QHash>
#include <QRegularExpression>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QToolButton;

namespace vk::console {

class MatchHighlighter;

/// `kubectl logs` in a window: follow, tail N, since, timestamps, previous container, wrap, regex search with
/// highlighted matches and next/previous, save and copy. Several pods in one view, each coloured. The view only
/// asks for streams (startRequested/stopRequested) and shows the lines it is given.
class LogView : public QWidget
{
    Q_OBJECT

public:
    explicit LogView(QWidget* parent = nullptr);

    /// Shows the logs of these pods ("ns/name", optionally "ns/name/container"), replacing what was shown.
    void setPods(const QStringList& podKeys);
    QStringList pods() const { return m_pods; }
    void appendLines(int streamId, const QStringList& lines);
    void streamFinished(int streamId, const QString& error);
    /// Stops every stream (e.g. on disconnect).
    void stopAll();

    QString text() const;
    int matchCount() const { return m_matchCount; }
    bool saveTo(const QString& path, QString* error = nullptr) const;
    QColor colorForPod(const QString& podKey) const;

Q_SIGNALS:
    void startRequested(int streamId, const vk::console::LogRequest& request);
    void stopRequested(int streamId);

private:
    LogRequest requestFor(const QString& podKey) const;
    void restartStreams();
    void updateSearch();
    void findNext(bool backwards);
    void save();

    QStringList m_pods;
    QHash<int, QString> m_streams; ///< stream id → pod key
    QHash<QString, int> m_colorIndex;
    int m_nextStreamId = 1;
    int m_matchCount = 0;

    QCheckBox* m_follow;
    QComboBox* m_tail;
    QComboBox* m_since;
    QCheckBox* m_timestamps;
    QCheckBox* m_previous;
    QCheckBox* m_wrap;
    QLineEdit* m_search;
    QLabel* m_matches;
    QLabel* m_state;
    QPlainTextEdit* m_text;
    MatchHighlighter* m_highlighter;
};

} // namespace vk::console
