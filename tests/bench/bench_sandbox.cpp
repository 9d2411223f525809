// SPDX-License-Identifier: Apache-2.0
// Benchmark: how fast the sandbox API server takes 1,000 pod creates and then 1,000 pod status updates from 16
// concurrent TLS clients (each with its own connection, one request in flight, as 16 controllers would be).
// Last, 1,000 status writes as a virtual kubelet sends them (a merge PATCH of /status with the UID and
// resourceVersion as preconditions, the full Running status of a container) while a watch on the node's pods is
// open, as the agent's informer keeps one: what bench_agent's agent costs the server per pod.
// For scale: kube-apiserver 1.19 with etcd on a 2-core machine does each in about 2.5 s (about 400 writes/s).
// Prints figures; exits non-zero only when requests fail. Options: --pods N --clients N.
#include "BenchPhase.h"
#include "core/Json.h"
#include "http/Pki.h"
#include "sandbox/Sandbox.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <functional>

using namespace vk;
using vk::bench::ownCpuSeconds;
using vk::bench::runPhase;

namespace {

struct Client
{
    QNetworkAccessManager nam;
    QList<QJsonObject> pods;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int podCount = 1000;
    int clientCount = 16;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--pods"))
            podCount = args[i + 1].toInt();
        if (args[i] == QLatin1String("--clients"))
            clientCount = args[i + 1].toInt();
    }

