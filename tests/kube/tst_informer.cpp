// SPDX-License-Identifier: Apache-2.0
#include "FakeApiServer.h"
#include "TestUtil.h"

#include "core/Clock.h"
#include "core/Json.h"
#include "core/KubeStatus.h"
#include "kube/ApiClient.h"
#include "kube/Informer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using namespace vk::kube;
using namespace vk::test;

namespace {

/// A pods collection behind a FakeApiServer: lists (with paging), watch streams the test feeds, and a compaction
/// point below which watches get 410.
class PodStore
{
public:
    enum class GoneStyle
    {
        ErrorEvent,
        HttpAnswer
    };

    PodStore()
    {
        server.setHandler([this](FakeExchange* e) { handle(e); });
    }

    bool listen(quint16 port = 0) { return server.listen(port); }

    QJsonObject put(const QString& name, const QJsonObject& labels = {}, const QString& node = {})
    {
        QJsonObject pod = podObject(QStringLiteral("default"), name, QString::number(++rv), labels);
        if (!node.isEmpty())
            pod.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("nodeName"), node}});
        objects.insert(name, pod);
        return pod;
    }
    void add(const QString& name, const QJsonObject& labels = {}, const QString& node = {})
    {
        broadcast(QStringLiteral("ADDED"), put(name, labels, node));
    }
    void modify(const QString& name, const QJsonObject& labels, const QString& node = {})
    {
        broadcast(QStringLiteral("MODIFIED"), put(name, labels, node));
    }
    void remove(const QString& name)
    {
        QJsonObject pod = objects.take(name);
        QJsonObject metadata = pod.value(QStringLiteral("metadata")).toObject();
        metadata.insert(QStringLiteral("resourceVersion"), QString::number(++rv));
        pod.insert(QStringLiteral("metadata"), metadata);
        broadcast(QStringLiteral("DELETED"), pod);
    }
    void bookmark()
    {
        const QJsonObject object{
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("resourceVersion"), QString::number(++rv)}}}};
        broadcast(QStringLiteral("BOOKMARK"), object);
    }
    void broadcast(const QString& type, const QJsonObject& object)
    {
        for (const auto& watch : openWatches()) {
            watch->writeEvent(type, object);
        }
    }
    void endWatches()
    {
        for (const auto& watch : openWatches())
            watch->endStream();
    }
    void dropWatches()
    {
        for (const auto& watch : openWatches())
            watch->dropConnection();
    }
    QList<QPointer<FakeExchange>> openWatches() const
    {
        QList<QPointer<FakeExchange>> open;
        for (const auto& watch : watches) {
            if (watch && !watch->isAnswered() && watch->isConnected())
                open << watch;
        }
        return open;
    }
    int openWatchCount() const { return int(openWatches().size()); }

    FakeApiServer server;
    QMap<QString, QJsonObject> objects;
    int rv = 100;
    int compactedBelow = 0;
    GoneStyle goneStyle = GoneStyle::ErrorEvent;
    int failLists = 0; ///< answer this many lists with 403
    QList<FakeRequest> listRequests;
    QList<FakeRequest> watchRequests;
    QList<QPointer<FakeExchange>> watches;

private:
    void handle(FakeExchange* e)
    {
        const FakeRequest& request = e->request();
        if (request.queryValue(QStringLiteral("watch")) == QLatin1String("true")) {
            watchRequests << request;
            const int from = request.queryValue(QStringLiteral("resourceVersion")).toInt();
            if (from < compactedBelow) {
                Error gone(ErrorCategory::Gone,
                           QStringLiteral("too old resource version: %1 (%2)").arg(from).arg(compactedBelow));
                gone.setReason(QStringLiteral("Expired"));
                if (goneStyle == GoneStyle::HttpAnswer)
                    return e->respondError(gone);
                e->beginStream();
                e->writeEvent(QStringLiteral("ERROR"), statusObject(gone));
                e->endStream();
                return;
            }
            e->beginStream();
            watches << e;
            return;
        }
        listRequests << request;
        if (failLists > 0) {
            --failLists;
            return e->respondError(Error(ErrorCategory::Forbidden, QStringLiteral("pods is forbidden")));
        }
        const int limit = request.queryValue(QStringLiteral("limit")).toInt();
        const int offset = request.queryValue(QStringLiteral("continue")).toInt();
        const QList<QJsonObject> all = objects.values();
        QJsonArray items;
        const int end = limit > 0 ? std::min<int>(int(all.size()), offset + limit) : int(all.size());
        for (int i = offset; i < end; ++i)
            items.append(all[i]);
        QJsonObject metadata{{QStringLiteral("resourceVersion"), QString::number(rv)}};
        if (end < all.size())
            metadata.insert(QStringLiteral("continue"), QString::number(end));
        e->respondJson(200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("PodList")},
                                        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                        {QStringLiteral("metadata"), metadata},
                                        {QStringLiteral("items"), items}});
    }
};

