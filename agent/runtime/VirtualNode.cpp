// SPDX-License-Identifier: Apache-2.0
#include "runtime/VirtualNode.h"

#include "env/EnvResolver.h"
#include "kube/ApiClient.h"
#include "kube/EventRecorder.h"
#include "kubelet/KubeletServer.h"
#include "node/NodeController.h"
#include "pods/PodController.h"
#include "provider/ProviderRegistry.h"
#include "runtime/Logging.h"

#include <QHostInfo>
#include <QNetworkInterface>

namespace vk::runtime {

namespace {

/// The node's InternalIP: VKUBELET_POD_IP, else the first non-loopback IPv4 address, else loopback.
QString detectInternalIp(const QString& configured)
{
    if (!configured.isEmpty())
        return configured;
    for (const QHostAddress& address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            return address.toString();
    }
    return QStringLiteral("127.0.0.1");
}

} // namespace

VirtualNode::VirtualNode(Settings settings, QObject* parent) : QObject(parent), m_settings(std::move(settings)) {}

VirtualNode::~VirtualNode()
{
    stop();
}

void VirtualNode::setPhase(Phase phase, const QString& message)
{
    m_phase = phase;
    qCInfo(lcRuntime).noquote() << m_settings.nodeName << message;
    Q_EMIT phaseChanged(phase, message);
    Q_EMIT activity(message);
}

void VirtualNode::fail(const Error& error)
{
    if (m_phase == Phase::Failed || m_phase == Phase::Stopped)
        return;
    stop();
    setPhase(Phase::Failed, error.message());
    Q_EMIT finished(error);
}

Status VirtualNode::start()
{
    if (m_phase != Phase::Idle && m_phase != Phase::Stopped && m_phase != Phase::Failed)
        return {};
    const AgentConfig& config = m_settings.config;
    provider::ProviderConfig providerConfig;
    providerConfig.nodeName = m_settings.nodeName;
    providerConfig.configPath = config.providerConfig;
    providerConfig.operatingSystem = config.operatingSystem;
    providerConfig.internalIp = detectInternalIp(config.internalIp);
    // Port 0 (tests) lets the kubelet API take any free port; the node controller publishes the port it got in
    // daemonEndpoints over the provider's value, so nothing probes a port and loses it to another process.
    m_kubeletPort = m_settings.kubeletPort;
    providerConfig.daemonPort = m_kubeletPort;
    providerConfig.clusterDomain = config.clusterDomain;
    if (m_settings.provider) {
        m_provider = m_settings.provider;
    } else {
        auto created = provider::ProviderRegistry::instance().create(config.provider, providerConfig);
        if (!created)
            return created.error();
        m_ownedProvider = std::move(created.value());
        m_provider = m_ownedProvider.get();
    }

    // Upstream's order: the kubelet API listens before the informers start.
    kubelet::KubeletServer::Options kubeletOptions;
    kubeletOptions.address = config.listenAddress;
    kubeletOptions.port = m_kubeletPort;
    kubeletOptions.nodeName = m_settings.nodeName;
    kubeletOptions.nodeIps = {QHostAddress(providerConfig.internalIp)};
    kubeletOptions.certificatePath = config.certificatePath;
    kubeletOptions.keyPath = config.keyPath;
    kubeletOptions.clientCaPath = config.clientCaPath;
    kubeletOptions.streams.idleTimeoutMs = config.streamIdleTimeoutMs;
    kubeletOptions.streams.creationTimeoutMs = config.streamCreationTimeoutMs;
    kubeletOptions.clock = m_settings.clock;

    kube::ApiClient::Options clientOptions;
    clientOptions.qps = config.kubeApiQps;
    clientOptions.burst = config.kubeApiBurst;
    clientOptions.clock = m_settings.clock;
    clientOptions.userAgent = QStringLiteral("virtual-kubelet/" VK_VERSION " (%1)").arg(m_settings.nodeName);
    m_client = std::make_unique<kube::ApiClient>(m_settings.connection, clientOptions);
    m_events = std::make_unique<kube::EventRecorder>(
        m_client.get(), m_settings.nodeName + QStringLiteral("/pod-controller"), m_settings.nodeName, m_settings.clock);
    connect(m_events.get(), &kube::EventRecorder::recorded, this,
            [this](const QJsonObject& involved, const QString& type, const QString& reason, const QString& message) {
                const QJsonObject meta = involved.value(QLatin1String("metadata")).toObject();
                Q_EMIT activity(QStringLiteral("%1 %2 %3/%4: %5")
                                    .arg(type, reason, meta.value(QLatin1String("namespace")).toString(),
                                         meta.value(QLatin1String("name")).toString(), message));
            });
    m_env = std::make_unique<env::EnvResolver>(m_client.get(), m_events.get());
    m_kubelet = std::make_unique<kubelet::KubeletServer>(m_provider, m_client.get(), kubeletOptions);
    if (m_settings.metricsText)
        m_kubelet->setMetricsText(m_settings.metricsText);
    if (auto listening = m_kubelet->start(); !listening) {
        Error error = listening.error();
        error.prefix(QStringLiteral("node %1: the kubelet API cannot listen on %2:%3")
                         .arg(m_settings.nodeName, config.listenAddress.toString())
                         .arg(m_kubeletPort));
        m_kubelet.reset();
        m_env.reset();
        m_events.reset();
        m_client.reset();
        m_ownedProvider.reset();
        m_provider = nullptr;
        return error;
    }
    m_kubeletPort = m_kubelet->port();

    pods::PodController::Options podOptions;
    podOptions.nodeName = m_settings.nodeName;
    podOptions.hostIp = providerConfig.internalIp;
    podOptions.workers = config.podSyncWorkers;
    podOptions.clock = m_settings.clock;
    podOptions.fullResyncPeriodMs = config.fullResyncPeriodMs;
    podOptions.namespaceName = config.namespaceName;
    m_pods = std::make_unique<pods::PodController>(m_client.get(), m_provider, m_env.get(), m_events.get(), podOptions);
    m_kubelet->setPods([pods = m_pods.get()] { return pods->pods(); });
    connect(m_pods.get(), &pods::PodController::podPhaseChanged, this, &VirtualNode::podPhaseChanged);
    connect(m_pods.get(), &pods::PodController::podRemoved, this, &VirtualNode::podRemoved);
    connect(m_pods.get(), &pods::PodController::activity, this, &VirtualNode::activity);

    node::NodeController::Options nodeOptions;
    nodeOptions.nodeName = m_settings.nodeName;
    nodeOptions.providerName = m_provider->name();
    nodeOptions.operatingSystem = config.operatingSystem;
    nodeOptions.kubeletPort = m_kubeletPort;
    nodeOptions.taintEnabled = config.taintEnabled;
    nodeOptions.taintKey = config.taintKey;
    nodeOptions.taintValue = config.taintValue.isEmpty() ? m_provider->name() : config.taintValue;
    nodeOptions.taintEffect = config.taintEffect;
    nodeOptions.clock = m_settings.clock;
    m_node = std::make_unique<node::NodeController>(m_client.get(), m_provider, nodeOptions);
    connect(m_node.get(), &node::NodeController::nodeUpdated, this, &VirtualNode::nodeUpdated);
    connect(m_node.get(), &node::NodeController::leaseRenewed, this, &VirtualNode::leaseRenewed);
    connect(m_node.get(), &node::NodeController::conditionChanged, this,
            [this](const QString& type, const QString& status, const QString& reason, const QString& message) {
                Q_EMIT activity(QStringLiteral("node condition %1=%2 (%3) %4").arg(type, status, reason, message));
            });
    connect(m_node.get(), &node::NodeController::finished, this, [this](const Status& result) {
        // Not from inside the controller's own signal: fail() tears it down.
        if (!result)
            QMetaObject::invokeMethod(
                this, [this, error = result.error()] { fail(error); }, Qt::QueuedConnection);
    });

    // Upstream's order: pod controller ready, then the node registered, then the node marked Ready.
    connect(m_pods.get(), &pods::PodController::ready, this, [this] {
        Q_EMIT activity(QStringLiteral("pod controller ready; registering node %1").arg(m_settings.nodeName));
        m_node->start();
    });
    connect(m_node.get(), &node::NodeController::ready, this, [this] {
        m_node->setAgentReady(true);
        setPhase(Phase::Ready, QStringLiteral("node %1 is ready").arg(m_settings.nodeName));
        Q_EMIT ready();
    });
    setPhase(Phase::Starting,
             QStringLiteral("starting node %1 with provider %2 against %3")
                 .arg(m_settings.nodeName, m_provider->name(), m_settings.connection.server.toString()));
    m_pods->start();
    return {};
}

void VirtualNode::stop()
{
    if (m_phase == Phase::Idle || m_phase == Phase::Stopped || m_phase == Phase::Failed || m_phase == Phase::Stopping)
        return;
    setPhase(Phase::Stopping, QStringLiteral("stopping node %1 (pods keep running)").arg(m_settings.nodeName));
    // Reverse order of start.
    if (m_node)
        m_node->stop();
    if (m_pods)
        m_pods->stop();
    if (m_kubelet)
        m_kubelet->stop();
    m_node.reset();
    m_pods.reset();
    m_kubelet.reset();
    m_env.reset();
    m_events.reset();
    m_client.reset();
    m_ownedProvider.reset();
    m_provider = nullptr;
    setPhase(Phase::Stopped, QStringLiteral("node %1 stopped").arg(m_settings.nodeName));
}

} // namespace vk::runtime
