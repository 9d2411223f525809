// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "sandbox/RequestAuth.h"

#include <QJsonObject>

namespace vk::sandbox {

class RbacAuthorizer;
class TokenAuthority;

/// The answers of the review kinds, as kube-apiserver gives them (the request object with its status filled in):
/// - authentication.k8s.io/v1 TokenReview: status.authenticated, user {username, uid, groups, extra}, audiences,
///   error;
/// - authorization.k8s.io/v1 SubjectAccessReview, LocalSubjectAccessReview (spec.user/groups) and
///   SelfSubjectAccessReview (the requester): status.allowed and RBAC's reason; kube's 422 when both or neither of
///   resourceAttributes/nonResourceAttributes are given, or no user and no group;
/// - SelfSubjectRulesReview: the requester's resourceRules/nonResourceRules in spec.namespace, incomplete and
///   evaluationError when bindings point at missing roles.
/// Reviews are never stored.
class ReviewAnswerer
{
public:
    ReviewAnswerer(const TokenAuthority& tokens, const RbacAuthorizer& rbac);

    /// `review` has apiVersion and kind set; `requestNamespace` is the URL's namespace (LocalSubjectAccessReview).
    Result<QJsonObject> answer(QJsonObject review, const UserInfo& requester, const QString& requestNamespace) const;

private:
    Result<QJsonObject>
    accessReview(QJsonObject review, const UserInfo& requester, const QString& requestNamespace) const;
    QJsonObject rulesReview(QJsonObject review, const UserInfo& requester) const;
    QJsonObject tokenReview(QJsonObject review) const;

    const TokenAuthority& m_tokens;
    const RbacAuthorizer& m_rbac;
};

} // namespace vk::sandbox
