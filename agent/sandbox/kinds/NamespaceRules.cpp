// SPDX-License-Identifier: Apache-2.0
// Namespaces: SetDefaults_Namespace (the kubernetes.io/metadata.name label), the strategy's PrepareForCreate
// (finalizer "kubernetes", phase Active) and PrepareForUpdate, ValidateNamespace, printNamespace.
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

namespace vk::sandbox::detail {

namespace av = api::validation;

void prepareNamespaceForUpdate(QJsonObject& ns, const QJsonObject& old)
{
    QJsonObject spec = objectField(ns, QLatin1String("spec"));
    const QJsonObject oldSpec = objectField(old, QLatin1String("spec"));
    if (oldSpec.contains(QLatin1String("finalizers")))
        spec.insert(QLatin1String("finalizers"), oldSpec.value(QLatin1String("finalizers")));
    else
        spec.insert(QLatin1String("finalizers"), QJsonArray());
    ns.insert(QLatin1String("spec"), spec);
    if (old.contains(QLatin1String("status")))
        ns.insert(QLatin1String("status"), old.value(QLatin1String("status")));
}

void applyNamespaceDefaults(QJsonObject& ns)
{
    QJsonObject meta = metadataOf(ns);
    const QString name = stringField(meta, QLatin1String("name"));
    if (!name.isEmpty()) {
        QJsonObject labels = objectField(meta, QLatin1String("labels"));
        labels.insert(QLatin1String("kubernetes.io/metadata.name"), name);
        meta.insert(QLatin1String("labels"), labels);
        ns.insert(QLatin1String("metadata"), meta);
    }
    QJsonObject spec = objectField(ns, QLatin1String("spec"));
    if (!hasField(spec, QLatin1String("finalizers"))) {
        spec.insert(QLatin1String("finalizers"), QJsonArray{QStringLiteral("kubernetes")});
        ns.insert(QLatin1String("spec"), spec);
    }
    QJsonObject status = objectField(ns, QLatin1String("status"));
    if (stringField(status, QLatin1String("phase")).isEmpty()) {
        status.insert(QLatin1String("phase"), QStringLiteral("Active"));
        ns.insert(QLatin1String("status"), status);
    }
}

Causes validateNamespace(const QJsonObject& ns, const QJsonObject* old)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(ns, *old, causes);
    validateObjectMeta(ns, false, NameRule::Dns1123Label, causes);
    static const QStringList standard{QStringLiteral("kubernetes"), QStringLiteral("orphan"),
                                      QStringLiteral("foregroundDeletion")};
    const QJsonArray finalizers = arrayField(objectField(ns, QLatin1String("spec")), QLatin1String("finalizers"));
    for (const QJsonValue& value : finalizers) {
        const QString finalizer = value.toString();
        av::qualifiedName(finalizer, QStringLiteral("spec.finalizers"), causes);
        if (!finalizer.contains(QLatin1Char('/')) && !standard.contains(finalizer))
            av::invalid(QStringLiteral("spec.finalizers"), finalizer,
                        QStringLiteral("name is neither a standard finalizer name nor is it fully qualified"), causes);
    }
    return causes;
}

QList<TableColumn> namespaceColumns()
{
    return {nameColumn(),
            {QStringLiteral("Status"), QStringLiteral("string"), QString(),
             QStringLiteral("The status of the namespace"), 0},
            ageColumn()};
}

QJsonArray namespaceTableCells(const QJsonObject& ns, const QDateTime& now)
{
    return {nameOf(ns), stringField(objectField(ns, QLatin1String("status")), QLatin1String("phase")), ageOf(ns, now)};
}

QString namespaceFieldValue(const QJsonObject& ns, const QString& field)
{
    bool known = false;
    const QString meta = metadataFieldValue(ns, field, &known);
    if (known)
        return meta;
    if (field == QLatin1String("status.phase"))
        return stringField(objectField(ns, QLatin1String("status")), QLatin1String("phase"));
    return {};
}

} // namespace vk::sandbox::detail
