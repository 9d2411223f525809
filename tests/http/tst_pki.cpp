// SPDX-License-Identifier: Apache-2.0
#include "http/Pki.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificateExtension>
#include <QSslConfiguration>
#include <QSslError>
#include <QTemporaryDir>
#include <QTest>

using namespace vk::pki;

namespace {

// QSslCertificate::verify() trusts the default configuration's CAs; make `ca` one of them for the test.
class TrustedCa
{
public:
    explicit TrustedCa(const QSslCertificate& ca) : m_saved(QSslConfiguration::defaultConfiguration())
    {
        QSslConfiguration config = m_saved;
        config.setCaCertificates({ca});
        QSslConfiguration::setDefaultConfiguration(config);
    }
    ~TrustedCa() { QSslConfiguration::setDefaultConfiguration(m_saved); }

private:
    QSslConfiguration m_saved;
};

QStringList errorStrings(const QList<QSslError>& errors)
{
    QStringList out;
    for (const QSslError& e : errors)
        out.append(e.errorString());
    return out;
}

} // namespace

class TestPki : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsCertificateAuthority_data();
    void createsCertificateAuthority();
    void issuesLeafThatVerifiesAgainstItsCa_data();
    void issuesLeafThatVerifiesAgainstItsCa();
    void leafFromAnotherCaDoesNotVerify();
    void serialNumbersAreRandom();
    void selfSignedLeafVerifiesWhenTrusted();
    void loadsKeysOfEitherAlgorithm();
    void rejectsBadInput();
    void filesRoundTripWithPrivateKeyMode();
    void loadErrorsNameTheFile();
};

void TestPki::createsCertificateAuthority_data()
{
    QTest::addColumn<KeyType>("keyType");
    QTest::addColumn<QSsl::KeyAlgorithm>("algorithm");
    QTest::newRow("EC P-256 CA") << KeyType::EcP256 << QSsl::Ec;
    QTest::newRow("RSA 2048 CA") << KeyType::Rsa2048 << QSsl::Rsa;
}

void TestPki::createsCertificateAuthority()
{
    QFETCH(KeyType, keyType);
    QFETCH(QSsl::KeyAlgorithm, algorithm);

    auto ca = createCertificateAuthority(QStringLiteral("sandbox-ca"), 30, keyType);
    QVERIFY2(ca.ok(), qPrintable(ca.ok() ? QString() : ca.error().toString()));
    const QSslCertificate cert = ca->certificate();
    QVERIFY(!cert.isNull());
    QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("sandbox-ca")});
    QCOMPARE(cert.issuerInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("sandbox-ca")});
    QVERIFY(cert.isSelfSigned());
    const QSslKey key = ca->key();
    QVERIFY(!key.isNull());
    QCOMPARE(key.algorithm(), algorithm);
    QCOMPARE(cert.publicKey().algorithm(), algorithm);
    QVERIFY(keyMatchesCertificate(*ca));

    // Not before: one hour in the past (clock skew); not after: validity days ahead.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(cert.effectiveDate() <= now.addSecs(-3500));
    QVERIFY(cert.effectiveDate() >= now.addSecs(-3700));
    QVERIFY(cert.expiryDate() > now.addDays(29));
    QVERIFY(cert.expiryDate() <= now.addDays(30));

    // basicConstraints CA:TRUE is what lets it sign: a leaf it issues verifies (checked below); here, the extension.
    bool sawBasicConstraints = false;
    for (const auto& ext : cert.extensions()) {
        if (ext.name() == QLatin1String("basicConstraints")) {
            sawBasicConstraints = true;
            QVERIFY(ext.isCritical());
            QCOMPARE(ext.value().toMap().value(QStringLiteral("ca")).toBool(), true);
        }
    }
    QVERIFY(sawBasicConstraints);
}

void TestPki::issuesLeafThatVerifiesAgainstItsCa_data()
{
    QTest::addColumn<KeyType>("caKey");
    QTest::addColumn<KeyType>("leafKey");
    QTest::newRow("EC CA issues an EC leaf") << KeyType::EcP256 << KeyType::EcP256;
    QTest::newRow("EC CA issues an RSA leaf") << KeyType::EcP256 << KeyType::Rsa2048;
    QTest::newRow("RSA CA issues an EC leaf") << KeyType::Rsa2048 << KeyType::EcP256;
}

