// SPDX-License-Identifier: Apache-2.0
// HttpClientPool: kept-alive HTTP/1.1 connections on the caller's thread, against the fake API server and, for
// answers the fake server cannot give, a raw TCP server.
#include "FakeApiServer.h"

#include "core/Clock.h"
#include "kube/HttpClientPool.h"

#include <QNetworkProxy>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <optional>

using namespace vk::kube;
using vk::test::FakeApiServer;
using vk::test::FakeExchange;
using vk::test::FakeRequest;
using Failure = HttpClientResponse::Failure;

namespace {

HttpClientRequest get(const QUrl& base, const QString& path)
{
    HttpClientRequest request;
    request.method = "GET";
    request.url = base.resolved(QUrl(path));
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    request.timeoutMs = 10000;
    return request;
}

/// Collects the answers of several requests, in the order they arrive.
struct Answers
{
    QList<HttpClientResponse> received;

    HttpClientPool::Done callback()
    {
        return [this](HttpClientResponse response) { received.append(std::move(response)); };
    }
};

/// A TCP server that answers each connection's first request with fixed bytes, then (optionally) closes it.
class RawServer : public QObject
{
public:
    explicit RawServer(QByteArray answer, bool closeAfter) : m_answer(std::move(answer)), m_closeAfter(closeAfter)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_received += socket->readAll();
                    if (!m_received.contains("\r\n\r\n"))
                        return;
                    socket->write(m_answer);
                    if (m_closeAfter)
                        socket->disconnectFromHost();
                });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_server.serverPort())); }
    QByteArray received() const { return m_received; }

private:
    QTcpServer m_server;
    QByteArray m_answer;
    bool m_closeAfter;
    QByteArray m_received;
};

} // namespace

class HttpClientPoolTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestLineHostHeadersAndBodyAsSent()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respond(201, "{\"ok\":true}"); });
        HttpClientPool pool;
        HttpClientRequest request =
            get(server.url(), QStringLiteral("/api/v1/namespaces/my%20ns/pods?limit=5&x=a%2Bb"));
        request.method = "PATCH";
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/merge-patch+json")});
        request.body = "{\"a\":1}";
        request.sendsBody = true;
        Answers answers;
        pool.send(request, answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        const HttpClientResponse& answer = answers.received.first();
        QCOMPARE(answer.failure, Failure::None);
        QCOMPARE(answer.status, 201);
        QCOMPARE(answer.body, QByteArray("{\"ok\":true}"));
        QCOMPARE(answer.header("content-type"), QByteArray("application/json"));
        const auto sent = server.lastRequest();
        QCOMPARE(sent.method, QByteArray("PATCH"));
        QCOMPARE(sent.target, QByteArray("/api/v1/namespaces/my%20ns/pods?limit=5&x=a%2Bb"));
        QCOMPARE(sent.header("host"), QStringLiteral("127.0.0.1:%1").arg(server.port()).toUtf8());
        QCOMPARE(sent.header("content-type"), QByteArray("application/merge-patch+json"));
        QCOMPARE(sent.header("content-length"), QByteArray("7"));
        QCOMPARE(sent.body, QByteArray("{\"a\":1}"));
    }

    void aGetWithoutBodySendsNoContentLength()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respond(200, "{}"); });
        HttpClientPool pool;
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/version")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QVERIFY(!server.lastRequest().headers.contains("content-length"));
    }

    void keptAliveConnectionServesTheNextRequests()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respond(200, e->request().path); });
        HttpClientPool pool;
        Answers answers;
        for (int i = 0; i < 5; ++i) {
            pool.send(get(server.url(), QStringLiteral("/r%1").arg(i)), answers.callback());
            QTRY_COMPARE(answers.received.size(), i + 1);
        }
        for (int i = 0; i < 5; ++i)
            QCOMPARE(answers.received.at(i).body, QStringLiteral("/r%1").arg(i).toUtf8());
        QCOMPARE(pool.connectionCount(), 1);
        QCOMPARE(server.connectionCount(), 1);
    }

    void aConnectionIdleForTooLongIsNotReused()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QList<QPointer<FakeExchange>> exchanges;
        server.setHandler([&exchanges](FakeExchange* e) {
            exchanges.append(e);
            e->respond(200, "{}");
        });
        vk::ManualClock clock;
        HttpClientPool pool(6, &clock);
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/a")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        clock.advance(HttpClientPool::kIdleTimeoutMs - 1000);
        pool.send(get(server.url(), QStringLiteral("/b")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 2);
        QCOMPARE(server.connectionCount(), 1); // still fresh enough: reused
        QVERIFY(exchanges.at(1) && exchanges.at(1)->isConnected());
        clock.advance(HttpClientPool::kIdleTimeoutMs + 1000);
        pool.send(get(server.url(), QStringLiteral("/c")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 3);
        QCOMPARE(answers.received.at(2).failure, Failure::None);
        // The stale connection (that of /a and /b) was closed; a new one carried /c.
        QTRY_VERIFY(!exchanges.at(1) || !exchanges.at(1)->isConnected());
        QVERIFY(exchanges.at(2) && exchanges.at(2)->isConnected());
        QCOMPARE(pool.connectionCount(), 1);
    }

    void requestsWaitInOrderWhenAllConnectionsAreBusy()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QList<QPointer<FakeExchange>> held;
        server.setHandler([&held](FakeExchange* e) { held.append(e); });
        HttpClientPool pool(2);
        Answers answers;
        for (int i = 0; i < 5; ++i)
            pool.send(get(server.url(), QStringLiteral("/r%1").arg(i)), answers.callback());
        QTRY_COMPARE(server.requestCount(), 2);
        QCOMPARE(pool.connectionCount(), 2);
        // Answering one lets the next waiting request out, on the same connection.
        while (answers.received.size() < 5) {
            QTRY_VERIFY(!held.isEmpty());
            QPointer<FakeExchange> next = held.takeFirst();
            QVERIFY(next);
            next->respond(200, next->request().path);
            const int before = int(answers.received.size());
            QTRY_COMPARE(answers.received.size(), before + 1);
        }
        QCOMPARE(server.requestCount(), 5);
        QCOMPARE(server.connectionCount(), 2);
        QList<QByteArray> order;
        for (const FakeRequest& r : server.requests())
            order << r.path;
        QCOMPARE(order, (QList<QByteArray>{"/r0", "/r1", "/r2", "/r3", "/r4"}));
    }

    void chunkedAnswerIsJoined()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) {
            e->beginStream(200);
            e->writeChunk("{\"items\":");
            e->writeChunk("[1,2,3]}");
            e->endStream();
        });
        HttpClientPool pool;
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/list")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QCOMPARE(answers.received.first().failure, Failure::None);
        QCOMPARE(answers.received.first().body, QByteArray("{\"items\":[1,2,3]}"));
    }

    void answerWithoutLengthEndsWithTheConnection()
    {
        RawServer server("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nhello, until close",
                         true);
        QVERIFY(server.listen());
        HttpClientPool pool;
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/x")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QCOMPARE(answers.received.first().failure, Failure::None);
        QCOMPARE(answers.received.first().body, QByteArray("hello, until close"));
        QTRY_COMPARE(pool.connectionCount(), 0); // not kept: the server said close
    }

    void malformedAnswerFails()
    {
        RawServer server("HTTP/1.1 abc nonsense\r\n\r\n", false);
        QVERIFY(server.listen());
        HttpClientPool pool;
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/x")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QCOMPARE(answers.received.first().failure, Failure::Other);
        QVERIFY2(answers.received.first().errorString.contains(QStringLiteral("malformed")),
                 qPrintable(answers.received.first().errorString));
    }

    void aRequestMeetingAClosedKeptAliveConnection_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>("serverKeepsDropping"); // every request from the second on, or only the second
        QTest::addColumn<int>("failure");              // HttpClientResponse::Failure of the second request
        QTest::addColumn<int>("requestsSeen");
        // The second request meets its connection being closed (as an idle timeout on the server would).
        QTest::newRow("a GET is sent again once on a new connection")
            << QByteArray("GET") << false << int(Failure::None) << 3;
        QTest::newRow("a POST is not sent again: it may have been carried out, the caller decides")
            << QByteArray("POST") << false << int(Failure::Closed) << 2;
        QTest::newRow("a GET is sent again only once") << QByteArray("GET") << true << int(Failure::Closed) << 3;
    }

    void aRequestMeetingAClosedKeptAliveConnection()
    {
        QFETCH(QByteArray, method);
        QFETCH(bool, serverKeepsDropping);
        QFETCH(int, failure);
        QFETCH(int, requestsSeen);
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([&server, serverKeepsDropping](FakeExchange* e) {
            if (server.requestCount() == 2 || (serverKeepsDropping && server.requestCount() > 2))
                e->dropConnection();
            else
                e->respond(200, e->request().path);
        });
        HttpClientPool pool;
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/first")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        HttpClientRequest second = get(server.url(), QStringLiteral("/second"));
        second.method = method;
        if (method == "POST")
            second.body = "{}";
        pool.send(second, answers.callback());
        QTRY_COMPARE(answers.received.size(), 2);
        QCOMPARE(int(answers.received.at(1).failure), failure);
        if (answers.received.at(1).failure == Failure::None)
            QCOMPARE(answers.received.at(1).body, QByteArray("/second"));
        QCOMPARE(server.requestCount(), requestsSeen);
    }

    void aFreshConnectionClosedBeforeTheAnswerFails()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->dropConnection(); });
        HttpClientPool pool;
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/x")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QCOMPARE(answers.received.first().failure, Failure::Closed);
        QCOMPARE(server.requestCount(), 1); // not sent again: it may have been carried out
    }

    void refusedConnection()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/").arg(probe.serverPort()));
        probe.close();
        HttpClientPool pool;
        Answers answers;
        pool.send(get(url, QStringLiteral("/x")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QCOMPARE(answers.received.first().failure, Failure::Refused);
        QVERIFY2(answers.received.first().errorString.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
                 qPrintable(answers.received.first().errorString));
    }

    void noProgressTimesOut()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange*) {}); // never answers
        HttpClientPool pool;
        HttpClientRequest request = get(server.url(), QStringLiteral("/slow"));
        request.timeoutMs = 150;
        Answers answers;
        pool.send(request, answers.callback());
        QTRY_COMPARE_WITH_TIMEOUT(answers.received.size(), 1, 5000);
        QCOMPARE(answers.received.first().failure, Failure::Timeout);
        QTRY_COMPARE(server.connectionCount(), 0); // the connection is not reused after a timeout
    }

    void cancelDropsTheCallbackAndTheConnectionOnTheWire()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> held;
        server.setHandler([&held](FakeExchange* e) { held = e; });
        HttpClientPool pool;
        Answers answers;
        const quint64 onTheWire = pool.send(get(server.url(), QStringLiteral("/held")), answers.callback());
        QTRY_VERIFY(held);
        pool.cancel(onTheWire);
        QTRY_COMPARE(server.connectionCount(), 0);
        QCOMPARE(pool.connectionCount(), 0);
        // A request still waiting for its turn is dropped without touching the server.
        const quint64 waiting = pool.send(get(server.url(), QStringLiteral("/never")), answers.callback());
        pool.cancel(waiting);
        pool.send(get(server.url(), QStringLiteral("/after")), answers.callback());
        QTRY_COMPARE(server.requestCount(), 2);
        QCOMPARE(server.lastRequest().path, QByteArray("/after"));
        QVERIFY(answers.received.isEmpty());
    }

    void plainHttpThroughAnHttpProxyIsSentInAbsoluteFormWithItsCredentials()
    {
        FakeApiServer proxy;
        QVERIFY(proxy.listen());
        proxy.setHandler([](FakeExchange* e) { e->respond(200, "{\"via\":\"proxy\"}"); });
        HttpClientPool pool;
        HttpClientRequest request = get(QUrl(QStringLiteral("http://kube.invalid:6443/")), QStringLiteral("/api?x=1"));
        request.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port(),
                                      QStringLiteral("ann"), QStringLiteral("s3cret"));
        Answers answers;
        pool.send(request, answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QCOMPARE(answers.received.first().failure, Failure::None);
        QCOMPARE(proxy.lastRequest().target, QByteArray("http://kube.invalid:6443/api?x=1"));
        QCOMPARE(proxy.lastRequest().header("host"), QByteArray("kube.invalid:6443"));
        QCOMPARE(proxy.lastRequest().header("proxy-authorization"),
                 QByteArray("Basic ") + QByteArray("ann:s3cret").toBase64());
    }

    void streamDeliversHeadDataAsItArrivesAndItsEnd()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> exchange;
        server.setHandler([&exchange](FakeExchange* e) {
            exchange = e;
            e->beginStream(200, "application/json");
        });
        HttpClientPool pool;
        int status = 0;
        QByteArray contentType;
        QByteArray received;
        std::optional<Failure> ended;
        HttpStreamHandlers handlers;
        handlers.head = [&](int s, const QList<QPair<QByteArray, QByteArray>>& headers) {
            status = s;
            for (const auto& [name, value] : headers)
                if (name.compare("content-type", Qt::CaseInsensitive) == 0)
                    contentType = value;
        };
        handlers.data = [&](const QByteArray& data) { received += data; };
        handlers.end = [&](Failure failure, const QString&) { ended = failure; };
        pool.openStream(get(server.url(), QStringLiteral("/watch")), handlers);
        QTRY_COMPARE(status, 200);
        QCOMPARE(contentType, QByteArray("application/json"));
        exchange->writeChunk("{\"type\":\"ADDED\"}\n");
        QTRY_COMPARE(received, QByteArray("{\"type\":\"ADDED\"}\n"));
        QVERIFY(!ended);
        exchange->writeChunk("{\"type\":\"DELETED\"}\n");
        exchange->endStream();
        QTRY_VERIFY(ended.has_value());
        QCOMPARE(*ended, Failure::None);
        QCOMPARE(received, QByteArray("{\"type\":\"ADDED\"}\n{\"type\":\"DELETED\"}\n"));
        QTRY_COMPARE(pool.connectionCount(), 0); // a stream's connection is never reused
    }

    void streamBrokenOffEndsAsClosed()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> exchange;
        server.setHandler([&exchange](FakeExchange* e) {
            exchange = e;
            e->beginStream(200);
            e->writeChunk("{\"type\":");
        });
        HttpClientPool pool;
        QByteArray received;
        std::optional<Failure> ended;
        HttpStreamHandlers handlers;
        handlers.data = [&](const QByteArray& data) { received += data; };
        handlers.end = [&](Failure failure, const QString&) { ended = failure; };
        pool.openStream(get(server.url(), QStringLiteral("/watch")), handlers);
        QTRY_COMPARE(received, QByteArray("{\"type\":"));
        exchange->dropConnection(); // as a crashing API server would
        QTRY_VERIFY(ended.has_value());
        QCOMPARE(*ended, Failure::Closed);
    }

    void cancelledStreamsSayNothingMore()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        QPointer<FakeExchange> exchange;
        server.setHandler([&exchange](FakeExchange* e) {
            if (e->request().path != "/watch")
                return e->respond(200, "{}");
            exchange = e;
            e->beginStream(200);
            e->writeChunk("first");
        });
        HttpClientPool pool;
        int calls = 0;
        HttpStreamHandlers handlers;
        handlers.data = [&](const QByteArray&) { ++calls; };
        handlers.end = [&](Failure, const QString&) { ++calls; };
        const quint64 open = pool.openStream(get(server.url(), QStringLiteral("/watch")), handlers);
        QTRY_COMPARE(calls, 1);
        pool.cancel(open);
        QTRY_COMPARE(server.connectionCount(), 0);
        // Cancelled before it even started: nothing reaches the server.
        const quint64 unborn = pool.openStream(get(server.url(), QStringLiteral("/unborn")), handlers);
        pool.cancel(unborn);
        Answers answers;
        pool.send(get(server.url(), QStringLiteral("/after")), answers.callback());
        QTRY_COMPARE(answers.received.size(), 1);
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(server.lastRequest().path, QByteArray("/after"));
        QCOMPARE(calls, 1);
    }

    void destroyingThePoolInsideACallbackIsSafe()
    {
        FakeApiServer server;
        QVERIFY(server.listen());
        server.setHandler([](FakeExchange* e) { e->respond(200, "{}"); });
        auto* pool = new HttpClientPool;
        bool called = false;
        pool->send(get(server.url(), QStringLiteral("/x")), [&](HttpClientResponse) {
            called = true;
            delete pool;
        });
        QTRY_VERIFY(called);
        QTRY_COMPARE(server.connectionCount(), 0);
    }
};

QTEST_GUILESS_MAIN(HttpClientPoolTest)
#include "tst_httpclientpool.moc"
