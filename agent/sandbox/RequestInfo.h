// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace vk::sandbox {

/// What a request path means, as kube-apiserver's RequestInfoFactory decides it.
struct RequestInfo
{
    bool isResourceRequest = false;
    QString path;      ///< the decoded path
    QString verb;      ///< get, list, watch, create, update, patch, delete, deletecollection, proxy, connect
    QString apiPrefix; ///< "api" or "apis"
    QString group;     ///< "" for core
    QString version;   ///< "v1"
    QString namespaceName;
    QString resource; ///< plural, lower-case
    QString name;
    QString subresource;
    QStringList parts;            ///< path segments after the subresource (node proxy paths)
    bool legacyWatchPath = false; ///< /api/v1/watch/...

    /// Parses a method and decoded path (and the watch query flag). Non-resource paths (/version, /api, /apis/g)
    /// come back with isResourceRequest=false.
    static RequestInfo parse(const QByteArray& method, const QString& path, bool watchParam);
};

} // namespace vk::sandbox
