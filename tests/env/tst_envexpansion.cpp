// SPDX-License-Identifier: Apache-2.0
// expand(): the kubelet's $(VAR) expansion cases (third_party/forked/golang/expansion/expand_test.go).
#include "env/EnvDetail.h"
#include "env/EnvResolver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace vk::env;

class TstEnvExpansion : public QObject
{
    Q_OBJECT

private:
    static std::function<std::optional<QString>(const QString&)> mapping(QList<QMap<QString, QString>> contexts)
    {
        return [contexts](const QString& name) -> std::optional<QString> {
            for (const auto& context : contexts) {
                if (auto it = context.constFind(name); it != context.cend())
                    return it.value();
            }
            return std::nullopt;
        };
    }

    static QMap<QString, QString> fullContext()
    {
        return {{QStringLiteral("VAR_A"), QStringLiteral("A")},
                {QStringLiteral("VAR_B"), QStringLiteral("B")},
                {QStringLiteral("VAR_C"), QStringLiteral("C")},
                {QStringLiteral("VAR_REF"), QStringLiteral("$(VAR_A)")},
                {QStringLiteral("VAR_EMPTY"), QString()}};
    }

    static void addCases()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const char* input, const char* expected) {
            QTest::newRow(name) << QString::fromUtf8(input) << QString::fromUtf8(expected);
        };
        row("a whole-string reference expands", "$(VAR_A)", "A");
        row("a repeated reference expands each time", "$(VAR_A)-$(VAR_A)", "A-A");
        row("a reference at the beginning expands", "$(VAR_A)-1", "A-1");
        row("a reference in the middle expands", "___$(VAR_B)___", "___B___");
        row("a reference at the end expands", "___$(VAR_C)", "___C");
        row("compound references all expand", "$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C");
        row("$$ escapes one reference and the next expands", "$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A");
        row("$$ escapes every reference", "$$(VAR_A)_$$(VAR_B)", "$(VAR_A)_$(VAR_B)");
        row("$$ before a bare name becomes $", "f000-$$VAR_A", "f000-$VAR_A");
        row("a backslash does not escape", "foo\\$(VAR_C)bar", "foo\\Cbar");
        row("two backslashes do not escape", "foo\\\\$(VAR_C)bar", "foo\\\\Cbar");
        row("many backslashes do not escape", "foo\\\\\\\\$(VAR_A)bar", "foo\\\\\\\\Abar");
        row("nested references are not expanded", "$(VAR_A$(VAR_B))", "$(VAR_A$(VAR_B))");
        row("nested references of the second kind are not expanded", "$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)");
        row("a value that is a reference is not expanded again", "$(VAR_REF)", "$(VAR_A)");
        row("a value that is a reference, twice", "%%$(VAR_REF)--$(VAR_REF)%%", "%%$(VAR_A)--$(VAR_A)%%");
        row("an empty variable expands to nothing", "foo$(VAR_EMPTY)bar", "foobar");
        row("an unterminated expression is kept", "foo$(VAR_Awhoops!", "foo$(VAR_Awhoops!");
        row("an expression without the operator is kept", "f00__(VAR_A)__", "f00__(VAR_A)__");
        row("shell special variables pass through", "$?_boo_$!", "$?_boo_$!");
        row("a bare operator is ignored", "$VAR_A", "$VAR_A");
        row("an undefined variable is kept literally", "$(VAR_DNE)", "$(VAR_DNE)");
        row("an even run of operators before an undefined variable halves", "$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)");
        row("an even run of operators before a defined variable halves", "$$$$$$(VAR_A)", "$$$(VAR_A)");
        row("an odd run of operators before an undefined variable keeps it", "$$$$$$$(GOOD_ODDS)", "$$$$(GOOD_ODDS)");
        row("an odd run of operators before a defined variable expands it", "$$$$$$$(VAR_A)", "$$$A");
        row("a missing opening parenthesis is kept", "$VAR_A)", "$VAR_A)");
        row("shell brace syntax is ignored", "${VAR_A}", "${VAR_A}");
        row("a trailing incomplete expression is not consumed", "$(VAR_B)_______$(A", "B_______$(A");
        row("a trailing empty incomplete expression is not consumed", "$(VAR_C)_______$(", "C_______$(");
        row("an operator at the end of the input is kept", "$(VAR_A)foobarzab$", "Afoobarzab$");
        row("a shell-escaped incomplete expression is kept", "foo-\\$(VAR_A", "foo-\\$(VAR_A");
        row("many $( in the middle are kept", "--$($($($($--", "--$($($($($--");
        row("many $( at the beginning are kept", "$($($($($--foo$(", "$($($($($--foo$(");
        row("many $( at the end are kept", "foo0--$($($($(", "foo0--$($($($(");
        row("escaped operators inside a variable name are not unescaped", "$(foo$$var)", "$(foo$$var)");
        row("a newline is not expanded", "\n", "\n");
        row("an empty input stays empty", "", "");
        row("non-ASCII text around a reference is kept", "é$(VAR_A)😀$", "éA😀$");
    }

