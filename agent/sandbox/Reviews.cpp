// SPDX-License-Identifier: Apache-2.0
#include "sandbox/Reviews.h"

#include "sandbox/RbacAuthorizer.h"
#include "sandbox/TokenAuthority.h"

#include <QJsonArray>

namespace vk::sandbox {

namespace {

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    for (const auto& v : value.toArray())
        out.append(v.toString());
    return out;
}

Error invalidReview(const QString& kind, const QString& group, const QString& field, const QString& detail)
{
    Error error(ErrorCategory::Invalid,
                QStringLiteral("%1.%2 \"\" is invalid: %3: %4").arg(kind, group, field, detail));
    error.setDetails({}, kind, group);
    return error;
}

} // namespace

ReviewAnswerer::ReviewAnswerer(const TokenAuthority& tokens, const RbacAuthorizer& rbac)
    : m_tokens(tokens), m_rbac(rbac)
{}

Result<QJsonObject>
ReviewAnswerer::answer(QJsonObject review, const UserInfo& requester, const QString& requestNamespace) const
{
    QJsonObject metadata = review.value(QLatin1String("metadata")).toObject();
    metadata.remove(QStringLiteral("managedFields"));
    metadata.insert(QStringLiteral("creationTimestamp"), QJsonValue::Null);
    review.insert(QStringLiteral("metadata"), metadata);
    const QString kind = review.value(QLatin1String("kind")).toString();
    if (kind == QLatin1String("TokenReview"))
        return tokenReview(review);
    if (kind == QLatin1String("SelfSubjectRulesReview"))
        return rulesReview(review, requester);
    return accessReview(review, requester, requestNamespace);
}

QJsonObject ReviewAnswerer::tokenReview(QJsonObject review) const
{
    const QJsonObject spec = review.value(QLatin1String("spec")).toObject();
    const auto result = m_tokens.review(spec.value(QLatin1String("token")).toString(),
                                        stringList(spec.value(QLatin1String("audiences"))));
    QJsonObject status{{QStringLiteral("authenticated"), result.authenticated}};
    if (result.authenticated) {
        QJsonObject user{{QStringLiteral("username"), result.user.name},
                         {QStringLiteral("uid"), result.user.uid},
                         {QStringLiteral("groups"), QJsonArray::fromStringList(result.user.groups)}};
        if (!result.user.extra.isEmpty())
            user.insert(QStringLiteral("extra"), result.user.extra);
        status.insert(QStringLiteral("user"), user);
        status.insert(QStringLiteral("audiences"), QJsonArray::fromStringList(result.audiences));
    } else {
        status.insert(QStringLiteral("user"), QJsonObject{});
        if (!result.error.isEmpty())
            status.insert(QStringLiteral("error"), result.error);
    }
    review.insert(QStringLiteral("status"), status);
    return review;
}

QJsonObject ReviewAnswerer::rulesReview(QJsonObject review, const UserInfo& requester) const
{
    // What the requester may do in spec.namespace, from the RBAC rules that apply (kubectl auth can-i --list).
    const QJsonObject spec = review.value(QLatin1String("spec")).toObject();
    QStringList errors;
    const QList<QJsonObject> rules =
        m_rbac.rulesFor(requester.name, requester.groups, spec.value(QLatin1String("namespace")).toString(), &errors);
    QJsonArray resourceRules;
    QJsonArray nonResourceRules;
    for (const QJsonObject& rule : rules) {
        if (rule.contains(QLatin1String("nonResourceURLs"))) {
            nonResourceRules.append(
                QJsonObject{{QStringLiteral("verbs"), rule.value(QLatin1String("verbs"))},
                            {QStringLiteral("nonResourceURLs"), rule.value(QLatin1String("nonResourceURLs"))}});
            continue;
        }
        QJsonObject resourceRule{{QStringLiteral("verbs"), rule.value(QLatin1String("verbs"))}};
        for (const char* field : {"apiGroups", "resources", "resourceNames"}) {
            if (rule.contains(QLatin1String(field)))
                resourceRule.insert(QLatin1String(field), rule.value(QLatin1String(field)));
        }
        resourceRules.append(resourceRule);
    }
    QJsonObject status{{QStringLiteral("resourceRules"), resourceRules},
                       {QStringLiteral("nonResourceRules"), nonResourceRules},
                       {QStringLiteral("incomplete"), !errors.isEmpty()}};
    if (!errors.isEmpty())
        status.insert(QStringLiteral("evaluationError"), errors.join(QStringLiteral(", ")));
    review.insert(QStringLiteral("status"), status);
    return review;
}

