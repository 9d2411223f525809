// SPDX-License-Identifier: Apache-2.0
#include "api/Patch.h"

#include "api/Logging.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>

#include <functional>

namespace vk::api::patch {

namespace {

const QString kDirective = QStringLiteral("$patch");
const QString kRetainKeys = QStringLiteral("$retainKeys");
const QString kDeleteFromPrimitiveList = QStringLiteral("$deleteFromPrimitiveList");
const QString kSetElementOrder = QStringLiteral("$setElementOrder");

QString compactJson(const QJsonValue& value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    // Wrap scalars so QJsonDocument can print them, then strip the brackets.
    const QString wrapped = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
    return wrapped.mid(1, wrapped.size() - 2);
}

// ================================================================================================================
// RFC 7386 merge patch
// ================================================================================================================

QJsonValue mergePatchValue(const QJsonValue& target, const QJsonValue& patch)
{
    if (!patch.isObject())
        return patch;
    QJsonObject result = target.isObject() ? target.toObject() : QJsonObject();
    const QJsonObject patchObject = patch.toObject();
    for (auto it = patchObject.begin(); it != patchObject.end(); ++it) {
        if (it.value().isNull())
            result.remove(it.key());
        else
            result.insert(it.key(), mergePatchValue(result.value(it.key()), it.value()));
    }
    return result;
}

QJsonObject diffObjects(const QJsonObject& original, const QJsonObject& modified)
{
    QJsonObject patch;
    for (auto it = original.begin(); it != original.end(); ++it) {
        if (!modified.contains(it.key()))
            patch.insert(it.key(), QJsonValue::Null);
    }
    for (auto it = modified.begin(); it != modified.end(); ++it) {
        const QJsonValue before = original.value(it.key());
        const QJsonValue after = it.value();
        if (before.isUndefined()) {
            patch.insert(it.key(), after);
        } else if (before.isObject() && after.isObject()) {
            const QJsonObject nested = diffObjects(before.toObject(), after.toObject());
            if (!nested.isEmpty())
                patch.insert(it.key(), nested);
        } else if (before != after) {
            patch.insert(it.key(), after); // scalars and arrays are replaced wholesale
        }
    }
    return patch;
}

// ================================================================================================================
// RFC 6902 JSON patch
// ================================================================================================================

struct JsonPatchFailure
{
    QString detail;
};

std::optional<QStringList> parsePointer(const QString& pointer)
{
    if (pointer.isEmpty())
        return QStringList();
    if (!pointer.startsWith(QLatin1Char('/')))
        return std::nullopt;
    QStringList tokens = pointer.mid(1).split(QLatin1Char('/'));
    for (QString& token : tokens) {
        for (qsizetype i = 0; i < token.size(); ++i) {
            if (token.at(i) == QLatin1Char('~')) {
                if (i + 1 >= token.size() ||
                    (token.at(i + 1) != QLatin1Char('0') && token.at(i + 1) != QLatin1Char('1')))
                    return std::nullopt;
            }
        }
        token.replace(QStringLiteral("~1"), QStringLiteral("/"));
        token.replace(QStringLiteral("~0"), QStringLiteral("~"));
    }
    return tokens;
}

/// An array index token: digits without leading zeros.
std::optional<qsizetype> arrayIndex(const QString& token)
{
    if (token.isEmpty() || (token.size() > 1 && token.at(0) == QLatin1Char('0')))
        return std::nullopt;
    for (const QChar c : token) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    }
    bool ok = false;
    const qlonglong index = token.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return qsizetype(index);
}

std::optional<QJsonValue> valueAt(const QJsonValue& document, const QStringList& tokens)
{
    QJsonValue current = document;
    for (const QString& token : tokens) {
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            if (!object.contains(token))
                return std::nullopt;
            current = object.value(token);
        } else if (current.isArray()) {
            const QJsonArray array = current.toArray();
            const auto index = arrayIndex(token);
            if (!index || *index >= array.size())
                return std::nullopt;
            current = array.at(*index);
        } else {
            return std::nullopt;
        }
    }
    return current;
}

using ParentEdit = std::function<std::optional<JsonPatchFailure>(QJsonValue& parent, const QString& token)>;

