// SPDX-License-Identifier: Apache-2.0
#include "runtime/AgentConfig.h"

#include <QRegularExpression>

#include <cmath>

namespace vk::runtime {

namespace {

Error invalidArgument(const QString& value, const QString& flag, const QString& why)
{
    return Error::invalidInput(QStringLiteral("invalid argument \"%1\" for \"--%2\" flag: %3").arg(value, flag, why));
}

Result<bool> parseBool(const QString& value, const QString& flag)
{
    static const QStringList truthy{QStringLiteral("1"),    QStringLiteral("t"),    QStringLiteral("T"),
                                    QStringLiteral("true"), QStringLiteral("TRUE"), QStringLiteral("True")};
    static const QStringList falsy{QStringLiteral("0"),     QStringLiteral("f"),     QStringLiteral("F"),
                                   QStringLiteral("false"), QStringLiteral("FALSE"), QStringLiteral("False")};
    if (truthy.contains(value))
        return true;
    if (falsy.contains(value))
        return false;
    return invalidArgument(value, flag, QStringLiteral("strconv.ParseBool: parsing \"%1\": invalid syntax").arg(value));
}

enum class FlagKind
{
    String,
    Bool,
    Int,
    Double,
    Duration
};

struct FlagSpec
{
    const char* name;
    FlagKind kind;
};

constexpr FlagSpec kFlags[] = {
    {"nodename", FlagKind::String},
    {"provider", FlagKind::String},
    {"provider-config", FlagKind::String},
    {"os", FlagKind::String},
    {"kubeconfig", FlagKind::String},
    {"context", FlagKind::String},
    {"namespace", FlagKind::String},
    {"cluster-domain", FlagKind::String},
    {"metrics-addr", FlagKind::String},
    {"taint", FlagKind::String},
    {"disable-taint", FlagKind::Bool},
    {"pod-sync-workers", FlagKind::Int},
    {"enable-node-lease", FlagKind::Bool},
    {"full-resync-period", FlagKind::Duration},
    {"startup-timeout", FlagKind::Duration},
    {"stream-idle-timeout", FlagKind::Duration},
    {"stream-creation-timeout", FlagKind::Duration},
    {"trace-exporter", FlagKind::String},
    {"trace-service-name", FlagKind::String},
    {"trace-tag", FlagKind::String},
    {"trace-sample-rate", FlagKind::String},
    {"log-level", FlagKind::String},
    {"kube-api-qps", FlagKind::Double},
    {"kube-api-burst", FlagKind::Int},
    {"listen-address", FlagKind::String},
    {"port", FlagKind::Int},
};

const FlagSpec* findFlag(const QString& name)
{
    for (const auto& flag : kFlags) {
        if (name == QLatin1String(flag.name))
            return &flag;
    }
    return nullptr;
}

} // namespace

Result<qint64> parseDurationMs(const QString& text)
{
    if (text == QLatin1String("0"))
        return qint64(0);
    static const QRegularExpression part(QStringLiteral("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)"));
    qint64 totalNs = 0;
    qsizetype position = 0;
    QString body = text;
    const bool negative = body.startsWith(QLatin1Char('-'));
    if (negative || body.startsWith(QLatin1Char('+')))
        body = body.mid(1);
    if (body.isEmpty())
        return Error::invalidInput(QStringLiteral("time: invalid duration \"%1\"").arg(text));
    auto it = part.globalMatch(body);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart() != position)
            return Error::invalidInput(QStringLiteral("time: invalid duration \"%1\"").arg(text));
        position = m.capturedEnd();
        const double value = m.captured(1).toDouble();
        const QString unit = m.captured(2);
        double ns = 0;
        if (unit == QLatin1String("ns"))
            ns = value;
        else if (unit == QLatin1String("us") || unit == QStringLiteral("µs"))
            ns = value * 1e3;
        else if (unit == QLatin1String("ms"))
            ns = value * 1e6;
        else if (unit == QLatin1String("s"))
            ns = value * 1e9;
        else if (unit == QLatin1String("m"))
            ns = value * 60e9;
        else
            ns = value * 3600e9;
        totalNs += qint64(std::llround(ns));
    }
    if (position != body.size())
        return Error::invalidInput(QStringLiteral("time: invalid duration \"%1\"").arg(text));
    const qint64 ms = totalNs / 1'000'000;
    return negative ? -ms : ms;
}

