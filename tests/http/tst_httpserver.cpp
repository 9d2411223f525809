// SPDX-License-Identifier: Apache-2.0
#include "http/HttpServer.h"
#include "http/Pki.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <optional>

using namespace vk::http;
using vk::pki::CertificateAndKey;
using vk::pki::CertificateRequest;

namespace {

struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [k, v] : headers) {
            if (k == name)
                return v;
        }
        return {};
    }
    bool hasHeader(const QByteArray& name) const
    {
        for (const auto& h : headers) {
            if (h.first == name)
                return true;
        }
        return false;
    }
};

// Takes one complete response off the front of buffer; nullopt while incomplete.
std::optional<RawResponse> takeResponse(QByteArray& buffer, bool headRequest = false)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    RawResponse r;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2)
        return std::nullopt;
    r.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            r.headers.append({lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed()});
    }
    qsizetype pos = end + 4;
    if (headRequest || r.status < 200 || r.status == 204 || r.status == 304) {
        buffer.remove(0, pos);
        return r;
    }
    if (r.header("transfer-encoding") == "chunked") {
        QByteArray body;
        for (;;) {
            const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return std::nullopt;
            bool ok = false;
            const qsizetype size = buffer.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok)
                return std::nullopt;
            if (buffer.size() < lineEnd + 2 + size + 2)
                return std::nullopt;
            body.append(buffer.mid(lineEnd + 2, size));
            pos = lineEnd + 2 + size + 2;
            if (size == 0)
                break;
        }
        r.body = body;
        buffer.remove(0, pos);
        return r;
    }
    const qsizetype length = r.header("content-length").toLongLong();
    if (buffer.size() < pos + length)
        return std::nullopt;
    r.body = buffer.mid(pos, length);
    buffer.remove(0, pos + length);
    return r;
}

/// A hand-driven TLS (or plain) client: sends raw bytes, collects raw bytes.
class RawClient : public QObject
{
public:
    RawClient(quint16 port, const QSslConfiguration& config, bool tls = true) : m_port(port), m_tls(tls)
    {
        socket.setSslConfiguration(config);
        connect(&socket, &QIODevice::readyRead, this, [this] { received += socket.readAll(); });
        connect(&socket, &QAbstractSocket::disconnected, this, [this] { closedByPeer = true; });
    }

    // Connects (and finishes the TLS handshake) while the event loop runs, so the server in this thread can answer.
    bool open()
    {
        if (m_tls) {
            QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
            socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
            return encrypted.wait(5000) || socket.isEncrypted();
        }
        QSignalSpy connected(&socket, &QAbstractSocket::connected);
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        return connected.wait(5000) || socket.state() == QAbstractSocket::ConnectedState;
    }

    void send(const QByteArray& data) { socket.write(data); }

    // Waits for one complete response.
    std::optional<RawResponse> next(bool headRequest = false, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            if (auto r = takeResponse(received, headRequest))
                return r;
            if (timer.elapsed() > timeoutMs || closedByPeer)
                return takeResponse(received, headRequest);
            // Wait for the next bytes (or the end), not for a fixed time.
            QEventLoop loop;
            connect(&socket, &QIODevice::readyRead, &loop, &QEventLoop::quit);
            connect(&socket, &QAbstractSocket::disconnected, &loop, &QEventLoop::quit);
            QTimer::singleShot(int(std::max<qint64>(1, timeoutMs - timer.elapsed())), &loop, &QEventLoop::quit);
            loop.exec();
        }
    }

    QSslSocket socket;
    QByteArray received;
    bool closedByPeer = false;

private:
    quint16 m_port;
    bool m_tls;
};

