// SPDX-License-Identifier: Apache-2.0
#include "AgentHost.h"

#include "ClusterWatcher.h"
#include "ConnectionResolution.h"
#include "LogFollower.h"
#include "Logging.h"
#include "core/Json.h"
#include "kube/ApiClient.h"
#include "provider/Provider.h"
#include "provider/ProviderRegistry.h"
#include "runtime/AgentConfig.h"
#include "runtime/VirtualNode.h"
#include "sandbox/Sandbox.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <utility>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace vk::console {

struct AgentHost::NodeEntry
{
    NodeRequest request;
    VirtualNodeState state;
    std::unique_ptr<runtime::VirtualNode> node;
    bool labelsApplied = false;
};

namespace {

/// Lowers the calling thread's CPU share. On Linux QThread::setPriority() cannot (SCHED_OTHER has one static
/// priority); a thread's nice value can, and applies to that thread alone.
void runBelowNormalPriority()
{
#ifdef Q_OS_LINUX
    if (setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 5) != 0)
        qCDebug(lcConsole) << "could not lower the agent thread's priority:" << strerror(errno);
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}

VirtualNodeState::Phase phaseOf(runtime::VirtualNode::Phase phase)
{
    switch (phase) {
    case runtime::VirtualNode::Phase::Idle:
        return VirtualNodeState::Phase::Idle;
    case runtime::VirtualNode::Phase::Starting:
        return VirtualNodeState::Phase::Starting;
    case runtime::VirtualNode::Phase::Ready:
        return VirtualNodeState::Phase::Ready;
    case runtime::VirtualNode::Phase::Stopping:
        return VirtualNodeState::Phase::Stopping;
    case runtime::VirtualNode::Phase::Stopped:
        return VirtualNodeState::Phase::Stopped;
    case runtime::VirtualNode::Phase::Failed:
        return VirtualNodeState::Phase::Failed;
    }
    return VirtualNodeState::Phase::Idle;
}

kube::GroupVersionResource resourceForKind(const QString& apiVersion, const QString& kind, bool* known)
{
    *known = true;
    if (apiVersion == QLatin1String("v1")) {
        if (kind == QLatin1String("Pod"))
            return kube::GroupVersionResource::pods();
        if (kind == QLatin1String("ConfigMap"))
            return kube::GroupVersionResource::configMaps();
        if (kind == QLatin1String("Secret"))
            return kube::GroupVersionResource::secrets();
        if (kind == QLatin1String("Service"))
            return kube::GroupVersionResource::services();
        if (kind == QLatin1String("Namespace"))
            return kube::GroupVersionResource::namespaces();
        if (kind == QLatin1String("ServiceAccount"))
            return kube::GroupVersionResource::serviceAccounts();
    }
    *known = false;
    return {};
}

} // namespace

AgentHost::AgentHost(Options options, QObject* parent) : QObject(parent), m_options(std::move(options))
{
    if (m_options.sandboxDataDir.isEmpty())
        m_options.sandboxDataDir = sandbox::Sandbox::defaultDataDir();
    if (m_options.providerConfigDir.isEmpty())
        m_options.providerConfigDir = QDir(m_options.sandboxDataDir).absoluteFilePath(QStringLiteral("../providers"));
    // A child, so that moveToThread (AgentThread) takes the timer along to the agent thread.
    m_rateTimer.setParent(this);
    m_rateTimer.setInterval(1000);
    m_activityTimer.setParent(this);
    m_activityTimer.setSingleShot(true);
    m_activityTimer.setInterval(m_options.flushIntervalMs);
    connect(&m_activityTimer, &QTimer::timeout, this,
            [this] { Q_EMIT activity(std::exchange(m_pendingActivity, {})); });
    connect(&m_rateTimer, &QTimer::timeout, this, [this] {
        Q_EMIT apiRate(m_requests, m_errors);
        m_requests = 0;
        m_errors = 0;
    });
}

AgentHost::~AgentHost()
{
    shutdown();
}

void AgentHost::connectTo(const ConnectionRequest& request)
{
    disconnectCluster();
    m_request = request;
    ++m_generation;
    setConnectionState(ConnectionState::Connecting);
    QString sandboxKubeconfig;
    if (request.kind == ConnectionRequest::Kind::Sandbox) {
        sandboxKubeconfig = startSandbox();
        if (sandboxKubeconfig.isEmpty())
            return;
    }
    auto connection = resolveConnectionRequest(request, QProcessEnvironment::systemEnvironment(), sandboxKubeconfig);
    if (!connection) {
        setConnectionState(ConnectionState::Failed, connection.error().message());
        return;
    }
    useConnection(connection.value());
}

