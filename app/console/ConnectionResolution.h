// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"
#include "core/Result.h"
#include "kubeconfig/ClusterConnection.h"

#include <QProcessEnvironment>

namespace vk::console {

/// Resolves a ConnectionRequest into a connection the way kubectl would: the given files merged (a single given file
/// must exist; in a list, every file must exist), else $KUBECONFIG / ~/.kube/config; the context (empty:
/// current-context); the namespace override. The sandbox is its kubeconfig (`sandboxKubeconfig`, empty while it is
/// not running). Errors name the file, context or field. Shared by the agent thread's connect and "Test connection".
Result<kube::ClusterConnection> resolveConnectionRequest(const ConnectionRequest& request,
                                                         const QProcessEnvironment& env,
                                                         const QString& sandboxKubeconfig = {});

} // namespace vk::console
