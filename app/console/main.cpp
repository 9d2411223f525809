// SPDX-License-Identifier: Apache-2.0
// vk-studio: the desktop console. Without arguments it connects to the current kubeconfig context, or — when there
// is no kubeconfig — starts the embedded sandbox cluster with a mock virtual node (the first-start experience).
#include "MainWindow.h"
#include "ScreenshotTour.h"
#include "Translations.h"
#include "kubeconfig/KubeConfig.h"
#include "mock/MockProvider.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("vk-studio"));
    QApplication::setOrganizationName(QStringLiteral("vk-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("VK Studio"));
    QApplication::setApplicationVersion(QStringLiteral(VK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("VK Studio: a desktop console with an embedded virtual-kubelet agent.\n\n"
                       "Without --kubeconfig, --context or --sandbox it connects to kubectl's current context, or "
                       "starts the sandbox cluster with a mock node when there is no kubeconfig."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption kubeconfig(QStringLiteral("kubeconfig"),
                                        QStringLiteral("Path to the kubeconfig file to use (as kubectl)."),
                                        QStringLiteral("file"));
    const QCommandLineOption context(QStringLiteral("context"), QStringLiteral("The kubeconfig context to use."),
                                     QStringLiteral("name"));
    const QCommandLineOption namespaceOption({QStringLiteral("n"), QStringLiteral("namespace")},
                                             QStringLiteral("The namespace for new pods."), QStringLiteral("name"));
    const QCommandLineOption sandbox(QStringLiteral("sandbox"),
                                     QStringLiteral("Start the embedded sandbox cluster and connect to it."));
    const QCommandLineOption sandboxDir(QStringLiteral("sandbox-dir"),
                                        QStringLiteral("Data directory of the sandbox (default "
                                                       "~/.local/share/vk-studio/sandbox)."),
                                        QStringLiteral("dir"));
    const QCommandLineOption node(QStringLiteral("node"),
                                  QStringLiteral("Start a mock virtual node with this name once connected "
                                                 "(repeatable; --sandbox starts vk-mock-0 unless --no-node)."),
                                  QStringLiteral("name"));
    const QCommandLineOption noNode(QStringLiteral("no-node"), QStringLiteral("Do not start a node automatically."));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Use the dark palette."));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                         QStringLiteral("Demo tour: create pods, save screenshots of the main "
                                                        "window, the logs and the lifecycle view into this "
                                                        "directory, then quit."),
                                         QStringLiteral("dir"));
    const QCommandLineOption language(QStringLiteral("lang"),
                                      QStringLiteral("The language of the window (e.g. de, en; default: the "
                                                     "system's)."),
                                      QStringLiteral("code"));
    parser.addOptions(
        {kubeconfig, context, namespaceOption, sandbox, sandboxDir, node, noNode, dark, screenshots, language});
    parser.process(app);
    vk::console::installTranslations(&app,
                                     parser.isSet(language) ? QLocale(parser.value(language)) : QLocale::system());

    vk::mock::registerMockProvider();

    vk::console::MainWindow::Options options;
    options.agent.sandboxDataDir = parser.value(sandboxDir);
    vk::console::ConnectionRequest request;
    const bool explicitCluster = parser.isSet(kubeconfig) || parser.isSet(context);
    bool useSandbox = parser.isSet(sandbox) || parser.isSet(screenshots);
    if (!useSandbox && !explicitCluster) {
        // First start without any kubeconfig: the sandbox is the default.
        bool anyKubeconfig = false;
        for (const QString& path : vk::kube::KubeConfig::defaultPaths({}, QProcessEnvironment::systemEnvironment()))
            anyKubeconfig = anyKubeconfig || QFileInfo::exists(path);
        useSandbox = !anyKubeconfig;
    }
    if (useSandbox) {
        request.kind = vk::console::ConnectionRequest::Kind::Sandbox;
    } else {
        request.kind = vk::console::ConnectionRequest::Kind::KubeConfig;
        if (parser.isSet(kubeconfig))
            request.kubeconfigFiles = {parser.value(kubeconfig)};
        request.context = parser.value(context);
    }
    request.namespaceName = parser.value(namespaceOption);
    options.autoStartNodes = parser.values(node);
    if (options.autoStartNodes.isEmpty() && useSandbox && !parser.isSet(noNode))
        options.autoStartNodes = {QStringLiteral("vk-mock-0")};

    vk::console::MainWindow window(options);
    if (parser.isSet(dark))
        window.setDarkPalette(true);
    window.show();
    window.connectTo(request);

    std::unique_ptr<vk::console::ScreenshotTour> tour;
    if (parser.isSet(screenshots)) {
        tour = std::make_unique<vk::console::ScreenshotTour>(&window, parser.value(screenshots));
        QObject::connect(tour.get(), &vk::console::ScreenshotTour::finished, &app,
                         [](bool ok) { QApplication::exit(ok ? 0 : 1); });
        tour->start();
    }
    return app.exec();
}
