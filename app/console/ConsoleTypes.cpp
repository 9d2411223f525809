// SPDX-License-Identifier: Apache-2.0
#include "ConsoleTypes.h"

namespace vk::console {

QString ConnectionRequest::displayName() const
{
    if (kind == Kind::Sandbox)
        return QStringLiteral("sandbox");
    return context.isEmpty() ? QStringLiteral("current context") : context;
}

QString ConnectionTestResult::stepName(Step step)
{
    switch (step) {
    case Step::None:
        return QStringLiteral("none");
    case Step::KubeConfig:
        return QStringLiteral("kubeconfig");
    case Step::Tls:
        return QStringLiteral("TLS");
    case Step::Authentication:
        return QStringLiteral("authentication");
    case Step::Reachability:
        return QStringLiteral("reachability");
    case Step::Server:
        return QStringLiteral("server");
    }
    return {};
}

QString VirtualNodeState::phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Idle:
        return QStringLiteral("Idle");
    case Phase::Starting:
        return QStringLiteral("Starting");
    case Phase::Ready:
        return QStringLiteral("Ready");
    case Phase::Stopping:
        return QStringLiteral("Stopping");
    case Phase::Stopped:
        return QStringLiteral("Stopped");
    case Phase::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

} // namespace vk::console
