// SPDX-License-Identifier: Apache-2.0
#include "mock/MockLogs.h"

#include <QMetaObject>

namespace vk::mock {

void LogBuffer::append(const QDateTime& time, const QByteArray& text)
{
    if (m_ended)
        return;
    m_lines.append(LogLine{time, text});
    if (m_lines.size() > kMaxLines)
        m_lines.removeFirst();
    Q_EMIT lineAppended(m_lines.constLast());
}

void LogBuffer::end(int exitCode)
{
    if (m_ended)
        return;
    m_ended = true;
    m_exitCode = exitCode;
    Q_EMIT ended(exitCode);
}

MockLogStream::MockLogStream(LogBuffer* buffer, const provider::LogOptions& options, Clock* clock, QObject* parent)
    : provider::LogStream(parent), m_buffer(buffer), m_options(options)
{
    // The lines already there, filtered by since and tail.
    QDateTime since = options.sinceTime;
    if (options.sinceSeconds)
        since = clock->now().addSecs(-*options.sinceSeconds);
    QList<LogLine> lines;
    for (const LogLine& line : buffer->lines())
        if (!since.isValid() || line.time >= since)
            lines.append(line);
    if (options.tailLines && lines.size() > *options.tailLines)
        lines = lines.mid(lines.size() - int(*options.tailLines));
    for (const LogLine& line : lines)
        add(line);

    const bool more = options.follow && !buffer->isEnded() && !m_limitReached;
    if (more) {
        connect(buffer, &LogBuffer::lineAppended, this, [this](const LogLine& line) {
            add(line);
            if (m_closed)
                return;
            Q_EMIT readyRead();
            if (m_limitReached)
                finish();
        });
        connect(buffer, &LogBuffer::ended, this, [this] { finish(); });
        connect(buffer, &QObject::destroyed, this, [this] { finish(); });
    }
    // Signals go out once the consumer had a chance to connect.
    QMetaObject::invokeMethod(
        this,
        [this, more] {
            if (m_closed)
                return;
            if (!m_pending.isEmpty())
                Q_EMIT readyRead();
            if (!more || m_limitReached)
                finish();
        },
        Qt::QueuedConnection);
}

void MockLogStream::add(const LogLine& line)
{
    if (m_limitReached)
        return;
    QByteArray text;
    if (m_options.timestamps)
        text = line.time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")).toLatin1() + "000000Z ";
    text += line.text + '\n';
    if (m_options.limitBytes) {
        const qint64 room = *m_options.limitBytes - m_written;
        if (room <= 0)
            return;
        if (text.size() >= room) {
            text.truncate(int(room));
            m_pending += text;
            m_written += text.size();
            m_limitReached = true; // the limit ends the stream, follow or not
            return;
        }
    }
    m_pending += text;
    m_written += text.size();
}

void MockLogStream::finish()
{
    if (m_finished || m_closed)
        return;
    m_finished = true;
    if (m_buffer)
        disconnect(m_buffer, nullptr, this, nullptr);
    Q_EMIT finished(Status());
}

QByteArray MockLogStream::read()
{
    return std::exchange(m_pending, {});
}

void MockLogStream::close()
{
    m_closed = true;
    if (m_buffer)
        disconnect(m_buffer, nullptr, this, nullptr);
}

} // namespace vk::mock
