// SPDX-License-Identifier: Apache-2.0
// Benchmark: how long the console's GUI thread is ever blocked while 1,000 pods churn. The real main window runs
// (offscreen) on the sandbox with one mock node; a client on its own thread creates the pods (they restart every
// few seconds, so rows keep changing), lets them churn, then deletes them all. A 5 ms timer on the GUI thread
// records the gap between its ticks: the worst gap minus the interval is the longest the UI could not react.
// While it runs, the pod table is sorted by age (the default) and the node is selected: its timeline (a row per pod)
// while pods are created, then the logs of one pod, then the node's events while they churn.
// Target (issue 5): never blocked for more than 50 ms.
// Usage: bench_console [--pods N] [--churn-seconds S]
#include "LifecycleView.h"
#include "MainWindow.h"
#include "PodTableModel.h"
#include "kube/ApiClient.h"
#include "kube/GroupVersionResource.h"
#include "kubeconfig/KubeConfig.h"
#include "mock/MockProvider.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QScopeGuard>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

using namespace vk;
using namespace vk::console;

namespace {

/// Records the gaps between ticks of a short timer on the thread it lives on.
class StallMeter : public QObject
{
public:
    explicit StallMeter(int intervalMs) : m_intervalMs(intervalMs)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_gapsUs.push_back((now - m_last) / 1000);
            m_last = now;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = -1;
        m_gapsUs.clear();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    /// Worst, 99th percentile and how many gaps exceeded `overMs` (each minus the interval: time blocked).
    void report(const char* phase, int overMs) const
    {
        std::vector<qint64> gaps = m_gapsUs;
        if (gaps.empty()) {
            std::printf("  %-28s no ticks\n", phase);
            return;
        }
        std::sort(gaps.begin(), gaps.end());
        auto blockedMs = [this](qint64 us) { return std::max<double>(0.0, us / 1000.0 - m_intervalMs); };
        const qint64 p99 = gaps[std::min(gaps.size() - 1, size_t(double(gaps.size()) * 0.99))];
        const auto over = std::count_if(gaps.begin(), gaps.end(), [&](qint64 us) { return blockedMs(us) > overMs; });
        std::printf("  %-28s worst stall %6.1f ms, p99 %5.1f ms, %ld stalls over %d ms, %zu ticks\n", phase,
                    blockedMs(gaps.back()), blockedMs(p99), long(over), overMs, gaps.size());
    }
    double worstMs() const
    {
        return m_gapsUs.empty()
                   ? 0.0
                   : std::max<double>(0.0, *std::max_element(m_gapsUs.begin(), m_gapsUs.end()) / 1000.0 - m_intervalMs);
    }

private:
    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    std::vector<qint64> m_gapsUs;
};

/// Times every event the GUI thread delivers (outermost only) and keeps the slow ones: what blocked it.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;
    struct Slow
    {
        double ms;
        QString what;
        double cpuMs = -1; ///< the GUI thread's own CPU time in it (the rest: waiting for a core)
    };
    static double threadCpuMs()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
    }
    bool notify(QObject* receiver, QEvent* event) override
    {
        if (m_depth++ > 0 || QThread::currentThread() != thread()) {
            // Nested: only paints are looked at (which widget a slow window update spent its time in).
            QElapsedTimer timer;
            timer.start();
            const bool isPaint = event->type() == QEvent::Paint;
            const bool r = QApplication::notify(receiver, event);
            --m_depth;
            if (isPaint && timer.nsecsElapsed() > 20'000'000)
                m_slow.push_back(
                    {timer.nsecsElapsed() / 1e6,
                     QStringLiteral("  (inside) paint of %1 \"%2\"")
                         .arg(QLatin1String(receiver->metaObject()->className()), receiver->objectName())});
            return r;
        }
        QElapsedTimer timer;
        timer.start();
        const double cpuBefore = threadCpuMs();
        const QString what = QStringLiteral("%1 event %2").arg(describe(receiver)).arg(int(event->type()));
        const bool r = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = timer.nsecsElapsed() / 1e6;
        if (ms > 40)
            m_slow.push_back({ms, what, threadCpuMs() - cpuBefore});
        return r;
    }
    /// The slowest deliveries since the last call, worst first.
    std::vector<Slow> takeSlow(size_t max)
    {
        std::vector<Slow> slow = std::move(m_slow);
        m_slow.clear();
        std::sort(slow.begin(), slow.end(), [](const Slow& a, const Slow& b) { return a.ms > b.ms; });
        if (slow.size() > max)
            slow.resize(max);
        return slow;
    }

