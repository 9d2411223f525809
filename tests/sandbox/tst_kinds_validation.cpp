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

    void statusUpdateCauses_data()
    {
        // A status write as the registry runs it: the stored pod's status replaced, status defaults, then the status
        // strategy's validation. Expected causes are "reason | field | message" lines.
        QTest::addColumn<QByteArray>("oldStatus");
        QTest::addColumn<QByteArray>("newStatus");
        QTest::addColumn<QString>("restartPolicy");
        QTest::addColumn<QString>("expected");
        const QString always = QStringLiteral("Always");
        const QString invalidIp = QStringLiteral("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        const QString stateForbidden =
            QStringLiteral("FieldValueForbidden | %1 | Forbidden: may not be transitioned to non-terminated state");
        const QByteArray terminated0(R"({"containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0}}}]})");
        const QByteArray terminated1(R"({"containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":1}}}]})");
        const QByteArray runningAgain(R"({"containerStatuses":[{"name":"c","state":{"running":{}}}]})");

        QTest::newRow("a kubelet's Running status")
            << QByteArray("{}") << QByteArray(R"({"phase":"Running","podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"}],
                "hostIP":"192.168.1.10","hostIPs":[{"ip":"192.168.1.10"}],"conditions":[{"type":"Ready","status":"True"},
                {"type":"ContainersReady","status":"True"},{"type":"example.com/warm","status":"True"}],
                "containerStatuses":[{"name":"c","ready":true,"state":{"running":{"startedAt":"2026-11-22T00:00:01Z"}}}]})")
            << always << QString();
        QTest::newRow("dual-stack pod IPs")
            << QByteArray("{}") << QByteArray(R"({"podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"},
                                                {"ip":"fd00::5"}]})")
            << always << QString();
        QTest::newRow("condition statuses and system types are not checked")
            << QByteArray("{}")
            << QByteArray(R"({"conditions":[{"type":"Ready","status":"Maybe"},{"type":"PodScheduled"}]})") << always
            << QString();
        QTest::newRow("a custom condition type that is no qualified name, at kube's path")
            << QByteArray("{}")
            << QByteArray(R"({"conditions":[{"type":"Ready","status":"True"},{"type":"bad type!","status":"True"}]})")
            << always
            << QStringLiteral("FieldValueInvalid | metadata.conditions[1].Type | Invalid value: \"bad type!\": ") +
                   av::qualifiedNameErrors(QStringLiteral("bad type!")).constFirst();
        QTest::newRow("a podIP that is no address")
            << QByteArray("{}") << QByteArray(R"({"podIP":"10.244.0.300"})") << always
            << QStringLiteral("FieldValueInvalid | status.podIPs[0] | Invalid "
                              "value: \"10.244.0.300\": ") +
                   invalidIp;
        QTest::newRow("pod IPs Go does not parse: short IPv4, IPv6 with a zone")
            << QByteArray("{}") << QByteArray(R"({"podIPs":[{"ip":"10.1"},{"ip":"fe80::1%eth0"}]})") << always
            << QStringLiteral("FieldValueInvalid | status.podIPs[0] | Invalid value: \"10.1\": ") + invalidIp +
                   QStringLiteral("\nFieldValueInvalid | status.podIPs[1] | Invalid value: \"fe80::1%eth0\": ") +
                   invalidIp +
                   QStringLiteral("\nInternalError | status.podIPs | Internal error: failed to check for dual stack "
                                  "with error:invalid IP[0]: 10.1\nFieldValueInvalid | status.podIPs | Invalid value: "
                                  "[]core.PodIP{core.PodIP{IP:\"10.1\"}, core.PodIP{IP:\"fe80::1%eth0\"}}: may "
                                  "specify no more than one IP for each IP family");
        QTest::newRow("podIP wins over podIPs that do not start with it")
            << QByteArray("{}") << QByteArray(R"({"podIP":"10.244.0.5","podIPs":[{"ip":"bogus"}]})") << always
            << QString();
        QTest::newRow("two pod IPs of one family")
            << QByteArray("{}") << QByteArray(R"({"podIPs":[{"ip":"10.244.0.5"},{"ip":"10.244.0.6"}]})") << always
            << QStringLiteral("FieldValueInvalid | status.podIPs | Invalid value: []core.PodIP{core.PodIP{IP:"
                              "\"10.244.0.5\"}, core.PodIP{IP:\"10.244.0.6\"}}: may specify no more than one IP for "
                              "each IP family");
        QTest::newRow("a repeated pod IP")
            << QByteArray("{}") << QByteArray(R"({"podIPs":[{"ip":"10.244.0.5"},{"ip":"10.244.0.5"}]})") << always
            << QStringLiteral("FieldValueInvalid | status.podIPs | Invalid value: []core.PodIP{core.PodIP{IP:"
                              "\"10.244.0.5\"}, core.PodIP{IP:\"10.244.0.5\"}}: may specify no more than one IP for "
                              "each IP family\nFieldValueDuplicate | status.podIPs[1] | Duplicate value: "
                              "core.PodIP{IP:\"10.244.0.5\"}");
        QTest::newRow("hostIPs without hostIP")
            << QByteArray("{}") << QByteArray(R"({"hostIPs":[{"ip":"192.168.1.10"}]})") << always
            << QStringLiteral("FieldValueInvalid | status.hostIPs[0].ip | Invalid value: \"192.168.1.10\": must be "
                              "equal to `hostIP`");
        QTest::newRow("a hostIP that is no address")
            << QByteArray("{}") << QByteArray(R"({"hostIP":"node-1"})") << always
            << QStringLiteral("FieldValueInvalid | status.hostIPs[0] | Invalid value: \"node-1\": ") + invalidIp;
        QTest::newRow("a nominated node that is no DNS subdomain")
            << QByteArray("{}") << QByteArray(R"({"nominatedNodeName":"Node_1"})") << always
            << QStringLiteral("FieldValueInvalid | status.nominatedNodeName | Invalid value: \"Node_1\": ") +
                   av::dns1123SubdomainErrors(QStringLiteral("Node_1")).constFirst();
        QTest::newRow("the QoS class may not change")
            << QByteArray("{}") << QByteArray(R"({"qosClass":"Guaranteed"})") << always
            << QStringLiteral(
                   "FieldValueInvalid | status.qosClass | Invalid value: \"Guaranteed\": field is immutable");
        QTest::newRow("a terminated container running again, restartPolicy Never")
            << terminated0 << runningAgain << QStringLiteral("Never")
            << stateForbidden.arg(QStringLiteral("status.containerStatuses[0].state"));
        QTest::newRow("a succeeded container running again, restartPolicy OnFailure")
            << terminated0 << runningAgain << QStringLiteral("OnFailure")
            << stateForbidden.arg(QStringLiteral("status.containerStatuses[0].state"));
        QTest::newRow("a failed container running again, restartPolicy OnFailure")
            << terminated1 << runningAgain << QStringLiteral("OnFailure") << QString();
        QTest::newRow("any container running again, restartPolicy Always")
            << terminated0 << runningAgain << always << QString();
        QTest::newRow("an ephemeral container never runs again")
            << QByteArray(R"({"ephemeralContainerStatuses":[{"name":"dbg","state":{"terminated":{"exitCode":0}}}]})")
            << QByteArray(R"({"ephemeralContainerStatuses":[{"name":"dbg","state":{"waiting":{}}}]})") << always
            << stateForbidden.arg(QStringLiteral("status.ephemeralContainerStatuses[0].state"));
        QTest::newRow("a resource claim status without its claim in the spec")
            << QByteArray("{}") << QByteArray(R"({"resourceClaimStatuses":[{"name":"gpu","resourceClaimName":"G_1"}]})")
            << always
            << QStringLiteral("FieldValueInvalid | status.resourceClaimStatuses[0].name | Invalid value: \"gpu\": must "
                              "match the name of an entry in `spec.resourceClaims`\nFieldValueInvalid | "
                              "status.resourceClaimStatuses[0].name | Invalid value: \"G_1\": ") +
                   av::dns1123SubdomainErrors(QStringLiteral("G_1")).constFirst();
        QTest::newRow("the stored spec is not validated again")
            << QByteArray("{}") << QByteArray(R"({"phase":"Running"})") << QStringLiteral("Sometimes") << QString();
    }

    void statusUpdateCauses()
    {
        QFETCH(QByteArray, oldStatus);
        QFETCH(QByteArray, newStatus);
        QFETCH(QString, restartPolicy);
        QFETCH(QString, expected);
        const ResourceType& pods = podType();
        QVERIFY(pods.applyStatusDefaults && pods.validateStatusUpdate);
        QJsonObject stored = vk::json::parseObject(QByteArray(R"({"metadata":{"name":"p","namespace":"default"},
            "spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox"}]}})"),
                                                   QStringLiteral("pod"))
                                 .value();
        pods.prepareForCreate(stored);
        pods.applyDefaults(stored);
        QJsonObject spec = stored.value(QLatin1String("spec")).toObject();
        spec.insert(QStringLiteral("restartPolicy"), restartPolicy);
        stored.insert(QStringLiteral("spec"), spec);
        stored.insert(QStringLiteral("status"), vk::json::parseObject(oldStatus, QStringLiteral("old")).value());
        pods.applyStatusDefaults(stored);

        QJsonObject written = stored;
        written.insert(QStringLiteral("status"), vk::json::parseObject(newStatus, QStringLiteral("new")).value());
        pods.applyStatusDefaults(written);
        QCOMPARE(describe(pods.validateStatusUpdate(written, stored)), expected);
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
