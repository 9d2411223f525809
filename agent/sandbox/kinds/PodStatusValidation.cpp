// SPDX-License-Identifier: Apache-2.0
// Validation of a pod's /status update as kube's pod status strategy does it (pkg/apis/core/validation's
// ValidatePodStatusUpdate), with the same field paths, messages and order: the metadata update and the status. The
// spec of a status write is the stored one, so it is read (restart policy, init containers, resource claims) but
// never validated again.
#include "sandbox/kinds/FieldRules.h"
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

#include <QSet>

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

const QString kInvalidIp = QStringLiteral("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");

QString idx(const QString& base, qsizetype i)
{
    return base + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
}

/// validatePodConditions: the types of custom conditions must be qualified names. kube starts their path from
/// "metadata" and names the field "Type", and so does this ("metadata.conditions[2].Type").
void validateConditions(const QJsonArray& conditions, Causes& causes)
{
    static const QStringList systemTypes{QStringLiteral("PodScheduled"), QStringLiteral("Ready"),
                                         QStringLiteral("Initialized")};
    for (qsizetype i = 0; i < conditions.size(); ++i) {
        const QString type = stringField(conditions.at(i).toObject(), QLatin1String("type"));
        if (!systemTypes.contains(type))
            av::qualifiedName(type, idx(QStringLiteral("metadata.conditions"), i) + QStringLiteral(".Type"), causes);
    }
}

bool isTerminated(const QJsonObject& containerStatus)
{
    return objectField(containerStatus, QLatin1String("state")).value(QLatin1String("terminated")).isObject();
}

/// ValidateContainerStateTransition / ValidateInitContainerStateTransition: unless the pod restarts its
/// containers, a terminated container stays terminated (a failed one may restart under OnFailure, a restartable
/// init container always may). The path indexes the old statuses.
void validateStateTransitions(const QJsonArray& now,
                              const QJsonArray& before,
                              const QString& path,
                              const QString& restartPolicy,
                              const QSet<QString>& restartable,
                              Causes& causes)
{
    if (restartPolicy == QLatin1String("Always"))
        return;
    for (qsizetype i = 0; i < before.size(); ++i) {
        const QJsonObject old = before.at(i).toObject();
        if (!isTerminated(old))
            continue;
        const QJsonObject terminated =
            objectField(objectField(old, QLatin1String("state")), QLatin1String("terminated"));
        if (intField(terminated, QLatin1String("exitCode")) != 0 && restartPolicy == QLatin1String("OnFailure"))
            continue;
        const QString name = stringField(old, QLatin1String("name"));
        if (restartable.contains(name))
            continue;
        for (const QJsonValue& value : now) {
            const QJsonObject status = value.toObject();
            if (stringField(status, QLatin1String("name")) == name && !isTerminated(status))
                av::forbidden(idx(path, i) + QStringLiteral(".state"),
                              QStringLiteral("may not be transitioned to non-terminated state"), causes);
        }
    }
}

QSet<QString> restartableInitContainers(const QJsonObject& spec)
{
    QSet<QString> names;
    for (const QJsonValue& value : arrayField(spec, QLatin1String("initContainers"))) {
        const QJsonObject c = value.toObject();
        if (stringField(c, QLatin1String("restartPolicy")) == QLatin1String("Always"))
            names.insert(stringField(c, QLatin1String("name")));
    }
    return names;
}

void validateResourceClaimStatuses(const QJsonArray& statuses, const QJsonObject& spec, Causes& causes)
{
    QSet<QString> claims;
    for (const QJsonValue& claim : arrayField(spec, QLatin1String("resourceClaims")))
        claims.insert(stringField(claim.toObject(), QLatin1String("name")));
    QSet<QString> seen;
    for (qsizetype i = 0; i < statuses.size(); ++i) {
        const QJsonObject status = statuses.at(i).toObject();
        const QString name = stringField(status, QLatin1String("name"));
        const QString path = idx(QStringLiteral("status.resourceClaimStatuses"), i) + QStringLiteral(".name");
        if (!claims.contains(name))
            av::invalid(path, name, QStringLiteral("must match the name of an entry in `spec.resourceClaims`"), causes);
        if (seen.contains(name))
            av::duplicate(path, name, causes);
        else
            seen.insert(name);
        if (hasField(status, QLatin1String("resourceClaimName"))) {
            const QString claimName = stringField(status, QLatin1String("resourceClaimName"));
            for (const QString& msg : av::dns1123SubdomainErrors(claimName))
                av::invalid(path, claimName, msg, causes);
        }
    }
}

/// Go's %#v of a core.PodIP / core.HostIP, as field errors print struct values.
QString goStruct(const QString& type, const QString& ip)
{
    return QStringLiteral("core.%1{IP:%2}").arg(type, av::goQuote(ip));
}

