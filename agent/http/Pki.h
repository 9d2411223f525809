// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>

// Certificates for the sandbox (CA, serving, admin client) and the kubelet server (self-signed), via OpenSSL.
namespace vk::pki {

enum class KeyType
{
    EcP256,
    Rsa2048
};

struct CertificateRequest
{
    QString commonName;
    QStringList organizations;       ///< O=, e.g. "system:masters" (Kubernetes groups)
    QStringList dnsNames;            ///< subjectAltName DNS entries
    QList<QHostAddress> ipAddresses; ///< subjectAltName IP entries
    bool serverAuth = false;         ///< extendedKeyUsage serverAuth
    bool clientAuth = false;         ///< extendedKeyUsage clientAuth
    int validityDays = 365;
    KeyType keyType = KeyType::EcP256;
};

/// A certificate and its private key, both PEM.
struct CertificateAndKey
{
    QByteArray certificatePem;
    QByteArray privateKeyPem;

    QSslCertificate certificate() const;
    /// The key as Qt needs it (tries RSA, then EC).
    QSslKey key() const;
    bool isNull() const { return certificatePem.isEmpty() || privateKeyPem.isEmpty(); }
};

/// A self-signed CA certificate (basicConstraints CA:TRUE, keyCertSign) with a new key.
Result<CertificateAndKey>
createCertificateAuthority(const QString& commonName, int validityDays = 3650, KeyType keyType = KeyType::EcP256);
/// A leaf certificate signed by `ca`, with a new key.
Result<CertificateAndKey> issueCertificate(const CertificateAndKey& ca, const CertificateRequest& request);
/// A self-signed leaf (the kubelet server's fallback when no certificate is configured). Like `openssl req -x509`
/// it is marked CA:TRUE with keyCertSign, so clients can put it in their CA list and trust it directly.
Result<CertificateAndKey> createSelfSigned(const CertificateRequest& request);

/// Reads PEM files; the error names the file that is missing or unreadable, or both when the key does not match.
Result<CertificateAndKey> loadFromFiles(const QString& certificatePath, const QString& keyPath);
/// Writes PEM files; the key file gets mode 0600.
Status saveToFiles(const CertificateAndKey& pair, const QString& certificatePath, const QString& keyPath);

/// Whether the private key belongs to the certificate (both PEM).
bool keyMatchesCertificate(const CertificateAndKey& pair);

/// What a PEM "CERTIFICATE REQUEST" (PKCS#10) says, for signers that check it before signing.
struct CertificateRequestContents
{
    QString commonName;
    QStringList organizations;
    QStringList dnsNames;
    QList<QHostAddress> ipAddresses;
    QStringList emailAddresses;
    QStringList uris;
    bool signatureValid = false; ///< the request is signed by the key it carries
    bool rsaKey = false;
};
/// Parses a PEM CSR; an error when it is not one.
Result<CertificateRequestContents> inspectCertificateRequest(const QByteArray& csrPem);

/// How a CA signs a request (kube-controller-manager's csrsigning): the CSR's subject, SANs and public key, the
/// usages given here (not those in the CSR), valid from `backdateSeconds` ago for `validitySeconds`.
struct SigningPolicy
{
    qint64 validitySeconds = 365 * 24 * 3600;
    qint64 backdateSeconds = 300;
    bool digitalSignature = true;
    bool keyEncipherment = false;
    bool serverAuth = false;
    bool clientAuth = false;
};
/// Signs a PEM CSR with `ca`; the certificate as PEM. Fails for a CSR that does not parse or whose signature does
/// not verify.
Result<QByteArray>
signCertificateRequest(const CertificateAndKey& ca, const QByteArray& csrPem, const SigningPolicy& policy);

/// Loads a PEM private key of unknown algorithm (PKCS#8, traditional RSA, SEC1 EC): tries RSA, then EC.
QSslKey loadPrivateKey(const QByteArray& pem);

} // namespace vk::pki
