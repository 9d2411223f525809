// SPDX-License-Identifier: Apache-2.0
#include "sandbox/EventRecorder.h"

#include "core/Json.h"
#include "sandbox/Logging.h"
#include "sandbox/Registry.h"

namespace vk::sandbox {

EventRecorder::EventRecorder(Registry* registry, QString component)
    : m_registry(registry), m_component(std::move(component))
{}

void EventRecorder::record(const QJsonObject& involved,
                           const QString& type,
                           const QString& reason,
                           const QString& message)
{
    const ResourceType* events = findResourceType({}, QStringLiteral("v1"), QStringLiteral("events"));
    const QJsonObject meta = object::metadata(involved);
    QString ns = meta.value(QLatin1String("namespace")).toString();
    if (ns.isEmpty())
        ns = QStringLiteral("default"); // events about cluster-scoped objects live in default
    const QString now = json::formatTime(m_registry->clock()->now());
    const QString uid = meta.value(QLatin1String("uid")).toString();

    // Same object, reason and message as an existing event: bump its count.
    const QString foldKey = uid + QLatin1Char('/') + reason + QLatin1Char('/') + message;
    if (const auto known = m_recent.constFind(foldKey); known != m_recent.cend()) {
        const QString eventNs = known->section(QLatin1Char('/'), 0, 0);
        const QString eventName = known->section(QLatin1Char('/'), 1);
        if (const QJsonObject* existing = m_registry->store()->get(QStringLiteral("events"), eventNs, eventName)) {
            QJsonObject updated = *existing;
            updated.insert(QStringLiteral("count"), existing->value(QLatin1String("count")).toInt(1) + 1);
            updated.insert(QStringLiteral("lastTimestamp"), now);
            if (auto result = m_registry->update(*events, eventNs, eventName, updated); !result)
                qCWarning(lcSandbox) << "could not update event:" << result.error().toString();
            return;
        }
        m_recent.erase(known);
    }
    const QString name = QStringLiteral("%1.%2")
                             .arg(meta.value(QLatin1String("name")).toString())
                             .arg(quint64(m_registry->clock()->now().toMSecsSinceEpoch()) * 1'000'000ull +
                                      quint64(m_registry->store()->currentResourceVersion() % 1'000'000ull),
                                  0, 16);
    const QJsonObject event{
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
        {QStringLiteral("source"), QJsonObject{{QStringLiteral("component"), m_component}}},
        {QStringLiteral("firstTimestamp"), now},
        {QStringLiteral("lastTimestamp"), now},
        {QStringLiteral("count"), 1},
        {QStringLiteral("type"), type},
        {QStringLiteral("eventTime"), QJsonValue::Null},
        {QStringLiteral("reportingComponent"), m_component},
        {QStringLiteral("reportingInstance"), QString()},
    };
    if (auto result = m_registry->create(*events, ns, event); !result) {
        qCWarning(lcSandbox) << "could not record event" << reason << ":" << result.error().toString();
        return;
    }
    if (m_recent.size() > 10'000)
        m_recent.clear();
    m_recent.insert(foldKey, ns + QLatin1Char('/') + name);
}

} // namespace vk::sandbox
