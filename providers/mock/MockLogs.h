// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "provider/Provider.h"

#include <QDateTime>
#include <QList>
#include <QPointer>

namespace vk::mock {

/// One generated log line (text without the newline).
struct LogLine
{
    QDateTime time;
    QByteArray text;
};

/// The output of one container instance: lines appended while it runs, ended with its exit code.
class LogBuffer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxLines = 10000;

    using QObject::QObject;
    void append(const QDateTime& time, const QByteArray& text);
    /// The instance stopped; followers finish.
    void end(int exitCode);
    bool isEnded() const { return m_ended; }
    int exitCode() const { return m_exitCode; }
    const QList<LogLine>& lines() const { return m_lines; }

Q_SIGNALS:
    void lineAppended(const vk::mock::LogLine& line);
    void ended(int exitCode);

private:
    QList<LogLine> m_lines;
    bool m_ended = false;
    int m_exitCode = 0;
};

/// kubectl logs over a LogBuffer: tailLines, sinceSeconds/sinceTime, timestamps, limitBytes, follow.
class MockLogStream : public provider::LogStream
{
    Q_OBJECT
public:
    MockLogStream(LogBuffer* buffer, const provider::LogOptions& options, Clock* clock, QObject* parent = nullptr);

    QByteArray read() override;
    void close() override;

private:
    void add(const LogLine& line);
    void finish();

    QPointer<LogBuffer> m_buffer;
    provider::LogOptions m_options;
    QByteArray m_pending;
    qint64 m_written = 0;
    bool m_finished = false;
    bool m_limitReached = false;
    bool m_closed = false;
};

} // namespace vk::mock
