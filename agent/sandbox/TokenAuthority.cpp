// SPDX-License-Identifier: Apache-2.0
#include "sandbox/TokenAuthority.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>

namespace vk::sandbox {

namespace {

QString keyOf(const QString& token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

} // namespace

TokenAuthority::TokenAuthority(Clock* clock, QStringList apiAudiences)
    : m_clock(clock ? clock : Clock::system()), m_apiAudiences(std::move(apiAudiences))
{}

Result<TokenAuthority::Issued> TokenAuthority::issue(const QString& ns,
                                                     const QString& serviceAccount,
                                                     const QString& serviceAccountUid,
                                                     QStringList audiences,
                                                     qint64 expirationSeconds)
{
    if (expirationSeconds == 0)
        expirationSeconds = 3600;
    if (expirationSeconds < 600)
        return Error(ErrorCategory::Invalid,
                     QStringLiteral("TokenRequest.authentication.k8s.io \"%1\" is invalid: spec.expirationSeconds: "
                                    "Invalid value: %2: may not specify a duration less than 10 minutes")
                         .arg(serviceAccount)
                         .arg(expirationSeconds));
    if (expirationSeconds > (qint64(1) << 32))
        return Error(ErrorCategory::Invalid,
                     QStringLiteral("TokenRequest.authentication.k8s.io \"%1\" is invalid: spec.expirationSeconds: "
                                    "Invalid value: %2: may not specify a duration larger than 2^32 seconds")
                         .arg(serviceAccount)
                         .arg(expirationSeconds));
    if (audiences.isEmpty())
        audiences = m_apiAudiences;
    QByteArray random(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(random.data()), random.size() / 4);
    Issued issued;
    issued.token = QStringLiteral("vksa_") +
                   QString::fromLatin1(random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    issued.expirationSeconds = expirationSeconds;
    issued.expiration = m_clock->now().toUTC().addSecs(expirationSeconds);
    issued.audiences = audiences;
    m_tokens.insert(keyOf(issued.token), Entry{ns, serviceAccount, serviceAccountUid, audiences, issued.expiration});
    return issued;
}

TokenAuthority::Review TokenAuthority::review(const QString& token, QStringList audiences) const
{
    Review review;
    const auto it = m_tokens.constFind(keyOf(token));
    if (it == m_tokens.cend()) {
        review.error = QStringLiteral("[invalid bearer token, token lookup failed]");
        return review;
    }
    if (it->expiration <= m_clock->now()) {
        review.error = QStringLiteral("[invalid bearer token, service account token has expired]");
        return review;
    }
    if (audiences.isEmpty())
        audiences = m_apiAudiences;
    for (const QString& audience : audiences) {
        if (it->audiences.contains(audience))
            review.audiences.append(audience);
    }
    if (review.audiences.isEmpty()) {
        review.error = QStringLiteral("[invalid bearer token, token audiences [\"%1\"] is invalid for the target "
                                      "audiences [\"%2\"]]")
                           .arg(it->audiences.join(QStringLiteral("\",\"")), audiences.join(QStringLiteral("\",\"")));
        return review;
    }
    if (m_accountExists && !m_accountExists(it->ns, it->name, it->uid)) {
        review.audiences.clear();
        review.error =
            QStringLiteral("[invalid bearer token, service account %1/%2 has been deleted]").arg(it->ns, it->name);
        return review;
    }
    review.authenticated = true;
    review.user.name = QStringLiteral("system:serviceaccount:%1:%2").arg(it->ns, it->name);
    review.user.uid = it->uid;
    review.user.groups = {QStringLiteral("system:serviceaccounts"), QStringLiteral("system:serviceaccounts:") + it->ns,
                          QStringLiteral("system:authenticated")};
    return review;
}

} // namespace vk::sandbox
