// SPDX-License-Identifier: Apache-2.0
// Real kubectl over WebSocket (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true: v5.channel.k8s.io; port-forward with
// KUBECTL_PORT_FORWARD_WEBSOCKETS=true) through the sandbox API server, which passes the upgrade through to a
// stand-in kubelet whose /exec, /attach and /portForward routes hand it to vk_streams_websocket, with the mock
// provider behind.
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

class WebSocketKubectlTest : public QObject
{
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;
    QTemporaryDir m_home;
    http::HttpServer m_kubelet;
    std::unique_ptr<mock::MockProvider> m_provider;
    std::unique_ptr<test::Kubectl> m_kubectl;
    /// What reached the kubelet: "<path> <upgrade> <subprotocols>" per request.
    QStringList m_seen;

    void route(const http::HttpRequest& r, http::HttpResponder* responder)
    {
        const QStringList parts = r.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        m_seen.append(r.path + QLatin1Char(' ') + QString::fromLatin1(r.upgradeProtocol()) + QLatin1Char(' ') +
                      QString::fromLatin1(r.header("sec-websocket-protocol")));
        streams::StreamOptions options;
        mock::MockProvider* provider = m_provider.get();
        const QString kind = parts.value(0);
        if ((kind == QLatin1String("exec") || kind == QLatin1String("attach")) && parts.size() == 4 &&
            streams::isWebSocketUpgrade(r)) {
            provider::ExecRequest base;
            base.namespaceName = parts[1];
            base.podName = parts[2];
            base.container = parts[3];
            const bool attach = kind == QLatin1String("attach");
            if (!attach)
                base.command = r.queryValues(QStringLiteral("command"));
            streams::serveWebSocketRemoteCommand(
                r, responder, base,
                [provider, attach](const provider::ExecRequest& request, QObject* parent) {
                    return attach ? provider->attach(request, parent) : provider->exec(request, parent);
                },
                options);
        } else if (kind == QLatin1String("portForward") && parts.size() == 3) {
            const QString ns = parts[1];
            const QString pod = parts[2];
            auto factory = [provider, ns, pod](quint16 port, QObject* parent) {
                return provider->portForward(ns, pod, port, parent);
            };
#ifdef VK_HAVE_SPDY_STREAMS
            if (streams::isWebSocketSpdyTunnel(r)) {
                // kubectl's WebSocket port-forward: SPDY tunnelled in the WebSocket, served by the SPDY transport
                streams::serveWebSocketSpdyTunnel(
                    r, responder, [factory, options](const http::HttpRequest& inner, http::HttpResponder* resp) {
                        streams::serveSpdyPortForward(inner, resp, factory, options);
                    });
                return;
            }
#endif
            if (streams::isWebSocketUpgrade(r)) {
                streams::serveWebSocketPortForward(r, responder, factory, options);
#ifdef VK_HAVE_SPDY_STREAMS
            } else if (streams::isSpdyUpgrade(r)) {
                streams::serveSpdyPortForward(r, responder, factory, options);
#endif
            } else {
                responder->respond(400, QByteArrayLiteral("text/plain"), QByteArrayLiteral("no SPDY here\n"));
            }
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
        if (test::Kubectl::executable().isEmpty())
            QSKIP("kubectl is not on PATH");
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
        extra.insert(QStringLiteral("KUBECTL_REMOTE_COMMAND_WEBSOCKETS"), QStringLiteral("true"));
        extra.insert(QStringLiteral("KUBECTL_PORT_FORWARD_WEBSOCKETS"), QStringLiteral("true"));
        m_kubectl = std::make_unique<test::Kubectl>(m_fixture.kubeconfigPath(), m_home.path(), extra);
    }

    void execEchoSpeaksWebSocketV5()
    {
        m_seen.clear();
        const test::KubectlResult r = kubectl({QStringLiteral("exec"), QStringLiteral("p"), QStringLiteral("--"),
                                               QStringLiteral("echo"), QStringLiteral("hi")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out, QByteArray("hi\n"));
        QVERIFY2(m_seen.size() == 1, qPrintable(m_seen.join(QLatin1Char('\n'))));
        QVERIFY2(m_seen.first() == QStringLiteral("/exec/default/p/main websocket v5.channel.k8s.io"),
                 qPrintable(m_seen.first()));
    }

    void execNonZeroExitIsReportedWithTheCode()
    {
        const test::KubectlResult r =
            kubectl({QStringLiteral("exec"), QStringLiteral("p"), QStringLiteral("--"), QStringLiteral("sh"),
                     QStringLiteral("-c"), QStringLiteral("echo out; nosuchcmd; exit 3")});
        QVERIFY2(r.err.contains("command terminated with exit code 3"), r.describe().constData());
        QVERIFY2(r.exitCode == 3, r.describe().constData());
        QCOMPARE(r.out, QByteArray("out\n"));
        QVERIFY2(r.err.startsWith("sh: nosuchcmd: command not found") ||
                     r.err.startsWith("nosuchcmd: command not found"),
                 r.describe().constData()); // stderr is a separate channel
    }

    void execPipesStdinUntilEof()
    {
        // kubectl sends the v5 CLOSE signal for stdin at EOF; cat then ends and the exit is reported.
        const test::KubectlResult r = kubectl({QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("p"),
                                               QStringLiteral("--"), QStringLiteral("cat")},
                                              QByteArray("piped line 1\npiped line 2\n"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out, QByteArray("piped line 1\npiped line 2\n"));
    }

    void execWithTtyFlagsWithoutATerminal()
    {
        const test::KubectlResult r = kubectl({QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("-t"),
                                               QStringLiteral("p"), QStringLiteral("--"), QStringLiteral("cat")},
                                              QByteArray("typed\n"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("typed"), r.describe().constData());
    }

    void execOfAnUnknownCommandIs127()
    {
        const test::KubectlResult r =
            kubectl({QStringLiteral("exec"), QStringLiteral("p"), QStringLiteral("--"), QStringLiteral("nosuchcmd")});
        QVERIFY2(r.exitCode == 127, r.describe().constData());
        QVERIFY2(r.err.contains("command terminated with exit code 127"), r.describe().constData());
    }

    void attachEchoesStdin()
    {
        m_seen.clear();
        QProcess* process = m_kubectl->start({QStringLiteral("attach"), QStringLiteral("-i"), QStringLiteral("p")});
        QVERIFY(process->waitForStarted(5000));
        QByteArray out;
        // kubectl connects before it reads stdin; keep writing until the echo comes back.
        QTRY_VERIFY_WITH_TIMEOUT((process->write("ping from attach\n"),
                                  (out += process->readAllStandardOutput()).contains("ping from attach")),
                                 20000);
        process->kill();
        process->waitForFinished(5000);
        delete process;
        QVERIFY2(!m_seen.isEmpty() && m_seen.first().startsWith(QStringLiteral("/attach/default/p/main websocket")),
                 qPrintable(m_seen.join(QLatin1Char('\n'))));
    }

    void portForwardCarriesBytesBothWays()
    {
#ifndef VK_HAVE_SPDY_STREAMS
        QSKIP("kubectl tunnels SPDY through the WebSocket (SPDY/3.1+portforward.k8s.io); this build has no SPDY "
              "transport to serve the tunnelled session");
#endif
        m_seen.clear();
        QProcess* process =
            m_kubectl->start({QStringLiteral("port-forward"), QStringLiteral("pod/p"), QStringLiteral(":8080")});
        QVERIFY(process->waitForStarted(5000));
        QByteArray out;
        static const QRegularExpression forwarding(QStringLiteral("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 8080"));
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT(
            (match = forwarding.match(QString::fromUtf8(out += process->readAllStandardOutput()))).hasMatch(), 20000);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(match.captured(1).toUInt()));
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::ConnectedState, 10000);
        socket.write("hello through port-forward");
        QByteArray echoed;
        QTRY_COMPARE_WITH_TIMEOUT((echoed += socket.readAll()), QByteArray("hello through port-forward"), 15000);
        socket.write("and back");
        echoed.clear();
        QTRY_COMPARE_WITH_TIMEOUT((echoed += socket.readAll()), QByteArray("and back"), 10000);
        socket.disconnectFromHost();
        process->kill();
        process->waitForFinished(5000);
        delete process;
        // One WebSocket upgrade carrying the SPDY tunnel; no fallback to plain SPDY.
        QVERIFY2(m_seen.size() == 1 &&
                     m_seen.first() == QStringLiteral("/portForward/default/p websocket SPDY/3.1+portforward.k8s.io"),
                 qPrintable(m_seen.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(WebSocketKubectlTest)
#include "tst_ws_kubectl.moc"
