// SPDX-License-Identifier: Apache-2.0
// Real kubectl over SPDY (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false, KUBECTL_PORT_FORWARD_WEBSOCKETS=false) through
// the sandbox API server's pod proxy to a stand-in kubelet whose /exec, /attach and /portForward routes hand the
// upgrade to vk_streams_spdy with the mock provider behind it.
#include "http/HttpServer.h"
#include "http/Pki.h"
#include "kube/GroupVersionResource.h"
#include "mock/MockProvider.h"
#include "streams/Streams.h"
#include "support/Kubectl.h"
#include "support/KubeletEndpoint.h"
#include "support/SandboxFixture.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;

class SpdyKubectlTest : public QObject
{
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;
    QTemporaryDir m_home;
    http::HttpServer m_kubelet;
    std::unique_ptr<mock::MockProvider> m_provider;
    std::unique_ptr<test::Kubectl> m_kubectl;
    QList<QByteArray> m_protocols; ///< X-Stream-Protocol-Version values the kubelet saw

    void route(const http::HttpRequest& r, http::HttpResponder* responder)
    {
        const QStringList parts = r.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        m_protocols += r.headerValues("x-stream-protocol-version");
        streams::StreamOptions options;
        options.creationTimeoutMs = 10'000;
        if ((parts.value(0) == QLatin1String("exec") || parts.value(0) == QLatin1String("attach")) &&
            parts.size() == 4 && streams::isSpdyUpgrade(r)) {
            provider::ExecRequest base;
            base.namespaceName = parts[1];
            base.podName = parts[2];
            base.container = parts[3];
            const bool attach = parts[0] == QLatin1String("attach");
            if (!attach)
                base.command = r.queryValues(QStringLiteral("command"));
            mock::MockProvider* provider = m_provider.get();
            streams::serveSpdyRemoteCommand(
                r, responder, base,
                [provider, attach](const provider::ExecRequest& request, QObject* parent) {
                    return attach ? provider->attach(request, parent) : provider->exec(request, parent);
                },
                options);
        } else if (parts.value(0) == QLatin1String("portForward") && parts.size() == 3 && streams::isSpdyUpgrade(r)) {
            mock::MockProvider* provider = m_provider.get();
            const QString ns = parts[1];
            const QString pod = parts[2];
            streams::serveSpdyPortForward(
                r, responder,
                [provider, ns, pod](quint16 port, QObject* parent) {
                    return provider->portForward(ns, pod, port, parent);
                },
                options);
        } else {
            responder->respond(404, QByteArrayLiteral("text/plain"), QByteArrayLiteral("404 page not found\n"));
        }
    }

