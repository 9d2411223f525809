// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>

#include <deque>
#include <memory>

namespace vk::sandbox {

/// One change to one object, as watches see it. `object` carries the new resourceVersion; for deletions it is the
/// object's last state with the deletion's resourceVersion.
struct ChangeEvent
{
    enum class Type
    {
        Added,
        Modified,
        Deleted
    };
    Type type = Type::Added;
    quint64 resourceVersion = 0;
    QString typeKey; ///< "pods", "coordination.k8s.io/leases"
    QString namespaceName;
    QString name;
    QJsonObject object;
    QJsonObject oldObject; ///< previous state for Modified and Deleted, empty for Added

    /// `object` as compact JSON, made on first use and then shared by every watch that sends it as stored.
    const QByteArray& objectJson() const;
    mutable QByteArray cachedObjectJson; ///< objectJson()'s cache; empty until first used
};

/// The sandbox's storage: every object of every kind in memory, one monotonically increasing resourceVersion (as
/// etcd's revision), and a bounded log of recent changes from which watches resume. Knows nothing about kinds'
/// semantics; the Registry does.
class ObjectStore : public QObject
{
    Q_OBJECT

public:
    explicit ObjectStore(quint64 initialResourceVersion = 1,
                         qsizetype eventLogCapacity = 50'000,
                         QObject* parent = nullptr);
    ~ObjectStore() override;

    quint64 currentResourceVersion() const { return m_resourceVersion; }
    /// The oldest resourceVersion a watch can resume from without 410 Gone.
    quint64 oldestResumableVersion() const;

    const QJsonObject* get(const QString& typeKey, const QString& ns, const QString& name) const;
    /// Objects of a type, in key order ("namespace/name"); an empty ns means every namespace.
    QList<QJsonObject> list(const QString& typeKey, const QString& ns = {}) const;
    /// Objects after `startAfterKey` (exclusive) in key order, at most `limit` (0: all). Sets *remaining.
    QList<QJsonObject> listPage(
        const QString& typeKey, const QString& ns, const QString& startAfterKey, int limit, qsizetype* remaining) const;
    qsizetype count(const QString& typeKey) const;
    QStringList typeKeys() const;

    /// Stores a new object, assigning metadata.resourceVersion. The caller checked that it does not exist.
    QJsonObject add(const QString& typeKey, QJsonObject object);
    /// Replaces an existing object, assigning a new resourceVersion.
    QJsonObject replace(const QString& typeKey, QJsonObject object);
    /// Removes an object; returns its last state with the deletion's resourceVersion.
    QJsonObject remove(const QString& typeKey, const QString& ns, const QString& name);

    /// The compact JSON of the object the last change stored, when that change has `resourceVersion`; else empty.
    /// Made once and shared with the watches that send the change (ChangeEvent::objectJson): the answer to the
    /// write that made the change is the same object and need not be serialized a second time.
    QByteArray lastChangeJson(quint64 resourceVersion) const
    {
        return m_lastChange && m_lastChange->resourceVersion == resourceVersion ? m_lastChange->objectJson()
                                                                                : QByteArray();
    }
    /// The last change (the one being announced while changed() is emitted), shared with the log.
    std::shared_ptr<const ChangeEvent> lastChange() const { return m_lastChange; }

    /// Changes after `resourceVersion` for one type (ns empty: all). Gone when it is older than the log keeps.
    Result<QList<ChangeEvent>> changesSince(quint64 resourceVersion, const QString& typeKey) const;

    /// Everything, for persistence: {"resourceVersion": "N", "objects": {"<typeKey>": [...]}}.
    QJsonObject snapshot() const;
    /// Replaces the contents with a snapshot (at start-up, before anyone watches).
    Status restore(const QJsonObject& snapshot);

    static QString objectKey(const QString& ns, const QString& name)
    {
        return ns.isEmpty() ? name : ns + QLatin1Char('/') + name;
    }

Q_SIGNALS:
    void changed(const vk::sandbox::ChangeEvent& event);

private:
    void record(ChangeEvent event);

    quint64 m_resourceVersion;
    quint64 m_logStart; ///< resourceVersion before the oldest retained event
    qsizetype m_capacity;
    QHash<QString, QMap<QString, QJsonObject>> m_objects;
    std::deque<std::shared_ptr<const ChangeEvent>> m_log;
    std::shared_ptr<const ChangeEvent> m_lastChange; ///< keeps its text (see lastChangeJson) until the next change
};

} // namespace vk::sandbox
