// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"
#include "pods/WorkQueue.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using vk::ManualClock;
using vk::Status;
using vk::pods::WorkQueue;

namespace {

/// A handler that records calls and lets the test finish each one.
struct Recorder
{
    QStringList started;
    QHash<QString, std::function<void(Status)>> running;
    QHash<QString, QList<qint64>> startTimes; ///< clock ms of each start
    ManualClock* clock = nullptr;
    bool autoFinish = false;
    std::function<Status(const QString&)> outcome; ///< autoFinish: the result of each run

    WorkQueue::Handler handler()
    {
        return [this](const QString& key, std::function<void(Status)> done) {
            started << key;
            startTimes[key] << (clock ? clock->monotonicMs() : 0);
            if (autoFinish)
                done(outcome ? outcome(key) : Status());
            else
                running.insert(key, std::move(done));
        };
    }
    void finish(const QString& key, Status status = {}) { running.take(key)(std::move(status)); }
};

Status failure()
{
    return vk::Error::internal(QStringLiteral("boom"));
}

} // namespace

class TestWorkQueue : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkQueue>
    makeQueue(Recorder& rec, ManualClock& clock, int concurrency = 10, qint64 cap = 30000, double qps = 0)
    {
        rec.clock = &clock;
        WorkQueue::Options o;
        o.maxConcurrent = concurrency;
        o.maxDelayMs = cap;
        o.retryQps = qps;
        o.clock = &clock;
        return std::make_unique<WorkQueue>(rec.handler(), o);
    }

