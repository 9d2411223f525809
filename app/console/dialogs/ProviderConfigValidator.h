// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace vk::console {

/// The outcome of checking a provider config: valid, or a message with the 1-based line it is about.
struct ConfigValidation
{
    int line = 0;    ///< 1-based line of the error in the text; 0 when it is not about a line (unknown provider)
    int column = 0;  ///< 1-based column of syntax errors; 0 when unknown
    QString message; ///< empty: valid
    QString field;   ///< the field path the provider named ("vk-node.lifecycle.pendingMs"), when it named one

    bool ok() const { return message.isEmpty(); }
    bool operator==(const ConfigValidation&) const = default;
};

/// Checks a provider config text (JSON or YAML) for the "Start node" dialog, without widgets:
/// 1. syntax, with the line of the parse error (yaml-cpp's mark, or QJsonParseError's offset);
/// 2. semantics, by writing the config as JSON to a temporary file and asking the provider's factory in
///    vk::provider::ProviderRegistry to create the node's provider from it; the field path in the factory's message
///    ("vk-node.cpu: invalid quantity ...") is mapped back to the line of that key in the text.
/// Messages name the field but not the temporary file.
class ProviderConfigValidator
{
public:
    /// The text as a JSON object (YAML converted with vk::json); an empty (or comment-only) text is an empty
    /// object with `empty` set. On a syntax error, `error` says where.
    struct Parsed
    {
        QJsonObject object;
        bool empty = false;
        bool json = false; ///< the text is JSON (starts with '{'), else YAML
        ConfigValidation error;
        bool ok() const { return error.ok(); }
    };
    static Parsed parse(const QString& text);

    /// Syntax, then the provider's own validation for node `nodeName`. An empty text is the provider's defaults.
    static ConfigValidation validate(const QString& provider, const QString& nodeName, const QString& text);

    /// The 1-based line of the key at `path` (each element one key, starting at the top level), or of the
    /// deepest key of it that exists; 0 when not even the first exists.
    static int lineOfKeys(const QString& text, const QStringList& path);
    /// The same for a provider's dotted field path ("vk-node.others.nvidia.com/gpu"): the node name is the first
    /// key and keys may contain dots (the longest key that matches wins at each level).
    static int lineOfFieldPath(const QString& text, const QString& nodeName, const QString& fieldPath);

    /// The JSON a provider's --provider-config file gets for this text (YAML converted); empty for an empty text
    /// or a syntax error.
    static QByteArray toJson(const QString& text);
};

} // namespace vk::console
