// SPDX-License-Identifier: Apache-2.0
// exec/attach and port-forward over WebSocket against our HTTP server, with a QWebSocket client speaking the
// Kubernetes channel protocols and the mock provider (or a recording session) behind the factory.
#include "http/HttpServer.h"
#include "mock/MockProvider.h"
#include "streams/Streams.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

using namespace vk;

namespace {

/// A session that records what the transport does to it.
class RecordingSession : public provider::ExecSession
{
    Q_OBJECT
public:
    using provider::ExecSession::ExecSession;
    void writeStdin(const QByteArray& data) override { stdinData += data; }
    void closeStdin() override { stdinClosed = true; }
    void resize(provider::TerminalSize size) override { sizes.append(size); }
    void cancel() override { cancelled = true; }

    QByteArray stdinData;
    bool stdinClosed = false;
    bool cancelled = false;
    QList<provider::TerminalSize> sizes;
};

/// A client end: every message with its kind, the close code.
struct Client
{
    QWebSocket socket;
    QList<QByteArray> binary;
    QStringList text;
    bool closed = false;
    int closeCode = -1;

    Client()
    {
        QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &socket,
                         [this](const QByteArray& m) { binary.append(m); });
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString& m) { text.append(m); });
        QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
        });
    }
    void open(const QString& url, const QStringList& protocols)
    {
        QWebSocketHandshakeOptions options;
        options.setSubprotocols(protocols);
        socket.open(QNetworkRequest(QUrl(url)), options);
    }
    /// Concatenated payloads of one channel (binary protocols).
    QByteArray channel(quint8 id) const
    {
        QByteArray out;
        for (const QByteArray& m : binary)
            if (!m.isEmpty() && quint8(m.at(0)) == id)
                out += m.mid(1);
        return out;
    }
};

/// kubectl's SPDY tunnel needs a raw client: Qt's QWebSocket refuses the "SPDY/3.1+..." subprotocol name.
struct RawTunnelClient
{
    QTcpSocket socket;
    QByteArray in;
    QByteArray head;
    QByteArray data; ///< concatenated binary payloads
    int closeCode = -1;
    QByteArray closeReason;

    static QByteArray masked(quint8 opcode, const QByteArray& payload)
    {
        QByteArray out;
        out.append(char(0x80 | opcode));
        out.append(char(0x80 | payload.size())); // payloads < 126 in these tests
        const QByteArray mask("\x12\x34\x56\x78", 4);
        out.append(mask);
        for (qsizetype i = 0; i < payload.size(); ++i)
            out.append(char(payload[i] ^ mask[i % 4]));
        return out;
    }
    void send(const QByteArray& payload) { socket.write(masked(0x2, payload)); }
    /// Reads what arrived: the response head, then server frames (unmasked, short).
    void pump()
    {
        in += socket.readAll();
        if (head.isEmpty()) {
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            head = in.left(end + 4);
            in.remove(0, end + 4);
        }
        while (in.size() >= 2) {
            const quint8 opcode = quint8(in[0]) & 0x0F;
            qsizetype length = quint8(in[1]) & 0x7F;
            qsizetype header = 2;
            if (length == 126) {
                if (in.size() < 4)
                    return;
                length = (quint8(in[2]) << 8) | quint8(in[3]);
                header = 4;
            }
            if (in.size() < header + length)
                return;
            const QByteArray payload = in.mid(header, length);
            in.remove(0, header + length);
            if (opcode == 0x2)
                data += payload;
            else if (opcode == 0x8 && payload.size() >= 2) {
                closeCode = (quint8(payload[0]) << 8) | quint8(payload[1]);
                closeReason = payload.mid(2);
            }
        }
    }
    void open(quint16 port, const QByteArray& target)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        socket.write("GET " + target +
                     " HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n");
    }
};

} // namespace

class WebSocketStreamsTest : public QObject
{
    Q_OBJECT

private:
    http::HttpServer m_server;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<mock::MockProvider> m_provider;
    streams::StreamOptions m_options;
    QPointer<RecordingSession> m_recording;
    bool m_failFactory = false;
    bool m_tunnel = false;          ///< route SPDY tunnels to the echoing SPDY stand-in below
    bool m_refuseTunnelled = false; ///< the stand-in answers 404 instead of 101
    QList<http::HttpRequest> m_tunnelled;
    QList<QPointer<QTcpSocket>> m_tunnelSockets;
    QString m_base;

