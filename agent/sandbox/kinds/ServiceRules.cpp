// SPDX-License-Identifier: Apache-2.0
// Services: SetDefaults_Service plus the IP-family defaults the service REST storage applies (cluster IP allocation
// itself is the API server's), PrepareForUpdate with patchAllocatedValues, ValidateService/ValidateServiceUpdate and
// printService.
#include "sandbox/kinds/FieldRules.h"
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

#include <QRegularExpression>
#include <QSet>

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

const QStringList& portProtocols()
{
    static const QStringList list{QStringLiteral("SCTP"), QStringLiteral("TCP"), QStringLiteral("UDP")};
    return list;
}

QString typeOf(const QJsonObject& spec)
{
    return stringField(spec, QLatin1String("type"));
}

bool isHeadless(const QJsonObject& spec)
{
    return stringField(spec, QLatin1String("clusterIP")) == QLatin1String("None");
}

bool needsClusterIP(const QJsonObject& spec)
{
    return typeOf(spec) != QLatin1String("ExternalName");
}

bool needsNodePort(const QJsonObject& spec)
{
    const QString type = typeOf(spec);
    if (type == QLatin1String("NodePort"))
        return true;
    return type == QLatin1String("LoadBalancer") && (!hasField(spec, QLatin1String("allocateLoadBalancerNodePorts")) ||
                                                     boolField(spec, QLatin1String("allocateLoadBalancerNodePorts")));
}

void copyIfAbsent(QJsonObject& spec, const QJsonObject& oldSpec, QLatin1String key)
{
    const QJsonValue value = spec.value(key);
    const bool absent = value.isUndefined() || value.isNull() || (value.isString() && value.toString().isEmpty()) ||
                        (value.isArray() && value.toArray().isEmpty());
    if (absent && oldSpec.contains(key))
        spec.insert(key, oldSpec.value(key));
}

// normalizeClusterIPs on update: keep clusterIP and clusterIPs in sync the way an old client (singular field only)
// means them.
void normalizeClusterIPs(QJsonObject& spec, const QJsonObject& oldSpec)
{
    const QString clusterIP = stringField(spec, QLatin1String("clusterIP"));
    const QString oldClusterIP = stringField(oldSpec, QLatin1String("clusterIP"));
    const QJsonArray oldIps = arrayField(oldSpec, QLatin1String("clusterIPs"));
    if (!oldIps.isEmpty() && arrayField(spec, QLatin1String("clusterIPs")).isEmpty() && oldClusterIP == clusterIP)
        spec.insert(QLatin1String("clusterIPs"), oldIps);
    if (oldClusterIP == clusterIP)
        return;
    const bool sameIps = arrayField(spec, QLatin1String("clusterIPs")) == oldIps;
    if (!oldClusterIP.isEmpty() && clusterIP.isEmpty() && sameIps)
        spec.remove(QLatin1String("clusterIPs"));
    if (!clusterIP.isEmpty() && sameIps)
        spec.insert(QLatin1String("clusterIPs"), QJsonArray{clusterIP});
}

QStringList portNameErrors(const QString& port)
{
    static const QRegularExpression charset(QRegularExpression::anchoredPattern(QStringLiteral("[-a-z0-9]+")));
    static const QRegularExpression oneLetter(QStringLiteral("[a-z]"));
    QStringList errs;
    if (port.size() > 15)
        errs.append(QStringLiteral("must be no more than 15 characters"));
    if (!charset.match(port).hasMatch())
        errs.append(QStringLiteral("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"));
    if (!oneLetter.match(port).hasMatch())
        errs.append(QStringLiteral("must contain at least one letter (a-z)"));
    if (port.contains(QStringLiteral("--")))
        errs.append(QStringLiteral("must not contain consecutive hyphens"));
    if (!port.isEmpty() && (port.startsWith(QLatin1Char('-')) || port.endsWith(QLatin1Char('-'))))
        errs.append(QStringLiteral("must not begin or end with a hyphen"));
    return errs;
}

