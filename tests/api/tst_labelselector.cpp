// SPDX-License-Identifier: Apache-2.0
#include "api/LabelSelector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using vk::api::LabelRequirement;
using vk::api::LabelSelector;

namespace {

QJsonObject json(const char* text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", text);
    return doc.object();
}

QJsonArray jsonArray(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).array();
}

const QString kNamePart =
    QStringLiteral("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                   "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                   "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
const QString kLabelValue = QStringLiteral(
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation "
    "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");

} // namespace

class LabelSelectorTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");

        QTest::newRow("empty selector") << QString() << QString();
        QTest::newRow("whitespace only") << QStringLiteral("  \t ") << QString();
        QTest::newRow("equality") << QStringLiteral("app=web") << QStringLiteral("app=web");
        QTest::newRow("double equals prints as equals") << QStringLiteral("app==web") << QStringLiteral("app=web");
        QTest::newRow("inequality") << QStringLiteral("app!=web") << QStringLiteral("app!=web");
        QTest::newRow("set inclusion sorts values")
            << QStringLiteral("env in (prod,dev)") << QStringLiteral("env in (dev,prod)");
        QTest::newRow("set exclusion") << QStringLiteral("env notin (a)") << QStringLiteral("env notin (a)");
        QTest::newRow("duplicate values collapse")
            << QStringLiteral("env in (a,b,a)") << QStringLiteral("env in (a,b)");
        QTest::newRow("exists") << QStringLiteral("legacy") << QStringLiteral("legacy");
        QTest::newRow("does not exist") << QStringLiteral("!legacy") << QStringLiteral("!legacy");
        QTest::newRow("requirements are sorted by key") << QStringLiteral("b=1,a=2") << QStringLiteral("a=2,b=1");
        QTest::newRow("whitespace is tolerated everywhere")
            << QStringLiteral("  tier in ( a , b ) ,  app = web , ! legacy ")
            << QStringLiteral("app=web,!legacy,tier in (a,b)");
        QTest::newRow("empty values from the apimachinery example")
            << QStringLiteral("x in (foo,,baz),y,z notin ()") << QStringLiteral("x in (,baz,foo),y,z notin ()");
        QTest::newRow("empty exact value") << QStringLiteral("app=") << QStringLiteral("app=");
        QTest::newRow("greater than") << QStringLiteral("version>5") << QStringLiteral("version>5");
        QTest::newRow("less than") << QStringLiteral("version<10") << QStringLiteral("version<10");
        QTest::newRow("keywords are identifiers in key and value position")
            << QStringLiteral("in in (in,notin)") << QStringLiteral("in in (in,notin)");
        QTest::newRow("prefixed key") << QStringLiteral("app.kubernetes.io/name=web")
                                      << QStringLiteral("app.kubernetes.io/name=web");
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto selector = LabelSelector::parse(text);
        QVERIFY2(selector.ok(), selector.ok() ? "" : qPrintable(selector.error().message()));
        QCOMPARE(selector->toString(), canonical);
        QCOMPARE(selector->isEmpty(), canonical.isEmpty());
        const auto again = LabelSelector::parse(canonical);
        QVERIFY(again.ok());
        QCOMPARE(again->toString(), canonical);
    }

    void parsedRequirements()
    {
        const auto selector = LabelSelector::parse(QStringLiteral("env in (prod,dev),!legacy"));
        QVERIFY(selector.ok());
        QCOMPARE(selector->requirements().size(), 2);
        QCOMPARE(selector->requirements()[0].key, QStringLiteral("env"));
        QCOMPARE(selector->requirements()[0].op, LabelRequirement::Op::In);
        QCOMPARE(selector->requirements()[0].values, (QStringList{QStringLiteral("dev"), QStringLiteral("prod")}));
        QCOMPARE(selector->requirements()[1].op, LabelRequirement::Op::DoesNotExist);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("operator without key")
            << QStringLiteral("=x") << QStringLiteral("found '=', expected: !, identifier, or 'end of string'");
        QTest::newRow("second equals") << QStringLiteral("app=web=x")
                                       << QStringLiteral("found '=', expected: ',' or 'end of string'");
        QTest::newRow("two commas") << QStringLiteral("a,,b")
                                    << QStringLiteral("found ',', expected: identifier after ','");
        QTest::newRow("trailing comma") << QStringLiteral("a,")
                                        << QStringLiteral("found '', expected: identifier after ','");
        QTest::newRow("space inside a value")
            << QStringLiteral("app=a b") << QStringLiteral("found 'b', expected: ',' or 'end of string'");
        QTest::newRow("set without parentheses")
            << QStringLiteral("env in prod")
            << QStringLiteral("unable to parse requirement: found 'prod' expected: '('");
        QTest::newRow("unclosed set") << QStringLiteral("env in (a")
                                      << QStringLiteral("unable to parse requirement: found '', expected: ',' or ')'");
        QTest::newRow("unknown operator")
            << QStringLiteral("bad key=x")
            << QStringLiteral("unable to parse requirement: found 'key', expected: in, notin, =, ==, !=, gt, lt");
        QTest::newRow("bang after key")
            << QStringLiteral("a!b")
            << QStringLiteral("unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt");
        QTest::newRow("parenthesis as exact value")
            << QStringLiteral("a=(b)")
            << QStringLiteral("unable to parse requirement: found '(', expected: identifier");
        QTest::newRow("lone special symbols")
            << QStringLiteral("a=b,!") << QStringLiteral("unable to parse requirement: found '', expected: identifier");
        QTest::newRow("invalid key") << QStringLiteral("-bad=x")
                                     << QStringLiteral(
                                            "unable to parse requirement: <nil>: Invalid value: \"-bad\": ") +
                                            kNamePart;
        QTest::newRow("invalid value names the value path")
            << QStringLiteral("app=-web")
            << QStringLiteral("unable to parse requirement: values[0][app]: Invalid value: \"-web\": ") + kLabelValue;
        QTest::newRow("greater than needs an integer")
            << QStringLiteral("n>abc")
            << QStringLiteral("unable to parse requirement: values[0]: Invalid value: \"abc\": for 'Gt', 'Lt' "
                              "operators, the value must be an integer");
    }

    void rejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto selector = LabelSelector::parse(text);
        QVERIFY(!selector.ok());
        QCOMPARE(selector.error().category(), ErrorCategory::BadRequest);
        QCOMPARE(selector.error().message(),
                 QStringLiteral("unable to parse label selector \"") + text + QStringLiteral("\": ") + message);
    }

    void matches_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<bool>("expected");
        QTest::newRow("empty matches everything") << QString() << true;
        QTest::newRow("equal") << QStringLiteral("app=web") << true;
        QTest::newRow("equal to another value") << QStringLiteral("app=db") << false;
        QTest::newRow("not equal holds") << QStringLiteral("app!=db") << true;
        QTest::newRow("not equal on a missing key holds") << QStringLiteral("zone!=a") << true;
        QTest::newRow("in") << QStringLiteral("tier in (front,back)") << true;
        QTest::newRow("in on a missing key fails") << QStringLiteral("zone in (a)") << false;
        QTest::newRow("notin with the value fails") << QStringLiteral("tier notin (front)") << false;
        QTest::newRow("notin on a missing key holds") << QStringLiteral("zone notin (a)") << true;
        QTest::newRow("exists") << QStringLiteral("app") << true;
        QTest::newRow("exists on a missing key fails") << QStringLiteral("zone") << false;
        QTest::newRow("does not exist") << QStringLiteral("!zone") << true;
        QTest::newRow("does not exist on a present key fails") << QStringLiteral("!app") << false;
        QTest::newRow("greater than compares numbers") << QStringLiteral("version>5") << true;
        QTest::newRow("greater than is strict") << QStringLiteral("version>7") << false;
        QTest::newRow("less than") << QStringLiteral("version<10") << true;
        QTest::newRow("greater than on a non-number label fails") << QStringLiteral("app>1") << false;
        QTest::newRow("empty value matches an empty label") << QStringLiteral("empty=") << true;
        QTest::newRow("all requirements must hold") << QStringLiteral("app=web,tier=back") << false;
    }

    void matches()
    {
        QFETCH(QString, selector);
        QFETCH(bool, expected);
        const QJsonObject labels = json("{\"app\":\"web\",\"tier\":\"front\",\"version\":\"7\",\"empty\":\"\"}");
        const auto parsed = LabelSelector::parse(selector);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->matches(labels), expected);
    }

    void fromObject_data()
    {
        QTest::addColumn<QJsonObject>("object");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<QStringList>("causeFields");

        QTest::newRow("empty object matches everything") << QJsonObject() << QString() << QStringList();
        QTest::newRow("matchLabels become equalities")
            << json("{\"matchLabels\":{\"b\":\"2\",\"a\":\"1\"}}") << QStringLiteral("a=1,b=2") << QStringList();
        QTest::newRow("all four expression operators")
            << json("{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"dev\"]},"
                    "{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"db\"]},"
                    "{\"key\":\"app\",\"operator\":\"Exists\"},{\"key\":\"legacy\",\"operator\":\"DoesNotExist\"}]}")
            << QStringLiteral("app,env in (dev,prod),!legacy,tier notin (db)") << QStringList();
        QTest::newRow("In without values is required")
            << json("{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[]}]}") << QString()
            << QStringList{QStringLiteral("spec.selector.matchExpressions[0].values")};
        QTest::newRow("Exists with values is forbidden")
            << json("{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}")
            << QString() << QStringList{QStringLiteral("spec.selector.matchExpressions[0].values")};
        QTest::newRow("unknown operator")
            << json("{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Gt\",\"values\":[\"1\"]}]}") << QString()
            << QStringList{QStringLiteral("spec.selector.matchExpressions[0].operator")};
        QTest::newRow("bad label value in matchLabels")
            << json("{\"matchLabels\":{\"app\":\"no spaces\"}}") << QString()
            << QStringList{QStringLiteral("spec.selector.matchLabels")};
        QTest::newRow("bad key and bad value in an expression")
            << json("{\"matchExpressions\":[{\"key\":\"-k\",\"operator\":\"In\",\"values\":[\"ok\",\"not ok\"]}]}")
            << QString()
            << QStringList{QStringLiteral("spec.selector.matchExpressions[0].key"),
                           QStringLiteral("spec.selector.matchExpressions[0].values[1]")};
    }

    void fromObject()
    {
        QFETCH(QJsonObject, object);
        QFETCH(QString, canonical);
        QFETCH(QStringList, causeFields);
        const auto selector = LabelSelector::fromObject(object, QStringLiteral("spec.selector"));
        if (causeFields.isEmpty()) {
            QVERIFY2(selector.ok(), selector.ok() ? "" : qPrintable(selector.error().message()));
            QCOMPARE(selector->toString(), canonical);
            return;
        }
        QVERIFY(!selector.ok());
        QCOMPARE(selector.error().category(), ErrorCategory::Invalid);
        QStringList fields;
        for (const auto& cause : selector.error().causes())
            fields.append(cause.field);
        QCOMPARE(fields, causeFields);
        QVERIFY(
            selector.error().message().startsWith(causeFields.size() == 1 ? causeFields.first() : QStringLiteral("[")));
    }

    void fromObjectMessages()
    {
        const auto required = LabelSelector::fromObject(
            json("{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"NotIn\"}]}"), QStringLiteral("spec.selector"));
        QVERIFY(!required.ok());
        QCOMPARE(required.error().message(), QStringLiteral("spec.selector.matchExpressions[0].values: Required value: "
                                                            "must be specified when `operator` is 'In' or 'NotIn'"));
        QCOMPARE(required.error().causes().first().reason, QStringLiteral("FieldValueRequired"));

        const auto badOp = LabelSelector::fromObject(
            json("{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Is\"}]}"), QStringLiteral("spec.selector"));
        QVERIFY(!badOp.ok());
        QCOMPARE(badOp.error().message(), QStringLiteral("spec.selector.matchExpressions[0].operator: Invalid value: "
                                                         "\"Is\": not a valid selector operator"));
    }

    void nodeSelectorRequirements_data()
    {
        QTest::addColumn<QJsonArray>("expressions");
        QTest::addColumn<QJsonObject>("labels");
        QTest::addColumn<bool>("matches");
        const QJsonObject node = json("{\"kubernetes.io/os\":\"linux\",\"cores\":\"8\",\"type\":\"virtual-kubelet\"}");
        QTest::newRow("In matches")
            << jsonArray("[{\"key\":\"kubernetes.io/os\",\"operator\":\"In\",\"values\":[\"linux\"]}]") << node << true;
        QTest::newRow("NotIn excludes")
            << jsonArray("[{\"key\":\"type\",\"operator\":\"NotIn\",\"values\":[\"virtual-kubelet\"]}]") << node
            << false;
        QTest::newRow("Gt compares integers")
            << jsonArray("[{\"key\":\"cores\",\"operator\":\"Gt\",\"values\":[\"4\"]}]") << node << true;
        QTest::newRow("Lt compares integers")
            << jsonArray("[{\"key\":\"cores\",\"operator\":\"Lt\",\"values\":[\"4\"]}]") << node << false;
        QTest::newRow("Gt on a missing label fails")
            << jsonArray("[{\"key\":\"gpus\",\"operator\":\"Gt\",\"values\":[\"0\"]}]") << node << false;
        QTest::newRow("DoesNotExist holds")
            << jsonArray("[{\"key\":\"gpus\",\"operator\":\"DoesNotExist\"}]") << node << true;
        QTest::newRow("all expressions must hold")
            << jsonArray("[{\"key\":\"cores\",\"operator\":\"Gt\",\"values\":[\"4\"]},{\"key\":\"type\",\"operator\":"
                         "\"Exists\"}]")
            << node << true;
    }

    void nodeSelectorRequirements()
    {
        QFETCH(QJsonArray, expressions);
        QFETCH(QJsonObject, labels);
        QFETCH(bool, matches);
        const auto selector =
            LabelSelector::fromNodeSelectorRequirements(expressions, QStringLiteral("terms[0].matchExpressions"));
        QVERIFY2(selector.ok(), selector.ok() ? "" : qPrintable(selector.error().message()));
        QCOMPARE(selector->matches(labels), matches);
    }

    void nodeSelectorRequirementErrors()
    {
        const auto twoValues = LabelSelector::fromNodeSelectorRequirements(
            jsonArray("[{\"key\":\"cores\",\"operator\":\"Gt\",\"values\":[\"1\",\"2\"]}]"),
            QStringLiteral("terms[0]"));
        QVERIFY(!twoValues.ok());
        QCOMPARE(twoValues.error().message(), QStringLiteral("terms[0][0].values: Required value: must be specified "
                                                             "single value when `operator` is 'Lt' or 'Gt'"));
        const auto badOp = LabelSelector::fromNodeSelectorRequirements(
            jsonArray("[{\"key\":\"a\",\"operator\":\"Exists\"},{\"key\":\"b\",\"operator\":\"Near\"}]"),
            QStringLiteral("terms[0]"));
        QVERIFY(!badOp.ok());
        QCOMPARE(badOp.error().causes().size(), 1);
        QCOMPARE(badOp.error().causes().first().field, QStringLiteral("terms[0][1].operator"));
    }
};

QTEST_GUILESS_MAIN(LabelSelectorTest)
#include "tst_labelselector.moc"
