// SPDX-License-Identifier: Apache-2.0
// Issue 4's auth acceptance with real kubectl pointed DIRECTLY at the kubelet port: the kubelet trusts the sandbox
// CA for client certificates and asks the sandbox (TokenReview, SubjectAccessReview with RBAC) about everything else.
// No client certificate: 401; a CA-signed user without RBAC: 403 with the kubelet's message; an admin
// (system:masters): 200; a service account token from `kubectl create token`: 403 until
// `kubectl create clusterrolebinding --clusterrole=system:kubelet-api-admin --serviceaccount=...`, then 200.
// Also the live serving-certificate path: a kubelet that requests its certificate creates a CSR in the sandbox,
// `kubectl certificate approve` lets the sandbox's signer issue it, and new TLS clients see the sandbox-signed
// certificate with the node's IP SAN (the chain verifies against the sandbox CA).
#include "core/Clock.h"
#include "http/Pki.h"
#include "kube/ApiClient.h"
#include "kubelet/KubeletServer.h"
#include "mock/MockProvider.h"
#include "support/Kubectl.h"
#include "support/KubeletEndpoint.h"
#include "support/SandboxFixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;

namespace {

const QString kNode = QStringLiteral("vk-auth-node");

QByteArray b64(const QByteArray& data)
{
    return data.toBase64();
}

} // namespace

class KubeletAuthKubectlTest : public QObject
{
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;
    QTemporaryDir m_home;
    ManualClock m_clock;
    std::unique_ptr<kube::ApiClient> m_reviewClient;
    std::unique_ptr<mock::MockProvider> m_mock;
    std::unique_ptr<kubelet::KubeletServer> m_server;
    std::unique_ptr<test::Kubectl> m_sandboxKubectl;
    quint16 m_port = 0;

