// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "sandbox/RbacAuthorizer.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>

namespace vk::http {
struct HttpRequest;
}

// kube-apiserver's request authentication, impersonation and the authorizer's view of a request, for ApiServer.
namespace vk::sandbox {

class TokenAuthority;
struct RequestInfo;

/// Who made a request: from its verified client certificate (CN = user, O = groups), as kube-apiserver's x509
/// authenticator decides, or from a service account bearer token. Authenticated users are in system:authenticated.
struct UserInfo
{
    QString name;
    QStringList groups;
    QString uid;       ///< service accounts: the account's uid
    QJsonObject extra; ///< user.extra (string lists)
};

/// x509 client certificate first, then `Authorization: Bearer` checked by `tokens`; an empty name when neither
/// authenticates.
UserInfo authenticate(const http::HttpRequest& request, const TokenAuthority& tokens);

/// Impersonate-User / Impersonate-Group (kubectl --as, --as-group): the requester needs the "impersonate" verb on
/// users (or serviceaccounts for system:serviceaccount:<ns>:<name>) and on each group; a Forbidden error names the
/// first check that fails, with kube-apiserver's message.
using AccessCheck = std::function<bool(const AccessAttributes& attributes, QString* reason)>;
Result<UserInfo> impersonate(const http::HttpRequest& request, const UserInfo& requester, const AccessCheck& allowed);

/// The authorizer's attributes of a request: resource attributes from RequestInfo, or the lower-cased HTTP method
/// and path for non-resource requests.
AccessAttributes requestAttributes(const http::HttpRequest& request, const RequestInfo& info, const UserInfo& user);

/// responsewriters.Forbidden: kube-apiserver's 403, e.g. `pods is forbidden: User "x" cannot list resource "pods"
/// in API group "" in the namespace "default"`, with ": <reason>" when the authorizer gave one.
Error forbiddenError(const AccessAttributes& attributes, const QString& reason);

} // namespace vk::sandbox
