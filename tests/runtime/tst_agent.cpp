// SPDX-License-Identifier: Apache-2.0
// The whole agent (VirtualNode with the mock provider) against the sandbox, checked the way a cluster user sees
// it: node Ready and leased, pods Running with full status, fast graceful deletion through real kubectl, force
// deletion, upstream event reasons, restarts, and env resolution.
#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kubeconfig/KubeConfig.h"
#include "mock/MockProvider.h"
#include "runtime/VirtualNode.h"
#include "support/Kubectl.h"
#include "support/SandboxFixture.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace vk;
using vk::test::Kubectl;
using vk::test::KubectlResult;

namespace {

const QString kNode = QStringLiteral("vk-mock");

Result<QJsonObject> wait(const std::function<void(QObject*, kube::ApiClient::JsonCallback)>& call)
{
    std::optional<Result<QJsonObject>> result;
    QObject context;
    QEventLoop loop;
    call(&context, [&](Result<QJsonObject> r) {
        result.emplace(std::move(r));
        loop.quit();
    });
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (!result)
        loop.exec();
    if (!result)
        return Error(ErrorCategory::Timeout, QStringLiteral("no answer"));
    return *result;
}

QJsonObject podManifest(const QString& name, const QJsonArray& env = {})
{
    QJsonObject container{
        {QStringLiteral("name"), QStringLiteral("main")},
        {QStringLiteral("image"), QStringLiteral("busybox:1.36")},
        {QStringLiteral("resources"),
         QJsonObject{{QStringLiteral("limits"), QJsonObject{{QStringLiteral("cpu"), QStringLiteral("500m")},
                                                            {QStringLiteral("memory"), QStringLiteral("64Mi")}}}}}};
    if (!env.isEmpty())
        container.insert(QStringLiteral("env"), env);
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("metadata"),
                        QJsonObject{{QStringLiteral("name"), name},
                                    {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), name}}}}},
                       {QStringLiteral("spec"), QJsonObject{{QStringLiteral("nodeName"), kNode},
                                                            {QStringLiteral("containers"), QJsonArray{container}}}}};
}

QJsonObject condition(const QJsonObject& object, const QString& type)
{
    for (const auto& c : json::at(object, {QLatin1String("status"), QLatin1String("conditions")}).toArray()) {
        if (c.toObject().value(QLatin1String("type")).toString() == type)
            return c.toObject();
    }
    return {};
}

} // namespace

class AgentTest : public QObject
{
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;
    std::unique_ptr<Kubectl> m_kubectl;
    std::unique_ptr<mock::MockProvider> m_provider;
    std::unique_ptr<runtime::VirtualNode> m_agent;
    QTemporaryDir m_home;

    QJsonObject get(const kube::GroupVersionResource& gvr, const QString& ns, const QString& name)
    {
        auto r = wait([&](QObject* c, auto cb) { m_fixture.client().get(gvr, ns, name, c, cb); });
        return r.ok() ? r.value() : QJsonObject();
    }

    QJsonObject getPod(const QString& name)
    {
        return get(kube::GroupVersionResource::pods(), QStringLiteral("default"), name);
    }

    QString phaseOf(const QString& name)
    {
        return json::at(getPod(name), {QLatin1String("status"), QLatin1String("phase")}).toString();
    }

    bool hasEvent(const QString& reason, const QString& involvedName)
    {
        kube::ListOptions options;
        options.fieldSelector = QStringLiteral("involvedObject.name=") + involvedName;
        auto list = wait([&](QObject* c, auto cb) {
            m_fixture.client().list(kube::GroupVersionResource::events(), QStringLiteral("default"), options, c, cb);
        });
        if (!list)
            return false;
        for (const auto& e : list->value(QLatin1String("items")).toArray()) {
            if (e.toObject().value(QLatin1String("reason")).toString() == reason)
                return true;
        }
        return false;
    }

    /// The provider's view of a pod (empty when it does not know it); works whether the provider answers at once
    /// or later.
    QJsonObject providerView(const QString& name)
    {
        std::optional<QJsonObject> answer;
        QEventLoop loop;
        m_provider->getPod(QStringLiteral("default"), name, &loop, [&](Result<QJsonObject> r) {
            answer = r.valueOr({});
            loop.quit();
        });
        if (!answer)
            loop.exec();
        return answer.value_or(QJsonObject());
    }