/// Walks to the parent of the last token and lets `edit` change it; writes the changed containers back.
std::optional<JsonPatchFailure>
editParent(QJsonValue& node, const QStringList& tokens, qsizetype depth, const ParentEdit& edit, const QString& missing)
{
    if (depth == tokens.size() - 1)
        return edit(node, tokens.at(depth));
    const QString& token = tokens.at(depth);
    if (node.isObject()) {
        QJsonObject object = node.toObject();
        if (!object.contains(token))
            return JsonPatchFailure{missing};
        QJsonValue child = object.value(token);
        if (auto failure = editParent(child, tokens, depth + 1, edit, missing))
            return failure;
        object.insert(token, child);
        node = object;
        return std::nullopt;
    }
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        const auto index = arrayIndex(token);
        if (!index || *index >= array.size())
            return JsonPatchFailure{QStringLiteral("Unable to access invalid index: ") + token +
                                    QStringLiteral(": invalid index referenced")};
        QJsonValue child = array.at(*index);
        if (auto failure = editParent(child, tokens, depth + 1, edit, missing))
            return failure;
        array.replace(*index, child);
        node = array;
        return std::nullopt;
    }
    return JsonPatchFailure{missing};
}

std::optional<JsonPatchFailure>
addAt(QJsonValue& document, const QStringList& tokens, const QString& path, const QJsonValue& value)
{
    if (tokens.isEmpty()) {
        document = value;
        return std::nullopt;
    }
    const QString missing = QStringLiteral("add operation does not apply: doc is missing path: \"") + path +
                            QStringLiteral("\": missing value");
    return editParent(
        document, tokens, 0,
        [&](QJsonValue& parent, const QString& token) -> std::optional<JsonPatchFailure> {
            if (parent.isObject()) {
                QJsonObject object = parent.toObject();
                object.insert(token, value);
                parent = object;
                return std::nullopt;
            }
            if (parent.isArray()) {
                QJsonArray array = parent.toArray();
                if (token == QLatin1String("-")) {
                    array.append(value);
                } else {
                    const auto index = arrayIndex(token);
                    if (!index || *index > array.size())
                        return JsonPatchFailure{QStringLiteral("Unable to access invalid index: ") + token +
                                                QStringLiteral(": invalid index referenced")};
                    array.insert(*index, value);
                }
                parent = array;
                return std::nullopt;
            }
            return JsonPatchFailure{missing};
        },
        missing);
}

std::optional<JsonPatchFailure>
removeAt(QJsonValue& document, const QStringList& tokens, const QString& path, const QString& opName)
{
    const QString missing = opName + QStringLiteral(" operation does not apply: doc is missing path: \"") + path +
                            QStringLiteral("\": missing value");
    if (tokens.isEmpty())
        return JsonPatchFailure{missing};
    return editParent(
        document, tokens, 0,
        [&](QJsonValue& parent, const QString& token) -> std::optional<JsonPatchFailure> {
            if (parent.isObject()) {
                QJsonObject object = parent.toObject();
                if (!object.contains(token))
                    return JsonPatchFailure{missing};
                object.remove(token);
                parent = object;
                return std::nullopt;
            }
            if (parent.isArray()) {
                QJsonArray array = parent.toArray();
                const auto index = arrayIndex(token);
                if (!index || *index >= array.size())
                    return JsonPatchFailure{QStringLiteral("Unable to access invalid index: ") + token +
                                            QStringLiteral(": invalid index referenced")};
                array.removeAt(*index);
                parent = array;
                return std::nullopt;
            }
            return JsonPatchFailure{missing};
        },
        missing);
}

std::optional<JsonPatchFailure>
replaceAt(QJsonValue& document, const QStringList& tokens, const QString& path, const QJsonValue& value)
{
    if (tokens.isEmpty()) {
        document = value;
        return std::nullopt;
    }
    const QString missing = QStringLiteral("replace operation does not apply: doc is missing key: ") + path +
                            QStringLiteral(": missing value");
    return editParent(
        document, tokens, 0,
        [&](QJsonValue& parent, const QString& token) -> std::optional<JsonPatchFailure> {
            if (parent.isObject()) {
                QJsonObject object = parent.toObject();
                if (!object.contains(token))
                    return JsonPatchFailure{missing};
                object.insert(token, value);
                parent = object;
                return std::nullopt;
            }
            if (parent.isArray()) {
                QJsonArray array = parent.toArray();
                const auto index = arrayIndex(token);
                if (!index || *index >= array.size())
                    return JsonPatchFailure{QStringLiteral("Unable to access invalid index: ") + token +
                                            QStringLiteral(": invalid index referenced")};
                array.replace(*index, value);
                parent = array;
                return std::nullopt;
            }
            return JsonPatchFailure{missing};
        },
        missing);
}

struct JsonPatchOp
{
    QString op;
    QString path;
    QStringList pathTokens;
    QString from;
    QStringList fromTokens;
    QJsonValue value;
};

