// SPDX-License-Identifier: Apache-2.0
#include "core/Json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;

class JsonTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yamlScalars_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("plain int") << QByteArray("v: 42") << QByteArray(R"({"v":42})");
        QTest::newRow("negative int") << QByteArray("v: -7") << QByteArray(R"({"v":-7})");
        QTest::newRow("float") << QByteArray("v: 1.5") << QByteArray(R"({"v":1.5})");
        QTest::newRow("bool true") << QByteArray("v: true") << QByteArray(R"({"v":true})");
        QTest::newRow("yaml 1.1 yes stays a string") << QByteArray("v: yes") << QByteArray(R"({"v":"yes"})");
        QTest::newRow("null tilde") << QByteArray("v: ~") << QByteArray(R"({"v":null})");
        QTest::newRow("empty value is null") << QByteArray("v:") << QByteArray(R"({"v":null})");
        QTest::newRow("quoted number stays a string") << QByteArray("v: \"42\"") << QByteArray(R"({"v":"42"})");
        QTest::newRow("single quoted bool stays a string") << QByteArray("v: 'true'") << QByteArray(R"({"v":"true"})");
        QTest::newRow("cpu quantity is a string") << QByteArray("v: 100m") << QByteArray(R"({"v":"100m"})");
        QTest::newRow("hex") << QByteArray("v: 0x1F") << QByteArray(R"({"v":31})");
        QTest::newRow("nested") << QByteArray("a:\n  b: [1, x]\n  c: {d: e}")
                                << QByteArray(R"({"a":{"b":[1,"x"],"c":{"d":"e"}}})");
        QTest::newRow("block sequence of maps")
            << QByteArray("items:\n- name: a\n- name: b") << QByteArray(R"({"items":[{"name":"a"},{"name":"b"}]})");
    }

    void yamlScalars()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QByteArray, json);
        auto value = json::fromYaml(yaml, QStringLiteral("test.yaml"));
        QVERIFY2(value.ok(), qPrintable(value.ok() ? QString() : value.error().message()));
        QCOMPARE(QJsonDocument(value->toObject()).toJson(QJsonDocument::Compact), json);
    }

    void yamlErrorsNameSourceAndLine()
    {
        auto value = json::fromYaml(QByteArray("a: b\nc: [unclosed\n"), QStringLiteral("bad.yaml"));
        QVERIFY(!value.ok());
        QCOMPARE(value.error().category(), ErrorCategory::BadRequest);
        QVERIFY2(value.error().message().startsWith(QStringLiteral("bad.yaml:")), qPrintable(value.error().message()));
    }

    void yamlStreamSkipsEmptyDocuments()
    {
        auto docs = json::fromYamlStream(QByteArray("---\na: 1\n---\n---\nb: 2\n"), QStringLiteral("s.yaml"));
        QVERIFY(docs.ok());
        QCOMPARE(docs->size(), 2);
    }

    void yamlRoundTrip()
    {
        const QJsonObject original{
            {QStringLiteral("s"), QStringLiteral("text")},
            {QStringLiteral("n"), 3},
            {QStringLiteral("numberAsString"), QStringLiteral("3")},
            {QStringLiteral("boolAsString"), QStringLiteral("true")},
            {QStringLiteral("empty"), QString()},
            {QStringLiteral("list"), QJsonArray{1, QStringLiteral("a")}},
            {QStringLiteral("obj"), QJsonObject{{QStringLiteral("k"), QJsonValue::Null}}},
            {QStringLiteral("emptyList"), QJsonArray{}},
            {QStringLiteral("emptyObj"), QJsonObject{}},
        };
        const QByteArray yaml = json::toYaml(original);
        auto back = json::fromYaml(yaml, QStringLiteral("roundtrip"));
        QVERIFY(back.ok());
        QCOMPARE(back->toObject(), original);
    }

    void parseObjectErrorsNameSource_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<bool>("ok");
        QTest::newRow("json object") << QByteArray(R"({"kind":"Pod"})") << QByteArray("application/json") << true;
        QTest::newRow("truncated json") << QByteArray(R"({"kind":"Pod",)") << QByteArray("application/json") << false;
        QTest::newRow("json array is not an object") << QByteArray("[1]") << QByteArray("application/json") << false;
        QTest::newRow("yaml object") << QByteArray("kind: Pod\n") << QByteArray("application/yaml") << true;
        QTest::newRow("yaml scalar") << QByteArray("just text") << QByteArray("application/yaml") << false;
        QTest::newRow("broken yaml") << QByteArray("a: [") << QByteArray("application/yaml") << false;
    }

    void parseObjectErrorsNameSource()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(bool, ok);
        auto result = json::parseObjectJsonOrYaml(body, contentType, QStringLiteral("request body"));
        QCOMPARE(result.ok(), ok);
        if (!ok)
            QVERIFY(result.error().message().contains(QStringLiteral("request body")));
    }

    void times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("msecsSinceEpoch");
        QTest::newRow("seconds") << QStringLiteral("2026-11-22T00:13:34Z") << qint64(1795306414000);
        QTest::newRow("micro") << QStringLiteral("2026-11-22T00:13:34.123456Z") << qint64(1795306414123);
        QTest::newRow("offset") << QStringLiteral("2026-11-22T01:13:34+01:00") << qint64(1795306414000);
        QTest::newRow("garbage") << QStringLiteral("yesterday") << qint64(-1);
    }

    void times()
    {
        QFETCH(QString, text);
        QFETCH(qint64, msecsSinceEpoch);
        const QDateTime t = json::parseTime(text);
        if (msecsSinceEpoch < 0) {
            QVERIFY(!t.isValid());
            return;
        }
        QCOMPARE(t.toMSecsSinceEpoch(), msecsSinceEpoch);
    }

    void formatTimes()
    {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(1795306414123, Qt::UTC);
        QCOMPARE(json::formatTime(t), QStringLiteral("2026-11-22T00:13:34Z"));
        QCOMPARE(json::formatMicroTime(t), QStringLiteral("2026-11-22T00:13:34.123000Z"));
    }
};

QTEST_GUILESS_MAIN(JsonTest)
#include "tst_json.moc"
