// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"
#include "core/Json.h"
#include "sandbox/NodeLifecycleController.h"
#include "sandbox/ObjectStore.h"
#include "sandbox/Registry.h"

#include <QJsonArray>
#include <QTest>

using namespace vk;
using namespace vk::sandbox;

namespace {

const ResourceType& type(const char* resource, const char* group = "")
{
    return *findResourceType(QLatin1String(group), QStringLiteral("v1"), QLatin1String(resource));
}

QJsonObject condition(const QJsonObject& node, const QString& type)
{
    for (const auto& c : json::at(node, {QLatin1String("status"), QLatin1String("conditions")}).toArray()) {
        if (c.toObject().value(QLatin1String("type")).toString() == type)
            return c.toObject();
    }
    return {};
}

QStringList taintKeys(const QJsonObject& node)
{
    QStringList keys;
    for (const auto& t : json::at(node, {QLatin1String("spec"), QLatin1String("taints")}).toArray())
        keys << t.toObject().value(QLatin1String("key")).toString() + QLatin1Char(':') +
                    t.toObject().value(QLatin1String("effect")).toString();
    return keys;
}

} // namespace

class NodeLifecycleTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ObjectStore> m_store;
    std::unique_ptr<Registry> m_registry;

    void heartbeat(const QString& name)
    {
        const QString now = json::formatMicroTime(m_clock->now());
        const QJsonObject* existing =
            m_store->get(QStringLiteral("coordination.k8s.io/leases"), QStringLiteral("kube-node-lease"), name);
        QJsonObject lease =
            existing ? *existing
                     : QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}}};
        QJsonObject spec = lease.value(QLatin1String("spec")).toObject();
        spec.insert(QStringLiteral("holderIdentity"), name);
        spec.insert(QStringLiteral("leaseDurationSeconds"), 40);
        spec.insert(QStringLiteral("renewTime"), now);
        lease.insert(QStringLiteral("spec"), spec);
        auto written = existing ? m_registry->update(type("leases", "coordination.k8s.io"),
                                                     QStringLiteral("kube-node-lease"), name, lease)
                                : m_registry->create(type("leases", "coordination.k8s.io"),
                                                     QStringLiteral("kube-node-lease"), lease);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message()));
    }

    void reportReady(const QString& name)
    {
        QJsonObject node = *m_store->get(QStringLiteral("nodes"), {}, name);
        const QString now = json::formatTime(m_clock->now());
        QJsonObject status = node.value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("conditions"),
                      QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Ready")},
                                             {QStringLiteral("status"), QStringLiteral("True")},
                                             {QStringLiteral("reason"), QStringLiteral("KubeletReady")},
                                             {QStringLiteral("lastHeartbeatTime"), now},
                                             {QStringLiteral("lastTransitionTime"), now}}});
        node.insert(QStringLiteral("status"), status);
        QVERIFY(m_registry->update(type("nodes"), {}, name, node, true).ok());
    }

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<ManualClock>(QDateTime(QDate(2026, 11, 22), QTime(1, 0), Qt::UTC));
        m_store = std::make_unique<ObjectStore>();
        m_registry = std::make_unique<Registry>(m_store.get(), m_clock.get());
        for (const char* ns : {"default", "kube-node-lease"})
            QVERIFY(m_registry
                        ->create(type("namespaces"), {},
                                 QJsonObject{{QStringLiteral("metadata"),
                                              QJsonObject{{QStringLiteral("name"), QLatin1String(ns)}}}})
                        .ok());
        QVERIFY(m_registry
                    ->create(type("nodes"), {},
                             QJsonObject{{QStringLiteral("metadata"),
                                          QJsonObject{{QStringLiteral("name"), QStringLiteral("vk")}}}})
                    .ok());
        reportReady(QStringLiteral("vk"));
        heartbeat(QStringLiteral("vk"));
    }

    void leaseRenewalsKeepTheNodeReady()
    {
        NodeLifecycleController controller(m_registry.get(), m_clock.get());
        controller.start();
        for (int i = 0; i < 12; ++i) { // two minutes of renewals every 10 s
            m_clock->advance(10'000);
            heartbeat(QStringLiteral("vk"));
        }
        const QJsonObject node = *m_store->get(QStringLiteral("nodes"), {}, QStringLiteral("vk"));
        QCOMPARE(condition(node, QStringLiteral("Ready")).value(QLatin1String("status")).toString(),
                 QStringLiteral("True"));
        QVERIFY(taintKeys(node).isEmpty());
    }

    void silentNodeBecomesUnknownAfter40Seconds()
    {
        NodeLifecycleController controller(m_registry.get(), m_clock.get());
        controller.start();
        m_clock->advance(35'000);
        QCOMPARE(condition(*m_store->get(QStringLiteral("nodes"), {}, QStringLiteral("vk")), QStringLiteral("Ready"))
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("True"));
        m_clock->advance(10'000); // 45 s without a renewal
        const QJsonObject node = *m_store->get(QStringLiteral("nodes"), {}, QStringLiteral("vk"));
        const QJsonObject ready = condition(node, QStringLiteral("Ready"));
        QCOMPARE(ready.value(QLatin1String("status")).toString(), QStringLiteral("Unknown"));
        QCOMPARE(ready.value(QLatin1String("reason")).toString(), QStringLiteral("NodeStatusUnknown"));
        QCOMPARE(ready.value(QLatin1String("message")).toString(),
                 QStringLiteral("Kubelet stopped posting node status."));
        QCOMPARE(condition(node, QStringLiteral("MemoryPressure")).value(QLatin1String("status")).toString(),
                 QStringLiteral("Unknown"));
        QCOMPARE(taintKeys(node), (QStringList{QStringLiteral("node.kubernetes.io/unreachable:NoSchedule"),
                                               QStringLiteral("node.kubernetes.io/unreachable:NoExecute")}));

        // The kubelet comes back: Ready again, and the taints go.
        reportReady(QStringLiteral("vk"));
        heartbeat(QStringLiteral("vk"));
        m_clock->advance(5'000);
        QVERIFY(taintKeys(*m_store->get(QStringLiteral("nodes"), {}, QStringLiteral("vk"))).isEmpty());
    }
};

QTEST_GUILESS_MAIN(NodeLifecycleTest)
#include "tst_node_lifecycle.moc"
