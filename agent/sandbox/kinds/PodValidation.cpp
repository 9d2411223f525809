// SPDX-License-Identifier: Apache-2.0
// Pod validation as pkg/apis/core/validation does it (ValidatePodCreate, ValidatePodUpdate), with the same field
// paths, messages and order for the fields a sandbox sees in practice.
#include "sandbox/kinds/FieldRules.h"
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

#include "api/Quantity.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <limits>

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

const QString kQuantityRegexError =
    QStringLiteral("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");

QString idx(const QString& base, qsizetype i)
{
    return base + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
}

QString key(const QString& base, const QString& k)
{
    return base + QLatin1Char('[') + k + QLatin1Char(']');
}

void notFound(const QString& field, const QJsonValue& value, Causes& causes)
{
    causes.append(
        {QStringLiteral("FieldValueNotFound"), QStringLiteral("Not found: ") + av::formatBadValue(value), field});
}

QStringList portNumErrors(qint64 port)
{
    if (port < 1 || port > 65535)
        return {QStringLiteral("must be between 1 and 65535, inclusive")};
    return {};
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

QStringList envVarNameErrors(const QString& name)
{
    static const QRegularExpression re(
        QRegularExpression::anchoredPattern(QStringLiteral("[-._a-zA-Z][-._a-zA-Z0-9]*")));
    QStringList errs;
    if (!re.match(name).hasMatch())
        errs.append(QStringLiteral("a valid environment variable name must consist of alphabetic characters, digits, "
                                   "'_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or "
                                   "'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
                                   "'[-._a-zA-Z][-._a-zA-Z0-9]*')"));
    errs.append(chDirPrefixErrors(name));
    return errs;
}

const QStringList& protocols()
{
    static const QStringList list{QStringLiteral("SCTP"), QStringLiteral("TCP"), QStringLiteral("UDP")};
    return list;
}

void validateContainerPorts(const QJsonArray& ports, const QString& base, Causes& causes)
{
    QSet<QString> names;
    for (qsizetype i = 0; i < ports.size(); ++i) {
        const QJsonObject port = ports.at(i).toObject();
        const QString path = idx(base, i);
        const QString name = stringField(port, QLatin1String("name"));
        if (!name.isEmpty()) {
            const QStringList errs = portNameErrors(name);
            if (!errs.isEmpty()) {
                for (const QString& msg : errs)
                    av::invalid(path + QStringLiteral(".name"), name, msg, causes);
            } else if (names.contains(name)) {
                av::duplicate(path + QStringLiteral(".name"), name, causes);
            } else {
                names.insert(name);
            }
        }
        const qint64 containerPort = intField(port, QLatin1String("containerPort"));
        if (containerPort == 0) {
            av::required(path + QStringLiteral(".containerPort"), causes);
        } else {
            for (const QString& msg : portNumErrors(containerPort))
                av::invalid(path + QStringLiteral(".containerPort"), containerPort, msg, causes);
        }
        const qint64 hostPort = intField(port, QLatin1String("hostPort"));
        if (hostPort != 0) {
            for (const QString& msg : portNumErrors(hostPort))
                av::invalid(path + QStringLiteral(".hostPort"), hostPort, msg, causes);
        }
        const QString protocol = stringField(port, QLatin1String("protocol"));
        if (protocol.isEmpty())
            av::required(path + QStringLiteral(".protocol"), causes);
        else if (!protocols().contains(protocol))
            av::notSupported(path + QStringLiteral(".protocol"), protocol, protocols(), causes);
    }
}

void validateKeySelector(const QJsonObject& selector, const QString& path, Causes& causes)
{
    if (stringField(selector, QLatin1String("name")).isEmpty())
        av::required(path + QStringLiteral(".name"), causes);
    const QString k = stringField(selector, QLatin1String("key"));
    if (k.isEmpty()) {
        av::required(path + QStringLiteral(".key"), causes);
    } else {
        for (const QString& msg : configMapKeyErrors(k))
            av::invalid(path + QStringLiteral(".key"), k, msg, causes);
    }
}

void validateFieldRef(const QJsonObject& fieldRef, const QString& path, Causes& causes)
{
    static const QStringList expressions{QStringLiteral("metadata.name"),
                                         QStringLiteral("metadata.namespace"),
                                         QStringLiteral("metadata.uid"),
                                         QStringLiteral("spec.nodeName"),
                                         QStringLiteral("spec.serviceAccountName"),
                                         QStringLiteral("status.hostIP"),
                                         QStringLiteral("status.hostIPs"),
                                         QStringLiteral("status.podIP"),
                                         QStringLiteral("status.podIPs")};
    if (stringField(fieldRef, QLatin1String("apiVersion")).isEmpty()) {
        av::required(path + QStringLiteral(".apiVersion"), causes);
        return;
    }
    const QString fieldPath = stringField(fieldRef, QLatin1String("fieldPath"));
    if (fieldPath.isEmpty()) {
        av::required(path + QStringLiteral(".fieldPath"), causes);
        return;
    }
    static const QRegularExpression subscripted(QStringLiteral("^([^\\[]+)\\['(.*)'\\]$"));
    const QRegularExpressionMatch m = subscripted.match(fieldPath);
    if (m.hasMatch()) {
        const QString base = m.captured(1);
        const QString subscript = m.captured(2);
        if (base == QLatin1String("metadata.annotations"))
            av::qualifiedName(subscript.toLower(), path, causes);
        else if (base == QLatin1String("metadata.labels"))
            av::qualifiedName(subscript, path, causes);
        else
            av::invalid(path, base, QStringLiteral("does not support subscript"), causes);
    } else if (!expressions.contains(fieldPath)) {
        av::notSupported(path + QStringLiteral(".fieldPath"), fieldPath, expressions, causes);
    }
}

void validateEnv(const QJsonArray& env, const QString& base, Causes& causes)
{
    for (qsizetype i = 0; i < env.size(); ++i) {
        const QJsonObject var = env.at(i).toObject();
        const QString path = idx(base, i);
        const QString name = stringField(var, QLatin1String("name"));
        if (name.isEmpty())
            av::required(path + QStringLiteral(".name"), causes);
        for (const QString& msg : envVarNameErrors(name))
            av::invalid(path + QStringLiteral(".name"), name, msg, causes);
        if (!var.value(QLatin1String("valueFrom")).isObject())
            continue;
        const QJsonObject from = objectField(var, QLatin1String("valueFrom"));
        const QString fromPath = path + QStringLiteral(".valueFrom");
        int sources = 0;
        if (from.value(QLatin1String("fieldRef")).isObject()) {
            ++sources;
            validateFieldRef(objectField(from, QLatin1String("fieldRef")), fromPath + QStringLiteral(".fieldRef"),
                             causes);
        }
        if (from.value(QLatin1String("resourceFieldRef")).isObject()) {
            ++sources;
            const QJsonObject ref = objectField(from, QLatin1String("resourceFieldRef"));
            if (stringField(ref, QLatin1String("resource")).isEmpty())
                av::required(fromPath + QStringLiteral(".resourceFieldRef.resource"), causes);
        }
        if (from.value(QLatin1String("configMapKeyRef")).isObject()) {
            ++sources;
            validateKeySelector(objectField(from, QLatin1String("configMapKeyRef")),
                                fromPath + QStringLiteral(".configMapKeyRef"), causes);
        }
        if (from.value(QLatin1String("secretKeyRef")).isObject()) {
            ++sources;
            validateKeySelector(objectField(from, QLatin1String("secretKeyRef")),
                                fromPath + QStringLiteral(".secretKeyRef"), causes);
        }
        if (sources == 0)
            av::invalid(fromPath, QString(),
                        QStringLiteral("must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
                                       "`secretKeyRef`"),
                        causes);
        else if (!stringField(var, QLatin1String("value")).isEmpty())
            av::invalid(fromPath, QString(), QStringLiteral("may not be specified when `value` is not empty"), causes);
        else if (sources > 1)
            av::invalid(fromPath, QString(), QStringLiteral("may not have more than one field specified at a time"),
                        causes);
    }
}

void validateVolumeMounts(const QJsonArray& mounts, const QSet<QString>& volumes, const QString& base, Causes& causes)
{
    QSet<QString> mountPoints;
    for (qsizetype i = 0; i < mounts.size(); ++i) {
        const QJsonObject mount = mounts.at(i).toObject();
        const QString path = idx(base, i);
        const QString name = stringField(mount, QLatin1String("name"));
        if (name.isEmpty())
            av::required(path + QStringLiteral(".name"), causes);
        if (!volumes.contains(name))
            notFound(path + QStringLiteral(".name"), name, causes);
        const QString mountPath = stringField(mount, QLatin1String("mountPath"));
        if (mountPath.isEmpty())
            av::required(path + QStringLiteral(".mountPath"), causes);
        if (mountPoints.contains(mountPath))
            av::invalid(path + QStringLiteral(".mountPath"), mountPath, QStringLiteral("must be unique"), causes);
        mountPoints.insert(mountPath);
    }
}

bool isStandardContainerResource(const QString& name)
{
    return name == QLatin1String("cpu") || name == QLatin1String("memory") ||
           name == QLatin1String("ephemeral-storage") || name.startsWith(QLatin1String("hugepages-"));
}

bool isNativeResource(const QString& name)
{
    return !name.contains(QLatin1Char('/')) || name.contains(QLatin1String("kubernetes.io/"));
}

bool isOvercommitAllowed(const QString& name)
{
    return isNativeResource(name) && !name.startsWith(QLatin1String("hugepages-"));
}

void validateResourceList(const QJsonObject& list,
                          const QString& base,
                          QHash<QString, api::Quantity>& parsed,
                          Causes& causes)
{
    for (auto it = list.begin(); it != list.end(); ++it) {
        const QString path = key(base, it.key());
        for (const QString& msg : av::qualifiedNameErrors(it.key()))
            av::invalid(path, it.key(), msg, causes);
        if (!it.key().contains(QLatin1Char('/')) && !isStandardContainerResource(it.key()))
            av::invalid(path, it.key(), QStringLiteral("must be a standard resource for containers"), causes);
        const Result<api::Quantity> q = api::Quantity::fromJson(it.value());
        if (!q.ok()) {
            av::invalid(path, it.value(), kQuantityRegexError, causes);
            continue;
        }
        if (q.value() < api::Quantity())
            av::invalid(path, q.value().toString(), QStringLiteral("must be greater than or equal to 0"), causes);
        parsed.insert(it.key(), q.value());
    }
}

void validateResources(const QJsonObject& resources, const QString& base, Causes& causes)
{
    const QString limPath = base + QStringLiteral(".limits");
    const QString reqPath = base + QStringLiteral(".requests");
    QHash<QString, api::Quantity> limits;
    QHash<QString, api::Quantity> requests;
    validateResourceList(objectField(resources, QLatin1String("limits")), limPath, limits, causes);
    const QJsonObject requestList = objectField(resources, QLatin1String("requests"));
    for (auto it = requestList.begin(); it != requestList.end(); ++it) {
        QHash<QString, api::Quantity> one;
        validateResourceList(QJsonObject{{it.key(), it.value()}}, reqPath, one, causes);
        if (!one.contains(it.key()))
            continue;
        const api::Quantity request = one.value(it.key());
        requests.insert(it.key(), request);
        if (limits.contains(it.key())) {
            const api::Quantity limit = limits.value(it.key());
            if (!(request == limit) && !isOvercommitAllowed(it.key()))
                av::invalid(reqPath, request.toString(),
                            QStringLiteral("must be equal to %1 limit of %2").arg(it.key(), limit.toString()), causes);
            else if (request > limit)
                av::invalid(
                    reqPath, request.toString(),
                    QStringLiteral("must be less than or equal to %1 limit of %2").arg(it.key(), limit.toString()),
                    causes);
        } else if (!isOvercommitAllowed(it.key()) &&
                   !objectField(resources, QLatin1String("limits")).contains(it.key())) {
            requiredWithDetail(limPath, QStringLiteral("Limit must be set for non overcommitable resources"), causes);
        }
    }
}

void validatePullPolicy(const QString& policy, const QString& path, Causes& causes)
{
    static const QStringList allowed{QStringLiteral("Always"), QStringLiteral("IfNotPresent"), QStringLiteral("Never")};
    if (policy.isEmpty())
        av::required(path, causes);
    else if (!allowed.contains(policy))
        av::notSupported(path, policy, allowed, causes);
}

int handlerCount(const QJsonObject& handler)
{
    int count = 0;
    for (const QLatin1String k : {QLatin1String("exec"), QLatin1String("httpGet"), QLatin1String("tcpSocket"),
                                  QLatin1String("grpc"), QLatin1String("sleep")}) {
        if (hasField(handler, k))
            ++count;
    }
    return count;
}

void validateHandler(const QJsonObject& handler, const QString& path, Causes& causes)
{
    const int count = handlerCount(handler);
    if (count == 0)
        requiredWithDetail(path, QStringLiteral("must specify a handler type"), causes);
    else if (count > 1)
        av::forbidden(path, QStringLiteral("may not specify more than 1 handler type"), causes);
}

void validateProbes(const QJsonObject& c, const QString& path, bool allowed, Causes& causes)
{
    for (const QLatin1String probeKey :
         {QLatin1String("livenessProbe"), QLatin1String("readinessProbe"), QLatin1String("startupProbe")}) {
        if (!c.value(probeKey).isObject())
            continue;
        const QString probePath = path + QLatin1Char('.') + probeKey;
        if (!allowed) {
            av::forbidden(probePath, QStringLiteral("may not be set for init containers without restartPolicy=Always"),
                          causes);
            continue;
        }
        const QJsonObject probe = objectField(c, probeKey);
        validateHandler(probe, probePath, causes);
        const qint64 success = intField(probe, QLatin1String("successThreshold"));
        if (probeKey != QLatin1String("readinessProbe") && success != 1)
            av::invalid(probePath + QStringLiteral(".successThreshold"), success, QStringLiteral("must be 1"), causes);
    }
    if (c.value(QLatin1String("lifecycle")).isObject()) {
        const QString lifecyclePath = path + QStringLiteral(".lifecycle");
        if (!allowed) {
            av::forbidden(lifecyclePath,
                          QStringLiteral("may not be set for init containers without restartPolicy=Always"), causes);
            return;
        }
        const QJsonObject lifecycle = objectField(c, QLatin1String("lifecycle"));
        for (const QLatin1String hook : {QLatin1String("postStart"), QLatin1String("preStop")}) {
            if (lifecycle.value(hook).isObject())
                validateHandler(objectField(lifecycle, hook), lifecyclePath + QLatin1Char('.') + hook, causes);
        }
    }
}

// validateContainerCommon
void validateContainerCommon(const QJsonObject& c, const QSet<QString>& volumes, const QString& path, Causes& causes)
{
    const QString name = stringField(c, QLatin1String("name"));
    if (name.isEmpty())
        av::required(path + QStringLiteral(".name"), causes);
    else
        av::dns1123Label(name, path + QStringLiteral(".name"), causes);
    if (stringField(c, QLatin1String("image")).isEmpty())
        av::required(path + QStringLiteral(".image"), causes);
    const QString policy = stringField(c, QLatin1String("terminationMessagePolicy"));
    static const QStringList policies{QStringLiteral("File"), QStringLiteral("FallbackToLogsOnError")};
    if (policy.isEmpty())
        av::required(path + QStringLiteral(".terminationMessagePolicy"), causes);
    else if (!policies.contains(policy))
        av::notSupported(path + QStringLiteral(".terminationMessagePolicy"), policy, policies, causes);
    validateContainerPorts(arrayField(c, QLatin1String("ports")), path + QStringLiteral(".ports"), causes);
    validateEnv(arrayField(c, QLatin1String("env")), path + QStringLiteral(".env"), causes);
    validateVolumeMounts(arrayField(c, QLatin1String("volumeMounts")), volumes, path + QStringLiteral(".volumeMounts"),
                         causes);
    validatePullPolicy(stringField(c, QLatin1String("imagePullPolicy")), path + QStringLiteral(".imagePullPolicy"),
                       causes);
    validateResources(objectField(c, QLatin1String("resources")), path + QStringLiteral(".resources"), causes);
}

QSet<QString> validateVolumes(const QJsonArray& volumes, Causes& causes)
{
    const QList<QLatin1String>& kSources = volumeSourceFields();
    QSet<QString> names;
    for (qsizetype i = 0; i < volumes.size(); ++i) {
        const QJsonObject volume = volumes.at(i).toObject();
        const QString path = idx(QStringLiteral("spec.volumes"), i);
        Causes el;
        int sources = 0;
        for (const QLatin1String source : kSources) {
            if (hasField(volume, source))
                ++sources;
        }
        if (sources == 0)
            requiredWithDetail(path, QStringLiteral("must specify a volume type"), el);
        else if (sources > 1)
            av::forbidden(path, QStringLiteral("may not specify more than 1 volume type"), el);
        const auto requireName = [&](QLatin1String sourceKey, QLatin1String nameKey) {
            if (volume.value(sourceKey).isObject() && stringField(objectField(volume, sourceKey), nameKey).isEmpty())
                av::required(path + QLatin1Char('.') + sourceKey + QLatin1Char('.') + nameKey, el);
        };
        requireName(QLatin1String("configMap"), QLatin1String("name"));
        requireName(QLatin1String("secret"), QLatin1String("secretName"));
        requireName(QLatin1String("hostPath"), QLatin1String("path"));
        requireName(QLatin1String("persistentVolumeClaim"), QLatin1String("claimName"));
        const QString name = stringField(volume, QLatin1String("name"));
        if (name.isEmpty())
            av::required(path + QStringLiteral(".name"), el);
        else
            av::dns1123Label(name, path + QStringLiteral(".name"), el);
        if (names.contains(name))
            av::duplicate(path + QStringLiteral(".name"), name, el);
        if (el.isEmpty())
            names.insert(name);
        else
            causes.append(el);
    }
    return names;
}

void validateTolerations(const QJsonArray& tolerations, const QString& base, Causes& causes)
{
    static const QStringList effects{QStringLiteral("NoSchedule"), QStringLiteral("PreferNoSchedule"),
                                     QStringLiteral("NoExecute")};
    for (qsizetype i = 0; i < tolerations.size(); ++i) {
        const QJsonObject t = tolerations.at(i).toObject();
        const QString path = idx(base, i);
        const QString k = stringField(t, QLatin1String("key"));
        const QString op = stringField(t, QLatin1String("operator"));
        const QString effect = stringField(t, QLatin1String("effect"));
        const QString value = stringField(t, QLatin1String("value"));
        if (!k.isEmpty())
            av::qualifiedName(k, path + QStringLiteral(".key"), causes);
        if (k.isEmpty() && op != QLatin1String("Exists"))
            av::invalid(path + QStringLiteral(".operator"), op,
                        QStringLiteral("operator must be Exists when `key` is empty, which means \"match all values "
                                       "and all keys\""),
                        causes);
        if (hasField(t, QLatin1String("tolerationSeconds")) && effect != QLatin1String("NoExecute"))
            av::invalid(path + QStringLiteral(".effect"), effect,
                        QStringLiteral("effect must be 'NoExecute' when `tolerationSeconds` is set"), causes);
        if (op.isEmpty() || op == QLatin1String("Equal")) {
            const QStringList errs = av::labelValueErrors(value);
            if (!errs.isEmpty())
                av::invalid(path + QStringLiteral(".operator"), value, errs.join(QLatin1Char(';')), causes);
        } else if (op == QLatin1String("Exists")) {
            if (!value.isEmpty())
                av::invalid(path + QStringLiteral(".operator"), t,
                            QStringLiteral("value must be empty when `operator` is 'Exists'"), causes);
        } else {
            av::notSupported(path + QStringLiteral(".operator"), op,
                             {QStringLiteral("Equal"), QStringLiteral("Exists")}, causes);
        }
        if (!effect.isEmpty() && !effects.contains(effect))
            av::notSupported(path + QStringLiteral(".effect"), effect, effects, causes);
    }
}

void validateLabelMap(const QJsonObject& map, const QString& path, Causes& causes)
{
    for (auto it = map.begin(); it != map.end(); ++it) {
        av::qualifiedName(it.key(), path, causes);
        av::labelValue(it.value().toString(), path, causes);
    }
}

void validatePodSpec(const QJsonObject& spec, Causes& causes)
{
    const QSet<QString> volumes = validateVolumes(arrayField(spec, QLatin1String("volumes")), causes);

    // validateContainers
    const QJsonArray containers = arrayField(spec, QLatin1String("containers"));
    QSet<QString> names;
    if (containers.isEmpty()) {
        av::required(QStringLiteral("spec.containers"), causes);
    } else {
        for (qsizetype i = 0; i < containers.size(); ++i) {
            const QJsonObject c = containers.at(i).toObject();
            const QString path = idx(QStringLiteral("spec.containers"), i);
            validateContainerCommon(c, volumes, path, causes);
            const QString name = stringField(c, QLatin1String("name"));
            if (names.contains(name))
                av::duplicate(path + QStringLiteral(".name"), name, causes);
            else
                names.insert(name);
            validateProbes(c, path, true, causes);
            if (hasField(c, QLatin1String("restartPolicy")))
                av::forbidden(path + QStringLiteral(".restartPolicy"),
                              QStringLiteral("may not be set for non-init containers"), causes);
        }
    }

    // validateInitContainers
    const QJsonArray initContainers = arrayField(spec, QLatin1String("initContainers"));
    for (qsizetype i = 0; i < initContainers.size(); ++i) {
        const QJsonObject c = initContainers.at(i).toObject();
        const QString path = idx(QStringLiteral("spec.initContainers"), i);
        validateContainerCommon(c, volumes, path, causes);
        const QString name = stringField(c, QLatin1String("name"));
        if (names.contains(name))
            av::duplicate(path + QStringLiteral(".name"), name, causes);
        else
            names.insert(name);
        const QString restartPolicy = stringField(c, QLatin1String("restartPolicy"));
        if (hasField(c, QLatin1String("restartPolicy")) && restartPolicy != QLatin1String("Always"))
            av::notSupported(path + QStringLiteral(".restartPolicy"), restartPolicy, {QStringLiteral("Always")},
                             causes);
        validateProbes(c, path, restartPolicy == QLatin1String("Always"), causes);
    }

    const QString restartPolicy = stringField(spec, QLatin1String("restartPolicy"));
    static const QStringList restartPolicies{QStringLiteral("Always"), QStringLiteral("OnFailure"),
                                             QStringLiteral("Never")};
    if (restartPolicy.isEmpty())
        av::required(QStringLiteral("spec.restartPolicy"), causes);
    else if (!restartPolicies.contains(restartPolicy))
        av::notSupported(QStringLiteral("spec.restartPolicy"), restartPolicy, restartPolicies, causes);

    const QString dnsPolicy = stringField(spec, QLatin1String("dnsPolicy"));
    static const QStringList dnsPolicies{QStringLiteral("ClusterFirstWithHostNet"), QStringLiteral("ClusterFirst"),
                                         QStringLiteral("Default"), QStringLiteral("None")};
    if (dnsPolicy.isEmpty())
        av::required(QStringLiteral("spec.dnsPolicy"), causes);
    else if (!dnsPolicies.contains(dnsPolicy))
        av::notSupported(QStringLiteral("spec.dnsPolicy"), dnsPolicy, dnsPolicies, causes);

    validateLabelMap(objectField(spec, QLatin1String("nodeSelector")), QStringLiteral("spec.nodeSelector"), causes);

    if (dnsPolicy == QLatin1String("None") && !spec.value(QLatin1String("dnsConfig")).isObject())
        requiredWithDetail(QStringLiteral("spec.dnsConfig"),
                           QStringLiteral("must provide `dnsConfig` when `dnsPolicy` is None"), causes);

    const QString serviceAccount = stringField(spec, QLatin1String("serviceAccountName"));
    if (!serviceAccount.isEmpty()) {
        for (const QString& msg : av::dns1123SubdomainErrors(serviceAccount))
            av::invalid(QStringLiteral("spec.serviceAccountName"), serviceAccount, msg, causes);
    }
    const QString nodeName = stringField(spec, QLatin1String("nodeName"));
    if (!nodeName.isEmpty()) {
        for (const QString& msg : av::dns1123SubdomainErrors(nodeName))
            av::invalid(QStringLiteral("spec.nodeName"), nodeName, msg, causes);
    }
    if (hasField(spec, QLatin1String("activeDeadlineSeconds"))) {
        const qint64 value = intField(spec, QLatin1String("activeDeadlineSeconds"));
        if (value < 1 || value > std::numeric_limits<qint32>::max())
            av::invalid(QStringLiteral("spec.activeDeadlineSeconds"), value,
                        QStringLiteral("must be between 1 and 2147483647, inclusive"), causes);
    }
    const QString hostname = stringField(spec, QLatin1String("hostname"));
    if (!hostname.isEmpty())
        av::dns1123Label(hostname, QStringLiteral("spec.hostname"), causes);
    const QString subdomain = stringField(spec, QLatin1String("subdomain"));
    if (!subdomain.isEmpty())
        av::dns1123Label(subdomain, QStringLiteral("spec.subdomain"), causes);
    validateTolerations(arrayField(spec, QLatin1String("tolerations")), QStringLiteral("spec.tolerations"), causes);
    const QString preemption = stringField(spec, QLatin1String("preemptionPolicy"));
    static const QStringList preemptionPolicies{QStringLiteral("Never"), QStringLiteral("PreemptLowerPriority")};
    if (hasField(spec, QLatin1String("preemptionPolicy")) && !preemptionPolicies.contains(preemption))
        av::notSupported(QStringLiteral("spec.preemptionPolicy"), preemption, preemptionPolicies, causes);
}

// Go's Semantic.DeepEqual treats nil and empty slices and maps alike; JSON nulls are absent fields.
QJsonValue normalized(const QJsonValue& value)
{
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it) {
            const QJsonValue v = normalized(it.value());
            if (v.isNull() || v.isUndefined() || (v.isArray() && v.toArray().isEmpty()))
                continue;
            out.insert(it.key(), v);
        }
        return out;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue& v : value.toArray())
            out.append(normalized(v));
        return out;
    }
    return value;
}