QByteArray getRequest(const QByteArray& target, const QByteArray& extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

QJsonObject json(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void getAndPostOverTlsWithKeepAlive();
    void requestFieldsAreFilled();
    void plainHttpWithoutTls();
    void headRequestGetsNoBody();
    void pipelinedRequestsAreAnsweredInOrder();
    void chunkedRequestBodyWithExpectContinue();
    void streamArrivesIncrementallyThenConnectionIsReused();
    void clientDisconnectMidStreamNotifiesResponder();
    void limitsAnswerWithStatusAndClose_data();
    void limitsAnswerWithStatusAndClose();
    void tooLargeBodyStillInFlightIsAnswered();
    void tooManyConnectionsGet503();
    void clientCertificates_data();
    void clientCertificates();
    void webSocketUpgradeWithRewind();
    void upgradeWithoutRewindKeepsProtocolBytes();
    void respondTwiceIsIgnored();
    void rejectedUpgradeClosesTheConnection();
    void http10StreamEndsWithTheConnection();
    void clientGoneBeforeTheAnswer();
    void idleAndIncompleteRequestsTimeOut();
    void handshakeTimeoutClosesSilentClients();
    void streamsAreNotSubjectToTimeouts();
    void closeEndsOpenStreams();
    void destructorWithOpenConnections();
    void concurrentConnections();
    void randomInputNeverBreaksTheServer();
    void listenErrorsAreReported();
    void tlsConfigurationSwapsForNewConnectionsOnly();

private:
    std::unique_ptr<HttpServer> makeServer(bool tls = true, HttpServer::Limits limits = {});
    QSslConfiguration clientConfig(const CertificateAndKey* identity = nullptr) const;

    CertificateAndKey m_ca;
    CertificateAndKey m_serverCert;
    CertificateAndKey m_clientCert;
    CertificateAndKey m_rogueClientCert;
    std::unique_ptr<HttpServer> m_server;
    HttpServer::Handler m_handler;
};

void TestHttpServer::initTestCase()
{
    auto ca = vk::pki::createCertificateAuthority(QStringLiteral("test-ca"));
    QVERIFY(ca.ok());
    m_ca = *ca;

    CertificateRequest server;
    server.commonName = QStringLiteral("kube-apiserver");
    server.dnsNames = {QStringLiteral("localhost")};
    server.ipAddresses = {QHostAddress(QHostAddress::LocalHost)};
    server.serverAuth = true;
    auto serverCert = vk::pki::issueCertificate(m_ca, server);
    QVERIFY(serverCert.ok());
    m_serverCert = *serverCert;

    CertificateRequest client;
    client.commonName = QStringLiteral("kubernetes-admin");
    client.organizations = {QStringLiteral("system:masters")};
    client.clientAuth = true;
    client.keyType = vk::pki::KeyType::Rsa2048;
    auto clientCert = vk::pki::issueCertificate(m_ca, client);
    QVERIFY(clientCert.ok());
    m_clientCert = *clientCert;

    auto rogueCa = vk::pki::createCertificateAuthority(QStringLiteral("rogue-ca"));
    QVERIFY(rogueCa.ok());
    client.commonName = QStringLiteral("mallory");
    auto rogue = vk::pki::issueCertificate(*rogueCa, client);
    QVERIFY(rogue.ok());
    m_rogueClientCert = *rogue;
}

void TestHttpServer::init()
{
    // Default handler: echo what arrived.
    m_handler = [](const HttpRequest& request, HttpResponder* responder) {
        QJsonObject echo{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                         {QStringLiteral("path"), request.path},
                         {QStringLiteral("body"), QString::fromUtf8(request.body)},
                         {QStringLiteral("connection"), QString::number(request.connectionId)}};
        responder->respond(200, "application/json", QJsonDocument(echo).toJson(QJsonDocument::Compact),
                           {{"X-Connection-Id", QByteArray::number(request.connectionId)}});
    };
}

void TestHttpServer::cleanup()
{
    m_server.reset();
}

std::unique_ptr<HttpServer> TestHttpServer::makeServer(bool tls, HttpServer::Limits limits)
{
    auto server = std::make_unique<HttpServer>();
    server->setLimits(limits);
    if (tls) {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(m_serverCert.certificate());
        config.setPrivateKey(m_serverCert.key());
        server->setTlsConfiguration(config);
        server->setClientCaCertificates({m_ca.certificate()});
    }
    server->setHandler([this](const HttpRequest& request, HttpResponder* responder) { m_handler(request, responder); });
    auto port = server->listen(QHostAddress::LocalHost, 0);
    if (!port.ok() || *port == 0)
        return nullptr;
    return server;
}

QSslConfiguration TestHttpServer::clientConfig(const CertificateAndKey* identity) const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates({m_ca.certificate()});
    if (identity) {
        config.setLocalCertificate(identity->certificate());
        config.setPrivateKey(identity->key());
    }
    return config;
}

