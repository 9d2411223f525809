// SPDX-License-Identifier: Apache-2.0
// SpdyFramer: every frame type round-trips through the encoder and decoder whatever the split points, header blocks
// share one zlib context per direction, and malformed input is an error, never a crash.
#include "spdy/SpdyDictionary.h"
#include "spdy/SpdyFramer.h"

#include <QFile>
#include <QTest>

#include <zlib.h>

using namespace vk::streams::spdy;

Q_DECLARE_METATYPE(vk::streams::spdy::SpdyFrame)

namespace {

QByteArray u32(quint32 v)
{
    QByteArray out;
    out.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
    return out;
}

/// A header block compressed by a fresh deflate context (what a decoder's first block must look like).
QByteArray compressFresh(const QByteArray& plain)
{
    z_stream z{};
    deflateInit(&z, Z_DEFAULT_COMPRESSION);
    const QByteArrayView dict = headerDictionary();
    deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dict.data()), uInt(dict.size()));
    QByteArray out(int(plain.size()) + 1024, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.constData()));
    z.avail_in = uInt(plain.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_SYNC_FLUSH);
    out.resize(out.size() - qsizetype(z.avail_out));
    deflateEnd(&z);
    return out;
}

QList<SpdyFrame> decodeInPieces(SpdyFramer& decoder, const QByteArray& bytes, int piece)
{
    QList<SpdyFrame> frames;
    for (qsizetype pos = 0; pos < bytes.size(); pos += piece) {
        decoder.feed(QByteArrayView(bytes).sliced(pos, std::min<qsizetype>(piece, bytes.size() - pos)));
        while (auto f = decoder.next())
            frames.append(*f);
    }
    return frames;
}

const SpdyHeaders kStdinHeaders{{"streamtype", "stdin"}, {"port", "8080"}, {"requestid", "0"}};

} // namespace

class SpdyFramerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dictionaryIsTheSpdy3Dictionary()
    {
        const QByteArrayView dict = headerDictionary();
        QCOMPARE(dict.size(), 1423);
        QCOMPARE(adler32(1, reinterpret_cast<const Bytef*>(dict.data()), uInt(dict.size())), 0xe3c6a7c2ul);
        QVERIFY(dict.startsWith(QByteArrayView("\0\0\0\x07options", 11)));
        QVERIFY(dict.endsWith("enq=0."));
    }

    void everyFrameTypeSurvivesAnySplit_data()
    {
        QTest::addColumn<int>("piece");
        for (int piece : {1, 2, 3, 5, 8, 13, 64, 100000})
            QTest::addRow("fed %d byte(s) at a time", piece) << piece;
    }

    void everyFrameTypeSurvivesAnySplit()
    {
        QFETCH(int, piece);
        SpdyFramer encoder;
        QByteArray wire;
        wire += encoder.encodeSynStream(1, kStdinHeaders, kFlagFin, 0, 3);
        wire += encoder.encodeSynReply(1, {{"status", "200"}});
        wire += SpdyFramer::encodeRstStream(3, RstStatus::Cancel);
        wire += SpdyFramer::encodeSettings(
            {{0, kSettingsInitialWindowSize, 1 << 20}, {1, kSettingsMaxConcurrentStreams, 7}});
        wire += SpdyFramer::encodePing(5);
        wire += SpdyFramer::encodeGoAway(9, GoAwayStatus::InternalError);
        wire += encoder.encodeHeaders(1, {{"x-more", "a"}, {"x-more", "b"}}, kFlagFin);
        wire += SpdyFramer::encodeWindowUpdate(0, 4096);
        wire += SpdyFramer::encodeData(1, "hello", kFlagFin);
        wire += SpdyFramer::encodeData(7, {});

        SpdyFramer decoder;
        const QList<SpdyFrame> f = decodeInPieces(decoder, wire, piece);
        QVERIFY2(!decoder.hasError(), qPrintable(decoder.errorString()));
        QCOMPARE(f.size(), 10);
        QCOMPARE(decoder.bufferedBytes(), 0);

        QCOMPARE(f[0].type, FrameType::SynStream);
        QCOMPARE(f[0].streamId, 1u);
        QCOMPARE(f[0].priority, quint8(3));
        QVERIFY(f[0].fin());
        QCOMPARE(f[0].headers, kStdinHeaders);
        QCOMPARE(headerValue(f[0].headers, "StreamType"), QByteArray("stdin"));

        QCOMPARE(f[1].type, FrameType::SynReply);
        QCOMPARE(f[1].headers, (SpdyHeaders{{"status", "200"}}));

        QCOMPARE(f[2].type, FrameType::RstStream);
        QCOMPARE(f[2].streamId, 3u);
        QCOMPARE(f[2].status, quint32(RstStatus::Cancel));

        QCOMPARE(f[3].type, FrameType::Settings);
        QCOMPARE(f[3].settings.size(), 2);
        QCOMPARE(f[3].settings[0].id, kSettingsInitialWindowSize);
        QCOMPARE(f[3].settings[0].value, 1u << 20);
        QCOMPARE(f[3].settings[1].flags, quint8(1));
        QCOMPARE(f[3].settings[1].value, 7u);

        QCOMPARE(f[4].type, FrameType::Ping);
        QCOMPARE(f[4].pingId, 5u);

        QCOMPARE(f[5].type, FrameType::GoAway);
        QCOMPARE(f[5].lastGoodStreamId, 9u);
        QCOMPARE(f[5].status, quint32(GoAwayStatus::InternalError));

        QCOMPARE(f[6].type, FrameType::Headers);
        QVERIFY(f[6].fin());
        QCOMPARE(f[6].headers, (SpdyHeaders{{"x-more", "a"}, {"x-more", "b"}}));

        QCOMPARE(f[7].type, FrameType::WindowUpdate);
        QCOMPARE(f[7].streamId, 0u);
        QCOMPARE(f[7].deltaWindowSize, 4096u);

        QCOMPARE(f[8].type, FrameType::Data);
        QCOMPARE(f[8].streamId, 1u);
        QCOMPARE(f[8].data, QByteArray("hello"));
        QVERIFY(f[8].fin());

        QCOMPARE(f[9].type, FrameType::Data);
        QCOMPARE(f[9].streamId, 7u);
        QVERIFY(f[9].data.isEmpty());
        QVERIFY(!f[9].fin());
    }

    void headerContextIsSharedAcrossFrames()
    {
        // Later blocks refer back to earlier ones through the shared zlib window: a decoder that reset its context
        // per frame would fail on them.
        SpdyFramer encoder;
        SpdyFramer decoder;
        for (quint32 id = 1; id < 40; id += 2) {
            const SpdyHeaders headers{
                {"streamtype", id % 3 ? "stdout" : "stderr"}, {"requestid", QByteArray::number(id)}, {"port", "8080"}};
            decoder.feed(encoder.encodeSynStream(id, headers));
            const auto frame = decoder.next();
            QVERIFY2(frame, qPrintable(decoder.errorString()));
            QCOMPARE(frame->streamId, id);
            QCOMPARE(frame->headers, headers);
        }
    }

    void uppercaseNamesAreLowercasedAndNulValuesSplit()
    {
        const QByteArray block = compressFresh(u32(1) + u32(10) + "StreamType" + u32(6) + QByteArray("a\0b\0cc", 6));
        SpdyFramer decoder;
        decoder.feed(SpdyFramer::encodeControl(2, 0, u32(5) + block));
        const auto frame = decoder.next();
        QVERIFY2(frame, qPrintable(decoder.errorString()));
        QCOMPARE(frame->headers, (SpdyHeaders{{"streamtype", "a"}, {"streamtype", "b"}, {"streamtype", "cc"}}));
    }

    void unknownControlFramesAreSkipped()
    {
        SpdyFramer decoder;
        decoder.feed(QByteArray(SpdyFramer::encodeControl(5, 0, {}) +
                                SpdyFramer::encodeControl(10, 0, QByteArray("credential")) +
                                SpdyFramer::encodePing(1)));
        const auto frame = decoder.next();
        QVERIFY(frame);
        QCOMPARE(frame->type, FrameType::Ping);
        QVERIFY(!decoder.hasError());
    }

    void malformedFramesAreErrors_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("error");
        QTest::addColumn<quint32>("maxFrameBytes");
        const quint32 big = 1 << 20;
        QTest::newRow("SPDY/2 control frame is an unsupported version")
            << SpdyFramer::encodeControl(6, 0, u32(1), 2) << QStringLiteral("unsupported SPDY version 2") << big;
        QTest::newRow("frame longer than the limit is refused before it is buffered")
            << (SpdyFramer::encodeData(1, QByteArray(100, 'x')).left(8)) << QStringLiteral("SPDY frame too large: 100")
            << 64u;
        QTest::newRow("DATA on stream 0")
            << SpdyFramer::encodeData(0, "x") << QStringLiteral("DATA frame on stream 0") << big;
        QTest::newRow("RST_STREAM with status 0")
            << SpdyFramer::encodeControl(3, 0, u32(1) + u32(0)) << QStringLiteral("malformed SPDY RST_STREAM") << big;
        QTest::newRow("RST_STREAM for stream 0")
            << SpdyFramer::encodeControl(3, 0, u32(0) + u32(5)) << QStringLiteral("malformed SPDY RST_STREAM") << big;
        QTest::newRow("PING with a short payload")
            << SpdyFramer::encodeControl(6, 0, QByteArray("ab")) << QStringLiteral("malformed SPDY PING frame") << big;
        QTest::newRow("GOAWAY with a long payload") << SpdyFramer::encodeControl(7, 0, u32(1) + u32(0) + u32(0))
                                                    << QStringLiteral("malformed SPDY GOAWAY") << big;
        QTest::newRow("SETTINGS whose count disagrees with its length")
            << SpdyFramer::encodeControl(4, 0, u32(3) + u32(7) + u32(1)) << QStringLiteral("3 entries in 12 bytes")
            << big;
        QTest::newRow("WINDOW_UPDATE with delta 0")
            << SpdyFramer::encodeWindowUpdate(1, 0) << QStringLiteral("delta 0 on stream 1") << big;
        QTest::newRow("SYN_STREAM too short for its fixed fields")
            << SpdyFramer::encodeControl(1, 0, u32(1)) << QStringLiteral("malformed SPDY SYN_STREAM") << big;
        QTest::newRow("SYN_STREAM whose header block is not zlib")
            << SpdyFramer::encodeControl(1, 0, u32(1) + u32(0) + QByteArray(2, '\0') + "not deflate at all")
            << QStringLiteral("corrupt SPDY header block on stream 1") << big;
        QTest::newRow("header block compressed without the SPDY dictionary")
            << SpdyFramer::encodeControl(2, 0, u32(1) + qCompress(QByteArray("abc")).mid(4))
            << QStringLiteral("header block on stream 1") << big;
        QTest::newRow("header pair running past the block")
            << SpdyFramer::encodeControl(2, 0, u32(1) + compressFresh(u32(1) + u32(50) + "short"))
            << QStringLiteral("pair 0 runs past the end") << big;
        QTest::newRow("header block with trailing bytes")
            << SpdyFramer::encodeControl(2, 0, u32(1) + compressFresh(u32(0) + "junk"))
            << QStringLiteral("4 trailing bytes") << big;
        QTest::newRow("header block claiming a million pairs")
            << SpdyFramer::encodeControl(2, 0, u32(1) + compressFresh(u32(1'000'000)))
            << QStringLiteral("1000000 pairs (limit 1024)") << big;
        QTest::newRow("empty header name")
            << SpdyFramer::encodeControl(2, 0, u32(1) + compressFresh(u32(1) + u32(0) + u32(1) + "v"))
            << QStringLiteral("empty header name") << big;
        QTest::newRow("header block inflating past the limit")
            << SpdyFramer::encodeControl(
                   2, 0, u32(1) + compressFresh(u32(1) + u32(1) + "a" + u32(300'000) + QByteArray(300'000, 'z')))
            << QStringLiteral("exceeds 262144 bytes") << big;
        QTest::newRow("SYN_STREAM for stream 0")
            << SpdyFramer::encodeControl(1, 0, u32(0) + u32(0) + QByteArray(2, '\0') + compressFresh(u32(0)))
            << QStringLiteral("SYN_STREAM with stream id 0") << big;
    }

    void malformedFramesAreErrors()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QString, error);
        QFETCH(quint32, maxFrameBytes);
        SpdyFramer::Limits limits;
        limits.maxFrameBytes = maxFrameBytes;
        SpdyFramer decoder(limits);
        const QList<SpdyFrame> frames = decodeInPieces(decoder, QByteArray(wire + SpdyFramer::encodePing(1)), 3);
        QVERIFY(frames.isEmpty());
        QVERIFY(decoder.hasError());
        QVERIFY2(decoder.errorString().contains(error), qPrintable(decoder.errorString()));
        // Once failed, the framer stays failed and ignores more input.
        decoder.feed(SpdyFramer::encodePing(3));
        QVERIFY(!decoder.next());
    }

    void framesFromAnotherZlibImplementationDecode()
    {
        // Written by Python's zlib with the same dictionary (a fuzz seed; its first byte is the fuzzer's piece size):
        // SYN_STREAMs for error and stdin, stdin data with FIN, and a port-forward data stream with priority 3.
        QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/streams/spdy-fuzz-seeds/exec-session.bin"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QByteArray wire = file.readAll().mid(1);
        SpdyFramer decoder;
        const QList<SpdyFrame> f = decodeInPieces(decoder, wire, 4);
        QVERIFY2(!decoder.hasError(), qPrintable(decoder.errorString()));
        QCOMPARE(f.size(), 5);
        QCOMPARE(f[0].headers, (SpdyHeaders{{"streamtype", "error"}}));
        QCOMPARE(f[1].headers, (SpdyHeaders{{"streamtype", "stdin"}}));
        QCOMPARE(f[2].data, QByteArray("input"));
        QVERIFY(f[3].fin());
        QCOMPARE(f[4].priority, quint8(3));
        QCOMPARE(f[4].headers, (SpdyHeaders{{"streamtype", "data"}, {"port", "8080"}, {"requestid", "0"}}));
    }
};

QTEST_GUILESS_MAIN(SpdyFramerTest)
#include "tst_spdyframer.moc"
