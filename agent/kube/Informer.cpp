// SPDX-License-Identifier: Apache-2.0
#include "kube/Informer.h"

#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kube/Logging.h"
#include "kube/Watch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>

namespace vk::kube {

namespace {

QString metadataString(const QJsonObject& object, const char* field)
{
    return json::at(object, {QLatin1String("metadata"), QLatin1String(field)}).toString();
}

/// "namespace/name" or "name", from an object's metadata.
QString keyOfMetadata(const QJsonObject& metadata)
{
    const QString name = metadata.value(QLatin1String("name")).toString();
    const QString ns = metadata.value(QLatin1String("namespace")).toString();
    return ns.isEmpty() ? name : ns + QLatin1Char('/') + name;
}

} // namespace

Informer::Informer(ApiClient* client, GroupVersionResource gvr, QObject* parent)
    : Informer(client, std::move(gvr), InformerOptions{}, parent)
{}

Informer::Informer(ApiClient* client, GroupVersionResource gvr, InformerOptions options, QObject* parent)
    : QObject(parent), m_client(client), m_gvr(std::move(gvr)), m_options(std::move(options)),
      m_clock(client->options().clock), m_backoff(m_options.initialBackoffMs, m_options.maxBackoffMs)
{}

Informer::~Informer()
{
    m_retry.cancel();
    m_resync.cancel();
}

QString Informer::keyOf(const QJsonObject& object)
{
    return keyOfMetadata(object.value(QLatin1String("metadata")).toObject());
}

Informer::IndexFunc Informer::namespaceIndex()
{
    return [](const QJsonObject& object) {
        const QString ns = metadataString(object, "namespace");
        return ns.isEmpty() ? QStringList() : QStringList{ns};
    };
}

QJsonObject Informer::parse(const QByteArray& json)
{
    return json.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(json).object();
}

void Informer::cacheParsed(const QString& key, const QJsonObject& object) const
{
    if (m_options.parsedCacheSize <= 0)
        return;
    // First in, first out (a store, or a read that had to parse, puts the key in again): each insertion appends
    // (key, serial); older entries of the key go stale and are skipped when they reach the front.
    const quint64 serial = ++m_parsedSerial;
    m_parsed.insert(key, Parsed{object, serial});
    m_parsedOrder.emplace_back(key, serial);
    while (m_parsed.size() > m_options.parsedCacheSize && !m_parsedOrder.empty()) {
        const auto& [oldest, oldestSerial] = m_parsedOrder.front();
        const auto it = m_parsed.constFind(oldest);
        if (it != m_parsed.cend() && it->serial == oldestSerial)
            m_parsed.erase(it);
        m_parsedOrder.pop_front();
    }
    if (m_parsedOrder.size() > 2 * size_t(m_options.parsedCacheSize) + 16) {
        std::erase_if(m_parsedOrder, [this](const std::pair<QString, quint64>& entry) {
            const auto it = m_parsed.constFind(entry.first);
            return it == m_parsed.cend() || it->serial != entry.second;
        });
    }
}

QJsonObject Informer::get(const QString& key) const
{
    const auto cached = m_parsed.constFind(key);
    if (cached != m_parsed.cend())
        return cached->object;
    const auto it = m_items.constFind(key);
    if (it == m_items.cend())
        return {};
    QJsonObject object = parse(it->json);
    cacheParsed(key, object);
    return object;
}

QList<QJsonObject> Informer::list() const
{
    QList<QJsonObject> objects;
    objects.reserve(m_items.size());
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
        const auto cached = m_parsed.constFind(it.key());
        objects.append(cached != m_parsed.cend() ? cached->object : parse(it->json));
    }
    return objects;
}

bool Informer::isWatching() const
{
    return m_watch && m_watch->isRunning();
}

void Informer::start()
{
    if (m_running)
        return;
    m_running = true;
    ++m_generation;
    m_backoff.reset();
    relist();
}

