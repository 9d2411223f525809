// SPDX-License-Identifier: Apache-2.0
#include "sandbox/ObjectStore.h"

#include "core/Json.h"
#include "core/KubeStatus.h"

#include <QJsonArray>

#include <utility>

namespace vk::sandbox {

namespace {

QString metaString(const QJsonObject& object, QLatin1String field)
{
    return object.value(QLatin1String("metadata")).toObject().value(field).toString();
}

QJsonObject withResourceVersion(QJsonObject object, quint64 rv)
{
    QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    meta.insert(QStringLiteral("resourceVersion"), QString::number(rv));
    object.insert(QStringLiteral("metadata"), meta);
    return object;
}

} // namespace

ObjectStore::ObjectStore(quint64 initialResourceVersion, qsizetype eventLogCapacity, QObject* parent)
    : QObject(parent), m_resourceVersion(initialResourceVersion), m_logStart(initialResourceVersion),
      m_capacity(std::max<qsizetype>(16, eventLogCapacity))
{}

ObjectStore::~ObjectStore() = default;

quint64 ObjectStore::oldestResumableVersion() const
{
    return m_logStart;
}

const QJsonObject* ObjectStore::get(const QString& typeKey, const QString& ns, const QString& name) const
{
    const auto type = m_objects.constFind(typeKey);
    if (type == m_objects.cend())
        return nullptr;
    const auto it = type->constFind(objectKey(ns, name));
    return it == type->cend() ? nullptr : &*it;
}

QList<QJsonObject> ObjectStore::list(const QString& typeKey, const QString& ns) const
{
    qsizetype remaining = 0;
    return listPage(typeKey, ns, {}, 0, &remaining);
}

QList<QJsonObject> ObjectStore::listPage(
    const QString& typeKey, const QString& ns, const QString& startAfterKey, int limit, qsizetype* remaining) const
{
    QList<QJsonObject> result;
    *remaining = 0;
    const auto type = m_objects.constFind(typeKey);
    if (type == m_objects.cend())
        return result;
    // Keys are "namespace/name", so one namespace is a contiguous range.
    const QString prefix = ns.isEmpty() ? QString() : ns + QLatin1Char('/');
    auto it = startAfterKey.isEmpty() ? (prefix.isEmpty() ? type->constBegin() : type->lowerBound(prefix))
                                      : type->upperBound(startAfterKey);
    for (; it != type->cend(); ++it) {
        if (!prefix.isEmpty() && !it.key().startsWith(prefix))
            break;
        if (limit > 0 && result.size() >= limit) {
            // Count what is left in range.
            for (; it != type->cend() && (prefix.isEmpty() || it.key().startsWith(prefix)); ++it)
                ++*remaining;
            break;
        }
        result.append(it.value());
    }
    return result;
}

qsizetype ObjectStore::count(const QString& typeKey) const
{
    const auto type = m_objects.constFind(typeKey);
    return type == m_objects.cend() ? 0 : type->size();
}

QStringList ObjectStore::typeKeys() const
{
    return m_objects.keys();
}

QJsonObject ObjectStore::add(const QString& typeKey, QJsonObject object)
{
    object = withResourceVersion(std::move(object), ++m_resourceVersion);
    const QString ns = metaString(object, QLatin1String("namespace"));
    const QString name = metaString(object, QLatin1String("name"));
    m_objects[typeKey].insert(objectKey(ns, name), object);
    record({ChangeEvent::Type::Added, m_resourceVersion, typeKey, ns, name, object, {}, {}});
    return object;
}

QJsonObject ObjectStore::replace(const QString& typeKey, QJsonObject object)
{
    object = withResourceVersion(std::move(object), ++m_resourceVersion);
    const QString ns = metaString(object, QLatin1String("namespace"));
    const QString name = metaString(object, QLatin1String("name"));
    QJsonObject& slot = m_objects[typeKey][objectKey(ns, name)];
    QJsonObject old = std::exchange(slot, object);
    record({ChangeEvent::Type::Modified, m_resourceVersion, typeKey, ns, name, object, old, {}});
    return object;
}

QJsonObject ObjectStore::remove(const QString& typeKey, const QString& ns, const QString& name)
{
    auto type = m_objects.find(typeKey);
    if (type == m_objects.end())
        return {};
    const QJsonObject old = type->take(objectKey(ns, name));
    if (old.isEmpty())
        return {};
    const QJsonObject last = withResourceVersion(old, ++m_resourceVersion);
    record({ChangeEvent::Type::Deleted, m_resourceVersion, typeKey, ns, name, last, old, {}});
    return last;
}

const QByteArray& ChangeEvent::objectJson() const
{
    if (cachedObjectJson.isEmpty())
        cachedObjectJson = json::compact(object);
    return cachedObjectJson;
}

void ObjectStore::record(ChangeEvent event)
{
    auto shared = std::make_shared<const ChangeEvent>(std::move(event));
    m_log.push_back(shared);
    while (qsizetype(m_log.size()) > m_capacity) {
        m_logStart = m_log.front()->resourceVersion;
        m_log.pop_front();
    }
    // The log keeps objects, not their texts: only the last change keeps its text, for the write's answer and the
    // watches (which may send it after that answer).
    if (m_lastChange)
        m_lastChange->cachedObjectJson.clear();
    m_lastChange = shared;
    Q_EMIT changed(*shared);
}

Result<QList<ChangeEvent>> ObjectStore::changesSince(quint64 resourceVersion, const QString& typeKey) const
{
    if (resourceVersion < m_logStart || resourceVersion > m_resourceVersion) {
        Error gone(ErrorCategory::Gone,
                   QStringLiteral("too old resource version: %1 (%2)").arg(resourceVersion).arg(m_logStart + 1));
        gone.setReason(QStringLiteral("Expired")).setHttpCode(410);
        return gone;
    }
    QList<ChangeEvent> result;
    // The log is ordered by resourceVersion: binary-search the start.
    auto it = std::upper_bound(m_log.begin(), m_log.end(), resourceVersion,
                               [](quint64 rv, const auto& e) { return rv < e->resourceVersion; });
    for (; it != m_log.end(); ++it) {
        if ((*it)->typeKey == typeKey)
            result.append(**it);
    }
    return result;
}

QJsonObject ObjectStore::snapshot() const
{
    QJsonObject objects;
    for (auto type = m_objects.cbegin(); type != m_objects.cend(); ++type) {
        QJsonArray items;
        for (const auto& object : *type)
            items.append(object);
        objects.insert(type.key(), items);
    }
    return QJsonObject{{QStringLiteral("resourceVersion"), QString::number(m_resourceVersion)},
                       {QStringLiteral("objects"), objects}};
}

Status ObjectStore::restore(const QJsonObject& snapshot)
{
    bool ok = false;
    const quint64 rv = snapshot.value(QLatin1String("resourceVersion")).toString().toULongLong(&ok);
    if (!ok)
        return Error::invalidInput(QStringLiteral("the saved state has no valid resourceVersion"));
    QHash<QString, QMap<QString, QJsonObject>> objects;
    const QJsonObject types = snapshot.value(QLatin1String("objects")).toObject();
    for (auto type = types.begin(); type != types.end(); ++type) {
        const QJsonArray items = type.value().toArray();
        for (const auto& item : items) {
            const QJsonObject object = item.toObject();
            const QString name = metaString(object, QLatin1String("name"));
            if (name.isEmpty())
                return Error::invalidInput(QStringLiteral("the saved state has a %1 without a name").arg(type.key()));
            objects[type.key()].insert(objectKey(metaString(object, QLatin1String("namespace")), name), object);
        }
    }
    m_objects = std::move(objects);
    m_resourceVersion = rv;
    m_logStart = rv;
    m_log.clear();
    return {};
}

} // namespace vk::sandbox
