// SPDX-License-Identifier: Apache-2.0
// One pod's env, as upstream virtual-kubelet's PopulateEnvironmentVariables (internal/podutils/env.go) and the
// kubelet's makeEnvironmentVariables compute it, with deterministic output order.
#include "env/EnvDetail.h"
#include "env/Logging.h"

#include "core/Json.h"

#include <QJsonArray>

#include <algorithm>

namespace vk::env::detail {

namespace {

using json::str;

bool isOptional(const QJsonObject& ref)
{
    return ref.value(QLatin1String("optional")).toBool(false);
}

QString quoted(const QString& s)
{
    return goQuote(s);
}

/// "configmap" / "secret" as upstream's messages spell them.
QString lower(const QString& kind)
{
    return kind == QLatin1String("Secret") ? QStringLiteral("secret") : QStringLiteral("configmap");
}

QString resourceOf(const QString& kind)
{
    return kind == QLatin1String("Secret") ? QStringLiteral("secrets") : QStringLiteral("configmaps");
}

/// The object's data as strings: ConfigMap data as is; Secret data base64-decoded and read as UTF-8.
QMap<QString, QString> dataOf(const QString& kind, const QJsonObject& object)
{
    QMap<QString, QString> out;
    const QJsonObject data = object.value(QLatin1String("data")).toObject();
    for (auto it = data.begin(); it != data.end(); ++it) {
        if (kind == QLatin1String("Secret"))
            out.insert(it.key(), QString::fromUtf8(QByteArray::fromBase64(it.value().toString().toLatin1())));
        else
            out.insert(it.key(), it.value().toString());
    }
    if (kind == QLatin1String("Secret")) {
        // stringData is write-only on a real server; honour it if a client-side object still carries it.
        const QJsonObject stringData = object.value(QLatin1String("stringData")).toObject();
        for (auto it = stringData.begin(); it != stringData.end(); ++it)
            out.insert(it.key(), it.value().toString());
    }
    return out;
}

} // namespace

QJsonArray envList(const QMap<QString, QString>& vars)
{
    QJsonArray list;
    for (auto it = vars.cbegin(); it != vars.cend(); ++it)
        list.append(QJsonObject{{QStringLiteral("name"), it.key()}, {QStringLiteral("value"), it.value()}});
    return list;
}

PodEnvBuilder::PodEnvBuilder(QJsonObject pod,
                             PodAddresses addresses,
                             QMap<QString, QString> serviceEnv,
                             QJsonArray serviceEnvList,
                             Lookup lookup,
                             EventSink events)
    : m_pod(std::move(pod)), m_addresses(std::move(addresses)), m_serviceEnv(std::move(serviceEnv)),
      m_serviceEnvList(std::move(serviceEnvList)), m_lookup(std::move(lookup)), m_events(std::move(events))
{
    m_podName = m_pod.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
}

Result<QJsonObject> PodEnvBuilder::build()
{
    QJsonObject spec = m_pod.value(QLatin1String("spec")).toObject();
    for (const char* listName : {"initContainers", "containers", "ephemeralContainers"}) {
        const QLatin1String key(listName);
        if (!spec.contains(key))
            continue;
        QJsonArray list = spec.value(key).toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            QJsonObject container = list.at(i).toObject();
            auto env = containerEnv(container);
            if (!env)
                return env.error();
            container.remove(QLatin1String("envFrom"));
            if (env->isEmpty())
                container.remove(QLatin1String("env"));
            else
                container.insert(QLatin1String("env"), env.value());
            list.replace(i, container);
        }
        spec.insert(key, list);
    }
    QJsonObject pod = m_pod;
    pod.insert(QLatin1String("spec"), spec);
    return pod;
}

