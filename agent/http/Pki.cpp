// SPDX-License-Identifier: Apache-2.0
#include "http/Pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <memory>

namespace vk::pki {

namespace {

struct OpenSslFree
{
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
    void operator()(BIGNUM* p) const { BN_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
    void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
    void operator()(X509_REQ* p) const { X509_REQ_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using CertPtr = std::unique_ptr<X509, OpenSslFree>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
using BnPtr = std::unique_ptr<BIGNUM, OpenSslFree>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslFree>;
using ReqPtr = std::unique_ptr<X509_REQ, OpenSslFree>;

QString opensslError(const QString& what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return what;
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return what + QStringLiteral(": ") + QString::fromLatin1(buffer);
}

BioPtr memoryBio(const QByteArray& data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

QByteArray bioContents(BIO* bio)
{
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(size));
}

KeyPtr generateKey(KeyType type)
{
    if (type == KeyType::Rsa2048)
        return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)));
    return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

KeyPtr readKey(const QByteArray& pem)
{
    if (pem.isEmpty())
        return {};
    BioPtr bio = memoryBio(pem);
    KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return key;
}

CertPtr readCertificate(const QByteArray& pem)
{
    if (pem.isEmpty())
        return {};
    BioPtr bio = memoryBio(pem);
    CertPtr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return cert;
}

QByteArray keyPem(EVP_PKEY* key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray certificatePem(X509* cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return bioContents(bio.get());
}

bool addExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value)
{
    ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool addSubjectAltNames(X509* cert, const QStringList& dnsNames, const QList<QHostAddress>& ips)
{
    if (dnsNames.isEmpty() && ips.isEmpty())
        return true;
    NamesPtr names(sk_GENERAL_NAME_new_null());
    for (const QString& dns : dnsNames) {
        const QByteArray ascii = dns.toUtf8();
        ASN1_IA5STRING* value = ASN1_IA5STRING_new();
        ASN1_STRING_set(value, ascii.constData(), int(ascii.size()));
        GENERAL_NAME* name = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(name, GEN_DNS, value);
        sk_GENERAL_NAME_push(names.get(), name);
    }
    for (const QHostAddress& ip : ips) {
        unsigned char bytes[16];
        int length = 0;
        bool isV4 = false;
        const quint32 v4 = ip.toIPv4Address(&isV4);
        if (isV4) {
            bytes[0] = uchar(v4 >> 24);
            bytes[1] = uchar(v4 >> 16);
            bytes[2] = uchar(v4 >> 8);
            bytes[3] = uchar(v4);
            length = 4;
        } else if (ip.protocol() == QAbstractSocket::IPv6Protocol) {
            const Q_IPV6ADDR v6 = ip.toIPv6Address();
            std::copy(v6.c, v6.c + 16, bytes);
            length = 16;
        } else {
            continue;
        }
        ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(value, bytes, length);
        GENERAL_NAME* name = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(name, GEN_IPADD, value);
        sk_GENERAL_NAME_push(names.get(), name);
    }
    return X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

struct Subject
{
    QString commonName;
    QStringList organizations;
};

/// Builds and signs a certificate for subjectKey. issuer/issuerKey null means self-signed.
Result<CertPtr> buildCertificate(const Subject& subject,
                                 EVP_PKEY* subjectKey,
                                 X509* issuer,
                                 EVP_PKEY* issuerKey,
                                 int validityDays,
                                 bool isCa,
                                 const CertificateRequest* leaf)
{
    const QString what = QStringLiteral("creating certificate \"%1\"").arg(subject.commonName);
    CertPtr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1)
        return Error::internal(opensslError(what));

    // A random 159-bit positive serial number, as RFC 5280 allows at most 20 octets.
    BnPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1)
        return Error::internal(opensslError(what));
    if (BN_is_zero(serial.get()))
        BN_one(serial.get());
    if (!BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return Error::internal(opensslError(what));

    // Valid from one hour ago, so peers with a slightly late clock accept it (kubeadm does the same).
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
        !X509_time_adj_ex(X509_getm_notAfter(cert.get()), validityDays, 0, nullptr))
        return Error::internal(opensslError(what));

    X509_NAME* name = X509_get_subject_name(cert.get());
    for (const QString& organization : subject.organizations) {
        const QByteArray value = organization.toUtf8();
        if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                                       int(value.size()), -1, 0) != 1)
            return Error::invalidInput(opensslError(what + QStringLiteral(": organization \"%1\"").arg(organization)));
    }
    const QByteArray cn = subject.commonName.toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.data()),
                                   int(cn.size()), -1, 0) != 1)
        return Error::invalidInput(opensslError(what + QStringLiteral(": common name")));
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    if (X509_set_pubkey(cert.get(), subjectKey) != 1)
        return Error::internal(opensslError(what));

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    const bool rsa = EVP_PKEY_base_id(subjectKey) == EVP_PKEY_RSA;
    // A self-signed leaf is its own trust anchor (clients put it in their CA list), so it is marked like one, as
    // `openssl req -x509` does.
    const bool selfSignedLeaf = leaf && !issuer;
    bool ok = addExtension(cert.get(), &ctx, NID_basic_constraints,
                           isCa || selfSignedLeaf ? "critical,CA:TRUE" : "critical,CA:FALSE");
    if (isCa) {
        ok = ok &&
             addExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign");
    } else if (selfSignedLeaf) {
        ok = ok && addExtension(cert.get(), &ctx, NID_key_usage,
                                rsa ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                                    : "critical,digitalSignature,keyCertSign");
    } else {
        ok = ok && addExtension(cert.get(), &ctx, NID_key_usage,
                                rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature");
    }
    if (leaf && (leaf->serverAuth || leaf->clientAuth)) {
        const char* usage = leaf->serverAuth && leaf->clientAuth ? "serverAuth,clientAuth"
                            : leaf->serverAuth                   ? "serverAuth"
                                                                 : "clientAuth";
        ok = ok && addExtension(cert.get(), &ctx, NID_ext_key_usage, usage);
    }
    ok = ok && addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    if (issuer)
        ok = ok && addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    if (leaf)
        ok = ok && addSubjectAltNames(cert.get(), leaf->dnsNames, leaf->ipAddresses);
    if (!ok)
        return Error::internal(opensslError(what + QStringLiteral(": extensions")));

    if (X509_sign(cert.get(), issuerKey ? issuerKey : subjectKey, EVP_sha256()) <= 0)
        return Error::internal(opensslError(what + QStringLiteral(": signing")));
    return cert;
}

