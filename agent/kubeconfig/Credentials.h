// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "kubeconfig/ClusterConnection.h"

#include <QObject>
#include <QSslCertificate>
#include <QSslKey>

#include <functional>
#include <memory>

namespace vk::kube {

/// What to attach to one request.
struct Credentials
{
    QByteArray authorizationHeader; ///< "Bearer ..." or "Basic ...", empty when none
    QSslCertificate clientCertificate;
    QSslKey clientKey;
};

/// Produces the credentials of a ClusterConnection for each request, asynchronously: a literal token, a token file
/// (re-read at most once a minute, as client-go does), basic auth, client certificates, or an exec plugin
/// (client.authentication.k8s.io v1/v1beta1, run with QProcess without blocking; its ExecCredential status is
/// cached until expirationTimestamp, and concurrent callers share one run). Lives on the client's thread.
class CredentialProvider : public QObject
{
    Q_OBJECT

public:
    explicit CredentialProvider(ClusterConnection connection, Clock* clock = Clock::system(),
                                QObject* parent = nullptr);
    ~CredentialProvider() override;

    /// Calls back (possibly synchronously) with the credentials or an Unauthorized/InvalidInput error naming the
    /// plugin or file. Never called back after `context` is destroyed.
    void fetch(QObject* context, std::function<void(Result<Credentials>)> callback);

    /// Forgets cached exec/token-file credentials, e.g. after a 401, so the next fetch runs the plugin again.
    void invalidate();

    bool usesExecPlugin() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace vk::kube
