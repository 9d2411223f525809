// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes through vk::http::HttpRequestParser, fed in pieces the way a connection feeds
// it (the first input byte picks the piece size), with small limits so the 413/431 paths are reached too.
#include "http/HttpRequestParser.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = qsizetype(data[0] % 64) + 1;
    const QByteArrayView input(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));

    vk::http::HttpRequestParser parser({4096, 8192});
    QByteArray buffer;
    for (qsizetype offset = 0; offset < input.size(); offset += piece) {
        buffer.append(input.sliced(offset, std::min(piece, input.size() - offset)));
        for (;;) {
            const qsizetype used = parser.parse(buffer);
            if (used < 0 || used > buffer.size())
                __builtin_trap(); // consumed more than it was given
            buffer.remove(0, used);
            if (parser.hasFailed()) {
                if (parser.errorStatus() != 400 && parser.errorStatus() != 413 && parser.errorStatus() != 431)
                    __builtin_trap();
                parser.reset();
                buffer.clear();
                break;
            }
            if (parser.isComplete()) {
                const bool upgrade = parser.isUpgrade();
                const vk::http::HttpRequest request = parser.takeRequest();
                if (request.body.size() > 8192 || request.method.isEmpty())
                    __builtin_trap();
                (void)request.header("content-type");
                (void)request.queryValue(QStringLiteral("watch"));
                if (upgrade) { // the rest is another protocol
                    parser.reset();
                    buffer.clear();
                    break;
                }
                continue;
            }
            break; // needs more bytes
        }
    }
    return 0;
}
