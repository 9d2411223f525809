// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "kubeconfig/ClusterConnection.h"

#include <QJsonObject>
#include <QMap>
#include <QProcessEnvironment>

namespace vk::kube {

/// A kubeconfig after kubectl's merge rules: the files of $KUBECONFIG (or --kubeconfig, or ~/.kube/config) merged
/// so that the first file to set a map entry (cluster, user, context by name) or current-context wins, and relative
/// file paths resolve against the file that named them.
class KubeConfig
{
public:
    struct NamedContext
    {
        QString name;
        QString cluster;
        QString user;
        QString namespaceName;
        QString file; ///< the file that defined it
    };

    /// Loads and merges the given files, in order. Missing files in a $KUBECONFIG list are skipped, as kubectl
    /// does; an explicit single --kubeconfig that is missing is an error. Errors name the file and the field
    /// ("/tmp/a.yaml: users[0].user.client-key: file \"/x/key.pem\" cannot be read").
    static Result<KubeConfig> loadFiles(const QStringList& paths, bool explicitFile);

    /// The files kubectl would read: --kubeconfig if given, else $KUBECONFIG split on ':', else ~/.kube/config.
    static QStringList defaultPaths(const QString& explicitPath, const QProcessEnvironment& env);

    QString currentContext() const { return m_currentContext; }
    const QList<NamedContext>& contexts() const { return m_contexts; }
    QStringList contextNames() const;
    QStringList files() const { return m_files; }

    /// Resolves a context (empty: current-context) into a connection, reading certificate, key and CA files and
    /// decoding the *-data fields. Errors name the file, the context and the field.
    Result<ClusterConnection> connection(const QString& contextName = {}) const;

private:
    friend struct KubeConfigParser;
    QStringList m_files;
    QString m_currentContext;
    QString m_currentContextFile;
    QList<NamedContext> m_contexts;
    struct Entry
    {
        QString file;
        QJsonObject value; ///< the cluster/user object, as JSON
    };
    QMap<QString, Entry> m_clusters;
    QMap<QString, Entry> m_users;
};

/// What a client is given on the command line or in the console, resolved the way kubectl resolves it.
struct ConnectionOptions
{
    QString kubeconfig;    ///< --kubeconfig
    QString context;       ///< --context
    QString namespaceName; ///< --namespace (overrides the context's)
    bool allowInCluster = true; ///< fall back to the in-cluster service account when no kubeconfig exists
    /// Where the in-cluster service account is mounted (token, ca.crt, namespace); tests point it elsewhere.
    QString serviceAccountDir = QStringLiteral("/var/run/secrets/kubernetes.io/serviceaccount");
};

/// kubectl's order: --kubeconfig, $KUBECONFIG, ~/.kube/config, then in-cluster (when allowed and detected).
Result<ClusterConnection> resolveConnection(const ConnectionOptions& options,
                                            const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());

/// The in-cluster service account: KUBERNETES_SERVICE_HOST/PORT, the token file (kept as tokenFile so it is
/// re-read as it rotates), ca.crt and namespace under `accountDir`.
Result<ClusterConnection> inClusterConnection(
    const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
    const QString& accountDir = QStringLiteral("/var/run/secrets/kubernetes.io/serviceaccount"));

} // namespace vk::kube
