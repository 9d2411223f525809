// SPDX-License-Identifier: Apache-2.0
#include "FakeApiServer.h"
#include "TestUtil.h"

#include "core/KubeStatus.h"
#include "kube/ApiClient.h"
#include "kube/Watch.h"
#include "kube/WatchEvent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using namespace vk::kube;
using namespace vk::test;

namespace {

QByteArray eventLine(const char* type, const QJsonObject& object)
{
    return QJsonDocument(
               QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type)}, {QStringLiteral("object"), object}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

QJsonObject bookmark(const QString& resourceVersion)
{
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("resourceVersion"), resourceVersion}}}};
}

/// Everything a watch reported.
struct Recorder
{
    QList<WatchEvent> events;
    std::optional<Status> finished;
    int finishedCount = 0;

    void attach(Watch* watch, QObject* context)
    {
        QObject::connect(watch, &Watch::eventReceived, context, [this](const WatchEvent& e) { events.append(e); });
        QObject::connect(watch, &Watch::finished, context, [this](const Status& s) {
            ++finishedCount;
            finished = s;
        });
    }
    QStringList types() const
    {
        QStringList list;
        for (const auto& e : events)
            list << WatchEvent::typeName(e.type);
        return list;
    }
};

QList<QJsonObject> decodeAll(const QList<QByteArray>& chunks, QString* error = nullptr)
{
    WatchDecoder decoder;
    QList<QJsonObject> objects;
    for (const QByteArray& chunk : chunks) {
        auto result = decoder.feed(chunk);
        if (!result) {
            if (error)
                *error = result.error().message();
            return objects;
        }
        objects += result.value();
    }
    if (decoder.hasPartialObject() && error)
        *error = QStringLiteral("partial object left");
    return objects;
}

} // namespace

class WatchTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decoderFindsEveryEventWhereverTheStreamIsCut_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QStringList>("types");
        const QJsonObject pod = podObject(QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("5"));
        QTest::newRow("one event per line") << (eventLine("ADDED", pod) + eventLine("MODIFIED", pod))
                                            << QStringList{QStringLiteral("ADDED"), QStringLiteral("MODIFIED")};
        QTest::newRow("the stream of a real kube-apiserver")
            << testData(QStringLiteral("watch-stream-capture.jsonl"))
            << QStringList{QStringLiteral("MODIFIED"), QStringLiteral("MODIFIED"), QStringLiteral("MODIFIED"),
                           QStringLiteral("DELETED"),  QStringLiteral("BOOKMARK"), QStringLiteral("BOOKMARK")};
        QTest::newRow("events without newlines between them")
            << (eventLine("ADDED", pod).trimmed() + eventLine("DELETED", pod).trimmed())
            << QStringList{QStringLiteral("ADDED"), QStringLiteral("DELETED")};
        QTest::newRow("CRLF and blank lines between events")
            << (QByteArray("\r\n") + eventLine("ADDED", pod).trimmed() + "\r\n\r\n" +
                eventLine("BOOKMARK", bookmark(QStringLiteral("9"))))
            << QStringList{QStringLiteral("ADDED"), QStringLiteral("BOOKMARK")};
        QJsonObject tricky = pod;
        tricky.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("s"), QStringLiteral("} { \" \\ ] [ \n")}});
        QTest::newRow("braces, quotes and backslashes inside strings")
            << (eventLine("MODIFIED", tricky) + eventLine("ADDED", pod))
            << QStringList{QStringLiteral("MODIFIED"), QStringLiteral("ADDED")};
        QJsonObject backslashes = pod;
        backslashes.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("a"), QStringLiteral("ends in \\")},
                                                               {QStringLiteral("b"), QStringLiteral("\\\"}{")}});
        QTest::newRow("backslash runs before quotes")
            << (eventLine("MODIFIED", backslashes) + eventLine("ADDED", pod))
            << QStringList{QStringLiteral("MODIFIED"), QStringLiteral("ADDED")};
        QTest::newRow("an ERROR event with a Status")
            << testData(QStringLiteral("watch-410-expired.jsonl")) << QStringList{QStringLiteral("ERROR")};
    }

    void decoderFindsEveryEventWhereverTheStreamIsCut()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QStringList, types);
        QString error;
        const QList<QJsonObject> whole = decodeAll({stream}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(whole.size(), types.size());
        for (int i = 0; i < types.size(); ++i) {
            auto event = WatchEvent::fromJson(whole[i]);
            QVERIFY(event.ok());
            QCOMPARE(WatchEvent::typeName(event->type), types[i]);
        }
        // Two chunks, cut at every byte boundary.
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            const QList<QJsonObject> objects = decodeAll({stream.left(cut), stream.mid(cut)}, &error);
            if (!error.isEmpty() || objects != whole)
                QFAIL(qPrintable(QStringLiteral("cut at byte %1: %2")
                                     .arg(cut)
                                     .arg(error.isEmpty() ? QStringLiteral("different objects") : error)));
        }
        // Three chunks around every boundary, and one byte at a time.
        for (qsizetype cut = 1; cut + 1 < stream.size(); cut += 7) {
            QCOMPARE(decodeAll({stream.left(cut), stream.mid(cut, 1), stream.mid(cut + 1)}), whole);
        }
        QList<QByteArray> bytes;
        for (char c : stream)
            bytes << QByteArray(1, c);
        QCOMPARE(decodeAll(bytes), whole);
    }

    void objectMemberTextIsTheObjectAsSent_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("compact, type first") << QByteArray(R"({"type":"ADDED","object":{"a":1,"b":{"c":[1,{}]}}})")
                                             << QByteArray(R"({"a":1,"b":{"c":[1,{}]}})");
        QTest::newRow("object first, spaces and newlines kept inside")
            << QByteArray("{ \"object\" : {\n \"x\": \"y\" } , \"type\":\"MODIFIED\"}\n")
            << QByteArray("{\n \"x\": \"y\" }");
        // Rows with escaped quotes use ordinary string literals (moc misreads them inside raw strings).
        QTest::newRow("braces, quotes and escapes inside strings")
            << QByteArray("{\"type\":\"ADDED\",\"object\":{\"m\":\"} { ] [ \\\" \\\\\",\"n\":\"\\\"object\\\"\"}}")
            << QByteArray("{\"m\":\"} { ] [ \\\" \\\\\",\"n\":\"\\\"object\\\"\"}");
        QTest::newRow("a nested member named object is not the top-level one")
            << QByteArray(R"({"type":"ADDED","meta":{"object":{"no":1}},"object":{"yes":2}})")
            << QByteArray(R"({"yes":2})");
        QTest::newRow("scalars before it")
            << QByteArray(R"({"n":12.5e3,"t":true,"z":null,"object":{}})") << QByteArray("{}");
        QTest::newRow("no object member") << QByteArray(R"({"type":"BOOKMARK"})") << QByteArray();
        QTest::newRow("object member that is not an object") << QByteArray(R"({"object":[1]})") << QByteArray();
        QTest::newRow("not a JSON object") << QByteArray("[1,2]") << QByteArray();
        QTest::newRow("cut short") << QByteArray(R"({"type":"ADDED","object":{"a":)") << QByteArray();
    }

    void objectMemberTextIsTheObjectAsSent()
    {
        QFETCH(QByteArray, event);
        QFETCH(QByteArray, expected);
        QCOMPARE(WatchDecoder::objectMemberText(event), expected);
    }

    void memberObjectTextIsTheTopLevelMemberAsSent_data()
    {
        // Rows with escaped quotes or an odd number of quotes or brackets use ordinary string literals (moc
        // misreads them inside raw strings).
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("member");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray pod(R"({"metadata":{"name":"p"},"spec":{"nodeName":"n"},"status":{"phase":"Running"}})");
        QTest::newRow("first member") << pod << QByteArray("metadata") << QByteArray(R"({"name":"p"})");
        QTest::newRow("middle member") << pod << QByteArray("spec") << QByteArray(R"({"nodeName":"n"})");
        QTest::newRow("last member") << pod << QByteArray("status") << QByteArray(R"({"phase":"Running"})");
        QTest::newRow("the only member, empty")
            << QByteArray(R"({"status":{}})") << QByteArray("status") << QByteArray("{}");
        QTest::newRow("nested objects and arrays")
            << QByteArray(R"({"a":[{"b":[[],{}]}],"status":{"c":{"d":[1,[2,{"e":[]}]]},"f":[{}]},"z":{}})")
            << QByteArray("status") << QByteArray(R"({"c":{"d":[1,[2,{"e":[]}]]},"f":[{}]})");
        QTest::newRow("pretty printed: whitespace inside kept, around it dropped")
            << QByteArray("{\n  \"kind\" : \"Pod\" ,\n  \"status\"\t:\r\n {\n    \"phase\": \"Running\"\n  }\n}\n")
            << QByteArray("status") << QByteArray("{\n    \"phase\": \"Running\"\n  }");
        QTest::newRow("braces and brackets inside strings, before and inside it")
            << QByteArray("{\"cmd\":\"} ] { [\",\"status\":{\"msg\":\"}}]] {{[[\",\"n\":1},\"x\":\"{\"}")
            << QByteArray("status") << QByteArray("{\"msg\":\"}}]] {{[[\",\"n\":1}");
        QTest::newRow("escaped quotes and backslashes, before and inside it")
            << QByteArray("{\"a\":\"x\\\"}\\\\\",\"b\\\\\":\"\\\\\",\"status\":{\"m\":\"\\\"{\\\\\\\"\"}}")
            << QByteArray("status") << QByteArray("{\"m\":\"\\\"{\\\\\\\"\"}");
        QTest::newRow("the name as a value before it")
            << QByteArray("{\"kind\":\"status\",\"note\":\"\\\"status\\\":{\\\"no\\\":1}\",\"status\":{\"yes\":2}}")
            << QByteArray("status") << QByteArray(R"({"yes":2})");
        QTest::newRow("the name inside a nested object before it")
            << QByteArray(R"({"spec":{"status":{"no":1},"x":[{"status":{"no":2}}]},"status":{"yes":3}})")
            << QByteArray("status") << QByteArray(R"({"yes":3})");
        QTest::newRow("the name only inside a nested object")
            << QByteArray(R"({"spec":{"status":{"no":1}}})") << QByteArray("status") << QByteArray();
        QTest::newRow("names it is a prefix or suffix of")
            << QByteArray(R"({"statuses":{"no":1},"xstatus":{"no":2},"stat":{},"status":{"yes":3}})")
            << QByteArray("status") << QByteArray(R"({"yes":3})");
        QTest::newRow("a name written with escapes")
            << QByteArray("{\"st\\u0061tus\":{\"yes\":1}}") << QByteArray("status") << QByteArray(R"({"yes":1})");
        QTest::newRow("a repeated member: the first")
            << QByteArray(R"({"status":{"n":1},"status":{"n":2}})") << QByteArray("status") << QByteArray(R"({"n":1})");
        QTest::newRow("missing member") << pod << QByteArray("kind") << QByteArray();
        QTest::newRow("empty object") << QByteArray("{ }") << QByteArray("status") << QByteArray();
        QTest::newRow("an array") << QByteArray(R"({"status":[{"a":1}]})") << QByteArray("status") << QByteArray();
        QTest::newRow("a string that looks like an object")
            << QByteArray(R"({"status":"{}"})") << QByteArray("status") << QByteArray();
        QTest::newRow("a number") << QByteArray(R"({"status":1})") << QByteArray("status") << QByteArray();
        QTest::newRow("null") << QByteArray(R"({"status":null})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: empty text") << QByteArray() << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: an array, not an object")
            << QByteArray(R"([{"status":{}}])") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: unquoted name before it")
            << QByteArray(R"({a:1,"status":{}})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: no colon before it")
            << QByteArray(R"({"a" 1,"status":{}})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: no comma before it")
            << QByteArray(R"({"a":1 "status":{}})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: no value before it")
            << QByteArray(R"({"a":,"status":{}})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: trailing comma") << QByteArray(R"({"a":1,})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: unterminated string before it")
            << QByteArray("{\"a\":\"x,\"status\":{}}") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: unterminated string inside it")
            << QByteArray("{\"status\":{\"a\":\"x}}") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: mismatched brackets inside it")
            << QByteArray(R"({"status":{"a":[1}]})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: mismatched brackets before it")
            << QByteArray(R"({"a":[{]},"status":{}})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: cut short inside it")
            << QByteArray(R"({"status":{"a":{"b":1})") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: cut short in a name")
            << QByteArray("{\"stat") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed: cut short after a name")
            << QByteArray(R"({"status")") << QByteArray("status") << QByteArray();
        QTest::newRow("malformed after it: not looked at")
            << QByteArray(R"({"status":{"a":1},<html>)") << QByteArray("status") << QByteArray(R"({"a":1})");
    }

    void memberObjectTextIsTheTopLevelMemberAsSent()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, member);
        QFETCH(QByteArray, expected);
        const QByteArray found = WatchDecoder::memberObjectText(text, member);
        QCOMPARE(found, expected);
        if (!found.isEmpty()) // what it cuts out is a whole object
            QVERIFY(QJsonDocument::fromJson(found).isObject());
    }

    void memberArrayItemTextsAreTheItemsAsSent_data()
    {
        // Ordinary string literals throughout: moc misreads unpaired brackets and quotes inside raw strings.
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QList<QByteArray>>("expected");
        using Items = QList<QByteArray>;
        QTest::newRow("a list") << QByteArray(
                                       "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\"},"
                                       "\"items\":[{\"metadata\":{\"name\":\"a\"}},{\"metadata\":{\"name\":\"b\"}}]}")
                                << Items{"{\"metadata\":{\"name\":\"a\"}}", "{\"metadata\":{\"name\":\"b\"}}"};
        QTest::newRow("items before other members")
            << QByteArray("{\"items\":[{\"a\":[1,{\"b\":\"]\"}]}],\"metadata\":{}}")
            << Items{"{\"a\":[1,{\"b\":\"]\"}]}"};
        QTest::newRow("pretty printed: whitespace around items dropped")
            << QByteArray("{\n  \"items\": [\n    {\"a\": 1},\n    {\"b\": 2}\n  ]\n}")
            << Items{"{\"a\": 1}", "{\"b\": 2}"};
        QTest::newRow("scalars and nested arrays")
            << QByteArray("{\"items\":[1,\"x\",[2,3],null]}") << Items{"1", "\"x\"", "[2,3]", "null"};
        QTest::newRow("empty") << QByteArray("{\"items\":[]}") << Items{};
        QTest::newRow("empty with spaces") << QByteArray("{\"items\":[ ]}") << Items{};
        QTest::newRow("not an array") << QByteArray("{\"items\":{\"a\":1}}") << Items{};
        QTest::newRow("missing") << QByteArray("{\"metadata\":{}}") << Items{};
        QTest::newRow("the name only nested") << QByteArray("{\"spec\":{\"items\":[{\"a\":1}]}}") << Items{};
        QTest::newRow("malformed: no comma between items")
            << QByteArray("{\"items\":[{\"a\":1} {\"b\":2}]}") << Items{};
        QTest::newRow("malformed: trailing comma") << QByteArray("{\"items\":[{\"a\":1},]}") << Items{};
        QTest::newRow("malformed: cut short") << QByteArray("{\"items\":[{\"a\":1},{\"b\":") << Items{};
        QTest::newRow("malformed: mismatched brackets") << QByteArray("{\"items\":[{\"a\":[1}]]}") << Items{};
    }

    void memberArrayItemTextsAreTheItemsAsSent()
    {
        QFETCH(QByteArray, text);
        QFETCH(QList<QByteArray>, expected);
        const QList<QByteArray> found = WatchDecoder::memberArrayItemTexts(text, "items");
        QCOMPARE(found, expected);
        // Each one parses to the item QJsonDocument reads at that place.
        const QJsonArray parsed = QJsonDocument::fromJson(text).object().value(QLatin1String("items")).toArray();
        for (qsizetype i = 0; i < found.size(); ++i)
            QCOMPARE(QJsonDocument::fromJson("[" + found.at(i) + "]").array().first(), parsed.at(i));
    }

    void itemTextsOfKubeApiserversPodList()
    {
        // kube-apiserver's answer to a node's pod list: pretty-printed, managedFields with escaped quotes.
        const QByteArray captured = testData(QStringLiteral("podlist-capture.json"));
        const QJsonArray items = QJsonDocument::fromJson(captured).object().value(QLatin1String("items")).toArray();
        QCOMPARE(items.size(), 2);
        const QList<QByteArray> texts = WatchDecoder::memberArrayItemTexts(captured, "items");
        QCOMPARE(texts.size(), items.size());
        for (qsizetype i = 0; i < texts.size(); ++i) {
            QVERIFY(texts.at(i).startsWith('{') && texts.at(i).endsWith('}'));
            QCOMPARE(QJsonDocument::fromJson(texts.at(i)).object(), items.at(i).toObject());
        }
    }

    void memberValueTextIsTheValueAsSent_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("member");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("a string, quotes kept")
            << QByteArray("{\"type\":\"MODIFIED\",\"object\":{}}") << QByteArray("type") << QByteArray("\"MODIFIED\"");
        QTest::newRow("a number") << QByteArray("{\"a\":{\"n\":1},\"n\":12.5}") << QByteArray("n")
                                  << QByteArray("12.5");
        QTest::newRow("an object") << QByteArray("{\"o\":{\"x\":[1]}}") << QByteArray("o") << QByteArray("{\"x\":[1]}");
        QTest::newRow("a string with escapes")
            << QByteArray("{\"type\":\"MOD\\u0049FIED\"}") << QByteArray("type") << QByteArray("\"MOD\\u0049FIED\"");
        QTest::newRow("after a string ending in an escaped backslash")
            << QByteArray("{\"a\":\"p\\\\\",\"b\":2}") << QByteArray("b") << QByteArray("2");
        QTest::newRow("after a string with an escaped quote behind an escaped backslash")
            << QByteArray("{\"a\":\"p\\\\\\\"q\",\"b\":3}") << QByteArray("b") << QByteArray("3");
        QTest::newRow("missing") << QByteArray("{\"object\":{}}") << QByteArray("type") << QByteArray();
        QTest::newRow("cut short") << QByteArray("{\"type\":\"ADD") << QByteArray("type") << QByteArray();
    }

    void memberValueTextIsTheValueAsSent()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, member);
        QFETCH(QByteArray, expected);
        QCOMPARE(WatchDecoder::memberValueText(text, member), expected);
    }

    void eventsReadLazilyMatchEventsParsedWhole_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<bool>("lazy"); // read lazily, or left for the caller to parse whole
        const QByteArray pod =
            "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"d\",\"resourceVersion\":\"7\"},"
            "\"spec\":{\"nodeName\":\"n\"},\"status\":{\"phase\":\"Running\"}}";
        QTest::newRow("ADDED") << QByteArray("{\"type\":\"ADDED\",\"object\":" + pod + "}") << true;
        QTest::newRow("MODIFIED, object first") << QByteArray("{\"object\":" + pod + ",\"type\":\"MODIFIED\"}") << true;
        QTest::newRow("DELETED") << QByteArray("{\"type\":\"DELETED\",\"object\":" + pod + "}") << false;
        QTest::newRow("BOOKMARK")
            << QByteArray("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}") << false;
        QTest::newRow("type with escapes") << QByteArray("{\"type\":\"ADD\\u0045D\",\"object\":" + pod + "}") << false;
        QTest::newRow("object without metadata")
            << QByteArray("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"}}") << false;
        QTest::newRow("no object") << QByteArray("{\"type\":\"ADDED\"}") << false;
    }

    void eventsReadLazilyMatchEventsParsedWhole()
    {
        QFETCH(QByteArray, event);
        QFETCH(bool, lazy);
        const std::optional<WatchEvent> read = WatchEvent::fromTextLazily(event);
        QCOMPARE(read.has_value(), lazy);
        if (!lazy)
            return;
        const auto whole = WatchEvent::fromJson(QJsonDocument::fromJson(event).object());
        QVERIFY(whole.ok());
        QCOMPARE(read->type, whole->type);
        QVERIFY(!read->isObjectParsed());
        QCOMPARE(read->resourceVersion(), QStringLiteral("7"));
        QCOMPARE(read->metadata(), whole->object().value(QLatin1String("metadata")).toObject());
        QVERIFY(!read->isObjectParsed()); // the metadata alone was enough
        QCOMPARE(read->object(), whole->object());
        QVERIFY(read->isObjectParsed());
        QCOMPARE(read->objectJson, WatchDecoder::objectMemberText(event));
    }

    void aLazyEventWhoseObjectIsNotJsonReadsAsEmpty()
    {
        // Only the structure is scanned before the object is asked for: a bad scalar shows then, as an empty object.
        const auto read =
            WatchEvent::fromTextLazily("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"p\"},\"x\":tru}}");
        QVERIFY(read.has_value());
        QCOMPARE(read->metadata().value(QLatin1String("name")).toString(), QStringLiteral("p"));
        QVERIFY(read->object().isEmpty());
    }

    void decoderReportsIncompleteAndInvalidStreams()
    {
        WatchDecoder decoder;
        auto partial = decoder.feed("{\"type\":\"ADDED\",\"object\":{\"metadata\":");
        QVERIFY(partial.ok());
        QVERIFY(partial->isEmpty());
        QVERIFY(decoder.hasPartialObject());

        WatchDecoder garbage;
        auto bad = garbage.feed("<html>502 Bad Gateway</html>");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message().contains(QStringLiteral("byte 0")), qPrintable(bad.error().message()));

        WatchDecoder broken;
        auto invalid = broken.feed("{\"type\": ADDED}\n");
        QVERIFY(!invalid.ok());
    }

    void eventsFromTheServerIncludingSplitAndBatchedChunks()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> stream;
        server.setHandler([&](FakeExchange* e) {
            stream = e;
            e->beginStream();
        });
        ApiClient client(connectionTo(server.url()));
        WatchOptions options;
        options.resourceVersion = QStringLiteral("10");
        options.timeoutSeconds = 300;
        options.labelSelector = QStringLiteral("app=web");
        Watch* watch = client.watch(GroupVersionResource::pods(), QStringLiteral("default"), options, this);
        Recorder recorder;
        recorder.attach(watch, this);
        QTRY_VERIFY(stream);
        const FakeRequest request = server.lastRequest();
        QCOMPARE(request.path, QByteArray("/api/v1/namespaces/default/pods"));
        QCOMPARE(request.queryValue(QStringLiteral("watch")), QStringLiteral("true"));
        QCOMPARE(request.queryValue(QStringLiteral("resourceVersion")), QStringLiteral("10"));
        QCOMPARE(request.queryValue(QStringLiteral("allowWatchBookmarks")), QStringLiteral("true"));
        QCOMPARE(request.queryValue(QStringLiteral("timeoutSeconds")), QStringLiteral("300"));
        QCOMPARE(request.queryValue(QStringLiteral("labelSelector")), QStringLiteral("app=web"));

        const QByteArray added =
            eventLine("ADDED", podObject(QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("11")));
        const QByteArray modified =
            eventLine("MODIFIED", podObject(QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("12")));
        const QByteArray deleted =
            eventLine("DELETED", podObject(QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("13")));
        // One event split in three chunks.
        stream->writeChunk(added.left(5));
        stream->writeChunk(added.mid(5, 20));
        QTRY_COMPARE(server.requestCount(), 1);
        stream->writeChunk(added.mid(25));
        QTRY_COMPARE(recorder.events.size(), 1);
        // Two events and the start of a third in one chunk.
        stream->writeChunk(modified + deleted.left(deleted.size() / 2));
        QTRY_COMPARE(recorder.events.size(), 2);
        stream->writeChunk(deleted.mid(deleted.size() / 2) + eventLine("BOOKMARK", bookmark(QStringLiteral("20"))));
        QTRY_COMPARE(recorder.events.size(), 4);
        QCOMPARE(recorder.types(), (QStringList{QStringLiteral("ADDED"), QStringLiteral("MODIFIED"),
                                                QStringLiteral("DELETED"), QStringLiteral("BOOKMARK")}));
        QCOMPARE(recorder.events[1].resourceVersion(), QStringLiteral("12"));
        // Added/modified events carry their object's text as sent, for caches that keep text.
        QCOMPARE(recorder.events[1].objectJson, WatchDecoder::objectMemberText(modified.trimmed()));
        QCOMPARE(QJsonDocument::fromJson(recorder.events[0].objectJson).object(), recorder.events[0].object());
        QVERIFY(recorder.events[2].objectJson.isEmpty());
        QCOMPARE(watch->lastResourceVersion(), QStringLiteral("20"));
        QVERIFY(!recorder.finished);
        QVERIFY(watch->isRunning());

        stream->endStream(); // the server's timeoutSeconds ran out
        QTRY_VERIFY(recorder.finished.has_value());
        QVERIFY(recorder.finished->ok());
        QVERIFY(!watch->isRunning());
        QCOMPARE(recorder.finishedCount, 1);
    }

    void expiredResourceVersionErrorEventBecomesGone()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            e->beginStream();
            e->writeChunk(testData(QStringLiteral("watch-410-expired.jsonl")));
            // A real server ends the stream after the error; leave it open to prove the Watch does not wait.
        });
        ApiClient client(connectionTo(server.url()));
        WatchOptions options;
        options.resourceVersion = QStringLiteral("1");
        Watch* watch = client.watch(GroupVersionResource::pods(), QStringLiteral("default"), options, this);
        Recorder recorder;
        recorder.attach(watch, this);
        QTRY_VERIFY(recorder.finished.has_value());
        QCOMPARE(recorder.types(), QStringList{QStringLiteral("ERROR")});
        QCOMPARE(recorder.events[0].error().category(), ErrorCategory::Gone);
        QVERIFY(!recorder.finished->ok());
        QCOMPARE(recorder.finished->error().category(), ErrorCategory::Gone);
        QCOMPARE(recorder.finished->error().httpCode(), 410);
        QCOMPARE(recorder.finished->error().message(), QStringLiteral("too old resource version: 1 (187)"));
        QCOMPARE(watch->lastResourceVersion(), QStringLiteral("1")); // errors do not move the version
    }

    void httpErrorAnswerEndsTheWatch()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler(
            [](FakeExchange* e) { e->respond(403, testData(QStringLiteral("status-403-forbidden.json"))); });
        ApiClient client(connectionTo(server.url()));
        Watch* watch = client.watch(GroupVersionResource::namespaces(), {}, WatchOptions{}, this);
        Recorder recorder;
        recorder.attach(watch, this);
        QTRY_VERIFY(recorder.finished.has_value());
        QCOMPARE(recorder.finished->error().category(), ErrorCategory::Forbidden);
        QVERIFY(recorder.events.isEmpty());
        QCOMPARE(server.lastRequest().path, QByteArray("/api/v1/namespaces"));
        QCOMPARE(server.requestCount(), 1); // no retries at this level
    }

    void droppedConnectionIsANetworkError()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> stream;
        server.setHandler([&](FakeExchange* e) {
            stream = e;
            e->beginStream();
            e->writeEvent(QStringLiteral("ADDED"),
                          podObject(QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("3")));
        });
        ApiClient client(connectionTo(server.url()));
        Watch* watch = client.watch(GroupVersionResource::pods(), {}, WatchOptions{}, this);
        Recorder recorder;
        recorder.attach(watch, this);
        QTRY_COMPARE(recorder.events.size(), 1);
        stream->writeChunk("{\"type\":\"MODIF"); // half an event, then the server dies
        stream->dropConnection();
        QTRY_VERIFY(recorder.finished.has_value());
        QCOMPARE(recorder.finished->error().category(), ErrorCategory::Network);
        QVERIFY2(recorder.finished->error().message().startsWith(QStringLiteral("watch GET ")),
                 qPrintable(recorder.finished->error().message()));
        QCOMPARE(recorder.events.size(), 1);
    }

    void stopEndsQuietly()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> stream;
        server.setHandler([&](FakeExchange* e) {
            stream = e;
            e->beginStream();
        });
        ApiClient client(connectionTo(server.url()));
        Watch* watch = client.watch(GroupVersionResource::pods(), {}, WatchOptions{}, this);
        Recorder recorder;
        recorder.attach(watch, this);
        QTRY_VERIFY(stream);
        watch->stop();
        QTRY_VERIFY(!stream || !stream->isConnected());
        QVERIFY(!recorder.finished);
        QVERIFY(!watch->isRunning());
    }

    void watchesUseTheirOwnConnectionPool()
    {
        // Seven open watches would exhaust the six HTTP/1.1 connections per host of one QNetworkAccessManager;
        // a short request must still get through.
        FakeApiServer server;
        QVERIFY(server.listen());
        int streams = 0;
        server.setHandler([&](FakeExchange* e) {
            if (e->request().hasQueryItem(QStringLiteral("watch"))) {
                ++streams;
                e->beginStream();
            } else {
                e->respondJson(200, {});
            }
        });
        ApiClient client(connectionTo(server.url()));
        for (int i = 0; i < 6; ++i)
            client.watch(GroupVersionResource::pods(), {}, WatchOptions{}, this);
        QTRY_COMPARE(streams, 6);
        JsonAnswer answer;
        client.get(GroupVersionResource::nodes(), {}, QStringLiteral("vk-1"), this, answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY(answer.ok());
    }
};

QTEST_GUILESS_MAIN(WatchTest)
#include "tst_watch.moc"
