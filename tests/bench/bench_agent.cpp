// SPDX-License-Identifier: Apache-2.0
// Benchmark: 1,000 pods bound to a virtual node at once -> all Running -> all deleted (default grace period),
// against the sandbox, with the agent (`virtual-kubelet --provider mock`) as its own process so its CPU seconds and
// peak RSS are its own. Also measures the baseline the target is set against: the time the sandbox needs for the
// same number of bare pod status writes from 16 clients.
// Target: all Running within 1.5x that baseline; agent RSS under 60 MB at 1,000 pods.
// For scale: upstream virtual-kubelet on kube-apiserver takes 110 s to bring 500 pods to Running and 215 s to delete
// them (client-go's fixed 5 requests/s).
// Last, the same number of pods is bound while no agent runs and a new agent is started: all Running is then timed
// from the agent's start, with all pods there at once and no creates competing with the agent for the server.
// The bench learns when the pods are Running or gone from one watch on the node's pods (as `kubectl get pods -w`), not
// by polling: a filtered list costs the sandbox thread about 4 ms, so polls every 20 ms took a sixth of the server
// the figures measure.
// Usage: bench_agent [--pods N] [--agent path/to/virtual-kubelet] [--progress]
// --progress prints, every 100 ms while waiting, how many pods are not Running / not gone yet.
#include "BenchPhase.h"
#include "core/Json.h"
#include "http/Pki.h"
#include "sandbox/Sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <unistd.h>

using namespace vk;
using vk::bench::ownCpuSeconds;
using vk::bench::runPhase;

namespace {

struct Client
{
    QNetworkAccessManager nam;
};

/// Polls until condition() holds or timeoutMs passes, pausing intervalMs between probes; returns the elapsed ms or -1.
qint64 waitUntil(const std::function<void(std::function<void(bool)>)>& probe, qint64 timeoutMs, int intervalMs = 100)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        bool done = false;
        bool answered = false;
        QEventLoop loop;
        probe([&](bool result) {
            done = result;
            answered = true;
            loop.quit();
        });
        if (!answered)
            loop.exec();
        if (done)
            return timer.elapsed();
        QEventLoop pause;
        QTimer::singleShot(intervalMs, &pause, &QEventLoop::quit);
        pause.exec();
    }
    return -1;
}

/// The phase of every pod on the node, kept current by one watch that starts with the pods there now (a watch
/// without resourceVersion begins with an ADDED event for each).
class PodPhases
{
public:
    PodPhases(QNetworkAccessManager& nam, const QNetworkRequest& watchRequest) : m_reply(nam.get(watchRequest))
    {
        QObject::connect(m_reply, &QNetworkReply::readyRead, m_reply, [this] { read(); });
        QObject::connect(m_reply, &QNetworkReply::finished, m_reply, [this] {
            m_ended = true;
            if (m_changed)
                m_changed();
        });
    }
    ~PodPhases()
    {
        m_reply->abort();
        m_reply->deleteLater();
    }

    /// Pods named "<group>-...": all of them, or those in `phase`.
    int count(const QString& group, const QString& phase = {}) const
    {
        const auto phases = m_counts.constFind(group);
        if (phases == m_counts.cend())
            return 0;
        if (!phase.isEmpty())
            return phases->value(phase);
        int n = 0;
        for (int c : *phases)
            n += c;
        return n;
    }

