// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "mock/MockConfig.h"
#include "mock/MockMetrics.h"
#include "provider/Provider.h"

#include <QSet>

#include <map>
#include <memory>

namespace vk::mock {

class LogBuffer;

/// The annotation holding a per-pod lifecycle script (same JSON as the config's "lifecycle" key).
inline constexpr char kLifecycleAnnotation[] = "mock.vk-studio.io/lifecycle";

/// Simulated pods with a scriptable lifecycle (pending, start, ready, exit, crash/restart, readiness flapping),
/// generated logs, a built-in exec shell, attach, echo port-forwarding, stats/summary and /metrics/resource.
/// Upstream's mock provider, made thread-safe by construction (one thread), with "ns/name" keys and kubelet-like
/// statuses. All timing goes through the injected Clock.
class MockProvider : public provider::Provider
{
    Q_OBJECT

public:
    MockProvider(MockNodeConfig config,
                 provider::ProviderConfig providerConfig,
                 Clock* clock = Clock::system(),
                 QObject* parent = nullptr);
    ~MockProvider() override;

    /// The factory behind the registry: loads providerConfig.configPath for providerConfig.nodeName.
    static Result<std::unique_ptr<MockProvider>> create(const provider::ProviderConfig& providerConfig,
                                                        Clock* clock = Clock::system());

    /// Replaces the clock (before any pod exists).
    void setClock(Clock* clock);
    Clock* clock() const { return m_clock; }
    const MockNodeConfig& config() const { return m_config; }

    QString name() const override { return QStringLiteral("mock"); }
    provider::Capabilities capabilities() const override;

    void configureNode(QJsonObject& node) override;

    void createPod(const QJsonObject& pod, QObject* context, provider::Done done) override;
    void updatePod(const QJsonObject& pod, QObject* context, provider::Done done) override;
    void deletePod(const QJsonObject& pod, QObject* context, provider::Done done) override;
    void getPod(const QString& namespaceName,
                const QString& name,
                QObject* context,
                provider::Callback<QJsonObject> done) override;
    void getPodStatus(const QString& namespaceName,
                      const QString& name,
                      QObject* context,
                      provider::Callback<QJsonObject> done) override;
    void listPods(QObject* context, provider::Callback<QList<QJsonObject>> done) override;

    Result<provider::LogStream*> containerLogs(const QString& namespaceName,
                                               const QString& podName,
                                               const QString& container,
                                               const provider::LogOptions& options,
                                               QObject* parent) override;
    Result<provider::ExecSession*> exec(const provider::ExecRequest& request, QObject* parent) override;
    Result<provider::ExecSession*> attach(const provider::ExecRequest& request, QObject* parent) override;
    Result<provider::PortForwardStream*>
    portForward(const QString& namespaceName, const QString& podName, quint16 port, QObject* parent) override;
    void statsSummary(QObject* context, provider::Callback<QJsonObject> done) override;
    void metricsResource(QObject* context, provider::Callback<QByteArray> done) override;

    // --- synchronous views, for tests and the console ---------------------------------------------------------
    /// The pod with its current status; NotFound when unknown.
    Result<QJsonObject> pod(const QString& namespaceName, const QString& name) const;
    int podCount() const { return int(m_pods.size()); }

private:
    struct Container;
    struct Pod;

    Pod* find(const QString& key) const;
    Result<Pod*> findForStream(const QString& namespaceName, const QString& podName) const;
    Result<int> containerIndex(const Pod& pod, const QString& container) const;
    Status applySpec(Pod& pod, const QJsonObject& object);
    qint64 jittered(Pod& pod, qint64 ms);
    void runPod(Pod& pod, qint64 delayMs, std::function<void(Pod&)> fn);
    void runContainer(Pod& pod, int index, qint64 delayMs, std::function<void(Pod&, Container&)> fn);
    void createContainers(Pod& pod);
    void startInstance(Pod& pod, int index);
    void markStarted(Pod& pod, int index);
    void markReady(Pod& pod, int index);
    void flapReadiness(Pod& pod, int index);
    void exitContainer(Pod& pod, int index, int exitCode, bool injected);
    void logTick(Pod& pod, int index);
    void stopContainer(Container& c, int exitCode, const QString& reason, const QString& message);
    QString phase(const Pod& pod) const;
    void refreshConditions(Pod& pod);
    QJsonObject status(const Pod& pod) const;
    QJsonObject podObject(const Pod& pod) const;
    void flush(Pod& pod);
    void forget(const QString& key);
    QString allocateIp();
    void releaseIp(const QString& ip);
    void collectUsage(NodeUsage& node, QList<PodUsage>& pods) const;

    MockNodeConfig m_config;
    provider::ProviderConfig m_providerConfig;
    Clock* m_clock;
    QDateTime m_startTime;
    std::map<QString, std::unique_ptr<Pod>> m_pods;
    quint64 m_serial = 0;
    QSet<int> m_usedIps;
    int m_nextIp = 0;
};

/// Registers "mock" in provider::ProviderRegistry (idempotent).
void registerMockProvider();

} // namespace vk::mock
