// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <functional>

namespace vk::sandbox {

/// An authenticated identity (user.Info).
struct AuthenticatedUser
{
    QString name;
    QString uid;
    QStringList groups;
    QJsonObject extra; ///< map of string lists
};

/// The sandbox's service account tokens: TokenRequest (serviceaccounts/token) issues them, TokenReview and the API
/// server's bearer authentication check them. Tokens are JWTs (HS256) carrying kube's claims (iss, sub, aud, exp,
/// iat, nbf, jti, kubernetes.io {namespace, serviceaccount {name, uid}}), signed with a key the sandbox derives from
/// its CA key, so they stay valid across restarts of a persistent sandbox and nothing is stored. The identity is
/// kube's: system:serviceaccount:<ns>:<name>, uid = the account's uid, groups system:serviceaccounts,
/// system:serviceaccounts:<ns>, system:authenticated.
class TokenAuthority
{
public:
    /// kube-apiserver's default --api-audiences (its --service-account-issuer).
    static QString defaultAudience() { return QStringLiteral("https://kubernetes.default.svc.cluster.local"); }

    /// `signingKey` empty: a random key (tokens then die with this object).
    explicit TokenAuthority(Clock* clock, QStringList apiAudiences = {defaultAudience()}, QByteArray signingKey = {});

    struct Issued
    {
        QString token;
        QDateTime expiration;
        QStringList audiences;
        qint64 expirationSeconds = 0;
    };
    /// Issues a token for a service account. Empty audiences: the API audiences; expirationSeconds 0: one hour;
    /// below 600 s: an Invalid error as kube's validation words it.
    Result<Issued> issue(const QString& ns,
                         const QString& serviceAccount,
                         const QString& serviceAccountUid,
                         QStringList audiences,
                         qint64 expirationSeconds);

    struct Review
    {
        bool authenticated = false;
        AuthenticatedUser user;
        QStringList audiences; ///< the requested audiences the token is valid for
        QString error;
    };
    /// Checks a token for the given audiences (empty: the API audiences). `accountExists(ns, name, uid)`, when set,
    /// must confirm the service account is still there (deleting it revokes its tokens).
    Review review(const QString& token, QStringList audiences) const;

    void setAccountCheck(std::function<bool(const QString& ns, const QString& name, const QString& uid)> check)
    {
        m_accountExists = std::move(check);
    }
    QStringList apiAudiences() const { return m_apiAudiences; }

private:
    Clock* m_clock;
    QStringList m_apiAudiences;
    QByteArray m_key;
    std::function<bool(const QString&, const QString&, const QString&)> m_accountExists;
};

} // namespace vk::sandbox
