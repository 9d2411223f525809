// SPDX-License-Identifier: Apache-2.0
// ConfigMaps, Secrets and ServiceAccounts: defaults (secret type, stringData folded into data as the v1 conversion
// does), ValidateConfigMap/ValidateSecret/ValidateServiceAccount with their update rules, and their printers.
#include "sandbox/kinds/FieldRules.h"
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

constexpr int kMaxSecretSize = 1024 * 1024;
const QString kImmutableWhenSet = QStringLiteral("field is immutable when `immutable` is set");

// Decoded size of a base64 value, or -1 when it is not base64.
qsizetype decodedSize(const QJsonValue& value)
{
    const QByteArray::FromBase64Result decoded =
        QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return -1;
    return decoded.decoded.size();
}

bool isImmutable(const QJsonObject& object)
{
    return boolField(object, QLatin1String("immutable"));
}

void validateImmutableData(const QJsonObject& object,
                           const QJsonObject& old,
                           const QList<QLatin1String>& fields,
                           Causes& causes)
{
    if (!isImmutable(old))
        return;
    if (!isImmutable(object))
        av::forbidden(QStringLiteral("immutable"), kImmutableWhenSet, causes);
    for (const QLatin1String f : fields) {
        if (objectField(object, f) != objectField(old, f))
            av::forbidden(QString(f), kImmutableWhenSet, causes);
    }
}

} // namespace

Causes validateConfigMap(const QJsonObject& cm, const QJsonObject* old)
{
    Causes causes;
    if (old) {
        validateObjectMetaUpdate(cm, *old, causes);
        validateImmutableData(cm, *old, {QLatin1String("data"), QLatin1String("binaryData")}, causes);
    }
    validateObjectMeta(cm, true, NameRule::Dns1123Subdomain, causes);
    const QJsonObject data = objectField(cm, QLatin1String("data"));
    const QJsonObject binaryData = objectField(cm, QLatin1String("binaryData"));
    qint64 total = 0;
    for (auto it = data.begin(); it != data.end(); ++it) {
        const QString path = QStringLiteral("data[") + it.key() + QLatin1Char(']');
        for (const QString& msg : configMapKeyErrors(it.key()))
            av::invalid(path, it.key(), msg, causes);
        if (binaryData.contains(it.key()))
            av::invalid(path, it.key(), QStringLiteral("duplicate of key present in binaryData"), causes);
        total += it.value().toString().toUtf8().size();
    }
    for (auto it = binaryData.begin(); it != binaryData.end(); ++it) {
        const QString path = QStringLiteral("binaryData[") + it.key() + QLatin1Char(']');
        for (const QString& msg : configMapKeyErrors(it.key()))
            av::invalid(path, it.key(), msg, causes);
        const qsizetype size = decodedSize(it.value());
        if (size < 0)
            av::invalid(path, QStringLiteral("<binary data>"), QStringLiteral("illegal base64 data"), causes);
        else
            total += size;
    }
    if (total > kMaxSecretSize)
        av::tooLong(QString(), kMaxSecretSize, causes);
    return causes;
}

QList<TableColumn> configMapColumns()
{
    return {nameColumn(),
            {QStringLiteral("Data"), QStringLiteral("string"), QString(),
             QStringLiteral("Data contains the configuration data. Each key must consist of alphanumeric characters, "
                            "'-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The "
                            "keys stored in Data must not overlap with the keys in the BinaryData field, this is "
                            "enforced during validation process."),
             0},
            ageColumn()};
}

QJsonArray configMapTableCells(const QJsonObject& cm, const QDateTime& now)
{
    const qint64 count =
        objectField(cm, QLatin1String("data")).size() + objectField(cm, QLatin1String("binaryData")).size();
    return {nameOf(cm), count, ageOf(cm, now)};
}

void applySecretDefaults(QJsonObject& secret)
{
    if (stringField(secret, QLatin1String("type")).isEmpty())
        secret.insert(QLatin1String("type"), QStringLiteral("Opaque"));
    if (secret.value(QLatin1String("stringData")).isObject()) {
        QJsonObject data = objectField(secret, QLatin1String("data"));
        const QJsonObject stringData = objectField(secret, QLatin1String("stringData"));
        for (auto it = stringData.begin(); it != stringData.end(); ++it)
            data.insert(it.key(), QString::fromLatin1(it.value().toString().toUtf8().toBase64()));
        secret.insert(QLatin1String("data"), data);
    }
    secret.remove(QLatin1String("stringData"));
}

