// SPDX-License-Identifier: Apache-2.0
#include "mock/MockExecSession.h"

#include "mock/MockLogs.h"

#include <QFileInfo>
#include <QMetaObject>

#include <cmath>

namespace vk::mock {

namespace {

bool isShell(const QString& command)
{
    static const QStringList shells = {QStringLiteral("sh"), QStringLiteral("bash"), QStringLiteral("ash"),
                                       QStringLiteral("dash"), QStringLiteral("zsh")};
    return shells.contains(QFileInfo(command).fileName());
}

bool isSeparator(const QString& word)
{
    return word == QLatin1String(";") || word == QLatin1String("&&") || word == QLatin1String("||");
}

QByteArray ttyNewlines(QByteArray data)
{
    QByteArray out;
    out.reserve(data.size() + 8);
    for (int i = 0; i < data.size(); ++i) {
        if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
            out += '\r';
        out += data[i];
    }
    return out;
}

} // namespace

MockExecSession::MockExecSession(ExecEnvironment environment,
                                 const provider::ExecRequest& request,
                                 Clock* clock,
                                 QObject* parent)
    : provider::ExecSession(parent), m_env(std::move(environment)), m_request(request), m_clock(clock)
{
    QMetaObject::invokeMethod(
        this, [this] { start(); }, Qt::QueuedConnection);
}

QStringList MockExecSession::splitWords(const QString& line, const QList<QPair<QString, QString>>& env, bool* ok)
{
    auto lookup = [&env](const QString& name) {
        for (const auto& [key, value] : env)
            if (key == name)
                return value;
        return QString();
    };
    QStringList words;
    QString word;
    bool inWord = false;
    enum
    {
        None,
        Single,
        Double
    } quote = None;
    const int n = int(line.size());
    for (int i = 0; i < n; ++i) {
        const QChar c = line[i];
        if (quote == Single) {
            if (c == QLatin1Char('\''))
                quote = None;
            else
                word += c;
            continue;
        }
        if (c == QLatin1Char('\\') && i + 1 < n) {
            const QChar next = line[i + 1];
            if (quote == None || next == QLatin1Char('$') || next == QLatin1Char('"') || next == QLatin1Char('\\')) {
                word += next;
                ++i;
            } else {
                word += c;
            }
            inWord = true;
            continue;
        }
        if (c == QLatin1Char('$') && i + 1 < n) {
            int start = i + 1;
            QString name;
            if (line[start] == QLatin1Char('{')) {
                const int end = int(line.indexOf(QLatin1Char('}'), start));
                if (end > start) {
                    name = line.mid(start + 1, end - start - 1);
                    i = end;
                }
            } else if (line[start] == QLatin1Char('?')) {
                name = QStringLiteral("?");
                i = start;
            } else {
                int end = start;
                while (end < n && (line[end].isLetterOrNumber() || line[end] == QLatin1Char('_')))
                    ++end;
                if (end > start) {
                    name = line.mid(start, end - start);
                    i = end - 1;
                }
            }
            if (!name.isEmpty()) {
                word += lookup(name);
                inWord = true;
                continue;
            }
        }
        if (quote == Double) {
            if (c == QLatin1Char('"'))
                quote = None;
            else
                word += c;
            continue;
        }
        if (c == QLatin1Char('\'')) {
            quote = Single;
            inWord = true;
        } else if (c == QLatin1Char('"')) {
            quote = Double;
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words.append(std::exchange(word, {}));
            inWord = false;
        } else if (c == QLatin1Char(';') ||
                   ((c == QLatin1Char('&') || c == QLatin1Char('|')) && i + 1 < n && line[i + 1] == c)) {
            if (inWord)
                words.append(std::exchange(word, {}));
            inWord = false;
            if (c == QLatin1Char(';')) {
                words.append(QStringLiteral(";"));
            } else {
                words.append(QString(2, c));
                ++i;
            }
        } else if (c == QLatin1Char('#') && !inWord) {
            break; // a comment
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.append(word);
    if (ok)
        *ok = quote == None;
    return words;
}

void MockExecSession::start()
{
    if (m_done)
        return;
    const QStringList& argv = m_request.command;
    if (argv.isEmpty()) {
        err("exec: no command given\n");
        finish(126);
        return;
    }
    if (isShell(argv.first())) {
        if (argv.size() >= 3 && argv[1] == QLatin1String("-c")) {
            runCommand(argv, [this](int code) { finish(code); });
            return;
        }
        if (argv.size() == 1 || argv[1] == QLatin1String("-i") || argv[1] == QLatin1String("-l")) {
            if (!m_request.stdinOpen) {
                finish(0);
                return;
            }
            m_interactive = true;
            prompt();
            return;
        }
    }
    runCommand(argv, [this](int code) { finish(code); });
}

void MockExecSession::runWords(QStringList words, std::function<void(int)> then)
{
    // Runs the command starting at words[0]; continues after its separator per ;, && and ||.
    int end = 0;
    while (end < words.size() && !isSeparator(words[end]))
        ++end;
    const QStringList command = words.mid(0, end);
    auto next = [this, words, end, then](int code) mutable {
        m_lastExit = code;
        int pos = end;
        while (pos < words.size()) {
            const QString separator = words[pos];
            const int start = pos + 1;
            const bool run = separator == QLatin1String(";") || (separator == QLatin1String("&&") && code == 0) ||
                             (separator == QLatin1String("||") && code != 0);
            if (run) {
                if (start >= words.size())
                    break;
                runWords(words.mid(start), then);
                return;
            }
            pos = start; // skip the next command
            while (pos < words.size() && !isSeparator(words[pos]))
                ++pos;
        }
        then(code);
    };
    if (command.isEmpty()) {
        next(m_lastExit);
        return;
    }
    runCommand(command, next);
}

void MockExecSession::runCommand(const QStringList& argv, std::function<void(int)> then)
{
    const QString command = argv.first();
    const QString name = QFileInfo(command).fileName();
    const QStringList args = argv.mid(1);

    if (isShell(command) && args.size() >= 2 && args[0] == QLatin1String("-c")) {
        auto env = m_env.env;
        env.append({QStringLiteral("?"), QString::number(m_lastExit)});
        bool ok = true;
        const QStringList words = splitWords(args[1], env, &ok);
        if (!ok) {
            err(name.toUtf8() + ": syntax error: unterminated quoted string\n");
            then(2);
            return;
        }
        runWords(words, std::move(then));
        return;
    }
    if (name == QLatin1String("echo")) {
        QStringList words = args;
        bool newline = true;
        if (!words.isEmpty() && words.first() == QLatin1String("-n")) {
            newline = false;
            words.removeFirst();
        }
        out(words.join(QLatin1Char(' ')).toUtf8() + (newline ? "\n" : ""));
        then(0);
    } else if (name == QLatin1String("env") || name == QLatin1String("printenv")) {
        if (!args.isEmpty()) {
            for (const auto& [key, value] : m_env.env)
                if (key == args.first()) {
                    out(value.toUtf8() + '\n');
                    then(0);
                    return;
                }
            then(1);
            return;
        }
        QByteArray text;
        for (const auto& [key, value] : m_env.env)
            text += key.toUtf8() + '=' + value.toUtf8() + '\n';
        out(text);
        then(0);
    } else if (name == QLatin1String("cat")) {
        if (args.isEmpty()) {
            if (!m_request.stdinOpen || m_interactive || m_stdinClosed) {
                then(0);
                return;
            }
            m_catStdin = true; // copies stdin to stdout until stdin closes
            m_lines.clear();
            m_catThen = std::move(then);
            return;
        }
        int code = 0;
        for (const QString& path : args) {
            bool found = false;
            const QByteArray content = fileContent(path, &found);
            if (found) {
                out(content);
            } else {
                err("cat: " + path.toUtf8() + ": No such file or directory\n");
                code = 1;
            }
        }
        then(code);
    } else if (name == QLatin1String("exit")) {
        bool ok = true;
        const int code = args.isEmpty() ? m_lastExit : args.first().toInt(&ok);
        if (!ok) {
            err(name.toUtf8() + ": Illegal number: " + args.first().toUtf8() + '\n');
            finish(2);
            return;
        }
        finish(code & 0xff);
    } else if (name == QLatin1String("sleep")) {
        bool ok = !args.isEmpty();
        const double seconds = ok ? args.first().toDouble(&ok) : 0;
        if (!ok || seconds < 0 || !std::isfinite(seconds)) {
            err("sleep: invalid time interval '" + (args.isEmpty() ? QByteArray() : args.first().toUtf8()) + "'\n");
            then(1);
            return;
        }
        m_sleep = m_clock->schedule(qint64(std::llround(seconds * 1000)), this, [then] { then(0); });
    } else if (name == QLatin1String("hostname")) {
        out(m_env.podName.toUtf8() + '\n');
        then(0);
    } else if (name == QLatin1String("pwd")) {
        out("/\n");
        then(0);
    } else if (name == QLatin1String("whoami")) {
        out("root\n");
        then(0);
    } else if (name == QLatin1String("id")) {
        out("uid=0(root) gid=0(root) groups=0(root)\n");
        then(0);
    } else if (name == QLatin1String("true") || name == QLatin1String(":")) {
        then(0);
    } else if (name == QLatin1String("false")) {
        then(1);
    } else {
        err(command.toUtf8() + ": command not found\n");
        then(127);
    }
}

QByteArray MockExecSession::fileContent(const QString& path, bool* found) const
{
    *found = true;
    if (path == QLatin1String("/etc/hostname"))
        return m_env.podName.toUtf8() + '\n';
    if (path == QLatin1String("/etc/os-release"))
        return "PRETTY_NAME=\"VK Studio mock container\"\nNAME=\"vk-mock\"\nID=vk-mock\nVERSION_ID=\"1\"\n"
               "HOME_URL=\"https://virtual-kubelet.io\"\n";
    if (path == QLatin1String("/etc/hosts"))
        return "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
               m_env.podIp.toUtf8() + '\t' + m_env.podName.toUtf8() + '\n';
    if (path == QLatin1String("/etc/resolv.conf")) {
        const QByteArray domain = m_env.clusterDomain.toUtf8();
        return "search " + m_env.namespaceName.toUtf8() + ".svc." + domain + " svc." + domain + ' ' + domain +
               "\nnameserver 10.96.0.10\noptions ndots:5\n";
    }
    *found = false;
    return {};
}

void MockExecSession::writeStdin(const QByteArray& data)
{
    if (m_done)
        return;
    if (m_catStdin) {
        out(data);
        return;
    }
    if (!m_interactive)
        return; // the built-ins do not read stdin
    for (const char c : data) {
        if (m_request.tty) {
            if (c == 0x04) { // Ctrl-D on an empty line ends the shell
                if (m_stdinBuffer.isEmpty()) {
                    closeStdin();
                    return;
                }
                continue;
            }
            if (c == 0x03) { // Ctrl-C drops the line
                m_stdinBuffer.clear();
                out("^C\n");
                prompt();
                continue;
            }
            if (c == 0x7f || c == 0x08) {
                if (!m_stdinBuffer.isEmpty()) {
                    m_stdinBuffer.chop(1);
                    out("\b \b");
                }
                continue;
            }
            out(c == '\r' || c == '\n' ? QByteArray("\n") : QByteArray(1, c)); // the terminal echoes
        }
        if (c == '\r' || c == '\n') {
            m_lines.append(QString::fromUtf8(std::exchange(m_stdinBuffer, {})));
            continue;
        }
        m_stdinBuffer += c;
    }
    runNextLine();
}

void MockExecSession::runNextLine()
{
    while (!m_busy && !m_done && !m_lines.isEmpty()) {
        const QString line = m_lines.takeFirst();
        auto env = m_env.env;
        env.append({QStringLiteral("?"), QString::number(m_lastExit)});
        bool ok = true;
        const QStringList words = splitWords(line, env, &ok);
        if (!ok) {
            err("sh: syntax error: unterminated quoted string\n");
            m_lastExit = 2;
            prompt();
            continue;
        }
        if (words.isEmpty()) {
            prompt();
            continue;
        }
        m_busy = true;
        auto synchronous = std::make_shared<bool>(true);
        auto completed = std::make_shared<bool>(false);
        runWords(words, [this, synchronous, completed](int code) {
            m_lastExit = code;
            m_busy = false;
            if (m_done)
                return;
            prompt();
            if (*synchronous) {
                *completed = true;
                return;
            }
            runNextLine();
            if (m_stdinClosed && !m_busy && m_lines.isEmpty())
                finish(m_lastExit);
        });
        *synchronous = false;
        if (!*completed)
            return; // an asynchronous command (sleep) continues later
    }
    if (m_stdinClosed && !m_busy && m_lines.isEmpty())
        finish(m_lastExit);
}

void MockExecSession::closeStdin()
{
    if (m_done || m_stdinClosed)
        return;
    m_stdinClosed = true;
    if (m_catStdin) {
        m_catStdin = false;
        if (auto then = std::exchange(m_catThen, {}))
            then(0);
        return;
    }
    if (!m_interactive)
        return;
    if (!m_stdinBuffer.isEmpty())
        m_lines.append(QString::fromUtf8(std::exchange(m_stdinBuffer, {})));
    runNextLine();
}

void MockExecSession::resize(provider::TerminalSize) {}

void MockExecSession::cancel()
{
    m_cancelled = true;
    m_done = true;
    m_sleep.cancel();
}

void MockExecSession::prompt()
{
    if (m_interactive && m_request.tty && !m_done)
        out("# ");
}

void MockExecSession::out(const QByteArray& data)
{
    if (m_done || !m_request.stdoutWanted || data.isEmpty())
        return;
    const QByteArray bytes = m_request.tty ? ttyNewlines(data) : data;
    QMetaObject::invokeMethod(
        this,
        [this, bytes] {
            if (!m_cancelled)
                Q_EMIT stdoutData(bytes);
        },
        Qt::QueuedConnection);
}

void MockExecSession::err(const QByteArray& data)
{
    if (m_request.tty) { // a terminal has one output stream
        out(data);
        return;
    }
    if (m_done || !m_request.stderrWanted || data.isEmpty())
        return;
    QMetaObject::invokeMethod(
        this,
        [this, data] {
            if (!m_cancelled)
                Q_EMIT stderrData(data);
        },
        Qt::QueuedConnection);
}

void MockExecSession::finish(int exitCode)
{
    if (m_done)
        return;
    m_done = true;
    m_sleep.cancel();
    QMetaObject::invokeMethod(
        this,
        [this, exitCode] {
            if (!m_cancelled)
                Q_EMIT finished(exitCode, Status());
        },
        Qt::QueuedConnection);
}

MockAttachSession::MockAttachSession(LogBuffer* buffer, const provider::ExecRequest& request, QObject* parent)
    : provider::ExecSession(parent), m_buffer(buffer), m_tty(request.tty)
{
    if (buffer->isEnded()) {
        const int code = buffer->exitCode();
        post([this, code] { Q_EMIT finished(code, Status()); });
        m_done = true;
        return;
    }
    connect(buffer, &LogBuffer::lineAppended, this, [this](const LogLine& line) {
        const QByteArray text = line.text + (m_tty ? "\r\n" : "\n");
        post([this, text] { Q_EMIT stdoutData(text); });
    });
    connect(buffer, &LogBuffer::ended, this, [this](int code) {
        m_done = true;
        post([this, code] { Q_EMIT finished(code, Status()); });
    });
    connect(buffer, &QObject::destroyed, this, [this] {
        if (!std::exchange(m_done, true))
            post([this] { Q_EMIT finished(0, Status()); });
    });
}

void MockAttachSession::writeStdin(const QByteArray& data)
{
    if (m_done)
        return;
    const QByteArray echo = m_tty ? ttyNewlines(QByteArray(data).replace('\r', '\n')) : data;
    post([this, echo] { Q_EMIT stdoutData(echo); });
}

void MockAttachSession::cancel()
{
    m_done = true;
    m_cancelledPost = true;
    if (m_buffer)
        disconnect(m_buffer, nullptr, this, nullptr);
}

void MockAttachSession::post(std::function<void()> fn)
{
    QMetaObject::invokeMethod(
        this,
        [this, fn = std::move(fn)] {
            if (!m_cancelledPost)
                fn();
        },
        Qt::QueuedConnection);
}

} // namespace vk::mock