QString diffValue(const QJsonValue& value)
{
    if (value.isUndefined() || value.isNull())
        return QStringLiteral("nil");
    if (value.isString())
        return av::goQuote(value.toString());
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return av::formatBadValue(value);
}

// A short diff in go-cmp's layout, one line per changed spec field.
QString specDiff(const QJsonObject& oldSpec, const QJsonObject& newSpec)
{
    QStringList keys = oldSpec.keys();
    for (const QString& k : newSpec.keys()) {
        if (!keys.contains(k))
            keys.append(k);
    }
    keys.sort();
    QString out = QStringLiteral("  core.PodSpec{\n");
    for (const QString& k : keys) {
        const QJsonValue before = oldSpec.value(k);
        const QJsonValue after = newSpec.value(k);
        if (before == after)
            continue;
        const QString field = k.left(1).toUpper() + k.mid(1);
        out += QStringLiteral("- \t") + field + QStringLiteral(": ") + diffValue(before) + QStringLiteral(",\n");
        out += QStringLiteral("+ \t") + field + QStringLiteral(": ") + diffValue(after) + QStringLiteral(",\n");
    }
    out += QStringLiteral("  }\n");
    return out;
}

QJsonArray withImagesFrom(QJsonArray containers, const QJsonArray& old)
{
    for (qsizetype i = 0; i < containers.size() && i < old.size(); ++i) {
        QJsonObject c = containers.at(i).toObject();
        c.insert(QLatin1String("image"), old.at(i).toObject().value(QLatin1String("image")));
        containers[i] = c;
    }
    return containers;
}

