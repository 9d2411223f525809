// SPDX-License-Identifier: Apache-2.0
// Benchmark: how fast the sandbox API server takes 1,000 pod creates and then 1,000 pod status updates from 16
// concurrent TLS clients (each with its own connection, one request in flight, as 16 controllers would be).
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
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
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
        [](Client&, int, QNetworkReply* r) {
            return r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
        },
        &failures);

    std::printf("sandbox benchmark: %d clients over TLS, one request in flight each\n", clientCount);
    std::printf("  %d pod creates:        %7.2f s  (%6.0f writes/s)\n", podCount, createMs / 1000.0,
                podCount * 1000.0 / std::max<qint64>(1, createMs));
    std::printf("  %d pod status updates: %7.2f s  (%6.0f writes/s)\n", updates, statusMs / 1000.0,
                updates * 1000.0 / std::max<qint64>(1, statusMs));
    std::printf("  reference: kube-apiserver 1.19 + etcd on 2 cores, about 2.5 s each (about 400 writes/s)\n");
    std::printf("  failed requests: %d\n", failures);
    std::fflush(stdout);

    QMetaObject::invokeMethod(
        &serverContext, [&] { delete box; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return failures == 0 ? 0 : 1;
}
