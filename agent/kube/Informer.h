// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "kube/Backoff.h"
#include "kube/GroupVersionResource.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <deque>
#include <functional>

namespace vk::kube {

class ApiClient;
class Watch;
struct WatchEvent;

struct InformerOptions
{
    QString namespaceName; ///< empty: all namespaces (or a cluster-scoped resource)
    QString labelSelector;
    QString fieldSelector;
    qint64 resyncPeriodMs = 0;     ///< > 0: re-emit updated(obj, obj) for every cached object this often
    int pageSize = 500;            ///< limit of each page of a (re)list; 0: one unpaged list
    int watchTimeoutSeconds = 0;   ///< timeoutSeconds of each watch; 0: random in [300, 600) s as client-go
    int parsedCacheSize = 128;     ///< recently stored/read objects kept parsed besides their compact JSON
    qint64 initialBackoffMs = 800; ///< reconnect backoff after errors (jittered, doubling)
    qint64 maxBackoffMs = 30000;
};

/// A reflector and indexer for one collection: lists (following pages), then watches from the list's
/// resourceVersion, keeping a local cache of the objects up to date and telling handlers about every change.
///
/// - The last resourceVersion seen in events and bookmarks is tracked; a watch that ends normally (or times out)
///   is resumed from it at once (unless it ended within a second without any event: then it backs off).
/// - 410 Gone (as an HTTP answer or a watch ERROR event) triggers a relist whose result is diffed against the
///   cache: added/updated for what changed, deleted for objects that vanished while we were away.
/// - Other failures (network, server restarts, 5xx, 429) reconnect after a jittered exponential backoff
///   (800 ms doubling to 30 s by default), timed by the client's Clock.
///
/// Keys are "namespace/name", or "name" for cluster-scoped objects. Signals are emitted after the cache has
/// been changed, so handlers can read it. Lives on the client's thread and must not outlive the client.
///
/// The cache keeps each object as compact JSON (a parsed QJsonObject of a pod takes several times its text), plus
/// the parsed form of the most recently stored or read objects (parsedCacheSize), so that the reads a handler makes
/// right after a change cost no parsing; other reads parse.
class Informer : public QObject
{
    Q_OBJECT

public:
    using IndexFunc = std::function<QStringList(const QJsonObject&)>;

    Informer(ApiClient* client, GroupVersionResource gvr, QObject* parent = nullptr);
    Informer(ApiClient* client, GroupVersionResource gvr, InformerOptions options, QObject* parent = nullptr);
    ~Informer() override;

    /// Starts listing and watching. Does nothing while running.
    void start();
    /// Stops watching and retrying. The cache is kept; a later start() relists and diffs against it.
    void stop();
    bool isRunning() const { return m_running; }
    /// Whether a watch stream is open or being opened (false while listing or waiting to retry).
    bool isWatching() const;

    /// True once the first list has been applied to the cache (synced() was emitted).
    bool hasSynced() const { return m_synced; }

    /// The cached object with this key, or an empty object.
    QJsonObject get(const QString& key) const;
    /// The cached object with this key as compact JSON, or empty bytes.
    QByteArray getJson(const QString& key) const { return m_items.value(key).json; }
    bool contains(const QString& key) const { return m_items.contains(key); }
    /// All cached objects, ordered by key.
    QList<QJsonObject> list() const;
    QStringList keys() const { return m_items.keys(); }
    int size() const { return int(m_items.size()); }

    /// Adds (or replaces) an index; existing objects are indexed at once. fn returns the index values of an object.
    void addIndex(const QString& name, IndexFunc fn);
    /// The cached objects whose index `name` has `value`, ordered by key. Empty for an unknown index.
    QList<QJsonObject> byIndex(const QString& name, const QString& value) const;
    QStringList keysByIndex(const QString& name, const QString& value) const;

    /// The resourceVersion the next watch would start from.
    QString lastResourceVersion() const { return m_lastResourceVersion; }
    const GroupVersionResource& resource() const { return m_gvr; }
    const InformerOptions& options() const { return m_options; }

    /// Asked, for each watched change of an object already cached, its key and its cached and new resourceVersion
    /// before the new version is parsed: false stores the new version as received, parses nothing and emits
    /// nothing (a handler that knows what the new version holds: the echo of its own write). Unset, or with an
    /// index (whose values need the object), every change is emitted. Set it before start(): it makes the watches
    /// hand out their objects unparsed until asked for (WatchOptions::lazyObjects).
    using UpdateFilter = std::function<bool(const QString& key, const QString& oldVersion, const QString& newVersion)>;
    void setUpdateFilter(UpdateFilter filter) { m_updateFilter = std::move(filter); }

    /// "namespace/name" or "name".
    static QString keyOf(const QJsonObject& object);
    /// An index function that yields metadata.namespace.
    static IndexFunc namespaceIndex();

Q_SIGNALS:
    void added(const QJsonObject& object);
    void updated(const QJsonObject& oldObject, const QJsonObject& newObject);
    /// The last known state; for objects found missing by a relist, the state before they vanished.
    void deleted(const QJsonObject& object);
    void synced();
    /// A list or watch failed; the informer retries by itself. For logs and status displays.
    void errorOccurred(const vk::Error& error);

private:
    void relist();
    void applyList(const QJsonObject& list, const QList<QByteArray>& itemTexts);
    void startWatch();
    void onWatchEvent(const WatchEvent& event);
    void onWatchFinished(const Status& status);
    void retryLater(void (Informer::*step)());
    void scheduleResync();
    void resync();

    struct Item
    {
        QByteArray json;                         ///< the object, compact
        QString resourceVersion;                 ///< its metadata.resourceVersion
        QHash<QString, QStringList> indexValues; ///< index name → the object's values
    };

    void upsert(const QJsonObject& object, QByteArray json = {});
    void removeKey(const QString& key, const QJsonObject& lastState);
    void storeItem(const QString& key, const QJsonObject& object, QByteArray json);
    void eraseItem(const QString& key);
    static QJsonObject parse(const QByteArray& json);
    void cacheParsed(const QString& key, const QJsonObject& object) const;

    bool skipsUpdate(const WatchEvent& event, const QString& key);

    ApiClient* m_client;
    UpdateFilter m_updateFilter;
    GroupVersionResource m_gvr;
    InformerOptions m_options;
    Clock* m_clock;
    Backoff m_backoff;

    QMap<QString, Item> m_items;
    struct Parsed
    {
        QJsonObject object;
        quint64 serial = 0; ///< matches the m_parsedOrder entry that keeps it
    };
    mutable QHash<QString, Parsed> m_parsed;                       ///< a few items parsed (see parsedCacheSize)
    mutable std::deque<std::pair<QString, quint64>> m_parsedOrder; ///< (key, serial), oldest first; stale ones skipped
    mutable quint64 m_parsedSerial = 0;
    QHash<QString, IndexFunc> m_indexFuncs;
    QHash<QString, QHash<QString, QSet<QString>>> m_indexes; ///< index → value → keys

    QString m_lastResourceVersion;
    QPointer<Watch> m_watch;
    qint64 m_watchStartedMs = 0;
    int m_watchEvents = 0;
    ScheduledCall m_retry;
    ScheduledCall m_resync;
    quint64 m_generation = 0;
    bool m_running = false;
    bool m_synced = false;
};

} // namespace vk::kube
