// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>

namespace vk::kube {
class ApiClient;
}

namespace vk::node {

/// The node's Lease kube-node-lease/<node> (coordination.k8s.io/v1), as upstream's lease controller keeps it:
/// holderIdentity = the node, leaseDurationSeconds, renewTime (MicroTime) and one ownerReference to the Node (its
/// current UID). Created once the node UID is known, then renewed every interval: the fast path updates the cached
/// lease; on 409/404 (or without a cache) it re-reads it, creating it when missing, and tries again (up to 5
/// attempts). Failures back off from 200 ms, doubling, capped at 7 s, timed by the Clock.
class LeaseController : public QObject
{
    Q_OBJECT

public:
    static constexpr const char* kNamespace = "kube-node-lease";

    LeaseController(kube::ApiClient* client,
                    QString nodeName,
                    int durationSeconds,
                    qint64 renewIntervalMs,
                    Clock* clock,
                    QObject* parent = nullptr);

    /// Starts renewing (at once when the UID is known).
    void start();
    void stop();
    bool isRunning() const { return m_running; }

    /// The Node's UID for the ownerReference; a change renews at once. Empty: renewals wait for a UID.
    void setNodeUid(const QString& uid);
    QString nodeUid() const { return m_nodeUid; }

    /// Renews now (coalesced with a renewal in flight).
    void renewNow();

    /// The lease as last written or read; empty before the first success.
    QJsonObject lease() const { return m_lease; }
    /// Successful renewals so far.
    int renewals() const { return m_renewals; }

Q_SIGNALS:
    void renewed(const QDateTime& renewTime);
    void renewFailed(const vk::Error& error);

private:
    void renew();
    void attempt(int attemptNo);
    void ensureThenUpdate(int attemptNo);
    void finishAttempt(const Result<QJsonObject>& result, int attemptNo);
    void fail(const Error& error);
    void scheduleNext(qint64 delayMs);
    QJsonObject desired(const QJsonObject& base) const;

    kube::ApiClient* m_client;
    QString m_nodeName;
    int m_durationSeconds;
    qint64 m_renewIntervalMs;
    Clock* m_clock;
    QString m_nodeUid;
    QJsonObject m_lease;
    ScheduledCall m_next;
    qint64 m_backoffMs = 0;
    quint64 m_generation = 0;
    int m_renewals = 0;
    bool m_running = false;
    bool m_inFlight = false;
    bool m_again = false;
};

} // namespace vk::node
