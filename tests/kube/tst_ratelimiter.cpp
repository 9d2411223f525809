// SPDX-License-Identifier: Apache-2.0
#include "core/Clock.h"
#include "kube/RateLimiter.h"

#include <QTest>

using namespace vk;
using namespace vk::kube;

class RateLimiterTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstIsServedAtOnceThenQpsSpacing()
    {
        ManualClock clock;
        RateLimiter limiter(2.0, 3, &clock); // 3 at once, then one every 500 ms
        QObject context;
        QList<qint64> servedAt;
        for (int i = 0; i < 6; ++i)
            limiter.acquire(&context, [&] { servedAt << clock.monotonicMs(); });
        QCOMPARE(servedAt, (QList<qint64>{0, 0, 0}));
        QCOMPARE(limiter.waiting(), 3);
        clock.advance(499);
        QCOMPARE(servedAt.size(), 3);
        clock.advance(1);
        QCOMPARE(servedAt, (QList<qint64>{0, 0, 0, 500}));
        clock.advance(1000);
        QCOMPARE(servedAt, (QList<qint64>{0, 0, 0, 500, 1000, 1500}));
        QCOMPARE(limiter.waiting(), 0);
        QCOMPARE(clock.pendingCalls(), 0);
    }

    void waitersAreServedInArrivalOrder()
    {
        ManualClock clock;
        RateLimiter limiter(10.0, 1, &clock);
        QObject context;
        QStringList order;
        for (const char* name : {"a", "b", "c", "d", "e"})
            limiter.acquire(&context, [&order, name] { order << QString::fromLatin1(name); });
        QCOMPARE(order, QStringList{QStringLiteral("a")});
        // A request arriving while others wait queues behind them, even when a token would be free for it.
        clock.advance(100);
        limiter.acquire(&context, [&order] { order << QStringLiteral("late"); });
        clock.advance(1000);
        QCOMPARE(order, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d"),
                                     QStringLiteral("e"), QStringLiteral("late")}));
    }

    void tokensRefillUpToBurstOnly()
    {
        ManualClock clock;
        RateLimiter limiter(1.0, 2, &clock);
        QVERIFY(limiter.tryAcquire());
        QVERIFY(limiter.tryAcquire());
        QVERIFY(!limiter.tryAcquire());
        clock.advance(60'000); // a long idle time refills to the burst, not beyond
        QCOMPARE(limiter.availableTokens(), 2.0);
        QVERIFY(limiter.tryAcquire());
        QVERIFY(limiter.tryAcquire());
        QVERIFY(!limiter.tryAcquire());
        clock.advance(1000);
        QVERIFY(limiter.tryAcquire());
    }

    void destroyedContextsGiveTheirTurnAway()
    {
        ManualClock clock;
        RateLimiter limiter(1.0, 1, &clock);
        QObject keep;
        auto* gone = new QObject;
        QStringList order;
        limiter.acquire(&keep, [&] { order << QStringLiteral("first"); });
        limiter.acquire(gone, [&] { order << QStringLiteral("gone"); });
        limiter.acquire(&keep, [&] { order << QStringLiteral("second"); });
        QCOMPARE(limiter.waiting(), 2);
        delete gone;
        QCOMPARE(limiter.waiting(), 1);
        clock.advance(1000);
        QCOMPARE(order, (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
    }

    void zeroQpsMeansUnlimited()
    {
        ManualClock clock;
        RateLimiter limiter(0, 1, &clock);
        int served = 0;
        for (int i = 0; i < 1000; ++i)
            limiter.acquire(nullptr, [&] { ++served; });
        QCOMPARE(served, 1000);
        QCOMPARE(clock.pendingCalls(), 0);
    }

    void fractionalQpsSpacing()
    {
        ManualClock clock;
        RateLimiter limiter(0.5, 1, &clock); // one every 2 s
        QList<qint64> servedAt;
        for (int i = 0; i < 3; ++i)
            limiter.acquire(nullptr, [&] { servedAt << clock.monotonicMs(); });
        clock.advance(10'000);
        QCOMPARE(servedAt, (QList<qint64>{0, 2000, 4000}));
    }
};

QTEST_GUILESS_MAIN(RateLimiterTest)
#include "tst_ratelimiter.moc"
