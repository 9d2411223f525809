// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/QuantityText.h"

#include "api/Quantity.h"

namespace vk::sandbox::detail {

QJsonValue canonicalQuantity(const QJsonValue& value)
{
    const Result<api::Quantity> parsed = api::Quantity::fromJson(value);
    if (!parsed.ok())
        return value;
    return parsed.value().toString();
}

QJsonObject canonicalResourceList(const QJsonObject& list)
{
    QJsonObject out;
    for (auto it = list.begin(); it != list.end(); ++it)
        out.insert(it.key(), canonicalQuantity(it.value()));
    return out;
}

} // namespace vk::sandbox::detail