Result<QList<JsonPatchOp>> decodeJsonPatch(const QJsonArray& operations)
{
    static const QStringList knownOps{QStringLiteral("add"),  QStringLiteral("remove"), QStringLiteral("replace"),
                                      QStringLiteral("move"), QStringLiteral("copy"),   QStringLiteral("test")};
    QList<JsonPatchOp> ops;
    for (qsizetype i = 0; i < operations.size(); ++i) {
        const auto malformed = [i](const QString& detail) {
            return Error::badRequest(QStringLiteral("json patch operation %1 is malformed: ").arg(i) + detail);
        };
        if (!operations.at(i).isObject())
            return malformed(QStringLiteral("not a JSON object"));
        const QJsonObject object = operations.at(i).toObject();
        JsonPatchOp op;
        if (!object.value(QStringLiteral("op")).isString())
            return malformed(QStringLiteral("missing \"op\""));
        op.op = object.value(QStringLiteral("op")).toString();
        if (!knownOps.contains(op.op))
            return malformed(QStringLiteral("unsupported op \"") + op.op + QLatin1Char('"'));
        if (!object.value(QStringLiteral("path")).isString())
            return malformed(QStringLiteral("missing \"path\""));
        op.path = object.value(QStringLiteral("path")).toString();
        const auto pathTokens = parsePointer(op.path);
        if (!pathTokens)
            return malformed(QStringLiteral("invalid JSON pointer \"") + op.path + QLatin1Char('"'));
        op.pathTokens = *pathTokens;
        if (op.op == QLatin1String("add") || op.op == QLatin1String("replace") || op.op == QLatin1String("test")) {
            if (!object.contains(QStringLiteral("value")))
                return malformed(QStringLiteral("missing \"value\""));
            op.value = object.value(QStringLiteral("value"));
        }
        if (op.op == QLatin1String("move") || op.op == QLatin1String("copy")) {
            if (!object.value(QStringLiteral("from")).isString())
                return malformed(QStringLiteral("missing \"from\""));
            op.from = object.value(QStringLiteral("from")).toString();
            const auto fromTokens = parsePointer(op.from);
            if (!fromTokens)
                return malformed(QStringLiteral("invalid JSON pointer \"") + op.from + QLatin1Char('"'));
            op.fromTokens = *fromTokens;
        }
        ops.append(op);
    }
    return ops;
}

std::optional<JsonPatchFailure> applyOne(QJsonValue& document, const JsonPatchOp& op)
{
    if (op.op == QLatin1String("add"))
        return addAt(document, op.pathTokens, op.path, op.value);
    if (op.op == QLatin1String("remove"))
        return removeAt(document, op.pathTokens, op.path, QStringLiteral("remove"));
    if (op.op == QLatin1String("replace"))
        return replaceAt(document, op.pathTokens, op.path, op.value);
    if (op.op == QLatin1String("test")) {
        const auto actual = valueAt(document, op.pathTokens);
        if (actual ? *actual == op.value : op.value.isNull())
            return std::nullopt;
        return JsonPatchFailure{QStringLiteral("testing value ") + op.path + QStringLiteral(" failed: test failed")};
    }
    // move and copy
    const auto source = valueAt(document, op.fromTokens);
    if (!source) {
        return JsonPatchFailure{op.op + QStringLiteral(" operation does not apply: doc is missing from path: ") +
                                op.from + QStringLiteral(": missing value")};
    }
    if (op.op == QLatin1String("move")) {
        if (op.from == op.path)
            return std::nullopt;
        if (op.path.startsWith(op.from + QLatin1Char('/')))
            return JsonPatchFailure{QStringLiteral("move operation does not apply: cannot move \"") + op.from +
                                    QStringLiteral("\" into its own child \"") + op.path + QLatin1Char('"')};
        if (auto failure = removeAt(document, op.fromTokens, op.from, QStringLiteral("move")))
            return failure;
    }
    return addAt(document, op.pathTokens, op.path, *source);
}

// ================================================================================================================
// Strategic merge patch
// ================================================================================================================

struct ListRule
{
    bool merge = false;
    QString mergeKey;
};

using RuleTable = QHash<QString, ListRule>;

void addPodSpecRules(RuleTable& table, const QString& prefix)
{
    const ListRule byName{true, QStringLiteral("name")};
    for (const char* containers : {"containers", "initContainers", "ephemeralContainers"}) {
        const QString base = prefix + QLatin1String(containers);
        table.insert(base, byName);
        table.insert(base + QStringLiteral(".ports"), {true, QStringLiteral("containerPort")});
        table.insert(base + QStringLiteral(".env"), byName);
        table.insert(base + QStringLiteral(".volumeMounts"), {true, QStringLiteral("mountPath")});
        table.insert(base + QStringLiteral(".volumeDevices"), {true, QStringLiteral("devicePath")});
    }
    table.insert(prefix + QStringLiteral("volumes"), byName);
    table.insert(prefix + QStringLiteral("imagePullSecrets"), byName);
    table.insert(prefix + QStringLiteral("hostAliases"), {true, QStringLiteral("ip")});
    table.insert(prefix + QStringLiteral("topologySpreadConstraints"), {true, QStringLiteral("topologyKey")});
    table.insert(prefix + QStringLiteral("schedulingGates"), byName);
    table.insert(prefix + QStringLiteral("resourceClaims"), byName);
}