Result<ParsedArguments> parseArguments(const QStringList& arguments, const QProcessEnvironment& env)
{
    ParsedArguments parsed;
    AgentConfig& c = parsed.config;
    QStringList nodeNames;
    bool taintFlagUsed = false;
    QStringList positional;
    QStringList traceTagKeys;

    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& arg = arguments.at(i);
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            parsed.action = ParsedArguments::Action::Help;
            return parsed;
        }
        if (!arg.startsWith(QLatin1String("--"))) {
            if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1)
                return Error::invalidInput(
                    QStringLiteral("unknown shorthand flag: '%1' in %2").arg(arg.mid(1, 1), arg));
            positional.append(arg);
            continue;
        }
        QString name = arg.mid(2);
        QString value;
        bool hasValue = false;
        if (const qsizetype eq = name.indexOf(QLatin1Char('=')); eq >= 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
            hasValue = true;
        }
        if (name.startsWith(QLatin1String("klog."))) {
            // Upstream passes --klog.* to klog; we log through Qt categories (QT_LOGGING_RULES).
            if (!hasValue && i + 1 < arguments.size() && !arguments.at(i + 1).startsWith(QLatin1String("--")))
                ++i;
            c.warnings.append(QStringLiteral("--%1 is ignored: use QT_LOGGING_RULES (e.g. vk.*.debug=true)").arg(name));
            continue;
        }
        const FlagSpec* flag = findFlag(name);
        if (!flag)
            return Error::invalidInput(QStringLiteral("unknown flag: --%1").arg(name));
        if (!hasValue) {
            if (flag->kind == FlagKind::Bool) {
                value = QStringLiteral("true");
            } else {
                if (i + 1 >= arguments.size())
                    return Error::invalidInput(QStringLiteral("flag needs an argument: --%1").arg(name));
                value = arguments.at(++i);
            }
        }
        switch (flag->kind) {
        case FlagKind::Bool: {
            auto b = parseBool(value, name);
            if (!b)
                return b.error();
            if (name == QLatin1String("disable-taint"))
                c.taintEnabled = !b.value();
            else if (name == QLatin1String("enable-node-lease"))
                c.warnings.append(QStringLiteral("--enable-node-lease is deprecated: node leases are always used"));
            break;
        }
        case FlagKind::Int: {
            bool ok = false;
            const int n = value.toInt(&ok);
            if (!ok)
                return invalidArgument(value, name,
                                       QStringLiteral("strconv.ParseInt: parsing \"%1\": invalid syntax").arg(value));
            if (name == QLatin1String("pod-sync-workers")) {
                if (n <= 0)
                    return Error::invalidInput(QStringLiteral("pod sync workers must be greater than 0"));
                c.podSyncWorkers = n;
            } else if (name == QLatin1String("kube-api-burst")) {
                if (n <= 0)
                    return invalidArgument(value, name, QStringLiteral("must be greater than 0"));
                c.kubeApiBurst = n;
            } else if (name == QLatin1String("port")) {
                if (n <= 0 || n > 65535)
                    return invalidArgument(value, name, QStringLiteral("not a TCP port"));
                c.kubeletPort = quint16(n);
            }
            break;
        }
        case FlagKind::Double: {
            bool ok = false;
            const double d = value.toDouble(&ok);
            if (!ok || d < 0)
                return invalidArgument(value, name, QStringLiteral("must be a non-negative number"));
            c.kubeApiQps = d;
            break;
        }
        case FlagKind::Duration: {
            auto ms = parseDurationMs(value);
            if (!ms)
                return invalidArgument(value, name, ms.error().message());
            if (ms.value() < 0)
                return invalidArgument(value, name, QStringLiteral("must not be negative"));
            if (name == QLatin1String("full-resync-period"))
                c.fullResyncPeriodMs = ms.value();
            else if (name == QLatin1String("startup-timeout"))
                c.startupTimeoutMs = ms.value();
            else if (name == QLatin1String("stream-idle-timeout"))
                c.streamIdleTimeoutMs = ms.value();
            else
                c.streamCreationTimeoutMs = ms.value();
            break;
        }
        case FlagKind::String:
            if (name == QLatin1String("nodename")) {
                for (const auto& n : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
                    nodeNames.append(n.trimmed());
            } else if (name == QLatin1String("provider")) {
                c.provider = value;
            } else if (name == QLatin1String("provider-config")) {
                c.providerConfig = value;
            } else if (name == QLatin1String("os")) {
                if (value != QLatin1String("linux") && value != QLatin1String("windows"))
                    return invalidArgument(value, name, QStringLiteral("operating system must be linux or windows"));
                c.operatingSystem = value;
            } else if (name == QLatin1String("kubeconfig")) {
                c.kubeconfig = value;
            } else if (name == QLatin1String("context")) {
                c.context = value;
            } else if (name == QLatin1String("namespace")) {
                c.namespaceName = value;
            } else if (name == QLatin1String("cluster-domain")) {
                c.clusterDomain = value;
            } else if (name == QLatin1String("metrics-addr")) {
                c.metricsAddress = value;
            } else if (name == QLatin1String("taint")) {
                c.taintKey = value;
                taintFlagUsed = true;
            } else if (name == QLatin1String("log-level")) {
                static const QStringList levels{
                    QStringLiteral("trace"), QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warn"),
                    QStringLiteral("error"), QStringLiteral("fatal"), QStringLiteral("panic")};
                if (!levels.contains(value))
                    return invalidArgument(value, name, QStringLiteral("not a valid logrus Level"));
                c.logLevel = value;
            } else if (name == QLatin1String("listen-address")) {
                const QHostAddress address(value);
                if (address.isNull())
                    return invalidArgument(value, name, QStringLiteral("not an IP address"));
                c.listenAddress = address;
            } else if (name == QLatin1String("trace-exporter")) {
                for (const auto& e : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                    if (e != QLatin1String("jaeger") && e != QLatin1String("ocagent") && e != QLatin1String("zpages"))
                        return invalidArgument(value, name, QStringLiteral("unknown exporter \"%1\"").arg(e));
                }
                c.warnings.append(QStringLiteral("--trace-exporter is accepted for compatibility; tracing is not "
                                                 "built into this agent (its activity log and /metrics are)"));
            } else if (name == QLatin1String("trace-tag")) {
                const QString key = value.section(QLatin1Char('='), 0, 0);
                if (!value.contains(QLatin1Char('=')) || key.isEmpty())
                    return invalidArgument(value, name, QStringLiteral("expected key=value"));
                if (key == QLatin1String("operatingSystem") || key == QLatin1String("provider") ||
                    key == QLatin1String("nodeName"))
                    return invalidArgument(value, name, QStringLiteral("tag key \"%1\" is reserved").arg(key));
                if (traceTagKeys.contains(key))
                    return invalidArgument(value, name, QStringLiteral("duplicate tag key \"%1\"").arg(key));
                traceTagKeys.append(key);
            } else if (name == QLatin1String("trace-sample-rate")) {
                bool ok = false;
                const int rate = value.toInt(&ok);
                if (value != QLatin1String("always") && value != QLatin1String("never") &&
                    (!ok || rate < 0 || rate > 100))
                    return invalidArgument(value, name,
                                           QStringLiteral("must be always, never, or a percentage from 0 to 100"));
            }
            break;
        }
    }

    if (!positional.isEmpty()) {
        const QString command = positional.first();
        if (command == QLatin1String("version")) {
            parsed.action = ParsedArguments::Action::Version;
            return parsed;
        }
        if (command == QLatin1String("providers")) {
            parsed.action = ParsedArguments::Action::ListProviders;
            parsed.providerQuery = positional.value(1);
            return parsed;
        }
        return Error::invalidInput(QStringLiteral("unknown command \"%1\" for \"virtual-kubelet\"").arg(command));
    }

    // Environment, as upstream reads it.
    if (nodeNames.isEmpty())
        nodeNames.append(env.value(QStringLiteral("DEFAULT_NODE_NAME"), QStringLiteral("virtual-kubelet")));
    for (const auto& n : nodeNames) {
        static const QRegularExpression subdomain(
            QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
        if (!subdomain.match(n).hasMatch() || n.size() > 253)
            return invalidArgument(n, QStringLiteral("nodename"),
                                   QStringLiteral("a node name must be a lowercase RFC 1123 subdomain"));
        if (nodeNames.count(n) > 1)
            return invalidArgument(n, QStringLiteral("nodename"), QStringLiteral("given more than once"));
    }
    c.nodeNames = nodeNames;
    if (c.provider.isEmpty())
        return Error::invalidInput(QStringLiteral("no provider given: use --provider (virtual-kubelet providers lists "
                                                  "them)"));
    if (env.contains(QStringLiteral("KUBELET_PORT")) &&
        !arguments.join(QLatin1Char(' ')).contains(QLatin1String("--port"))) {
        bool ok = false;
        const int port = env.value(QStringLiteral("KUBELET_PORT")).toInt(&ok);
        if (!ok || port <= 0 || port > 65535)
            return Error::invalidInput(
                QStringLiteral("KUBELET_PORT=%1 is not a TCP port").arg(env.value(QStringLiteral("KUBELET_PORT"))));
        c.kubeletPort = quint16(port);
    }
    if (int(c.kubeletPort) + c.nodeNames.size() - 1 > 65535)
        return Error::invalidInput(QStringLiteral("--port %1 leaves no room for %2 nodes (node i listens on port+i)")
                                       .arg(c.kubeletPort)
                                       .arg(c.nodeNames.size()));
    if (taintFlagUsed)
        c.warnings.append(QStringLiteral("--taint is deprecated: set VKUBELET_TAINT_KEY instead"));
    c.taintKey = env.value(QStringLiteral("VKUBELET_TAINT_KEY"), c.taintKey);
    c.taintValue = env.value(QStringLiteral("VKUBELET_TAINT_VALUE"), c.provider);
    c.taintEffect = env.value(QStringLiteral("VKUBELET_TAINT_EFFECT"), c.taintEffect);
    if (c.taintEffect != QLatin1String("NoSchedule") && c.taintEffect != QLatin1String("NoExecute") &&
        c.taintEffect != QLatin1String("PreferNoSchedule"))
        return Error::invalidInput(QStringLiteral("VKUBELET_TAINT_EFFECT=%1: taint effect \"%1\" is not supported "
                                                  "(NoSchedule, NoExecute or PreferNoSchedule)")
                                       .arg(c.taintEffect));
    c.internalIp = env.value(QStringLiteral("VKUBELET_POD_IP"));
    if (!c.internalIp.isEmpty() && QHostAddress(c.internalIp).isNull())
        return Error::invalidInput(QStringLiteral("VKUBELET_POD_IP=%1 is not an IP address").arg(c.internalIp));
    c.certificatePath = env.value(QStringLiteral("APISERVER_CERT_LOCATION"));
    c.keyPath = env.value(QStringLiteral("APISERVER_KEY_LOCATION"));
    c.clientCaPath = env.value(QStringLiteral("APISERVER_CA_CERT_LOCATION"));
    if (c.certificatePath.isEmpty() != c.keyPath.isEmpty())
        return Error::invalidInput(QStringLiteral("APISERVER_CERT_LOCATION and APISERVER_KEY_LOCATION must be set "
                                                  "together"));
    return parsed;
}

