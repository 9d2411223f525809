// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/Kinds.h"
#include "sandbox/kinds/ObjectMetaRules.h"

#include "core/Json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using namespace vk::sandbox;
namespace av = vk::api::validation;

namespace {

QJsonArray loadCases()
{
    QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/kinds-validation-cases.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).array();
}

// The api library owns the wording of the DNS and qualified-name messages; the table names them by placeholder.
QList<ErrorCause> expandPlaceholders(const ErrorCause& cause)
{
    ErrorCause c = cause;
    const QString bad = QStringLiteral("Bad_Value");
    c.message.replace(QStringLiteral("{dns1123-label}"), av::dns1123LabelErrors(bad).constFirst());
    c.message.replace(QStringLiteral("{dns1123-subdomain}"), av::dns1123SubdomainErrors(bad).constFirst());
    c.message.replace(QStringLiteral("{dns1035-label}"), vk::sandbox::detail::dns1035LabelErrors(bad).constFirst());
    if (!c.message.contains(QStringLiteral("{qualified-name-empty}")))
        return {c};
    QList<ErrorCause> out;
    for (const QString& msg : av::qualifiedNameErrors(QString())) {
        ErrorCause one = c;
        one.message.replace(QStringLiteral("{qualified-name-empty}"), msg);
        out.append(one);
    }
    return out;
}

QString describe(const QList<ErrorCause>& causes)
{
    QStringList lines;
    for (const ErrorCause& c : causes)
        lines.append(c.reason + QStringLiteral(" | ") + c.field + QStringLiteral(" | ") + c.message);
    return lines.join(QLatin1Char('\n'));
}

// What the API server does before validating: prepare (create: reset status; update: carry over), then defaults.
QList<ErrorCause> runValidation(const ResourceType& type, QJsonObject object, const QJsonObject* old)
{
    QJsonObject stored;
    if (old) {
        stored = *old;
        if (type.prepareForCreate)
            type.prepareForCreate(stored);
        if (type.applyDefaults)
            type.applyDefaults(stored);
        if (type.prepareForUpdate)
            type.prepareForUpdate(object, stored);
    } else if (type.prepareForCreate) {
        type.prepareForCreate(object);
    }
    if (type.applyDefaults)
        type.applyDefaults(object);
    return type.validate(object, old ? &stored : nullptr);
}

const ResourceType& podType()
{
    return *findResourceType(QString(), QStringLiteral("v1"), QStringLiteral("pods"));
}

} // namespace

class KindsValidationTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void causes_data()
    {
        QTest::addColumn<QJsonObject>("row");
        const QJsonArray cases = loadCases();
        QVERIFY(cases.size() > 40);
        for (const QJsonValue& value : cases) {
            const QJsonObject row = value.toObject();
            QTest::newRow(row.value(QLatin1String("name")).toString().toUtf8().constData()) << row;
        }
    }

    void causes()
    {
        QFETCH(QJsonObject, row);
        const ResourceType* type = findResourceType(row.value(QLatin1String("group")).toString(), QStringLiteral("v1"),
                                                    row.value(QLatin1String("resource")).toString());
        QVERIFY(type);
        QVERIFY(type->validate);
        const QJsonObject old = row.value(QLatin1String("old")).toObject();
        const QList<ErrorCause> actual = runValidation(*type, row.value(QLatin1String("object")).toObject(),
                                                       row.contains(QLatin1String("old")) ? &old : nullptr);
        QList<ErrorCause> expected;
        for (const QJsonValue& c : row.value(QLatin1String("causes")).toArray()) {
            const QJsonArray parts = c.toArray();
            expected.append(
                expandPlaceholders({parts.at(0).toString(), parts.at(2).toString(), parts.at(1).toString()}));
        }
        QCOMPARE(describe(actual), describe(expected));
    }

    void capture13MessageAsTheServerSendsIt()
    {
        const QJsonObject pod =
            vk::json::parseObject(
                QByteArray(
                    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"cap-bad","namespace":"default"},"spec":{"containers":[{"name":"BAD_NAME"}]}})"),
                QStringLiteral("capture 13"))
                .value();
        const QList<ErrorCause> causes = runValidation(podType(), pod, nullptr);
        const Error error = av::invalidError(QStringLiteral("Pod"), QString(), QStringLiteral("cap-bad"), causes);
        QCOMPARE(error.httpCode(), 422);
        QCOMPARE(error.message(),
                 QStringLiteral("Pod \"cap-bad\" is invalid: [spec.containers[0].name: Invalid value: \"BAD_NAME\": ") +
                     av::dns1123LabelErrors(QStringLiteral("BAD_NAME")).constFirst() +
                     QStringLiteral(", spec.containers[0].image: Required value]"));
    }

    void dns1035MessageFollowsTheDns1123Wording()
    {
        const QString label = av::dns1123LabelErrors(QStringLiteral("A")).constFirst();
        const QString message = vk::sandbox::detail::dns1035LabelErrors(QStringLiteral("9web")).constFirst();
        QVERIFY2(message.contains(QStringLiteral("start with an alphabetic character")), qPrintable(message));
        QVERIFY2(message.endsWith(QStringLiteral("(e.g. 'my-name',  or 'abc-123', regex used for validation is "
                                                 "'[a-z]([-a-z0-9]*[a-z0-9])?')")),
                 qPrintable(message));
        const QString subject = label.left(label.indexOf(QStringLiteral(" must")));
        QCOMPARE(message.left(message.indexOf(QStringLiteral(" must"))),
                 QString(subject).replace(QStringLiteral("1123"), QStringLiteral("1035")));
        QVERIFY(vk::sandbox::detail::dns1035LabelErrors(QStringLiteral("web-9")).isEmpty());
        QCOMPARE(vk::sandbox::detail::dns1035LabelErrors(QString(64, QLatin1Char('a'))).constFirst(),
                 QStringLiteral("must be no more than 63 characters"));
    }

    void configMapDataAndBinaryDataMayNotExceedOneMebibyte()
    {
        const ResourceType& configmaps =
            *findResourceType(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"));
        QJsonObject cm{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("big")},
                                                                {QStringLiteral("namespace"), QStringLiteral("d")}}}};
        const QString half(512 * 1024, QLatin1Char('x'));
        cm.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("a"), half}});
        cm.insert(QStringLiteral("binaryData"),
                  QJsonObject{{QStringLiteral("b"), QString::fromLatin1(QByteArray(512 * 1024, 'y').toBase64())}});
        QVERIFY(configmaps.validate(cm, nullptr).isEmpty()); // exactly 1 MiB is allowed
        cm.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("a"), QString(half + QLatin1Char('!'))}});
        const QList<ErrorCause> causes = configmaps.validate(cm, nullptr);
        QCOMPARE(causes.size(), 1);
        QCOMPARE(causes.first().reason, QStringLiteral("FieldValueTooLong"));
        QCOMPARE(causes.first().field, QString());
    }

    void createOnlyRulesDoNotApplyToUpdates()
    {
        // Ephemeral containers cannot be set on create, only through their subresource later.
        QJsonObject pod = vk::json::parseObject(QByteArray(R"({"metadata":{"name":"p","namespace":"d"},"spec":{
            "containers":[{"name":"c","image":"i"}],"ephemeralContainers":[{"name":"dbg","image":"busybox"}]}})"),
                                                QStringLiteral("pod"))
                              .value();
        const QList<ErrorCause> causes = runValidation(podType(), pod, nullptr);
        QCOMPARE(describe(causes),
                 QStringLiteral("FieldValueForbidden | spec.ephemeralContainers | Forbidden: cannot be set on create"));
    }
};

QTEST_GUILESS_MAIN(KindsValidationTest)
#include "tst_kinds_validation.moc"