void TestPki::issuesLeafThatVerifiesAgainstItsCa()
{
    QFETCH(KeyType, caKey);
    QFETCH(KeyType, leafKey);

    auto ca = createCertificateAuthority(QStringLiteral("cluster-ca"), 365, caKey);
    QVERIFY(ca.ok());
    CertificateRequest request;
    request.commonName = QStringLiteral("kube-apiserver");
    request.organizations = {QStringLiteral("system:masters"), QStringLiteral("vk:sandbox")};
    request.dnsNames = {QStringLiteral("localhost"), QStringLiteral("kubernetes.default.svc")};
    request.ipAddresses = {QHostAddress(QStringLiteral("127.0.0.1")), QHostAddress(QStringLiteral("::1"))};
    request.serverAuth = true;
    request.clientAuth = true;
    request.keyType = leafKey;
    auto leaf = issueCertificate(*ca, request);
    QVERIFY2(leaf.ok(), qPrintable(leaf.ok() ? QString() : leaf.error().toString()));

    const QSslCertificate cert = leaf->certificate();
    QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("kube-apiserver")});
    QStringList organizations = cert.subjectInfo(QSslCertificate::Organization);
    organizations.sort();
    QCOMPARE(organizations, (QStringList{QStringLiteral("system:masters"), QStringLiteral("vk:sandbox")}));
    QCOMPARE(cert.issuerInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("cluster-ca")});
    QVERIFY(!cert.isSelfSigned());

    const auto sans = cert.subjectAlternativeNames();
    QCOMPARE(sans.values(QSsl::DnsEntry).size(), 2);
    QVERIFY(sans.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    QVERIFY(sans.values(QSsl::DnsEntry).contains(QStringLiteral("kubernetes.default.svc")));
    QVERIFY(sans.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    QCOMPARE(sans.values(QSsl::IpAddressEntry).size(), 2);

    bool sawExtendedKeyUsage = false;
    for (const auto& ext : cert.extensions()) {
        if (ext.name() == QLatin1String("extendedKeyUsage")) {
            sawExtendedKeyUsage = true;
            const QStringList usages = ext.value().toStringList();
            QVERIFY2(usages.contains(QLatin1String("TLS Web Server Authentication")),
                     qPrintable(usages.join(QLatin1String(", "))));
            QVERIFY(usages.contains(QLatin1String("TLS Web Client Authentication")));
        }
    }
    QVERIFY(sawExtendedKeyUsage);
    QVERIFY(keyMatchesCertificate(*leaf));
    QCOMPARE(leaf->key().algorithm(), leafKey == KeyType::EcP256 ? QSsl::Ec : QSsl::Rsa);

    {
        TrustedCa trust(ca->certificate());
        const auto errors = QSslCertificate::verify({cert}, QStringLiteral("localhost"));
        QVERIFY2(errors.isEmpty(), qPrintable(errorStrings(errors).join(QLatin1String("; "))));
        // A name that is not in the SANs fails.
        QVERIFY(!QSslCertificate::verify({cert}, QStringLiteral("example.com")).isEmpty());
    }
}

void TestPki::leafFromAnotherCaDoesNotVerify()
{
    auto ca = createCertificateAuthority(QStringLiteral("ca-one"));
    auto other = createCertificateAuthority(QStringLiteral("ca-two"));
    QVERIFY(ca.ok() && other.ok());
    CertificateRequest request;
    request.commonName = QStringLiteral("kubernetes-admin");
    request.organizations = {QStringLiteral("system:masters")};
    request.clientAuth = true;
    auto leaf = issueCertificate(*other, request);
    QVERIFY(leaf.ok());
    TrustedCa trust(ca->certificate());
    QVERIFY(!QSslCertificate::verify({leaf->certificate()}).isEmpty());
}

void TestPki::serialNumbersAreRandom()
{
    auto ca = createCertificateAuthority(QStringLiteral("ca"));
    QVERIFY(ca.ok());
    CertificateRequest request;
    request.commonName = QStringLiteral("same-name");
    auto a = issueCertificate(*ca, request);
    auto b = issueCertificate(*ca, request);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->certificate().serialNumber() != b->certificate().serialNumber());
    QVERIFY(a->certificate().serialNumber().size() >= 20); // hex with colons: many bytes
    QVERIFY(a->privateKeyPem != b->privateKeyPem);
}

void TestPki::selfSignedLeafVerifiesWhenTrusted()
{
    CertificateRequest request;
    request.commonName = QStringLiteral("vk-node");
    request.dnsNames = {QStringLiteral("vk-node")};
    request.ipAddresses = {QHostAddress(QStringLiteral("10.0.0.7"))};
    request.serverAuth = true;
    auto self = createSelfSigned(request);
    QVERIFY2(self.ok(), qPrintable(self.ok() ? QString() : self.error().toString()));
    const QSslCertificate cert = self->certificate();
    QVERIFY(cert.isSelfSigned());
    QVERIFY(cert.subjectAlternativeNames().values(QSsl::IpAddressEntry).contains(QStringLiteral("10.0.0.7")));
    QVERIFY(keyMatchesCertificate(*self));
    TrustedCa trust(cert);
    const auto errors = QSslCertificate::verify({cert}, QStringLiteral("vk-node"));
    QVERIFY2(errors.isEmpty(), qPrintable(errorStrings(errors).join(QLatin1String("; "))));
}

