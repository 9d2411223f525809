// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/Logging.h"

Q_LOGGING_CATEGORY(lcKubeconfig, "vk.kubeconfig", QtInfoMsg)
