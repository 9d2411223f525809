// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>

// PEM decoding shared by the kubeconfig loader, the in-cluster config and exec plugin results. `what` names the
// origin in error messages (a file and field, or a plugin).
namespace vk::kube::pem {

/// Every certificate of a PEM bundle; an error when there is none.
Result<QList<QSslCertificate>> certificates(const QByteArray& pem, const QString& what);
/// The first certificate of a PEM bundle (a client certificate, possibly followed by intermediates).
Result<QSslCertificate> certificate(const QByteArray& pem, const QString& what);
/// A PEM private key: PKCS#1 RSA, SEC1 EC or PKCS#8 of either. kubeconfig does not say which algorithm, so RSA is
/// tried first, then EC.
Result<QSslKey> privateKey(const QByteArray& pem, const QString& what);
/// Decodes a kubeconfig *-data field (standard base64, whitespace ignored).
Result<QByteArray> decodeBase64(const QString& text, const QString& what);
/// PEM text of certificates, e.g. for an exec plugin's cluster info.
QByteArray toPem(const QList<QSslCertificate>& certificates);

} // namespace vk::kube::pem