QString AgentHost::startSandbox()
{
    sandbox::Sandbox::Options options;
    options.dataDir = m_options.sandboxDataDir;
    options.port = m_options.sandboxPort;
    m_sandbox = std::make_unique<sandbox::Sandbox>(options);
    note({}, tr("starting the sandbox cluster in %1").arg(options.dataDir));
    if (Status started = m_sandbox->start(); !started) {
        m_sandbox.reset();
        setConnectionState(ConnectionState::Failed,
                           tr("The sandbox cluster did not start: %1").arg(started.error().message()));
        return {};
    }
    const QString kubeconfig = m_sandbox->kubeconfigPath();
    Q_EMIT sandboxStarted(kubeconfig, m_sandbox->serverUrl().toString());
    note({}, tr("sandbox cluster listening on %1; kubectl: export KUBECONFIG=%2")
                 .arg(m_sandbox->serverUrl().toString(), kubeconfig));
    return kubeconfig;
}

void AgentHost::useConnection(const kube::ClusterConnection& connection)
{
    m_connection = std::make_unique<kube::ClusterConnection>(connection);
    m_serverUrl = connection.server.toString();
    kube::ApiClient::Options options;
    options.maxRetries = 1;
    options.requestTimeoutMs = 10000;
    m_client = std::make_unique<kube::ApiClient>(connection, options);
    countRequests(m_client.get());
    const quint64 generation = m_generation;
    // Reachability first: a wrong address or certificate is reported as such instead of as a silent watch retry.
    m_client->request(
        QByteArrayLiteral("GET"), QStringLiteral("/version"), {}, {}, {}, {}, this,
        [this, generation](Result<kube::RawResponse> response) {
            if (generation != m_generation)
                return;
            if (!response) {
                m_client.reset();
                setConnectionState(ConnectionState::Failed, response.error().message());
                return;
            }
            auto version = json::parseObject(response->body, QStringLiteral("/version"));
            const QString gitVersion = version ? version->value(QLatin1String("gitVersion")).toString() : QString();
            note({}, tr("connected to %1 (%2)").arg(m_serverUrl, gitVersion));
            m_watcher = std::make_unique<ClusterWatcher>(m_client.get());
            m_watcher->setFlushInterval(m_options.flushIntervalMs);
            connect(m_watcher.get(), &ClusterWatcher::podsChanged, this, &AgentHost::podsChanged);
            connect(m_watcher.get(), &ClusterWatcher::nodesChanged, this, &AgentHost::nodesChanged);
            connect(m_watcher.get(), &ClusterWatcher::nodeUsageChanged, this, &AgentHost::nodeUsageChanged);
            connect(m_watcher.get(), &ClusterWatcher::eventsAdded, this, &AgentHost::eventsAdded);
            connect(m_watcher.get(), &ClusterWatcher::synced, this, &AgentHost::clusterSynced);
            connect(m_watcher.get(), &ClusterWatcher::watchError, this,
                    [this](const QString& message) { note({}, message, true); });
            m_watcher->start();
            m_rateTimer.start();
            setConnectionState(ConnectionState::Connected, gitVersion);
        });
}

void AgentHost::disconnectCluster()
{
    ++m_generation;
    for (auto& [name, entry] : m_nodes) {
        if (entry->node)
            entry->node->stop();
        Q_EMIT virtualNodeRemoved(name);
    }
    m_nodes.clear();
    for (auto it = m_logs.begin(); it != m_logs.end(); ++it)
        delete it.value().data();
    m_logs.clear();
    m_watcher.reset();
    m_client.reset();
    m_connection.reset();
    m_rateTimer.stop();
    if (m_sandbox) {
        m_sandbox->stop();
        m_sandbox.reset();
    }
    if (m_state != ConnectionState::Disconnected)
        setConnectionState(ConnectionState::Disconnected);
}

void AgentHost::shutdown()
{
    disconnectCluster();
}

void AgentHost::setConnectionState(ConnectionState state, const QString& message)
{
    m_state = state;
    if (state == ConnectionState::Failed)
        note({}, message, true);
    Q_EMIT connectionStateChanged(state, m_request.displayName(), m_serverUrl, message);
}

