// SPDX-License-Identifier: Apache-2.0
// PodEnvBuilder without a server: read failures (FailedToRead* events and errors), which the sandbox cannot
// produce for an admin client, and resourceFieldRef errors.
#include "env/EnvDetail.h"

#include <QJsonArray>
#include <QTest>

using namespace vk;
using namespace vk::env;
using namespace vk::env::detail;

namespace {

QJsonObject podWith(const QJsonObject& container)
{
    return {{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("p")},
                                                     {QStringLiteral("namespace"), QStringLiteral("ns")}}},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"), QJsonArray{container}}}}};
}

QJsonObject keyRefContainer(const char* refKind, bool optional)
{
    QJsonObject ref{{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("key"), QStringLiteral("k")}};
    if (optional)
        ref.insert(QStringLiteral("optional"), true);
    return {{QStringLiteral("name"), QStringLiteral("c")},
            {QStringLiteral("env"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("A")},
                                    {QStringLiteral("valueFrom"), QJsonObject{{QString::fromUtf8(refKind), ref}}}}}}};
}

QJsonObject envFromContainer(const char* refKind, bool optional)
{
    QJsonObject ref{{QStringLiteral("name"), QStringLiteral("x")}};
    if (optional)
        ref.insert(QStringLiteral("optional"), true);
    return {{QStringLiteral("name"), QStringLiteral("c")},
            {QStringLiteral("envFrom"), QJsonArray{QJsonObject{{QString::fromUtf8(refKind), ref}}}}};
}

} // namespace

class TstPodEnvBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void failedReads_data()
    {
        QTest::addColumn<QJsonObject>("container");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("event");
        QTest::addColumn<QString>("error"); // empty: the variable is skipped and the pod resolves

        QTest::newRow("an optional configMapKeyRef that cannot be read is skipped")
            << keyRefContainer("configMapKeyRef", true) << QStringLiteral("FailedToReadOptionalConfigMap")
            << QStringLiteral("skipping optional envvar \"A\": failed to read configmap \"x\"") << QString();
        QTest::newRow("a mandatory configMapKeyRef that cannot be read fails the pod")
            << keyRefContainer("configMapKeyRef", false) << QStringLiteral("FailedToReadMandatoryConfigMap")
            << QStringLiteral("failed to read configmap \"x\"")
            << QStringLiteral("failed to read configmap \"x\": configmaps \"x\" is forbidden");
        QTest::newRow("an optional secretKeyRef that cannot be read is skipped")
            << keyRefContainer("secretKeyRef", true) << QStringLiteral("FailedToReadOptionalSecret")
            << QStringLiteral("skipping optional envvar \"A\": failed to read secret \"x\"") << QString();
        QTest::newRow("a mandatory secretKeyRef that cannot be read fails the pod")
            << keyRefContainer("secretKeyRef", false) << QStringLiteral("FailedToReadMandatorySecret")
            << QStringLiteral("failed to read secret \"x\"")
            << QStringLiteral("failed to read secret \"x\": secrets \"x\" is forbidden");
        QTest::newRow("an optional envFrom configmap that cannot be read is skipped")
            << envFromContainer("configMapRef", true) << QStringLiteral("FailedToReadOptionalConfigMap")
            << QStringLiteral("failed to read configmap \"x\"") << QString();
        QTest::newRow("a mandatory envFrom secret that cannot be read fails the pod")
            << envFromContainer("secretRef", false) << QStringLiteral("FailedToReadMandatorySecret")
            << QStringLiteral("failed to read secret \"x\"")
            << QStringLiteral("failed to fetch secret \"x\": secrets \"x\" is forbidden");
    }
    void failedReads()
    {
        QFETCH(QJsonObject, container);
        QFETCH(QString, reason);
        QFETCH(QString, event);
        QFETCH(QString, error);
        QList<QPair<QString, QString>> events;
        PodEnvBuilder builder(
            podWith(container), {}, {}, {},
            [](const QString& kind, const QString& name) {
                ObjectSnapshot snap;
                snap.state = ObjectSnapshot::State::Failed;
                snap.error =
                    Error(ErrorCategory::Forbidden,
                          (kind == QLatin1String("Secret") ? QStringLiteral("secrets") : QStringLiteral("configmaps")) +
                              QStringLiteral(" \"") + name + QStringLiteral("\" is forbidden"));
                return snap;
            },
            [&events](const QString& r, const QString& m) {
                events.append({r, m});
            });
        auto result = builder.build();
        QCOMPARE(events, (QList<QPair<QString, QString>>{{reason, event}}));
        if (error.isEmpty()) {
            QVERIFY(result.ok());
        } else {
            QVERIFY(!result.ok());
            QCOMPARE(result.error().message(), error);
            QCOMPARE(result.error().category(), ErrorCategory::Forbidden);
        }
    }

    void resourceFieldRefErrors_data()
    {
        QTest::addColumn<QJsonObject>("ref");
        QTest::addColumn<QString>("error");
        QTest::newRow("an unknown resource is unsupported")
            << QJsonObject{{QStringLiteral("resource"), QStringLiteral("limits.gpu")}}
            << QStringLiteral("Unsupported container resource : limits.gpu");
        QTest::newRow("an unknown container is not found")
            << QJsonObject{{QStringLiteral("resource"), QStringLiteral("limits.cpu")},
                           {QStringLiteral("containerName"), QStringLiteral("ghost")}}
            << QStringLiteral("container ghost not found");
    }
    void resourceFieldRefErrors()
    {
        QFETCH(QJsonObject, ref);
        QFETCH(QString, error);
        const QJsonObject c{{QStringLiteral("name"), QStringLiteral("c")}};
        auto r = resourceFieldRefValue(ref, podWith(c), c, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(), error);
    }

    void hugePagesAndZeroDivisor()
    {
        const QJsonObject c{{QStringLiteral("name"), QStringLiteral("c")},
                            {QStringLiteral("resources"),
                             QJsonObject{{QStringLiteral("limits"),
                                          QJsonObject{{QStringLiteral("hugepages-2Mi"), QStringLiteral("4Mi")}}}}}};
        auto r = resourceFieldRefValue(QJsonObject{{QStringLiteral("resource"), QStringLiteral("limits.hugepages-2Mi")},
                                                   {QStringLiteral("divisor"), QStringLiteral("1Mi")}},
                                       podWith(c), c, {});
        QVERIFY(r.ok());
        QCOMPARE(r.value(), QStringLiteral("4"));
        // A zero divisor counts as 1, as the kubelet does.
        r = resourceFieldRefValue(QJsonObject{{QStringLiteral("resource"), QStringLiteral("limits.hugepages-2Mi")},
                                              {QStringLiteral("divisor"), QStringLiteral("0")}},
                                  podWith(c), c, {});
        QVERIFY(r.ok());
        QCOMPARE(r.value(), QStringLiteral("4194304"));
    }

    void serviceVariablesComeSortedWhenNothingElseIsSet()
    {
        // Output order: service variables between envFrom and env; a pod with nothing else gets them sorted.
        const QMap<QString, QString> serviceEnv{{QStringLiteral("B_SERVICE_HOST"), QStringLiteral("10.0.0.2")},
                                                {QStringLiteral("A_SERVICE_HOST"), QStringLiteral("10.0.0.1")}};
        // The same whether the caller hands over the variables' list (as EnvResolver keeps it) or not.
        for (const QJsonArray& given : {QJsonArray(), envList(serviceEnv)}) {
            PodEnvBuilder builder(
                podWith(QJsonObject{{QStringLiteral("name"), QStringLiteral("c")}}), {}, serviceEnv, given,
                [](const QString&, const QString&) { return ObjectSnapshot{}; }, [](const QString&, const QString&) {});
            auto r = builder.build();
            QVERIFY(r.ok());
            const QJsonArray env = r->value(QLatin1String("spec"))
                                       .toObject()
                                       .value(QLatin1String("containers"))
                                       .toArray()
                                       .at(0)
                                       .toObject()
                                       .value(QLatin1String("env"))
                                       .toArray();
            QCOMPARE(env.size(), 2);
            QCOMPARE(env.at(0).toObject().value(QLatin1String("name")).toString(), QStringLiteral("A_SERVICE_HOST"));
            QCOMPARE(env.at(0).toObject().value(QLatin1String("value")).toString(), QStringLiteral("10.0.0.1"));
            QCOMPARE(env.at(1).toObject().value(QLatin1String("name")).toString(), QStringLiteral("B_SERVICE_HOST"));
        }
    }
};

QTEST_GUILESS_MAIN(TstPodEnvBuilder)
#include "tst_podenvbuilder.moc"
