// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"

#include <QString>

namespace vk::node {

/// How the node controller registers and maintains its Node (NodeController::Options).
struct NodeOptions
{
    QString nodeName;
    QString providerName;
    QString operatingSystem = QStringLiteral("linux");
    QString kubeletVersion = QStringLiteral("v1.32.0-vk-" VK_VERSION);
    /// The port the kubelet API really listens on, published as status.daemonEndpoints.kubeletEndpoint.Port over
    /// whatever the provider put there; 0 leaves the provider's value.
    quint16 kubeletPort = 0;

    /// The provider taint (upstream: on unless --disable-taint; VKUBELET_TAINT_* override it, see
    /// NodeController::applyTaintEnvironment).
    bool taintEnabled = true;
    QString taintKey = QStringLiteral("virtual-kubelet.io/provider");
    QString taintValue; ///< empty: providerName
    QString taintEffect = QStringLiteral("NoSchedule");

    int leaseDurationSeconds = 40;
    qint64 leaseRenewIntervalMs = 10000;
    qint64 pingIntervalMs = 10000;
    /// A ping that has not answered after this long counts as failed (it is not re-issued while it is pending).
    qint64 pingTimeoutMs = 10000;
    qint64 statusUpdateIntervalMs = 60000;
    /// Attempts of one status PATCH when the server answers 409 Conflict (upstream retry.DefaultRetry: 5).
    int statusConflictRetries = 5;
    /// Delay before registering again after a failed re-registration (the node was deleted under us).
    qint64 reRegisterRetryMs = 2000;

    Clock* clock = Clock::system();
};

} // namespace vk::node
