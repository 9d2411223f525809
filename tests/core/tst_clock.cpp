// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"

#include <QSignalSpy>
#include <QTest>

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
};

QTEST_GUILESS_MAIN(ClockTest)
#include "tst_clock.moc"