void TestHttpServer::getAndPostOverTlsWithKeepAlive()
{
    m_server = makeServer();
    QVERIFY(m_server);
    QVERIFY(m_server->isListening());
    QNetworkAccessManager nam;
    const QUrl base(QStringLiteral("https://127.0.0.1:%1").arg(m_server->serverPort()));
    QStringList connectionIds;

    for (int i = 0; i < 3; ++i) {
        QNetworkRequest request(base.resolved(QUrl(QStringLiteral("/api/v1/pods"))));
        request.setSslConfiguration(clientConfig());
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        std::unique_ptr<QNetworkReply> reply;
        if (i == 1) {
            request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            reply.reset(nam.post(request, QByteArray("{\"kind\":\"Pod\"}")));
        } else {
            reply.reset(nam.get(request));
        }
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->hasRawHeader("Date"));
        const QByteArray body = reply->readAll();
        QCOMPARE(reply->rawHeader("Content-Length").toInt(), body.size());
        const QJsonObject echo = json(body);
        QCOMPARE(echo.value(QStringLiteral("method")).toString(),
                 i == 1 ? QStringLiteral("POST") : QStringLiteral("GET"));
        QCOMPARE(echo.value(QStringLiteral("path")).toString(), QStringLiteral("/api/v1/pods"));
        if (i == 1)
            QCOMPARE(echo.value(QStringLiteral("body")).toString(), QStringLiteral("{\"kind\":\"Pod\"}"));
        connectionIds.append(QString::fromLatin1(reply->rawHeader("X-Connection-Id")));
    }
    // Keep-alive: all three went over the same connection.
    QCOMPARE(connectionIds.size(), 3);
    QCOMPARE(connectionIds.at(1), connectionIds.at(0));
    QCOMPARE(connectionIds.at(2), connectionIds.at(0));
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestHttpServer::requestFieldsAreFilled()
{
    m_server = makeServer();
    QVERIFY(m_server);
    std::optional<HttpRequest> seen;
    m_handler = [&](const HttpRequest& request, HttpResponder* responder) {
        seen = request;
        responder->respond(204, {}, {});
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send(
        getRequest("/api/v1/namespaces/kube%20system/pods?labelSelector=app%3Dweb&watch=1", "X-Custom: Value\r\n"));
    auto response = client.next();
    QVERIFY(response);
    QCOMPARE(response->status, 204);
    QVERIFY(!response->hasHeader("content-length"));
    QVERIFY(seen);
    QCOMPARE(seen->method, QByteArray("GET"));
    QCOMPARE(seen->target, QByteArray("/api/v1/namespaces/kube%20system/pods?labelSelector=app%3Dweb&watch=1"));
    QCOMPARE(seen->path, QStringLiteral("/api/v1/namespaces/kube system/pods"));
    QCOMPARE(seen->queryValue(QStringLiteral("labelSelector")), QStringLiteral("app=web"));
    QCOMPARE(seen->header("x-custom"), QByteArray("Value"));
    QCOMPARE(seen->headers.at(1).first, QByteArray("x-custom"));
    QCOMPARE(seen->peerAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(seen->peerPort, client.socket.localPort());
    QVERIFY(seen->connectionId > 0);
}

void TestHttpServer::plainHttpWithoutTls()
{
    m_server = makeServer(false);
    QVERIFY(m_server);
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(
        nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/healthz").arg(m_server->serverPort())))));
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(json(reply->readAll()).value(QStringLiteral("path")).toString(), QStringLiteral("/healthz"));
}

void TestHttpServer::headRequestGetsNoBody()
{
    m_server = makeServer();
    QVERIFY(m_server);
    m_handler = [](const HttpRequest&, HttpResponder* responder) { responder->respond(200, "text/plain", "hello"); };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send("HEAD /version HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = client.next(true);
    QVERIFY(head);
    QCOMPARE(head->status, 200);
    QCOMPARE(head->header("content-length"), QByteArray("5"));
    // If a body had been sent, it would be in front of the next response.
    client.send(getRequest("/version"));
    auto get = client.next();
    QVERIFY(get);
    QCOMPARE(get->status, 200);
    QCOMPARE(get->body, QByteArray("hello"));
    QVERIFY(client.received.isEmpty());
}

void TestHttpServer::pipelinedRequestsAreAnsweredInOrder()
{
    m_server = makeServer();
    QVERIFY(m_server);
    int inFlight = 0;
    int maxInFlight = 0;
    m_handler = [&](const HttpRequest& request, HttpResponder* responder) {
        ++inFlight;
        maxInFlight = std::max(maxInFlight, inFlight);
        // Answer later for the first one: the others must wait for it.
        const int delay = request.path == QLatin1String("/first") ? 50 : 0;
        QPointer<HttpResponder> r(responder);
        const QByteArray body = request.path.toUtf8();
        QTimer::singleShot(delay, this, [&inFlight, r, body] {
            --inFlight;
            if (r)
                r->respond(200, "text/plain", body);
        });
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send(getRequest("/first") + getRequest("/second") + "POST /third HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    for (const char* expected : {"/first", "/second", "/third"}) {
        auto response = client.next();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray(expected));
    }
    QCOMPARE(maxInFlight, 1);
}

void TestHttpServer::chunkedRequestBodyWithExpectContinue()
{
    m_server = makeServer();
    QVERIFY(m_server);
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send("PUT /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
    auto interim = client.next();
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    client.send("6\r\nhello \r\n");
    client.send("5\r\nworld\r\n0\r\n\r\n");
    auto response = client.next();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(json(response->body).value(QStringLiteral("body")).toString(), QStringLiteral("hello world"));
}

void TestHttpServer::streamArrivesIncrementallyThenConnectionIsReused()
{
    m_server = makeServer();
    QVERIFY(m_server);
    QPointer<HttpResponder> stream;
    m_handler = [&](const HttpRequest& request, HttpResponder* responder) {
        if (request.queryValue(QStringLiteral("watch")) == QLatin1String("1")) {
            stream = responder;
            responder->beginStream(200, "application/json", {{"Cache-Control", "no-cache, private"}});
        } else {
            responder->respond(200, "text/plain", "after");
        }
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send(getRequest("/api/v1/pods?watch=1"));
    QTRY_VERIFY(client.received.contains("\r\n\r\n"));
    QVERIFY(client.received.contains("Transfer-Encoding: chunked"));
    QVERIFY(client.received.contains("Cache-Control: no-cache, private"));
    QVERIFY(stream);
    QVERIFY(stream->hasStarted());
    QVERIFY(!stream->isFinished());

    QVERIFY(stream->writeChunk("{\"type\":\"ADDED\"}\n"));
    QTRY_VERIFY(client.received.contains("ADDED"));
    QVERIFY(!client.received.contains("MODIFIED"));
    QVERIFY(stream->writeChunk("{\"type\":\"MODIFIED\"}\n"));
    QTRY_VERIFY(client.received.contains("MODIFIED"));
    QTRY_COMPARE(stream->pendingBytes(), 0);

    // A request sent while the stream is open waits for it.
    client.send(getRequest("/after"));
    stream->endStream();
    auto watch = client.next();
    QVERIFY(watch);
    QCOMPARE(watch->body, QByteArray("{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\"}\n"));
    auto after = client.next();
    QVERIFY(after);
    QCOMPARE(after->body, QByteArray("after"));
    QVERIFY(!client.closedByPeer);
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestHttpServer::clientDisconnectMidStreamNotifiesResponder()
{
    m_server = makeServer();
    QVERIFY(m_server);
    QPointer<HttpResponder> stream;
    m_handler = [&](const HttpRequest&, HttpResponder* responder) {
        stream = responder;
        responder->beginStream(200, "text/plain");
    };
    auto client = std::make_unique<RawClient>(m_server->serverPort(), clientConfig());
    QVERIFY(client->open());
    client->send(getRequest("/logs?follow=true"));
    QTRY_VERIFY(stream);
    QSignalSpy disconnected(stream.data(), &HttpResponder::disconnected);
    QVERIFY(stream->writeChunk("line 1\n"));
    QTRY_VERIFY(client->received.contains("line 1"));

    client->socket.abort();
    client.reset();
    QTRY_COMPARE(disconnected.size(), 1);
    if (stream) {
        QVERIFY(!stream->isConnected());
        QVERIFY(!stream->writeChunk("line 2\n")); // a no-op, no crash
        stream->endStream();
        QCOMPARE(stream->pendingBytes(), 0);
    }
    QTRY_VERIFY(stream.isNull()); // the server disposes of it
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::limitsAnswerWithStatusAndClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    QTest::newRow("header section over maxHeaderBytes is 431")
        << QByteArray("GET / HTTP/1.1\r\nX-Fill: " + QByteArray(8 * 1024, 'a') + "\r\n\r\n") << 431
        << QStringLiteral("RequestHeaderFieldsTooLarge");
    QTest::newRow("Content-Length over maxBodyBytes is 413 before the body")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n") << 413
        << QStringLiteral("RequestEntityTooLarge");
    QTest::newRow("chunked body over maxBodyBytes is 413")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + QByteArray(1024, 'x') +
                      "\r\n400\r\n" + QByteArray(1024, 'y') + "\r\n0\r\n\r\n")
        << 413 << QStringLiteral("RequestEntityTooLarge");
    QTest::newRow("a malformed request line is 400")
        << QByteArray("HELLO WORLD\r\n\r\n") << 400 << QStringLiteral("BadRequest");
}

void TestHttpServer::limitsAnswerWithStatusAndClose()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, reason);

    HttpServer::Limits limits;
    limits.maxHeaderBytes = 4096;
    limits.maxBodyBytes = 1500;
    m_server = makeServer(true, limits);
    QVERIFY(m_server);
    bool handlerCalled = false;
    m_handler = [&](const HttpRequest&, HttpResponder* responder) {
        handlerCalled = true;
        responder->respond(200, "text/plain", "no");
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send(request);
    auto response = client.next();
    QVERIFY(response);
    QCOMPARE(response->status, status);
    QCOMPARE(response->header("content-type"), QByteArray("application/json"));
    QCOMPARE(response->header("connection"), QByteArray("close"));
    const QJsonObject body = json(response->body);
    QCOMPARE(body.value(QStringLiteral("kind")).toString(), QStringLiteral("Status"));
    QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("Failure"));
    QCOMPARE(body.value(QStringLiteral("code")).toInt(), status);
    QCOMPARE(body.value(QStringLiteral("reason")).toString(), reason);
    QVERIFY(!handlerCalled);
    QTRY_VERIFY(client.closedByPeer);
    QTRY_COMPARE(m_server->connectionCount(), 0);

    // Other connections are unaffected.
    RawClient good(m_server->serverPort(), clientConfig());
    QVERIFY(good.open());
    good.send(getRequest("/ok"));
    auto ok = good.next();
    QVERIFY(ok);
    QCOMPARE(ok->status, 200);
}

void TestHttpServer::tooLargeBodyStillInFlightIsAnswered()
{
    HttpServer::Limits limits;
    limits.maxBodyBytes = 1000;
    m_server = makeServer(true, limits);
    QVERIFY(m_server);
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    // The whole 2 MiB body is on its way when the server refuses it after the head.
    const int size = 2 * 1024 * 1024;
    client.send("POST /big HTTP/1.1\r\nContent-Length: " + QByteArray::number(size) + "\r\n\r\n" +
                QByteArray(size, 'b'));
    auto response = client.next(false, 10000);
    QVERIFY(response);
    QCOMPARE(response->status, 413);
    QCOMPARE(json(response->body).value(QStringLiteral("code")).toInt(), 413);
}

void TestHttpServer::tooManyConnectionsGet503()
{
    HttpServer::Limits limits;
    limits.maxConnections = 2;
    m_server = makeServer(true, limits);
    QVERIFY(m_server);
    RawClient first(m_server->serverPort(), clientConfig());
    RawClient second(m_server->serverPort(), clientConfig());
    QVERIFY(first.open());
    QVERIFY(second.open());
    QTRY_COMPARE(m_server->connectionCount(), 2);

    RawClient third(m_server->serverPort(), clientConfig());
    QVERIFY(third.open());
    third.send(getRequest("/api"));
    auto refused = third.next();
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    QCOMPARE(json(refused->body).value(QStringLiteral("reason")).toString(), QStringLiteral("ServiceUnavailable"));
    QTRY_VERIFY(third.closedByPeer);

    for (RawClient* c : {&first, &second}) {
        c->send(getRequest("/api"));
        auto ok = c->next();
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
    }
}

void TestHttpServer::clientCertificates_data()
{
    QTest::addColumn<int>("identity"); // 0 none, 1 issued by the client CA, 2 issued by another CA
    QTest::addColumn<bool>("verified");
    QTest::addColumn<QString>("commonName");

    QTest::newRow("a certificate from the client CA is verified") << 1 << true << QStringLiteral("kubernetes-admin");
    QTest::newRow("a certificate from another CA gets through the handshake unverified")
        << 2 << false << QStringLiteral("mallory");
    QTest::newRow("no certificate gets through the handshake unverified") << 0 << false << QString();
}

void TestHttpServer::clientCertificates()
{
    QFETCH(int, identity);
    QFETCH(bool, verified);
    QFETCH(QString, commonName);

    m_server = makeServer();
    QVERIFY(m_server);
    std::optional<HttpRequest> seen;
    m_handler = [&](const HttpRequest& request, HttpResponder* responder) {
        seen = request;
        if (!request.peerCertificateVerified)
            responder->respond(401, "application/json", "{}");
        else
            responder->respond(200, "application/json", "{}");
    };
    const CertificateAndKey* cert = identity == 1 ? &m_clientCert : identity == 2 ? &m_rogueClientCert : nullptr;
    RawClient client(m_server->serverPort(), clientConfig(cert));
    QVERIFY(client.open());
    client.send(getRequest("/api/v1/pods"));
    auto response = client.next();
    QVERIFY(response);
    QCOMPARE(response->status, verified ? 200 : 401);
    QVERIFY(seen);
    QCOMPARE(seen->peerCertificateVerified, verified);
    if (commonName.isEmpty()) {
        QVERIFY(seen->peerCertificateChain.isEmpty());
    } else {
        QVERIFY(!seen->peerCertificateChain.isEmpty());
        QCOMPARE(seen->peerCertificateChain.first().subjectInfo(QSslCertificate::CommonName), QStringList{commonName});
    }
}

void TestHttpServer::webSocketUpgradeWithRewind()
{
    m_server = makeServer();
    QVERIFY(m_server);
    QObject serverSide; // owns the server's end of the WebSocket
    QPointer<QTcpSocket> takenSocket;
    QWebSocketServer webSockets(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    connect(&webSockets, &QWebSocketServer::newConnection, this, [&webSockets, &serverSide, &takenSocket] {
        QWebSocket* ws = webSockets.nextPendingConnection();
        ws->setParent(&serverSide);
        // Qt 6.4's handleConnection() does not take the socket over: let the WebSocket own it.
        if (takenSocket)
            takenSocket->setParent(ws);
        connect(ws, &QWebSocket::textMessageReceived, ws,
                [ws](const QString& message) { ws->sendTextMessage(QStringLiteral("echo: ") + message); });
    });
    QByteArray protocol;
    bool wasUpgrade = false;
    m_handler = [&](const HttpRequest& request, HttpResponder* responder) {
        wasUpgrade = request.isUpgrade();
        protocol = request.upgradeProtocol();
        QTcpSocket* socket = responder->takeSocket(true);
        QVERIFY(socket);
        QVERIFY(qobject_cast<QSslSocket*>(socket));
        takenSocket = socket;
        webSockets.handleConnection(socket);
    };

    QWebSocket client;
    client.setSslConfiguration(clientConfig(&m_clientCert));
    QSignalSpy connected(&client, &QWebSocket::connected);
    QStringList messages;
    connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString& m) { messages.append(m); });
    client.open(
        QUrl(QStringLiteral("wss://127.0.0.1:%1/api/v1/namespaces/default/pods/p/exec").arg(m_server->serverPort())));
    QTRY_COMPARE(connected.size(), 1);
    QVERIFY(wasUpgrade);
    QCOMPARE(protocol, QByteArray("websocket"));
    client.sendTextMessage(QStringLiteral("hello"));
    QTRY_COMPARE(messages, QStringList{QStringLiteral("echo: hello")});
    client.sendTextMessage(QStringLiteral("again"));
    QTRY_COMPARE(messages.size(), 2);
    QCOMPARE(messages.last(), QStringLiteral("echo: again"));
    QCOMPARE(m_server->connectionCount(), 0); // the HTTP server forgot it
    QSignalSpy closed(&client, &QWebSocket::disconnected);
    client.close();
    QTRY_COMPARE(closed.size(), 1);
}

void TestHttpServer::upgradeWithoutRewindKeepsProtocolBytes()
{
    m_server = makeServer();
    QVERIFY(m_server);
    std::unique_ptr<QTcpSocket> taken;
    QByteArray protocolBytes;
    m_handler = [&](const HttpRequest& request, HttpResponder* responder) {
        QCOMPARE(request.upgradeProtocol(), QByteArray("spdy/3.1"));
        QByteArray already;
        taken.reset(responder->takeSocket(false, &already));
        QVERIFY(taken);
        QTcpSocket* socket = taken.get();
        socket->write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
        auto consume = [socket, &protocolBytes](const QByteArray& bytes) {
            if (bytes.isEmpty())
                return;
            protocolBytes += bytes;
            socket->write("ECHO:" + bytes);
        };
        consume(already);
        connect(socket, &QIODevice::readyRead, socket, [socket, consume] { consume(socket->readAll()); });
        consume(socket->readAll());
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    // The request and the first frame of the new protocol in one write.
    client.send("POST /exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\nFRAME-1");
    QTRY_COMPARE(protocolBytes, QByteArray("FRAME-1"));
    QTRY_VERIFY(client.received.contains("ECHO:FRAME-1"));
    QVERIFY(client.received.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    client.send("FRAME-2");
    QTRY_COMPARE(protocolBytes, QByteArray("FRAME-1FRAME-2"));
    QTRY_VERIFY(client.received.endsWith("ECHO:FRAME-2"));
    QCOMPARE(m_server->connectionCount(), 0);
    // The socket is the caller's: closing the HTTP server leaves it alone.
    m_server->close();
    client.send("FRAME-3");
    QTRY_COMPARE(protocolBytes, QByteArray("FRAME-1FRAME-2FRAME-3"));
}

void TestHttpServer::respondTwiceIsIgnored()
{
    m_server = makeServer();
    QVERIFY(m_server);
    m_handler = [](const HttpRequest&, HttpResponder* responder) {
        responder->respond(200, "text/plain", "first");
        responder->respond(500, "text/plain", "second");
        responder->beginStream(200, "text/plain");
        QVERIFY(!responder->writeChunk("third"));
    };
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("respond.*ignored")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("beginStream.*ignored")));
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send(getRequest("/twice"));
    auto response = client.next();
    QVERIFY(response);
    QCOMPARE(response->body, QByteArray("first"));
    m_handler = [](const HttpRequest&, HttpResponder* responder) { responder->respond(200, "text/plain", "next"); };
    client.send(getRequest("/next"));
    auto next = client.next();
    QVERIFY(next);
    QCOMPARE(next->body, QByteArray("next"));
    QVERIFY(client.received.isEmpty());
}

void TestHttpServer::rejectedUpgradeClosesTheConnection()
{
    m_server = makeServer();
    QVERIFY(m_server);
    m_handler = [](const HttpRequest& request, HttpResponder* responder) {
        QVERIFY(request.isUpgrade());
        responder->respond(400, "application/json", "{}");
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    // After an upgrade request the bytes that follow may be another protocol: never parse them as HTTP.
    client.send("GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" + getRequest("/next"));
    auto response = client.next();
    QVERIFY(response);
    QCOMPARE(response->status, 400);
    QCOMPARE(response->header("connection"), QByteArray("close"));
    QTRY_VERIFY(client.closedByPeer);
    QVERIFY(client.received.isEmpty());
}

void TestHttpServer::http10StreamEndsWithTheConnection()
{
    m_server = makeServer();
    QVERIFY(m_server);
    m_handler = [](const HttpRequest&, HttpResponder* responder) {
        responder->beginStream(200, "text/plain");
        responder->writeChunk("one\n");
        responder->writeChunk("two\n");
        responder->endStream();
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send("GET /logs HTTP/1.0\r\n\r\n");
    QTRY_VERIFY(client.closedByPeer);
    QVERIFY(!client.received.contains("chunked"));
    QVERIFY(client.received.endsWith("\r\n\r\none\ntwo\n"));
}

void TestHttpServer::clientGoneBeforeTheAnswer()
{
    m_server = makeServer();
    QVERIFY(m_server);
    QPointer<HttpResponder> pending;
    m_handler = [&](const HttpRequest&, HttpResponder* responder) { pending = responder; };

    // Gone in the middle of a request: nothing reaches the handler, nothing breaks.
    {
        RawClient partial(m_server->serverPort(), clientConfig());
        QVERIFY(partial.open());
        partial.send("POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly a part");
        QTRY_COMPARE(m_server->connectionCount(), 1);
        partial.socket.abort();
    }
    QTRY_COMPARE(m_server->connectionCount(), 0);
    QVERIFY(!pending);

    // Gone while the handler still works on the answer.
    auto client = std::make_unique<RawClient>(m_server->serverPort(), clientConfig());
    QVERIFY(client->open());
    client->send(getRequest("/slow"));
    QTRY_VERIFY(pending);
    QSignalSpy gone(pending.data(), &HttpResponder::disconnected);
    client->socket.abort();
    client.reset();
    QTRY_COMPARE(gone.size(), 1);
    if (pending) {
        QVERIFY(!pending->isConnected());
        pending->respond(200, "text/plain", "too late"); // a no-op
        QVERIFY(!pending->hasStarted());
    }
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::idleAndIncompleteRequestsTimeOut()
{
    HttpServer::Limits limits;
    limits.idleTimeoutMs = 300;
    limits.requestTimeoutMs = 300;
    m_server = makeServer(true, limits);
    QVERIFY(m_server);

    RawClient idle(m_server->serverPort(), clientConfig());
    QVERIFY(idle.open());
    idle.send(getRequest("/once"));
    QVERIFY(idle.next());
    QTRY_VERIFY_WITH_TIMEOUT(idle.closedByPeer, 3000);

    RawClient slow(m_server->serverPort(), clientConfig());
    QVERIFY(slow.open());
    slow.send("GET /slowloris HTTP/1.1\r\nX-A: 1\r\n"); // never finished
    QTRY_VERIFY_WITH_TIMEOUT(slow.closedByPeer, 3000);
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::handshakeTimeoutClosesSilentClients()
{
    HttpServer::Limits limits;
    limits.handshakeTimeoutMs = 300;
    m_server = makeServer(true, limits);
    QVERIFY(m_server);
    QSignalSpy errors(m_server.get(), &HttpServer::connectionError);
    QTcpSocket silent;
    QSignalSpy closed(&silent, &QAbstractSocket::disconnected);
    QSignalSpy silentConnected(&silent, &QAbstractSocket::connected);
    silent.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(silentConnected.wait(5000));
    QTRY_VERIFY_WITH_TIMEOUT(closed.size() == 1, 3000);
    QTRY_COMPARE(errors.size(), 1);
    QVERIFY(errors.first().first().toString().contains(QLatin1String("TLS handshake")));

    // Plain HTTP to the TLS port is dropped too, and never reaches the handler.
    bool handled = false;
    m_handler = [&handled](const HttpRequest&, HttpResponder* responder) {
        handled = true;
        responder->respond(200, "text/plain", "no");
    };
    QTcpSocket plain;
    QSignalSpy plainClosed(&plain, &QAbstractSocket::disconnected);
    QSignalSpy plainConnected(&plain, &QAbstractSocket::connected);
    plain.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(plainConnected.wait(5000));
    plain.write(getRequest("/"));
    QTRY_VERIFY_WITH_TIMEOUT(plainClosed.size() == 1, 3000);
    QVERIFY(!handled);
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::streamsAreNotSubjectToTimeouts()
{
    HttpServer::Limits limits;
    limits.idleTimeoutMs = 150;
    limits.requestTimeoutMs = 150;
    m_server = makeServer(true, limits);
    QVERIFY(m_server);
    QPointer<HttpResponder> stream;
    m_handler = [&](const HttpRequest&, HttpResponder* responder) {
        stream = responder;
        responder->beginStream(200, "text/plain");
    };
    RawClient client(m_server->serverPort(), clientConfig());
    QVERIFY(client.open());
    client.send(getRequest("/watch"));
    QTRY_VERIFY(stream);
    // Well past both timeouts, the stream is still there.
    bool late = false;
    QTimer::singleShot(600, this, [&] { late = stream && stream->writeChunk("late\n"); });
    QTRY_VERIFY_WITH_TIMEOUT(client.received.contains("late"), 3000);
    QVERIFY(late);
    QVERIFY(!client.closedByPeer);
    stream->endStream();
    QVERIFY(client.next());
}

void TestHttpServer::closeEndsOpenStreams()
{
    m_server = makeServer();
    QVERIFY(m_server);
    QList<QPointer<HttpResponder>> streams;
    m_handler = [&](const HttpRequest&, HttpResponder* responder) {
        streams.append(responder);
        responder->beginStream(200, "text/plain");
    };
    RawClient a(m_server->serverPort(), clientConfig());
    RawClient b(m_server->serverPort(), clientConfig());
    QVERIFY(a.open());
    QVERIFY(b.open());
    a.send(getRequest("/watch"));
    b.send(getRequest("/watch"));
    QTRY_COMPARE(streams.size(), 2);
    QSignalSpy aGone(streams.at(0).data(), &HttpResponder::disconnected);
    QSignalSpy bGone(streams.at(1).data(), &HttpResponder::disconnected);

    const quint16 port = m_server->serverPort();
    m_server->close();
    QCOMPARE(aGone.size(), 1);
    QCOMPARE(bGone.size(), 1);
    QVERIFY(!m_server->isListening());
    QCOMPARE(m_server->connectionCount(), 0);
    QTRY_VERIFY(a.closedByPeer && b.closedByPeer);
    QTRY_VERIFY(streams.at(0).isNull() && streams.at(1).isNull());

    QTcpSocket refused;
    QSignalSpy errors(&refused, &QAbstractSocket::errorOccurred);
    refused.connectToHost(QHostAddress::LocalHost, port);
    QTRY_COMPARE(errors.size(), 1);
}

void TestHttpServer::destructorWithOpenConnections()
{
    auto server = makeServer();
    QVERIFY(server);
    QPointer<HttpResponder> stream;
    QPointer<HttpResponder> pending;
    m_handler = [&](const HttpRequest& request, HttpResponder* responder) {
        if (request.path == QLatin1String("/watch")) {
            stream = responder;
            responder->beginStream(200, "text/plain");
        } else {
            pending = responder; // never answered
        }
    };
    RawClient a(server->serverPort(), clientConfig());
    RawClient b(server->serverPort(), clientConfig());
    RawClient idle(server->serverPort(), clientConfig());
    QVERIFY(a.open() && b.open() && idle.open());
    a.send(getRequest("/watch"));
    b.send(getRequest("/pending"));
    QTRY_VERIFY(stream && pending);
    QSignalSpy streamGone(stream.data(), &HttpResponder::disconnected);
    server.reset();
    QVERIFY(stream.isNull());
    QVERIFY(pending.isNull());
    QCOMPARE(streamGone.size(), 1);
    QTRY_VERIFY(a.closedByPeer && b.closedByPeer && idle.closedByPeer);
}

void TestHttpServer::concurrentConnections()
{
    m_server = makeServer();
    QVERIFY(m_server);
    QList<std::shared_ptr<RawClient>> clients;
    for (int i = 0; i < 8; ++i) {
        auto client = std::make_shared<RawClient>(m_server->serverPort(), clientConfig());
        QVERIFY(client->open());
        clients.append(client);
    }
    QTRY_COMPARE(m_server->connectionCount(), 8);
    for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < clients.size(); ++i)
            clients[i]->send(getRequest("/c" + QByteArray::number(i) + "/r" + QByteArray::number(round)));
        QSet<QString> connectionIds;
        for (int i = 0; i < clients.size(); ++i) {
            auto response = clients[i]->next();
            QVERIFY(response);
            const QJsonObject echo = json(response->body);
            QCOMPARE(echo.value(QStringLiteral("path")).toString(), QStringLiteral("/c%1/r%2").arg(i).arg(round));
            connectionIds.insert(echo.value(QStringLiteral("connection")).toString());
        }
        QCOMPARE(connectionIds.size(), 8);
    }
    QCOMPARE(m_server->connectionCount(), 8);
}

void TestHttpServer::randomInputNeverBreaksTheServer()
{
    HttpServer::Limits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxBodyBytes = 4096;
    m_server = makeServer(false, limits);
    QVERIFY(m_server);
    QList<QPointer<HttpResponder>> kept;
    m_handler = [&kept](const HttpRequest& request, HttpResponder* responder) {
        // A mix of answers: now, streamed, never (kept), taken over.
        switch (request.body.size() % 4) {
        case 0:
            responder->respond(200, "text/plain", request.body);
            break;
        case 1:
            responder->beginStream(200, "text/plain");
            responder->writeChunk(request.target);
            responder->endStream();
            break;
        case 2:
            kept.append(responder);
            break;
        default:
            if (QTcpSocket* socket = responder->takeSocket(request.isUpgrade()))
                socket->deleteLater();
            break;
        }
    };
    const QList<QByteArray> fragments = {
        "GET / HTTP/1.1\r\n",
        "POST /p?x=1 HTTP/1.1\r\n",
        "Content-Length: 3\r\n",
        "Transfer-Encoding: chunked\r\n",
        "Connection: Upgrade\r\nUpgrade: websocket\r\n",
        "Expect: 100-continue\r\n",
        "\r\n",
        "abc",
        "3\r\nxyz\r\n",
        "0\r\n\r\n",
        "Connection: close\r\n",
        "X: " + QByteArray(3000, 'h') + "\r\n",
        "\x00\xff\x80garbage",
        "HTTP/1.0 200 OK\r\n",
        "Content-Length: 99999999\r\n",
        "GET /\r\n",
        " \t\r\n",
    };
    QRandomGenerator random(20260101);
    for (int round = 0; round < 60; ++round) {
        QTcpSocket socket;
        QSignalSpy connected(&socket, &QAbstractSocket::connected);
        socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(connected.wait(5000));
        const int pieces = 1 + int(random.bounded(12));
        for (int i = 0; i < pieces; ++i)
            socket.write(fragments.at(int(random.bounded(int(fragments.size())))));
        socket.flush();
        // Let the server chew on it for a moment, then leave abruptly or politely.
        QSignalSpy readable(&socket, &QIODevice::readyRead);
        readable.wait(20);
        if (random.bounded(2) == 0)
            socket.abort();
        else
            socket.disconnectFromHost();
    }
    for (const auto& responder : kept) {
        if (responder)
            responder->respond(200, "text/plain", "late");
    }
    // Still serving.
    QTRY_COMPARE(m_server->connectionCount(), 0);
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(
        nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/ok").arg(m_server->serverPort())))));
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->error(), QNetworkReply::NoError);
}

void TestHttpServer::listenErrorsAreReported()
{
    HttpServer noCertificate;
    noCertificate.setTlsConfiguration(QSslConfiguration::defaultConfiguration());
    auto refused = noCertificate.listen(QHostAddress::LocalHost, 0);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message().contains(QLatin1String("certificate")));
    QVERIFY(!noCertificate.isListening());

    m_server = makeServer();
    QVERIFY(m_server);
    auto again = m_server->listen(QHostAddress::LocalHost, 0);
    QVERIFY(!again.ok());

    HttpServer sameport;
    auto busy = sameport.listen(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(!busy.ok());
    QCOMPARE(busy.error().category(), vk::ErrorCategory::Network);
    QVERIFY(busy.error().message().contains(QString::number(m_server->serverPort())));
}

void TestHttpServer::tlsConfigurationSwapsForNewConnectionsOnly()
{
    // A stream in progress on the first connection must survive the swap.
    QPointer<HttpResponder> stream;
    m_handler = [&stream](const HttpRequest& request, HttpResponder* responder) {
        if (request.path == QLatin1String("/stream")) {
            stream = responder;
            responder->beginStream(200, "text/plain");
            responder->writeChunk("before\n");
            return;
        }
        responder->respond(200, "text/plain", request.path.toUtf8());
    };
    m_server = makeServer();
    QVERIFY(m_server);
    const quint16 port = m_server->serverPort();

    RawClient first(port, clientConfig(&m_clientCert));
    QVERIFY(first.open());
    QCOMPARE(first.socket.peerCertificate(), m_serverCert.certificate());
    first.send(getRequest("/stream"));
    QTRY_VERIFY(first.received.contains("before\n"));

    // A renewed certificate (same CA, new key) goes in while the first connection streams.
    CertificateRequest renewed;
    renewed.commonName = QStringLiteral("kube-apiserver-renewed");
    renewed.ipAddresses = {QHostAddress(QHostAddress::LocalHost)};
    renewed.serverAuth = true;
    auto next = vk::pki::issueCertificate(m_ca, renewed);
    QVERIFY(next.ok());
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(next->certificate());
    config.setPrivateKey(next->key());
    m_server->setTlsConfiguration(config);
    QVERIFY(m_server->isListening());
    QCOMPARE(m_server->serverPort(), port);
    QCOMPARE(m_server->effectiveTlsConfiguration().localCertificate(), next->certificate());

    // New connections get the new certificate, still verified against the client CA.
    RawClient second(port, clientConfig(&m_clientCert));
    QVERIFY(second.open());
    QCOMPARE(second.socket.peerCertificate(), next->certificate());
    second.send(getRequest("/after"));
    auto answer = second.next();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(answer->body, QByteArray("/after"));

    // The stream in progress goes on over the old session, then its connection is reused.
    QVERIFY(stream);
    QVERIFY(stream->writeChunk("after\n"));
    QTRY_VERIFY(first.received.contains("after\n"));
    stream->endStream();
    QTRY_VERIFY(first.received.contains("0\r\n\r\n"));
    first.received.clear();
    first.send(getRequest("/again"));
    auto again = first.next();
    QVERIFY(again);
    QCOMPARE(again->body, QByteArray("/again"));
    QCOMPARE(first.socket.peerCertificate(), m_serverCert.certificate());
    QVERIFY(!first.closedByPeer);
}

QTEST_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
