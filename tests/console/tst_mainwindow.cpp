// SPDX-License-Identifier: Apache-2.0
// The console's main window, clicked through as a user would: start the sandbox cluster, start a mock node with
// the node dialog, create a pod with the real kubectl, watch its row go Pending -> Running, its timeline, its logs
// arriving while following, delete it (confirming) and see the row go; then connections that fail show why.
#include "ConnectDialog.h"
#include "LifecycleView.h"
#include "LogView.h"
#include "MainWindow.h"
#include "NodeDialog.h"
#include "PodDetailsView.h"
#include "PodHistory.h"
#include "PodTableModel.h"
#include "mock/MockProvider.h"
#include "support/Kubectl.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QTreeWidget>

#include <memory>

using namespace vk;
using namespace vk::console;

namespace {

const QString kPodKey = QStringLiteral("default/hello");

// Pending for 1.5 s, then Running and Ready, writing 10 log lines a second. Scheduled by the sandbox's scheduler
// onto the node by its hostname label, tolerating the virtual-kubelet taint.
const QByteArray kPodYaml = "apiVersion: v1\n"
                            "kind: Pod\n"
                            "metadata:\n"
                            "  name: hello\n"
                            "  annotations:\n"
                            "    mock.vk-studio.io/lifecycle: "
                            "'{\"pendingMs\": 1500, \"readyMs\": 300, \"logLinesPerSecond\": 10, "
                            "\"logLine\": \"hello line {n}\"}'\n"
                            "spec:\n"
                            "  nodeSelector:\n"
                            "    kubernetes.io/hostname: vk-mock-0\n"
                            "  tolerations:\n"
                            "  - key: virtual-kubelet.io/provider\n"
                            "    operator: Exists\n"
                            "  containers:\n"
                            "  - name: app\n"
                            "    image: nginx:1.27\n";

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void theAgentThreadYieldsToTheWindow();
    void sandboxStartsFromTheToolbar();
    void nodeDialogStartsAMockNode();
    void podCreatedWithKubectlGoesPendingThenRunning();
    void selectingThePodShowsItsTimeline();
    void detailsShowContainersAndConditions();
    void logsArriveWhileFollowing();
    void deletingThePodRemovesItsRow();
    void aBadKubeconfigShowsItsReason();
    void anUnreachableClusterShowsItsReason();
    void recentClustersReconnect();

private:
    QAction* action(const char* name) const;
    /// Clicks the action's toolbar button when it has one (as a user would), else triggers it.
    void click(const char* name) const;
    QString label(const char* name) const;

    QTemporaryDir m_tmp;
    std::unique_ptr<MainWindow> m_window;
    QString m_kubeconfig;
    QStringList m_phasesSeen;
};

QAction* TestMainWindow::action(const char* name) const
{
    return m_window->findChild<QAction*>(QLatin1String(name));
}

void TestMainWindow::click(const char* name) const
{
    QAction* a = action(name);
    QVERIFY2(a, name);
    QVERIFY2(a->isEnabled(), name);
    auto* toolbar = m_window->findChild<QToolBar*>(QStringLiteral("mainToolBar"));
    if (QWidget* button = toolbar ? toolbar->widgetForAction(a) : nullptr) {
        QTest::mouseClick(button, Qt::LeftButton);
        return;
    }
    a->trigger();
}

QString TestMainWindow::label(const char* name) const
{
    auto* l = m_window->findChild<QLabel*>(QLatin1String(name));
    return l ? l->text() : QStringLiteral("<no label %1>").arg(QLatin1String(name));
}

