// SPDX-License-Identifier: Apache-2.0
#include "mock/Logging.h"

Q_LOGGING_CATEGORY(lcMock, "vk.provider.mock", QtInfoMsg)
