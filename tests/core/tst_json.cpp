// SPDX-License-Identifier: Apache-2.0
#include "core/Json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

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

    void formatTimes_data()
    {
        QTest::addColumn<QDateTime>("time");
        QTest::addColumn<QString>("seconds");
        QTest::addColumn<QString>("micro");
        const auto utc = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC); };
        QTest::newRow("now-ish") << utc(1795306414123) << QStringLiteral("2026-11-22T00:13:34Z")
                                 << QStringLiteral("2026-11-22T00:13:34.123000Z");
        QTest::newRow("epoch") << utc(0) << QStringLiteral("1970-01-01T00:00:00Z")
                               << QStringLiteral("1970-01-01T00:00:00.000000Z");
        QTest::newRow("before epoch") << utc(-1) << QStringLiteral("1969-12-31T23:59:59Z")
                                      << QStringLiteral("1969-12-31T23:59:59.999000Z");
        QTest::newRow("leap day 2024") << QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 5), Qt::UTC)
                                       << QStringLiteral("2024-02-29T23:59:59Z")
                                       << QStringLiteral("2024-02-29T23:59:59.005000Z");
        QTest::newRow("leap day 2000") << QDateTime(QDate(2000, 2, 29), QTime(12, 0), Qt::UTC)
                                       << QStringLiteral("2000-02-29T12:00:00Z")
                                       << QStringLiteral("2000-02-29T12:00:00.000000Z");
        QTest::newRow("no leap day 1900")
            << QDateTime(QDate(1900, 3, 1), QTime(0, 0), Qt::UTC) << QStringLiteral("1900-03-01T00:00:00Z")
            << QStringLiteral("1900-03-01T00:00:00.000000Z");
        QTest::newRow("year 1") << QDateTime(QDate(1, 1, 1), QTime(0, 0, 1), Qt::UTC)
                                << QStringLiteral("0001-01-01T00:00:01Z")
                                << QStringLiteral("0001-01-01T00:00:01.000000Z");
        QTest::newRow("year 9999") << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC)
                                   << QStringLiteral("9999-12-31T23:59:59Z")
                                   << QStringLiteral("9999-12-31T23:59:59.999000Z");
        QTest::newRow("offset") << QDateTime(QDate(2026, 11, 22), QTime(1, 13, 34), QTimeZone(3600))
                                << QStringLiteral("2026-11-22T00:13:34Z")
                                << QStringLiteral("2026-11-22T00:13:34.000000Z");
        QTest::newRow("invalid") << QDateTime() << QString() << QString();
    }

    void formatTimes()
    {
        QFETCH(QDateTime, time);
        QFETCH(QString, seconds);
        QFETCH(QString, micro);
        QCOMPARE(json::formatTime(time), seconds);
        QCOMPARE(json::formatMicroTime(time), micro);
        if (time.isValid()) { // as Qt formats it
            QCOMPARE(json::formatTime(time), time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ")));
        }
    }

    void hashFollowsContent_data()
    {
        QTest::addColumn<QJsonValue>("a");
        QTest::addColumn<QJsonValue>("b");
        QTest::addColumn<bool>("equal");
        const auto parse = [](const char* text) { return QJsonDocument::fromJson(text).object(); };
        QTest::newRow("key order") << QJsonValue(parse(R"({"a":1,"b":{"c":[1,"x",null,true]}})"))
                                   << QJsonValue(parse(R"({"b":{"c":[1,"x",null,true]},"a":1})")) << true;
        QTest::newRow("number vs string")
            << QJsonValue(parse(R"({"a":1})")) << QJsonValue(parse(R"({"a":"1"})")) << false;
        QTest::newRow("array order") << QJsonValue(parse(R"({"a":[1,2]})")) << QJsonValue(parse(R"({"a":[2,1]})"))
                                     << false;
        QTest::newRow("split strings") << QJsonValue(parse(R"({"a":["ab","c"]})"))
                                       << QJsonValue(parse(R"({"a":["a","bc"]})")) << false;
        QTest::newRow("empty array vs object") << QJsonValue(QJsonArray()) << QJsonValue(QJsonObject()) << false;
        QTest::newRow("key moved") << QJsonValue(parse(R"({"a":{"b":1},"c":{}})"))
                                   << QJsonValue(parse(R"({"a":{},"c":{"b":1}})")) << false;
        QTest::newRow("null vs missing") << QJsonValue(parse(R"({"a":null})")) << QJsonValue(parse("{}")) << false;
        QTest::newRow("false vs 0") << QJsonValue(false) << QJsonValue(0) << false;
        QTest::newRow("zero signs") << QJsonValue(0.0) << QJsonValue(-0.0) << true;
    }

    void hashFollowsContent()
    {
        QFETCH(QJsonValue, a);
        QFETCH(QJsonValue, b);
        QFETCH(bool, equal);
        QCOMPARE(json::hash(a) == json::hash(b), equal);
        QCOMPARE(json::hash(a), json::hash(a));
        QVERIFY(json::hash(a, 1) != json::hash(a, 2));
    }

    void unorderedCombineIgnoresOrderButCountsDuplicates()
    {
        const quint64 x = json::hash(QStringLiteral("x"));
        const quint64 y = json::hash(QStringLiteral("y"));
        QCOMPARE(json::unorderedCombine(json::unorderedCombine(0, x), y),
                 json::unorderedCombine(json::unorderedCombine(0, y), x));
        QVERIFY(json::unorderedCombine(json::unorderedCombine(0, x), x) != json::unorderedCombine(0, x));
        QVERIFY(json::unorderedCombine(json::unorderedCombine(0, x), x) !=
                json::unorderedCombine(json::unorderedCombine(0, y), y));
    }
};

QTEST_GUILESS_MAIN(JsonTest)
#include "tst_json.moc"