void validatePort(const QJsonObject& port, bool requireName, QSet<QString>& names, const QString& path, Causes& causes)
{
    const QString name = stringField(port, QLatin1String("name"));
    if (requireName && name.isEmpty()) {
        av::required(path + QStringLiteral(".name"), causes);
    } else if (!name.isEmpty()) {
        av::dns1123Label(name, path + QStringLiteral(".name"), causes);
        if (names.contains(name))
            av::duplicate(path + QStringLiteral(".name"), name, causes);
        else
            names.insert(name);
    }
    const qint64 number = intField(port, QLatin1String("port"));
    if (number < 1 || number > 65535)
        av::invalid(path + QStringLiteral(".port"), number, QStringLiteral("must be between 1 and 65535, inclusive"),
                    causes);
    const QString protocol = stringField(port, QLatin1String("protocol"));
    if (protocol.isEmpty())
        av::required(path + QStringLiteral(".protocol"), causes);
    else if (!portProtocols().contains(protocol))
        av::notSupported(path + QStringLiteral(".protocol"), protocol, portProtocols(), causes);
    const QJsonValue target = port.value(QLatin1String("targetPort"));
    if (target.isString()) {
        for (const QString& msg : portNameErrors(target.toString()))
            av::invalid(path + QStringLiteral(".targetPort"), target, msg, causes);
    } else if (target.isDouble()) {
        const qint64 t = target.toInteger();
        if (t < 1 || t > 65535)
            av::invalid(path + QStringLiteral(".targetPort"), t,
                        QStringLiteral("must be between 1 and 65535, inclusive"), causes);
    }
}

void validateClusterIPs(const QJsonObject& spec, Causes& causes)
{
    const QJsonArray ips = arrayField(spec, QLatin1String("clusterIPs"));
    const QString clusterIP = stringField(spec, QLatin1String("clusterIP"));
    if (!ips.isEmpty() && !clusterIP.isEmpty() && ips.first().toString() != clusterIP)
        av::invalid(QStringLiteral("spec.clusterIPs"), ips, QStringLiteral("first value must match `clusterIP`"),
                    causes);
    for (qsizetype i = 0; i < ips.size(); ++i) {
        const QString ip = ips.at(i).toString();
        if (ip == QLatin1String("None") && i == 0)
            continue;
        if (ipFamilyOf(ip) == 0) // Go's parser: no zones, hex or short forms
            av::invalid(QStringLiteral("spec.clusterIPs[%1]").arg(i), ip,
                        QStringLiteral("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"), causes);
    }
    static const QStringList policies{QStringLiteral("SingleStack"), QStringLiteral("PreferDualStack"),
                                      QStringLiteral("RequireDualStack")};
    if (hasField(spec, QLatin1String("ipFamilyPolicy"))) {
        const QString policy = stringField(spec, QLatin1String("ipFamilyPolicy"));
        if (!policies.contains(policy))
            av::notSupported(QStringLiteral("spec.ipFamilyPolicy"), policy, policies, causes);
    }
    static const QStringList families{QStringLiteral("IPv4"), QStringLiteral("IPv6")};
    const QJsonArray ipFamilies = arrayField(spec, QLatin1String("ipFamilies"));
    for (qsizetype i = 0; i < ipFamilies.size(); ++i) {
        const QString family = ipFamilies.at(i).toString();
        if (!families.contains(family))
            av::notSupported(QStringLiteral("spec.ipFamilies[%1]").arg(i), family, families, causes);
    }
}

