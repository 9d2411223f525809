// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"
#include "core/Json.h"
#include "env/EnvResolver.h"
#include "kube/ApiClient.h"
#include "kube/EventRecorder.h"
#include "kube/Informer.h"
#include "pods/PodController.h"
#include "pods/WorkQueue.h"
#include "provider/Provider.h"
#include "support/SandboxFixture.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using vk::Error;
using vk::ErrorCategory;
using vk::ManualClock;
using vk::Result;
using vk::Status;
using vk::kube::ApiClient;
using vk::kube::GroupVersionResource;
using vk::pods::PodController;
namespace provider = vk::provider;

namespace {

QString keyOf(const QJsonObject& pod)
{
    const QJsonObject meta = pod.value(QLatin1String("metadata")).toObject();
    return meta.value(QLatin1String("namespace")).toString() + QLatin1Char('/') +
           meta.value(QLatin1String("name")).toString();
}

QString rvOf(const QJsonObject& object)
{
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString();
}

/// An in-memory provider: answers asynchronously, starts pods one event-loop turn after createPod (Pending first,
/// then Running), terminates them on deletePod; pushes status changes when `push` is set.
class FakeProvider final : public provider::Provider
{
public:
    explicit FakeProvider(bool push) : m_push(push) {}

    QString name() const override { return QStringLiteral("fake"); }
    provider::Capabilities capabilities() const override
    {
        return m_push ? provider::Capabilities(provider::Capability::PodStatusPush) : provider::Capabilities();
    }
    void configureNode(QJsonObject&) override {}

    void createPod(const QJsonObject& pod, QObject* context, provider::Done done) override
    {
        ++createCalls;
        created << pod;
        if (failCreates > 0) {
            --failCreates;
            later(context, [done] { done(Error::internal(QStringLiteral("backend is full"))); });
            return;
        }
        const QString key = keyOf(pod);
        QJsonObject stored = pod;
        stored.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Pending")}});
        pods.insert(key, stored);
        deletedKeys.remove(key);
        later(context, [done] { done({}); });
        later(this, [this, key] {
            if (!pods.contains(key) || deletedKeys.contains(key))
                return;
            setStatus(key, runningStatus(pods.value(key)));
        });
    }
    void updatePod(const QJsonObject& pod, QObject* context, provider::Done done) override
    {
        ++updateCalls;
        const QString key = keyOf(pod);
        QJsonObject stored = pod;
        stored.insert(QStringLiteral("status"), pods.value(key).value(QLatin1String("status")));
        pods.insert(key, stored);
        later(context, [done] { done({}); });
    }
    void deletePod(const QJsonObject& pod, QObject* context, provider::Done done) override
    {
        ++deleteCalls;
        const QString key = keyOf(pod);
        deleted << key;
        if (!pods.contains(key) || deletedKeys.contains(key)) {
            later(context, [done, key] { done(Error::notFound(QStringLiteral("pod %1 not found").arg(key))); });
            return;
        }
        if (failDeletes) {
            later(context, [done] { done(Error::internal(QStringLiteral("backend unreachable"))); });
            return;
        }
        if (!terminateOnDelete) {
            later(context, [done] { done({}); }); // acknowledged, but the containers keep running
            return;
        }
        deletedKeys.insert(key);
        QJsonObject status = pods.value(key).value(QLatin1String("status")).toObject();
        QJsonArray containers = status.value(QLatin1String("containerStatuses")).toArray();
        for (int i = 0; i < containers.size(); ++i) {
            QJsonObject cs = containers[i].toObject();
            cs.insert(QStringLiteral("ready"), false);
            cs.insert(QStringLiteral("started"), false);
            cs.insert(QStringLiteral("state"),
                      QJsonObject{{QStringLiteral("terminated"),
                                   QJsonObject{{QStringLiteral("exitCode"), 0},
                                               {QStringLiteral("reason"), QStringLiteral("Completed")},
                                               {QStringLiteral("finishedAt"), now()}}}});
            containers[i] = cs;
        }
        status.insert(QStringLiteral("containerStatuses"), containers);
        status.insert(QStringLiteral("phase"), QStringLiteral("Succeeded"));
        setStatus(key, status);
        later(context, [done] { done({}); });
    }
    void getPod(const QString& ns, const QString& name, QObject* context, provider::Callback<QJsonObject> done) override
    {
        const QString key = ns + QLatin1Char('/') + name;
        const bool known = pods.contains(key) && !deletedKeys.contains(key);
        const QJsonObject pod = pods.value(key);
        later(context, [=] {
            if (known)
                done(pod);
            else
                done(Error::notFound(QStringLiteral("pod %1 not found").arg(key)));
        });
    }
    void getPodStatus(const QString& ns,
                      const QString& name,
                      QObject* context,
                      provider::Callback<QJsonObject> done) override
    {
        ++statusCalls;
        const QString key = ns + QLatin1Char('/') + name;
        const bool known = pods.contains(key);
        const QJsonObject status = pods.value(key).value(QLatin1String("status")).toObject();
        later(context, [=] {
            if (known)
                done(status);
            else
                done(Error::notFound(QStringLiteral("pod %1 not found").arg(key)));
        });
    }
    void listPods(QObject* context, provider::Callback<QList<QJsonObject>> done) override
    {
        QList<QJsonObject> list;
        for (auto it = pods.cbegin(); it != pods.cend(); ++it)
            if (!deletedKeys.contains(it.key()))
                list << it.value();
        later(context, [done, list] { done(list); });
    }

    static QString now() { return vk::json::formatTime(QDateTime::currentDateTimeUtc()); }

