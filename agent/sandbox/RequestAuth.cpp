// SPDX-License-Identifier: Apache-2.0
#include "sandbox/RequestAuth.h"

#include "http/HttpServer.h"
#include "sandbox/RequestInfo.h"
#include "sandbox/TokenAuthority.h"

#include <QSslCertificate>

namespace vk::sandbox {

UserInfo authenticate(const http::HttpRequest& request, const TokenAuthority& tokens)
{
    UserInfo user;
    if (!request.peerCertificateChain.isEmpty() && request.peerCertificateVerified) {
        const QSslCertificate& leaf = request.peerCertificateChain.first();
        user.name = leaf.subjectInfo(QSslCertificate::CommonName).value(0);
        user.groups = leaf.subjectInfo(QSslCertificate::Organization);
    } else {
        const QByteArray authorization = request.header("authorization").trimmed();
        if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ") {
            const auto review = tokens.review(QString::fromUtf8(authorization.mid(7).trimmed()), {});
            if (review.authenticated) {
                user.name = review.user.name;
                user.uid = review.user.uid;
                user.groups = review.user.groups;
                user.extra = review.user.extra;
            }
        }
    }
    if (!user.name.isEmpty() && !user.groups.contains(QStringLiteral("system:authenticated")))
        user.groups.append(QStringLiteral("system:authenticated"));
    return user;
}

Result<UserInfo> impersonate(const http::HttpRequest& request, const UserInfo& requester, const AccessCheck& allowed)
{
    UserInfo impersonated;
    impersonated.name = QString::fromUtf8(request.header("impersonate-user"));
    for (const QByteArray& group : request.headerValues("impersonate-group"))
        impersonated.groups.append(QString::fromUtf8(group));
    AccessAttributes check;
    check.user = requester.name;
    check.groups = requester.groups;
    check.verb = QStringLiteral("impersonate");
    if (impersonated.name.startsWith(QLatin1String("system:serviceaccount:")) &&
        impersonated.name.count(QLatin1Char(':')) == 3) {
        check.resource = QStringLiteral("serviceaccounts");
        check.namespaceName = impersonated.name.section(QLatin1Char(':'), 2, 2);
        check.name = impersonated.name.section(QLatin1Char(':'), 3, 3);
        impersonated.groups +=
            {QStringLiteral("system:serviceaccounts"), QStringLiteral("system:serviceaccounts:") + check.namespaceName};
    } else {
        check.resource = QStringLiteral("users");
        check.name = impersonated.name;
    }
    QList<AccessAttributes> checks{check};
    for (const QString& group : impersonated.groups) {
        AccessAttributes groupCheck = check;
        groupCheck.namespaceName.clear();
        groupCheck.resource = QStringLiteral("groups");
        groupCheck.name = group;
        checks.append(groupCheck);
    }
    for (const AccessAttributes& attributes : checks) {
        QString reason;
        if (!allowed(attributes, &reason))
            return forbiddenError(attributes, reason);
    }
    if (impersonated.name != QLatin1String("system:anonymous") &&
        !impersonated.groups.contains(QStringLiteral("system:authenticated")))
        impersonated.groups.append(QStringLiteral("system:authenticated"));
    return impersonated;
}

AccessAttributes requestAttributes(const http::HttpRequest& request, const RequestInfo& info, const UserInfo& user)
{
    AccessAttributes attributes;
    attributes.user = user.name;
    attributes.groups = user.groups;
    attributes.resourceRequest = info.isResourceRequest;
    if (info.isResourceRequest) {
        attributes.verb = info.verb;
        attributes.namespaceName = info.namespaceName;
        attributes.apiGroup = info.group;
        attributes.resource = info.resource;
        attributes.subresource = info.subresource;
        attributes.name = info.name;
    } else {
        attributes.verb = QString::fromLatin1(request.method).toLower();
        attributes.path = request.path;
    }
    return attributes;
}

Error forbiddenError(const AccessAttributes& a, const QString& reason)
{
    QString message;
    if (!a.resourceRequest) {
        message = QStringLiteral("User \"%1\" cannot %2 path \"%3\"").arg(a.user, a.verb, a.path);
    } else {
        const QString resource = a.subresource.isEmpty() ? a.resource : a.resource + QLatin1Char('/') + a.subresource;
        message = a.namespaceName.isEmpty()
                      ? QStringLiteral("User \"%1\" cannot %2 resource \"%3\" in API group \"%4\" at the cluster scope")
                            .arg(a.user, a.verb, resource, a.apiGroup)
                      : QStringLiteral("User \"%1\" cannot %2 resource \"%3\" in API group \"%4\" in the namespace "
                                       "\"%5\"")
                            .arg(a.user, a.verb, resource, a.apiGroup, a.namespaceName);
    }
    if (!reason.isEmpty())
        message += QStringLiteral(": ") + reason;
    const QString qualified = a.apiGroup.isEmpty() ? a.resource : a.resource + QLatin1Char('.') + a.apiGroup;
    QString full;
    if (!a.resourceRequest || qualified.isEmpty())
        full = QStringLiteral("forbidden: ") + message;
    else if (a.name.isEmpty())
        full = qualified + QStringLiteral(" is forbidden: ") + message;
    else
        full = QStringLiteral("%1 \"%2\" is forbidden: %3").arg(qualified, a.name, message);
    Error error(ErrorCategory::Forbidden, full);
    error.setReason(QStringLiteral("Forbidden"));
    if (a.resourceRequest)
        error.setDetails(a.name, a.resource, a.apiGroup);
    return error;
}

} // namespace vk::sandbox
