// SPDX-License-Identifier: Apache-2.0
#include "kube/RequestOptions.h"

#include <QJsonArray>
#include <QStringList>
#include <QUrl>

namespace vk::kube {

QUrlQuery ListOptions::toQuery() const
{
    QUrlQuery query;
    if (!labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"), labelSelector);
    if (!fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), fieldSelector);
    if (limit > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (!continueToken.isEmpty())
        query.addQueryItem(QStringLiteral("continue"), continueToken);
    if (!resourceVersion.isEmpty())
        query.addQueryItem(QStringLiteral("resourceVersion"), resourceVersion);
    if (!resourceVersionMatch.isEmpty())
        query.addQueryItem(QStringLiteral("resourceVersionMatch"), resourceVersionMatch);
    if (timeoutSeconds > 0)
        query.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(timeoutSeconds));
    return query;
}

QUrlQuery WatchOptions::toQuery() const
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
    if (!resourceVersion.isEmpty())
        query.addQueryItem(QStringLiteral("resourceVersion"), resourceVersion);
    if (allowWatchBookmarks)
        query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    if (!labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"), labelSelector);
    if (!fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), fieldSelector);
    if (timeoutSeconds > 0)
        query.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(timeoutSeconds));
    return query;
}

QByteArray patchContentType(PatchType type)
{
    switch (type) {
    case PatchType::Merge:
        return QByteArrayLiteral("application/merge-patch+json");
    case PatchType::Strategic:
        return QByteArrayLiteral("application/strategic-merge-patch+json");
    case PatchType::Json:
        return QByteArrayLiteral("application/json-patch+json");
    }
    return QByteArrayLiteral("application/merge-patch+json");
}

QJsonObject DeleteOptions::toJson() const
{
    QJsonObject body{{QStringLiteral("kind"), QStringLiteral("DeleteOptions")},
                     {QStringLiteral("apiVersion"), QStringLiteral("v1")}};
    if (gracePeriodSeconds)
        body.insert(QStringLiteral("gracePeriodSeconds"), *gracePeriodSeconds);
    if (!preconditionUid.isEmpty() || !preconditionResourceVersion.isEmpty()) {
        QJsonObject preconditions;
        if (!preconditionUid.isEmpty())
            preconditions.insert(QStringLiteral("uid"), preconditionUid);
        if (!preconditionResourceVersion.isEmpty())
            preconditions.insert(QStringLiteral("resourceVersion"), preconditionResourceVersion);
        body.insert(QStringLiteral("preconditions"), preconditions);
    }
    if (!propagationPolicy.isEmpty())
        body.insert(QStringLiteral("propagationPolicy"), propagationPolicy);
    if (dryRun)
        body.insert(QStringLiteral("dryRun"), QJsonArray{QStringLiteral("All")});
    return body;
}

QString encodeQuery(const QUrlQuery& query)
{
    QStringList parts;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    parts.reserve(items.size());
    for (const auto& [key, value] : items)
        parts << QString::fromLatin1(QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value));
    return parts.join(QLatin1Char('&'));
}

} // namespace vk::kube
