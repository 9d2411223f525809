// SPDX-License-Identifier: Apache-2.0
#include "core/KubeStatus.h"
#include "core/Result.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;

class ResultTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valueAndError()
    {
        Result<int> good(42);
        QVERIFY(good.ok());
        QCOMPARE(good.value(), 42);
        Result<int> bad(Error::notFound(QStringLiteral("gone")));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().category(), ErrorCategory::NotFound);
        QCOMPARE(bad.valueOr(7), 7);
        Status fine;
        QVERIFY(fine.ok());
        Status broken(Error::internal(QStringLiteral("x")));
        QVERIFY(!broken.ok());
    }

    void errorFromResponse_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<int>("category");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("retryAfterSeconds");
        QTest::addColumn<bool>("retryable");

        QTest::newRow("404 Status body is NotFound")
            << 404
            << QByteArray(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
                          "\"message\":\"pods \\\"nope\\\" not found\",\"reason\":\"NotFound\","
                          R"("details":{"name":"nope","kind":"pods"},"code":404})")
            << QByteArray() << int(ErrorCategory::NotFound) << QStringLiteral("NotFound") << 0 << false;
        QTest::newRow("409 AlreadyExists is not a Conflict")
            << 409 << QByteArray(R"({"kind":"Status","reason":"AlreadyExists","message":"exists","code":409})")
            << QByteArray() << int(ErrorCategory::AlreadyExists) << QStringLiteral("AlreadyExists") << 0 << false;
        QTest::newRow("409 Conflict") << 409
                                      << QByteArray(
                                             R"({"kind":"Status","reason":"Conflict","message":"modified","code":409})")
                                      << QByteArray() << int(ErrorCategory::Conflict) << QStringLiteral("Conflict") << 0
                                      << false;
        QTest::newRow("410 Expired in a watch is Gone")
            << 410
            << QByteArray(R"({"kind":"Status","reason":"Expired","message":"too old resource version","code":410})")
            << QByteArray() << int(ErrorCategory::Gone) << QStringLiteral("Expired") << 0 << false;
        QTest::newRow("429 honours Retry-After")
            << 429 << QByteArray(R"({"kind":"Status","reason":"TooManyRequests","message":"slow down","code":429})")
            << QByteArray("3") << int(ErrorCategory::TooManyRequests) << QStringLiteral("TooManyRequests") << 3 << true;
        QTest::newRow("503 without body is retryable")
            << 503 << QByteArray() << QByteArray() << int(ErrorCategory::ServiceUnavailable)
            << QStringLiteral("ServiceUnavailable") << 0 << true;
        QTest::newRow("500 plain text body")
            << 500 << QByteArray("boom") << QByteArray() << int(ErrorCategory::Internal)
            << QStringLiteral("InternalError") << 0 << true;
        QTest::newRow("401 plain") << 401 << QByteArray("Unauthorized") << QByteArray()
                                   << int(ErrorCategory::Unauthorized) << QStringLiteral("Unauthorized") << 0 << false;
        QTest::newRow("403") << 403 << QByteArray(R"({"kind":"Status","reason":"Forbidden","code":403})")
                             << QByteArray() << int(ErrorCategory::Forbidden) << QStringLiteral("Forbidden") << 0
                             << false;
        QTest::newRow("504 Timeout") << 504 << QByteArray(R"({"kind":"Status","reason":"Timeout","code":504})")
                                     << QByteArray() << int(ErrorCategory::Timeout) << QStringLiteral("Timeout") << 0
                                     << true;
    }

    void errorFromResponse()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, retryAfter);
        QFETCH(int, category);
        QFETCH(QString, reason);
        QFETCH(int, retryAfterSeconds);
        QFETCH(bool, retryable);
        const Error e = kube::errorFromResponse(code, body, retryAfter);
        QCOMPARE(int(e.category()), category);
        QCOMPARE(e.reason(), reason);
        QCOMPARE(e.httpCode(), code);
        QCOMPARE(e.retryAfterSeconds(), retryAfterSeconds);
        QCOMPARE(e.isRetryable(), retryable);
        QVERIFY(!e.message().isEmpty());
    }

    void statusRoundTripKeepsCauses()
    {
        Error e(ErrorCategory::Invalid, QStringLiteral("Pod \"x\" is invalid"));
        e.setDetails(QStringLiteral("x"), QStringLiteral("Pod"));
        e.addCause({QStringLiteral("FieldValueRequired"), QStringLiteral("Required value"),
                    QStringLiteral("spec.containers[0].image")});
        const QJsonObject status = kube::statusObject(e);
        QCOMPARE(status.value(QStringLiteral("code")).toInt(), 422);
        QCOMPARE(status.value(QStringLiteral("reason")).toString(), QStringLiteral("Invalid"));
        QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("Failure"));
        const Error back = kube::errorFromResponse(422, QJsonDocument(status).toJson());
        QCOMPARE(back.category(), ErrorCategory::Invalid);
        QCOMPARE(back.causes().size(), 1);
        QCOMPARE(back.causes().first().field, QStringLiteral("spec.containers[0].image"));
        QCOMPARE(back.detailName(), QStringLiteral("x"));
    }

    void localErrorsAreNotRetryable()
    {
        QVERIFY(!Error::internal(QStringLiteral("bug")).setHttpCode(0).isRetryable());
        QVERIFY(Error::network(QStringLiteral("refused")).isRetryable());
        QVERIFY(!Error::invalidInput(QStringLiteral("bad flag")).isRetryable());
    }
};

QTEST_GUILESS_MAIN(ResultTest)
#include "tst_result.moc"