    /// A stand-in SPDY handler: answers 101 and echoes every byte (the tunnel does not look inside).
    void echoSpdy(const http::HttpRequest& request, http::HttpResponder* responder)
    {
        m_tunnelled.append(request);
        if (m_refuseTunnelled) {
            responder->respond(404, "text/plain", "no such pod\n");
            return;
        }
        QByteArray early;
        QTcpSocket* socket = responder->takeSocket(false, &early);
        QVERIFY(socket);
        socket->setParent(this);
        m_tunnelSockets.append(socket);
        socket->write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                      "X-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n");
        socket->write(early);
        connect(socket, &QIODevice::readyRead, socket, [socket] { socket->write(socket->readAll()); });
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    }

    QString url(const QString& pathAndQuery) const { return m_base + pathAndQuery; }

    void route(const http::HttpRequest& request, http::HttpResponder* responder)
    {
        const QStringList parts = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.size() >= 4 && (parts[0] == QLatin1String("exec") || parts[0] == QLatin1String("attach") ||
                                  parts[0] == QLatin1String("record"))) {
            provider::ExecRequest base;
            base.namespaceName = parts[1];
            base.podName = parts[2];
            base.container = parts[3];
            base.command = request.queryValues(QStringLiteral("command"));
            const QString kind = parts[0];
            streams::serveWebSocketRemoteCommand(
                request, responder, base,
                [this, kind](const provider::ExecRequest& r, QObject* parent) -> Result<provider::ExecSession*> {
                    if (m_failFactory)
                        return Error::notFound(QStringLiteral("pod \"nope\" not found"));
                    if (kind == QLatin1String("record")) {
                        m_recording = new RecordingSession(parent);
                        return static_cast<provider::ExecSession*>(m_recording.data());
                    }
                    return kind == QLatin1String("exec") ? m_provider->exec(r, parent) : m_provider->attach(r, parent);
                },
                m_options);
        } else if (m_tunnel && streams::isWebSocketSpdyTunnel(request)) {
            streams::serveWebSocketSpdyTunnel(
                request, responder,
                [this](const http::HttpRequest& r, http::HttpResponder* resp) { echoSpdy(r, resp); });
        } else if (parts.size() == 3 && parts[0] == QLatin1String("portForward")) {
            const QString ns = parts[1];
            const QString pod = parts[2];
            streams::serveWebSocketPortForward(
                request, responder,
                [this, ns, pod](quint16 port, QObject* parent) {
                    return m_provider->portForward(ns, pod, port, parent);
                },
                m_options);
        } else {
            responder->respond(404, "text/plain", "404 page not found\n");
        }
    }

    static QJsonObject json(const QByteArray& bytes) { return QJsonDocument::fromJson(bytes).object(); }

    /// Sends a raw upgrade request and stores the status line.
    void rawUpgrade(const QByteArray& target, const QByteArray& protocols, QByteArray* statusLine)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.serverPort());
        socket.write("GET " + target +
                     " HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                     (protocols.isEmpty() ? QByteArray() : "Sec-WebSocket-Protocol: " + protocols + "\r\n") + "\r\n");
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).contains("\r\n\r\n"), 5000);
        *statusLine = received.left(received.indexOf("\r\n"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.setHandler(
            [this](const http::HttpRequest& r, http::HttpResponder* responder) { route(r, responder); });
        auto port = m_server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port.ok());
        m_base = QStringLiteral("ws://127.0.0.1:%1").arg(port.value());
    }

    void init()
    {
        m_options = {};
        m_failFactory = false;
        m_tunnel = false;
        m_refuseTunnelled = false;
        m_tunnelled.clear();
        m_clock = std::make_unique<ManualClock>();
        provider::ProviderConfig config;
        config.nodeName = QStringLiteral("vk-node");
        m_provider = std::make_unique<mock::MockProvider>(mock::MockNodeConfig(), config, m_clock.get());
        const QJsonObject container{
            {QStringLiteral("name"), QStringLiteral("web")},
            {QStringLiteral("image"), QStringLiteral("nginx")},
            {QStringLiteral("ports"), QJsonArray{QJsonObject{{QStringLiteral("containerPort"), 80}}}}};
        const QJsonObject pod{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("web")},
                                                     {QStringLiteral("namespace"), QStringLiteral("default")},
                                                     {QStringLiteral("uid"), QStringLiteral("uid-web")}}},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("vk-node")},
                                                 {QStringLiteral("containers"), QJsonArray{container}}}}};
        std::optional<Status> created;
        m_provider->createPod(pod, this, [&created](Status s) { created = s; });
        QTRY_VERIFY(created.has_value());
        QVERIFY(created->ok());
    }

    void execEchoOverV5()
    {
        Client c;
        c.open(url(QStringLiteral("/exec/default/web/web?command=echo&command=hi&stdout=true&stderr=true")),
               {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        QCOMPARE(c.socket.subprotocol(), QStringLiteral("v5.channel.k8s.io"));
        QCOMPARE(c.closeCode, 1000);
        QVERIFY(c.text.isEmpty());
        // the kubelet's connected signal, the output, then the status
        QCOMPARE(c.binary.value(0), QByteArray("\x01"));
        QCOMPARE(c.channel(1), QByteArray("hi\n"));
        QCOMPARE(c.binary.last(), QByteArray("\x03{\"metadata\":{},\"status\":\"Success\"}"));
    }

    void nonZeroExitIsAStatusWithTheExitCode_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::newRow("v5") << QStringLiteral("v5.channel.k8s.io");
        QTest::newRow("v4") << QStringLiteral("v4.channel.k8s.io");
    }
    void nonZeroExitIsAStatusWithTheExitCode()
    {
        QFETCH(QString, protocol);
        Client c;
        c.open(url(QStringLiteral("/exec/default/web/web?command=sh&command=-c&command=exit%203&stdout=true")),
               {protocol});
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        QCOMPARE(c.closeCode, 1000);
        const QJsonObject status = json(c.channel(3));
        QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("Failure"));
        QCOMPARE(status.value(QLatin1String("reason")).toString(), QStringLiteral("NonZeroExitCode"));
        const QJsonObject cause =
            status.value(QLatin1String("details")).toObject().value(QLatin1String("causes")).toArray().at(0).toObject();
        QCOMPARE(cause.value(QLatin1String("reason")).toString(), QStringLiteral("ExitCode"));
        QCOMPARE(cause.value(QLatin1String("message")).toString(), QStringLiteral("3"));
    }

    void preV4ReportsFailureAsText()
    {
        Client c;
        c.open(url(QStringLiteral("/exec/default/web/web?command=false&stdout=true")),
               {QStringLiteral("channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        QVERIFY2(c.channel(3).startsWith("command terminated with non-zero exit code"), c.channel(3).constData());
    }

    void stdinIsCopiedUntilTheV5CloseSignal()
    {
        Client c;
        c.open(url(QStringLiteral("/exec/default/web/web?command=cat&stdin=true&stdout=true&stderr=true")),
               {QStringLiteral("v5.channel.k8s.io"), QStringLiteral("v4.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::ConnectedState, 5000);
        c.socket.sendBinaryMessage(QByteArray("\x00hello\n", 7));
        c.socket.sendBinaryMessage(QByteArray("\x00world\n", 7));
        QTRY_COMPARE_WITH_TIMEOUT(c.channel(1), QByteArray("hello\nworld\n"), 5000);
        QVERIFY(!c.closed);
        c.socket.sendBinaryMessage(QByteArray("\xff\x00", 2));
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        QCOMPARE(json(c.channel(3)).value(QLatin1String("status")).toString(), QStringLiteral("Success"));
    }

    void base64ProtocolUsesTextMessages()
    {
        Client c;
        c.open(url(QStringLiteral("/exec/default/web/web?command=cat&stdin=true&stdout=true")),
               {QStringLiteral("base64.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::ConnectedState, 5000);
        QCOMPARE(c.socket.subprotocol(), QStringLiteral("base64.channel.k8s.io"));
        c.socket.sendTextMessage(QStringLiteral("0") + QString::fromLatin1(QByteArray("foo\n").toBase64()));
        QTRY_VERIFY_WITH_TIMEOUT(c.text.contains(QStringLiteral("1Zm9vCg==")), 5000);
        QCOMPARE(c.text.first(), QStringLiteral("1")); // the connected signal: channel 1, empty payload
        QVERIFY(c.binary.isEmpty());
        c.socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
    }

    void resizeReachesTheSessionAndMalformedOnesAreIgnored()
    {
        Client c;
        c.open(url(QStringLiteral("/record/default/web/web?command=sh&stdin=true&stdout=true&tty=true")),
               {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(m_recording && c.socket.state() == QAbstractSocket::ConnectedState, 5000);
        c.socket.sendBinaryMessage("\x04{\"Width\":100,\"Height\":40}\n");
        c.socket.sendBinaryMessage("\x04not json");
        c.socket.sendBinaryMessage("\x04{\"Width\":-3}");
        c.socket.sendBinaryMessage(QByteArray("\x00ls\n", 4));
        QTRY_COMPARE_WITH_TIMEOUT(m_recording->stdinData, QByteArray("ls\n"), 5000);
        QCOMPARE(m_recording->sizes.size(), 1);
        QCOMPARE(int(m_recording->sizes.first().width), 100);
        QCOMPARE(int(m_recording->sizes.first().height), 40);
        Q_EMIT m_recording->stdoutData("out");
        Q_EMIT m_recording->finished(0, Status());
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        QCOMPARE(c.channel(1), QByteArray("out"));
        QVERIFY(!m_recording); // the connection and its session are gone
    }

    void unknownChannelsAndGarbageAreIgnored()
    {
        Client c;
        c.open(url(QStringLiteral("/record/default/web/web?stdin=true&stdout=true")),
               {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(m_recording && c.socket.state() == QAbstractSocket::ConnectedState, 5000);
        c.socket.sendBinaryMessage(QByteArray());
        c.socket.sendBinaryMessage("\x09zzz");
        c.socket.sendBinaryMessage("\xff");
        c.socket.sendBinaryMessage("\xff\x07");
        c.socket.sendBinaryMessage("\x01written to stdout by the client");
        c.socket.sendBinaryMessage("\x04{\"Width\":1,\"Height\":1}"); // no tty: resize is not forwarded
        c.socket.sendTextMessage(QStringLiteral("garbage text"));
        c.socket.sendBinaryMessage(QByteArray("\x00ok", 3));
        QTRY_COMPARE_WITH_TIMEOUT(m_recording->stdinData, QByteArray("ok"), 5000);
        QVERIFY(m_recording->sizes.isEmpty());
        QVERIFY(!m_recording->stdinClosed);
        QVERIFY(!c.closed);
        c.socket.sendBinaryMessage(QByteArray("\xff\x00", 2));
        QTRY_VERIFY_WITH_TIMEOUT(m_recording->stdinClosed, 5000);
        c.socket.close();
    }

    void clientCloseCancelsTheSession()
    {
        Client c;
        c.open(url(QStringLiteral("/record/default/web/web?stdout=true")), {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(m_recording && c.socket.state() == QAbstractSocket::ConnectedState, 5000);
        QPointer<RecordingSession> session = m_recording;
        bool cancelled = false;
        connect(session, &QObject::destroyed, this, [&cancelled, s = session.data()] { cancelled = s->cancelled; });
        c.socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(!session, 5000);
        QVERIFY(cancelled);
    }

    void oversizedMessageClosesTheConnection()
    {
        Client c;
        c.open(url(QStringLiteral("/record/default/web/web?stdin=true&stdout=true")),
               {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(m_recording && c.socket.state() == QAbstractSocket::ConnectedState, 5000);
        QByteArray huge(5 * 1024 * 1024, 'x');
        huge[0] = '\0';
        c.socket.sendBinaryMessage(huge);
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000);
        QCOMPARE(c.closeCode, 1009);
        QTRY_VERIFY_WITH_TIMEOUT(!m_recording, 5000);
    }

    void idleConnectionIsClosed()
    {
        m_options.idleTimeoutMs = 300;
        Client c;
        c.open(url(QStringLiteral("/record/default/web/web?stdout=true")), {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(m_recording, 5000);
        QPointer<RecordingSession> session = m_recording;
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        QCOMPARE(c.closeCode, 1001);
        QVERIFY(c.channel(3).isEmpty()); // no success status: the client sees an abnormal end
    }

    void factoryFailureIsAnInternalErrorStatus()
    {
        m_failFactory = true;
        Client c;
        c.open(url(QStringLiteral("/exec/default/nope/web?command=true&stdout=true")),
               {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        const QJsonObject status = json(c.channel(3));
        QCOMPARE(status.value(QLatin1String("reason")).toString(), QStringLiteral("InternalError"));
        QVERIFY(status.value(QLatin1String("message")).toString().contains(QStringLiteral("pod \"nope\" not found")));
    }

    void attachStreamsTheContainer()
    {
        Client c;
        c.open(url(QStringLiteral("/attach/default/web/web?stdin=true&stdout=true")),
               {QStringLiteral("v5.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::ConnectedState, 5000);
        c.socket.sendBinaryMessage(QByteArray("\x00typed\n", 7));
        QTRY_VERIFY_WITH_TIMEOUT(c.channel(1).contains("typed\n"), 5000);
        c.socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
    }

    void refusedUpgrades_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("protocols");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::newRow("SPDY tunnelling for exec is refused with 403")
            << QByteArray("/exec/default/web/web?command=true&stdout=true") << QByteArray("SPDY/3.1+v5.channel.k8s.io")
            << QByteArray("HTTP/1.1 403 Forbidden");
        QTest::newRow("SPDY tunnelling for port-forward is refused with 403 (kubectl falls back to SPDY)")
            << QByteArray("/portForward/default/web") << QByteArray("SPDY/3.1+portforward.k8s.io")
            << QByteArray("HTTP/1.1 403 Forbidden");
        QTest::newRow("exec without any stream is 400")
            << QByteArray("/exec/default/web/web?command=true&stdout=false") << QByteArray("v5.channel.k8s.io")
            << QByteArray("HTTP/1.1 400 Bad Request");
        QTest::newRow("port-forward without ports is 400")
            << QByteArray("/portForward/default/web") << QByteArray("v4.channel.k8s.io")
            << QByteArray("HTTP/1.1 400 Bad Request");
        QTest::newRow("port-forward with a bad port is 400")
            << QByteArray("/portForward/default/web?port=http") << QByteArray("v4.channel.k8s.io")
            << QByteArray("HTTP/1.1 400 Bad Request");
        QTest::newRow("no subprotocol is the v1 channel protocol")
            << QByteArray("/exec/default/web/web?command=true&stdout=true") << QByteArray()
            << QByteArray("HTTP/1.1 101 Switching Protocols");
    }
    void refusedUpgrades()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, protocols);
        QFETCH(QByteArray, statusLine);
        QByteArray seen;
        rawUpgrade(target, protocols, &seen);
        QCOMPARE(seen, statusLine);
    }

    void malformedHandshakeIsAnsweredAndClosed()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.serverPort());
        socket.write("GET /exec/default/web/web?command=true&stdout=true HTTP/1.1\r\nHost: localhost\r\n"
                     "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n"); // no Sec-WebSocket-Key
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState),
                                 5000);
        QVERIFY2(received.startsWith("HTTP/1.1 400"), QByteArray("[" + received + "]").constData());
        QVERIFY2(received.contains("missing Sec-WebSocket-Key"), received.constData());
    }

    void portForwardCarriesBytesBothWays()
    {
        Client c;
        c.open(url(QStringLiteral("/portForward/default/web?ports=80")), {QStringLiteral("v4.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.binary.size() >= 2, 5000);
        QCOMPARE(c.socket.subprotocol(), QStringLiteral("v4.channel.k8s.io"));
        QCOMPARE(c.binary.at(0), QByteArray("\x00\x50\x00", 3)); // data channel: port 80 little-endian
        QCOMPARE(c.binary.at(1), QByteArray("\x01\x50\x00", 3)); // error channel
        c.socket.sendBinaryMessage(QByteArray("\x00ping", 5));
        QTRY_COMPARE_WITH_TIMEOUT(c.channel(0), QByteArray("\x50\x00ping", 6), 5000);
        c.socket.sendBinaryMessage(QByteArray("\x01ignored: error channels are one-way", 36));
        c.socket.sendBinaryMessage(QByteArray("\x00pong", 5));
        QTRY_COMPARE_WITH_TIMEOUT(c.channel(0), QByteArray("\x50\x00pingpong", 10), 5000);
        c.socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
    }

    void portForwardReportsARefusedPortOnItsErrorChannel()
    {
        Client c;
        c.open(url(QStringLiteral("/portForward/default/web?port=80&port=81")), {QStringLiteral("v4.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.channel(3).size() > 2, 5000);
        QCOMPARE(c.channel(2), QByteArray("\x51\x00", 2));
        const QByteArray error = c.channel(3).mid(2);
        QVERIFY2(error.startsWith("error forwarding port 81 to pod default/web: "), error.constData());
        QVERIFY2(error.contains("connection refused"), error.constData());
        // port 80 still works
        c.socket.sendBinaryMessage(QByteArray("\x00still", 6));
        QTRY_COMPARE_WITH_TIMEOUT(c.channel(0), QByteArray("\x50\x00still", 7), 5000);
        c.socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
    }

    void portForwardClosesWhenEveryPortIsDone()
    {
        Client c;
        c.open(url(QStringLiteral("/portForward/default/web?port=81")), {QStringLiteral("v4.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 5000);
        QCOMPARE(c.closeCode, 1000);
        QVERIFY(c.channel(1).contains("connection refused"));
    }

    void portForwardOverBase64()
    {
        Client c;
        c.open(url(QStringLiteral("/portForward/default/web?port=80")), {QStringLiteral("v4.base64.channel.k8s.io")});
        QTRY_VERIFY_WITH_TIMEOUT(c.text.size() >= 2, 5000);
        QCOMPARE(c.text.at(0), QStringLiteral("0UAA=")); // base64 of 50 00
        c.socket.sendTextMessage(QStringLiteral("0") + QString::fromLatin1(QByteArray("abc").toBase64()));
        QTRY_VERIFY_WITH_TIMEOUT(c.text.contains(QStringLiteral("0YWJj")), 5000);
        c.socket.close();
    }

    // --- kubectl's SPDY tunnel (raw client: Qt's QWebSocket refuses the "SPDY/3.1+..." subprotocol name) --------
    void spdyTunnelCarriesBytesBothWays()
    {
        m_tunnel = true;
        RawTunnelClient c;
        c.open(m_server.serverPort(), "/portForward/default/web");
        // kubectl sends its first SPDY frame right after the handshake
        c.send(QByteArray("\x80\x03\x00\x01"
                          "first frame",
                          15));
        QTRY_VERIFY_WITH_TIMEOUT((c.pump(), !c.head.isEmpty()), 5000);
        QVERIFY2(c.head.startsWith("HTTP/1.1 101"), c.head.constData());
        QVERIFY2(c.head.contains("Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n"), c.head.constData());
        // RFC 6455's example key and accept value
        QVERIFY2(c.head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), c.head.constData());
        c.send("second");
        QTRY_COMPARE_WITH_TIMEOUT((c.pump(), c.data),
                                  QByteArray("\x80\x03\x00\x01"
                                             "first framesecond",
                                             21),
                                  5000);
        QCOMPARE(m_tunnelled.size(), 1);
        const http::HttpRequest& inner = m_tunnelled.first();
        QCOMPARE(inner.method, QByteArray("POST"));
        QCOMPARE(inner.path, QStringLiteral("/portForward/default/web"));
        QCOMPARE(inner.upgradeProtocol(), QByteArray("spdy/3.1"));
        QCOMPARE(inner.header("x-stream-protocol-version"), QByteArray("portforward.k8s.io"));
        // a ping is answered, then a close ends the SPDY side too
        c.socket.write(RawTunnelClient::masked(0x9, "hb"));
        QVERIFY(!m_tunnelSockets.isEmpty() && m_tunnelSockets.last());
        QPointer<QTcpSocket> inside = m_tunnelSockets.last();
        c.socket.write(RawTunnelClient::masked(0x8, QByteArray("\x03\xe8", 2)));
        QTRY_VERIFY_WITH_TIMEOUT((c.pump(), c.closeCode == 1000), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!inside || inside->state() == QAbstractSocket::UnconnectedState, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::UnconnectedState, 5000);
    }

    void spdyTunnelEndsWhenTheSpdySideCloses()
    {
        m_tunnel = true;
        RawTunnelClient c;
        c.open(m_server.serverPort(), "/portForward/default/web");
        QTRY_VERIFY_WITH_TIMEOUT(!m_tunnelSockets.isEmpty() && m_tunnelSockets.last(), 5000);
        m_tunnelSockets.last()->disconnectFromHost();
        QTRY_VERIFY_WITH_TIMEOUT((c.pump(), c.closeCode == 1000), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(c.socket.state() == QAbstractSocket::UnconnectedState, 5000);
    }

    void spdyTunnelRefusedByItsHandlerClosesWith1011()
    {
        m_tunnel = true;
        m_refuseTunnelled = true;
        RawTunnelClient c;
        c.open(m_server.serverPort(), "/portForward/default/web");
        QTRY_VERIFY_WITH_TIMEOUT((c.pump(), c.closeCode == 1011), 5000);
        QCOMPARE(c.closeReason, QByteArray("HTTP/1.1 404 Not Found"));
    }

    void spdyTunnelRejectsUnmaskedFrames()
    {
        m_tunnel = true;
        RawTunnelClient c;
        c.open(m_server.serverPort(), "/portForward/default/web");
        c.socket.write(QByteArray("\x82\x03"
                                  "abc",
                                  5));
        QTRY_VERIFY_WITH_TIMEOUT((c.pump(), c.closeCode == 1002), 5000);
    }

    void cleanupTestCase() { m_server.close(); }
};

QTEST_GUILESS_MAIN(WebSocketStreamsTest)
#include "tst_ws_streams.moc"
