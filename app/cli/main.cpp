// SPDX-License-Identifier: Apache-2.0
// virtual-kubelet: the headless agent binary. Subcommands: sandbox (the embedded control plane), version.
#include "SignalWatcher.h"

#include "core/Json.h"
#include "kubeconfig/KubeConfig.h"
#include "mock/MockProvider.h"
#include "provider/ProviderRegistry.h"
#include "runtime/AgentConfig.h"
#include "runtime/AgentMetrics.h"
#include "runtime/VirtualNode.h"
#include "sandbox/Sandbox.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace {

/// How long an activity line may wait in the buffer before it is written to stdout.
constexpr int kActivityFlushMs = 100;

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err()
{
    static QTextStream stream(stderr);
    return stream;
}

int runAgent(QCoreApplication& app, const QStringList& arguments)
{
    auto parsed = vk::runtime::parseArguments(arguments);
    if (!parsed) {
        err() << "Error: " << parsed.error().message() << "\n"
              << "Run 'virtual-kubelet --help' for usage.\n";
        return 1;
    }
    using Action = vk::runtime::ParsedArguments::Action;
    switch (parsed->action) {
    case Action::Help:
        out() << vk::runtime::helpText();
        return 0;
    case Action::Version:
        out() << "Version: " << VK_VERSION << ", Built: " << __DATE__ << "\n";
        return 0;
    case Action::ListProviders: {
        const auto& registry = vk::provider::ProviderRegistry::instance();
        if (!parsed->providerQuery.isEmpty()) {
            if (!registry.names().contains(parsed->providerQuery)) {
                err() << "no such provider " << parsed->providerQuery << "\n";
                return 1;
            }
            out() << parsed->providerQuery << "\n";
            return 0;
        }
        for (const auto& name : registry.names())
            out() << name << "\t" << registry.description(name) << "\n";
        return 0;
    }
    case Action::Run:
        break;
    }
    const vk::runtime::AgentConfig& config = parsed->config;
    for (const auto& warning : config.warnings)
        err() << "Warning: " << warning << "\n";
    if (!vk::provider::ProviderRegistry::instance().names().contains(config.provider)) {
        err() << "Error: provider \"" << config.provider << "\" not found (available: "
              << vk::provider::ProviderRegistry::instance().names().join(QStringLiteral(", ")) << ")\n";
        return 1;
    }
    vk::kube::ConnectionOptions connectionOptions;
    connectionOptions.kubeconfig = config.kubeconfig;
    connectionOptions.context = config.context;
    auto connection = vk::kube::resolveConnection(connectionOptions);
    if (!connection) {
        err() << "Error: " << connection.error().message() << "\n";
        return 1;
    }
    vk::runtime::AgentMetrics metrics;
    vk::runtime::MetricsServer metricsServer(&metrics);
    std::vector<std::unique_ptr<vk::runtime::VirtualNode>> nodes;
    for (qsizetype i = 0; i < config.nodeNames.size(); ++i) {
        vk::runtime::VirtualNode::Settings settings;
        settings.nodeName = config.nodeNames.at(i);
        settings.config = config;
        settings.connection = connection.value();
        settings.kubeletPort = quint16(config.kubeletPort + i);
        settings.metricsText = [&metrics] { return metrics.render(); };
        auto node = std::make_unique<vk::runtime::VirtualNode>(settings);
        QObject::connect(node.get(), &vk::runtime::VirtualNode::activity, &app, [&app](const QString& message) {
            // RFC 3339 as Qt::ISODate writes it, formatted by arithmetic (QDateTime::toString took ~30 us a line).
            out() << vk::json::formatTime(QDateTime::currentDateTimeUtc()) << " " << message << "\n";
            // Written out a moment later, many lines at once: a burst of pods is not a write per line.
            static bool flushPending = false;
            if (!flushPending) {
                flushPending = true;
                QTimer::singleShot(kActivityFlushMs, &app, [] {
                    flushPending = false;
                    out().flush();
                });
            }
        });
        QObject::connect(node.get(), &vk::runtime::VirtualNode::finished, &app, [&app](const vk::Status& result) {
            if (!result) {
                err() << "Error: " << result.error().message() << "\n";
                app.exit(1);
            }
        });
        metrics.watch(node.get());
        if (auto started = node->start(); !started) {
            err() << "Error: " << started.error().message() << "\n";
            return 1;
        }
        nodes.push_back(std::move(node));
    }
    // After every provider config validated: a bad one is reported before anything listens or touches the cluster.
    if (!config.metricsAddress.isEmpty()) {
        auto listening = metricsServer.listen(config.metricsAddress);
        if (!listening) {
            err() << "Error: " << listening.error().message() << "\n";
            return 1;
        }
    }
    vk::cli::SignalWatcher signals;
    QObject::connect(&signals, &vk::cli::SignalWatcher::terminationRequested, &app, [&](int) {
        out() << "Shutting down: pods keep running, the node lease stops being renewed.\n";
        out().flush();
        for (auto& node : nodes)
            node->stop();
        app.quit();
    });
    const int exitCode = app.exec();
    out().flush();
    return exitCode;
}