void TestMainWindow::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    if (vk::test::Kubectl::executable().isEmpty())
        QSKIP("kubectl is not on PATH");
    // Nothing of the machine's: settings, kubeconfig and the sandbox's data live in the temporary folder.
    QCoreApplication::setOrganizationName(QStringLiteral("vk-studio-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.filePath(QStringLiteral("settings")));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_tmp.filePath(QStringLiteral("settings")));
    qputenv("KUBECONFIG", m_tmp.filePath(QStringLiteral("no-such-kubeconfig")).toLocal8Bit());
    vk::mock::registerMockProvider();

    MainWindow::Options options;
    options.agent.sandboxDataDir = m_tmp.filePath(QStringLiteral("sandbox"));
    options.agent.providerConfigDir = m_tmp.filePath(QStringLiteral("providers"));
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    connect(m_window->agent()->host(), &AgentHost::sandboxStarted, this,
            [this](const QString& kubeconfig) { m_kubeconfig = kubeconfig; });
    // Every phase the pod's row shows, in order, as the model changes.
    auto recordPhase = [this] {
        const PodSummary* pod = m_window->podModel()->pod(kPodKey);
        if (pod && (m_phasesSeen.isEmpty() || m_phasesSeen.constLast() != pod->phase))
            m_phasesSeen.append(pod->phase);
    };
    connect(m_window->podModel(), &QAbstractItemModel::rowsInserted, this, recordPhase);
    connect(m_window->podModel(), &QAbstractItemModel::dataChanged, this, recordPhase);
}

// The agent (sandbox, nodes) runs at a lower CPU share than the GUI thread, so that the window stays responsive
// when both want the machine's cores.
void TestMainWindow::theAgentThreadYieldsToTheWindow()
{
#ifdef Q_OS_LINUX
    auto niceOfCurrentThread = [] { return getpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid))); };
    int agentNice = 0;
    QTRY_VERIFY([&] {
        QMetaObject::invokeMethod(
            m_window->agent()->host(), [&] { agentNice = niceOfCurrentThread(); }, Qt::BlockingQueuedConnection);
        return agentNice > 0;
    }());
    QCOMPARE(agentNice - niceOfCurrentThread(), 5);
#else
    QSKIP("thread priorities are checked on Linux");
#endif
}

void TestMainWindow::cleanupTestCase()
{
    m_window.reset(); // stops the nodes and the sandbox on the agent thread
}

void TestMainWindow::sandboxStartsFromTheToolbar()
{
    QCOMPARE(label("connectionStatusLabel"), QStringLiteral("○ not connected"));
    click("actionSandbox");
    QTRY_VERIFY_WITH_TIMEOUT(label("connectionStatusLabel").contains(QStringLiteral("connected")) &&
                                 !label("connectionStatusLabel").contains(QStringLiteral("not connected")),
                             30000);
    QVERIFY2(label("connectionStatusLabel").startsWith(QStringLiteral("● sandbox")),
             qPrintable(label("connectionStatusLabel")));
    QTRY_VERIFY(!m_kubeconfig.isEmpty());
    QVERIFY(QFile::exists(m_kubeconfig));
    QVERIFY(m_window->bannerText().isEmpty());
    auto* tree = m_window->findChild<QTreeWidget*>(QStringLiteral("clusterTree"));
    QVERIFY(tree);
    QCOMPARE(tree->topLevelItemCount(), 1);
    QVERIFY(tree->topLevelItem(0)->text(0).startsWith(QStringLiteral("sandbox")));
    QVERIFY(action("actionStartNode")->isEnabled());
}

