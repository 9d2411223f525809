// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"
#include "core/Json.h"
#include "mock/MockConfig.h"
#include "mock/MockProvider.h"
#include "provider/ProviderRegistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace vk;
using namespace vk::mock;
using provider::ExecRequest;
using provider::LogOptions;

namespace {

QString dataDir()
{
    return qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/providers");
}

QJsonObject makePod(const QString& ns,
                    const QString& name,
                    const QJsonObject& lifecycle = {},
                    const QString& restartPolicy = QStringLiteral("Always"),
                    const QString& image = QStringLiteral("nginx:1.25"))
{
    QJsonObject metadata{{QStringLiteral("name"), name},
                         {QStringLiteral("namespace"), ns},
                         {QStringLiteral("uid"), QString(QStringLiteral("uid-") + ns + QLatin1Char('-') + name)}};
    if (!lifecycle.isEmpty())
        metadata.insert(QStringLiteral("annotations"),
                        QJsonObject{{QLatin1String(kLifecycleAnnotation),
                                     QString::fromUtf8(QJsonDocument(lifecycle).toJson(QJsonDocument::Compact))}});
    const QJsonObject container{
        {QStringLiteral("name"), QStringLiteral("web")},
        {QStringLiteral("image"), image},
        {QStringLiteral("env"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("GREETING")},
                                                       {QStringLiteral("value"), QStringLiteral("hi")}}}},
        {QStringLiteral("ports"), QJsonArray{QJsonObject{{QStringLiteral("containerPort"), 80}}}}};
    return {{QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("vk-node")},
                                                 {QStringLiteral("restartPolicy"), restartPolicy},
                                                 {QStringLiteral("containers"), QJsonArray{container}}}}};
}

QStringList argv(std::initializer_list<const char*> words)
{
    QStringList list;
    for (const char* word : words)
        list.append(QString::fromUtf8(word));
    return list;
}

QJsonObject statusOf(const QJsonObject& pod)
{
    return pod.value(QLatin1String("status")).toObject();
}

QJsonObject containerStatus(const QJsonObject& pod, int index = 0)
{
    return statusOf(pod).value(QLatin1String("containerStatuses")).toArray().at(index).toObject();
}

QString condition(const QJsonObject& pod, const QString& type, const QString& field = QStringLiteral("status"))
{
    for (const QJsonValue& value : statusOf(pod).value(QLatin1String("conditions")).toArray())
        if (value.toObject().value(QLatin1String("type")).toString() == type)
            return value.toObject().value(field).toString();
    return QStringLiteral("<absent>");
}

} // namespace

