// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"
#include "core/Clock.h"
#include "core/Result.h"
#include "kubeconfig/ClusterConnection.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>

#include <functional>

namespace vk::console {

/// "Test connection" without widgets and without blocking: resolves the kubeconfig context, GETs /version with
/// vk::kube::ApiClient (measuring the round trip) and asks the server who we are (SelfSubjectReview; the
/// kubeconfig's user name when the server lacks that API). Every failure names its step:
/// - KubeConfig: the file, the context or a field cannot be read or resolved (the message names them);
/// - Tls: the handshake or the certificate verification failed;
/// - Reachability: connection refused, host not found, or no answer within timeoutMs();
/// - Authentication: 401/403;
/// - Server: any other error answer.
/// One test at a time: test() cancels the one running.
class ConnectionTester : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const ConnectionTestResult&)>;

    explicit ConnectionTester(QObject* parent = nullptr);
    ~ConnectionTester() override;

    /// How long each request may take before the server counts as unreachable (5 s by default).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    /// Where $KUBECONFIG and $HOME come from (the system environment by default).
    void setEnvironment(const QProcessEnvironment& env) { m_env = env; }
    /// The clock of the timeout (Clock::system() by default).
    void setClock(Clock* clock) { m_clock = clock; }
    /// The kubeconfig that a ConnectionRequest of kind Sandbox is tested with (the running sandbox's); empty:
    /// such a test fails at the KubeConfig step saying the sandbox is not running.
    void setSandboxKubeconfig(const QString& path) { m_sandboxKubeconfig = path; }

    /// Starts a test; finished() follows (never from inside this call).
    void test(const ConnectionRequest& request);
    /// The same, and `callback` gets the result unless `context` is destroyed first.
    void test(const ConnectionRequest& request, QObject* context, Callback callback);
    /// Drops the running test without a result.
    void cancel();
    bool isRunning() const;

    /// Resolves a request into a connection the way kubectl would: the given files merged (a single given file
    /// must exist; in a list, every file must exist), else $KUBECONFIG / ~/.kube/config; the context (empty:
    /// current-context); the namespace override. Errors name the file, context or field.
    static Result<kube::ClusterConnection>
    resolve(const ConnectionRequest& request, const QProcessEnvironment& env, const QString& sandboxKubeconfig = {});

Q_SIGNALS:
    void finished(const vk::console::ConnectionTestResult& result);

private:
    class Run;
    friend class Run;
    void onRunFinished(Run* run, const ConnectionTestResult& result);

    int m_timeoutMs = 5000;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
    Clock* m_clock = Clock::system();
    QString m_sandboxKubeconfig;
    QPointer<Run> m_run;
};

} // namespace vk::console
