// SPDX-License-Identifier: Apache-2.0
// The three-way strategic merge patch of node status writes: what it contains, and what applying it gives.
#include "api/Patch.h"
#include "core/Json.h"
#include "node/ThreeWayPatch.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>

using namespace vk;

namespace {

/// JSON written with single quotes, for readable tables.
QJsonObject j(const char* text)
{
    QByteArray bytes(text);
    bytes.replace('\'', '"');
    auto parsed = json::parseObject(bytes, QStringLiteral("test table"));
    if (!parsed)
        qFatal("bad test JSON: %s", qPrintable(parsed.error().message()));
    return parsed.value();
}

/// Lists merged by type compared as sets: where a merge puts new elements is the server's business.
QJsonValue sortedByType(const QJsonValue& value)
{
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = sortedByType(it.value());
        return object;
    }
    if (!value.isArray())
        return value;
    QList<QJsonValue> items;
    for (const auto& item : value.toArray())
        items.append(sortedByType(item));
    std::stable_sort(items.begin(), items.end(), [](const QJsonValue& a, const QJsonValue& b) {
        return a.toObject().value(QLatin1String("type")).toString() <
               b.toObject().value(QLatin1String("type")).toString();
    });
    QJsonArray sorted;
    for (const auto& item : items)
        sorted.append(item);
    return sorted;
}

} // namespace

class ThreeWayPatchTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void create_data()
    {
        QTest::addColumn<QJsonObject>("original");
        QTest::addColumn<QJsonObject>("modified");
        QTest::addColumn<QJsonObject>("current");
        QTest::addColumn<QJsonObject>("patch");
        QTest::addColumn<QJsonObject>("result");

        QTest::newRow("nothing changed gives an empty patch")
            << j("{'metadata':{'labels':{'a':'1'}}}") << j("{'metadata':{'labels':{'a':'1'}}}")
            << j("{'metadata':{'labels':{'a':'1'}}}") << j("{}") << j("{'metadata':{'labels':{'a':'1'}}}");
        QTest::newRow("a changed value is set")
            << j("{'metadata':{'labels':{'a':'1'}}}") << j("{'metadata':{'labels':{'a':'2'}}}")
            << j("{'metadata':{'labels':{'a':'1'}}}") << j("{'metadata':{'labels':{'a':'2'}}}")
            << j("{'metadata':{'labels':{'a':'2'}}}");
        QTest::newRow("a value someone else changed is set back")
            << j("{'metadata':{'labels':{'a':'1'}}}") << j("{'metadata':{'labels':{'a':'1'}}}")
            << j("{'metadata':{'labels':{'a':'x'}}}") << j("{'metadata':{'labels':{'a':'1'}}}")
            << j("{'metadata':{'labels':{'a':'1'}}}");
        QTest::newRow("a key we applied before and stopped sending is deleted")
            << j("{'metadata':{'labels':{'a':'1','b':'2'}}}") << j("{'metadata':{'labels':{'a':'1'}}}")
            << j("{'metadata':{'labels':{'a':'1','b':'2'}}}") << j("{'metadata':{'labels':{'b':null}}}")
            << j("{'metadata':{'labels':{'a':'1'}}}");
        QTest::newRow("a key someone else added survives")
            << j("{'metadata':{'labels':{'a':'1'}}}") << j("{'metadata':{'labels':{'a':'1'}}}")
            << j("{'metadata':{'labels':{'a':'1','theirs':'x'}}}") << j("{}")
            << j("{'metadata':{'labels':{'a':'1','theirs':'x'}}}");
        QTest::newRow("a dropped key the server no longer has is not mentioned")
            << j("{'metadata':{'labels':{'a':'1','b':'2'}}}") << j("{'metadata':{'labels':{'a':'1'}}}")
            << j("{'metadata':{'labels':{'a':'1'}}}") << j("{}") << j("{'metadata':{'labels':{'a':'1'}}}");
        QTest::newRow("without a last-applied state nothing is deleted")
            << j("{}") << j("{'status':{'capacity':{'cpu':'4'}}}") << j("{'status':{'capacity':{'cpu':'2','gpu':'1'}}}")
            << j("{'status':{'capacity':{'cpu':'4'}}}") << j("{'status':{'capacity':{'cpu':'4','gpu':'1'}}}");
        QTest::newRow("conditions merge by type: only the changed one is sent, with its type")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'DiskPressure','status':'False'}]}"
                 "}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'DiskPressure','status':'False'}]}"
                 "}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'DiskPressure','status':'False'}]}"
                 "}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'False'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'DiskPressure','status':'False'}]}"
                 "}");
        QTest::newRow("a condition we stopped sending is deleted by its type")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Old','status':'True'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Old','status':'True'}]}}")
            << j("{'status':{'conditions':[{'type':'Old','$patch':'delete'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True'}]}}");
        QTest::newRow("a third-party condition survives our changes")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True','lastHeartbeatTime':'t1'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True','lastHeartbeatTime':'t2'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True','lastHeartbeatTime':'t1'},"
                 "{'type':'Theirs','status':'True'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','lastHeartbeatTime':'t2'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True','lastHeartbeatTime':'t2'},"
                 "{'type':'Theirs','status':'True'}]}}");
        QTest::newRow("a condition missing on the server is added whole")
            << j("{}") << j("{'status':{'conditions':[{'type':'Ready','status':'True'}]}}")
            << j("{'status':{'conditions':[{'type':'Theirs','status':'True'}]}}")
            << j("{'status':{'conditions':[{'type':'Ready','status':'True'}]}}")
            << j("{'status':{'conditions':[{'type':'Theirs','status':'True'},{'type':'Ready','status':'True'}]}}");
        QTest::newRow("addresses merge by type")
            << j("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'}]}}")
            << j("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}")
            << j("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'Hostname','address':'h'}]"
                 "}}")
            << j("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}")
            << j("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'},{'type':'Hostname','address':'h'}]"
                 "}}");
        QTest::newRow("a list without a merge key is replaced")
            << j("{'status':{'images':[{'names':['a']}]}}") << j("{'status':{'images':[{'names':['b']}]}}")
            << j("{'status':{'images':[{'names':['a']}]}}") << j("{'status':{'images':[{'names':['b']}]}}")
            << j("{'status':{'images':[{'names':['b']}]}}");
        QTest::newRow("nested maps lose only the keys we dropped")
            << j("{'status':{'capacity':{'cpu':'4','example.com/gpu':'1'}}}")
            << j("{'status':{'capacity':{'cpu':'4'}}}")
            << j("{'status':{'capacity':{'cpu':'4','example.com/gpu':'1','theirs':'2'}}}")
            << j("{'status':{'capacity':{'example.com/gpu':null}}}")
            << j("{'status':{'capacity':{'cpu':'4','theirs':'2'}}}");
    }

    void create()
    {
        QFETCH(QJsonObject, original);
        QFETCH(QJsonObject, modified);
        QFETCH(QJsonObject, current);
        QFETCH(QJsonObject, patch);
        QFETCH(QJsonObject, result);

        const QJsonObject actual = node::ThreeWayPatch::create(original, modified, current, QStringLiteral("Node"));
        QCOMPARE(QString::fromUtf8(json::compact(actual)), QString::fromUtf8(json::compact(patch)));

        auto applied = api::patch::applyStrategicMergePatch(current, actual, QStringLiteral("Node"));
        QVERIFY2(applied.ok(), qPrintable(applied.ok() ? QString() : applied.error().message()));
        QCOMPARE(QString::fromUtf8(json::compact(sortedByType(applied.value()).toObject())),
                 QString::fromUtf8(json::compact(sortedByType(result).toObject())));
    }
};

QTEST_GUILESS_MAIN(ThreeWayPatchTest)
#include "tst_threewaypatch.moc"
