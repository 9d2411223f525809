// SPDX-License-Identifier: Apache-2.0
// Service environment variables, as the kubelet's pkg/kubelet/envvars FromServices makes them.
#include "env/EnvDetail.h"

#include <QJsonArray>

namespace vk::env::detail {

namespace {

QString makeEnvVariableName(const QString& name)
{
    QString out = name;
    out.replace(QLatin1Char('-'), QLatin1Char('_'));
    return out.toUpper();
}

QString joinHostPort(const QString& host, int port)
{
    if (host.contains(QLatin1Char(':')))
        return QLatin1Char('[') + host + QStringLiteral("]:") + QString::number(port);
    return host + QLatin1Char(':') + QString::number(port);
}

} // namespace

bool isServiceIpSet(const QJsonObject& service)
{
    const QString ip = service.value(QLatin1String("spec")).toObject().value(QLatin1String("clusterIP")).toString();
    return !ip.isEmpty() && ip != QLatin1String("None");
}

QList<QPair<QString, QString>> serviceEnvVars(const QList<QJsonObject>& services)
{
    QList<QPair<QString, QString>> result;
    for (const QJsonObject& service : services) {
        if (!isServiceIpSet(service))
            continue;
        const QJsonObject spec = service.value(QLatin1String("spec")).toObject();
        const QString ip = spec.value(QLatin1String("clusterIP")).toString();
        const QJsonArray ports = spec.value(QLatin1String("ports")).toArray();
        const QString prefix = makeEnvVariableName(
            service.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString());

        result.append({prefix + QStringLiteral("_SERVICE_HOST"), ip});
        if (ports.isEmpty())
            continue; // the kubelet would index ports[0]; validation makes this impossible for a ClusterIP service
        const QString portName = prefix + QStringLiteral("_SERVICE_PORT");
        result.append({portName, QString::number(ports.first().toObject().value(QLatin1String("port")).toInt())});
        for (const auto& p : ports) {
            const QJsonObject port = p.toObject();
            const QString name = port.value(QLatin1String("name")).toString();
            if (!name.isEmpty())
                result.append({portName + QLatin1Char('_') + makeEnvVariableName(name),
                               QString::number(port.value(QLatin1String("port")).toInt())});
        }
        // Docker-compatible link variables.
        for (qsizetype i = 0; i < ports.size(); ++i) {
            const QJsonObject port = ports.at(i).toObject();
            QString protocol = port.value(QLatin1String("protocol")).toString();
            if (protocol.isEmpty())
                protocol = QStringLiteral("TCP");
            const int number = port.value(QLatin1String("port")).toInt();
            const QString url = protocol.toLower() + QStringLiteral("://") + joinHostPort(ip, number);
            if (i == 0)
                result.append({prefix + QStringLiteral("_PORT"), url});
            const QString portPrefix =
                prefix + QStringLiteral("_PORT_") + QString::number(number) + QLatin1Char('_') + protocol.toUpper();
            result.append({portPrefix, url});
            result.append({portPrefix + QStringLiteral("_PROTO"), protocol.toLower()});
            result.append({portPrefix + QStringLiteral("_PORT"), QString::number(number)});
            result.append({portPrefix + QStringLiteral("_ADDR"), ip});
        }
    }
    return result;
}

} // namespace vk::env::detail
