// SPDX-License-Identifier: Apache-2.0
#include "ProviderConfigValidator.h"

#include "mock/MockProvider.h"

#include <QJsonDocument>
#include <QTest>

using namespace vk::console;

namespace {

QString lines(std::initializer_list<const char*> parts)
{
    QStringList list;
    for (const char* part : parts)
        list.append(QString::fromUtf8(part));
    return list.join(QLatin1Char('\n'));
}

QStringList keys(std::initializer_list<const char*> parts)
{
    QStringList list;
    for (const char* part : parts)
        list.append(QString::fromUtf8(part));
    return list;
}

} // namespace

class TestProviderConfigValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void validate_data();
    void validate();
    void lineOfKeys_data();
    void lineOfKeys();
    void yamlIsConvertedToJsonForTheProvider();
};

void TestProviderConfigValidator::initTestCase()
{
    vk::mock::registerMockProvider();
}

void TestProviderConfigValidator::validate_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");        // 0 and an empty message: valid
    QTest::addColumn<QString>("message"); // a part of the message
    QTest::addColumn<QString>("field");

    const QString none;
    QTest::newRow("valid json config") << QStringLiteral("mock")
                                       << lines({"{", "  \"vk-node\": {",
                                                 "    \"cpu\": \"2\", \"memory\": \"32Gi\", \"pods\": \"128\",",
                                                 "    \"lifecycle\": {\"pendingMs\": 2000, \"readyMs\": 1500}", "  }",
                                                 "}"})
                                       << 0 << none << none;
    QTest::newRow("valid yaml config") << QStringLiteral("mock")
                                       << lines({"# a comment", "vk-node:", "  cpu: 2", "  memory: 32Gi",
                                                 "  lifecycle:", "    pendingMs: 10"})
                                       << 0 << none << none;
    QTest::newRow("empty text uses the provider defaults") << QStringLiteral("mock") << QString() << 0 << none << none;
    QTest::newRow("comment-only yaml uses the provider defaults")
        << QStringLiteral("mock") << QStringLiteral("# nothing yet\n") << 0 << none << none;
    QTest::newRow("invalid quantity points at the cpu line")
        << QStringLiteral("mock")
        << lines({"{", "  \"vk-node\": {", "    \"memory\": \"32Gi\",", "    \"cpu\": \"lots\"", "  }", "}"}) << 4
        << QStringLiteral("vk-node.cpu: invalid quantity \"lots\"") << QStringLiteral("vk-node.cpu");
    QTest::newRow("invalid quantity in yaml points at the memory line")
        << QStringLiteral("mock") << lines({"vk-node:", "  cpu: 2", "  memory: much"}) << 3
        << QStringLiteral("vk-node.memory: invalid quantity") << QStringLiteral("vk-node.memory");
    QTest::newRow("unknown lifecycle key")
        << QStringLiteral("mock") << lines({"vk-node:", "  lifecycle:", "    pendingMs: 10", "    pendingSeconds: 2"})
        << 4 << QStringLiteral("vk-node.lifecycle.pendingSeconds: unknown field")
        << QStringLiteral("vk-node.lifecycle.pendingSeconds");
    QTest::newRow("negative lifecycle delay points at its key")
        << QStringLiteral("mock") << lines({"{\"vk-node\": {", "  \"lifecycle\": {", "    \"readyMs\": -5}}}"}) << 3
        << QStringLiteral("vk-node.lifecycle.readyMs: must be a non-negative integer")
        << QStringLiteral("vk-node.lifecycle.readyMs");
    QTest::newRow("extended resource whose name has dots")
        << QStringLiteral("mock") << lines({"vk-node:", "  others:", "    nvidia.com/gpu: lots"}) << 3
        << QStringLiteral("vk-node.others.nvidia.com/gpu: invalid quantity")
        << QStringLiteral("vk-node.others.nvidia.com/gpu");
    QTest::newRow("node entry that is not an object points at the node key")
        << QStringLiteral("mock") << lines({"other: {}", "vk-node: 3"}) << 2
        << QStringLiteral("vk-node: must be an object") << QStringLiteral("vk-node");
    QTest::newRow("node missing from file")
        << QStringLiteral("mock") << lines({"{", "  \"vk-other\": {\"cpu\": \"2\"}", "}"}) << 1
        << QStringLiteral("no entry for node \"vk-node\"") << none;
    QTest::newRow("yaml syntax error line")
        << QStringLiteral("mock") << lines({"vk-node:", "  cpu: 2", "  memory: [1, 2", "  pods: 3"}) << 4
        << QStringLiteral("YAML syntax error") << none;
    QTest::newRow("yaml bad indentation error line")
        << QStringLiteral("mock") << lines({"vk-node:", "  cpu: 2", " memory: 3"}) << 3
        << QStringLiteral("YAML syntax error") << none;
    QTest::newRow("json syntax error line")
        << QStringLiteral("mock") << lines({"{", "  \"vk-node\": {", "    \"cpu\": \"2\",", "  }", "}"}) << 4
        << QStringLiteral("JSON syntax error") << none;
    QTest::newRow("top level must be a mapping") << QStringLiteral("mock") << lines({"- a", "- b"}) << 1
                                                 << QStringLiteral("must be a mapping keyed by node name") << none;
    QTest::newRow("unknown provider is not about a line")
        << QStringLiteral("nosuch") << QStringLiteral("vk-node: {}") << 0
        << QStringLiteral("provider \"nosuch\" is not built in") << none;
}