    test::KubectlResult kubectl(const QStringList& args, const QByteArray& input = {})
    {
        return m_kubectl->run(args, input, 30'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!test::Kubectl::executable().isEmpty(), "kubectl is not on PATH");
        const QString err = m_fixture.start();
        QVERIFY2(err.isEmpty(), qPrintable(err));
        auto port = test::startKubeletStandIn(
            m_fixture, m_kubelet,
            [this](const http::HttpRequest& r, http::HttpResponder* responder) { route(r, responder); });
        QVERIFY2(port.ok(), qPrintable(port.ok() ? QString() : port.error().toString()));

        provider::ProviderConfig config;
        config.nodeName = QStringLiteral("vk-node");
        config.internalIp = QStringLiteral("127.0.0.1");
        config.daemonPort = *port;
        m_provider = std::make_unique<mock::MockProvider>(mock::MockNodeConfig{}, config);

        // The mock runs the pod; its status (Running) goes to the API server, as the pod controller would do.
        mock::MockProvider* provider = m_provider.get();
        auto pod = test::runPod(
            m_fixture.client(), *provider, test::podOnNode(QStringLiteral("p"), QStringLiteral("vk-node"), 8080),
            [provider] { return provider->pod(QStringLiteral("default"), QStringLiteral("p")).valueOr({}); });
        QVERIFY2(pod.ok(), qPrintable(pod.ok() ? QString() : pod.error().toString()));

        QProcessEnvironment extra;
        extra.insert(QStringLiteral("KUBECTL_REMOTE_COMMAND_WEBSOCKETS"), QStringLiteral("false"));
        extra.insert(QStringLiteral("KUBECTL_PORT_FORWARD_WEBSOCKETS"), QStringLiteral("false"));
        m_kubectl = std::make_unique<test::Kubectl>(m_fixture.kubeconfigPath(), m_home.path(), extra);
    }

    void execEchoPrintsOutput()
    {
        m_protocols.clear();
        const test::KubectlResult r = kubectl({QStringLiteral("exec"), QStringLiteral("p"), QStringLiteral("--"),
                                               QStringLiteral("echo"), QStringLiteral("hi")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out, QByteArray("hi\n"));
        QVERIFY2(m_protocols.contains("v5.channel.k8s.io"), m_protocols.join(',').constData());
    }

    void execNonZeroExitIsReportedWithTheCode()
    {
        const test::KubectlResult r =
            kubectl({QStringLiteral("exec"), QStringLiteral("p"), QStringLiteral("--"), QStringLiteral("sh"),
                     QStringLiteral("-c"), QStringLiteral("echo out; exit 3")});
        QVERIFY2(r.err.contains("command terminated with exit code 3"), r.describe().constData());
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains("out\n"), r.describe().constData());
    }

    void execStdinIsPiped()
    {
        const test::KubectlResult r = kubectl({QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("p"),
                                               QStringLiteral("--"), QStringLiteral("cat")},
                                              QByteArray("line one\nline two\n"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out, QByteArray("line one\nline two\n"));
    }

    void execLargeStdinAndOutputRoundTrip()
    {
        QByteArray input;
        for (int i = 0; input.size() < 300'000; ++i)
            input += "row " + QByteArray::number(i) + " of a large stdin payload\n";
        const test::KubectlResult r = kubectl({QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("p"),
                                               QStringLiteral("--"), QStringLiteral("cat")},
                                              input);
        QVERIFY2(r.exitCode == 0, r.describe().left(2000).constData());
        QCOMPARE(r.out.size(), input.size());
        QVERIFY(r.out == input);
    }

    void execWithTtyFlagsWithoutATerminal()
    {
        const test::KubectlResult r = kubectl({QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("-t"),
                                               QStringLiteral("p"), QStringLiteral("--"), QStringLiteral("cat")},
                                              QByteArray("typed\n"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("typed"), r.describe().constData());
        QVERIFY2(r.err.contains("Unable to use a TTY"), r.describe().constData());
    }

    void attachEchoesStdin()
    {
        QProcess* process = m_kubectl->start({QStringLiteral("attach"), QStringLiteral("-i"), QStringLiteral("p")});
        QVERIFY(process->waitForStarted(5000));
        QByteArray out;
        // kubectl opens the streams before it reads stdin; keep writing until the echo comes back.
        QTRY_VERIFY_WITH_TIMEOUT((process->write("ping from attach\n"),
                                  (out += process->readAllStandardOutput()).contains("ping from attach")),
                                 20000);
        process->kill();
        process->waitForFinished(5000);
        delete process;
    }

    void portForwardEchoesBothWays()
    {
        QProcess* process =
            m_kubectl->start({QStringLiteral("port-forward"), QStringLiteral("pod/p"), QStringLiteral(":8080")});
        QVERIFY(process->waitForStarted(5000));
        QByteArray out;
        static const QRegularExpression forwarding(QStringLiteral("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 8080"));
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT(
            (match = forwarding.match(QString::fromUtf8(out += process->readAllStandardOutput()))).hasMatch(), 20000);
        const quint16 localPort = quint16(match.captured(1).toUInt());

        for (const QByteArray& message : {QByteArray("hello through spdy"), QByteArray("second connection")}) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, localPort);
            QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::ConnectedState, 10000);
            socket.write(message);
            QByteArray echoed;
            QTRY_COMPARE_WITH_TIMEOUT((echoed += socket.readAll()), message, 10000);
            socket.write("more");
            echoed.clear();
            QTRY_COMPARE_WITH_TIMEOUT((echoed += socket.readAll()), QByteArray("more"), 10000);
            socket.disconnectFromHost();
        }
        const QByteArray err = process->readAllStandardError();
        QVERIFY2(!err.contains("error"), err.constData());
        process->kill();
        process->waitForFinished(5000);
        delete process;
    }

    void portForwardToAClosedPortReportsTheError()
    {
        QProcess* process =
            m_kubectl->start({QStringLiteral("port-forward"), QStringLiteral("pod/p"), QStringLiteral(":81")});
        QVERIFY(process->waitForStarted(5000));
        QByteArray out;
        static const QRegularExpression forwarding(QStringLiteral("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 81"));
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT(
            (match = forwarding.match(QString::fromUtf8(out += process->readAllStandardOutput()))).hasMatch(), 20000);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(match.captured(1).toUInt()));
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::ConnectedState, 10000);
        socket.write("x");
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += process->readAllStandardError()).contains("connection refused"), 20000);
        QVERIFY2(err.contains("error forwarding port 81"), err.constData());
        process->kill();
        process->waitForFinished(5000);
        delete process;
    }
};

QTEST_GUILESS_MAIN(SpdyKubectlTest)
#include "tst_spdy_kubectl.moc"
