// SPDX-License-Identifier: Apache-2.0
#include "node/ThreeWayPatch.h"

#include "api/Patch.h"

#include <QJsonValue>

namespace vk::node {

namespace {

QString childPath(const QString& path, const QString& key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

/// The element of a merge-key list whose key is `key`; an empty object when there is none.
QJsonObject findElement(const QJsonArray& list, const QString& mergeKey, const QJsonValue& key)
{
    for (const auto& item : list) {
        const QJsonObject element = item.toObject();
        if (element.value(mergeKey) == key)
            return element;
    }
    return {};
}

bool hasElement(const QJsonArray& list, const QString& mergeKey, const QJsonValue& key)
{
    for (const auto& item : list) {
        if (item.toObject().value(mergeKey) == key)
            return true;
    }
    return false;
}

bool allObjectsWithKey(const QJsonArray& list, const QString& mergeKey)
{
    for (const auto& item : list) {
        if (!item.isObject() || !item.toObject().contains(mergeKey))
            return false;
    }
    return true;
}

} // namespace

QJsonObject ThreeWayPatch::create(const QJsonObject& original,
                                  const QJsonObject& modified,
                                  const QJsonObject& current,
                                  const QString& kind)
{
    return diffObject(original, modified, current, kind, QString());
}

QJsonObject ThreeWayPatch::diffObject(const QJsonObject& original,
                                      const QJsonObject& modified,
                                      const QJsonObject& current,
                                      const QString& kind,
                                      const QString& path)
{
    QJsonObject patch;
    for (auto it = modified.constBegin(); it != modified.constEnd(); ++it) {
        const QString& key = it.key();
        const QJsonValue wanted = it.value();
        const QJsonValue have = current.value(key);
        if (have.isUndefined()) {
            patch.insert(key, wanted);
            continue;
        }
        if (have == wanted)
            continue;
        const QString keyPath = childPath(path, key);
        if (wanted.isObject() && have.isObject()) {
            const QJsonObject sub =
                diffObject(original.value(key).toObject(), wanted.toObject(), have.toObject(), kind, keyPath);
            if (!sub.isEmpty())
                patch.insert(key, sub);
            continue;
        }
        if (wanted.isArray() && have.isArray()) {
            const QString mergeKey = api::patch::mergeKeyFor(kind, keyPath);
            if (!mergeKey.isEmpty() && allObjectsWithKey(wanted.toArray(), mergeKey) &&
                allObjectsWithKey(have.toArray(), mergeKey)) {
                const QJsonArray sub =
                    diffList(original.value(key).toArray(), wanted.toArray(), have.toArray(), mergeKey, kind, keyPath);
                if (!sub.isEmpty())
                    patch.insert(key, sub);
                continue;
            }
        }
        patch.insert(key, wanted);
    }
    // Deletions: what we applied before and no longer want, if the server still has it.
    for (auto it = original.constBegin(); it != original.constEnd(); ++it) {
        if (!modified.contains(it.key()) && current.contains(it.key()))
            patch.insert(it.key(), QJsonValue::Null);
    }
    return patch;
}

QJsonArray ThreeWayPatch::diffList(const QJsonArray& original,
                                   const QJsonArray& modified,
                                   const QJsonArray& current,
                                   const QString& mergeKey,
                                   const QString& kind,
                                   const QString& path)
{
    QJsonArray patch;
    for (const auto& item : modified) {
        const QJsonObject wanted = item.toObject();
        const QJsonValue key = wanted.value(mergeKey);
        if (!hasElement(current, mergeKey, key)) {
            patch.append(wanted);
            continue;
        }
        const QJsonObject have = findElement(current, mergeKey, key);
        if (have == wanted)
            continue;
        QJsonObject sub = diffObject(findElement(original, mergeKey, key), wanted, have, kind, path);
        if (sub.isEmpty())
            continue;
        sub.insert(mergeKey, key);
        patch.append(sub);
    }
    for (const auto& item : original) {
        const QJsonValue key = item.toObject().value(mergeKey);
        if (!hasElement(modified, mergeKey, key) && hasElement(current, mergeKey, key))
            patch.append(QJsonObject{{mergeKey, key}, {QStringLiteral("$patch"), QStringLiteral("delete")}});
    }
    return patch;
}

} // namespace vk::node
