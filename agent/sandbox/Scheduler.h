// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sandbox/EventRecorder.h"

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

    Registry* m_registry;
    EventRecorder m_events;
    /// "ns/name" of the pods waiting to be bound, kept from the store's changes: a pass (which walks every pod to
    /// know each node's usage) runs only when there is one.
    QSet<QString> m_pending;
    bool m_passQueued = false;
    bool m_started = false;
};

} // namespace vk::sandbox
