// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "provider/Provider.h"

#include <QUrlQuery>

namespace vk::kubelet {

/// Parses the /containerLogs query (tailLines, follow, limitBytes, previous, sinceSeconds, sinceTime, timestamps)
/// exactly as upstream virtual-kubelet's parseLogOptions does, in its order and with its messages: a BadRequest
/// whose message is e.g. `"tailLines" is -1` or `could not parse "follow": strconv.ParseBool: parsing "yes":
/// invalid syntax`. An empty value counts as absent (Go's url.Values.Get); the first value of a repeated key wins.
Result<provider::LogOptions> parseLogQuery(const QUrlQuery& query);

} // namespace vk::kubelet
