// SPDX-License-Identifier: Apache-2.0
#include "sandbox/RbacAuthorizer.h"

#include <QJsonArray>

#include <optional>

namespace vk::sandbox {

namespace {

QStringList strings(const QJsonObject& object, QLatin1String key)
{
    QStringList out;
    for (const auto& v : object.value(key).toArray())
        out.append(v.toString());
    return out;
}

bool verbMatches(const QJsonObject& rule, const QString& verb)
{
    const QStringList verbs = strings(rule, QLatin1String("verbs"));
    return verbs.contains(QStringLiteral("*")) || verbs.contains(verb);
}

bool apiGroupMatches(const QJsonObject& rule, const QString& group)
{
    const QStringList groups = strings(rule, QLatin1String("apiGroups"));
    return groups.contains(QStringLiteral("*")) || groups.contains(group);
}

bool resourceMatches(const QJsonObject& rule, const QString& combined, const QString& subresource)
{
    for (const QString& resource : strings(rule, QLatin1String("resources"))) {
        if (resource == QLatin1String("*") || resource == combined)
            return true;
        // "*/status" matches every resource's status subresource.
        if (!subresource.isEmpty() && resource.size() == subresource.size() + 2 &&
            resource.startsWith(QLatin1String("*/")) && resource.endsWith(subresource))
            return true;
    }
    return false;
}

bool resourceNameMatches(const QJsonObject& rule, const QString& name)
{
    const QStringList names = strings(rule, QLatin1String("resourceNames"));
    return names.isEmpty() || names.contains(name);
}

bool nonResourceUrlMatches(const QJsonObject& rule, const QString& path)
{
    for (const QString& url : strings(rule, QLatin1String("nonResourceURLs"))) {
        if (url == QLatin1String("*") || url == path)
            return true;
        if (url.endsWith(QLatin1Char('*')) && path.startsWith(url.left(url.size() - 1)))
            return true;
    }
    return false;
}

QString describeSubject(const QJsonObject& subject, const QString& bindingNamespace)
{
    const QString kind = subject.value(QLatin1String("kind")).toString();
    const QString name = subject.value(QLatin1String("name")).toString();
    if (kind == QLatin1String("ServiceAccount")) {
        const QString ns = subject.value(QLatin1String("namespace")).toString();
        return QStringLiteral("%1 \"%2/%3\"").arg(kind, name, ns.isEmpty() ? bindingNamespace : ns);
    }
    return QStringLiteral("%1 \"%2\"").arg(kind, name);
}

std::optional<QJsonObject> findByName(const QList<QJsonObject>& objects, const QString& name)
{
    for (const QJsonObject& object : objects) {
        if (object.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString() == name)
            return object;
    }
    return std::nullopt;
}

} // namespace

RbacAuthorizer::RbacAuthorizer(Lister lister) : m_lister(std::move(lister)) {}

bool RbacAuthorizer::ruleAllows(const QJsonObject& rule, const AccessAttributes& a)
{
    if (!verbMatches(rule, a.verb))
        return false;
    if (!a.resourceRequest)
        return nonResourceUrlMatches(rule, a.path);
    const QString combined = a.subresource.isEmpty() ? a.resource : a.resource + QLatin1Char('/') + a.subresource;
    return apiGroupMatches(rule, a.apiGroup) && resourceMatches(rule, combined, a.subresource) &&
           resourceNameMatches(rule, a.name);
}

bool RbacAuthorizer::subjectMatches(const QJsonObject& subject,
                                    const AccessAttributes& a,
                                    const QString& bindingNamespace)
{
    const QString kind = subject.value(QLatin1String("kind")).toString();
    const QString name = subject.value(QLatin1String("name")).toString();
    if (kind == QLatin1String("User"))
        return a.user == name;
    if (kind == QLatin1String("Group"))
        return a.groups.contains(name);
    if (kind == QLatin1String("ServiceAccount")) {
        QString ns = subject.value(QLatin1String("namespace")).toString();
        if (ns.isEmpty())
            ns = bindingNamespace;
        if (ns.isEmpty())
            return false;
        return a.user == QStringLiteral("system:serviceaccount:%1:%2").arg(ns, name);
    }
    return false;
}

std::optional<QJsonObject>
RbacAuthorizer::roleOf(const QJsonObject& binding, const QString& bindingNamespace, QStringList& errors) const
{
    const QJsonObject roleRef = binding.value(QLatin1String("roleRef")).toObject();
    const QString roleKind = roleRef.value(QLatin1String("kind")).toString();
    const QString roleName = roleRef.value(QLatin1String("name")).toString();
    std::optional<QJsonObject> role;
    if (roleKind == QLatin1String("ClusterRole")) {
        role = findByName(m_lister(QStringLiteral("clusterroles"), {}), roleName);
        if (!role)
            errors.append(QStringLiteral("clusterrole.rbac.authorization.k8s.io \"%1\" not found").arg(roleName));
    } else if (roleKind == QLatin1String("Role") && !bindingNamespace.isEmpty()) {
        role = findByName(m_lister(QStringLiteral("roles"), bindingNamespace), roleName);
        if (!role)
            errors.append(QStringLiteral("role.rbac.authorization.k8s.io \"%1\" not found").arg(roleName));
    }
    return role;
}

QList<QJsonObject>
RbacAuthorizer::rulesFor(const QString& user, const QStringList& groups, const QString& ns, QStringList* errors) const
{
    AccessAttributes who;
    who.user = user;
    who.groups = groups;
    QStringList missing;
    QList<QJsonObject> rules;
    const auto collect = [&](const QJsonObject& binding, const QString& bindingNamespace) {
        bool applies = false;
        for (const auto& s : binding.value(QLatin1String("subjects")).toArray())
            applies = applies || subjectMatches(s.toObject(), who, bindingNamespace);
        if (!applies)
            return;
        if (const auto role = roleOf(binding, bindingNamespace, missing)) {
            for (const auto& rule : role->value(QLatin1String("rules")).toArray())
                rules.append(rule.toObject());
        }
    };
    for (const QJsonObject& binding : m_lister(QStringLiteral("clusterrolebindings"), {}))
        collect(binding, {});
    if (!ns.isEmpty()) {
        for (const QJsonObject& binding : m_lister(QStringLiteral("rolebindings"), ns))
            collect(binding, ns);
    }
    if (errors)
        *errors = missing;
    return rules;
}

bool RbacAuthorizer::visitBinding(const QJsonObject& binding,
                                  const QString& bindingNamespace,
                                  const AccessAttributes& a,
                                  AccessDecision& decision,
                                  QStringList& errors) const
{
    const QJsonArray subjects = binding.value(QLatin1String("subjects")).toArray();
    const QJsonObject* matched = nullptr;
    QJsonObject subject;
    for (const auto& s : subjects) {
        if (subjectMatches(s.toObject(), a, bindingNamespace)) {
            subject = s.toObject();
            matched = &subject;
            break;
        }
    }
    if (!matched)
        return false;
    const QJsonObject roleRef = binding.value(QLatin1String("roleRef")).toObject();
    const QString roleKind = roleRef.value(QLatin1String("kind")).toString();
    const QString roleName = roleRef.value(QLatin1String("name")).toString();
    const std::optional<QJsonObject> role = roleOf(binding, bindingNamespace, errors);
    if (!role)
        return false;
    const QString bindingName =
        binding.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
    for (const auto& rule : role->value(QLatin1String("rules")).toArray()) {
        if (!ruleAllows(rule.toObject(), a))
            continue;
        const QString source =
            bindingNamespace.isEmpty()
                ? QStringLiteral("ClusterRoleBinding \"%1\"").arg(bindingName)
                : QStringLiteral("RoleBinding \"%1\"").arg(bindingName + QLatin1Char('/') + bindingNamespace);
        decision.allowed = true;
        decision.reason = QStringLiteral("RBAC: allowed by %1 of %2 \"%3\" to %4")
                              .arg(source, roleKind, roleName, describeSubject(subject, bindingNamespace));
        return true;
    }
    return false;
}

AccessDecision RbacAuthorizer::authorize(const AccessAttributes& a) const
{
    AccessDecision decision;
    if (a.groups.contains(QStringLiteral("system:masters"))) {
        decision.allowed = true;
        return decision;
    }
    QStringList errors;
    for (const QJsonObject& binding : m_lister(QStringLiteral("clusterrolebindings"), {})) {
        if (visitBinding(binding, {}, a, decision, errors))
            return decision;
    }
    if (a.resourceRequest && !a.namespaceName.isEmpty()) {
        for (const QJsonObject& binding : m_lister(QStringLiteral("rolebindings"), a.namespaceName)) {
            if (visitBinding(binding, a.namespaceName, a, decision, errors))
                return decision;
        }
    }
    if (!errors.isEmpty())
        decision.reason =
            QStringLiteral("RBAC: ") + (errors.size() == 1
                                            ? errors.first()
                                            : QLatin1Char('[') + errors.join(QStringLiteral(", ")) + QLatin1Char(']'));
    return decision;
}

} // namespace vk::sandbox
