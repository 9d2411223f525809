// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QStringList>

namespace vk::runtime {

/// Everything `virtual-kubelet` is told on its command line and in its environment, after validation: upstream
/// virtual-kubelet's flags and variables (every one of them, with --namespace and --metrics-addr actually working)
/// plus --kube-api-qps/--kube-api-burst, --context, --listen-address and several --nodename values.
struct AgentConfig
{
    QStringList nodeNames;  ///< --nodename (repeatable or comma-separated); $DEFAULT_NODE_NAME; "virtual-kubelet"
    QString provider;       ///< --provider
    QString providerConfig; ///< --provider-config
    QString operatingSystem = QStringLiteral("linux"); ///< --os: linux or windows
    QString kubeconfig;                                ///< --kubeconfig (else $KUBECONFIG, ~/.kube/config, in-cluster)
    QString context;                                   ///< --context
    QString namespaceName;                             ///< --namespace: only pods of this namespace ("" = all)
    QString clusterDomain = QStringLiteral("cluster.local");
    QString metricsAddress = QStringLiteral(":10255");                ///< --metrics-addr ("" disables)
    bool taintEnabled = true;                                         ///< !--disable-taint
    QString taintKey = QStringLiteral("virtual-kubelet.io/provider"); ///< --taint (deprecated), VKUBELET_TAINT_KEY
    QString taintValue;                                 ///< VKUBELET_TAINT_VALUE (default: the provider name)
    QString taintEffect = QStringLiteral("NoSchedule"); ///< VKUBELET_TAINT_EFFECT
    int podSyncWorkers = 10;                            ///< --pod-sync-workers
    qint64 fullResyncPeriodMs = 60'000;                 ///< --full-resync-period
    qint64 startupTimeoutMs = 0;                        ///< --startup-timeout (0: wait forever)
    qint64 streamIdleTimeoutMs = 30'000;                ///< --stream-idle-timeout
    qint64 streamCreationTimeoutMs = 30'000;            ///< --stream-creation-timeout
    double kubeApiQps = 50;                             ///< --kube-api-qps (upstream is fixed at client-go's 5)
    int kubeApiBurst = 100;                             ///< --kube-api-burst (upstream: 10)
    QHostAddress listenAddress = QHostAddress::AnyIPv4; ///< --listen-address for the kubelet API
    quint16 kubeletPort = 10250;                        ///< KUBELET_PORT / --port; node i listens on port + i
    QString internalIp;                                 ///< VKUBELET_POD_IP
    QString logLevel = QStringLiteral("info");          ///< --log-level
    QString certificatePath;                            ///< APISERVER_CERT_LOCATION
    QString keyPath;                                    ///< APISERVER_KEY_LOCATION
    QString clientCaPath;                               ///< APISERVER_CA_CERT_LOCATION
    QStringList warnings;                               ///< deprecated or ignored flags that were used, to print once
};

/// What the command line asked for.
struct ParsedArguments
{
    enum class Action
    {
        Run,
        Help,
        Version,
        ListProviders
    };
    Action action = Action::Run;
    AgentConfig config;
    QString providerQuery; ///< `providers <name>`
};

/// Parses `virtual-kubelet [flags]` / `version` / `providers [name]` (arguments without the program name). Errors
/// are InvalidInput and name the flag and value, as cobra does: `invalid argument "x" for "--pod-sync-workers" flag:
/// ...`. Nothing touches the cluster here.
Result<ParsedArguments> parseArguments(const QStringList& arguments,
                                       const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());

/// kubectl-style help text for the root command.
QString helpText();

/// Go's time.ParseDuration for the forms flags use ("90s", "1m30s", "1h", "500ms", "0"); InvalidInput otherwise.
Result<qint64> parseDurationMs(const QString& text);

} // namespace vk::runtime
