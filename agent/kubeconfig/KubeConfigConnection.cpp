// SPDX-License-Identifier: Apache-2.0
// KubeConfig::connection(): resolving one context of a merged kubeconfig into a ClusterConnection, with the
// validation client-go's DirectClientConfig and transport apply.
#include "kubeconfig/ConfigSection.h"
#include "kubeconfig/KubeConfig.h"
#include "kubeconfig/Pem.h"

#include <QFile>

namespace vk::kube {

namespace {

const QString kExecV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kExecV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");

QString filesText(const QStringList& files)
{
    return files.join(QStringLiteral(", "));
}

/// A file named by a field: read whole, or an error naming the kubeconfig, the field and the file.
Result<QByteArray> readFileField(const ConfigSection& section, QLatin1String key, const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return section.error(key, QStringLiteral("cannot read file \"%1\": %2").arg(path, file.errorString()));
    return file.readAll();
}

/// What a PEM error should name: the field, and the file it was read from when it came from a file.
QString pemOrigin(const ConfigSection& section, QLatin1String key, const QString& path = {})
{
    QString origin = section.file() + QStringLiteral(": ") + section.field(key);
    if (!path.isEmpty())
        origin += QStringLiteral(" (\"%1\")").arg(path);
    return origin;
}

/// The bytes of a `<name>` / `<name>-data` pair: the file (resolved against the kubeconfig's directory) or the
/// base64 data. Empty when neither is set.
Result<QByteArray>
fileOrData(const ConfigSection& section, QLatin1String fileKey, QLatin1String dataKey, QString* originOut)
{
    auto path = section.string(fileKey);
    if (!path)
        return path.error();
    auto data = section.string(dataKey);
    if (!data)
        return data.error();
    if (!data->isEmpty()) {
        *originOut = pemOrigin(section, dataKey);
        return pem::decodeBase64(*data, section.file() + QStringLiteral(": ") + section.field(dataKey));
    }
    if (!path->isEmpty()) {
        const QString resolved = section.resolvePath(*path);
        *originOut = pemOrigin(section, fileKey, resolved);
        return readFileField(section, fileKey, resolved);
    }
    return QByteArray();
}

Status checkNotBoth(const ConfigSection& section, QLatin1String fileKey, QLatin1String dataKey, const QString& owner)
{
    if (!section.string(fileKey).valueOr({}).isEmpty() && !section.string(dataKey).valueOr({}).isEmpty())
        return section.error(
            QStringLiteral("%1 and %2 are both specified for %3; remove one of them").arg(dataKey, fileKey, owner));
    return {};
}

Result<QUrl> parseServer(const ConfigSection& section, const QString& text, bool tls)
{
    const QLatin1String key("server");
    // As client-go's DefaultServerURL: a bare host:port gets https:// when TLS is configured, http:// otherwise.
    const QString withScheme = text.contains(QStringLiteral("://"))
                                   ? text
                                   : (tls ? QStringLiteral("https://") : QStringLiteral("http://")) + text;
    const QUrl url(withScheme, QUrl::StrictMode);
    if (!url.isValid())
        return section.error(key, QStringLiteral("malformed URL \"%1\": %2").arg(text, url.errorString()));
    if (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
        return section.error(key, QStringLiteral("malformed URL \"%1\": the scheme must be https or http, not \"%2\"")
                                      .arg(text, url.scheme()));
    if (url.host().isEmpty())
        return section.error(key, QStringLiteral("malformed URL \"%1\": it names no host").arg(text));
    if (url.hasQuery() || url.hasFragment())
        return section.error(key,
                             QStringLiteral("malformed URL \"%1\": it must not have a query or fragment").arg(text));
    return url;
}

Status applyCluster(ClusterConnection& connection, const ConfigSection& section)
{
    const QString owner = QStringLiteral("cluster \"%1\"").arg(connection.clusterName);
    auto server = section.string(QLatin1String("server"));
    if (!server)
        return server.error();
    auto insecure = section.boolean(QLatin1String("insecure-skip-tls-verify"));
    if (!insecure)
        return insecure.error();
    auto tlsServerName = section.string(QLatin1String("tls-server-name"));
    if (!tlsServerName)
        return tlsServerName.error();
    auto proxy = section.string(QLatin1String("proxy-url"));
    if (!proxy)
        return proxy.error();
    if (auto both = checkNotBoth(section, QLatin1String("certificate-authority"),
                                 QLatin1String("certificate-authority-data"), owner);
        !both)
        return both;

    QString caOrigin;
    auto caBytes = fileOrData(section, QLatin1String("certificate-authority"),
                              QLatin1String("certificate-authority-data"), &caOrigin);
    if (!caBytes)
        return caBytes.error();
    if (!caOrigin.isEmpty()) {
        auto certs = pem::certificates(*caBytes, caOrigin);
        if (!certs)
            return certs.error();
        connection.caCertificates = *certs;
    }
    if (*insecure && !caOrigin.isEmpty())
        return section.error(
            QStringLiteral("specifying a root certificates file with the insecure flag is not "
                           "allowed (insecure-skip-tls-verify and certificate-authority%1 are "
                           "both set for %2)")
                .arg(caOrigin.contains(QLatin1String("-data")) ? QStringLiteral("-data") : QString(), owner));
    connection.insecureSkipTlsVerify = *insecure;
    connection.tlsServerName = *tlsServerName;

    if (server->isEmpty())
        return section.error(QLatin1String("server"), QStringLiteral("is not set: no server found for %1").arg(owner));
    const bool tls = !caOrigin.isEmpty() || *insecure || !tlsServerName->isEmpty();
    auto url = parseServer(section, *server, tls);
    if (!url)
        return url.error();
    connection.server = *url;

    if (!proxy->isEmpty()) {
        const QUrl proxyUrl(*proxy, QUrl::StrictMode);
        const QString scheme = proxyUrl.scheme();
        if (!proxyUrl.isValid() || proxyUrl.host().isEmpty())
            return section.error(QLatin1String("proxy-url"),
                                 QStringLiteral("invalid proxy URL \"%1\" for %2").arg(*proxy, owner));
        if (scheme != QLatin1String("http") && scheme != QLatin1String("https") && scheme != QLatin1String("socks5"))
            return section.error(QLatin1String("proxy-url"),
                                 QStringLiteral("invalid proxy URL \"%1\" for %2: only HTTP, HTTPS, and SOCKS5 "
                                                "proxies are supported")
                                     .arg(*proxy, owner));
        connection.proxyUrl = proxyUrl;
    }
    return {};
}

Result<ExecConfig> parseExec(const ConfigSection& exec, const QString& owner)
{
    ExecConfig config;
    auto apiVersion = exec.string(QLatin1String("apiVersion"));
    if (!apiVersion)
        return apiVersion.error();
    if (apiVersion->isEmpty())
        return exec.error(QLatin1String("apiVersion"),
                          QStringLiteral("must be specified for %1 to use an exec credential plugin").arg(owner));
    if (*apiVersion != kExecV1 && *apiVersion != kExecV1beta1)
        return exec.error(QLatin1String("apiVersion"),
                          QStringLiteral("exec plugin: invalid apiVersion \"%1\" (supported: %2, %3)")
                              .arg(*apiVersion, kExecV1, kExecV1beta1));
    config.apiVersion = *apiVersion;

    auto command = exec.string(QLatin1String("command"));
    if (!command)
        return command.error();
    if (command->isEmpty())
        return exec.error(QLatin1String("command"),
                          QStringLiteral("must be specified for %1 to use an exec credential plugin").arg(owner));
    // As client-go: a command with a path separator is relative to the kubeconfig, a bare name is looked up in PATH.
    config.command = command->contains(QLatin1Char('/')) ? exec.resolvePath(*command) : *command;

    auto args = exec.stringList(QLatin1String("args"));
    if (!args)
        return args.error();
    config.args = *args;

    auto env = exec.list(QLatin1String("env"));
    if (!env)
        return env.error();
    for (qsizetype i = 0; i < env->size(); ++i) {
        const QJsonValue item = env->at(i);
        const QString itemPath = QStringLiteral("%1[%2]").arg(exec.field(QLatin1String("env"))).arg(i);
        if (!item.isObject())
            return Error::invalidInput(QStringLiteral("%1: %2: expected a mapping with name and value, got %3")
                                           .arg(exec.file(), itemPath, ConfigSection::typeName(item)));
        const ConfigSection var(exec.file(), itemPath, item.toObject());
        auto name = var.string(QLatin1String("name"));
        if (!name)
            return name.error();
        auto value = var.string(QLatin1String("value"));
        if (!value)
            return value.error();
        if (name->isEmpty())
            return var.error(QLatin1String("name"),
                             QStringLiteral("env variable name must be specified for %1 to use an exec credential "
                                            "plugin")
                                 .arg(owner));
        config.env.append({*name, *value});
    }

    auto installHint = exec.string(QLatin1String("installHint"));
    if (!installHint)
        return installHint.error();
    config.installHint = *installHint;
    auto provideClusterInfo = exec.boolean(QLatin1String("provideClusterInfo"));
    if (!provideClusterInfo)
        return provideClusterInfo.error();
    config.provideClusterInfo = *provideClusterInfo;

    auto interactiveMode = exec.string(QLatin1String("interactiveMode"));
    if (!interactiveMode)
        return interactiveMode.error();
    config.interactiveMode = *interactiveMode;
    if (config.interactiveMode.isEmpty() && config.apiVersion == kExecV1beta1)
        config.interactiveMode = QStringLiteral("IfAvailable"); // client-go's default for v1beta1 only
    if (config.interactiveMode.isEmpty())
        return exec.error(QLatin1String("interactiveMode"),
                          QStringLiteral("must be specified for %1 to use an exec credential plugin with %2 "
                                         "(Never, IfAvailable or Always)")
                              .arg(owner, config.apiVersion));
    if (config.interactiveMode != QLatin1String("Never") && config.interactiveMode != QLatin1String("IfAvailable") &&
        config.interactiveMode != QLatin1String("Always"))
        return exec.error(QLatin1String("interactiveMode"),
                          QStringLiteral("invalid interactiveMode \"%1\" for %2 (Never, IfAvailable or Always)")
                              .arg(config.interactiveMode, owner));
    return config;
}

Status applyUser(ClusterConnection& connection, const ConfigSection& section)
{
    const QString owner = QStringLiteral("user \"%1\"").arg(connection.userName);

    if (section.has(QLatin1String("auth-provider"))) {
        auto provider = section.section(QLatin1String("auth-provider"));
        const QString name = provider ? provider->string(QLatin1String("name")).valueOr(QString()) : QString();
        return section.error(QLatin1String("auth-provider"),
                             QStringLiteral("the legacy auth-provider%1 of %2 is not supported (it was removed from "
                                            "kubectl in 1.26); use an exec credential plugin instead, such as "
                                            "kubelogin or gke-gcloud-auth-plugin")
                                 .arg(name.isEmpty() ? QString() : QStringLiteral(" \"%1\"").arg(name), owner));
    }

    struct StringField
    {
        QLatin1String key;
        QString* target;
    };
    QString token, tokenFile, username, password;
    for (const StringField& f :
         {StringField{QLatin1String("token"), &token}, StringField{QLatin1String("tokenFile"), &tokenFile},
          StringField{QLatin1String("username"), &username}, StringField{QLatin1String("password"), &password}}) {
        auto value = section.string(f.key);
        if (!value)
            return value.error();
        *f.target = *value;
    }

    QStringList methods;
    if (!token.isEmpty())
        methods << QStringLiteral("token");
    if (!username.isEmpty() || !password.isEmpty())
        methods << QStringLiteral("basicAuth");
    if (methods.size() > 1)
        return section.error(QStringLiteral("more than one authentication method found for %1; found [%2], only one "
                                            "is allowed")
                                 .arg(owner, methods.join(QLatin1Char(' '))));

    const QLatin1String certKey("client-certificate"), certDataKey("client-certificate-data");
    const QLatin1String keyKey("client-key"), keyDataKey("client-key-data");
    if (auto both = checkNotBoth(section, certKey, certDataKey, owner); !both)
        return both;
    if (auto both = checkNotBoth(section, keyKey, keyDataKey, owner); !both)
        return both;
    QString certOrigin, keyOrigin;
    auto certBytes = fileOrData(section, certKey, certDataKey, &certOrigin);
    if (!certBytes)
        return certBytes.error();
    auto keyBytes = fileOrData(section, keyKey, keyDataKey, &keyOrigin);
    if (!keyBytes)
        return keyBytes.error();
    if (!certOrigin.isEmpty() && keyOrigin.isEmpty())
        return section.error(keyKey, QStringLiteral("client-key-data or client-key must be specified for %1 to use "
                                                    "the client certificate")
                                         .arg(owner));
    if (certOrigin.isEmpty() && !keyOrigin.isEmpty())
        return section.error(certKey, QStringLiteral("client-certificate-data or client-certificate must be "
                                                     "specified for %1 to use the client key")
                                          .arg(owner));
    if (!certOrigin.isEmpty()) {
        auto cert = pem::certificate(*certBytes, certOrigin);
        if (!cert)
            return cert.error();
        auto key = pem::privateKey(*keyBytes, keyOrigin);
        if (!key)
            return key.error();
        connection.clientCertificate = *cert;
        connection.clientKey = *key;
    }

    connection.token = token;
    connection.username = username;
    connection.password = password;
    if (!tokenFile.isEmpty()) {
        connection.tokenFile = section.resolvePath(tokenFile);
        if (token.isEmpty()) { // client-go reads the file up front only when there is no literal token
            auto content = readFileField(section, QLatin1String("tokenFile"), connection.tokenFile);
            if (!content)
                return content.error();
            if (content->trimmed().isEmpty())
                return section.error(QLatin1String("tokenFile"),
                                     QStringLiteral("file \"%1\" is empty").arg(connection.tokenFile));
        }
    }

    if (section.has(QLatin1String("exec"))) {
        auto execSection = section.section(QLatin1String("exec"));
        if (!execSection)
            return execSection.error();
        auto exec = parseExec(*execSection, owner);
        if (!exec)
            return exec.error();
        connection.exec = *exec;
    }
    return {};
}

Error inContext(const Error& error, const QString& context)
{
    return Error(error.category(), error.message() + QStringLiteral(" (context \"%1\")").arg(context));
}

} // namespace

Result<ClusterConnection> KubeConfig::connection(const QString& contextName) const
{
    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    if (name.isEmpty()) {
        if (m_files.isEmpty())
            return Error::invalidInput(QStringLiteral("current-context is not set: no kubeconfig file was loaded"));
        QString message = QStringLiteral("current-context is not set in %1").arg(filesText(m_files));
        if (!m_contexts.isEmpty())
            message +=
                QStringLiteral("; choose a context with --context (%1)").arg(contextNames().join(QStringLiteral(", ")));
        return Error::invalidInput(message);
    }

    const auto it = std::find_if(m_contexts.cbegin(), m_contexts.cend(), [&](const auto& c) { return c.name == name; });
    if (it == m_contexts.cend()) {
        if (m_files.isEmpty())
            return Error::invalidInput(
                QStringLiteral("context \"%1\" does not exist: no kubeconfig file was loaded").arg(name));
        QString message = QStringLiteral("context \"%1\" does not exist in %2").arg(name, filesText(m_files));
        if (contextName.isEmpty())
            message += QStringLiteral(" (it is the current-context set in %1)").arg(m_currentContextFile);
        return Error::invalidInput(message);
    }
    const NamedContext& context = *it;
    const ConfigSection contextSection(context.file, QStringLiteral("contexts[name=%1].context").arg(name), {});

    ClusterConnection connection;
    connection.source = QStringLiteral("%1, context \"%2\"").arg(context.file, name);
    connection.contextName = name;
    connection.clusterName = context.cluster;
    connection.userName = context.user;

    if (context.cluster.isEmpty())
        return contextSection.error(QLatin1String("cluster"), QStringLiteral("is not set"));
    const auto cluster = m_clusters.constFind(context.cluster);
    if (cluster == m_clusters.cend())
        return contextSection.error(
            QLatin1String("cluster"),
            QStringLiteral("cluster \"%1\" does not exist in %2").arg(context.cluster, filesText(m_files)));
    const ConfigSection clusterSection(cluster->file, QStringLiteral("clusters[name=%1].cluster").arg(context.cluster),
                                       cluster->value);
    if (auto status = applyCluster(connection, clusterSection); !status)
        return inContext(status.error(), name);

    if (!context.user.isEmpty()) { // no user: anonymous, as client-go allows
        const auto user = m_users.constFind(context.user);
        if (user == m_users.cend())
            return contextSection.error(
                QLatin1String("user"),
                QStringLiteral("user \"%1\" does not exist in %2").arg(context.user, filesText(m_files)));
        const ConfigSection userSection(user->file, QStringLiteral("users[name=%1].user").arg(context.user),
                                        user->value);
        if (auto status = applyUser(connection, userSection); !status)
            return inContext(status.error(), name);
    }

    if (!context.namespaceName.isEmpty())
        connection.namespaceName = context.namespaceName;
    return connection;
}

} // namespace vk::kube
