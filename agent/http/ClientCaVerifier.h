// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>

struct x509_store_st;

namespace vk::http {

/// Verifies client certificate chains against a fixed list of CAs (OpenSSL X509_STORE, purpose "SSL client"), the
/// way kube-apiserver's --client-ca-file does. Independent of the system trust store.
class ClientCaVerifier
{
public:
    explicit ClientCaVerifier(const QList<QSslCertificate>& cas = {});
    ~ClientCaVerifier();
    ClientCaVerifier(const ClientCaVerifier&) = delete;
    ClientCaVerifier& operator=(const ClientCaVerifier&) = delete;

    bool isEmpty() const { return m_count == 0; }
    /// chain is leaf first (intermediates may follow). False with a reason in *error when it does not verify.
    bool verify(const QList<QSslCertificate>& chain, QString* error = nullptr) const;

private:
    ::x509_store_st* m_store = nullptr;
    int m_count = 0;
};

} // namespace vk::http
