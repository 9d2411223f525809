// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/KubeConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;
using namespace vk::kube;

namespace {

QString dataDir()
{
    return qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/kubeconfig");
}

QByteArray readData(const QString& name)
{
    QFile file(dataDir() + QLatin1Char('/') + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(content) == content.size();
}

/// Copies the PEM fixtures into <dir>/pki.
bool copyPki(const QString& dir)
{
    for (const char* name : {"ca.crt", "rsa-client.crt", "rsa-client-pkcs1.key", "rsa-client-pkcs8.key",
                             "ec-client.crt", "ec-client.key", "ec-client-pkcs8.key", "ed25519.key"}) {
        if (!writeFile(dir + QStringLiteral("/pki/") + QLatin1String(name), readData(QLatin1String(name))))
            return false;
    }
    return true;
}

QString base64Of(const char* name)
{
    return QString::fromLatin1(readData(QLatin1String(name)).toBase64());
}

/// "@/" in expectations stands for the test's temporary directory.
QString expand(QString text, const QString& tmp)
{
    return text.replace(QStringLiteral("@/"), tmp + QLatin1Char('/'));
}

QStringList expand(QStringList list, const QString& tmp)
{
    for (QString& item : list)
        item = expand(item, tmp);
    return list;
}

QString commonName(const QSslCertificate& cert)
{
    return cert.subjectInfo(QSslCertificate::CommonName).join(QLatin1Char(','));
}

/// Everything a connection carries, one "key=value" per set field, paths under the temporary dir as "@/".
QStringList describe(const ClusterConnection& c, const QString& tmp)
{
    auto rel = [&](QString path) { return path.replace(tmp + QLatin1Char('/'), QStringLiteral("@/")); };
    QStringList out;
    out << QStringLiteral("server=") + c.server.toString();
    if (!c.caCertificates.isEmpty()) {
        QStringList names;
        for (const auto& cert : c.caCertificates)
            names << commonName(cert);
        out << QStringLiteral("ca=") + names.join(QLatin1Char(','));
    }
    if (c.insecureSkipTlsVerify)
        out << QStringLiteral("insecure");
    if (!c.tlsServerName.isEmpty())
        out << QStringLiteral("tls-server-name=") + c.tlsServerName;
    if (!c.proxyUrl.isEmpty())
        out << QStringLiteral("proxy=") + c.proxyUrl.toString();
    if (!c.clientCertificate.isNull())
        out << QStringLiteral("client=") + commonName(c.clientCertificate);
    if (!c.clientKey.isNull())
        out << QStringLiteral("key=") + (c.clientKey.algorithm() == QSsl::Rsa  ? QStringLiteral("RSA")
                                         : c.clientKey.algorithm() == QSsl::Ec ? QStringLiteral("EC")
                                                                               : QStringLiteral("other"));
    if (!c.token.isEmpty())
        out << QStringLiteral("token=") + c.token;
    if (!c.tokenFile.isEmpty())
        out << QStringLiteral("tokenFile=") + rel(c.tokenFile);
    if (!c.username.isEmpty() || !c.password.isEmpty())
        out << QStringLiteral("basic=") + c.username + QLatin1Char(':') + c.password;
    if (c.exec) {
        out << (QStringList{QStringLiteral("exec=") + rel(c.exec->command)} + c.exec->args).join(QLatin1Char(' '));
        out << QStringLiteral("exec-api=") + c.exec->apiVersion;
        if (!c.exec->env.isEmpty()) {
            QStringList env;
            for (const auto& [name, value] : c.exec->env)
                env << name + QLatin1Char('=') + value;
            out << QStringLiteral("exec-env=") + env.join(QLatin1Char(','));
        }
        if (!c.exec->installHint.isEmpty())
            out << QStringLiteral("exec-hint=") + c.exec->installHint;
        if (c.exec->provideClusterInfo)
            out << QStringLiteral("exec-cluster-info");
        out << QStringLiteral("exec-interactive=") + c.exec->interactiveMode;
    }
    out << QStringLiteral("namespace=") + c.namespaceName;
    return out;
}

/// An empty string when `message` contains every fragment, else what is missing.
QString missingFragments(const QString& message, const QStringList& fragments)
{
    QStringList missing;
    for (const QString& fragment : fragments) {
        if (!message.contains(fragment))
            missing << fragment;
    }
    if (missing.isEmpty())
        return {};
    return QStringLiteral("message:\n  %1\ndoes not mention:\n  %2").arg(message, missing.join(QStringLiteral("\n  ")));
}

/// A one-cluster ("c"), one-user ("u"), one-context ("x", current) kubeconfig around the given fields.
QString config(const QString& clusterFields, const QString& userFields)
{
    auto indent = [](const QString& fields) {
        QStringList lines = fields.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (QString& line : lines)
            line.prepend(QStringLiteral("    "));
        return lines.join(QLatin1Char('\n'));
    };
    return QStringLiteral("clusters:\n- name: c\n  cluster:\n") + indent(clusterFields) +
           QStringLiteral("\nusers:\n- name: u\n  user:\n") + indent(userFields) +
           QStringLiteral("\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n");
}

QString server()
{
    return QStringLiteral("server: https://127.0.0.1:6443");
}

QProcessEnvironment environment(const QStringList& variables)
{
    QProcessEnvironment env;
    for (const QString& variable : variables) {
        const qsizetype eq = variable.indexOf(QLatin1Char('='));
        env.insert(variable.left(eq), variable.mid(eq + 1));
    }
    return env;
}

} // namespace

class KubeConfigTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_allAuth;

