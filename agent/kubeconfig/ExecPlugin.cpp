// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/ExecPlugin.h"

#include "core/Json.h"
#include "kubeconfig/Logging.h"
#include "kubeconfig/Pem.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

namespace vk::kube {

namespace {

constexpr qsizetype kMaxStdout = 4 * 1024 * 1024;
constexpr qsizetype kMaxStderrKept = 64 * 1024;
constexpr qsizetype kMaxStderrShown = 2000;

Error unauthorized(const QString& message)
{
    return Error(ErrorCategory::Unauthorized, message);
}

} // namespace

QByteArray execInfo(const ClusterConnection& connection)
{
    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (connection.exec && connection.exec->provideClusterInfo) {
        QJsonObject cluster{{QStringLiteral("server"), connection.server.toString()}};
        if (!connection.tlsServerName.isEmpty())
            cluster.insert(QStringLiteral("tls-server-name"), connection.tlsServerName);
        if (connection.insecureSkipTlsVerify)
            cluster.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        if (!connection.caCertificates.isEmpty())
            cluster.insert(QStringLiteral("certificate-authority-data"),
                           QString::fromLatin1(pem::toPem(connection.caCertificates).toBase64()));
        if (!connection.proxyUrl.isEmpty())
            cluster.insert(QStringLiteral("proxy-url"), connection.proxyUrl.toString());
        spec.insert(QStringLiteral("cluster"), cluster);
    }
    const QJsonObject info{{QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                           {QStringLiteral("apiVersion"), connection.exec ? connection.exec->apiVersion : QString()},
                           {QStringLiteral("spec"), spec}};
    return json::compact(info);
}

Result<ExecCredential> parseExecCredential(const QByteArray& output, const QString& apiVersion, const QString& plugin)
{
    auto parsed = json::parseObject(output, QStringLiteral("standard output"));
    if (!parsed)
        return unauthorized(
            QStringLiteral("%1: decoding its output as an ExecCredential: %2").arg(plugin, parsed.error().message()));
    const QJsonObject& object = *parsed;
    const QString returnedVersion = object.value(QLatin1String("apiVersion")).toString();
    if (returnedVersion != apiVersion)
        return unauthorized(
            QStringLiteral("%1 is configured to use API version %2, plugin returned version %3")
                .arg(plugin, apiVersion, returnedVersion.isEmpty() ? QStringLiteral("(none)") : returnedVersion));
    const QString kind = object.value(QLatin1String("kind")).toString();
    if (kind != QLatin1String("ExecCredential"))
        return unauthorized(QStringLiteral("%1 returned kind \"%2\", expected ExecCredential").arg(plugin, kind));
    const QJsonValue statusValue = object.value(QLatin1String("status"));
    if (!statusValue.isObject())
        return unauthorized(QStringLiteral("%1 didn't return a status field").arg(plugin));
    const QJsonObject status = statusValue.toObject();
    for (const char* key : {"token", "clientCertificateData", "clientKeyData", "expirationTimestamp"}) {
        const QJsonValue v = status.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isNull() && !v.isString())
            return unauthorized(QStringLiteral("%1: status.%2 must be a string").arg(plugin, QLatin1String(key)));
    }
    ExecCredential credential;
    credential.token = status.value(QLatin1String("token")).toString();
    const QString certPem = status.value(QLatin1String("clientCertificateData")).toString();
    const QString keyPem = status.value(QLatin1String("clientKeyData")).toString();
    if (credential.token.isEmpty() && certPem.isEmpty() && keyPem.isEmpty())
        return unauthorized(QStringLiteral("%1 didn't return a token or cert/key pair").arg(plugin));
    if (certPem.isEmpty() != keyPem.isEmpty())
        return unauthorized(QStringLiteral("%1 returned only certificate or key, not both").arg(plugin));
    if (!certPem.isEmpty()) {
        auto cert = pem::certificate(certPem.toUtf8(), plugin + QStringLiteral(": status.clientCertificateData"));
        if (!cert)
            return unauthorized(cert.error().message());
        auto key = pem::privateKey(keyPem.toUtf8(), plugin + QStringLiteral(": status.clientKeyData"));
        if (!key)
            return unauthorized(key.error().message());
        credential.clientCertificate = *cert;
        credential.clientKey = *key;
    }
    const QString expiry = status.value(QLatin1String("expirationTimestamp")).toString();
    if (!expiry.isEmpty()) {
        credential.expiry = json::parseTime(expiry);
        if (!credential.expiry.isValid())
            return unauthorized(
                QStringLiteral("%1: status.expirationTimestamp \"%2\" is not an RFC 3339 time").arg(plugin, expiry));
    }
    return credential;
}

ExecPluginRun::ExecPluginRun(ClusterConnection connection, Clock* clock, qint64 timeoutMs, Done done)
    : m_connection(std::move(connection)), m_clock(clock), m_timeoutMs(timeoutMs), m_done(std::move(done)),
      m_name(describe(m_connection))
{}

ExecPluginRun::~ExecPluginRun()
{
    m_timeout.cancel();
}

QString ExecPluginRun::describe(const ClusterConnection& connection)
{
    const QString command = connection.exec ? connection.exec->command : QString();
    if (connection.userName.isEmpty())
        return QStringLiteral("exec plugin \"%1\"").arg(command);
    return QStringLiteral("exec plugin \"%1\" of user \"%2\"").arg(command, connection.userName);
}

Error ExecPluginRun::failure(const QString& message) const
{
    return unauthorized(m_name + QStringLiteral(": ") + message);
}

void ExecPluginRun::start()
{
    const ExecConfig& exec = *m_connection.exec;

    // Look the command up first, as exec.LookPath does, so that a missing plugin gets its install hint.
    QString program = exec.command;
    if (!program.contains(QLatin1Char('/')))
        program = QStandardPaths::findExecutable(program);
    else if (!QFileInfo(program).isFile())
        program.clear();
    if (program.isEmpty()) {
        QString message = QStringLiteral("executable not found. It looks like you are trying to use a client-go "
                                         "credential plugin that is not installed.");
        if (!exec.installHint.isEmpty())
            message += QStringLiteral("\n\n") + exec.installHint.trimmed();
        Error error = failure(message);
        // Asynchronous like every other outcome of a run.
        QMetaObject::invokeMethod(
            this, [this, error] { finish(error); }, Qt::QueuedConnection);
        return;
    }

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : exec.env)
        env.insert(name, value);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"), QString::fromUtf8(execInfo(m_connection)));

    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(exec.args);
    m_process->setProcessEnvironment(env);
    m_process->setStandardInputFile(QProcess::nullDevice()); // never interactive: we have no terminal
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_stdout += m_process->readAllStandardOutput();
        if (m_stdout.size() > kMaxStdout && !m_outputTooLarge) {
            m_outputTooLarge = true;
            m_process->kill();
            finish(failure(QStringLiteral("wrote more than %1 bytes to standard output").arg(kMaxStdout)));
        }
    });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        const QByteArray chunk = m_process->readAllStandardError();
        if (m_stderr.size() < kMaxStderrKept)
            m_stderr += chunk.left(kMaxStderrKept - m_stderr.size());
    });
    connect(m_process, &QProcess::finished, this, &ExecPluginRun::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &ExecPluginRun::onErrorOccurred);
    m_timeout = m_clock->schedule(m_timeoutMs, this, [this] { onTimeout(); });
    qCDebug(lcKubeconfig) << "running" << m_name << program << exec.args;
    m_processRunning = true;
    m_process->start();
}

