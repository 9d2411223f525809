// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/Logging.h"

Q_LOGGING_CATEGORY(lcWebSocketStreams, "vk.streams.websocket", QtInfoMsg)
