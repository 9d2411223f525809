// SPDX-License-Identifier: Apache-2.0
#include "kube/EventRecorder.h"

#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kube/GroupVersionResource.h"
#include "kube/Logging.h"

#include <QRandomGenerator>

namespace vk::kube {

namespace {
constexpr qint64 kFoldWindowMs = 10 * 60 * 1000;
}

EventRecorder::EventRecorder(ApiClient* client, QString component, QString host, Clock* clock, QObject* parent)
    : QObject(parent), m_client(client), m_component(std::move(component)), m_host(std::move(host)), m_clock(clock)
{}

void EventRecorder::record(const QJsonObject& involved,
                           const QString& type,
                           const QString& reason,
                           const QString& message)
{
    Q_EMIT recorded(involved, type, reason, message);
    const QJsonObject meta = involved.value(QLatin1String("metadata")).toObject();
    QString ns = meta.value(QLatin1String("namespace")).toString();
    if (ns.isEmpty())
        ns = QStringLiteral("default");
    const QString uid = meta.value(QLatin1String("uid")).toString();
    const QString now = json::formatTime(m_clock->now());
    const QString key = uid + QLatin1Char('\n') + type + QLatin1Char('\n') + reason + QLatin1Char('\n') + message;
    const qint64 nowMs = m_clock->monotonicMs();

    auto seen = m_seen.find(key);
    if (seen != m_seen.end() && nowMs - seen->lastMs < kFoldWindowMs) {
        seen->count += 1;
        seen->lastMs = nowMs;
        const QJsonObject patch{{QStringLiteral("count"), seen->count}, {QStringLiteral("lastTimestamp"), now}};
        m_client->patch(GroupVersionResource::events(), seen->namespaceName, seen->name, PatchType::Merge,
                        json::compact(patch), this, [reason](Result<QJsonObject> r) {
                            if (!r)
                                qCWarning(lcKube) << "could not update event" << reason << ":" << r.error().toString();
                        });
        return;
    }
    if (m_seen.size() > 4096)
        m_seen.clear();
    const QString name = QStringLiteral("%1.%2")
                             .arg(meta.value(QLatin1String("name")).toString())
                             .arg(quint64(m_clock->now().toMSecsSinceEpoch()) * 1'000'000ull +
                                      QRandomGenerator::global()->bounded(1'000'000u),
                                  0, 16);
    m_seen.insert(key, Seen{ns, name, 1, nowMs});
    QJsonObject source{{QStringLiteral("component"), m_component}};
    if (!m_host.isEmpty())
        source.insert(QStringLiteral("host"), m_host);
    const QJsonObject event{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Event")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), ns}}},
        {QStringLiteral("involvedObject"),
         QJsonObject{{QStringLiteral("kind"), involved.value(QLatin1String("kind"))},
                     {QStringLiteral("namespace"), meta.value(QLatin1String("namespace"))},
                     {QStringLiteral("name"), meta.value(QLatin1String("name"))},
                     {QStringLiteral("uid"), uid},
                     {QStringLiteral("apiVersion"), involved.value(QLatin1String("apiVersion"))},
                     {QStringLiteral("resourceVersion"), meta.value(QLatin1String("resourceVersion"))}}},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("message"), message},
        {QStringLiteral("source"), source},
        {QStringLiteral("firstTimestamp"), now},
        {QStringLiteral("lastTimestamp"), now},
        {QStringLiteral("count"), 1},
        {QStringLiteral("type"), type},
        {QStringLiteral("reportingComponent"), m_component},
        {QStringLiteral("reportingInstance"), m_host},
    };
    m_client->create(GroupVersionResource::events(), ns, event, this, [reason](Result<QJsonObject> r) {
        if (!r)
            qCWarning(lcKube) << "could not record event" << reason << ":" << r.error().toString();
    });
}

} // namespace vk::kube