bool validateContainerUpdates(const QJsonArray& now, const QJsonArray& before, const QString& path, Causes& causes)
{
    if (now.size() != before.size()) {
        av::forbidden(path, QStringLiteral("pod updates may not add or remove containers"), causes);
        return false;
    }
    for (qsizetype i = 0; i < now.size(); ++i) {
        const QString image = stringField(now.at(i).toObject(), QLatin1String("image"));
        if (image.isEmpty())
            av::required(idx(path, i) + QStringLiteral(".image"), causes);
        if (image.trimmed().size() != image.size())
            av::invalid(idx(path, i) + QStringLiteral(".image"), image,
                        QStringLiteral("must not have leading or trailing whitespace"), causes);
    }
    return true;
}

void validatePodUpdate(const QJsonObject& pod, const QJsonObject& old, Causes& causes)
{
    const QJsonObject spec = objectField(pod, QLatin1String("spec"));
    const QJsonObject oldSpec = objectField(old, QLatin1String("spec"));
    if (!validateContainerUpdates(arrayField(spec, QLatin1String("containers")),
                                  arrayField(oldSpec, QLatin1String("containers")), QStringLiteral("spec.containers"),
                                  causes))
        return;
    if (!validateContainerUpdates(arrayField(spec, QLatin1String("initContainers")),
                                  arrayField(oldSpec, QLatin1String("initContainers")),
                                  QStringLiteral("spec.initContainers"), causes))
        return;

    const QLatin1String deadlineKey("activeDeadlineSeconds");
    if (hasField(spec, deadlineKey)) {
        const qint64 deadline = intField(spec, deadlineKey);
        if (deadline < 0 || deadline > std::numeric_limits<qint32>::max()) {
            av::invalid(QStringLiteral("spec.activeDeadlineSeconds"), deadline,
                        QStringLiteral("must be between 0 and 2147483647, inclusive"), causes);
            return;
        }
        if (hasField(oldSpec, deadlineKey) && intField(oldSpec, deadlineKey) < deadline) {
            av::invalid(QStringLiteral("spec.activeDeadlineSeconds"), deadline,
                        QStringLiteral("must be less than or equal to previous value"), causes);
            return;
        }
    } else if (hasField(oldSpec, deadlineKey)) {
        av::invalid(QStringLiteral("spec.activeDeadlineSeconds"), QJsonValue::Null,
                    QStringLiteral("must not update from a positive integer to nil value"), causes);
    }

    // validateOnlyAddedTolerations: every old toleration must still be there (tolerationSeconds may change).
    const QJsonArray tolerations = arrayField(spec, QLatin1String("tolerations"));
    for (const QJsonValue& oldValue : arrayField(oldSpec, QLatin1String("tolerations"))) {
        QJsonObject oldToleration = oldValue.toObject();
        bool found = false;
        for (const QJsonValue& value : tolerations) {
            const QJsonObject t = value.toObject();
            QJsonObject candidate = oldToleration;
            candidate.remove(QLatin1String("tolerationSeconds"));
            if (t.contains(QLatin1String("tolerationSeconds")))
                candidate.insert(QLatin1String("tolerationSeconds"), t.value(QLatin1String("tolerationSeconds")));
            if (normalized(candidate) == normalized(t)) {
                found = true;
                break;
            }
        }
        if (!found) {
            av::forbidden(QStringLiteral("spec.tolerations"),
                          QStringLiteral("existing toleration can not be modified except its tolerationSeconds"),
                          causes);
            break;
        }
    }

    // validateOnlyDeletedSchedulingGates
    const QJsonArray gates = arrayField(spec, QLatin1String("schedulingGates"));
    const QJsonArray oldGates = arrayField(oldSpec, QLatin1String("schedulingGates"));
    for (const QJsonValue& gate : gates) {
        if (!oldGates.contains(gate)) {
            av::forbidden(QStringLiteral("spec.schedulingGates"),
                          QStringLiteral("only deletion is allowed, but found new scheduling gate '%1'")
                              .arg(stringField(gate.toObject(), QLatin1String("name"))),
                          causes);
            break;
        }
    }

    const QJsonObject normalizedOld = normalized(oldSpec).toObject();
    if (normalized(spec).toObject() == normalizedOld)
        return;

    QJsonObject munged = spec;
    munged.insert(QLatin1String("containers"), withImagesFrom(arrayField(spec, QLatin1String("containers")),
                                                              arrayField(oldSpec, QLatin1String("containers"))));
    if (spec.contains(QLatin1String("initContainers")))
        munged.insert(QLatin1String("initContainers"),
                      withImagesFrom(arrayField(spec, QLatin1String("initContainers")),
                                     arrayField(oldSpec, QLatin1String("initContainers"))));
    for (const QLatin1String k : {deadlineKey, QLatin1String("schedulingGates"), QLatin1String("tolerations")}) {
        if (oldSpec.contains(k))
            munged.insert(k, oldSpec.value(k));
        else
            munged.remove(k);
    }
    const QLatin1String graceKey("terminationGracePeriodSeconds");
    if (hasField(oldSpec, graceKey) && intField(oldSpec, graceKey) < 0 && hasField(munged, graceKey) &&
        intField(munged, graceKey) == 1)
        munged.insert(graceKey, oldSpec.value(graceKey));

    const QJsonObject normalizedMunged = normalized(munged).toObject();
    if (normalizedMunged != normalizedOld) {
        av::forbidden(QStringLiteral("spec"),
                      QStringLiteral("pod updates may not change fields other than "
                                     "`spec.containers[*].image`,`spec.initContainers[*].image`,"
                                     "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
                                     "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
                                     "was previously negative)\n") +
                          specDiff(normalizedOld, normalizedMunged),
                      causes);
    }
}

} // namespace

Causes validatePod(const QJsonObject& pod, const QJsonObject* old)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(pod, *old, causes);
    validateObjectMeta(pod, true, NameRule::Dns1123Subdomain, causes);
    const QJsonObject spec = objectField(pod, QLatin1String("spec"));
    validatePodSpec(spec, causes);
    if (old) {
        validatePodUpdate(pod, *old, causes);
    } else {
        if (!arrayField(spec, QLatin1String("ephemeralContainers")).isEmpty())
            av::forbidden(QStringLiteral("spec.ephemeralContainers"), QStringLiteral("cannot be set on create"),
                          causes);
        if (!stringField(spec, QLatin1String("nodeName")).isEmpty() &&
            !arrayField(spec, QLatin1String("schedulingGates")).isEmpty())
            av::forbidden(QStringLiteral("spec.nodeName"),
                          QStringLiteral("cannot be set until all schedulingGates have been cleared"), causes);
    }
    return causes;
}

} // namespace vk::sandbox::detail
