// SPDX-License-Identifier: Apache-2.0
#include "FakeApiServer.h"
#include "TestUtil.h"

#include "core/Clock.h"
#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kube/EventRecorder.h"

#include <QPointer>
#include <QTest>

using namespace vk;
using namespace vk::kube;
using namespace vk::test;

namespace {

QJsonObject pod(const QString& name)
{
    QJsonObject object = podObject(QStringLiteral("default"), name, QStringLiteral("7"));
    object.insert(QStringLiteral("kind"), QStringLiteral("Pod"));
    object.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
    return object;
}

} // namespace

class EventRecorderTest : public QObject
{
    Q_OBJECT

private:
    FakeApiServer m_server;
    QList<QPointer<FakeExchange>> m_held; ///< requests not answered yet (when holding)
    bool m_hold = false;
    std::unique_ptr<ApiClient> m_client;

    void answer(FakeExchange* e) { e->respondJson(e->request().method == "POST" ? 201 : 200, e->request().json()); }

    void releaseAll()
    {
        const auto held = m_held;
        m_held.clear();
        for (const auto& e : held)
            if (e)
                answer(e);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        m_server.setHandler([this](FakeExchange* e) {
            if (m_hold)
                m_held.append(e);
            else
                answer(e);
        });
    }

    void init()
    {
        m_server.clearRequests();
        m_held.clear();
        m_hold = false;
        ApiClient::Options options;
        options.qps = 0;
        m_client = std::make_unique<ApiClient>(connectionTo(m_server.url()), options);
    }