    /// Waits until the watch is open (its answer's head has arrived); false if it failed.
    bool waitOpen()
    {
        QEventLoop loop;
        QObject::connect(m_reply, &QNetworkReply::metaDataChanged, &loop, &QEventLoop::quit);
        QObject::connect(m_reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        if (!m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid() && !m_ended)
            loop.exec();
        return !m_ended && m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    }

    /// Runs the event loop until done() holds (checked after every watch event) or timeoutMs passes, printing
    /// `describe()` every 100 ms when progress is set. Returns the elapsed ms, or -1 on timeout or a closed watch.
    qint64 waitFor(const std::function<bool()>& done,
                   qint64 timeoutMs,
                   bool progress,
                   const std::function<QString()>& describe)
    {
        QElapsedTimer timer;
        timer.start();
        QEventLoop loop;
        m_changed = [&] {
            if (m_ended || done())
                loop.quit();
        };
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(int(timeoutMs));
        QTimer ticker;
        if (progress) {
            QObject::connect(&ticker, &QTimer::timeout, &loop, [&] {
                std::printf("    %6lld ms: %s\n", timer.elapsed(), qPrintable(describe()));
                std::fflush(stdout);
            });
            ticker.start(100);
        }
        if (!m_ended && !done())
            loop.exec();
        m_changed = nullptr;
        if (m_ended)
            std::fprintf(stderr, "the watch on the node's pods ended: %s\n", qPrintable(m_reply->errorString()));
        return !m_ended && done() ? timer.elapsed() : -1;
    }

private:
    void read()
    {
        m_buffer += m_reply->readAll();
        qsizetype start = 0;
        for (qsizetype end = m_buffer.indexOf('\n'); end >= 0; end = m_buffer.indexOf('\n', start)) {
            const QJsonObject event = QJsonDocument::fromJson(m_buffer.mid(start, end - start)).object();
            start = end + 1;
            const QJsonObject pod = event.value(QLatin1String("object")).toObject();
            const QString name = json::at(pod, {QLatin1String("metadata"), QLatin1String("name")}).toString();
            const QString type = event.value(QLatin1String("type")).toString();
            const QString group = name.section(QLatin1Char('-'), 0, 0);
            if (const auto known = m_phases.constFind(name); known != m_phases.cend()) {
                m_counts[group][*known] -= 1;
                m_phases.erase(known);
            }
            if (type == QLatin1String("ADDED") || type == QLatin1String("MODIFIED")) {
                const QString phase = json::at(pod, {QLatin1String("status"), QLatin1String("phase")}).toString();
                m_phases.insert(name, phase);
                m_counts[group][phase] += 1;
            }
        }
        m_buffer.remove(0, start);
        if (m_changed)
            m_changed();
    }

    QNetworkReply* m_reply;
    QByteArray m_buffer;
    QHash<QString, QString> m_phases;             ///< pod name -> phase
    QHash<QString, QHash<QString, int>> m_counts; ///< name group ("vk" of "vk-12") -> phase -> pods
    std::function<void()> m_changed;
    bool m_ended = false;
};

QPair<double, qint64> cpuSecondsAndPeakRssKb(qint64 pid)
{
    double cpu = 0;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        // utime and stime are fields 14 and 15 of /proc/pid/stat, i.e. 11 and 12 after the command name.
        cpu = (fields.value(11).toDouble() + fields.value(12).toDouble()) / double(sysconf(_SC_CLK_TCK));
    }
    qint64 peakKb = 0;
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("VmHWM:"))
                peakKb = line.mid(6).trimmed().split(' ').first().toLongLong();
        }
    }
    return {cpu, peakKb};
}

