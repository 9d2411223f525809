// SPDX-License-Identifier: Apache-2.0
#include "kube/GroupVersionResource.h"

#include <QStringList>
#include <QUrl>

namespace vk::kube {

namespace {

GroupVersionResource make(const char* group, const char* version, const char* resource, bool namespaced)
{
    return GroupVersionResource{QString::fromLatin1(group), QString::fromLatin1(version), QString::fromLatin1(resource),
                                namespaced};
}

} // namespace

QString encodePathSegment(const QString& segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

QString GroupVersionResource::apiVersion() const
{
    return group.isEmpty() ? version : group + QLatin1Char('/') + version;
}

QString GroupVersionResource::basePath() const
{
    if (group.isEmpty())
        return QStringLiteral("/api/") + encodePathSegment(version);
    return QStringLiteral("/apis/") + encodePathSegment(group) + QLatin1Char('/') + encodePathSegment(version);
}

QString GroupVersionResource::path(const QString& namespaceName, const QString& name, const QString& subresource) const
{
    QString p = basePath();
    if (namespaced && !namespaceName.isEmpty())
        p += QStringLiteral("/namespaces/") + encodePathSegment(namespaceName);
    p += QLatin1Char('/') + encodePathSegment(resource);
    if (name.isEmpty())
        return p;
    p += QLatin1Char('/') + encodePathSegment(name);
    if (!subresource.isEmpty()) {
        const QStringList parts = subresource.split(QLatin1Char('/'));
        for (const QString& part : parts)
            p += QLatin1Char('/') + encodePathSegment(part);
    }
    return p;
}

QString GroupVersionResource::displayName() const
{
    return group.isEmpty() ? resource : resource + QLatin1Char('.') + group;
}

GroupVersionResource GroupVersionResource::pods()
{
    return make("", "v1", "pods", true);
}
GroupVersionResource GroupVersionResource::nodes()
{
    return make("", "v1", "nodes", false);
}
GroupVersionResource GroupVersionResource::namespaces()
{
    return make("", "v1", "namespaces", false);
}
GroupVersionResource GroupVersionResource::configMaps()
{
    return make("", "v1", "configmaps", true);
}
GroupVersionResource GroupVersionResource::secrets()
{
    return make("", "v1", "secrets", true);
}
GroupVersionResource GroupVersionResource::services()
{
    return make("", "v1", "services", true);
}
GroupVersionResource GroupVersionResource::endpoints()
{
    return make("", "v1", "endpoints", true);
}
GroupVersionResource GroupVersionResource::serviceAccounts()
{
    return make("", "v1", "serviceaccounts", true);
}
GroupVersionResource GroupVersionResource::persistentVolumeClaims()
{
    return make("", "v1", "persistentvolumeclaims", true);
}
GroupVersionResource GroupVersionResource::events()
{
    return make("", "v1", "events", true);
}
GroupVersionResource GroupVersionResource::eventsV1()
{
    return make("events.k8s.io", "v1", "events", true);
}
GroupVersionResource GroupVersionResource::leases()
{
    return make("coordination.k8s.io", "v1", "leases", true);
}

} // namespace vk::kube