Result<CertificateAndKey> makeCertificate(const Subject& subject,
                                          KeyType keyType,
                                          X509* issuer,
                                          EVP_PKEY* issuerKey,
                                          int validityDays,
                                          bool isCa,
                                          const CertificateRequest* leaf)
{
    if (subject.commonName.isEmpty())
        return Error::invalidInput(QStringLiteral("certificate request has no common name"));
    if (validityDays <= 0)
        return Error::invalidInput(
            QStringLiteral("certificate \"%1\": validity must be at least one day").arg(subject.commonName));
    KeyPtr key = generateKey(keyType);
    if (!key)
        return Error::internal(opensslError(QStringLiteral("generating a key for \"%1\"").arg(subject.commonName)));
    Result<CertPtr> cert = buildCertificate(subject, key.get(), issuer, issuerKey, validityDays, isCa, leaf);
    if (!cert)
        return cert.error();
    CertificateAndKey pair{certificatePem(cert->get()), keyPem(key.get())};
    if (pair.isNull())
        return Error::internal(opensslError(QStringLiteral("encoding certificate \"%1\"").arg(subject.commonName)));
    return pair;
}

Result<QByteArray> readFile(const QString& path, const QString& what)
{
    QFile file(path);
    if (!file.exists())
        return Error::invalidInput(QStringLiteral("%1 file %2 does not exist").arg(what, path));
    if (!file.open(QIODevice::ReadOnly))
        return Error::invalidInput(QStringLiteral("cannot read %1 file %2: %3").arg(what, path, file.errorString()));
    return file.readAll();
}

Status writeFile(const QString& path, const QByteArray& data, bool secret, const QString& what)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error::invalidInput(QStringLiteral("cannot write %1 file %2: %3").arg(what, path, file.errorString()));
    // Restrict the key before any secret byte is written.
    const QFileDevice::Permissions mode =
        secret ? (QFileDevice::ReadOwner | QFileDevice::WriteOwner)
               : (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    if (!file.setPermissions(mode))
        return Error::invalidInput(
            QStringLiteral("cannot set permissions of %1 file %2: %3").arg(what, path, file.errorString()));
    if (file.write(data) != data.size() || !file.flush())
        return Error::invalidInput(QStringLiteral("cannot write %1 file %2: %3").arg(what, path, file.errorString()));
    return {};
}

} // namespace

QSslCertificate CertificateAndKey::certificate() const
{
    if (certificatePem.isEmpty())
        return QSslCertificate();
    return QSslCertificate(certificatePem, QSsl::Pem);
}

QSslKey CertificateAndKey::key() const
{
    return loadPrivateKey(privateKeyPem);
}