void AgentHost::note(const QString& nodeName, const QString& message, bool warning)
{
    if (warning)
        qCWarning(lcConsole).noquote() << (nodeName.isEmpty() ? QString() : nodeName + QStringLiteral(": ")) << message;
    m_pendingActivity.append({QDateTime::currentDateTime(), nodeName, message, warning});
    if (!m_activityTimer.isActive())
        m_activityTimer.start();
}

void AgentHost::countRequests(kube::ApiClient* client)
{
    connect(client, &kube::ApiClient::requestCompleted, this,
            [this](const QByteArray&, const QString&, int status, qint64) {
                ++m_requests;
                if (status == 0 || status >= 500)
                    ++m_errors;
            });
}

void AgentHost::startNode(const NodeRequest& request)
{
    const QString name = request.nodeName.trimmed();
    auto fail = [&](const QString& message) {
        VirtualNodeState state;
        state.nodeName = name;
        state.provider = request.provider;
        state.phase = VirtualNodeState::Phase::Failed;
        state.message = message;
        note(name, message, true);
        Q_EMIT virtualNodeChanged(state);
    };
    if (!m_connection || m_state != ConnectionState::Connected)
        return fail(tr("Connect to a cluster before starting a node."));
    if (name.isEmpty())
        return fail(tr("The node needs a name."));
    if (auto it = m_nodes.find(name); it != m_nodes.end()) {
        const auto phase = it->second->state.phase;
        if (phase != VirtualNodeState::Phase::Stopped && phase != VirtualNodeState::Phase::Failed)
            return fail(tr("Node %1 is already running in this console.").arg(name));
        m_nodes.erase(it);
    }

    runtime::AgentConfig config;
    config.nodeNames = {name};
    config.provider = request.provider;
    config.kubeApiQps = request.kubeApiQps;
    config.kubeApiBurst = request.kubeApiBurst;
    config.taintEnabled = request.taintEnabled;
    config.taintKey = request.taintKey;
    config.taintValue = request.taintValue;
    config.taintEffect = request.taintEffect;
    config.listenAddress = QHostAddress::LocalHost;
    config.internalIp = QStringLiteral("127.0.0.1");
    config.metricsAddress.clear();
    if (!request.providerConfigText.trimmed().isEmpty()) {
        QDir().mkpath(m_options.providerConfigDir);
        const QString path = QDir(m_options.providerConfigDir).absoluteFilePath(name + QStringLiteral(".json"));
        // The provider reads JSON; YAML from the editor is converted first.
        QByteArray content = request.providerConfigText.toUtf8();
        if (!content.trimmed().startsWith('{')) {
            auto parsed = json::fromYaml(content, tr("the configuration of node %1").arg(name));
            if (!parsed)
                return fail(parsed.error().message());
            content = QJsonDocument(parsed->toObject()).toJson();
        }
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
            return fail(tr("%1: cannot write the provider configuration: %2").arg(path, file.errorString()));
        config.providerConfig = path;
    }

    auto entry = std::make_unique<NodeEntry>();
    entry->request = request;
    entry->state.nodeName = name;
    entry->state.provider = request.provider;
    runtime::VirtualNode::Settings settings;
    settings.nodeName = name;
    settings.config = config;
    settings.connection = *m_connection;
    settings.kubeletPort = 0;
    entry->node = std::make_unique<runtime::VirtualNode>(settings);
    runtime::VirtualNode* node = entry->node.get();
    NodeEntry* raw = entry.get();
    connect(node, &runtime::VirtualNode::phaseChanged, this,
            [this, raw, name](runtime::VirtualNode::Phase phase, const QString& message) {
                raw->state.phase = phaseOf(phase);
                raw->state.message = message;
                raw->state.kubeletPort = raw->node ? raw->node->kubeletPort() : 0;
                publishNode(name);
            });
    connect(node, &runtime::VirtualNode::activity, this, [this, name](const QString& message) { note(name, message); });
    connect(node, &runtime::VirtualNode::leaseRenewed, this, [this, raw, name](const QDateTime& time) {
        raw->state.lastLeaseRenewal = time;
        ++raw->state.leaseRenewals;
        publishNode(name);
    });
    connect(node, &runtime::VirtualNode::ready, this, [this, raw, name] {
        if (raw->labelsApplied || raw->request.labels.isEmpty() || !raw->node)
            return;
        raw->labelsApplied = true;
        QJsonObject labels;
        for (auto it = raw->request.labels.begin(); it != raw->request.labels.end(); ++it)
            labels.insert(it.key(), it.value());
        const QByteArray patch =
            QJsonDocument(QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labels}}}})
                .toJson(QJsonDocument::Compact);
        raw->node->client()->patch(kube::GroupVersionResource::nodes(), {}, name, kube::PatchType::Merge, patch, this,
                                   [this, name](Result<QJsonObject> result) {
                                       if (!result)
                                           note(name, tr("labelling the node failed: %1").arg(result.error().message()),
                                                true);
                                       else
                                           note(name, tr("node labels applied"));
                                   });
    });
    connect(node, &runtime::VirtualNode::finished, this, [this, raw, name](const vk::Status& result) {
        if (!result) {
            raw->state.phase = VirtualNodeState::Phase::Failed;
            raw->state.message = result.error().message();
            note(name, result.error().message(), true);
        }
        publishNode(name);
    });
    m_nodes[name] = std::move(entry);
    raw->state.phase = VirtualNodeState::Phase::Starting;
    raw->state.message = tr("starting");
    publishNode(name);
    if (Status started = node->start(); !started) {
        raw->state.phase = VirtualNodeState::Phase::Failed;
        raw->state.message = started.error().message();
        note(name, started.error().message(), true);
        publishNode(name);
        return;
    }
    if (node->client())
        countRequests(node->client());
}

