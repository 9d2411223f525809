// SPDX-License-Identifier: Apache-2.0
#include "kubelet/CertificateSigningRequest.h"

#include <QJsonArray>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace vk::kubelet {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter
{
    void operator()(T* p) const { F(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Req = std::unique_ptr<X509_REQ, Deleter<X509_REQ, X509_REQ_free>>;

QString opensslError(const QString& what)
{
    const unsigned long code = ERR_get_error();
    char buffer[256] = {};
    if (code)
        ERR_error_string_n(code, buffer, sizeof buffer);
    ERR_clear_error();
    return code ? what + QStringLiteral(": ") + QString::fromLatin1(buffer) : what;
}

QByteArray bioContents(BIO* bio)
{
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

Key readKey(const QByteArray& pem)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

} // namespace

Result<QByteArray> generatePrivateKey(pki::KeyType type)
{
    Key key(type == pki::KeyType::Rsa2048 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
                                          : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        return Error::internal(opensslError(QStringLiteral("generating a private key")));
    Bio bio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
        return Error::internal(opensslError(QStringLiteral("writing a private key")));
    return bioContents(bio.get());
}

Result<QByteArray> createCertificateSigningRequest(const pki::CertificateRequest& request,
                                                   const QByteArray& privateKeyPem)
{
    Key key = readKey(privateKeyPem);
    if (!key)
        return Error::invalidInput(opensslError(QStringLiteral("certificate signing request: unreadable private key")));
    Req req(X509_REQ_new());
    X509_REQ_set_version(req.get(), 0);
    X509_NAME* name = X509_REQ_get_subject_name(req.get());
    for (const QString& o : request.organizations)
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(o.toUtf8().constData()), -1, -1, 0);
    if (!request.commonName.isEmpty())
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(request.commonName.toUtf8().constData()), -1,
                                   -1, 0);
    QStringList sans;
    for (const QString& dns : request.dnsNames)
        sans.append(QStringLiteral("DNS:") + dns);
    for (const QHostAddress& ip : request.ipAddresses)
        sans.append(QStringLiteral("IP:") + ip.toString());
    if (!sans.isEmpty()) {
        STACK_OF(X509_EXTENSION)* extensions = sk_X509_EXTENSION_new_null();
        const QByteArray value = sans.join(QLatin1Char(',')).toUtf8();
        X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, value.constData());
        if (!san) {
            sk_X509_EXTENSION_free(extensions);
            return Error::invalidInput(opensslError(
                QStringLiteral("certificate signing request: bad subjectAltName %1").arg(QString::fromUtf8(value))));
        }
        sk_X509_EXTENSION_push(extensions, san);
        const int added = X509_REQ_add_extensions(req.get(), extensions);
        sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
        if (!added)
            return Error::internal(opensslError(QStringLiteral("certificate signing request: adding SANs")));
    }
    if (!X509_REQ_set_pubkey(req.get(), key.get()) || !X509_REQ_sign(req.get(), key.get(), EVP_sha256()))
        return Error::internal(opensslError(QStringLiteral("signing the certificate signing request")));
    Bio bio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509_REQ(bio.get(), req.get()))
        return Error::internal(opensslError(QStringLiteral("writing the certificate signing request")));
    return bioContents(bio.get());
}

