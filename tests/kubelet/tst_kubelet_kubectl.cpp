// SPDX-License-Identifier: Apache-2.0
// Real kubectl against the sandbox, which proxies pods/log, exec and nodes/proxy to our kubelet server (mock
// provider, self-signed serving certificate, client certificates verified against the sandbox CA).
#include "core/Json.h"
#include "http/Pki.h"
#include "kubelet/KubeletServer.h"
#include "mock/MockProvider.h"
#include "support/Kubectl.h"
#include "support/KubeletEndpoint.h"
#include "support/SandboxFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;

namespace {

const QString kNode = QStringLiteral("vk-kubectl-node");

QJsonObject podObject(const QString& name, const QJsonObject& lifecycle)
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("namespace"), QStringLiteral("default")},
                     {QStringLiteral("annotations"),
                      QJsonObject{{QLatin1String(mock::kLifecycleAnnotation),
                                   QString::fromUtf8(QJsonDocument(lifecycle).toJson(QJsonDocument::Compact))}}}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("nodeName"), kNode},
                     {QStringLiteral("restartPolicy"), QStringLiteral("Always")},
                     {QStringLiteral("containers"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("main")},
                                             {QStringLiteral("image"), QStringLiteral("busybox")}}}}}},
    };
}

QStringList lines(const QByteArray& text)
{
    return QString::fromUtf8(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class KubeletKubectlTest : public QObject
{
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;
    QTemporaryDir m_home;
    std::unique_ptr<mock::MockProvider> m_mock;
    std::unique_ptr<kubelet::KubeletServer> m_server;
    std::unique_ptr<test::Kubectl> m_kubectl;

    test::KubectlResult kubectl(const QStringList& args) { return m_kubectl->run(args, {}, 30'000); }

    void createInSandbox(const kube::GroupVersionResource& gvr, const QString& ns, const QJsonObject& object)
    {
        auto created = test::createAndWait(m_fixture.client(), gvr, ns, object);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message()));
    }

    void runPod(const QString& name, const QJsonObject& lifecycle)
    {
        // The provider's status (Running) is published as the pod controller would: kubectl port-forward needs it.
        mock::MockProvider* mock = m_mock.get();
        auto pod = test::runPod(m_fixture.client(), *mock, podObject(name, lifecycle),
                                [mock, name] { return mock->pod(QStringLiteral("default"), name).valueOr({}); });
        QVERIFY2(pod.ok(), qPrintable(pod.ok() ? QString() : pod.error().message()));
    }

    /// Lines the provider has logged for a pod so far.
    int providerLogLines(const QString& pod)
    {
        auto stream = m_mock->containerLogs(QStringLiteral("default"), pod, QString(), provider::LogOptions(), nullptr);
        if (!stream)
            return -1;
        QCoreApplication::processEvents();
        const int count = int((*stream)->read().count('\n'));
        (*stream)->close();
        delete *stream;
        return count;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::Kubectl::executable().isEmpty())
            QSKIP("kubectl is not on PATH");
        QVERIFY(m_home.isValid());
        const QString error = m_fixture.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_kubectl = std::make_unique<test::Kubectl>(m_fixture.kubeconfigPath(), m_home.path());

        provider::ProviderConfig config;
        config.nodeName = kNode;
        config.internalIp = QStringLiteral("127.0.0.1");
        m_mock = std::make_unique<mock::MockProvider>(mock::MockNodeConfig(), config);

        // The kubelet trusts the sandbox CA for client certificates; with no API client there are no reviews, so
        // the API server's kubelet-client certificate is enough.
        const QString caPath = m_home.filePath(QStringLiteral("sandbox-ca.crt"));
        const QString caError = test::writePemFile(caPath, m_fixture.sandbox().certificateAuthority().certificatePem);
        QVERIFY2(caError.isEmpty(), qPrintable(caError));
        kubelet::KubeletServer::Options options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        options.nodeName = kNode;
        options.nodeIps = {QHostAddress::LocalHost};
        options.clientCaPath = caPath;
        m_server = std::make_unique<kubelet::KubeletServer>(m_mock.get(), nullptr, options);
        auto port = m_server->start();
        QVERIFY2(port.ok(), qPrintable(port.ok() ? QString() : port.error().message()));

        QJsonObject node{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                         {QStringLiteral("kind"), QStringLiteral("Node")},
                         {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), kNode}}}};
        m_mock->configureNode(node);
        createInSandbox(kube::GroupVersionResource::nodes(), {}, test::kubeletNode(kNode, *port, node));

        // p logs five lines a second; r crashes once after 1.5 s and comes back (for --previous).
        runPod(QStringLiteral("p"), QJsonObject{{QStringLiteral("logLinesPerSecond"), 5},
                                                {QStringLiteral("logLine"), QStringLiteral("line {n}")}});
        runPod(QStringLiteral("r"),
               QJsonObject{{QStringLiteral("logLinesPerSecond"), 5},
                           {QStringLiteral("logLine"), QStringLiteral("instance {restart} line {n}")},
                           {QStringLiteral("failAfterMs"), 1500},
                           {QStringLiteral("failCount"), 1}});
        // Wait for a few lines of p (the mock logs on the real clock).
        QTRY_VERIFY_WITH_TIMEOUT(providerLogLines(QStringLiteral("p")) >= 5, 10000);
    }

    void logs()
    {
        const auto r = kubectl({QStringLiteral("logs"), QStringLiteral("p")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QStringList got = lines(r.out);
        QVERIFY2(got.size() >= 5, r.describe().constData());
        QCOMPARE(got.first(), QStringLiteral("line 1"));
        for (int i = 0; i < got.size(); ++i)
            QCOMPARE(got[i], QStringLiteral("line %1").arg(i + 1));
    }

    void logsTail()
    {
        const auto all = lines(kubectl({QStringLiteral("logs"), QStringLiteral("p")}).out);
        const auto r = kubectl({QStringLiteral("logs"), QStringLiteral("p"), QStringLiteral("--tail=2")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QStringList got = lines(r.out);
        QCOMPARE(got.size(), 2);
        // The last two lines at the time (a new line may have arrived in between).
        QVERIFY2(got[0].startsWith(QStringLiteral("line ")) &&
                     got[1] == QStringLiteral("line %1").arg(got[0].mid(5).toInt() + 1),
                 r.describe().constData());
        QVERIFY(got[0].mid(5).toInt() >= all.size() - 1);
    }

    void logsTimestamps()
    {
        const auto r = kubectl(
            {QStringLiteral("logs"), QStringLiteral("p"), QStringLiteral("--timestamps"), QStringLiteral("--tail=3")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QStringList got = lines(r.out);
        QCOMPARE(got.size(), 3);
        static const QRegularExpression stamped(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line \d+$)"));
        for (const QString& line : got)
            QVERIFY2(stamped.match(line).hasMatch(), qPrintable(line));
    }

    void logsLimitBytes()
    {
        const auto r = kubectl({QStringLiteral("logs"), QStringLiteral("p"), QStringLiteral("--limit-bytes=10")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out, QByteArray("line 1\nlin"));
    }

    void logsSince()
    {
        const auto r = kubectl({QStringLiteral("logs"), QStringLiteral("p"), QStringLiteral("--since=1h")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(lines(r.out).first(), QStringLiteral("line 1"));
        const auto none =
            kubectl({QStringLiteral("logs"), QStringLiteral("p"), QStringLiteral("--since-time=2099-01-01T00:00:00Z")});
        QVERIFY2(none.exitCode == 0, none.describe().constData());
        QCOMPARE(none.out, QByteArray());
    }

    void logsFollow()
    {
        std::unique_ptr<QProcess> process(m_kubectl->start(
            {QStringLiteral("logs"), QStringLiteral("-f"), QStringLiteral("p"), QStringLiteral("--tail=1")}));
        QByteArray out;
        connect(process.get(), &QProcess::readyReadStandardOutput, this,
                [&] { out += process->readAllStandardOutput(); });
        QTRY_VERIFY_WITH_TIMEOUT(lines(out).size() >= 1, 10000);
        const int first = lines(out).first().mid(5).toInt();
        QTRY_VERIFY_WITH_TIMEOUT(lines(out).size() >= 4, 10000); // new lines arrive while kubectl follows
        const QStringList got = lines(out);
        for (int i = 0; i < got.size(); ++i)
            QCOMPARE(got[i], QStringLiteral("line %1").arg(first + i));
        QCOMPARE(process->state(), QProcess::Running);
        process->kill();
        QTRY_COMPARE_WITH_TIMEOUT(process->state(), QProcess::NotRunning, 5000);
    }

    void logsPrevious()
    {
        QTRY_VERIFY_WITH_TIMEOUT(json::at(m_mock->pod(QStringLiteral("default"), QStringLiteral("r")).valueOr({}),
                                          {QLatin1String("status"), QLatin1String("containerStatuses")})
                                         .toArray()
                                         .first()
                                         .toObject()
                                         .value(QLatin1String("restartCount"))
                                         .toInt() >= 1,
                                 10000);
        const auto previous = kubectl({QStringLiteral("logs"), QStringLiteral("r"), QStringLiteral("--previous")});
        QVERIFY2(previous.exitCode == 0, previous.describe().constData());
        const QStringList got = lines(previous.out);
        QVERIFY2(!got.isEmpty(), previous.describe().constData());
        for (const QString& line : got)
            QVERIFY2(line.startsWith(QStringLiteral("instance 0 line ")), qPrintable(line));
        const auto current = kubectl({QStringLiteral("logs"), QStringLiteral("r")});
        QVERIFY2(current.exitCode == 0, current.describe().constData());
        for (const QString& line : lines(current.out))
            QVERIFY2(line.startsWith(QStringLiteral("instance 1 line ")), qPrintable(line));
        // p never restarted: the provider's 400 reaches kubectl.
        const auto none = kubectl({QStringLiteral("logs"), QStringLiteral("p"), QStringLiteral("--previous")});
        QVERIFY(none.exitCode != 0);
        QVERIFY2(none.err.contains("previous terminated container \\\"main\\\" in pod \\\"p\\\" not found") ||
                     none.err.contains("previous terminated container \"main\" in pod \"p\" not found"),
                 none.describe().constData());
    }

    void invalidLogOptionIsTheKubelets400()
    {
        const auto r = kubectl({QStringLiteral("get"), QStringLiteral("--raw"),
                                QStringLiteral("/api/v1/namespaces/default/pods/p/log?tailLines=-1")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("Error from server (BadRequest)") && r.err.contains("\"tailLines\" is -1"),
                 r.describe().constData());
        const auto since = kubectl({QStringLiteral("get"), QStringLiteral("--raw"),
                                    QStringLiteral("/api/v1/namespaces/default/pods/p/log?sinceTime=yesterday")});
        QVERIFY(since.exitCode != 0);
        QVERIFY2(since.err.contains("could not parse \\\"sinceTime\\\"") ||
                     since.err.contains("could not parse \"sinceTime\""),
                 since.describe().constData());
    }

    void nodeProxyStatsSummary()
    {
        const auto r = kubectl({QStringLiteral("get"), QStringLiteral("--raw"),
                                QStringLiteral("/api/v1/nodes/%1/proxy/stats/summary").arg(kNode)});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json::at(summary, {QLatin1String("node"), QLatin1String("nodeName")}).toString(), kNode);
        QStringList pods;
        for (const auto& p : summary.value(QLatin1String("pods")).toArray())
            pods.append(json::at(p.toObject(), {QLatin1String("podRef"), QLatin1String("name")}).toString());
        pods.sort();
        QCOMPARE(pods, (QStringList{QStringLiteral("p"), QStringLiteral("r")}));
    }

    void nodeProxyMetricsResource()
    {
        const auto r = kubectl({QStringLiteral("get"), QStringLiteral("--raw"),
                                QStringLiteral("/api/v1/nodes/%1/proxy/metrics/resource").arg(kNode)});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY(r.out.contains("# TYPE node_cpu_usage_seconds_total counter"));
        QVERIFY(
            r.out.contains("container_memory_working_set_bytes{container=\"main\",namespace=\"default\",pod=\"p\"}"));
    }

    void exec_data()
    {
        QTest::addColumn<QString>("websockets");
        QTest::newRow("WebSocket (kubectl's default)") << QStringLiteral("true");
        QTest::newRow("SPDY/3.1") << QStringLiteral("false");
    }
    void exec()
    {
        if (!kubelet::KubeletServer::streamingAvailable())
            QSKIP("the stream transports are not linked: /exec answers 501");
        QFETCH(QString, websockets);
        qputenv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", websockets.toUtf8());
        const auto r = kubectl({QStringLiteral("exec"), QStringLiteral("p"), QStringLiteral("--"),
                                QStringLiteral("echo"), QStringLiteral("hi")});
        const auto failing = kubectl({QStringLiteral("exec"), QStringLiteral("p"), QStringLiteral("--"),
                                      QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 3")});
        qunsetenv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS");
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out, QByteArray("hi\n"));
        QCOMPARE(failing.exitCode, 3);
        QVERIFY2(failing.err.contains("command terminated with exit code 3"), failing.describe().constData());
    }
    void attach_data()
    {
        QTest::addColumn<QString>("websockets");
        QTest::newRow("WebSocket") << QStringLiteral("true");
        QTest::newRow("SPDY/3.1") << QStringLiteral("false");
    }
    void attach()
    {
        if (!kubelet::KubeletServer::streamingAvailable())
            QSKIP("the stream transports are not linked: /attach answers 501");
        QFETCH(QString, websockets);
        qputenv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", websockets.toUtf8());
        std::unique_ptr<QProcess> process(
            m_kubectl->start({QStringLiteral("attach"), QStringLiteral("p"), QStringLiteral("-i")}));
        qunsetenv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS");
        QByteArray out;
        connect(process.get(), &QProcess::readyReadStandardOutput, this,
                [&] { out += process->readAllStandardOutput(); });
        process->write("hello attach\n");
        // The container's new log lines, and our stdin echoed back by the mock.
        QTRY_VERIFY2_WITH_TIMEOUT(out.contains("hello attach\n") && out.contains("line "),
                                  QByteArray(out + process->readAllStandardError()).constData(), 10000);
        QCOMPARE(process->state(), QProcess::Running);
        process->kill();
        QTRY_COMPARE_WITH_TIMEOUT(process->state(), QProcess::NotRunning, 5000);
    }
    void portForward_data()
    {
        QTest::addColumn<QString>("websockets");
        QTest::newRow("WebSocket") << QStringLiteral("true");
        QTest::newRow("SPDY/3.1") << QStringLiteral("false");
    }
    void portForward()
    {
        if (!kubelet::KubeletServer::streamingAvailable())
            QSKIP("the stream transports are not linked: /portForward answers 501");
        QFETCH(QString, websockets);
        qputenv("KUBECTL_PORT_FORWARD_WEBSOCKETS", websockets.toUtf8());
        std::unique_ptr<QProcess> process(
            m_kubectl->start({QStringLiteral("port-forward"), QStringLiteral("pod/p"), QStringLiteral(":8080")}));
        qunsetenv("KUBECTL_PORT_FORWARD_WEBSOCKETS");
        QByteArray out;
        connect(process.get(), &QProcess::readyReadStandardOutput, this,
                [&] { out += process->readAllStandardOutput(); });
        static const QRegularExpression forwarding(QStringLiteral(R"(Forwarding from 127\.0\.0\.1:(\d+) -> 8080)"));
        QTRY_VERIFY2_WITH_TIMEOUT(forwarding.match(QString::fromUtf8(out)).hasMatch(),
                                  QByteArray(out + process->readAllStandardError()).constData(), 10000);
        const quint16 localPort = quint16(forwarding.match(QString::fromUtf8(out)).captured(1).toUInt());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, localPort);
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
        socket.write("ping through kubectl\n");
        QByteArray echoed;
        QTRY_COMPARE_WITH_TIMEOUT((echoed += socket.readAll()), QByteArray("ping through kubectl\n"), 10000);
        socket.close();
        process->kill();
        QTRY_COMPARE_WITH_TIMEOUT(process->state(), QProcess::NotRunning, 5000);
    }
};

QTEST_GUILESS_MAIN(KubeletKubectlTest)
#include "tst_kubelet_kubectl.moc"
