// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace vk::kube {

/// metav1.ListOptions for a list call. Empty fields are not sent.
struct ListOptions
{
    QString labelSelector;        ///< e.g. "app=web,tier!=db"
    QString fieldSelector;        ///< e.g. "spec.nodeName=vk-1"
    int limit = 0;                ///< page size; 0: no paging
    QString continueToken;        ///< metadata.continue of the previous page
    QString resourceVersion;      ///< "" (most recent, quorum read), "0" (any, from cache) or a version
    QString resourceVersionMatch; ///< "", "NotOlderThan" or "Exact"
    int timeoutSeconds = 0;       ///< server-side timeout; 0: not sent

    QUrlQuery toQuery() const;
};

/// What a Watch asks for (GET ...?watch=true).
struct WatchOptions
{
    QString resourceVersion; ///< start after this version; "" means "from the current state" (synthetic ADDs)
    QString labelSelector;
    QString fieldSelector;
    int timeoutSeconds = 0;          ///< server-side end of the watch; 0: not sent (the server picks)
    bool allowWatchBookmarks = true; ///< ask for BOOKMARK events
    /// Client side only: ADDED and MODIFIED events are handed out with their object unparsed until asked for
    /// (WatchEvent::fromTextLazily), for a receiver that often needs only the metadata.
    bool lazyObjects = false;

    QUrlQuery toQuery() const;
};

/// The Content-Type of a PATCH.
enum class PatchType
{
    Merge,     ///< application/merge-patch+json (RFC 7386)
    Strategic, ///< application/strategic-merge-patch+json (built-in kinds only)
    Json,      ///< application/json-patch+json (RFC 6902)
};

QByteArray patchContentType(PatchType type);

/// metav1.DeleteOptions, sent as the body of a DELETE.
struct DeleteOptions
{
    std::optional<qint64> gracePeriodSeconds;
    QString preconditionUid;             ///< preconditions.uid
    QString preconditionResourceVersion; ///< preconditions.resourceVersion
    QString propagationPolicy;           ///< "Orphan", "Background" or "Foreground"; "" leaves the server default
    bool dryRun = false;                 ///< dryRun: ["All"]

    /// {"kind":"DeleteOptions","apiVersion":"v1",...} with only the fields that are set.
    QJsonObject toJson() const;
};

/// Percent-encodes every key and value the way Go's url.Values.Encode does (space as %20), so selectors such as
/// "a=b,c in (x,y)" and opaque continue tokens survive. Items keep their order.
QString encodeQuery(const QUrlQuery& query);

} // namespace vk::kube