    bool providerKnows(const QString& name) { return !providerView(name).isEmpty(); }

    void startAgent()
    {
        kube::ConnectionOptions options;
        options.kubeconfig = m_fixture.kubeconfigPath();
        options.allowInCluster = false;
        auto connection = kube::resolveConnection(options);
        QVERIFY(connection.ok());
        runtime::VirtualNode::Settings settings;
        settings.nodeName = kNode;
        settings.config.provider = QStringLiteral("mock");
        settings.config.nodeNames = {kNode};
        settings.config.internalIp = QStringLiteral("127.0.0.1"); // as VKUBELET_POD_IP would
        settings.connection = connection.value();
        settings.kubeletPort = 0;
        settings.provider = m_provider.get();
        m_agent = std::make_unique<runtime::VirtualNode>(settings);
        auto started = m_agent->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_fixture.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_kubectl = std::make_unique<Kubectl>(m_fixture.kubeconfigPath(), m_home.path());
        // The provider does not learn the kubelet port: the agent listens on any free port (kubeletPort 0) and
        // publishes the one it got in the node's daemonEndpoints, which kubectl logs/exec below go through.
        provider::ProviderConfig config;
        config.nodeName = kNode;
        config.internalIp = QStringLiteral("127.0.0.1");
        config.daemonPort = 0;
        m_provider = std::make_unique<mock::MockProvider>(mock::MockNodeConfig{}, config);
    }

    void nodeIsReadyWithinFiveSeconds()
    {
        QElapsedTimer timer;
        timer.start();
        startAgent();
        QTRY_VERIFY_WITH_TIMEOUT(condition(get(kube::GroupVersionResource::nodes(), {}, kNode), QStringLiteral("Ready"))
                                         .value(QLatin1String("status"))
                                         .toString() == QLatin1String("True"),
                                 5000);
        qInfo() << "node Ready after" << timer.elapsed() << "ms";
        const QJsonObject node = get(kube::GroupVersionResource::nodes(), {}, kNode);
        const QJsonObject labels = json::at(node, {QLatin1String("metadata"), QLatin1String("labels")}).toObject();
        QCOMPARE(labels.value(QLatin1String("type")).toString(), QStringLiteral("virtual-kubelet"));
        QCOMPARE(labels.value(QLatin1String("kubernetes.io/role")).toString(), QStringLiteral("agent"));
        QCOMPARE(json::at(node, {QLatin1String("spec"), QLatin1String("taints")})
                     .toArray()
                     .first()
                     .toObject()
                     .value(QLatin1String("key"))
                     .toString(),
                 QStringLiteral("virtual-kubelet.io/provider"));
        const QJsonObject lease = get(kube::GroupVersionResource::leases(), QStringLiteral("kube-node-lease"), kNode);
        QCOMPARE(json::at(lease, {QLatin1String("spec"), QLatin1String("holderIdentity")}).toString(), kNode);
        QCOMPARE(json::at(lease, {QLatin1String("spec"), QLatin1String("leaseDurationSeconds")}).toInt(), 40);
        const QJsonObject owner =
            json::at(lease, {QLatin1String("metadata"), QLatin1String("ownerReferences")}).toArray().first().toObject();
        QCOMPARE(owner.value(QLatin1String("kind")).toString(), QStringLiteral("Node"));
        QCOMPARE(owner.value(QLatin1String("uid")).toString(),
                 json::at(node, {QLatin1String("metadata"), QLatin1String("uid")}).toString());
    }