void TestMainWindow::nodeDialogStartsAMockNode()
{
    click("actionStartNode");
    NodeDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<NodeDialog*>(QStringLiteral("nodeDialog"))) && dialog->isVisible());
    auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("nodeNameEdit"));
    QVERIFY(name);
    QCOMPARE(name->text(), QStringLiteral("vk-mock-0"));
    auto* cpu = dialog->findChild<QLineEdit*>(QStringLiteral("cpuEdit"));
    QVERIFY(cpu);
    cpu->selectAll();
    QTest::keyClicks(cpu, QStringLiteral("12"));
    auto* start = dialog->findChild<QPushButton*>(QStringLiteral("startNodeButton"));
    QVERIFY(start);
    QTRY_VERIFY(start->isEnabled()); // after the debounced validation
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<NodeDialog*>(QStringLiteral("nodeDialog")));

    auto* tree = m_window->findChild<QTreeWidget*>(QStringLiteral("clusterTree"));
    auto nodeItemText = [tree] {
        QTreeWidgetItem* cluster = tree->topLevelItem(0);
        for (int i = 0; cluster && i < cluster->childCount(); ++i) {
            if (cluster->child(i)->data(0, Qt::UserRole).toString() == QStringLiteral("vk-mock-0"))
                return cluster->child(i)->text(0);
        }
        return QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(nodeItemText().contains(QStringLiteral("● Ready")), 15000);
    QVERIFY2(nodeItemText().contains(QStringLiteral("mock")), qPrintable(nodeItemText()));
    // The form's capacity reached the provider: the node reports 12 CPUs.
    vk::test::Kubectl kubectl(m_kubeconfig, m_tmp.filePath(QStringLiteral("home")));
    const auto cpuCapacity = kubectl.run({QStringLiteral("get"), QStringLiteral("node"), QStringLiteral("vk-mock-0"),
                                          QStringLiteral("-o"), QStringLiteral("jsonpath={.status.capacity.cpu}")});
    QCOMPARE(cpuCapacity.exitCode, 0);
    QCOMPARE(cpuCapacity.out, QByteArray("12"));
}

void TestMainWindow::podCreatedWithKubectlGoesPendingThenRunning()
{
    const QString manifest = m_tmp.filePath(QStringLiteral("hello.yaml"));
    QVERIFY(writeFile(manifest, kPodYaml));
    vk::test::Kubectl kubectl(m_kubeconfig, m_tmp.filePath(QStringLiteral("home")));
    const auto created = kubectl.run({QStringLiteral("create"), QStringLiteral("-f"), manifest});
    QVERIFY2(created.exitCode == 0, created.describe().constData());

    PodTableModel* model = m_window->podModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(kPodKey) >= 0, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model->pod(kPodKey)->phase, QStringLiteral("Running"), 15000);
    QVERIFY2(m_phasesSeen.size() >= 2 && m_phasesSeen.constFirst() == QStringLiteral("Pending") &&
                 m_phasesSeen.constLast() == QStringLiteral("Running"),
             qPrintable(m_phasesSeen.join(QStringLiteral(" -> "))));
    QTRY_COMPARE(model->pod(kPodKey)->readyContainers, 1);
    const int row = model->rowOf(kPodKey);
    QCOMPARE(model->data(model->index(row, PodTableModel::Node)).toString(), QStringLiteral("vk-mock-0"));
    QCOMPARE(model->data(model->index(row, PodTableModel::Status)).toString(), QStringLiteral("Running"));
    QCOMPARE(model->data(model->index(row, PodTableModel::Ready)).toString(), QStringLiteral("1/1"));
    QVERIFY(!model->data(model->index(row, PodTableModel::Ip)).toString().isEmpty());
    // The node's activity log says what the agent did with it (the event it recorded), one line per event.
    auto* activity = m_window->findChild<QPlainTextEdit*>(QStringLiteral("activityLog"));
    QVERIFY(activity);
    QTRY_VERIFY2(
        activity->toPlainText().contains(QStringLiteral("[vk-mock-0] Normal ProviderCreateSuccess default/hello: ")),
        qPrintable(activity->toPlainText().right(2000)));
    for (const QString& line : activity->toPlainText().split(QLatin1Char('\n')))
        QVERIFY2(line.count(QStringLiteral("ProviderCreateSuccess")) <= 1, qPrintable(line));
}

