// SPDX-License-Identifier: Apache-2.0
// kube::EventRecorder::setYieldWhile, which the pod controller uses so that event writes wait while pod status
// writes are queued (at most maxYieldMs at a time), against the sandbox.
#include "core/Clock.h"
#include "kube/ApiClient.h"
#include "kube/EventRecorder.h"
#include "support/SandboxFixture.h"

#include <QJsonArray>
#include <QTest>

using vk::ManualClock;
using vk::kube::ApiClient;
using vk::kube::EventRecorder;
using vk::kube::GroupVersionResource;

class TestEventYield : public QObject
{
    Q_OBJECT

private:
    vk::test::SandboxFixture m_fixture;
    std::unique_ptr<ApiClient> m_client;
    ManualClock m_clock;
    int m_counter = 0;

    QJsonObject pod(const QString& name) const
    {
        return QJsonObject{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                     {QStringLiteral("namespace"), QStringLiteral("default")},
                                                     {QStringLiteral("uid"), QString(name + QStringLiteral("-uid"))}}}};
    }
    /// Reasons of the events in the API about the pod.
    QStringList reasonsAbout(const QString& name)
    {
        QStringList reasons;
        bool answered = false;
        m_fixture.client().list(
            GroupVersionResource::events(), QStringLiteral("default"), {}, this, [&](vk::Result<QJsonObject> list) {
                answered = true;
                if (!list)
                    return;
                for (const QJsonValue& v : list->value(QLatin1String("items")).toArray()) {
                    const QJsonObject e = v.toObject();
                    if (e.value(QLatin1String("involvedObject")).toObject().value(QLatin1String("name")).toString() ==
                        name)
                        reasons << e.value(QLatin1String("reason")).toString();
                }
            });
        while (!answered)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        reasons.sort();
        return reasons;
    }
    QString uniqueName() { return QStringLiteral("yield-%1").arg(++m_counter); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString err = m_fixture.start();
        QVERIFY2(err.isEmpty(), qPrintable(err));
        m_client = m_fixture.newClient();
    }

    void eventsWaitWhileBusyAndAreWrittenOnResume()
    {
        EventRecorder events(m_client.get(), QStringLiteral("vk-y/pod-controller"), QStringLiteral("vk-y"), &m_clock);
        bool busy = true;
        events.setYieldWhile([&] { return busy; }, 1000);
        const QString name = uniqueName();
        events.record(pod(name), QStringLiteral("Normal"), QStringLiteral("ProviderCreateSuccess"),
                      QStringLiteral("Create pod in provider successfully"));
        QCOMPARE(events.writesInFlight(), 0);
        QCOMPARE(events.queuedWrites(), 1);
        busy = false;
        events.resume();
        QCOMPARE(events.writesInFlight(), 1);
        QTRY_COMPARE(reasonsAbout(name), QStringList{QStringLiteral("ProviderCreateSuccess")});
        QCOMPARE(events.droppedEvents(), 0);
    }

    void aYieldLastsAtMostMaxYieldThenEventsFlowUntilTheBusySpellEnds()
    {
        EventRecorder events(m_client.get(), QStringLiteral("vk-y/pod-controller"), QStringLiteral("vk-y"), &m_clock);
        bool busy = true;
        events.setYieldWhile([&] { return busy; }, 1000);
        const QString name = uniqueName();
        events.record(pod(name), QStringLiteral("Normal"), QStringLiteral("ProviderCreateSuccess"),
                      QStringLiteral("Create pod in provider successfully"));
        m_clock.advance(999);
        QCOMPARE(events.writesInFlight(), 0);
        m_clock.advance(1); // a second of yielding: the events go although the other writes are still busy
        QCOMPARE(events.writesInFlight(), 1);
        QTRY_COMPARE(events.writesInFlight(), 0);
        events.record(pod(name), QStringLiteral("Normal"), QStringLiteral("ProviderDeleteSuccess"),
                      QStringLiteral("Delete pod in provider successfully"));
        QCOMPARE(events.writesInFlight(), 1); // still the same busy spell: no new yield
        QTRY_COMPARE(reasonsAbout(name),
                     (QStringList{QStringLiteral("ProviderCreateSuccess"), QStringLiteral("ProviderDeleteSuccess")}));
        QTRY_COMPARE(events.writesInFlight(), 0);
        // Once the busy spell has ended, the next one holds events back again.
        busy = false;
        events.resume();
        busy = true;
        events.record(pod(name), QStringLiteral("Warning"), QStringLiteral("ProviderUpdateFailed"),
                      QStringLiteral("backend unreachable"));
        QCOMPARE(events.writesInFlight(), 0);
        QCOMPARE(events.queuedWrites(), 1);
        events.setYieldWhile({}); // no yielding any more: sent at once
        QCOMPARE(events.writesInFlight(), 1);
        QTRY_COMPARE(reasonsAbout(name).size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestEventYield)
#include "tst_eventyield.moc"