Causes validateSecret(const QJsonObject& secret, const QJsonObject* old)
{
    Causes causes;
    if (old) {
        validateObjectMetaUpdate(secret, *old, causes);
        immutableField(QStringLiteral("type"), secret.value(QLatin1String("type")).toString(),
                       old->value(QLatin1String("type")).toString(), causes);
        validateImmutableData(secret, *old, {QLatin1String("data")}, causes);
    }
    validateObjectMeta(secret, true, NameRule::Dns1123Subdomain, causes);
    const QJsonObject data = objectField(secret, QLatin1String("data"));
    qint64 total = 0;
    for (auto it = data.begin(); it != data.end(); ++it) {
        const QString path = QStringLiteral("data[") + it.key() + QLatin1Char(']');
        for (const QString& msg : configMapKeyErrors(it.key()))
            av::invalid(path, it.key(), msg, causes);
        const qsizetype size = decodedSize(it.value());
        if (size < 0)
            av::invalid(path, QStringLiteral("<secret contents redacted>"), QStringLiteral("illegal base64 data"),
                        causes);
        else
            total += size;
    }
    if (total > kMaxSecretSize)
        av::tooLong(QStringLiteral("data"), kMaxSecretSize, causes);

    const QString type = stringField(secret, QLatin1String("type"));
    const auto requireKey = [&](const QString& k) {
        if (!data.contains(k))
            av::required(QStringLiteral("data[") + k + QLatin1Char(']'), causes);
    };
    if (type == QLatin1String("kubernetes.io/service-account-token")) {
        const QJsonObject annotations = objectField(metadataOf(secret), QLatin1String("annotations"));
        if (stringField(annotations, QLatin1String("kubernetes.io/service-account.name")).isEmpty())
            av::required(QStringLiteral("metadata.annotations[kubernetes.io/service-account.name]"), causes);
    } else if (type == QLatin1String("kubernetes.io/dockercfg")) {
        requireKey(QStringLiteral(".dockercfg"));
    } else if (type == QLatin1String("kubernetes.io/dockerconfigjson")) {
        requireKey(QStringLiteral(".dockerconfigjson"));
    } else if (type == QLatin1String("kubernetes.io/basic-auth")) {
        if (!data.contains(QLatin1String("username")) && !data.contains(QLatin1String("password"))) {
            av::required(QStringLiteral("data[username]"), causes);
            av::required(QStringLiteral("data[password]"), causes);
        }
    } else if (type == QLatin1String("kubernetes.io/ssh-auth")) {
        if (decodedSize(data.value(QLatin1String("ssh-privatekey"))) <= 0)
            av::required(QStringLiteral("data[ssh-privatekey]"), causes);
    } else if (type == QLatin1String("kubernetes.io/tls")) {
        requireKey(QStringLiteral("tls.crt"));
        requireKey(QStringLiteral("tls.key"));
    }
    return causes;
}

QList<TableColumn> secretColumns()
{
    return {nameColumn(),
            {QStringLiteral("Type"), QStringLiteral("string"), QString(),
             QStringLiteral("Used to facilitate programmatic handling of secret data. More info: "
                            "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
             0},
            {QStringLiteral("Data"), QStringLiteral("string"), QString(),
             QStringLiteral("Data contains the secret data. Each key must consist of alphanumeric characters, '-', "
                            "'_' or '.'. The serialized form of the secret data is a base64 encoded string, "
                            "representing the arbitrary (possibly non-string) data value here. Described in "
                            "https://tools.ietf.org/html/rfc4648#section-4"),
             0},
            ageColumn()};
}

QJsonArray secretTableCells(const QJsonObject& secret, const QDateTime& now)
{
    return {nameOf(secret), stringField(secret, QLatin1String("type")),
            qint64(objectField(secret, QLatin1String("data")).size()), ageOf(secret, now)};
}

QString secretFieldValue(const QJsonObject& secret, const QString& field)
{
    bool known = false;
    const QString meta = metadataFieldValue(secret, field, &known);
    if (known)
        return meta;
    if (field == QLatin1String("type"))
        return stringField(secret, QLatin1String("type"));
    return {};
}

Causes validateServiceAccount(const QJsonObject& sa, const QJsonObject* old)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(sa, *old, causes);
    validateObjectMeta(sa, true, NameRule::Dns1123Subdomain, causes);
    return causes;
}

QList<TableColumn> serviceAccountColumns()
{
    return {nameColumn(),
            {QStringLiteral("Secrets"), QStringLiteral("string"), QString(),
             QStringLiteral("Secrets is a list of the secrets in the same namespace that pods running using this "
                            "ServiceAccount are allowed to use. Pods are only limited to this list if this service "
                            "account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". "
                            "The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. "
                            "Prefer separate namespaces to isolate access to mounted secrets. This field should not "
                            "be used to find auto-generated service account token secrets for use outside of pods. "
                            "Instead, tokens can be requested directly using the TokenRequest API, or service "
                            "account token secrets can be manually created. More info: "
                            "https://kubernetes.io/docs/concepts/configuration/secret"),
             0},
            ageColumn()};
}

QJsonArray serviceAccountTableCells(const QJsonObject& sa, const QDateTime& now)
{
    return {nameOf(sa), qint64(arrayField(sa, QLatin1String("secrets")).size()), ageOf(sa, now)};
}

} // namespace vk::sandbox::detail
