// SPDX-License-Identifier: Apache-2.0
#include "spdy/Logging.h"

Q_LOGGING_CATEGORY(lcSpdy, "vk.streams.spdy", QtInfoMsg)
