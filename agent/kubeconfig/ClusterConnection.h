// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace vk::kube {

/// users[].user.exec of a kubeconfig: a client-go credential plugin.
struct ExecConfig
{
    QString apiVersion; ///< client.authentication.k8s.io/v1 or v1beta1
    QString command;
    QStringList args;
    QList<QPair<QString, QString>> env;
    QString installHint;
    bool provideClusterInfo = false;
    QString interactiveMode; ///< Never, IfAvailable, Always (we never have a terminal: treated as Never)
};

/// Everything needed to talk to one API server as one user: the resolved result of a kubeconfig context, of the
/// in-cluster service account, or of the sandbox. Plain value type.
struct ClusterConnection
{
    QString source;      ///< where it came from, for messages: "/root/.kube/config, context \"kind\"" or "in-cluster"
    QString contextName; ///< empty for in-cluster
    QString clusterName;
    QString userName;

    QUrl server; ///< https://host:port[/prefix]
    QList<QSslCertificate> caCertificates; ///< empty: the system CAs
    bool insecureSkipTlsVerify = false;
    QString tlsServerName; ///< name to verify the serving certificate against, when not the URL's host
    QUrl proxyUrl;         ///< http(s):// or socks5:// proxy, when set

    QSslCertificate clientCertificate;
    QSslKey clientKey;
    QString token;       ///< bearer token (literal)
    QString tokenFile;   ///< bearer token re-read from this file (service-account tokens rotate)
    QString username;    ///< basic auth
    QString password;
    std::optional<ExecConfig> exec;

    QString namespaceName = QStringLiteral("default"); ///< the context's namespace, or the override
};

} // namespace vk::kube
