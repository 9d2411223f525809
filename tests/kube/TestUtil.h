// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "kube/ApiClient.h"

#include <QJsonObject>

#include <optional>

namespace vk::test {

/// Captures the one answer of an ApiClient call.
template <typename T>
struct Answer
{
    std::optional<Result<T>> result;
    int calls = 0;

    std::function<void(Result<T>)> callback()
    {
        return [this](Result<T> r) {
            ++calls;
            result.emplace(std::move(r));
        };
    }
    bool done() const { return result.has_value(); }
    bool ok() const { return result && result->ok(); }
    /// The value; a default one when the call failed or has not answered (so a failing test does not crash).
    T value() const { return ok() ? result->value() : T{}; }
    /// The error; an Internal "no error" placeholder when the call succeeded or has not answered.
    Error error() const
    {
        if (result && !result->ok())
            return result->error();
        return Error::internal(done() ? QStringLiteral("<no error: the call succeeded>")
                                      : QStringLiteral("<no answer yet>"));
    }
    QString describe() const { return ok() ? QStringLiteral("ok") : error().toString(); }
};

using JsonAnswer = Answer<QJsonObject>;
using RawAnswer = Answer<kube::RawResponse>;

inline kube::ClusterConnection connectionTo(const QUrl& server)
{
    kube::ClusterConnection connection;
    connection.source = QStringLiteral("test");
    connection.server = server;
    return connection;
}

inline QJsonObject
podObject(const QString& ns, const QString& name, const QString& resourceVersion, const QJsonObject& labels = {})
{
    QJsonObject metadata{{QStringLiteral("name"), name},
                         {QStringLiteral("namespace"), ns},
                         {QStringLiteral("resourceVersion"), resourceVersion},
                         {QStringLiteral("uid"), QString(QStringLiteral("uid-") + name)}};
    if (!labels.isEmpty())
        metadata.insert(QStringLiteral("labels"), labels);
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("metadata"), metadata}};
}

} // namespace vk::test
