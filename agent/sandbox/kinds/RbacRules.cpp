// SPDX-License-Identifier: Apache-2.0
// rbac.authorization.k8s.io/v1 (pkg/apis/rbac/validation: ValidateRole, ValidateClusterRole, ValidateRoleBinding,
// ValidateClusterRoleBinding; pkg/printers/internalversion: printRole..., printClusterRoleBinding).
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

const QLatin1String kRbacGroup("rbac.authorization.k8s.io");

void validatePolicyRule(const QJsonObject& rule, bool namespaced, const QString& path, Causes& causes)
{
    if (arrayField(rule, QLatin1String("verbs")).isEmpty())
        requiredWithDetail(path + QStringLiteral(".verbs"), QStringLiteral("verbs must contain at least one value"),
                           causes);
    const QJsonArray urls = arrayField(rule, QLatin1String("nonResourceURLs"));
    if (!urls.isEmpty()) {
        if (namespaced)
            av::invalid(path + QStringLiteral(".nonResourceURLs"), urls,
                        QStringLiteral("namespaced rules cannot apply to non-resource URLs"), causes);
        if (!arrayField(rule, QLatin1String("apiGroups")).isEmpty() ||
            !arrayField(rule, QLatin1String("resources")).isEmpty() ||
            !arrayField(rule, QLatin1String("resourceNames")).isEmpty())
            av::invalid(path + QStringLiteral(".nonResourceURLs"), urls,
                        QStringLiteral("rules cannot apply to both regular resources and non-resource URLs"), causes);
        return;
    }
    if (arrayField(rule, QLatin1String("apiGroups")).isEmpty())
        requiredWithDetail(path + QStringLiteral(".apiGroups"),
                           QStringLiteral("resource rules must supply at least one api group"), causes);
    if (arrayField(rule, QLatin1String("resources")).isEmpty())
        requiredWithDetail(path + QStringLiteral(".resources"),
                           QStringLiteral("resource rules must supply at least one resource"), causes);
}

Causes validateRules(const QJsonObject& role, const QJsonObject* old, bool namespaced)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(role, *old, causes);
    validateObjectMeta(role, namespaced, NameRule::PathSegment, causes);
    const QJsonArray rules = arrayField(role, QLatin1String("rules"));
    for (qsizetype i = 0; i < rules.size(); ++i)
        validatePolicyRule(rules.at(i).toObject(), namespaced, QStringLiteral("rules[%1]").arg(i), causes);
    return causes;
}

Causes validateBinding(const QJsonObject& binding, const QJsonObject* old, bool namespaced)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(binding, *old, causes);
    validateObjectMeta(binding, namespaced, NameRule::PathSegment, causes);
    const QJsonObject roleRef = objectField(binding, QLatin1String("roleRef"));
    if (old && objectField(*old, QLatin1String("roleRef")) != roleRef)
        av::invalid(QStringLiteral("roleRef"), roleRef, QStringLiteral("cannot change roleRef"), causes);
    const QString apiGroup = stringField(roleRef, QLatin1String("apiGroup"));
    if (apiGroup != kRbacGroup)
        av::notSupported(QStringLiteral("roleRef.apiGroup"), apiGroup, {kRbacGroup}, causes);
    const QString kind = stringField(roleRef, QLatin1String("kind"));
    const QStringList kinds = namespaced ? QStringList{QStringLiteral("Role"), QStringLiteral("ClusterRole")}
                                         : QStringList{QStringLiteral("ClusterRole")};
    if (!kinds.contains(kind))
        av::notSupported(QStringLiteral("roleRef.kind"), kind, kinds, causes);
    const QString roleName = stringField(roleRef, QLatin1String("name"));
    if (roleName.isEmpty())
        av::required(QStringLiteral("roleRef.name"), causes);
    else
        for (const QString& error : nameErrors(NameRule::PathSegment, roleName))
            av::invalid(QStringLiteral("roleRef.name"), roleName, error, causes);
    const QJsonArray subjects = arrayField(binding, QLatin1String("subjects"));
    for (qsizetype i = 0; i < subjects.size(); ++i) {
        const QJsonObject subject = subjects.at(i).toObject();
        const QString path = QStringLiteral("subjects[%1]").arg(i);
        const QString name = stringField(subject, QLatin1String("name"));
        const QString subjectKind = stringField(subject, QLatin1String("kind"));
        const QString group = stringField(subject, QLatin1String("apiGroup"));
        if (name.isEmpty())
            av::required(path + QStringLiteral(".name"), causes);
        if (subjectKind == QLatin1String("ServiceAccount")) {
            if (!group.isEmpty())
                av::notSupported(path + QStringLiteral(".apiGroup"), group, {QString()}, causes);
            if (!namespaced && stringField(subject, QLatin1String("namespace")).isEmpty())
                av::required(path + QStringLiteral(".namespace"), causes);
        } else if (subjectKind == QLatin1String("User") || subjectKind == QLatin1String("Group")) {
            if (group != kRbacGroup)
                av::notSupported(path + QStringLiteral(".apiGroup"), group, {kRbacGroup}, causes);
        } else {
            av::notSupported(path + QStringLiteral(".kind"), subjectKind,
                             {QStringLiteral("ServiceAccount"), QStringLiteral("User"), QStringLiteral("Group")},
                             causes);
        }
    }
    return causes;
}

