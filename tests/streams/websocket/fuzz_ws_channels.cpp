// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary client messages through vk::streams::ws::ChannelCodec and WebSocketFramer (the first
// input byte picks the subprotocol and channel count) and the resize JSON parser. A decoded message must name a known
// channel, Data must re-encode to an equivalent message, and nothing may crash.
#include "streams/websocket/ChannelCodec.h"
#include "streams/websocket/WebSocketFramer.h"

#include <cstddef>
#include <cstdint>

using namespace vk::streams::ws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    static const char* const names[] = {"",
                                        "channel.k8s.io",
                                        "base64.channel.k8s.io",
                                        "v2.channel.k8s.io",
                                        "v3.channel.k8s.io",
                                        "v4.channel.k8s.io",
                                        "v4.base64.channel.k8s.io",
                                        "v5.channel.k8s.io"};
    const auto protocol = ChannelProtocol::fromName(QString::fromLatin1(names[data[0] % 8]));
    if (!protocol)
        __builtin_trap();
    const int channels = 1 + (data[0] >> 3) % 16;
    ChannelCodec codec(*protocol, channels, 4096);
    const QByteArray message(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));

    const ChannelMessage decoded = codec.decode(message);
    switch (decoded.kind) {
    case ChannelMessage::Ignored:
        if (decoded.reason.isEmpty())
            __builtin_trap();
        break;
    case ChannelMessage::Close:
        if (!protocol->hasCloseSignal() || decoded.channel >= channels || message.size() != 2)
            __builtin_trap();
        break;
    case ChannelMessage::Data: {
        if (decoded.channel >= channels)
            __builtin_trap();
        // Whatever decoded re-encodes to a message that decodes to the same payload.
        const ChannelMessage again = codec.decode(codec.encode(decoded.channel, decoded.payload));
        if (again.kind != ChannelMessage::Data || again.channel != decoded.channel || again.payload != decoded.payload)
            __builtin_trap();
        if (decoded.channel == 4) {
            if (auto size = parseTerminalSize(decoded.payload); size && size->width == 0 && size->height == 0) {
                // zero sizes are allowed; nothing to check beyond not crashing
            }
        }
        break;
    }
    }
    (void)parseTerminalSize(message);

    // The SPDY tunnel's frame parser, fed in two pieces: events only while it has not failed, bounded payloads.
    WebSocketFramer framer(1024);
    QList<WebSocketFramer::Event> events;
    const qsizetype split = message.isEmpty() ? 0 : qsizetype(data[0]) % message.size();
    const bool ok = framer.feed(message.left(split), &events) && framer.feed(message.mid(split), &events);
    if (!ok && (framer.errorCloseCode() < 1000 || framer.errorString().isEmpty()))
        __builtin_trap();
    for (const WebSocketFramer::Event& event : events) {
        if (event.payload.size() > 1024)
            __builtin_trap();
    }
    return 0;
}
