// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sandbox/EventRecorder.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

namespace vk::sandbox {

class Registry;
struct ChangeEvent;

/// The sandbox's default-scheduler: binds pods without a nodeName (and schedulerName default-scheduler) to a Ready,
/// schedulable node whose taints they tolerate, whose labels match their nodeSelector and required node affinity,
/// and which has room (pods, cpu and memory requests against allocatable), preferring the least allocated node.
/// A pod that fits nowhere gets PodScheduled=False/Unschedulable with kube-scheduler's message and a
/// FailedScheduling event, and is tried again whenever nodes or pods change.
class Scheduler : public QObject
{
    Q_OBJECT

public:
    explicit Scheduler(Registry* registry, QObject* parent = nullptr);

    void start();
    /// Why a pod does not fit a node; empty when it fits. Exposed for tests.
    static QString
    misfit(const QJsonObject& pod, const QJsonObject& node, qint64 usedMilliCpu, qint64 usedMemory, int usedPods);

private:
    void onChanged(const ChangeEvent& event);
    void requestPass();
    void runPass();
    void markUnschedulable(const QJsonObject& pod, const QString& message);
    /// Counts the pod (nullptr: deleted) against its node's usage, replacing what it counted before.
    void track(const QString& key, const QJsonObject* pod);

    struct Usage
    {
        qint64 cpu = 0; ///< millicores
        qint64 memory = 0;
        int pods = 0;
    };
    struct Placement
    {
        QString nodeName;
        qint64 cpu = 0;
        qint64 memory = 0;
    };

    Registry* m_registry;
    EventRecorder m_events;
    /// "ns/name" of the pods waiting to be bound, kept from the store's changes: a pass runs only when there is one,
    /// and looks only at them.
    QSet<QString> m_pending;
    /// What each bound, non-terminal pod takes from its node, and the sums per node, kept from the store's changes
    /// so that a pass never walks every pod (with 10,000 pods that made creating them quadratic).
    QHash<QString, Placement> m_placed;
    QHash<QString, Usage> m_usage;
    bool m_passQueued = false;
    bool m_started = false;
};

} // namespace vk::sandbox
