// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/JsonFields.h"

#include "core/Json.h"

namespace vk::sandbox::detail {

QDateTime timeField(const QJsonObject& object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (!value.isString() || value.toString().isEmpty())
        return {};
    return json::parseTime(value.toString());
}

} // namespace vk::sandbox::detail