void addMetadataRules(RuleTable& table, const QString& prefix)
{
    table.insert(prefix + QStringLiteral("finalizers"), {true, QString()});
    table.insert(prefix + QStringLiteral("ownerReferences"), {true, QStringLiteral("uid")});
}

// The patchStrategy/patchMergeKey tags of k8s.io/api, by kind and dotted field path (list indices left out).
const RuleTable& rulesFor(const QString& kind)
{
    static const QHash<QString, RuleTable> tables = [] {
        QHash<QString, RuleTable> all;
        const ListRule byType{true, QStringLiteral("type")};

        RuleTable common;
        addMetadataRules(common, QStringLiteral("metadata."));
        all.insert(QString(), common);

        RuleTable pod = common;
        addPodSpecRules(pod, QStringLiteral("spec."));
        pod.insert(QStringLiteral("status.conditions"), byType);
        pod.insert(QStringLiteral("status.podIPs"), {true, QStringLiteral("ip")});
        pod.insert(QStringLiteral("status.hostIPs"), {true, QStringLiteral("ip")});
        all.insert(QStringLiteral("Pod"), pod);

        RuleTable node = common;
        node.insert(QStringLiteral("status.conditions"), byType);
        node.insert(QStringLiteral("status.addresses"), byType);
        node.insert(QStringLiteral("spec.podCIDRs"), {true, QString()});
        all.insert(QStringLiteral("Node"), node);

        RuleTable service = common;
        service.insert(QStringLiteral("spec.ports"), {true, QStringLiteral("port")});
        service.insert(QStringLiteral("status.conditions"), byType);
        all.insert(QStringLiteral("Service"), service);

        RuleTable serviceAccount = common;
        serviceAccount.insert(QStringLiteral("secrets"), {true, QStringLiteral("name")});
        all.insert(QStringLiteral("ServiceAccount"), serviceAccount);

        RuleTable ns = common;
        ns.insert(QStringLiteral("status.conditions"), byType);
        all.insert(QStringLiteral("Namespace"), ns);

        RuleTable podTemplate = common;
        addPodSpecRules(podTemplate, QStringLiteral("template.spec."));
        addMetadataRules(podTemplate, QStringLiteral("template.metadata."));
        all.insert(QStringLiteral("PodTemplate"), podTemplate);

        for (const char* workload :
             {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"}) {
            RuleTable table = common;
            addPodSpecRules(table, QStringLiteral("spec.template.spec."));
            addMetadataRules(table, QStringLiteral("spec.template.metadata."));
            table.insert(QStringLiteral("status.conditions"), byType);
            all.insert(QLatin1String(workload), table);
        }
        RuleTable cronJob = common;
        addPodSpecRules(cronJob, QStringLiteral("spec.jobTemplate.spec.template.spec."));
        all.insert(QStringLiteral("CronJob"), cronJob);
        return all;
    }();
    auto it = tables.constFind(kind);
    if (it == tables.constEnd())
        it = tables.constFind(QString()); // other kinds: only the object-meta lists have a strategy
    return it.value();
}

QString childPath(const QString& path, const QString& key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

bool isDirectiveKey(const QString& key)
{
    return key == kDirective || key == kRetainKeys || key.startsWith(kDeleteFromPrimitiveList) ||
           key.startsWith(kSetElementOrder);
}

/// What the typed decode after a real strategic merge does to values taken over whole from the patch: directive
/// keys vanish and null fields are dropped.
QJsonValue stripDirectives(const QJsonValue& value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QJsonObject out;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (isDirectiveKey(it.key()) || it.value().isNull())
                continue;
            out.insert(it.key(), stripDirectives(it.value()));
        }
        return out;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        QJsonArray out;
        for (const auto& item : array)
            out.append(stripDirectives(item));
        return out;
    }
    return value;
}

Error badPatch(const QString& message)
{
    return Error::badRequest(message);
}

Error noMergeKey(const QJsonValue& item, const QString& mergeKey)
{
    return badPatch(QStringLiteral("map: ") + compactJson(item) +
                    QStringLiteral(" does not contain declared merge key: ") + mergeKey);
}

