// SPDX-License-Identifier: Apache-2.0
#include "sandbox/TokenAuthority.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QUuid>

namespace vk::sandbox {

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray sign(const QByteArray& key, const QByteArray& signingInput)
{
    return QMessageAuthenticationCode::hash(signingInput, key, QCryptographicHash::Sha256).toBase64(kBase64Url);
}

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    if (value.isString())
        out.append(value.toString());
    for (const auto& v : value.toArray())
        out.append(v.toString());
    return out;
}

} // namespace

TokenAuthority::TokenAuthority(Clock* clock, QStringList apiAudiences, QByteArray signingKey)
    : m_clock(clock ? clock : Clock::system()), m_apiAudiences(std::move(apiAudiences)), m_key(std::move(signingKey))
{
    if (m_key.isEmpty()) {
        m_key.resize(32);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(m_key.data()), m_key.size() / 4);
    }
}

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
    const QDateTime now = m_clock->now().toUTC();
    Issued issued;
    issued.expirationSeconds = expirationSeconds;
    issued.expiration = now.addSecs(expirationSeconds);
    issued.audiences = audiences;
    const QJsonObject claims{
        {QStringLiteral("iss"), m_apiAudiences.value(0, defaultAudience())},
        {QStringLiteral("sub"), QStringLiteral("system:serviceaccount:%1:%2").arg(ns, serviceAccount)},
        {QStringLiteral("aud"), QJsonArray::fromStringList(audiences)},
        {QStringLiteral("exp"), issued.expiration.toSecsSinceEpoch()},
        {QStringLiteral("iat"), now.toSecsSinceEpoch()},
        {QStringLiteral("nbf"), now.toSecsSinceEpoch()},
        {QStringLiteral("jti"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("kubernetes.io"),
         QJsonObject{{QStringLiteral("namespace"), ns},
                     {QStringLiteral("serviceaccount"), QJsonObject{{QStringLiteral("name"), serviceAccount},
                                                                    {QStringLiteral("uid"), serviceAccountUid}}}}}};
    const QByteArray header = QJsonDocument(QJsonObject{{QStringLiteral("alg"), QStringLiteral("HS256")},
                                                        {QStringLiteral("typ"), QStringLiteral("JWT")}})
                                  .toJson(QJsonDocument::Compact)
                                  .toBase64(kBase64Url);
    const QByteArray payload = QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(kBase64Url);
    const QByteArray signingInput = header + '.' + payload;
    issued.token = QString::fromLatin1(signingInput + '.' + sign(m_key, signingInput));
    return issued;
}

TokenAuthority::Review TokenAuthority::review(const QString& token, QStringList audiences) const
{
    Review review;
    const QByteArray raw = token.toLatin1();
    const QList<QByteArray> parts = raw.split('.');
    const QByteArray expected = parts.size() == 3 ? sign(m_key, parts[0] + '.' + parts[1]) : QByteArray();
    if (parts.size() != 3 || token != QString::fromLatin1(raw) || parts[2] != expected) {
        review.error = QStringLiteral("[invalid bearer token, token lookup failed]");
        return review;
    }
    const QJsonObject claims =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding)).object();
    const QJsonObject kube = claims.value(QLatin1String("kubernetes.io")).toObject();
    const QString ns = kube.value(QLatin1String("namespace")).toString();
    const QJsonObject account = kube.value(QLatin1String("serviceaccount")).toObject();
    const QString name = account.value(QLatin1String("name")).toString();
    const QString uid = account.value(QLatin1String("uid")).toString();
    if (ns.isEmpty() || name.isEmpty()) {
        review.error = QStringLiteral("[invalid bearer token, token lookup failed]");
        return review;
    }
    if (claims.value(QLatin1String("exp")).toInteger() <= m_clock->now().toSecsSinceEpoch()) {
        review.error = QStringLiteral("[invalid bearer token, service account token has expired]");
        return review;
    }
    const QStringList tokenAudiences = stringList(claims.value(QLatin1String("aud")));
    if (audiences.isEmpty())
        audiences = m_apiAudiences;
    for (const QString& audience : audiences) {
        if (tokenAudiences.contains(audience))
            review.audiences.append(audience);
    }
    if (review.audiences.isEmpty()) {
        review.error = QStringLiteral("[invalid bearer token, token audiences [\"%1\"] is invalid for the target "
                                      "audiences [\"%2\"]]")
                           .arg(tokenAudiences.join(QStringLiteral("\",\"")), audiences.join(QStringLiteral("\",\"")));
        return review;
    }
    if (m_accountExists && !m_accountExists(ns, name, uid)) {
        review.audiences.clear();
        review.error = QStringLiteral("[invalid bearer token, service account %1/%2 has been deleted]").arg(ns, name);
        return review;
    }
    review.authenticated = true;
    review.user.name = QStringLiteral("system:serviceaccount:%1:%2").arg(ns, name);
    review.user.uid = uid;
    review.user.groups = {QStringLiteral("system:serviceaccounts"), QStringLiteral("system:serviceaccounts:") + ns,
                          QStringLiteral("system:authenticated")};
    review.user.extra =
        QJsonObject{{QStringLiteral("authentication.kubernetes.io/credential-id"),
                     QJsonArray{QString(QStringLiteral("JTI=") + claims.value(QLatin1String("jti")).toString())}}};
    return review;
}

} // namespace vk::sandbox