    QString tmp() const { return m_tmp.path(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY(copyPki(tmp()));
        QString text = QString::fromUtf8(readData(QStringLiteral("all-auth.yaml")));
        text.replace(QStringLiteral("${CA_DATA}"), base64Of("ca.crt"));
        text.replace(QStringLiteral("${RSA_CERT_DATA}"), base64Of("rsa-client.crt"));
        text.replace(QStringLiteral("${RSA_PKCS8_KEY_DATA}"), base64Of("rsa-client-pkcs8.key"));
        text.replace(QStringLiteral("${EC_CERT_DATA}"), base64Of("ec-client.crt"));
        text.replace(QStringLiteral("${EC_KEY_DATA}"), base64Of("ec-client.key"));
        QVERIFY(!text.contains(QStringLiteral("${")));
        m_allAuth = tmp() + QStringLiteral("/all-auth/config");
        QVERIFY(writeFile(m_allAuth, text.toUtf8()));
        QVERIFY(copyPki(tmp() + QStringLiteral("/all-auth")));
        QVERIFY(writeFile(tmp() + QStringLiteral("/all-auth/secrets/token"), "file-token\n"));
        QVERIFY(writeFile(tmp() + QStringLiteral("/secrets/empty-token"), "\n"));
    }

    void resolvesEveryAuthKind_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QStringList>("expected");
        const QString caFile = QStringLiteral("server=https://127.0.0.1:6443");
        const QString ca = QStringLiteral("ca=vk-test-ca");
        const QString caData = QStringLiteral("server=https://[::1]:6443/prefix");
        const QStringList caDataExtras{ca, QStringLiteral("tls-server-name=kubernetes.default.svc"),
                                       QStringLiteral("proxy=socks5://127.0.0.1:1080")};
        const QString defaultNs = QStringLiteral("namespace=default");

        QTest::newRow("client certificate and PKCS#1 RSA key read from files relative to the kubeconfig")
            << QStringLiteral("rsa-files")
            << QStringList{caFile, ca, QStringLiteral("client=rsa-admin"), QStringLiteral("key=RSA"),
                           QStringLiteral("namespace=kube-system")};
        QTest::newRow("PKCS#8 RSA key from ./-relative files")
            << QStringLiteral("rsa-pkcs8-files")
            << QStringList{caFile, ca, QStringLiteral("client=rsa-admin"), QStringLiteral("key=RSA"), defaultNs};
        QTest::newRow("embedded certificate, PKCS#8 key and CA; IPv6 server with a prefix, tls-server-name, proxy")
            << QStringLiteral("rsa-data")
            << QStringList{caData} + caDataExtras +
                   QStringList{QStringLiteral("client=rsa-admin"), QStringLiteral("key=RSA"), defaultNs};
        QTest::newRow("SEC1 EC key read from files")
            << QStringLiteral("ec-files")
            << QStringList{caFile, ca, QStringLiteral("client=ec-admin"), QStringLiteral("key=EC"), defaultNs};
        QTest::newRow("PKCS#8 EC key read from files")
            << QStringLiteral("ec-pkcs8-files")
            << QStringList{caFile, ca, QStringLiteral("client=ec-admin"), QStringLiteral("key=EC"), defaultNs};
        QTest::newRow("embedded EC certificate and key, context namespace")
            << QStringLiteral("ec-data")
            << QStringList{caData} + caDataExtras +
                   QStringList{QStringLiteral("client=ec-admin"), QStringLiteral("key=EC"),
                               QStringLiteral("namespace=apps")};
        QTest::newRow("literal bearer token against an insecure cluster")
            << QStringLiteral("token")
            << QStringList{QStringLiteral("server=https://10.0.0.1:6443"), QStringLiteral("insecure"),
                           QStringLiteral("token=abc.def.ghi"), defaultNs};
        QTest::newRow("token file resolved against the kubeconfig's directory")
            << QStringLiteral("token-file")
            << QStringList{caFile, ca, QStringLiteral("tokenFile=@/all-auth/secrets/token"), defaultNs};
        QTest::newRow("token and tokenFile together are allowed (the token wins when sending)")
            << QStringLiteral("token-and-token-file")
            << QStringList{caFile, ca, QStringLiteral("token=literal-wins"),
                           QStringLiteral("tokenFile=@/all-auth/secrets/token"), defaultNs};
        QTest::newRow("basic auth; a bare host:port server without TLS settings gets http://")
            << QStringLiteral("basic")
            << QStringList{QStringLiteral("server=http://10.0.0.2:8080"), QStringLiteral("basic=admin:s3cret"),
                           defaultNs};
        QTest::newRow("exec plugin: relative command, args, env, hint, cluster info; v1beta1 defaults IfAvailable")
            << QStringLiteral("exec-relative")
            << QStringList{caData} + caDataExtras +
                   QStringList{QStringLiteral("exec=@/all-auth/bin/get-token --cluster prod"),
                               QStringLiteral("exec-api=client.authentication.k8s.io/v1beta1"),
                               QStringLiteral("exec-env=REGION=eu-west-1,EMPTY="),
                               QStringLiteral("exec-hint=install get-token from the release page"),
                               QStringLiteral("exec-cluster-info"),
                               QStringLiteral("exec-interactive=IfAvailable"),
                               defaultNs};
        QTest::newRow("exec plugin command without a slash is left for the PATH lookup")
            << QStringLiteral("exec-path-lookup")
            << QStringList{caFile,
                           ca,
                           QStringLiteral("exec=aws"),
                           QStringLiteral("exec-api=client.authentication.k8s.io/v1"),
                           QStringLiteral("exec-interactive=Never"),
                           defaultNs};
        QTest::newRow("client certificate and exec plugin together")
            << QStringLiteral("cert-and-exec")
            << QStringList{caFile,
                           ca,
                           QStringLiteral("client=ec-admin"),
                           QStringLiteral("key=EC"),
                           QStringLiteral("exec=/usr/local/bin/plugin"),
                           QStringLiteral("exec-api=client.authentication.k8s.io/v1"),
                           QStringLiteral("exec-interactive=Always"),
                           defaultNs};
        QTest::newRow("a context without a user is anonymous")
            << QStringLiteral("anonymous")
            << QStringList{QStringLiteral("server=https://10.0.0.1:6443"), QStringLiteral("insecure"), defaultNs};
        QTest::newRow("no context name means current-context")
            << QString()
            << QStringList{caFile, ca, QStringLiteral("client=rsa-admin"), QStringLiteral("key=RSA"),
                           QStringLiteral("namespace=kube-system")};
    }

