// SPDX-License-Identifier: Apache-2.0
#include "sandbox/RequestInfo.h"

namespace vk::sandbox {

RequestInfo RequestInfo::parse(const QByteArray& method, const QString& path, bool watchParam)
{
    RequestInfo info;
    info.path = path;
    QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (segments.size() < 2)
        return info;
    info.apiPrefix = segments.takeFirst();
    if (info.apiPrefix == QLatin1String("api")) {
        info.version = segments.takeFirst();
    } else if (info.apiPrefix == QLatin1String("apis")) {
        if (segments.size() < 2)
            return info; // /apis/<group>: discovery
        info.group = segments.takeFirst();
        info.version = segments.takeFirst();
    } else {
        return info;
    }
    if (segments.isEmpty())
        return info; // /api/v1, /apis/g/v: discovery
    info.isResourceRequest = true;

    if (segments.first() == QLatin1String("watch")) {
        info.legacyWatchPath = true;
        segments.removeFirst();
    }
    // /namespaces/{ns}/{resource}/... is namespaced, except /namespaces/{name}[/{status|finalize}].
    if (segments.size() >= 2 && segments.first() == QLatin1String("namespaces")) {
        info.namespaceName = segments.at(1);
        const bool namespaceSubresource = segments.size() >= 3 && (segments.at(2) == QLatin1String("status") ||
                                                                   segments.at(2) == QLatin1String("finalize"));
        if (segments.size() >= 3 && !namespaceSubresource)
            segments = segments.mid(2);
    }
    if (segments.isEmpty())
        return info;
    info.resource = segments.at(0);
    if (segments.size() >= 2)
        info.name = segments.at(1);
    if (segments.size() >= 3)
        info.subresource = segments.at(2);
    if (segments.size() >= 4)
        info.parts = segments.mid(3);
    // "namespaces/foo" parsed above as resource "namespaces" with namespaceName foo: the name is the namespace.
    if (info.resource == QLatin1String("namespaces") && info.name.isEmpty() && !info.namespaceName.isEmpty()) {
        info.name = info.namespaceName;
    }
    if (info.resource == QLatin1String("namespaces"))
        info.namespaceName.clear();

    const bool collection = info.name.isEmpty();
    const QByteArray m = method.toUpper();
    if (info.subresource == QLatin1String("proxy") || info.subresource == QLatin1String("log") ||
        info.subresource == QLatin1String("exec") || info.subresource == QLatin1String("attach") ||
        info.subresource == QLatin1String("portforward")) {
        info.verb = (m == "GET" || m == "HEAD") ? QStringLiteral("get") : QStringLiteral("create");
        if (info.subresource == QLatin1String("proxy"))
            info.verb = QStringLiteral("proxy");
        return info;
    }
    if (m == "GET" || m == "HEAD") {
        if (info.legacyWatchPath || watchParam)
            info.verb = QStringLiteral("watch");
        else
            info.verb = collection ? QStringLiteral("list") : QStringLiteral("get");
    } else if (m == "POST") {
        info.verb = QStringLiteral("create");
    } else if (m == "PUT") {
        info.verb = QStringLiteral("update");
    } else if (m == "PATCH") {
        info.verb = QStringLiteral("patch");
    } else if (m == "DELETE") {
        info.verb = collection ? QStringLiteral("deletecollection") : QStringLiteral("delete");
    } else {
        info.verb = QString::fromLatin1(m).toLower();
    }
    return info;
}

} // namespace vk::sandbox
