// SPDX-License-Identifier: Apache-2.0
// Leases (ValidateLease, printLease) and bindings (ValidatePodBinding).
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

namespace vk::sandbox::detail {

namespace av = api::validation;

Causes validateLease(const QJsonObject& lease, const QJsonObject* old)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(lease, *old, causes);
    validateObjectMeta(lease, true, NameRule::Dns1123Subdomain, causes);
    const QJsonObject spec = objectField(lease, QLatin1String("spec"));
    if (hasField(spec, QLatin1String("leaseDurationSeconds"))) {
        const qint64 duration = intField(spec, QLatin1String("leaseDurationSeconds"));
        if (duration <= 0)
            av::invalid(QStringLiteral("spec.leaseDurationSeconds"), duration, QStringLiteral("must be greater than 0"),
                        causes);
    }
    if (hasField(spec, QLatin1String("leaseTransitions"))) {
        const qint64 transitions = intField(spec, QLatin1String("leaseTransitions"));
        if (transitions < 0)
            av::invalid(QStringLiteral("spec.leaseTransitions"), transitions,
                        QStringLiteral("must be greater than or equal to 0"), causes);
    }
    if (!stringField(spec, QLatin1String("preferredHolder")).isEmpty() &&
        stringField(spec, QLatin1String("holderIdentity")).isEmpty())
        av::forbidden(QStringLiteral("spec.preferredHolder"),
                      QStringLiteral("may only be specified if `holderIdentity` is specified"), causes);
    return causes;
}

QList<TableColumn> leaseColumns()
{
    return {nameColumn(),
            {QStringLiteral("Holder"), QStringLiteral("string"), QString(),
             QStringLiteral("holderIdentity contains the identity of the holder of a current lease. If Coordinated "
                            "Leader Election is used, the holder identity must be equal to the elected "
                            "LeaseCandidate.metadata.name field."),
             0},
            ageColumn()};
}

QJsonArray leaseTableCells(const QJsonObject& lease, const QDateTime& now)
{
    return {nameOf(lease), stringField(objectField(lease, QLatin1String("spec")), QLatin1String("holderIdentity")),
            ageOf(lease, now)};
}

Causes validateBinding(const QJsonObject& binding, const QJsonObject* /*old*/)
{
    Causes causes;
    const QJsonObject target = objectField(binding, QLatin1String("target"));
    const QString kind = stringField(target, QLatin1String("kind"));
    if (!kind.isEmpty() && kind != QLatin1String("Node"))
        av::notSupported(QStringLiteral("target.kind"), kind, {QStringLiteral("Node"), QStringLiteral("<empty>")},
                         causes);
    if (stringField(target, QLatin1String("name")).isEmpty())
        av::required(QStringLiteral("target.name"), causes);
    return causes;
}

} // namespace vk::sandbox::detail