Status PodEnvBuilder::envFromSource(const QJsonObject& envFrom, QMap<QString, QString>& env)
{
    QString kind;
    QJsonObject ref;
    if (envFrom.value(QLatin1String("configMapRef")).isObject()) {
        kind = QStringLiteral("ConfigMap");
        ref = envFrom.value(QLatin1String("configMapRef")).toObject();
    } else if (envFrom.value(QLatin1String("secretRef")).isObject()) {
        kind = QStringLiteral("Secret");
        ref = envFrom.value(QLatin1String("secretRef")).toObject();
    } else {
        qCWarning(lcEnv).noquote() << "pod" << m_podName << ": envFrom entry without configMapRef or secretRef ignored";
        return {};
    }
    const QString name = str(ref, "name");
    const bool optional = isOptional(ref);
    const QString what = lower(kind);
    const QString kindName = kind == QLatin1String("Secret") ? QStringLiteral("Secret") : QStringLiteral("ConfigMap");
    const ObjectSnapshot snap = m_lookup(kind, name);
    if (snap.state == ObjectSnapshot::State::Missing) {
        const QString message = what + QLatin1Char(' ') + quoted(name) + QStringLiteral(" not found");
        if (optional) {
            m_events(QStringLiteral("Optional") + kindName + QStringLiteral("NotFound"), message);
            return {};
        }
        m_events(QStringLiteral("Mandatory") + kindName + QStringLiteral("NotFound"), message);
        return Error(ErrorCategory::NotFound, message).setDetails(name, resourceOf(kind));
    }
    if (snap.state == ObjectSnapshot::State::Failed) {
        const QString event = QStringLiteral("failed to read ") + what + QLatin1Char(' ') + quoted(name);
        qCWarning(lcEnv).noquote() << "failed to read" << what << name << ":" << snap.error.toString();
        if (optional) {
            m_events(QStringLiteral("FailedToReadOptional") + kindName, event);
            return {};
        }
        m_events(QStringLiteral("FailedToReadMandatory") + kindName, event);
        return Error(snap.error.category(), QStringLiteral("failed to fetch ") + what + QLatin1Char(' ') +
                                                quoted(name) + QStringLiteral(": ") + snap.error.message())
            .setDetails(name, resourceOf(kind));
    }

    const QString prefix = str(envFrom, "prefix");
    QStringList invalid;
    const QMap<QString, QString> data = dataOf(kind, snap.object);
    for (auto it = data.cbegin(); it != data.cend(); ++it) {
        const QString key = prefix + it.key();
        if (!isEnvVarName(key)) {
            invalid << key;
            continue;
        }
        env.insert(key, it.value());
    }
    if (!invalid.isEmpty()) {
        std::sort(invalid.begin(), invalid.end());
        const QJsonObject meta = snap.object.value(QLatin1String("metadata")).toObject();
        m_events(QStringLiteral("InvalidEnvironmentVariableNames"),
                 QStringLiteral("keys [%1] from %2 %3/%4 were skipped since they are invalid as environment variable "
                                "names")
                     .arg(invalid.join(QStringLiteral(", ")), what, str(meta, "namespace"), str(meta, "name")));
    }
    return {};
}

Result<std::optional<QString>>
PodEnvBuilder::keyRef(const QString& kind, const QString& envName, const QJsonObject& ref)
{
    const QString name = str(ref, "name");
    const QString key = str(ref, "key");
    const bool optional = isOptional(ref);
    const QString what = lower(kind);
    const QString kindName = kind;
    const ObjectSnapshot snap = m_lookup(kind, name);
    const QString skipping = QStringLiteral("skipping optional envvar ") + quoted(envName) + QStringLiteral(": ");
    if (snap.state == ObjectSnapshot::State::Missing) {
        const QString message = what + QLatin1Char(' ') + quoted(name) + QStringLiteral(" not found");
        if (optional) {
            m_events(QStringLiteral("Optional") + kindName + QStringLiteral("NotFound"), skipping + message);
            return std::optional<QString>();
        }
        m_events(QStringLiteral("Mandatory") + kindName + QStringLiteral("NotFound"), message);
        return Error(ErrorCategory::NotFound, message).setDetails(name, resourceOf(kind));
    }
    if (snap.state == ObjectSnapshot::State::Failed) {
        const QString message = QStringLiteral("failed to read ") + what + QLatin1Char(' ') + quoted(name);
        qCWarning(lcEnv).noquote() << "failed to read" << what << name << ":" << snap.error.toString();
        if (optional) {
            m_events(QStringLiteral("FailedToReadOptional") + kindName, skipping + message);
            return std::optional<QString>();
        }
        m_events(QStringLiteral("FailedToReadMandatory") + kindName, message);
        return Error(snap.error.category(), message + QStringLiteral(": ") + snap.error.message())
            .setDetails(name, resourceOf(kind));
    }
    const QMap<QString, QString> data = dataOf(kind, snap.object);
    const auto found = data.constFind(key);
    if (found == data.cend()) {
        const QString missing = QStringLiteral("key ") + quoted(key) + QStringLiteral(" does not exist in ") + what +
                                QLatin1Char(' ') + quoted(name);
        if (optional) {
            m_events(QStringLiteral("Optional") + kindName + QStringLiteral("KeyNotFound"), skipping + missing);
            return std::optional<QString>();
        }
        m_events(QStringLiteral("Mandatory") + kindName + QStringLiteral("KeyNotFound"), missing);
        return Error(ErrorCategory::NotFound, what + QLatin1Char(' ') + quoted(name) +
                                                  QStringLiteral(" doesn't contain the ") + quoted(key) +
                                                  QStringLiteral(" key required by pod ") + m_podName)
            .setDetails(name, resourceOf(kind));
    }
    return std::optional<QString>(found.value());
}

