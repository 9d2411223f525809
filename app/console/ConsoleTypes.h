// SPDX-License-Identifier: Apache-2.0
#pragma once

// Value types that cross between the agent thread (AgentHost) and the GUI thread. Plain data, implicitly shared Qt
// containers only, registered as metatypes so they travel through queued signals.

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace vk::console {

/// Which cluster to connect to: the embedded sandbox, or a kubeconfig context (kubectl's resolution rules).
struct ConnectionRequest
{
    enum class Kind
    {
        Sandbox,
        KubeConfig
    };
    Kind kind = Kind::Sandbox;
    QStringList kubeconfigFiles; ///< empty: $KUBECONFIG or ~/.kube/config, as kubectl
    QString context;             ///< empty: current-context
    QString namespaceName;       ///< empty: the context's namespace (pods are shown for all namespaces anyway)

    /// "sandbox" or the context name, for titles and the recent-clusters list.
    QString displayName() const;
    bool operator==(const ConnectionRequest&) const = default;
};

/// The answer of "Test connection": server version, identity and round trip, or which step failed and why.
struct ConnectionTestResult
{
    enum class Step
    {
        None,           ///< it worked
        KubeConfig,     ///< the file or the context could not be read or resolved
        Tls,            ///< the TLS handshake or certificate verification failed
        Authentication, ///< 401/403 from the server
        Reachability,   ///< connection refused, host not found, timeout
        Server          ///< the server answered with another error
    };
    Step failedStep = Step::None;
    QString message; ///< the reason, naming file/context/URL
    QString serverUrl;
    QString serverVersion;           ///< gitVersion of /version
    QString identity;                ///< user name (and groups) as the server or the kubeconfig says
    bool identityFromServer = false; ///< identity came from a SelfSubjectReview (else: the kubeconfig's user name)
    qint64 roundTripMs = -1;

    bool ok() const { return failedStep == Step::None; }
    static QString stepName(Step step);
};

/// What the "Start node" dialog asks for: one virtual node with its provider and configuration.
struct NodeRequest
{
    QString nodeName = QStringLiteral("vk-mock-0");
    QString provider = QStringLiteral("mock");
    QString providerConfigText; ///< the provider config file's content (JSON or YAML); empty: provider defaults
    /// providerConfigText as JSON (YAML converted): what the provider's --provider-config file must contain
    /// (providers read JSON). Filled by NodeDialog::request(); empty: no config file (provider defaults).
    QByteArray providerConfigJson;
    double kubeApiQps = 50;
    int kubeApiBurst = 100;
    bool taintEnabled = true;
    QString taintKey = QStringLiteral("virtual-kubelet.io/provider");
    QString taintValue; ///< empty: the provider name
    QString taintEffect = QStringLiteral("NoSchedule");
    QMap<QString, QString> labels; ///< extra node labels, applied once the node is registered
};

struct ContainerStateSummary
{
    QString name;
    QString state;  ///< waiting, running, terminated (empty: unknown)
    QString reason; ///< waiting/terminated reason
    QString message;
    bool ready = false;
    bool started = false;
    int restartCount = 0;
    int exitCode = 0;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString image;
    bool operator==(const ContainerStateSummary&) const = default;
};

struct ConditionSummary
{
    QString type;
    QString status; ///< True, False, Unknown
    QString reason;
    QString message;
    QDateTime lastTransitionTime;
    QDateTime lastHeartbeatTime; ///< nodes only
    bool operator==(const ConditionSummary&) const = default;
};

/// One pod as the console shows it in the table, the details and the lifecycle view.
struct PodSummary
{
    QString namespaceName;
    QString name;
    QString uid;
    QString nodeName;
    QString phase;      ///< Pending, Running, Succeeded, Failed, Unknown
    QString statusText; ///< what kubectl's STATUS column says (ContainerCreating, Terminating, CrashLoopBackOff, ...)
    QString podIp;
    int readyContainers = 0;
    int totalContainers = 0;
    int restarts = 0;
    bool terminating = false;
    QDateTime created;
    QDateTime startTime;
    QString resourceVersion;
    QList<ConditionSummary> conditions;
    QList<ContainerStateSummary> containers;
    qint64 observedMs = 0; ///< when the console saw this state (ms since epoch)

    QString key() const { return namespaceName + QLatin1Char('/') + name; }
};

/// One Kubernetes event (core/v1 or events.k8s.io, normalised).
struct EventSummary
{
    QString uid;
    QString namespaceName;
    QString involvedKind;
    QString involvedName;
    QString involvedUid;
    QString type; ///< Normal, Warning
    QString reason;
    QString message;
    QString source; ///< reporting component
    int count = 1;
    QDateTime firstTime;
    QDateTime lastTime;

    QString involvedKey() const { return namespaceName + QLatin1Char('/') + involvedName; }
};

struct TaintSummary
{
    QString key;
    QString value;
    QString effect;
};

struct NodeSummary
{
    QString name;
    QString uid;
    bool ready = false;
    bool unschedulable = false;
    QString kubeletVersion;
    QString providerId;
    QMap<QString, QString> labels;
    QList<ConditionSummary> conditions;
    QList<TaintSummary> taints;
    QList<QPair<QString, QString>> addresses; ///< type, address
    QMap<QString, QString> capacity;          ///< resource → quantity text
    QMap<QString, QString> allocatable;
    int kubeletPort = 0;
    QDateTime created;
};

/// Usage of one node by the pods bound to it (requests summed, as `kubectl describe node` does).
struct NodeUsage
{
    int pods = 0;
    double cpuRequestsCores = 0;
    double memoryRequestsBytes = 0;
};

/// State of a virtual node run by this console.
struct VirtualNodeState
{
    enum class Phase
    {
        Idle,
        Starting,
        Ready,
        Stopping,
        Stopped,
        Failed
    };
    QString nodeName;
    QString provider;
    Phase phase = Phase::Idle;
    QString message;
    QDateTime lastLeaseRenewal;
    int leaseRenewals = 0;
    quint16 kubeletPort = 0;

    static QString phaseName(Phase phase);
};

/// One line of the agent activity log.
struct ActivityLine
{
    QDateTime time;
    QString nodeName; ///< empty: the console/sandbox itself
    QString message;
    bool warning = false;
};

/// The options of a log request (kubectl logs flags).
struct LogRequest
{
    QString namespaceName;
    QString pod;
    QString container; ///< empty: the only container
    bool follow = true;
    int tailLines = 500;     ///< < 0: all
    qint64 sinceSeconds = 0; ///< 0: not set
    bool timestamps = false;
    bool previous = false;
};

} // namespace vk::console

Q_DECLARE_METATYPE(vk::console::ConnectionRequest)
Q_DECLARE_METATYPE(vk::console::ConnectionTestResult)
Q_DECLARE_METATYPE(vk::console::NodeRequest)
Q_DECLARE_METATYPE(vk::console::PodSummary)
Q_DECLARE_METATYPE(vk::console::EventSummary)
Q_DECLARE_METATYPE(vk::console::NodeSummary)
Q_DECLARE_METATYPE(vk::console::VirtualNodeState)
Q_DECLARE_METATYPE(vk::console::ActivityLine)
Q_DECLARE_METATYPE(vk::console::LogRequest)
