// SPDX-License-Identifier: Apache-2.0
#include "runtime/AgentConfig.h"

#include <QTest>

using namespace vk;
using namespace vk::runtime;

class AgentConfigTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
        QTest::newRow("seconds") << QStringLiteral("30s") << qint64(30'000);
        QTest::newRow("minutes and seconds") << QStringLiteral("1m30s") << qint64(90'000);
        QTest::newRow("hours") << QStringLiteral("2h") << qint64(7'200'000);
        QTest::newRow("milliseconds") << QStringLiteral("500ms") << qint64(500);
        QTest::newRow("fractional") << QStringLiteral("1.5s") << qint64(1500);
        QTest::newRow("no unit is invalid") << QStringLiteral("30") << qint64(-1);
        QTest::newRow("unknown unit") << QStringLiteral("3d") << qint64(-1);
        QTest::newRow("garbage") << QStringLiteral("soon") << qint64(-1);
    }

    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        auto parsed = parseDurationMs(text);
        if (ms < 0) {
            QVERIFY(!parsed.ok());
            QVERIFY(parsed.error().message().contains(text));
            return;
        }
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value(), ms);
    }

    void defaultsLikeUpstream()
    {
        auto parsed = parseArguments({QStringLiteral("--provider"), QStringLiteral("mock")}, QProcessEnvironment());
        QVERIFY(parsed.ok());
        const AgentConfig& c = parsed->config;
        QCOMPARE(c.nodeNames, QStringList{QStringLiteral("virtual-kubelet")});
        QCOMPARE(c.operatingSystem, QStringLiteral("linux"));
        QCOMPARE(c.podSyncWorkers, 10);
        QCOMPARE(c.fullResyncPeriodMs, qint64(60'000));
        QCOMPARE(c.kubeletPort, quint16(10250));
        QCOMPARE(c.metricsAddress, QStringLiteral(":10255"));
        QCOMPARE(c.taintKey, QStringLiteral("virtual-kubelet.io/provider"));
        QCOMPARE(c.taintValue, QStringLiteral("mock"));
        QCOMPARE(c.taintEffect, QStringLiteral("NoSchedule"));
        QVERIFY(c.taintEnabled);
    }

    void flagsAndEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("DEFAULT_NODE_NAME"), QStringLiteral("from-env"));
        env.insert(QStringLiteral("KUBELET_PORT"), QStringLiteral("11250"));
        env.insert(QStringLiteral("VKUBELET_TAINT_EFFECT"), QStringLiteral("NoExecute"));
        env.insert(QStringLiteral("VKUBELET_POD_IP"), QStringLiteral("10.1.2.3"));
        auto parsed = parseArguments(
            {QStringLiteral("--provider=mock"), QStringLiteral("--nodename"), QStringLiteral("a,b"),
             QStringLiteral("--nodename=c"), QStringLiteral("--kube-api-qps"), QStringLiteral("200"),
             QStringLiteral("--kube-api-burst=400"), QStringLiteral("--disable-taint"), QStringLiteral("--namespace"),
             QStringLiteral("team-a"), QStringLiteral("--full-resync-period"), QStringLiteral("2m"),
             QStringLiteral("--klog.v"), QStringLiteral("4")},
            env);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message()));
        const AgentConfig& c = parsed->config;
        QCOMPARE(c.nodeNames, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        QCOMPARE(c.kubeletPort, quint16(11250));
        QCOMPARE(c.kubeApiQps, 200.0);
        QCOMPARE(c.kubeApiBurst, 400);
        QVERIFY(!c.taintEnabled);
        QCOMPARE(c.taintEffect, QStringLiteral("NoExecute"));
        QCOMPARE(c.internalIp, QStringLiteral("10.1.2.3"));
        QCOMPARE(c.namespaceName, QStringLiteral("team-a"));
        QCOMPARE(c.fullResyncPeriodMs, qint64(120'000));
        QCOMPARE(c.warnings.size(), 1); // --klog.v
    }

    void commands()
    {
        auto version = parseArguments({QStringLiteral("version")}, QProcessEnvironment());
        QVERIFY(version.ok());
        QCOMPARE(version->action, ParsedArguments::Action::Version);
        auto providers = parseArguments({QStringLiteral("providers"), QStringLiteral("mock")}, QProcessEnvironment());
        QCOMPARE(providers->action, ParsedArguments::Action::ListProviders);
        QCOMPARE(providers->providerQuery, QStringLiteral("mock"));
        auto help = parseArguments({QStringLiteral("--help")}, QProcessEnvironment());
        QCOMPARE(help->action, ParsedArguments::Action::Help);
        QVERIFY(helpText().contains(QStringLiteral("--kube-api-qps")));
    }

    void badInputNamesTheFlag_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("message");
        const QString mock = QStringLiteral("--provider=mock");
        QTest::newRow("unknown flag") << QStringList{mock, QStringLiteral("--frobnicate")} << QString()
                                      << QStringLiteral("unknown flag: --frobnicate");
        QTest::newRow("zero workers") << QStringList{mock, QStringLiteral("--pod-sync-workers=0")} << QString()
                                      << QStringLiteral("pod sync workers must be greater than 0");
        QTest::newRow("bad workers") << QStringList{mock, QStringLiteral("--pod-sync-workers"), QStringLiteral("ten")}
                                     << QString()
                                     << QStringLiteral("invalid argument \"ten\" for \"--pod-sync-workers\" flag");
        QTest::newRow("bad os") << QStringList{mock, QStringLiteral("--os=plan9")} << QString()
                                << QStringLiteral("operating system must be linux or windows");
        QTest::newRow("bad duration") << QStringList{mock, QStringLiteral("--startup-timeout=5")} << QString()
                                      << QStringLiteral("invalid argument \"5\" for \"--startup-timeout\" flag");
        QTest::newRow("missing value") << QStringList{mock, QStringLiteral("--kubeconfig")} << QString()
                                       << QStringLiteral("flag needs an argument: --kubeconfig");
        QTest::newRow("no provider") << QStringList{} << QString() << QStringLiteral("no provider given");
        QTest::newRow("bad node name") << QStringList{mock, QStringLiteral("--nodename=Bad_Name")} << QString()
                                       << QStringLiteral("invalid argument \"Bad_Name\" for \"--nodename\" flag");
        QTest::newRow("duplicate node") << QStringList{mock, QStringLiteral("--nodename=a,a")} << QString()
                                        << QStringLiteral("given more than once");
        QTest::newRow("bad taint effect") << QStringList{mock} << QStringLiteral("VKUBELET_TAINT_EFFECT=Sometimes")
                                          << QStringLiteral("taint effect \"Sometimes\" is not supported");
        QTest::newRow("bad kubelet port") << QStringList{mock} << QStringLiteral("KUBELET_PORT=http")
                                          << QStringLiteral("KUBELET_PORT=http is not a TCP port");
        QTest::newRow("reserved trace tag") << QStringList{mock, QStringLiteral("--trace-tag=provider=x")} << QString()
                                            << QStringLiteral("is reserved");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("fly")} << QString()
                                         << QStringLiteral("unknown command \"fly\"");
    }

    void badInputNamesTheFlag()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, env);
        QFETCH(QString, message);
        QProcessEnvironment environment;
        if (!env.isEmpty())
            environment.insert(env.section(QLatin1Char('='), 0, 0), env.section(QLatin1Char('='), 1));
        auto parsed = parseArguments(arguments, environment);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().category(), ErrorCategory::InvalidInput);
        QVERIFY2(parsed.error().message().contains(message), qPrintable(parsed.error().message()));
    }
};

QTEST_GUILESS_MAIN(AgentConfigTest)
#include "tst_agentconfig.moc"
