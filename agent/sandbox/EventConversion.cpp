// SPDX-License-Identifier: Apache-2.0
#include "sandbox/EventConversion.h"

#include "sandbox/kinds/Kinds.h"

namespace vk::sandbox {

namespace {

// (core/v1 field, events.k8s.io/v1 field); fields with the same name in both are copied as they are.
const std::pair<const char*, const char*> kRenamed[] = {
    {"involvedObject", "regarding"},
    {"message", "note"},
    {"source", "deprecatedSource"},
    {"firstTimestamp", "deprecatedFirstTimestamp"},
    {"lastTimestamp", "deprecatedLastTimestamp"},
    {"count", "deprecatedCount"},
    {"reportingComponent", "reportingController"},
};

const char* const kShared[] = {"metadata", "reason", "type",    "eventTime",
                               "series",   "action", "related", "reportingInstance"};

QJsonObject convert(const QJsonObject& from, bool toEventsV1)
{
    QJsonObject to;
    for (const char* field : kShared) {
        const QLatin1String key(field);
        if (from.contains(key))
            to.insert(key, from.value(key));
    }
    for (const auto& [core, events] : kRenamed) {
        const QLatin1String source(toEventsV1 ? core : events);
        const QLatin1String target(toEventsV1 ? events : core);
        if (from.contains(source))
            to.insert(target, from.value(source));
    }
    to.insert(QStringLiteral("kind"), QStringLiteral("Event"));
    to.insert(QStringLiteral("apiVersion"), toEventsV1 ? QStringLiteral("events.k8s.io/v1") : QStringLiteral("v1"));
    return to;
}

} // namespace

bool isEventsK8sIo(const ResourceType& type)
{
    return type.group == QLatin1String("events.k8s.io") && type.resource == QLatin1String("events");
}

QJsonObject coreEventToEventsV1(const QJsonObject& core)
{
    QJsonObject events = convert(core, true);
    if (!events.contains(QLatin1String("eventTime")))
        events.insert(QStringLiteral("eventTime"), QJsonValue::Null);
    return events;
}

QJsonObject eventsV1ToCoreEvent(const QJsonObject& events)
{
    return convert(events, false);
}

} // namespace vk::sandbox
