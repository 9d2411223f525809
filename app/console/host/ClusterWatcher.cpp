// SPDX-License-Identifier: Apache-2.0
#include "ClusterWatcher.h"

#include "Summaries.h"
#include "kube/ApiClient.h"
#include "kube/Informer.h"

#include <QDateTime>

namespace vk::console {

ClusterWatcher::ClusterWatcher(kube::ApiClient* client, QObject* parent) : QObject(parent), m_client(client)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &ClusterWatcher::flush);

    m_pods = new kube::Informer(m_client, kube::GroupVersionResource::pods(), this);
    m_nodes = new kube::Informer(m_client, kube::GroupVersionResource::nodes(), this);
    m_events = new kube::Informer(m_client, kube::GroupVersionResource::events(), this);

    connect(m_pods, &kube::Informer::added, this, &ClusterWatcher::onPod);
    connect(m_pods, &kube::Informer::updated, this, [this](const QJsonObject&, const QJsonObject& pod) { onPod(pod); });
    connect(m_pods, &kube::Informer::deleted, this, &ClusterWatcher::onPodDeleted);
    connect(m_nodes, &kube::Informer::added, this, &ClusterWatcher::onNode);
    connect(m_nodes, &kube::Informer::updated, this,
            [this](const QJsonObject&, const QJsonObject& node) { onNode(node); });
    connect(m_nodes, &kube::Informer::deleted, this, [this](const QJsonObject& node) {
        const QString name = kube::Informer::keyOf(node);
        m_pendingNodes.remove(name);
        m_removedNodes.insert(name);
        scheduleFlush();
    });
    connect(m_events, &kube::Informer::added, this, &ClusterWatcher::onEvent);
    connect(m_events, &kube::Informer::updated, this,
            [this](const QJsonObject&, const QJsonObject& event) { onEvent(event); });
    for (kube::Informer* informer : {m_pods, m_nodes, m_events}) {
        connect(informer, &kube::Informer::synced, this, [this] {
            if (!m_syncedEmitted && hasSynced()) {
                m_syncedEmitted = true;
                flush();
                Q_EMIT synced();
            }
        });
        connect(informer, &kube::Informer::errorOccurred, this, [this, informer](const vk::Error& error) {
            Q_EMIT watchError(informer->resource().resource + QStringLiteral(": ") + error.message());
        });
    }
}

ClusterWatcher::~ClusterWatcher() = default;

void ClusterWatcher::start()
{
    m_pods->start();
    m_nodes->start();
    m_events->start();
}

void ClusterWatcher::stop()
{
    m_pods->stop();
    m_nodes->stop();
    m_events->stop();
    m_flushTimer.stop();
}

void ClusterWatcher::setFlushInterval(int ms)
{
    m_flushTimer.setInterval(ms);
}

QJsonObject ClusterWatcher::pod(const QString& key) const
{
    return m_pods->get(key);
}

bool ClusterWatcher::hasSynced() const
{
    return m_pods->hasSynced() && m_nodes->hasSynced() && m_events->hasSynced();
}

void ClusterWatcher::onPod(const QJsonObject& pod)
{
    PodSummary summary = podSummaryFromJson(pod, QDateTime::currentMSecsSinceEpoch());
    const QString key = summary.key();
    m_removedPods.remove(key);
    NodeUsage requests;
    if (!summary.nodeName.isEmpty())
        addPodRequests(pod, requests);
    setPodUsage(key, summary.nodeName, requests);
    m_pendingPods.insert(key, std::move(summary));
    scheduleFlush();
}

void ClusterWatcher::onPodDeleted(const QJsonObject& pod)
{
    const QString key = kube::Informer::keyOf(pod);
    m_pendingPods.remove(key);
    m_removedPods.insert(key);
    setPodUsage(key, {}, {});
    scheduleFlush();
}

void ClusterWatcher::setPodUsage(const QString& key, const QString& nodeName, const NodeUsage& requests)
{
    // Each pod's requests are counted once when it changes, so a flush never walks the pods of a node.
    auto previous = m_podUsage.constFind(key);
    if (previous != m_podUsage.constEnd()) {
        NodeUsage& total = m_nodeUsage[previous->first];
        total.pods -= previous->second.pods;
        total.cpuRequestsCores -= previous->second.cpuRequestsCores;
        total.memoryRequestsBytes -= previous->second.memoryRequestsBytes;
        m_dirtyNodeUsage.insert(previous->first);
        m_podUsage.erase(previous);
    }
    if (nodeName.isEmpty())
        return;
    NodeUsage& total = m_nodeUsage[nodeName];
    total.pods += requests.pods;
    total.cpuRequestsCores += requests.cpuRequestsCores;
    total.memoryRequestsBytes += requests.memoryRequestsBytes;
    m_podUsage.insert(key, {nodeName, requests});
    m_dirtyNodeUsage.insert(nodeName);
}

void ClusterWatcher::onNode(const QJsonObject& node)
{
    NodeSummary summary = nodeSummaryFromJson(node);
    m_removedNodes.remove(summary.name);
    m_pendingNodes.insert(summary.name, std::move(summary));
    scheduleFlush();
}

void ClusterWatcher::onEvent(const QJsonObject& event)
{
    m_pendingEvents.append(eventSummaryFromJson(event));
    scheduleFlush();
}

void ClusterWatcher::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ClusterWatcher::flush()
{
    m_flushTimer.stop();
    if (!m_pendingNodes.isEmpty() || !m_removedNodes.isEmpty()) {
        const QList<NodeSummary> nodes = m_pendingNodes.values();
        const QStringList removed(m_removedNodes.begin(), m_removedNodes.end());
        m_pendingNodes.clear();
        m_removedNodes.clear();
        Q_EMIT nodesChanged(nodes, removed);
    }
    if (!m_pendingPods.isEmpty() || !m_removedPods.isEmpty()) {
        const QList<PodSummary> pods = m_pendingPods.values();
        const QStringList removed(m_removedPods.begin(), m_removedPods.end());
        m_pendingPods.clear();
        m_removedPods.clear();
        Q_EMIT podsChanged(pods, removed);
    }
    for (const QString& node : std::as_const(m_dirtyNodeUsage))
        Q_EMIT nodeUsageChanged(node, m_nodeUsage.value(node));
    m_dirtyNodeUsage.clear();
    if (!m_pendingEvents.isEmpty()) {
        const QList<EventSummary> events = std::move(m_pendingEvents);
        m_pendingEvents.clear();
        Q_EMIT eventsAdded(events);
    }
}

} // namespace vk::console
