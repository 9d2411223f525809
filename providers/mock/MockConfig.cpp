// SPDX-License-Identifier: Apache-2.0
#include "mock/MockConfig.h"

#include "api/Quantity.h"
#include "core/Json.h"

#include <QFile>
#include <QJsonArray>

#include <cmath>

namespace vk::mock {

namespace {

Error fieldError(const QString& context, const QString& key, const QString& message)
{
    return Error::invalidInput(context + QLatin1Char('.') + key + QStringLiteral(": ") + message);
}

Result<qint64> readMs(const QJsonValue& value, const QString& context, const QString& key)
{
    if (!value.isDouble() || value.toDouble() < 0 || std::floor(value.toDouble()) != value.toDouble())
        return fieldError(context, key, QStringLiteral("must be a non-negative integer"));
    return qint64(value.toDouble());
}

Result<int> readInt(const QJsonValue& value, const QString& context, const QString& key, int minimum)
{
    if (!value.isDouble() || std::floor(value.toDouble()) != value.toDouble() || value.toDouble() < minimum ||
        value.toDouble() > 1e9)
        return fieldError(context, key, QStringLiteral("must be an integer >= %1").arg(minimum));
    return int(value.toDouble());
}

Result<QString> readQuantity(const QJsonValue& value, const QString& context, const QString& key)
{
    Result<api::Quantity> quantity = api::Quantity::fromJson(value);
    if (!quantity)
        return fieldError(context, key, quantity.error().message());
    if (value.isString())
        return value.toString();
    return quantity->toString();
}

} // namespace

Status LifecycleScript::apply(const QJsonObject& object, const QString& context)
{
    static const QStringList known = {
        QStringLiteral("pendingMs"),      QStringLiteral("startMs"),         QStringLiteral("readyMs"),
        QStringLiteral("runMs"),          QStringLiteral("exitCode"),        QStringLiteral("failAfterMs"),
        QStringLiteral("failExitCode"),   QStringLiteral("failCount"),       QStringLiteral("restartLimit"),
        QStringLiteral("restartDelayMs"), QStringLiteral("readinessFlapMs"), QStringLiteral("logLinesPerSecond"),
        QStringLiteral("logLine"),        QStringLiteral("jitterMs")};
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (!known.contains(key))
            return fieldError(context, key,
                              QStringLiteral("unknown field (known: %1)").arg(known.join(QStringLiteral(", "))));
        if (key == QLatin1String("logLine")) {
            if (!value.isString())
                return fieldError(context, key, QStringLiteral("must be a string"));
            logLine = value.toString();
            continue;
        }
        if (key == QLatin1String("logLinesPerSecond")) {
            if (!value.isDouble() || value.toDouble() < 0 || value.toDouble() > 1000)
                return fieldError(context, key, QStringLiteral("must be a number between 0 and 1000"));
            logLinesPerSecond = value.toDouble();
            continue;
        }
        if (key == QLatin1String("exitCode") || key == QLatin1String("failExitCode")) {
            Result<int> code = readInt(value, context, key, 0);
            if (!code)
                return code.error();
            if (*code > 255)
                return fieldError(context, key, QStringLiteral("must be between 0 and 255"));
            (key == QLatin1String("exitCode") ? exitCode : failExitCode) = *code;
            continue;
        }
        if (key == QLatin1String("failCount") || key == QLatin1String("restartLimit")) {
            Result<int> count = readInt(value, context, key, -1);
            if (!count)
                return count.error();
            (key == QLatin1String("failCount") ? failCount : restartLimit) = *count;
            continue;
        }
        if ((key == QLatin1String("runMs") || key == QLatin1String("failAfterMs")) && value.isNull()) {
            (key == QLatin1String("runMs") ? runMs : failAfterMs).reset();
            continue;
        }
        Result<qint64> ms = readMs(value, context, key);
        if (!ms)
            return ms.error();
        if (key == QLatin1String("pendingMs"))
            pendingMs = *ms;
        else if (key == QLatin1String("startMs"))
            startMs = *ms;
        else if (key == QLatin1String("readyMs"))
            readyMs = *ms;
        else if (key == QLatin1String("runMs"))
            runMs = *ms;
        else if (key == QLatin1String("failAfterMs"))
            failAfterMs = *ms;
        else if (key == QLatin1String("restartDelayMs"))
            restartDelayMs = *ms;
        else if (key == QLatin1String("readinessFlapMs"))
            readinessFlapMs = *ms;
        else if (key == QLatin1String("jitterMs"))
            jitterMs = *ms;
    }
    return {};
}

Result<MockNodeConfig> MockNodeConfig::load(const QString& path, const QString& nodeName)
{
    if (path.isEmpty())
        return MockNodeConfig();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::invalidInput(path + QStringLiteral(": cannot read the mock provider config: ") +
                                   file.errorString());
    return parse(file.readAll(), path, nodeName);
}

Result<MockNodeConfig> MockNodeConfig::parse(const QByteArray& json, const QString& source, const QString& nodeName)
{
    Result<QJsonObject> root = json::parseObject(json, source);
    if (!root) {
        Error error = root.error();
        if (!error.message().startsWith(source))
            error.prefix(source + QStringLiteral(": "));
        return Error::invalidInput(error.message());
    }
    if (!root->contains(nodeName))
        return Error::invalidInput(source + QStringLiteral(": no entry for node \"") + nodeName +
                                   QStringLiteral("\" (the file is keyed by node name)"));
    const QJsonValue entryValue = root->value(nodeName);
    if (!entryValue.isObject())
        return Error::invalidInput(source + QStringLiteral(": ") + nodeName + QStringLiteral(": must be an object"));
    const QJsonObject entry = entryValue.toObject();
    const QString context = source + QStringLiteral(": ") + nodeName;

    MockNodeConfig config;
    for (auto it = entry.begin(); it != entry.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("cpu") || key == QLatin1String("memory") || key == QLatin1String("pods")) {
            Result<QString> quantity = readQuantity(it.value(), context, key);
            if (!quantity)
                return quantity.error();
            (key == QLatin1String("cpu")      ? config.cpu
             : key == QLatin1String("memory") ? config.memory
                                              : config.pods) = *quantity;
        } else if (key == QLatin1String("others")) {
            if (!it.value().isObject())
                return fieldError(context, key, QStringLiteral("must be an object of resource name to quantity"));
            const QJsonObject others = it.value().toObject();
            for (auto o = others.begin(); o != others.end(); ++o) {
                Result<QString> quantity = readQuantity(o.value(), context + QStringLiteral(".others"), o.key());
                if (!quantity)
                    return quantity.error();
                config.others.insert(o.key(), *quantity);
            }
        } else if (key == QLatin1String("providerID")) {
            if (!it.value().isString())
                return fieldError(context, key, QStringLiteral("must be a string"));
            config.providerId = it.value().toString();
        } else if (key == QLatin1String("lifecycle")) {
            if (!it.value().isObject())
                return fieldError(context, key, QStringLiteral("must be an object"));
            Status applied = config.lifecycle.apply(it.value().toObject(), context + QStringLiteral(".lifecycle"));
            if (!applied)
                return applied.error();
        }
        // Other keys are ignored, as upstream does.
    }
    return config;
}

} // namespace vk::mock
