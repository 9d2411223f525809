// SPDX-License-Identifier: Apache-2.0
#include "node/LeaseController.h"

#include "core/Json.h"
#include "kube/ApiClient.h"
#include "node/Logging.h"

#include <QJsonArray>

#include <algorithm>

namespace vk::node {

namespace {

constexpr int kMaxAttempts = 5;
constexpr qint64 kInitialBackoffMs = 200;
constexpr qint64 kMaxBackoffMs = 7000;

QString leaseNamespace()
{
    return QString::fromLatin1(LeaseController::kNamespace);
}

} // namespace

LeaseController::LeaseController(kube::ApiClient* client,
                                 QString nodeName,
                                 int durationSeconds,
                                 qint64 renewIntervalMs,
                                 Clock* clock,
                                 QObject* parent)
    : QObject(parent), m_client(client), m_nodeName(std::move(nodeName)), m_durationSeconds(durationSeconds),
      m_renewIntervalMs(renewIntervalMs), m_clock(clock)
{}

void LeaseController::start()
{
    if (m_running)
        return;
    m_running = true;
    renew();
}

void LeaseController::stop()
{
    m_running = false;
    m_next.cancel();
    m_inFlight = false;
    m_again = false;
    ++m_generation; // answers of requests sent before stop() are dropped
}

void LeaseController::setNodeUid(const QString& uid)
{
    if (uid == m_nodeUid)
        return;
    m_nodeUid = uid;
    if (m_running && !uid.isEmpty())
        renewNow();
}

void LeaseController::renewNow()
{
    if (!m_running)
        return;
    if (m_inFlight) {
        m_again = true;
        return;
    }
    renew();
}

void LeaseController::scheduleNext(qint64 delayMs)
{
    m_next.cancel();
    m_next = m_clock->schedule(delayMs, this, [this] { renewNow(); });
}

QJsonObject LeaseController::desired(const QJsonObject& base) const
{
    QJsonObject lease = base;
    lease.insert(QStringLiteral("apiVersion"), QStringLiteral("coordination.k8s.io/v1"));
    lease.insert(QStringLiteral("kind"), QStringLiteral("Lease"));
    QJsonObject metadata = lease.value(QLatin1String("metadata")).toObject();
    metadata.insert(QStringLiteral("name"), m_nodeName);
    metadata.insert(QStringLiteral("namespace"), leaseNamespace());
    metadata.insert(QStringLiteral("ownerReferences"),
                    QJsonArray{QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                           {QStringLiteral("kind"), QStringLiteral("Node")},
                                           {QStringLiteral("name"), m_nodeName},
                                           {QStringLiteral("uid"), m_nodeUid}}});
    lease.insert(QStringLiteral("metadata"), metadata);
    QJsonObject spec = lease.value(QLatin1String("spec")).toObject();
    spec.insert(QStringLiteral("holderIdentity"), m_nodeName);
    spec.insert(QStringLiteral("leaseDurationSeconds"), m_durationSeconds);
    spec.insert(QStringLiteral("renewTime"), json::formatMicroTime(m_clock->now()));
    lease.insert(QStringLiteral("spec"), spec);
    return lease;
}

void LeaseController::renew()
{
    if (!m_running)
        return;
    // Whatever happens, the next regular renewal is one interval away (a failure shortens it to the backoff).
    scheduleNext(m_renewIntervalMs);
    if (m_nodeUid.isEmpty())
        return; // not before the Node exists: the lease is owned by it
    m_inFlight = true;
    m_again = false;
    attempt(1);
}

void LeaseController::attempt(int attemptNo)
{
    if (m_lease.isEmpty()) {
        ensureThenUpdate(attemptNo);
        return;
    }
    const quint64 generation = m_generation;
    m_client->update(kube::GroupVersionResource::leases(), leaseNamespace(), desired(m_lease), this,
                     [this, generation, attemptNo](Result<QJsonObject> result) {
                         if (generation != m_generation)
                             return;
                         finishAttempt(result, attemptNo);
                     });
}

void LeaseController::ensureThenUpdate(int attemptNo)
{
    const quint64 generation = m_generation;
    m_client->get(kube::GroupVersionResource::leases(), leaseNamespace(), m_nodeName, this,
                  [this, generation, attemptNo](Result<QJsonObject> current) {
                      if (generation != m_generation)
                          return;
                      if (current) {
                          m_lease = current.value();
                          m_client->update(kube::GroupVersionResource::leases(), leaseNamespace(), desired(m_lease),
                                           this, [this, generation, attemptNo](Result<QJsonObject> result) {
                                               if (generation != m_generation)
                                                   return;
                                               finishAttempt(result, attemptNo);
                                           });
                          return;
                      }
                      if (current.error().category() != ErrorCategory::NotFound) {
                          finishAttempt(current.error(), kMaxAttempts);
                          return;
                      }
                      m_client->create(kube::GroupVersionResource::leases(), leaseNamespace(), desired(QJsonObject()),
                                       this, [this, generation, attemptNo](Result<QJsonObject> result) {
                                           if (generation != m_generation)
                                               return;
                                           if (result)
                                               qCInfo(lcNode).noquote()
                                                   << "created lease"
                                                   << leaseNamespace() + QLatin1Char('/') + m_nodeName;
                                           finishAttempt(result, attemptNo);
                                       });
                  });
}

void LeaseController::finishAttempt(const Result<QJsonObject>& result, int attemptNo)
{
    if (result) {
        m_lease = result.value();
        m_inFlight = false;
        m_backoffMs = 0;
        ++m_renewals;
        const QDateTime renewTime = json::parseTime(
            m_lease.value(QLatin1String("spec")).toObject().value(QLatin1String("renewTime")).toString());
        Q_EMIT renewed(renewTime);
        if (m_again)
            renewNow();
        return;
    }
    const Error& error = result.error();
    const bool stale = error.category() == ErrorCategory::Conflict || error.category() == ErrorCategory::NotFound ||
                       error.category() == ErrorCategory::AlreadyExists;
    if (stale && attemptNo < kMaxAttempts && m_running) {
        m_lease = QJsonObject(); // re-read (or create) before the next update
        ensureThenUpdate(attemptNo + 1);
        return;
    }
    fail(error);
}

void LeaseController::fail(const Error& error)
{
    m_inFlight = false;
    m_again = false;
    m_lease = QJsonObject();
    m_backoffMs = m_backoffMs == 0 ? kInitialBackoffMs : std::min(m_backoffMs * 2, kMaxBackoffMs);
    qCWarning(lcNode).noquote() << "renewing lease" << leaseNamespace() + QLatin1Char('/') + m_nodeName
                                << "failed:" << error.toString() << "- retrying in" << m_backoffMs << "ms";
    Q_EMIT renewFailed(error);
    if (m_running)
        scheduleNext(std::min(m_backoffMs, m_renewIntervalMs));
}

} // namespace vk::node
