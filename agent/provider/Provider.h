// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

// The provider SDK: what a virtual node's backend implements. A provider sees this header (and vk_core's Result)
// and nothing else of the agent, so a third-party provider builds against the SDK alone.
//
// Threading: a provider lives on the agent's thread. Every call returns at once and answers through its callback
// later (or at once); the callback must run on the agent's thread and never after `context` is destroyed
// (connect through `context`, e.g. QMetaObject::invokeMethod(context, ...)). Never block the event loop.
//
// Pods travel as Kubernetes v1.Pod JSON objects. Errors use vk::Error categories: NotFound for a pod the provider
// does not know (the agent treats it as "already gone" where that is what it means), InvalidInput for a pod the
// provider cannot run as specified, Unsupported for an optional capability it lacks, anything else as a failure.
namespace vk::provider {

template <typename T>
using Callback = std::function<void(Result<T>)>;
using Done = std::function<void(Status)>;

/// Optional capabilities; the kubelet server and the console say "not supported by this provider" for the rest.
enum class Capability : quint32
{
    PodStatusPush = 1 << 0,  ///< emits podStatusChanged(); otherwise the agent polls getPodStatus every 5 s
    NodeStatusPush = 1 << 1, ///< emits nodeStatusChanged()
    Logs = 1 << 2,
    Exec = 1 << 3,
    Attach = 1 << 4,
    PortForward = 1 << 5,
    StatsSummary = 1 << 6,
    MetricsResource = 1 << 7,
};
Q_DECLARE_FLAGS(Capabilities, Capability)

/// kubelet log options (the /containerLogs query), already validated by the caller.
struct LogOptions
{
    std::optional<qint64> tailLines;
    std::optional<qint64> limitBytes;
    bool timestamps = false;
    bool follow = false;
    bool previous = false;
    std::optional<qint64> sinceSeconds;
    QDateTime sinceTime; ///< invalid when not set
};

/// A byte stream the provider produces (container logs). The consumer reads with read()/readyRead and ends it
/// with close(); the provider signals finished() when there is no more (follow ended or the container stopped).
class LogStream : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    /// Takes what is buffered so far.
    virtual QByteArray read() = 0;
    /// The consumer is gone: stop producing.
    virtual void close() = 0;
Q_SIGNALS:
    void readyRead();
    void finished(const vk::Status& result);
};

/// Terminal size for tty sessions.
struct TerminalSize
{
    quint16 width = 0;
    quint16 height = 0;
};

/// One exec or attach session. The agent writes stdin and resizes; the provider emits output and, at the end,
/// finished() with the exit code (0 success; a non-zero code is reported to kubectl as "command terminated with exit
/// code N").
class ExecSession : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void writeStdin(const QByteArray& data) = 0;
    virtual void closeStdin() = 0;
    virtual void resize(TerminalSize size) = 0;
    /// The client went away: stop the command.
    virtual void cancel() = 0;
Q_SIGNALS:
    void stdoutData(const QByteArray& data);
    void stderrData(const QByteArray& data);
    /// exitCode is meaningful when status is ok; an error status is an internal failure to run the command.
    void finished(int exitCode, const vk::Status& status);
};

struct ExecRequest
{
    QString namespaceName;
    QString podName;
    QString container;
    QStringList command; ///< empty for attach
    bool stdinOpen = false;
    bool stdoutWanted = true;
    bool stderrWanted = true;
    bool tty = false;
};

/// One forwarded connection to a pod port: bytes both ways until either side closes.
class PortForwardStream : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void write(const QByteArray& data) = 0;
    virtual void close() = 0;
Q_SIGNALS:
    void dataReceived(const QByteArray& data);
    void closed(const vk::Status& status);
};

/// What the agent hands a provider factory.
struct ProviderConfig
{
    QString nodeName;
    QString configPath; ///< --provider-config; may be empty
    QString operatingSystem = QStringLiteral("linux");
    QString internalIp;         ///< the node's InternalIP (VKUBELET_POD_IP or detected)
    quint16 daemonPort = 10250; ///< the kubelet endpoint port
    QString clusterDomain = QStringLiteral("cluster.local");
};

/// The backend of a virtual node.
class Provider : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~Provider() override = default;

    /// The registry name ("mock").
    virtual QString name() const = 0;
    virtual Capabilities capabilities() const = 0;

    // --- node side ---------------------------------------------------------------------------------------------
    /// Fills the node before registration: status.capacity/allocatable, conditions, addresses, daemonEndpoints,
    /// nodeInfo, spec.providerID, extra labels. The agent adds the upstream labels, taint and kubelet version.
    virtual void configureNode(QJsonObject& node) = 0;
    /// A light health check, every 10 s; an error makes the node NotReady (no status or lease renewals).
    virtual void ping(QObject* context, Done done);

    // --- pods (required) -----------------------------------------------------------------------------------------
    /// Deploys a pod (env already resolved into container env, envFrom emptied).
    virtual void createPod(const QJsonObject& pod, QObject* context, Done done) = 0;
    /// Called when the mutable fields of a known pod changed (containers' images, labels, annotations, ...).
    virtual void updatePod(const QJsonObject& pod, QObject* context, Done done) = 0;
    /// Stops a pod; may be called more than once. NotFound means it is already gone. Afterwards the provider reports
    /// a terminal status (podStatusChanged, or through getPodStatus) once its containers have terminated.
    virtual void deletePod(const QJsonObject& pod, QObject* context, Done done) = 0;
    /// The provider's view of a pod (v1.Pod JSON with status); NotFound when unknown.
    virtual void
    getPod(const QString& namespaceName, const QString& name, QObject* context, Callback<QJsonObject> done) = 0;
    /// The pod's v1.PodStatus; NotFound when unknown.
    virtual void
    getPodStatus(const QString& namespaceName, const QString& name, QObject* context, Callback<QJsonObject> done) = 0;
    /// Every pod the provider runs (startup reconcile, /runningpods/).
    virtual void listPods(QObject* context, Callback<QList<QJsonObject>> done) = 0;

    // --- optional capabilities (default: Unsupported) ---------------------------------------------------------------
    virtual Result<LogStream*> containerLogs(const QString& namespaceName,
                                             const QString& podName,
                                             const QString& container,
                                             const LogOptions& options,
                                             QObject* parent);
    virtual Result<ExecSession*> exec(const ExecRequest& request, QObject* parent);
    virtual Result<ExecSession*> attach(const ExecRequest& request, QObject* parent);
    virtual Result<PortForwardStream*>
    portForward(const QString& namespaceName, const QString& podName, quint16 port, QObject* parent);
    /// kubelet stats/summary (k8s.io/kubelet stats v1alpha1 Summary JSON).
    virtual void statsSummary(QObject* context, Callback<QJsonObject> done);
    /// Prometheus text exposition for /metrics/resource.
    virtual void metricsResource(QObject* context, Callback<QByteArray> done);

    static Error unsupported(const QString& what);

Q_SIGNALS:
    /// PodStatusPush: the pod (v1.Pod JSON with an up-to-date status) changed.
    void podStatusChanged(const QJsonObject& pod);
    /// NodeStatusPush: new node status/labels/annotations to publish (a v1.Node JSON carrying them).
    void nodeStatusChanged(const QJsonObject& node);
};

} // namespace vk::provider

Q_DECLARE_OPERATORS_FOR_FLAGS(vk::provider::Capabilities)