    QJsonObject runningStatus(const QJsonObject& pod) const
    {
        QJsonArray containers;
        const QJsonArray specContainers =
            pod.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray();
        for (const QJsonValue& c : specContainers) {
            const QJsonObject container = c.toObject();
            const QString name = container.value(QLatin1String("name")).toString();
            containers.append(QJsonObject{
                {QStringLiteral("name"), name},
                {QStringLiteral("image"), container.value(QLatin1String("image"))},
                {QStringLiteral("imageID"), QString()},
                {QStringLiteral("containerID"), QStringLiteral("fake://%1/%2").arg(keyOf(pod), name)},
                {QStringLiteral("ready"), true},
                {QStringLiteral("started"), true},
                {QStringLiteral("restartCount"), 0},
                {QStringLiteral("state"),
                 QJsonObject{{QStringLiteral("running"), QJsonObject{{QStringLiteral("startedAt"), now()}}}}}});
        }
        QJsonArray conditions;
        for (const char* type : {"Initialized", "Ready", "ContainersReady", "PodScheduled"})
            conditions.append(QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type)},
                                          {QStringLiteral("status"), QStringLiteral("True")},
                                          {QStringLiteral("lastTransitionTime"), now()}});
        return QJsonObject{
            {QStringLiteral("phase"), QStringLiteral("Running")},
            {QStringLiteral("hostIP"), QStringLiteral("10.0.0.1")},
            {QStringLiteral("podIP"), QStringLiteral("10.1.0.7")},
            {QStringLiteral("podIPs"), QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("10.1.0.7")}}}},
            {QStringLiteral("startTime"), now()},
            {QStringLiteral("conditions"), conditions},
            {QStringLiteral("containerStatuses"), containers}};
    }

    void setStatus(const QString& key, const QJsonObject& status)
    {
        QJsonObject pod = pods.value(key);
        pod.insert(QStringLiteral("status"), status);
        pods.insert(key, pod);
        if (m_push)
            later(this, [this, pod] { Q_EMIT podStatusChanged(pod); });
    }

    template <typename F>
    static void later(QObject* context, F fn)
    {
        QMetaObject::invokeMethod(context, std::move(fn), Qt::QueuedConnection);
    }

    QHash<QString, QJsonObject> pods;
    QSet<QString> deletedKeys;
    QList<QJsonObject> created;
    QStringList deleted;
    int createCalls = 0;
    int updateCalls = 0;
    int deleteCalls = 0;
    int statusCalls = 0;
    int failCreates = 0;
    bool terminateOnDelete = true;
    bool failDeletes = false;

private:
    bool m_push;
};