class TestMockProvider : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<MockProvider> m_provider;

    provider::ProviderConfig providerConfig() const
    {
        provider::ProviderConfig config;
        config.nodeName = QStringLiteral("vk-node");
        config.internalIp = QStringLiteral("192.168.1.10");
        config.daemonPort = 10250;
        return config;
    }

    QJsonObject pod(const QString& ns = QStringLiteral("default"), const QString& name = QStringLiteral("web"))
    {
        Result<QJsonObject> result = m_provider->pod(ns, name);
        if (!result)
            return {};
        return *result;
    }

    Status create(const QJsonObject& object)
    {
        std::optional<Status> result;
        m_provider->createPod(object, this, [&result](Status status) { result = status; });
        return result.value_or(Status(Error::internal(QStringLiteral("no answer"))));
    }

    struct ExecOutcome
    {
        QByteArray out;
        QByteArray err;
        int exitCode = -1;
    };

    ExecOutcome runExec(provider::ExecSession* session, const QByteArray& stdinData = {}, bool closeStdin = false)
    {
        ExecOutcome outcome;
        connect(session, &provider::ExecSession::stdoutData, this,
                [&outcome](const QByteArray& d) { outcome.out += d; });
        connect(session, &provider::ExecSession::stderrData, this,
                [&outcome](const QByteArray& d) { outcome.err += d; });
        QSignalSpy finished(session, &provider::ExecSession::finished);
        if (!stdinData.isEmpty())
            session->writeStdin(stdinData);
        if (closeStdin)
            session->closeStdin();
        if (finished.isEmpty())
            finished.wait(2000);
        if (!finished.isEmpty())
            outcome.exitCode = finished.first().at(0).toInt();
        QCoreApplication::processEvents();
        return outcome;
    }

    QByteArray readAll(provider::LogStream* stream, bool* finishedOut = nullptr)
    {
        QSignalSpy finished(stream, &provider::LogStream::finished);
        QCoreApplication::processEvents(); // the first signals are queued; a follow stream may not finish
        if (finishedOut)
            *finishedOut = !finished.isEmpty();
        return stream->read();
    }

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<ManualClock>();
        m_provider = std::make_unique<MockProvider>(MockNodeConfig(), providerConfig(), m_clock.get());
    }
    void cleanup()
    {
        m_provider.reset();
        m_clock.reset();
    }

    // --- config ---------------------------------------------------------------------------------------------------
    void config_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("cpu");
        QTest::addColumn<QString>("memory");
        QTest::addColumn<QString>("pods");
        QTest::addColumn<QString>("error");

        QTest::newRow("no file gives cpu 20, memory 100Gi, pods 20") << ""
                                                                     << "any"
                                                                     << "20"
                                                                     << "100Gi"
                                                                     << "20"
                                                                     << "";
        QTest::newRow("the node's entry sets cpu, memory and pods") << "mock.json"
                                                                    << "vk-node"
                                                                    << "2"
                                                                    << "32Gi"
                                                                    << "128"
                                                                    << "";
        QTest::newRow("fields missing from the entry keep their defaults") << "mock.json"
                                                                           << "partial"
                                                                           << "4"
                                                                           << "100Gi"
                                                                           << "20"
                                                                           << "";
        QTest::newRow("JSON numbers are quantities too") << "mock.json"
                                                         << "numbers"
                                                         << "3"
                                                         << "100Gi"
                                                         << "110"
                                                         << "";
        QTest::newRow("a cpu that is no quantity names the file and field")
            << "mock.json"
            << "bad-cpu"
            << ""
            << ""
            << ""
            << "mock.json: bad-cpu.cpu: invalid quantity \"two\"";
        QTest::newRow("a memory that is no quantity names the file and field")
            << "mock.json"
            << "bad-memory"
            << ""
            << ""
            << ""
            << "mock.json: bad-memory.memory: invalid quantity";
        QTest::newRow("an extended resource that is no quantity names others.<resource>")
            << "mock.json"
            << "bad-other"
            << ""
            << ""
            << ""
            << "mock.json: bad-other.others.nvidia.com/gpu: invalid quantity \"lots\"";
        QTest::newRow("a negative lifecycle delay names lifecycle.<key>")
            << "mock.json"
            << "bad-lifecycle"
            << ""
            << ""
            << ""
            << "mock.json: bad-lifecycle.lifecycle.pendingMs: must be a non-negative integer";
        QTest::newRow("an unknown lifecycle key is an error")
            << "mock.json"
            << "unknown-lifecycle-key"
            << ""
            << ""
            << ""
            << "mock.json: unknown-lifecycle-key.lifecycle.pendingSeconds: unknown field";
        QTest::newRow("a node missing from the file names the file and the node")
            << "mock.json"
            << "other-node"
            << ""
            << ""
            << ""
            << "mock.json: no entry for node \"other-node\"";
        QTest::newRow("malformed JSON names the file") << "broken.json"
                                                       << "vk-node"
                                                       << ""
                                                       << ""
                                                       << ""
                                                       << "broken.json: invalid JSON";
        QTest::newRow("a missing file names the file") << "does-not-exist.json"
                                                       << "vk-node"
                                                       << ""
                                                       << ""
                                                       << ""
                                                       << "does-not-exist.json: cannot read";
    }

    void config()
    {
        QFETCH(QString, file);
        QFETCH(QString, node);
        QFETCH(QString, cpu);
        QFETCH(QString, memory);
        QFETCH(QString, pods);
        QFETCH(QString, error);
        const QString path = file.isEmpty() ? QString() : dataDir() + QLatin1Char('/') + file;
        Result<MockNodeConfig> config = MockNodeConfig::load(path, node);
        if (!error.isEmpty()) {
            QVERIFY(!config);
            QCOMPARE(config.error().category(), ErrorCategory::InvalidInput);
            QVERIFY2(config.error().message().startsWith(path), qPrintable(config.error().message()));
            QVERIFY2(config.error().message().contains(error), qPrintable(config.error().message()));
            return;
        }
        QVERIFY2(config.ok(), config ? "" : qPrintable(config.error().message()));
        QCOMPARE(config->cpu, cpu);
        QCOMPARE(config->memory, memory);
        QCOMPARE(config->pods, pods);
    }

    void configOthersProviderIdAndLifecycle()
    {
        Result<MockNodeConfig> config =
            MockNodeConfig::load(dataDir() + QStringLiteral("/mock.json"), QStringLiteral("vk-node"));
        QVERIFY(config.ok());
        QCOMPARE(config->others.value(QStringLiteral("nvidia.com/gpu")), QStringLiteral("1"));
        QCOMPARE(config->others.value(QStringLiteral("example.com/fpga")), QStringLiteral("4"));
        QCOMPARE(config->providerId, QStringLiteral("mock://vk-node"));
        QCOMPARE(config->lifecycle.pendingMs, 200);
        QCOMPARE(config->lifecycle.readyMs, 300);
        QCOMPARE(config->lifecycle.logLinesPerSecond, 2.0);
    }

    void registryCreatesTheMock()
    {
        registerMockProvider();
        auto& registry = provider::ProviderRegistry::instance();
        QVERIFY(registry.names().contains(QStringLiteral("mock")));
        provider::ProviderConfig config = providerConfig();
        config.configPath = dataDir() + QStringLiteral("/mock.json");
        auto created = registry.create(QStringLiteral("mock"), config);
        QVERIFY(created.ok());
        QCOMPARE((*created)->name(), QStringLiteral("mock"));
        QVERIFY((*created)->capabilities().testFlag(provider::Capability::PodStatusPush));
        QVERIFY(!(*created)->capabilities().testFlag(provider::Capability::NodeStatusPush));
        config.nodeName = QStringLiteral("bad-cpu");
        auto failed = registry.create(QStringLiteral("mock"), config);
        QVERIFY(!failed);
        QCOMPARE(failed.error().category(), ErrorCategory::InvalidInput);
    }

    // --- node -----------------------------------------------------------------------------------------------------
    void configureNode()
    {
        Result<MockNodeConfig> config =
            MockNodeConfig::load(dataDir() + QStringLiteral("/mock.json"), QStringLiteral("vk-node"));
        QVERIFY(config.ok());
        MockProvider provider(*config, providerConfig(), m_clock.get());
        QJsonObject node{{QStringLiteral("metadata"),
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("vk-node")},
                                      {QStringLiteral("labels"),
                                       QJsonObject{{QStringLiteral("type"), QStringLiteral("virtual-kubelet")}}}}}};
        provider.configureNode(node);
        QCOMPARE(json::at(node, {QLatin1String("spec"), QLatin1String("providerID")}).toString(),
                 QStringLiteral("mock://vk-node"));
        const QJsonObject capacity = json::at(node, {QLatin1String("status"), QLatin1String("capacity")}).toObject();
        QCOMPARE(capacity.value(QLatin1String("cpu")).toString(), QStringLiteral("2"));
        QCOMPARE(capacity.value(QLatin1String("memory")).toString(), QStringLiteral("32Gi"));
        QCOMPARE(capacity.value(QLatin1String("pods")).toString(), QStringLiteral("128"));
        QCOMPARE(capacity.value(QLatin1String("nvidia.com/gpu")).toString(), QStringLiteral("1"));
        QCOMPARE(json::at(node, {QLatin1String("status"), QLatin1String("allocatable")}).toObject(), capacity);
        QStringList types;
        for (const QJsonValue& c : json::at(node, {QLatin1String("status"), QLatin1String("conditions")}).toArray())
            types.append(c.toObject().value(QLatin1String("type")).toString());
        QCOMPARE(types,
                 (QStringList{QStringLiteral("Ready"), QStringLiteral("OutOfDisk"), QStringLiteral("MemoryPressure"),
                              QStringLiteral("DiskPressure"), QStringLiteral("NetworkUnavailable")}));
        const QJsonArray addresses = json::at(node, {QLatin1String("status"), QLatin1String("addresses")}).toArray();
        QCOMPARE(addresses.size(), 1);
        QCOMPARE(addresses[0].toObject().value(QLatin1String("type")).toString(), QStringLiteral("InternalIP"));
        QCOMPARE(addresses[0].toObject().value(QLatin1String("address")).toString(), QStringLiteral("192.168.1.10"));
        QCOMPARE(json::at(node, {QLatin1String("status"), QLatin1String("daemonEndpoints"),
                                 QLatin1String("kubeletEndpoint"), QLatin1String("Port")})
                     .toInt(),
                 10250);
        QCOMPARE(json::at(node, {QLatin1String("status"), QLatin1String("nodeInfo"), QLatin1String("architecture")})
                     .toString(),
                 QStringLiteral("amd64"));
        const QJsonObject labels = json::at(node, {QLatin1String("metadata"), QLatin1String("labels")}).toObject();
        QCOMPARE(labels.value(QLatin1String("type")).toString(), QStringLiteral("virtual-kubelet"));
        QCOMPARE(labels.value(QLatin1String("alpha.service-controller.kubernetes.io/exclude-balancer")).toString(),
                 QStringLiteral("true"));
        QCOMPARE(labels.value(QLatin1String("node.kubernetes.io/exclude-from-external-load-balancers")).toString(),
                 QStringLiteral("true"));
    }

    // --- pods -----------------------------------------------------------------------------------------------------
    void createRunsAndIsReadyAtOnceByDefault()
    {
        QSignalSpy pushed(m_provider.get(), &provider::Provider::podStatusChanged);
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        QCOMPARE(pushed.size(), 1);
        const QJsonObject p = pushed.last().first().toJsonObject();
        const QJsonObject status = statusOf(p);
        QCOMPARE(status.value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
        QCOMPARE(status.value(QLatin1String("podIP")).toString(), QStringLiteral("10.244.0.1"));
        QCOMPARE(status.value(QLatin1String("hostIP")).toString(), QStringLiteral("192.168.1.10"));
        QCOMPARE(status.value(QLatin1String("startTime")).toString(), QStringLiteral("2026-01-01T00:00:00Z"));
        QCOMPARE(condition(p, QStringLiteral("PodScheduled")), QStringLiteral("True"));
        QCOMPARE(condition(p, QStringLiteral("Initialized")), QStringLiteral("True"));
        QCOMPARE(condition(p, QStringLiteral("ContainersReady")), QStringLiteral("True"));
        QCOMPARE(condition(p, QStringLiteral("Ready")), QStringLiteral("True"));
        QCOMPARE(condition(p, QStringLiteral("Ready"), QStringLiteral("lastTransitionTime")),
                 QStringLiteral("2026-01-01T00:00:00Z"));
        const QJsonObject c = containerStatus(p);
        QCOMPARE(c.value(QLatin1String("name")).toString(), QStringLiteral("web"));
        QCOMPARE(c.value(QLatin1String("image")).toString(), QStringLiteral("nginx:1.25"));
        QVERIFY(
            c.value(QLatin1String("imageID")).toString().startsWith(QStringLiteral("docker.io/library/nginx@sha256:")));
        QVERIFY(c.value(QLatin1String("containerID")).toString().startsWith(QStringLiteral("mock://")));
        QCOMPARE(c.value(QLatin1String("ready")).toBool(), true);
        QCOMPARE(c.value(QLatin1String("started")).toBool(), true);
        QCOMPARE(c.value(QLatin1String("restartCount")).toInt(), 0);
        QCOMPARE(json::at(c, {QLatin1String("state"), QLatin1String("running"), QLatin1String("startedAt")}).toString(),
                 QStringLiteral("2026-01-01T00:00:00Z"));

        // a second pod gets the next address; getPodStatus and listPods agree
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("db"))).ok());
        QCOMPARE(
            statusOf(pod(QStringLiteral("default"), QStringLiteral("db"))).value(QLatin1String("podIP")).toString(),
            QStringLiteral("10.244.0.2"));
        std::optional<Result<QJsonObject>> status2;
        m_provider->getPodStatus(QStringLiteral("default"), QStringLiteral("web"), this,
                                 [&status2](Result<QJsonObject> r) { status2 = r; });
        QVERIFY(status2 && status2->ok());
        QCOMPARE((*status2)->value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
        std::optional<QList<QJsonObject>> listed;
        m_provider->listPods(this, [&listed](Result<QList<QJsonObject>> r) { listed = r.value(); });
        QVERIFY(listed);
        QCOMPARE(listed->size(), 2);
    }

    void keysDoNotCollide()
    {
        QVERIFY(create(makePod(QStringLiteral("a-b"), QStringLiteral("c"))).ok());
        QVERIFY(create(makePod(QStringLiteral("a"), QStringLiteral("b-c"))).ok());
        QCOMPARE(m_provider->podCount(), 2);
        QVERIFY(m_provider->pod(QStringLiteral("a-b"), QStringLiteral("c")).ok());
        QVERIFY(m_provider->pod(QStringLiteral("a"), QStringLiteral("b-c")).ok());
    }

    void invalidLifecycleAnnotationIsInvalidInput()
    {
        QJsonObject p = makePod(QStringLiteral("default"), QStringLiteral("web"));
        QJsonObject metadata = p.value(QLatin1String("metadata")).toObject();
        metadata.insert(QStringLiteral("annotations"),
                        QJsonObject{{QLatin1String(kLifecycleAnnotation), QStringLiteral("{\"readyMs\": \"soon\"}")}});
        p.insert(QStringLiteral("metadata"), metadata);
        const Status status = create(p);
        QVERIFY(!status);
        QCOMPARE(status.error().category(), ErrorCategory::InvalidInput);
        QVERIFY2(status.error().message().contains(QStringLiteral("mock.vk-studio.io/lifecycle.readyMs")),
                 qPrintable(status.error().message()));
        QCOMPARE(m_provider->podCount(), 0);
    }

    void lifecycleScriptPhases()
    {
        QSignalSpy pushed(m_provider.get(), &provider::Provider::podStatusChanged);
        const QJsonObject script{
            {QStringLiteral("pendingMs"), 1000}, {QStringLiteral("startMs"), 500}, {QStringLiteral("readyMs"), 2000}};
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"), script)).ok());
        QCOMPARE(pushed.size(), 1);
        QJsonObject p = pod();
        QCOMPARE(statusOf(p).value(QLatin1String("phase")).toString(), QStringLiteral("Pending"));
        QVERIFY(!statusOf(p).contains(QLatin1String("podIP")));
        QCOMPARE(
            json::at(containerStatus(p), {QLatin1String("state"), QLatin1String("waiting"), QLatin1String("reason")})
                .toString(),
            QStringLiteral("ContainerCreating"));
        QCOMPARE(condition(p, QStringLiteral("Ready"), QStringLiteral("reason")), QStringLiteral("ContainersNotReady"));
        QCOMPARE(condition(p, QStringLiteral("Ready"), QStringLiteral("message")),
                 QStringLiteral("containers with unready status: [web]"));

        m_clock->advance(999);
        QCOMPARE(pushed.size(), 1);
        m_clock->advance(1);
        QCOMPARE(pushed.size(), 2);
        p = pod();
        QCOMPARE(statusOf(p).value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
        QCOMPARE(statusOf(p).value(QLatin1String("podIP")).toString(), QStringLiteral("10.244.0.1"));
        QCOMPARE(containerStatus(p).value(QLatin1String("started")).toBool(), false);
        QCOMPARE(containerStatus(p).value(QLatin1String("ready")).toBool(), false);

        m_clock->advance(500);
        QCOMPARE(pushed.size(), 3);
        QCOMPARE(containerStatus(pod()).value(QLatin1String("started")).toBool(), true);
        QCOMPARE(condition(pod(), QStringLiteral("Ready")), QStringLiteral("False"));

        m_clock->advance(2000);
        QCOMPARE(pushed.size(), 4);
        p = pushed.last().first().toJsonObject();
        QCOMPARE(containerStatus(p).value(QLatin1String("ready")).toBool(), true);
        QCOMPARE(condition(p, QStringLiteral("Ready")), QStringLiteral("True"));
        QCOMPARE(condition(p, QStringLiteral("Ready"), QStringLiteral("lastTransitionTime")),
                 QStringLiteral("2026-01-01T00:00:03Z"));
        QCOMPARE(condition(p, QStringLiteral("PodScheduled"), QStringLiteral("lastTransitionTime")),
                 QStringLiteral("2026-01-01T00:00:00Z"));
        m_clock->advance(60000);
        QCOMPARE(pushed.size(), 4); // nothing else happens
    }

    void nodeScriptAppliesAndTheAnnotationOverridesIt()
    {
        Result<MockNodeConfig> config =
            MockNodeConfig::load(dataDir() + QStringLiteral("/mock.json"), QStringLiteral("vk-node"));
        QVERIFY(config.ok());
        m_provider = std::make_unique<MockProvider>(*config, providerConfig(), m_clock.get());
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("scripted"))).ok());
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("override"),
                               QJsonObject{{QStringLiteral("pendingMs"), 0}}))
                    .ok());
        auto phaseOf = [this](const char* name) {
            return statusOf(pod(QStringLiteral("default"), QString::fromLatin1(name)))
                .value(QLatin1String("phase"))
                .toString();
        };
        QCOMPARE(phaseOf("scripted"), QStringLiteral("Pending"));
        QCOMPARE(phaseOf("override"), QStringLiteral("Running"));
        m_clock->advance(200);
        QCOMPARE(phaseOf("scripted"), QStringLiteral("Running"));
        QCOMPARE(condition(pod(QStringLiteral("default"), QStringLiteral("override")), QStringLiteral("Ready")),
                 QStringLiteral("False"));
        m_clock->advance(100);
        QCOMPARE(condition(pod(QStringLiteral("default"), QStringLiteral("override")), QStringLiteral("Ready")),
                 QStringLiteral("True"));
        QCOMPARE(condition(pod(QStringLiteral("default"), QStringLiteral("scripted")), QStringLiteral("Ready")),
                 QStringLiteral("False"));
        m_clock->advance(200);
        QCOMPARE(condition(pod(QStringLiteral("default"), QStringLiteral("scripted")), QStringLiteral("Ready")),
                 QStringLiteral("True"));
    }

    void multiContainerPodsNeedAContainerName()
    {
        QJsonObject p = makePod(QStringLiteral("default"), QStringLiteral("web"));
        QJsonObject spec = p.value(QLatin1String("spec")).toObject();
        QJsonArray containers = spec.value(QLatin1String("containers")).toArray();
        containers.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("sidecar")},
                                      {QStringLiteral("image"), QStringLiteral("busybox")}});
        spec.insert(QStringLiteral("containers"), containers);
        p.insert(QStringLiteral("spec"), spec);
        QVERIFY(create(p).ok());
        QCOMPARE(statusOf(pod()).value(QLatin1String("containerStatuses")).toArray().size(), 2);
        QCOMPARE(containerStatus(pod(), 1).value(QLatin1String("image")).toString(), QStringLiteral("busybox"));
        auto logs =
            m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), LogOptions(), this);
        QVERIFY(!logs);
        QCOMPARE(logs.error().message(),
                 QStringLiteral("a container name must be specified for pod web, choose one of: [web sidecar]"));
        auto sidecar = m_provider->exec(
            {QStringLiteral("default"), QStringLiteral("web"), QStringLiteral("sidecar"), {QStringLiteral("hostname")}},
            this);
        QVERIFY(sidecar.ok());
        QCOMPARE(runExec(*sidecar).out, QByteArray("web\n"));
    }

    void jitterIsBoundedAndDeterministic()
    {
        const QJsonObject script{{QStringLiteral("pendingMs"), 1000}, {QStringLiteral("jitterMs"), 500}};
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"), script)).ok());
        m_clock->advance(999);
        QCOMPARE(statusOf(pod()).value(QLatin1String("phase")).toString(), QStringLiteral("Pending"));
        m_clock->advance(501);
        QCOMPARE(statusOf(pod()).value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
    }

    void exitCodeAndRestartPolicy_data()
    {
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("restartLimit");
        QTest::addColumn<QString>("phase");
        QTest::addColumn<int>("restarts");
        QTest::addColumn<QString>("reason");

        QTest::newRow("exit 0 with Never succeeds") << 0 << "Never" << -1 << "Succeeded" << 0 << "Completed";
        QTest::newRow("exit 3 with Never fails") << 3 << "Never" << -1 << "Failed" << 0 << "Error";
        QTest::newRow("exit 0 with OnFailure succeeds") << 0 << "OnFailure" << -1 << "Succeeded" << 0 << "Completed";
        QTest::newRow("exit 3 with OnFailure restarts up to the limit, then fails")
            << 3 << "OnFailure" << 2 << "Failed" << 2 << "Error";
        QTest::newRow("exit 0 with Always restarts up to the limit, then succeeds")
            << 0 << "Always" << 1 << "Succeeded" << 1 << "Completed";
    }

    void exitCodeAndRestartPolicy()
    {
        QFETCH(int, exitCode);
        QFETCH(QString, policy);
        QFETCH(int, restartLimit);
        QFETCH(QString, phase);
        QFETCH(int, restarts);
        QFETCH(QString, reason);
        QJsonObject script{{QStringLiteral("runMs"), 1000}, {QStringLiteral("exitCode"), exitCode}};
        if (restartLimit >= 0)
            script.insert(QStringLiteral("restartLimit"), restartLimit);
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"), script, policy)).ok());
        m_clock->advance(999);
        QCOMPARE(statusOf(pod()).value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
        m_clock->advance(10000);
        const QJsonObject p = pod();
        QCOMPARE(statusOf(p).value(QLatin1String("phase")).toString(), phase);
        const QJsonObject c = containerStatus(p);
        QCOMPARE(c.value(QLatin1String("restartCount")).toInt(), restarts);
        const QJsonObject terminated = json::at(c, {QLatin1String("state"), QLatin1String("terminated")}).toObject();
        QCOMPARE(terminated.value(QLatin1String("exitCode")).toInt(), exitCode);
        QCOMPARE(terminated.value(QLatin1String("reason")).toString(), reason);
        QCOMPARE(terminated.value(QLatin1String("finishedAt")).toString(),
                 QStringLiteral("2026-01-01T00:00:0%1Z").arg(restarts + 1));
        QCOMPARE(condition(p, QStringLiteral("Ready"), QStringLiteral("reason")), QStringLiteral("PodCompleted"));
        if (restarts > 0)
            QCOMPARE(json::at(c, {QLatin1String("lastState"), QLatin1String("terminated"), QLatin1String("exitCode")})
                         .toInt(),
                     exitCode);
    }

    void restartInjection()
    {
        const QJsonObject script{{QStringLiteral("failAfterMs"), 1000},
                                 {QStringLiteral("failCount"), 2},
                                 {QStringLiteral("failExitCode"), 137},
                                 {QStringLiteral("restartDelayMs"), 500}};
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"), script)).ok());
        const QString firstId = containerStatus(pod()).value(QLatin1String("containerID")).toString();
        m_clock->advance(1000);
        QJsonObject c = containerStatus(pod());
        QCOMPARE(json::at(c, {QLatin1String("state"), QLatin1String("waiting"), QLatin1String("reason")}).toString(),
                 QStringLiteral("CrashLoopBackOff"));
        QCOMPARE(
            json::at(c, {QLatin1String("lastState"), QLatin1String("terminated"), QLatin1String("exitCode")}).toInt(),
            137);
        QCOMPARE(json::at(c, {QLatin1String("lastState"), QLatin1String("terminated"), QLatin1String("containerID")})
                     .toString(),
                 firstId);
        QCOMPARE(c.value(QLatin1String("restartCount")).toInt(), 0);
        QCOMPARE(c.value(QLatin1String("ready")).toBool(), false);
        QCOMPARE(statusOf(pod()).value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
        m_clock->advance(500);
        c = containerStatus(pod());
        QVERIFY(c.value(QLatin1String("state")).toObject().contains(QLatin1String("running")));
        QCOMPARE(c.value(QLatin1String("restartCount")).toInt(), 1);
        QVERIFY(c.value(QLatin1String("containerID")).toString() != firstId);
        QCOMPARE(c.value(QLatin1String("ready")).toBool(), true);
        m_clock->advance(1500);
        QCOMPARE(containerStatus(pod()).value(QLatin1String("restartCount")).toInt(), 2);
        m_clock->advance(60000); // failCount reached: the third instance keeps running
        c = containerStatus(pod());
        QCOMPARE(c.value(QLatin1String("restartCount")).toInt(), 2);
        QVERIFY(c.value(QLatin1String("state")).toObject().contains(QLatin1String("running")));
    }

    void readinessFlapping()
    {
        QSignalSpy pushed(m_provider.get(), &provider::Provider::podStatusChanged);
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"),
                               QJsonObject{{QStringLiteral("readinessFlapMs"), 1000}}))
                    .ok());
        QCOMPARE(condition(pod(), QStringLiteral("Ready")), QStringLiteral("True"));
        m_clock->advance(1000);
        QCOMPARE(condition(pod(), QStringLiteral("Ready")), QStringLiteral("False"));
        QCOMPARE(containerStatus(pod()).value(QLatin1String("ready")).toBool(), false);
        QCOMPARE(condition(pod(), QStringLiteral("Ready"), QStringLiteral("lastTransitionTime")),
                 QStringLiteral("2026-01-01T00:00:01Z"));
        m_clock->advance(1000);
        QCOMPARE(condition(pod(), QStringLiteral("Ready")), QStringLiteral("True"));
        QCOMPARE(pushed.size(), 3);
    }

    void deletePushesTerminalStatusThenForgets()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        m_clock->advance(5000);
        QSignalSpy pushed(m_provider.get(), &provider::Provider::podStatusChanged);
        std::optional<Status> deleted;
        m_provider->deletePod(makePod(QStringLiteral("default"), QStringLiteral("web")), this,
                              [&deleted](Status s) { deleted = s; });
        QVERIFY(deleted && deleted->ok());
        QCOMPARE(pushed.size(), 1);
        const QJsonObject p = pushed.first().first().toJsonObject();
        QCOMPARE(statusOf(p).value(QLatin1String("phase")).toString(), QStringLiteral("Succeeded"));
        QCOMPARE(statusOf(p).value(QLatin1String("reason")).toString(), QStringLiteral("MockProviderPodDeleted"));
        const QJsonObject terminated =
            json::at(containerStatus(p), {QLatin1String("state"), QLatin1String("terminated")}).toObject();
        QCOMPARE(terminated.value(QLatin1String("reason")).toString(),
                 QStringLiteral("MockProviderPodContainerDeleted"));
        QCOMPARE(terminated.value(QLatin1String("exitCode")).toInt(), 0);
        QCOMPARE(terminated.value(QLatin1String("finishedAt")).toString(), QStringLiteral("2026-01-01T00:00:05Z"));
        QCOMPARE(terminated.value(QLatin1String("startedAt")).toString(), QStringLiteral("2026-01-01T00:00:00Z"));
        QCOMPARE(containerStatus(p).value(QLatin1String("ready")).toBool(), false);

        std::optional<Result<QJsonObject>> got;
        m_provider->getPod(QStringLiteral("default"), QStringLiteral("web"), this,
                           [&got](Result<QJsonObject> r) { got = r; });
        QVERIFY(got && !got->ok());
        QCOMPARE(got->error().category(), ErrorCategory::NotFound);
        QCOMPARE(got->error().message(), QStringLiteral("pod \"default/web\" is not known to the provider"));
        m_provider->deletePod(makePod(QStringLiteral("default"), QStringLiteral("web")), this,
                              [&deleted](Status s) { deleted = s; });
        QCOMPARE(deleted->error().category(), ErrorCategory::NotFound);
        std::optional<Status> updated;
        m_provider->updatePod(makePod(QStringLiteral("default"), QStringLiteral("web")), this,
                              [&updated](Status s) { updated = s; });
        QCOMPARE(updated->error().category(), ErrorCategory::NotFound);
        m_clock->advance(60000);
        QCOMPARE(pushed.size(), 1);
    }

    void updateChangesTheImage()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        const QString oldImageId = containerStatus(pod()).value(QLatin1String("imageID")).toString();
        m_clock->advance(1000);
        QSignalSpy pushed(m_provider.get(), &provider::Provider::podStatusChanged);
        std::optional<Status> updated;
        m_provider->updatePod(makePod(QStringLiteral("default"), QStringLiteral("web"), {}, QStringLiteral("Always"),
                                      QStringLiteral("nginx:1.26")),
                              this, [&updated](Status s) { updated = s; });
        QVERIFY(updated && updated->ok());
        QCOMPARE(pushed.size(), 1);
        const QJsonObject c = containerStatus(pod());
        QCOMPARE(c.value(QLatin1String("image")).toString(), QStringLiteral("nginx:1.26"));
        QVERIFY(c.value(QLatin1String("imageID")).toString() != oldImageId);
        QCOMPARE(c.value(QLatin1String("restartCount")).toInt(), 1);
        QCOMPARE(json::at(c, {QLatin1String("state"), QLatin1String("running"), QLatin1String("startedAt")}).toString(),
                 QStringLiteral("2026-01-01T00:00:01Z"));
        QCOMPARE(json::at(pod(), {QLatin1String("spec"), QLatin1String("containers")})
                     .toArray()[0]
                     .toObject()
                     .value(QLatin1String("image")),
                 QJsonValue(QStringLiteral("nginx:1.26")));
    }

    // --- logs -----------------------------------------------------------------------------------------------------
    void logsTailTimestampsAndLimit()
    {
        const QJsonObject script{{QStringLiteral("logLinesPerSecond"), 10},
                                 {QStringLiteral("logLine"), QStringLiteral("line {n} of {pod}")}};
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"), script)).ok());
        m_clock->advance(1000);

        LogOptions all;
        auto stream = m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), all, this);
        QVERIFY(stream.ok());
        bool finished = false;
        QByteArray text = readAll(*stream, &finished);
        QVERIFY(finished);
        QCOMPARE(text.count('\n'), 10);
        QVERIFY(text.startsWith("line 1 of web\n"));

        LogOptions tail;
        tail.tailLines = 3;
        stream = m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QStringLiteral("web"),
                                           tail, this);
        QCOMPARE(readAll(*stream), QByteArray("line 8 of web\nline 9 of web\nline 10 of web\n"));

        LogOptions timestamps;
        timestamps.timestamps = true;
        timestamps.tailLines = 1;
        stream =
            m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), timestamps, this);
        QCOMPARE(readAll(*stream), QByteArray("2026-01-01T00:00:01.000000000Z line 10 of web\n"));

        LogOptions limit;
        limit.limitBytes = 20;
        stream = m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), limit, this);
        QCOMPARE(readAll(*stream), QByteArray("line 1 of web\nline 2"));

        LogOptions since;
        since.sinceSeconds = 1;
        m_clock->advance(500);
        stream = m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), since, this);
        QCOMPARE(readAll(*stream).count('\n'), 11); // 00:00:00.5 .. 00:00:01.5

        auto missing = m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"),
                                                 QStringLiteral("sidecar"), all, this);
        QVERIFY(!missing);
        QCOMPARE(missing.error().category(), ErrorCategory::NotFound);
        LogOptions previous;
        previous.previous = true;
        auto noPrevious =
            m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), previous, this);
        QVERIFY(!noPrevious);
        QCOMPARE(noPrevious.error().category(), ErrorCategory::BadRequest);
    }

    void logsFollowUntilTheContainerEnds()
    {
        const QJsonObject script{{QStringLiteral("logLinesPerSecond"), 10},
                                 {QStringLiteral("logLine"), QStringLiteral("line {n}")},
                                 {QStringLiteral("runMs"), 1000}};
        QVERIFY(
            create(makePod(QStringLiteral("default"), QStringLiteral("web"), script, QStringLiteral("Never"))).ok());
        m_clock->advance(200);
        LogOptions follow;
        follow.follow = true;
        auto stream =
            m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), follow, this);
        QVERIFY(stream.ok());
        QSignalSpy finished(*stream, &provider::LogStream::finished);
        QByteArray text = readAll(*stream);
        QCOMPARE(text, QByteArray("line 1\nline 2\n"));
        QCOMPARE(finished.size(), 0);
        m_clock->advance(300);
        text += (*stream)->read();
        QCOMPARE(text, QByteArray("line 1\nline 2\nline 3\nline 4\nline 5\n"));
        QCOMPARE(finished.size(), 0);
        m_clock->advance(1000);
        text += (*stream)->read();
        QCOMPARE(finished.size(), 1);
        QVERIFY(finished.first().first().value<Status>().ok());
        QVERIFY(text.endsWith("line 9\n"));
        QCOMPARE(text.count('\n'), 9);
    }

    void logsPreviousAfterRestart()
    {
        const QJsonObject script{{QStringLiteral("logLinesPerSecond"), 10},
                                 {QStringLiteral("logLine"), QStringLiteral("restart {restart} line {n}")},
                                 {QStringLiteral("failAfterMs"), 1000},
                                 {QStringLiteral("failCount"), 1}};
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"), script)).ok());
        m_clock->advance(1500);
        QCOMPARE(containerStatus(pod()).value(QLatin1String("restartCount")).toInt(), 1);
        LogOptions previous;
        previous.previous = true;
        auto stream =
            m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), previous, this);
        QVERIFY(stream.ok());
        const QByteArray old = readAll(*stream);
        QVERIFY(old.startsWith("restart 0 line 1\n"));
        QVERIFY(!old.contains("restart 1"));
        auto current =
            m_provider->containerLogs(QStringLiteral("default"), QStringLiteral("web"), QString(), LogOptions(), this);
        QCOMPARE(
            readAll(*current),
            QByteArray("restart 1 line 1\nrestart 1 line 2\nrestart 1 line 3\nrestart 1 line 4\nrestart 1 line 5\n"));
    }

    // --- exec, attach, port-forward -----------------------------------------------------------------------------
    void execBuiltins_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<QByteArray>("err");
        QTest::addColumn<int>("exitCode");

        QTest::newRow("echo prints its arguments")
            << argv({"echo", "hello", "world"}) << QByteArray("hello world\n") << QByteArray() << 0;
        QTest::newRow("cat /etc/hostname is the pod name")
            << argv({"cat", "/etc/hostname"}) << QByteArray("web\n") << QByteArray() << 0;
        QTest::newRow("cat of an unknown file fails")
            << argv({"cat", "/nope"}) << QByteArray() << QByteArray("cat: /nope: No such file or directory\n") << 1;
        QTest::newRow("exit 3 ends with exit code 3")
            << argv({"sh", "-c", "exit 3"}) << QByteArray() << QByteArray() << 3;
        QTest::newRow("an unknown command is 127 with command not found")
            << argv({"nope", "--help"}) << QByteArray() << QByteArray("nope: command not found\n") << 127;
        QTest::newRow("sh -c expands env and follows && and ||")
            << argv({"/bin/sh", "-c", "echo \"$GREETING there\" && false || echo 'fallback $x'; exit"})
            << QByteArray("hi there\nfallback $x\n") << QByteArray() << 0;
        QTest::newRow("printenv prints one variable")
            << argv({"printenv", "GREETING"}) << QByteArray("hi\n") << QByteArray() << 0;
    }

    void execBuiltins()
    {
        QFETCH(QStringList, command);
        QFETCH(QByteArray, out);
        QFETCH(QByteArray, err);
        QFETCH(int, exitCode);
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        ExecRequest request{QStringLiteral("default"), QStringLiteral("web"), QStringLiteral("web"), command};
        auto session = m_provider->exec(request, this);
        QVERIFY(session.ok());
        const ExecOutcome outcome = runExec(*session);
        QCOMPARE(outcome.out, out);
        QCOMPARE(outcome.err, err);
        QCOMPARE(outcome.exitCode, exitCode);
    }

    void execEnvListsTheContainersEnv()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        auto session =
            m_provider->exec({QStringLiteral("default"), QStringLiteral("web"), {}, {QStringLiteral("env")}}, this);
        QVERIFY(session.ok());
        const ExecOutcome outcome = runExec(*session);
        QVERIFY(outcome.out.contains("\nGREETING=hi\n"));
        QVERIFY(outcome.out.contains("HOSTNAME=web\n"));
        QCOMPARE(outcome.exitCode, 0);
    }

    void execSleepUsesTheClock()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        auto session = m_provider->exec(
            {QStringLiteral("default"), QStringLiteral("web"), {}, {QStringLiteral("sleep"), QStringLiteral("5")}},
            this);
        QVERIFY(session.ok());
        QSignalSpy finished(*session, &provider::ExecSession::finished);
        QCoreApplication::processEvents();
        QCOMPARE(finished.size(), 0);
        m_clock->advance(4999);
        QCoreApplication::processEvents();
        QCOMPARE(finished.size(), 0);
        m_clock->advance(1);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toInt(), 0);
    }

    void execInteractiveShellReadsStdin()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        ExecRequest request{QStringLiteral("default"), QStringLiteral("web"), {}, {QStringLiteral("sh")}, true};
        auto session = m_provider->exec(request, this);
        QVERIFY(session.ok());
        QCoreApplication::processEvents();
        ExecOutcome outcome = runExec(*session, "echo one\nnope\nexit 4\n");
        QCOMPARE(outcome.out, QByteArray("one\n"));
        QCOMPARE(outcome.err, QByteArray("nope: command not found\n"));
        QCOMPARE(outcome.exitCode, 4);

        request.tty = true;
        session = m_provider->exec(request, this);
        QVERIFY(session.ok());
        QCoreApplication::processEvents();
        outcome = runExec(*session, "echo hi\r", true);
        QCOMPARE(outcome.out, QByteArray("# echo hi\r\nhi\r\n# "));
        QCOMPARE(outcome.exitCode, 0);
    }

    void execCatCopiesStdinUntilItCloses()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        ExecRequest request{QStringLiteral("default"), QStringLiteral("web"), {}, {QStringLiteral("cat")}, true};
        auto session = m_provider->exec(request, this);
        QVERIFY(session.ok());
        QCoreApplication::processEvents();
        const ExecOutcome outcome = runExec(*session,
                                            "abc\x01"
                                            "def\n",
                                            true);
        QCOMPARE(outcome.out, QByteArray("abc\x01"
                                         "def\n"));
        QCOMPARE(outcome.exitCode, 0);
    }

    void execOnUnknownPodOrContainer()
    {
        auto none =
            m_provider->exec({QStringLiteral("default"), QStringLiteral("web"), {}, {QStringLiteral("env")}}, this);
        QVERIFY(!none);
        QCOMPARE(none.error().category(), ErrorCategory::NotFound);
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        auto wrong = m_provider->exec(
            {QStringLiteral("default"), QStringLiteral("web"), QStringLiteral("sidecar"), {QStringLiteral("env")}},
            this);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().category(), ErrorCategory::NotFound);
    }

    void attachStreamsLogLinesAndEchoesStdin()
    {
        const QJsonObject script{{QStringLiteral("logLinesPerSecond"), 10},
                                 {QStringLiteral("logLine"), QStringLiteral("line {n}")},
                                 {QStringLiteral("runMs"), 1000},
                                 {QStringLiteral("exitCode"), 2}};
        QVERIFY(
            create(makePod(QStringLiteral("default"), QStringLiteral("web"), script, QStringLiteral("Never"))).ok());
        m_clock->advance(500);
        ExecRequest request{QStringLiteral("default"), QStringLiteral("web"), {}, {}, true};
        auto session = m_provider->attach(request, this);
        QVERIFY(session.ok());
        QByteArray out;
        connect(*session, &provider::ExecSession::stdoutData, this, [&out](const QByteArray& d) { out += d; });
        QSignalSpy finished(*session, &provider::ExecSession::finished);
        m_clock->advance(200);
        (*session)->writeStdin("typed\n");
        QTRY_COMPARE(out, QByteArray("line 6\nline 7\ntyped\n"));
        m_clock->advance(1000);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toInt(), 2);
    }

    void portForwardEchoes()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        auto refused = m_provider->portForward(QStringLiteral("default"), QStringLiteral("web"), 81, this);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().contains(QStringLiteral("connection refused")));
        auto stream = m_provider->portForward(QStringLiteral("default"), QStringLiteral("web"), 80, this);
        QVERIFY(stream.ok());
        QByteArray received;
        connect(*stream, &provider::PortForwardStream::dataReceived, this,
                [&received](const QByteArray& d) { received += d; });
        QSignalSpy closed(*stream, &provider::PortForwardStream::closed);
        (*stream)->write("GET / HTTP/1.0\r\n\r\n");
        QTRY_COMPARE(received, QByteArray("GET / HTTP/1.0\r\n\r\n"));
        (*stream)->close();
        QTRY_COMPARE(closed.size(), 1);
    }

    // --- stats and metrics ------------------------------------------------------------------------------------------
    void statsSummaryShape()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        QVERIFY(create(makePod(QStringLiteral("kube-system"), QStringLiteral("dns"))).ok());
        m_clock->advance(10000);
        std::optional<Result<QJsonObject>> summary;
        m_provider->statsSummary(this, [&summary](Result<QJsonObject> r) { summary = r; });
        QVERIFY(summary && summary->ok());
        const QJsonObject node = (*summary)->value(QLatin1String("node")).toObject();
        QCOMPARE(node.value(QLatin1String("nodeName")).toString(), QStringLiteral("vk-node"));
        QCOMPARE(node.value(QLatin1String("startTime")).toString(), QStringLiteral("2026-01-01T00:00:00Z"));
        QVERIFY(json::at(node, {QLatin1String("cpu"), QLatin1String("usageNanoCores")}).toDouble() > 0);
        QVERIFY(json::at(node, {QLatin1String("memory"), QLatin1String("workingSetBytes")}).toDouble() > 0);
        QVERIFY(json::at(node, {QLatin1String("memory"), QLatin1String("availableBytes")}).toDouble() > 0);
        const QJsonArray pods = (*summary)->value(QLatin1String("pods")).toArray();
        QCOMPARE(pods.size(), 2);
        const QJsonObject web = pods[0].toObject();
        QCOMPARE(json::at(web, {QLatin1String("podRef"), QLatin1String("name")}).toString(), QStringLiteral("web"));
        QCOMPARE(json::at(web, {QLatin1String("podRef"), QLatin1String("namespace")}).toString(),
                 QStringLiteral("default"));
        QCOMPARE(json::at(web, {QLatin1String("podRef"), QLatin1String("uid")}).toString(),
                 QStringLiteral("uid-default-web"));
        const QJsonObject container = web.value(QLatin1String("containers")).toArray()[0].toObject();
        QCOMPARE(container.value(QLatin1String("name")).toString(), QStringLiteral("web"));
        const double nanoCores =
            json::at(container, {QLatin1String("cpu"), QLatin1String("usageNanoCores")}).toDouble();
        QVERIFY(nanoCores >= 5e6 && nanoCores < 2e8);
        QCOMPARE(json::at(container, {QLatin1String("cpu"), QLatin1String("usageCoreNanoSeconds")}).toDouble(),
                 nanoCores * 10);
        const double workingSet =
            json::at(container, {QLatin1String("memory"), QLatin1String("workingSetBytes")}).toDouble();
        QVERIFY(workingSet > 0);
        QVERIFY(json::at(container, {QLatin1String("memory"), QLatin1String("usageBytes")}).toDouble() >= workingSet);
        QCOMPARE(json::at(web, {QLatin1String("cpu"), QLatin1String("usageNanoCores")}).toDouble(), nanoCores);
        QCOMPARE(json::at(container, {QLatin1String("cpu"), QLatin1String("time")}).toString(),
                 QStringLiteral("2026-01-01T00:00:10Z"));

        // deterministic: the same again
        std::optional<Result<QJsonObject>> again;
        m_provider->statsSummary(this, [&again](Result<QJsonObject> r) { again = r; });
        QCOMPARE(**again, **summary);
    }

    void metricsResourceNames()
    {
        QVERIFY(create(makePod(QStringLiteral("default"), QStringLiteral("web"))).ok());
        m_clock->advance(2000);
        std::optional<Result<QByteArray>> metrics;
        m_provider->metricsResource(this, [&metrics](Result<QByteArray> r) { metrics = r; });
        QVERIFY(metrics && metrics->ok());
        const QByteArray text = **metrics;
        const QByteArray ts = " 1767225602000\n";
        for (const char* family :
             {"container_cpu_usage_seconds_total counter", "container_memory_working_set_bytes gauge",
              "container_start_time_seconds gauge", "node_cpu_usage_seconds_total counter",
              "node_memory_working_set_bytes gauge", "pod_cpu_usage_seconds_total counter",
              "pod_memory_working_set_bytes gauge", "scrape_error gauge"})
            QVERIFY2(text.contains(QByteArray(QByteArray("# TYPE ") + family + '\n')), family);
        QVERIFY(text.contains("# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node"));
        QVERIFY(
            text.contains("container_cpu_usage_seconds_total{container=\"web\",namespace=\"default\",pod=\"web\"} "));
        QVERIFY(text.contains(QByteArray(
            "container_start_time_seconds{container=\"web\",namespace=\"default\",pod=\"web\"} 1767225600" + ts)));
        QVERIFY(text.contains("pod_memory_working_set_bytes{namespace=\"default\",pod=\"web\"} "));
        QVERIFY(text.contains("scrape_error 0\n"));
        const int node = int(text.indexOf("\nnode_memory_working_set_bytes "));
        QVERIFY(node > 0);
        QVERIFY(text.mid(node + 1, text.indexOf('\n', node + 1) - node).endsWith(ts));
    }
};

QTEST_GUILESS_MAIN(TestMockProvider)
#include "tst_mockprovider.moc"