void AgentHost::publishNode(const QString& nodeName)
{
    auto it = m_nodes.find(nodeName);
    if (it == m_nodes.end())
        return;
    Q_EMIT virtualNodeChanged(it->second->state);
}

void AgentHost::stopNode(const QString& nodeName)
{
    auto it = m_nodes.find(nodeName);
    if (it == m_nodes.end())
        return;
    note(nodeName, tr("stopping node %1 (its pods stay in the cluster)").arg(nodeName));
    if (it->second->node)
        it->second->node->stop();
    it->second->state.phase = VirtualNodeState::Phase::Stopped;
    it->second->state.message = tr("stopped");
    publishNode(nodeName);
}

void AgentHost::createObjects(const QString& text, const QString& defaultNamespace)
{
    if (!m_client)
        return Q_EMIT operationFinished(tr("create"), false, tr("Not connected to a cluster."));
    auto documents = json::fromYamlStream(text.toUtf8(), tr("the pod template"));
    if (!documents)
        return Q_EMIT operationFinished(tr("create"), false, documents.error().message());
    int index = 0;
    for (const QJsonValue& value : documents.value()) {
        ++index;
        QJsonObject object = value.toObject();
        if (object.isEmpty())
            continue;
        const QString kind = object.value(QLatin1String("kind")).toString();
        const QString apiVersion = object.value(QLatin1String("apiVersion")).toString();
        bool known = false;
        const kube::GroupVersionResource gvr = resourceForKind(apiVersion, kind, &known);
        if (!known) {
            Q_EMIT operationFinished(
                tr("create"), false,
                tr("document %1: kind \"%2\" (apiVersion \"%3\") cannot be created from the console")
                    .arg(index)
                    .arg(kind, apiVersion));
            continue;
        }
        QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
        QString ns = metadata.value(QLatin1String("namespace")).toString();
        if (ns.isEmpty() && gvr.namespaced)
            ns = defaultNamespace.isEmpty() ? m_connection->namespaceName : defaultNamespace;
        const QString what = kind.toLower() + QLatin1Char('/') + metadata.value(QLatin1String("name")).toString();
        m_client->create(gvr, gvr.namespaced ? ns : QString(), object, this, [this, what](Result<QJsonObject> created) {
            if (!created)
                Q_EMIT operationFinished(tr("create %1").arg(what), false, created.error().message());
            else
                Q_EMIT operationFinished(tr("create %1").arg(what), true, tr("%1 created").arg(what));
        });
    }
}

void AgentHost::deletePod(const QString& namespaceName, const QString& name, bool force)
{
    if (!m_client)
        return Q_EMIT operationFinished(tr("delete"), false, tr("Not connected to a cluster."));
    kube::DeleteOptions options;
    if (force)
        options.gracePeriodSeconds = 0;
    const QString what = QStringLiteral("pod/%1").arg(name);
    m_client->remove(kube::GroupVersionResource::pods(), namespaceName, name, options, this,
                     [this, what, force](Result<QJsonObject> result) {
                         if (!result)
                             Q_EMIT operationFinished(tr("delete %1").arg(what), false, result.error().message());
                         else
                             Q_EMIT operationFinished(tr("delete %1").arg(what), true,
                                                      force ? tr("%1 force deleted").arg(what)
                                                            : tr("%1 deleted").arg(what));
                     });
}