QString externalIPOf(const QJsonObject& service)
{
    const QJsonObject spec = objectField(service, QLatin1String("spec"));
    QStringList externalIPs;
    for (const QJsonValue& ip : arrayField(spec, QLatin1String("externalIPs")))
        externalIPs.append(ip.toString());
    const QString type = typeOf(spec);
    if (type == QLatin1String("ClusterIP") || type == QLatin1String("NodePort"))
        return externalIPs.isEmpty() ? QStringLiteral("<none>") : externalIPs.join(QLatin1Char(','));
    if (type == QLatin1String("LoadBalancer")) {
        // loadBalancerStatusStringer (wide: the server always generates wide rows): sorted, unique.
        QStringList lb;
        const QJsonArray ingress =
            arrayField(objectField(objectField(service, QLatin1String("status")), QLatin1String("loadBalancer")),
                       QLatin1String("ingress"));
        for (const QJsonValue& value : ingress) {
            const QJsonObject entry = value.toObject();
            QString address = stringField(entry, QLatin1String("ip"));
            if (address.isEmpty())
                address = stringField(entry, QLatin1String("hostname"));
            if (!address.isEmpty() && !lb.contains(address))
                lb.append(address);
        }
        lb.sort();
        if (!externalIPs.isEmpty())
            return (lb + externalIPs).join(QLatin1Char(','));
        return lb.isEmpty() ? QStringLiteral("<pending>") : lb.join(QLatin1Char(','));
    }
    if (type == QLatin1String("ExternalName"))
        return stringField(spec, QLatin1String("externalName"));
    return QStringLiteral("<unknown>");
}

} // namespace

void prepareServiceForUpdate(QJsonObject& service, const QJsonObject& old)
{
    QJsonObject spec = objectField(service, QLatin1String("spec"));
    const QJsonObject oldSpec = objectField(old, QLatin1String("spec"));
    // An update that does not mention the type keeps ClusterIP semantics (the default), as the decoder would.
    QJsonObject typed = spec;
    if (typeOf(typed).isEmpty())
        typed.insert(QLatin1String("type"), QStringLiteral("ClusterIP"));
    if (needsClusterIP(oldSpec) && needsClusterIP(typed)) {
        copyIfAbsent(spec, oldSpec, QLatin1String("clusterIP"));
        copyIfAbsent(spec, oldSpec, QLatin1String("clusterIPs"));
        copyIfAbsent(spec, oldSpec, QLatin1String("ipFamilies"));
        copyIfAbsent(spec, oldSpec, QLatin1String("ipFamilyPolicy"));
    }
    if (needsNodePort(oldSpec) && needsNodePort(typed)) {
        QHash<QString, qint64> byName;
        QSet<qint64> oldUsed;
        for (const QJsonValue& value : arrayField(oldSpec, QLatin1String("ports"))) {
            const QJsonObject p = value.toObject();
            byName.insert(stringField(p, QLatin1String("name")), intField(p, QLatin1String("nodePort")));
            oldUsed.insert(intField(p, QLatin1String("nodePort")));
        }
        QJsonArray ports = arrayField(spec, QLatin1String("ports"));
        QSet<qint64> used;
        for (const QJsonValue& value : ports) {
            const qint64 nodePort = intField(value.toObject(), QLatin1String("nodePort"));
            if (nodePort != 0 && oldUsed.contains(nodePort))
                used.insert(nodePort);
        }
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            if (intField(p, QLatin1String("nodePort")) != 0)
                continue;
            const qint64 oldValue = byName.value(stringField(p, QLatin1String("name")));
            if (oldValue != 0 && !used.contains(oldValue)) {
                p.insert(QLatin1String("nodePort"), oldValue);
                ports[i] = p;
            }
        }
        if (spec.contains(QLatin1String("ports")))
            spec.insert(QLatin1String("ports"), ports);
        if (intField(spec, QLatin1String("healthCheckNodePort")) == 0 &&
            intField(oldSpec, QLatin1String("healthCheckNodePort")) != 0)
            spec.insert(QLatin1String("healthCheckNodePort"), oldSpec.value(QLatin1String("healthCheckNodePort")));
    }
    normalizeClusterIPs(spec, oldSpec);
    service.insert(QLatin1String("spec"), spec);
    if (old.contains(QLatin1String("status")))
        service.insert(QLatin1String("status"), old.value(QLatin1String("status")));
}