Result<CertificateAndKey> createCertificateAuthority(const QString& commonName, int validityDays, KeyType keyType)
{
    return makeCertificate(Subject{commonName, {}}, keyType, nullptr, nullptr, validityDays, true, nullptr);
}

Result<CertificateAndKey> issueCertificate(const CertificateAndKey& ca, const CertificateRequest& request)
{
    CertPtr caCert = readCertificate(ca.certificatePem);
    if (!caCert)
        return Error::invalidInput(
            QStringLiteral("issuing \"%1\": the CA certificate is not valid PEM").arg(request.commonName));
    KeyPtr caKey = readKey(ca.privateKeyPem);
    if (!caKey)
        return Error::invalidInput(
            QStringLiteral("issuing \"%1\": the CA private key is not valid PEM").arg(request.commonName));
    if (X509_check_private_key(caCert.get(), caKey.get()) != 1) {
        ERR_clear_error();
        return Error::invalidInput(
            QStringLiteral("issuing \"%1\": the CA private key does not match the CA certificate")
                .arg(request.commonName));
    }
    return makeCertificate(Subject{request.commonName, request.organizations}, request.keyType, caCert.get(),
                           caKey.get(), request.validityDays, false, &request);
}

Result<CertificateAndKey> createSelfSigned(const CertificateRequest& request)
{
    return makeCertificate(Subject{request.commonName, request.organizations}, request.keyType, nullptr, nullptr,
                           request.validityDays, false, &request);
}

bool keyMatchesCertificate(const CertificateAndKey& pair)
{
    CertPtr cert = readCertificate(pair.certificatePem);
    KeyPtr key = readKey(pair.privateKeyPem);
    if (!cert || !key)
        return false;
    const bool matches = X509_check_private_key(cert.get(), key.get()) == 1;
    ERR_clear_error();
    return matches;
}

Result<CertificateAndKey> loadFromFiles(const QString& certificatePath, const QString& keyPath)
{
    Result<QByteArray> certificate = readFile(certificatePath, QStringLiteral("certificate"));
    if (!certificate)
        return certificate.error();
    if (QSslCertificate::fromData(*certificate, QSsl::Pem).isEmpty())
        return Error::invalidInput(
            QStringLiteral("certificate file %1 contains no PEM certificate").arg(certificatePath));
    Result<QByteArray> key = readFile(keyPath, QStringLiteral("key"));
    if (!key)
        return key.error();
    if (loadPrivateKey(*key).isNull())
        return Error::invalidInput(QStringLiteral("key file %1 contains no usable PEM private key").arg(keyPath));
    CertificateAndKey pair{std::move(*certificate), std::move(*key)};
    if (!keyMatchesCertificate(pair))
        return Error::invalidInput(
            QStringLiteral("key file %1 does not match certificate file %2").arg(keyPath, certificatePath));
    return pair;
}

Status saveToFiles(const CertificateAndKey& pair, const QString& certificatePath, const QString& keyPath)
{
    if (pair.isNull())
        return Error::invalidInput(
            QStringLiteral("nothing to save to %1 and %2: empty certificate or key").arg(certificatePath, keyPath));
    if (Status s = writeFile(certificatePath, pair.certificatePem, false, QStringLiteral("certificate")); !s)
        return s;
    return writeFile(keyPath, pair.privateKeyPem, true, QStringLiteral("key"));
}

QSslKey loadPrivateKey(const QByteArray& pem)
{
    if (pem.isEmpty())
        return {};
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    return key;
}

namespace {

QString nameEntry(X509_NAME* name, int nid, int& position)
{
    position = X509_NAME_get_index_by_NID(name, nid, position);
    if (position < 0)
        return {};
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, position));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    QString value = length >= 0 ? QString::fromUtf8(reinterpret_cast<const char*>(utf8), length) : QString();
    OPENSSL_free(utf8);
    return value;
}

QString asn1Text(const ASN1_STRING* text)
{
    return QString::fromUtf8(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)), ASN1_STRING_length(text));
}

Result<ReqPtr> readRequest(const QByteArray& csrPem)
{
    BioPtr bio = memoryBio(csrPem);
    ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
    if (!req)
        return Error::badRequest(opensslError(QStringLiteral("parsing the certificate request")));
    return req;
}

} // namespace

