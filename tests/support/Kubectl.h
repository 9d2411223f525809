// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace vk::test {

struct KubectlResult
{
    int exitCode = -1;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;

    /// "exit 0, stdout: ..., stderr: ..." for failure messages.
    QByteArray describe() const;
};

/// Runs the real kubectl against a kubeconfig, with a private HOME (so its discovery cache starts empty) and the
/// event loop running while it works, so an in-process server keeps serving.
class Kubectl
{
public:
    /// extraEnvironment is added to every run (e.g. KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false).
    Kubectl(QString kubeconfig, QString home, QProcessEnvironment extraEnvironment = {});

    static QString executable();

    /// Runs to completion (or until timeoutMs, then kills it).
    KubectlResult run(const QStringList& arguments, const QByteArray& input = {}, int timeoutMs = 60'000) const;
    /// Starts a long-running kubectl (get -w, logs -f); the caller owns the process.
    QProcess* start(const QStringList& arguments) const;

    QString kubeconfig() const { return m_kubeconfig; }
    /// Variables added to (or overriding) the environment of every later run()/start().
    void setExtraEnvironment(const QProcessEnvironment& environment) { m_extra = environment; }

private:
    QProcessEnvironment environment() const;

    QString m_kubeconfig;
    QString m_home;
    QProcessEnvironment m_extra;
};

} // namespace vk::test
