// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "node/NodeOptions.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>

#include <optional>

namespace vk::kube {
class ApiClient;
class Informer;
} // namespace vk::kube

namespace vk::provider {
class Provider;
}

namespace vk::node {

class LeaseController;
class PingController;

/// The virtual node's controller (upstream node/node.go + lease + ping controllers, improved):
/// - registers the Node (upstream labels, taint, nodeInfo, kubelet conditions, then provider->configureNode()):
///   first ping, then GET; NotFound → create; exists → adopt it through a status patch (spec is never patched);
/// - keeps the Lease kube-node-lease/<node> renewed every 10 s (LeaseController), also while pings fail;
/// - pings the provider every 10 s (PingController); a failed or timed-out ping makes Ready=False with reason
///   ProviderUnhealthy at once, recovery makes it Ready again;
/// - publishes the status every 60 s and on provider nodeStatusChanged() with a three-way strategic merge patch of
///   nodes/<name>/status (ThreeWayPatch; last applied state in the node annotations
///   virtual-kubelet.io/last-applied-node-status and -object-meta), so third-party conditions, labels and
///   annotations survive and what we stopped sending is removed; retried on 409;
/// - unlike upstream, re-creates the Node (and points its Lease at the new UID) when it is deleted while the agent
///   runs (watched with an Informer, and on a 404 from a status write).
/// Everything timed goes through Options::clock.
class NodeController : public QObject
{
    Q_OBJECT

public:
    using Options = NodeOptions;

    static constexpr const char* kLastAppliedStatusAnnotation = "virtual-kubelet.io/last-applied-node-status";
    static constexpr const char* kLastAppliedMetaAnnotation = "virtual-kubelet.io/last-applied-object-meta";

    NodeController(kube::ApiClient* client, provider::Provider* provider, Options options, QObject* parent = nullptr);
    ~NodeController() override;

    /// Reads VKUBELET_TAINT_KEY, VKUBELET_TAINT_VALUE and VKUBELET_TAINT_EFFECT (empty values are ignored) into
    /// the taint options. InvalidInput when the effect is not NoSchedule, NoExecute or PreferNoSchedule.
    static Status applyTaintEnvironment(Options& options, const QProcessEnvironment& environment);

    /// Builds the node, pings the provider, registers (create or adopt), starts lease, status loop and the node
    /// watch, then emits ready(). A registration failure emits finished(error).
    void start();
    /// Stops timers, pings, the lease and the watch. The Node stays in the cluster.
    void stop();

    /// The runtime calls this when the pod controller is ready (Ready=True, reason KubeletReady) or no longer
    /// is (Ready=False, reason KubeletNotReady). Published at once.
    void setAgentReady(bool ready);
    /// Publishes the status now (coalesced with an update in flight).
    void updateStatusNow();

    const Options& options() const { return m_options; }
    bool isRunning() const { return m_state != State::Idle && m_state != State::Stopped; }
    /// Whether the node has been registered (ready() was emitted).
    bool isRegistered() const { return m_registered; }
    /// The Node as the server last answered a write or read of ours.
    QJsonObject node() const { return m_serverNode; }
    /// What the agent wants the node to be (labels, annotations, taint, status).
    QJsonObject desiredNode() const { return m_desired; }
    QString nodeUid() const { return m_nodeUid; }
    /// The lease as last written; empty before the first renewal.
    QJsonObject lease() const;
    /// Whether the last provider ping succeeded (true before the first one).
    bool isProviderHealthy() const { return !m_pingError.has_value(); }
    /// Whether a status update is being written (GET + PATCH in flight).
    bool isUpdatingStatus() const { return m_statusInFlight; }
    /// Successful status PATCHes so far.
    int statusUpdates() const { return m_statusUpdates; }

Q_SIGNALS:
    /// The node is registered (created or adopted), its lease is being kept and the status loop runs.
    void ready();
    /// A fatal error (registration failed); the controller has stopped.
    void finished(const vk::Status& result);
    /// After every successful write of the Node (create or status patch), with the server's answer.
    void nodeUpdated(const QJsonObject& node);
    void leaseRenewed(const QDateTime& renewTime);
    /// A condition we own changed status, reason or message.
    void conditionChanged(const QString& type, const QString& status, const QString& reason, const QString& message);

private:
    enum class State
    {
        Idle,
        WaitingForPing,
        Registering,
        Running,
        Stopped,
    };

    void onPinged(const Status& result);
    void onProviderNodeStatus(const QJsonObject& node);
    void onNodeDeleted(const QJsonObject& node);
    void onNodeSeen(const QJsonObject& node);

    void registerNode();
    void createNode();
    void adoptNode(const QJsonObject& existing);
    void registered(const QJsonObject& node);
    void registrationFailed(const Error& error);
    void reRegister(const QString& why);

    bool refreshReadyCondition();
    void emitConditionChanges(const QJsonObject& before);
    void scheduleStatusUpdate(qint64 delayMs);
    void startStatusUpdate();
    void sendStatusPatch(const QJsonObject& current, int attempt);
    void finishStatusUpdate();

    /// The desired node plus the last-applied annotations, as written on create and by every patch.
    QJsonObject withLastApplied(const QJsonObject& node) const;
    /// labels/annotations/status view of the node a patch is computed over.
    static QJsonObject patchView(const QJsonObject& node);
    /// The last applied state recorded in a server node's annotations (empty when absent or malformed).
    static QJsonObject lastApplied(const QJsonObject& serverNode);

    QPointer<kube::ApiClient> m_client;
    QPointer<provider::Provider> m_provider;
    Options m_options;
    Clock* m_clock;
    PingController* m_ping = nullptr;
    LeaseController* m_lease = nullptr;
    kube::Informer* m_informer = nullptr;

    State m_state = State::Idle;
    QJsonObject m_desired;
    QJsonObject m_serverNode;
    QString m_nodeUid;
    std::optional<Error> m_pingError;
    bool m_agentReady = false;
    bool m_registered = false;
    bool m_reRegistering = false;
    bool m_statusInFlight = false;
    bool m_statusAgain = false;
    int m_statusUpdates = 0;
    quint64 m_generation = 0;
    ScheduledCall m_statusTimer;
    ScheduledCall m_reRegisterTimer;
};

} // namespace vk::node