private:
    /// "QWidget qt_scrollarea_viewport in QTableView podTable"
    static QString describe(QObject* object)
    {
        QString text =
            QStringLiteral("%1 %2").arg(QLatin1String(object->metaObject()->className()), object->objectName());
        if (QObject* parent = object->parent())
            text +=
                QStringLiteral(" in %1 %2").arg(QLatin1String(parent->metaObject()->className()), parent->objectName());
        return text;
    }

    int m_depth = 0;
    std::vector<Slow> m_slow;
};

void printSlow(TimedApplication& app)
{
    for (const auto& slow : app.takeSlow(8))
        std::printf("      %6.1f ms %s %s\n", slow.ms,
                    slow.cpuMs >= 0 ? qPrintable(QStringLiteral("(%1 ms on CPU)").arg(slow.cpuMs, 5, 'f', 1))
                                    : "                ",
                    qPrintable(slow.what));
}

QJsonObject churningPod(int index)
{
    // Starts after 0.2-1.2 s, runs 4 s, exits 1 and restarts after 1 s: every pod changes state every few seconds.
    const QString lifecycle = QStringLiteral(
        R"({"pendingMs": 200, "readyMs": 200, "runMs": 4000, "exitCode": 1, "restartDelayMs": 1000, "jitterMs": 1000})");
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"),
         QJsonObject{
             {QStringLiteral("name"), QStringLiteral("churn-%1").arg(index, 4, 10, QLatin1Char('0'))},
             {QStringLiteral("namespace"), QStringLiteral("default")},
             {QStringLiteral("annotations"), QJsonObject{{QStringLiteral("mock.vk-studio.io/lifecycle"), lifecycle}}}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("vk-bench")},
                     {QStringLiteral("tolerations"),
                      QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("virtual-kubelet.io/provider")},
                                             {QStringLiteral("operator"), QStringLiteral("Exists")}}}},
                     {QStringLiteral("containers"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("app")},
                                             {QStringLiteral("image"), QStringLiteral("busybox:1.36")}}}}}}};
}

/// A cluster client on its own thread (as another user of the cluster would be), creating or deleting pods with a
/// few requests in flight.
class PodWriter : public QObject
{
public:
    explicit PodWriter(kube::ClusterConnection connection) : m_client(std::move(connection), unlimited(), this) {}

    void run(bool create, int count, std::function<void(int failures)> done)
    {
        m_create = create;
        m_count = count;
        m_next = 0;
        m_finished = 0;
        m_failures = 0;
        m_done = std::move(done);
        for (int i = 0; i < 8; ++i)
            pump();
    }

private:
    static kube::ApiClient::Options unlimited()
    {
        kube::ApiClient::Options options;
        options.qps = 0; // as fast as the server answers
        return options;
    }
    void pump()
    {
        if (m_next >= m_count)
            return;
        const int index = m_next++;
        auto answered = [this](Result<QJsonObject> r) {
            if (!r && ++m_failures == 1)
                std::fprintf(stderr, "first failure: %s\n", qPrintable(r.error().toString()));
            if (++m_finished == m_count)
                m_done(m_failures);
            else
                pump();
        };
        if (m_create) {
            m_client.create(kube::GroupVersionResource::pods(), QStringLiteral("default"), churningPod(index), this,
                            answered);
        } else {
            m_client.remove(kube::GroupVersionResource::pods(), QStringLiteral("default"),
                            QStringLiteral("churn-%1").arg(index, 4, 10, QLatin1Char('0')), this, answered);
        }
    }

