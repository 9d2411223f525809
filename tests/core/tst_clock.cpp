// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace vk;

class ClockTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manualClockRunsDueCallsInOrder()
    {
        ManualClock clock;
        QObject context;
        QStringList order;
        clock.schedule(300, &context, [&] { order << QStringLiteral("c"); });
        clock.schedule(100, &context, [&] { order << QStringLiteral("a"); });
        clock.schedule(100, &context, [&] { order << QStringLiteral("b"); });
        clock.advance(99);
        QVERIFY(order.isEmpty());
        clock.advance(1);
        QCOMPARE(order, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        clock.advance(1000);
        QCOMPARE(order.size(), 3);
        QCOMPARE(clock.monotonicMs(), 1100);
    }

    void callsScheduledFromACallbackRunInTheSameAdvance()
    {
        ManualClock clock;
        QObject context;
        int ticks = 0;
        std::function<void()> tick = [&] {
            ++ticks;
            clock.schedule(10, &context, tick);
        };
        clock.schedule(10, &context, tick);
        clock.advance(100);
        QCOMPARE(ticks, 10);
    }

    void cancelledAndOrphanedCallsNeverRun()
    {
        ManualClock clock;
        bool ran = false;
        auto* context = new QObject;
        ScheduledCall call = clock.schedule(10, context, [&] { ran = true; });
        QVERIFY(call.isPending());
        call.cancel();
        clock.advance(20);
        QVERIFY(!ran);
        clock.schedule(10, context, [&] { ran = true; });
        delete context;
        QCOMPARE(clock.pendingCalls(), 0);
        clock.advance(20);
        QVERIFY(!ran);
    }

    void wallTimeFollowsAdvance()
    {
        ManualClock clock(QDateTime(QDate(2026, 11, 22), QTime(0, 0), Qt::UTC));
        clock.advance(40'000);
        QCOMPARE(clock.now(), QDateTime(QDate(2026, 11, 22), QTime(0, 0, 40), Qt::UTC));
    }

    void systemClockFiresOnTheEventLoop()
    {
        QObject context;
        bool fired = false;
        Clock::system()->schedule(1, &context, [&] { fired = true; });
        QTRY_VERIFY(fired);
    }

    // The system clock keeps a thread's calls in one queue behind one QTimer: due order, FIFO among equal times.
    void systemClockRunsCallsInDueOrder()
    {
        QObject context;
        QStringList order;
        Clock::system()->schedule(40, &context, [&] { order << QStringLiteral("40"); });
        Clock::system()->schedule(0, &context, [&] { order << QStringLiteral("0a"); });
        Clock::system()->schedule(15, &context, [&] { order << QStringLiteral("15"); });
        Clock::system()->schedule(0, &context, [&] { order << QStringLiteral("0b"); });
        QTRY_COMPARE(order.size(), 4);
        QCOMPARE(order,
                 (QStringList{QStringLiteral("0a"), QStringLiteral("0b"), QStringLiteral("15"), QStringLiteral("40")}));
    }

    void systemClockSkipsCancelledAndOrphanedCalls()
    {
        QStringList ran;
        QObject context;
        auto* doomed = new QObject;
        ScheduledCall cancelled = Clock::system()->schedule(5, &context, [&] { ran << QStringLiteral("cancelled"); });
        Clock::system()->schedule(5, doomed, [&] { ran << QStringLiteral("orphaned"); });
        Clock::system()->schedule(20, &context, [&] { ran << QStringLiteral("last"); });
        cancelled.cancel();
        delete doomed;
        QTRY_COMPARE(ran, QStringList{QStringLiteral("last")});
        QVERIFY(!cancelled.isPending());
    }

    // A call that schedules another with no delay does not run it in the same pass: zero delay still yields to
    // the event loop (a posted event gets in between), as a zero QTimer does.
    void zeroDelayYieldsToTheEventLoop()
    {
        QObject context;
        QStringList order;
        Clock::system()->schedule(0, &context, [&] {
            order << QStringLiteral("first");
            QMetaObject::invokeMethod(
                &context, [&] { order << QStringLiteral("posted"); }, Qt::QueuedConnection);
            Clock::system()->schedule(0, &context, [&] { order << QStringLiteral("second"); });
        });
        QTRY_COMPARE(order.size(), 3);
        QCOMPARE(order, (QStringList{QStringLiteral("first"), QStringLiteral("posted"), QStringLiteral("second")}));
    }

    // Calls run on the thread of their context: scheduled from another thread, or for a context that moved to
    // another thread after the call was scheduled.
    void systemClockRunsCallsOnTheContextsThread()
    {
        QThread worker;
        worker.start();
        QObject remote;
        remote.moveToThread(&worker);
        std::atomic<QThread*> ranOn = nullptr;
        Clock::system()->schedule(1, &remote, [&] { ranOn = QThread::currentThread(); });
        QTRY_COMPARE(ranOn.load(), &worker);

        auto* moving = new QObject;
        ranOn = nullptr;
        Clock::system()->schedule(10, moving, [&] { ranOn = QThread::currentThread(); });
        moving->moveToThread(&worker);
        QTRY_COMPARE(ranOn.load(), &worker);
        QMetaObject::invokeMethod(
            moving, [moving] { delete moving; }, Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();
    }

    // A call that spins a nested event loop (a modal dialog, a blocking wait) does not hold up the thread's other
    // calls.
    void callsRunInsideANestedEventLoop()
    {
        QObject context;
        bool innerRan = false;
        bool outerDone = false;
        Clock::system()->schedule(0, &context, [&] {
            Clock::system()->schedule(5, &context, [&] { innerRan = true; });
            QEventLoop loop;
            Clock::system()->schedule(10, &context, [&] { loop.quit(); });
            loop.exec();
            outerDone = true;
        });
        QTRY_VERIFY(outerDone);
        QVERIFY(innerRan);
    }

    // Many waiting calls (10,000 pods' lifecycle, backoff and poll timers) stay cheap to add and cancel.
    void manyWaitingCalls()
    {
        QObject context;
        std::vector<ScheduledCall> calls;
        int ran = 0;
        for (int i = 0; i < 20000; ++i)
            calls.push_back(Clock::system()->schedule(60'000 + i, &context, [&] { ++ran; }));
        for (auto& call : calls)
            call.cancel();
        for (int i = 0; i < 1000; ++i)
            Clock::system()->schedule(i % 10, &context, [&] { ++ran; });
        QTRY_COMPARE(ran, 1000);
    }
};

QTEST_GUILESS_MAIN(ClockTest)
#include "tst_clock.moc"