Result<QJsonArray> PodEnvBuilder::containerEnv(const QJsonObject& container)
{
    // Neither env nor envFrom (most containers): the service variables, a list the caller may already have.
    if (container.value(QLatin1String("envFrom")).toArray().isEmpty() &&
        container.value(QLatin1String("env")).toArray().isEmpty())
        return m_serviceEnvList.isEmpty() ? envList(m_serviceEnv) : m_serviceEnvList;

    // 1. envFrom, in order; later sources overwrite earlier ones.
    QMap<QString, QString> env;
    for (const auto& item : container.value(QLatin1String("envFrom")).toArray()) {
        if (Status s = envFromSource(item.toObject(), env); !s)
            return s.error();
    }
    const QStringList fromEnvFrom = env.keys();

    // 2. env entries, in order: $(VAR) against envFrom + earlier entries, then the service variables.
    const auto lookup = [&](const QString& name) -> std::optional<QString> {
        if (auto it = env.constFind(name); it != env.cend())
            return it.value();
        if (auto it = m_serviceEnv.constFind(name); it != m_serviceEnv.cend())
            return it.value();
        return std::nullopt;
    };
    QStringList declared;
    QSet<QString> declaredSet;
    for (const auto& item : container.value(QLatin1String("env")).toArray()) {
        const QJsonObject var = item.toObject();
        const QString name = str(var, "name");
        const QString literal = str(var, "value");
        const QJsonObject valueFrom = var.value(QLatin1String("valueFrom")).toObject();
        QString value;
        if (!literal.isEmpty()) {
            value = expand(literal, lookup);
        } else if (!valueFrom.isEmpty()) {
            if (valueFrom.value(QLatin1String("configMapKeyRef")).isObject() ||
                valueFrom.value(QLatin1String("secretKeyRef")).isObject()) {
                const bool cm = valueFrom.value(QLatin1String("configMapKeyRef")).isObject();
                auto r = keyRef(cm ? QStringLiteral("ConfigMap") : QStringLiteral("Secret"), name,
                                valueFrom.value(QLatin1String(cm ? "configMapKeyRef" : "secretKeyRef")).toObject());
                if (!r)
                    return r.error();
                if (!r.value())
                    continue; // optional and missing: skipped
                value = *r.value();
            } else if (valueFrom.value(QLatin1String("fieldRef")).isObject()) {
                auto r = fieldRefValue(valueFrom.value(QLatin1String("fieldRef")).toObject(), m_pod, m_addresses);
                if (!r)
                    return r.error();
                value = r.value();
            } else if (valueFrom.value(QLatin1String("resourceFieldRef")).isObject()) {
                auto r = resourceFieldRefValue(valueFrom.value(QLatin1String("resourceFieldRef")).toObject(), m_pod,
                                               container, m_addresses.nodeAllocatable);
                if (!r)
                    return r.error();
                value = r.value();
            } else {
                qCWarning(lcEnv).noquote()
                    << "pod" << m_podName << ": env" << name << "has a valueFrom this agent cannot resolve; dropped";
                continue;
            }
        }
        env.insert(name, value);
        if (!declaredSet.contains(name)) {
            declaredSet.insert(name);
            declared << name;
        }
    }

    // 3. The literal list: envFrom-derived (not overridden), service variables nobody set, env entries.
    QJsonArray out;
    auto add = [&out](const QString& name, const QString& value) {
        out.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    };
    for (const QString& name : fromEnvFrom) {
        if (!declaredSet.contains(name))
            add(name, env.value(name));
    }
    for (auto it = m_serviceEnv.cbegin(); it != m_serviceEnv.cend(); ++it) {
        if (!env.contains(it.key()))
            add(it.key(), it.value());
    }
    for (const QString& name : declared)
        add(name, env.value(name));
    return out;
}

} // namespace vk::env::detail
