// SPDX-License-Identifier: Apache-2.0
// virtual-kubelet: the headless agent binary. Subcommands: sandbox (the embedded control plane), version.
#include "SignalWatcher.h"

#include "sandbox/Sandbox.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

#include <cstdio>

namespace {

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

void printRootHelp()
{
    out() << "virtual-kubelet runs a virtual node (a kubelet backed by a provider) against a Kubernetes cluster.\n"
             "\n"
             "Available Commands:\n"
             "  sandbox     Run the embedded sandbox control plane (a Kubernetes API server on loopback HTTPS)\n"
             "  version     Print the version\n"
             "\n"
             "Usage:\n"
             "  virtual-kubelet [command] [flags]\n"
             "\n"
             "Use \"virtual-kubelet [command] --help\" for more information about a command.\n";
    out().flush();
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
    parser.addOptions({dataDir, address, port, persist});
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
    QStringList arguments = app.arguments();
    const QString command = arguments.value(1);
    if (command == QLatin1String("sandbox")) {
        arguments.removeAt(1);
        arguments[0] = arguments[0] + QStringLiteral(" sandbox");
        return runSandbox(app, arguments);
    }
    if (command == QLatin1String("version") || command == QLatin1String("--version")) {
        out() << "virtual-kubelet (VK Studio) " << VK_VERSION << "\n";
        return 0;
    }
    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        printRootHelp();
        return 0;
    }
    err() << "error: unknown command \"" << command << "\" for \"virtual-kubelet\"\n"
          << "Run 'virtual-kubelet --help' for usage.\n";
    return 1;
}