Result<CertificateRequestContents> inspectCertificateRequest(const QByteArray& csrPem)
{
    auto req = readRequest(csrPem);
    if (!req)
        return req.error();
    CertificateRequestContents contents;
    X509_NAME* subject = X509_REQ_get_subject_name(req->get());
    int position = -1;
    contents.commonName = nameEntry(subject, NID_commonName, position);
    position = -1;
    for (;;) {
        const QString organization = nameEntry(subject, NID_organizationName, position);
        if (position < 0)
            break;
        contents.organizations.append(organization);
    }
    STACK_OF(X509_EXTENSION)* extensions = X509_REQ_get_extensions(req->get());
    if (extensions) {
        auto* names = static_cast<GENERAL_NAMES*>(X509V3_get_d2i(extensions, NID_subject_alt_name, nullptr, nullptr));
        for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
            const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
            if (name->type == GEN_DNS) {
                contents.dnsNames.append(asn1Text(name->d.dNSName));
            } else if (name->type == GEN_EMAIL) {
                contents.emailAddresses.append(asn1Text(name->d.rfc822Name));
            } else if (name->type == GEN_URI) {
                contents.uris.append(asn1Text(name->d.uniformResourceIdentifier));
            } else if (name->type == GEN_IPADD) {
                const ASN1_OCTET_STRING* ip = name->d.iPAddress;
                const unsigned char* bytes = ASN1_STRING_get0_data(ip);
                if (ASN1_STRING_length(ip) == 4) {
                    contents.ipAddresses.append(QHostAddress(quint32(bytes[0]) << 24 | quint32(bytes[1]) << 16 |
                                                             quint32(bytes[2]) << 8 | quint32(bytes[3])));
                } else if (ASN1_STRING_length(ip) == 16) {
                    contents.ipAddresses.append(QHostAddress(bytes));
                }
            }
        }
        GENERAL_NAMES_free(names);
        sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
    }
    EVP_PKEY* key = X509_REQ_get0_pubkey(req->get());
    contents.signatureValid = key && X509_REQ_verify(req->get(), key) == 1;
    contents.rsaKey = key && EVP_PKEY_base_id(key) == EVP_PKEY_RSA;
    ERR_clear_error();
    return contents;
}

Result<QByteArray>
signCertificateRequest(const CertificateAndKey& ca, const QByteArray& csrPem, const SigningPolicy& policy)
{
    const QString what = QStringLiteral("signing a certificate request");
    auto contents = inspectCertificateRequest(csrPem);
    if (!contents)
        return contents.error();
    if (!contents->signatureValid)
        return Error::badRequest(QStringLiteral("the certificate request's signature does not verify"));
    if (policy.validitySeconds <= 0)
        return Error::invalidInput(QStringLiteral("the certificate validity must be positive"));
    auto req = readRequest(csrPem);
    if (!req)
        return req.error();
    CertPtr issuer = readCertificate(ca.certificatePem);
    KeyPtr issuerKey = readKey(ca.privateKeyPem);
    if (!issuer || !issuerKey)
        return Error::internal(opensslError(what + QStringLiteral(": the CA certificate or key does not load")));
    EVP_PKEY* subjectKey = X509_REQ_get0_pubkey(req->get());
    CertPtr cert(X509_new());
    BnPtr serial(BN_new());
    if (!cert || !serial || X509_set_version(cert.get(), 2) != 1 ||
        BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1)
        return Error::internal(opensslError(what));
    if (BN_is_zero(serial.get()))
        BN_one(serial.get());
    if (!BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) ||
        !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -long(policy.backdateSeconds)) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(policy.validitySeconds)) ||
        X509_set_subject_name(cert.get(), X509_REQ_get_subject_name(req->get())) != 1 ||
        X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer.get())) != 1 ||
        X509_set_pubkey(cert.get(), subjectKey) != 1)
        return Error::internal(opensslError(what));
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer.get(), cert.get(), nullptr, nullptr, 0);
    QByteArrayList keyUsage{"critical"};
    if (policy.digitalSignature)
        keyUsage.append("digitalSignature");
    if (policy.keyEncipherment)
        keyUsage.append("keyEncipherment");
    QByteArrayList extendedUsage;
    if (policy.serverAuth)
        extendedUsage.append("serverAuth");
    if (policy.clientAuth)
        extendedUsage.append("clientAuth");
    bool ok = addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
    if (keyUsage.size() > 1)
        ok = ok && addExtension(cert.get(), &ctx, NID_key_usage, keyUsage.join(',').constData());
    if (!extendedUsage.isEmpty())
        ok = ok && addExtension(cert.get(), &ctx, NID_ext_key_usage, extendedUsage.join(',').constData());
    ok = ok && addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    ok = ok && addSubjectAltNames(cert.get(), contents->dnsNames, contents->ipAddresses);
    if (!ok)
        return Error::internal(opensslError(what + QStringLiteral(": extensions")));
    if (X509_sign(cert.get(), issuerKey.get(), EVP_sha256()) <= 0)
        return Error::internal(opensslError(what + QStringLiteral(": signing")));
    return certificatePem(cert.get());
}

} // namespace vk::pki
