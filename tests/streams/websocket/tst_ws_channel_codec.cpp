// SPDX-License-Identifier: Apache-2.0
// The socket-free channel framing: binary v4/v5, base64 text, the v5 close signal, resize JSON and malformed input.
#include "streams/websocket/ChannelCodec.h"
#include "streams/websocket/PortForwardConnection.h"
#include "streams/websocket/RemoteCommandConnection.h"
#include "streams/websocket/WebSocketFramer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace vk;
using namespace vk::streams::ws;

Q_DECLARE_METATYPE(vk::streams::ws::ChannelMessage::Kind)

namespace {
/// A client frame: masked, FIN as given.
QByteArray clientFrame(quint8 opcode, const QByteArray& payload, bool fin = true)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | opcode));
    if (payload.size() < 126) {
        out.append(char(0x80 | payload.size()));
    } else {
        out.append(char(0x80 | 126));
        out.append(char(payload.size() >> 8));
        out.append(char(payload.size() & 0xFF));
    }
    const QByteArray mask("\x01\x02\x03\x04", 4);
    out.append(mask);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ mask[i % 4]));
    return out;
}
} // namespace

class ChannelCodecTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void protocolNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("known");
        QTest::addColumn<int>("version");
        QTest::addColumn<bool>("base64");
        QTest::addColumn<bool>("closeSignal");
        QTest::newRow("no subprotocol is v1 binary") << QString() << true << 1 << false << false;
        QTest::newRow("channel.k8s.io is v1 binary") << QStringLiteral("channel.k8s.io") << true << 1 << false << false;
        QTest::newRow("base64.channel.k8s.io is v1 text")
            << QStringLiteral("base64.channel.k8s.io") << true << 1 << true << false;
        QTest::newRow("v4.channel.k8s.io") << QStringLiteral("v4.channel.k8s.io") << true << 4 << false << false;
        QTest::newRow("v4.base64.channel.k8s.io")
            << QStringLiteral("v4.base64.channel.k8s.io") << true << 4 << true << false;
        QTest::newRow("v5.channel.k8s.io has the close signal")
            << QStringLiteral("v5.channel.k8s.io") << true << 5 << false << true;
        QTest::newRow("SPDY tunnelling is not a channel protocol")
            << QStringLiteral("SPDY/3.1+portforward.k8s.io") << false << 0 << false << false;
        QTest::newRow("v6 is unknown") << QStringLiteral("v6.channel.k8s.io") << false << 0 << false << false;
    }
    void protocolNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, known);
        const auto protocol = ChannelProtocol::fromName(name);
        QCOMPARE(protocol.has_value(), known);
        if (!known)
            return;
        QFETCH(int, version);
        QFETCH(bool, base64);
        QFETCH(bool, closeSignal);
        QCOMPARE(protocol->version, version);
        QCOMPARE(protocol->base64, base64);
        QCOMPARE(protocol->hasCloseSignal(), closeSignal);
    }

    void decode_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<ChannelMessage::Kind>("kind");
        QTest::addColumn<int>("channel");
        QTest::addColumn<QByteArray>("payload");

        const QString v4 = QStringLiteral("v4.channel.k8s.io");
        const QString v5 = QStringLiteral("v5.channel.k8s.io");
        const QString b64 = QStringLiteral("base64.channel.k8s.io");
        QTest::newRow("v4 stdin bytes") << v4
                                        << QByteArray("\x00"
                                                      "foo\n",
                                                      5)
                                        << ChannelMessage::Data << 0 << QByteArray("foo\n");
        QTest::newRow("v4 resize channel")
            << v4 << QByteArray("\x04{}", 3) << ChannelMessage::Data << 4 << QByteArray("{}");
        QTest::newRow("a channel byte alone is an empty payload")
            << v4 << QByteArray("\x00", 1) << ChannelMessage::Data << 0 << QByteArray();
        QTest::newRow("binary payload keeps NUL and high bytes")
            << v5 << QByteArray("\x00\x00\xff\x80", 4) << ChannelMessage::Data << 0 << QByteArray("\x00\xff\x80", 3);
        QTest::newRow("v5 close of stdin")
            << v5 << QByteArray("\xff\x00", 2) << ChannelMessage::Close << 0 << QByteArray();
        QTest::newRow("v5 close signal with extra bytes is ignored")
            << v5 << QByteArray("\xff\x00\x01", 3) << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("v5 close signal without a channel is ignored")
            << v5 << QByteArray("\xff", 1) << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("v5 close of an unknown channel is ignored")
            << v5 << QByteArray("\xff\x09", 2) << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("v4 has no close signal: 255 is an unknown channel")
            << v4 << QByteArray("\xff\x00", 2) << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("unknown channel is ignored")
            << v4 << QByteArray("\x07x", 2) << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("empty message is ignored") << v4 << QByteArray() << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("base64 stdin") << b64 << QByteArray("0Zm9vCg==") << ChannelMessage::Data << 0
                                      << QByteArray("foo\n");
        QTest::newRow("base64 resize") << b64 << QByteArray("4e30=") << ChannelMessage::Data << 4 << QByteArray("{}");
        QTest::newRow("base64 channel digit alone")
            << b64 << QByteArray("0") << ChannelMessage::Data << 0 << QByteArray();
        QTest::newRow("base64 with invalid payload is ignored")
            << b64 << QByteArray("0!!!!") << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("base64 channel below '0' is ignored")
            << b64 << QByteArray("/Zm9v") << ChannelMessage::Ignored << 0 << QByteArray();
        QTest::newRow("base64 channel beyond the last is ignored")
            << b64 << QByteArray("9Zm9v") << ChannelMessage::Ignored << 0 << QByteArray();
    }
    void decode()
    {
        QFETCH(QString, protocol);
        QFETCH(QByteArray, message);
        QFETCH(ChannelMessage::Kind, kind);
        QFETCH(int, channel);
        QFETCH(QByteArray, payload);
        ChannelCodec codec(*ChannelProtocol::fromName(protocol), 5);
        const ChannelMessage decoded = codec.decode(message);
        QCOMPARE(decoded.kind, kind);
        if (kind == ChannelMessage::Ignored) {
            QVERIFY(!decoded.reason.isEmpty());
            return;
        }
        QCOMPARE(int(decoded.channel), channel);
        QCOMPARE(decoded.payload, payload);
    }

    void oversizedMessageIsIgnored()
    {
        ChannelCodec codec(ChannelProtocol{5, false}, 5, 16);
        QCOMPARE(codec.decode(QByteArray(17, '\0')).kind, ChannelMessage::Ignored);
        QCOMPARE(codec.decode(QByteArray(16, '\0')).kind, ChannelMessage::Data);
    }

    void encode_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<int>("channel");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("binary stdout prefixes the channel byte")
            << QStringLiteral("v5.channel.k8s.io") << 1 << QByteArray("hi\n") << QByteArray("\x01hi\n");
        QTest::newRow("binary empty handshake message is the channel alone")
            << QStringLiteral("v4.channel.k8s.io") << 1 << QByteArray() << QByteArray("\x01");
        QTest::newRow("base64 stdout is a digit and base64")
            << QStringLiteral("base64.channel.k8s.io") << 1 << QByteArray("\n") << QByteArray("1Cg==");
        QTest::newRow("base64 error channel")
            << QStringLiteral("v4.base64.channel.k8s.io") << 3 << QByteArray("x") << QByteArray("3eA==");
    }
    void encode()
    {
        QFETCH(QString, protocol);
        QFETCH(int, channel);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, message);
        ChannelCodec codec(*ChannelProtocol::fromName(protocol), 5);
        QCOMPARE(codec.encode(quint8(channel), payload), message);
        QCOMPARE(codec.decode(message).payload, payload); // round trip
    }

    void resize_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("client-go's encoding with newline")
            << QByteArray("{\"Width\":80,\"Height\":24}\n") << true << 80 << 24;
        QTest::newRow("lower-case keys as Go decodes them")
            << QByteArray("{\"width\":100,\"height\":50}") << true << 100 << 50;
        QTest::newRow("width only") << QByteArray("{\"Width\":120}") << true << 120 << 0;
        QTest::newRow("unknown keys are skipped")
            << QByteArray("{\"Width\":1,\"Height\":2,\"x\":\"y\"}") << true << 1 << 2;
        QTest::newRow("not JSON") << QByteArray("80x24") << false << 0 << 0;
        QTest::newRow("an array") << QByteArray("[80,24]") << false << 0 << 0;
        QTest::newRow("no size keys") << QByteArray("{\"cols\":80}") << false << 0 << 0;
        QTest::newRow("negative width") << QByteArray("{\"Width\":-1,\"Height\":24}") << false << 0 << 0;
        QTest::newRow("width beyond uint16") << QByteArray("{\"Width\":70000,\"Height\":24}") << false << 0 << 0;
        QTest::newRow("fractional height") << QByteArray("{\"Width\":80,\"Height\":2.5}") << false << 0 << 0;
        QTest::newRow("string width") << QByteArray("{\"Width\":\"80\",\"Height\":24}") << false << 0 << 0;
        QTest::newRow("empty") << QByteArray() << false << 0 << 0;
    }
    void resize()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        const auto size = parseTerminalSize(json);
        QCOMPARE(size.has_value(), valid);
        if (!valid)
            return;
        QFETCH(int, width);
        QFETCH(int, height);
        QCOMPARE(int(size->width), width);
        QCOMPARE(int(size->height), height);
    }

    void statusJsonAsTheKubeletWritesIt()
    {
        const QStringList command{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 3")};
        QCOMPARE(RemoteCommandConnection::statusJson(command, 0, Status()),
                 QByteArray("{\"metadata\":{},\"status\":\"Success\"}"));
        const QByteArray failure = RemoteCommandConnection::statusJson(command, 3, Status());
        QCOMPARE(failure, QByteArray("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with "
                                     "non-zero exit code: error executing command [sh -c exit 3], exit code 3\","
                                     "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
                                     "\"ExitCode\",\"message\":\"3\"}]}}"));
        const QJsonObject internal =
            QJsonDocument::fromJson(
                RemoteCommandConnection::statusJson(command, -1, Error::internal(QStringLiteral("no \"pod\""))))
                .object();
        QCOMPARE(internal.value(QLatin1String("reason")).toString(), QStringLiteral("InternalError"));
        QCOMPARE(internal.value(QLatin1String("code")).toInt(), 500);
        QCOMPARE(internal.value(QLatin1String("message")).toString(),
                 QStringLiteral("Internal error occurred: error executing command in container: no \"pod\""));
        QVERIFY(RemoteCommandConnection::statusText(command, 0, Status()).isEmpty());
        QVERIFY(RemoteCommandConnection::statusText(command, 3, Status()).startsWith("command terminated"));
    }

    void framer_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("errorCode");
        QTest::addColumn<QStringList>("events"); ///< "<opcode>:<payload>"
        QTest::newRow("a masked binary message")
            << clientFrame(2, "spdy") << true << 0 << QStringList{QStringLiteral("2:spdy")};
        QTest::newRow("a fragmented message is reassembled")
            << clientFrame(2, "ab", false) + clientFrame(0, "cd", false) + clientFrame(0, "ef") << true << 0
            << QStringList{QStringLiteral("2:abcdef")};
        QTest::newRow("a ping between fragments comes out at once")
            << clientFrame(2, "ab", false) + clientFrame(9, "hb") + clientFrame(0, "cd") << true << 0
            << QStringList{QStringLiteral("9:hb"), QStringLiteral("2:abcd")};
        QTest::newRow("a 16-bit length") << clientFrame(2, QByteArray(300, 'x')) << true << 0
                                         << QStringList{QStringLiteral("2:") + QString(300, QLatin1Char('x'))};
        QTest::newRow("an incomplete frame waits") << clientFrame(2, "spdy").left(5) << true << 0 << QStringList{};
        QTest::newRow("unmasked client frames are a protocol error")
            << QByteArray("\x82\x02hi", 4) << false << 1002 << QStringList{};
        QTest::newRow("reserved bits are a protocol error")
            << QByteArray("\xc2\x80\x00\x00\x00\x00", 6) << false << 1002 << QStringList{};
        QTest::newRow("a continuation without a message is a protocol error")
            << clientFrame(0, "x") << false << 1002 << QStringList{};
        QTest::newRow("a fragmented ping is a protocol error")
            << clientFrame(9, "x", false) << false << 1002 << QStringList{};
        QTest::newRow("an unknown opcode is a protocol error") << clientFrame(3, "x") << false << 1002 << QStringList{};
        QTest::newRow("a message over the limit is 1009")
            << clientFrame(2, QByteArray(2000, 'x')) << false << 1009 << QStringList{};
        QTest::newRow("fragments adding up over the limit are 1009")
            << clientFrame(2, QByteArray(600, 'x'), false) + clientFrame(0, QByteArray(600, 'x')) << false << 1009
            << QStringList{};
    }
    void framer()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, ok);
        QFETCH(int, errorCode);
        QFETCH(QStringList, events);
        // fed one byte at a time, as a slow socket would
        WebSocketFramer framer(1024);
        QList<WebSocketFramer::Event> out;
        bool result = true;
        for (char c : input)
            result = framer.feed(QByteArray(1, c), &out) && result;
        QCOMPARE(result, ok);
        QCOMPARE(framer.errorCloseCode(), errorCode);
        QStringList seen;
        for (const auto& e : out)
            seen.append(QString::number(int(e.opcode)) + QLatin1Char(':') + QString::fromLatin1(e.payload));
        QCOMPARE(seen, events);
    }

    void framerServerFramesAndHandshake()
    {
        QCOMPARE(WebSocketFramer::frame(WebSocketFramer::Binary, "hi"), QByteArray("\x82\x02hi"));
        QCOMPARE(WebSocketFramer::frame(WebSocketFramer::Binary, QByteArray(300, 'x')).left(4),
                 QByteArray("\x82\x7e\x01\x2c", 4));
        QCOMPARE(WebSocketFramer::frame(WebSocketFramer::Binary, QByteArray(70000, 'x')).left(10),
                 QByteArray("\x82\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
        QCOMPARE(WebSocketFramer::closePayload(1000, QStringLiteral("bye")), QByteArray("\x03\xe8"
                                                                                        "bye"));
        // RFC 6455 section 1.3
        QCOMPARE(WebSocketFramer::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void portParsing_data()
    {
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QList<quint16>>("ports");
        QTest::newRow("one port") << QStringList{QStringLiteral("80")} << true << QList<quint16>{80};
        QTest::newRow("comma-separated") << QStringList{QStringLiteral("80,8080")} << true << QList<quint16>{80, 8080};
        QTest::newRow("repeated") << QStringList{QStringLiteral("80"), QStringLiteral("443")} << true
                                  << QList<quint16>{80, 443};
        QTest::newRow("none is required") << QStringList{} << false << QList<quint16>{};
        QTest::newRow("empty value") << QStringList{QString()} << false << QList<quint16>{};
        QTest::newRow("zero") << QStringList{QStringLiteral("0")} << false << QList<quint16>{};
        QTest::newRow("beyond 65535") << QStringList{QStringLiteral("65536")} << false << QList<quint16>{};
        QTest::newRow("not a number") << QStringList{QStringLiteral("http")} << false << QList<quint16>{};
    }
    void portParsing()
    {
        QFETCH(QStringList, values);
        QFETCH(bool, valid);
        QFETCH(QList<quint16>, ports);
        const auto parsed = PortForwardConnection::parsePorts(values);
        QCOMPARE(parsed.ok(), valid);
        if (valid)
            QCOMPARE(parsed.value(), ports);
        else
            QVERIFY(!parsed.error().message().isEmpty());
    }
};

QTEST_GUILESS_MAIN(ChannelCodecTest)
#include "tst_ws_channel_codec.moc"
