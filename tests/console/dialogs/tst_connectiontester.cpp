// SPDX-License-Identifier: Apache-2.0
#include "ConnectionTester.h"

#include "core/Json.h"
#include "http/Pki.h"
#include "support/SandboxFixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace vk;
using namespace vk::console;

using Step = ConnectionTestResult::Step;

namespace {

/// A plain-HTTP stand-in for an API server: answers each path with a fixed status and JSON body.
class FakeApiServer : public QTcpServer
{
public:
    QMap<QString, QPair<int, QByteArray>> answers; ///< "METHOD /path" -> (status, body)

    FakeApiServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { serve(socket); });
            }
        });
    }

private:
    void serve(QTcpSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> head = buffer.left(end).split('\n');
        qsizetype length = 0;
        for (const QByteArray& line : head) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return;
        const QList<QByteArray> requestLine = head.value(0).trimmed().split(' ');
        const QString key = QString::fromLatin1(requestLine.value(0) + ' ' + requestLine.value(1));
        m_buffers.remove(socket);
        const auto answer = answers.value(key, qMakePair(404, QByteArray("{\"kind\":\"Status\",\"code\":404}")));
        socket->write("HTTP/1.1 " + QByteArray::number(answer.first) + " X\r\nContent-Type: application/json\r\n" +
                      "Content-Length: " + QByteArray::number(answer.second.size()) + "\r\nConnection: close\r\n\r\n" +
                      answer.second);
        socket->disconnectFromHost();
    }

    QHash<QTcpSocket*, QByteArray> m_buffers;
};

} // namespace

class TestConnectionTester : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sandboxAnswersVersionAndIdentity();
    void failures_data();
    void failures();
    void resultIsNeverSynchronous();
    void aNewTestReplacesTheRunningOne();
    void sandboxKindUsesTheSandboxKubeconfig();
    void serverAnswers_data();
    void serverAnswers();

private:
    QJsonObject sandboxKubeconfig() const;
    QString writeKubeconfig(const QString& name, const QJsonObject& config);
    ConnectionTestResult run(ConnectionTester& tester, const ConnectionRequest& request);

    test::SandboxFixture m_sandbox;
    QTemporaryDir m_dir;
    QTcpServer m_silentServer; // accepts connections and never answers
    QList<QTcpSocket*> m_silentSockets;
};

void TestConnectionTester::initTestCase()
{
    const QString error = m_sandbox.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(m_dir.isValid());
    QVERIFY(m_silentServer.listen(QHostAddress::LocalHost));
    connect(&m_silentServer, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_silentServer.nextPendingConnection())
            m_silentSockets.append(socket);
    });
}

QJsonObject TestConnectionTester::sandboxKubeconfig() const
{
    QFile file(m_sandbox.kubeconfigPath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    auto parsed = json::fromYaml(file.readAll(), file.fileName());
    return parsed ? parsed->toObject() : QJsonObject();
}

QString TestConnectionTester::writeKubeconfig(const QString& name, const QJsonObject& config)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(QJsonDocument(config).toJson()); // JSON is YAML
    return path;
}

ConnectionTestResult TestConnectionTester::run(ConnectionTester& tester, const ConnectionRequest& request)
{
    std::optional<ConnectionTestResult> result;
    tester.test(request, this, [&result](const ConnectionTestResult& r) { result = r; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000); }();
    return result.value_or(ConnectionTestResult{Step::Server, QStringLiteral("no result"), {}, {}, {}, false, -1});
}

void TestConnectionTester::sandboxAnswersVersionAndIdentity()
{
    ConnectionTester tester;
    ConnectionRequest request;
    request.kind = ConnectionRequest::Kind::KubeConfig;
    request.kubeconfigFiles = {m_sandbox.kubeconfigPath()};
    const ConnectionTestResult result = run(tester, request);
    QVERIFY2(result.ok(), qPrintable(result.message));
    QVERIFY2(result.serverVersion.startsWith(QLatin1Char('v')), qPrintable(result.serverVersion));
    const QString user = sandboxKubeconfig()
                             .value(QStringLiteral("users"))
                             .toArray()
                             .at(0)
                             .toObject()
                             .value(QStringLiteral("name"))
                             .toString();
    QVERIFY(!user.isEmpty());
    QVERIFY2(result.identity.startsWith(user), qPrintable(result.identity));
    if (!result.identityFromServer)
        QVERIFY2(result.identity.contains(QStringLiteral("kubeconfig")), qPrintable(result.identity));
    QVERIFY(result.roundTripMs >= 0);
    QCOMPARE(result.serverUrl, m_sandbox.sandbox().serverUrl().toString());
}