Result<CsrInfo> inspectCertificateSigningRequest(const QByteArray& csrPem)
{
    Bio bio(BIO_new_mem_buf(csrPem.constData(), int(csrPem.size())));
    Req req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
    if (!req)
        return Error::invalidInput(opensslError(QStringLiteral("not a PEM certificate request")));
    CsrInfo info;
    X509_NAME* name = X509_REQ_get_subject_name(req.get());
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
        X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
        unsigned char* utf8 = nullptr;
        const int length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
        const QString value = length >= 0 ? QString::fromUtf8(reinterpret_cast<char*>(utf8), length) : QString();
        OPENSSL_free(utf8);
        if (nid == NID_commonName)
            info.commonName = value;
        else if (nid == NID_organizationName)
            info.organizations.append(value);
    }
    STACK_OF(X509_EXTENSION)* extensions = X509_REQ_get_extensions(req.get());
    for (int i = 0; i < sk_X509_EXTENSION_num(extensions); ++i) {
        X509_EXTENSION* ext = sk_X509_EXTENSION_value(extensions, i);
        if (OBJ_obj2nid(X509_EXTENSION_get_object(ext)) != NID_subject_alt_name)
            continue;
        auto* names = static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(ext));
        for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
            const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, j);
            if (gn->type == GEN_DNS) {
                info.dnsNames.append(
                    QString::fromUtf8(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.dNSName)),
                                      ASN1_STRING_length(gn->d.dNSName)));
            } else if (gn->type == GEN_IPADD) {
                const unsigned char* data = ASN1_STRING_get0_data(gn->d.iPAddress);
                const int length = ASN1_STRING_length(gn->d.iPAddress);
                if (length == 4) {
                    info.ipAddresses.append(QHostAddress(quint32(data[0]) << 24 | quint32(data[1]) << 16 |
                                                         quint32(data[2]) << 8 | quint32(data[3])));
                } else if (length == 16) {
                    info.ipAddresses.append(QHostAddress(data));
                }
            }
        }
        GENERAL_NAMES_free(names);
    }
    sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
    EVP_PKEY* publicKey = X509_REQ_get0_pubkey(req.get());
    info.ecKey = publicKey && EVP_PKEY_is_a(publicKey, "EC");
    info.signatureValid = publicKey && X509_REQ_verify(req.get(), publicKey) == 1;
    ERR_clear_error();
    return info;
}

pki::CertificateRequest kubeletServingRequest(const QString& nodeName,
                                              const QStringList& dnsNames,
                                              const QList<QHostAddress>& ipAddresses,
                                              pki::KeyType keyType)
{
    pki::CertificateRequest request;
    request.commonName = QStringLiteral("system:node:") + nodeName;
    request.organizations = {QStringLiteral("system:nodes")};
    request.dnsNames = dnsNames;
    request.ipAddresses = ipAddresses;
    request.serverAuth = true;
    request.keyType = keyType;
    return request;
}

QStringList kubeletServingUsages(pki::KeyType keyType)
{
    if (keyType == pki::KeyType::Rsa2048)
        return {QStringLiteral("digital signature"), QStringLiteral("key encipherment"), QStringLiteral("server auth")};
    return {QStringLiteral("digital signature"), QStringLiteral("server auth")};
}

QJsonObject kubeletServingCsrObject(const QByteArray& csrPem, pki::KeyType keyType)
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("certificates.k8s.io/v1")},
        {QStringLiteral("kind"), QStringLiteral("CertificateSigningRequest")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("generateName"), QStringLiteral("csr-")}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("request"), QString::fromLatin1(csrPem.toBase64())},
                     {QStringLiteral("signerName"), QLatin1String(kKubeletServingSigner)},
                     {QStringLiteral("usages"), QJsonArray::fromStringList(kubeletServingUsages(keyType))}}},
    };
}

Result<QByteArray> issuedCertificate(const QJsonObject& csr)
{
    const QJsonObject status = csr.value(QLatin1String("status")).toObject();
    const QString name = csr.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
    bool approved = false;
    for (const auto& c : status.value(QLatin1String("conditions")).toArray()) {
        const QJsonObject condition = c.toObject();
        const QString type = condition.value(QLatin1String("type")).toString();
        const QString message = condition.value(QLatin1String("message")).toString();
        if (type == QLatin1String("Denied"))
            return Error(ErrorCategory::Forbidden,
                         QStringLiteral("certificate signing request %1 was denied: %2").arg(name, message));
        if (type == QLatin1String("Failed"))
            return Error::internal(QStringLiteral("certificate signing request %1 failed: %2").arg(name, message));
        if (type == QLatin1String("Approved"))
            approved = true;
    }
    const QString certificate = status.value(QLatin1String("certificate")).toString();
    if (!approved || certificate.isEmpty())
        return QByteArray();
    return QByteArray::fromBase64(certificate.toLatin1());
}

} // namespace vk::kubelet
