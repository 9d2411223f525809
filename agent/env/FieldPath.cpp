// SPDX-License-Identifier: Apache-2.0
// Downward API values for env: fieldRef (the kubelet's podFieldSelectorRuntimeValue + fieldpath) and
// resourceFieldRef (pkg/api/v1/resource ExtractContainerResourceValue with defaultPodLimitsForDownwardAPI).
#include "api/Quantity.h"
#include "env/EnvDetail.h"

#include "core/Json.h"

#include <QJsonArray>

#include <algorithm>

namespace vk::env::detail {

namespace {

using json::obj;
using json::str;

bool isGoPrint(char32_t c)
{
    if (c == U' ')
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

/// "metadata.labels['k']" → ("metadata.labels", "k"); nullopt when not subscripted.
std::optional<std::pair<QString, QString>> splitSubscript(const QString& path)
{
    if (!path.endsWith(QLatin1String("']")))
        return std::nullopt;
    const QString s = path.chopped(2);
    const qsizetype open = s.indexOf(QLatin1String("['"));
    if (open <= 0)
        return std::nullopt;
    return std::make_pair(s.left(open), s.mid(open + 2));
}

QString joinAddresses(const QStringList& given, const QJsonObject& status, const char* listKey, const char* oneKey)
{
    if (!given.isEmpty())
        return given.join(QLatin1Char(','));
    QStringList ips;
    for (const auto& v : status.value(QLatin1String(listKey)).toArray())
        ips << v.toObject().value(QLatin1String("ip")).toString();
    if (ips.isEmpty() && !str(status, oneKey).isEmpty())
        ips << str(status, oneKey);
    return ips.join(QLatin1Char(','));
}

qint64 ceilDiv(qint64 a, qint64 b)
{
    if (b <= 0)
        return 0;
    if (a >= 0)
        return (a + b - 1) / b;
    return -((-a) / b);
}

} // namespace

bool isEnvVarName(const QString& name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool alpha =
            (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
        const bool punct = c == QLatin1Char('-') || c == QLatin1Char('.') || c == QLatin1Char('_');
        const bool digit = c >= QLatin1Char('0') && c <= QLatin1Char('9');
        if (!(alpha || punct || (digit && i > 0)))
            return false;
    }
    return true;
}

QString goQuote(const QString& text)
{
    QString out = QStringLiteral("\"");
    const QList<uint> runes = text.toUcs4();
    for (const uint r : runes) {
        switch (r) {
        case '"':
            out += QLatin1String("\\\"");
            continue;
        case '\\':
            out += QLatin1String("\\\\");
            continue;
        case '\a':
            out += QLatin1String("\\a");
            continue;
        case '\b':
            out += QLatin1String("\\b");
            continue;
        case '\f':
            out += QLatin1String("\\f");
            continue;
        case '\n':
            out += QLatin1String("\\n");
            continue;
        case '\r':
            out += QLatin1String("\\r");
            continue;
        case '\t':
            out += QLatin1String("\\t");
            continue;
        case '\v':
            out += QLatin1String("\\v");
            continue;
        default:
            break;
        }
        if (isGoPrint(char32_t(r))) {
            out += QString::fromUcs4(reinterpret_cast<const char32_t*>(&r), 1);
        } else if (r < 0x80) {
            out += QStringLiteral("\\x%1").arg(r, 2, 16, QLatin1Char('0'));
        } else if (r < 0x10000) {
            out += QStringLiteral("\\u%1").arg(r, 4, 16, QLatin1Char('0'));
        } else {
            out += QStringLiteral("\\U%1").arg(r, 8, 16, QLatin1Char('0'));
        }
    }
    out += QLatin1Char('"');
    return out;
}

QString formatMap(const QJsonObject& map)
{
    QStringList lines;
    const QStringList keys = map.keys(); // QJsonObject keys are sorted
    for (const QString& key : keys)
        lines << key + QLatin1Char('=') + goQuote(map.value(key).toString());
    return lines.join(QLatin1Char('\n'));
}

Result<QString> fieldRefValue(const QJsonObject& fieldRef, const QJsonObject& pod, const PodAddresses& addresses)
{
    QString version = str(fieldRef, "apiVersion");
    if (version.isEmpty())
        version = QStringLiteral("v1"); // the API server defaults it
    const QString path = str(fieldRef, "fieldPath");
    if (version != QLatin1String("v1"))
        return Error(ErrorCategory::Invalid, QStringLiteral("unsupported pod version: %1").arg(version));

    const QJsonObject meta = obj(pod, "metadata");
    const QJsonObject spec = obj(pod, "spec");
    const QJsonObject status = obj(pod, "status");

    if (const auto sub = splitSubscript(path)) {
        if (sub->first == QLatin1String("metadata.labels"))
            return obj(meta, "labels").value(sub->second).toString();
        if (sub->first == QLatin1String("metadata.annotations"))
            return obj(meta, "annotations").value(sub->second).toString();
        return Error(ErrorCategory::Invalid, QStringLiteral("field label does not support subscript: %1").arg(path));
    }

    if (path == QLatin1String("metadata.name"))
        return str(meta, "name");
    if (path == QLatin1String("metadata.namespace"))
        return str(meta, "namespace");
    if (path == QLatin1String("metadata.uid"))
        return str(meta, "uid");
    if (path == QLatin1String("metadata.labels"))
        return formatMap(obj(meta, "labels"));
    if (path == QLatin1String("metadata.annotations"))
        return formatMap(obj(meta, "annotations"));
    if (path == QLatin1String("spec.nodeName") || path == QLatin1String("spec.host"))
        return str(spec, "nodeName");
    if (path == QLatin1String("spec.serviceAccountName"))
        return str(spec, "serviceAccountName");
    if (path == QLatin1String("spec.restartPolicy"))
        return str(spec, "restartPolicy");
    if (path == QLatin1String("spec.schedulerName"))
        return str(spec, "schedulerName");
    if (path == QLatin1String("status.podIP")) {
        if (!addresses.podIps.isEmpty())
            return addresses.podIps.first();
        return str(status, "podIP");
    }
    if (path == QLatin1String("status.podIPs"))
        return joinAddresses(addresses.podIps, status, "podIPs", "podIP");
    if (path == QLatin1String("status.hostIP"))
        return addresses.hostIp.isEmpty() ? str(status, "hostIP") : addresses.hostIp;
    if (path == QLatin1String("status.hostIPs"))
        return joinAddresses(addresses.hostIp.isEmpty() ? QStringList() : QStringList{addresses.hostIp}, status,
                             "hostIPs", "hostIP");
    if (path == QLatin1String("status.phase"))
        return Error(ErrorCategory::Unsupported, QStringLiteral("unsupported fieldPath: %1").arg(path));
    return Error(ErrorCategory::Invalid, QStringLiteral("field label not supported: %1").arg(path));
}

Result<QString> resourceFieldRefValue(const QJsonObject& ref,
                                      const QJsonObject& pod,
                                      const QJsonObject& container,
                                      const QJsonObject& nodeAllocatable)
{
    QJsonObject target = container;
    const QString containerName = str(ref, "containerName");
    if (!containerName.isEmpty()) {
        target = {};
        const QJsonObject spec = obj(pod, "spec");
        for (const char* list : {"containers", "initContainers"}) {
            for (const auto& c : spec.value(QLatin1String(list)).toArray()) {
                if (target.isEmpty() && str(c.toObject(), "name") == containerName)
                    target = c.toObject();
            }
        }
        if (target.isEmpty())
            return Error::notFound(QStringLiteral("container %1 not found").arg(containerName));
    }

    api::Quantity divisor = api::Quantity::fromValue(1);
    if (const QJsonValue d = ref.value(QLatin1String("divisor")); !d.isUndefined() && !d.isNull()) {
        auto parsed = api::Quantity::fromJson(d);
        if (!parsed)
            return Error(ErrorCategory::Invalid, QStringLiteral("resourceFieldRef %1: invalid divisor: %2")
                                                     .arg(str(ref, "resource"), parsed.error().message()));
        if (!parsed->isZero())
            divisor = parsed.value();
    }

    const QJsonObject resources = obj(target, "resources");
    const QJsonObject limits = obj(resources, "limits");
    const QJsonObject requests = obj(resources, "requests");
    const QString resource = str(ref, "resource");
    const qsizetype dot = resource.indexOf(QLatin1Char('.'));
    const QString section = resource.left(dot);
    const QString name = dot < 0 ? QString() : resource.mid(dot + 1);
    const bool standard =
        name == QLatin1String("cpu") || name == QLatin1String("memory") || name == QLatin1String("ephemeral-storage");
    const bool hugePages = name.startsWith(QLatin1String("hugepages-"));
    if (dot < 0 || !(section == QLatin1String("limits") || section == QLatin1String("requests")) ||
        !(standard || hugePages))
        return Error(ErrorCategory::Invalid, QStringLiteral("Unsupported container resource : %1").arg(resource));

    auto quantityOf = [](const QJsonObject& list, const QString& key) -> Result<api::Quantity> {
        const QJsonValue v = list.value(key);
        if (v.isUndefined() || v.isNull())
            return api::Quantity();
        return api::Quantity::fromJson(v);
    };

    Result<api::Quantity> q = api::Quantity();
    if (section == QLatin1String("requests")) {
        q = quantityOf(requests, name);
    } else {
        q = quantityOf(limits, name);
        // defaultPodLimitsForDownwardAPI: an unset (or zero) cpu/memory/ephemeral-storage limit reads the node's
        // allocatable; when that is unknown, the request is the best stand-in.
        if (q && q->isZero() && standard) {
            if (nodeAllocatable.contains(name))
                q = quantityOf(nodeAllocatable, name);
            else
                q = quantityOf(requests, name);
        }
    }
    if (!q)
        return Error(ErrorCategory::Invalid,
                     QStringLiteral("resourceFieldRef %1: %2").arg(resource, q.error().message()));

    qint64 result = 0;
    if (name == QLatin1String("cpu"))
        result = ceilDiv(q->milliValue(), divisor.milliValue());
    else
        result = ceilDiv(q->value(), divisor.value());
    return QString::number(result);
}

} // namespace vk::env::detail
