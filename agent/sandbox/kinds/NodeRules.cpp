// SPDX-License-Identifier: Apache-2.0
// Nodes: SetDefaults_NodeStatus, ValidateNode/ValidateNodeUpdate (the parts a kubelet can trip over), printNode.
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"
#include "sandbox/kinds/QuantityText.h"

#include "api/Quantity.h"

#include <QSet>
#include <QStringList>

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

QString nodeAddress(const QJsonObject& node, QLatin1String type)
{
    const QJsonArray addresses = arrayField(objectField(node, QLatin1String("status")), QLatin1String("addresses"));
    for (const QJsonValue& value : addresses) {
        const QJsonObject address = value.toObject();
        if (stringField(address, QLatin1String("type")) == type)
            return stringField(address, QLatin1String("address"));
    }
    return QStringLiteral("<none>");
}

void validateTaints(const QJsonArray& taints, Causes& causes)
{
    static const QStringList effects{QStringLiteral("NoSchedule"), QStringLiteral("PreferNoSchedule"),
                                     QStringLiteral("NoExecute")};
    QSet<QString> unique;
    for (qsizetype i = 0; i < taints.size(); ++i) {
        const QJsonObject taint = taints.at(i).toObject();
        const QString path = QStringLiteral("spec.taints[%1]").arg(i);
        const QString key = stringField(taint, QLatin1String("key"));
        const QString value = stringField(taint, QLatin1String("value"));
        const QString effect = stringField(taint, QLatin1String("effect"));
        av::qualifiedName(key, path + QStringLiteral(".key"), causes);
        const QStringList valueErrors = av::labelValueErrors(value);
        if (!valueErrors.isEmpty())
            av::invalid(path + QStringLiteral(".value"), value, valueErrors.join(QLatin1Char(';')), causes);
        if (effect.isEmpty())
            av::required(path + QStringLiteral(".effect"), causes);
        else if (!effects.contains(effect))
            av::notSupported(path + QStringLiteral(".effect"), effect, effects, causes);
        const QString pair = effect + QLatin1Char('\n') + key;
        if (unique.contains(pair)) {
            causes.append({QStringLiteral("FieldValueDuplicate"),
                           QStringLiteral("Duplicate value: ") + av::formatBadValue(taint) +
                               QStringLiteral(": taints must be unique by key and effect pair"),
                           path});
            continue;
        }
        unique.insert(pair);
    }
}

void validateResourceQuantities(const QJsonObject& list, const QString& base, Causes& causes)
{
    for (auto it = list.begin(); it != list.end(); ++it) {
        const QString path = base + QLatin1Char('[') + it.key() + QLatin1Char(']');
        const Result<api::Quantity> q = api::Quantity::fromJson(it.value());
        if (!q.ok())
            av::invalid(path, it.value(),
                        QStringLiteral("quantities must match the regular expression "
                                       "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
                        causes);
        else if (q.value() < api::Quantity())
            av::invalid(path, q.value().toString(), QStringLiteral("must be greater than or equal to 0"), causes);
    }
}

} // namespace

void prepareNodeForUpdate(QJsonObject& node, const QJsonObject& old)
{
    if (old.contains(QLatin1String("status")))
        node.insert(QLatin1String("status"), old.value(QLatin1String("status")));
    else
        node.remove(QLatin1String("status"));
}

void applyNodeDefaults(QJsonObject& node)
{
    if (!node.value(QLatin1String("status")).isObject())
        return;
    QJsonObject status = objectField(node, QLatin1String("status"));
    if (status.value(QLatin1String("capacity")).isObject())
        status.insert(QLatin1String("capacity"), canonicalResourceList(objectField(status, QLatin1String("capacity"))));
    if (status.value(QLatin1String("allocatable")).isObject())
        status.insert(QLatin1String("allocatable"),
                      canonicalResourceList(objectField(status, QLatin1String("allocatable"))));
    else if (status.value(QLatin1String("capacity")).isObject())
        status.insert(QLatin1String("allocatable"), status.value(QLatin1String("capacity")));
    node.insert(QLatin1String("status"), status);
}

Causes validateNode(const QJsonObject& node, const QJsonObject* old)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(node, *old, causes);
    validateObjectMeta(node, false, NameRule::Dns1123Subdomain, causes);
    const QJsonObject spec = objectField(node, QLatin1String("spec"));
    const QJsonObject status = objectField(node, QLatin1String("status"));
    validateTaints(arrayField(spec, QLatin1String("taints")), causes);
    validateResourceQuantities(objectField(status, QLatin1String("capacity")), QStringLiteral("status.capacity"),
                               causes);
    validateResourceQuantities(objectField(status, QLatin1String("allocatable")), QStringLiteral("status.allocatable"),
                               causes);
    if (old) {
        const QJsonObject oldSpec = objectField(*old, QLatin1String("spec"));
        const QJsonArray oldCidrs = arrayField(oldSpec, QLatin1String("podCIDRs"));
        if (!oldCidrs.isEmpty() && arrayField(spec, QLatin1String("podCIDRs")) != oldCidrs)
            av::forbidden(QStringLiteral("spec.podCIDRs"),
                          QStringLiteral("node updates may not change podCIDR except from \"\" to valid"), causes);
        const QString oldProvider = stringField(oldSpec, QLatin1String("providerID"));
        if (!oldProvider.isEmpty() && stringField(spec, QLatin1String("providerID")) != oldProvider)
            av::forbidden(QStringLiteral("spec.providerID"),
                          QStringLiteral("node updates may not change providerID except from \"\" to valid"), causes);
    }
    return causes;
}

