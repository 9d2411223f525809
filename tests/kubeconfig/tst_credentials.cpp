// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/Credentials.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace vk;
using namespace vk::kube;

namespace {

const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");

QString dataDir()
{
    return qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/kubeconfig");
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QByteArray readData(const QString& name)
{
    return readFile(dataDir() + QLatin1Char('/') + name);
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(content) == content.size();
}

/// Counts the lines of a file a plugin appends to on every run.
int runs(const QString& counter)
{
    return int(readFile(counter).count('\n'));
}

/// The outcome of one fetch(), filled in by its callback.
struct Fetched
{
    int calls = 0;
    std::optional<Result<Credentials>> result;

    bool ok() const { return result && result->ok(); }
    QString error() const { return result && !result->ok() ? result->error().message() : QString(); }
    QByteArray header() const { return ok() ? result->value().authorizationHeader : QByteArray(); }
};

std::shared_ptr<Fetched> fetch(CredentialProvider& provider, QObject* context)
{
    auto fetched = std::make_shared<Fetched>();
    provider.fetch(context, [fetched](Result<Credentials> result) {
        ++fetched->calls;
        fetched->result = std::move(result);
    });
    return fetched;
}

QByteArray execCredential(const QString& apiVersion, const QJsonObject& status)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("apiVersion"), apiVersion},
                                     {QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                                     {QStringLiteral("status"), status}})
        .toJson();
}

QString commonName(const QSslCertificate& cert)
{
    return cert.subjectInfo(QSslCertificate::CommonName).join(QLatin1Char(','));
}

} // namespace

class CredentialsTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tmp;

    QString path(const QString& name) const { return m_tmp->path() + QLatin1Char('/') + name; }

    /// A /bin/sh plugin that records each run in `counter` and then runs `body`.
    QString script(const QString& name, const QByteArray& body)
    {
        const QString file = path(name);
        const QByteArray text =
            "#!/bin/sh\necho run >> '" + path(name + QStringLiteral(".runs")).toUtf8() + "'\n" + body + "\n";
        if (!writeFile(file, text))
            return {};
        QFile(file).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        return file;
    }

    /// A plugin that prints `output` (written to a file next to it) and exits 0.
    QString printingPlugin(const QString& name, const QByteArray& output)
    {
        const QString outputFile = path(name + QStringLiteral(".json"));
        if (!writeFile(outputFile, output))
            return {};
        return script(name, "cat '" + outputFile.toUtf8() + "'");
    }

    QString counterOf(const QString& name) const { return path(name + QStringLiteral(".runs")); }

    static ClusterConnection execConnection(const QString& command, const QString& apiVersion = kV1)
    {
        ClusterConnection connection;
        connection.server = QUrl(QStringLiteral("https://127.0.0.1:6443"));
        connection.userName = QStringLiteral("admin");
        ExecConfig exec;
        exec.apiVersion = apiVersion;
        exec.command = command;
        exec.interactiveMode = QStringLiteral("Never");
        connection.exec = exec;
        return connection;
    }

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
    }

    void literalToken()
    {
        ClusterConnection connection;
        connection.token = QStringLiteral("abc.def.ghi");
        CredentialProvider provider(connection);
        QVERIFY(!provider.usesExecPlugin());
        QObject context;
        auto fetched = fetch(provider, &context);
        QCOMPARE(fetched->calls, 1); // no plugin: answered synchronously
        QCOMPARE(fetched->header(), QByteArray("Bearer abc.def.ghi"));
    }

    void basicAuth()
    {
        ClusterConnection connection;
        connection.username = QStringLiteral("admin");
        connection.password = QStringLiteral("s3cr:t");
        CredentialProvider provider(connection);
        QObject context;
        auto fetched = fetch(provider, &context);
        QCOMPARE(fetched->header(), QByteArray("Basic ") + QByteArray("admin:s3cr:t").toBase64());
    }

    void clientCertificatePassedThrough()
    {
        ClusterConnection connection;
        connection.clientCertificate = QSslCertificate(readData(QStringLiteral("ec-client.crt")));
        connection.clientKey = QSslKey(readData(QStringLiteral("ec-client.key")), QSsl::Ec);
        QVERIFY(!connection.clientKey.isNull());
        CredentialProvider provider(connection);
        QObject context;
        auto fetched = fetch(provider, &context);
        QVERIFY(fetched->ok());
        QVERIFY(fetched->header().isEmpty());
        QCOMPARE(commonName(fetched->result->value().clientCertificate), QStringLiteral("ec-admin"));
        QCOMPARE(fetched->result->value().clientKey, connection.clientKey);
    }

    void noCredentialsAtAll()
    {
        const ClusterConnection nothing;
        CredentialProvider provider(nothing);
        QObject context;
        auto fetched = fetch(provider, &context);
        QVERIFY(fetched->ok());
        QVERIFY(fetched->header().isEmpty());
        QVERIFY(fetched->result->value().clientCertificate.isNull());
    }

    void tokenFileIsReReadAfterAMinute()
    {
        ManualClock clock;
        ClusterConnection connection;
        connection.tokenFile = path(QStringLiteral("token"));
        QVERIFY(writeFile(connection.tokenFile, "first\n"));
        CredentialProvider provider(connection, &clock);
        QObject context;
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer first"));

        QVERIFY(writeFile(connection.tokenFile, "second\n"));
        clock.advance(59'000);
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer first")); // still cached
        clock.advance(1'000);
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer second")); // a minute later: re-read

        QVERIFY(writeFile(connection.tokenFile, "third\n"));
        provider.invalidate();
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer third")); // invalidate() re-reads now
    }

    void tokenFileKeepsTheLastTokenWhenItCannotBeReread()
    {
        ManualClock clock;
        ClusterConnection connection;
        connection.tokenFile = path(QStringLiteral("token"));
        QVERIFY(writeFile(connection.tokenFile, "first"));
        CredentialProvider provider(connection, &clock);
        QObject context;
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer first"));
        QVERIFY(QFile::remove(connection.tokenFile));
        clock.advance(120'000);
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer first")); // as client-go
    }

    void missingTokenFileNamesTheFile()
    {
        ClusterConnection connection;
        connection.userName = QStringLiteral("robot");
        connection.tokenFile = path(QStringLiteral("no-such-token"));
        CredentialProvider provider(connection);
        QObject context;
        auto fetched = fetch(provider, &context);
        QVERIFY(!fetched->ok());
        QCOMPARE(fetched->result->error().category(), ErrorCategory::Unauthorized);
        QVERIFY2(fetched->error().contains(connection.tokenFile), qPrintable(fetched->error()));
        QVERIFY2(fetched->error().contains(QStringLiteral("user \"robot\"")), qPrintable(fetched->error()));
    }

    void literalTokenWinsOverTokenFile()
    {
        ClusterConnection connection;
        connection.token = QStringLiteral("literal");
        connection.tokenFile = path(QStringLiteral("token"));
        QVERIFY(writeFile(connection.tokenFile, "from-file"));
        CredentialProvider provider(connection);
        QObject context;
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer literal"));
    }

    void execPluginToken_data()
    {
        QTest::addColumn<QString>("apiVersion");
        QTest::newRow("client.authentication.k8s.io/v1") << kV1;
        QTest::newRow("client.authentication.k8s.io/v1beta1") << kV1beta1;
    }

    void execPluginToken()
    {
        QFETCH(QString, apiVersion);
        const QString plugin = printingPlugin(
            QStringLiteral("plugin"), execCredential(apiVersion, {{QStringLiteral("token"), QStringLiteral("t0k")}}));
        QVERIFY(!plugin.isEmpty());
        CredentialProvider provider(execConnection(plugin, apiVersion));
        QVERIFY(provider.usesExecPlugin());
        QObject context;
        auto fetched = fetch(provider, &context);
        QCOMPARE(fetched->calls, 0); // the plugin runs asynchronously
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY2(fetched->ok(), qPrintable(fetched->error()));
        QCOMPARE(fetched->header(), QByteArray("Bearer t0k"));
        QCOMPARE(runs(counterOf(QStringLiteral("plugin"))), 1);
    }

    void execPluginClientCertificate()
    {
        const QString plugin = printingPlugin(
            QStringLiteral("plugin"),
            execCredential(kV1, {{QStringLiteral("clientCertificateData"),
                                  QString::fromUtf8(readData(QStringLiteral("rsa-client.crt")))},
                                 {QStringLiteral("clientKeyData"),
                                  QString::fromUtf8(readData(QStringLiteral("rsa-client-pkcs8.key")))}}));
        CredentialProvider provider(execConnection(plugin));
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY2(fetched->ok(), qPrintable(fetched->error()));
        QVERIFY(fetched->header().isEmpty());
        QCOMPARE(commonName(fetched->result->value().clientCertificate), QStringLiteral("rsa-admin"));
        QCOMPARE(fetched->result->value().clientKey.algorithm(), QSsl::Rsa);
    }

    void execCredentialIsCachedUntilExpiry()
    {
        ManualClock clock; // 2026-01-01T00:00:00Z
        const QString plugin = printingPlugin(
            QStringLiteral("plugin"),
            execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("short-lived")},
                                 {QStringLiteral("expirationTimestamp"), QStringLiteral("2026-01-01T00:10:00Z")}}));
        CredentialProvider provider(execConnection(plugin), &clock);
        QObject context;
        auto first = fetch(provider, &context);
        QTRY_COMPARE(first->calls, 1);
        QCOMPARE(first->header(), QByteArray("Bearer short-lived"));

        clock.advance(9 * 60'000);
        auto second = fetch(provider, &context);
        QCOMPARE(second->calls, 1); // from the cache, synchronously
        QCOMPARE(second->header(), QByteArray("Bearer short-lived"));
        QCOMPARE(runs(counterOf(QStringLiteral("plugin"))), 1);

        clock.advance(2 * 60'000); // past expirationTimestamp on the injected clock
        auto third = fetch(provider, &context);
        QCOMPARE(third->calls, 0);
        QTRY_COMPARE(third->calls, 1);
        QCOMPARE(third->header(), QByteArray("Bearer short-lived"));
        QCOMPARE(runs(counterOf(QStringLiteral("plugin"))), 2);
    }

    void execCredentialWithoutExpiryIsKeptUntilInvalidated()
    {
        ManualClock clock;
        const QString plugin = printingPlugin(
            QStringLiteral("plugin"), execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("forever")}}));
        CredentialProvider provider(execConnection(plugin), &clock);
        QObject context;
        auto first = fetch(provider, &context);
        QTRY_COMPARE(first->calls, 1);
        QCOMPARE(first->header(), QByteArray("Bearer forever"));
        clock.advance(24 * 3600'000LL);
        QCOMPARE(fetch(provider, &context)->header(), QByteArray("Bearer forever"));
        QCOMPARE(runs(counterOf(QStringLiteral("plugin"))), 1);

        provider.invalidate(); // e.g. after a 401
        auto again = fetch(provider, &context);
        QCOMPARE(again->calls, 0);
        QTRY_COMPARE(again->calls, 1);
        QCOMPARE(runs(counterOf(QStringLiteral("plugin"))), 2);
    }

    void execPluginGetsArgsEnvAndExecInfo_data()
    {
        QTest::addColumn<bool>("provideClusterInfo");
        QTest::newRow("without cluster info") << false;
        QTest::newRow("with provideClusterInfo") << true;
    }

    void execPluginGetsArgsEnvAndExecInfo()
    {
        QFETCH(bool, provideClusterInfo);
        const QString info = path(QStringLiteral("exec-info.json"));
        const QString output = path(QStringLiteral("out.json"));
        QVERIFY(writeFile(output, execCredential(kV1beta1, {{QStringLiteral("token"), QStringLiteral("x")}})));
        const QString plugin = script(QStringLiteral("plugin"),
                                      "printf '%s' \"$KUBERNETES_EXEC_INFO\" > '" + info.toUtf8() +
                                          "'\nprintf '%s|%s|%s' \"$1\" \"$2\" \"$REGION\" > '" +
                                          path(QStringLiteral("args")).toUtf8() + "'\ncat '" + output.toUtf8() + "'");
        ClusterConnection connection = execConnection(plugin, kV1beta1);
        connection.exec->args = QStringList{QStringLiteral("--cluster"), QStringLiteral("prod east")};
        connection.exec->env = {{QStringLiteral("REGION"), QStringLiteral("eu-west-1")}};
        connection.exec->provideClusterInfo = provideClusterInfo;
        connection.caCertificates = QSslCertificate::fromData(readData(QStringLiteral("ca.crt")));
        connection.tlsServerName = QStringLiteral("kubernetes");
        CredentialProvider provider(connection);
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY2(fetched->ok(), qPrintable(fetched->error()));

        QCOMPARE(readFile(path(QStringLiteral("args"))), QByteArray("--cluster|prod east|eu-west-1"));
        const QJsonObject execInfo = QJsonDocument::fromJson(readFile(info)).object();
        QCOMPARE(execInfo.value(QLatin1String("kind")).toString(), QStringLiteral("ExecCredential"));
        QCOMPARE(execInfo.value(QLatin1String("apiVersion")).toString(), kV1beta1);
        const QJsonObject spec = execInfo.value(QLatin1String("spec")).toObject();
        QCOMPARE(spec.value(QLatin1String("interactive")), QJsonValue(false));
        QCOMPARE(spec.contains(QLatin1String("cluster")), provideClusterInfo);
        if (provideClusterInfo) {
            const QJsonObject cluster = spec.value(QLatin1String("cluster")).toObject();
            QCOMPARE(cluster.value(QLatin1String("server")).toString(), QStringLiteral("https://127.0.0.1:6443"));
            QCOMPARE(cluster.value(QLatin1String("tls-server-name")).toString(), QStringLiteral("kubernetes"));
            const QByteArray ca = QByteArray::fromBase64(
                cluster.value(QLatin1String("certificate-authority-data")).toString().toLatin1());
            QCOMPARE(QSslCertificate::fromData(ca), connection.caCertificates);
        }
    }

    void execPluginWithWrongApiVersion()
    {
        const QString plugin = printingPlugin(
            QStringLiteral("plugin"), execCredential(kV1beta1, {{QStringLiteral("token"), QStringLiteral("t")}}));
        CredentialProvider provider(execConnection(plugin, kV1));
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY(!fetched->ok());
        QCOMPARE(fetched->result->error().category(), ErrorCategory::Unauthorized);
        QVERIFY2(fetched->error().contains(QStringLiteral("is configured to use API version %1, plugin returned "
                                                          "version %2")
                                               .arg(kV1, kV1beta1)),
                 qPrintable(fetched->error()));
        QVERIFY2(fetched->error().contains(plugin), qPrintable(fetched->error()));
    }

    void execPluginOutputErrors_data()
    {
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("output that is not JSON") << QByteArray("oops") << QStringLiteral("decoding its output");
        QTest::newRow("no status") << QJsonDocument(
                                          QJsonObject{{QStringLiteral("apiVersion"), kV1},
                                                      {QStringLiteral("kind"), QStringLiteral("ExecCredential")}})
                                          .toJson()
                                   << QStringLiteral("didn't return a status field");
        QTest::newRow("neither token nor certificate")
            << execCredential(kV1, {}) << QStringLiteral("didn't return a token or cert/key pair");
        QTest::newRow("certificate without key")
            << execCredential(kV1, {{QStringLiteral("clientCertificateData"),
                                     QString::fromUtf8(readData(QStringLiteral("ec-client.crt")))}})
            << QStringLiteral("returned only certificate or key, not both");
        QTest::newRow("an expirationTimestamp that is not RFC 3339")
            << execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("t")},
                                    {QStringLiteral("expirationTimestamp"), QStringLiteral("tomorrow")}})
            << QStringLiteral("status.expirationTimestamp \"tomorrow\" is not an RFC 3339 time");
    }

    void execPluginOutputErrors()
    {
        QFETCH(QByteArray, output);
        QFETCH(QString, fragment);
        const QString plugin = printingPlugin(QStringLiteral("plugin"), output);
        CredentialProvider provider(execConnection(plugin));
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY(!fetched->ok());
        QVERIFY2(fetched->error().contains(fragment), qPrintable(fetched->error()));
    }

    void execPluginFailureIncludesStderr()
    {
        const QString plugin =
            script(QStringLiteral("plugin"), "echo 'error: the SSO session has expired' >&2\necho 'junk'\nexit 3");
        CredentialProvider provider(execConnection(plugin));
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY(!fetched->ok());
        QCOMPARE(fetched->result->error().category(), ErrorCategory::Unauthorized);
        QCOMPARE(fetched->error(), QStringLiteral("exec plugin \"%1\" of user \"admin\": failed with exit code 3: "
                                                  "error: the SSO session has expired")
                                       .arg(plugin));
        // A failure is not cached: the next fetch runs the plugin again.
        auto again = fetch(provider, &context);
        QTRY_COMPARE(again->calls, 1);
        QCOMPARE(runs(counterOf(QStringLiteral("plugin"))), 2);
    }

    void execPluginStderrIsBounded()
    {
        const QString plugin =
            script(QStringLiteral("plugin"), "i=0; while [ $i -lt 2000 ]; do echo 'a long line of diagnostics' >&2; "
                                             "i=$((i+1)); done; exit 1");
        CredentialProvider provider(execConnection(plugin));
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY(fetched->error().contains(QStringLiteral("failed with exit code 1")));
        QVERIFY(fetched->error().contains(QStringLiteral("(truncated)")));
        QVERIFY2(fetched->error().size() < 2500, qPrintable(QString::number(fetched->error().size())));
    }

    void execPluginNotFoundShowsInstallHint()
    {
        ClusterConnection connection = execConnection(QStringLiteral("vk-no-such-credential-plugin"));
        connection.exec->installHint = QStringLiteral("Install it with: apt install vk-plugin");
        CredentialProvider provider(connection);
        QObject context;
        auto fetched = fetch(provider, &context);
        QCOMPARE(fetched->calls, 0); // asynchronous even when it cannot start
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY(!fetched->ok());
        QVERIFY2(fetched->error().contains(QStringLiteral("exec plugin \"vk-no-such-credential-plugin\" of user "
                                                          "\"admin\": executable not found")),
                 qPrintable(fetched->error()));
        QVERIFY2(fetched->error().contains(QStringLiteral("Install it with: apt install vk-plugin")),
                 qPrintable(fetched->error()));
    }

    void execPluginWithMissingPathNotFound()
    {
        CredentialProvider provider(execConnection(path(QStringLiteral("bin/absent"))));
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY2(fetched->error().contains(QStringLiteral("executable not found")), qPrintable(fetched->error()));
    }

    void hangingPluginIsKilledAfterTheTimeout()
    {
        ManualClock clock;
        const QString plugin = script(QStringLiteral("plugin"), "exec sleep 600");
        CredentialProvider provider(execConnection(plugin), &clock);
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(runs(counterOf(QStringLiteral("plugin"))), 1); // it is running
        clock.advance(59'000);
        QCOMPARE(fetched->calls, 0);
        clock.advance(1'000);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY(!fetched->ok());
        QVERIFY2(fetched->error().contains(QStringLiteral("did not finish within 60 s and was killed")),
                 qPrintable(fetched->error()));
    }

    void concurrentFetchesShareOneRun()
    {
        const QString plugin = printingPlugin(
            QStringLiteral("plugin"), execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("shared")}}));
        CredentialProvider provider(execConnection(plugin));
        QObject context;
        auto a = fetch(provider, &context);
        auto b = fetch(provider, &context);
        auto c = fetch(provider, nullptr);
        QTRY_COMPARE(a->calls + b->calls + c->calls, 3);
        QCOMPARE(a->header(), QByteArray("Bearer shared"));
        QCOMPARE(b->header(), QByteArray("Bearer shared"));
        QCOMPARE(c->header(), QByteArray("Bearer shared"));
        QCOMPARE(runs(counterOf(QStringLiteral("plugin"))), 1);
    }

    void noCallbackAfterTheContextIsDestroyed()
    {
        const QString plugin = printingPlugin(QStringLiteral("plugin"),
                                              execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("t")}}));
        CredentialProvider provider(execConnection(plugin));
        auto gone = std::make_unique<QObject>();
        QObject stays;
        auto forGone = fetch(provider, gone.get());
        auto forStays = fetch(provider, &stays);
        gone.reset();
        QTRY_COMPARE(forStays->calls, 1);
        QVERIFY(forStays->ok());
        QCOMPARE(forGone->calls, 0);
    }

    void destroyingTheProviderDuringARunIsSafe()
    {
        const QString plugin = printingPlugin(QStringLiteral("plugin"),
                                              execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("t")}}));
        auto provider = std::make_unique<CredentialProvider>(execConnection(plugin));
        QObject context;
        auto fetched = fetch(*provider, &context);
        provider.reset();
        // A second provider's answer shows the event loop ran long enough for the first run to have ended.
        const QString other = printingPlugin(QStringLiteral("other"),
                                             execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("o")}}));
        CredentialProvider second(execConnection(other));
        auto otherFetched = fetch(second, &context);
        QTRY_COMPARE(otherFetched->calls, 1);
        QCOMPARE(otherFetched->header(), QByteArray("Bearer o"));
        QCOMPARE(fetched->calls, 0);
    }

    void execCertificateAndStaticToken()
    {
        // A literal token is sent as is; the plugin still supplies the client certificate.
        const QString plugin =
            printingPlugin(QStringLiteral("plugin"),
                           execCredential(kV1, {{QStringLiteral("token"), QStringLiteral("from-plugin")},
                                                {QStringLiteral("clientCertificateData"),
                                                 QString::fromUtf8(readData(QStringLiteral("ec-client.crt")))},
                                                {QStringLiteral("clientKeyData"),
                                                 QString::fromUtf8(readData(QStringLiteral("ec-client.key")))}}));
        ClusterConnection connection = execConnection(plugin);
        connection.token = QStringLiteral("literal");
        CredentialProvider provider(connection);
        QObject context;
        auto fetched = fetch(provider, &context);
        QTRY_COMPARE(fetched->calls, 1);
        QVERIFY2(fetched->ok(), qPrintable(fetched->error()));
        QCOMPARE(fetched->header(), QByteArray("Bearer literal"));
        QCOMPARE(commonName(fetched->result->value().clientCertificate), QStringLiteral("ec-admin"));
        QCOMPARE(fetched->result->value().clientKey.algorithm(), QSsl::Ec);
    }
};

QTEST_GUILESS_MAIN(CredentialsTest)
#include "tst_credentials.moc"