class StrategicMerger
{
public:
    explicit StrategicMerger(const QString& kind) : m_rules(rulesFor(kind)) {}

    Result<QJsonObject> mergeMap(QJsonObject original, QJsonObject patch, const QString& path)
    {
        if (patch.contains(kDirective)) {
            const QJsonValue directive = patch.value(kDirective);
            if (directive == QJsonValue(QStringLiteral("replace"))) {
                patch.remove(kDirective);
                return stripDirectives(patch).toObject();
            }
            if (directive == QJsonValue(QStringLiteral("delete")))
                return QJsonObject();
            if (directive != QJsonValue(QStringLiteral("merge"))) {
                return badPatch(QStringLiteral("unknown patch type: ") + compactJson(directive) +
                                QStringLiteral(" in map: ") + compactJson(patch));
            }
            patch.remove(kDirective); // an explicit "merge" is what happens anyway
        }

        if (auto status = applyRetainKeys(original, patch); !status)
            return status.error();
        if (auto status = applySetElementOrder(original, patch, path); !status)
            return status.error();

        for (auto it = patch.begin(); it != patch.end(); ++it) {
            QString key = it.key();
            const QJsonValue patchValue = it.value();
            bool isDeleteList = false;
            if (key.startsWith(kDeleteFromPrimitiveList)) {
                const qsizetype slash = key.indexOf(QLatin1Char('/'));
                if (slash < 0 || key.left(slash) != kDeleteFromPrimitiveList)
                    return badPatch(QStringLiteral("invalid patch format of primitive list"));
                key = key.mid(slash + 1);
                isDeleteList = true;
                if (!patchValue.isArray())
                    return badPatch(QStringLiteral("invalid patch format of primitive list"));
            }

            if (patchValue.isNull()) {
                original.remove(key);
                continue;
            }
            if (!original.contains(key)) {
                if (!isDeleteList) // deleting from a list that is not there changes nothing
                    original.insert(key, stripDirectives(patchValue));
                continue;
            }
            const QJsonValue originalValue = original.value(key);
            if (originalValue.type() != patchValue.type()) {
                original.insert(key, stripDirectives(patchValue));
                continue;
            }
            const QString fieldPath = childPath(path, key);
            if (originalValue.isObject()) {
                auto merged = mergeMap(originalValue.toObject(), patchValue.toObject(), fieldPath);
                if (!merged)
                    return merged.error();
                original.insert(key, merged.value());
            } else if (originalValue.isArray()) {
                const ListRule rule = m_rules.value(fieldPath);
                if (!rule.merge && !isDeleteList) {
                    original.insert(key, stripDirectives(patchValue));
                    continue;
                }
                auto merged =
                    mergeSlice(originalValue.toArray(), patchValue.toArray(), fieldPath, rule.mergeKey, isDeleteList);
                if (!merged)
                    return merged.error();
                original.insert(key, merged.value());
            } else {
                original.insert(key, patchValue);
            }
        }
        return original;
    }

private:
    // ---- $retainKeys ----
    static Status applyRetainKeys(QJsonObject& original, QJsonObject& patch)
    {
        if (!patch.contains(kRetainKeys))
            return {};
        const QJsonValue retain = patch.take(kRetainKeys);
        if (!retain.isArray())
            return badPatch(QStringLiteral("invalid patch format of retainKeys"));
        QSet<QString> keep;
        for (const auto& item : retain.toArray()) {
            if (item.isString())
                keep.insert(item.toString());
        }
        for (auto it = patch.begin(); it != patch.end(); ++it) {
            if (it.value().isNull() || it.key().startsWith(kDeleteFromPrimitiveList) ||
                it.key().startsWith(kSetElementOrder))
                continue;
            if (!keep.contains(it.key()))
                return badPatch(QStringLiteral("invalid patch format of retainKeys"));
        }
        const QStringList keys = original.keys();
        for (const QString& key : keys) {
            if (!keep.contains(key))
                original.remove(key);
        }
        return {};
    }