QList<TableColumn> nodeColumns()
{
    const QString addresses = QStringLiteral(
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: "
        "https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, "
        "but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers "
        "should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should "
        "assume that addresses can change during the lifetime of a Node. However, there are some exceptions where "
        "this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the "
        "downward API (status.hostIP).");
    return {
        nameColumn(),
        {QStringLiteral("Status"), QStringLiteral("string"), QString(), QStringLiteral("The status of the node"), 0},
        {QStringLiteral("Roles"), QStringLiteral("string"), QString(), QStringLiteral("The roles of the node"), 0},
        ageColumn(),
        {QStringLiteral("Version"), QStringLiteral("string"), QString(),
         QStringLiteral("Kubelet Version reported by the node."), 0},
        {QStringLiteral("Internal-IP"), QStringLiteral("string"), QString(), addresses, 1},
        {QStringLiteral("External-IP"), QStringLiteral("string"), QString(), addresses, 1},
        {QStringLiteral("OS-Image"), QStringLiteral("string"), QString(),
         QStringLiteral("OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."), 1},
        {QStringLiteral("Kernel-Version"), QStringLiteral("string"), QString(),
         QStringLiteral("Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."), 1},
        {QStringLiteral("Container-Runtime"), QStringLiteral("string"), QString(),
         QStringLiteral("ContainerRuntime Version reported by the node through runtime remote API (e.g. "
                        "containerd://1.4.2)."),
         1},
    };
}

QJsonArray nodeTableCells(const QJsonObject& node, const QDateTime& now)
{
    const QJsonObject spec = objectField(node, QLatin1String("spec"));
    const QJsonObject status = objectField(node, QLatin1String("status"));
    QStringList states;
    // Only NodeReady counts; the last condition of that type wins, as in the printer's map.
    QJsonObject ready;
    bool hasReady = false;
    for (const QJsonValue& value : arrayField(status, QLatin1String("conditions"))) {
        const QJsonObject c = value.toObject();
        if (stringField(c, QLatin1String("type")) == QLatin1String("Ready")) {
            ready = c;
            hasReady = true;
        }
    }
    if (hasReady)
        states.append(stringField(ready, QLatin1String("status")) == QLatin1String("True")
                          ? QStringLiteral("Ready")
                          : QStringLiteral("NotReady"));
    if (states.isEmpty())
        states.append(QStringLiteral("Unknown"));
    if (boolField(spec, QLatin1String("unschedulable")))
        states.append(QStringLiteral("SchedulingDisabled"));

    QStringList roles; // sets.NewString(...).List(): sorted and unique
    const QJsonObject labels = objectField(metadataOf(node), QLatin1String("labels"));
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        QString role;
        if (it.key().startsWith(QLatin1String("node-role.kubernetes.io/")))
            role = it.key().mid(int(qstrlen("node-role.kubernetes.io/")));
        else if (it.key() == QLatin1String("kubernetes.io/role"))
            role = it.value().toString();
        if (!role.isEmpty() && !roles.contains(role))
            roles.append(role);
    }
    roles.sort();
    const QString roleText = roles.isEmpty() ? QStringLiteral("<none>") : roles.join(QLatin1Char(','));

    const QJsonObject info = objectField(status, QLatin1String("nodeInfo"));
    const auto orUnknown = [](const QString& s) { return s.isEmpty() ? QStringLiteral("<unknown>") : s; };
    return {nameOf(node),
            states.join(QLatin1Char(',')),
            roleText,
            ageOf(node, now),
            stringField(info, QLatin1String("kubeletVersion")),
            nodeAddress(node, QLatin1String("InternalIP")),
            nodeAddress(node, QLatin1String("ExternalIP")),
            orUnknown(stringField(info, QLatin1String("osImage"))),
            orUnknown(stringField(info, QLatin1String("kernelVersion"))),
            orUnknown(stringField(info, QLatin1String("containerRuntimeVersion")))};
}

QString nodeFieldValue(const QJsonObject& node, const QString& field)
{
    bool known = false;
    const QString meta = metadataFieldValue(node, field, &known);
    if (known)
        return meta;
    if (field == QLatin1String("spec.unschedulable"))
        return boolString(boolField(objectField(node, QLatin1String("spec")), QLatin1String("unschedulable")));
    return {};
}

} // namespace vk::sandbox::detail