void TestConnectionTester::failures_data()
{
    QTest::addColumn<QString>("kubeconfigPath");
    QTest::addColumn<QString>("context");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<int>("step");
    QTest::addColumn<QString>("message"); // a part of the message ("@" stands for the kubeconfig's path)

    const QJsonObject good = sandboxKubeconfig();
    QVERIFY(!good.isEmpty());
    const auto withCluster = [&good](const QString& key, const QString& value) {
        QJsonObject config = good;
        QJsonArray clusters = config.value(QStringLiteral("clusters")).toArray();
        QJsonObject entry = clusters.at(0).toObject();
        QJsonObject cluster = entry.value(QStringLiteral("cluster")).toObject();
        cluster.insert(key, value);
        entry.insert(QStringLiteral("cluster"), cluster);
        clusters.replace(0, entry);
        config.insert(QStringLiteral("clusters"), clusters);
        return config;
    };

    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    QTest::newRow("a closed port is unreachable")
        << writeKubeconfig(
               QStringLiteral("closed.yaml"),
               withCluster(QStringLiteral("server"), QStringLiteral("https://127.0.0.1:%1").arg(closedPort)))
        << QString() << 5000 << int(Step::Reachability) << QStringLiteral("127.0.0.1:%1").arg(closedPort);

    QTest::newRow("a server that never answers is unreachable after the timeout")
        << writeKubeconfig(QStringLiteral("silent.yaml"),
                           withCluster(QStringLiteral("server"),
                                       QStringLiteral("https://127.0.0.1:%1").arg(m_silentServer.serverPort())))
        << QString() << 400 << int(Step::Reachability)
        << QStringLiteral("no answer from 127.0.0.1:%1 within 400 ms").arg(m_silentServer.serverPort());

    auto otherCa = pki::createCertificateAuthority(QStringLiteral("not-the-sandbox-ca"));
    QVERIFY(otherCa);
    QTest::newRow("a kubeconfig whose CA is wrong fails TLS")
        << writeKubeconfig(QStringLiteral("wrong-ca.yaml"),
                           withCluster(QStringLiteral("certificate-authority-data"),
                                       QString::fromLatin1(otherCa->certificatePem.toBase64())))
        << QString() << 5000 << int(Step::Tls) << QStringLiteral("the handshake with 127.0.0.1:");

    QJsonObject badToken = good;
    QJsonArray users = badToken.value(QStringLiteral("users")).toArray();
    QJsonObject user = users.at(0).toObject();
    user.insert(QStringLiteral("user"), QJsonObject{{QStringLiteral("token"), QStringLiteral("not-a-valid-token")}});
    users.replace(0, user);
    badToken.insert(QStringLiteral("users"), users);
    QTest::newRow("a bad token fails authentication")
        << writeKubeconfig(QStringLiteral("bad-token.yaml"), badToken) << QString() << 5000 << int(Step::Authentication)
        << QStringLiteral("401");

    QTest::newRow("a missing file is named") << m_dir.filePath(QStringLiteral("no/such/kubeconfig")) << QString()
                                             << 5000 << int(Step::KubeConfig) << QStringLiteral("@");

    QTest::newRow("an unknown context is named")
        << m_sandbox.kubeconfigPath() << QStringLiteral("no-such-context") << 5000 << int(Step::KubeConfig)
        << QStringLiteral("\"no-such-context\"");

    const QString corrupt = m_dir.filePath(QStringLiteral("corrupt.yaml"));
    QFile corruptFile(corrupt);
    QVERIFY(corruptFile.open(QIODevice::WriteOnly));
    corruptFile.write("clusters: [\n");
    corruptFile.close();
    QTest::newRow("a corrupt kubeconfig is named")
        << corrupt << QString() << 5000 << int(Step::KubeConfig) << QStringLiteral("@");
}