    QTemporaryDir dir;
    QThread serverThread;
    serverThread.setObjectName(QStringLiteral("sandbox"));
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
            options.dataDir = dir.path();
            box = new sandbox::Sandbox(options);
            started = box->start();
        },
        Qt::BlockingQueuedConnection);
    if (!started) {
        std::fprintf(stderr, "sandbox failed to start: %s\n", qPrintable(started.error().message()));
        return 1;
    }
    const QString base = box->serverUrl().toString();
    auto admin = pki::loadFromFiles(dir.filePath(QStringLiteral("pki/admin.crt")),
                                    dir.filePath(QStringLiteral("pki/admin.key")));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({box->certificateAuthority().certificate()});
    tls.setLocalCertificate(admin->certificate());
    tls.setPrivateKey(admin->key());

    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < clientCount; ++i)
        clients.push_back(std::make_unique<Client>());
    const auto request = [&](const QString& path) {
        QNetworkRequest r(QUrl(base + path));
        r.setSslConfiguration(tls);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        return r;
    };
    // Warm up every client's TLS connection so the phases measure requests, not handshakes.
    int failures = 0;
    runPhase<Client>(
        clients, clientCount, [&](Client& c, int) { return c.nam.get(request(QStringLiteral("/version"))); },
        [](Client&, int, QNetworkReply* r) { return r->error() == QNetworkReply::NoError; }, &failures);

    double serverCpu = ownCpuSeconds(serverTid);
    const auto serverCpuSince = [&] {
        const double before = serverCpu;
        serverCpu = ownCpuSeconds(serverTid);
        return serverCpu - before;
    };
    const qint64 createMs = runPhase<Client>(
        clients, podCount,
        [&](Client& c, int index) {
            const QJsonObject pod{
                {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                {QStringLiteral("kind"), QStringLiteral("Pod")},
                {QStringLiteral("metadata"),
                 QJsonObject{
                     {QStringLiteral("name"), QStringLiteral("bench-%1").arg(index)},
                     {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), QStringLiteral("bench")}}}}},
                {QStringLiteral("spec"),
                 QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("bench-node")},
                             {QStringLiteral("containers"),
                              QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("c")},
                                                     {QStringLiteral("image"), QStringLiteral("busybox:1.36")}}}}}}};
            return c.nam.post(request(QStringLiteral("/api/v1/namespaces/default/pods")), json::compact(pod));
        },
        [](Client& c, int, QNetworkReply* r) {
            if (r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 201)
                return false;
            c.pods.append(QJsonDocument::fromJson(r->readAll()).object());
            return true;
        },
        &failures);
    const double createCpu = serverCpuSince();

    // Status updates of every created pod, as kubelets would write them.
    QList<QJsonObject> created;
    for (auto& c : clients)
        created += c->pods;
    const int updates = int(created.size());
    const qint64 statusMs = runPhase<Client>(
        clients, updates,
        [&](Client& c, int index) {
            QJsonObject pod = created.at(index);
            QJsonObject status{{QStringLiteral("phase"), QStringLiteral("Running")},
                               {QStringLiteral("podIP"), QStringLiteral("10.244.0.7")},
                               {QStringLiteral("startTime"), json::formatTime(QDateTime::currentDateTimeUtc())}};
            pod.insert(QStringLiteral("status"), status);
            const QString name =
                pod.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
            return c.nam.put(request(QStringLiteral("/api/v1/namespaces/default/pods/%1/status").arg(name)),
                             json::compact(pod));
        },
        [&](Client&, int index, QNetworkReply* r) {
            if (r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
                return false;
            created[index] = QJsonDocument::fromJson(r->readAll()).object();
            return true;
        },
        &failures);
    const double statusCpu = serverCpuSince();

    // The agent's status writes, with its watch open. The watch is read and dropped as it arrives.
    QNetworkAccessManager watcher;
    qint64 newest = 0; // the watch starts after the last update: it carries only the PATCHes' changes
    for (const QJsonObject& pod : created)
        newest = std::max(
            newest,
            json::at(pod, {QLatin1String("metadata"), QLatin1String("resourceVersion")}).toString().toLongLong());
    const QString listRv = QString::number(newest);
    QNetworkReply* watch = watcher.get(request(QStringLiteral("/api/v1/pods?watch=true&allowWatchBookmarks=true&"
                                                              "fieldSelector=spec.nodeName%3Dbench-node&"
                                                              "resourceVersion=") +
                                               listRv));
    qint64 watchBytes = 0;
    QObject::connect(watch, &QNetworkReply::readyRead, watch, [&] { watchBytes += watch->readAll().size(); });
    runPhase<Client>(
        clients, clientCount, [&](Client& c, int) { return c.nam.get(request(QStringLiteral("/version"))); },
        [](Client&, int, QNetworkReply* r) { return r->error() == QNetworkReply::NoError; }, &failures);
    serverCpuSince();
    const QString now = json::formatTime(QDateTime::currentDateTimeUtc());
    const auto condition = [&](const char* type) {
        return QJsonObject{{QStringLiteral("type"), QLatin1String(type)},
                           {QStringLiteral("status"), QStringLiteral("True")},
                           {QStringLiteral("lastProbeTime"), QJsonValue::Null},
                           {QStringLiteral("lastTransitionTime"), now}};
    };
    const QJsonArray conditions{condition("PodReadyToStartContainers"), condition("Initialized"), condition("Ready"),
                                condition("ContainersReady"), condition("PodScheduled")};
    const qint64 patchMs = runPhase<Client>(
        clients, updates,
        [&](Client& c, int index) {
            const QJsonObject meta = created.at(index).value(QLatin1String("metadata")).toObject();
            const QString name = meta.value(QLatin1String("name")).toString();
            const QJsonObject containerStatus{
                {QStringLiteral("name"), QStringLiteral("c")},
                {QStringLiteral("image"), QStringLiteral("busybox:1.36")},
                {QStringLiteral("imageID"), QString()},
                {QStringLiteral("containerID"), QStringLiteral("mock://default/%1/c/0").arg(name)},
                {QStringLiteral("ready"), true},
                {QStringLiteral("started"), true},
                {QStringLiteral("restartCount"), 0},
                {QStringLiteral("state"),
                 QJsonObject{{QStringLiteral("running"), QJsonObject{{QStringLiteral("startedAt"), now}}}}},
                {QStringLiteral("lastState"), QJsonObject{}}};
            const QJsonObject body{
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("uid"), meta.value(QLatin1String("uid"))},
                             {QStringLiteral("resourceVersion"), meta.value(QLatin1String("resourceVersion"))}}},
                {QStringLiteral("status"),
                 QJsonObject{{QStringLiteral("conditions"), conditions},
                             {QStringLiteral("containerStatuses"), QJsonArray{containerStatus}},
                             {QStringLiteral("hostIP"), QStringLiteral("127.0.0.1")},
                             {QStringLiteral("hostIPs"),
                              QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("127.0.0.1")}}}},
                             {QStringLiteral("podIPs"),
                              QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("10.244.0.7")}}}}}}};
            QNetworkRequest r = request(QStringLiteral("/api/v1/namespaces/default/pods/%1/status").arg(name));
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/merge-patch+json"));
            return c.nam.sendCustomRequest(r, "PATCH", json::compact(body));
        },
        [](Client&, int, QNetworkReply* r) {
            return r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
        },
        &failures);
    const double patchCpu = serverCpuSince();
    watch->abort();

    std::printf("sandbox benchmark: %d clients over TLS, one request in flight each\n", clientCount);
    std::printf("  %d pod creates:        %7.2f s  (%6.0f writes/s; sandbox thread CPU %.2f s)\n", podCount,
                createMs / 1000.0, podCount * 1000.0 / std::max<qint64>(1, createMs), createCpu);
    std::printf("  %d pod status updates: %7.2f s  (%6.0f writes/s; sandbox thread CPU %.2f s)\n", updates,
                statusMs / 1000.0, updates * 1000.0 / std::max<qint64>(1, statusMs), statusCpu);
    std::printf("  %d agent status PATCHes, node watch open: %7.2f s  (%6.0f writes/s; sandbox thread CPU %.2f s; "
                "%lld bytes watched)\n",
                updates, patchMs / 1000.0, updates * 1000.0 / std::max<qint64>(1, patchMs), patchCpu, watchBytes);
    std::printf("  reference: kube-apiserver 1.19 + etcd on 2 cores, about 2.5 s each (about 400 writes/s)\n");
    std::printf("  failed requests: %d\n", failures);
    std::fflush(stdout);

    QMetaObject::invokeMethod(
        &serverContext, [&] { delete box; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return failures == 0 ? 0 : 1;
}
