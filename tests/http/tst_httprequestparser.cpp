// SPDX-License-Identifier: Apache-2.0
#include "core/KubeStatus.h"
#include "http/HttpRequestParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using vk::http::HttpRequest;
using vk::http::HttpRequestParser;

namespace {

struct Outcome
{
    QStringList requests; // "METHOD target|path|body|keepalive"
    int errorStatus = 0;
    QByteArray rest; // bytes after an upgrade request (not consumed)
    QList<HttpRequest> parsed;
};

QString describe(const HttpRequest& r, bool keepAlive)
{
    return QString::fromLatin1(r.method) + QLatin1Char(' ') + QString::fromLatin1(r.target) + QLatin1Char('|') +
           r.path + QLatin1Char('|') + QString::fromLatin1(r.body) + QLatin1Char('|') +
           (keepAlive ? QStringLiteral("keep-alive") : QStringLiteral("close"));
}

// Feeds the pieces one after another, the way a connection does: unconsumed bytes wait for the next piece.
Outcome run(const QList<QByteArray>& pieces, HttpRequestParser::Limits limits)
{
    HttpRequestParser parser(limits);
    Outcome out;
    QByteArray buffer;
    bool stopped = false;
    bool upgraded = false;
    for (const QByteArray& piece : pieces) {
        buffer.append(piece);
        while (!stopped && !buffer.isEmpty()) {
            const qsizetype used = parser.parse(buffer);
            buffer.remove(0, used);
            if (parser.hasFailed()) {
                out.errorStatus = parser.errorStatus();
                stopped = true;
            } else if (parser.isComplete()) {
                const bool upgrade = parser.isUpgrade();
                out.requests.append(describe(parser.request(), parser.keepAlive()));
                out.parsed.append(parser.takeRequest());
                if (upgrade) {
                    stopped = true;
                    upgraded = true;
                }
            } else if (used == 0) {
                break;
            }
        }
    }
    if (upgraded)
        out.rest = buffer;
    return out;
}

QList<QByteArray> bytewise(const QByteArray& data)
{
    QList<QByteArray> pieces;
    for (char c : data)
        pieces.append(QByteArray(1, c));
    return pieces;
}

QList<QByteArray> inPiecesOf(const QByteArray& data, int size)
{
    QList<QByteArray> pieces;
    for (qsizetype i = 0; i < data.size(); i += size)
        pieces.append(data.mid(i, size));
    return pieces;
}

const QByteArray kGet = "GET /api/v1/pods?watch=1 HTTP/1.1\r\nHost: x\r\n\r\n";
const QByteArray kPost = "POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         "application/json\r\nContent-Length: 14\r\n\r\n{\"kind\":\"Pod\"}";
const QByteArray kChunked = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesRequests_data();
    void parsesRequests();
    void headerAccessors();
    void queryDecoding();
    void continueExpectedOnlyBeforeTheBody();
    void errorsCarryStatusBodies_data();
    void errorsCarryStatusBodies();
    void resetRecoversFromFailure();
    void nothingConsumedWhileARequestWaits();
};

void TestHttpRequestParser::parsesRequests_data()
{
    QTest::addColumn<QList<QByteArray>>("pieces");
    QTest::addColumn<int>("maxHeaderBytes");
    QTest::addColumn<int>("maxBodyBytes");
    QTest::addColumn<QStringList>("requests");
    QTest::addColumn<int>("errorStatus");
    QTest::addColumn<QByteArray>("rest");

    const int mib = 1 << 20;
    const QString getPods = QStringLiteral("GET /api/v1/pods?watch=1|/api/v1/pods||keep-alive");
    const QString postPod = QStringLiteral(
        "POST /api/v1/namespaces/default/pods|/api/v1/namespaces/default/pods|{\"kind\":\"Pod\"}|keep-alive");

    QTest::newRow("a GET in one piece is one request")
        << QList<QByteArray>{kGet} << mib << mib << QStringList{getPods} << 0 << QByteArray();
    QTest::newRow("a GET arriving byte by byte is the same request")
        << bytewise(kGet) << mib << mib << QStringList{getPods} << 0 << QByteArray();
    QTest::newRow("two pipelined requests in one piece come out one at a time, in order")
        << QList<QByteArray>{kGet + kPost} << mib << mib << QStringList{getPods, postPod} << 0 << QByteArray();
    QTest::newRow("pipelined requests split in 7-byte pieces")
        << inPiecesOf(kPost + kGet + kPost, 7) << mib << mib << QStringList{postPod, getPods, postPod} << 0
        << QByteArray();
    QTest::newRow("a Content-Length body is collected")
        << QList<QByteArray>{kPost} << mib << mib << QStringList{postPod} << 0 << QByteArray();
    QTest::newRow("a body arriving byte by byte is collected")
        << bytewise(kPost) << mib << mib << QStringList{postPod} << 0 << QByteArray();
    QTest::newRow("a chunked body is de-chunked")
        << QList<QByteArray>{kChunked} << mib << mib
        << QStringList{QStringLiteral("POST /upload|/upload|hello, world|keep-alive")} << 0 << QByteArray();
    QTest::newRow("a chunked body split in 3-byte pieces is de-chunked")
        << inPiecesOf(kChunked + kGet, 3) << mib << mib
        << QStringList{QStringLiteral("POST /upload|/upload|hello, world|keep-alive"), getPods} << 0 << QByteArray();
    QTest::newRow("leading blank lines before a request are skipped")
        << QList<QByteArray>{"\r\n\r\n" + kGet} << mib << mib << QStringList{getPods} << 0 << QByteArray();
    QTest::newRow("percent-encoded path is decoded, target stays raw")
        << QList<QByteArray>{"GET /api/v1/namespaces/a%20b/pods HTTP/1.1\r\n\r\n"} << mib << mib
        << QStringList{QStringLiteral("GET /api/v1/namespaces/a%20b/pods|/api/v1/namespaces/a b/pods||keep-alive")} << 0
        << QByteArray();
    QTest::newRow("absolute-form target yields the path")
        << QList<QByteArray>{"GET http://example.com:8080/healthz?verbose HTTP/1.1\r\n\r\n"} << mib << mib
        << QStringList{QStringLiteral("GET http://example.com:8080/healthz?verbose|/healthz||keep-alive")} << 0
        << QByteArray();
    QTest::newRow("Connection: close makes the request the last one")
        << QList<QByteArray>{"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"} << mib << mib
        << QStringList{QStringLiteral("GET /|/||close")} << 0 << QByteArray();
    QTest::newRow("HTTP/1.0 without keep-alive is the last request")
        << QList<QByteArray>{"GET / HTTP/1.0\r\n\r\n"} << mib << mib << QStringList{QStringLiteral("GET /|/||close")}
        << 0 << QByteArray();
    QTest::newRow("HTTP/1.0 with Connection: keep-alive stays open")
        << QList<QByteArray>{"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"} << mib << mib
        << QStringList{QStringLiteral("GET /|/||keep-alive")} << 0 << QByteArray();
    QTest::newRow("HEAD is parsed without a body")
        << QList<QByteArray>{"HEAD /version HTTP/1.1\r\n\r\n" + kGet} << mib << mib
        << QStringList{QStringLiteral("HEAD /version|/version||keep-alive"), getPods} << 0 << QByteArray();

    QTest::newRow("an upgrade request stops before the bytes of the new protocol")
        << QList<QByteArray>{QByteArray("POST /exec HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n") +
                             QByteArray("\x80\x03\x00\x01spdy", 8)}
        << mib << mib << QStringList{QStringLiteral("POST /exec|/exec||keep-alive")} << 0
        << QByteArray("\x80\x03\x00\x01spdy", 8);
    QTest::newRow("an upgrade request in pieces leaves the protocol bytes of the last piece")
        << QList<QByteArray>{"GET /ws HTTP/1.1\r\nConnection: Up", "grade\r\nUpgrade: websocket\r\n\r", "\n\x81\x05"}
        << mib << mib << QStringList{QStringLiteral("GET /ws|/ws||keep-alive")} << 0 << QByteArray("\x81\x05");

    QTest::newRow("a header section over the limit is 431")
        << QList<QByteArray>{"GET / HTTP/1.1\r\nX-Big: " + QByteArray(300, 'a') + "\r\n\r\n"} << 256 << mib
        << QStringList{} << 431 << QByteArray();
    QTest::newRow("a header section over the limit arriving in pieces is 431")
        << inPiecesOf("GET / HTTP/1.1\r\nX-Big: " + QByteArray(300, 'a') + "\r\n\r\n", 10) << 256 << mib
        << QStringList{} << 431 << QByteArray();
    QTest::newRow("many small headers over the limit are 431")
        << QList<QByteArray>{"GET / HTTP/1.1\r\n" + QByteArray("A: b\r\n").repeated(100) + "\r\n"} << 256 << mib
        << QStringList{} << 431 << QByteArray();
    QTest::newRow("a header section above libhttp-parser's own 80 KiB default is fine under our limit")
        << QList<QByteArray>{"GET / HTTP/1.1\r\nX-Big: " + QByteArray(100 * 1024, 'a') + "\r\n\r\n"} << mib << mib
        << QStringList{QStringLiteral("GET /|/||keep-alive")} << 0 << QByteArray();
    QTest::newRow("a header section just under the limit is accepted")
        << QList<QByteArray>{"GET / HTTP/1.1\r\nX: " + QByteArray(200, 'a') + "\r\n\r\n"} << 256 << mib
        << QStringList{QStringLiteral("GET /|/||keep-alive")} << 0 << QByteArray();
    QTest::newRow("a Content-Length over the body limit is 413 before any body byte")
        << QList<QByteArray>{"POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"} << mib << 100 << QStringList{} << 413
        << QByteArray();
    QTest::newRow("a chunked body over the body limit is 413")
        << QList<QByteArray>{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "40\r\n" + QByteArray(64, 'x'),
                             "\r\n40\r\n" + QByteArray(64, 'y') + "\r\n0\r\n\r\n"}
        << mib << 100 << QStringList{} << 413 << QByteArray();
    QTest::newRow("a body exactly at the limit is accepted")
        << QList<QByteArray>{"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + QByteArray(100, 'z')} << mib << 100
        << QStringList{QStringLiteral("POST /|/|") + QString(100, QLatin1Char('z')) + QStringLiteral("|keep-alive")}
        << 0 << QByteArray();
    QTest::newRow("a bad method line is 400")
        << QList<QByteArray>{"FETCH / HTTP/1.1\r\n\r\n"} << mib << mib << QStringList{} << 400 << QByteArray();
    QTest::newRow("binary garbage is 400") << QList<QByteArray>{QByteArray("\x16\x03\x01\x02\x00\x01", 6)} << mib << mib
                                           << QStringList{} << 400 << QByteArray();
    QTest::newRow("a missing HTTP version is 400")
        << QList<QByteArray>{"GET /\r\n\r\n"} << mib << mib << QStringList{} << 400 << QByteArray();
    QTest::newRow("a non-numeric Content-Length is 400")
        << QList<QByteArray>{"POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n"} << mib << mib << QStringList{} << 400
        << QByteArray();
    QTest::newRow("a bad chunk size is 400")
        << QList<QByteArray>{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"} << mib << mib
        << QStringList{} << 400 << QByteArray();
    QTest::newRow("Content-Length together with chunked is 400 (request smuggling)")
        << QList<QByteArray>{"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"}
        << mib << mib << QStringList{} << 400 << QByteArray();
    QTest::newRow("a request after a good one can still fail on its own")
        << QList<QByteArray>{kGet + "BAD\x01 / HTTP/1.1\r\n\r\n"} << mib << mib << QStringList{getPods} << 400
        << QByteArray();
}

void TestHttpRequestParser::parsesRequests()
{
    QFETCH(QList<QByteArray>, pieces);
    QFETCH(int, maxHeaderBytes);
    QFETCH(int, maxBodyBytes);
    QFETCH(QStringList, requests);
    QFETCH(int, errorStatus);
    QFETCH(QByteArray, rest);

    const Outcome out = run(pieces, {maxHeaderBytes, maxBodyBytes});
    QCOMPARE(out.requests, requests);
    QCOMPARE(out.errorStatus, errorStatus);
    QCOMPARE(out.rest, rest);
}

void TestHttpRequestParser::headerAccessors()
{
    const Outcome out = run({"GET /ws HTTP/1.1\r\nHost: api\r\nX-Multi: one\r\nConnection: keep-alive, Upgrade\r\n"
                             "UPGRADE: WebSocket\r\nx-multi:   two   \r\n\r\n"},
                            {});
    QCOMPARE(out.parsed.size(), 1);
    const HttpRequest& r = out.parsed.first();
    QCOMPARE(r.headers.size(), 5);
    QCOMPARE(r.headers.at(0).first, QByteArray("host"));
    QCOMPARE(r.headers.at(3).first, QByteArray("upgrade"));
    QCOMPARE(r.header("HOST"), QByteArray("api"));
    QCOMPARE(r.headerValues("X-Multi"), (QList<QByteArray>{"one", "two"}));
    QVERIFY(r.hasHeader("connection"));
    QVERIFY(!r.hasHeader("authorization"));
    QCOMPARE(r.header("authorization"), QByteArray());
    QVERIFY(r.isUpgrade());
    QCOMPARE(r.upgradeProtocol(), QByteArray("websocket"));

    const Outcome plain = run({kGet}, {});
    QVERIFY(!plain.parsed.first().isUpgrade());
}

void TestHttpRequestParser::queryDecoding()
{
    const Outcome out = run({"GET /api/v1/pods?labelSelector=app+in+%28a%2Cb%29&watch=true&x=1&x=2&plus=%2B "
                             "HTTP/1.1\r\n\r\n"},
                            {});
    QCOMPARE(out.parsed.size(), 1);
    const HttpRequest& r = out.parsed.first();
    QCOMPARE(r.path, QStringLiteral("/api/v1/pods"));
    QCOMPARE(r.queryValue(QStringLiteral("labelSelector")), QStringLiteral("app in (a,b)"));
    QCOMPARE(r.queryValue(QStringLiteral("watch")), QStringLiteral("true"));
    QCOMPARE(r.queryValue(QStringLiteral("plus")), QStringLiteral("+"));
    QCOMPARE(r.queryValue(QStringLiteral("missing")), QString());
    QCOMPARE(r.queryValues(QStringLiteral("x")), (QStringList{QStringLiteral("1"), QStringLiteral("2")}));
}

void TestHttpRequestParser::continueExpectedOnlyBeforeTheBody()
{
    HttpRequestParser parser;
    const QByteArray head = "PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
    QCOMPARE(parser.parse(head), head.size());
    QCOMPARE(parser.state(), HttpRequestParser::State::Body);
    QVERIFY(parser.takeContinueExpected());
    QVERIFY(!parser.takeContinueExpected()); // once
    QCOMPARE(parser.parse("data"), 4);
    QVERIFY(parser.isComplete());
    QCOMPARE(parser.takeRequest().body, QByteArray("data"));

    // Head and body together: the body is already here, no 100 needed.
    HttpRequestParser together;
    together.parse(QByteArray(head + "data"));
    QVERIFY(together.isComplete());
    QVERIFY(!together.takeContinueExpected());
}

void TestHttpRequestParser::errorsCarryStatusBodies_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    QTest::newRow("431 is RequestHeaderFieldsTooLarge")
        << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(600, 'a') + "\r\n\r\n") << 431
        << QStringLiteral("RequestHeaderFieldsTooLarge");
    QTest::newRow("413 is RequestEntityTooLarge") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n")
                                                  << 413 << QStringLiteral("RequestEntityTooLarge");
    QTest::newRow("400 is BadRequest") << QByteArray("NOPE / HTTP/1.1\r\n\r\n") << 400 << QStringLiteral("BadRequest");
}

void TestHttpRequestParser::errorsCarryStatusBodies()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QString, reason);

    HttpRequestParser parser({512, 1000});
    parser.parse(input);
    QVERIFY(parser.hasFailed());
    QCOMPARE(parser.errorStatus(), status);
    QCOMPARE(parser.error().httpCode(), status);
    const QJsonObject body = QJsonDocument::fromJson(vk::kube::statusBody(parser.error())).object();
    QCOMPARE(body.value(QStringLiteral("kind")).toString(), QStringLiteral("Status"));
    QCOMPARE(body.value(QStringLiteral("code")).toInt(), status);
    QCOMPARE(body.value(QStringLiteral("reason")).toString(), reason);
    QVERIFY(!body.value(QStringLiteral("message")).toString().isEmpty());
}

void TestHttpRequestParser::resetRecoversFromFailure()
{
    HttpRequestParser parser;
    parser.parse("BROKEN\r\n\r\n");
    QVERIFY(parser.hasFailed());
    QCOMPARE(parser.parse(kGet), 0); // stays failed
    parser.reset();
    QCOMPARE(parser.state(), HttpRequestParser::State::Idle);
    QCOMPARE(parser.parse(kGet), kGet.size());
    QVERIFY(parser.isComplete());
}

void TestHttpRequestParser::nothingConsumedWhileARequestWaits()
{
    HttpRequestParser parser;
    const QByteArray two = kGet + kGet;
    QCOMPARE(parser.parse(two), kGet.size());
    QVERIFY(parser.isComplete());
    QCOMPARE(parser.parse(QByteArrayView(two).sliced(kGet.size())), 0); // waits for takeRequest()
    parser.takeRequest();
    QCOMPARE(parser.parse(QByteArrayView(two).sliced(kGet.size())), kGet.size());
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