void TestConnectionTester::failures()
{
    QFETCH(QString, kubeconfigPath);
    QFETCH(QString, context);
    QFETCH(int, timeoutMs);
    QFETCH(int, step);
    QFETCH(QString, message);
    QVERIFY(!kubeconfigPath.isEmpty());

    ConnectionTester tester;
    tester.setTimeoutMs(timeoutMs);
    ConnectionRequest request;
    request.kind = ConnectionRequest::Kind::KubeConfig;
    request.kubeconfigFiles = {kubeconfigPath};
    request.context = context;
    const ConnectionTestResult result = run(tester, request);
    QVERIFY(!result.ok());
    QCOMPARE(ConnectionTestResult::stepName(result.failedStep), ConnectionTestResult::stepName(Step(step)));
    const QString expected = message == QLatin1String("@") ? kubeconfigPath : message;
    QVERIFY2(result.message.contains(expected), qPrintable(result.message));
}

void TestConnectionTester::resultIsNeverSynchronous()
{
    ConnectionTester tester;
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    ConnectionRequest request;
    request.kind = ConnectionRequest::Kind::KubeConfig;
    request.kubeconfigFiles = {m_dir.filePath(QStringLiteral("missing"))};
    tester.test(request);
    QCOMPARE(spy.count(), 0);
    QVERIFY(tester.isRunning());
    QTRY_COMPARE(spy.count(), 1);
    QVERIFY(!tester.isRunning());
    const auto result = spy.at(0).at(0).value<ConnectionTestResult>();
    QCOMPARE(result.failedStep, Step::KubeConfig);
}

void TestConnectionTester::aNewTestReplacesTheRunningOne()
{
    ConnectionTester tester;
    tester.setTimeoutMs(60000);
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    ConnectionRequest silent;
    silent.kind = ConnectionRequest::Kind::KubeConfig;
    silent.kubeconfigFiles = {m_dir.filePath(QStringLiteral("silent.yaml"))};
    tester.test(silent);
    ConnectionRequest good;
    good.kind = ConnectionRequest::Kind::KubeConfig;
    good.kubeconfigFiles = {m_sandbox.kubeconfigPath()};
    tester.test(good);
    QTRY_COMPARE(spy.count(), 1);
    const auto result = spy.at(0).at(0).value<ConnectionTestResult>();
    QVERIFY2(result.ok(), qPrintable(result.message));
}

void TestConnectionTester::sandboxKindUsesTheSandboxKubeconfig()
{
    ConnectionTester tester;
    ConnectionRequest request; // Kind::Sandbox
    ConnectionTestResult result = run(tester, request);
    QCOMPARE(result.failedStep, Step::KubeConfig);
    QVERIFY2(result.message.contains(QStringLiteral("sandbox")), qPrintable(result.message));

    tester.setSandboxKubeconfig(m_sandbox.kubeconfigPath());
    result = run(tester, request);
    QVERIFY2(result.ok(), qPrintable(result.message));
}

