// SPDX-License-Identifier: Apache-2.0
// Throughput of HttpServer: 16 keep-alive TLS clients (in their own thread) sending small GETs one after another
// for a few seconds; prints requests per second. Label "bench": not part of the default test run.
#include "http/HttpServer.h"
#include "http/Pki.h"

#include <QAtomicInteger>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>

using namespace vk::http;

namespace {

constexpr int kClients = 16;
constexpr int kDurationMs = 3000;

class LoadClient : public QObject
{
public:
    LoadClient(quint16 port, const QSslConfiguration& config, QAtomicInteger<int>* done, QAtomicInteger<int>* errors)
        : m_port(port), m_done(done), m_errors(errors)
    {
        m_socket.setSslConfiguration(config);
        connect(&m_socket, &QSslSocket::encrypted, this, [this] { sendNext(); });
        connect(&m_socket, &QIODevice::readyRead, this, [this] { onReadyRead(); });
        connect(&m_socket, &QAbstractSocket::errorOccurred, this, [this] { m_errors->fetchAndAddRelaxed(1); });
    }

    void start() { m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port); }
    void stop() { m_stopped = true; }

private:
    void sendNext()
    {
        if (m_stopped)
            return;
        m_socket.write("GET /api/v1/namespaces/default/pods/p1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Accept: application/json\r\nUser-Agent: bench\r\n\r\n");
    }

    void onReadyRead()
    {
        m_buffer += m_socket.readAll();
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const qsizetype cl = m_buffer.indexOf("Content-Length: ");
            const qsizetype clEnd = m_buffer.indexOf("\r\n", cl);
            const qsizetype length = m_buffer.mid(cl + 16, clEnd - cl - 16).toLongLong();
            if (m_buffer.size() < end + 4 + length)
                return;
            m_buffer.remove(0, end + 4 + length);
            m_done->fetchAndAddRelaxed(1);
            sendNext();
        }
    }

    QSslSocket m_socket;
    quint16 m_port;
    QAtomicInteger<int>* m_done;
    QAtomicInteger<int>* m_errors;
    QByteArray m_buffer;
    bool m_stopped = false;
};

} // namespace

class BenchHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallRequestsFromKeepAliveTlsClients();
};

void BenchHttpServer::smallRequestsFromKeepAliveTlsClients()
{
    auto ca = vk::pki::createCertificateAuthority(QStringLiteral("bench-ca"));
    QVERIFY(ca.ok());
    vk::pki::CertificateRequest request;
    request.commonName = QStringLiteral("bench");
    request.ipAddresses = {QHostAddress(QHostAddress::LocalHost)};
    request.serverAuth = true;
    auto serverCert = vk::pki::issueCertificate(*ca, request);
    QVERIFY(serverCert.ok());

    HttpServer server;
    QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
    serverConfig.setLocalCertificate(serverCert->certificate());
    serverConfig.setPrivateKey(serverCert->key());
    server.setTlsConfiguration(serverConfig);
    server.setClientCaCertificates({ca->certificate()});
    const QByteArray pod = QByteArray("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p1\"}}");
    server.setHandler([&pod](const HttpRequest&, HttpResponder* responder) {
        responder->respond(200, "application/json", pod, {{"Cache-Control", "no-cache, private"}});
    });
    auto port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port.ok());

    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates({ca->certificate()});

    QAtomicInteger<int> done = 0;
    QAtomicInteger<int> errors = 0;
    QThread clientThread;
    QList<LoadClient*> clients;
    for (int i = 0; i < kClients; ++i) {
        auto* client = new LoadClient(*port, clientConfig, &done, &errors);
        client->moveToThread(&clientThread);
        clients.append(client);
    }
    clientThread.start();
    for (LoadClient* client : clients)
        QMetaObject::invokeMethod(client, [client] { client->start(); });

    // Warm up until every client has completed its handshake and a request.
    QTRY_VERIFY_WITH_TIMEOUT(done.loadRelaxed() >= kClients, 10000);
    const int before = done.loadRelaxed();
    QElapsedTimer timer;
    timer.start();
    bool finished = false;
    QTimer::singleShot(kDurationMs, this, [&] { finished = true; });
    QTRY_VERIFY_WITH_TIMEOUT(finished, kDurationMs + 5000);
    const int count = done.loadRelaxed() - before;
    const double seconds = double(timer.elapsed()) / 1000.0;

    for (LoadClient* client : clients)
        QMetaObject::invokeMethod(client, [client] {
            client->stop();
            client->deleteLater();
        });
    clientThread.quit();
    clientThread.wait();

    qInfo("%d keep-alive TLS clients: %d requests in %.2f s = %.0f requests/s (client errors: %d)", kClients, count,
          seconds, count / seconds, errors.loadRelaxed());
    QCOMPARE(errors.loadRelaxed(), 0);
    QVERIFY(count > 0);
}

QTEST_GUILESS_MAIN(BenchHttpServer)
#include "bench_httpserver.moc"