void applyServiceDefaults(QJsonObject& service)
{
    QJsonObject spec = objectField(service, QLatin1String("spec"));
    if (typeOf(spec).isEmpty())
        spec.insert(QLatin1String("type"), QStringLiteral("ClusterIP"));
    const QString type = typeOf(spec);
    if (stringField(spec, QLatin1String("sessionAffinity")).isEmpty())
        spec.insert(QLatin1String("sessionAffinity"), QStringLiteral("None"));
    if (stringField(spec, QLatin1String("sessionAffinity")) == QLatin1String("ClientIP")) {
        QJsonObject config = objectField(spec, QLatin1String("sessionAffinityConfig"));
        QJsonObject clientIP = objectField(config, QLatin1String("clientIP"));
        if (!hasField(clientIP, QLatin1String("timeoutSeconds"))) {
            clientIP.insert(QLatin1String("timeoutSeconds"), 10800);
            config.insert(QLatin1String("clientIP"), clientIP);
            spec.insert(QLatin1String("sessionAffinityConfig"), config);
        }
    }
    if (spec.value(QLatin1String("ports")).isArray()) {
        QJsonArray ports = arrayField(spec, QLatin1String("ports"));
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            if (stringField(p, QLatin1String("protocol")).isEmpty())
                p.insert(QLatin1String("protocol"), QStringLiteral("TCP"));
            const QJsonValue target = p.value(QLatin1String("targetPort"));
            if (target.isUndefined() || target.isNull() || (target.isString() && target.toString().isEmpty()) ||
                (target.isDouble() && target.toInteger() == 0))
                p.insert(QLatin1String("targetPort"), p.value(QLatin1String("port")));
            ports[i] = p;
        }
        spec.insert(QLatin1String("ports"), ports);
    }
    if (type == QLatin1String("NodePort") || type == QLatin1String("LoadBalancer")) {
        if (stringField(spec, QLatin1String("externalTrafficPolicy")).isEmpty())
            spec.insert(QLatin1String("externalTrafficPolicy"), QStringLiteral("Cluster"));
    }
    if (type == QLatin1String("LoadBalancer") && !hasField(spec, QLatin1String("allocateLoadBalancerNodePorts")))
        spec.insert(QLatin1String("allocateLoadBalancerNodePorts"), true);
    if (type != QLatin1String("ExternalName")) {
        if (stringField(spec, QLatin1String("internalTrafficPolicy")).isEmpty())
            spec.insert(QLatin1String("internalTrafficPolicy"), QStringLiteral("Cluster"));
        const QString clusterIP = stringField(spec, QLatin1String("clusterIP"));
        const QJsonArray clusterIPs = arrayField(spec, QLatin1String("clusterIPs"));
        if (!clusterIP.isEmpty() && clusterIPs.isEmpty())
            spec.insert(QLatin1String("clusterIPs"), QJsonArray{clusterIP});
        else if (clusterIP.isEmpty() && !clusterIPs.isEmpty())
            spec.insert(QLatin1String("clusterIP"), clusterIPs.first());
        if (stringField(spec, QLatin1String("ipFamilyPolicy")).isEmpty()) {
            const bool headlessWithoutSelector =
                isHeadless(spec) && objectField(spec, QLatin1String("selector")).isEmpty();
            spec.insert(QLatin1String("ipFamilyPolicy"),
                        headlessWithoutSelector ? QStringLiteral("RequireDualStack") : QStringLiteral("SingleStack"));
        }
        if (arrayField(spec, QLatin1String("ipFamilies")).isEmpty())
            spec.insert(QLatin1String("ipFamilies"), QJsonArray{QStringLiteral("IPv4")});
    }
    service.insert(QLatin1String("spec"), spec);
    if (!service.value(QLatin1String("status")).isObject())
        service.insert(QLatin1String("status"), QJsonObject{{QStringLiteral("loadBalancer"), QJsonObject()}});
}