void Informer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_retry.cancel();
    m_resync.cancel();
    if (m_watch) {
        m_watch->stop();
        m_watch->deleteLater();
        m_watch = nullptr;
    }
}

void Informer::relist()
{
    if (!m_running)
        return;
    ListOptions options;
    options.labelSelector = m_options.labelSelector;
    options.fieldSelector = m_options.fieldSelector;
    options.limit = std::max(0, m_options.pageSize);
    const quint64 generation = m_generation;
    qCDebug(lcKube).noquote() << "informer" << m_gvr.displayName() << "listing";
    m_client->listAllWithItemTexts(m_gvr, m_options.namespaceName, options, this,
                                   [this, generation](Result<QJsonObject> list, const QList<QByteArray>& texts) {
                                       if (generation != m_generation || !m_running)
                                           return;
                                       if (!list) {
                                           Error error = list.error();
                                           qCInfo(lcKube).noquote() << "informer" << m_gvr.displayName()
                                                                    << "list failed:" << error.toString();
                                           Q_EMIT errorOccurred(error);
                                           if (generation == m_generation && m_running)
                                               retryLater(&Informer::relist);
                                           return;
                                       }
                                       m_backoff.reset();
                                       applyList(list.value(), texts);
                                       if (generation == m_generation && m_running)
                                           startWatch();
                                   });
}

void Informer::applyList(const QJsonObject& list, const QList<QByteArray>& itemTexts)
{
    const quint64 generation = m_generation;
    m_lastResourceVersion = metadataString(list, "resourceVersion");
    struct Fresh
    {
        QJsonObject object;
        QByteArray text; ///< as the server wrote it, when known
    };
    QMap<QString, Fresh> fresh;
    const QJsonArray items = list.value(QStringLiteral("items")).toArray();
    const bool withTexts = itemTexts.size() == items.size();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject object = items.at(i).toObject();
        fresh.insert(keyOf(object), Fresh{object, withTexts ? itemTexts.at(i) : QByteArray()});
    }
    // Deletions first: objects that vanished while we were not watching.
    const QStringList known = m_items.keys();
    for (const QString& key : known) {
        if (fresh.contains(key))
            continue;
        const QJsonObject last = get(key);
        removeKey(key, last);
        if (generation != m_generation)
            return;
    }
    for (auto it = fresh.cbegin(); it != fresh.cend(); ++it) {
        QByteArray json = it->text.isEmpty() ? json::compact(it->object) : it->text;
        const auto existing = m_items.constFind(it.key());
        // Kept texts may be the server's or ours (any member order): compare parsed when they differ.
        if (existing != m_items.cend() && (existing->json == json || parse(existing->json) == it->object))
            continue;
        upsert(it->object, std::move(json));
        if (generation != m_generation)
            return;
    }
    if (!m_synced) {
        m_synced = true;
        qCDebug(lcKube).noquote() << "informer" << m_gvr.displayName() << "synced with" << m_items.size()
                                  << "objects at resourceVersion" << m_lastResourceVersion;
        Q_EMIT synced();
        if (generation != m_generation)
            return;
    }
    scheduleResync();
}

void Informer::startWatch()
{
    if (!m_running)
        return;
    if (m_watch) {
        m_watch->stop();
        m_watch->deleteLater();
    }
    WatchOptions options;
    options.resourceVersion = m_lastResourceVersion;
    options.labelSelector = m_options.labelSelector;
    options.fieldSelector = m_options.fieldSelector;
    options.allowWatchBookmarks = true;
    options.lazyObjects = bool(m_updateFilter);
    options.timeoutSeconds = m_options.watchTimeoutSeconds > 0 ? m_options.watchTimeoutSeconds
                                                               : 300 + int(QRandomGenerator::global()->bounded(300));
    m_watch = new Watch(m_client, m_gvr, m_options.namespaceName, options, this);
    m_watchStartedMs = m_clock->monotonicMs();
    m_watchEvents = 0;
    connect(m_watch, &Watch::eventReceived, this, &Informer::onWatchEvent);
    connect(m_watch, &Watch::finished, this, &Informer::onWatchFinished);
    qCDebug(lcKube).noquote() << "informer" << m_gvr.displayName() << "watching from resourceVersion"
                              << m_lastResourceVersion;
    m_watch->start();
}

