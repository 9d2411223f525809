// SPDX-License-Identifier: Apache-2.0
#include "api/Validation.h"
#include "core/KubeStatus.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace vk;
namespace v = vk::api::validation;

namespace {

const QString kLabelMsg = QStringLiteral(
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
const QString kSubdomainMsg = QStringLiteral(
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
const QString kNamePartMsg =
    QStringLiteral("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                   "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                   "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
const QString kLabelValueMsg = QStringLiteral(
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation "
    "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");

QStringList messages(const v::Causes& causes)
{
    QStringList out;
    for (const auto& c : causes)
        out.append(c.message);
    return out;
}

} // namespace

class ValidationTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dns1123Label_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("errors");
        QTest::newRow("lowercase name is valid") << QStringLiteral("my-name") << QStringList{};
        QTest::newRow("digits first is valid") << QStringLiteral("123-abc") << QStringList{};
        QTest::newRow("single character is valid") << QStringLiteral("a") << QStringList{};
        QTest::newRow("63 characters is valid") << QString(63, QLatin1Char('a')) << QStringList{};
        QTest::newRow("uppercase and underscore are rejected") << QStringLiteral("BAD_NAME") << QStringList{kLabelMsg};
        QTest::newRow("empty is rejected") << QString() << QStringList{kLabelMsg};
        QTest::newRow("leading dash is rejected") << QStringLiteral("-abc") << QStringList{kLabelMsg};
        QTest::newRow("trailing dash is rejected") << QStringLiteral("abc-") << QStringList{kLabelMsg};
        QTest::newRow("trailing newline is rejected") << QStringLiteral("abc\n") << QStringList{kLabelMsg};
        QTest::newRow("a subdomain says no dots")
            << QStringLiteral("a.b") << QStringList{QStringLiteral("must not contain dots")};
        QTest::newRow("64 characters is too long")
            << QString(64, QLatin1Char('a')) << QStringList{QStringLiteral("must be no more than 63 characters")};
        QTest::newRow("too long and bad characters give two messages")
            << QString(64, QLatin1Char('A'))
            << QStringList{QStringLiteral("must be no more than 63 characters"), kLabelMsg};
    }

    void dns1123Label()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, errors);
        QCOMPARE(v::dns1123LabelErrors(value), errors);
        v::Causes causes;
        v::dns1123Label(value, QStringLiteral("spec.containers[0].name"), causes);
        QCOMPARE(causes.size(), errors.size());
        for (qsizetype i = 0; i < causes.size(); ++i) {
            QCOMPARE(causes[i].reason, QStringLiteral("FieldValueInvalid"));
            QCOMPARE(causes[i].field, QStringLiteral("spec.containers[0].name"));
            QCOMPARE(causes[i].message,
                     QStringLiteral("Invalid value: ") + v::goQuote(value) + QStringLiteral(": ") + errors[i]);
        }
    }

    void dns1123Subdomain_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("errors");
        QTest::newRow("dotted name is valid") << QStringLiteral("example.com") << QStringList{};
        QTest::newRow("plain label is valid") << QStringLiteral("web-0") << QStringList{};
        QTest::newRow("253 characters is valid") << QString(253, QLatin1Char('a')) << QStringList{};
        QTest::newRow("double dot is rejected") << QStringLiteral("a..b") << QStringList{kSubdomainMsg};
        QTest::newRow("uppercase is rejected") << QStringLiteral("Example.com") << QStringList{kSubdomainMsg};
        QTest::newRow("254 characters is too long")
            << QString(254, QLatin1Char('a')) << QStringList{QStringLiteral("must be no more than 253 characters")};
    }

    void dns1123Subdomain()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, errors);
        QCOMPARE(v::dns1123SubdomainErrors(value), errors);
    }

    void qualifiedName_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("errors");
        QTest::newRow("simple key is valid") << QStringLiteral("app") << QStringList{};
        QTest::newRow("prefixed key is valid") << QStringLiteral("app.kubernetes.io/name") << QStringList{};
        QTest::newRow("mixed case name with dots and underscores is valid")
            << QStringLiteral("My_Name.x") << QStringList{};
        QTest::newRow("empty name part") << QStringLiteral("example.com/")
                                         << QStringList{QStringLiteral("name part must be non-empty"), kNamePartMsg};
        QTest::newRow("empty prefix part")
            << QStringLiteral("/name") << QStringList{QStringLiteral("prefix part must be non-empty")};
        QTest::newRow("bad prefix part") << QStringLiteral("Bad_Prefix/name")
                                         << QStringList{QStringLiteral("prefix part ") + kSubdomainMsg};
        QTest::newRow("name part ending in a dash") << QStringLiteral("name-") << QStringList{kNamePartMsg};
        QTest::newRow("name part too long")
            << QString(64, QLatin1Char('a'))
            << QStringList{QStringLiteral("name part must be no more than 63 characters")};
        QTest::newRow("two slashes")
            << QStringLiteral("a/b/c")
            << QStringList{QStringLiteral(
                   "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                   "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                   "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
                   "and '/' (e.g. 'example.com/MyName')")};
    }

    void qualifiedName()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, errors);
        QCOMPARE(v::qualifiedNameErrors(value), errors);
    }

    void labelValue_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("errors");
        QTest::newRow("empty value is valid") << QString() << QStringList{};
        QTest::newRow("mixed value is valid") << QStringLiteral("My_value-1.2") << QStringList{};
        QTest::newRow("space is rejected") << QStringLiteral("a b") << QStringList{kLabelValueMsg};
        QTest::newRow("slash is rejected") << QStringLiteral("a/b") << QStringList{kLabelValueMsg};
        QTest::newRow("64 characters is too long")
            << QString(64, QLatin1Char('v')) << QStringList{QStringLiteral("must be no more than 63 characters")};
    }

    void labelValue()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, errors);
        QCOMPARE(v::labelValueErrors(value), errors);
    }

    void causeMessages()
    {
        // Each helper appends exactly one cause with field-package wording (field.Error.ErrorBody()).
        auto add = [](const char* what, const v::Causes& causes, const char* reason, const QString& message) {
            QVERIFY2(causes.size() == 1, what);
            QVERIFY2(causes[0].field == QStringLiteral("spec.x"), what);
            QVERIFY2(causes[0].reason == QLatin1String(reason), what);
            QVERIFY2(causes[0].message == message,
                     qPrintable(QString::fromLatin1(what) + QStringLiteral(": ") + causes[0].message));
        };
        {
            v::Causes c;
            v::required(QStringLiteral("spec.x"), c);
            add("required has no detail", c, "FieldValueRequired", QStringLiteral("Required value"));
        }
        {
            v::Causes c;
            v::notSupported(QStringLiteral("spec.x"), QStringLiteral("Sometimes"),
                            {QStringLiteral("Always"), QStringLiteral("OnFailure"), QStringLiteral("Never")}, c);
            add("not supported lists the quoted values", c, "FieldValueNotSupported",
                QStringLiteral(
                    "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
        {
            v::Causes c;
            v::forbidden(QStringLiteral("spec.x"), QStringLiteral("pod updates may not change fields"), c);
            add("forbidden carries the detail", c, "FieldValueForbidden",
                QStringLiteral("Forbidden: pod updates may not change fields"));
        }
        {
            v::Causes c;
            v::duplicate(QStringLiteral("spec.x"), QStringLiteral("c1"), c);
            add("duplicate quotes a string", c, "FieldValueDuplicate", QStringLiteral("Duplicate value: \"c1\""));
        }
        {
            v::Causes c;
            v::duplicate(QStringLiteral("spec.x"), 8080, c);
            add("duplicate prints a number plainly", c, "FieldValueDuplicate", QStringLiteral("Duplicate value: 8080"));
        }
        {
            v::Causes c;
            v::invalid(QStringLiteral("spec.x"), -5, QStringLiteral("must be greater than or equal to 0"), c);
            add("invalid integer", c, "FieldValueInvalid",
                QStringLiteral("Invalid value: -5: must be greater than or equal to 0"));
        }
        {
            v::Causes c;
            v::invalid(QStringLiteral("spec.x"), 1.5, QStringLiteral("bad"), c);
            add("invalid float", c, "FieldValueInvalid", QStringLiteral("Invalid value: 1.5: bad"));
        }
        {
            v::Causes c;
            v::invalid(QStringLiteral("spec.x"), QJsonValue(QJsonValue::Null), QStringLiteral("bad"), c);
            add("invalid null", c, "FieldValueInvalid", QStringLiteral("Invalid value: null: bad"));
        }
        {
            v::Causes c;
            v::invalid(QStringLiteral("spec.x"), true, QString(), c);
            add("invalid without detail", c, "FieldValueInvalid", QStringLiteral("Invalid value: true"));
        }
        {
            v::Causes c;
            v::invalid(QStringLiteral("spec.x"), QStringLiteral("a\"b\\c\n\u00e9\u0001"), QStringLiteral("bad"), c);
            add("invalid string is quoted like Go", c, "FieldValueInvalid",
                QStringLiteral("Invalid value: \"a\\\"b\\\\c\\n\u00e9\\x01\": bad"));
        }
        {
            v::Causes c;
            v::invalid(QStringLiteral("spec.x"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")},
                       QStringLiteral("bad"), c);
            add("invalid string list prints like Go", c, "FieldValueInvalid",
                QStringLiteral("Invalid value: []string{\"a\", \"b\"}: bad"));
        }
        {
            v::Causes c;
            v::tooLong(QStringLiteral("spec.x"), 262144, c);
            add("too long", c, "FieldValueTooLong", QStringLiteral("Too long: must have at most 262144 bytes"));
        }
    }

    void invalidErrorMatchesTheCapture()
    {
        // Capture 13 (modern wording of the label message).
        v::Causes causes;
        v::dns1123Label(QStringLiteral("BAD_NAME"), QStringLiteral("spec.containers[0].name"), causes);
        v::required(QStringLiteral("spec.containers[0].image"), causes);
        const Error error = v::invalidError(QStringLiteral("Pod"), QString(), QStringLiteral("cap-bad"), causes);
        QCOMPARE(error.category(), ErrorCategory::Invalid);
        QCOMPARE(error.httpCode(), 422);
        QCOMPARE(error.reason(), QStringLiteral("Invalid"));
        QCOMPARE(error.message(), QStringLiteral("Pod \"cap-bad\" is invalid: [spec.containers[0].name: Invalid value: "
                                                 "\"BAD_NAME\": ") +
                                      kLabelMsg + QStringLiteral(", spec.containers[0].image: Required value]"));
        QCOMPARE(error.detailName(), QStringLiteral("cap-bad"));
        QCOMPARE(error.detailKind(), QStringLiteral("Pod"));
        QCOMPARE(error.detailGroup(), QString());
        QCOMPARE(error.causes().size(), 2);
        QCOMPARE(error.causes()[0].reason, QStringLiteral("FieldValueInvalid"));
        QCOMPARE(error.causes()[0].message, QStringLiteral("Invalid value: \"BAD_NAME\": ") + kLabelMsg);
        QCOMPARE(error.causes()[1].reason, QStringLiteral("FieldValueRequired"));

        const QJsonObject status = kube::statusObject(error);
        QCOMPARE(status.value(QStringLiteral("code")).toInt(), 422);
        QCOMPARE(status.value(QStringLiteral("reason")).toString(), QStringLiteral("Invalid"));
        const QJsonObject details = status.value(QStringLiteral("details")).toObject();
        QCOMPARE(details.value(QStringLiteral("name")).toString(), QStringLiteral("cap-bad"));
        QCOMPARE(details.value(QStringLiteral("kind")).toString(), QStringLiteral("Pod"));
        QCOMPARE(details.value(QStringLiteral("causes")).toArray().size(), 2);
    }

    void invalidErrorWithOneCauseHasNoBrackets()
    {
        v::Causes causes;
        v::required(QStringLiteral("spec.holderIdentity"), causes);
        const Error error = v::invalidError(QStringLiteral("Lease"), QStringLiteral("coordination.k8s.io"),
                                            QStringLiteral("vk"), causes);
        QCOMPARE(error.message(), QStringLiteral("Lease.coordination.k8s.io \"vk\" is invalid: spec.holderIdentity: "
                                                 "Required value"));
        QCOMPARE(error.detailGroup(), QStringLiteral("coordination.k8s.io"));
        QCOMPARE(error.detailKind(), QStringLiteral("Lease"));
    }

    void invalidErrorDropsDuplicateMessagesButKeepsCauses()
    {
        v::Causes causes;
        v::required(QStringLiteral("a"), causes);
        v::required(QStringLiteral("a"), causes);
        v::required(QStringLiteral("b"), causes);
        const Error error = v::invalidError(QStringLiteral("Pod"), QString(), QStringLiteral("p"), causes);
        QCOMPARE(error.message(), QStringLiteral("Pod \"p\" is invalid: [a: Required value, b: Required value]"));
        QCOMPARE(error.causes().size(), 3);
    }

    void invalidErrorWithoutCauses()
    {
        const Error error = v::invalidError(QStringLiteral("Pod"), QString(), QStringLiteral("p"), {});
        QCOMPARE(error.message(), QStringLiteral("Pod \"p\" is invalid"));
    }

    void objectMeta_data()
    {
        QTest::addColumn<QJsonObject>("metadata");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QStringList>("messages");
        QTest::newRow("valid labels and annotations")
            << QJsonObject{{QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), QStringLiteral("web")}}},
                           {QStringLiteral("annotations"),
                            QJsonObject{{QStringLiteral("Example.COM/Note"), QStringLiteral("anything at all")}}}}
            << QStringList{} << QStringList{};
        QTest::newRow("bad label key and value both name metadata.labels")
            << QJsonObject{{QStringLiteral("labels"),
                            QJsonObject{{QStringLiteral("bad key"), QStringLiteral("bad value")}}}}
            << QStringList{QStringLiteral("metadata.labels"), QStringLiteral("metadata.labels")}
            << QStringList{QStringLiteral("Invalid value: \"bad key\": ") + kNamePartMsg,
                           QStringLiteral("Invalid value: \"bad value\": ") + kLabelValueMsg};
        QTest::newRow("bad annotation key")
            << QJsonObject{{QStringLiteral("annotations"), QJsonObject{{QStringLiteral("-x"), QStringLiteral("v")}}}}
            << QStringList{QStringLiteral("metadata.annotations")}
            << QStringList{QStringLiteral("Invalid value: \"-x\": ") + kNamePartMsg};
        QTest::newRow("annotations over 256 KiB are too long")
            << QJsonObject{{QStringLiteral("annotations"),
                            QJsonObject{{QStringLiteral("big"), QString(256 * 1024, QLatin1Char('x'))}}}}
            << QStringList{QStringLiteral("metadata.annotations")}
            << QStringList{QStringLiteral("Too long: must have at most 262144 bytes")};
    }

    void objectMeta()
    {
        QFETCH(QJsonObject, metadata);
        QFETCH(QStringList, fields);
        QFETCH(QStringList, messages);
        v::Causes causes;
        v::objectMetaLabelsAndAnnotations(metadata, causes);
        QStringList gotFields;
        for (const auto& c : causes)
            gotFields.append(c.field);
        QCOMPARE(gotFields, fields);
        QCOMPARE(::messages(causes), messages);
    }
};

QTEST_GUILESS_MAIN(ValidationTest)
#include "tst_validation.moc"
