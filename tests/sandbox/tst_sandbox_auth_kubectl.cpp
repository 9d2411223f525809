// SPDX-License-Identifier: Apache-2.0
// Real kubectl against a sandbox that enforces RBAC (--authorization-mode RBAC): RBAC objects (create, apply,
// get, describe, validation), kube-apiserver's 403 messages, `kubectl auth can-i` (SelfSubjectAccessReview, with
// impersonation), service account tokens from `kubectl create token` as bearer credentials, TokenReview and
// SubjectAccessReview, and CertificateSigningRequests (approve, deny, the signer's Failed condition).
#include "http/Pki.h"
#include "kubelet/CertificateSigningRequest.h"
#include "sandbox/Sandbox.h"
#include "support/Kubectl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;

namespace {

QString dataFile(const QString& name)
{
    return qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/auth/") + name;
}

QJsonObject jsonOf(const QByteArray& text)
{
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class SandboxAuthKubectlTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_home;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<test::Kubectl> m_admin;
    std::unique_ptr<test::Kubectl> m_jane;

    test::KubectlResult admin(const QStringList& args, const QByteArray& input = {})
    {
        return m_admin->run(args, input, 30'000);
    }
    test::KubectlResult jane(const QStringList& args) { return m_jane->run(args, {}, 30'000); }

    /// A PEM CSR for a subject (and optional IP SAN), with a new EC key.
    QByteArray csrPem(const QString& cn, const QStringList& orgs, bool withIp)
    {
        auto key = kubelet::generatePrivateKey(pki::KeyType::EcP256);
        if (!key)
            return {};
        pki::CertificateRequest request;
        request.commonName = cn;
        request.organizations = orgs;
        if (withIp)
            request.ipAddresses = {QHostAddress::LocalHost};
        auto csr = kubelet::createCertificateSigningRequest(request, *key);
        return csr ? *csr : QByteArray();
    }

    QByteArray csrManifest(const QString& name, const QByteArray& pem, const QString& signer, const QString& usages)
    {
        return "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: " +
               name.toUtf8() + "\nspec:\n  request: " + pem.toBase64() + "\n  signerName: " + signer.toUtf8() +
               "\n  expirationSeconds: 3600\n  usages: " + usages.toUtf8() + "\n";
    }

    QJsonObject csrObject(const QString& name)
    {
        const auto r =
            admin({QStringLiteral("get"), QStringLiteral("csr"), name, QStringLiteral("-o"), QStringLiteral("json")});
        return jsonOf(r.out);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::Kubectl::executable().isEmpty())
            QSKIP("kubectl is not on PATH");
        QVERIFY(m_dir.isValid() && m_home.isValid());
        sandbox::Sandbox::Options options;
        options.dataDir = m_dir.path();
        options.authorizationMode = QStringLiteral("RBAC");
        m_sandbox = std::make_unique<sandbox::Sandbox>(options);
        auto started = m_sandbox->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message()));
        m_admin = std::make_unique<test::Kubectl>(m_sandbox->kubeconfigPath(), m_home.path());
        auto jane = m_sandbox->issueClientCertificate(QStringLiteral("jane"), {QStringLiteral("devs")});
        QVERIFY(jane.ok());
        const QString janeConfig = m_dir.filePath(QStringLiteral("jane.kubeconfig"));
        QVERIFY(m_sandbox->writeKubeconfig(janeConfig, *jane, QStringLiteral("jane")).ok());
        m_jane = std::make_unique<test::Kubectl>(janeConfig, m_home.path());
    }

    void cleanupTestCase()
    {
        if (m_sandbox)
            m_sandbox->stop();
    }

    void bootstrapPolicyIsServed()
    {
        const auto roles = admin({QStringLiteral("get"), QStringLiteral("clusterroles")});
        QVERIFY2(roles.exitCode == 0, roles.describe().constData());
        QVERIFY(roles.out.contains("cluster-admin"));
        QVERIFY(roles.out.contains("system:kubelet-api-admin"));
        const auto bindings = admin({QStringLiteral("get"), QStringLiteral("clusterrolebinding"),
                                     QStringLiteral("cluster-admin"), QStringLiteral("-o"), QStringLiteral("wide")});
        QVERIFY2(bindings.out.contains("ClusterRole/cluster-admin") && bindings.out.contains("system:masters"),
                 bindings.describe().constData());
        const auto described = admin(
            {QStringLiteral("describe"), QStringLiteral("clusterrole"), QStringLiteral("system:kubelet-api-admin")});
        QVERIFY2(described.exitCode == 0, described.describe().constData());
        for (const char* resource : {"nodes/proxy", "nodes/stats", "nodes/metrics", "nodes/log"})
            QVERIFY2(described.out.contains(resource), described.describe().constData());
    }

    void forbiddenUntilBound()
    {
        const auto denied = jane({QStringLiteral("get"), QStringLiteral("configmaps")});
        QVERIFY2(denied.exitCode != 0, denied.describe().constData());
        QVERIFY2(denied.err.contains("Error from server (Forbidden): configmaps is forbidden: User \"jane\" cannot "
                                     "list resource \"configmaps\" in API group \"\" in the namespace \"default\""),
                 denied.describe().constData());
        const auto named = jane({QStringLiteral("get"), QStringLiteral("node"), QStringLiteral("n1")});
        QVERIFY2(named.err.contains("nodes \"n1\" is forbidden: User \"jane\" cannot get resource \"nodes\" in API "
                                    "group \"\" at the cluster scope"),
                 named.describe().constData());

        const auto applied =
            admin({QStringLiteral("apply"), QStringLiteral("-f"), dataFile(QStringLiteral("role-and-binding.yaml"))});
        QVERIFY2(applied.exitCode == 0, applied.describe().constData());
        QVERIFY2(applied.out.contains("role.rbac.authorization.k8s.io/configmap-reader created") &&
                     applied.out.contains("rolebinding.rbac.authorization.k8s.io/jane-configmaps created"),
                 applied.describe().constData());
        const auto again =
            admin({QStringLiteral("apply"), QStringLiteral("-f"), dataFile(QStringLiteral("role-and-binding.yaml"))});
        QVERIFY2(again.out.contains("configmap-reader unchanged"), again.describe().constData());

        const auto allowed = jane({QStringLiteral("get"), QStringLiteral("configmaps")});
        QVERIFY2(allowed.exitCode == 0, allowed.describe().constData());
        const auto elsewhere = jane(
            {QStringLiteral("get"), QStringLiteral("configmaps"), QStringLiteral("-n"), QStringLiteral("kube-system")});
        QVERIFY2(elsewhere.err.contains("in the namespace \"kube-system\""), elsewhere.describe().constData());
        const auto write = jane({QStringLiteral("create"), QStringLiteral("configmap"), QStringLiteral("x")});
        QVERIFY2(write.err.contains("cannot create resource \"configmaps\""), write.describe().constData());

        const auto table =
            admin({QStringLiteral("get"), QStringLiteral("rolebinding"), QStringLiteral("-o"), QStringLiteral("wide")});
        QVERIFY2(table.out.contains("Role/configmap-reader") && table.out.contains("jane"),
                 table.describe().constData());
    }

    void canI()
    {
        const auto self = jane(
            {QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("list"), QStringLiteral("configmaps")});
        QCOMPARE(self.out.trimmed(), QByteArray("yes"));
        const auto no =
            jane({QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("delete"), QStringLiteral("nodes")});
        QCOMPARE(no.out.trimmed(), QByteArray("no"));
        QCOMPARE(no.exitCode, 1);
        const auto as =
            admin({QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("get"), QStringLiteral("configmaps"),
                   QStringLiteral("--as=jane"), QStringLiteral("-n"), QStringLiteral("kube-system")});
        QCOMPARE(as.out.trimmed(), QByteArray("no"));
        // kubectl auth can-i --list (SelfSubjectRulesReview): the rules that apply in the namespace.
        const auto list = jane({QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("--list")});
        QVERIFY2(list.exitCode == 0, list.describe().constData());
        bool configMaps = false;
        for (const QByteArray& line : list.out.split('\n')) {
            if (line.startsWith("configmaps ") && line.contains("[get list]"))
                configMaps = true;
        }
        QVERIFY2(configMaps, list.describe().constData());
        const auto elsewhere = jane({QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("--list"),
                                     QStringLiteral("-n"), QStringLiteral("kube-system")});
        QVERIFY2(!elsewhere.out.contains("configmaps"), elsewhere.describe().constData());
        // jane may not impersonate.
        const auto impersonate = jane({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("--as=root")});
        QVERIFY2(impersonate.err.contains("users \"root\" is forbidden: User \"jane\" cannot impersonate resource "
                                          "\"users\" in API group \"\" at the cluster scope"),
                 impersonate.describe().constData());
    }

    void validationMessages()
    {
        const auto bad = admin(
            {QStringLiteral("create"), QStringLiteral("-f"), dataFile(QStringLiteral("binding-bad-roleref.yaml"))});
        QVERIFY2(bad.exitCode != 0, bad.describe().constData());
        QVERIFY2(bad.err.contains("roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\""),
                 bad.describe().constData());
        QVERIFY2(bad.err.contains("subjects[0].kind: Unsupported value: \"Robot\""), bad.describe().constData());
    }

    void reviews()
    {
        const auto delNodes = admin({QStringLiteral("create"), QStringLiteral("-f"),
                                     dataFile(QStringLiteral("sar-jane-delete-nodes.json")), QStringLiteral("-o"),
                                     QStringLiteral("json")});
        QVERIFY2(delNodes.exitCode == 0, delNodes.describe().constData());
        QCOMPARE(jsonOf(delNodes.out).value(QLatin1String("status")).toObject().value(QLatin1String("allowed")),
                 QJsonValue(false));
        const auto getCm = admin({QStringLiteral("create"), QStringLiteral("-f"),
                                  dataFile(QStringLiteral("sar-jane-get-configmaps.json")), QStringLiteral("-o"),
                                  QStringLiteral("json")});
        const QJsonObject status = jsonOf(getCm.out).value(QLatin1String("status")).toObject();
        QCOMPARE(status.value(QLatin1String("allowed")), QJsonValue(true));
        QCOMPARE(status.value(QLatin1String("reason")).toString(),
                 QStringLiteral("RBAC: allowed by RoleBinding \"jane-configmaps/default\" of Role \"configmap-reader\" "
                                "to User \"jane\""));
    }

    void serviceAccountTokens()
    {
        const auto token = admin({QStringLiteral("create"), QStringLiteral("token"), QStringLiteral("default"),
                                  QStringLiteral("--duration=15m")});
        QVERIFY2(token.exitCode == 0, token.describe().constData());
        const QByteArray value = token.out.trimmed();

        // TokenReview knows it.
        const QByteArray review = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":"
                                  "{\"token\":\"" +
                                  value + "\"}}";
        const auto reviewed = admin({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-"),
                                     QStringLiteral("-o"), QStringLiteral("json")},
                                    review);
        QVERIFY2(reviewed.exitCode == 0, reviewed.describe().constData());
        const QJsonObject status = jsonOf(reviewed.out).value(QLatin1String("status")).toObject();
        QCOMPARE(status.value(QLatin1String("authenticated")), QJsonValue(true));
        const QJsonObject user = status.value(QLatin1String("user")).toObject();
        QCOMPARE(user.value(QLatin1String("username")).toString(),
                 QStringLiteral("system:serviceaccount:default:default"));
        QVERIFY(
            user.value(QLatin1String("groups")).toArray().contains(QStringLiteral("system:serviceaccounts:default")));

        // The sandbox accepts it as a bearer token; RBAC then decides.
        const QString tokenConfig = m_dir.filePath(QStringLiteral("sa.kubeconfig"));
        QVERIFY(m_sandbox->writeTokenKubeconfig(tokenConfig, QString::fromUtf8(value), QStringLiteral("sa")).ok());
        test::Kubectl sa(tokenConfig, m_home.path());
        const auto denied = sa.run({QStringLiteral("get"), QStringLiteral("pods")}, {}, 30'000);
        QVERIFY2(denied.err.contains("User \"system:serviceaccount:default:default\" cannot list resource \"pods\""),
                 denied.describe().constData());
        const auto bound =
            admin({QStringLiteral("create"), QStringLiteral("rolebinding"), QStringLiteral("sa-view"),
                   QStringLiteral("--clusterrole=cluster-admin"), QStringLiteral("--serviceaccount=default:default")});
        QVERIFY2(bound.exitCode == 0, bound.describe().constData());
        const auto allowed = sa.run({QStringLiteral("get"), QStringLiteral("pods")}, {}, 30'000);
        QVERIFY2(allowed.exitCode == 0, allowed.describe().constData());

        const QString bogusConfig = m_dir.filePath(QStringLiteral("bogus.kubeconfig"));
        QVERIFY(m_sandbox->writeTokenKubeconfig(bogusConfig, QStringLiteral("nope"), QStringLiteral("x")).ok());
        test::Kubectl bogus(bogusConfig, m_home.path());
        const auto unauthorized = bogus.run({QStringLiteral("get"), QStringLiteral("pods")}, {}, 30'000);
        QVERIFY2(unauthorized.err.contains("Unauthorized"), unauthorized.describe().constData());

        const auto tooShort = admin({QStringLiteral("create"), QStringLiteral("token"), QStringLiteral("default"),
                                     QStringLiteral("--duration=1m")});
        QVERIFY2(tooShort.err.contains("may not specify a duration less than 10 minutes"),
                 tooShort.describe().constData());
        const auto missing = admin({QStringLiteral("create"), QStringLiteral("token"), QStringLiteral("nobody")});
        QVERIFY2(missing.err.contains("serviceaccounts \"nobody\" not found"), missing.describe().constData());
    }

    void certificateSigningRequests()
    {
        // A client certificate request: approved and issued by the sandbox CA for the requested hour.
        const QByteArray clientPem = csrPem(QStringLiteral("bob"), {QStringLiteral("devs")}, false);
        QVERIFY(!clientPem.isEmpty());
        auto created =
            admin({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                  csrManifest(QStringLiteral("bob"), clientPem, QStringLiteral("kubernetes.io/kube-apiserver-client"),
                              QStringLiteral("[\"client auth\"]")));
        QVERIFY2(created.exitCode == 0, created.describe().constData());
        const auto pending = admin({QStringLiteral("get"), QStringLiteral("csr"), QStringLiteral("bob")});
        QVERIFY2(pending.out.contains("kubernetes.io/kube-apiserver-client") &&
                     pending.out.contains("kubernetes-admin") && pending.out.contains("60m") &&
                     pending.out.contains("Pending"),
                 pending.describe().constData());
        const auto approved = admin({QStringLiteral("certificate"), QStringLiteral("approve"), QStringLiteral("bob")});
        QVERIFY2(approved.out.contains("certificatesigningrequest.certificates.k8s.io/bob approved"),
                 approved.describe().constData());
        QTRY_VERIFY_WITH_TIMEOUT(!csrObject(QStringLiteral("bob"))
                                      .value(QLatin1String("status"))
                                      .toObject()
                                      .value(QLatin1String("certificate"))
                                      .toString()
                                      .isEmpty(),
                                 10000);
        const QByteArray pem = QByteArray::fromBase64(csrObject(QStringLiteral("bob"))
                                                          .value(QLatin1String("status"))
                                                          .toObject()
                                                          .value(QLatin1String("certificate"))
                                                          .toString()
                                                          .toLatin1());
        const QSslCertificate certificate(pem);
        QCOMPARE(certificate.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("bob")});
        QCOMPARE(certificate.issuerInfo(QSslCertificate::CommonName),
                 m_sandbox->certificateAuthority().certificate().subjectInfo(QSslCertificate::CommonName));
        const qint64 lifetime = certificate.effectiveDate().secsTo(certificate.expiryDate());
        QVERIFY2(lifetime >= 3600 && lifetime <= 3600 + 600, qPrintable(QString::number(lifetime)));

        // A kubelet-serving request whose subject is not a node's: approved, then Failed by the signer.
        const QByteArray badPem = csrPem(QStringLiteral("not-a-node"), {QStringLiteral("devs")}, true);
        created =
            admin({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                  csrManifest(QStringLiteral("bad-serving"), badPem, QStringLiteral("kubernetes.io/kubelet-serving"),
                              QStringLiteral("[\"digital signature\", \"server auth\"]")));
        QVERIFY2(created.exitCode == 0, created.describe().constData());
        QVERIFY(
            admin({QStringLiteral("certificate"), QStringLiteral("approve"), QStringLiteral("bad-serving")}).exitCode ==
            0);
        QTRY_VERIFY_WITH_TIMEOUT(admin({QStringLiteral("get"), QStringLiteral("csr"), QStringLiteral("bad-serving")})
                                     .out.contains("Approved,Failed"),
                                 10000);
        bool found = false;
        for (const auto& c : csrObject(QStringLiteral("bad-serving"))
                                 .value(QLatin1String("status"))
                                 .toObject()
                                 .value(QLatin1String("conditions"))
                                 .toArray()) {
            const QJsonObject condition = c.toObject();
            if (condition.value(QLatin1String("type")).toString() == QLatin1String("Failed")) {
                found = true;
                QCOMPARE(condition.value(QLatin1String("reason")).toString(),
                         QStringLiteral("SignerValidationFailure"));
                QCOMPARE(condition.value(QLatin1String("message")).toString(),
                         QStringLiteral("subject organization is not system:nodes"));
            }
        }
        QVERIFY(found);

        // Denied requests are never signed.
        const QByteArray denyPem = csrPem(QStringLiteral("carol"), {}, false);
        QVERIFY(
            admin({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                  csrManifest(QStringLiteral("carol"), denyPem, QStringLiteral("kubernetes.io/kube-apiserver-client"),
                              QStringLiteral("[\"client auth\"]")))
                .exitCode == 0);
        const auto denied = admin({QStringLiteral("certificate"), QStringLiteral("deny"), QStringLiteral("carol")});
        QVERIFY2(denied.out.contains("denied"), denied.describe().constData());
        const auto listed = admin({QStringLiteral("get"), QStringLiteral("csr"), QStringLiteral("carol")});
        QVERIFY2(listed.out.contains("Denied") && !listed.out.contains("Issued"), listed.describe().constData());

        // jane (no RBAC) may not approve.
        const auto forbidden =
            jane({QStringLiteral("certificate"), QStringLiteral("approve"), QStringLiteral("carol")});
        QVERIFY2(forbidden.exitCode != 0 && forbidden.err.contains("forbidden"), forbidden.describe().constData());
    }
};

QTEST_GUILESS_MAIN(SandboxAuthKubectlTest)
#include "tst_sandbox_auth_kubectl.moc"
