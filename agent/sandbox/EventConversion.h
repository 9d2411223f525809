// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>

namespace vk::sandbox {

struct ResourceType;

/// True for events.k8s.io events, which kube-apiserver stores as core/v1 events and converts on the way.
bool isEventsK8sIo(const ResourceType& type);

/// core/v1 Event -> events.k8s.io/v1 Event (involvedObject -> regarding, message -> note, source ->
/// deprecatedSource, count/firstTimestamp/lastTimestamp -> deprecated*, reportingComponent -> reportingController).
QJsonObject coreEventToEventsV1(const QJsonObject& core);
/// The reverse.
QJsonObject eventsV1ToCoreEvent(const QJsonObject& events);

} // namespace vk::sandbox
