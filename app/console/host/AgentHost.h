// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <map>
#include <memory>

namespace vk::kube {
class ApiClient;
struct ClusterConnection;
} // namespace vk::kube
namespace vk::sandbox {
class Sandbox;
}
namespace vk::runtime {
class VirtualNode;
}

namespace vk::console {

class ClusterWatcher;
class LogFollower;

/// Everything the console runs, on the agent thread: the embedded sandbox (when asked for), the cluster
/// connection and its watchers, the virtual nodes and log streams. The GUI never calls it directly: AgentThread
/// posts calls to it, and it answers only with signals carrying value types (ConsoleTypes.h).
class AgentHost : public QObject
{
    Q_OBJECT

public:
    enum class ConnectionState
    {
        Disconnected,
        Connecting,
        Connected,
        Failed
    };
    Q_ENUM(ConnectionState)

    struct Options
    {
        QString sandboxDataDir; ///< empty: Sandbox::defaultDataDir()
        quint16 sandboxPort = 0;
        QString providerConfigDir; ///< where node configs are written; empty: a folder beside the sandbox data
        int flushIntervalMs = 100;
    };

    explicit AgentHost(Options options, QObject* parent = nullptr);
    ~AgentHost() override;

    // All of these run on the agent thread (post them with AgentThread::post).
    void connectTo(const vk::console::ConnectionRequest& request);
    void disconnectCluster();
    void startNode(const vk::console::NodeRequest& request);
    void stopNode(const QString& nodeName);
    /// Creates every object of a YAML/JSON document stream (Pods, ConfigMaps, Secrets, Services, Namespaces).
    void createObjects(const QString& text, const QString& defaultNamespace);
    void deletePod(const QString& namespaceName, const QString& name, bool force);
    void startLogs(int streamId, const vk::console::LogRequest& request);
    void stopLogs(int streamId);
    /// Answers podDetails() with the pod's YAML and the environment its provider was given (resolved), when the
    /// pod runs on one of this console's nodes.
    void requestPodDetails(const QString& key);
    /// Stops everything; the host can be destroyed afterwards on its thread.
    void shutdown();

Q_SIGNALS:
    void connectionStateChanged(vk::console::AgentHost::ConnectionState state,
                                const QString& displayName,
                                const QString& serverUrl,
                                const QString& message);
    /// The sandbox is up: point kubectl at this kubeconfig.
    void sandboxStarted(const QString& kubeconfigPath, const QString& serverUrl);
    void podsChanged(const QList<vk::console::PodSummary>& upserted, const QStringList& removedKeys);
    void nodesChanged(const QList<vk::console::NodeSummary>& upserted, const QStringList& removedNames);
    void nodeUsageChanged(const QString& nodeName, const vk::console::NodeUsage& usage);
    void eventsAdded(const QList<vk::console::EventSummary>& events);
    void clusterSynced();
    void virtualNodeChanged(const vk::console::VirtualNodeState& state);
    void virtualNodeRemoved(const QString& nodeName);
    /// What the nodes and the console did, gathered for up to flushIntervalMs (10,000 pods' events would otherwise
    /// be as many deliveries to the GUI thread).
    void activity(const QList<vk::console::ActivityLine>& lines);
    /// A create/delete asked for by the user finished.
    void operationFinished(const QString& what, bool ok, const QString& message);
    void logLines(int streamId, const QStringList& lines);
    void logFinished(int streamId, const QString& error);
    void podDetails(const QString& key, const QString& yaml, const QString& environment);
    /// API requests per second made by this console (watchers and nodes), once a second.
    void apiRate(double requestsPerSecond, int errors);

private:
    struct NodeEntry;
    /// Starts the sandbox; its kubeconfig path, or empty after reporting the failure.
    QString startSandbox();
    void useConnection(const kube::ClusterConnection& connection);
    void setConnectionState(ConnectionState state, const QString& message = {});
    void note(const QString& nodeName, const QString& message, bool warning = false);
    void publishNode(const QString& nodeName);
    void countRequests(kube::ApiClient* client);

    Options m_options;
    ConnectionRequest m_request;
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_serverUrl;
    std::unique_ptr<kube::ClusterConnection> m_connection;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<kube::ApiClient> m_client;
    std::unique_ptr<ClusterWatcher> m_watcher;
    std::map<QString, std::unique_ptr<NodeEntry>> m_nodes;
    QHash<int, QPointer<LogFollower>> m_logs;
    QTimer m_rateTimer;
    QTimer m_activityTimer;
    QList<ActivityLine> m_pendingActivity;
    int m_requests = 0;
    int m_errors = 0;
    quint64 m_generation = 0;
};

/// Owns the agent thread and the AgentHost living on it. post() runs a function on that thread.
class AgentThread : public QObject
{
    Q_OBJECT

public:
    explicit AgentThread(AgentHost::Options options, QObject* parent = nullptr);
    ~AgentThread() override;

    AgentHost* host() const { return m_host; }
    template <typename F>
    void post(F&& function)
    {
        QMetaObject::invokeMethod(m_host, std::forward<F>(function), Qt::QueuedConnection);
    }

private:
    class QThread* m_thread;
    AgentHost* m_host;
};

} // namespace vk::console

Q_DECLARE_METATYPE(vk::console::NodeUsage)
