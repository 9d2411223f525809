// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes into SpdyFramer, fed in pieces whose sizes come from the input, with the decoded
// header blocks re-encoded. Must never crash, hang, or grow without bound.
#include "spdy/SpdyFramer.h"

#include <cstddef>
#include <cstdint>

using namespace vk::streams::spdy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the piece size (1..256) so split points vary.
    const size_t piece = size_t(data[0]) + 1;
    SpdyFramer::Limits limits;
    limits.maxFrameBytes = 1 << 16;
    limits.maxHeaderBlockBytes = 1 << 16;
    SpdyFramer decoder(limits);
    SpdyFramer encoder;
    for (size_t pos = 1; pos < size; pos += piece) {
        const size_t n = std::min(piece, size - pos);
        decoder.feed(QByteArrayView(reinterpret_cast<const char*>(data + pos), qsizetype(n)));
        while (auto frame = decoder.next()) {
            if (!frame->headers.isEmpty())
                (void)encoder.encodeSynReply(frame->streamId ? frame->streamId : 1, frame->headers);
        }
        if (decoder.hasError())
            break;
    }
    return 0;
}
