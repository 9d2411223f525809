// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace vk::kube {

class ApiClient;

/// Records core/v1 Events about objects, as client-go's recorder does for a component ("<node>/pod-controller"):
/// a repeat of the same object, type, reason and message within 10 minutes bumps the existing event's count and
/// lastTimestamp (PATCH) instead of creating another. Writes are fire-and-forget; failures are logged.
class EventRecorder : public QObject
{
    Q_OBJECT

public:
    EventRecorder(ApiClient* client,
                  QString component,
                  QString host = {},
                  Clock* clock = Clock::system(),
                  QObject* parent = nullptr);

    /// type: "Normal" or "Warning". `involved` is the object (v1.Pod JSON, v1.Node JSON, ...).
    void record(const QJsonObject& involved, const QString& type, const QString& reason, const QString& message);

    /// Every event recorded so far through this recorder (reason, message), newest last; for the console's activity
    /// log and for tests.
    Q_SIGNAL void
    recorded(const QJsonObject& involved, const QString& type, const QString& reason, const QString& message);

private:
    struct Seen
    {
        QString namespaceName;
        QString name;
        int count = 1;
        qint64 lastMs = 0;
    };
    ApiClient* m_client;
    QString m_component;
    QString m_host;
    Clock* m_clock;
    QHash<QString, Seen> m_seen;
};

} // namespace vk::kube
