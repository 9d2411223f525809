// SPDX-License-Identifier: Apache-2.0
#include "kubelet/Logging.h"

Q_LOGGING_CATEGORY(lcKubelet, "vk.agent.kubelet", QtInfoMsg)
