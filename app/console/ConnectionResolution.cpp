// SPDX-License-Identifier: Apache-2.0
#include "ConnectionResolution.h"

#include "kubeconfig/KubeConfig.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace vk::console {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("vk::console::ConnectionTester", text);
}
} // namespace

Result<kube::ClusterConnection> resolveConnectionRequest(const ConnectionRequest& request,
                                                         const QProcessEnvironment& env,
                                                         const QString& sandboxKubeconfig)
{
    QStringList files = request.kubeconfigFiles;
    QString context = request.context;
    bool explicitFiles = !files.isEmpty();
    if (request.kind == ConnectionRequest::Kind::Sandbox) {
        if (sandboxKubeconfig.isEmpty())
            return Error::invalidInput(tr("the sandbox cluster is not running (it starts when you connect to it)"));
        files = {sandboxKubeconfig};
        context.clear();
        explicitFiles = true;
    }
    if (explicitFiles) {
        for (const QString& file : std::as_const(files)) {
            if (!QFileInfo::exists(file))
                return Error::invalidInput(tr("kubeconfig file %1 does not exist").arg(file));
        }
    } else {
        files = kube::KubeConfig::defaultPaths({}, env);
    }
    Result<kube::KubeConfig> config = kube::KubeConfig::loadFiles(files, explicitFiles && files.size() == 1);
    if (!config)
        return config.error();
    if (config->contexts().isEmpty())
        return Error::invalidInput(tr("no kubeconfig context in %1").arg(files.join(QStringLiteral(", "))));
    if (!context.isEmpty() && !config->contextNames().contains(context))
        return Error::invalidInput(
            tr("context \"%1\" is not defined in %2").arg(context, files.join(QStringLiteral(", "))));
    if (context.isEmpty() && config->currentContext().isEmpty())
        return Error::invalidInput(
            tr("%1 sets no current-context: pick a context").arg(files.join(QStringLiteral(", "))));
    Result<kube::ClusterConnection> connection = config->connection(context);
    if (!connection)
        return connection.error();
    if (!request.namespaceName.isEmpty())
        connection->namespaceName = request.namespaceName;
    return connection;
}

} // namespace vk::console