void Informer::onWatchEvent(const WatchEvent& event)
{
    if (!m_running || sender() != m_watch)
        return;
    ++m_watchEvents;
    switch (event.type) {
    case WatchEvent::Type::Added:
    case WatchEvent::Type::Modified:
        m_backoff.reset();
        m_lastResourceVersion = event.resourceVersion().isEmpty() ? m_lastResourceVersion : event.resourceVersion();
        if (!event.isObjectParsed()) {
            const QString key = keyOfMetadata(event.metadata());
            if (skipsUpdate(event, key))
                break;
            if (event.object().isEmpty()) { // read lazily, and not JSON after all
                qCWarning(lcKube).noquote() << "informer" << m_gvr.displayName() << "skipping an event for" << key
                                            << "whose object is not valid JSON";
                break;
            }
        }
        upsert(event.object(), event.objectJson); // the text as received: no second serialization
        break;
    case WatchEvent::Type::Deleted: {
        m_backoff.reset();
        m_lastResourceVersion = event.resourceVersion().isEmpty() ? m_lastResourceVersion : event.resourceVersion();
        const QString key = keyOf(event.object());
        removeKey(key, event.object());
        break;
    }
    case WatchEvent::Type::Bookmark:
        m_backoff.reset();
        if (!event.resourceVersion().isEmpty())
            m_lastResourceVersion = event.resourceVersion();
        break;
    case WatchEvent::Type::Error:
        break; // finished() follows with the error
    }
}

void Informer::onWatchFinished(const Status& status)
{
    if (!m_running || sender() != m_watch)
        return;
    m_watch->deleteLater();
    m_watch = nullptr;
    if (status) {
        // As client-go: a watch that ends at once without a single event is suspicious (a proxy cutting
        // streams, a misbehaving server); back off instead of spinning.
        if (m_watchEvents == 0 && m_clock->monotonicMs() - m_watchStartedMs < 1000) {
            qCInfo(lcKube).noquote() << "informer" << m_gvr.displayName()
                                     << "watch ended at once without events; backing off";
            return retryLater(&Informer::startWatch);
        }
        qCDebug(lcKube).noquote() << "informer" << m_gvr.displayName() << "watch ended; resuming from"
                                  << m_lastResourceVersion;
        return startWatch();
    }
    const Error& error = status.error();
    const quint64 generation = m_generation;
    Q_EMIT errorOccurred(error);
    if (generation != m_generation || !m_running)
        return;
    if (error.category() == ErrorCategory::Gone) {
        qCInfo(lcKube).noquote() << "informer" << m_gvr.displayName() << "resourceVersion" << m_lastResourceVersion
                                 << "expired; relisting";
        return relist();
    }
    if (error.category() == ErrorCategory::Timeout && error.httpCode() == 0) {
        // Our own guard ended a stream that outlived its timeoutSeconds: resume like after a normal end.
        return startWatch();
    }
    qCInfo(lcKube).noquote() << "informer" << m_gvr.displayName() << "watch failed:" << error.toString();
    retryLater(&Informer::startWatch);
}

void Informer::retryLater(void (Informer::*step)())
{
    const qint64 delay = m_backoff.next();
    qCDebug(lcKube).noquote() << "informer" << m_gvr.displayName() << "retrying in" << delay << "ms";
    m_retry.cancel();
    m_retry = m_clock->schedule(delay, this, [this, step] { (this->*step)(); });
}

void Informer::scheduleResync()
{
    if (m_options.resyncPeriodMs <= 0 || m_resync.isPending() || !m_running)
        return;
    m_resync = m_clock->schedule(m_options.resyncPeriodMs, this, [this] { resync(); });
}

