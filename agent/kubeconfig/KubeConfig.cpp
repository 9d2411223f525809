// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/KubeConfig.h"

#include "core/Json.h"
#include "kubeconfig/ConfigSection.h"
#include "kubeconfig/Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace vk::kube {

namespace {

struct NamedEntry
{
    QString name;
    QJsonObject value;
};

/// clusters / users / contexts of one file: a list of {name, <inner>} whose names are unique within the file
/// (client-go refuses a duplicate name in one list).
Result<QList<NamedEntry>> namedList(const ConfigSection& top, QLatin1String listKey, QLatin1String innerKey)
{
    auto list = top.list(listKey);
    if (!list)
        return list.error();
    QList<NamedEntry> entries;
    QSet<QString> seen;
    for (qsizetype i = 0; i < list->size(); ++i) {
        const QJsonValue item = list->at(i);
        const QString itemPath = QStringLiteral("%1[%2]").arg(listKey).arg(i);
        if (!item.isObject())
            return Error::invalidInput(QStringLiteral("%1: %2: expected a mapping, got %3")
                                           .arg(top.file(), itemPath, ConfigSection::typeName(item)));
        const ConfigSection itemSection(top.file(), itemPath, item.toObject());
        auto name = itemSection.string(QLatin1String("name"));
        if (!name)
            return name.error();
        if (name->isEmpty())
            return itemSection.error(QLatin1String("name"), QStringLiteral("is required"));
        if (seen.contains(*name))
            return Error::invalidInput(
                QStringLiteral("%1: %2: duplicate name \"%3\" in the list").arg(top.file(), listKey, *name));
        seen.insert(*name);
        auto inner = itemSection.section(innerKey);
        if (!inner)
            return inner.error();
        entries.append({*name, inner->object()});
    }
    return entries;
}

} // namespace

/// Parses one file and merges it into a KubeConfig under kubectl's rules: the first file to define a name or to
/// set current-context wins.
struct KubeConfigParser
{
    static Status merge(KubeConfig& config, const QString& path, const QByteArray& text)
    {
        auto root = json::fromYaml(text, path);
        if (!root)
            return Error::invalidInput(
                QStringLiteral("error loading config file \"%1\": %2").arg(path, root.error().message()));
        if (root->isNull())
            return {}; // an empty file is a valid, empty kubeconfig
        if (!root->isObject())
            return Error::invalidInput(QStringLiteral("error loading config file \"%1\": expected a mapping at the "
                                                      "top level, got %2")
                                           .arg(path, ConfigSection::typeName(*root)));
        const ConfigSection top(path, QString(), root->toObject());

        auto current = top.string(QLatin1String("current-context"));
        if (!current)
            return current.error();

        auto clusters = namedList(top, QLatin1String("clusters"), QLatin1String("cluster"));
        if (!clusters)
            return clusters.error();
        auto users = namedList(top, QLatin1String("users"), QLatin1String("user"));
        if (!users)
            return users.error();
        auto contexts = namedList(top, QLatin1String("contexts"), QLatin1String("context"));
        if (!contexts)
            return contexts.error();

        QList<KubeConfig::NamedContext> parsedContexts;
        for (const auto& entry : *contexts) {
            const ConfigSection section(path, QStringLiteral("contexts[name=%1].context").arg(entry.name), entry.value);
            KubeConfig::NamedContext context;
            context.name = entry.name;
            context.file = path;
            for (auto [key, target] : {std::pair{QLatin1String("cluster"), &context.cluster},
                                       std::pair{QLatin1String("user"), &context.user},
                                       std::pair{QLatin1String("namespace"), &context.namespaceName}}) {
                auto value = section.string(key);
                if (!value)
                    return value.error();
                *target = *value;
            }
            parsedContexts.append(context);
        }

        // Everything parsed: merge. The first file to set a value wins, later files only fill gaps.
        if (config.m_currentContext.isEmpty() && !current->isEmpty()) {
            config.m_currentContext = *current;
            config.m_currentContextFile = path;
        }
        for (const auto& entry : *clusters) {
            if (!config.m_clusters.contains(entry.name))
                config.m_clusters.insert(entry.name, KubeConfig::Entry{path, entry.value});
        }
        for (const auto& entry : *users) {
            if (!config.m_users.contains(entry.name))
                config.m_users.insert(entry.name, KubeConfig::Entry{path, entry.value});
        }
        for (const auto& context : parsedContexts) {
            const bool known = std::any_of(config.m_contexts.cbegin(), config.m_contexts.cend(),
                                           [&](const auto& c) { return c.name == context.name; });
            if (!known)
                config.m_contexts.append(context);
        }
        return {};
    }
};

Result<KubeConfig> KubeConfig::loadFiles(const QStringList& paths, bool explicitFile)
{
    KubeConfig config;
    for (const QString& path : paths) {
        if (path.isEmpty())
            continue;
        const QFileInfo info(path);
        if (!info.exists()) {
            if (explicitFile)
                return Error::invalidInput(QStringLiteral("stat %1: no such file or directory").arg(path));
            qCDebug(lcKubeconfig) << "kubeconfig" << path << "does not exist, skipped";
            continue;
        }
        if (info.isDir())
            return Error::invalidInput(
                QStringLiteral("error loading config file \"%1\": read %1: is a directory").arg(path));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error::invalidInput(
                QStringLiteral("error loading config file \"%1\": open %1: %2").arg(path, file.errorString()));
        const QByteArray text = file.readAll();
        auto merged = KubeConfigParser::merge(config, path, text);
        if (!merged)
            return merged.error();
        config.m_files.append(path);
        qCDebug(lcKubeconfig) << "loaded kubeconfig" << path;
    }
    return config;
}

QStringList KubeConfig::defaultPaths(const QString& explicitPath, const QProcessEnvironment& env)
{
    if (!explicitPath.isEmpty())
        return {explicitPath};
    const QString list = env.value(QStringLiteral("KUBECONFIG"));
    if (!list.isEmpty()) {
        QStringList paths;
        for (const QString& path : list.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
            if (!paths.contains(path))
                paths.append(path);
        }
        return paths;
    }
    const QString home = env.value(QStringLiteral("HOME"));
    if (home.isEmpty())
        return {};
    return {QDir(home).filePath(QStringLiteral(".kube/config"))};
}

QStringList KubeConfig::contextNames() const
{
    QStringList names;
    names.reserve(m_contexts.size());
    for (const auto& context : m_contexts)
        names.append(context.name);
    return names;
}

} // namespace vk::kube