Causes validateService(const QJsonObject& service, const QJsonObject* old)
{
    Causes causes;
    const QJsonObject spec = objectField(service, QLatin1String("spec"));
    if (old) {
        validateObjectMetaUpdate(service, *old, causes);
        const QJsonObject oldSpec = objectField(*old, QLatin1String("spec"));
        const bool externalName =
            typeOf(spec) == QLatin1String("ExternalName") || typeOf(oldSpec) == QLatin1String("ExternalName");
        if (!externalName && !(isHeadless(spec) && isHeadless(oldSpec))) {
            const QJsonArray ips = arrayField(spec, QLatin1String("clusterIPs"));
            const QJsonArray oldIps = arrayField(oldSpec, QLatin1String("clusterIPs"));
            if (ips.size() == oldIps.size()) {
                for (qsizetype i = 0; i < oldIps.size(); ++i) {
                    if (oldIps.at(i) != ips.at(i))
                        av::invalid(QStringLiteral("spec.clusterIPs[%1]").arg(i), ips,
                                    QStringLiteral("may not change once set"), causes);
                }
            } else if (oldIps.size() > ips.size()) {
                if (ips.isEmpty())
                    av::invalid(QStringLiteral("spec.clusterIPs[0]"), ips,
                                QStringLiteral("primary clusterIP can not be unset"), causes);
                else if (ips.first() != oldIps.first())
                    av::invalid(QStringLiteral("spec.clusterIPs[0]"), ips, QStringLiteral("may not change once set"),
                                causes);
            } else if (!oldIps.isEmpty() && ips.first() != oldIps.first()) {
                av::invalid(QStringLiteral("spec.clusterIPs[0]"), ips, QStringLiteral("may not change once set"),
                            causes);
            }
        }
    }
    validateObjectMeta(service, true, NameRule::Dns1035Label, causes);

    const QString type = typeOf(spec);
    const QJsonArray ports = arrayField(spec, QLatin1String("ports"));
    if (ports.isEmpty() && !isHeadless(spec) && type != QLatin1String("ExternalName"))
        av::required(QStringLiteral("spec.ports"), causes);
    if (type == QLatin1String("LoadBalancer")) {
        for (qsizetype i = 0; i < ports.size(); ++i) {
            if (intField(ports.at(i).toObject(), QLatin1String("port")) == 10250)
                av::invalid(QStringLiteral("spec.ports[%1]").arg(i), qint64(10250),
                            QStringLiteral("may not expose port 10250 externally since it is used by kubelet"), causes);
        }
        if (isHeadless(spec))
            av::invalid(QStringLiteral("spec.clusterIPs[0]"), QStringLiteral("None"),
                        QStringLiteral("may not be set to 'None' for LoadBalancer services"), causes);
    } else if (type == QLatin1String("NodePort")) {
        if (isHeadless(spec))
            av::invalid(QStringLiteral("spec.clusterIPs[0]"), QStringLiteral("None"),
                        QStringLiteral("may not be set to 'None' for NodePort services"), causes);
    } else if (type == QLatin1String("ExternalName")) {
        if (!arrayField(spec, QLatin1String("clusterIPs")).isEmpty() ||
            !stringField(spec, QLatin1String("clusterIP")).isEmpty())
            av::forbidden(QStringLiteral("spec.clusterIPs"), QStringLiteral("may not be set for ExternalName services"),
                          causes);
        if (!arrayField(spec, QLatin1String("ipFamilies")).isEmpty())
            av::forbidden(QStringLiteral("spec.ipFamilies"), QStringLiteral("may not be set for ExternalName services"),
                          causes);
        if (hasField(spec, QLatin1String("ipFamilyPolicy")))
            av::forbidden(QStringLiteral("spec.ipFamilyPolicy"),
                          QStringLiteral("may not be set for ExternalName services"), causes);
        QString cname = stringField(spec, QLatin1String("externalName"));
        if (cname.endsWith(QLatin1Char('.')))
            cname.chop(1);
        if (cname.isEmpty())
            av::required(QStringLiteral("spec.externalName"), causes);
        else
            av::dns1123Subdomain(cname, QStringLiteral("spec.externalName"), causes);
    }

    QSet<QString> names;
    for (qsizetype i = 0; i < ports.size(); ++i)
        validatePort(ports.at(i).toObject(), ports.size() > 1, names, QStringLiteral("spec.ports[%1]").arg(i), causes);

    const QJsonObject selector = objectField(spec, QLatin1String("selector"));
    for (auto it = selector.begin(); it != selector.end(); ++it) {
        av::qualifiedName(it.key(), QStringLiteral("spec.selector"), causes);
        av::labelValue(it.value().toString(), QStringLiteral("spec.selector"), causes);
    }

    static const QStringList affinities{QStringLiteral("ClientIP"), QStringLiteral("None")};
    const QString affinity = stringField(spec, QLatin1String("sessionAffinity"));
    if (affinity.isEmpty())
        av::required(QStringLiteral("spec.sessionAffinity"), causes);
    else if (!affinities.contains(affinity))
        av::notSupported(QStringLiteral("spec.sessionAffinity"), affinity, affinities, causes);
    if (affinity == QLatin1String("None") && hasField(spec, QLatin1String("sessionAffinityConfig")))
        av::forbidden(QStringLiteral("spec.sessionAffinityConfig"),
                      QStringLiteral("must not be set when session affinity is None"), causes);

    if (type != QLatin1String("ExternalName"))
        validateClusterIPs(spec, causes);

    const QJsonArray externalIPs = arrayField(spec, QLatin1String("externalIPs"));
    for (qsizetype i = 0; i < externalIPs.size(); ++i) {
        const QString ip = externalIPs.at(i).toString();
        if (ipFamilyOf(ip) == 0) // Go's parser: no zones, hex or short forms
            av::invalid(QStringLiteral("spec.externalIPs[%1]").arg(i), ip,
                        QStringLiteral("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"), causes);
    }

    static const QStringList types{QStringLiteral("ClusterIP"), QStringLiteral("ExternalName"),
                                   QStringLiteral("LoadBalancer"), QStringLiteral("NodePort")};
    if (type.isEmpty())
        av::required(QStringLiteral("spec.type"), causes);
    else if (!types.contains(type))
        av::notSupported(QStringLiteral("spec.type"), type, types, causes);

    if (type == QLatin1String("ClusterIP")) {
        for (qsizetype i = 0; i < ports.size(); ++i) {
            if (intField(ports.at(i).toObject(), QLatin1String("nodePort")) != 0)
                av::forbidden(QStringLiteral("spec.ports[%1].nodePort").arg(i),
                              QStringLiteral("may not be used when `type` is 'ClusterIP'"), causes);
        }
    }

    QSet<QString> seen;
    for (qsizetype i = 0; i < ports.size(); ++i) {
        const QJsonObject p = ports.at(i).toObject();
        const QString k = stringField(p, QLatin1String("protocol")) + QLatin1Char('/') +
                          QString::number(intField(p, QLatin1String("port")));
        if (seen.contains(k))
            av::duplicate(QStringLiteral("spec.ports[%1]").arg(i),
                          QJsonObject{{QStringLiteral("port"), p.value(QLatin1String("port"))},
                                      {QStringLiteral("protocol"), p.value(QLatin1String("protocol"))}},
                          causes);
        seen.insert(k);
    }

    static const QStringList trafficPolicies{QStringLiteral("Cluster"), QStringLiteral("Local")};
    const QString external = stringField(spec, QLatin1String("externalTrafficPolicy"));
    if (type == QLatin1String("NodePort") || type == QLatin1String("LoadBalancer")) {
        if (external.isEmpty())
            av::required(QStringLiteral("spec.externalTrafficPolicy"), causes);
        else if (!trafficPolicies.contains(external))
            av::notSupported(QStringLiteral("spec.externalTrafficPolicy"), external, trafficPolicies, causes);
    } else if (!external.isEmpty()) {
        av::invalid(QStringLiteral("spec.externalTrafficPolicy"), external,
                    QStringLiteral("may only be set when `type` is 'NodePort' or 'LoadBalancer'"), causes);
    }
    const QString internal = stringField(spec, QLatin1String("internalTrafficPolicy"));
    if (type != QLatin1String("ExternalName")) {
        if (internal.isEmpty())
            av::required(QStringLiteral("spec.internalTrafficPolicy"), causes);
        else if (!trafficPolicies.contains(internal))
            av::notSupported(QStringLiteral("spec.internalTrafficPolicy"), internal, trafficPolicies, causes);
    }
    return causes;
}