void TestProviderConfigValidator::validate()
{
    QFETCH(QString, provider);
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(QString, message);
    QFETCH(QString, field);

    const ConfigValidation result = ProviderConfigValidator::validate(provider, QStringLiteral("vk-node"), text);
    if (message.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(result.message));
        return;
    }
    QVERIFY(!result.ok());
    QVERIFY2(result.message.contains(message), qPrintable(result.message));
    QVERIFY2(!result.message.contains(QStringLiteral("vk-provider-config-")), qPrintable(result.message));
    QCOMPARE(result.line, line);
    QCOMPARE(result.field, field);
}

void TestProviderConfigValidator::lineOfKeys_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<int>("line");
    const QString yaml = lines({"a:", "  b:", "    c: 1", "  d: 2"});
    const QString json = lines({"{\"a\": {", "  \"b\": {\"c\": 1},", "  \"d\": 2}}"});
    QTest::newRow("yaml nested key") << yaml << keys({"a", "b", "c"}) << 3;
    QTest::newRow("yaml deepest existing key") << yaml << keys({"a", "d", "x"}) << 4;
    QTest::newRow("yaml missing top key") << yaml << keys({"z"}) << 0;
    QTest::newRow("json nested key") << json << keys({"a", "b", "c"}) << 2;
    QTest::newRow("json sibling key") << json << keys({"a", "d"}) << 3;
    QTest::newRow("unparsable text falls back to a text search")
        << lines({"{", "  \"a\": {", "    \"cpu\": \"x\",", "  }"}) << keys({"a", "cpu"}) << 3;
}

void TestProviderConfigValidator::lineOfKeys()
{
    QFETCH(QString, text);
    QFETCH(QStringList, path);
    QFETCH(int, line);
    QCOMPARE(ProviderConfigValidator::lineOfKeys(text, path), line);
}

void TestProviderConfigValidator::yamlIsConvertedToJsonForTheProvider()
{
    const QByteArray json = ProviderConfigValidator::toJson(lines({"vk-node:", "  cpu: 2", "  pods: \"128\""}));
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    QCOMPARE(object.value(QStringLiteral("vk-node")).toObject().value(QStringLiteral("cpu")).toDouble(), 2.0);
    QCOMPARE(object.value(QStringLiteral("vk-node")).toObject().value(QStringLiteral("pods")).toString(),
             QStringLiteral("128"));
    QVERIFY(ProviderConfigValidator::toJson(QString()).isEmpty());
    QVERIFY(ProviderConfigValidator::toJson(QStringLiteral("a: [")).isEmpty());
}

QTEST_GUILESS_MAIN(TestProviderConfigValidator)
#include "tst_providerconfigvalidator.moc"