    void resolvesEveryAuthKind()
    {
        QFETCH(QString, context);
        QFETCH(QStringList, expected);
        auto config = KubeConfig::loadFiles({m_allAuth}, true);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message()));
        auto connection = config->connection(context);
        QVERIFY2(connection.ok(), qPrintable(connection.ok() ? QString() : connection.error().message()));
        QCOMPARE(describe(*connection, tmp()), expected);
        const QString name = context.isEmpty() ? QStringLiteral("rsa-files") : context;
        QCOMPARE(connection->contextName, name);
        QCOMPARE(connection->source, QStringLiteral("%1, context \"%2\"").arg(m_allAuth, name));
    }

    void exposesContextsAndFiles()
    {
        auto config = KubeConfig::loadFiles({m_allAuth}, true);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), QStringList{m_allAuth});
        QCOMPARE(config->currentContext(), QStringLiteral("rsa-files"));
        QCOMPARE(config->contextNames().size(), 14);
        QCOMPARE(config->contextNames().first(), QStringLiteral("rsa-files"));
        const auto& ec = config->contexts().at(5);
        QCOMPARE(ec.name, QStringLiteral("ec-data"));
        QCOMPARE(ec.cluster, QStringLiteral("ca-data"));
        QCOMPARE(ec.user, QStringLiteral("ec-data"));
        QCOMPARE(ec.namespaceName, QStringLiteral("apps"));
        QCOMPARE(ec.file, m_allAuth);
        auto connection = config->connection(QStringLiteral("ec-data"));
        QVERIFY(connection.ok());
        QCOMPARE(connection->clusterName, QStringLiteral("ca-data"));
        QCOMPARE(connection->userName, QStringLiteral("ec-data"));
    }

    void readsWhatKubectlWrites_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QStringList>("expected");
        const QString server = QStringLiteral("server=https://127.0.0.1:6443");
        const QString ca = QStringLiteral("ca=vk-test-ca");
        QTest::newRow("current-context: embedded RSA (PKCS#1) certificate")
            << QString()
            << QStringList{server, ca, QStringLiteral("client=rsa-admin"), QStringLiteral("key=RSA"),
                           QStringLiteral("namespace=kube-system")};
        QTest::newRow("embedded EC certificate")
            << QStringLiteral("ec")
            << QStringList{server, ca, QStringLiteral("client=ec-admin"), QStringLiteral("key=EC"),
                           QStringLiteral("namespace=default")};
        QTest::newRow("token user") << QStringLiteral("token")
                                    << QStringList{server, ca, QStringLiteral("token=abc.def.ghi"),
                                                   QStringLiteral("namespace=apps")};
    }

    // kubectl-embedded.yaml was written by `kubectl config set-cluster/set-credentials --embed-certs`.
    void readsWhatKubectlWrites()
    {
        QFETCH(QString, context);
        QFETCH(QStringList, expected);
        auto config = KubeConfig::loadFiles({dataDir() + QStringLiteral("/kubectl-embedded.yaml")}, true);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message()));
        auto connection = config->connection(context);
        QVERIFY2(connection.ok(), qPrintable(connection.ok() ? QString() : connection.error().message()));
        QCOMPARE(describe(*connection, tmp()), expected);
    }

    void mergesLikeKubectl_data()
    {
        // a/config and b/config share the names "shared" and "shared-ctx"; b's own cluster reads pki/b-ca.crt,
        // which only exists under b/, and its user a token file under b/.
        const QString a = tmp() + QStringLiteral("/merge/a/config");
        const QString b = tmp() + QStringLiteral("/merge/b/config");
        const QString c = tmp() + QStringLiteral("/merge/c/config");
        const QString empty = tmp() + QStringLiteral("/merge/empty/config");
        const QString missing = tmp() + QStringLiteral("/merge/missing/config");
        QVERIFY(writeFile(a, "current-context: from-a\n"
                             "clusters:\n"
                             "- name: shared\n  cluster: {server: 'https://a.example:6443'}\n"
                             "users:\n"
                             "- name: shared\n  user: {token: token-a}\n"
                             "contexts:\n"
                             "- name: from-a\n  context: {cluster: shared, user: shared}\n"
                             "- name: shared-ctx\n  context: {cluster: shared, user: shared, namespace: ns-a}\n"));
        QVERIFY(writeFile(b, "current-context: from-b\n"
                             "preferences: {colors: true}\n"
                             "clusters:\n"
                             "- name: shared\n  cluster: {server: 'https://b.example:6443'}\n"
                             "- name: only-b\n  cluster: {server: 'https://only-b.example', "
                             "certificate-authority: pki/b-ca.crt}\n"
                             "users:\n"
                             "- name: shared\n  user: {token: token-b}\n"
                             "- name: only-b\n  user: {tokenFile: secrets/token}\n"
                             "contexts:\n"
                             "- name: shared-ctx\n  context: {cluster: shared, user: shared, namespace: ns-b}\n"
                             "- name: from-b\n  context: {cluster: only-b, user: only-b}\n"));
        QVERIFY(writeFile(tmp() + QStringLiteral("/merge/b/pki/b-ca.crt"), readData(QStringLiteral("ca.crt"))));
        QVERIFY(writeFile(tmp() + QStringLiteral("/merge/b/secrets/token"), "token-in-b\n"));
        QVERIFY(writeFile(c, "current-context: shared-ctx\n"));
        QVERIFY(writeFile(empty, ""));

        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QStringList>("loaded");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("currentContext");
        QTest::addColumn<QStringList>("expected");
        const QStringList fromA{QStringLiteral("server=https://a.example:6443"), QStringLiteral("token=token-a"),
                                QStringLiteral("namespace=default")};
        const QStringList fromB{QStringLiteral("server=https://only-b.example"), QStringLiteral("ca=vk-test-ca"),
                                QStringLiteral("tokenFile=@/merge/b/secrets/token"),
                                QStringLiteral("namespace=default")};
        QTest::newRow("a then b: current-context comes from the first file that sets it")
            << QStringList{a, b} << QStringList{a, b} << QString() << QStringLiteral("from-a") << fromA;
        QTest::newRow("a then b: for a shared name the first file's context, cluster and user win")
            << QStringList{a, b} << QStringList{a, b} << QStringLiteral("shared-ctx") << QStringLiteral("from-a")
            << QStringList{QStringLiteral("server=https://a.example:6443"), QStringLiteral("token=token-a"),
                           QStringLiteral("namespace=ns-a")};
        QTest::newRow("b then a: the order of the files decides")
            << QStringList{b, a} << QStringList{b, a} << QStringLiteral("shared-ctx") << QStringLiteral("from-b")
            << QStringList{QStringLiteral("server=https://b.example:6443"), QStringLiteral("token=token-b"),
                           QStringLiteral("namespace=ns-b")};
        QTest::newRow("entries only a later file defines are merged in, paths relative to that file")
            << QStringList{a, b} << QStringList{a, b} << QStringLiteral("from-b") << QStringLiteral("from-a") << fromB;
        QTest::newRow("missing files in the list are skipped")
            << QStringList{missing, a, missing + QStringLiteral("2"), b} << QStringList{a, b} << QString()
            << QStringLiteral("from-a") << fromA;
        QTest::newRow("a file that only sets current-context still decides it")
            << QStringList{c, a, b} << QStringList{c, a, b} << QString() << QStringLiteral("shared-ctx")
            << QStringList{QStringLiteral("server=https://a.example:6443"), QStringLiteral("token=token-a"),
                           QStringLiteral("namespace=ns-a")};
        QTest::newRow("an empty file is valid and contributes nothing")
            << QStringList{empty, b, a} << QStringList{empty, b, a} << QString() << QStringLiteral("from-b") << fromB;
    }

    void mergesLikeKubectl()
    {
        QFETCH(QStringList, files);
        QFETCH(QStringList, loaded);
        QFETCH(QString, context);
        QFETCH(QString, currentContext);
        QFETCH(QStringList, expected);
        auto config = KubeConfig::loadFiles(files, false);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message()));
        QCOMPARE(config->files(), loaded);
        QCOMPARE(config->currentContext(), currentContext);
        auto connection = config->connection(context);
        QVERIFY2(connection.ok(), qPrintable(connection.ok() ? QString() : connection.error().message()));
        QCOMPARE(describe(*connection, tmp()), expected);
    }

    void mergedContextRecordsItsFile()
    {
        const QString a = tmp() + QStringLiteral("/merge/a/config");
        const QString b = tmp() + QStringLiteral("/merge/b/config");
        auto config = KubeConfig::loadFiles({a, b}, false);
        QVERIFY(config.ok());
        QCOMPARE(config->contextNames(),
                 (QStringList{QStringLiteral("from-a"), QStringLiteral("shared-ctx"), QStringLiteral("from-b")}));
        QCOMPARE(config->contexts().at(1).file, a);
        QCOMPARE(config->contexts().at(1).namespaceName, QStringLiteral("ns-a"));
        QCOMPARE(config->contexts().at(2).file, b);
    }

    void explicitMissingFileIsAnError()
    {
        const QString path = tmp() + QStringLiteral("/does-not-exist.yaml");
        auto config = KubeConfig::loadFiles({path}, true);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().message(), QStringLiteral("stat %1: no such file or directory").arg(path));
        QCOMPARE(config.error().category(), ErrorCategory::InvalidInput);

        auto listed = KubeConfig::loadFiles({path}, false);
        QVERIFY(listed.ok());
        QVERIFY(listed->files().isEmpty());
        auto connection = listed->connection();
        QVERIFY(!connection.ok());
        QVERIFY(connection.error().message().contains(QStringLiteral("no kubeconfig file was loaded")));
    }

    void loadErrors_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("fragments");
        QTest::newRow("a YAML syntax error names the file, line and column")
            << QByteArray("clusters:\n- name: a\n  cluster: {server: [\n")
            << QStringList{QStringLiteral("error loading config file \"@/bad/config\""),
                           QStringLiteral("@/bad/config:4:")};
        QTest::newRow("the top level must be a mapping")
            << QByteArray("- a\n- b\n")
            << QStringList{QStringLiteral("@/bad/config"), QStringLiteral("expected a mapping at the top level")};
        QTest::newRow("clusters must be a list")
            << QByteArray("clusters: {a: 1}\n")
            << QStringList{QStringLiteral("@/bad/config: clusters: expected a list, got a mapping")};
        QTest::newRow("a list entry must be a mapping")
            << QByteArray("users:\n- just-a-name\n")
            << QStringList{QStringLiteral("@/bad/config: users[0]: expected a mapping, got a string")};
        QTest::newRow("a list entry needs a name")
            << QByteArray("users:\n- user: {token: x}\n")
            << QStringList{QStringLiteral("@/bad/config: users[0].name: is required")};
        QTest::newRow("a name appears once per list in one file")
            << QByteArray("contexts:\n- name: a\n  context: {}\n- name: a\n  context: {}\n")
            << QStringList{QStringLiteral("@/bad/config: contexts: duplicate name \"a\"")};
        QTest::newRow("a context field must be a string")
            << QByteArray("contexts:\n- name: a\n  context: {cluster: [x]}\n")
            << QStringList{
                   QStringLiteral("@/bad/config: contexts[name=a].context.cluster: expected a string, got a list")};
        QTest::newRow("current-context must be a string")
            << QByteArray("current-context: [a]\n")
            << QStringList{QStringLiteral("@/bad/config: current-context: expected a string, got a list")};
        QTest::newRow("the inner object must be a mapping")
            << QByteArray("clusters:\n- name: c\n  cluster: https://x\n")
            << QStringList{QStringLiteral("@/bad/config: clusters[0].cluster: expected a mapping, got a string")};
    }

    void loadErrors()
    {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, fragments);
        const QString path = tmp() + QStringLiteral("/bad/config");
        QVERIFY(writeFile(path, content));
        // A broken file is an error even inside a $KUBECONFIG list.
        auto config = KubeConfig::loadFiles({tmp() + QStringLiteral("/nope"), path}, false);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().category(), ErrorCategory::InvalidInput);
        const QString problem = missingFragments(config.error().message(), expand(fragments, tmp()));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void connectionErrors_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QStringList>("fragments");
        const QString file = QStringLiteral("@/err/config");
        const QString inX = QStringLiteral("(context \"x\")");
        const QString token = QStringLiteral("token: t");
        const QString certFiles = QStringLiteral("client-certificate: pki/rsa-client.crt\n"
                                                 "client-key: pki/rsa-client-pkcs1.key");
        const QString execV1 = QStringLiteral("exec:\n  apiVersion: client.authentication.k8s.io/v1\n"
                                              "  command: plugin\n  interactiveMode: Never");
        auto field = [&](const QString& path) -> QString { return file + QStringLiteral(": ") + path; };
        auto clusterField = [&](const QString& key) -> QString {
            return field(QStringLiteral("clusters[name=c].cluster.") + key);
        };
        auto userField = [&](const QString& key) -> QString {
            return field(QStringLiteral("users[name=u].user.") + key);
        };

        // Contexts
        QTest::newRow("no current-context: the message names the files and the contexts to choose from")
            << QStringLiteral("contexts:\n- name: a\n  context: {cluster: c}\n") << QString()
            << QStringList{QStringLiteral("current-context is not set in ") + file, QStringLiteral("--context (a)")};
        QTest::newRow("an unknown context names the files")
            << config(server(), token) << QStringLiteral("nope")
            << QStringList{QStringLiteral("context \"nope\" does not exist in ") + file};
        QTest::newRow("a current-context that names no context says where it was set")
            << config(server(), token)
                   .replace(QStringLiteral("current-context: x"), QStringLiteral("current-context: gone"))
            << QString()
            << QStringList{QStringLiteral("context \"gone\" does not exist in ") + file,
                           QStringLiteral("current-context set in ") + file};
        QTest::newRow("a context without a cluster")
            << config(server(), token).replace(QStringLiteral("{cluster: c, user: u}"), QStringLiteral("{user: u}"))
            << QString() << QStringList{field(QStringLiteral("contexts[name=x].context.cluster: is not set"))};
        QTest::newRow("a context naming a missing cluster")
            << config(server(), token).replace(QStringLiteral("cluster: c,"), QStringLiteral("cluster: ghost,"))
            << QString()
            << QStringList{field(QStringLiteral("contexts[name=x].context.cluster: cluster \"ghost\" does not exist "
                                                "in ")) +
                           file};
        QTest::newRow("a context naming a missing user")
            << config(server(), token).replace(QStringLiteral("user: u}"), QStringLiteral("user: ghost}")) << QString()
            << QStringList{field(QStringLiteral("contexts[name=x].context.user: user \"ghost\" does not exist in ")) +
                           file};

        // Clusters
        QTest::newRow("a cluster without server")
            << config(QStringLiteral("tls-server-name: x"), token) << QString()
            << QStringList{clusterField(QStringLiteral("server: is not set")), QStringLiteral("cluster \"c\""), inX};
        QTest::newRow("a malformed server URL")
            << config(QStringLiteral("server: 'https://exa mple.com:6443'"), token) << QString()
            << QStringList{clusterField(QStringLiteral("server: malformed URL \"https://exa mple.com:6443\"")), inX};
        QTest::newRow("a server URL with an impossible port")
            << config(QStringLiteral("server: 'https://example.com:99999'"), token) << QString()
            << QStringList{clusterField(QStringLiteral("server: malformed URL"))};
        QTest::newRow("a server URL that is not http(s)")
            << config(QStringLiteral("server: 'ftp://example.com'"), token) << QString()
            << QStringList{clusterField(QStringLiteral("server: malformed URL")),
                           QStringLiteral("the scheme must be https or http")};
        QTest::newRow("an unreadable certificate-authority file")
            << config(server() + QStringLiteral("\ncertificate-authority: pki/missing-ca.crt"), token) << QString()
            << QStringList{clusterField(QStringLiteral("certificate-authority: cannot read file "
                                                       "\"@/err/pki/missing-ca.crt\"")),
                           inX};
        QTest::newRow("a certificate-authority file without certificates")
            << config(server() + QStringLiteral("\ncertificate-authority: pki/rsa-client-pkcs1.key"), token)
            << QString()
            << QStringList{clusterField(QStringLiteral("certificate-authority (\"@/err/pki/rsa-client-pkcs1.key\"): "
                                                       "contains no PEM certificate"))};
        QTest::newRow("certificate-authority-data that is not base64")
            << config(server() + QStringLiteral("\ncertificate-authority-data: '!!not-base64'"), token) << QString()
            << QStringList{clusterField(QStringLiteral("certificate-authority-data: illegal base64 data")), inX};
        QTest::newRow("certificate-authority-data that is not PEM")
            << config(server() + QStringLiteral("\ncertificate-authority-data: aGVsbG8gd29ybGQ="), token) << QString()
            << QStringList{clusterField(QStringLiteral("certificate-authority-data: contains no PEM certificate"))};
        QTest::newRow("certificate-authority file and data together")
            << config(server() + QStringLiteral("\ncertificate-authority: pki/ca.crt\ncertificate-authority-data: ") +
                          base64Of("ca.crt"),
                      token)
            << QString()
            << QStringList{file + QStringLiteral(": clusters[name=c].cluster: certificate-authority-data and "
                                                 "certificate-authority are both specified for cluster \"c\"")};
        QTest::newRow("insecure-skip-tls-verify with a CA, as client-go refuses")
            << config(server() + QStringLiteral("\ncertificate-authority: pki/ca.crt\ninsecure-skip-tls-verify: true"),
                      token)
            << QString()
            << QStringList{file + QStringLiteral(": clusters[name=c].cluster: specifying a root certificates file "
                                                 "with the insecure flag is not allowed"),
                           inX};
        QTest::newRow("insecure-skip-tls-verify of the wrong type")
            << config(server() + QStringLiteral("\ninsecure-skip-tls-verify: 'yes'"), token) << QString()
            << QStringList{clusterField(QStringLiteral("insecure-skip-tls-verify: expected a boolean, got a string"))};
        QTest::newRow("a proxy that is not HTTP, HTTPS or SOCKS5")
            << config(server() + QStringLiteral("\nproxy-url: 'ftp://proxy:21'"), token) << QString()
            << QStringList{clusterField(QStringLiteral("proxy-url: invalid proxy URL \"ftp://proxy:21\"")),
                           QStringLiteral("only HTTP, HTTPS, and SOCKS5 proxies are supported")};

        // Users: certificates
        QTest::newRow("an unreadable client-certificate file")
            << config(server(), QStringLiteral("client-certificate: pki/nope.crt\nclient-key: pki/ec-client.key"))
            << QString()
            << QStringList{userField(QStringLiteral("client-certificate: cannot read file \"@/err/pki/nope.crt\"")),
                           inX};
        QTest::newRow("an unreadable client-key file")
            << config(server(), QStringLiteral("client-certificate: pki/ec-client.crt\nclient-key: pki/nope.key"))
            << QString()
            << QStringList{userField(QStringLiteral("client-key: cannot read file \"@/err/pki/nope.key\"")), inX};
        QTest::newRow("a client certificate without a key")
            << config(server(), QStringLiteral("client-certificate: pki/ec-client.crt")) << QString()
            << QStringList{userField(QStringLiteral("client-key: client-key-data or client-key must be specified for "
                                                    "user \"u\""))};
        QTest::newRow("a client key without a certificate")
            << config(server(), QStringLiteral("client-key-data: ") + base64Of("ec-client.key")) << QString()
            << QStringList{userField(QStringLiteral("client-certificate: client-certificate-data or "
                                                    "client-certificate must be specified for user \"u\""))};
        QTest::newRow("client-certificate-data that is not base64")
            << config(server(), QStringLiteral("client-certificate-data: 'not base64!'\nclient-key: pki/ec-client.key"))
            << QString() << QStringList{userField(QStringLiteral("client-certificate-data: illegal base64 data"))};
        QTest::newRow("client-key-data that is not base64")
            << config(server(), QStringLiteral("client-certificate: pki/ec-client.crt\nclient-key-data: '%%%'"))
            << QString() << QStringList{userField(QStringLiteral("client-key-data: illegal base64 data")), inX};
        QTest::newRow("a client-certificate file that holds a key, not a certificate")
            << config(server(), QStringLiteral("client-certificate: pki/ec-client.key\nclient-key: pki/ec-client.key"))
            << QString()
            << QStringList{userField(QStringLiteral("client-certificate (\"@/err/pki/ec-client.key\"): contains no "
                                                    "PEM certificate"))};
        QTest::newRow("a key that is neither RSA nor EC (Ed25519)")
            << config(server(), QStringLiteral("client-certificate: pki/ec-client.crt\nclient-key: pki/ed25519.key"))
            << QString()
            << QStringList{userField(QStringLiteral("client-key (\"@/err/pki/ed25519.key\"): is not an unencrypted "
                                                    "RSA or EC private key")),
                           inX};
        QTest::newRow("client-certificate file and data together")
            << config(server(), certFiles + QStringLiteral("\nclient-certificate-data: ") + base64Of("rsa-client.crt"))
            << QString()
            << QStringList{file + QStringLiteral(": users[name=u].user: client-certificate-data and "
                                                 "client-certificate are both specified for user \"u\"")};

        // Users: other methods
        QTest::newRow("token and basic auth together")
            << config(server(), QStringLiteral("token: t\nusername: a\npassword: b")) << QString()
            << QStringList{file + QStringLiteral(": users[name=u].user: more than one authentication method found for "
                                                 "user \"u\"; found [token basicAuth], only one is allowed")};
        QTest::newRow("the legacy auth-provider is not supported")
            << config(server(), QStringLiteral("auth-provider:\n  name: gcp\n  config: {}")) << QString()
            << QStringList{userField(QStringLiteral("auth-provider: the legacy auth-provider \"gcp\" of user \"u\" is "
                                                    "not supported")),
                           QStringLiteral("exec credential plugin"), inX};
        QTest::newRow("an unreadable tokenFile")
            << config(server(), QStringLiteral("tokenFile: secrets/no-token")) << QString()
            << QStringList{userField(QStringLiteral("tokenFile: cannot read file \"@/err/secrets/no-token\"")), inX};
        QTest::newRow("an empty tokenFile")
            << config(server(), QStringLiteral("tokenFile: @/secrets/empty-token")) << QString()
            << QStringList{userField(QStringLiteral("tokenFile: file \"@/secrets/empty-token\" is empty"))};
        QTest::newRow("a token of the wrong type")
            << config(server(), QStringLiteral("token: [a]")) << QString()
            << QStringList{userField(QStringLiteral("token: expected a string, got a list"))};

        // Users: exec
        QTest::newRow("exec without a command")
            << config(server(), QStringLiteral("exec:\n  apiVersion: client.authentication.k8s.io/v1\n"
                                               "  interactiveMode: Never"))
            << QString()
            << QStringList{userField(QStringLiteral("exec.command: must be specified for user \"u\"")), inX};
        QTest::newRow("exec without an apiVersion")
            << config(server(), QStringLiteral("exec:\n  command: plugin")) << QString()
            << QStringList{userField(QStringLiteral("exec.apiVersion: must be specified for user \"u\""))};
        QTest::newRow("exec with an unsupported apiVersion")
            << config(server(), QStringLiteral("exec:\n  apiVersion: client.authentication.k8s.io/v1alpha1\n"
                                               "  command: plugin"))
            << QString()
            << QStringList{userField(QStringLiteral("exec.apiVersion: exec plugin: invalid apiVersion "
                                                    "\"client.authentication.k8s.io/v1alpha1\""))};
        QTest::newRow("exec v1 requires interactiveMode")
            << config(server(), QStringLiteral("exec:\n  apiVersion: client.authentication.k8s.io/v1\n"
                                               "  command: plugin"))
            << QString()
            << QStringList{userField(QStringLiteral("exec.interactiveMode: must be specified for user \"u\""))};
        QTest::newRow("exec with an unknown interactiveMode")
            << config(server(), execV1 + QStringLiteral("x")) << QString()
            << QStringList{userField(QStringLiteral("exec.interactiveMode: invalid interactiveMode \"Neverx\""))};
        QTest::newRow("exec env entry without a name")
            << config(server(), execV1 + QStringLiteral("\n  env:\n  - value: x")) << QString()
            << QStringList{userField(QStringLiteral("exec.env[0].name: env variable name must be specified"))};
        QTest::newRow("exec env as a map instead of a list of name/value")
            << config(server(), execV1 + QStringLiteral("\n  env: {A: b}")) << QString()
            << QStringList{userField(QStringLiteral("exec.env: expected a list, got a mapping"))};
        QTest::newRow("exec args that are not strings")
            << config(server(), execV1 + QStringLiteral("\n  args: [--port, [1]]")) << QString()
            << QStringList{userField(QStringLiteral("exec.args[1]: expected a string, got a list"))};
    }

    void connectionErrors()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, context);
        QFETCH(QStringList, fragments);
        const QString dir = tmp() + QStringLiteral("/err");
        QVERIFY(copyPki(dir));
        const QString path = dir + QStringLiteral("/config");
        QVERIFY(writeFile(path, expand(yaml, tmp()).toUtf8()));
        auto config = KubeConfig::loadFiles({path}, true);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message()));
        auto connection = config->connection(context);
        QVERIFY2(!connection.ok(), "expected an error");
        QCOMPARE(connection.error().category(), ErrorCategory::InvalidInput);
        const QString problem = missingFragments(connection.error().message(), expand(fragments, tmp()));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void inCluster_data()
    {
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QStringList>("expected"); // empty: an error
        QTest::addColumn<QStringList>("fragments");
        const QStringList hostPort{QStringLiteral("KUBERNETES_SERVICE_HOST=10.96.0.1"),
                                   QStringLiteral("KUBERNETES_SERVICE_PORT=443")};
        const QStringList all{QStringLiteral("token"), QStringLiteral("ca.crt"), QStringLiteral("namespace")};
        const QStringList common{QStringLiteral("ca=vk-test-ca"), QStringLiteral("tokenFile=@/sa/token")};
        QTest::newRow("service host and port, token file, CA and namespace")
            << hostPort << all
            << QStringList{QStringLiteral("server=https://10.96.0.1:443")} + common +
                   QStringList{QStringLiteral("namespace=team-a")}
            << QStringList{};
        QTest::newRow("an IPv6 service host is bracketed")
            << QStringList{QStringLiteral("KUBERNETES_SERVICE_HOST=fd00:10:96::1"),
                           QStringLiteral("KUBERNETES_SERVICE_PORT=6443")}
            << all
            << QStringList{QStringLiteral("server=https://[fd00:10:96::1]:6443")} + common +
                   QStringList{QStringLiteral("namespace=team-a")}
            << QStringList{};
        QTest::newRow("no namespace file means the default namespace")
            << hostPort << QStringList{QStringLiteral("token"), QStringLiteral("ca.crt")}
            << QStringList{QStringLiteral("server=https://10.96.0.1:443")} + common +
                   QStringList{QStringLiteral("namespace=default")}
            << QStringList{};
        QTest::newRow("POD_NAMESPACE wins over the namespace file")
            << hostPort + QStringList{QStringLiteral("POD_NAMESPACE=from-env")} << all
            << QStringList{QStringLiteral("server=https://10.96.0.1:443")} + common +
                   QStringList{QStringLiteral("namespace=from-env")}
            << QStringList{};
        QTest::newRow("KUBERNETES_SERVICE_HOST missing")
            << QStringList{QStringLiteral("KUBERNETES_SERVICE_PORT=443")} << all << QStringList{}
            << QStringList{QStringLiteral("unable to load in-cluster configuration"),
                           QStringLiteral("not set: KUBERNETES_SERVICE_HOST")};
        QTest::newRow("KUBERNETES_SERVICE_PORT missing")
            << QStringList{QStringLiteral("KUBERNETES_SERVICE_HOST=10.96.0.1")} << all << QStringList{}
            << QStringList{QStringLiteral("not set: KUBERNETES_SERVICE_PORT")};
        QTest::newRow("KUBERNETES_SERVICE_PORT that is not a port")
            << QStringList{QStringLiteral("KUBERNETES_SERVICE_HOST=10.96.0.1"),
                           QStringLiteral("KUBERNETES_SERVICE_PORT=https")}
            << all << QStringList{} << QStringList{QStringLiteral("KUBERNETES_SERVICE_PORT \"https\" is not a port")};
        QTest::newRow("token file missing")
            << hostPort << QStringList{QStringLiteral("ca.crt"), QStringLiteral("namespace")} << QStringList{}
            << QStringList{QStringLiteral("cannot read the service account token \"@/sa/token\"")};
        QTest::newRow("token file empty")
            << hostPort << QStringList{QStringLiteral("empty:token"), QStringLiteral("ca.crt")} << QStringList{}
            << QStringList{QStringLiteral("the service account token \"@/sa/token\" is empty")};
        QTest::newRow("ca.crt missing") << hostPort << QStringList{QStringLiteral("token"), QStringLiteral("namespace")}
                                        << QStringList{}
                                        << QStringList{QStringLiteral(
                                               "cannot read the service account CA certificate \"@/sa/ca.crt\"")};
        QTest::newRow("ca.crt without a certificate")
            << hostPort << QStringList{QStringLiteral("token"), QStringLiteral("empty:ca.crt")} << QStringList{}
            << QStringList{QStringLiteral("service account CA certificate \"@/sa/ca.crt\"")};
    }

    void inCluster()
    {
        QFETCH(QStringList, env);
        QFETCH(QStringList, files);
        QFETCH(QStringList, expected);
        QFETCH(QStringList, fragments);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString account = dir.path() + QStringLiteral("/sa");
        QDir().mkpath(account);
        for (const QString& spec : files) {
            const bool empty = spec.startsWith(QStringLiteral("empty:"));
            const QString name = empty ? spec.mid(6) : spec;
            QByteArray content;
            if (!empty) {
                content = name == QLatin1String("token")       ? QByteArray("sa-token")
                          : name == QLatin1String("namespace") ? QByteArray("team-a\n")
                                                               : readData(QStringLiteral("ca.crt"));
            }
            QVERIFY(writeFile(account + QLatin1Char('/') + name, content));
        }
        auto connection = inClusterConnection(environment(env), account);
        if (expected.isEmpty()) {
            QVERIFY2(!connection.ok(), "expected an error");
            const QString problem = missingFragments(connection.error().message(), expand(fragments, dir.path()));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            return;
        }
        QVERIFY2(connection.ok(), qPrintable(connection.ok() ? QString() : connection.error().message()));
        QCOMPARE(describe(*connection, dir.path()), expected);
        QCOMPARE(connection->source, QStringLiteral("in-cluster"));
        QVERIFY(connection->token.isEmpty()); // re-read from tokenFile as it rotates
    }

    void defaultPaths_data()
    {
        QTest::addColumn<QString>("explicitPath");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("--kubeconfig wins over $KUBECONFIG and $HOME")
            << QStringLiteral("/x/config")
            << QStringList{QStringLiteral("KUBECONFIG=/a:/b"), QStringLiteral("HOME=/home/me")}
            << QStringList{QStringLiteral("/x/config")};
        QTest::newRow("$KUBECONFIG is split on ':' and keeps its order")
            << QString() << QStringList{QStringLiteral("KUBECONFIG=/c:/a:/b"), QStringLiteral("HOME=/home/me")}
            << QStringList{QStringLiteral("/c"), QStringLiteral("/a"), QStringLiteral("/b")};
        QTest::newRow("$KUBECONFIG drops empty entries and later duplicates")
            << QString() << QStringList{QStringLiteral("KUBECONFIG=/a::/b:/a:")}
            << QStringList{QStringLiteral("/a"), QStringLiteral("/b")};
        QTest::newRow("~/.kube/config under $HOME when $KUBECONFIG is unset")
            << QString() << QStringList{QStringLiteral("HOME=/home/me")}
            << QStringList{QStringLiteral("/home/me/.kube/config")};
        QTest::newRow("an empty $KUBECONFIG counts as unset")
            << QString() << QStringList{QStringLiteral("KUBECONFIG="), QStringLiteral("HOME=/home/me")}
            << QStringList{QStringLiteral("/home/me/.kube/config")};
        QTest::newRow("neither $KUBECONFIG nor $HOME: nothing to read") << QString() << QStringList{} << QStringList{};
    }

    void defaultPaths()
    {
        QFETCH(QString, explicitPath);
        QFETCH(QStringList, env);
        QFETCH(QStringList, expected);
        QCOMPARE(KubeConfig::defaultPaths(explicitPath, environment(env)), expected);
    }

    void resolveConnection_data()
    {
        const QString t = tmp() + QStringLiteral("/resolve");
        auto kubeconfig = [](const QString& name, const QString& ns) {
            return QStringLiteral("clusters:\n- name: c\n  cluster: {server: 'https://%1:6443'}\n"
                                  "users:\n- name: u\n  user: {token: %1-token}\n"
                                  "contexts:\n- name: %1\n  context: {cluster: c, user: u, namespace: %2}\n"
                                  "- name: other\n  context: {cluster: c, user: u}\n"
                                  "current-context: %1\n")
                .arg(name, ns)
                .toUtf8();
        };
        QVERIFY(writeFile(t + QStringLiteral("/explicit.yaml"),
                          kubeconfig(QStringLiteral("explicit"), QStringLiteral("e"))));
        QVERIFY(writeFile(t + QStringLiteral("/list.yaml"), kubeconfig(QStringLiteral("list"), QStringLiteral("l"))));
        QVERIFY(writeFile(t + QStringLiteral("/home/.kube/config"),
                          kubeconfig(QStringLiteral("home"), QStringLiteral("h"))));
        QVERIFY(writeFile(t + QStringLiteral("/no-current.yaml"),
                          "clusters:\n- name: c\n  cluster: {server: 'https://nc:6443'}\n"));
        QVERIFY(writeFile(t + QStringLiteral("/sa/token"), "sa-token"));
        QVERIFY(writeFile(t + QStringLiteral("/sa/ca.crt"), readData(QStringLiteral("ca.crt"))));
        QVERIFY(writeFile(t + QStringLiteral("/sa/namespace"), "in-cluster-ns"));
        QDir().mkpath(t + QStringLiteral("/empty-home"));

        QTest::addColumn<QString>("kubeconfig");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("namespaceName");
        QTest::addColumn<bool>("allowInCluster");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("server"); // empty: an error
        QTest::addColumn<QString>("expectedNamespace");
        QTest::addColumn<QStringList>("fragments");

        const QString home = QStringLiteral("HOME=@/resolve/home");
        const QString emptyHome = QStringLiteral("HOME=@/resolve/empty-home");
        const QStringList inCluster{QStringLiteral("KUBERNETES_SERVICE_HOST=10.96.0.1"),
                                    QStringLiteral("KUBERNETES_SERVICE_PORT=443")};
        const QString list = QStringLiteral("KUBECONFIG=@/resolve/missing.yaml:@/resolve/list.yaml");

        QTest::newRow("--kubeconfig first")
            << QStringLiteral("@/resolve/explicit.yaml") << QString() << QString() << true
            << QStringList{list, home} + inCluster << QStringLiteral("https://explicit:6443") << QStringLiteral("e")
            << QStringList{};
        QTest::newRow("then $KUBECONFIG")
            << QString() << QString() << QString() << true << QStringList{list, home} + inCluster
            << QStringLiteral("https://list:6443") << QStringLiteral("l") << QStringList{};
        QTest::newRow("then ~/.kube/config")
            << QString() << QString() << QString() << true << QStringList{home} + inCluster
            << QStringLiteral("https://home:6443") << QStringLiteral("h") << QStringList{};
        QTest::newRow("then the in-cluster service account")
            << QString() << QString() << QString() << true << QStringList{emptyHome} + inCluster
            << QStringLiteral("https://10.96.0.1:443") << QStringLiteral("in-cluster-ns") << QStringList{};
        QTest::newRow("in-cluster also when the kubeconfig selects no context")
            << QString() << QString() << QString() << true
            << QStringList{QStringLiteral("KUBECONFIG=@/resolve/no-current.yaml")} + inCluster
            << QStringLiteral("https://10.96.0.1:443") << QStringLiteral("in-cluster-ns") << QStringList{};
        QTest::newRow("--context picks another context of the kubeconfig")
            << QString() << QStringLiteral("other") << QString() << true << QStringList{home}
            << QStringLiteral("https://home:6443") << QStringLiteral("default") << QStringList{};
        QTest::newRow("--namespace overrides the context's namespace")
            << QString() << QString() << QStringLiteral("override") << true << QStringList{home}
            << QStringLiteral("https://home:6443") << QStringLiteral("override") << QStringList{};
        QTest::newRow("--namespace overrides the in-cluster namespace")
            << QString() << QString() << QStringLiteral("override") << true << QStringList{emptyHome} + inCluster
            << QStringLiteral("https://10.96.0.1:443") << QStringLiteral("override") << QStringList{};

        QTest::newRow("nothing found: the error lists where it looked")
            << QString() << QString() << QString() << true << QStringList{emptyHome} << QString() << QString()
            << QStringList{QStringLiteral("no configuration has been provided"),
                           QStringLiteral("@/resolve/empty-home/.kube/config"),
                           QStringLiteral("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set")};
        QTest::newRow("nothing found: every $KUBECONFIG path is listed")
            << QString() << QString() << QString() << true
            << QStringList{QStringLiteral("KUBECONFIG=@/resolve/one.yaml:@/resolve/two.yaml"), home} << QString()
            << QString() << QStringList{QStringLiteral("$KUBECONFIG (@/resolve/one.yaml, @/resolve/two.yaml)")};
        QTest::newRow("a missing --kubeconfig is an error even inside a cluster")
            << QStringLiteral("@/resolve/nope.yaml") << QString() << QString() << true << QStringList{home} + inCluster
            << QString() << QString()
            << QStringList{QStringLiteral("stat @/resolve/nope.yaml: no such file or directory")};
        QTest::newRow("in-cluster is not used when not allowed")
            << QString() << QString() << QString() << false << QStringList{emptyHome} + inCluster << QString()
            << QString() << QStringList{QStringLiteral("the in-cluster configuration is not allowed")};
        QTest::newRow("a kubeconfig without current-context outside a cluster")
            << QString() << QString() << QString() << true
            << QStringList{QStringLiteral("KUBECONFIG=@/resolve/no-current.yaml")} << QString() << QString()
            << QStringList{QStringLiteral("current-context is not set in @/resolve/no-current.yaml")};
        QTest::newRow("--context never falls back to in-cluster")
            << QString() << QStringLiteral("ghost") << QString() << true
            << QStringList{QStringLiteral("KUBECONFIG=@/resolve/no-current.yaml")} + inCluster << QString() << QString()
            << QStringList{QStringLiteral("context \"ghost\" does not exist in @/resolve/no-current.yaml")};
    }

    void resolveConnection()
    {
        QFETCH(QString, kubeconfig);
        QFETCH(QString, context);
        QFETCH(QString, namespaceName);
        QFETCH(bool, allowInCluster);
        QFETCH(QStringList, env);
        QFETCH(QString, server);
        QFETCH(QString, expectedNamespace);
        QFETCH(QStringList, fragments);
        ConnectionOptions options;
        options.kubeconfig = expand(kubeconfig, tmp());
        options.context = context;
        options.namespaceName = namespaceName;
        options.allowInCluster = allowInCluster;
        options.serviceAccountDir = tmp() + QStringLiteral("/resolve/sa");
        auto connection = vk::kube::resolveConnection(options, environment(expand(env, tmp())));
        if (server.isEmpty()) {
            QVERIFY2(!connection.ok(), "expected an error");
            const QString problem = missingFragments(connection.error().message(), expand(fragments, tmp()));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            return;
        }
        QVERIFY2(connection.ok(), qPrintable(connection.ok() ? QString() : connection.error().message()));
        QCOMPARE(connection->server.toString(), server);
        QCOMPARE(connection->namespaceName, expectedNamespace);
    }
};

QTEST_GUILESS_MAIN(KubeConfigTest)
#include "tst_kubeconfig.moc"
