// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

namespace vk::sandbox {

class Registry;

/// Writes core/v1 Events for the control plane's own components (default-scheduler, node-controller), and folds
/// repeats of the same event into one with a rising count, as client-go's recorder does.
class EventRecorder
{
public:
    EventRecorder(Registry* registry, QString component);

    /// type is "Normal" or "Warning".
    void record(const QJsonObject& involved, const QString& type, const QString& reason, const QString& message);

private:
    Registry* m_registry;
    QString m_component;
    QHash<QString, QString> m_recent; ///< "uid/reason/message" -> "namespace/name" of the event to fold into
};

} // namespace vk::sandbox
