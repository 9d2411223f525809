// SPDX-License-Identifier: Apache-2.0
// The node controller against the sandbox API server, with a small fake provider and a ManualClock.
#include "core/Clock.h"
#include "core/Json.h"
#include "kube/ApiClient.h"
#include "node/NodeBuilder.h"
#include "node/NodeController.h"
#include "provider/Provider.h"
#include "support/SandboxFixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace vk;
using vk::kube::GroupVersionResource;
using vk::node::NodeController;

namespace {

QString s(const char* text)
{
    return QString::fromUtf8(text);
}

/// A provider test double: fixed capacity, a ping that answers at once (so a ManualClock advance never sees it
/// pending) with a settable error, or never answers until released.
class FakeProvider : public provider::Provider
{
    Q_OBJECT

public:
    std::optional<Error> pingError;
    bool holdPings = false;
    std::function<void(Status)> heldPing;
    int pings = 0;

    QString name() const override { return s("fake"); }
    provider::Capabilities capabilities() const override { return provider::Capability::NodeStatusPush; }

    void configureNode(QJsonObject& node) override
    {
        QJsonObject status = node.value(QLatin1String("status")).toObject();
        const QJsonObject resources{{s("cpu"), s("8")}, {s("memory"), s("16Gi")}, {s("pods"), s("110")}};
        status.insert(s("capacity"), resources);
        status.insert(s("allocatable"), resources);
        status.insert(s("addresses"),
                      QJsonArray{QJsonObject{{s("type"), s("InternalIP")}, {s("address"), s("127.0.0.1")}}});
        status.insert(s("daemonEndpoints"), QJsonObject{{s("kubeletEndpoint"), QJsonObject{{s("Port"), 10250}}}});
        QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();
        conditions.append(node::NodeBuilder::condition(s("FakeBackendReachable"), s("True"), s("BackendUp"),
                                                       s("the fake backend answers"), QDateTime::currentDateTimeUtc()));
        status.insert(s("conditions"), conditions);
        node.insert(s("status"), status);

        QJsonObject metadata = node.value(QLatin1String("metadata")).toObject();
        QJsonObject labels = metadata.value(QLatin1String("labels")).toObject();
        labels.insert(s("fake.example.com/pool"), s("a"));
        metadata.insert(s("labels"), labels);
        metadata.insert(s("annotations"), QJsonObject{{s("fake.example.com/note"), s("configured")}});
        node.insert(s("metadata"), metadata);
    }

    void ping(QObject*, provider::Done done) override
    {
        ++pings;
        if (holdPings) {
            heldPing = std::move(done);
            return;
        }
        done(pingError ? Status(*pingError) : Status());
    }

    void createPod(const QJsonObject&, QObject*, provider::Done done) override { done(unsupported(s("pods"))); }
    void updatePod(const QJsonObject&, QObject*, provider::Done done) override { done(unsupported(s("pods"))); }
    void deletePod(const QJsonObject&, QObject*, provider::Done done) override { done(unsupported(s("pods"))); }
    void getPod(const QString&, const QString&, QObject*, provider::Callback<QJsonObject> done) override
    {
        done(Error::notFound(s("no pods here")));
    }
    void getPodStatus(const QString&, const QString&, QObject*, provider::Callback<QJsonObject> done) override
    {
        done(Error::notFound(s("no pods here")));
    }
    void listPods(QObject*, provider::Callback<QList<QJsonObject>> done) override { done(QList<QJsonObject>()); }
};

QJsonObject condition(const QJsonObject& node, const QString& type)
{
    return node::NodeBuilder::findCondition(node, type);
}

QString field(const QJsonObject& object, const char* name)
{
    return object.value(QLatin1String(name)).toString();
}

QString uidOf(const QJsonObject& object)
{
    return json::at(object, {QLatin1String("metadata"), QLatin1String("uid")}).toString();
}

} // namespace

class NodeControllerTest : public QObject
{
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;

    /// One agent under test: its own client, clock, provider and controller.
    struct Agent
    {
        std::unique_ptr<ManualClock> clock;
        std::unique_ptr<FakeProvider> provider;
        std::unique_ptr<kube::ApiClient> client;
        std::unique_ptr<NodeController> controller;
    };