void ExecPluginRun::abandon()
{
    m_done = nullptr;
    m_delivered = true;
    m_timeout.cancel();
    if (m_processRunning && m_process)
        m_process->kill();
    cleanUpWhenDone();
}

QString ExecPluginRun::stderrText() const
{
    QString text = QString::fromUtf8(m_stderr).trimmed();
    if (text.size() > kMaxStderrShown)
        text = text.left(kMaxStderrShown) + QStringLiteral("… (truncated)");
    return text;
}

void ExecPluginRun::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_processRunning = false;
    m_timeout.cancel();
    if (!m_delivered) {
        m_stdout += m_process->readAllStandardOutput();
        m_stderr += m_process->readAllStandardError().left(qMax<qsizetype>(0, kMaxStderrKept - m_stderr.size()));
        const QString errors = stderrText();
        const QString stderrPart = errors.isEmpty() ? QString() : QStringLiteral(": ") + errors;
        if (status == QProcess::CrashExit)
            finish(failure(QStringLiteral("was terminated by a signal") + stderrPart));
        else if (exitCode != 0)
            finish(failure(QStringLiteral("failed with exit code %1").arg(exitCode) + stderrPart));
        else
            finish(parseExecCredential(m_stdout, m_connection.exec->apiVersion, m_name));
    }
    cleanUpWhenDone();
}

void ExecPluginRun::onErrorOccurred(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // crashes and I/O errors end in finished()
    m_processRunning = false;
    m_timeout.cancel();
    finish(failure(QStringLiteral("could not be started: %1").arg(m_process->errorString())));
    cleanUpWhenDone();
}

void ExecPluginRun::onTimeout()
{
    if (!m_processRunning)
        return;
    m_process->kill();
    const QString errors = stderrText();
    finish(failure(QStringLiteral("did not finish within %1 s and was killed").arg(m_timeoutMs / 1000.0) +
                   (errors.isEmpty() ? QString() : QStringLiteral(": ") + errors)));
}

void ExecPluginRun::finish(Result<ExecCredential> result)
{
    if (m_delivered)
        return;
    m_delivered = true;
    if (!result)
        qCWarning(lcKubeconfig).noquote() << result.error().message();
    if (Done done = std::exchange(m_done, nullptr))
        done(std::move(result));
    cleanUpWhenDone();
}

void ExecPluginRun::cleanUpWhenDone()
{
    if (m_delivered && !m_processRunning)
        deleteLater();
}

} // namespace vk::kube
