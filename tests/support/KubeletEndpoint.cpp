// SPDX-License-Identifier: Apache-2.0
#include "support/KubeletEndpoint.h"

#include "http/HttpServer.h"
#include "http/Pki.h"
#include "kube/ApiClient.h"
#include "provider/Provider.h"
#include "sandbox/NodeLifecycleController.h"
#include "support/SandboxFixture.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QSslConfiguration>
#include <QTimer>

#include <optional>

namespace vk::test {

namespace {

using Call = std::function<void(QObject* context, kube::ApiClient::JsonCallback done)>;

Result<QJsonObject> waitFor(const Call& call, int timeoutMs, const QString& what)
{
    std::optional<Result<QJsonObject>> outcome;
    QEventLoop loop;
    QObject context;
    call(&context, [&](Result<QJsonObject> r) {
        outcome = std::move(r);
        loop.quit();
    });
    if (!outcome) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit); // a bound, not a delay: the answer quits first
        loop.exec();
    }
    if (!outcome)
        return Error::network(QStringLiteral("%1: no answer within %2 ms").arg(what).arg(timeoutMs));
    return *outcome;
}

} // namespace

QString configureKubeletTls(http::HttpServer& server, const QSslCertificate& clientCa, const QString& nodeName)
{
    pki::CertificateRequest serving;
    serving.commonName = nodeName;
    serving.ipAddresses = {QHostAddress(QHostAddress::LocalHost)};
    serving.serverAuth = true;
    auto certificate = pki::createSelfSigned(serving);
    if (!certificate)
        return certificate.error().message();
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificate->certificate());
    tls.setPrivateKey(certificate->key());
    server.setTlsConfiguration(tls);
    server.setClientCaCertificates({clientCa});
    return {};
}

QJsonObject kubeletNode(const QString& nodeName, quint16 port, QJsonObject base)
{
    QJsonObject metadata = base.value(QLatin1String("metadata")).toObject();
    metadata.insert(QStringLiteral("name"), nodeName);
    base.insert(QStringLiteral("metadata"), metadata);
    QJsonObject status = base.value(QLatin1String("status")).toObject();
    status.insert(QStringLiteral("addresses"),
                  QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("InternalIP")},
                                         {QStringLiteral("address"), QStringLiteral("127.0.0.1")}}});
    status.insert(QStringLiteral("daemonEndpoints"),
                  QJsonObject{{QStringLiteral("kubeletEndpoint"), QJsonObject{{QStringLiteral("Port"), int(port)}}}});
    base.insert(QStringLiteral("status"), status);
    return base;
}

Result<quint16> startKubeletStandIn(SandboxFixture& fixture,
                                    http::HttpServer& server,
                                    std::function<void(const http::HttpRequest&, http::HttpResponder*)> handler,
                                    const QString& nodeName)
{
    fixture.sandbox().nodeLifecycle()->gracePeriodMs = 3'600'000;
    if (const QString tls =
            configureKubeletTls(server, fixture.sandbox().certificateAuthority().certificate(), nodeName);
        !tls.isEmpty())
        return Error::internal(tls);
    server.setHandler(std::move(handler));
    auto port = server.listen(QHostAddress::LocalHost, 0);
    if (!port)
        return port.error();
    auto node = createAndWait(fixture.client(), kube::GroupVersionResource::nodes(), {}, kubeletNode(nodeName, *port));
    if (!node)
        return node.error();
    return *port;
}

QJsonObject podOnNode(const QString& name, const QString& nodeName, int containerPort)
{
    QJsonObject container{{QStringLiteral("name"), QStringLiteral("main")},
                          {QStringLiteral("image"), QStringLiteral("busybox")}};
    if (containerPort != 0)
        container.insert(QStringLiteral("ports"),
                         QJsonArray{QJsonObject{{QStringLiteral("containerPort"), containerPort}}});
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), QStringLiteral("default")}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("nodeName"), nodeName}, {QStringLiteral("containers"), QJsonArray{container}}}}};
}

QString writePemFile(const QString& path, const QByteArray& pem)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

Result<QJsonObject> createAndWait(kube::ApiClient& client,
                                  const kube::GroupVersionResource& gvr,
                                  const QString& namespaceName,
                                  const QJsonObject& object,
                                  int timeoutMs)
{
    return waitFor(
        [&](QObject* context, kube::ApiClient::JsonCallback done) {
            client.create(gvr, namespaceName, object, context, std::move(done));
        },
        timeoutMs, QStringLiteral("creating %1").arg(gvr.resource));
}

Result<QJsonObject> updateStatusAndWait(kube::ApiClient& client,
                                        const kube::GroupVersionResource& gvr,
                                        const QString& namespaceName,
                                        const QJsonObject& object,
                                        int timeoutMs)
{
    return waitFor(
        [&](QObject* context, kube::ApiClient::JsonCallback done) {
            client.updateStatus(gvr, namespaceName, object, context, std::move(done));
        },
        timeoutMs, QStringLiteral("updating the status of %1").arg(gvr.resource));
}

Result<QJsonObject> runPod(kube::ApiClient& client,
                           provider::Provider& provider,
                           const QJsonObject& pod,
                           const std::function<QJsonObject()>& providerPod,
                           int timeoutMs)
{
    const QString ns = pod.value(QLatin1String("metadata")).toObject().value(QLatin1String("namespace")).toString();
    auto created = createAndWait(client, kube::GroupVersionResource::pods(), ns, pod, timeoutMs);
    if (!created)
        return created.error();
    std::optional<Status> handed;
    QObject context;
    provider.createPod(created.value(), &context, [&](Status status) { handed = std::move(status); });
    // Wait for the provider's answer, then for Running: conditions, checked as events arrive, bounded by timeoutMs.
    QDeadlineTimer deadline(timeoutMs);
    const auto running = [&] {
        return providerPod().value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString() ==
               QLatin1String("Running");
    };
    while (!(handed && (!handed->ok() || running())) && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    if (!handed)
        return Error::network(QStringLiteral("the provider did not answer createPod within %1 ms").arg(timeoutMs));
    if (!handed->ok())
        return handed->error();
    if (!running())
        return Error::network(
            QStringLiteral("the provider did not report the pod Running within %1 ms").arg(timeoutMs));
    QJsonObject withStatus = created.value();
    withStatus.insert(QStringLiteral("status"), providerPod().value(QLatin1String("status")));
    return updateStatusAndWait(client, kube::GroupVersionResource::pods(), ns, withStatus, timeoutMs);
}

} // namespace vk::test