    std::unique_ptr<Agent> makeAgent(const QString& nodeName)
    {
        auto agent = std::make_unique<Agent>();
        agent->clock = std::make_unique<ManualClock>(QDateTime::currentDateTimeUtc());
        agent->provider = std::make_unique<FakeProvider>();
        agent->client = m_fixture.newClient(); // qps 0: the client never waits on a clock
        NodeController::Options options;
        options.nodeName = nodeName;
        options.providerName = s("fake");
        options.clock = agent->clock.get();
        agent->controller =
            std::make_unique<NodeController>(agent->client.get(), agent->provider.get(), std::move(options));
        return agent;
    }

    std::optional<Result<QJsonObject>>
    fetchResult(const GroupVersionResource& gvr, const QString& ns, const QString& name)
    {
        std::optional<Result<QJsonObject>> out;
        QObject context;
        m_fixture.client().get(gvr, ns, name, &context, [&out](Result<QJsonObject> r) { out = std::move(r); });
        if (!QTest::qWaitFor([&out] { return out.has_value(); }, 10000))
            return std::nullopt;
        return out;
    }

    /// The object on the server, or an empty object when it is missing.
    QJsonObject fetch(const GroupVersionResource& gvr, const QString& ns, const QString& name)
    {
        auto result = fetchResult(gvr, ns, name);
        return result && result->ok() ? result->value() : QJsonObject();
    }
    QJsonObject serverNode(const QString& name) { return fetch(GroupVersionResource::nodes(), {}, name); }
    QJsonObject serverLease(const QString& name)
    {
        return fetch(GroupVersionResource::leases(), s("kube-node-lease"), name);
    }
    QString leaseOwnerUid(const QString& name)
    {
        const QJsonArray owners =
            json::at(serverLease(name), {QLatin1String("metadata"), QLatin1String("ownerReferences")}).toArray();
        return owners.size() == 1 ? field(owners.at(0).toObject(), "uid") : QString();
    }
    QString readyStatus(const QString& name) { return field(condition(serverNode(name), s("Ready")), "status"); }
    QString readyReason(const QString& name) { return field(condition(serverNode(name), s("Ready")), "reason"); }

    Status send(std::function<void(QObject*, kube::ApiClient::JsonCallback)> call)
    {
        std::optional<Status> out;
        QObject context;
        call(&context, [&out](Result<QJsonObject> r) { out = r.ok() ? Status() : Status(r.error()); });
        if (!QTest::qWaitFor([&out] { return out.has_value(); }, 10000))
            return Error(ErrorCategory::Timeout, s("no answer"));
        return out.value_or(Status(Error(ErrorCategory::Timeout, s("no answer"))));
    }

    /// Starts the agent, marks it ready and waits until the server shows Ready=True.
    bool startReady(Agent& agent)
    {
        agent.controller->start();
        agent.controller->setAgentReady(true);
        const QString name = agent.controller->options().nodeName;
        return QTest::qWaitFor([&] { return readyStatus(name) == QLatin1String("True"); }, 5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_fixture.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void registersReadyNodeWithUpstreamShape()
    {
        auto agent = makeAgent(s("vk-ready"));
        QSignalSpy ready(agent->controller.get(), &NodeController::ready);
        QSignalSpy updated(agent->controller.get(), &NodeController::nodeUpdated);
        QElapsedTimer timer;
        timer.start();
        agent->controller->start();
        QTRY_VERIFY_WITH_TIMEOUT(agent->controller->isRegistered(), 5000);
        QCOMPARE(ready.count(), 1);
        QVERIFY(updated.count() >= 1);

        // Before the pod controller is ready the node says so.
        QCOMPARE(readyStatus(s("vk-ready")), s("False"));
        QCOMPARE(readyReason(s("vk-ready")), s("KubeletNotReady"));

        agent->controller->setAgentReady(true);
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(s("vk-ready")), s("True"), 5000);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));

        const QJsonObject node = serverNode(s("vk-ready"));
        QCOMPARE(uidOf(node), agent->controller->nodeUid());
        const QJsonObject readyCondition = condition(node, s("Ready"));
        QCOMPARE(field(readyCondition, "reason"), s("KubeletReady"));
        QCOMPARE(field(readyCondition, "message"), s("kubelet is posting ready status"));
        QCOMPARE(json::at(node, {QLatin1String("status"), QLatin1String("phase")}).toString(), s("Running"));

