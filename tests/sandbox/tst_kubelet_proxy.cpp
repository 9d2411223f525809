// SPDX-License-Identifier: Apache-2.0
// pods/log, pods/exec (upgraded) and nodes/proxy through the sandbox to a node's kubelet endpoint, as
// kube-apiserver proxies them. The kubelet here is a stand-in on our HTTP server; the real kubelet server is tested
// with kubectl elsewhere.
#include "core/Json.h"
#include "http/HttpServer.h"
#include "http/Pki.h"
#include "sandbox/Sandbox.h"
#include "support/KubeletEndpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;

class KubeletProxyTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    http::HttpServer m_kubelet;
    QNetworkAccessManager m_nam;
    QSslConfiguration m_tls;
    QList<http::HttpRequest> m_seen;
    QList<QTcpSocket*> m_upgraded;

    QNetworkRequest request(const QString& path) const
    {
        QNetworkRequest r(QUrl(m_sandbox->serverUrl().toString() + path));
        r.setSslConfiguration(m_tls);
        return r;
    }

    void createObject(const QString& path, const QJsonObject& object)
    {
        QNetworkRequest r = request(path);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply* reply = m_nam.post(r, json::compact(object));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        reply->deleteLater();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandbox::Sandbox::Options options;
        options.dataDir = m_dir.path();
        m_sandbox = std::make_unique<sandbox::Sandbox>(options);
        QVERIFY(m_sandbox->start().ok());
        auto admin = pki::loadFromFiles(m_dir.filePath(QStringLiteral("pki/admin.crt")),
                                        m_dir.filePath(QStringLiteral("pki/admin.key")));
        QVERIFY(admin.ok());
        m_tls = QSslConfiguration::defaultConfiguration();
        m_tls.setCaCertificates({m_sandbox->certificateAuthority().certificate()});
        m_tls.setLocalCertificate(admin->certificate());
        m_tls.setPrivateKey(admin->key());

        // The stand-in kubelet: self-signed, asks for client certificates from the sandbox CA.
        const QString tlsError = test::configureKubeletTls(m_kubelet, m_sandbox->certificateAuthority().certificate());
        QVERIFY2(tlsError.isEmpty(), qPrintable(tlsError));
        m_kubelet.setHandler([this](const http::HttpRequest& r, http::HttpResponder* responder) {
            m_seen.append(r);
            if (r.path.startsWith(QLatin1String("/containerLogs/"))) {
                responder->respond(200, QByteArrayLiteral("text/plain"), QByteArrayLiteral("line 1\nline 2\n"));
            } else if (r.path == QLatin1String("/stats/summary")) {
                responder->respond(200, QByteArrayLiteral("application/json"),
                                   QByteArrayLiteral(R"({"node":{"nodeName":"vk-node"}})"));
            } else if (r.path.startsWith(QLatin1String("/exec/")) && r.isUpgrade()) {
                QByteArray early;
                QTcpSocket* socket = responder->takeSocket(false, &early);
                socket->setParent(this);
                m_upgraded.append(socket);
                socket->write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
                if (!early.isEmpty())
                    socket->write(early);
                connect(socket, &QIODevice::readyRead, socket, [socket] { socket->write(socket->readAll()); });
            } else {
                responder->respond(404, QByteArrayLiteral("text/plain"), QByteArrayLiteral("404 page not found\n"));
            }
        });
        auto port = m_kubelet.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port.ok());

        createObject(QStringLiteral("/api/v1/nodes"), test::kubeletNode(QStringLiteral("vk-node"), port.value()));
        createObject(
            QStringLiteral("/api/v1/namespaces/default/pods"),
            QJsonObject{
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("p")}}},
                {QStringLiteral("spec"),
                 QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("vk-node")},
                             {QStringLiteral("containers"),
                              QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("main")},
                                                     {QStringLiteral("image"), QStringLiteral("busybox")}}}}}}});
    }

    void podLogsReachTheKubeletWithTheApiServersIdentity()
    {
        QNetworkReply* reply =
            m_nam.get(request(QStringLiteral("/api/v1/namespaces/default/pods/p/log?tailLines=2&timestamps=true")));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->readAll(), QByteArray("line 1\nline 2\n"));
        reply->deleteLater();
        const http::HttpRequest& seen = m_seen.last();
        QCOMPARE(seen.path, QStringLiteral("/containerLogs/default/p/main"));
        QCOMPARE(seen.queryValue(QStringLiteral("tailLines")), QStringLiteral("2"));
        QCOMPARE(seen.queryValue(QStringLiteral("timestamps")), QStringLiteral("true"));
        QVERIFY(!seen.hasHeader("authorization"));
        QVERIFY(seen.peerCertificateVerified);
        QCOMPARE(seen.peerCertificateChain.first().subjectInfo(QSslCertificate::CommonName).value(0),
                 QStringLiteral("kube-apiserver-kubelet-client"));
    }

    void nodeProxyKeepsThePath()
    {
        QNetworkReply* reply = m_nam.get(request(QStringLiteral("/api/v1/nodes/vk-node/proxy/stats/summary")));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll())
                     .object()
                     .value(QLatin1String("node"))
                     .toObject()
                     .value(QLatin1String("nodeName"))
                     .toString(),
                 QStringLiteral("vk-node"));
        reply->deleteLater();
    }

    void upgradedExecStreamsPassThrough()
    {
        QSslSocket client;
        client.setSslConfiguration(m_tls);
        client.connectToHostEncrypted(m_sandbox->serverUrl().host(), m_sandbox->port());
        QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
        client.write("POST /api/v1/namespaces/default/pods/p/exec?command=sh&stdin=true&stdout=true HTTP/1.1\r\n"
                     "Host: sandbox\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                     "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n");
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += client.readAll()).contains("\r\n\r\n"), 10000);
        QVERIFY2(received.startsWith("HTTP/1.1 101"), received.constData());
        QCOMPARE(m_seen.last().path, QStringLiteral("/exec/default/p/main"));
        QCOMPARE(m_seen.last().header("x-stream-protocol-version"), QByteArray("v4.channel.k8s.io"));
        received.clear();
        client.write("frames both ways");
        QTRY_COMPARE_WITH_TIMEOUT((received += client.readAll()), QByteArray("frames both ways"), 10000);
    }

    void ambiguousContainerAndUnboundPodAre400()
    {
        createObject(
            QStringLiteral("/api/v1/namespaces/default/pods"),
            QJsonObject{
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("two")}}},
                {QStringLiteral("spec"),
                 QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("vk-node")},
                             {QStringLiteral("containers"),
                              QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("a")},
                                                     {QStringLiteral("image"), QStringLiteral("busybox")}},
                                         QJsonObject{{QStringLiteral("name"), QStringLiteral("b")},
                                                     {QStringLiteral("image"), QStringLiteral("busybox")}}}}}}});
        QNetworkReply* reply = m_nam.get(request(QStringLiteral("/api/v1/namespaces/default/pods/two/log")));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("message")).toString(),
                 QStringLiteral("a container name must be specified for pod two, choose one of: [a b]"));
        reply->deleteLater();
    }

    void unreachableKubeletIs500NamingTheAddress()
    {
        m_kubelet.close();
        QNetworkReply* reply = m_nam.get(request(QStringLiteral("/api/v1/namespaces/default/pods/p/log")));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 500);
        const QString message =
            QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("message")).toString();
        QVERIFY2(message.startsWith(QStringLiteral("error dialing backend: Get \"https://127.0.0.1:")),
                 qPrintable(message));
        reply->deleteLater();
    }
};

QTEST_GUILESS_MAIN(KubeletProxyTest)
#include "tst_kubelet_proxy.moc"
