// SPDX-License-Identifier: Apache-2.0
// The sandbox's csrsigning: the signers' validation rules (data-driven, kube's messages) and the controller on a
// registry: approved requests are signed for their expirationSeconds, invalid ones get a Failed condition, pending
// and denied ones are left alone.
#include "http/Pki.h"
#include "sandbox/CsrSigner.h"
#include "sandbox/ObjectStore.h"
#include "sandbox/Registry.h"

#include <QJsonArray>
#include <QProcess>
#include <QTest>

using namespace vk;
using vk::pki::CertificateRequestContents;

Q_DECLARE_METATYPE(vk::pki::CertificateRequestContents)

namespace {

CertificateRequestContents contents(const QString& cn,
                                    const QStringList& orgs,
                                    const QStringList& dns,
                                    const QStringList& ips,
                                    const QStringList& emails = {})
{
    CertificateRequestContents c;
    c.commonName = cn;
    c.organizations = orgs;
    c.dnsNames = dns;
    for (const QString& ip : ips)
        c.ipAddresses.append(QHostAddress(ip));
    c.emailAddresses = emails;
    c.signatureValid = true;
    return c;
}

} // namespace

class TstCsrSigner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validation_data()
    {
        QTest::addColumn<QString>("signer");
        QTest::addColumn<CertificateRequestContents>("request");
        QTest::addColumn<QStringList>("usages");
        QTest::addColumn<QString>("error");

        const QString serving = QStringLiteral("kubernetes.io/kubelet-serving");
        const QString kubeletClient = QStringLiteral("kubernetes.io/kube-apiserver-client-kubelet");
        const QString client = QStringLiteral("kubernetes.io/kube-apiserver-client");
        const QStringList nodes{QStringLiteral("system:nodes")};
        const QString node = QStringLiteral("system:node:n1");
        const QStringList servingEc{QStringLiteral("digital signature"), QStringLiteral("server auth")};
        const QStringList servingRsa{QStringLiteral("key encipherment"), QStringLiteral("digital signature"),
                                     QStringLiteral("server auth")};
        const QStringList clientEc{QStringLiteral("digital signature"), QStringLiteral("client auth")};

        QTest::newRow("kubelet-serving: a node's request with an IP SAN is valid (EC usages)")
            << serving << contents(node, nodes, {}, {QStringLiteral("10.0.0.7")}) << servingEc << QString();
        QTest::newRow("kubelet-serving: RSA usages with key encipherment are valid")
            << serving << contents(node, nodes, {QStringLiteral("n1")}, {}) << servingRsa << QString();
        QTest::newRow("kubelet-serving: organization must be exactly system:nodes")
            << serving << contents(node, {QStringLiteral("devs")}, {QStringLiteral("n1")}, {}) << servingEc
            << QStringLiteral("subject organization is not system:nodes");
        QTest::newRow("kubelet-serving: a DNS or IP SAN is required")
            << serving << contents(node, nodes, {}, {}) << servingEc
            << QStringLiteral("DNS or IP subjectAltName is required");
        QTest::newRow("kubelet-serving: email SANs are not allowed")
            << serving << contents(node, nodes, {QStringLiteral("n1")}, {}, {QStringLiteral("a@b.c")}) << servingEc
            << QStringLiteral("Email subjectAltNames are not allowed");
        QTest::newRow("kubelet-serving: client auth is not a serving usage")
            << serving << contents(node, nodes, {QStringLiteral("n1")}, {}) << clientEc
            << QStringLiteral("usages did not match [digital signature key encipherment server auth]");
        QTest::newRow("kubelet-serving: the common name must be system:node:<name>")
            << serving << contents(QStringLiteral("n1"), nodes, {QStringLiteral("n1")}, {}) << servingEc
            << QStringLiteral("subject common name does not begin with system:node:");
        QTest::newRow("kube-apiserver-client-kubelet: IP SANs are not allowed")
            << kubeletClient << contents(node, nodes, {}, {QStringLiteral("10.0.0.7")}) << clientEc
            << QStringLiteral("IP subjectAltNames are not allowed");
        QTest::newRow("kube-apiserver-client-kubelet: a node's client request is valid")
            << kubeletClient << contents(node, nodes, {}, {}) << clientEc << QString();
        QTest::newRow("kube-apiserver-client: any subject with client usages")
            << client << contents(QStringLiteral("jane"), {QStringLiteral("devs")}, {}, {}) << clientEc << QString();
        QTest::newRow("kube-apiserver-client: server auth is refused")
            << client << contents(QStringLiteral("jane"), {}, {}, {}) << servingEc
            << QStringLiteral("invalid usage for client certificate: server auth");
    }

    void validation()
    {
        QFETCH(QString, signer);
        QFETCH(CertificateRequestContents, request);
        QFETCH(QStringList, usages);
        QFETCH(QString, error);
        QCOMPARE(sandbox::CsrSigner::validate(signer, request, usages), error);
    }

    void signsApprovedRequests()
    {
        ManualClock clock(QDateTime::currentDateTimeUtc());
        sandbox::ObjectStore store(1);
        sandbox::Registry registry(&store, &clock);
        auto ca = pki::createCertificateAuthority(QStringLiteral("test-ca"));
        QVERIFY(ca.ok());
        sandbox::CsrSigner signer(&registry, *ca);
        signer.start();

        // A CSR made by openssl, as a user would.
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                       QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), QStringLiteral("/dev/null"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=system:node:n1/O=system:nodes"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=IP:10.0.0.7,DNS:n1")});
        QVERIFY(openssl.waitForFinished(20000));
        const QByteArray pem = openssl.readAllStandardOutput();
        QVERIFY2(pem.contains("CERTIFICATE REQUEST"), openssl.readAllStandardError().constData());
        auto inspected = pki::inspectCertificateRequest(pem);
        QVERIFY(inspected.ok());
        QCOMPARE(inspected->commonName, QStringLiteral("system:node:n1"));
        QCOMPARE(inspected->organizations, QStringList{QStringLiteral("system:nodes")});
        QCOMPARE(inspected->dnsNames, QStringList{QStringLiteral("n1")});
        QVERIFY(inspected->ipAddresses == QList<QHostAddress>{QHostAddress(QStringLiteral("10.0.0.7"))});
        QVERIFY(inspected->signatureValid);

        const sandbox::ResourceType* type = sandbox::findResourceType(
            QStringLiteral("certificates.k8s.io"), QStringLiteral("v1"), QStringLiteral("certificatesigningrequests"));
        QVERIFY(type);
        const QJsonObject csr{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("n1-serving")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("request"), QString::fromLatin1(pem.toBase64())},
                         {QStringLiteral("signerName"), QStringLiteral("kubernetes.io/kubelet-serving")},
                         {QStringLiteral("expirationSeconds"), 7200},
                         {QStringLiteral("usages"),
                          QJsonArray{QStringLiteral("digital signature"), QStringLiteral("server auth")}}}}};
        auto created = registry.create(*type, {}, csr);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message()));
        QCoreApplication::processEvents();
        // Pending: nothing is signed.
        QVERIFY(!registry.get(*type, {}, QStringLiteral("n1-serving"))
                     ->value(QLatin1String("status"))
                     .toObject()
                     .contains(QLatin1String("certificate")));

        QJsonObject approved = created.value();
        approved.insert(QStringLiteral("status"),
                        QJsonObject{{QStringLiteral("conditions"),
                                     QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Approved")},
                                                            {QStringLiteral("status"), QStringLiteral("True")}}}}});
        QVERIFY(registry.update(*type, {}, QStringLiteral("n1-serving"), approved, true).ok());
        QTRY_VERIFY(registry.get(*type, {}, QStringLiteral("n1-serving"))
                        ->value(QLatin1String("status"))
                        .toObject()
                        .contains(QLatin1String("certificate")));
        const QByteArray issuedPem = QByteArray::fromBase64(registry.get(*type, {}, QStringLiteral("n1-serving"))
                                                                ->value(QLatin1String("status"))
                                                                .toObject()
                                                                .value(QLatin1String("certificate"))
                                                                .toString()
                                                                .toLatin1());
        const QSslCertificate issued(issuedPem);
        QCOMPARE(issued.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("system:node:n1")});
        QCOMPARE(issued.issuerInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("test-ca")});
        QVERIFY(issued.subjectAlternativeNames().values(QSsl::IpAddressEntry).contains(QStringLiteral("10.0.0.7")));
        // expirationSeconds honoured (plus the 5 minute backdate).
        QCOMPARE(issued.effectiveDate().secsTo(issued.expiryDate()), 7200 + 300);
    }
};

QTEST_GUILESS_MAIN(TstCsrSigner)
#include "tst_csrsigner.moc"