void AgentHost::startLogs(int streamId, const LogRequest& request)
{
    stopLogs(streamId);
    if (!m_client)
        return Q_EMIT logFinished(streamId, tr("Not connected to a cluster."));
    auto* follower = new LogFollower(m_client.get(), request, this);
    m_logs.insert(streamId, follower);
    connect(follower, &LogFollower::lines, this,
            [this, streamId](const QStringList& lines) { Q_EMIT logLines(streamId, lines); });
    connect(follower, &LogFollower::finished, this, [this, streamId, follower](const QString& error) {
        Q_EMIT logFinished(streamId, error);
        if (m_logs.value(streamId) == follower)
            m_logs.remove(streamId);
        follower->deleteLater();
    });
    follower->start();
}

void AgentHost::stopLogs(int streamId)
{
    if (auto follower = m_logs.take(streamId))
        delete follower.data();
}

void AgentHost::requestPodDetails(const QString& key)
{
    if (!m_watcher)
        return;
    const QJsonObject pod = m_watcher->pod(key);
    if (pod.isEmpty())
        return Q_EMIT podDetails(key, QString(), QString());
    const QString yaml = QString::fromUtf8(json::toYaml(pod));
    const QString ns = key.section(QLatin1Char('/'), 0, 0);
    const QString name = key.section(QLatin1Char('/'), 1);
    const QString nodeName = json::at(pod, {QLatin1String("spec"), QLatin1String("nodeName")}).toString();
    auto describeEnv = [](const QJsonObject& resolved, bool isResolved) {
        QString text;
        if (!isResolved)
            text += tr("# As written in the spec (the pod is not on a node of this console, so nothing is resolved)\n");
        else
            text += tr("# As given to the provider, after env resolution\n");
        for (const auto& c : json::at(resolved, {QLatin1String("spec"), QLatin1String("containers")}).toArray()) {
            const QJsonObject container = c.toObject();
            text += tr("\ncontainer %1:\n").arg(container.value(QLatin1String("name")).toString());
            const QJsonArray env = container.value(QLatin1String("env")).toArray();
            if (env.isEmpty())
                text += tr("  (no variables)\n");
            for (const auto& e : env) {
                const QJsonObject var = e.toObject();
                QString value = var.value(QLatin1String("value")).toString();
                if (var.contains(QLatin1String("valueFrom")))
                    value = QString::fromUtf8(
                        QJsonDocument(var.value(QLatin1String("valueFrom")).toObject()).toJson(QJsonDocument::Compact));
                text += QStringLiteral("  %1=%2\n").arg(var.value(QLatin1String("name")).toString(), value);
            }
        }
        return text;
    };
    auto it = m_nodes.find(nodeName);
    if (it == m_nodes.end() || !it->second->node || !it->second->node->provider())
        return Q_EMIT podDetails(key, yaml, describeEnv(pod, false));
    it->second->node->provider()->getPod(
        ns, name, this, [this, key, yaml, pod, describeEnv](Result<QJsonObject> resolved) {
            Q_EMIT podDetails(key, yaml, resolved ? describeEnv(resolved.value(), true) : describeEnv(pod, false));
        });
}

AgentThread::AgentThread(AgentHost::Options options, QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ConnectionRequest>();
    qRegisterMetaType<ConnectionTestResult>();
    qRegisterMetaType<NodeRequest>();
    qRegisterMetaType<PodSummary>();
    qRegisterMetaType<QList<PodSummary>>();
    qRegisterMetaType<EventSummary>();
    qRegisterMetaType<QList<EventSummary>>();
    qRegisterMetaType<NodeSummary>();
    qRegisterMetaType<QList<NodeSummary>>();
    qRegisterMetaType<NodeUsage>();
    qRegisterMetaType<VirtualNodeState>();
    qRegisterMetaType<ActivityLine>();
    qRegisterMetaType<QList<ActivityLine>>();
    qRegisterMetaType<LogRequest>();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("vk-agent"));
    m_host = new AgentHost(std::move(options));
    m_host->moveToThread(m_thread);
    m_thread->start();
    // The window comes first: when both want a core (2 cores, a sandbox and 10,000 pods), the GUI thread gets it.
    QMetaObject::invokeMethod(m_host, [] { runBelowNormalPriority(); });
}

AgentThread::~AgentThread()
{
    // Stop everything on the agent thread, then let the thread end; the host is deleted there.
    QMetaObject::invokeMethod(
        m_host,
        [host = m_host] {
            host->shutdown();
            delete host;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

} // namespace vk::console