QString rvOf(const QJsonObject& object)
{
    return json::at(object, {QLatin1String("metadata"), QLatin1String("resourceVersion")}).toString();
}

QString nameOf(const QJsonObject& object)
{
    return json::at(object, {QLatin1String("metadata"), QLatin1String("name")}).toString();
}

/// What an informer told its handlers, as readable lines: "added p1@101", "updated p1@101->103", "deleted p2".
struct Log
{
    QStringList lines;
    int synced = 0;
    QList<Error> errors;

    void attach(Informer* informer, QObject* context)
    {
        QObject::connect(informer, &Informer::added, context, [this](const QJsonObject& o) {
            lines << QStringLiteral("added ") + nameOf(o) + QLatin1Char('@') + rvOf(o);
        });
        QObject::connect(informer, &Informer::updated, context, [this](const QJsonObject& a, const QJsonObject& b) {
            lines << QStringLiteral("updated ") + nameOf(a) + QLatin1Char('@') + rvOf(a) + QStringLiteral("->") +
                         rvOf(b);
        });
        QObject::connect(informer, &Informer::deleted, context,
                         [this](const QJsonObject& o) { lines << QStringLiteral("deleted ") + nameOf(o); });
        QObject::connect(informer, &Informer::synced, context, [this] { ++synced; });
        QObject::connect(informer, &Informer::errorOccurred, context, [this](const Error& e) { errors << e; });
    }
};

ApiClient::Options testOptions(ManualClock* clock)
{
    ApiClient::Options options;
    options.clock = clock;
    options.maxRetries = 0; // the informer's own backoff is under test
    return options;
}

InformerOptions informerOptions()
{
    InformerOptions options;
    options.namespaceName = QStringLiteral("default");
    options.watchTimeoutSeconds = 60;
    return options;
}

} // namespace

class InformerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsThenWatchesFromTheListVersion()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        store.put(QStringLiteral("p2"));
        store.put(QStringLiteral("p3"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        InformerOptions options = informerOptions();
        options.pageSize = 2;
        options.labelSelector = QStringLiteral("app=web");
        Informer informer(&client, GroupVersionResource::pods(), options);
        Log log;
        log.attach(&informer, this);
        QVERIFY(!informer.hasSynced());
        informer.start();
        QTRY_VERIFY(informer.hasSynced());
        QCOMPARE(log.synced, 1);
        QCOMPARE(log.lines, (QStringList{QStringLiteral("added p1@101"), QStringLiteral("added p2@102"),
                                         QStringLiteral("added p3@103")}));
        QCOMPARE(store.listRequests.size(), 2); // two pages
        QCOMPARE(store.listRequests[0].queryValue(QStringLiteral("limit")), QStringLiteral("2"));
        QCOMPARE(store.listRequests[0].queryValue(QStringLiteral("labelSelector")), QStringLiteral("app=web"));
        QCOMPARE(store.listRequests[1].queryValue(QStringLiteral("continue")), QStringLiteral("2"));
        QTRY_COMPARE(store.openWatchCount(), 1);
        const FakeRequest watch = store.watchRequests.last();
        QCOMPARE(watch.path, QByteArray("/api/v1/namespaces/default/pods"));
        QCOMPARE(watch.queryValue(QStringLiteral("resourceVersion")), QStringLiteral("103"));
        QCOMPARE(watch.queryValue(QStringLiteral("allowWatchBookmarks")), QStringLiteral("true"));
        QCOMPARE(watch.queryValue(QStringLiteral("timeoutSeconds")), QStringLiteral("60"));
        QCOMPARE(watch.queryValue(QStringLiteral("labelSelector")), QStringLiteral("app=web"));

        log.lines.clear();
        store.add(QStringLiteral("p4"));
        store.modify(QStringLiteral("p1"), QJsonObject{{QStringLiteral("x"), QStringLiteral("y")}});
        store.remove(QStringLiteral("p2"));
        QTRY_COMPARE(log.lines.size(), 3);
        QCOMPARE(log.lines, (QStringList{QStringLiteral("added p4@104"), QStringLiteral("updated p1@101->105"),
                                         QStringLiteral("deleted p2")}));
        QCOMPARE(informer.keys(), (QStringList{QStringLiteral("default/p1"), QStringLiteral("default/p3"),
                                               QStringLiteral("default/p4")}));
        QCOMPARE(rvOf(informer.get(QStringLiteral("default/p1"))), QStringLiteral("105"));
        QVERIFY(informer.get(QStringLiteral("default/p2")).isEmpty());
        QCOMPARE(informer.size(), 3);
        QCOMPARE(informer.list().size(), 3);
        QCOMPARE(informer.lastResourceVersion(), QStringLiteral("106"));
        QCOMPARE(log.synced, 1);
        QVERIFY(log.errors.isEmpty());
    }

    void resumesFromTheLastVersionAfterACleanEnd()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_COMPARE(store.openWatchCount(), 1);
        store.add(QStringLiteral("p2")); // 102
        store.bookmark();                // 103
        QTRY_COMPARE(informer.lastResourceVersion(), QStringLiteral("103"));
        store.endWatches(); // timeoutSeconds ran out on the server
        QTRY_COMPARE(store.watchRequests.size(), 2);
        QCOMPARE(store.watchRequests[1].queryValue(QStringLiteral("resourceVersion")), QStringLiteral("103"));
        QCOMPARE(store.listRequests.size(), 1); // no relist
        QTRY_COMPARE(store.openWatchCount(), 1);
        store.add(QStringLiteral("p3"));
        QTRY_VERIFY(informer.contains(QStringLiteral("default/p3")));
        QCOMPARE(log.lines, (QStringList{QStringLiteral("added p1@101"), QStringLiteral("added p2@102"),
                                         QStringLiteral("added p3@104")}));
        QVERIFY(log.errors.isEmpty());
    }

    void aWatchEndingAtOnceWithoutEventsBacksOff()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        informer.start();
        QTRY_COMPARE(store.openWatchCount(), 1);
        store.endWatches();                  // ends within a second (the clock did not move) and without events
        QTRY_VERIFY(!informer.isWatching()); // waiting for the backoff, not watching again at once
        QCOMPARE(store.watchRequests.size(), 1);
        clock.advance(1000);
        QTRY_COMPARE(store.watchRequests.size(), 2);
        QCOMPARE(store.watchRequests[1].queryValue(QStringLiteral("resourceVersion")), QStringLiteral("101"));
    }

    void goneRelistsAndDiffsAgainstTheCache_data()
    {
        QTest::addColumn<int>("style");
        QTest::newRow("410 as a watch ERROR event") << int(PodStore::GoneStyle::ErrorEvent);
        QTest::newRow("410 as the HTTP answer to the watch") << int(PodStore::GoneStyle::HttpAnswer);
    }

    void goneRelistsAndDiffsAgainstTheCache()
    {
        QFETCH(int, style);
        ManualClock clock;
        PodStore store;
        store.goneStyle = PodStore::GoneStyle(style);
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        store.put(QStringLiteral("p2"));
        store.put(QStringLiteral("p3"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_COMPARE(store.openWatchCount(), 1);
        log.lines.clear();

        // While the informer is disconnected: p2 is deleted, p1 changes, p4 appears; history is compacted.
        clock.advance(2000); // the watch ran for a while (a watch ending at once without events backs off)
        store.endWatches();
        store.objects.remove(QStringLiteral("p2"));
        store.put(QStringLiteral("p1"), QJsonObject{{QStringLiteral("v"), QStringLiteral("2")}}); // 104
        store.put(QStringLiteral("p4"));                                                          // 105
        store.compactedBelow = 105;
        QTRY_COMPARE(store.listRequests.size(), 2);
        QTRY_COMPARE(log.lines.size(), 3);
        QCOMPARE(log.lines, (QStringList{QStringLiteral("deleted p2"), QStringLiteral("updated p1@101->104"),
                                         QStringLiteral("added p4@105")}));
        QCOMPARE(log.errors.size(), 1);
        QCOMPARE(log.errors[0].category(), ErrorCategory::Gone);
        QCOMPARE(informer.keys(), (QStringList{QStringLiteral("default/p1"), QStringLiteral("default/p3"),
                                               QStringLiteral("default/p4")}));
        QCOMPARE(log.synced, 1); // synced only once
        // Watching again from the relisted version.
        QTRY_COMPARE(store.openWatchCount(), 1);
        QCOMPARE(store.watchRequests.last().queryValue(QStringLiteral("resourceVersion")), QStringLiteral("105"));
    }

    void reconnectsWithBackoffAfterDropsAndServerRestarts()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        const quint16 port = store.server.port();
        store.put(QStringLiteral("p1"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_COMPARE(store.openWatchCount(), 1);
        store.add(QStringLiteral("p2")); // 102
        QTRY_COMPARE(informer.size(), 2);

        // The connection drops: reconnect after 800-1000 ms (800 ms + up to 25% jitter).
        store.dropWatches();
        QTRY_COMPARE(log.errors.size(), 1);
        QCOMPARE(log.errors[0].category(), ErrorCategory::Network);
        QCOMPARE(store.watchRequests.size(), 1);
        clock.advance(799);
        QTRY_COMPARE(store.watchRequests.size(), 1);
        clock.advance(201);
        QTRY_COMPARE(store.watchRequests.size(), 2);
        QCOMPARE(store.watchRequests[1].queryValue(QStringLiteral("resourceVersion")), QStringLiteral("102"));
        QTRY_COMPARE(store.openWatchCount(), 1);

        // The API server restarts: connections refused for a while, with growing delays (1600-2000 ms, then
        // 3200-4000 ms), until it listens again.
        store.server.dropAllConnections();
        store.server.close();
        QTRY_COMPARE(log.errors.size(), 2);
        clock.advance(1599);
        QCOMPARE(log.errors.size(), 2);
        clock.advance(401);
        QTRY_COMPARE(log.errors.size(), 3); // refused
        QCOMPARE(log.errors[2].category(), ErrorCategory::Network);
        QVERIFY(store.listen(port));
        clock.advance(3199);
        QCOMPARE(store.watchRequests.size(), 2);
        clock.advance(801);
        QTRY_COMPARE(store.watchRequests.size(), 3);
        QCOMPARE(store.watchRequests[2].queryValue(QStringLiteral("resourceVersion")), QStringLiteral("102"));
        QTRY_COMPARE(store.openWatchCount(), 1);
        store.add(QStringLiteral("p3"));
        QTRY_VERIFY(informer.contains(QStringLiteral("default/p3")));
        QCOMPARE(store.listRequests.size(), 1); // the cache stayed valid throughout
        QCOMPARE(log.lines.size(), 3);
    }

    void listFailuresAreRetriedWithBackoff()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        store.failLists = 1;
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_COMPARE(log.errors.size(), 1);
        QCOMPARE(log.errors[0].category(), ErrorCategory::Forbidden);
        QVERIFY(!informer.hasSynced());
        QCOMPARE(log.synced, 0);
        clock.advance(1000);
        QTRY_VERIFY(informer.hasSynced());
        QCOMPARE(store.listRequests.size(), 2);
        QCOMPARE(log.lines, QStringList{QStringLiteral("added p1@101")});
    }

    void anUpdateFilterTakesKnownVersionsWithoutParsingOrSignals()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        QStringList asked;
        informer.setUpdateFilter([&](const QString& key, const QString& oldVersion, const QString& newVersion) {
            asked << key + QLatin1Char('@') + oldVersion + QStringLiteral("->") + newVersion;
            return key != QLatin1String("default/p1") || newVersion != QLatin1String("102"); // 102: "known"
        });
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_COMPARE(store.openWatchCount(), 1);
        store.modify(QStringLiteral("p1"), QJsonObject{{QStringLiteral("v"), QStringLiteral("2")}}); // 102: taken
        store.modify(QStringLiteral("p1"), QJsonObject{{QStringLiteral("v"), QStringLiteral("3")}}); // 103: emitted
        store.add(QStringLiteral("p2"));                                                             // not asked
        QTRY_COMPARE(log.lines.size(), 3);
        QCOMPARE(asked, (QStringList{QStringLiteral("default/p1@101->102"), QStringLiteral("default/p1@102->103")}));
        // 102 was stored as received: the next update's old object is it, and reads parse it.
        QCOMPARE(log.lines, (QStringList{QStringLiteral("added p1@101"), QStringLiteral("updated p1@102->103"),
                                         QStringLiteral("added p2@104")}));
        QCOMPARE(json::at(informer.get(QStringLiteral("default/p1")),
                          {QLatin1String("metadata"), QLatin1String("labels"), QLatin1String("v")})
                     .toString(),
                 QStringLiteral("3"));
        QCOMPARE(informer.lastResourceVersion(), QStringLiteral("104"));

        // With an index (whose values need the object) every update is emitted, the filter is not asked.
        Informer indexed(&client, GroupVersionResource::pods(), informerOptions());
        indexed.addIndex(QStringLiteral("namespace"), Informer::namespaceIndex());
        int filtered = 0;
        indexed.setUpdateFilter([&](const QString&, const QString&, const QString&) { return ++filtered, false; });
        Log indexedLog;
        indexedLog.attach(&indexed, this);
        indexed.start();
        QTRY_COMPARE(store.openWatchCount(), 2);
        store.modify(QStringLiteral("p2"), QJsonObject{{QStringLiteral("v"), QStringLiteral("4")}});
        QTRY_VERIFY(indexedLog.lines.contains(QStringLiteral("updated p2@104->105")));
        QCOMPARE(filtered, 0);
    }

    void indexesFollowTheCache()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("a"), {}, QStringLiteral("vk-1"));
        store.put(QStringLiteral("b"), {}, QStringLiteral("vk-2"));
        store.put(QStringLiteral("c"), {}, QStringLiteral("vk-1"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        informer.addIndex(QStringLiteral("node"), [](const QJsonObject& pod) {
            const QString node = json::at(pod, {QLatin1String("spec"), QLatin1String("nodeName")}).toString();
            return node.isEmpty() ? QStringList() : QStringList{node};
        });
        informer.start();
        QTRY_VERIFY(informer.hasSynced());
        QCOMPARE(informer.keysByIndex(QStringLiteral("node"), QStringLiteral("vk-1")),
                 (QStringList{QStringLiteral("default/a"), QStringLiteral("default/c")}));
        QCOMPARE(informer.byIndex(QStringLiteral("node"), QStringLiteral("vk-2")).size(), 1);
        QCOMPARE(nameOf(informer.byIndex(QStringLiteral("node"), QStringLiteral("vk-2")).first()), QStringLiteral("b"));
        // An index added later covers the objects already cached.
        informer.addIndex(QStringLiteral("namespace"), Informer::namespaceIndex());
        QCOMPARE(informer.byIndex(QStringLiteral("namespace"), QStringLiteral("default")).size(), 3);

        QTRY_COMPARE(store.openWatchCount(), 1);
        store.modify(QStringLiteral("c"), {}, QStringLiteral("vk-2")); // moves to vk-2
        store.remove(QStringLiteral("a"));
        QTRY_COMPARE(informer.size(), 2);
        QTRY_COMPARE(informer.keysByIndex(QStringLiteral("node"), QStringLiteral("vk-2")),
                     (QStringList{QStringLiteral("default/b"), QStringLiteral("default/c")}));
        QVERIFY(informer.keysByIndex(QStringLiteral("node"), QStringLiteral("vk-1")).isEmpty());
        QVERIFY(informer.byIndex(QStringLiteral("no-such-index"), QStringLiteral("x")).isEmpty());
    }

    void objectsReadBackWhetherKeptParsedOrNot_data()
    {
        QTest::addColumn<int>("parsedCacheSize");
        QTest::newRow("nothing kept parsed: every read parses the compact JSON") << 0;
        QTest::newRow("one kept parsed: the others are parsed") << 1;
        QTest::newRow("all kept parsed") << 128;
    }

    void objectsReadBackWhetherKeptParsedOrNot()
    {
        QFETCH(int, parsedCacheSize);
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        const QJsonObject p1 = store.put(QStringLiteral("p1"), {}, QStringLiteral("vk-1"));
        const QJsonObject p2 = store.put(QStringLiteral("p2"), {}, QStringLiteral("vk-2"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        InformerOptions options = informerOptions();
        options.parsedCacheSize = parsedCacheSize;
        Informer informer(&client, GroupVersionResource::pods(), options);
        informer.addIndex(QStringLiteral("node"), [](const QJsonObject& pod) {
            const QString node = json::at(pod, {QLatin1String("spec"), QLatin1String("nodeName")}).toString();
            return node.isEmpty() ? QStringList() : QStringList{node};
        });
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_VERIFY(informer.hasSynced());
        QCOMPARE(informer.get(QStringLiteral("default/p1")), p1);
        QCOMPARE(informer.get(QStringLiteral("default/p2")), p2);
        QCOMPARE(informer.get(QStringLiteral("default/p1")), p1); // again, after p2 was read
        QCOMPARE(informer.list(), (QList<QJsonObject>{p1, p2}));
        QCOMPARE(informer.byIndex(QStringLiteral("node"), QStringLiteral("vk-2")), QList<QJsonObject>{p2});
        QVERIFY(!informer.getJson(QStringLiteral("default/p1")).isEmpty());
        QVERIFY(informer.getJson(QStringLiteral("default/nope")).isEmpty());

        QTRY_COMPARE(store.openWatchCount(), 1);
        log.lines.clear();
        store.add(QStringLiteral("p3"));
        store.modify(QStringLiteral("p1"), QJsonObject{{QStringLiteral("x"), QStringLiteral("y")}},
                     QStringLiteral("vk-2"));
        store.modify(QStringLiteral("p1"), QJsonObject{{QStringLiteral("x"), QStringLiteral("z")}},
                     QStringLiteral("vk-2"));
        store.remove(QStringLiteral("p2"));
        QTRY_COMPARE(log.lines.size(), 4);
        // The old object handed to updated() is the one stored before, however it was kept.
        QCOMPARE(log.lines, (QStringList{QStringLiteral("added p3@103"), QStringLiteral("updated p1@101->104"),
                                         QStringLiteral("updated p1@104->105"), QStringLiteral("deleted p2")}));
        QCOMPARE(informer.get(QStringLiteral("default/p1")), store.objects.value(QStringLiteral("p1")));
        QCOMPARE(informer.keysByIndex(QStringLiteral("node"), QStringLiteral("vk-2")),
                 QStringList{QStringLiteral("default/p1")});
        QVERIFY(informer.keysByIndex(QStringLiteral("node"), QStringLiteral("vk-1")).isEmpty());
        QVERIFY(informer.get(QStringLiteral("default/p2")).isEmpty());
        QCOMPARE(informer.size(), 2);
    }

    void periodicResyncReemitsEveryObject()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        store.put(QStringLiteral("p2"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        InformerOptions options = informerOptions();
        options.resyncPeriodMs = 10'000;
        Informer informer(&client, GroupVersionResource::pods(), options);
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_VERIFY(informer.hasSynced());
        log.lines.clear();
        clock.advance(9'999);
        QVERIFY(log.lines.isEmpty());
        clock.advance(1);
        QCOMPARE(log.lines,
                 (QStringList{QStringLiteral("updated p1@101->101"), QStringLiteral("updated p2@102->102")}));
        clock.advance(10'000);
        QCOMPARE(log.lines.size(), 4);
        informer.stop();
        clock.advance(100'000);
        QCOMPARE(log.lines.size(), 4);
    }

    void stopIgnoresFurtherEventsAndKeepsTheCache()
    {
        ManualClock clock;
        PodStore store;
        QVERIFY(store.listen());
        store.put(QStringLiteral("p1"));
        ApiClient client(connectionTo(store.server.url()), testOptions(&clock));
        Informer informer(&client, GroupVersionResource::pods(), informerOptions());
        Log log;
        log.attach(&informer, this);
        informer.start();
        QTRY_COMPARE(store.openWatchCount(), 1);
        informer.stop();
        QVERIFY(!informer.isRunning());
        QTRY_COMPARE(store.openWatchCount(), 0);
        store.add(QStringLiteral("p2"));
        QCOMPARE(informer.keys(), QStringList{QStringLiteral("default/p1")});
        QVERIFY(informer.hasSynced());
        // Starting again relists and catches up.
        informer.start();
        QTRY_VERIFY(informer.contains(QStringLiteral("default/p2")));
        QCOMPARE(store.listRequests.size(), 2);
    }
};

QTEST_GUILESS_MAIN(InformerTest)
#include "tst_informer.moc"