void TestConnectionTester::serverAnswers_data()
{
    QTest::addColumn<int>("versionStatus");
    QTest::addColumn<QByteArray>("versionBody");
    QTest::addColumn<int>("reviewStatus");
    QTest::addColumn<QByteArray>("reviewBody");
    QTest::addColumn<int>("discoveryStatus");
    QTest::addColumn<int>("step");
    QTest::addColumn<QString>("text"); // a part of the identity (success) or of the message (failure)
    QTest::addColumn<bool>("fromServer");

    const QByteArray version("{\"gitVersion\": \"v1.31.2\"}");
    const QByteArray review("{\"kind\": \"SelfSubjectReview\", \"status\": {\"userInfo\": {\"username\": \"jane\", "
                            "\"groups\": [\"dev\", \"system:authenticated\"]}}}");
    const QByteArray forbidden("{\"kind\": \"Status\", \"status\": \"Failure\", \"message\": \"forbidden: no\", "
                               "\"reason\": \"Forbidden\", \"code\": 403}");
    QTest::newRow("identity from a SelfSubjectReview")
        << 200 << version << 201 << review << 200 << int(Step::None)
        << QStringLiteral("jane (groups: dev, system:authenticated)") << true;
    QTest::newRow("without the review API the kubeconfig's user name is the identity")
        << 200 << version << 404 << QByteArray() << 200 << int(Step::None)
        << QStringLiteral("fake-user (from the kubeconfig") << false;
    QTest::newRow("a refused review and a 403 on discovery is an authentication failure")
        << 200 << version << 403 << forbidden << 403 << int(Step::Authentication)
        << QStringLiteral("rejected the credentials of user \"fake-user\" (403") << false;
    QTest::newRow("a server error on /version is the server step")
        << 500 << QByteArray("{\"kind\": \"Status\", \"message\": \"etcd down\", \"code\": 500}") << 201 << review
        << 200 << int(Step::Server) << QStringLiteral("500") << false;
    QTest::newRow("an answer that is not a Kubernetes version is the server step")
        << 200 << QByteArray("{}") << 201 << review << 200 << int(Step::Server)
        << QStringLiteral("did not answer a Kubernetes version") << false;
}

void TestConnectionTester::serverAnswers()
{
    QFETCH(int, versionStatus);
    QFETCH(QByteArray, versionBody);
    QFETCH(int, reviewStatus);
    QFETCH(QByteArray, reviewBody);
    QFETCH(int, discoveryStatus);
    QFETCH(int, step);
    QFETCH(QString, text);
    QFETCH(bool, fromServer);

    FakeApiServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    server.answers.insert(QStringLiteral("GET /version"), {versionStatus, versionBody});
    if (reviewStatus != 404)
        server.answers.insert(QStringLiteral("POST /apis/authentication.k8s.io/v1/selfsubjectreviews"),
                              {reviewStatus, reviewBody});
    server.answers.insert(QStringLiteral("GET /api"),
                          {discoveryStatus, discoveryStatus == 200 ? QByteArray("{\"kind\": \"APIVersions\"}")
                                                                   : QByteArray("{\"code\": 403}")});
    const QJsonObject config{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Config")},
        {QStringLiteral("current-context"), QStringLiteral("fake")},
        {QStringLiteral("clusters"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("fake")},
                                {QStringLiteral("cluster"),
                                 QJsonObject{{QStringLiteral("server"),
                                              QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())}}}}}},
        {QStringLiteral("users"),
         QJsonArray{
             QJsonObject{{QStringLiteral("name"), QStringLiteral("fake-user")},
                         {QStringLiteral("user"), QJsonObject{{QStringLiteral("token"), QStringLiteral("t")}}}}}},
        {QStringLiteral("contexts"),
         QJsonArray{QJsonObject{
             {QStringLiteral("name"), QStringLiteral("fake")},
             {QStringLiteral("context"), QJsonObject{{QStringLiteral("cluster"), QStringLiteral("fake")},
                                                     {QStringLiteral("user"), QStringLiteral("fake-user")}}}}}}};
    ConnectionTester tester;
    ConnectionRequest request;
    request.kind = ConnectionRequest::Kind::KubeConfig;
    request.kubeconfigFiles = {writeKubeconfig(QStringLiteral("fake.yaml"), config)};
    const ConnectionTestResult result = run(tester, request);
    QCOMPARE(ConnectionTestResult::stepName(result.failedStep), ConnectionTestResult::stepName(Step(step)));
    if (result.ok()) {
        QVERIFY2(result.identity.startsWith(text), qPrintable(result.identity));
        QCOMPARE(result.identityFromServer, fromServer);
        QCOMPARE(result.serverVersion, QStringLiteral("v1.31.2"));
    } else {
        QVERIFY2(result.message.contains(text), qPrintable(result.message));
    }
}

QTEST_GUILESS_MAIN(TestConnectionTester)
#include "tst_connectiontester.moc"
