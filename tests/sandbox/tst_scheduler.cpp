// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"
#include "core/Json.h"
#include "sandbox/ObjectStore.h"
#include "sandbox/Registry.h"
#include "sandbox/Scheduler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using namespace vk::sandbox;

namespace {

QJsonObject parse(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QJsonObject readyNode(const QString& name, const QJsonObject& extraSpec = {}, const QJsonObject& labels = {})
{
    return QJsonObject{
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("labels"), labels}}},
        {QStringLiteral("spec"), extraSpec},
        {QStringLiteral("status"),
         QJsonObject{{QStringLiteral("allocatable"), QJsonObject{{QStringLiteral("cpu"), QStringLiteral("2")},
                                                                 {QStringLiteral("memory"), QStringLiteral("4Gi")},
                                                                 {QStringLiteral("pods"), QStringLiteral("3")}}},
                     {QStringLiteral("conditions"),
                      QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Ready")},
                                             {QStringLiteral("status"), QStringLiteral("True")}}}}}}};
}

/// A store and registry with the default namespace, and the types the tests write.
struct Cluster
{
    ManualClock clock;
    ObjectStore store;
    Registry registry{&store, &clock};
    const ResourceType* pods = findResourceType({}, QStringLiteral("v1"), QStringLiteral("pods"));
    const ResourceType* nodes = findResourceType({}, QStringLiteral("v1"), QStringLiteral("nodes"));
    bool ready = registry
                     .create(*findResourceType({}, QStringLiteral("v1"), QStringLiteral("namespaces")),
                             {},
                             parse(R"({"metadata":{"name":"default"}})"))
                     .ok();
};

} // namespace

class SchedulerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void misfit_data()
    {
        QTest::addColumn<QJsonObject>("podSpec");
        QTest::addColumn<QJsonObject>("node");
        QTest::addColumn<int>("usedPods");
        QTest::addColumn<QString>("reason");

        const QJsonObject plain;
        const QJsonObject tainted = readyNode(
            QStringLiteral("vk"),
            parse(R"({"taints":[{"key":"virtual-kubelet.io/provider","value":"mock","effect":"NoSchedule"}]})"));
        QTest::newRow("a plain pod fits a ready node") << plain << readyNode(QStringLiteral("n")) << 0 << QString();
        QTest::newRow("a NoSchedule taint keeps a pod off")
            << plain << tainted << 0
            << QStringLiteral("node(s) had untolerated taint {virtual-kubelet.io/provider: mock}");
        QTest::newRow("an Exists toleration lets it on")
            << parse(R"({"tolerations":[{"key":"virtual-kubelet.io/provider","operator":"Exists"}]})") << tainted << 0
            << QString();
        QTest::newRow("an Equal toleration with the wrong value does not")
            << parse(R"({"tolerations":[{"key":"virtual-kubelet.io/provider","value":"other"}]})") << tainted << 0
            << QStringLiteral("node(s) had untolerated taint {virtual-kubelet.io/provider: mock}");
        QTest::newRow("a toleration for every taint")
            << parse(R"({"tolerations":[{"operator":"Exists"}]})") << tainted << 0 << QString();
        QTest::newRow("PreferNoSchedule is only a preference")
            << plain << readyNode(QStringLiteral("n"), parse(R"({"taints":[{"key":"k","effect":"PreferNoSchedule"}]})"))
            << 0 << QString();
        QTest::newRow("unschedulable node")
            << plain << readyNode(QStringLiteral("n"), parse(R"({"unschedulable":true})")) << 0
            << QStringLiteral("node(s) were unschedulable");
        QTest::newRow("nodeSelector mismatch")
            << parse(R"({"nodeSelector":{"disk":"ssd"}})") << readyNode(QStringLiteral("n")) << 0
            << QStringLiteral("node(s) didn't match Pod's node affinity/selector");
        QTest::newRow("nodeSelector match")
            << parse(R"({"nodeSelector":{"disk":"ssd"}})")
            << readyNode(QStringLiteral("n"), {}, QJsonObject{{QStringLiteral("disk"), QStringLiteral("ssd")}}) << 0
            << QString();
        QTest::newRow("required affinity by matchFields metadata.name")
            << parse(
                   R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["other"]}]}]}}}})")
            << readyNode(QStringLiteral("n")) << 0
            << QStringLiteral("node(s) didn't match Pod's node affinity/selector");
        QTest::newRow("required affinity with one matching term")
            << parse(
                   R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]},{"matchExpressions":[{"key":"zone","operator":"Exists"}]}]}}}})")
            << readyNode(QStringLiteral("n"), {}, QJsonObject{{QStringLiteral("zone"), QStringLiteral("b")}}) << 0
            << QString();
        QTest::newRow("full of pods") << plain << readyNode(QStringLiteral("n")) << 3
                                      << QStringLiteral("Too many pods");
        QTest::newRow("too much cpu") << parse(R"({"containers":[{"name":"c","resources":{"requests":{"cpu":"3"}}}]})")
                                      << readyNode(QStringLiteral("n")) << 0 << QStringLiteral("Insufficient cpu");
        QTest::newRow("too much memory")
            << parse(R"({"containers":[{"name":"c","resources":{"requests":{"memory":"5Gi"}}}]})")
            << readyNode(QStringLiteral("n")) << 0 << QStringLiteral("Insufficient memory");
        QTest::newRow("not ready node")
            << plain
            << parse(
                   R"({"metadata":{"name":"n"},"status":{"allocatable":{"pods":"10"},"conditions":[{"type":"Ready","status":"False"}]}})")
            << 0 << QStringLiteral("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    }

    void misfit()
    {
        QFETCH(QJsonObject, podSpec);
        QFETCH(QJsonObject, node);
        QFETCH(int, usedPods);
        QFETCH(QString, reason);
        const QJsonObject pod{{QStringLiteral("spec"), podSpec}};
        QCOMPARE(Scheduler::misfit(pod, node, 0, 0, usedPods), reason);
    }

    void bindsAndReportsUnschedulable()
    {
        Cluster cluster;
        QVERIFY(cluster.ready);
        ObjectStore& store = cluster.store;
        Registry& registry = cluster.registry;
        const ResourceType* pods = cluster.pods;
        const ResourceType* nodes = cluster.nodes;
        Scheduler scheduler(&registry);
        scheduler.start();
        QVERIFY(
            registry
                .create(
                    *pods, QStringLiteral("default"),
                    parse(
                        R"({"metadata":{"name":"p1"},"spec":{"nodeSelector":{"disk":"ssd"},"containers":[{"name":"c","image":"i"}]}})"))
                .ok());
        // No nodes at all.
        QTRY_COMPARE(json::at(*store.get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p1")),
                              {QLatin1String("status"), QLatin1String("conditions")})
                         .toArray()
                         .first()
                         .toObject()
                         .value(QLatin1String("message"))
                         .toString(),
                     QStringLiteral("no nodes available to schedule pods"));
        // A node that does not match: the message says why, and a FailedScheduling event exists.
        QVERIFY(registry.create(*nodes, {}, readyNode(QStringLiteral("n1"))).ok());
        QTRY_VERIFY(json::at(*store.get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p1")),
                             {QLatin1String("status"), QLatin1String("conditions")})
                        .toArray()
                        .first()
                        .toObject()
                        .value(QLatin1String("message"))
                        .toString()
                        .startsWith(QStringLiteral("0/1 nodes are available: 1 node(s) didn't match Pod's node "
                                                   "affinity/selector.")));
        bool sawEvent = false;
        for (const auto& event : store.list(QStringLiteral("events"), QStringLiteral("default")))
            sawEvent |= event.value(QLatin1String("reason")).toString() == QLatin1String("FailedScheduling");
        QVERIFY(sawEvent);
        // Labelling the node makes the pod schedulable: it is retried when nodes change.
        QJsonObject node = *store.get(QStringLiteral("nodes"), {}, QStringLiteral("n1"));
        QJsonObject meta = node.value(QLatin1String("metadata")).toObject();
        meta.insert(QStringLiteral("labels"), QJsonObject{{QStringLiteral("disk"), QStringLiteral("ssd")}});
        node.insert(QStringLiteral("metadata"), meta);
        QVERIFY(registry.update(*nodes, {}, QStringLiteral("n1"), node).ok());
        QTRY_COMPARE(json::at(*store.get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p1")),
                              {QLatin1String("spec"), QLatin1String("nodeName")})
                         .toString(),
                     QStringLiteral("n1"));
    }

    // Node usage is kept from the store's changes (not recounted per pass): bound pods count against their node,
    // a pod that turns terminal frees its room, and a scheduler started over existing pods counts them.
    void usageFollowsBindingsAndTerminalPods()
    {
        Cluster cluster;
        QVERIFY(cluster.ready);
        ObjectStore& store = cluster.store;
        Registry& registry = cluster.registry;
        const ResourceType* pods = cluster.pods;
        const ResourceType* nodes = cluster.nodes;
        QVERIFY(registry.create(*nodes, {}, readyNode(QStringLiteral("n1"))).ok()); // room for 3 pods, 2 cpu
        auto podNamed = [](const QString& name) {
            QJsonObject pod =
                parse(R"({"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"600m"}}}]}})");
            pod.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}});
            return pod;
        };
        auto nodeOf = [&](const QString& name) {
            const QJsonObject* pod = store.get(QStringLiteral("pods"), QStringLiteral("default"), name);
            return pod ? json::at(*pod, {QLatin1String("spec"), QLatin1String("nodeName")}).toString()
                       : QStringLiteral("<gone>");
        };
        auto schedulingMessage = [&](const QString& name) {
            const QJsonObject* pod = store.get(QStringLiteral("pods"), QStringLiteral("default"), name);
            const QJsonArray conditions =
                pod ? json::at(*pod, {QLatin1String("status"), QLatin1String("conditions")}).toArray() : QJsonArray();
            return conditions.isEmpty() ? QString()
                                        : conditions.first().toObject().value(QLatin1String("message")).toString();
        };
        {
            Scheduler scheduler(&registry);
            scheduler.start();
            for (const auto* name : {"p1", "p2", "p3", "p4"})
                QVERIFY(registry.create(*pods, QStringLiteral("default"), podNamed(QLatin1String(name))).ok());
            QTRY_COMPARE(nodeOf(QStringLiteral("p3")), QStringLiteral("n1"));
            QCOMPARE(nodeOf(QStringLiteral("p1")), QStringLiteral("n1"));
            QCOMPARE(nodeOf(QStringLiteral("p2")), QStringLiteral("n1"));
            QTRY_VERIFY2(schedulingMessage(QStringLiteral("p4"))
                             .startsWith(QStringLiteral("0/1 nodes are available: 1 Too many pods.")),
                         qPrintable(schedulingMessage(QStringLiteral("p4"))));
            QCOMPARE(nodeOf(QStringLiteral("p4")), QString());

            // p2 finishes: its room is free again, and the waiting p4 takes it.
            QJsonObject finished = *store.get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p2"));
            finished.insert(QStringLiteral("status"),
                            QJsonObject{{QStringLiteral("phase"), QStringLiteral("Succeeded")}});
            QVERIFY(registry.update(*pods, QStringLiteral("default"), QStringLiteral("p2"), finished, true).ok());
            QTRY_COMPARE(nodeOf(QStringLiteral("p4")), QStringLiteral("n1"));
        }
        // A scheduler started over the store counts p1, p3 and p4 (p2 is terminal): p5 does not fit.
        QVERIFY(registry.create(*pods, QStringLiteral("default"), podNamed(QStringLiteral("p5"))).ok());
        Scheduler restarted(&registry);
        restarted.start();
        QTRY_VERIFY2(schedulingMessage(QStringLiteral("p5"))
                         .startsWith(QStringLiteral("0/1 nodes are available: 1 Too many pods.")),
                     qPrintable(schedulingMessage(QStringLiteral("p5"))));
        QCOMPARE(nodeOf(QStringLiteral("p5")), QString());
    }
};

QTEST_GUILESS_MAIN(SchedulerTest)
#include "tst_scheduler.moc"
