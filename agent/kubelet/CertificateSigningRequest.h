// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "http/Pki.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QStringList>

// PKCS#10 certificate signing requests (OpenSSL) and the certificates.k8s.io/v1 CertificateSigningRequest a kubelet
// sends to get its serving certificate signed by kubernetes.io/kubelet-serving.
namespace vk::kubelet {

inline constexpr char kKubeletServingSigner[] = "kubernetes.io/kubelet-serving";

/// A new private key, PEM (PKCS#8).
Result<QByteArray> generatePrivateKey(pki::KeyType type);

/// A PEM "CERTIFICATE REQUEST" for request.commonName, organizations and the SANs (DNS and IP), signed (SHA-256)
/// with the private key. Like Go's x509.CreateCertificateRequest as the kubelet uses it: usages are not encoded in
/// the CSR (they go into the Kubernetes object).
Result<QByteArray> createCertificateSigningRequest(const pki::CertificateRequest& request,
                                                   const QByteArray& privateKeyPem);

/// What a PEM CSR says (for checks and tests).
struct CsrInfo
{
    QString commonName;
    QStringList organizations;
    QStringList dnsNames;
    QList<QHostAddress> ipAddresses;
    bool signatureValid = false;
    bool ecKey = false;
};
Result<CsrInfo> inspectCertificateSigningRequest(const QByteArray& csrPem);

/// The kubelet-serving request of a node: CN system:node:<node>, O system:nodes, the node's DNS names and IPs,
/// server auth.
pki::CertificateRequest kubeletServingRequest(const QString& nodeName,
                                              const QStringList& dnsNames,
                                              const QList<QHostAddress>& ipAddresses,
                                              pki::KeyType keyType = pki::KeyType::EcP256);

/// The usages the kubelet asks for: "digital signature", "key encipherment" (RSA only), "server auth".
QStringList kubeletServingUsages(pki::KeyType keyType);

/// The certificates.k8s.io/v1 CertificateSigningRequest object (metadata.generateName "csr-", spec.request
/// base64 PEM, signerName kubernetes.io/kubelet-serving, usages).
QJsonObject kubeletServingCsrObject(const QByteArray& csrPem, pki::KeyType keyType);

/// From a CertificateSigningRequest object: the issued certificate (PEM) once approved and signed; an empty array
/// while pending; a Forbidden error when denied, an Internal error when failed.
Result<QByteArray> issuedCertificate(const QJsonObject& csr);

} // namespace vk::kubelet