    // ---- $setElementOrder/<list> ----
    Status applySetElementOrder(QJsonObject& original, QJsonObject& patch, const QString& path)
    {
        const QStringList keys = patch.keys();
        for (const QString& key : keys) {
            if (!key.startsWith(kSetElementOrder))
                continue;
            const QJsonValue orderValue = patch.take(key);
            const qsizetype slash = key.indexOf(QLatin1Char('/'));
            if (slash < 0 || key.left(slash) != kSetElementOrder || !orderValue.isArray())
                return badPatch(QStringLiteral("invalid patch format of setElementOrder list"));
            const QJsonArray order = orderValue.toArray();
            const QString listKey = key.mid(slash + 1);

            const bool foundOriginal = original.contains(listKey);
            const bool foundPatch = patch.contains(listKey);
            if (foundOriginal && !original.value(listKey).isArray())
                return badPatch(QStringLiteral("invalid patch format of setElementOrder list: ") + listKey +
                                QStringLiteral(" is not a list"));
            if (foundPatch && !patch.value(listKey).isArray())
                return badPatch(QStringLiteral("invalid patch format of setElementOrder list: ") + listKey +
                                QStringLiteral(" in the patch is not a list"));
            const QJsonArray originalList = original.value(listKey).toArray();
            const QJsonArray patchList = patch.value(listKey).toArray();
            const QString fieldPath = childPath(path, listKey);
            const ListRule rule = m_rules.value(fieldPath);

            if (auto status = validatePatchWithSetOrderList(patchList, order, rule.mergeKey); !status)
                return status;

            QJsonArray merged;
            if (foundOriginal && !foundPatch) {
                merged = originalList;
            } else if (!foundOriginal && foundPatch) {
                merged = stripDirectives(patchList).toArray();
            } else if (foundOriginal && foundPatch) {
                if (rule.merge) {
                    auto result = mergeSlice(originalList, patchList, fieldPath, rule.mergeKey, false);
                    if (!result)
                        return result.error();
                    merged = result.value();
                } else {
                    merged = stripDirectives(patchList).toArray();
                }
            } else {
                continue;
            }

            const bool isMap = !merged.isEmpty() ? merged.first().isObject()
                                                 : (!originalList.isEmpty() && originalList.first().isObject());
            if (isMap && rule.mergeKey.isEmpty())
                return badPatch(QStringLiteral("cannot use $setElementOrder on ") + fieldPath +
                                QStringLiteral(": the list has no merge key"));
            QJsonArray patchItems;
            QJsonArray serverOnly;
            for (const auto& item : merged) {
                if (isMap && !item.toObject().contains(rule.mergeKey))
                    return noMergeKey(item, rule.mergeKey);
                if (indexOf(order, item, rule.mergeKey, isMap) >= 0)
                    patchItems.append(item);
                else
                    serverOnly.append(item);
            }
            auto ordered = normalizeElementOrder(patchItems, serverOnly, order, originalList, rule.mergeKey, isMap);
            if (!ordered)
                return ordered.error();
            original.insert(listKey, ordered.value());
            patch.remove(listKey);
        }
        return {};
    }

    static bool containsDirective(const QJsonValue& item)
    {
        return item.isObject() && item.toObject().contains(kDirective);
    }

    static Status
    validatePatchWithSetOrderList(const QJsonArray& patchList, const QJsonArray& order, const QString& mergeKey)
    {
        if (patchList.isEmpty() || order.isEmpty())
            return {};
        QJsonArray nonDelete;
        if (!mergeKey.isEmpty()) {
            for (const auto& item : patchList) {
                if (!item.isObject())
                    return badPatch(QStringLiteral("expected a map, but received a ") + compactJson(item));
                if (item.toObject().value(kDirective) != QJsonValue(QStringLiteral("delete")))
                    nonDelete.append(item);
            }
        } else {
            nonDelete = patchList;
        }
        qsizetype patchIndex = 0;
        qsizetype orderIndex = 0;
        while (patchIndex < nonDelete.size() && orderIndex < order.size()) {
            if (containsDirective(nonDelete.at(patchIndex))) {
                ++patchIndex;
                continue;
            }
            bool equal = false;
            if (mergeKey.isEmpty()) {
                equal = nonDelete.at(patchIndex) == order.at(orderIndex);
            } else {
                const QJsonObject left = nonDelete.at(patchIndex).toObject();
                const QJsonObject right = order.at(orderIndex).toObject();
                if (!left.contains(mergeKey))
                    return noMergeKey(left, mergeKey);
                if (!right.contains(mergeKey))
                    return noMergeKey(right, mergeKey);
                equal = left.value(mergeKey) == right.value(mergeKey);
            }
            if (equal)
                ++patchIndex;
            ++orderIndex;
        }
        if (patchIndex < nonDelete.size() && orderIndex >= order.size()) {
            return badPatch(QStringLiteral("The order in patch list:\n") + compactJson(patchList) +
                            QStringLiteral("\n doesn't match $setElementOrder list:\n") + compactJson(order) +
                            QLatin1Char('\n'));
        }
        return {};
    }