    void writesOneAtATimeInOrder()
    {
        EventRecorder recorder(m_client.get(), QStringLiteral("vk-1/pod-controller"), QStringLiteral("vk-1"));
        m_hold = true;
        for (int i = 0; i < 5; ++i)
            recorder.record(pod(QStringLiteral("p%1").arg(i)), QStringLiteral("Normal"),
                            QStringLiteral("ProviderCreateSuccess"), QStringLiteral("Create pod in provider"));
        QCOMPARE(recorder.writesInFlight(), 1);
        QCOMPARE(recorder.queuedWrites(), 4);
        QTRY_COMPARE(m_server.requestCount(), 1);
        QCOMPARE(recorder.queuedWrites(), 4); // still waiting while the first is unanswered
        m_hold = false;
        releaseAll();
        QTRY_COMPARE(m_server.requestCount(), 5);
        QTRY_COMPARE(recorder.writesInFlight(), 0);
        QCOMPARE(recorder.queuedWrites(), 0);
        const QList<FakeRequest> requests = m_server.requests();
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(requests[i].method, QByteArray("POST"));
            QCOMPARE(requests[i].path, QByteArray("/api/v1/namespaces/default/events"));
            const QJsonObject involved = requests[i].json().value(QLatin1String("involvedObject")).toObject();
            QCOMPARE(involved.value(QLatin1String("name")).toString(), QStringLiteral("p%1").arg(i));
            QCOMPARE(requests[i].json().value(QLatin1String("count")).toInt(), 1);
        }
        // The whole Event of one that waited in the queue, as client-go's recorder writes it.
        QJsonObject last = requests[4].json();
        const QString name = json::at(last, {QLatin1String("metadata"), QLatin1String("name")}).toString();
        QVERIFY2(name.startsWith(QLatin1String("p4.")), qPrintable(name));
        const QString first = last.value(QLatin1String("firstTimestamp")).toString();
        QVERIFY(json::parseTime(first).isValid());
        QCOMPARE(last.value(QLatin1String("lastTimestamp")).toString(), first);
        const QJsonObject involved = last.value(QLatin1String("involvedObject")).toObject();
        QCOMPARE(involved, (QJsonObject{{QStringLiteral("kind"), QStringLiteral("Pod")},
                                        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                        {QStringLiteral("namespace"), QStringLiteral("default")},
                                        {QStringLiteral("name"), QStringLiteral("p4")},
                                        {QStringLiteral("uid"), QStringLiteral("uid-p4")},
                                        {QStringLiteral("resourceVersion"), QStringLiteral("7")}}));
        for (const char* key : {"metadata", "involvedObject", "firstTimestamp", "lastTimestamp"})
            last.remove(QLatin1String(key));
        QCOMPARE(last, (QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                    {QStringLiteral("kind"), QStringLiteral("Event")},
                                    {QStringLiteral("reason"), QStringLiteral("ProviderCreateSuccess")},
                                    {QStringLiteral("message"), QStringLiteral("Create pod in provider")},
                                    {QStringLiteral("source"),
                                     QJsonObject{{QStringLiteral("component"), QStringLiteral("vk-1/pod-controller")},
                                                 {QStringLiteral("host"), QStringLiteral("vk-1")}}},
                                    {QStringLiteral("count"), 1},
                                    {QStringLiteral("type"), QStringLiteral("Normal")},
                                    {QStringLiteral("reportingComponent"), QStringLiteral("vk-1/pod-controller")},
                                    {QStringLiteral("reportingInstance"), QStringLiteral("vk-1")}}));
    }

    void repeatsWhileQueuedFoldIntoTheQueuedCreate()
    {
        EventRecorder recorder(m_client.get(), QStringLiteral("vk-1/pod-controller"), QStringLiteral("vk-1"));
        m_hold = true;
        const auto recordFailure = [&](const QString& name) {
            recorder.record(pod(name), QStringLiteral("Warning"), QStringLiteral("ProviderCreateFailed"),
                            QStringLiteral("quota exceeded"));
        };
        recordFailure(QStringLiteral("first")); // sent at once, held by the server
        recordFailure(QStringLiteral("second"));
        recordFailure(QStringLiteral("second"));
        recordFailure(QStringLiteral("second"));
        QCOMPARE(recorder.queuedWrites(), 1);
        m_hold = false;
        releaseAll();
        QTRY_COMPARE(m_server.requestCount(), 2);
        QTRY_COMPARE(recorder.writesInFlight(), 0);
        const FakeRequest create = m_server.requests().at(1);
        QCOMPARE(create.method, QByteArray("POST"));
        QCOMPARE(create.json().value(QLatin1String("count")).toInt(), 3);
        const QString eventName =
            create.json().value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();

        // A repeat after the create was sent bumps the existing event.
        recordFailure(QStringLiteral("second"));
        QTRY_COMPARE(m_server.requestCount(), 3);
        const FakeRequest bump = m_server.requests().at(2);
        QCOMPARE(bump.method, QByteArray("PATCH"));
        QCOMPARE(bump.path, QByteArray("/api/v1/namespaces/default/events/") + eventName.toUtf8());
        QCOMPARE(bump.json().value(QLatin1String("count")).toInt(), 4);
    }

    void moreInFlightWhenAllowed()
    {
        EventRecorder recorder(m_client.get(), QStringLiteral("vk-1/pod-controller"), QStringLiteral("vk-1"));
        recorder.setMaxInFlight(3);
        m_hold = true;
        for (int i = 0; i < 5; ++i)
            recorder.record(pod(QStringLiteral("p%1").arg(i)), QStringLiteral("Normal"), QStringLiteral("Started"),
                            QStringLiteral("started"));
        QCOMPARE(recorder.writesInFlight(), 3);
        QTRY_COMPARE(m_server.requestCount(), 3);
        m_hold = false;
        releaseAll();
        QTRY_COMPARE(m_server.requestCount(), 5);
    }

    void fullQueueDropsNewEvents()
    {
        EventRecorder recorder(m_client.get(), QStringLiteral("vk-1/pod-controller"), QStringLiteral("vk-1"));
        recorder.setMaxQueued(2);
        m_hold = true;
        for (int i = 0; i < 5; ++i)
            recorder.record(pod(QStringLiteral("p%1").arg(i)), QStringLiteral("Normal"), QStringLiteral("Started"),
                            QStringLiteral("started"));
        QCOMPARE(recorder.queuedWrites(), 2);
        QCOMPARE(recorder.droppedEvents(), 2);
        m_hold = false;
        releaseAll();
        QTRY_COMPARE(m_server.requestCount(), 3);
        QTRY_COMPARE(recorder.writesInFlight(), 0);
    }
};

QTEST_GUILESS_MAIN(EventRecorderTest)
#include "tst_eventrecorder.moc"
