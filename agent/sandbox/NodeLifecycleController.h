// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "sandbox/EventRecorder.h"

#include <QObject>

namespace vk::sandbox {

class Registry;

/// kube-controller-manager's node lifecycle controller, reduced to what a kubelet can observe: a node whose Lease
/// in kube-node-lease (or whose Ready heartbeat) has not been renewed for the grace period (40 s) gets every
/// condition set to Unknown with reason NodeStatusUnknown and the node.kubernetes.io/unreachable taints; when the
/// kubelet reports Ready again the taints go.
class NodeLifecycleController : public QObject
{
    Q_OBJECT

public:
    NodeLifecycleController(Registry* registry, Clock* clock, QObject* parent = nullptr);

    void start();
    void stop();
    /// One check of every node (normally every monitorPeriodMs); exposed for tests with a ManualClock.
    void checkNodes();

    qint64 gracePeriodMs = 40'000;
    qint64 monitorPeriodMs = 5'000;
    /// New nodes get this long to post their first status.
    qint64 startupGracePeriodMs = 60'000;

private:
    void scheduleNext();

    Registry* m_registry;
    Clock* m_clock;
    EventRecorder m_events;
    ScheduledCall m_next;
    bool m_running = false;
};

} // namespace vk::sandbox