    // ---- lists with the merge strategy ----
    Result<QJsonArray>
    mergeSlice(QJsonArray original, QJsonArray patch, const QString& path, const QString& mergeKey, bool isDeleteList)
    {
        if (original.isEmpty() && patch.isEmpty())
            return original;

        // All elements must have one type, and not be lists.
        std::optional<QJsonValue::Type> type;
        for (const QJsonArray* list : {&original, &patch}) {
            for (const auto& item : *list) {
                if (!type) {
                    type = item.type();
                    if (*type == QJsonValue::Array)
                        return Error(ErrorCategory::Invalid, QStringLiteral("lists of lists are not supported"));
                } else if (*type != item.type()) {
                    return badPatch(QStringLiteral("list element types are not identical: ") + compactJson(original) +
                                    QLatin1Char(' ') + compactJson(patch));
                }
            }
        }
        const bool isMap = *type == QJsonValue::Object;

        QJsonArray merged;
        if (!isMap) {
            if (isDeleteList) {
                QJsonArray kept;
                for (const auto& item : original) {
                    if (!patch.contains(item))
                        kept.append(item);
                }
                return kept;
            }
            for (const QJsonArray* list : {&original, &patch}) {
                for (const auto& item : *list) {
                    if (!merged.contains(item))
                        merged.append(item);
                }
            }
        } else {
            if (mergeKey.isEmpty())
                return badPatch(QStringLiteral("cannot merge lists without merge key for ") + path);

            // Special elements: {"$patch": "delete", key: v} deletes, {"$patch": "replace"} replaces the list.
            QJsonArray regular;
            bool replace = false;
            for (const auto& item : patch) {
                const QJsonObject object = item.toObject();
                if (!object.contains(kDirective)) {
                    regular.append(item);
                    continue;
                }
                const QJsonValue directive = object.value(kDirective);
                if (directive == QJsonValue(QStringLiteral("delete"))) {
                    if (!object.contains(mergeKey))
                        return noMergeKey(object, mergeKey);
                    const QJsonValue doomed = object.value(mergeKey);
                    QJsonArray kept;
                    for (const auto& existing : original) {
                        if (!existing.isObject())
                            return badPatch(QStringLiteral("value in ") + path + QStringLiteral(" is not a map"));
                        const QJsonObject e = existing.toObject();
                        if (!(e.contains(mergeKey) && e.value(mergeKey) == doomed))
                            kept.append(existing);
                    }
                    original = kept;
                } else if (directive == QJsonValue(QStringLiteral("replace"))) {
                    replace = true;
                } else if (directive == QJsonValue(QStringLiteral("merge"))) {
                    return badPatch(QStringLiteral("merging lists cannot yet be specified in the patch"));
                } else {
                    return badPatch(QStringLiteral("unknown patch type: ") + compactJson(directive) +
                                    QStringLiteral(" in map: ") + compactJson(object));
                }
            }
            if (replace) {
                original = stripDirectives(regular).toArray();
                patch = QJsonArray();
            } else {
                patch = regular;
            }

            merged = original;
            for (const auto& item : patch) {
                const QJsonObject object = item.toObject();
                if (!object.contains(mergeKey))
                    return noMergeKey(object, mergeKey);
                const QJsonValue key = object.value(mergeKey);
                qsizetype found = -1;
                for (qsizetype i = 0; i < merged.size(); ++i) {
                    if (!merged.at(i).isObject())
                        return badPatch(QStringLiteral("value for key %1 is not a map.").arg(i));
                    const QJsonObject candidate = merged.at(i).toObject();
                    if (candidate.contains(mergeKey) && candidate.value(mergeKey) == key) {
                        found = i;
                        break;
                    }
                }
                if (found >= 0) {
                    auto mergedItem = mergeMap(merged.at(found).toObject(), object, path);
                    if (!mergedItem)
                        return mergedItem.error();
                    merged.replace(found, mergedItem.value());
                } else {
                    merged.append(stripDirectives(object));
                }
            }
        }

        // Enforce the order: items named in the patch in patch order, server-only items in their old order.
        QJsonArray patchItems;
        QJsonArray serverOnly;
        for (const auto& item : merged) {
            if (isMap && !item.toObject().contains(mergeKey))
                return noMergeKey(item, mergeKey);
            if (indexOf(patch, item, mergeKey, isMap) >= 0)
                patchItems.append(item);
            else
                serverOnly.append(item);
        }
        return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, isMap);
    }

    static qsizetype indexOf(const QJsonArray& list, const QJsonValue& value, const QString& mergeKey, bool isMap)
    {
        const QJsonValue wanted = isMap ? value.toObject().value(mergeKey) : value;
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QJsonValue candidate = isMap ? list.at(i).toObject().value(mergeKey) : list.at(i);
            if (candidate == wanted)
                return i;
        }
        return -1;
    }

    // strategicpatch.normalizeSliceOrder: a stable insertion sort by position in `order` (items not found there
    // sort as "less", exactly like the Go comparator), with delete directives moved to the end.
    static Result<QJsonArray>
    normalizeSliceOrder(const QJsonArray& toSort, const QJsonArray& order, const QString& mergeKey, bool isMap)
    {
        QList<QJsonValue> items;
        QJsonArray deletions;
        if (isMap) {
            for (const QJsonArray* list : {&toSort, &order}) {
                for (const auto& item : *list) {
                    if (!item.isObject())
                        return badPatch(QStringLiteral("expected a map, but received ") + compactJson(item));
                    if (!item.toObject().contains(mergeKey))
                        return noMergeKey(item, mergeKey);
                }
            }
            for (const auto& item : toSort) {
                if (item.toObject().value(kDirective) == QJsonValue(QStringLiteral("delete")))
                    deletions.append(item);
                else
                    items.append(item);
            }
        } else {
            for (const auto& item : toSort)
                items.append(item);
        }
        const auto less = [&](const QJsonValue& a, const QJsonValue& b) {
            const qsizetype ia = indexOf(order, a, mergeKey, isMap);
            if (ia >= 0) {
                const qsizetype ib = indexOf(order, b, mergeKey, isMap);
                if (ib >= 0)
                    return ia < ib;
            }
            return true;
        };
        for (qsizetype i = 1; i < items.size(); ++i) {
            for (qsizetype j = i; j > 0 && less(items.at(j), items.at(j - 1)); --j)
                items.swapItemsAt(j, j - 1);
        }
        QJsonArray out;
        for (const auto& item : items)
            out.append(item);
        for (const auto& item : deletions)
            out.append(item);
        return out;
    }

    // strategicpatch.normalizeElementOrder + mergeSortedSlice: server-only items are woven into the patch items,
    // going first only when the live list had them before the patch item they are compared with.
    static Result<QJsonArray> normalizeElementOrder(const QJsonArray& patchItems,
                                                    const QJsonArray& serverOnly,
                                                    const QJsonArray& patchOrder,
                                                    const QJsonArray& serverOrder,
                                                    const QString& mergeKey,
                                                    bool isMap)
    {
        auto right = normalizeSliceOrder(patchItems, patchOrder, mergeKey, isMap);
        if (!right)
            return right.error();
        auto left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, isMap);
        if (!left)
            return left.error();
        QJsonArray out;
        qsizetype i = 0;
        qsizetype j = 0;
        const QJsonArray& l = left.value();
        const QJsonArray& r = right.value();
        while (i < l.size() || j < r.size()) {
            if (i >= l.size()) {
                out.append(r.at(j++));
            } else if (j >= r.size()) {
                out.append(l.at(i++));
            } else {
                const qsizetype li = indexOf(serverOrder, l.at(i), mergeKey, isMap);
                const qsizetype ri = indexOf(serverOrder, r.at(j), mergeKey, isMap);
                if (li >= 0 && ri >= 0 && li < ri)
                    out.append(l.at(i++));
                else
                    out.append(r.at(j++));
            }
        }
        return out;
    }

    RuleTable m_rules;
};

} // namespace