        const QJsonObject labels = json::at(node, {QLatin1String("metadata"), QLatin1String("labels")}).toObject();
        const QString arch = node::NodeBuilder::architecture();
        QCOMPARE(labels.value(QLatin1String("type")).toString(), s("virtual-kubelet"));
        QCOMPARE(labels.value(QLatin1String("kubernetes.io/role")).toString(), s("agent"));
        QCOMPARE(labels.value(QLatin1String("kubernetes.io/hostname")).toString(), s("vk-ready"));
        QCOMPARE(labels.value(QLatin1String("kubernetes.io/os")).toString(), s("linux"));
        QCOMPARE(labels.value(QLatin1String("kubernetes.io/arch")).toString(), arch);
        QCOMPARE(labels.value(QLatin1String("beta.kubernetes.io/os")).toString(), s("linux"));
        QCOMPARE(labels.value(QLatin1String("beta.kubernetes.io/arch")).toString(), arch);
        QCOMPARE(labels.value(QLatin1String("fake.example.com/pool")).toString(), s("a"));
#if defined(__x86_64__)
        QCOMPARE(arch, s("amd64"));
#endif

        const QJsonArray taints = json::at(node, {QLatin1String("spec"), QLatin1String("taints")}).toArray();
        QCOMPARE(taints.size(), 1);
        QCOMPARE(taints.at(0).toObject(), (QJsonObject{{s("key"), s("virtual-kubelet.io/provider")},
                                                       {s("value"), s("fake")},
                                                       {s("effect"), s("NoSchedule")}}));

        const QJsonObject nodeInfo = json::at(node, {QLatin1String("status"), QLatin1String("nodeInfo")}).toObject();
        QCOMPARE(field(nodeInfo, "kubeletVersion"), s("v1.32.0-vk-" VK_VERSION));
        QCOMPARE(field(nodeInfo, "operatingSystem"), s("linux"));
        QCOMPARE(field(nodeInfo, "architecture"), arch);
        for (const char* empty : {"machineID", "systemUUID", "bootID", "kernelVersion", "osImage",
                                  "containerRuntimeVersion", "kubeProxyVersion"}) {
            QVERIFY2(nodeInfo.contains(QLatin1String(empty)), empty);
            QCOMPARE(field(nodeInfo, empty), QString());
        }

        const QJsonObject capacity = json::at(node, {QLatin1String("status"), QLatin1String("capacity")}).toObject();
        QCOMPARE(field(capacity, "cpu"), s("8"));
        QCOMPARE(field(capacity, "memory"), s("16Gi"));
        QCOMPARE(field(capacity, "pods"), s("110"));
        QCOMPARE(json::at(node, {QLatin1String("status"), QLatin1String("allocatable")}).toObject(), capacity);
        QCOMPARE(json::at(node, {QLatin1String("status"), QLatin1String("daemonEndpoints"),
                                 QLatin1String("kubeletEndpoint"), QLatin1String("Port")})
                     .toInt(),
                 10250);

        const struct
        {
            const char* type;
            const char* reason;
        } expected[] = {{"MemoryPressure", "KubeletHasSufficientMemory"},
                        {"DiskPressure", "KubeletHasNoDiskPressure"},
                        {"PIDPressure", "KubeletHasSufficientPID"},
                        {"NetworkUnavailable", "RouteCreated"},
                        {"FakeBackendReachable", "BackendUp"}};
        for (const auto& e : expected) {
            const QJsonObject c = condition(node, QLatin1String(e.type));
            QVERIFY2(!c.isEmpty(), e.type);
            QCOMPARE(field(c, "reason"), QLatin1String(e.reason));
            QVERIFY(!field(c, "lastHeartbeatTime").isEmpty());
            QVERIFY(!field(c, "lastTransitionTime").isEmpty());
        }
        QCOMPARE(field(condition(node, s("MemoryPressure")), "status"), s("False"));
        QCOMPARE(field(condition(node, s("FakeBackendReachable")), "status"), s("True"));