    /// A kubeconfig whose server is the kubelet (verified with its own certificate), with the given user entry.
    QString kubeletKubeconfig(const QString& name, const QByteArray& userYaml)
    {
        const QString path = m_home.filePath(name + QStringLiteral(".kubeconfig"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        const QByteArray ca = b64(m_server->servingCertificate().certificatePem);
        QByteArray yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: kubelet\n  cluster:\n"
                          "    server: https://127.0.0.1:" +
                          QByteArray::number(m_port) + "\n    certificate-authority-data: " + ca +
                          "\nusers:\n- name: u\n  user:\n" + userYaml +
                          "contexts:\n- name: c\n  context:\n    cluster: kubelet\n    user: u\ncurrent-context: c\n";
        file.write(yaml);
        return path;
    }

    QString certificateKubeconfig(const QString& name, const pki::CertificateAndKey& pair)
    {
        return kubeletKubeconfig(name, "    client-certificate-data: " + b64(pair.certificatePem) +
                                           "\n    client-key-data: " + b64(pair.privateKeyPem) + "\n");
    }

    test::KubectlResult getRaw(const QString& kubeconfig, const QString& path)
    {
        test::Kubectl kubectl(kubeconfig, m_home.path());
        return kubectl.run({QStringLiteral("get"), QStringLiteral("--raw"), path}, {}, 30'000);
    }

    test::KubectlResult sandbox(const QStringList& args) { return m_sandboxKubectl->run(args, {}, 30'000); }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::Kubectl::executable().isEmpty())
            QSKIP("kubectl is not on PATH");
        QVERIFY(m_home.isValid());
        const QString error = m_fixture.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_sandboxKubectl = std::make_unique<test::Kubectl>(m_fixture.kubeconfigPath(), m_home.path());
        m_reviewClient = m_fixture.newClient();
        QVERIFY(m_reviewClient);

        provider::ProviderConfig config;
        config.nodeName = kNode;
        config.internalIp = QStringLiteral("127.0.0.1");
        m_mock = std::make_unique<mock::MockProvider>(mock::MockNodeConfig(), config);

        const QString caPath = m_home.filePath(QStringLiteral("sandbox-ca.crt"));
        const QString caError = test::writePemFile(caPath, m_fixture.sandbox().certificateAuthority().certificatePem);
        QVERIFY2(caError.isEmpty(), qPrintable(caError));
        kubelet::KubeletServer::Options options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        options.nodeName = kNode;
        options.nodeIps = {QHostAddress::LocalHost};
        options.clientCaPath = caPath;
        options.clock = &m_clock; // the decision caches (denied: 30 s) run on this clock
        m_server = std::make_unique<kubelet::KubeletServer>(m_mock.get(), m_reviewClient.get(), options);
        auto port = m_server->start();
        QVERIFY2(port.ok(), qPrintable(port.ok() ? QString() : port.error().message()));
        m_port = *port;

        // The node in the sandbox, so the API server's node proxy reaches this kubelet.
        QJsonObject node{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                         {QStringLiteral("kind"), QStringLiteral("Node")},
                         {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), kNode}}}};
        m_mock->configureNode(node);
        auto created = test::createAndWait(m_fixture.client(), kube::GroupVersionResource::nodes(), {},
                                           test::kubeletNode(kNode, m_port, node));
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message()));
    }

    void noClientCertificateIsUnauthorized()
    {
        // Without any credentials kubectl would prompt for a user name; basic auth is what the kubelet ignores.
        const QString kubeconfig =
            kubeletKubeconfig(QStringLiteral("anonymous"), "    username: nobody\n    password: secret\n");
        const auto r = getRaw(kubeconfig, QStringLiteral("/pods"));
        QVERIFY2(r.exitCode != 0, r.describe().constData());
        QVERIFY2(r.err.contains("Unauthorized"), r.describe().constData());
    }

    void unknownTokenIsUnauthorized()
    {
        const QString kubeconfig = kubeletKubeconfig(QStringLiteral("bogus-token"), "    token: not-a-token\n");
        const auto r = getRaw(kubeconfig, QStringLiteral("/pods"));
        QVERIFY2(r.exitCode != 0, r.describe().constData());
        QVERIFY2(r.err.contains("Unauthorized"), r.describe().constData());
    }

    void userWithoutRbacIsForbidden()
    {
        auto jane = m_fixture.sandbox().issueClientCertificate(QStringLiteral("jane"), {QStringLiteral("devs")});
        QVERIFY(jane.ok());
        const auto r = getRaw(certificateKubeconfig(QStringLiteral("jane"), jane.value()), QStringLiteral("/pods"));
        QVERIFY2(r.exitCode != 0, r.describe().constData());
        QVERIFY2(r.err.contains("Forbidden (user=jane, verb=get, resource=nodes, subresource=proxy)"),
                 r.describe().constData());
        // The stats path is subresource "stats".
        const auto stats =
            getRaw(certificateKubeconfig(QStringLiteral("jane"), jane.value()), QStringLiteral("/stats/summary"));
        QVERIFY2(stats.err.contains("Forbidden (user=jane, verb=get, resource=nodes, subresource=stats)"),
                 stats.describe().constData());
    }

    void adminIsAllowed()
    {
        auto admin = m_fixture.sandbox().issueClientCertificate(QStringLiteral("kubernetes-admin"),
                                                                {QStringLiteral("system:masters")});
        QVERIFY(admin.ok());
        const auto r = getRaw(certificateKubeconfig(QStringLiteral("admin"), admin.value()), QStringLiteral("/pods"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QJsonObject pods = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(pods.value(QLatin1String("kind")).toString(), QStringLiteral("PodList"));
    }

    void serviceAccountTokenNeedsABinding()
    {
        const auto token = sandbox({QStringLiteral("create"), QStringLiteral("token"), QStringLiteral("default")});
        QVERIFY2(token.exitCode == 0, token.describe().constData());
        const QByteArray value = token.out.trimmed();
        QVERIFY(!value.isEmpty());
        const QString kubeconfig = kubeletKubeconfig(QStringLiteral("sa"), "    token: " + value + "\n");

        // Authenticated (TokenReview) but not authorized (SubjectAccessReview): 403.
        const auto denied = getRaw(kubeconfig, QStringLiteral("/pods"));
        QVERIFY2(denied.exitCode != 0, denied.describe().constData());
        QVERIFY2(denied.err.contains("Forbidden (user=system:serviceaccount:default:default, verb=get, "
                                     "resource=nodes, subresource=proxy)"),
                 denied.describe().constData());

        const auto bound = sandbox({QStringLiteral("create"), QStringLiteral("clusterrolebinding"),
                                    QStringLiteral("default-kubelet-api-admin"),
                                    QStringLiteral("--clusterrole=system:kubelet-api-admin"),
                                    QStringLiteral("--serviceaccount=default:default")});
        QVERIFY2(bound.exitCode == 0, bound.describe().constData());
        const auto canI =
            sandbox({QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("get"),
                     QStringLiteral("nodes/proxy"), QStringLiteral("--as=system:serviceaccount:default:default")});
        QCOMPARE(canI.out.trimmed(), QByteArray("yes"));

        // The kubelet caches a denial for 30 s, as upstream does.
        const auto cached = getRaw(kubeconfig, QStringLiteral("/pods"));
        QVERIFY2(cached.exitCode != 0, cached.describe().constData());
        m_clock.advance(31'000);
        const auto allowed = getRaw(kubeconfig, QStringLiteral("/pods"));
        QVERIFY2(allowed.exitCode == 0, allowed.describe().constData());
        QCOMPARE(QJsonDocument::fromJson(allowed.out).object().value(QLatin1String("kind")).toString(),
                 QStringLiteral("PodList"));
        const auto stats = getRaw(kubeconfig, QStringLiteral("/stats/summary"));
        QVERIFY2(stats.exitCode == 0, stats.describe().constData());
    }

    void servingCertificateFromAnApprovedCsr()
    {
        const QString node = QStringLiteral("vk-csr-node");
        kubelet::KubeletServer::Options options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        options.nodeName = node;
        options.nodeIps = {QHostAddress::LocalHost};
        options.clientCaPath = m_home.filePath(QStringLiteral("sandbox-ca.crt"));
        options.requestServingCertificate = true;
        options.clock = &m_clock;
        auto client = m_fixture.newClient();
        kubelet::KubeletServer server(m_mock.get(), client.get(), options);
        QSignalSpy changed(&server, &kubelet::KubeletServer::servingCertificateChanged);
        auto port = server.start();
        QVERIFY2(port.ok(), qPrintable(port.ok() ? QString() : port.error().message()));
        const QSslCertificate selfSigned = server.servingCertificate().certificate();

        // The kubelet's request shows up as Pending, requested by the sandbox admin the kubelet runs as.
        QString name;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto r = sandbox({QStringLiteral("get"), QStringLiteral("csr"), QStringLiteral("--no-headers")});
                for (const QString& line : QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
                    if (line.contains(QLatin1String("kubernetes.io/kubelet-serving")) &&
                        line.contains(QLatin1String("Pending")))
                        name = line.section(QLatin1Char(' '), 0, 0);
                }
                return !name.isEmpty();
            }(),
            20000);
        QCOMPARE(changed.count(), 0);
        const auto approve = sandbox({QStringLiteral("certificate"), QStringLiteral("approve"), name});
        QVERIFY2(approve.exitCode == 0, approve.describe().constData());
        QVERIFY2(approve.out.contains("approved"), approve.describe().constData());
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 20000);
        const auto listed =
            sandbox({QStringLiteral("get"), QStringLiteral("csr"), name, QStringLiteral("--no-headers")});
        QVERIFY2(listed.out.contains("Approved,Issued"), listed.describe().constData());

        // Same port, new certificate: a client that trusts only the sandbox CA and checks the host (127.0.0.1)
        // against the certificate's SANs completes the handshake.
        QCOMPARE(server.port(), *port);
        QSslSocket socket;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_fixture.sandbox().certificateAuthority().certificate()});
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        socket.setSslConfiguration(tls);
        QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), *port);
        QVERIFY2(encrypted.wait(10000), qPrintable(socket.errorString()));
        const QSslCertificate peer = socket.peerCertificate();
        QVERIFY(peer != selfSigned);
        QCOMPARE(peer, server.servingCertificate().certificate());
        QCOMPARE(peer.issuerInfo(QSslCertificate::CommonName),
                 m_fixture.sandbox().certificateAuthority().certificate().subjectInfo(QSslCertificate::CommonName));
        QCOMPARE(peer.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("system:node:") + node});
        QVERIFY(peer.subjectAlternativeNames().values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
        QCOMPARE(socket.peerCertificateChain().size() >= 1, true);
        socket.disconnectFromHost();

        // kubectl straight at the kubelet, verifying it with the sandbox CA (no insecure-skip-tls-verify).
        auto admin = m_fixture.sandbox().issueClientCertificate(QStringLiteral("kubernetes-admin"),
                                                                {QStringLiteral("system:masters")});
        QVERIFY(admin.ok());
        const QString path = m_home.filePath(QStringLiteral("csr-node.kubeconfig"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: Config\nclusters:\n- name: kubelet\n  cluster:\n"
                   "    server: https://127.0.0.1:" +
                   QByteArray::number(*port) + "\n    certificate-authority-data: " +
                   b64(m_fixture.sandbox().certificateAuthority().certificatePem) +
                   "\nusers:\n- name: u\n  user:\n    client-certificate-data: " + b64(admin->certificatePem) +
                   "\n    client-key-data: " + b64(admin->privateKeyPem) +
                   "\ncontexts:\n- name: c\n  context:\n    cluster: kubelet\n    user: u\ncurrent-context: c\n");
        file.close();
        const auto r = getRaw(path, QStringLiteral("/healthz"));
        QVERIFY2(r.exitCode == 0 && r.out.trimmed() == "ok", r.describe().constData());
    }

    void nodeProxyThroughTheSandboxStillWorks()
    {
        // The API server's kubelet client (O=kubeadm:cluster-admins) is authorized by the bootstrap binding.
        const auto r = sandbox(
            {QStringLiteral("get"), QStringLiteral("--raw"), QStringLiteral("/api/v1/nodes/%1/proxy/pods").arg(kNode)});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QLatin1String("kind")).toString(),
                 QStringLiteral("PodList"));
    }
};

QTEST_GUILESS_MAIN(KubeletAuthKubectlTest)
#include "tst_kubelet_auth_kubectl.moc"
