// SPDX-License-Identifier: Apache-2.0
// Service account tokens: issue (defaults, limits), review (identity, audiences, expiry, revocation).
#include "sandbox/TokenAuthority.h"

#include <QTest>

using vk::ManualClock;
using vk::sandbox::TokenAuthority;

class TstTokenAuthority : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuedTokensAuthenticateAsTheServiceAccount()
    {
        ManualClock clock;
        TokenAuthority authority(&clock);
        auto issued = authority.issue(QStringLiteral("team"), QStringLiteral("robot"), QStringLiteral("uid-1"), {}, 0);
        QVERIFY(issued.ok());
        QVERIFY(issued->token.startsWith(QLatin1String("vksa_")));
        QCOMPARE(issued->expirationSeconds, 3600);
        QCOMPARE(issued->expiration, clock.now().addSecs(3600));
        QCOMPARE(issued->audiences, QStringList{TokenAuthority::defaultAudience()});

        const auto review = authority.review(issued->token, {});
        QVERIFY(review.authenticated);
        QCOMPARE(review.user.name, QStringLiteral("system:serviceaccount:team:robot"));
        QCOMPARE(review.user.uid, QStringLiteral("uid-1"));
        QCOMPARE(review.user.groups,
                 (QStringList{QStringLiteral("system:serviceaccounts"), QStringLiteral("system:serviceaccounts:team"),
                              QStringLiteral("system:authenticated")}));
        QCOMPARE(review.audiences, QStringList{TokenAuthority::defaultAudience()});

        auto other = authority.issue(QStringLiteral("team"), QStringLiteral("robot"), QStringLiteral("uid-1"), {}, 0);
        QVERIFY(other->token != issued->token);
    }

    void unknownAndExpiredTokensAreRejected()
    {
        ManualClock clock;
        TokenAuthority authority(&clock);
        QVERIFY(!authority.review(QStringLiteral("vksa_nope"), {}).authenticated);
        QCOMPARE(authority.review(QStringLiteral("vksa_nope"), {}).error,
                 QStringLiteral("[invalid bearer token, token lookup failed]"));
        auto issued = authority.issue(QStringLiteral("ns"), QStringLiteral("sa"), {}, {}, 600);
        QVERIFY(issued.ok());
        clock.advance(599'000);
        QVERIFY(authority.review(issued->token, {}).authenticated);
        clock.advance(1'000);
        const auto expired = authority.review(issued->token, {});
        QVERIFY(!expired.authenticated);
        QVERIFY(expired.error.contains(QLatin1String("expired")));
    }

    void audiencesMustIntersect()
    {
        ManualClock clock;
        TokenAuthority authority(&clock);
        auto issued = authority.issue(QStringLiteral("ns"), QStringLiteral("sa"), {},
                                      {QStringLiteral("vault"), QStringLiteral("db")}, 0);
        QVERIFY(issued.ok());
        // Not for the API server...
        QVERIFY(!authority.review(issued->token, {}).authenticated);
        // ...but for vault, and only the requested audiences it has are echoed.
        const auto review = authority.review(issued->token, {QStringLiteral("vault"), QStringLiteral("other")});
        QVERIFY(review.authenticated);
        QCOMPARE(review.audiences, QStringList{QStringLiteral("vault")});
    }

    void deletingTheAccountRevokesItsTokens()
    {
        ManualClock clock;
        TokenAuthority authority(&clock);
        bool exists = true;
        authority.setAccountCheck([&](const QString& ns, const QString& name, const QString& uid) {
            return exists && ns == QLatin1String("ns") && name == QLatin1String("sa") && uid == QLatin1String("u");
        });
        auto issued = authority.issue(QStringLiteral("ns"), QStringLiteral("sa"), QStringLiteral("u"), {}, 0);
        QVERIFY(authority.review(issued->token, {}).authenticated);
        exists = false;
        const auto review = authority.review(issued->token, {});
        QVERIFY(!review.authenticated);
        QVERIFY(review.error.contains(QLatin1String("deleted")));
    }

    void durationLimits()
    {
        ManualClock clock;
        TokenAuthority authority(&clock);
        auto tooShort = authority.issue(QStringLiteral("ns"), QStringLiteral("sa"), {}, {}, 599);
        QVERIFY(!tooShort.ok());
        QCOMPARE(tooShort.error().httpCode(), 422);
        QCOMPARE(tooShort.error().message(),
                 QStringLiteral("TokenRequest.authentication.k8s.io \"sa\" is invalid: spec.expirationSeconds: Invalid "
                                "value: 599: may not specify a duration less than 10 minutes"));
        QVERIFY(!authority.issue(QStringLiteral("ns"), QStringLiteral("sa"), {}, {}, (qint64(1) << 32) + 1).ok());
    }
};

QTEST_GUILESS_MAIN(TstTokenAuthority)
#include "tst_tokenauthority.moc"
