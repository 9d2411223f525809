// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>

namespace vk::streams::spdy {

/// The SPDY/3 zlib dictionary every header block is compressed against (1423 bytes, Adler-32 0xe3c6a7c2).
QByteArrayView headerDictionary();

} // namespace vk::streams::spdy