private Q_SLOTS:
    void mapping_data() { addCases(); }
    void mapping()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(expand(input, TstEnvExpansion::mapping({fullContext()})), expected);
    }

    // The same cases with the variables split over two sources (declared env, then service env), as the kubelet
    // looks them up.
    void mappingDual_data() { addCases(); }
    void mappingDual()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const QMap<QString, QString> first{{QStringLiteral("VAR_A"), QStringLiteral("A")},
                                           {QStringLiteral("VAR_EMPTY"), QString()}};
        const QMap<QString, QString> second{{QStringLiteral("VAR_B"), QStringLiteral("B")},
                                            {QStringLiteral("VAR_C"), QStringLiteral("C")},
                                            {QStringLiteral("VAR_REF"), QStringLiteral("$(VAR_A)")}};
        QCOMPARE(expand(input, TstEnvExpansion::mapping({first, second})), expected);
    }

    // TestMapReference: each entry sees the already-expanded earlier ones.
    void referencesChainThroughEarlierEntries()
    {
        QMap<QString, QString> declared{{QStringLiteral("FOO"), QStringLiteral("bar")},
                                        {QStringLiteral("ZOO"), QStringLiteral("$(FOO)-1")},
                                        {QStringLiteral("BLU"), QStringLiteral("$(ZOO)-2")}};
        const QList<QPair<QString, QString>> envs{{QStringLiteral("FOO"), QStringLiteral("bar")},
                                                  {QStringLiteral("ZOO"), QStringLiteral("$(FOO)-1")},
                                                  {QStringLiteral("BLU"), QStringLiteral("$(ZOO)-2")}};
        for (const auto& [name, value] : envs)
            declared[name] = expand(value, [&declared](const QString& n) -> std::optional<QString> {
                if (declared.contains(n))
                    return declared.value(n);
                return std::nullopt;
            });
        QCOMPARE(declared.value(QStringLiteral("FOO")), QStringLiteral("bar"));
        QCOMPARE(declared.value(QStringLiteral("ZOO")), QStringLiteral("bar-1"));
        QCOMPARE(declared.value(QStringLiteral("BLU")), QStringLiteral("bar-1-2"));
    }

    void envVarNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("letters and digits are valid") << QStringLiteral("ABC123") << true;
        QTest::newRow("dots, dashes and underscores are valid") << QStringLiteral("a.b-c_d") << true;
        QTest::newRow("a leading dash is valid") << QStringLiteral("-x") << true;
        QTest::newRow("a leading digit is invalid") << QStringLiteral("1abc") << false;
        QTest::newRow("a space is invalid") << QStringLiteral("a b") << false;
        QTest::newRow("an equals sign is invalid") << QStringLiteral("a=b") << false;
        QTest::newRow("empty is invalid") << QString() << false;
    }
    void envVarNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(detail::isEnvVarName(name), valid);
    }

    void formatMapQuotesAsGo_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("plain text is quoted") << QStringLiteral("web") << QStringLiteral("\"web\"");
        QTest::newRow("quotes and backslashes are escaped")
            << QStringLiteral("a\"b\\c") << QStringLiteral("\"a\\\"b\\\\c\"");
        QTest::newRow("newline and tab are escaped") << QStringLiteral("a\nb\tc") << QStringLiteral("\"a\\nb\\tc\"");
        QTest::newRow("other control characters become \\x") << QString(QChar(1)) << QStringLiteral("\"\\x01\"");
        QTest::newRow("printable non-ASCII is kept") << QStringLiteral("é") << QStringLiteral("\"é\"");
        QTest::newRow("a no-break space becomes \\u00a0") << QString(QChar(0xa0)) << QStringLiteral("\"\\u00a0\"");
    }
    void formatMapQuotesAsGo()
    {
        QFETCH(QString, value);
        QFETCH(QString, quoted);
        QCOMPARE(detail::goQuote(value), quoted);
        QCOMPARE(detail::formatMap(QJsonObject{{QStringLiteral("k"), value}}), QStringLiteral("k=") + quoted);
    }

    void formatMapSortsKeysOnLines()
    {
        const QJsonObject map{{QStringLiteral("b"), QStringLiteral("2")}, {QStringLiteral("a"), QStringLiteral("1")}};
        QCOMPARE(detail::formatMap(map), QStringLiteral("a=\"1\"\nb=\"2\""));
        QCOMPARE(detail::formatMap(QJsonObject()), QString());
    }

    void serviceEnvVarsAreTheKubeletNames()
    {
        const QJsonObject service{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("my-db")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("clusterIP"), QStringLiteral("fd00::10")},
                         {QStringLiteral("ports"),
                          QJsonArray{QJsonObject{{QStringLiteral("port"), 5432}},
                                     QJsonObject{{QStringLiteral("name"), QStringLiteral("metrics-port")},
                                                 {QStringLiteral("port"), 9187},
                                                 {QStringLiteral("protocol"), QStringLiteral("UDP")}}}}}}};
        QMap<QString, QString> env;
        for (const auto& [k, v] : detail::serviceEnvVars({service}))
            env.insert(k, v);
        const QMap<QString, QString> expected{
            {QStringLiteral("MY_DB_SERVICE_HOST"), QStringLiteral("fd00::10")},
            {QStringLiteral("MY_DB_SERVICE_PORT"), QStringLiteral("5432")},
            {QStringLiteral("MY_DB_SERVICE_PORT_METRICS_PORT"), QStringLiteral("9187")},
            {QStringLiteral("MY_DB_PORT"), QStringLiteral("tcp://[fd00::10]:5432")},
            {QStringLiteral("MY_DB_PORT_5432_TCP"), QStringLiteral("tcp://[fd00::10]:5432")},
            {QStringLiteral("MY_DB_PORT_5432_TCP_PROTO"), QStringLiteral("tcp")},
            {QStringLiteral("MY_DB_PORT_5432_TCP_PORT"), QStringLiteral("5432")},
            {QStringLiteral("MY_DB_PORT_5432_TCP_ADDR"), QStringLiteral("fd00::10")},
            {QStringLiteral("MY_DB_PORT_9187_UDP"), QStringLiteral("udp://[fd00::10]:9187")},
            {QStringLiteral("MY_DB_PORT_9187_UDP_PROTO"), QStringLiteral("udp")},
            {QStringLiteral("MY_DB_PORT_9187_UDP_PORT"), QStringLiteral("9187")},
            {QStringLiteral("MY_DB_PORT_9187_UDP_ADDR"), QStringLiteral("fd00::10")},
        };
        QCOMPARE(env, expected);

        QJsonObject headless = service;
        QJsonObject spec = headless.value(QLatin1String("spec")).toObject();
        spec.insert(QStringLiteral("clusterIP"), QStringLiteral("None"));
        headless.insert(QStringLiteral("spec"), spec);
        QVERIFY(detail::serviceEnvVars({headless}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstEnvExpansion)
#include "tst_envexpansion.moc"
