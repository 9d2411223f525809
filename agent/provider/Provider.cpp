// SPDX-License-Identifier: Apache-2.0
#include "provider/Provider.h"

#include <QMetaObject>

namespace vk::provider {

Error Provider::unsupported(const QString& what)
{
    return Error(ErrorCategory::Unsupported, QStringLiteral("%1 is not supported by this provider").arg(what));
}

void Provider::ping(QObject* context, Done done)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done)] { done(Status()); }, Qt::QueuedConnection);
}

Result<LogStream*> Provider::containerLogs(const QString&, const QString&, const QString&, const LogOptions&, QObject*)
{
    return unsupported(QStringLiteral("reading container logs"));
}

Result<ExecSession*> Provider::exec(const ExecRequest&, QObject*)
{
    return unsupported(QStringLiteral("exec"));
}

Result<ExecSession*> Provider::attach(const ExecRequest&, QObject*)
{
    return unsupported(QStringLiteral("attach"));
}

Result<PortForwardStream*> Provider::portForward(const QString&, const QString&, quint16, QObject*)
{
    return unsupported(QStringLiteral("port forwarding"));
}

void Provider::statsSummary(QObject* context, Callback<QJsonObject> done)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done)] { done(unsupported(QStringLiteral("stats/summary"))); },
        Qt::QueuedConnection);
}

void Provider::metricsResource(QObject* context, Callback<QByteArray> done)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done)] { done(unsupported(QStringLiteral("metrics/resource"))); },
        Qt::QueuedConnection);
}

} // namespace vk::provider