    void podReachesRunningWithFullStatus()
    {
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_fixture.client().create(kube::GroupVersionResource::pods(), QStringLiteral("default"),
                                              podManifest(QStringLiteral("web")), c, cb);
                }).ok());
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(QStringLiteral("web")), QStringLiteral("Running"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            condition(getPod(QStringLiteral("web")), QStringLiteral("Ready")).value(QLatin1String("status")).toString(),
            QStringLiteral("True"), 10000);
        const QJsonObject pod = getPod(QStringLiteral("web"));
        QVERIFY(!json::at(pod, {QLatin1String("status"), QLatin1String("podIP")}).toString().isEmpty());
        QVERIFY(!json::at(pod, {QLatin1String("status"), QLatin1String("startTime")}).toString().isEmpty());
        const QJsonArray statuses =
            json::at(pod, {QLatin1String("status"), QLatin1String("containerStatuses")}).toArray();
        QCOMPARE(statuses.size(), 1);
        QVERIFY(
            statuses.first().toObject().value(QLatin1String("state")).toObject().contains(QLatin1String("running")));
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(QStringLiteral("ProviderCreateSuccess"), QStringLiteral("web")), 10000);
    }

    void kubectlLogsAndExecReachTheProvider()
    {
        // Through the sandbox's proxy to this node's kubelet API, as on a real cluster.
        const KubectlResult logs = m_kubectl->run({QStringLiteral("logs"), QStringLiteral("web")});
        QVERIFY2(logs.exitCode == 0, logs.describe().constData());
        const KubectlResult exec =
            m_kubectl->run({QStringLiteral("exec"), QStringLiteral("web"), QStringLiteral("--"), QStringLiteral("echo"),
                            QStringLiteral("hello"), QStringLiteral("vk")});
        QVERIFY2(exec.exitCode == 0, exec.describe().constData());
        QCOMPARE(exec.out, QByteArray("hello vk\n"));
        const KubectlResult failing =
            m_kubectl->run({QStringLiteral("exec"), QStringLiteral("web"), QStringLiteral("--"), QStringLiteral("sh"),
                            QStringLiteral("-c"), QStringLiteral("exit 3")});
        QCOMPARE(failing.exitCode, 3);
        QVERIFY2(failing.err.contains("command terminated with exit code 3"), failing.describe().constData());
        const KubectlResult summary =
            m_kubectl->run({QStringLiteral("get"), QStringLiteral("--raw"),
                            QStringLiteral("/api/v1/nodes/%1/proxy/stats/summary").arg(kNode)});
        QVERIFY2(summary.exitCode == 0, summary.describe().constData());
        QCOMPARE(QJsonDocument::fromJson(summary.out)
                     .object()
                     .value(QLatin1String("node"))
                     .toObject()
                     .value(QLatin1String("nodeName"))
                     .toString(),
                 kNode);
    }

    void kubectlDeleteWithDefaultGraceIsFast()
    {
        QElapsedTimer timer;
        timer.start();
        const KubectlResult deleted =
            m_kubectl->run({QStringLiteral("delete"), QStringLiteral("pod"), QStringLiteral("web")});
        const qint64 ms = timer.elapsed();
        QVERIFY2(deleted.exitCode == 0, deleted.describe().constData());
        qInfo() << "kubectl delete pod (grace 30 s) finished in" << ms << "ms";
        QVERIFY2(ms < 2000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
        QVERIFY(getPod(QStringLiteral("web")).isEmpty());
    }

    void forceDeletionRemovesItFromTheProvider()
    {
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_fixture.client().create(kube::GroupVersionResource::pods(), QStringLiteral("default"),
                                              podManifest(QStringLiteral("forced")), c, cb);
                }).ok());
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(QStringLiteral("forced")), QStringLiteral("Running"), 10000);
        const KubectlResult forced =
            m_kubectl->run({QStringLiteral("delete"), QStringLiteral("pod"), QStringLiteral("forced"),
                            QStringLiteral("--grace-period=0"), QStringLiteral("--force")});
        QVERIFY2(forced.exitCode == 0, forced.describe().constData());
        QTRY_VERIFY_WITH_TIMEOUT(!providerKnows(QStringLiteral("forced")), 10000);
    }

    void envFieldRefsResolveAndAMissingConfigMapHoldsThePod()
    {
        const QJsonArray env{
            QJsonObject{{QStringLiteral("name"), QStringLiteral("POD_IP")},
                        {QStringLiteral("valueFrom"),
                         QJsonObject{{QStringLiteral("fieldRef"),
                                      QJsonObject{{QStringLiteral("fieldPath"), QStringLiteral("status.podIP")}}}}}},
            QJsonObject{{QStringLiteral("name"), QStringLiteral("HOST_IP")},
                        {QStringLiteral("valueFrom"),
                         QJsonObject{{QStringLiteral("fieldRef"),
                                      QJsonObject{{QStringLiteral("fieldPath"), QStringLiteral("status.hostIP")}}}}}},
            QJsonObject{{QStringLiteral("name"), QStringLiteral("NODE")},
                        {QStringLiteral("valueFrom"),
                         QJsonObject{{QStringLiteral("fieldRef"),
                                      QJsonObject{{QStringLiteral("fieldPath"), QStringLiteral("spec.nodeName")}}}}}},
            QJsonObject{{QStringLiteral("name"), QStringLiteral("MEM_MI")},
                        {QStringLiteral("valueFrom"),
                         QJsonObject{{QStringLiteral("resourceFieldRef"),
                                      QJsonObject{{QStringLiteral("resource"), QStringLiteral("limits.memory")},
                                                  {QStringLiteral("divisor"), QStringLiteral("1Mi")}}}}}},
            QJsonObject{{QStringLiteral("name"), QStringLiteral("SETTING")},
                        {QStringLiteral("valueFrom"),
                         QJsonObject{{QStringLiteral("configMapKeyRef"),
                                      QJsonObject{{QStringLiteral("name"), QStringLiteral("late-config")},
                                                  {QStringLiteral("key"), QStringLiteral("setting")}}}}}},
        };
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_fixture.client().create(kube::GroupVersionResource::pods(), QStringLiteral("default"),
                                              podManifest(QStringLiteral("needs-config"), env), c, cb);
                }).ok());
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(QStringLiteral("MandatoryConfigMapNotFound"), QStringLiteral("needs-config")),
                                 10000);
        QCOMPARE(phaseOf(QStringLiteral("needs-config")), QStringLiteral("Pending"));
        const QJsonObject configMap{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("late-config")}}},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("setting"), QStringLiteral("on")}}}};
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_fixture.client().create(kube::GroupVersionResource::configMaps(), QStringLiteral("default"),
                                              configMap, c, cb);
                }).ok());
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(QStringLiteral("needs-config")), QStringLiteral("Running"), 15000);
        const QJsonObject providerPod = providerView(QStringLiteral("needs-config"));
        QMap<QString, QString> values;
        const QJsonArray containers =
            json::at(providerPod, {QLatin1String("spec"), QLatin1String("containers")}).toArray();
        for (const auto& e : containers.first().toObject().value(QLatin1String("env")).toArray())
            values.insert(e.toObject().value(QLatin1String("name")).toString(),
                          e.toObject().value(QLatin1String("value")).toString());
        QCOMPARE(values.value(QStringLiteral("NODE")), kNode);
        QCOMPARE(values.value(QStringLiteral("HOST_IP")), QStringLiteral("127.0.0.1"));
        QCOMPARE(values.value(QStringLiteral("MEM_MI")), QStringLiteral("64"));
        QCOMPARE(values.value(QStringLiteral("SETTING")), QStringLiteral("on"));
        QVERIFY(values.contains(QStringLiteral("POD_IP")));
    }

    void restartNeitherRecreatesNorDeletesRunningPods()
    {
        QCOMPARE(phaseOf(QStringLiteral("needs-config")), QStringLiteral("Running"));
        m_agent->stop();
        m_agent.reset();
        // While the agent is down, one pod is created and another force-deleted from the API.
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_fixture.client().create(kube::GroupVersionResource::pods(), QStringLiteral("default"),
                                              podManifest(QStringLiteral("orphan")), c, cb);
                }).ok());
        QVERIFY(wait([&](QObject* c, auto cb) {
                    kube::DeleteOptions now;
                    now.gracePeriodSeconds = 0;
                    m_fixture.client().remove(kube::GroupVersionResource::pods(), QStringLiteral("default"),
                                              QStringLiteral("needs-config"), now, c, cb);
                }).ok());
        startAgent();
        QTRY_COMPARE_WITH_TIMEOUT(m_agent->phase(), runtime::VirtualNode::Phase::Ready, 10000);
        // The pod deleted while the agent was down is removed from the provider...
        QTRY_VERIFY_WITH_TIMEOUT(!providerKnows(QStringLiteral("needs-config")), 10000);
        // ...and the one created meanwhile starts.
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(QStringLiteral("orphan")), QStringLiteral("Running"), 10000);
        const QString startTime =
            json::at(getPod(QStringLiteral("orphan")), {QLatin1String("status"), QLatin1String("startTime")})
                .toString();

        // Another restart: the running pod is neither re-created nor deleted.
        m_agent->stop();
        startAgent();
        QTRY_COMPARE_WITH_TIMEOUT(m_agent->phase(), runtime::VirtualNode::Phase::Ready, 10000);
        QCOMPARE(phaseOf(QStringLiteral("orphan")), QStringLiteral("Running"));
        QCOMPARE(json::at(getPod(QStringLiteral("orphan")), {QLatin1String("status"), QLatin1String("startTime")})
                     .toString(),
                 startTime);
        kube::ListOptions options;
        options.fieldSelector = QStringLiteral("involvedObject.name=orphan");
        auto events = wait([&](QObject* c, auto cb) {
            m_fixture.client().list(kube::GroupVersionResource::events(), QStringLiteral("default"), options, c, cb);
        });
        QVERIFY(events.ok());
        int creates = 0;
        for (const auto& e : events->value(QLatin1String("items")).toArray()) {
            if (e.toObject().value(QLatin1String("reason")).toString() == QLatin1String("ProviderCreateSuccess"))
                creates += e.toObject().value(QLatin1String("count")).toInt(1);
        }
        QCOMPARE(creates, 1);
    }

    void namespaceFlagLimitsThePodsServed()
    {
        // A second node that serves only namespace team-a, as --namespace team-a does.
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_fixture.client().create(
                        kube::GroupVersionResource::namespaces(), {},
                        QJsonObject{{QStringLiteral("metadata"),
                                     QJsonObject{{QStringLiteral("name"), QStringLiteral("team-a")}}}},
                        c, cb);
                }).ok());
        provider::ProviderConfig providerConfig;
        providerConfig.nodeName = QStringLiteral("vk-team");
        mock::MockProvider provider(mock::MockNodeConfig{}, providerConfig);
        kube::ConnectionOptions options;
        options.kubeconfig = m_fixture.kubeconfigPath();
        options.allowInCluster = false;
        runtime::VirtualNode::Settings settings;
        settings.nodeName = QStringLiteral("vk-team");
        settings.config.provider = QStringLiteral("mock");
        settings.config.namespaceName = QStringLiteral("team-a");
        settings.config.internalIp = QStringLiteral("127.0.0.1");
        settings.connection = kube::resolveConnection(options).value();
        settings.provider = &provider;
        runtime::VirtualNode team(settings);
        QVERIFY(team.start().ok());
        QTRY_COMPARE_WITH_TIMEOUT(team.phase(), runtime::VirtualNode::Phase::Ready, 10000);
        for (const QString& ns : {QStringLiteral("team-a"), QStringLiteral("default")}) {
            QJsonObject pod = podManifest(QStringLiteral("scoped"));
            QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
            spec.insert(QStringLiteral("nodeName"), QStringLiteral("vk-team"));
            pod.insert(QStringLiteral("spec"), spec);
            QVERIFY(wait([&](QObject* c, auto cb) {
                        m_fixture.client().create(kube::GroupVersionResource::pods(), ns, pod, c, cb);
                    }).ok());
        }
        QTRY_COMPARE_WITH_TIMEOUT(
            json::at(get(kube::GroupVersionResource::pods(), QStringLiteral("team-a"), QStringLiteral("scoped")),
                     {QLatin1String("status"), QLatin1String("phase")})
                .toString(),
            QStringLiteral("Running"), 10000);
        QCOMPARE(
            json::at(getPod(QStringLiteral("scoped")), {QLatin1String("status"), QLatin1String("phase")}).toString(),
            QStringLiteral("Pending"));
        QCOMPARE(provider.podCount(), 1);
        team.stop();
    }

    void cleanupTestCase()
    {
        if (m_agent)
            m_agent->stop();
    }
};

QTEST_GUILESS_MAIN(AgentTest)
#include "tst_agent.moc"