    kube::ApiClient m_client;
    bool m_create = true;
    int m_count = 0;
    int m_next = 0;
    int m_finished = 0;
    int m_failures = 0;
    std::function<void(int)> m_done;
};

/// Runs the event loop until condition() holds (checked every 50 ms) or timeoutMs passes.
bool waitFor(const std::function<bool()>& condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

/// The process's resident memory now and at its peak, in MB (/proc/self/status), for the phase lines.
std::pair<double, double> residentMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    double now = 0;
    double peak = 0;
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : status.readAll().split('\n')) {
            const QList<QByteArray> parts = line.simplified().split(' ');
            if (parts.size() >= 2 && parts.at(0) == "VmRSS:")
                now = parts.at(1).toDouble() / 1024.0;
            if (parts.size() >= 2 && parts.at(0) == "VmHWM:")
                peak = parts.at(1).toDouble() / 1024.0;
        }
    }
    return {now, peak};
}

int countPhase(PodTableModel* model, const QString& phase)
{
    int n = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        n += model->podAt(row).phase == phase ? 1 : 0;
    return n;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    int podCount = 1000;
    int churnSeconds = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QStringLiteral("--pods"))
            podCount = args[i + 1].toInt();
        if (args[i] == QStringLiteral("--churn-seconds"))
            churnSeconds = args[i + 1].toInt();
    }
    QTemporaryDir tmp;
    QCoreApplication::setOrganizationName(QStringLiteral("vk-studio-bench"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, tmp.filePath(QStringLiteral("settings")));
    vk::mock::registerMockProvider();

    MainWindow::Options options;
    options.agent.sandboxDataDir = tmp.filePath(QStringLiteral("sandbox"));
    options.agent.providerConfigDir = tmp.filePath(QStringLiteral("providers"));
    MainWindow window(options);
    window.resize(1600, 1000);
    window.show();
    QString kubeconfigPath;
    bool connected = false;
    QObject::connect(window.agent()->host(), &AgentHost::sandboxStarted, &window,
                     [&](const QString& path) { kubeconfigPath = path; });
    // The sandbox starts before the connection to it is made; a node can only start once connected.
    QObject::connect(
        window.agent()->host(), &AgentHost::connectionStateChanged, &window,
        [&](AgentHost::ConnectionState state) { connected = state == AgentHost::ConnectionState::Connected; });
    window.connectTo(ConnectionRequest{});
    if (!waitFor([&] { return !kubeconfigPath.isEmpty() && connected; }, 30000)) {
        std::fprintf(stderr, "the sandbox did not start: %s\n", qPrintable(window.bannerText()));
        return 1;
    }
    NodeRequest node;
    node.nodeName = QStringLiteral("vk-bench");
    // A generous client limit, so that the agent (not its rate limiter) sets the pace and the GUI sees the most churn.
    node.kubeApiQps = 1000;
    node.kubeApiBurst = 2000;
    node.providerConfigJson =
        QStringLiteral(R"({"vk-bench": {"cpu": "2000", "memory": "4Ti", "pods": "%1"}})").arg(podCount + 100).toUtf8();
    bool nodeReady = false;
    QObject::connect(
        window.agent()->host(), &AgentHost::virtualNodeChanged, &window,
        [&](const VirtualNodeState& state) { nodeReady = nodeReady || state.phase == VirtualNodeState::Phase::Ready; });
    window.startNode(node);
    if (!waitFor([&] { return nodeReady; }, 30000)) {
        std::fprintf(stderr, "the node did not get Ready: %s\n", qPrintable(window.bannerText()));
        return 1;
    }
    window.selectNode(node.nodeName); // the node's timeline: one row per pod, redrawn as they change

    auto config = kube::KubeConfig::loadFiles({kubeconfigPath}, true);
    auto connection = config ? config.value().connection() : Result<kube::ClusterConnection>(config.error());
    if (!connection) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(kubeconfigPath), qPrintable(connection.error().toString()));
        return 1;
    }
    QThread writerThread;
    writerThread.start();
    auto* writer = new PodWriter(connection.value());
    writer->moveToThread(&writerThread);
    const auto stopWriter = qScopeGuard([&] {
        QMetaObject::invokeMethod(
            writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        writerThread.quit();
        writerThread.wait();
    });
    int writerFailures = -1; // set when the writer is done
    auto runWriter = [&](bool create) {
        writerFailures = -1;
        QMetaObject::invokeMethod(writer, [&, create] {
            writer->run(create, podCount,
                        [&](int f) { QMetaObject::invokeMethod(&app, [&writerFailures, f] { writerFailures = f; }); });
        });
        return std::function<bool()>([&writerFailures] { return writerFailures >= 0; });
    };

    std::printf("bench_console: %d pods churning on one mock node, GUI thread sampled every 5 ms\n", podCount);
    StallMeter meter(5);
    app.takeSlow(0); // start-up is not what is measured
    QElapsedTimer phaseTimer;

    // 1. Creation: rows appear, go Pending -> Running.
    meter.start();
    phaseTimer.start();
    auto created = runWriter(true);
    if (!waitFor(created, 300000) || writerFailures > 0 ||
        !waitFor([&] { return window.podModel()->rowCount() >= podCount; }, 120000)) {
        std::fprintf(stderr, "pods were not created (%d rows, %d failed creates)\n", window.podModel()->rowCount(),
                     writerFailures);
        return 1;
    }
    // What a user does goes through the event loop, so that a slow action shows among the slow deliveries.
    QTimer::singleShot(0, &window, [&window] { window.openLogs({QStringLiteral("default/churn-0000")}); });
    waitFor([&] { return countPhase(window.podModel(), QStringLiteral("Running")) >= podCount * 9 / 10; }, 120000);
    meter.stop();
    std::printf("  created, %d rows, %d Running after %.1f s\n", window.podModel()->rowCount(),
                countPhase(window.podModel(), QStringLiteral("Running")), phaseTimer.elapsed() / 1000.0);
    meter.report("create -> Running", 50);
    printSlow(app);
    double worst = meter.worstMs();

    // 2. Churn: every pod restarts every few seconds; the node's events are shown (rebuilt at each batch).
    QTimer::singleShot(0, &window, [&window] {
        if (auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("detailTabs")))
            tabs->setCurrentWidget(window.findChild<QWidget*>(QStringLiteral("eventsTree")));
    });
    meter.start();
    phaseTimer.restart();
    waitFor([&] { return phaseTimer.elapsed() > churnSeconds * 1000; }, churnSeconds * 1000 + 5000);
    meter.stop();
    int restarts = 0;
    for (int row = 0; row < window.podModel()->rowCount(); ++row)
        restarts += window.podModel()->podAt(row).restarts;
    std::printf("  churned %d s: %d restarts shown in the table\n", churnSeconds, restarts);
    meter.report("churn", 50);
    printSlow(app);
    worst = std::max(worst, meter.worstMs());

    // 3. Deletion: rows go Terminating, then away.
    meter.start();
    phaseTimer.restart();
    auto deleted = runWriter(false);
    const bool gone = waitFor(deleted, 300000) && waitFor([&] { return window.podModel()->rowCount() == 0; }, 180000);
    meter.stop();
    std::printf("  deleted: %s after %.1f s\n", gone ? "all rows gone" : "ROWS LEFT", phaseTimer.elapsed() / 1000.0);
    meter.report("delete -> gone", 50);
    printSlow(app);
    worst = std::max(worst, meter.worstMs());

    std::printf("  WORST GUI-thread stall: %.1f ms (target <= 50 ms)\n", worst);
    const auto [rssNow, rssPeak] = residentMb();
    std::printf("  memory (the whole process: window, agent, sandbox): %.0f MB resident at the end, %.0f MB at "
                "the peak\n",
                rssNow, rssPeak);
    return gone ? 0 : 1;
}