private Q_SLOTS:
    void duplicateKeysQueuedTwiceRunOnce()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        auto q = makeQueue(rec, clock);
        q->enqueue(QStringLiteral("a"));
        q->enqueue(QStringLiteral("a"));
        q->enqueue(QStringLiteral("b"));
        q->enqueue(QStringLiteral("a"));
        QCOMPARE(q->queuedLength(), 2);
        QVERIFY(rec.started.isEmpty()); // handlers never start inside enqueue()
        QTRY_VERIFY(q->isIdle());
        QCoreApplication::processEvents();
        QCOMPARE(rec.started, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void keyReaddedWhileProcessingRunsAgainAfter()
    {
        ManualClock clock;
        Recorder rec;
        auto q = makeQueue(rec, clock);
        q->enqueue(QStringLiteral("a"));
        QTRY_COMPARE(rec.started.size(), 1);
        q->enqueue(QStringLiteral("a"));
        q->enqueue(QStringLiteral("a"));
        QCoreApplication::processEvents();
        QCOMPARE(rec.started.size(), 1); // never concurrently with itself
        QCOMPARE(q->processingLength(), 1);
        QCOMPARE(q->queuedLength(), 0);
        rec.finish(QStringLiteral("a"));
        QTRY_COMPARE(rec.started.size(), 2); // exactly one re-run for both re-adds
        rec.finish(QStringLiteral("a"));
        QTRY_VERIFY(q->isIdle());
        QCoreApplication::processEvents();
        QCOMPARE(rec.started.size(), 2);
    }

    void atMostNKeysRunConcurrently()
    {
        ManualClock clock;
        Recorder rec;
        auto q = makeQueue(rec, clock, 2);
        for (const char* k : {"a", "b", "c", "d"})
            q->enqueue(QString::fromLatin1(k));
        QTRY_COMPARE(rec.started.size(), 2);
        QCoreApplication::processEvents();
        QCOMPARE(rec.started.size(), 2);
        QCOMPARE(q->processingLength(), 2);
        QCOMPARE(q->queuedLength(), 2);
        rec.finish(QStringLiteral("b"));
        QTRY_COMPARE(rec.started.size(), 3);
        QCOMPARE(rec.started.last(), QStringLiteral("c"));
        QCOMPARE(q->processingLength(), 2);
        rec.finish(QStringLiteral("a"));
        rec.finish(QStringLiteral("c"));
        QTRY_COMPARE(rec.started.size(), 4);
        QCOMPARE(q->processingLength(), 1);
    }

    void keysRunInArrivalOrder()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        auto q = makeQueue(rec, clock, 1);
        const QStringList keys{QStringLiteral("ns/z"), QStringLiteral("ns/a"), QStringLiteral("ns/m"),
                               QStringLiteral("other/b")};
        for (const QString& k : keys)
            q->enqueue(k);
        QTRY_COMPARE(rec.started.size(), 4);
        QCOMPARE(rec.started, keys);
    }

    void failuresBackOffExponentiallyUpToTheCap()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        rec.outcome = [](const QString&) { return failure(); };
        auto q = makeQueue(rec, clock, 1, 80);
        q->enqueue(QStringLiteral("a"));
        // Expected delays: 5, 10, 20, 40, then the cap 80 forever.
        const QList<qint64> delays{5, 10, 20, 40, 80, 80, 80};
        QTRY_COMPARE(rec.started.size(), 1);
        for (int i = 0; i < delays.size(); ++i) {
            QCOMPARE(q->failures(QStringLiteral("a")), i + 1);
            QCOMPARE(q->delayedLength(), 1);
            clock.advance(delays[i] - 1);
            QCoreApplication::processEvents();
            QCOMPARE(rec.started.size(), i + 1); // not yet
            clock.advance(1);
            QTRY_COMPARE(rec.started.size(), i + 2);
        }
        const QList<qint64>& t = rec.startTimes[QStringLiteral("a")];
        QList<qint64> gaps;
        for (int i = 1; i < t.size(); ++i)
            gaps << t[i] - t[i - 1];
        QCOMPARE(gaps, delays);
    }

    void keyKeepsBeingRetriedAtTheCapForever()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        int runs = 0;
        rec.outcome = [&runs](const QString&) { return ++runs < 60 ? failure() : Status(); };
        auto q = makeQueue(rec, clock, 1, 1000);
        q->enqueue(QStringLiteral("a"));
        QTRY_COMPARE(runs, 1);
        for (int i = 0; i < 59; ++i) {
            clock.advance(1000);
            QTRY_COMPARE(runs, i + 2);
        }
        QCOMPARE(q->failures(QStringLiteral("a")), 0); // the success reset it
        QTRY_VERIFY(q->isIdle());
    }

    void successResetsTheBackoff()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        int runs = 0;
        rec.outcome = [&runs](const QString&) { return ++runs <= 3 ? failure() : Status(); };
        auto q = makeQueue(rec, clock, 1);
        q->enqueue(QStringLiteral("a"));
        QTRY_COMPARE(runs, 1);
        clock.advance(5);
        QTRY_COMPARE(runs, 2);
        clock.advance(10);
        QTRY_COMPARE(runs, 3);
        QCOMPARE(q->nextBackoffMs(QStringLiteral("a")), 40);
        clock.advance(20);
        QTRY_COMPARE(runs, 4);
        QTRY_VERIFY(q->isIdle());
        QCOMPARE(q->failures(QStringLiteral("a")), 0);
        QCOMPARE(q->nextBackoffMs(QStringLiteral("a")), 5);
    }

    void forgetResetsTheBackoff()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        rec.outcome = [](const QString&) { return failure(); };
        auto q = makeQueue(rec, clock, 1);
        q->enqueue(QStringLiteral("a"));
        QTRY_COMPARE(rec.started.size(), 1);
        clock.advance(5);
        QTRY_COMPARE(rec.started.size(), 2);
        QCOMPARE(q->failures(QStringLiteral("a")), 2);
        QCOMPARE(q->nextBackoffMs(QStringLiteral("a")), 20);
        q->forget(QStringLiteral("a"));
        QCOMPARE(q->failures(QStringLiteral("a")), 0);
        QCOMPARE(q->nextBackoffMs(QStringLiteral("a")), 5);
        // The pending retry still runs; its failure waits the base delay again.
        clock.advance(10);
        QTRY_COMPARE(rec.started.size(), 3);
        QCOMPARE(q->failures(QStringLiteral("a")), 1);
        clock.advance(4);
        QCoreApplication::processEvents();
        QCOMPARE(rec.started.size(), 3);
        clock.advance(1);
        QTRY_COMPARE(rec.started.size(), 4);
    }

    void enqueueAfterWaitsForTheClockAndEarlierDelayWins()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        auto q = makeQueue(rec, clock);
        q->enqueueAfter(QStringLiteral("a"), 1000);
        q->enqueueAfter(QStringLiteral("a"), 300);
        q->enqueueAfter(QStringLiteral("a"), 2000);
        QCOMPARE(q->delayedLength(), 1);
        clock.advance(299);
        QCoreApplication::processEvents();
        QVERIFY(rec.started.isEmpty());
        clock.advance(1);
        QTRY_COMPARE(rec.started.size(), 1);
        clock.advance(5000);
        QCoreApplication::processEvents();
        QCOMPARE(rec.started.size(), 1);
        QCOMPARE(rec.startTimes[QStringLiteral("a")], (QList<qint64>{300}));
    }

    void retryTokenBucketSpreadsRetriesOfManyKeys()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        rec.outcome = [](const QString&) { return failure(); };
        // 10 retries/s after a burst of 2: the third and fourth failing key wait 100 and 200 ms, not 5.
        rec.clock = &clock;
        WorkQueue::Options o;
        o.maxConcurrent = 10;
        o.retryQps = 10;
        o.retryBurst = 2;
        o.clock = &clock;
        WorkQueue q(rec.handler(), o);
        for (const char* k : {"a", "b", "c", "d"})
            q.enqueue(QString::fromLatin1(k));
        QTRY_COMPARE(rec.started.size(), 4);
        clock.advance(5);
        QTRY_COMPARE(rec.started.size(), 6); // a and b
        clock.advance(94);
        QCoreApplication::processEvents();
        QCOMPARE(rec.started.size(), 6);
        clock.advance(1);
        QTRY_COMPARE(rec.started.size(), 7); // c at 100 ms
        QCOMPARE(rec.started.last(), QStringLiteral("c"));
    }

    void failureWhileDirtyRunsAgainAtOnce()
    {
        ManualClock clock;
        Recorder rec;
        auto q = makeQueue(rec, clock);
        q->enqueue(QStringLiteral("a"));
        QTRY_COMPARE(rec.started.size(), 1);
        q->enqueue(QStringLiteral("a"));
        rec.finish(QStringLiteral("a"), failure());
        QTRY_COMPARE(rec.started.size(), 2);
        QCOMPARE(q->failures(QStringLiteral("a")), 1);
        QCOMPARE(q->delayedLength(), 0);
    }

    void pausedQueueRecordsKeysAndRunsThemOnResume()
    {
        ManualClock clock;
        Recorder rec;
        rec.autoFinish = true;
        auto q = makeQueue(rec, clock);
        q->pause();
        q->enqueue(QStringLiteral("a"));
        q->enqueue(QStringLiteral("b"));
        QCoreApplication::processEvents();
        QVERIFY(rec.started.isEmpty());
        QCOMPARE(q->queuedLength(), 2);
        q->resume();
        QTRY_COMPARE(rec.started, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void doneAfterTheQueueIsGoneIsHarmless()
    {
        ManualClock clock;
        Recorder rec;
        auto q = makeQueue(rec, clock);
        q->enqueue(QStringLiteral("a"));
        QTRY_COMPARE(rec.started.size(), 1);
        auto done = rec.running.take(QStringLiteral("a"));
        q.reset();
        done(Status());
        QCOMPARE(clock.pendingCalls(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWorkQueue)
#include "tst_workqueue.moc"
