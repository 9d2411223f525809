// SPDX-License-Identifier: Apache-2.0
#include "kubelet/LogQuery.h"

#include "kubelet/GoParse.h"

namespace vk::kubelet {

namespace {

QString first(const QUrlQuery& query, const QString& key)
{
    const QStringList values = query.allQueryItemValues(key, QUrl::FullyDecoded);
    return values.isEmpty() ? QString() : values.first();
}

Error couldNotParse(const QString& key, const Error& cause)
{
    return Error::badRequest(QStringLiteral("could not parse \"%1\": %2").arg(key, cause.message()));
}

Error invalid(const QString& key, qint64 value)
{
    return Error::badRequest(QStringLiteral("\"%1\" is %2").arg(key).arg(value));
}

} // namespace

Result<provider::LogOptions> parseLogQuery(const QUrlQuery& query)
{
    provider::LogOptions options;
    qint64 sinceSeconds = 0;
    if (const QString v = first(query, QStringLiteral("tailLines")); !v.isEmpty()) {
        auto n = go::atoi(v);
        if (!n)
            return couldNotParse(QStringLiteral("tailLines"), n.error());
        if (*n < 0)
            return invalid(QStringLiteral("tailLines"), *n);
        options.tailLines = *n;
    }
    if (const QString v = first(query, QStringLiteral("follow")); !v.isEmpty()) {
        auto b = go::parseBool(v);
        if (!b)
            return couldNotParse(QStringLiteral("follow"), b.error());
        options.follow = *b;
    }
    if (const QString v = first(query, QStringLiteral("limitBytes")); !v.isEmpty()) {
        auto n = go::atoi(v);
        if (!n)
            return couldNotParse(QStringLiteral("limitBytes"), n.error());
        if (*n < 1)
            return invalid(QStringLiteral("limitBytes"), *n);
        options.limitBytes = *n;
    }
    if (const QString v = first(query, QStringLiteral("previous")); !v.isEmpty()) {
        auto b = go::parseBool(v);
        if (!b)
            return couldNotParse(QStringLiteral("previous"), b.error());
        options.previous = *b;
    }
    if (const QString v = first(query, QStringLiteral("sinceSeconds")); !v.isEmpty()) {
        auto n = go::atoi(v);
        if (!n)
            return couldNotParse(QStringLiteral("sinceSeconds"), n.error());
        if (*n < 1)
            return invalid(QStringLiteral("sinceSeconds"), *n);
        sinceSeconds = *n;
        options.sinceSeconds = *n;
    }
    if (const QString v = first(query, QStringLiteral("sinceTime")); !v.isEmpty()) {
        auto t = go::parseRfc3339(v);
        if (!t)
            return couldNotParse(QStringLiteral("sinceTime"), t.error());
        if (sinceSeconds > 0)
            return Error::badRequest(QStringLiteral("both \"sinceSeconds\" and \"sinceTime\" are set"));
        options.sinceTime = *t;
    }
    if (const QString v = first(query, QStringLiteral("timestamps")); !v.isEmpty()) {
        auto b = go::parseBool(v);
        if (!b)
            return couldNotParse(QStringLiteral("timestamps"), b.error());
        options.timestamps = *b;
    }
    return options;
}

} // namespace vk::kubelet
