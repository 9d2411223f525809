// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "http/Pki.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace vk::sandbox {

class ApiServer;
class CsrSigner;
class NamespaceController;
class NodeLifecycleController;
class ObjectStore;
class Registry;
class Scheduler;

/// The embedded control plane: an in-process Kubernetes API server on loopback HTTPS with its store, scheduler,
/// namespace and node lifecycle controllers. On first start it creates a CA, a serving certificate and an admin
/// client certificate in its data directory and writes a kubeconfig there; later starts reuse them.
/// Lifecycle: start() → ready() → stop() → finished().
class Sandbox : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString dataDir; ///< where pki/, kubeconfig and state.json live
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 0;     ///< 0 picks a free port
        bool persist = false; ///< keep objects in dataDir/state.json across restarts
        Clock* clock = Clock::system();
        qint64 bookmarkIntervalMs = 60'000;
        int maxWatches = 1000;
        QString contextName = QStringLiteral("vk-sandbox");
        /// "AlwaysAllow" (default) or "RBAC": whether the sandbox's own API enforces RBAC (ApiServer::Options).
        QString authorizationMode = QStringLiteral("AlwaysAllow");
    };

    explicit Sandbox(Options options, QObject* parent = nullptr);
    ~Sandbox() override;

    Status start();
    void stop();
    bool isRunning() const;

    QUrl serverUrl() const;
    quint16 port() const;
    QString kubeconfigPath() const;
    QString dataDir() const { return m_options.dataDir; }
    const pki::CertificateAndKey& certificateAuthority() const { return m_ca; }
    /// A client certificate for another identity (CN=user, O=groups), signed by the sandbox CA.
    Result<pki::CertificateAndKey> issueClientCertificate(const QString& user, const QStringList& groups) const;
    /// Writes a kubeconfig for the given client certificate (used for the admin, and by tests for other users).
    Status writeKubeconfig(const QString& path, const pki::CertificateAndKey& client, const QString& userName) const;
    /// Writes a kubeconfig that authenticates with a bearer token (e.g. a service account token).
    Status writeTokenKubeconfig(const QString& path, const QString& token, const QString& userName) const;

    Registry* registry() const { return m_registry.get(); }
    ObjectStore* store() const { return m_store.get(); }
    ApiServer* apiServer() const { return m_api.get(); }
    NodeLifecycleController* nodeLifecycle() const { return m_nodeLifecycle.get(); }

    /// Default location of the data directory (~/.local/share/vk-studio/sandbox).
    static QString defaultDataDir();

Q_SIGNALS:
    void ready();
    void finished(const vk::Status& result);

private:
    Status ensurePki();
    Status writeKubeconfigFor(const QString& path, const QJsonObject& user, const QString& userName) const;
    void bootstrapObjects();
    void bootstrapRbac();
    Status saveState() const;

    Options m_options;
    pki::CertificateAndKey m_ca;
    pki::CertificateAndKey m_serving;
    pki::CertificateAndKey m_admin;
    pki::CertificateAndKey m_kubeletClient;
    std::unique_ptr<ObjectStore> m_store;
    std::unique_ptr<Registry> m_registry;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<NamespaceController> m_namespaces;
    std::unique_ptr<NodeLifecycleController> m_nodeLifecycle;
    std::unique_ptr<CsrSigner> m_signer;
    QTimer m_saveTimer;
    bool m_running = false;
};

} // namespace vk::sandbox
