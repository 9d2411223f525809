// SPDX-License-Identifier: Apache-2.0
// Service account tokens: issue (defaults, limits), review (identity, audiences, expiry, revocation).
#include "sandbox/TokenAuthority.h"

#include <QJsonDocument>
#include <QJsonObject>
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
        // A JWT: header.payload.signature, with kube's service account claims.
        const QList<QByteArray> parts = issued->token.toLatin1().split('.');
        QCOMPARE(parts.size(), 3);
        const QJsonObject claims =
            QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding)).object();
        QCOMPARE(claims.value(QLatin1String("sub")).toString(), QStringLiteral("system:serviceaccount:team:robot"));
        QCOMPARE(claims.value(QLatin1String("kubernetes.io"))
                     .toObject()
                     .value(QLatin1String("serviceaccount"))
                     .toObject()
                     .value(QLatin1String("uid"))
                     .toString(),
                 QStringLiteral("uid-1"));
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
        QVERIFY(!authority.review(QStringLiteral("nope"), {}).authenticated);
        QCOMPARE(authority.review(QStringLiteral("a.b.c"), {}).error,
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

    void tokensSurviveARestartWithTheSameKeyOnly()
    {
        ManualClock clock;
        const QByteArray key("0123456789abcdef0123456789abcdef");
        auto issued = TokenAuthority(&clock, {TokenAuthority::defaultAudience()}, key)
                          .issue(QStringLiteral("ns"), QStringLiteral("sa"), {}, {}, 0);
        QVERIFY(issued.ok());
        QVERIFY(
            TokenAuthority(&clock, {TokenAuthority::defaultAudience()}, key).review(issued->token, {}).authenticated);
        QVERIFY(!TokenAuthority(&clock, {TokenAuthority::defaultAudience()}, QByteArray("another key"))
                     .review(issued->token, {})
                     .authenticated);
        // A tampered payload (another account) no longer matches its signature.
        QList<QByteArray> parts = issued->token.toLatin1().split('.');
        QByteArray payload = QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding);
        payload.replace("\"sa\"", "\"admin\"");
        parts[1] = payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QVERIFY(!TokenAuthority(&clock, {TokenAuthority::defaultAudience()}, key)
                     .review(QString::fromLatin1(parts.join('.')), {})
                     .authenticated);
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