void TestMainWindow::selectingThePodShowsItsTimeline()
{
    auto* table = m_window->findChild<QTableView*>(QStringLiteral("podTable"));
    QVERIFY(table);
    QModelIndex index;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex candidate = table->model()->index(row, PodTableModel::Name);
        if (candidate.data().toString() == QStringLiteral("hello"))
            index = candidate;
    }
    QVERIFY(index.isValid());
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("detailTabs"));
    QVERIFY(tabs);
    tabs->setCurrentIndex(0);
    auto* lifecycle = m_window->findChild<LifecycleView*>(QStringLiteral("lifecycleView"));
    QVERIFY(lifecycle);
    QTRY_COMPARE(lifecycle->subject(), kPodKey);
    QTRY_VERIFY2(lifecycle->rowNames().contains(QStringLiteral("Ready")), qPrintable(lifecycle->rowNames().join(u',')));
    const QStringList rows = lifecycle->rowNames();
    QVERIFY2(rows.contains(QStringLiteral("Phase")), qPrintable(rows.join(u',')));
    QVERIFY2(rows.contains(QStringLiteral("Container app")), qPrintable(rows.join(u',')));
    // The phase lane went Pending then Running.
    const auto* record = m_window->history()->record(kPodKey);
    QVERIFY(record);
    const auto* phase = record->findLane(QStringLiteral("Phase"));
    QVERIFY(phase);
    QStringList states;
    for (const auto& segment : phase->segments)
        states.append(segment.state);
    QVERIFY2(states.size() >= 2 && states.contains(QStringLiteral("Pending")) &&
                 states.constLast() == QStringLiteral("Running"),
             qPrintable(states.join(u',')));
    // Hovering the lane shows exact times.
    QString tip;
    for (int x = lifecycle->width() - 5; x > 0 && tip.isEmpty(); x -= 10) {
        for (int y = 0; y < lifecycle->height() && tip.isEmpty(); y += 4)
            tip = lifecycle->toolTipAt(QPoint(x, y));
    }
    QVERIFY2(!tip.isEmpty(), "no tooltip anywhere on the timeline");
}

void TestMainWindow::detailsShowContainersAndConditions()
{
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("detailTabs"));
    auto* details = m_window->findChild<PodDetailsView*>(QStringLiteral("podDetailsView"));
    QVERIFY(tabs && details);
    tabs->setCurrentWidget(details);
    QCOMPARE(details->podKey(), kPodKey);
    QTRY_VERIFY2(details->containerTexts() == QStringList{QStringLiteral("app: running, ready, 0 restarts")},
                 qPrintable(details->containerTexts().join(u';')));
    const QStringList conditions = details->conditionTexts();
    for (const char* expected : {"PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True"})
        QVERIFY2(conditions.contains(QLatin1String(expected)), qPrintable(conditions.join(u';')));
    auto* summary = details->findChild<QLabel*>(QStringLiteral("podSummaryLabel"));
    QVERIFY(summary);
    QVERIFY2(summary->text().contains(QStringLiteral("vk-mock-0")) &&
                 summary->text().contains(QStringLiteral("Running")),
             qPrintable(summary->text()));
    // The YAML tab shows the pod as the API has it.
    auto* yaml = m_window->findChild<QPlainTextEdit*>(QStringLiteral("yamlView"));
    QVERIFY(yaml);
    QTRY_VERIFY(yaml->toPlainText().contains(QStringLiteral("name: hello")));
    QVERIFY(yaml->toPlainText().contains(QStringLiteral("phase: Running")));
}

void TestMainWindow::logsArriveWhileFollowing()
{
    click("actionLogs");
    auto* logs = m_window->findChild<LogView*>(QStringLiteral("logView"));
    QVERIFY(logs);
    QCOMPARE(logs->pods(), QStringList{kPodKey});
    auto lines = [logs] { return logs->text().count(QStringLiteral("hello line")); };
    QTRY_VERIFY_WITH_TIMEOUT(lines() >= 3, 10000);
    const int first = lines();
    // Following: new lines keep arriving without doing anything.
    QTRY_VERIFY_WITH_TIMEOUT(lines() >= first + 5, 10000);
}

void TestMainWindow::deletingThePodRemovesItsRow()
{
    QVERIFY(m_window->selectPod(kPodKey));
    click("actionDeletePod");
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("deleteConfirmation"))) && box->isVisible());
    QVERIFY2(box->text().contains(kPodKey), qPrintable(box->text()));
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->podModel()->rowOf(kPodKey) < 0, 15000);
    vk::test::Kubectl kubectl(m_kubeconfig, m_tmp.filePath(QStringLiteral("home")));
    const auto get = kubectl.run({QStringLiteral("get"), QStringLiteral("pod"), QStringLiteral("hello")});
    QVERIFY2(get.exitCode != 0 && get.err.contains("NotFound"), get.describe().constData());
}

