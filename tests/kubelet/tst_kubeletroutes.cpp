// SPDX-License-Identifier: Apache-2.0
// The kubelet HTTPS API with the mock provider, over TLS, through QNetworkAccessManager: every non-streaming route,
// container logs with each option (and upstream's 400s), log follow as lines arrive, 501 for a capability the
// provider lacks, and authentication/authorization with a client CA and a fake API server for the reviews.
#include "FakeApiServer.h"
#include "core/Json.h"
#include "http/Pki.h"
#include "kube/ApiClient.h"
#include "kubelet/KubeletServer.h"
#include "mock/MockProvider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;

namespace {

QJsonObject makePod(const QString& name, const QJsonObject& lifecycle)
{
    QJsonObject metadata{{QStringLiteral("name"), name},
                         {QStringLiteral("namespace"), QStringLiteral("default")},
                         {QStringLiteral("uid"), QString(QStringLiteral("uid-") + name)}};
    if (!lifecycle.isEmpty())
        metadata.insert(QStringLiteral("annotations"),
                        QJsonObject{{QLatin1String(mock::kLifecycleAnnotation),
                                     QString::fromUtf8(QJsonDocument(lifecycle).toJson(QJsonDocument::Compact))}});
    return {{QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("vk-node")},
                         {QStringLiteral("restartPolicy"), QStringLiteral("Always")},
                         {QStringLiteral("containers"),
                          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("web")},
                                                 {QStringLiteral("image"), QStringLiteral("nginx")}}}}}}};
}

/// The mock without logs and stats, for the 501s.
class LimitedProvider : public mock::MockProvider
{
public:
    using MockProvider::MockProvider;
    provider::Capabilities capabilities() const override { return provider::Capability::PodStatusPush; }
};

struct Reply
{
    int status = 0;
    QByteArray contentType;
    QByteArray location;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString message() const { return json().value(QLatin1String("message")).toString(); }
};

} // namespace

class KubeletRoutesTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<mock::MockProvider> m_mock;
    std::unique_ptr<kubelet::KubeletServer> m_server;
    QSslCertificate m_serverCert;
    quint16 m_port = 0;

    QNetworkRequest request(const QString& path, quint16 port, const pki::CertificateAndKey& client = {}) const
    {
        QNetworkRequest r(QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(port).arg(path)));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_serverCert});
        if (!client.isNull()) {
            tls.setLocalCertificate(client.certificate());
            tls.setPrivateKey(client.key());
        }
        r.setSslConfiguration(tls);
        r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        return r;
    }

    Reply get(const QString& path,
              quint16 port = 0,
              const pki::CertificateAndKey& client = {},
              const QByteArray& token = {},
              const QByteArray& method = "GET")
    {
        QNetworkAccessManager nam; // one per identity: no connection reuse across client certificates
        QNetworkRequest r = request(path, port ? port : m_port, client);
        if (!token.isEmpty())
            r.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply* reply = nam.sendCustomRequest(r, method);
        Reply out;
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000)) {
            reply->abort();
            return out;
        }
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.contentType = reply->rawHeader("Content-Type");
        out.location = reply->rawHeader("Location");
        out.body = reply->readAll();
        delete reply;
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        provider::ProviderConfig config;
        config.nodeName = QStringLiteral("vk-node");
        config.internalIp = QStringLiteral("127.0.0.1");
        m_mock = std::make_unique<mock::MockProvider>(mock::MockNodeConfig(), config, &m_clock);
        const QJsonObject script{{QStringLiteral("logLinesPerSecond"), 10},
                                 {QStringLiteral("logLine"), QStringLiteral("line {n}")}};
        bool created = false;
        m_mock->createPod(makePod(QStringLiteral("web"), script), this, [&](Status s) { created = s.ok(); });
        QTRY_VERIFY(created);
        m_clock.advance(1000); // ten lines

        kubelet::KubeletServer::Options options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        options.nodeName = QStringLiteral("vk-node");
        options.nodeIps = {QHostAddress::LocalHost};
        options.generatedCertificateDir = m_dir.filePath(QStringLiteral("pki"));
        options.clock = &m_clock;
        m_server = std::make_unique<kubelet::KubeletServer>(m_mock.get(), nullptr, options);
        m_server->setPods([this] { return QList<QJsonObject>{makePod(QStringLiteral("from-api"), {})}; });
        m_server->setMetricsText([] { return QByteArrayLiteral("vk_agent_up 1\n"); });
        QTest::ignoreMessage(QtWarningMsg, "the kubelet API is unauthenticated: set APISERVER_CA_CERT_LOCATION");
        auto port = m_server->start();
        QVERIFY2(port.ok(), qPrintable(port.ok() ? QString() : port.error().message()));
        m_port = *port;
        m_serverCert = m_server->servingCertificate().certificate();
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("pki/kubelet.crt"))));
    }

    void selfSignedCertificateNamesTheNode()
    {
        QCOMPARE(m_serverCert.subjectInfo(QSslCertificate::CommonName).value(0), QStringLiteral("vk-node"));
        const auto sans = m_serverCert.subjectAlternativeNames();
        QVERIFY(sans.values(QSsl::DnsEntry).contains(QStringLiteral("vk-node")));
        QVERIFY(sans.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    }

    void healthz()
    {
        const Reply r = get(QStringLiteral("/healthz"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("ok"));
    }

    void podsIsTheApiServersView()
    {
        const Reply r = get(QStringLiteral("/pods"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        const QJsonObject list = r.json();
        QCOMPARE(list.value(QLatin1String("kind")).toString(), QStringLiteral("PodList"));
        QCOMPARE(list.value(QLatin1String("apiVersion")).toString(), QStringLiteral("v1"));
        const QJsonArray items = list.value(QLatin1String("items")).toArray();
        QCOMPARE(items.size(), 1);
        QCOMPARE(json::at(items.first().toObject(), {QLatin1String("metadata"), QLatin1String("name")}).toString(),
                 QStringLiteral("from-api"));
    }

    void runningPodsIsTheProvidersView()
    {
        const Reply r = get(QStringLiteral("/runningpods/"));
        QCOMPARE(r.status, 200);
        const QJsonArray items = r.json().value(QLatin1String("items")).toArray();
        QCOMPARE(items.size(), 1);
        QCOMPARE(json::at(items.first().toObject(), {QLatin1String("metadata"), QLatin1String("name")}).toString(),
                 QStringLiteral("web"));
        QCOMPARE(json::at(items.first().toObject(), {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Running"));
    }

    void strictSlashRedirects_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("location");
        QTest::newRow("runningpods without slash") << "/runningpods" << QByteArray("/runningpods/");
        QTest::newRow("pods with slash") << "/pods/" << QByteArray("/pods");
        QTest::newRow("container logs with slash keeps the query")
            << "/containerLogs/default/web/web/?tailLines=1"
            << QByteArray("/containerLogs/default/web/web?tailLines=1");
    }
    void strictSlashRedirects()
    {
        QFETCH(QString, path);
        const Reply r = get(path);
        QCOMPARE(r.status, 301);
        QTEST(r.location, "location");
    }

    void unknownPathAndWrongMethod()
    {
        Reply r = get(QStringLiteral("/spec/"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.body, QByteArray("404 page not found\n"));
        r = get(QStringLiteral("/containerLogs/default/web"));
        QCOMPARE(r.status, 404);
        r = get(QStringLiteral("/pods"), 0, {}, {}, "POST");
        QCOMPARE(r.status, 405);
    }

    void statsSummaryIsJsonLikeTheKubelets()
    {
        for (const QString& path : {QStringLiteral("/stats/summary"), QStringLiteral("/stats/summary/")}) {
            const Reply r = get(path);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.contentType, QByteArray("application/json")); // upstream forgets it (capture 25)
            const QJsonObject summary = r.json();
            QCOMPARE(json::at(summary, {QLatin1String("node"), QLatin1String("nodeName")}).toString(),
                     QStringLiteral("vk-node"));
            QVERIFY(!json::at(summary, {QLatin1String("node"), QLatin1String("startTime")}).toString().isEmpty());
            const QJsonObject pod = summary.value(QLatin1String("pods")).toArray().first().toObject();
            QCOMPARE(json::at(pod, {QLatin1String("podRef"), QLatin1String("name")}).toString(), QStringLiteral("web"));
            QCOMPARE(json::at(pod, {QLatin1String("podRef"), QLatin1String("uid")}).toString(),
                     QStringLiteral("uid-web"));
            const QJsonObject container = pod.value(QLatin1String("containers")).toArray().first().toObject();
            QCOMPARE(container.value(QLatin1String("name")).toString(), QStringLiteral("web"));
            QVERIFY(json::at(container, {QLatin1String("cpu"), QLatin1String("usageNanoCores")}).isDouble());
            QVERIFY(json::at(container, {QLatin1String("memory"), QLatin1String("usageBytes")}).isDouble());
            QVERIFY(json::at(pod, {QLatin1String("cpu"), QLatin1String("usageNanoCores")}).isDouble());
        }
    }

    void metricsResourceIsPrometheusText()
    {
        const Reply r = get(QStringLiteral("/metrics/resource"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QByteArray("text/plain; version=0.0.4"));
        for (const char* name : {"node_cpu_usage_seconds_total", "node_memory_working_set_bytes",
                                 "pod_cpu_usage_seconds_total", "pod_memory_working_set_bytes",
                                 "container_cpu_usage_seconds_total", "container_memory_working_set_bytes"})
            QVERIFY2(r.body.contains(QByteArray(QByteArray("\n") + name)) || r.body.startsWith(name), name);
        QVERIFY(r.body.contains("container=\"web\",namespace=\"default\",pod=\"web\""));
        QCOMPARE(get(QStringLiteral("/metrics/resource/")).status, 200);
    }

    void metricsAreTheAgents()
    {
        const Reply r = get(QStringLiteral("/metrics"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("vk_agent_up 1\n"));
    }

    void containerLogs_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body"); // exact body for 200
        QTest::addColumn<QString>("message"); // Status message otherwise
        const QByteArray all = "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\nline 10\n";
        QTest::newRow("everything") << "" << 200 << all << "";
        QTest::newRow("tailLines=2") << "?tailLines=2" << 200 << QByteArray("line 9\nline 10\n") << "";
        QTest::newRow("limitBytes=10") << "?limitBytes=10" << 200 << QByteArray("line 1\nlin") << "";
        QTest::newRow("timestamps with tailLines=1")
            << "?timestamps=true&tailLines=1" << 200 << QByteArray("2026-01-01T00:00:01.000000000Z line 10\n") << "";
        QTest::newRow("sinceSeconds=1 covers the last second") << "?sinceSeconds=1" << 200 << all << "";
        QTest::newRow("sinceTime after the fifth line")
            << "?sinceTime=2026-01-01T00:00:00.55Z" << 200 << QByteArray("line 6\nline 7\nline 8\nline 9\nline 10\n")
            << "";
        QTest::newRow("previous without a restart is the provider's 400")
            << "?previous=true" << 400 << QByteArray()
            << "previous terminated container \"web\" in pod \"web\" not found";
        QTest::newRow("400 tailLines=-1") << "?tailLines=-1" << 400 << QByteArray() << "\"tailLines\" is -1";
        QTest::newRow("400 limitBytes=0") << "?limitBytes=0" << 400 << QByteArray() << "\"limitBytes\" is 0";
        QTest::newRow("400 sinceSeconds=-10")
            << "?sinceSeconds=-10" << 400 << QByteArray() << "\"sinceSeconds\" is -10";
        QTest::newRow("400 sinceSeconds and sinceTime")
            << "?sinceSeconds=1&sinceTime=2026-01-01T00:00:00Z" << 400 << QByteArray()
            << "both \"sinceSeconds\" and \"sinceTime\" are set";
        QTest::newRow("400 follow=maybe")
            << "?follow=maybe" << 400 << QByteArray()
            << "could not parse \"follow\": strconv.ParseBool: parsing \"maybe\": invalid syntax";
        QTest::newRow("400 tailLines=ten")
            << "?tailLines=ten" << 400 << QByteArray()
            << "could not parse \"tailLines\": strconv.Atoi: parsing \"ten\": invalid syntax";
        QTest::newRow("400 sinceTime=now")
            << "?sinceTime=now" << 400 << QByteArray()
            << "could not parse \"sinceTime\": parsing time \"now\" as \"2006-01-02T15:04:05Z07:00\": cannot parse "
               "\"now\" as \"2006\"";
    }
    void containerLogs()
    {
        QFETCH(QString, query);
        const Reply r = get(QStringLiteral("/containerLogs/default/web/web") + query);
        QTEST(r.status, "status");
        if (r.status == 200) {
            QTEST(r.body, "body");
        } else {
            QCOMPARE(r.contentType, QByteArray("application/json"));
            QCOMPARE(r.json().value(QLatin1String("kind")).toString(), QStringLiteral("Status"));
            QCOMPARE(r.json().value(QLatin1String("code")).toInt(), r.status);
            QTEST(r.message(), "message");
        }
    }

    void containerLogsOfAnUnknownContainerIs404()
    {
        const Reply r = get(QStringLiteral("/containerLogs/default/web/sidecar"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QLatin1String("reason")).toString(), QStringLiteral("NotFound"));
    }

    void followStreamsLinesAsTheyArrive()
    {
        QNetworkAccessManager nam;
        QNetworkReply* reply =
            nam.get(request(QStringLiteral("/containerLogs/default/web/web?follow=true&tailLines=1"), m_port));
        QByteArray received;
        connect(reply, &QIODevice::readyRead, this, [&] { received += reply->readAll(); });
        QTRY_COMPARE(received, QByteArray("line 10\n"));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        m_clock.advance(100);
        QTRY_COMPARE(received, QByteArray("line 10\nline 11\n"));
        m_clock.advance(200);
        QTRY_COMPARE(received, QByteArray("line 10\nline 11\nline 12\nline 13\n"));
        QVERIFY(!reply->isFinished());
        reply->abort(); // the client goes: the server closes the provider's stream
        delete reply;
        m_clock.advance(100);
        QCOMPARE(get(QStringLiteral("/healthz")).status, 200);
    }

    void streamingRoutesWithoutUpgrade()
    {
        const Reply exec =
            get(QStringLiteral("/exec/default/web/web?command=echo&command=hi&output=1"), 0, {}, {}, "POST");
        const Reply portForward = get(QStringLiteral("/portForward/default/web"), 0, {}, {}, "POST");
        if (kubelet::KubeletServer::streamingAvailable()) {
            QCOMPARE(exec.status, 400);
            QVERIFY2(exec.message().startsWith(QStringLiteral("unable to upgrade")), qPrintable(exec.message()));
            QCOMPARE(portForward.status, 400);
        } else {
            QCOMPARE(exec.status, 501);
            QVERIFY2(exec.message().contains(QStringLiteral("stream transports")), qPrintable(exec.message()));
            QCOMPARE(portForward.status, 501);
        }
        const Reply noStreams = get(QStringLiteral("/exec/default/web/web?command=ls"), 0, {}, {}, "POST");
        QCOMPARE(noStreams.status, 400);
        QCOMPARE(noStreams.message(), QStringLiteral("you must specify at least one of stdin, stdout, stderr"));
        const Reply ttyStderr = get(QStringLiteral("/attach/default/web/web?tty=1&error=1"), 0, {}, {}, "POST");
        QCOMPARE(ttyStderr.status, 400);
        QCOMPARE(ttyStderr.message(), QStringLiteral("cannot exec with tty and stderr"));
    }

    void capabilityTheProviderLacksIs501()
    {
        provider::ProviderConfig config;
        config.nodeName = QStringLiteral("vk-node");
        LimitedProvider limited(mock::MockNodeConfig(), config, &m_clock);
        kubelet::KubeletServer::Options options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        options.nodeName = QStringLiteral("vk-node");
        options.nodeIps = {QHostAddress::LocalHost};
        options.generatedCertificateDir = m_dir.filePath(QStringLiteral("pki")); // same certificate as before
        kubelet::KubeletServer server(&limited, nullptr, options);
        QTest::ignoreMessage(QtWarningMsg, "the kubelet API is unauthenticated: set APISERVER_CA_CERT_LOCATION");
        auto port = server.start();
        QVERIFY(port.ok());
        QCOMPARE(server.servingCertificate().certificate(), m_serverCert);
        struct Case
        {
            QString path;
            QByteArray method;
            QString message;
        };
        const QList<Case> cases{
            {QStringLiteral("/containerLogs/default/web/web"), "GET",
             QStringLiteral("reading container logs is not supported by this provider")},
            {QStringLiteral("/stats/summary"), "GET",
             QStringLiteral("stats/summary is not supported by this provider")},
            {QStringLiteral("/metrics/resource"), "GET",
             QStringLiteral("metrics/resource is not supported by this provider")},
            {QStringLiteral("/exec/default/web/web?command=ls&output=1"), "POST",
             QStringLiteral("exec is not supported by this provider")},
            {QStringLiteral("/attach/default/web/web?output=1"), "POST",
             QStringLiteral("attach is not supported by this provider")},
            {QStringLiteral("/portForward/default/web"), "POST",
             QStringLiteral("port forwarding is not supported by this provider")},
        };
        for (const Case& c : cases) {
            const Reply r = get(c.path, *port, {}, {}, c.method);
            QCOMPARE(r.status, 501);
            QCOMPARE(r.json().value(QLatin1String("reason")).toString(), QStringLiteral("NotImplemented"));
            QCOMPARE(r.message(), c.message);
        }
        // /metrics without a metrics source
        QCOMPARE(get(QStringLiteral("/metrics"), *port).status, 501);
    }

    void authenticationAndAuthorization()
    {
        // A client CA, two client certificates, and a fake API server answering TokenReview and
        // SubjectAccessReview: alice may read stats only; bob (token "good") may do anything; carol's reviews 404.
        auto ca = pki::createCertificateAuthority(QStringLiteral("client-ca"));
        QVERIFY(ca.ok());
        const QString caPath = m_dir.filePath(QStringLiteral("client-ca.crt"));
        QVERIFY(pki::saveToFiles(*ca, caPath, m_dir.filePath(QStringLiteral("client-ca.key"))).ok());
        auto issue = [&](const QString& cn, const QStringList& groups) {
            pki::CertificateRequest request;
            request.commonName = cn;
            request.organizations = groups;
            request.clientAuth = true;
            return pki::issueCertificate(*ca, request).value();
        };
        const pki::CertificateAndKey alice = issue(QStringLiteral("alice"), {QStringLiteral("devs")});
        const pki::CertificateAndKey carol = issue(QStringLiteral("carol"), {});
        auto otherCa = pki::createCertificateAuthority(QStringLiteral("other-ca"));
        pki::CertificateRequest mallory;
        mallory.commonName = QStringLiteral("mallory");
        mallory.clientAuth = true;
        const pki::CertificateAndKey stranger = pki::issueCertificate(*otherCa, mallory).value();

        test::FakeApiServer api;
        QVERIFY(api.listen());
        QList<QJsonObject> reviews;
        api.setHandler([&](test::FakeExchange* exchange) {
            const QJsonObject body = exchange->request().json();
            reviews.append(body);
            const QJsonObject spec = body.value(QLatin1String("spec")).toObject();
            if (exchange->request().path == "/apis/authentication.k8s.io/v1/tokenreviews") {
                const bool good = spec.value(QLatin1String("token")).toString() == QLatin1String("good");
                QJsonObject status{{QStringLiteral("authenticated"), good}};
                if (good)
                    status.insert(QStringLiteral("user"),
                                  QJsonObject{{QStringLiteral("username"), QStringLiteral("bob")},
                                              {QStringLiteral("groups"), QJsonArray{QStringLiteral("admins")}}});
                else
                    status.insert(QStringLiteral("error"), QStringLiteral("token unknown"));
                QJsonObject answer = body;
                answer.insert(QStringLiteral("status"), status);
                exchange->respondJson(201, answer);
            } else if (exchange->request().path == "/apis/authorization.k8s.io/v1/subjectaccessreviews") {
                const QString user = spec.value(QLatin1String("user")).toString();
                if (user == QLatin1String("carol")) {
                    exchange->respond(404, "404 page not found\n", "text/plain");
                    return;
                }
                const QString sub =
                    json::at(spec, {QLatin1String("resourceAttributes"), QLatin1String("subresource")}).toString();
                const bool allowed =
                    user == QLatin1String("bob") || (user == QLatin1String("alice") && sub == QLatin1String("stats"));
                QJsonObject answer = body;
                answer.insert(QStringLiteral("status"),
                              QJsonObject{{QStringLiteral("allowed"), allowed},
                                          {QStringLiteral("reason"), QStringLiteral("rbac")}});
                exchange->respondJson(201, answer);
            } else {
                exchange->respond(404, "{}");
            }
        });
        kube::ClusterConnection connection;
        connection.server = api.url();
        kube::ApiClient client(connection);

        kubelet::KubeletServer::Options options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        options.nodeName = QStringLiteral("vk-node");
        options.nodeIps = {QHostAddress::LocalHost};
        options.generatedCertificateDir = m_dir.filePath(QStringLiteral("pki"));
        options.clientCaPath = caPath;
        options.clock = &m_clock;
        kubelet::KubeletServer server(m_mock.get(), &client, options);
        auto started = server.start();
        QVERIFY(started.ok());
        const quint16 port = *started;

        Reply r = get(QStringLiteral("/pods"), port);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json().value(QLatin1String("reason")).toString(), QStringLiteral("Unauthorized"));
        QCOMPARE(r.message(), QStringLiteral("Unauthorized"));
        QCOMPARE(reviews.size(), 0);

        r = get(QStringLiteral("/pods"), port, stranger);
        QCOMPARE(r.status, 401); // a certificate from another CA is no identity

        r = get(QStringLiteral("/pods"), port, {}, "bad");
        QCOMPARE(r.status, 401);
        QCOMPARE(reviews.size(), 1);
        QCOMPARE(reviews.last().value(QLatin1String("kind")).toString(), QStringLiteral("TokenReview"));

        r = get(QStringLiteral("/pods"), port, alice);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json().value(QLatin1String("reason")).toString(), QStringLiteral("Forbidden"));
        QCOMPARE(r.message(), QStringLiteral("Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)"));
        const QJsonObject sar = reviews.last();
        QCOMPARE(sar.value(QLatin1String("apiVersion")).toString(), QStringLiteral("authorization.k8s.io/v1"));
        const QJsonObject spec = sar.value(QLatin1String("spec")).toObject();
        QCOMPARE(spec.value(QLatin1String("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(spec.value(QLatin1String("groups")).toArray(), QJsonArray{QStringLiteral("devs")});
        const QJsonObject attrs = spec.value(QLatin1String("resourceAttributes")).toObject();
        QCOMPARE(attrs.value(QLatin1String("resource")).toString(), QStringLiteral("nodes"));
        QCOMPARE(attrs.value(QLatin1String("name")).toString(), QStringLiteral("vk-node"));
        QCOMPARE(attrs.value(QLatin1String("verb")).toString(), QStringLiteral("get"));
        QCOMPARE(attrs.value(QLatin1String("version")).toString(), QStringLiteral("v1"));

        r = get(QStringLiteral("/stats/summary"), port, alice);
        QCOMPARE(r.status, 200);
        QCOMPARE(json::at(reviews.last(),
                          {QLatin1String("spec"), QLatin1String("resourceAttributes"), QLatin1String("subresource")})
                     .toString(),
                 QStringLiteral("stats"));

        // Cached: neither the allow nor the deny is asked again.
        const qsizetype sent = reviews.size();
        QCOMPARE(get(QStringLiteral("/stats/summary"), port, alice).status, 200);
        QCOMPARE(get(QStringLiteral("/pods"), port, alice).status, 403);
        QCOMPARE(reviews.size(), sent);
        // The deny expires after 30 s, the allow after 5 min.
        m_clock.advance(31'000);
        QCOMPARE(get(QStringLiteral("/pods"), port, alice).status, 403);
        QCOMPARE(get(QStringLiteral("/stats/summary"), port, alice).status, 200);
        QCOMPARE(reviews.size(), sent + 1);

        r = get(QStringLiteral("/runningpods/"), port, {}, "good");
        QCOMPARE(r.status, 200);
        QCOMPARE(json::at(reviews.last(), {QLatin1String("spec"), QLatin1String("user")}).toString(),
                 QStringLiteral("bob"));

        // An API server without SubjectAccessReview denies, saying so.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("does not serve subjectaccessreviews")));
        r = get(QStringLiteral("/healthz"), port, carol);
        QCOMPARE(r.status, 403);
        QVERIFY2(r.message().contains(QStringLiteral("does not serve subjectaccessreviews.authorization.k8s.io/v1")),
                 qPrintable(r.message()));
    }
};

QTEST_GUILESS_MAIN(KubeletRoutesTest)
#include "tst_kubeletroutes.moc"