QString helpText()
{
    return QStringLiteral(
        "virtual-kubelet implements the Kubelet interface with a pluggable backend implementation, allowing users to\n"
        "create kubernetes nodes without running the kubelet. This allows users to schedule kubernetes workloads on\n"
        "nodes that aren't running Kubernetes.\n"
        "\n"
        "Usage:\n"
        "  virtual-kubelet [flags]\n"
        "  virtual-kubelet [command]\n"
        "\n"
        "Available Commands:\n"
        "  providers   Show the list of supported providers\n"
        "  sandbox     Run the embedded sandbox control plane (a Kubernetes API server on loopback HTTPS)\n"
        "  version     Show the version of the program\n"
        "\n"
        "Flags:\n"
        "      --cluster-domain string            kubernetes cluster-domain (default is 'cluster.local') (default "
        "\"cluster.local\")\n"
        "      --context string                   the kubeconfig context to use (default: its current-context)\n"
        "      --disable-taint                    disable the virtual-kubelet node taint\n"
        "      --full-resync-period duration      how often to perform a full resync of pods between kubernetes and "
        "the provider (default 1m0s)\n"
        "  -h, --help                             help for virtual-kubelet\n"
        "      --kube-api-burst int               burst of requests to the Kubernetes API server (default 100)\n"
        "      --kube-api-qps float               requests per second to the Kubernetes API server (default 50)\n"
        "      --kubeconfig string                kube config file to use for connecting to the Kubernetes API server "
        "(default \"$KUBECONFIG or ~/.kube/config\")\n"
        "      --listen-address string            address the kubelet API listens on (default \"0.0.0.0\")\n"
        "      --log-level string                 log level: trace, debug, info, warn, error, fatal or panic (default "
        "\"info\")\n"
        "      --metrics-addr string              address to listen for metrics/stats requests (default \":10255\")\n"
        "      --namespace string                 kubernetes namespace (default is 'all')\n"
        "      --nodename string                  kubernetes node name, repeatable or comma-separated for several "
        "nodes (default \"virtual-kubelet\")\n"
        "      --os string                        Operating System (Linux/Windows) (default \"linux\")\n"
        "      --pod-sync-workers int             set the number of pod synchronization workers (default 10)\n"
        "      --port int                         kubelet API port of the first node; node i uses port+i (default "
        "$KUBELET_PORT or 10250)\n"
        "      --provider string                  cloud provider\n"
        "      --provider-config string           cloud provider configuration file\n"
        "      --startup-timeout duration         How long to wait for the virtual-kubelet to start\n"
        "      --stream-creation-timeout duration stream-creation-timeout is the maximum time for streaming connection "
        "(default 30s)\n"
        "      --stream-idle-timeout duration     stream-idle-timeout is the maximum time a streaming connection can "
        "be idle before the connection is automatically closed (default 30s)\n"
        "\n"
        "Environment: KUBECONFIG, DEFAULT_NODE_NAME, KUBELET_PORT, VKUBELET_POD_IP, VKUBELET_TAINT_KEY,\n"
        "VKUBELET_TAINT_VALUE, VKUBELET_TAINT_EFFECT, APISERVER_CERT_LOCATION, APISERVER_KEY_LOCATION,\n"
        "APISERVER_CA_CERT_LOCATION.\n"
        "\n"
        "Use \"virtual-kubelet [command] --help\" for more information about a command.\n");
}

} // namespace vk::runtime