/// The allocator a running process uses: "mimalloc" when its library is mapped, else glibc's malloc.
QString allocatorOf(qint64 pid)
{
    QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
    if (maps.open(QIODevice::ReadOnly) && maps.readAll().contains("libmimalloc"))
        return QStringLiteral("mimalloc");
    return QStringLiteral("glibc malloc");
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int podCount = 1000;
    QString agentPath = QCoreApplication::applicationDirPath() + QStringLiteral("/virtual-kubelet");
    const QStringList args = app.arguments();
    const bool progress = args.contains(QLatin1String("--progress"));
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--pods"))
            podCount = args[i + 1].toInt();
        if (args[i] == QLatin1String("--agent"))
            agentPath = args[i + 1];
    }
    const int clientCount = 16;
    const QString nodeName = QStringLiteral("bench-node");

    QTemporaryDir dir;
    QThread serverThread;
    serverThread.start();
    QObject serverContext;
    serverContext.moveToThread(&serverThread);
    sandbox::Sandbox* box = nullptr;
    Status started;
    qint64 serverTid = 0; // the sandbox's thread: its CPU seconds per phase are printed
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
            serverTid = vk::bench::currentThreadId();
            sandbox::Sandbox::Options options;
            options.dataDir = dir.filePath(QStringLiteral("sandbox"));
            box = new sandbox::Sandbox(options);
            started = box->start();
        },
        Qt::BlockingQueuedConnection);
    if (!started) {
        std::fprintf(stderr, "sandbox failed to start: %s\n", qPrintable(started.error().message()));
        return 1;
    }
    const QString base = box->serverUrl().toString();
    auto admin = pki::loadFromFiles(dir.filePath(QStringLiteral("sandbox/pki/admin.crt")),
                                    dir.filePath(QStringLiteral("sandbox/pki/admin.key")));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({box->certificateAuthority().certificate()});
    tls.setLocalCertificate(admin->certificate());
    tls.setPrivateKey(admin->key());
    const auto request = [&](const QString& path) {
        QNetworkRequest r(QUrl(base + path));
        r.setSslConfiguration(tls);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        return r;
    };
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < clientCount; ++i)
        clients.push_back(std::make_unique<Client>());
    int failures = 0;
    const auto statusIs = [](int code) {
        return [code](Client&, int, QNetworkReply* r) {
            return r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == code;
        };
    };
    const auto podJson = [&](const QString& name, const QString& node) {
        return json::compact(QJsonObject{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("nodeName"), node},
                         {QStringLiteral("containers"),
                          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("c")},
                                                 {QStringLiteral("image"), QStringLiteral("busybox:1.36")}}}}}}});
    };

    // Baseline: bare status writes by 16 clients (pods on a node no agent serves).
    runPhase<Client>(
        clients, podCount,
        [&](Client& c, int i) {
            return c.nam.post(request(QStringLiteral("/api/v1/namespaces/default/pods")),
                              podJson(QStringLiteral("base-%1").arg(i), QStringLiteral("nobody")));
        },
        statusIs(201), &failures);
    const double serverCpuBeforeBaseline = ownCpuSeconds(serverTid);
    const double benchCpuBeforeBaseline = ownCpuSeconds();
    const qint64 baselineMs = runPhase<Client>(
        clients, podCount,
        [&](Client& c, int i) {
            QJsonObject pod =
                QJsonDocument::fromJson(podJson(QStringLiteral("base-%1").arg(i), QStringLiteral("nobody"))).object();
            pod.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")},
                                                             {QStringLiteral("podIP"), QStringLiteral("10.244.0.9")}});
            return c.nam.put(request(QStringLiteral("/api/v1/namespaces/default/pods/base-%1/status").arg(i)),
                             json::compact(pod));
        },
        statusIs(200), &failures);
    const double serverCpuBaseline = ownCpuSeconds(serverTid) - serverCpuBeforeBaseline;
    const double benchCpuBaseline = ownCpuSeconds() - benchCpuBeforeBaseline;

    // The agent, as its own process.
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 kubeletPort = probe.serverPort();
    probe.close();
    QFile mockConfig(dir.filePath(QStringLiteral("mock.json")));
    mockConfig.open(QIODevice::WriteOnly);
    mockConfig.write(QStringLiteral("{\"%1\": {\"cpu\": \"1000\", \"memory\": \"4Ti\", \"pods\": \"%2\"}}")
                         .arg(nodeName)
                         .arg(podCount * 2)
                         .toUtf8());
    mockConfig.close();
    const QStringList agentArgs{QStringLiteral("--provider"),
                                QStringLiteral("mock"),
                                QStringLiteral("--provider-config"),
                                mockConfig.fileName(),
                                QStringLiteral("--nodename"),
                                nodeName,
                                QStringLiteral("--kubeconfig"),
                                dir.filePath(QStringLiteral("sandbox/kubeconfig")),
                                QStringLiteral("--kube-api-qps"),
                                QStringLiteral("5000"),
                                QStringLiteral("--kube-api-burst"),
                                QStringLiteral("10000"),
                                QStringLiteral("--port"),
                                QString::number(kubeletPort),
                                QStringLiteral("--metrics-addr"),
                                QString()};
    QProcess agent;
    agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    agent.setStandardOutputFile(dir.filePath(QStringLiteral("agent.log")));
    agent.start(agentPath, agentArgs);
    if (!agent.waitForStarted(10000)) {
        std::fprintf(stderr, "cannot start %s\n", qPrintable(agentPath));
        return 1;
    }
    QNetworkAccessManager watcher;
    const qint64 readyMs = waitUntil(
        [&](std::function<void(bool)> answer) {
            QNetworkReply* reply = watcher.get(request(QStringLiteral("/api/v1/nodes/") + nodeName));
            QObject::connect(reply, &QNetworkReply::finished, reply, [reply, answer] {
                const QJsonObject node = QJsonDocument::fromJson(reply->readAll()).object();
                bool ready = false;
                for (const auto& c : json::at(node, {QLatin1String("status"), QLatin1String("conditions")}).toArray())
                    ready |= c.toObject().value(QLatin1String("type")).toString() == QLatin1String("Ready") &&
                             c.toObject().value(QLatin1String("status")).toString() == QLatin1String("True");
                answer(ready);
                reply->deleteLater();
            });
        },
        30000);

    const QString onNode = QStringLiteral("spec.nodeName=") + nodeName;
    QNetworkAccessManager watchNam; // the watch holds its connection for the whole run
    PodPhases phases(watchNam, request(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&fieldSelector=") +
                                       QString::fromLatin1(QUrl::toPercentEncoding(onNode))));
    if (!phases.waitOpen()) {
        std::fprintf(stderr, "cannot watch the node's pods\n");
        return 1;
    }
    const auto runningOf = [&](const QString& group) {
        return [&phases, group] {
            return QStringLiteral("%1 of the %2 pods Running")
                .arg(phases.count(group, QStringLiteral("Running")))
                .arg(phases.count(group));
        };
    };

    const double serverCpuBeforeRunning = ownCpuSeconds(serverTid);
    const double benchCpuBeforeRunning = ownCpuSeconds();
    const double agentCpuBeforeRunning = cpuSecondsAndPeakRssKb(agent.processId()).first;
    QElapsedTimer runningTimer;
    runningTimer.start();
    runPhase<Client>(
        clients, podCount,
        [&](Client& c, int i) {
            return c.nam.post(request(QStringLiteral("/api/v1/namespaces/default/pods")),
                              podJson(QStringLiteral("vk-%1").arg(i), nodeName));
        },
        statusIs(201), &failures);
    const qint64 createdMs = runningTimer.elapsed();
    const double serverCpuCreates = ownCpuSeconds(serverTid) - serverCpuBeforeRunning;
    const qint64 allRunningWait =
        phases.waitFor([&] { return phases.count(QStringLiteral("vk"), QStringLiteral("Running")) == podCount; },
                       600'000, progress, runningOf(QStringLiteral("vk")));
    const qint64 runningMs = allRunningWait < 0 ? -1 : runningTimer.elapsed();
    const auto [cpuAtRunning, rssAtRunning] = cpuSecondsAndPeakRssKb(agent.processId());
    const double serverCpuRunning = ownCpuSeconds(serverTid) - serverCpuBeforeRunning;
    const double benchCpuRunning = ownCpuSeconds() - benchCpuBeforeRunning;
    // How many of the agent's events the server had taken by then (read after the timing: no effect on it).
    int eventsAtRunning = -1;
    waitUntil(
        [&](std::function<void(bool)> answer) {
            QNetworkReply* reply = watcher.get(request(QStringLiteral("/api/v1/namespaces/default/events")));
            QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply, answer] {
                eventsAtRunning = int(
                    QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("items")).toArray().size());
                answer(true);
                reply->deleteLater();
            });
        },
        10'000);

    QElapsedTimer deleteTimer;
    deleteTimer.start();
    runPhase<Client>(
        clients, podCount,
        [&](Client& c, int i) {
            return c.nam.sendCustomRequest(request(QStringLiteral("/api/v1/namespaces/default/pods/vk-%1").arg(i)),
                                           "DELETE");
        },
        statusIs(200), &failures);
    const qint64 deleteRequestedMs = deleteTimer.elapsed();
    const qint64 goneWait =
        phases.waitFor([&] { return phases.count(QStringLiteral("vk")) == 0; }, 600'000, progress,
                       [&] { return QStringLiteral("%1 pods left").arg(phases.count(QStringLiteral("vk"))); });
    const qint64 deleteMs = goneWait < 0 ? -1 : deleteTimer.elapsed();

    // The agent's events (ProviderCreateSuccess and ProviderDeleteSuccess per pod) are written one at a time
    // behind its other requests: how long after the pods were gone the last one arrived.
    int eventsWritten = 0;
    const qint64 eventsWait = waitUntil(
        [&](std::function<void(bool)> answer) {
            QNetworkReply* reply = watcher.get(request(QStringLiteral("/api/v1/namespaces/default/events")));
            QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply, answer] {
                int n = 0;
                const QJsonArray items =
                    QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("items")).toArray();
                for (const auto& item : items) {
                    const QJsonObject event = item.toObject();
                    const QString reason = event.value(QLatin1String("reason")).toString();
                    n += (reason == QLatin1String("ProviderCreateSuccess") ||
                          reason == QLatin1String("ProviderDeleteSuccess")) &&
                         json::at(event, {QLatin1String("involvedObject"), QLatin1String("name")})
                             .toString()
                             .startsWith(QLatin1String("vk-"));
                }
                eventsWritten = n;
                answer(n >= 2 * podCount);
                reply->deleteLater();
            });
        },
        120'000, 200);
    const auto [cpuTotal, rssPeak] = cpuSecondsAndPeakRssKb(agent.processId()); // with the events written
    const QString allocators =
        QStringLiteral("agent on %1, sandbox on %2").arg(allocatorOf(agent.processId()), allocatorOf(getpid()));

    std::printf("agent benchmark: %d pods on one mock node, sandbox API server, agent as its own process (%s)\n",
                podCount, qPrintable(allocators));
    std::printf("  node Ready after start:               %7.2f s\n", readyMs / 1000.0);
    std::printf("  baseline, %d bare status writes:      %7.2f s  (16 clients)\n", podCount, baselineMs / 1000.0);
    std::printf("  %d pods created -> all Running:       %7.2f s  (%.2fx the baseline; target <= 1.5x)\n", podCount,
                runningMs / 1000.0, baselineMs > 0 ? double(runningMs) / double(baselineMs) : 0.0);
    std::printf("     of which the %d creates took %.2f s; last create answered -> all Running: %.2f s (%.2fx the "
                "baseline)\n",
                podCount, createdMs / 1000.0, (runningMs - createdMs) / 1000.0,
                baselineMs > 0 ? double(runningMs - createdMs) / double(baselineMs) : 0.0);
    std::printf(
        "     CPU seconds (where the time goes): baseline: sandbox thread %.2f, the bench's clients %.2f; created -> "
        "all Running: sandbox thread %.2f (%.2f until the last create answered), bench (clients, its watch) "
        "%.2f, agent %.2f\n",
        serverCpuBaseline, benchCpuBaseline - serverCpuBaseline, serverCpuRunning, serverCpuCreates,
        benchCpuRunning - serverCpuRunning, cpuAtRunning - agentCpuBeforeRunning);
    std::printf("     events in the API when all were Running: %d (the agent records one per pod created)\n",
                eventsAtRunning);
    std::printf("  %d pods deleted (grace 30 s) -> gone: %7.2f s  (the %d deletes took %.2f s)\n", podCount,
                deleteMs / 1000.0, podCount, deleteRequestedMs / 1000.0);
    if (eventsWait >= 0)
        std::printf("  the agent's %d pod events were all written %.2f s after the pods were gone\n", 2 * podCount,
                    eventsWait / 1000.0);
    else
        std::printf("  the agent's pod events: %d of %d written 120 s after the pods were gone\n", eventsWritten,
                    2 * podCount);
    std::printf("  agent CPU: %.2f s to Running, %.2f s in all (events included); agent peak RSS: %.1f MB at Running, "
                "%.1f MB in all "
                "(target < 60 MB)\n",
                cpuAtRunning, cpuTotal, rssAtRunning / 1024.0, rssPeak / 1024.0);
    std::printf(
        "  upstream for scale: 110 s to Running and 215 s to delete for 500 pods (client-go at 5 requests/s)\n");
    std::fflush(stdout);
    agent.terminate();
    agent.waitForFinished(10000);

    // The same number of pods bound while no agent runs, then an agent started: the pods are all there at once
    // (no creates competing with the agent for the server), timed from the agent's start to all Running.
    runPhase<Client>(
        clients, podCount,
        [&](Client& c, int i) {
            return c.nam.post(request(QStringLiteral("/api/v1/namespaces/default/pods")),
                              podJson(QStringLiteral("pb-%1").arg(i), nodeName));
        },
        statusIs(201), &failures);
    QProcess restarted;
    restarted.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    restarted.setStandardOutputFile(dir.filePath(QStringLiteral("agent-restarted.log")));
    QElapsedTimer restartTimer;
    const double serverCpuBeforeRestart = ownCpuSeconds(serverTid);
    restartTimer.start();
    restarted.start(agentPath, agentArgs);
    qint64 restartMs = -1;
    if (restarted.waitForStarted(10000)) {
        const qint64 wait =
            phases.waitFor([&] { return phases.count(QStringLiteral("pb"), QStringLiteral("Running")) == podCount; },
                           600'000, progress, runningOf(QStringLiteral("pb")));
        restartMs = wait < 0 ? -1 : restartTimer.elapsed();
    }
    const double serverCpuRestart = ownCpuSeconds(serverTid) - serverCpuBeforeRestart;
    const auto [cpuRestart, rssRestart] = cpuSecondsAndPeakRssKb(restarted.processId());
    std::printf("  agent started with %d pods already bound -> all Running: %7.2f s  (%.2fx the baseline; "
                "agent CPU %.2f s, sandbox thread CPU %.2f s, peak RSS %.1f MB)\n",
                podCount, restartMs / 1000.0, baselineMs > 0 ? double(restartMs) / double(baselineMs) : 0.0, cpuRestart,
                serverCpuRestart, rssRestart / 1024.0);
    std::printf("  failed requests: %d\n", failures);
    std::fflush(stdout);
    restarted.terminate();
    restarted.waitForFinished(10000);
    QMetaObject::invokeMethod(
        &serverContext, [&] { delete box; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return failures == 0 && runningMs >= 0 && deleteMs >= 0 && restartMs >= 0 ? 0 : 1;
}