QJsonValue applyMergePatch(const QJsonValue& target, const QJsonValue& patch)
{
    return mergePatchValue(target, patch);
}

Result<QJsonValue> applyJsonPatch(const QJsonValue& target, const QJsonArray& operations)
{
    auto ops = decodeJsonPatch(operations);
    if (!ops)
        return ops.error();
    QJsonValue document = target;
    for (qsizetype i = 0; i < ops->size(); ++i) {
        const JsonPatchOp& op = ops->at(i);
        if (auto failure = applyOne(document, op)) {
            qCDebug(lcApi) << "json patch operation" << i << op.op << op.path << "failed:" << failure->detail;
            Error error(ErrorCategory::Invalid, QStringLiteral("json patch operation %1 (%2 \"%3\") failed: %4")
                                                    .arg(i)
                                                    .arg(op.op, op.path, failure->detail));
            return error;
        }
    }
    return document;
}

Result<QJsonObject> applyStrategicMergePatch(const QJsonObject& target, const QJsonObject& patch, const QString& kind)
{
    StrategicMerger merger(kind);
    return merger.mergeMap(target, patch, QString());
}

QString mergeKeyFor(const QString& kind, const QString& listPath)
{
    return rulesFor(kind).value(listPath).mergeKey;
}

QJsonObject createMergePatch(const QJsonObject& original, const QJsonObject& modified)
{
    return diffObjects(original, modified);
}

} // namespace vk::api::patch
