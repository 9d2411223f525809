// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/ConfigSection.h"

#include <QDir>
#include <QFileInfo>

namespace vk::kube {

ConfigSection::ConfigSection(QString file, QString path, QJsonObject object)
    : m_file(std::move(file)), m_path(std::move(path)), m_object(std::move(object))
{}

bool ConfigSection::has(QLatin1String key) const
{
    const QJsonValue v = m_object.value(key);
    return !v.isUndefined() && !v.isNull();
}

Result<QString> ConfigSection::string(QLatin1String key) const
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return QString();
    if (!v.isString())
        return error(key, QStringLiteral("expected a string, got %1").arg(typeName(v)));
    return v.toString();
}

Result<bool> ConfigSection::boolean(QLatin1String key) const
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    if (!v.isBool())
        return error(key, QStringLiteral("expected a boolean, got %1").arg(typeName(v)));
    return v.toBool();
}

Result<QJsonArray> ConfigSection::list(QLatin1String key) const
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return QJsonArray();
    if (!v.isArray())
        return error(key, QStringLiteral("expected a list, got %1").arg(typeName(v)));
    return v.toArray();
}

Result<QStringList> ConfigSection::stringList(QLatin1String key) const
{
    auto array = list(key);
    if (!array)
        return array.error();
    QStringList out;
    for (qsizetype i = 0; i < array->size(); ++i) {
        const QJsonValue item = array->at(i);
        if (!item.isString())
            return Error::invalidInput(QStringLiteral("%1: %2[%3]: expected a string, got %4")
                                           .arg(m_file, field(key))
                                           .arg(i)
                                           .arg(typeName(item)));
        out.append(item.toString());
    }
    return out;
}

Result<ConfigSection> ConfigSection::section(QLatin1String key) const
{
    const QJsonValue v = m_object.value(key);
    if (!v.isUndefined() && !v.isNull() && !v.isObject())
        return error(key, QStringLiteral("expected a mapping, got %1").arg(typeName(v)));
    return ConfigSection(m_file, field(key), v.toObject());
}

QString ConfigSection::field(QLatin1String key) const
{
    return m_path.isEmpty() ? QString(key) : m_path + QLatin1Char('.') + key;
}

Error ConfigSection::error(QLatin1String key, const QString& message) const
{
    return Error::invalidInput(m_file + QStringLiteral(": ") + field(key) + QStringLiteral(": ") + message);
}

Error ConfigSection::error(const QString& message) const
{
    if (m_path.isEmpty())
        return Error::invalidInput(m_file + QStringLiteral(": ") + message);
    return Error::invalidInput(m_file + QStringLiteral(": ") + m_path + QStringLiteral(": ") + message);
}

QString ConfigSection::resolvePath(const QString& path) const
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    return QDir::cleanPath(QFileInfo(m_file).absoluteDir().absoluteFilePath(path));
}

QString ConfigSection::typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("a mapping");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

} // namespace vk::kube