/// netutils.IsDualStackIPStrings and the checks around it: one IP of each family at most, no duplicates.
/// Duplicates come before the family check for host IPs and after it for pod IPs, as in kube.
void validateIpFamilies(const QStringList& ips, const QString& path, const QString& type, Causes& causes)
{
    if (ips.size() < 2)
        return;
    const auto duplicates = [&] {
        QSet<QString> seen;
        for (qsizetype i = 0; i < ips.size(); ++i) {
            if (seen.contains(ips.at(i)))
                causes.append({QStringLiteral("FieldValueDuplicate"),
                               QStringLiteral("Duplicate value: ") + goStruct(type, ips.at(i)), idx(path, i)});
            seen.insert(ips.at(i));
        }
    };
    if (type == QLatin1String("HostIP"))
        duplicates();
    bool v4 = false;
    bool v6 = false;
    for (qsizetype i = 0; i < ips.size(); ++i) {
        const int family = ipFamilyOf(ips.at(i));
        if (family == 0) {
            causes.append(
                {QStringLiteral("InternalError"),
                 QStringLiteral("Internal error: failed to check for dual stack with error:invalid IP[%1]: %2")
                     .arg(i)
                     .arg(ips.at(i)),
                 path});
            v4 = v6 = false;
            break;
        }
        (family == 4 ? v4 : v6) = true;
    }
    if (!(v4 && v6) || ips.size() > 2) {
        QStringList items;
        for (const QString& ip : ips)
            items.append(goStruct(type, ip));
        causes.append(
            {QStringLiteral("FieldValueInvalid"),
             QStringLiteral("Invalid value: []core.%1{%2}: may specify no more than one IP for each IP family")
                 .arg(type, items.join(QStringLiteral(", "))),
             path});
    }
    if (type == QLatin1String("PodIP"))
        duplicates();
}

void validatePodIps(const QJsonObject& status, Causes& causes)
{
    const QStringList ips = effectiveIps(status, QLatin1String("podIP"), QLatin1String("podIPs"));
    const QString path = QStringLiteral("status.podIPs");
    for (qsizetype i = 0; i < ips.size(); ++i) {
        if (ipFamilyOf(ips.at(i)) == 0)
            av::invalid(idx(path, i), ips.at(i), kInvalidIp, causes);
    }
    validateIpFamilies(ips, path, QStringLiteral("PodIP"), causes);
}

void validateHostIps(const QJsonObject& status, Causes& causes)
{
    const QStringList ips = effectiveIps(status, QLatin1String("hostIP"), QLatin1String("hostIPs"));
    if (ips.isEmpty())
        return;
    const QString path = QStringLiteral("status.hostIPs");
    if (stringField(status, QLatin1String("hostIP")) != ips.constFirst())
        av::invalid(idx(path, 0) + QStringLiteral(".ip"), ips.constFirst(), QStringLiteral("must be equal to `hostIP`"),
                    causes);
    for (qsizetype i = 0; i < ips.size(); ++i) {
        if (ipFamilyOf(ips.at(i)) == 0)
            av::invalid(idx(path, i), ips.at(i), kInvalidIp, causes);
    }
    validateIpFamilies(ips, path, QStringLiteral("HostIP"), causes);
}

} // namespace

/// The IPs kube validates: v1's podIP/hostIP wins over a list that does not start with it (the v1 → internal
/// conversion), so a status with only podIP is checked as podIPs [{ip: podIP}].
QStringList effectiveIps(const QJsonObject& status, QLatin1String single, QLatin1String list)
{
    const QString ip = stringField(status, single);
    QStringList ips;
    for (const QJsonValue& value : arrayField(status, list))
        ips.append(stringField(value.toObject(), QLatin1String("ip")));
    if (!ip.isEmpty() && (ips.isEmpty() || ips.constFirst() != ip))
        return {ip};
    return ips;
}

Causes validatePodStatusUpdate(const QJsonObject& pod, const QJsonObject& old)
{
    Causes causes;
    validateObjectMetaUpdate(pod, old, causes);
    validateObjectMeta(pod, true, NameRule::Dns1123Subdomain, causes);
    const QJsonObject status = objectField(pod, QLatin1String("status"));
    const QJsonObject oldStatus = objectField(old, QLatin1String("status"));
    const QJsonObject oldSpec = objectField(old, QLatin1String("spec"));
    validateConditions(arrayField(status, QLatin1String("conditions")), causes);

    const QLatin1String nominated("nominatedNodeName");
    const QString nominatedNode = stringField(status, nominated);
    if (nominatedNode != stringField(oldStatus, nominated) && !nominatedNode.isEmpty()) {
        for (const QString& msg : av::dns1123SubdomainErrors(nominatedNode))
            av::invalid(QStringLiteral("status.nominatedNodeName"), nominatedNode, msg, causes);
    }
    immutableField(QStringLiteral("status.qosClass"), stringField(status, QLatin1String("qosClass")),
                   stringField(oldStatus, QLatin1String("qosClass")), causes);

    const QString restartPolicy = stringField(oldSpec, QLatin1String("restartPolicy"));
    validateStateTransitions(arrayField(status, QLatin1String("containerStatuses")),
                             arrayField(oldStatus, QLatin1String("containerStatuses")),
                             QStringLiteral("status.containerStatuses"), restartPolicy, {}, causes);
    validateStateTransitions(arrayField(status, QLatin1String("initContainerStatuses")),
                             arrayField(oldStatus, QLatin1String("initContainerStatuses")),
                             QStringLiteral("status.initContainerStatuses"), restartPolicy,
                             restartableInitContainers(oldSpec), causes);
    // The kubelet never restarts ephemeral containers: as if their restart policy were Never.
    validateStateTransitions(arrayField(status, QLatin1String("ephemeralContainerStatuses")),
                             arrayField(oldStatus, QLatin1String("ephemeralContainerStatuses")),
                             QStringLiteral("status.ephemeralContainerStatuses"), QStringLiteral("Never"), {}, causes);
    validateResourceClaimStatuses(arrayField(status, QLatin1String("resourceClaimStatuses")),
                                  objectField(pod, QLatin1String("spec")), causes);
    validatePodIps(status, causes);
    validateHostIps(status, causes);
    return causes;
}

} // namespace vk::sandbox::detail
