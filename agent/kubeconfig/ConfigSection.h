// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace vk::kube {

/// One object of a kubeconfig file ("users[name=admin].user" of "/root/.kube/config") with typed accessors whose
/// errors name the file and the field path, the way a decoding error in client-go names the field.
class ConfigSection
{
public:
    ConfigSection(QString file, QString path, QJsonObject object);

    const QString& file() const { return m_file; }
    const QString& path() const { return m_path; }
    const QJsonObject& object() const { return m_object; }

    /// Present and not null.
    bool has(QLatin1String key) const;
    /// Empty when absent or null; an error when of another type.
    Result<QString> string(QLatin1String key) const;
    Result<bool> boolean(QLatin1String key) const;
    Result<QJsonArray> list(QLatin1String key) const;
    Result<QStringList> stringList(QLatin1String key) const;
    /// An empty section when absent or null.
    Result<ConfigSection> section(QLatin1String key) const;

    /// "users[name=admin].user.client-key"
    QString field(QLatin1String key) const;
    /// "<file>: <path>.<key>: <message>"
    Error error(QLatin1String key, const QString& message) const;
    /// "<file>: <path>: <message>"
    Error error(const QString& message) const;

    /// A path from this file, made absolute against the directory of the file (as client-go's ResolveLocalPaths).
    QString resolvePath(const QString& path) const;

    static QString typeName(const QJsonValue& value);

private:
    QString m_file;
    QString m_path;
    QJsonObject m_object;
};

} // namespace vk::kube