/// Waits (event loop running) for an asynchronous API call.
Result<QJsonObject> await(const std::function<void(ApiClient::JsonCallback)>& call)
{
    std::optional<Result<QJsonObject>> out;
    QEventLoop loop;
    call([&](Result<QJsonObject> r) {
        out = std::move(r);
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        return Error(ErrorCategory::Timeout, QStringLiteral("no answer within 15 s"));
    return *out;
}

} // namespace

class TestPodController : public QObject
{
    Q_OBJECT

private:
    vk::test::SandboxFixture m_fixture;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ApiClient> m_agentClient;
    std::unique_ptr<vk::kube::EventRecorder> m_events;
    std::unique_ptr<vk::env::EnvResolver> m_env;
    std::unique_ptr<FakeProvider> m_provider;
    std::unique_ptr<PodController> m_controller;
    QString m_node;

    QString m_id;
    int m_counter = 0;

    /// A name unique to the running test function and row ("t3-async"), set by setUpAgent().
    QString id() const { return m_id; }

    void setUpAgent(bool push, int providerFailedAfter = 5)
    {
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        m_id = QStringLiteral("t%1").arg(++m_counter) + (tag.isEmpty() ? QString() : QLatin1Char('-') + tag);
        m_node = QStringLiteral("vk-") + id();
        m_clock = std::make_unique<ManualClock>();
        m_agentClient = m_fixture.newClient();
        m_events = std::make_unique<vk::kube::EventRecorder>(m_agentClient.get(),
                                                             m_node + QStringLiteral("/pod-controller"), m_node);
        m_env = std::make_unique<vk::env::EnvResolver>(m_agentClient.get(), m_events.get());
        m_provider = std::make_unique<FakeProvider>(push);
        m_providerFailedAfter = providerFailedAfter;
        makeController();
    }

    int m_providerFailedAfter = 5;

    void makeController()
    {
        const int providerFailedAfter = m_providerFailedAfter;
        PodController::Options o;
        o.nodeName = m_node;
        o.hostIp = QStringLiteral("10.0.0.1");
        o.workers = 3;
        o.clock = m_clock.get();
        o.providerFailedAfter = providerFailedAfter;
        m_controller =
            std::make_unique<PodController>(m_agentClient.get(), m_provider.get(), m_env.get(), m_events.get(), o);
    }

    void startAgent()
    {
        QSignalSpy ready(m_controller.get(), &PodController::ready);
        m_controller->start();
        QVERIFY(ready.wait(10000));
        QVERIFY(m_controller->isReady());
    }

    QJsonObject podObject(const QString& name, const QJsonArray& env = {}) const
    {
        QJsonObject container{{QStringLiteral("name"), QStringLiteral("c")},
                              {QStringLiteral("image"), QStringLiteral("nginx:1.25")}};
        if (!env.isEmpty())
            container.insert(QStringLiteral("env"), env);
        return QJsonObject{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), QStringLiteral("default")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("nodeName"), m_node}, {QStringLiteral("containers"), QJsonArray{container}}}}};
    }

    Result<QJsonObject> createPod(const QJsonObject& pod)
    {
        return await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().create(GroupVersionResource::pods(), QStringLiteral("default"), pod, this, cb);
        });
    }
    Result<QJsonObject> getPod(const QString& name)
    {
        return await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().get(GroupVersionResource::pods(), QStringLiteral("default"), name, this, cb);
        });
    }
    QJsonObject apiStatus(const QString& name)
    {
        Result<QJsonObject> pod = getPod(name);
        return pod ? pod->value(QLatin1String("status")).toObject() : QJsonObject();
    }
    QString phase(const QString& name) { return apiStatus(name).value(QLatin1String("phase")).toString(); }
    bool gone(const QString& name)
    {
        Result<QJsonObject> pod = getPod(name);
        return !pod && pod.error().category() == ErrorCategory::NotFound;
    }
    /// Reasons of the events about a pod, oldest first.
    QStringList eventReasons(const QString& podName)
    {
        Result<QJsonObject> list = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().list(GroupVersionResource::events(), QStringLiteral("default"), {}, this, cb);
        });
        QStringList reasons;
        if (!list)
            return reasons;
        const QJsonArray items = list->value(QLatin1String("items")).toArray();
        for (const QJsonValue& v : items) {
            const QJsonObject e = v.toObject();
            if (e.value(QLatin1String("involvedObject")).toObject().value(QLatin1String("name")).toString() == podName)
                reasons << e.value(QLatin1String("reason")).toString();
        }
        return reasons;
    }
    bool idle() const
    {
        return m_controller->syncQueue()->isIdle() && m_controller->statusQueue()->processingLength() == 0;
    }
    /// Moves the agent's clock on by one second (status polls every 5 s, backoff, resync).
    bool tick(qint64 ms = 1000)
    {
        m_clock->advance(ms);
        return true;
    }

    /// Creates the pod and waits until the provider runs it and the API shows it Running.
    void createRunning(const QString& name)
    {
        Result<QJsonObject> created = createPod(podObject(name));
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_provider->createCalls, 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT((tick(), phase(name) == QLatin1String("Running")), 15000);
    }

    /// The controller's pod informer: stopping it freezes the agent's view of the API (the cache is kept), which
    /// makes "the watch has not delivered it yet" deterministic.
    vk::kube::Informer* informer() const { return m_controller->findChild<vk::kube::Informer*>(); }
    /// How many of the agent's requests with this method got this HTTP status (from ApiClient::requestCompleted).
    static int answered(const QSignalSpy& spy, const QByteArray& method, int status)
    {
        int n = 0;
        for (const QList<QVariant>& call : spy)
            n += call.at(0).toByteArray() == method && call.at(2).toInt() == status;
        return n;
    }
    /// The provider reports `status` for the pod: pushed, or found by the next poll (the clock moves 5 s).
    void providerReports(const QString& key, const QJsonObject& status, bool push)
    {
        m_provider->setStatus(key, status);
        if (!push)
            tick(5000);
    }
    QJsonObject runningWithPodIp(const QString& key, const QString& ip) const
    {
        QJsonObject status = m_provider->pods.value(key).value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("podIP"), ip);
        status.insert(QStringLiteral("podIPs"), QJsonArray{QJsonObject{{QStringLiteral("ip"), ip}}});
        return status;
    }
    bool agentSeesPhase(const QString& name, const QString& wanted) const
    {
        for (const QJsonObject& p : m_controller->pods()) {
            if (p.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString() == name)
                return p.value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString() == wanted;
        }
        return false;
    }

    static void matrix()
    {
        QTest::addColumn<bool>("push");
        QTest::newRow("async") << true;
        QTest::newRow("polling") << false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString err = m_fixture.start();
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }

    void cleanup()
    {
        if (m_controller)
            m_controller->stop();
        m_controller.reset();
        m_provider.reset();
        m_env.reset();
        m_events.reset();
        m_agentClient.reset();
        m_clock.reset();
    }

    void podOnTheNodeRunsAndItsStatusLandsInTheApi_data() { matrix(); }
    void podOnTheNodeRunsAndItsStatusLandsInTheApi()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        QCOMPARE(m_provider->createCalls, 1);
        QCOMPARE(m_provider->created.first()
                     .value(QLatin1String("spec"))
                     .toObject()
                     .value(QLatin1String("nodeName"))
                     .toString(),
                 m_node);

        const QJsonObject status = apiStatus(name);
        QCOMPARE(status.value(QLatin1String("podIP")).toString(), QStringLiteral("10.1.0.7"));
        QCOMPARE(status.value(QLatin1String("hostIP")).toString(), QStringLiteral("10.0.0.1"));
        QVERIFY(!status.value(QLatin1String("startTime")).toString().isEmpty());
        const QJsonArray cs = status.value(QLatin1String("containerStatuses")).toArray();
        QCOMPARE(cs.size(), 1);
        QCOMPARE(cs[0].toObject().value(QLatin1String("ready")).toBool(), true);
        QVERIFY(cs[0].toObject().value(QLatin1String("state")).toObject().contains(QLatin1String("running")));
        bool ready = false;
        const QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();
        for (const QJsonValue& c : conditions)
            ready |= c.toObject().value(QLatin1String("type")).toString() == QLatin1String("Ready") &&
                     c.toObject().value(QLatin1String("status")).toString() == QLatin1String("True");
        QVERIFY(ready);
        QTRY_VERIFY_WITH_TIMEOUT(eventReasons(name).contains(QStringLiteral("ProviderCreateSuccess")), 10000);

        // Nothing changes: no second create, no update, even across full re-syncs.
        for (int i = 0; i < 70; ++i)
            tick();
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->createCalls, 1);
        QCOMPARE(m_provider->updateCalls, 0);
    }

    void gracefulDeleteCompletesAsSoonAsTheProviderTerminated_data() { matrix(); }
    void gracefulDeleteCompletesAsSoonAsTheProviderTerminated()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);

        const qint64 clockBefore = m_clock->monotonicMs();
        QElapsedTimer wall;
        wall.start();
        // The default DeleteOptions: the pod's terminationGracePeriodSeconds (30 s).
        Result<QJsonObject> deleting = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().remove(GroupVersionResource::pods(), QStringLiteral("default"), name, this, cb);
        });
        QVERIFY(deleting.ok());
        QVERIFY(deleting->value(QLatin1String("metadata")).toObject().contains(QLatin1String("deletionTimestamp")));
        QTRY_VERIFY_WITH_TIMEOUT(gone(name), 5000);
        QVERIFY2(wall.elapsed() < 2000, qPrintable(QString::number(wall.elapsed())));
        QCOMPARE(m_clock->monotonicMs(), clockBefore); // not the grace-period fallback
        QVERIFY(m_provider->deleted.contains(QStringLiteral("default/") + name));
        QTRY_VERIFY_WITH_TIMEOUT(eventReasons(name).contains(QStringLiteral("ProviderDeleteSuccess")), 10000);
    }

    void forceDeleteDeletesThePodInTheProvider_data() { matrix(); }
    void forceDeleteDeletesThePodInTheProvider()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        vk::kube::DeleteOptions options;
        options.gracePeriodSeconds = 0;
        Result<QJsonObject> removed = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().remove(GroupVersionResource::pods(), QStringLiteral("default"), name, options, this, cb);
        });
        QVERIFY(removed.ok());
        QVERIFY(gone(name));
        QTRY_VERIFY_WITH_TIMEOUT(m_provider->deleted.contains(QStringLiteral("default/") + name), 10000);
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->createCalls, 1);
    }

    void providerCreateFailureIsRetriedAndReportedThenCleared_data() { matrix(); }
    void providerCreateFailureIsRetriedAndReportedThenCleared()
    {
        QFETCH(bool, push);
        setUpAgent(push, 3);
        m_provider->failCreates = 1000;
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        QVERIFY(createPod(podObject(name)).ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            (tick(), apiStatus(name).value(QLatin1String("reason")).toString() == QLatin1String("ProviderFailed")),
            15000);
        const QJsonObject failed = apiStatus(name);
        QCOMPARE(failed.value(QLatin1String("phase")).toString(), QStringLiteral("Pending"));
        QCOMPARE(failed.value(QLatin1String("message")).toString(), QStringLiteral("backend is full"));
        QVERIFY(m_provider->createCalls >= 3);
        QTRY_VERIFY_WITH_TIMEOUT(eventReasons(name).contains(QStringLiteral("ProviderCreateFailed")), 10000);
        QVERIFY(eventReasons(name).contains(QStringLiteral("ProviderFailed")));

        // Retried forever at the 30 s cap: beyond upstream's 21 attempts (MaxRetries 20), after which it gives up.
        QTRY_VERIFY_WITH_TIMEOUT((tick(30000), m_provider->createCalls >= 23), 30000);
        QCOMPARE(m_controller->syncQueue()->nextBackoffMs(QStringLiteral("default/") + name), 30000);
        QCOMPARE(phase(name), QStringLiteral("Pending"));

        // The backend recovers: the next attempt succeeds and the provider's Running status replaces ProviderFailed.
        m_provider->failCreates = 0;
        QTRY_VERIFY_WITH_TIMEOUT((tick(30000), phase(name) == QLatin1String("Running")), 20000);
        QVERIFY(!apiStatus(name).contains(QLatin1String("reason")));
        QCOMPARE(m_controller->providerFailures(QStringLiteral("default/") + name), 0);
        const int calls = m_provider->createCalls;
        for (int i = 0; i < 70; ++i)
            tick();
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->createCalls, calls);
    }

    void providerFailureOfARestartNeverPodMarksItFailed()
    {
        setUpAgent(true, 2);
        m_provider->failCreates = 1000;
        startAgent();
        const QString name = QStringLiteral("once-") + id();
        QJsonObject pod = podObject(name);
        QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
        spec.insert(QStringLiteral("restartPolicy"), QStringLiteral("Never"));
        pod.insert(QStringLiteral("spec"), spec);
        QVERIFY(createPod(pod).ok());
        QTRY_VERIFY_WITH_TIMEOUT((tick(), phase(name) == QLatin1String("Failed")), 10000);
        QCOMPARE(apiStatus(name).value(QLatin1String("reason")).toString(), QStringLiteral("ProviderFailed"));
        QCOMPARE(apiStatus(name).value(QLatin1String("message")).toString(), QStringLiteral("backend is full"));
        // Failed is terminal: no further attempts.
        const int calls = m_provider->createCalls;
        QCOMPARE(calls, 2);
        for (int i = 0; i < 70; ++i)
            tick();
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->createCalls, calls);
    }

    void startupReconcileDeletesOnlyPodsTheApiNoLongerHas_data() { matrix(); }
    void startupReconcileDeletesOnlyPodsTheApiNoLongerHas()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString a = QStringLiteral("a-") + id();
        const QString b = QStringLiteral("b-") + id();
        createRunning(a);
        QTRY_VERIFY(idle());

        // The agent goes away. Meanwhile A's container restarts, and B (deleted from the API while the agent was
        // down) still runs in the provider.
        m_controller->stop();
        m_controller.reset();
        const QString keyA = QStringLiteral("default/") + a;
        QJsonObject statusA = m_provider->pods.value(keyA).value(QLatin1String("status")).toObject();
        QJsonArray containers = statusA.value(QLatin1String("containerStatuses")).toArray();
        QJsonObject c0 = containers[0].toObject();
        c0.insert(QStringLiteral("restartCount"), 3);
        containers[0] = c0;
        statusA.insert(QStringLiteral("containerStatuses"), containers);
        QJsonObject podA = m_provider->pods.value(keyA);
        podA.insert(QStringLiteral("status"), statusA);
        m_provider->pods.insert(keyA, podA);
        QJsonObject runningB = podObject(b);
        QJsonObject metaB = runningB.value(QLatin1String("metadata")).toObject();
        metaB.insert(QStringLiteral("uid"), QStringLiteral("0b0b0b0b-0000-4000-8000-000000000000"));
        runningB.insert(QStringLiteral("metadata"), metaB);
        runningB.insert(QStringLiteral("status"), m_provider->runningStatus(runningB));
        m_provider->pods.insert(QStringLiteral("default/") + b, runningB);

        makeController();
        startAgent();
        QCOMPARE(m_provider->deleted, QStringList{QStringLiteral("default/") + b}); // before ready()
        auto restarts = [&] {
            return apiStatus(a)
                .value(QLatin1String("containerStatuses"))
                .toArray()[0]
                .toObject()
                .value(QLatin1String("restartCount"))
                .toInt();
        };
        QTRY_VERIFY_WITH_TIMEOUT((tick(), restarts() == 3), 15000);
        for (int i = 0; i < 70; ++i)
            tick();
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->createCalls, 1); // the first run's
        QCOMPARE(m_provider->updateCalls, 0);
        QCOMPARE(m_provider->deleted, QStringList{QStringLiteral("default/") + b});
        QCOMPARE(phase(a), QStringLiteral("Running"));
    }

    void terminalPodsAreNotCreated_data() { matrix(); }
    void terminalPodsAreNotCreated()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        QHash<QString, QString> names{{QStringLiteral("done-") + id(), QStringLiteral("Succeeded")},
                                      {QStringLiteral("failed-") + id(), QStringLiteral("Failed")}};
        for (auto it = names.cbegin(); it != names.cend(); ++it) {
            Result<QJsonObject> created = createPod(podObject(it.key()));
            QVERIFY(created.ok());
            QJsonObject pod = created.value();
            QJsonObject status = pod.value(QLatin1String("status")).toObject();
            status.insert(QStringLiteral("phase"), it.value());
            pod.insert(QStringLiteral("status"), status);
            Result<QJsonObject> written = await([&](ApiClient::JsonCallback cb) {
                m_fixture.client().updateStatus(GroupVersionResource::pods(), QStringLiteral("default"), pod, this, cb);
            });
            QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        }
        startAgent();
        QCOMPARE(m_controller->pods().size(), 2);
        for (int i = 0; i < 70; ++i)
            tick();
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->createCalls, 0);
        for (auto it = names.cbegin(); it != names.cend(); ++it)
            QCOMPARE(phase(it.key()), it.value());
    }

    void missingConfigMapKeepsThePodPendingUntilItIsCreated_data() { matrix(); }
    void missingConfigMapKeepsThePodPendingUntilItIsCreated()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        const QString cm = QStringLiteral("cfg-") + id();
        const QJsonArray env{QJsonObject{
            {QStringLiteral("name"), QStringLiteral("GREETING")},
            {QStringLiteral("valueFrom"),
             QJsonObject{
                 {QStringLiteral("configMapKeyRef"),
                  QJsonObject{{QStringLiteral("name"), cm}, {QStringLiteral("key"), QStringLiteral("greeting")}}}}}}};
        QVERIFY(createPod(podObject(name, env)).ok());
        const QString key = QStringLiteral("default/") + name;
        QTRY_VERIFY_WITH_TIMEOUT((tick(), m_controller->syncQueue()->failures(key) >= 2), 10000);
        QCOMPARE(m_provider->createCalls, 0);
        QCOMPARE(phase(name), QStringLiteral("Pending"));

        // The clock stands still from here: only the ConfigMap's appearance can un-block the pod.
        const QJsonObject configMap{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("name"), cm}, {QStringLiteral("namespace"), QStringLiteral("default")}}},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("greeting"), QStringLiteral("hello")}}}};
        Result<QJsonObject> made = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().create(GroupVersionResource::configMaps(), QStringLiteral("default"), configMap, this,
                                      cb);
        });
        QVERIFY(made.ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_provider->createCalls, 1, 10000);
        const QJsonObject sent = m_provider->created.first();
        const QJsonArray sentEnv = sent.value(QLatin1String("spec"))
                                       .toObject()
                                       .value(QLatin1String("containers"))
                                       .toArray()[0]
                                       .toObject()
                                       .value(QLatin1String("env"))
                                       .toArray();
        QJsonObject greeting;
        for (const QJsonValue& v : sentEnv)
            if (v.toObject().value(QLatin1String("name")).toString() == QLatin1String("GREETING"))
                greeting = v.toObject();
        QCOMPARE(greeting.value(QLatin1String("value")).toString(), QStringLiteral("hello"));
        QVERIFY(!greeting.contains(QLatin1String("valueFrom")));
    }

    void gracePeriodExpiryForceDeletesAPodThatKeepsRunning_data() { matrix(); }
    void gracePeriodExpiryForceDeletesAPodThatKeepsRunning()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        m_provider->terminateOnDelete = false;
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        Result<QJsonObject> deleting = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().remove(GroupVersionResource::pods(), QStringLiteral("default"), name, this, cb);
        });
        QVERIFY(deleting.ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_provider->deleted.contains(QStringLiteral("default/") + name), 10000);
        const qint64 start = m_clock->monotonicMs();
        // The provider keeps reporting Running: the pod stays (terminating) for its 30 s grace period...
        while (m_clock->monotonicMs() - start < 29000) {
            tick();
            QTest::qWait(0);
        }
        QTRY_VERIFY(idle());
        QVERIFY(!gone(name));
        // ...and is force-deleted when it expires, with its containers reported terminated.
        QSignalSpy changed(m_controller.get(), &PodController::podChanged);
        QTRY_VERIFY_WITH_TIMEOUT((tick(), gone(name)), 10000);
        QVERIFY(m_clock->monotonicMs() - start >= 30000);
        // The informer's watch may deliver the terminal status a moment after the pod is already gone for a GET.
        const auto terminatedSeen = [&changed] {
            for (const QList<QVariant>& args : changed) {
                const QJsonObject status = args.at(0).toJsonObject().value(QLatin1String("status")).toObject();
                if (PodController::statusTerminated(status))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY(terminatedSeen());
    }

    void failingProviderDeleteKeepsThePodTerminatingAndRetries_data() { matrix(); }
    void failingProviderDeleteKeepsThePodTerminatingAndRetries()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        m_provider->failDeletes = true;
        QVERIFY(await([&](ApiClient::JsonCallback cb) {
                    m_fixture.client().remove(GroupVersionResource::pods(), QStringLiteral("default"), name, this, cb);
                }).ok());
        // Well past the grace period: still retried, the pod stays terminating (nothing was stopped).
        const qint64 start = m_clock->monotonicMs();
        QTRY_VERIFY_WITH_TIMEOUT((tick(5000), m_clock->monotonicMs() - start >= 35000 && m_provider->deleteCalls >= 3),
                                 20000);
        Result<QJsonObject> pod = getPod(name);
        QVERIFY(pod.ok());
        QVERIFY(pod->value(QLatin1String("metadata")).toObject().contains(QLatin1String("deletionTimestamp")));
        QVERIFY(eventReasons(name).contains(QStringLiteral("ProviderDeleteFailed")));
        // The backend comes back: the deletion completes.
        m_provider->failDeletes = false;
        QTRY_VERIFY_WITH_TIMEOUT((tick(5000), gone(name)), 20000);
    }

    void deleteOfAPodTheProviderNoLongerHasCompletes()
    {
        setUpAgent(true);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        m_provider->pods.remove(QStringLiteral("default/") + name);
        QVERIFY(await([&](ApiClient::JsonCallback cb) {
                    m_fixture.client().remove(GroupVersionResource::pods(), QStringLiteral("default"), name, this, cb);
                }).ok());
        QTRY_VERIFY_WITH_TIMEOUT(gone(name), 5000); // no clock movement: not the grace period
        QCOMPARE(m_provider->deleted, QStringList{QStringLiteral("default/") + name});
    }

    void labelChangeUpdatesThePodInTheProvider_data() { matrix(); }
    void labelChangeUpdatesThePodInTheProvider()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        QCOMPARE(m_provider->updateCalls, 0);
        Result<QJsonObject> patched = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().patch(GroupVersionResource::pods(), QStringLiteral("default"), name,
                                     vk::kube::PatchType::Merge,
                                     QByteArrayLiteral("{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}"), this, cb);
        });
        QVERIFY(patched.ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_provider->updateCalls, 1, 10000);
        const QJsonObject inProvider = m_provider->pods.value(QStringLiteral("default/") + name);
        QCOMPARE(inProvider.value(QLatin1String("metadata"))
                     .toObject()
                     .value(QLatin1String("labels"))
                     .toObject()
                     .value(QLatin1String("tier"))
                     .toString(),
                 QStringLiteral("web"));
        QTRY_VERIFY_WITH_TIMEOUT(eventReasons(name).contains(QStringLiteral("ProviderUpdateSuccess")), 10000);
        for (int i = 0; i < 70; ++i)
            tick();
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->updateCalls, 1);
        QCOMPARE(m_provider->createCalls, 1);
    }

    void statusChangedBySomeoneElseIsPutBack_data() { matrix(); }
    void statusChangedBySomeoneElseIsPutBack()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        Result<QJsonObject> pod = getPod(name);
        QVERIFY(pod.ok());
        QJsonObject tampered = pod.value();
        QJsonObject status = tampered.value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("podIP"), QStringLiteral("192.0.2.1"));
        status.insert(QStringLiteral("podIPs"),
                      QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("192.0.2.1")}}});
        tampered.insert(QStringLiteral("status"), status);
        Result<QJsonObject> written = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().updateStatus(GroupVersionResource::pods(), QStringLiteral("default"), tampered, this,
                                            cb);
        });
        QVERIFY(written.ok());
        QTRY_COMPARE_WITH_TIMEOUT(apiStatus(name).value(QLatin1String("podIP")).toString(), QStringLiteral("10.1.0.7"),
                                  10000);
    }

    void echoesOfOwnStatusWritesAreTakenUnparsed_data() { matrix(); }
    void echoesOfOwnStatusWritesAreTakenUnparsed()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        QSignalSpy phases(m_controller.get(), &PodController::podPhaseChanged);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        const QString key = QStringLiteral("default/") + name;
        createRunning(name);
        // The echo of the write that made the pod Running was taken from the watch without parsing, whichever came
        // first, the write's answer or its echo; the informer has that version, and the phase was still told.
        QTRY_VERIFY(agentSeesPhase(name, QStringLiteral("Running")));
        QTRY_VERIFY(idle());
        QVERIFY(m_controller->ownEchoesTakenUnparsed() >= 1);
        QTRY_COMPARE(rvOf(informer()->get(key)), rvOf(getPod(name).value()));
        QVERIFY(!phases.isEmpty());
        QCOMPARE(phases.last().at(0).toString(), key);
        QCOMPARE(phases.last().at(1).toString(), QStringLiteral("Running"));

        // A version someone else makes after it is compared as ever: a label change reaches the provider.
        const quint64 taken = m_controller->ownEchoesTakenUnparsed();
        QJsonObject labelled = getPod(name).value();
        QJsonObject meta = labelled.value(QLatin1String("metadata")).toObject();
        meta.insert(QStringLiteral("labels"), QJsonObject{{QStringLiteral("tier"), QStringLiteral("gold")}});
        labelled.insert(QStringLiteral("metadata"), meta);
        Result<QJsonObject> updated = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().update(GroupVersionResource::pods(), QStringLiteral("default"), labelled, this, cb);
        });
        QVERIFY2(updated.ok(), qPrintable(updated.ok() ? QString() : updated.error().toString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_provider->updateCalls, 1, 10000);
        QCOMPARE(m_controller->ownEchoesTakenUnparsed(), taken);

        // With a receiver of podChanged every version is parsed for it, our echoes included.
        QSignalSpy changed(m_controller.get(), &PodController::podChanged);
        providerReports(key, runningWithPodIp(key, QStringLiteral("10.1.0.8")), push);
        QTRY_VERIFY_WITH_TIMEOUT(
            (tick(5), apiStatus(name).value(QLatin1String("podIP")).toString() == QLatin1String("10.1.0.8")), 10000);
        QTRY_VERIFY(!changed.isEmpty() && rvOf(changed.last().at(0).toJsonObject()) == rvOf(getPod(name).value()));
        QCOMPARE(m_controller->ownEchoesTakenUnparsed(), taken);
    }

    void terminalApiStatusIsNeverOverwritten_data() { matrix(); }
    void terminalApiStatusIsNeverOverwritten()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        Result<QJsonObject> pod = getPod(name);
        QVERIFY(pod.ok());
        QJsonObject finished = pod.value();
        QJsonObject status = finished.value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("phase"), QStringLiteral("Succeeded"));
        finished.insert(QStringLiteral("status"), status);
        QVERIFY(await([&](ApiClient::JsonCallback cb) {
                    m_fixture.client().updateStatus(GroupVersionResource::pods(), QStringLiteral("default"), finished,
                                                    this, cb);
                }).ok());
        // Once the agent has seen the terminal status (a status write racing the watch is not what this tests),
        // the provider still reports a (changed) Running status: it must not replace the terminal one.
        const QString key = QStringLiteral("default/") + name;
        auto agentSeesSucceeded = [&] {
            for (const QJsonObject& p : m_controller->pods()) {
                if (p.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString() == name)
                    return p.value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString() ==
                           QLatin1String("Succeeded");
            }
            return false;
        };
        QTRY_VERIFY(agentSeesSucceeded());
        QJsonObject running = m_provider->pods.value(key).value(QLatin1String("status")).toObject();
        running.insert(QStringLiteral("podIP"), QStringLiteral("10.1.0.8"));
        m_provider->setStatus(key, running);
        const int polls = m_provider->statusCalls;
        for (int i = 0; i < 20; ++i) {
            tick();
            QTest::qWait(0);
        }
        QTRY_VERIFY(idle());
        if (!push)
            QVERIFY(m_provider->statusCalls == polls); // terminal pods are not polled either
        QCOMPARE(phase(name), QStringLiteral("Succeeded"));
        QCOMPARE(apiStatus(name).value(QLatin1String("podIP")).toString(), QStringLiteral("10.1.0.7"));
        QCOMPARE(m_provider->createCalls, 1);
    }

    void sandboxRefusesAStalePatchWithKubesConflict()
    {
        // What the agent's status writes rely on: a merge PATCH carrying metadata.resourceVersion is a precondition.
        setUpAgent(true);
        const QString name = QStringLiteral("web-") + id();
        Result<QJsonObject> created = createPod(podObject(name));
        QVERIFY(created.ok());
        const QString staleRv =
            created->value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString();
        QJsonObject changed = created.value();
        changed.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")}});
        QVERIFY(await([&](ApiClient::JsonCallback cb) {
                    m_fixture.client().updateStatus(GroupVersionResource::pods(), QStringLiteral("default"), changed,
                                                    this, cb);
                }).ok());
        const QByteArray patch =
            "{\"metadata\":{\"resourceVersion\":\"" + staleRv.toUtf8() + "\"},\"status\":{\"podIP\":\"10.9.9.9\"}}";
        Result<QJsonObject> refused = await([&](ApiClient::JsonCallback cb) {
            m_fixture.client().patch(GroupVersionResource::pods(), QStringLiteral("default"), name,
                                     vk::kube::PatchType::Merge, patch, QStringLiteral("status"), this, cb);
        });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().category(), ErrorCategory::Conflict);
        // kube-api-captures/16-pod-update-stale-rv-409-conflict.txt
        QCOMPARE(refused.error().message(),
                 QStringLiteral("Operation cannot be fulfilled on pods \"%1\": the object has been modified; please "
                                "apply your changes to the latest version and try again")
                     .arg(name));
        QVERIFY(!apiStatus(name).contains(QLatin1String("podIP")));
    }

    void staleStatusWriteNeverRewritesATerminalStatus_data() { matrix(); }
    void staleStatusWriteNeverRewritesATerminalStatus()
    {
        // The race of issue 3: someone else writes a terminal status, and the provider reports a change before the
        // watch has delivered it. The agent's write, a diff from its stale cache, must not land on the terminal one.
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        const QString key = QStringLiteral("default/") + name;
        createRunning(name);
        QTRY_VERIFY(agentSeesPhase(name, QStringLiteral("Running")));
        QTRY_VERIFY(idle());
        informer()->stop(); // the watch lags: the agent still sees Running
        Result<QJsonObject> pod = getPod(name);
        QVERIFY(pod.ok());
        QJsonObject finished = pod.value();
        QJsonObject status = finished.value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("phase"), QStringLiteral("Succeeded"));
        finished.insert(QStringLiteral("status"), status);
        QVERIFY(await([&](ApiClient::JsonCallback cb) {
                    m_fixture.client().updateStatus(GroupVersionResource::pods(), QStringLiteral("default"), finished,
                                                    this, cb);
                }).ok());
        QSignalSpy requests(m_agentClient.get(), &ApiClient::requestCompleted);
        providerReports(key, runningWithPodIp(key, QStringLiteral("10.1.0.8")), push);
        QTRY_VERIFY_WITH_TIMEOUT(answered(requests, "PATCH", 200) + answered(requests, "PATCH", 409) > 0, 10000);
        QTRY_VERIFY(idle());
        for (int i = 0; i < 5; ++i) {
            tick();
            QTest::qWait(0);
        }
        QTRY_VERIFY(idle());
        QCOMPARE(phase(name), QStringLiteral("Succeeded"));
        QCOMPARE(apiStatus(name).value(QLatin1String("podIP")).toString(), QStringLiteral("10.1.0.7"));
        // The write was refused (409), the pod read back, and not retried once its terminal version was known.
        QCOMPARE(answered(requests, "PATCH", 200), 0);
        QCOMPARE(answered(requests, "PATCH", 409), 1);
        QCOMPARE(answered(requests, "GET", 200), 1);
        // Once the watch catches up nothing changes either.
        informer()->start();
        QTRY_VERIFY(agentSeesPhase(name, QStringLiteral("Succeeded")));
        for (int i = 0; i < 10; ++i) {
            tick();
            QTest::qWait(0);
        }
        QTRY_VERIFY(idle());
        QCOMPARE(answered(requests, "PATCH", 200), 0);
        QCOMPARE(phase(name), QStringLiteral("Succeeded"));
        QCOMPARE(apiStatus(name).value(QLatin1String("podIP")).toString(), QStringLiteral("10.1.0.7"));
    }

    void conflictingStatusWriteIsRetriedOnTheVersionReadBack_data() { matrix(); }
    void conflictingStatusWriteIsRetriedOnTheVersionReadBack()
    {
        // Someone else changes a non-terminal status the watch has not delivered: the agent's write conflicts, is
        // retried on the version read back, and the provider's status lands (never dropped).
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        const QString key = QStringLiteral("default/") + name;
        createRunning(name);
        QTRY_VERIFY(agentSeesPhase(name, QStringLiteral("Running")));
        QTRY_VERIFY(idle());
        informer()->stop();
        Result<QJsonObject> pod = getPod(name);
        QVERIFY(pod.ok());
        QJsonObject tampered = pod.value();
        QJsonObject status = tampered.value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("message"), QStringLiteral("written by someone else"));
        tampered.insert(QStringLiteral("status"), status);
        QVERIFY(await([&](ApiClient::JsonCallback cb) {
                    m_fixture.client().updateStatus(GroupVersionResource::pods(), QStringLiteral("default"), tampered,
                                                    this, cb);
                }).ok());
        QSignalSpy requests(m_agentClient.get(), &ApiClient::requestCompleted);
        providerReports(key, runningWithPodIp(key, QStringLiteral("10.1.0.8")), push);
        QTRY_VERIFY_WITH_TIMEOUT(
            (tick(5), apiStatus(name).value(QLatin1String("podIP")).toString() == QLatin1String("10.1.0.8")), 10000);
        QCOMPARE(answered(requests, "PATCH", 409), 1);
        QCOMPARE(answered(requests, "PATCH", 200), 1);
        const QJsonObject now = apiStatus(name);
        QCOMPARE(now.value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
        QVERIFY(!now.contains(QLatin1String("message"))); // the provider's status is what stands (#899)
        informer()->start();
    }

    void ownConsecutiveStatusWritesDoNotConflictWhileTheWatchLags_data() { matrix(); }
    void ownConsecutiveStatusWritesDoNotConflictWhileTheWatchLags()
    {
        QFETCH(bool, push);
        setUpAgent(push);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        const QString key = QStringLiteral("default/") + name;
        createRunning(name);
        QTRY_VERIFY(agentSeesPhase(name, QStringLiteral("Running")));
        QTRY_VERIFY(idle());
        informer()->stop(); // no echo of the agent's own writes arrives
        QSignalSpy requests(m_agentClient.get(), &ApiClient::requestCompleted);
        for (const char* ip : {"10.1.0.8", "10.1.0.9", "10.1.0.10"}) {
            providerReports(key, runningWithPodIp(key, QString::fromLatin1(ip)), push);
            QTRY_VERIFY_WITH_TIMEOUT(
                (tick(5), apiStatus(name).value(QLatin1String("podIP")).toString() == QLatin1String(ip)), 10000);
        }
        QCOMPARE(answered(requests, "PATCH", 200), 3);
        QCOMPARE(answered(requests, "PATCH", 409), 0); // each write starts from the version the previous one made
        informer()->start();
        QTRY_VERIFY(idle());
    }

    void podThePollingFindsGoneFromTheProviderIsFailedNotFound()
    {
        setUpAgent(false);
        startAgent();
        const QString name = QStringLiteral("web-") + id();
        createRunning(name);
        m_provider->pods.remove(QStringLiteral("default/") + name); // the backend lost it
        QTRY_VERIFY_WITH_TIMEOUT((tick(), phase(name) == QLatin1String("Failed")), 15000);
        const QJsonObject status = apiStatus(name);
        QCOMPARE(status.value(QLatin1String("reason")).toString(), QStringLiteral("NotFound"));
        QCOMPARE(status.value(QLatin1String("message")).toString(),
                 QStringLiteral("The pod status was not found and may have been deleted from the provider"));
        const QJsonObject terminated = status.value(QLatin1String("containerStatuses"))
                                           .toArray()[0]
                                           .toObject()
                                           .value(QLatin1String("state"))
                                           .toObject()
                                           .value(QLatin1String("terminated"))
                                           .toObject();
        QCOMPARE(terminated.value(QLatin1String("exitCode")).toInt(), -137);
        QCOMPARE(terminated.value(QLatin1String("reason")).toString(), QStringLiteral("NotFound"));
        QCOMPARE(terminated.value(QLatin1String("containerID")).toString(),
                 QStringLiteral("fake://default/%1/c").arg(name));
        for (int i = 0; i < 70; ++i)
            tick();
        QTRY_VERIFY(idle());
        QCOMPARE(m_provider->createCalls, 1); // a Failed pod is not re-created
    }

    void podsEqualAndFingerprintCompareEnvOrderInsensitively()
    {
        auto pod = [](const QJsonArray& env, const QString& image) {
            QJsonObject container{{QStringLiteral("name"), QStringLiteral("c")}, {QStringLiteral("image"), image}};
            if (!env.isEmpty() || image == QLatin1String("empty-env"))
                container.insert(QStringLiteral("env"), env);
            return QJsonObject{
                {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"), QJsonArray{container}}}}};
        };
        const QJsonObject x{{QStringLiteral("name"), QStringLiteral("X")},
                            {QStringLiteral("value"), QStringLiteral("1")}};
        const QJsonObject y{{QStringLiteral("name"), QStringLiteral("Y")},
                            {QStringLiteral("value"), QStringLiteral("2")}};
        // podsEqual and equal fingerprints must agree: what was sent to the provider is remembered by fingerprint.
        const auto same = [](const QJsonObject& a, const QJsonObject& b) {
            const bool equal = PodController::podsEqual(a, b);
            if (equal != (PodController::fingerprint(a) == PodController::fingerprint(b)))
                qWarning() << "podsEqual and fingerprint disagree on" << a << b;
            return equal && PodController::fingerprint(a) == PodController::fingerprint(b);
        };
        const auto differ = [](const QJsonObject& a, const QJsonObject& b) {
            return !PodController::podsEqual(a, b) && PodController::fingerprint(a) != PodController::fingerprint(b);
        };
        QVERIFY(same(pod({x, y}, QStringLiteral("a")), pod({y, x}, QStringLiteral("a"))));
        QVERIFY(differ(pod({x, y}, QStringLiteral("a")), pod({x, y}, QStringLiteral("b"))));
        QVERIFY(differ(pod({x}, QStringLiteral("a")), pod({x, y}, QStringLiteral("a"))));
        QVERIFY(differ(pod({x, x}, QStringLiteral("a")), pod({x}, QStringLiteral("a"))));
        QVERIFY(differ(pod({x, x}, QStringLiteral("a")), pod({y, y}, QStringLiteral("a"))));
        QVERIFY(same(pod({}, QStringLiteral("empty-env")), pod({}, QStringLiteral("empty-env"))));
        QJsonObject withEmptyEnv = pod({}, QStringLiteral("a"));
        QJsonObject container = vk::json::at(withEmptyEnv, {QLatin1String("spec"), QLatin1String("containers")})
                                    .toArray()
                                    .first()
                                    .toObject();
        container.insert(QStringLiteral("env"), QJsonArray());
        container.insert(QStringLiteral("envFrom"), QJsonArray());
        withEmptyEnv.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"), QJsonArray{container}}});
        QVERIFY(same(withEmptyEnv, pod({}, QStringLiteral("a")))); // an empty list is no list
        QJsonObject withStatus = pod({x}, QStringLiteral("a"));
        withStatus.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")}});
        QVERIFY(same(withStatus, pod({x}, QStringLiteral("a"))));
        QJsonObject labelled = pod({x}, QStringLiteral("a"));
        labelled.insert(
            QStringLiteral("metadata"),
            QJsonObject{{QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), QStringLiteral("w")}}}});
        QVERIFY(differ(labelled, pod({x}, QStringLiteral("a"))));
        QJsonObject annotated = pod({x}, QStringLiteral("a"));
        annotated.insert(
            QStringLiteral("metadata"),
            QJsonObject{{QStringLiteral("annotations"), QJsonObject{{QStringLiteral("app"), QStringLiteral("w")}}}});
        QVERIFY(differ(annotated, labelled)); // the same pair under labels or annotations
        QJsonObject init = pod({}, QStringLiteral("a"));
        init.insert(QStringLiteral("spec"),
                    QJsonObject{{QStringLiteral("initContainers"),
                                 vk::json::at(init, {QLatin1String("spec"), QLatin1String("containers")})}});
        QVERIFY(differ(init, pod({}, QStringLiteral("a")))); // the same container as an init container
    }
};

QTEST_GUILESS_MAIN(TestPodController)
#include "tst_podcontroller.moc"
