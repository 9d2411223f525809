// SPDX-License-Identifier: Apache-2.0
#include "api/Quantity.h"

#include <QTest>

using namespace vk;
using vk::api::Quantity;

class QuantityTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("milli");
        QTest::addColumn<QString>("canonical");

        QTest::newRow("zero") << QStringLiteral("0") << qint64(0) << QStringLiteral("0");
        QTest::newRow("negative zero prints as zero") << QStringLiteral("-0") << qint64(0) << QStringLiteral("0");
        QTest::newRow("plain integer") << QStringLiteral("2") << qint64(2000) << QStringLiteral("2");
        QTest::newRow("millicores") << QStringLiteral("100m") << qint64(100) << QStringLiteral("100m");
        QTest::newRow("1000m is one") << QStringLiteral("1000m") << qint64(1000) << QStringLiteral("1");
        QTest::newRow("1500m stays 1500m") << QStringLiteral("1500m") << qint64(1500) << QStringLiteral("1500m");
        QTest::newRow("decimal fraction becomes milli")
            << QStringLiteral("1.5") << qint64(1500) << QStringLiteral("1500m");
        QTest::newRow("leading dot") << QStringLiteral(".5") << qint64(500) << QStringLiteral("500m");
        QTest::newRow("trailing dot") << QStringLiteral("5.") << qint64(5000) << QStringLiteral("5");
        QTest::newRow("explicit plus sign") << QStringLiteral("+3") << qint64(3000) << QStringLiteral("3");
        QTest::newRow("negative millis") << QStringLiteral("-250m") << qint64(-250) << QStringLiteral("-250m");
        QTest::newRow("2000 prints as 2k") << QStringLiteral("2000") << qint64(2000000) << QStringLiteral("2k");
        QTest::newRow("1500 stays 1500") << QStringLiteral("1500") << qint64(1500000) << QStringLiteral("1500");
        QTest::newRow("1.5k prints as 1500") << QStringLiteral("1.5k") << qint64(1500000) << QStringLiteral("1500");
        QTest::newRow("kilo") << QStringLiteral("1k") << qint64(1000000) << QStringLiteral("1k");
        QTest::newRow("mega") << QStringLiteral("128M") << qint64(128000000000) << QStringLiteral("128M");
        QTest::newRow("giga") << QStringLiteral("1G") << qint64(1000000000000) << QStringLiteral("1G");
        QTest::newRow("1000M prints as 1G") << QStringLiteral("1000M") << qint64(1000000000000) << QStringLiteral("1G");
        QTest::newRow("tera") << QStringLiteral("2T") << qint64(2000000000000000) << QStringLiteral("2T");
        QTest::newRow("peta") << QStringLiteral("1P") << qint64(1000000000000000000) << QStringLiteral("1P");
        QTest::newRow("micro rounds up to a milli") << QStringLiteral("1u") << qint64(1) << QStringLiteral("1m");
        QTest::newRow("nano rounds up to a milli") << QStringLiteral("1n") << qint64(1) << QStringLiteral("1m");
        QTest::newRow("sub-milli fraction rounds up") << QStringLiteral("0.0001") << qint64(1) << QStringLiteral("1m");
        QTest::newRow("1001 micro rounds up to 2m") << QStringLiteral("1001u") << qint64(2) << QStringLiteral("2m");
        QTest::newRow("negative sub-milli rounds away from zero")
            << QStringLiteral("-1u") << qint64(-1) << QStringLiteral("-1m");
        QTest::newRow("exact micro amount") << QStringLiteral("5000u") << qint64(5) << QStringLiteral("5m");
        QTest::newRow("kibi") << QStringLiteral("1Ki") << qint64(1024000) << QStringLiteral("1Ki");
        QTest::newRow("mebi") << QStringLiteral("128Mi") << qint64(134217728000) << QStringLiteral("128Mi");
        QTest::newRow("1024Mi prints as 1Gi")
            << QStringLiteral("1024Mi") << qint64(1073741824000) << QStringLiteral("1Gi");
        QTest::newRow("1.5Gi prints as 1536Mi")
            << QStringLiteral("1.5Gi") << qint64(1610612736000) << QStringLiteral("1536Mi");
        QTest::newRow("0.5Ki is below 1024 and prints decimal")
            << QStringLiteral("0.5Ki") << qint64(512000) << QStringLiteral("512");
        QTest::newRow("1000Ki stays 1000Ki")
            << QStringLiteral("1000Ki") << qint64(1024000000) << QStringLiteral("1000Ki");
        QTest::newRow("tebi") << QStringLiteral("1Ti") << qint64(1099511627776000) << QStringLiteral("1Ti");
        QTest::newRow("exponent") << QStringLiteral("1e3") << qint64(1000000) << QStringLiteral("1e3");
        QTest::newRow("capital exponent") << QStringLiteral("12E6") << qint64(12000000000) << QStringLiteral("12e6");
        QTest::newRow("exponent 10 prints as 10") << QStringLiteral("1e1") << qint64(10000) << QStringLiteral("10");
        QTest::newRow("negative exponent") << QStringLiteral("5e-3") << qint64(5) << QStringLiteral("5e-3");
        QTest::newRow("exponent with plus sign") << QStringLiteral("2e+3") << qint64(2000000) << QStringLiteral("2e3");
        QTest::newRow("leading zeros") << QStringLiteral("007") << qint64(7000) << QStringLiteral("7");
        QTest::newRow("huge values are capped at 2^63-1")
            << QStringLiteral("100E") << std::numeric_limits<qint64>::max() << QStringLiteral("9223372036854775807");
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, milli);
        QFETCH(QString, canonical);
        const auto q = Quantity::parse(text);
        QVERIFY2(q.ok(), q.ok() ? "" : qPrintable(q.error().message()));
        if (milli != std::numeric_limits<qint64>::max())
            QCOMPARE(q->milliValue(), milli);
        QCOMPARE(q->toString(), canonical);
        // The canonical form parses back to the same amount and prints the same again.
        const auto again = Quantity::parse(canonical);
        QVERIFY(again.ok());
        QCOMPARE(again->toString(), canonical);
        QVERIFY(*again == *q);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        const QString format = QStringLiteral("quantities must match the regular expression");
        const QString suffix = QStringLiteral("unable to parse quantity's suffix");
        QTest::newRow("empty") << QString() << format;
        QTest::newRow("letters only in a bad order") << QStringLiteral("abc") << format;
        QTest::newRow("space inside") << QStringLiteral("1 Gi") << format;
        QTest::newRow("unknown suffix") << QStringLiteral("1Gb") << format;
        QTest::newRow("lowercase ki is not binary") << QStringLiteral("1ki") << suffix;
        QTest::newRow("two suffixes") << QStringLiteral("1MiGi") << suffix;
        QTest::newRow("bare exponent") << QStringLiteral("1e") << suffix;
        QTest::newRow("trailing garbage") << QStringLiteral("100m!") << format;
        QTest::newRow("double sign is read as a bad suffix") << QStringLiteral("--1") << suffix;
    }

    void rejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        const auto q = Quantity::parse(text);
        QVERIFY(!q.ok());
        QCOMPARE(q.error().category(), ErrorCategory::InvalidInput);
        QVERIFY2(q.error().message().contains(QStringLiteral("\"") + text + QStringLiteral("\"")),
                 qPrintable(q.error().message()));
        QVERIFY2(q.error().message().contains(reason), qPrintable(q.error().message()));
    }

    void valueRoundsUp_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("value");
        QTest::newRow("100m is one unit") << QStringLiteral("100m") << qint64(1);
        QTest::newRow("1500m is two units") << QStringLiteral("1500m") << qint64(2);
        QTest::newRow("2 is two units") << QStringLiteral("2") << qint64(2);
        QTest::newRow("negative rounds away from zero") << QStringLiteral("-1500m") << qint64(-2);
        QTest::newRow("1Gi in bytes") << QStringLiteral("1Gi") << qint64(1073741824);
    }

    void valueRoundsUp()
    {
        QFETCH(QString, text);
        QFETCH(qint64, value);
        const auto q = Quantity::parse(text);
        QVERIFY(q.ok());
        QCOMPARE(q->value(), value);
    }

    void fromJson_data()
    {
        QTest::addColumn<QJsonValue>("json");
        QTest::addColumn<qint64>("milli");
        QTest::addColumn<bool>("ok");
        QTest::newRow("string") << QJsonValue(QStringLiteral("250m")) << qint64(250) << true;
        QTest::newRow("integer number") << QJsonValue(4) << qint64(4000) << true;
        QTest::newRow("fractional number") << QJsonValue(0.5) << qint64(500) << true;
        QTest::newRow("large number") << QJsonValue(1e21) << std::numeric_limits<qint64>::max() << true;
        QTest::newRow("bool is rejected") << QJsonValue(true) << qint64(0) << false;
        QTest::newRow("null is rejected") << QJsonValue(QJsonValue::Null) << qint64(0) << false;
    }

    void fromJson()
    {
        QFETCH(QJsonValue, json);
        QFETCH(qint64, milli);
        QFETCH(bool, ok);
        const auto q = Quantity::fromJson(json);
        QCOMPARE(q.ok(), ok);
        if (ok)
            QCOMPARE(q->milliValue(), milli);
    }

    void arithmetic()
    {
        const Quantity a = *Quantity::parse(QStringLiteral("100m"));
        const Quantity b = *Quantity::parse(QStringLiteral("1.9"));
        QCOMPARE((a + b).toString(), QStringLiteral("2"));
        QCOMPARE((a - b).toString(), QStringLiteral("-1800m"));
        Quantity sum;
        QVERIFY(sum.isZero());
        sum += *Quantity::parse(QStringLiteral("512Mi"));
        sum += *Quantity::parse(QStringLiteral("512Mi"));
        QCOMPARE(sum.toString(), QStringLiteral("1Gi")); // a zero sum takes the binary format of what is added
        QCOMPARE(sum.value(), qint64(1073741824));
        QVERIFY(a < b);
        QVERIFY(b > a);
        QVERIFY(*Quantity::parse(QStringLiteral("1Ki")) == *Quantity::parse(QStringLiteral("1024")));
        QVERIFY(*Quantity::parse(QStringLiteral("1k")) < *Quantity::parse(QStringLiteral("1Ki")));
        QCOMPARE(Quantity::fromMilli(1500).toString(), QStringLiteral("1500m"));
        QCOMPARE(Quantity::fromValue(110).toString(), QStringLiteral("110"));
        QCOMPARE(Quantity::fromValue(-3000).toString(), QStringLiteral("-3k"));
        QCOMPARE(Quantity().toString(), QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(QuantityTest)
#include "tst_quantity.moc"
