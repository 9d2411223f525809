// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "kubeconfig/ClusterConnection.h"
#include "runtime/AgentConfig.h"

#include <QJsonObject>
#include <QObject>

#include <memory>

namespace vk::kube {
class ApiClient;
class EventRecorder;
} // namespace vk::kube
namespace vk::provider {
class Provider;
}
namespace vk::env {
class EnvResolver;
}
namespace vk::node {
class NodeController;
}
namespace vk::pods {
class PodController;
}
namespace vk::kubelet {
class KubeletServer;
}

namespace vk::runtime {

/// One virtual node, wired together: an API client, the event recorder ("<node>/pod-controller"), the provider,
/// env resolution, the pod controller and the node controller. Lifecycle as upstream's nodeutil.Node: start() →
/// pod controller ready → node controller registered → node marked Ready → ready(); stop() tears down in reverse,
/// leaving the pods running and the Node object in place (its lease simply stops being renewed).
class VirtualNode : public QObject
{
    Q_OBJECT

public:
    enum class Phase
    {
        Idle,
        Starting,
        Ready,
        Stopping,
        Stopped,
        Failed
    };
    Q_ENUM(Phase)

    struct Settings
    {
        QString nodeName;
        AgentConfig config; ///< provider, taint, workers, QPS, ...
        kube::ClusterConnection connection;
        quint16 kubeletPort = 10250;
        Clock* clock = Clock::system();
        /// A provider to use instead of creating one from the registry (tests keep one across agent restarts).
        provider::Provider* provider = nullptr;
        /// The agent's Prometheus metrics for the kubelet API's /metrics (may be null).
        std::function<QByteArray()> metricsText;
    };

    explicit VirtualNode(Settings settings, QObject* parent = nullptr);
    ~VirtualNode() override;

    /// Creates the provider (validating its configuration) and starts; an InvalidInput error naming the provider
    /// or its file comes back at once, before anything touches the cluster. Later failures arrive as finished().
    Status start();
    void stop();

    Phase phase() const { return m_phase; }
    QString nodeName() const { return m_settings.nodeName; }
    provider::Provider* provider() const { return m_provider; }
    kube::ApiClient* client() const { return m_client.get(); }
    /// The port the kubelet API listens on (once started).
    quint16 kubeletPort() const { return m_kubeletPort; }

Q_SIGNALS:
    void phaseChanged(vk::runtime::VirtualNode::Phase phase, const QString& message);
    void ready();
    void finished(const vk::Status& result);
    void nodeUpdated(const QJsonObject& node);
    void leaseRenewed(const QDateTime& renewTime);
    /// A pod's phase in the API, for every version ("namespace/name", "Pending" before it has one).
    void podPhaseChanged(const QString& key, const QString& phase);
    void podRemoved(const QString& namespaceName, const QString& name);
    /// Something the agent did or saw, for the console's activity log.
    void activity(const QString& message);

private:
    void setPhase(Phase phase, const QString& message);
    void fail(const Error& error);

    Settings m_settings;
    Phase m_phase = Phase::Idle;
    std::unique_ptr<kube::ApiClient> m_client;
    std::unique_ptr<kube::EventRecorder> m_events;
    std::unique_ptr<provider::Provider> m_ownedProvider;
    provider::Provider* m_provider = nullptr;
    std::unique_ptr<env::EnvResolver> m_env;
    std::unique_ptr<pods::PodController> m_pods;
    std::unique_ptr<node::NodeController> m_node;
    std::unique_ptr<kubelet::KubeletServer> m_kubelet;
    quint16 m_kubeletPort = 0;
};

} // namespace vk::runtime
