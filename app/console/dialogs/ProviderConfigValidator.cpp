// SPDX-License-Identifier: Apache-2.0
#include "ProviderConfigValidator.h"

#include "DialogsLogging.h"
#include "core/Json.h"
#include "provider/ProviderRegistry.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTemporaryFile>

#include <yaml-cpp/yaml.h>

#include <optional>

namespace vk::console {

namespace {

bool looksLikeJson(const QString& text)
{
    for (const QChar c : text) {
        if (c.isSpace())
            continue;
        return c == QLatin1Char('{') || c == QLatin1Char('[');
    }
    return false;
}

int lineAtByteOffset(const QByteArray& utf8, int offset)
{
    offset = qBound(0, offset, int(utf8.size()));
    return int(utf8.left(offset).count('\n')) + 1;
}

std::optional<YAML::Node> loadYaml(const QString& text)
{
    try {
        return YAML::Load(text.toStdString());
    } catch (const YAML::Exception&) {
        return std::nullopt;
    }
}

/// The value of `key` in a map node, with the line of the key; nullopt when absent.
std::optional<std::pair<YAML::Node, int>> child(const YAML::Node& node, const QString& key)
{
    if (!node.IsMap())
        return std::nullopt;
    for (const auto& entry : node) {
        if (entry.first.IsScalar() && QString::fromStdString(entry.first.Scalar()) == key)
            return std::make_pair(entry.second, entry.first.Mark().line + 1);
    }
    return std::nullopt;
}

/// Text search fallback when the text is not YAML-loadable: the first line naming the key.
int searchKeyLine(const QString& text, const QString& key)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    const QString quoted = QLatin1Char('"') + key + QLatin1Char('"');
    for (int i = 0; i < lines.size(); ++i) {
        const QString trimmed = lines.at(i).trimmed();
        if (trimmed.contains(quoted) || trimmed.startsWith(key + QLatin1Char(':')) ||
            trimmed.startsWith(QStringLiteral("- ") + key + QLatin1Char(':')))
            return i + 1;
    }
    return 0;
}

} // namespace

ProviderConfigValidator::Parsed ProviderConfigValidator::parse(const QString& text)
{
    Parsed parsed;
    parsed.json = looksLikeJson(text);
    if (text.trimmed().isEmpty()) {
        parsed.empty = true;
        return parsed;
    }
    if (parsed.json) {
        const QByteArray utf8 = text.toUtf8();
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(utf8, &error);
        if (error.error != QJsonParseError::NoError) {
            parsed.error.line = lineAtByteOffset(utf8, error.offset);
            parsed.error.message =
                QObject::tr("line %1: JSON syntax error: %2").arg(parsed.error.line).arg(error.errorString());
            return parsed;
        }
        if (!document.isObject()) {
            parsed.error.line = 1;
            parsed.error.message = QObject::tr("line 1: the config must be an object keyed by node name");
            return parsed;
        }
        parsed.object = document.object();
        return parsed;
    }

    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception& e) {
        parsed.error.line = e.mark.is_null() ? 1 : e.mark.line + 1;
        parsed.error.column = e.mark.is_null() ? 0 : e.mark.column + 1;
        parsed.error.message =
            QObject::tr("line %1: YAML syntax error: %2").arg(parsed.error.line).arg(QString::fromStdString(e.msg));
        return parsed;
    }
    if (root.IsNull() || !root.IsDefined()) {
        parsed.empty = true;
        return parsed;
    }
    if (!root.IsMap()) {
        parsed.error.line = root.Mark().is_null() ? 1 : root.Mark().line + 1;
        parsed.error.message =
            QObject::tr("line %1: the config must be a mapping keyed by node name").arg(parsed.error.line);
        return parsed;
    }
    Result<QJsonValue> converted = json::fromYaml(text.toUtf8(), QStringLiteral("config"));
    if (!converted) {
        // The conversion names "config:<line>:<column>: reason".
        const QString message = converted.error().message();
        const QStringList parts = message.split(QLatin1Char(':'));
        parsed.error.line = parts.size() > 2 ? qMax(1, parts.at(1).toInt()) : 1;
        parsed.error.message = QObject::tr("line %1: %2")
                                   .arg(parsed.error.line)
                                   .arg(parts.size() > 3 ? parts.mid(3).join(QLatin1Char(':')).trimmed() : message);
        return parsed;
    }
    parsed.object = converted->toObject();
    return parsed;
}

