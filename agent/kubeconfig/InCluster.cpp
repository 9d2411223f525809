// SPDX-License-Identifier: Apache-2.0
// The in-cluster service account, and kubectl's order of configuration sources.
#include "kubeconfig/KubeConfig.h"
#include "kubeconfig/Logging.h"
#include "kubeconfig/Pem.h"

#include <QDir>
#include <QFile>

namespace vk::kube {

namespace {

const QString kHostVar = QStringLiteral("KUBERNETES_SERVICE_HOST");
const QString kPortVar = QStringLiteral("KUBERNETES_SERVICE_PORT");

Error inClusterError(const QString& message)
{
    return Error::invalidInput(QStringLiteral("unable to load in-cluster configuration: ") + message);
}

Result<QByteArray> readAccountFile(const QString& path, const QString& what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return inClusterError(
            QStringLiteral("cannot read the service account %1 \"%2\": %3").arg(what, path, file.errorString()));
    return file.readAll();
}

bool inClusterDetected(const QProcessEnvironment& env)
{
    return !env.value(kHostVar).isEmpty() && !env.value(kPortVar).isEmpty();
}

} // namespace

Result<ClusterConnection> inClusterConnection(const QProcessEnvironment& env, const QString& accountDir)
{
    const QString host = env.value(kHostVar);
    const QString port = env.value(kPortVar);
    if (host.isEmpty() || port.isEmpty()) {
        QStringList missing;
        if (host.isEmpty())
            missing << kHostVar;
        if (port.isEmpty())
            missing << kPortVar;
        return inClusterError(QStringLiteral("%1 and %2 must be defined (not set: %3)")
                                  .arg(kHostVar, kPortVar, missing.join(QStringLiteral(", "))));
    }
    bool portOk = false;
    const uint portNumber = port.toUInt(&portOk);
    if (!portOk || portNumber == 0 || portNumber > 65535)
        return inClusterError(QStringLiteral("%1 \"%2\" is not a port number").arg(kPortVar, port));
    const QString hostPart =
        host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('[')) ? QStringLiteral("[%1]").arg(host) : host;
    const QUrl server(QStringLiteral("https://%1:%2").arg(hostPart, port), QUrl::StrictMode);
    if (!server.isValid() || server.host().isEmpty())
        return inClusterError(QStringLiteral("%1 \"%2\" is not a valid host").arg(kHostVar, host));

    const QDir dir(accountDir);
    const QString tokenPath = dir.filePath(QStringLiteral("token"));
    auto token = readAccountFile(tokenPath, QStringLiteral("token"));
    if (!token)
        return token.error();
    if (token->trimmed().isEmpty())
        return inClusterError(QStringLiteral("the service account token \"%1\" is empty").arg(tokenPath));

    const QString caPath = dir.filePath(QStringLiteral("ca.crt"));
    auto caBytes = readAccountFile(caPath, QStringLiteral("CA certificate"));
    if (!caBytes)
        return caBytes.error();
    auto ca = pem::certificates(*caBytes, QStringLiteral("service account CA certificate \"%1\"").arg(caPath));
    if (!ca)
        return inClusterError(ca.error().message());

    ClusterConnection connection;
    connection.source = QStringLiteral("in-cluster");
    connection.server = server;
    connection.caCertificates = *ca;
    connection.tokenFile = tokenPath;

    // As client-go's inClusterClientConfig.Namespace(): POD_NAMESPACE, then the mounted file, then "default".
    QString namespaceName = env.value(QStringLiteral("POD_NAMESPACE"));
    if (namespaceName.isEmpty()) {
        QFile file(dir.filePath(QStringLiteral("namespace")));
        if (file.open(QIODevice::ReadOnly))
            namespaceName = QString::fromUtf8(file.readAll()).trimmed();
    }
    if (!namespaceName.isEmpty())
        connection.namespaceName = namespaceName;
    return connection;
}

Result<ClusterConnection> resolveConnection(const ConnectionOptions& options, const QProcessEnvironment& env)
{
    const bool explicitFile = !options.kubeconfig.isEmpty();
    const QStringList paths = KubeConfig::defaultPaths(options.kubeconfig, env);
    auto config = KubeConfig::loadFiles(paths, explicitFile);
    if (!config)
        return config.error();

    auto withNamespace = [&](Result<ClusterConnection> connection) {
        if (connection && !options.namespaceName.isEmpty())
            connection->namespaceName = options.namespaceName;
        return connection;
    };

    // As client-go's DeferredLoadingClientConfig: a kubeconfig that selects no context (missing, empty, or without
    // current-context) gives way to the in-cluster configuration when one is detected. An explicit --kubeconfig
    // or --context never does.
    const bool selectsNothing = config->currentContext().isEmpty() && options.context.isEmpty();
    if (!explicitFile && selectsNothing && options.allowInCluster && inClusterDetected(env)) {
        qCDebug(lcKubeconfig) << "no kubeconfig context selected; using the in-cluster configuration";
        return withNamespace(inClusterConnection(env, options.serviceAccountDir));
    }

    if (config->files().isEmpty()) {
        QString looked;
        if (paths.isEmpty())
            looked = QStringLiteral("no kubeconfig path to look at ($KUBECONFIG and $HOME are not set)");
        else if (explicitFile)
            looked = QStringLiteral("no kubeconfig at %1").arg(paths.first());
        else if (!env.value(QStringLiteral("KUBECONFIG")).isEmpty())
            looked =
                QStringLiteral("no kubeconfig at any path of $KUBECONFIG (%1)").arg(paths.join(QStringLiteral(", ")));
        else
            looked = QStringLiteral("no kubeconfig at %1").arg(paths.join(QStringLiteral(", ")));
        const QString inCluster =
            options.allowInCluster
                ? QStringLiteral("not running in a cluster (%1 and %2 are not set)").arg(kHostVar, kPortVar)
                : QStringLiteral("the in-cluster configuration is not allowed here");
        return Error::invalidInput(
            QStringLiteral("no configuration has been provided: %1, and %2; use --kubeconfig or set $KUBECONFIG")
                .arg(looked, inCluster));
    }
    return withNamespace(config->connection(options.context));
}

} // namespace vk::kube