QList<TableColumn> serviceColumns()
{
    return {
        nameColumn(),
        {QStringLiteral("Type"), QStringLiteral("string"), QString(),
         QStringLiteral("type determines how the Service is exposed. Defaults to ClusterIP. Valid options are "
                        "ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a "
                        "cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the "
                        "selector or if that is not specified, by manual construction of an Endpoints object or "
                        "EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the "
                        "endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds "
                        "on ClusterIP and allocates a port on every node which routes to the same endpoints as the "
                        "clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if "
                        "supported in the current cloud) which routes to the same endpoints as the clusterIP. "
                        "\"ExternalName\" aliases this service to the specified externalName. Several other fields "
                        "do not apply to ExternalName services. More info: "
                        "https://kubernetes.io/docs/concepts/services-networking/service/"
                        "#publishing-services-service-types"),
         0},
        {QStringLiteral("Cluster-IP"), QStringLiteral("string"), QString(),
         QStringLiteral("clusterIP is the IP address of the service and is usually assigned randomly. If an address is "
                        "specified manually, is in-range (as per system configuration), and is not in use, it will "
                        "be allocated to the service; otherwise creation of the service will fail. This field may "
                        "not be changed through updates unless the type field is also being changed to ExternalName "
                        "(which requires this field to be blank) or the type field is being changed from "
                        "ExternalName (in which case this field may optionally be specified, as describe above).  "
                        "Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to "
                        "\"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint "
                        "connections are preferred and proxying is not required.  Only applies to types ClusterIP, "
                        "NodePort, and LoadBalancer. If this field is specified when creating a Service of type "
                        "ExternalName, creation will fail. This field will be wiped when updating a Service to type "
                        "ExternalName. More info: "
                        "https://kubernetes.io/docs/concepts/services-networking/service/"
                        "#virtual-ips-and-service-proxies"),
         0},
        {QStringLiteral("External-IP"), QStringLiteral("string"), QString(),
         QStringLiteral("externalIPs is a list of IP addresses for which nodes in the cluster will also accept "
                        "traffic for this service.  These IPs are not managed by Kubernetes.  The user is "
                        "responsible for ensuring that traffic arrives at a node with this IP.  A common example is "
                        "external load-balancers that are not part of the Kubernetes system."),
         0},
        {QStringLiteral("Port(s)"), QStringLiteral("string"), QString(),
         QStringLiteral("The list of ports that are exposed by this service. More info: "
                        "https://kubernetes.io/docs/concepts/services-networking/service/"
                        "#virtual-ips-and-service-proxies"),
         0},
        ageColumn(),
        {QStringLiteral("Selector"), QStringLiteral("string"), QString(),
         QStringLiteral("Route service traffic to pods with label keys and values matching this selector. If empty "
                        "or not present, the service is assumed to have an external process managing its endpoints, "
                        "which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and "
                        "LoadBalancer. Ignored if type is ExternalName. More info: "
                        "https://kubernetes.io/docs/concepts/services-networking/service/"),
         1},
    };
}