void TestPki::loadsKeysOfEitherAlgorithm()
{
    auto ec = createCertificateAuthority(QStringLiteral("ec"), 1, KeyType::EcP256);
    auto rsa = createCertificateAuthority(QStringLiteral("rsa"), 1, KeyType::Rsa2048);
    QVERIFY(ec.ok() && rsa.ok());
    QCOMPARE(loadPrivateKey(ec->privateKeyPem).algorithm(), QSsl::Ec);
    QCOMPARE(loadPrivateKey(rsa->privateKeyPem).algorithm(), QSsl::Rsa);
    QVERIFY(loadPrivateKey("not a key").isNull());
    QVERIFY(loadPrivateKey({}).isNull());
    // A key that belongs to another certificate does not match.
    QVERIFY(!keyMatchesCertificate({ec->certificatePem, rsa->privateKeyPem}));
}

void TestPki::rejectsBadInput()
{
    CertificateRequest request;
    request.commonName = QStringLiteral("x");
    auto broken = issueCertificate(CertificateAndKey{"garbage", "garbage"}, request);
    QVERIFY(!broken.ok());
    QVERIFY(broken.error().message().contains(QLatin1String("CA certificate")));

    auto ca = createCertificateAuthority(QStringLiteral("ca"));
    auto other = createCertificateAuthority(QStringLiteral("other"));
    QVERIFY(ca.ok() && other.ok());
    auto mismatched = issueCertificate(CertificateAndKey{ca->certificatePem, other->privateKeyPem}, request);
    QVERIFY(!mismatched.ok());
    QVERIFY(mismatched.error().message().contains(QLatin1String("does not match")));

    CertificateRequest unnamed;
    auto noName = issueCertificate(*ca, unnamed);
    QVERIFY(!noName.ok());
    QCOMPARE(noName.error().category(), vk::ErrorCategory::InvalidInput);
}

void TestPki::filesRoundTripWithPrivateKeyMode()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto ca = createCertificateAuthority(QStringLiteral("ca"));
    QVERIFY(ca.ok());
    const QString certPath = dir.filePath(QStringLiteral("pki/ca.crt"));
    const QString keyPath = dir.filePath(QStringLiteral("pki/ca.key"));
    const vk::Status saved = saveToFiles(*ca, certPath, keyPath);
    QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));

    QCOMPARE(QFile::permissions(keyPath),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);
    QVERIFY(!(QFile::permissions(certPath) & QFileDevice::WriteOther));

    auto loaded = loadFromFiles(certPath, keyPath);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->certificatePem, ca->certificatePem);
    QCOMPARE(loaded->privateKeyPem, ca->privateKeyPem);
    QCOMPARE(loaded->certificate(), ca->certificate());

    // Overwriting an existing, too open key file tightens it.
    QFile::setPermissions(keyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    QVERIFY(saveToFiles(*ca, certPath, keyPath).ok());
    QVERIFY(!(QFile::permissions(keyPath) & QFileDevice::ReadOther));
}

void TestPki::loadErrorsNameTheFile()
{
    QTemporaryDir dir;
    auto ca = createCertificateAuthority(QStringLiteral("ca"));
    auto other = createCertificateAuthority(QStringLiteral("other"));
    QVERIFY(ca.ok() && other.ok());
    const QString certPath = dir.filePath(QStringLiteral("tls.crt"));
    const QString keyPath = dir.filePath(QStringLiteral("tls.key"));
    const QString missing = dir.filePath(QStringLiteral("missing.crt"));

    auto noCert = loadFromFiles(missing, keyPath);
    QVERIFY(!noCert.ok());
    QVERIFY2(noCert.error().message().contains(missing), qPrintable(noCert.error().message()));
    QCOMPARE(noCert.error().category(), vk::ErrorCategory::InvalidInput);

    QVERIFY(saveToFiles(*ca, certPath, keyPath).ok());
    const QString missingKey = dir.filePath(QStringLiteral("missing.key"));
    auto noKey = loadFromFiles(certPath, missingKey);
    QVERIFY(!noKey.ok());
    QVERIFY(noKey.error().message().contains(missingKey));

    QFile junk(dir.filePath(QStringLiteral("junk.crt")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("hello");
    junk.close();
    auto badCert = loadFromFiles(junk.fileName(), keyPath);
    QVERIFY(!badCert.ok());
    QVERIFY(badCert.error().message().contains(junk.fileName()));

    const QString otherKey = dir.filePath(QStringLiteral("other.key"));
    QVERIFY(saveToFiles(*other, dir.filePath(QStringLiteral("other.crt")), otherKey).ok());
    auto mismatch = loadFromFiles(certPath, otherKey);
    QVERIFY(!mismatch.ok());
    QVERIFY(mismatch.error().message().contains(otherKey));
    QVERIFY(mismatch.error().message().contains(certPath));
}

QTEST_GUILESS_MAIN(TestPki)
#include "tst_pki.moc"
