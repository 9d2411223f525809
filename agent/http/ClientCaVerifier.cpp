// SPDX-License-Identifier: Apache-2.0
#include "http/ClientCaVerifier.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

namespace vk::http {

namespace {

struct X509Free
{
    void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr toX509(const QSslCertificate& certificate)
{
    const QByteArray der = certificate.toDer();
    const auto* data = reinterpret_cast<const unsigned char*>(der.constData());
    return X509Ptr(d2i_X509(nullptr, &data, long(der.size())));
}

} // namespace

ClientCaVerifier::ClientCaVerifier(const QList<QSslCertificate>& cas)
{
    if (cas.isEmpty())
        return;
    m_store = X509_STORE_new();
    for (const QSslCertificate& ca : cas) {
        X509Ptr x = toX509(ca);
        if (x && X509_STORE_add_cert(m_store, x.get()) == 1)
            ++m_count;
    }
}

ClientCaVerifier::~ClientCaVerifier()
{
    if (m_store)
        X509_STORE_free(m_store);
}

bool ClientCaVerifier::verify(const QList<QSslCertificate>& chain, QString* error) const
{
    auto setError = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (!m_store || m_count == 0)
        return setError(QStringLiteral("no client CA configured"));
    if (chain.isEmpty() || chain.first().isNull())
        return setError(QStringLiteral("no client certificate"));

    X509Ptr leaf = toX509(chain.first());
    if (!leaf)
        return setError(QStringLiteral("unreadable client certificate"));
    STACK_OF(X509)* intermediates = sk_X509_new_null();
    for (qsizetype i = 1; i < chain.size(); ++i) {
        if (X509* x = toX509(chain.at(i)).release())
            sk_X509_push(intermediates, x);
    }
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    bool ok = false;
    if (ctx && X509_STORE_CTX_init(ctx, m_store, leaf.get(), intermediates) == 1) {
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
        ok = X509_verify_cert(ctx) == 1;
        if (!ok)
            setError(QString::fromLatin1(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx))));
    } else {
        setError(QStringLiteral("cannot set up certificate verification"));
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(intermediates, X509_free);
    return ok;
}

} // namespace vk::http
