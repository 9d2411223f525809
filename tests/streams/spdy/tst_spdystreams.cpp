// SPDX-License-Identifier: Apache-2.0
// serveSpdyRemoteCommand / serveSpdyPortForward against a scripted SPDY client (SpdyFramer on a plain socket):
// protocol negotiation answers, status bodies per protocol version, stdin/resize delivery, PING, flow control,
// protocol errors, timeouts, and port-forward pairs.
#include "http/HttpServer.h"
#include "spdy/SpdyFramer.h"
#include "spdy/SpdyUpgrade.h"
#include "streams/Streams.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTest>

using namespace vk;
using namespace vk::streams::spdy;

namespace {

class FakeSession : public provider::ExecSession
{
    Q_OBJECT
public:
    using provider::ExecSession::ExecSession;
    void writeStdin(const QByteArray& data) override { stdinData += data; }
    void closeStdin() override { stdinClosed = true; }
    void resize(provider::TerminalSize size) override { sizes.append({size.width, size.height}); }
    void cancel() override { cancelled = true; }
    void emitStdout(const QByteArray& d) { Q_EMIT stdoutData(d); }
    void emitStderr(const QByteArray& d) { Q_EMIT stderrData(d); }
    void emitFinished(int code, const Status& s = {}) { Q_EMIT finished(code, s); }

    QByteArray stdinData;
    bool stdinClosed = false;
    bool cancelled = false;
    QList<QPair<int, int>> sizes;
};

class FakeForward : public provider::PortForwardStream
{
    Q_OBJECT
public:
    using provider::PortForwardStream::PortForwardStream;
    void write(const QByteArray& data) override { Q_EMIT dataReceived("echo:" + data); }
    void close() override { closedByAgent = true; }
    void emitClosed(const Status& s) { Q_EMIT closed(s); }
    bool closedByAgent = false;
};

/// The client side: speaks HTTP for the upgrade, then SPDY frames through its own SpdyFramer.
struct Client
{
    QTcpSocket socket;
    SpdyFramer framer;
    QByteArray head;
    bool headDone = false;
    QList<SpdyFrame> frames;

    void connectTo(quint16 port) { socket.connectToHost(QHostAddress::LocalHost, port); }
    void poll()
    {
        QByteArray bytes = socket.readAll();
        if (!headDone) {
            head += bytes;
            const qsizetype end = head.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            headDone = true;
            if (!head.startsWith("HTTP/1.1 101"))
                return; // a plain HTTP answer: the body stays in head
            bytes = head.mid(end + 4);
            head.truncate(end + 4);
        }
        if (head.startsWith("HTTP/1.1 101")) {
            framer.feed(bytes);
            while (auto f = framer.next())
                frames.append(*f);
        } else {
            head += bytes;
        }
    }
    QByteArray dataOn(quint32 id) const
    {
        QByteArray out;
        for (const SpdyFrame& f : frames)
            if (f.type == FrameType::Data && f.streamId == id)
                out += f.data;
        return out;
    }
    bool finOn(quint32 id) const
    {
        for (const SpdyFrame& f : frames)
            if (f.type == FrameType::Data && f.streamId == id && f.fin())
                return true;
        return false;
    }
    int count(FrameType type) const
    {
        return int(std::count_if(frames.begin(), frames.end(), [&](const SpdyFrame& f) { return f.type == type; }));
    }
    void open(quint32 id, const SpdyHeaders& headers, quint8 flags = 0)
    {
        socket.write(framer.encodeSynStream(id, headers, flags));
    }
};

QByteArray upgradeRequest(const QByteArray& target, const QList<QByteArray>& protocols)
{
    QByteArray r = "POST " + target + " HTTP/1.1\r\nHost: kubelet\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n";
    for (const QByteArray& p : protocols)
        r += "X-Stream-Protocol-Version: " + p + "\r\n";
    return r + "Content-Length: 0\r\n\r\n";
}

} // namespace

