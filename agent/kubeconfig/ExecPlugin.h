// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "kubeconfig/ClusterConnection.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QProcess>

#include <functional>

namespace vk::kube {

/// The status of a client.authentication.k8s.io ExecCredential.
struct ExecCredential
{
    QString token;
    QSslCertificate clientCertificate;
    QSslKey clientKey;
    QDateTime expiry; ///< invalid: valid for the life of the process, as client-go treats it
};

/// The KUBERNETES_EXEC_INFO a plugin is given: kind, apiVersion and spec (interactive: false, and the cluster
/// when provideClusterInfo is set).
QByteArray execInfo(const ClusterConnection& connection);

/// Parses a plugin's standard output. `plugin` names it in errors.
Result<ExecCredential> parseExecCredential(const QByteArray& output, const QString& apiVersion, const QString& plugin);

/// One run of an exec credential plugin with QProcess, never blocking: reports once through `done`, then deletes
/// itself when the process is gone. A run that outlives `timeoutMs` (on the given clock) is killed and reported as
/// failed.
class ExecPluginRun : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(Result<ExecCredential>)>;
    static constexpr qint64 kDefaultTimeoutMs = 60'000;

    ExecPluginRun(ClusterConnection connection, Clock* clock, qint64 timeoutMs, Done done);
    ~ExecPluginRun() override;

    void start();
    /// Forgets `done` and kills the process; the run cleans up after itself.
    void abandon();

    /// "exec plugin \"aws\" of user \"admin\"", for messages.
    static QString describe(const ClusterConnection& connection);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void onTimeout();
    void finish(Result<ExecCredential> result);
    void cleanUpWhenDone();
    QString stderrText() const;
    Error failure(const QString& message) const;

    ClusterConnection m_connection;
    Clock* m_clock;
    qint64 m_timeoutMs;
    Done m_done;
    QString m_name;
    QProcess* m_process = nullptr;
    ScheduledCall m_timeout;
    QByteArray m_stdout;
    QByteArray m_stderr;
    bool m_delivered = false;
    bool m_processRunning = false;
    bool m_outputTooLarge = false;
};

} // namespace vk::kube
