// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/Pem.h"

namespace vk::kube::pem {

Result<QList<QSslCertificate>> certificates(const QByteArray& pem, const QString& what)
{
    if (pem.trimmed().isEmpty())
        return Error::invalidInput(QStringLiteral("%1: is empty, expected PEM certificates").arg(what));
    const QList<QSslCertificate> certs = QSslCertificate::fromData(pem, QSsl::Pem);
    QList<QSslCertificate> valid;
    for (const auto& cert : certs) {
        if (!cert.isNull())
            valid.append(cert);
    }
    if (valid.isEmpty())
        return Error::invalidInput(
            QStringLiteral("%1: contains no PEM certificate (expected -----BEGIN CERTIFICATE-----)").arg(what));
    return valid;
}

Result<QSslCertificate> certificate(const QByteArray& pem, const QString& what)
{
    auto certs = certificates(pem, what);
    if (!certs)
        return certs.error();
    return certs->first();
}

Result<QSslKey> privateKey(const QByteArray& pem, const QString& what)
{
    if (pem.trimmed().isEmpty())
        return Error::invalidInput(QStringLiteral("%1: is empty, expected a PEM private key").arg(what));
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return Error::invalidInput(
        QStringLiteral("%1: is not an unencrypted RSA or EC private key in PEM form (PKCS#1, SEC1 or PKCS#8)")
            .arg(what));
}

Result<QByteArray> decodeBase64(const QString& text, const QString& what)
{
    QByteArray compact;
    compact.reserve(text.size());
    for (const QChar c : text) {
        if (c.unicode() > 0x7f)
            return Error::invalidInput(QStringLiteral("%1: illegal base64 data (non-ASCII character)").arg(what));
        if (!c.isSpace())
            compact.append(c.toLatin1());
    }
    auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Error::invalidInput(QStringLiteral("%1: illegal base64 data").arg(what));
    return *decoded;
}

QByteArray toPem(const QList<QSslCertificate>& certificates)
{
    QByteArray out;
    for (const auto& cert : certificates)
        out += cert.toPem();
    return out;
}

} // namespace vk::kube::pem