ConfigValidation
ProviderConfigValidator::validate(const QString& provider, const QString& nodeName, const QString& text)
{
    ConfigValidation result;
    if (nodeName.trimmed().isEmpty()) {
        result.message = QObject::tr("the node name is empty");
        return result;
    }
    const Parsed parsed = parse(text);
    if (!parsed.ok())
        return parsed.error;

    const auto& registry = provider::ProviderRegistry::instance();
    if (!registry.names().contains(provider)) {
        result.message = QObject::tr("provider \"%1\" is not built in (known: %2)")
                             .arg(provider, registry.names().join(QStringLiteral(", ")));
        return result;
    }

    provider::ProviderConfig config;
    config.nodeName = nodeName;
    QTemporaryFile file(QDir::tempPath() + QStringLiteral("/vk-provider-config-XXXXXX.json"));
    if (!parsed.empty) {
        if (!file.open()) {
            result.message =
                QObject::tr("cannot write a temporary file to check the config: %1").arg(file.errorString());
            return result;
        }
        file.write(QJsonDocument(parsed.object).toJson(QJsonDocument::Compact));
        file.flush();
        config.configPath = file.fileName();
    }
    Result<std::unique_ptr<provider::Provider>> created = registry.create(provider, config);
    if (created)
        return result;

    // "<tmp file>: vk-node.cpu: invalid quantity ..." → "vk-node.cpu: invalid quantity ...", field "vk-node.cpu".
    QString message = created.error().message();
    if (!config.configPath.isEmpty()) {
        message.replace(config.configPath + QStringLiteral(": "), QString());
        message.replace(config.configPath, QObject::tr("the config"));
    }
    result.message = message;
    const qsizetype colon = message.indexOf(QStringLiteral(": "));
    const QString head = colon > 0 ? message.left(colon) : QString();
    if (!head.isEmpty() && !head.contains(QLatin1Char(' ')) &&
        (head == nodeName || head.startsWith(nodeName + QLatin1Char('.')))) {
        result.field = head;
        result.line = lineOfFieldPath(text, nodeName, head);
    }
    if (result.line == 0 && !parsed.empty)
        result.line = 1; // about the file as a whole (e.g. the node's entry is missing)
    qCDebug(lcDialogs).noquote() << "provider config invalid:" << result.line << result.message;
    return result;
}

int ProviderConfigValidator::lineOfKeys(const QString& text, const QStringList& path)
{
    const std::optional<YAML::Node> root = loadYaml(text);
    if (!root) {
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            if (const int line = searchKeyLine(text, *it))
                return line;
        }
        return 0;
    }
    YAML::Node node = *root;
    int line = 0;
    for (const QString& key : path) {
        const auto found = child(node, key);
        if (!found)
            break;
        node = found->first;
        line = found->second;
    }
    return line;
}

int ProviderConfigValidator::lineOfFieldPath(const QString& text, const QString& nodeName, const QString& fieldPath)
{
    if (fieldPath != nodeName && !fieldPath.startsWith(nodeName + QLatin1Char('.')))
        return 0;
    const std::optional<YAML::Node> root = loadYaml(text);
    if (!root) {
        const QString last = fieldPath.section(QLatin1Char('.'), -1);
        return searchKeyLine(text, fieldPath == nodeName ? nodeName : last);
    }
    const auto top = child(*root, nodeName);
    if (!top)
        return 0;
    YAML::Node node = top->first;
    int line = top->second;
    QString rest = fieldPath.mid(nodeName.size());
    while (rest.startsWith(QLatin1Char('.')) && node.IsMap()) {
        rest.remove(0, 1);
        // The longest key that is the whole rest or a dot-separated prefix of it.
        QString best;
        for (const auto& entry : node) {
            if (!entry.first.IsScalar())
                continue;
            const QString key = QString::fromStdString(entry.first.Scalar());
            if ((rest == key || rest.startsWith(key + QLatin1Char('.'))) && key.size() > best.size())
                best = key;
        }
        if (best.isEmpty())
            break;
        const auto found = child(node, best);
        node = found->first;
        line = found->second;
        rest = rest.mid(best.size());
    }
    return line;
}

QByteArray ProviderConfigValidator::toJson(const QString& text)
{
    const Parsed parsed = parse(text);
    if (!parsed.ok() || parsed.empty)
        return {};
    return QJsonDocument(parsed.object).toJson(QJsonDocument::Indented);
}

} // namespace vk::console