int runSandbox(QCoreApplication& app, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run the embedded sandbox control plane: a Kubernetes API server on loopback HTTPS with a\n"
                       "scheduler and the namespace and node lifecycle controllers. The first start creates a CA,\n"
                       "certificates and a kubeconfig in the data directory; real kubectl works against it."));
    parser.addHelpOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                     QStringLiteral("Directory for certificates, the kubeconfig and saved state."),
                                     QStringLiteral("dir"), vk::sandbox::Sandbox::defaultDataDir());
    const QCommandLineOption address(QStringLiteral("address"), QStringLiteral("Address to listen on."),
                                     QStringLiteral("ip"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on (0 picks a free one)."),
                                  QStringLiteral("port"), QStringLiteral("6443"));
    const QCommandLineOption persist(QStringLiteral("persist"),
                                     QStringLiteral("Save objects to the data directory and restore them on restart."));
    const QCommandLineOption authorizationMode(
        QStringLiteral("authorization-mode"),
        QStringLiteral("AlwaysAllow (every authenticated user may do everything) or RBAC (kube's RBAC)."),
        QStringLiteral("mode"), QStringLiteral("AlwaysAllow"));
    parser.addOptions({dataDir, address, port, persist, authorizationMode});
    parser.process(arguments);
    if (!parser.positionalArguments().isEmpty()) {
        err() << "error: unknown argument \"" << parser.positionalArguments().first()
              << "\" for \"virtual-kubelet sandbox\"\n";
        return 1;
    }

    vk::sandbox::Sandbox::Options options;
    options.dataDir = QDir(parser.value(dataDir)).absolutePath();
    options.address = QHostAddress(parser.value(address));
    if (options.address.isNull()) {
        err() << "error: invalid argument \"" << parser.value(address) << "\" for \"--address\": not an IP address\n";
        return 1;
    }
    bool ok = false;
    const uint portNumber = parser.value(port).toUInt(&ok);
    if (!ok || portNumber > 65535) {
        err() << "error: invalid argument \"" << parser.value(port) << "\" for \"--port\": not a port number\n";
        return 1;
    }
    options.port = quint16(portNumber);
    options.persist = parser.isSet(persist);
    options.authorizationMode = parser.value(authorizationMode);
    if (options.authorizationMode != QLatin1String("AlwaysAllow") &&
        options.authorizationMode != QLatin1String("RBAC")) {
        err() << "error: invalid argument \"" << options.authorizationMode
              << "\" for \"--authorization-mode\": must be AlwaysAllow or RBAC\n";
        return 1;
    }

    vk::sandbox::Sandbox sandbox(options);
    if (auto started = sandbox.start(); !started) {
        err() << "error: " << started.error().message() << "\n";
        return 1;
    }
    out() << "Sandbox API server listening on " << sandbox.serverUrl().toString() << "\n"
          << "Kubeconfig: " << sandbox.kubeconfigPath() << "\n\n"
          << "Point kubectl at it:\n"
          << "  export KUBECONFIG=" << sandbox.kubeconfigPath() << "\n"
          << "  kubectl get namespaces\n\n"
          << (options.persist ? QStringLiteral("Objects are saved in %1/state.json.\n").arg(options.dataDir)
                              : QStringLiteral("Objects live in memory (use --persist to keep them).\n"))
          << "Press Ctrl+C to stop.\n";
    out().flush();

    vk::cli::SignalWatcher signals;
    QObject::connect(&signals, &vk::cli::SignalWatcher::terminationRequested, &app, [&](int) {
        out() << "Stopping the sandbox.\n";
        out().flush();
        sandbox.stop();
        app.quit();
    });
    return app.exec();
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("virtual-kubelet"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VK_VERSION));
    vk::mock::registerMockProvider();
    QStringList arguments = app.arguments();
    const QString command = arguments.value(1);
    if (command == QLatin1String("sandbox")) {
        arguments.removeAt(1);
        arguments[0] = arguments[0] + QStringLiteral(" sandbox");
        return runSandbox(app, arguments);
    }
    arguments.removeFirst();
    return runAgent(app, arguments);
}
