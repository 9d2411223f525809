// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>
#include <optional>

namespace vk::sandbox {

/// What a request asks to do, in Kubernetes authorizer terms (authorizer.Attributes).
struct AccessAttributes
{
    QString user;
    QStringList groups;
    QString verb; ///< get, list, watch, create, update, patch, delete, deletecollection, proxy, ... (or HTTP verb)
    bool resourceRequest = true;
    // resource requests
    QString namespaceName;
    QString apiGroup;    ///< "" for core
    QString resource;    ///< "pods"
    QString subresource; ///< "log", "proxy", ...
    QString name;
    // non-resource requests
    QString path; ///< "/healthz"
};

struct AccessDecision
{
    bool allowed = false;
    /// kube's reason: "RBAC: allowed by ClusterRoleBinding \"x\" of ClusterRole \"y\" to User \"z\"" when allowed;
    /// empty when no rule matched; "RBAC: <errors>" when bindings referenced missing roles.
    QString reason;
};

/// Kubernetes RBAC authorization (plugin/pkg/auth/authorizer/rbac with pkg/registry/rbac/validation's rule
/// resolution) over ClusterRoles, Roles, ClusterRoleBindings and RoleBindings given as rbac.authorization.k8s.io/v1
/// JSON objects. Verbs, apiGroups, resources ("pods", "pods/log", "*", "*/scale"), resourceNames and
/// nonResourceURLs ("/healthz", "/api/*", "*") match as in kube; subjects are users, groups and service accounts
/// (system:serviceaccount:<ns>:<name>). The group system:masters is always allowed, as kube-apiserver's privileged
/// group authorizer in front of RBAC. Aggregated cluster roles are not expanded.
class RbacAuthorizer
{
public:
    /// Lists objects of "clusterroles", "clusterrolebindings" (ns empty), "roles" or "rolebindings" (in ns).
    using Lister = std::function<QList<QJsonObject>(const QString& resource, const QString& ns)>;

    explicit RbacAuthorizer(Lister lister);

    AccessDecision authorize(const AccessAttributes& attributes) const;

    /// Every PolicyRule that applies to the user in `ns` (cluster role bindings, then the namespace's role
    /// bindings), as SelfSubjectRulesReview lists them; `errors` collects bindings to missing roles.
    QList<QJsonObject>
    rulesFor(const QString& user, const QStringList& groups, const QString& ns, QStringList* errors = nullptr) const;

    /// Whether one PolicyRule allows the request (rbac.RuleAllows).
    static bool ruleAllows(const QJsonObject& rule, const AccessAttributes& attributes);
    /// Whether a binding subject names the user (appliesToUser); `bindingNamespace` defaults a service account's
    /// namespace.
    static bool
    subjectMatches(const QJsonObject& subject, const AccessAttributes& attributes, const QString& bindingNamespace);

private:
    std::optional<QJsonObject>
    roleOf(const QJsonObject& binding, const QString& bindingNamespace, QStringList& errors) const;
    bool visitBinding(const QJsonObject& binding,
                      const QString& bindingNamespace,
                      const AccessAttributes& attributes,
                      AccessDecision& decision,
                      QStringList& errors) const;

    Lister m_lister;
};

} // namespace vk::sandbox
