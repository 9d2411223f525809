// SPDX-License-Identifier: Apache-2.0
// PodHistory: what a pod went through, as lanes; bounded per lane so a pod that restarts for hours does not grow
// the console without end.
#include "ui/PodHistory.h"

#include <QTest>

using vk::console::ContainerStateSummary;
using vk::console::EventSummary;
using vk::console::LifecycleRecord;
using vk::console::PodHistory;
using vk::console::PodSummary;

namespace {

PodSummary restartingPod(int restarts, qint64 atMs)
{
    PodSummary pod;
    pod.namespaceName = QStringLiteral("default");
    pod.name = QStringLiteral("flappy");
    pod.uid = QStringLiteral("uid-1");
    pod.nodeName = QStringLiteral("vk-mock-0");
    pod.phase = QStringLiteral("Running");
    pod.statusText = QStringLiteral("Running");
    pod.created = QDateTime::fromMSecsSinceEpoch(1'000'000, Qt::UTC);
    pod.observedMs = atMs;
    ContainerStateSummary c;
    c.name = QStringLiteral("app");
    c.state = QStringLiteral("running");
    c.started = true;
    c.restartCount = restarts;
    pod.containers = {c};
    return pod;
}

const QString kKey = QStringLiteral("default/flappy");

} // namespace

class TestPodHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachRestartIsASegment()
    {
        PodHistory history;
        for (int restarts = 0; restarts < 5; ++restarts)
            history.observe(restartingPod(restarts, 2'000'000 + restarts * 1000));
        const LifecycleRecord* record = history.record(kKey);
        QVERIFY(record);
        const LifecycleRecord::Lane* lane = record->findLane(QStringLiteral("Container app"));
        QVERIFY(lane);
        QCOMPARE(lane->segments.size(), 5);
        QCOMPARE(lane->segments.first().endMs, lane->segments.at(1).startMs);
        QCOMPARE(lane->segments.last().endMs, -1);
        QCOMPARE(record->findLane(QStringLiteral("Phase"))->segments.size(), 1);
    }

    void lanesKeepTheNewestEntries()
    {
        PodHistory history;
        history.setMaxEntriesPerLane(40);
        for (int restarts = 0; restarts < 1000; ++restarts)
            history.observe(restartingPod(restarts, 2'000'000 + restarts * 1000));
        for (int i = 0; i < 500; ++i) {
            EventSummary event;
            event.namespaceName = QStringLiteral("default");
            event.involvedKind = QStringLiteral("Pod");
            event.involvedName = QStringLiteral("flappy");
            event.involvedUid = QStringLiteral("uid-1");
            event.type = QStringLiteral("Normal");
            event.reason = QStringLiteral("Started");
            event.message = QStringLiteral("Started container app (%1)").arg(i);
            event.lastTime = QDateTime::fromMSecsSinceEpoch(2'000'000 + i * 1000, Qt::UTC);
            history.addEvent(event);
        }
        const LifecycleRecord* record = history.record(kKey);
        QVERIFY(record);
        const LifecycleRecord::Lane* container = record->findLane(QStringLiteral("Container app"));
        QVERIFY(container->segments.size() <= 40);
        QVERIFY(container->segments.size() >= 30);
        QCOMPARE(container->segments.last().startMs, 2'000'000 + 999 * 1000);
        QCOMPARE(container->segments.last().endMs, -1);
        const LifecycleRecord::Lane* events = record->findLane(QStringLiteral("Events"));
        QVERIFY(events->markers.size() <= 40);
        QCOMPARE(events->markers.last().atMs, 2'000'000 + 499 * 1000);
        // The axis starts where the kept history starts (the phase lane still reaches back to creation).
        QCOMPARE(record->span(3'000'000).first, 1'000'000);
    }
};

QTEST_MAIN(TestPodHistory)
#include "tst_podhistory.moc"