        const QJsonObject annotations =
            json::at(node, {QLatin1String("metadata"), QLatin1String("annotations")}).toObject();
        QVERIFY(annotations.contains(QLatin1String(NodeController::kLastAppliedStatusAnnotation)));
        QVERIFY(annotations.contains(QLatin1String(NodeController::kLastAppliedMetaAnnotation)));
        QCOMPARE(field(annotations, "fake.example.com/note"), s("configured"));

        agent->controller->stop();
        QVERIFY(!serverNode(s("vk-ready")).isEmpty()); // stop() leaves the node in the cluster
    }

    void leaseIsOwnedByTheNodeAndRenewedEveryTenSeconds()
    {
        auto agent = makeAgent(s("vk-lease"));
        QSignalSpy renewed(agent->controller.get(), &NodeController::leaseRenewed);
        QVERIFY(startReady(*agent));
        QTRY_VERIFY(!serverLease(s("vk-lease")).isEmpty());

        const QJsonObject lease = serverLease(s("vk-lease"));
        const QJsonObject spec = lease.value(QLatin1String("spec")).toObject();
        QCOMPARE(field(spec, "holderIdentity"), s("vk-lease"));
        QCOMPARE(spec.value(QLatin1String("leaseDurationSeconds")).toInt(), 40);
        const QString firstRenew = field(spec, "renewTime");
        QCOMPARE(firstRenew, json::formatMicroTime(agent->clock->now()));
        const QJsonArray owners =
            json::at(lease, {QLatin1String("metadata"), QLatin1String("ownerReferences")}).toArray();
        QCOMPARE(owners.size(), 1);
        const QJsonObject owner = owners.at(0).toObject();
        QCOMPARE(field(owner, "apiVersion"), s("v1"));
        QCOMPARE(field(owner, "kind"), s("Node"));
        QCOMPARE(field(owner, "name"), s("vk-lease"));
        QCOMPARE(field(owner, "uid"), uidOf(serverNode(s("vk-lease"))));
        QVERIFY(!field(owner, "uid").isEmpty());
        QTRY_VERIFY(renewed.count() >= 1);

        const int before = renewed.count();
        agent->clock->advance(10000);
        QTRY_COMPARE(field(serverLease(s("vk-lease")).value(QLatin1String("spec")).toObject(), "renewTime"),
                     json::formatMicroTime(agent->clock->now()));
        QVERIFY(field(serverLease(s("vk-lease")).value(QLatin1String("spec")).toObject(), "renewTime") != firstRenew);
        QCOMPARE(renewed.count(), before + 1);
        QCOMPARE(renewed.last().at(0).toDateTime(), agent->clock->now());

        const QString secondRenew = json::formatMicroTime(agent->clock->now());

        // Nothing renews before the interval is over (a server round trip lets a wrong renewal show up).
        agent->clock->advance(5000);
        QCOMPARE(field(serverLease(s("vk-lease")).value(QLatin1String("spec")).toObject(), "renewTime"), secondRenew);
        QCOMPARE(renewed.count(), before + 1);

        // After stop() nothing is renewed any more.
        agent->controller->stop();
        agent->clock->advance(30000);
        QCOMPARE(field(serverLease(s("vk-lease")).value(QLatin1String("spec")).toObject(), "renewTime"), secondRenew);
        QCOMPARE(renewed.count(), before + 1);
    }

    void thirdPartyConditionsAndMetadataSurviveStatusUpdates()
    {
        auto agent = makeAgent(s("vk-merge"));
        QVERIFY(startReady(*agent));

        // Someone else (a node-problem-detector, an admin) adds a condition, an annotation and a label.
        const QString stamp = json::formatTime(QDateTime::currentDateTimeUtc());
        const QJsonObject thirdParty{
            {s("metadata"), QJsonObject{{s("annotations"), QJsonObject{{s("example.com/owner"), s("team-a")}}},
                                        {s("labels"), QJsonObject{{s("example.com/zone"), s("z1")}}}}},
            {s("status"), QJsonObject{{s("conditions"), QJsonArray{QJsonObject{{s("type"), s("ExampleCondition")},
                                                                               {s("status"), s("True")},
                                                                               {s("reason"), s("ExternalCheck")},
                                                                               {s("message"), s("set by the test")},
                                                                               {s("lastHeartbeatTime"), stamp},
                                                                               {s("lastTransitionTime"), stamp}}}}}}};
        const Status patched = send([&](QObject* context, kube::ApiClient::JsonCallback done) {
            m_fixture.client().patch(GroupVersionResource::nodes(), {}, s("vk-merge"), kube::PatchType::Strategic,
                                     json::compact(thirdParty), s("status"), context, std::move(done));
        });
        QVERIFY2(patched.ok(), qPrintable(patched.ok() ? QString() : patched.error().toString()));

        QTRY_VERIFY(!agent->controller->isUpdatingStatus());
        for (int round = 1; round <= 3; ++round) {
            const int updates = agent->controller->statusUpdates();
            agent->clock->advance(60000);
            const QString heartbeat = json::formatTime(agent->clock->now());
            QTRY_VERIFY_WITH_TIMEOUT(agent->controller->statusUpdates() > updates, 5000);
            const QJsonObject node = serverNode(s("vk-merge"));
            QCOMPARE(field(condition(node, s("Ready")), "lastHeartbeatTime"), heartbeat);
            QCOMPARE(field(condition(node, s("Ready")), "status"), s("True"));
            QCOMPARE(field(condition(node, s("ExampleCondition")), "reason"), s("ExternalCheck"));
            QCOMPARE(field(condition(node, s("ExampleCondition")), "lastHeartbeatTime"), stamp);
            QCOMPARE(json::at(node, {QLatin1String("metadata"), QLatin1String("annotations"),
                                     QLatin1String("example.com/owner")})
                         .toString(),
                     s("team-a"));
            QCOMPARE(
                json::at(node, {QLatin1String("metadata"), QLatin1String("labels"), QLatin1String("example.com/zone")})
                    .toString(),
                s("z1"));
            QCOMPARE(field(condition(node, s("FakeBackendReachable")), "status"), s("True"));
        }

        // The provider stops sending its condition, label and annotation: they go, the third party's stay.
        QJsonObject pushed = agent->controller->desiredNode();
        QJsonObject metadata = pushed.value(QLatin1String("metadata")).toObject();
        QJsonObject labels = metadata.value(QLatin1String("labels")).toObject();
        labels.remove(s("fake.example.com/pool"));
        metadata.insert(s("labels"), labels);
        metadata.insert(s("annotations"), QJsonObject());
        pushed.insert(s("metadata"), metadata);
        QJsonObject status = pushed.value(QLatin1String("status")).toObject();
        QJsonArray conditions;
        for (const auto& c : status.value(QLatin1String("conditions")).toArray()) {
            if (field(c.toObject(), "type") != QLatin1String("FakeBackendReachable"))
                conditions.append(c);
        }
        status.insert(s("conditions"), conditions);
        pushed.insert(s("status"), status);
        const int updates = agent->controller->statusUpdates();
        Q_EMIT agent->provider->nodeStatusChanged(pushed);
        QTRY_VERIFY_WITH_TIMEOUT(agent->controller->statusUpdates() > updates, 5000);
        const QJsonObject node = serverNode(s("vk-merge"));
        QVERIFY(condition(node, s("FakeBackendReachable")).isEmpty());
        QCOMPARE(field(condition(node, s("ExampleCondition")), "status"), s("True"));
        QCOMPARE(field(condition(node, s("Ready")), "status"), s("True"));
        const QJsonObject serverLabels =
            json::at(node, {QLatin1String("metadata"), QLatin1String("labels")}).toObject();
        QVERIFY(!serverLabels.contains(QLatin1String("fake.example.com/pool")));
        QCOMPARE(field(serverLabels, "example.com/zone"), s("z1"));
        QCOMPARE(field(serverLabels, "type"), s("virtual-kubelet"));
        const QJsonObject annotations =
            json::at(node, {QLatin1String("metadata"), QLatin1String("annotations")}).toObject();
        QVERIFY(!annotations.contains(QLatin1String("fake.example.com/note")));
        QCOMPARE(field(annotations, "example.com/owner"), s("team-a"));
        agent->controller->stop();
    }

    void failingPingMakesTheNodeNotReadyUntilItRecovers()
    {
        auto agent = makeAgent(s("vk-ping"));
        QSignalSpy changes(agent->controller.get(), &NodeController::conditionChanged);
        QVERIFY(startReady(*agent));
        QTRY_VERIFY(!agent->controller->isUpdatingStatus());
        QTRY_VERIFY(!leaseOwnerUid(s("vk-ping")).isEmpty());
        const QString renewBefore =
            field(serverLease(s("vk-ping")).value(QLatin1String("spec")).toObject(), "renewTime");
        QVERIFY(!renewBefore.isEmpty());

        agent->provider->pingError = Error(ErrorCategory::ServiceUnavailable, s("backend unreachable"));
        changes.clear();
        agent->clock->advance(10000);
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(s("vk-ping")), s("False"), 5000);
        QCOMPARE(readyReason(s("vk-ping")), s("ProviderUnhealthy"));
        QCOMPARE(field(condition(serverNode(s("vk-ping")), s("Ready")), "message"), s("backend unreachable"));
        QVERIFY(!agent->controller->isProviderHealthy());
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.first().at(0).toString(), s("Ready"));
        QCOMPARE(changes.first().at(1).toString(), s("False"));
        QCOMPARE(changes.first().at(2).toString(), s("ProviderUnhealthy"));
        // The agent is alive: its lease keeps being renewed.
        QTRY_VERIFY(field(serverLease(s("vk-ping")).value(QLatin1String("spec")).toObject(), "renewTime") !=
                    renewBefore);

        agent->provider->pingError.reset();
        agent->clock->advance(10000);
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(s("vk-ping")), s("True"), 5000);
        QCOMPARE(readyReason(s("vk-ping")), s("KubeletReady"));

        // A ping that never answers: one in flight, and after the timeout the node is NotReady.
        agent->provider->holdPings = true;
        const int pings = agent->provider->pings;
        agent->clock->advance(10000); // issues the ping
        agent->clock->advance(10000); // its timeout (10 s) passes; the tick does not issue another
        QCOMPARE(agent->provider->pings, pings + 1);
        QTRY_COMPARE_WITH_TIMEOUT(readyReason(s("vk-ping")), s("ProviderUnhealthy"), 5000);
        QVERIFY(field(condition(serverNode(s("vk-ping")), s("Ready")), "message").contains(s("timed out")));
        agent->provider->holdPings = false;
        QVERIFY(agent->provider->heldPing);
        agent->provider->heldPing(Status()); // the late answer counts
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(s("vk-ping")), s("True"), 5000);
        agent->controller->stop();
    }

    void deletedNodeIsRecreatedWithItsLease()
    {
        auto agent = makeAgent(s("vk-deleted"));
        QVERIFY(startReady(*agent));
        const QString oldUid = uidOf(serverNode(s("vk-deleted")));
        QVERIFY(!oldUid.isEmpty());
        QTRY_COMPARE(
            field(json::at(serverLease(s("vk-deleted")), {QLatin1String("metadata"), QLatin1String("ownerReferences")})
                      .toArray()
                      .at(0)
                      .toObject(),
                  "uid"),
            oldUid);

        const Status removed = send([&](QObject* context, kube::ApiClient::JsonCallback done) {
            m_fixture.client().remove(GroupVersionResource::nodes(), {}, s("vk-deleted"), context, std::move(done));
        });
        QVERIFY2(removed.ok(), qPrintable(removed.ok() ? QString() : removed.error().toString()));

        QString newUid;
        QTRY_VERIFY_WITH_TIMEOUT((newUid = uidOf(serverNode(s("vk-deleted")))) != oldUid && !newUid.isEmpty(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(
            field(json::at(serverLease(s("vk-deleted")), {QLatin1String("metadata"), QLatin1String("ownerReferences")})
                      .toArray()
                      .at(0)
                      .toObject(),
                  "uid"),
            newUid, 15000);
        QCOMPARE(agent->controller->nodeUid(), newUid);
        const QJsonObject node = serverNode(s("vk-deleted"));
        QCOMPARE(field(condition(node, s("Ready")), "status"), s("True"));
        QCOMPARE(json::at(node, {QLatin1String("metadata"), QLatin1String("labels"), QLatin1String("type")}).toString(),
                 s("virtual-kubelet"));

        // The status loop goes on against the new incarnation.
        QTRY_VERIFY(!agent->controller->isUpdatingStatus());
        const int updates = agent->controller->statusUpdates();
        agent->clock->advance(60000);
        QTRY_VERIFY_WITH_TIMEOUT(agent->controller->statusUpdates() > updates, 5000);
        QCOMPARE(uidOf(serverNode(s("vk-deleted"))), newUid);

        // As kube-controller-manager's garbage collector would: the lease goes with its node. Both come back.
        for (const auto& gvr : {GroupVersionResource::nodes(), GroupVersionResource::leases()}) {
            const QString ns = gvr == GroupVersionResource::leases() ? s("kube-node-lease") : QString();
            const Status gone = send([&](QObject* context, kube::ApiClient::JsonCallback done) {
                m_fixture.client().remove(gvr, ns, s("vk-deleted"), context, std::move(done));
            });
            QVERIFY2(gone.ok(), qPrintable(gone.ok() ? QString() : gone.error().toString()));
        }
        QString thirdUid;
        QTRY_VERIFY_WITH_TIMEOUT((thirdUid = uidOf(serverNode(s("vk-deleted")))) != newUid && !thirdUid.isEmpty(),
                                 15000);
        QTRY_COMPARE_WITH_TIMEOUT(leaseOwnerUid(s("vk-deleted")), thirdUid, 15000);
        QCOMPARE(field(serverLease(s("vk-deleted")).value(QLatin1String("spec")).toObject(), "holderIdentity"),
                 s("vk-deleted"));
        agent->controller->stop();
    }

    void registrationFailureFinishesWithTheError()
    {
        auto agent = makeAgent(s("Not_A_Valid_Node_Name"));
        QSignalSpy finished(agent->controller.get(), &NodeController::finished);
        QSignalSpy ready(agent->controller.get(), &NodeController::ready);
        agent->controller->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
        const auto result = finished.first().at(0).value<vk::Status>();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().category(), ErrorCategory::Invalid);
        QVERIFY2(result.error().message().contains(s("creating node Not_A_Valid_Node_Name")),
                 qPrintable(result.error().message()));
        QCOMPARE(ready.count(), 0);
        QVERIFY(!agent->controller->isRunning());
    }

    void existingNodeIsAdoptedWithoutTouchingSpec()
    {
        const QJsonObject existing{
            {s("apiVersion"), s("v1")},
            {s("kind"), s("Node")},
            {s("metadata"), QJsonObject{{s("name"), s("vk-adopt")},
                                        {s("labels"), QJsonObject{{s("example.com/rack"), s("r7")}}},
                                        {s("annotations"), QJsonObject{{s("example.com/keep"), s("yes")}}}}},
            {s("spec"), QJsonObject{{s("taints"), QJsonArray{QJsonObject{{s("key"), s("example.com/dedicated")},
                                                                         {s("effect"), s("NoSchedule")}}}}}}};
        const Status created = send([&](QObject* context, kube::ApiClient::JsonCallback done) {
            m_fixture.client().create(GroupVersionResource::nodes(), {}, existing, context, std::move(done));
        });
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
        const QString uid = uidOf(serverNode(s("vk-adopt")));

        auto agent = makeAgent(s("vk-adopt"));
        QVERIFY(startReady(*agent));
        const QJsonObject node = serverNode(s("vk-adopt"));
        QCOMPARE(uidOf(node), uid);
        QCOMPARE(agent->controller->nodeUid(), uid);
        const QJsonObject labels = json::at(node, {QLatin1String("metadata"), QLatin1String("labels")}).toObject();
        QCOMPARE(field(labels, "example.com/rack"), s("r7"));
        QCOMPARE(field(labels, "type"), s("virtual-kubelet"));
        QCOMPARE(
            json::at(node, {QLatin1String("metadata"), QLatin1String("annotations"), QLatin1String("example.com/keep")})
                .toString(),
            s("yes"));
        const QJsonArray taints = json::at(node, {QLatin1String("spec"), QLatin1String("taints")}).toArray();
        QCOMPARE(taints.size(), 1); // upstream never patches spec
        QCOMPARE(field(taints.at(0).toObject(), "key"), s("example.com/dedicated"));
        QCOMPARE(field(json::at(node, {QLatin1String("status"), QLatin1String("capacity")}).toObject(), "cpu"), s("8"));
        agent->controller->stop();
    }

    void applyTaintEnvironment_data()
    {
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("effect");
        QTest::addColumn<QString>("error");

        const QString defaultKey = s("virtual-kubelet.io/provider");
        QTest::newRow("no variables: key virtual-kubelet.io/provider, value the provider name, NoSchedule")
            << QStringList() << defaultKey << s("mock") << s("NoSchedule") << QString();
        QTest::newRow("VKUBELET_TAINT_KEY overrides the key")
            << QStringList{s("VKUBELET_TAINT_KEY=example.com/virtual")} << s("example.com/virtual") << s("mock")
            << s("NoSchedule") << QString();
        QTest::newRow("VKUBELET_TAINT_VALUE overrides the value")
            << QStringList{s("VKUBELET_TAINT_VALUE=aci")} << defaultKey << s("aci") << s("NoSchedule") << QString();
        QTest::newRow("VKUBELET_TAINT_EFFECT NoExecute is accepted")
            << QStringList{s("VKUBELET_TAINT_EFFECT=NoExecute")} << defaultKey << s("mock") << s("NoExecute")
            << QString();
        QTest::newRow("VKUBELET_TAINT_EFFECT PreferNoSchedule is accepted")
            << QStringList{s("VKUBELET_TAINT_EFFECT=PreferNoSchedule")} << defaultKey << s("mock")
            << s("PreferNoSchedule") << QString();
        QTest::newRow("all three together")
            << QStringList{s("VKUBELET_TAINT_KEY=k"), s("VKUBELET_TAINT_VALUE=v"), s("VKUBELET_TAINT_EFFECT=NoExecute")}
            << s("k") << s("v") << s("NoExecute") << QString();
        QTest::newRow("empty variables are ignored")
            << QStringList{s("VKUBELET_TAINT_KEY="), s("VKUBELET_TAINT_VALUE="), s("VKUBELET_TAINT_EFFECT=")}
            << defaultKey << s("mock") << s("NoSchedule") << QString();
        QTest::newRow("an unknown effect is an InvalidInput error naming the variable")
            << QStringList{s("VKUBELET_TAINT_EFFECT=NoWay")} << QString() << QString() << QString()
            << s("VKUBELET_TAINT_EFFECT: taint effect \"NoWay\" is not supported (use NoSchedule, NoExecute or "
                 "PreferNoSchedule)");
        QTest::newRow("effects are case-sensitive")
            << QStringList{s("VKUBELET_TAINT_EFFECT=noschedule")} << QString() << QString() << QString()
            << s("VKUBELET_TAINT_EFFECT: taint effect \"noschedule\" is not supported (use NoSchedule, NoExecute or "
                 "PreferNoSchedule)");
    }

    void applyTaintEnvironment()
    {
        QFETCH(QStringList, environment);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, effect);
        QFETCH(QString, error);

        QProcessEnvironment env;
        for (const QString& entry : environment) {
            const qsizetype eq = entry.indexOf(QLatin1Char('='));
            env.insert(entry.left(eq), entry.mid(eq + 1));
        }
        NodeController::Options options;
        options.providerName = s("mock");
        const Status result = NodeController::applyTaintEnvironment(options, env);
        if (!error.isEmpty()) {
            QVERIFY(!result.ok());
            QCOMPARE(result.error().category(), ErrorCategory::InvalidInput);
            QCOMPARE(result.error().message(), error);
            return;
        }
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message()));
        QCOMPARE(options.taintKey, key);
        QCOMPARE(options.taintValue, value);
        QCOMPARE(options.taintEffect, effect);
        QCOMPARE(node::NodeBuilder::taint(options),
                 (QJsonObject{{s("key"), key}, {s("value"), value}, {s("effect"), effect}}));
    }
};

QTEST_GUILESS_MAIN(NodeControllerTest)
#include "tst_nodecontroller.moc"
