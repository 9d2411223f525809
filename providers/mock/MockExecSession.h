// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "provider/Provider.h"

#include <QPair>
#include <QPointer>

namespace vk::mock {

class LogBuffer;

/// What a command sees of its container.
struct ExecEnvironment
{
    QString namespaceName;
    QString podName;
    QString container;
    QString podIp;
    QString clusterDomain = QStringLiteral("cluster.local");
    QList<QPair<QString, QString>> env; ///< the container's resolved env, in spec order
};

/// A tiny shell: built-in commands (echo, env, cat, exit, sleep, hostname, pwd, whoami, true, false), `sh -c '...'`
/// with `;`/`&&`/`||` and $VAR expansion, and an interactive `sh` reading stdin lines (tty: echo and a "# " prompt).
/// Anything else is "<cmd>: command not found" with exit code 127.
class MockExecSession : public provider::ExecSession
{
    Q_OBJECT
public:
    MockExecSession(ExecEnvironment environment,
                    const provider::ExecRequest& request,
                    Clock* clock,
                    QObject* parent = nullptr);

    void writeStdin(const QByteArray& data) override;
    void closeStdin() override;
    void resize(provider::TerminalSize size) override;
    void cancel() override;

    /// Splits a shell line into words (quotes, backslashes, $VAR/${VAR}); ";", "&&" and "||" come out as their own
    /// words. Exposed for tests.
    static QStringList splitWords(const QString& line, const QList<QPair<QString, QString>>& env, bool* ok = nullptr);

private:
    void start();
    void runWords(QStringList words, std::function<void(int)> then);
    void runCommand(const QStringList& argv, std::function<void(int)> then);
    void runNextLine();
    void out(const QByteArray& data);
    void err(const QByteArray& data);
    void finish(int exitCode);
    void prompt();
    QByteArray fileContent(const QString& path, bool* found) const;

    ExecEnvironment m_env;
    provider::ExecRequest m_request;
    Clock* m_clock;
    bool m_interactive = false;
    bool m_catStdin = false;
    bool m_busy = false;
    bool m_stdinClosed = false;
    bool m_done = false;
    bool m_cancelled = false;
    int m_lastExit = 0;
    std::function<void(int)> m_catThen;
    QByteArray m_stdinBuffer;
    QStringList m_lines;
    ScheduledCall m_sleep;
};

/// kubectl attach: the container's new log lines on stdout, stdin echoed back; ends with the container.
class MockAttachSession : public provider::ExecSession
{
    Q_OBJECT
public:
    MockAttachSession(LogBuffer* buffer, const provider::ExecRequest& request, QObject* parent = nullptr);

    void writeStdin(const QByteArray& data) override;
    void closeStdin() override {}
    void resize(provider::TerminalSize) override {}
    void cancel() override;

private:
    void post(std::function<void()> fn);
    QPointer<LogBuffer> m_buffer;
    bool m_tty = false;
    bool m_done = false;
    bool m_cancelledPost = false;
};

} // namespace vk::mock