class SpdyStreamsTest : public QObject
{
    Q_OBJECT

private:
    http::HttpServer m_server;
    quint16 m_port = 0;
    QPointer<FakeSession> m_session;
    QPointer<FakeForward> m_forward;
    provider::ExecRequest m_seenRequest;
    QList<quint16> m_forwardPorts;
    streams::StreamOptions m_options;

private Q_SLOTS:
    void initTestCase()
    {
        m_server.setHandler([this](const http::HttpRequest& r, http::HttpResponder* responder) {
            if (r.path.startsWith(QLatin1String("/exec/"))) {
                provider::ExecRequest base;
                base.podName = QStringLiteral("p");
                base.command = r.queryValues(QStringLiteral("command"));
                streams::serveSpdyRemoteCommand(
                    r, responder, base,
                    [this](const provider::ExecRequest& request, QObject* parent) -> Result<provider::ExecSession*> {
                        m_seenRequest = request;
                        if (request.command.value(0) == QLatin1String("missing"))
                            return Error::notFound(QStringLiteral("no such binary"));
                        m_session = new FakeSession(parent);
                        return m_session.data();
                    },
                    m_options);
            } else {
                streams::serveSpdyPortForward(
                    r, responder,
                    [this](quint16 port, QObject* parent) -> Result<provider::PortForwardStream*> {
                        m_forwardPorts.append(port);
                        if (port == 81)
                            return Error::internal(QStringLiteral("failed to connect to port 81: connection refused"));
                        m_forward = new FakeForward(parent);
                        return m_forward.data();
                    },
                    m_options);
            }
        });
        auto port = m_server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port.ok());
        m_port = *port;
    }

    void init()
    {
        m_options = {};
        m_session = nullptr; // the previous test's session may not be deleted yet
        m_forward = nullptr;
    }

    void handshakeAnswers_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QList<QByteArray>>("protocols");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addColumn<QByteArray>("expected"); // chosen protocol header or body text

        const QByteArray exec = "/exec/ns/p/c?command=ls&stdout=1";
        QTest::newRow("client preference wins among supported versions")
            << exec << QList<QByteArray>{"v4.channel.k8s.io", "v5.channel.k8s.io"} << QByteArray("HTTP/1.1 101")
            << QByteArray("X-Stream-Protocol-Version: v4.channel.k8s.io");
        QTest::newRow("comma-separated values are split")
            << exec << QList<QByteArray>{"v9.channel.k8s.io, v3.channel.k8s.io"} << QByteArray("HTTP/1.1 101")
            << QByteArray("X-Stream-Protocol-Version: v3.channel.k8s.io");
        QTest::newRow("no protocol header is 400 as the kubelet says")
            << exec << QList<QByteArray>{} << QByteArray("HTTP/1.1 400")
            << QByteArray("unable to upgrade: X-Stream-Protocol-Version is required\n");
        QTest::newRow("no common protocol is 403 listing both sides")
            << exec << QList<QByteArray>{"v9.channel.k8s.io"} << QByteArray("HTTP/1.1 403")
            << QByteArray(
                   "unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], server "
                   "accepts [v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io "
                   "channel.k8s.io]\n");
        QTest::newRow("exec without any stream is 400")
            << QByteArray("/exec/ns/p/c?command=ls") << QList<QByteArray>{"v4.channel.k8s.io"}
            << QByteArray("HTTP/1.1 400") << QByteArray("you must specify at least 1 of stdin, stdout, stderr\n");
        QTest::newRow("port-forward speaks portforward.k8s.io only")
            << QByteArray("/portForward/ns/p") << QList<QByteArray>{"v4.channel.k8s.io"} << QByteArray("HTTP/1.1 403")
            << QByteArray("server accepts [portforward.k8s.io]\n");
        QTest::newRow("port-forward upgrade")
            << QByteArray("/portForward/ns/p") << QList<QByteArray>{"portforward.k8s.io"} << QByteArray("HTTP/1.1 101")
            << QByteArray("X-Stream-Protocol-Version: portforward.k8s.io");
    }

    void handshakeAnswers()
    {
        QFETCH(QByteArray, target);
        QFETCH(QList<QByteArray>, protocols);
        QFETCH(QByteArray, statusLine);
        QFETCH(QByteArray, expected);
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest(target, protocols));
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.headDone), 5000);
        if (!statusLine.endsWith("101"))
            QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.head.endsWith(expected)), 5000);
        QVERIFY2(c.head.startsWith(statusLine), c.head.constData());
        QVERIFY2(c.head.contains(expected), c.head.constData());
        if (statusLine.endsWith("403") && target.startsWith("/exec"))
            QVERIFY(c.head.contains("X-Accepted-Stream-Protocol-Versions: v2.channel.k8s.io\r\n"));
    }

    void execV4WritesTheKubeletStatusAndClosesEveryStream_data()
    {
        QTest::addColumn<QByteArray>("protocol");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("errorStream");
        QTest::newRow("v4 success") << QByteArray("v4.channel.k8s.io") << 0
                                    << QByteArray(R"({"metadata":{},"status":"Success"})");
        QTest::newRow("v5 non-zero exit")
            << QByteArray("v5.channel.k8s.io") << 3
            << QByteArray(R"({"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: )"
                          R"(error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode",)"
                          R"("details":{"causes":[{"reason":"ExitCode","message":"3"}]}})");
        QTest::newRow("v3 non-zero exit is plain text")
            << QByteArray("v3.channel.k8s.io") << 3
            << QByteArray("command terminated with non-zero exit code: error executing command [sh -c exit 3], exit "
                          "code 3");
        QTest::newRow("v2 success writes nothing") << QByteArray("v2.channel.k8s.io") << 0 << QByteArray();
    }

    void execV4WritesTheKubeletStatusAndClosesEveryStream()
    {
        QFETCH(QByteArray, protocol);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, errorStream);
        Client c;
        c.connectTo(m_port);
        // The request head and the first frames in one write: the handler must use the bytes after the head.
        c.socket.write(
            upgradeRequest("/exec/ns/p/c?command=sh&command=-c&command=exit+3&stdout=true&stderr=true&stdin=1",
                           {protocol}) +
            c.framer.encodeSynStream(1, {{"streamType", "error"}}));
        c.open(3, {{"streamtype", "stdin"}});
        c.socket.write(SpdyFramer::encodeData(3, "early input"));
        c.open(5, {{"streamtype", "stdout"}});
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.count(FrameType::SynReply) == 3), 5000);
        QVERIFY(!m_session); // stderr still missing
        c.open(7, {{"streamtype", "stderr"}});
        QTRY_VERIFY_WITH_TIMEOUT(m_session, 5000);
        QCOMPARE(m_seenRequest.command,
                 (QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 3")}));
        QVERIFY(m_seenRequest.stdinOpen && m_seenRequest.stdoutWanted && m_seenRequest.stderrWanted);
        QVERIFY(!m_seenRequest.tty);
        QCOMPARE(m_session->stdinData, QByteArray("early input"));
        c.socket.write(SpdyFramer::encodeData(3, " and more", kFlagFin));
        QTRY_VERIFY_WITH_TIMEOUT(m_session->stdinClosed, 5000);
        QCOMPARE(m_session->stdinData, QByteArray("early input and more"));

        m_session->emitStdout("out");
        m_session->emitStderr("err");
        m_session->emitFinished(exitCode);
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.finOn(1) && c.finOn(5) && c.finOn(7)), 5000);
        QCOMPARE(c.dataOn(5), QByteArray("out"));
        QCOMPARE(c.dataOn(7), QByteArray("err"));
        QCOMPARE(c.dataOn(1), errorStream);
        QVERIFY(!c.framer.hasError());
        // The client closing ends the connection on our side too.
        c.socket.disconnectFromHost();
        QTRY_VERIFY_WITH_TIMEOUT(!m_session, 5000);
    }

    void providerFailureIsAnInternalErrorStatus()
    {
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/exec/ns/p/c?command=missing&stdout=1", {"v4.channel.k8s.io"}));
        c.open(1, {{"streamtype", "error"}});
        c.open(3, {{"streamtype", "stdout"}});
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.finOn(1)), 5000);
        const QJsonObject status = QJsonDocument::fromJson(c.dataOn(1)).object();
        QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("Failure"));
        QCOMPARE(status.value(QLatin1String("reason")).toString(), QStringLiteral("InternalError"));
        QCOMPARE(status.value(QLatin1String("code")).toInt(), 500);
        QCOMPARE(status.value(QLatin1String("message")).toString(),
                 QStringLiteral("Internal error occurred: error executing command in container: no such binary"));
    }

    void ttyResizeEventsReachTheSession()
    {
        Client c;
        c.connectTo(m_port);
        c.socket.write(
            upgradeRequest("/exec/ns/p/c?command=sh&stdin=1&stdout=1&stderr=1&tty=1", {"v4.channel.k8s.io"}));
        c.open(1, {{"streamtype", "error"}});
        c.open(3, {{"streamtype", "stdin"}});
        c.open(5, {{"streamtype", "stdout"}});
        c.open(7, {{"streamtype", "resize"}});
        c.socket.write(SpdyFramer::encodeData(7, "{\"Width\":80,\"Height\":24}\n{\"Width\":120,"));
        QTRY_VERIFY_WITH_TIMEOUT(m_session, 5000); // tty: no stderr stream expected
        QVERIFY(m_seenRequest.tty);
        QVERIFY(!m_seenRequest.stderrWanted);
        c.socket.write(SpdyFramer::encodeData(7, "\"Height\":40}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(m_session->sizes, (QList<QPair<int, int>>{{80, 24}, {120, 40}}), 5000);
        m_session->emitFinished(0);
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.finOn(1)), 5000);
    }

    void pingIsAnsweredAndLargeInputIsAcknowledged()
    {
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/exec/ns/p/c?command=cat&stdin=1&stdout=1", {"v4.channel.k8s.io"}));
        c.socket.write(SpdyFramer::encodePing(1));
        c.open(1, {{"streamtype", "error"}});
        c.open(3, {{"streamtype", "stdin"}});
        c.open(5, {{"streamtype", "stdout"}});
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.count(FrameType::Ping) == 1), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_session, 5000);
        c.socket.write(SpdyFramer::encodeData(3, QByteArray(40'000, 'a')));
        c.socket.write(SpdyFramer::encodeData(3, QByteArray(40'000, 'b')));
        QTRY_COMPARE_WITH_TIMEOUT(m_session->stdinData.size(), 80'000, 5000);
        // WINDOW_UPDATEs for the stream and the session give the consumed bytes back.
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.count(FrameType::WindowUpdate) >= 2), 5000);
        quint32 streamCredit = 0;
        quint32 sessionCredit = 0;
        for (const SpdyFrame& f : c.frames)
            if (f.type == FrameType::WindowUpdate)
                (f.streamId == 0 ? sessionCredit : streamCredit) += f.deltaWindowSize;
        QCOMPARE(streamCredit, 80'000u);
        QCOMPARE(sessionCredit, 80'000u);
    }

    void peerWindowsAreHonouredOnceThePeerDoesFlowControl()
    {
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/exec/ns/p/c?command=cat&stdout=1", {"v4.channel.k8s.io"}));
        c.socket.write(SpdyFramer::encodeSettings({{0, kSettingsInitialWindowSize, 1000}}));
        c.open(1, {{"streamtype", "error"}});
        c.open(3, {{"streamtype", "stdout"}});
        QTRY_VERIFY_WITH_TIMEOUT(m_session, 5000);
        m_session->emitStdout(QByteArray(2500, 'x'));
        QTRY_COMPARE_WITH_TIMEOUT((c.poll(), c.dataOn(3).size()), 1000, 5000);
        c.socket.write(SpdyFramer::encodeWindowUpdate(3, 1000));
        QTRY_COMPARE_WITH_TIMEOUT((c.poll(), c.dataOn(3).size()), 2000, 5000);
        c.socket.write(SpdyFramer::encodeWindowUpdate(3, 5000));
        QTRY_COMPARE_WITH_TIMEOUT((c.poll(), c.dataOn(3).size()), 2500, 5000);
        QCOMPARE(c.dataOn(3), QByteArray(2500, 'x'));
    }

    void malformedInputIsGoAwayAndClose()
    {
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/exec/ns/p/c?command=cat&stdout=1", {"v4.channel.k8s.io"}));
        c.open(1, {{"streamtype", "error"}});
        c.socket.write(SpdyFramer::encodeControl(3, 0, QByteArray(8, '\0'))); // RST_STREAM for stream 0
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.count(FrameType::GoAway) == 1), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::UnconnectedState, 5000);
        for (const SpdyFrame& f : c.frames)
            if (f.type == FrameType::GoAway)
                QCOMPARE(f.status, quint32(GoAwayStatus::ProtocolError));
    }

    void streamsThatNeverArriveTimeOut()
    {
        m_options.creationTimeoutMs = 200;
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/exec/ns/p/c?command=cat&stdout=1", {"v4.channel.k8s.io"}));
        c.open(1, {{"streamtype", "error"}});
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(!m_session);
    }

    void idleConnectionsClose()
    {
        m_options.idleTimeoutMs = 300;
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/portForward/ns/p", {"portforward.k8s.io"}));
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.headDone), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::UnconnectedState, 5000);
    }

    void portForwardPairsShareOneConnection()
    {
        m_forwardPorts.clear();
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/portForward/ns/p", {"portforward.k8s.io"}));
        // request 0: port 8080, echoes
        c.open(1, {{"streamtype", "error"}, {"port", "8080"}, {"requestid", "0"}}, kFlagFin);
        c.open(3, {{"streamtype", "data"}, {"port", "8080"}, {"requestid", "0"}});
        QTRY_VERIFY_WITH_TIMEOUT(m_forward, 5000);
        QPointer<FakeForward> first = m_forward;
        c.socket.write(SpdyFramer::encodeData(3, "hello"));
        QTRY_COMPARE_WITH_TIMEOUT((c.poll(), c.dataOn(3)), QByteArray("echo:hello"), 5000);
        // request 1: port 81, refused by the provider
        c.open(5, {{"streamtype", "error"}, {"port", "81"}, {"requestid", "1"}}, kFlagFin);
        c.open(7, {{"streamtype", "data"}, {"port", "81"}, {"requestid", "1"}});
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.finOn(5) && c.finOn(7)), 5000);
        QCOMPARE(c.dataOn(5), QByteArray("error forwarding port 81: failed to connect to port 81: connection refused"));
        // request 2: no port header
        c.open(9, {{"streamtype", "error"}, {"requestid", "2"}}, kFlagFin);
        c.open(11, {{"streamtype", "data"}, {"requestid", "2"}});
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.finOn(9)), 5000);
        QCOMPARE(c.dataOn(9), QByteArray("\"port\" header is required"));
        QCOMPARE(m_forwardPorts, (QList<quint16>{8080, 81}));
        // The client finishing request 0's data stream closes the pod connection and both our streams.
        QVERIFY(first && !first->closedByAgent);
        c.socket.write(SpdyFramer::encodeData(3, {}, kFlagFin));
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.finOn(1) && c.finOn(3)), 5000);
        QVERIFY(c.dataOn(1).isEmpty());
        QVERIFY(!c.framer.hasError());
    }

    void streamsBeyondTheLimitAreRefused()
    {
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/portForward/ns/p", {"portforward.k8s.io"}));
        for (quint32 i = 0; i < 101; ++i)
            c.open(2 * i + 1, {{"streamtype", "error"}, {"port", "8080"}, {"requestid", QByteArray::number(i)}});
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.count(FrameType::SynReply) + c.count(FrameType::RstStream) == 101), 5000);
        QCOMPARE(c.count(FrameType::SynReply), 100);
        const SpdyFrame& refused = *std::find_if(c.frames.begin(), c.frames.end(),
                                                 [](const SpdyFrame& f) { return f.type == FrameType::RstStream; });
        QCOMPARE(refused.streamId, 201u);
        QCOMPARE(refused.status, quint32(RstStatus::RefusedStream));
        QVERIFY(c.socket.state() == QAbstractSocket::ConnectedState);
    }

    void portForwardProviderCloseEndsThePair()
    {
        Client c;
        c.connectTo(m_port);
        c.socket.write(upgradeRequest("/portForward/ns/p", {"portforward.k8s.io"}));
        c.open(1, {{"streamtype", "error"}, {"port", "8080"}, {"requestid", "7"}}, kFlagFin);
        c.open(3, {{"streamtype", "data"}, {"port", "8080"}, {"requestid", "7"}});
        QTRY_VERIFY_WITH_TIMEOUT(m_forward, 5000);
        m_forward->emitClosed(Error::network(QStringLiteral("connection reset by peer")));
        QTRY_VERIFY_WITH_TIMEOUT((c.poll(), c.finOn(1) && c.finOn(3)), 5000);
        QCOMPARE(c.dataOn(1), QByteArray("error forwarding port 8080: connection reset by peer"));
    }
};

QTEST_GUILESS_MAIN(SpdyStreamsTest)
#include "tst_spdystreams.moc"