QJsonArray serviceTableCells(const QJsonObject& service, const QDateTime& now)
{
    const QJsonObject spec = objectField(service, QLatin1String("spec"));
    const QJsonArray clusterIPs = arrayField(spec, QLatin1String("clusterIPs"));
    const QString internalIP = clusterIPs.isEmpty() ? QStringLiteral("<none>") : clusterIPs.first().toString();
    QStringList pieces;
    for (const QJsonValue& value : arrayField(spec, QLatin1String("ports"))) {
        const QJsonObject p = value.toObject();
        const qint64 nodePort = intField(p, QLatin1String("nodePort"));
        const QString protocol = stringField(p, QLatin1String("protocol"));
        if (nodePort > 0)
            pieces.append(
                QStringLiteral("%1:%2/%3").arg(intField(p, QLatin1String("port"))).arg(nodePort).arg(protocol));
        else
            pieces.append(QStringLiteral("%1/%2").arg(intField(p, QLatin1String("port"))).arg(protocol));
    }
    const QString ports = pieces.isEmpty() ? QStringLiteral("<none>") : pieces.join(QLatin1Char(','));
    return {nameOf(service),
            typeOf(spec),
            internalIP,
            externalIPOf(service),
            ports,
            ageOf(service, now),
            formatLabels(objectField(spec, QLatin1String("selector")))};
}

} // namespace vk::sandbox::detail
