// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/StatusJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace vk::streams::ws {

QByteArray jsonQuoted(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

} // namespace vk::streams::ws
