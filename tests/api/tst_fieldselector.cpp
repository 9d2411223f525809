// SPDX-License-Identifier: Apache-2.0
#include "api/FieldSelector.h"

#include <QJsonDocument>
#include <QTest>

using namespace vk;
using vk::api::FieldSelector;

namespace {

QJsonObject pod()
{
    return QJsonDocument::fromJson("{\"metadata\":{\"name\":\"web-0\",\"namespace\":\"default\"},"
                                   "\"spec\":{\"nodeName\":\"vk-1\",\"hostNetwork\":false,\"priority\":5},"
                                   "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.7\"}}")
        .object();
}

} // namespace

class FieldSelectorTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<int>("count");

        QTest::newRow("empty selector matches everything") << QString() << QString() << 0;
        QTest::newRow("single equality") << QStringLiteral("spec.nodeName=vk-1") << QStringLiteral("spec.nodeName=vk-1")
                                         << 1;
        QTest::newRow("double equals is equality")
            << QStringLiteral("spec.nodeName==vk-1") << QStringLiteral("spec.nodeName=vk-1") << 1;
        QTest::newRow("inequality") << QStringLiteral("status.phase!=Failed") << QStringLiteral("status.phase!=Failed")
                                    << 1;
        QTest::newRow("terms are sorted") << QStringLiteral("status.phase!=Failed,spec.nodeName=vk-1")
                                          << QStringLiteral("spec.nodeName=vk-1,status.phase!=Failed") << 2;
        QTest::newRow("empty value is allowed")
            << QStringLiteral("spec.nodeName=") << QStringLiteral("spec.nodeName=") << 1;
        QTest::newRow("empty terms are skipped")
            << QStringLiteral("metadata.name=a,,") << QStringLiteral("metadata.name=a") << 1;
        QTest::newRow("escaped comma stays in the value")
            << QStringLiteral("metadata.name=a\\,b") << QStringLiteral("metadata.name=a\\,b") << 1;
        QTest::newRow("escaped equals stays in the value")
            << QStringLiteral("metadata.name=a\\=b") << QStringLiteral("metadata.name=a\\=b") << 1;
        QTest::newRow("escaped backslash")
            << QStringLiteral("metadata.name=a\\\\b") << QStringLiteral("metadata.name=a\\\\b") << 1;
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        QFETCH(int, count);
        const auto selector = FieldSelector::parse(text);
        QVERIFY2(selector.ok(), selector.ok() ? "" : qPrintable(selector.error().message()));
        QCOMPARE(selector->toString(), canonical);
        QCOMPARE(selector->requirements().size(), count);
        QCOMPARE(selector->isEmpty(), count == 0);
        // The printed form parses back to the same requirements.
        const auto again = FieldSelector::parse(canonical);
        QVERIFY(again.ok());
        QCOMPARE(again->toString(), canonical);
    }

    void unescapedValues()
    {
        QCOMPARE(FieldSelector::parse(QStringLiteral("metadata.name=a\\,b"))->requirements().first().value,
                 QStringLiteral("a,b"));
        QCOMPARE(FieldSelector::parse(QStringLiteral("metadata.name=a\\=b"))->requirements().first().value,
                 QStringLiteral("a=b"));
        QCOMPARE(FieldSelector::parse(QStringLiteral("metadata.name=a\\\\b"))->requirements().first().value,
                 QStringLiteral("a\\b"));
        const auto r = FieldSelector::parse(QStringLiteral("status.phase!=Failed"))->requirements().first();
        QCOMPARE(r.field, QStringLiteral("status.phase"));
        QVERIFY(r.negated);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("no operator quotes selector and term")
            << QStringLiteral("spec.nodeName")
            << QStringLiteral("invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
        QTest::newRow("bad term among good ones")
            << QStringLiteral("a=b,oops") << QStringLiteral("invalid selector: 'a=b,oops'; can't understand 'oops'");
        QTest::newRow("unknown escape sequence")
            << QStringLiteral("a=b\\x") << QStringLiteral("invalid field selector: invalid escape sequence: \\x");
        QTest::newRow("trailing backslash")
            << QStringLiteral("a=b\\") << QStringLiteral("invalid field selector: invalid escape sequence: \\");
        QTest::newRow("unescaped equals in value")
            << QStringLiteral("a=b=c") << QStringLiteral("invalid field selector: unescaped character in value: =");
    }

    void rejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto selector = FieldSelector::parse(text);
        QVERIFY(!selector.ok());
        QCOMPARE(selector.error().category(), ErrorCategory::BadRequest);
        QCOMPARE(selector.error().message(), message);
    }

    void matches_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<bool>("expected");
        QTest::newRow("everything") << QString() << true;
        QTest::newRow("node name equal") << QStringLiteral("spec.nodeName=vk-1") << true;
        QTest::newRow("node name different") << QStringLiteral("spec.nodeName=vk-2") << false;
        QTest::newRow("phase not failed") << QStringLiteral("status.phase!=Failed") << true;
        QTest::newRow("phase not running") << QStringLiteral("status.phase!=Running") << false;
        QTest::newRow("both must hold") << QStringLiteral("spec.nodeName=vk-1,status.phase=Pending") << false;
        QTest::newRow("metadata name and namespace")
            << QStringLiteral("metadata.name=web-0,metadata.namespace=default") << true;
        QTest::newRow("missing field reads as empty") << QStringLiteral("spec.schedulerName=") << true;
        QTest::newRow("missing field is not equal to a value") << QStringLiteral("spec.schedulerName!=x") << true;
        QTest::newRow("boolean reads as false") << QStringLiteral("spec.hostNetwork=false") << true;
        QTest::newRow("number reads as its digits") << QStringLiteral("spec.priority=5") << true;
        QTest::newRow("path through a scalar is empty") << QStringLiteral("status.phase.x=") << true;
    }

    void matches()
    {
        QFETCH(QString, selector);
        QFETCH(bool, expected);
        const auto parsed = FieldSelector::parse(selector);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->matches(pod()), expected);
    }

    void validateFields()
    {
        const QStringList supported{QStringLiteral("metadata.name"), QStringLiteral("metadata.namespace"),
                                    QStringLiteral("spec.nodeName"), QStringLiteral("status.phase")};
        QVERIFY(
            FieldSelector::parse(QStringLiteral("spec.nodeName=a,status.phase!=b"))->validateFields(supported).ok());
        const auto status =
            FieldSelector::parse(QStringLiteral("spec.nodeName=a,spec.foo=b"))->validateFields(supported);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().category(), ErrorCategory::BadRequest);
        QCOMPARE(status.error().httpCode(), 400);
        QCOMPARE(status.error().message(), QStringLiteral("field label not supported: spec.foo"));
        QVERIFY(FieldSelector().validateFields({}).ok());
    }

    void requiredValue()
    {
        const auto selector = FieldSelector::parse(QStringLiteral("status.phase!=Failed,spec.nodeName==vk-1"));
        QVERIFY(selector.ok());
        QCOMPARE(selector->requiredValue(QStringLiteral("spec.nodeName")),
                 std::optional<QString>(QStringLiteral("vk-1")));
        QCOMPARE(selector->requiredValue(QStringLiteral("status.phase")), std::nullopt);
        QCOMPARE(selector->requiredValue(QStringLiteral("metadata.name")), std::nullopt);
        QVERIFY(FieldSelector().matches(pod()));
    }
};

QTEST_GUILESS_MAIN(FieldSelectorTest)
#include "tst_fieldselector.moc"