QString orNone(const QStringList& values)
{
    return values.join(QLatin1String(", "));
}

} // namespace

void applyBindingDefaults(QJsonObject& binding)
{
    // SetDefaults_Subject: apiGroup "" for service accounts, rbac.authorization.k8s.io for users and groups.
    QJsonArray subjects = arrayField(binding, QLatin1String("subjects"));
    for (auto it = subjects.begin(); it != subjects.end(); ++it) {
        QJsonObject subject = it->toObject();
        if (!subject.contains(QLatin1String("apiGroup")) || subject.value(QLatin1String("apiGroup")).isNull()) {
            const QString kind = stringField(subject, QLatin1String("kind"));
            if (kind == QLatin1String("User") || kind == QLatin1String("Group"))
                subject.insert(QStringLiteral("apiGroup"), kRbacGroup);
            else if (kind == QLatin1String("ServiceAccount"))
                subject.insert(QStringLiteral("apiGroup"), QString());
        }
        *it = subject;
    }
    if (binding.contains(QLatin1String("subjects")))
        binding.insert(QStringLiteral("subjects"), subjects);
}

Causes validateRole(const QJsonObject& role, const QJsonObject* old)
{
    return validateRules(role, old, true);
}

Causes validateClusterRole(const QJsonObject& role, const QJsonObject* old)
{
    return validateRules(role, old, false);
}

Causes validateRoleBinding(const QJsonObject& binding, const QJsonObject* old)
{
    return validateBinding(binding, old, true);
}

Causes validateClusterRoleBinding(const QJsonObject& binding, const QJsonObject* old)
{
    return validateBinding(binding, old, false);
}

QList<TableColumn> bindingColumns()
{
    return {nameColumn(),
            {QStringLiteral("Role"), QStringLiteral("string"), QString(),
             QStringLiteral("RoleRef can reference a Role in the current namespace or a ClusterRole in the global "
                            "namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."),
             0},
            ageColumn(),
            {QStringLiteral("Users"), QStringLiteral("string"), QString(), QStringLiteral("Users in the binding"), 1},
            {QStringLiteral("Groups"), QStringLiteral("string"), QString(), QStringLiteral("Groups in the binding"), 1},
            {QStringLiteral("ServiceAccounts"), QStringLiteral("string"), QString(),
             QStringLiteral("ServiceAccounts in the binding"), 1}};
}

QJsonArray bindingTableCells(const QJsonObject& binding, const QDateTime& now)
{
    const QJsonObject roleRef = objectField(binding, QLatin1String("roleRef"));
    QStringList users, groups, serviceAccounts;
    for (const auto& v : arrayField(binding, QLatin1String("subjects"))) {
        const QJsonObject subject = v.toObject();
        const QString kind = stringField(subject, QLatin1String("kind"));
        const QString name = stringField(subject, QLatin1String("name"));
        if (kind == QLatin1String("User"))
            users.append(name);
        else if (kind == QLatin1String("Group"))
            groups.append(name);
        else if (kind == QLatin1String("ServiceAccount"))
            serviceAccounts.append(stringField(subject, QLatin1String("namespace")) + QLatin1Char('/') + name);
    }
    return {nameOf(binding),
            QString(stringField(roleRef, QLatin1String("kind")) + QLatin1Char('/') +
                    stringField(roleRef, QLatin1String("name"))),
            ageOf(binding, now),
            orNone(users),
            orNone(groups),
            orNone(serviceAccounts)};
}

} // namespace vk::sandbox::detail
