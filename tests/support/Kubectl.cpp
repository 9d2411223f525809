// SPDX-License-Identifier: Apache-2.0
#include "support/Kubectl.h"

#include <QEventLoop>
#include <QStandardPaths>
#include <QTimer>

namespace vk::test {

QByteArray KubectlResult::describe() const
{
    return "exit " + QByteArray::number(exitCode) + (timedOut ? " (timed out)" : "") + "\nstdout:\n" + out +
           "\nstderr:\n" + err;
}

Kubectl::Kubectl(QString kubeconfig, QString home, QProcessEnvironment extraEnvironment)
    : m_kubeconfig(std::move(kubeconfig)), m_home(std::move(home)), m_extra(std::move(extraEnvironment))
{
}

QString Kubectl::executable()
{
    return QStandardPaths::findExecutable(QStringLiteral("kubectl"));
}

QProcessEnvironment Kubectl::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_home);
    env.insert(QStringLiteral("KUBECONFIG"), m_kubeconfig);
    env.remove(QStringLiteral("KUBERNETES_SERVICE_HOST"));
    const QStringList extraKeys = m_extra.keys();
    for (const QString& key : extraKeys)
        env.insert(key, m_extra.value(key));
    return env;
}

KubectlResult Kubectl::run(const QStringList& arguments, const QByteArray& input, int timeoutMs) const
{
    QProcess process;
    process.setProcessEnvironment(environment());
    process.setProgram(executable());
    process.setArguments(arguments);
    KubectlResult result;
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        result.timedOut = true;
        process.kill();
    });
    process.start();
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    deadline.start(timeoutMs);
    if (process.state() != QProcess::NotRunning || process.error() != QProcess::FailedToStart)
        loop.exec();
    process.waitForFinished(5000); // already finished or killed: this only collects it
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QProcess* Kubectl::start(const QStringList& arguments) const
{
    auto* process = new QProcess;
    process->setProcessEnvironment(environment());
    process->setProgram(executable());
    process->setArguments(arguments);
    process->start();
    return process;
}

} // namespace vk::test
