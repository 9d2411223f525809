// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace vk::kube {
class ApiClient;
class Informer;
} // namespace vk::kube

namespace vk::console {

/// Watches the cluster for the console (on the agent thread): pods of all namespaces, nodes and events, through
/// informers. Changes are turned into value types and delivered in batches (at most every `flushIntervalMs`), so
/// 1,000 pods changing at once reach the GUI as a handful of signals instead of thousands.
class ClusterWatcher : public QObject
{
    Q_OBJECT

public:
    explicit ClusterWatcher(kube::ApiClient* client, QObject* parent = nullptr);
    ~ClusterWatcher() override;

    void start();
    void stop();
    void setFlushInterval(int ms);

    /// The cached pod ("ns/name"), or an empty object.
    QJsonObject pod(const QString& key) const;
    bool hasSynced() const;

Q_SIGNALS:
    void podsChanged(const QList<vk::console::PodSummary>& upserted, const QStringList& removedKeys);
    void nodesChanged(const QList<vk::console::NodeSummary>& upserted, const QStringList& removedNames);
    void nodeUsageChanged(const QString& nodeName, const vk::console::NodeUsage& usage);
    void eventsAdded(const QList<vk::console::EventSummary>& events);
    void synced();
    /// A list or watch failed (the informers retry by themselves).
    void watchError(const QString& message);

private:
    void onPod(const QJsonObject& pod);
    void onPodDeleted(const QJsonObject& pod);
    void onNode(const QJsonObject& node);
    /// Replaces what the pod `key` counts towards its node's usage (nodeName empty: the pod counts nowhere).
    void setPodUsage(const QString& key, const QString& nodeName, const NodeUsage& requests);
    void onEvent(const QJsonObject& event);
    void scheduleFlush();
    void flush();

    kube::ApiClient* m_client;
    kube::Informer* m_pods = nullptr;
    kube::Informer* m_nodes = nullptr;
    kube::Informer* m_events = nullptr;
    QTimer m_flushTimer;
    QHash<QString, PodSummary> m_pendingPods;
    QSet<QString> m_removedPods;
    QHash<QString, NodeSummary> m_pendingNodes;
    QSet<QString> m_removedNodes;
    QList<EventSummary> m_pendingEvents;
    QSet<QString> m_dirtyNodeUsage;
    QHash<QString, std::pair<QString, NodeUsage>> m_podUsage; ///< pod key → (node, its requests)
    QHash<QString, NodeUsage> m_nodeUsage;                    ///< node → sum of its pods' requests
    bool m_syncedEmitted = false;
};

} // namespace vk::console