void Informer::resync()
{
    if (!m_running)
        return;
    const quint64 generation = m_generation;
    const QStringList keys = m_items.keys();
    for (const QString& key : keys) {
        // Skip objects deleted by a handler during this resync.
        const auto it = m_items.constFind(key);
        if (it == m_items.cend())
            continue;
        const QJsonObject object = get(key);
        Q_EMIT updated(object, object);
        if (generation != m_generation)
            return;
    }
    scheduleResync();
}

void Informer::upsert(const QJsonObject& object, QByteArray json)
{
    const QString key = keyOf(object);
    if (json.isEmpty())
        json = json::compact(object);
    const auto existing = m_items.constFind(key);
    if (existing == m_items.cend()) {
        storeItem(key, object, std::move(json));
        Q_EMIT added(object);
        return;
    }
    const QJsonObject old = get(key);
    storeItem(key, object, std::move(json));
    Q_EMIT updated(old, object);
}

bool Informer::skipsUpdate(const WatchEvent& event, const QString& key)
{
    if (!m_updateFilter || !m_indexFuncs.isEmpty() || event.objectJson.isEmpty())
        return false;
    const auto it = m_items.find(key);
    if (it == m_items.end())
        return false;
    const QString version = event.resourceVersion();
    if (m_updateFilter(key, it->resourceVersion, version))
        return false;
    it->json = event.objectJson;
    it->resourceVersion = version;
    m_parsed.remove(key); // the parsed old version, if any, is stale
    return true;
}

void Informer::removeKey(const QString& key, const QJsonObject& lastState)
{
    eraseItem(key);
    Q_EMIT deleted(lastState);
}

void Informer::storeItem(const QString& key, const QJsonObject& object, QByteArray json)
{
    eraseItem(key);
    Item item;
    item.json = std::move(json);
    item.resourceVersion = metadataString(object, "resourceVersion");
    for (auto it = m_indexFuncs.cbegin(); it != m_indexFuncs.cend(); ++it) {
        const QStringList values = it.value()(object);
        auto& index = m_indexes[it.key()];
        for (const QString& value : values)
            index[value].insert(key);
        if (!values.isEmpty())
            item.indexValues.insert(it.key(), values);
    }
    m_items.insert(key, std::move(item));
    cacheParsed(key, object);
}

void Informer::eraseItem(const QString& key)
{
    const auto existing = m_items.constFind(key);
    if (existing == m_items.cend())
        return;
    for (auto it = existing->indexValues.cbegin(); it != existing->indexValues.cend(); ++it) {
        auto& index = m_indexes[it.key()];
        for (const QString& value : it.value()) {
            auto bucket = index.find(value);
            if (bucket == index.end())
                continue;
            bucket->remove(key);
            if (bucket->isEmpty())
                index.erase(bucket);
        }
    }
    m_items.remove(key);
    m_parsed.remove(key);
}

void Informer::addIndex(const QString& name, IndexFunc fn)
{
    m_indexFuncs.insert(name, fn);
    auto& index = m_indexes[name];
    index.clear();
    for (auto it = m_items.begin(); it != m_items.end(); ++it) {
        const QStringList values = fn(get(it.key()));
        for (const QString& value : values)
            index[value].insert(it.key());
        if (values.isEmpty())
            it->indexValues.remove(name);
        else
            it->indexValues.insert(name, values);
    }
}

QStringList Informer::keysByIndex(const QString& name, const QString& value) const
{
    const auto index = m_indexes.constFind(name);
    if (index == m_indexes.cend())
        return {};
    const auto bucket = index->constFind(value);
    if (bucket == index->cend())
        return {};
    QStringList keys(bucket->cbegin(), bucket->cend());
    std::sort(keys.begin(), keys.end());
    return keys;
}

QList<QJsonObject> Informer::byIndex(const QString& name, const QString& value) const
{
    QList<QJsonObject> objects;
    const QStringList keys = keysByIndex(name, value);
    objects.reserve(keys.size());
    for (const QString& key : keys)
        objects.append(get(key));
    return objects;
}

} // namespace vk::kube
