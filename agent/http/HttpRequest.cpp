// SPDX-License-Identifier: Apache-2.0
#include "http/HttpServer.h"

namespace vk::http {

namespace {

bool sameName(const QByteArray& lowerName, QByteArrayView name)
{
    return lowerName.size() == name.size() && lowerName.compare(name, Qt::CaseInsensitive) == 0;
}

// Whether a comma-separated header value contains token (case-insensitive), e.g. "keep-alive, Upgrade".
bool hasToken(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0)
            end = value.size();
        QByteArrayView item = value.sliced(start, end - start).trimmed();
        if (item.compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto& [key, value] : headers) {
        if (sameName(key, name))
            return value;
    }
    return {};
}

QList<QByteArray> HttpRequest::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const auto& [key, value] : headers) {
        if (sameName(key, name))
            values.append(value);
    }
    return values;
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto& header : headers) {
        if (sameName(header.first, name))
            return true;
    }
    return false;
}

bool HttpRequest::isUpgrade() const
{
    if (!hasHeader("upgrade"))
        return false;
    for (const auto& [key, value] : headers) {
        if (sameName(key, "connection") && hasToken(value, "upgrade"))
            return true;
    }
    return false;
}

QByteArray HttpRequest::upgradeProtocol() const
{
    return header("upgrade").toLower();
}

QString HttpRequest::queryValue(const QString& key) const
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

QStringList HttpRequest::queryValues(const QString& key) const
{
    return query.allQueryItemValues(key, QUrl::FullyDecoded);
}

} // namespace vk::http
