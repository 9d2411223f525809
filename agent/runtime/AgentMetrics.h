// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QMap>
#include <QObject>

#include <memory>

namespace vk::http {
class HttpServer;
}
namespace vk::kube {
class ApiClient;
}

namespace vk::runtime {

class VirtualNode;

/// The agent's own Prometheus metrics: API requests by code/method and their latency (client-go's metric names),
/// pods of each node by phase, node readiness and lease renewals. Fed by the signals of the nodes it watches.
class AgentMetrics : public QObject
{
    Q_OBJECT

public:
    explicit AgentMetrics(QObject* parent = nullptr);

    /// Starts following a node (its API client, pods and lease). Safe to call again after the node restarts.
    void watch(VirtualNode* node);
    /// Prometheus text exposition format 0.0.4.
    QByteArray render() const;

    void recordRequest(const QByteArray& method, const QString& host, int status, qint64 elapsedMs);
    /// A pod's phase (key "namespace/name"), as PodController::podPhaseChanged tells it.
    void recordPod(const QString& node, const QString& key, const QString& phase);
    void forgetPod(const QString& node, const QString& namespaceName, const QString& name);
    void recordLeaseRenewal(const QString& node);
    void recordNodeReady(const QString& node, bool ready);

private:
    struct Histogram
    {
        QList<quint64> buckets; ///< cumulative counts per bound
        quint64 count = 0;
        double sum = 0;
    };
    QMap<QString, quint64> m_requests;                   ///< "code\thost\tmethod" -> count
    QMap<QString, Histogram> m_latency;                  ///< "verb\thost" -> histogram
    QHash<QString, QHash<QString, QString>> m_podPhases; ///< node -> "ns/name" -> phase
    QMap<QString, quint64> m_leaseRenewals;              ///< node -> count
    QMap<QString, bool> m_nodeReady;
};

/// Serves AgentMetrics on --metrics-addr over plain HTTP (/metrics, /healthz), as the upstream flag promises.
class MetricsServer : public QObject
{
    Q_OBJECT

public:
    MetricsServer(AgentMetrics* metrics, QObject* parent = nullptr);
    ~MetricsServer() override;

    /// ":10255", "127.0.0.1:10255", "[::1]:10255"; an InvalidInput error names the address.
    Result<quint16> listen(const QString& address);

    static Result<std::pair<QHostAddress, quint16>> parseAddress(const QString& address);

private:
    AgentMetrics* m_metrics;
    std::unique_ptr<http::HttpServer> m_server;
};

} // namespace vk::runtime