Result<QJsonObject>
ReviewAnswerer::accessReview(QJsonObject review, const UserInfo& requester, const QString& requestNamespace) const
{
    const QString kind = review.value(QLatin1String("kind")).toString();
    const QString group = review.value(QLatin1String("apiVersion")).toString().section(QLatin1Char('/'), 0, 0);
    const QJsonObject spec = review.value(QLatin1String("spec")).toObject();
    const QJsonObject resourceAttributes = spec.value(QLatin1String("resourceAttributes")).toObject();
    const QJsonObject nonResourceAttributes = spec.value(QLatin1String("nonResourceAttributes")).toObject();
    const bool hasResource = spec.contains(QLatin1String("resourceAttributes"));
    const bool hasNonResource = spec.contains(QLatin1String("nonResourceAttributes"));
    if (hasResource == hasNonResource)
        return invalidReview(kind, group,
                             hasResource ? QStringLiteral("spec.nonResourceAttributes")
                                         : QStringLiteral("spec.resourceAttributes"),
                             hasResource ? QStringLiteral("Invalid value: \"null\": cannot be specified in combination "
                                                          "with resourceAttributes")
                                         : QStringLiteral("Required value: exactly one of nonResourceAttributes or "
                                                          "resourceAttributes must be specified"));
    AccessAttributes attributes;
    if (kind == QLatin1String("SelfSubjectAccessReview")) {
        attributes.user = requester.name;
        attributes.groups = requester.groups;
    } else {
        attributes.user = spec.value(QLatin1String("user")).toString();
        attributes.groups = stringList(spec.value(QLatin1String("groups")));
        if (attributes.user.isEmpty() && attributes.groups.isEmpty())
            return invalidReview(kind, group, QStringLiteral("spec.user"),
                                 QStringLiteral("Invalid value: \"\": at least one of user or group must be "
                                                "specified"));
    }
    attributes.resourceRequest = hasResource;
    if (hasResource) {
        attributes.verb = resourceAttributes.value(QLatin1String("verb")).toString();
        attributes.namespaceName = resourceAttributes.value(QLatin1String("namespace")).toString();
        attributes.apiGroup = resourceAttributes.value(QLatin1String("group")).toString();
        attributes.resource = resourceAttributes.value(QLatin1String("resource")).toString();
        attributes.subresource = resourceAttributes.value(QLatin1String("subresource")).toString();
        attributes.name = resourceAttributes.value(QLatin1String("name")).toString();
        if (kind == QLatin1String("LocalSubjectAccessReview") && attributes.namespaceName != requestNamespace)
            return invalidReview(
                kind, group, QStringLiteral("spec.resourceAttributes.namespace"),
                QStringLiteral("Invalid value: \"%1\": must match metadata.namespace").arg(attributes.namespaceName));
    } else {
        attributes.verb = nonResourceAttributes.value(QLatin1String("verb")).toString();
        attributes.path = nonResourceAttributes.value(QLatin1String("path")).toString();
    }
    const AccessDecision decision = m_rbac.authorize(attributes);
    QJsonObject status{{QStringLiteral("allowed"), decision.allowed}};
    if (!decision.reason.isEmpty())
        status.insert(QStringLiteral("reason"), decision.reason);
    review.insert(QStringLiteral("status"), status);
    return review;
}

} // namespace vk::sandbox