void TestMainWindow::aBadKubeconfigShowsItsReason()
{
    const QString bad = m_tmp.filePath(QStringLiteral("broken-kubeconfig"));
    QVERIFY(writeFile(bad, "apiVersion: v1\nclusters: [ {name: x\n"));
    ConnectionRequest request;
    request.kind = ConnectionRequest::Kind::KubeConfig;
    request.kubeconfigFiles = {bad};
    m_window->connectTo(request);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->bannerText().isEmpty(), 10000);
    auto* banner = m_window->findChild<QLabel*>(QStringLiteral("messageBannerLabel"));
    QVERIFY(banner);
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(bad), qPrintable(banner->text()));
    QVERIFY2(label("connectionStatusLabel").contains(QStringLiteral("connection failed")),
             qPrintable(label("connectionStatusLabel")));
}

void TestMainWindow::anUnreachableClusterShowsItsReason()
{
    // A port nobody listens on.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString file = m_tmp.filePath(QStringLiteral("unreachable-kubeconfig"));
    QVERIFY(writeFile(file, QStringLiteral("apiVersion: v1\n"
                                           "kind: Config\n"
                                           "current-context: gone\n"
                                           "clusters:\n"
                                           "- name: gone\n"
                                           "  cluster:\n"
                                           "    server: https://127.0.0.1:%1\n"
                                           "    insecure-skip-tls-verify: true\n"
                                           "users:\n"
                                           "- name: me\n"
                                           "  user:\n"
                                           "    token: t\n"
                                           "contexts:\n"
                                           "- name: gone\n"
                                           "  context:\n"
                                           "    cluster: gone\n"
                                           "    user: me\n")
                                .arg(port)
                                .toUtf8()));

    click("actionConnect");
    ConnectDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ConnectDialog*>(QStringLiteral("connectDialog"))) && dialog->isVisible());
    dialog->addFile(file); // what "Add file…" does after its file dialog
    QVERIFY(dialog->selectContext(QStringLiteral("gone")));
    auto* connectButton = dialog->findChild<QPushButton*>(QStringLiteral("connectButton"));
    QVERIFY(connectButton);
    QTRY_VERIFY(connectButton->isEnabled());
    QTest::mouseClick(connectButton, Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<ConnectDialog*>(QStringLiteral("connectDialog")));
    const QString url = QStringLiteral("127.0.0.1:%1").arg(port);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->bannerText().contains(url), 20000);
    QVERIFY2(m_window->bannerText().contains(QStringLiteral("refused"), Qt::CaseInsensitive),
             qPrintable(m_window->bannerText()));
}

void TestMainWindow::recentClustersReconnect()
{
    // The sandbox was used first; it is in the recent list and in the menu, and reconnecting from there works.
    const QList<ConnectionRequest> recent = m_window->recentClusters();
    QVERIFY(!recent.isEmpty());
    QCOMPARE(recent.constLast().kind, ConnectionRequest::Kind::Sandbox);
    auto* menu = m_window->findChild<QMenu*>(QStringLiteral("recentMenu"));
    QVERIFY(menu);
    QAction* sandbox = nullptr;
    for (QAction* a : menu->actions()) {
        if (a->text().startsWith(QStringLiteral("sandbox")))
            sandbox = a;
    }
    QVERIFY(sandbox);
    sandbox->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(label("connectionStatusLabel").startsWith(QStringLiteral("● sandbox")), 30000);
    QVERIFY(m_window->bannerText().isEmpty());
    // Settings keep where clusters are, never credentials.
    QSettings settings;
    settings.beginGroup(QStringLiteral("console"));
    const QVariantList saved = settings.value(QStringLiteral("recentClusters")).toList();
    QCOMPARE(saved.size(), recent.size());
    for (const QVariant& entry : saved) {
        for (const QString& key : entry.toMap().keys())
            QVERIFY2(!key.contains(QStringLiteral("token")) && !key.contains(QStringLiteral("password")),
                     qPrintable(key));
    }
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
