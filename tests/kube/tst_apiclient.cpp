// SPDX-License-Identifier: Apache-2.0
#include "FakeApiServer.h"
#include "TestUtil.h"

#include "core/Clock.h"
#include "core/KubeStatus.h"
#include "kube/ApiClient.h"
#include "kube/GroupVersionResource.h"
#include "kube/RateLimiter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSslKey>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace vk;
using namespace vk::kube;
using namespace vk::test;

namespace {

ApiClient::Options manualOptions(ManualClock* clock)
{
    ApiClient::Options options;
    options.clock = clock;
    return options;
}

QJsonObject podList(const QJsonArray& items, const QString& resourceVersion, const QString& continueToken = {})
{
    QJsonObject metadata{{QStringLiteral("resourceVersion"), resourceVersion}};
    if (!continueToken.isEmpty())
        metadata.insert(QStringLiteral("continue"), continueToken);
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("PodList")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("metadata"), metadata},
                       {QStringLiteral("items"), items}};
}

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QSslCertificate loadCertificate(const QString& name)
{
    return QSslCertificate(testData(name), QSsl::Pem);
}

} // namespace

Q_DECLARE_METATYPE(vk::kube::GroupVersionResource)
Q_DECLARE_METATYPE(vk::kube::PatchType)
Q_DECLARE_METATYPE(vk::ErrorCategory)

class ApiClientTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---- paths -------------------------------------------------------------------------------------------
    void pathsOfNamespacedClusterAndAllNamespaceForms_data()
    {
        QTest::addColumn<GroupVersionResource>("gvr");
        QTest::addColumn<QString>("ns");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("subresource");
        QTest::addColumn<QString>("path");
        const QString none;
        const QString def = QStringLiteral("default");
        QTest::newRow("namespaced collection")
            << GroupVersionResource::pods() << def << none << none << QStringLiteral("/api/v1/namespaces/default/pods");
        QTest::newRow("namespaced object") << GroupVersionResource::pods() << def << QStringLiteral("p1") << none
                                           << QStringLiteral("/api/v1/namespaces/default/pods/p1");
        QTest::newRow("status subresource")
            << GroupVersionResource::pods() << def << QStringLiteral("p1") << QStringLiteral("status")
            << QStringLiteral("/api/v1/namespaces/default/pods/p1/status");
        QTest::newRow("log subresource") << GroupVersionResource::pods() << QStringLiteral("kube-system")
                                         << QStringLiteral("p1") << QStringLiteral("log")
                                         << QStringLiteral("/api/v1/namespaces/kube-system/pods/p1/log");
        QTest::newRow("all namespaces when the namespace is empty")
            << GroupVersionResource::pods() << none << none << none << QStringLiteral("/api/v1/pods");
        QTest::newRow("cluster-scoped object ignores the namespace")
            << GroupVersionResource::nodes() << def << QStringLiteral("vk-1") << none
            << QStringLiteral("/api/v1/nodes/vk-1");
        QTest::newRow("multi-segment subresource")
            << GroupVersionResource::nodes() << none << QStringLiteral("vk-1") << QStringLiteral("proxy/stats/summary")
            << QStringLiteral("/api/v1/nodes/vk-1/proxy/stats/summary");
        QTest::newRow("namespaces are cluster-scoped")
            << GroupVersionResource::namespaces() << none << QStringLiteral("default") << none
            << QStringLiteral("/api/v1/namespaces/default");
        QTest::newRow("group resource") << GroupVersionResource::leases() << QStringLiteral("kube-node-lease")
                                        << QStringLiteral("vk-1") << none
                                        << QStringLiteral(
                                               "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/vk-1");
        QTest::newRow("events.k8s.io across namespaces") << GroupVersionResource::eventsV1() << none << none << none
                                                         << QStringLiteral("/apis/events.k8s.io/v1/events");
        QTest::newRow("core events") << GroupVersionResource::events() << def << none << none
                                     << QStringLiteral("/api/v1/namespaces/default/events");
        QTest::newRow("configmaps secrets services serviceaccounts")
            << GroupVersionResource::serviceAccounts() << def << QStringLiteral("sa") << QStringLiteral("token")
            << QStringLiteral("/api/v1/namespaces/default/serviceaccounts/sa/token");
        QTest::newRow("names are percent-encoded")
            << GroupVersionResource::configMaps() << QStringLiteral("my ns") << QStringLiteral("a b?c#d/e%f") << none
            << QStringLiteral("/api/v1/namespaces/my%20ns/configmaps/a%20b%3Fc%23d%2Fe%25f");
    }

    void pathsOfNamespacedClusterAndAllNamespaceForms()
    {
        QFETCH(GroupVersionResource, gvr);
        QFETCH(QString, ns);
        QFETCH(QString, name);
        QFETCH(QString, subresource);
        QFETCH(QString, path);
        QCOMPARE(gvr.path(ns, name, subresource), path);
    }

    void builtInResourcesNameTheirGroupAndScope()
    {
        QCOMPARE(GroupVersionResource::secrets().apiVersion(), QStringLiteral("v1"));
        QVERIFY(GroupVersionResource::secrets().namespaced);
        QCOMPARE(GroupVersionResource::services().resource, QStringLiteral("services"));
        QCOMPARE(GroupVersionResource::configMaps().resource, QStringLiteral("configmaps"));
        QCOMPARE(GroupVersionResource::leases().apiVersion(), QStringLiteral("coordination.k8s.io/v1"));
        QCOMPARE(GroupVersionResource::eventsV1().apiVersion(), QStringLiteral("events.k8s.io/v1"));
        QVERIFY(!GroupVersionResource::nodes().namespaced);
        QVERIFY(!GroupVersionResource::namespaces().namespaced);
        QCOMPARE(GroupVersionResource::leases().displayName(), QStringLiteral("leases.coordination.k8s.io"));
    }

    void requestsArriveEncodedAndUnderTheServerPrefix()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            e->respondJson(200, podObject(QStringLiteral("my ns"), QStringLiteral("a b"), QStringLiteral("1")));
        });
        QUrl base = server.url();
        base.setPath(QStringLiteral("/prefix/"));
        ApiClient client(connectionTo(base));
        JsonAnswer answer;
        client.get(GroupVersionResource::configMaps(), QStringLiteral("my ns"), QStringLiteral("a b?c"), this,
                   answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
        QCOMPARE(server.lastRequest().method, QByteArray("GET"));
        QCOMPARE(server.lastRequest().target, QByteArray("/prefix/api/v1/namespaces/my%20ns/configmaps/a%20b%3Fc"));
        QCOMPARE(answer.value().value(QStringLiteral("kind")).toString(), QStringLiteral("Pod"));
    }

    void defaultHeaders()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respondJson(200, {}); });
        ApiClient client(connectionTo(server.url()));
        JsonAnswer answer;
        client.get(GroupVersionResource::nodes(), {}, QStringLiteral("n1"), this, answer.callback());
        QTRY_VERIFY(answer.done());
        const FakeRequest request = server.lastRequest();
        QCOMPARE(request.header("user-agent"), QByteArray("vk-studio/" VK_VERSION));
        QCOMPARE(request.header("accept"), QByteArray("application/json"));
        QVERIFY(request.header("authorization").isEmpty());
    }

    // ---- query ---------------------------------------------------------------------------------------------
    void listQueryEncodesSelectorsAndPaging()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respondJson(200, podList({}, QStringLiteral("7"))); });
        ApiClient client(connectionTo(server.url()));
        ListOptions options;
        options.labelSelector = QStringLiteral("app=web,tier in (a,b),!canary");
        options.fieldSelector = QStringLiteral("spec.nodeName=vk-1");
        options.limit = 2;
        options.continueToken = QStringLiteral("eyJ2Ijoi+/=");
        options.resourceVersion = QStringLiteral("0");
        options.resourceVersionMatch = QStringLiteral("NotOlderThan");
        options.timeoutSeconds = 5;
        JsonAnswer answer;
        client.list(GroupVersionResource::pods(), {}, options, this, answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY(answer.ok());
        const FakeRequest request = server.lastRequest();
        QCOMPARE(request.path, QByteArray("/api/v1/pods"));
        QCOMPARE(request.rawQuery, QByteArray("labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29%2C%21canary"
                                              "&fieldSelector=spec.nodeName%3Dvk-1&limit=2&continue=eyJ2Ijoi%2B%2F%3D"
                                              "&resourceVersion=0&resourceVersionMatch=NotOlderThan&timeoutSeconds=5"));
        QCOMPARE(request.queryValue(QStringLiteral("labelSelector")), options.labelSelector);
        QCOMPARE(request.queryValue(QStringLiteral("continue")), options.continueToken);
        QCOMPARE(answer.value().value(QStringLiteral("kind")).toString(), QStringLiteral("PodList"));
    }

    void rawRequestPassesQueryAndReturnsHeaders()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            e->respond(200, "{\"major\":\"1\",\"minor\":\"30\"}", "application/json", {{"X-Trace", "abc"}});
        });
        ApiClient client(connectionTo(server.url()));
        RawAnswer answer;
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("timeout"), QStringLiteral("5s"));
        client.request("GET", QStringLiteral("/version"), query, {}, {}, "application/json", this, answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY(answer.ok());
        QCOMPARE(server.lastRequest().target, QByteArray("/version?timeout=5s"));
        QCOMPARE(answer.value().status, 200);
        QCOMPARE(answer.value().header("x-trace"), QByteArray("abc"));
        QCOMPARE(answer.value().header("CONTENT-TYPE"), QByteArray("application/json"));
        QCOMPARE(QJsonDocument::fromJson(answer.value().body).object().value(QStringLiteral("minor")).toString(),
                 QStringLiteral("30"));
    }

    // ---- verbs -----------------------------------------------------------------------------------------------
    void createUpdateAndUpdateStatusUseTheRightVerbsAndPaths()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler(
            [](FakeExchange* e) { e->respond(e->request().method == "POST" ? 201 : 200, e->request().body); });
        ApiClient client(connectionTo(server.url()));
        const QJsonObject pod = podObject(QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("5"));

        JsonAnswer created;
        client.create(GroupVersionResource::pods(), QStringLiteral("default"), pod, this, created.callback());
        QTRY_VERIFY(created.done());
        QVERIFY(created.ok());
        QCOMPARE(created.value(), pod);
        QCOMPARE(server.lastRequest().method, QByteArray("POST"));
        QCOMPARE(server.lastRequest().path, QByteArray("/api/v1/namespaces/default/pods"));
        QCOMPARE(server.lastRequest().header("content-type"), QByteArray("application/json"));
        QCOMPARE(server.lastRequest().json(), pod);

        JsonAnswer updated;
        client.update(GroupVersionResource::pods(), {}, pod, this, updated.callback()); // namespace from metadata
        QTRY_VERIFY(updated.done());
        QVERIFY(updated.ok());
        QCOMPARE(server.lastRequest().method, QByteArray("PUT"));
        QCOMPARE(server.lastRequest().path, QByteArray("/api/v1/namespaces/default/pods/p1"));

        JsonAnswer status;
        client.updateStatus(GroupVersionResource::pods(), QStringLiteral("default"), pod, this, status.callback());
        QTRY_VERIFY(status.done());
        QVERIFY(status.ok());
        QCOMPARE(server.lastRequest().method, QByteArray("PUT"));
        QCOMPARE(server.lastRequest().path, QByteArray("/api/v1/namespaces/default/pods/p1/status"));

        JsonAnswer evicted;
        client.createSubresource(
            GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("eviction"),
            QJsonObject{{QStringLiteral("kind"), QStringLiteral("Eviction")}}, this, evicted.callback());
        QTRY_VERIFY(evicted.done());
        QCOMPARE(server.lastRequest().path, QByteArray("/api/v1/namespaces/default/pods/p1/eviction"));
        QCOMPARE(server.requestCount(), 4);
    }

    void updateWithoutANameFailsWithoutARequest()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        ApiClient client(connectionTo(server.url()));
        JsonAnswer answer;
        client.update(GroupVersionResource::pods(), QStringLiteral("default"), QJsonObject{}, this, answer.callback());
        QVERIFY(!answer.done()); // never synchronously
        QTRY_VERIFY(answer.done());
        QCOMPARE(answer.error().category(), ErrorCategory::InvalidInput);
        QVERIFY2(answer.error().message().contains(QStringLiteral("metadata.name")),
                 qPrintable(answer.error().message()));
        QCOMPARE(server.requestCount(), 0);
    }

    void patchTypesSendTheirContentType_data()
    {
        QTest::addColumn<PatchType>("type");
        QTest::addColumn<QString>("subresource");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("merge patch") << PatchType::Merge << QString() << QByteArray("application/merge-patch+json")
                                     << QByteArray("/api/v1/nodes/vk-1");
        QTest::newRow("strategic merge patch of status")
            << PatchType::Strategic << QStringLiteral("status") << QByteArray("application/strategic-merge-patch+json")
            << QByteArray("/api/v1/nodes/vk-1/status");
        QTest::newRow("json patch") << PatchType::Json << QString() << QByteArray("application/json-patch+json")
                                    << QByteArray("/api/v1/nodes/vk-1");
    }

    void patchTypesSendTheirContentType()
    {
        QFETCH(PatchType, type);
        QFETCH(QString, subresource);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, path);
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            e->respondJson(200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("Node")}});
        });
        ApiClient client(connectionTo(server.url()));
        const QByteArray body = "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}";
        JsonAnswer answer;
        client.patch(GroupVersionResource::nodes(), {}, QStringLiteral("vk-1"), type, body, subresource, this,
                     answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY(answer.ok());
        QCOMPARE(server.lastRequest().method, QByteArray("PATCH"));
        QCOMPARE(server.lastRequest().path, path);
        QCOMPARE(server.lastRequest().header("content-type"), contentType);
        QCOMPARE(server.lastRequest().body, body);
    }

    void deleteSendsDeleteOptions()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            e->respondJson(200, successStatus(QStringLiteral("p1"), QStringLiteral("pods"), {}, QStringLiteral("u1")));
        });
        ApiClient client(connectionTo(server.url()));
        DeleteOptions options;
        options.gracePeriodSeconds = 0;
        options.preconditionUid = QStringLiteral("u1");
        options.preconditionResourceVersion = QStringLiteral("42");
        options.propagationPolicy = QStringLiteral("Foreground");
        options.dryRun = true;
        JsonAnswer answer;
        client.remove(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), options, this,
                      answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY(answer.ok());
        QCOMPARE(answer.value().value(QStringLiteral("status")).toString(), QStringLiteral("Success"));
        const FakeRequest request = server.lastRequest();
        QCOMPARE(request.method, QByteArray("DELETE"));
        QCOMPARE(request.path, QByteArray("/api/v1/namespaces/default/pods/p1"));
        QCOMPARE(request.header("content-type"), QByteArray("application/json"));
        const QJsonObject expected{
            {QStringLiteral("kind"), QStringLiteral("DeleteOptions")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("gracePeriodSeconds"), 0},
            {QStringLiteral("preconditions"), QJsonObject{{QStringLiteral("uid"), QStringLiteral("u1")},
                                                          {QStringLiteral("resourceVersion"), QStringLiteral("42")}}},
            {QStringLiteral("propagationPolicy"), QStringLiteral("Foreground")},
            {QStringLiteral("dryRun"), QJsonArray{QStringLiteral("All")}},
        };
        QCOMPARE(request.json(), expected);

        JsonAnswer plain;
        client.remove(GroupVersionResource::nodes(), {}, QStringLiteral("vk-1"), this, plain.callback());
        QTRY_VERIFY(plain.done());
        QCOMPARE(server.lastRequest().path, QByteArray("/api/v1/nodes/vk-1"));
        QCOMPARE(server.lastRequest().json(), (QJsonObject{{QStringLiteral("kind"), QStringLiteral("DeleteOptions")},
                                                           {QStringLiteral("apiVersion"), QStringLiteral("v1")}}));
    }

    // ---- errors --------------------------------------------------------------------------------------------
    void errorCategoriesFromStatusBodies_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ErrorCategory>("category");
        QTest::addColumn<QString>("message");
        QTest::newRow("404 NotFound (captured)")
            << 404 << testData(QStringLiteral("status-404-notfound.json")) << ErrorCategory::NotFound
            << QStringLiteral("pods \"nope\" not found");
        QTest::newRow("409 AlreadyExists (captured)")
            << 409 << testData(QStringLiteral("status-409-alreadyexists.json")) << ErrorCategory::AlreadyExists
            << QStringLiteral("pods \"cap-pod\" already exists");
        QTest::newRow("409 Conflict (captured)")
            << 409 << testData(QStringLiteral("status-409-conflict.json")) << ErrorCategory::Conflict
            << QStringLiteral("Operation cannot be fulfilled on pods \"cap-pod\": the object has been modified; "
                              "please apply your changes to the latest version and try again");
        QTest::newRow("422 Invalid (captured)")
            << 422 << testData(QStringLiteral("status-422-invalid.json")) << ErrorCategory::Invalid << QString();
        QTest::newRow("400 BadRequest (captured)")
            << 400 << testData(QStringLiteral("status-400-badrequest.json")) << ErrorCategory::BadRequest << QString();
        QTest::newRow("403 Forbidden (captured)")
            << 403 << testData(QStringLiteral("status-403-forbidden.json")) << ErrorCategory::Forbidden << QString();
        QTest::newRow("410 Gone")
            << 410
            << statusBody(Error(ErrorCategory::Gone, QStringLiteral("too old")).setReason(QStringLiteral("Expired")))
            << ErrorCategory::Gone << QStringLiteral("too old");
        QTest::newRow("401 Unauthorized without a body") << 401 << QByteArray() << ErrorCategory::Unauthorized
                                                         << QStringLiteral("the server responded with HTTP 401");
        QTest::newRow("500 plain text") << 500 << QByteArray("etcd is down") << ErrorCategory::Internal
                                        << QStringLiteral("etcd is down");
        QTest::newRow("504 Timeout") << 504 << statusBody(Error(ErrorCategory::Timeout, QStringLiteral("slow")))
                                     << ErrorCategory::Timeout << QStringLiteral("slow");
    }

    void errorCategoriesFromStatusBodies()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, body);
        QFETCH(ErrorCategory, category);
        QFETCH(QString, message);
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler(
            [&](FakeExchange* e) { e->respond(code, body, body.startsWith('{') ? "application/json" : "text/plain"); });
        ApiClient::Options options;
        options.maxRetries = 0;
        ApiClient client(connectionTo(server.url()), options);
        JsonAnswer answer;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("nope"), this,
                   answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY(!answer.ok());
        QCOMPARE(answer.error().category(), category);
        QCOMPARE(answer.error().httpCode(), code);
        if (!message.isEmpty())
            QCOMPARE(answer.error().message(), message);
        if (category == ErrorCategory::Invalid) {
            QCOMPARE(answer.error().causes().size(), 2);
            QCOMPARE(answer.error().causes().at(1).field, QStringLiteral("spec.containers[0].image"));
        }
        QCOMPARE(server.requestCount(), 1);
    }

    void tooManyRequestsIsRetriedAfterRetryAfter()
    {
        ManualClock clock;
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([&](FakeExchange* e) {
            if (server.requestCount() == 1)
                e->respondError(Error(ErrorCategory::TooManyRequests, QStringLiteral("slow down")),
                                {{"Retry-After", "3"}});
            else
                e->respondJson(201, e->request().json());
        });
        ApiClient client(connectionTo(server.url()), manualOptions(&clock));
        JsonAnswer answer;
        // Even a POST: a 429 proves the request was not processed.
        client.create(GroupVersionResource::pods(), QStringLiteral("default"),
                      podObject(QStringLiteral("default"), QStringLiteral("p1"), {}), this, answer.callback());
        QTRY_COMPARE(server.requestCount(), 1);
        QTRY_COMPARE(clock.pendingCalls(), 1);
        clock.advance(2999);
        QCOMPARE(server.requestCount(), 1);
        clock.advance(1);
        QTRY_VERIFY(answer.done());
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(server.requests().at(1).method, QByteArray("POST"));
    }

    void serverErrorsAreRetriedForGet()
    {
        ManualClock clock;
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([&](FakeExchange* e) {
            if (server.requestCount() <= 2)
                e->respondError(Error(ErrorCategory::ServiceUnavailable, QStringLiteral("starting")).setHttpCode(503));
            else
                e->respondJson(200, podObject(QStringLiteral("default"), QStringLiteral("p1"), QStringLiteral("3")));
        });
        ApiClient client(connectionTo(server.url()), manualOptions(&clock));
        JsonAnswer answer;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), this,
                   answer.callback());
        for (int attempt = 1; attempt <= 2; ++attempt) {
            QTRY_COMPARE(server.requestCount(), attempt);
            QTRY_COMPARE(clock.pendingCalls(), 1);
            QVERIFY(!answer.done());
            clock.advance(40'000); // beyond any backoff
        }
        QTRY_VERIFY(answer.done());
        QVERIFY(answer.ok());
        QCOMPARE(server.requestCount(), 3);
    }

    void serverErrorsAreNotRetriedForPost()
    {
        ManualClock clock;
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respond(500, "boom", "text/plain"); });
        ApiClient client(connectionTo(server.url()), manualOptions(&clock));
        JsonAnswer answer;
        client.create(GroupVersionResource::configMaps(), QStringLiteral("default"), QJsonObject{}, this,
                      answer.callback());
        QTRY_VERIFY(answer.done());
        QCOMPARE(answer.error().category(), ErrorCategory::Internal);
        QCOMPARE(clock.pendingCalls(), 0);
        QCOMPARE(server.requestCount(), 1);
    }

    void retriesStopAfterMaxRetries()
    {
        ManualClock clock;
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respond(500, "still broken", "text/plain"); });
        ApiClient::Options options = manualOptions(&clock);
        options.maxRetries = 2;
        ApiClient client(connectionTo(server.url()), options);
        JsonAnswer answer;
        client.remove(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), this,
                      answer.callback());
        for (int attempt = 1; attempt <= 2; ++attempt) {
            QTRY_COMPARE(server.requestCount(), attempt);
            QTRY_COMPARE(clock.pendingCalls(), 1);
            clock.advance(40'000);
        }
        QTRY_VERIFY(answer.done());
        QCOMPARE(server.requestCount(), 3);
        QCOMPARE(answer.error().message(), QStringLiteral("still broken"));
    }

    void retryBackoffGrowsExponentially()
    {
        ManualClock clock;
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respond(503, {}, {}); });
        ApiClient::Options options = manualOptions(&clock);
        options.maxRetries = 3;
        options.retryInitialDelayMs = 1000;
        ApiClient client(connectionTo(server.url()), options);
        JsonAnswer answer;
        client.get(GroupVersionResource::nodes(), {}, QStringLiteral("n"), this, answer.callback());
        // Jitter stretches each delay by at most 25%: 1000-1250, 2000-2500, 4000-5000 ms.
        const QList<QPair<qint64, qint64>> windows{{1000, 1250}, {2000, 2500}, {4000, 5000}};
        for (int i = 0; i < windows.size(); ++i) {
            QTRY_COMPARE(server.requestCount(), i + 1);
            QTRY_COMPARE(clock.pendingCalls(), 1);
            clock.advance(windows[i].first - 1);
            QCOMPARE(clock.pendingCalls(), 1);
            clock.advance(windows[i].second - windows[i].first + 1);
            QCOMPARE(clock.pendingCalls(), 0);
        }
        QTRY_VERIFY(answer.done());
        QCOMPARE(answer.error().category(), ErrorCategory::ServiceUnavailable);
        QCOMPARE(server.requestCount(), 4);
    }

    void networkErrorsNameMethodAndUrl()
    {
        const quint16 port = closedPort();
        QUrl url(QStringLiteral("http://127.0.0.1"));
        url.setPort(port);
        ApiClient::Options options;
        options.maxRetries = 0;
        ApiClient client(connectionTo(url), options);
        JsonAnswer answer;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), this,
                   answer.callback());
        QTRY_VERIFY(answer.done());
        QCOMPARE(answer.error().category(), ErrorCategory::Network);
        const QString expected =
            QStringLiteral("GET http://127.0.0.1:%1/api/v1/namespaces/default/pods/p1: ").arg(port);
        QVERIFY2(answer.error().message().startsWith(expected), qPrintable(answer.error().message()));
        QVERIFY2(answer.error().message().contains(QStringLiteral("refused"), Qt::CaseInsensitive),
                 qPrintable(answer.error().message()));
        QVERIFY(answer.error().isRetryable());
    }

    void refusedConnectionsAreRetriedEvenForPost()
    {
        ManualClock clock;
        const quint16 port = closedPort();
        QUrl url(QStringLiteral("http://127.0.0.1"));
        url.setPort(port);
        ApiClient client(connectionTo(url), manualOptions(&clock));
        JsonAnswer answer;
        client.create(GroupVersionResource::pods(), QStringLiteral("default"),
                      podObject(QStringLiteral("default"), QStringLiteral("p1"), {}), this, answer.callback());
        QTRY_COMPARE(clock.pendingCalls(), 1); // the first attempt was refused; a retry is scheduled
        FakeApiServer server;                  // the API server comes up
        QVERIFY(server.listen(port));
        server.setHandler([](FakeExchange* e) { e->respondJson(201, e->request().json()); });
        clock.advance(40'000);
        QTRY_VERIFY(answer.done());
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
        QCOMPARE(server.requestCount(), 1);
    }

    void shortRequestsTimeOut()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange*) {}); // never answers
        ApiClient::Options options;
        options.maxRetries = 0;
        options.requestTimeoutMs = 200;
        ApiClient client(connectionTo(server.url()), options);
        JsonAnswer answer;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("slow"), this,
                   answer.callback());
        QTRY_VERIFY_WITH_TIMEOUT(answer.done(), 5000);
        QCOMPARE(answer.error().category(), ErrorCategory::Timeout);
        QVERIFY2(answer.error().message().startsWith(QStringLiteral("GET ") + server.url().toString()),
                 qPrintable(answer.error().message()));
    }

    void callbackIsDroppedWhenTheContextDies()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> pending;
        server.setHandler([&](FakeExchange* e) { pending = e; });
        ApiClient client(connectionTo(server.url()));
        auto context = std::make_unique<QObject>();
        JsonAnswer answer;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), context.get(),
                   answer.callback());
        QTRY_VERIFY(pending);
        context.reset();
        QTRY_VERIFY(!pending || !pending->isConnected()); // the request was aborted
        JsonAnswer later;
        server.setHandler([](FakeExchange* e) { e->respondJson(200, {}); });
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p2"), this,
                   later.callback());
        QTRY_VERIFY(later.done());
        QCOMPARE(answer.calls, 0);
    }

    // ---- credentials -----------------------------------------------------------------------------------------
    void bearerTokenAndBasicAuthHeaders()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respondJson(200, {}); });
        ClusterConnection withToken = connectionTo(server.url());
        withToken.token = QStringLiteral("abc.def");
        ApiClient tokenClient(withToken);
        JsonAnswer a;
        tokenClient.get(GroupVersionResource::nodes(), {}, QStringLiteral("n"), this, a.callback());
        QTRY_VERIFY(a.done());
        QCOMPARE(server.lastRequest().header("authorization"), QByteArray("Bearer abc.def"));

        ClusterConnection withBasic = connectionTo(server.url());
        withBasic.username = QStringLiteral("admin");
        withBasic.password = QStringLiteral("s3cret");
        ApiClient basicClient(withBasic);
        JsonAnswer b;
        basicClient.get(GroupVersionResource::nodes(), {}, QStringLiteral("n"), this, b.callback());
        QTRY_VERIFY(b.done());
        QCOMPARE(server.lastRequest().header("authorization"), "Basic " + QByteArray("admin:s3cret").toBase64());
    }

    void unauthorizedRefreshesATokenFileAndRetriesOnce()
    {
        QTemporaryDir dir;
        const QString tokenPath = dir.filePath(QStringLiteral("token"));
        const auto writeToken = [&](const QByteArray& token) {
            QFile file(tokenPath);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(token);
        };
        writeToken("old-token");
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([&](FakeExchange* e) {
            if (e->request().header("authorization") == "Bearer new-token")
                return e->respondJson(200, {});
            writeToken("new-token"); // the kubelet rotated the service-account token meanwhile
            e->respondError(Error(ErrorCategory::Unauthorized, QStringLiteral("Unauthorized")));
        });
        ClusterConnection connection = connectionTo(server.url());
        connection.tokenFile = tokenPath;
        ApiClient client(connection);
        JsonAnswer answer;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), this,
                   answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(server.requests().at(0).header("authorization"), QByteArray("Bearer old-token"));
        QCOMPARE(server.requests().at(1).header("authorization"), QByteArray("Bearer new-token"));

        // A token that stays bad is retried once only.
        server.clearRequests();
        server.setHandler([](FakeExchange* e) {
            e->respondError(Error(ErrorCategory::Unauthorized, QStringLiteral("Unauthorized")));
        });
        JsonAnswer denied;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), this,
                   denied.callback());
        QTRY_VERIFY(denied.done());
        QCOMPARE(denied.error().category(), ErrorCategory::Unauthorized);
        QCOMPARE(server.requestCount(), 2);
    }

    void unauthorizedWithALiteralTokenIsNotRetried()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            e->respondError(Error(ErrorCategory::Unauthorized, QStringLiteral("Unauthorized")));
        });
        ClusterConnection connection = connectionTo(server.url());
        connection.token = QStringLiteral("fixed");
        ApiClient client(connection);
        JsonAnswer answer;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("p1"), this,
                   answer.callback());
        QTRY_VERIFY(answer.done());
        QCOMPARE(answer.error().category(), ErrorCategory::Unauthorized);
        QCOMPARE(server.requestCount(), 1);
    }

    // ---- paging --------------------------------------------------------------------------------------------
    void listAllFollowsContinueTokens()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            const QString token = e->request().queryValue(QStringLiteral("continue"));
            const auto pod = [](const char* name) {
                return podObject(QStringLiteral("default"), QString::fromLatin1(name), QStringLiteral("1"));
            };
            if (token.isEmpty())
                e->respondJson(200, podList({pod("a"), pod("b")}, QStringLiteral("100"), QStringLiteral("t1")));
            else if (token == QLatin1String("t1"))
                e->respondJson(200, podList({pod("c"), pod("d")}, QStringLiteral("100"), QStringLiteral("t2")));
            else
                e->respondJson(200, podList({pod("e")}, QStringLiteral("100")));
        });
        ApiClient client(connectionTo(server.url()));
        ListOptions options;
        options.limit = 2;
        options.resourceVersion = QStringLiteral("0");
        options.labelSelector = QStringLiteral("app=web");
        JsonAnswer answer;
        client.listAll(GroupVersionResource::pods(), QStringLiteral("default"), options, this, answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY(answer.ok());
        const QJsonArray items = answer.value().value(QStringLiteral("items")).toArray();
        QStringList names;
        for (const auto& item : items)
            names << item.toObject()
                         .value(QStringLiteral("metadata"))
                         .toObject()
                         .value(QStringLiteral("name"))
                         .toString();
        QCOMPARE(names, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d"),
                                     QStringLiteral("e")}));
        QCOMPARE(answer.value()
                     .value(QStringLiteral("metadata"))
                     .toObject()
                     .value(QStringLiteral("resourceVersion"))
                     .toString(),
                 QStringLiteral("100"));
        QVERIFY(!answer.value().value(QStringLiteral("metadata")).toObject().contains(QStringLiteral("continue")));
        QCOMPARE(server.requestCount(), 3);
        const auto requests = server.requests();
        QCOMPARE(requests[0].queryValue(QStringLiteral("resourceVersion")), QStringLiteral("0"));
        QCOMPARE(requests[1].queryValue(QStringLiteral("continue")), QStringLiteral("t1"));
        QVERIFY(!requests[1].hasQueryItem(QStringLiteral("resourceVersion"))); // not allowed with continue
        QCOMPARE(requests[2].queryValue(QStringLiteral("continue")), QStringLiteral("t2"));
        for (const auto& request : requests) {
            QCOMPARE(request.queryValue(QStringLiteral("limit")), QStringLiteral("2"));
            QCOMPARE(request.queryValue(QStringLiteral("labelSelector")), QStringLiteral("app=web"));
        }
    }

    void listAllAsksForTheNextPageBeforeReadingThisOne()
    {
        // The continue token is read from a page's metadata before the page is parsed, so the next page is asked for
        // at once. A page that then turns out unreadable ends the list with one error naming the request; the page
        // already asked for is dropped when it comes.
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            const QString token = e->request().queryValue(QStringLiteral("continue"));
            if (token.isEmpty())
                e->respond(200, QByteArrayLiteral("{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\","
                                                  "\"continue\":\"t1\"},\"items\":[{\"metadata\":{\"name\":"));
            else
                e->respondJson(200,
                               podList({podObject(QStringLiteral("default"), QStringLiteral("b"), QStringLiteral("7"))},
                                       QStringLiteral("7")));
        });
        ApiClient client(connectionTo(server.url()));
        ListOptions options;
        options.limit = 1;
        int answers = 0;
        Result<QJsonObject> answer = QJsonObject{};
        client.listAll(GroupVersionResource::pods(), QStringLiteral("default"), options, this,
                       [&](Result<QJsonObject> r) {
                           ++answers;
                           answer = std::move(r);
                       });
        QTRY_COMPARE(answers, 1);
        QVERIFY(!answer);
        QVERIFY2(answer.error().message().contains(QLatin1String("/api/v1/namespaces/default/pods")),
                 qPrintable(answer.error().message()));
        QTRY_COMPARE(server.requestCount(), 2); // the second page was asked for before the first was read
        QCOMPARE(server.requests()[1].queryValue(QStringLiteral("continue")), QStringLiteral("t1"));
        // Its answer was written before the server sees another request: once that one is answered, the dropped
        // page has come too, and there is still one answer.
        JsonAnswer later;
        client.get(GroupVersionResource::pods(), QStringLiteral("default"), QStringLiteral("b"), this,
                   later.callback());
        QTRY_VERIFY(later.done());
        QCOMPARE(answers, 1);
    }

    void listAllRestartsOnceWhenTheContinueTokenExpires()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        int expiries = 1;
        server.setHandler([&](FakeExchange* e) {
            const QString token = e->request().queryValue(QStringLiteral("continue"));
            const QString rv = QString::number(100 + server.requestCount());
            if (token.isEmpty()) {
                e->respondJson(200, podList({podObject(QStringLiteral("default"), QStringLiteral("a"), rv)}, rv,
                                            QStringLiteral("t1")));
            } else if (expiries > 0) {
                --expiries;
                e->respondError(Error(ErrorCategory::Gone, QStringLiteral("The provided continue parameter is too old"))
                                    .setReason(QStringLiteral("Expired")));
            } else {
                e->respondJson(200, podList({podObject(QStringLiteral("default"), QStringLiteral("b"), rv)}, rv));
            }
        });
        ApiClient client(connectionTo(server.url()));
        ListOptions options;
        options.limit = 1;
        JsonAnswer answer;
        client.listAll(GroupVersionResource::pods(), QStringLiteral("default"), options, this, answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
        // first page, expired continue, then from scratch: first page, second page
        QCOMPARE(server.requestCount(), 4);
        QCOMPARE(answer.value().value(QStringLiteral("items")).toArray().size(), 2);
        QCOMPARE(answer.value()
                     .value(QStringLiteral("metadata"))
                     .toObject()
                     .value(QStringLiteral("resourceVersion"))
                     .toString(),
                 QStringLiteral("103"));

        // Expiring again after the restart is an error.
        server.clearRequests();
        expiries = 2;
        JsonAnswer failed;
        client.listAll(GroupVersionResource::pods(), QStringLiteral("default"), options, this, failed.callback());
        QTRY_VERIFY(failed.done());
        QCOMPARE(failed.error().category(), ErrorCategory::Gone);
        QCOMPARE(server.requestCount(), 4);
    }

    // ---- transport -------------------------------------------------------------------------------------------
    void httpProxyIsUsed()
    {
        FakeApiServer proxy;
        QVERIFY(proxy.listen());
        proxy.setHandler([](FakeExchange* e) {
            e->respondJson(200, QJsonObject{{QStringLiteral("via"), QStringLiteral("proxy")}});
        });
        ClusterConnection connection = connectionTo(QUrl(QStringLiteral("http://kube.invalid:6443")));
        connection.proxyUrl = proxy.url();
        ApiClient client(connection);
        JsonAnswer answer;
        client.get(GroupVersionResource::nodes(), {}, QStringLiteral("vk-1"), this, answer.callback());
        QTRY_VERIFY(answer.done());
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
        QCOMPARE(proxy.lastRequest().target, QByteArray("http://kube.invalid:6443/api/v1/nodes/vk-1"));
    }

    void tlsPinsTheCaSendsTheClientCertAndVerifiesTheServerName()
    {
        QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
        serverConfig.setLocalCertificate(loadCertificate(QStringLiteral("server.crt")));
        serverConfig.setPrivateKey(QSslKey(testData(QStringLiteral("server.key")), QSsl::Rsa));
        serverConfig.setCaCertificates({loadCertificate(QStringLiteral("ca.crt"))});
        serverConfig.setPeerVerifyMode(QSslSocket::QueryPeer);
        FakeApiServer server;
        QVERIFY(server.listenTls(serverConfig));
        server.setHandler([](FakeExchange* e) {
            e->respondJson(200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("Node")}});
        });

        ClusterConnection good = connectionTo(server.url());
        good.caCertificates = {loadCertificate(QStringLiteral("ca.crt"))};
        good.tlsServerName = QStringLiteral("kubernetes.test"); // the certificate has no IP SAN
        good.clientCertificate = loadCertificate(QStringLiteral("client.crt"));
        good.clientKey = QSslKey(testData(QStringLiteral("client.key")), QSsl::Ec);
        QVERIFY(!good.clientKey.isNull());
        {
            ApiClient client(good);
            JsonAnswer answer;
            client.get(GroupVersionResource::nodes(), {}, QStringLiteral("vk-1"), this, answer.callback());
            QTRY_VERIFY_WITH_TIMEOUT(answer.done(), 10000);
            QVERIFY2(answer.ok(), qPrintable(answer.describe()));
            QCOMPARE(server.lastRequest().peerCommonName, QStringLiteral("vk-test-client"));
        }
        const auto expectTlsFailure = [&](const ClusterConnection& connection, const char* what) {
            ApiClient::Options options;
            options.maxRetries = 3; // TLS failures are not retried
            ApiClient client(connection, options);
            JsonAnswer answer;
            const int before = server.requestCount();
            client.get(GroupVersionResource::nodes(), {}, QStringLiteral("vk-1"), this, answer.callback());
            QTRY_VERIFY_WITH_TIMEOUT(answer.done(), 10000);
            QVERIFY2(!answer.ok(), what);
            QCOMPARE(answer.error().category(), ErrorCategory::Network);
            QVERIFY2(answer.error().message().contains(QStringLiteral("SSL"), Qt::CaseInsensitive) ||
                         answer.error().message().contains(QStringLiteral("TLS"), Qt::CaseInsensitive),
                     qPrintable(answer.error().message()));
            QCOMPARE(server.requestCount(), before);
        };
        ClusterConnection wrongCa = good;
        wrongCa.caCertificates = {loadCertificate(QStringLiteral("other-ca.crt"))};
        expectTlsFailure(wrongCa, "a CA other than the pinned one must not be trusted");
        ClusterConnection noServerName = good;
        noServerName.tlsServerName.clear();
        expectTlsFailure(noServerName, "127.0.0.1 is not in the certificate");

        ClusterConnection insecure = wrongCa;
        insecure.insecureSkipTlsVerify = true;
        ApiClient client(insecure);
        JsonAnswer answer;
        client.get(GroupVersionResource::nodes(), {}, QStringLiteral("vk-1"), this, answer.callback());
        QTRY_VERIFY_WITH_TIMEOUT(answer.done(), 10000);
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
    }

    void rateLimiterSpacesRequests()
    {
        ManualClock clock;
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respondJson(200, {}); });
        ApiClient::Options options = manualOptions(&clock);
        options.qps = 1;
        options.burst = 2;
        ApiClient client(connectionTo(server.url()), options);
        QList<JsonAnswer> answers(4);
        for (auto& answer : answers)
            client.get(GroupVersionResource::nodes(), {}, QStringLiteral("n"), this, answer.callback());
        QTRY_COMPARE(server.requestCount(), 2);
        QTRY_COMPARE(client.rateLimiter()->waiting(), 2);
        clock.advance(1000);
        QTRY_COMPARE(server.requestCount(), 3);
        clock.advance(1000);
        QTRY_COMPARE(server.requestCount(), 4);
        for (const auto& answer : answers)
            QTRY_VERIFY(answer.ok());
    }

    void rateLimiterIsChargedPerAttempt()
    {
        ManualClock clock;
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([&](FakeExchange* e) {
            if (server.requestCount() == 1)
                e->respond(503, {}, {});
            else
                e->respondJson(200, {});
        });
        ApiClient::Options options = manualOptions(&clock);
        options.qps = 1;
        options.burst = 1;
        options.retryInitialDelayMs = 100; // the retry is due after 100-125 ms, but the next token only at 1 s
        ApiClient client(connectionTo(server.url()), options);
        JsonAnswer answer;
        client.get(GroupVersionResource::nodes(), {}, QStringLiteral("n"), this, answer.callback());
        QTRY_COMPARE(server.requestCount(), 1);
        QTRY_COMPARE(clock.pendingCalls(), 1); // the retry
        clock.advance(125);
        QCOMPARE(client.rateLimiter()->waiting(), 1);
        clock.advance(874);
        QCOMPARE(server.requestCount(), 1);
        QCOMPARE(client.rateLimiter()->waiting(), 1);
        clock.advance(1);
        QTRY_VERIFY(answer.done());
        QVERIFY2(answer.ok(), qPrintable(answer.describe()));
        QCOMPARE(server.requestCount(), 2);
    }
};

QTEST_GUILESS_MAIN(ApiClientTest)
#include "tst_apiclient.moc"
