// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/Kinds.h"

#include "core/Json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using namespace vk::sandbox;

namespace {

QJsonObject loadObject(const QString& name)
{
    QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonObject parse(const char* json)
{
    const Result<QJsonObject> object = vk::json::parseObject(QByteArray(json), QStringLiteral("test"));
    if (!object.ok())
        qFatal("bad test JSON: %s", qPrintable(object.error().message()));
    return object.value();
}

const ResourceType& type(const char* group, const char* resource)
{
    const ResourceType* t = findResourceType(QLatin1String(group), QStringLiteral("v1"), QLatin1String(resource));
    if (!t)
        qFatal("no resource type %s/%s", group, resource);
    return *t;
}

QJsonObject created(const ResourceType& t, QJsonObject object)
{
    if (t.prepareForCreate)
        t.prepareForCreate(object);
    if (t.applyDefaults)
        t.applyDefaults(object);
    return object;
}

QByteArray pretty(const QJsonValue& value)
{
    return value.isObject() ? QJsonDocument(value.toObject()).toJson() : QJsonDocument(value.toArray()).toJson();
}

QJsonObject podWithResources(const char* containersJson)
{
    QJsonObject pod = parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"}})");
    const QJsonArray containers = QJsonDocument::fromJson(QByteArray(containersJson)).array();
    pod.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"), containers}});
    return pod;
}

} // namespace

class KindsDefaultsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void podFromCapture10GetsTheRealServersDefaults()
    {
        const ResourceType& pods = type("", "pods");
        const QJsonObject pod = created(pods, loadObject(QStringLiteral("capture10-pod-request.json")));
        const QJsonObject expected = loadObject(QStringLiteral("capture10-pod-expected.json"));
        QCOMPARE(pretty(pod.value(QLatin1String("spec"))), pretty(expected.value(QLatin1String("spec"))));
        QCOMPARE(pretty(pod.value(QLatin1String("status"))), pretty(expected.value(QLatin1String("status"))));
        QCOMPARE(pretty(pod.value(QLatin1String("metadata"))), pretty(expected.value(QLatin1String("metadata"))));
    }

    void defaultsAreIdempotent_data()
    {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QByteArray>("object");
        QTest::newRow("pod from capture 10")
            << QString() << QStringLiteral("pods")
            << QJsonDocument(loadObject(QStringLiteral("capture10-pod-request.json"))).toJson();
        QTest::newRow("pod with limits, probes, volumes and host network")
            << QString() << QStringLiteral("pods")
            << QByteArray(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"hostNetwork":true,
                 "volumes":[{"name":"a"},{"name":"b","configMap":{"name":"c"}},{"name":"h","hostPath":{"path":"/x"}},
                            {"name":"pr","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}],
                 "initContainers":[{"name":"i","image":"busybox:1.36","resources":{"limits":{"cpu":"0.5"}}}],
                 "containers":[{"name":"c","image":"nginx@sha256:0123456789abcdef0123456789abcdef",
                   "ports":[{"containerPort":80}],"livenessProbe":{"httpGet":{"port":80}},
                   "resources":{"limits":{"cpu":1,"memory":"1Gi"}}}],
                 "tolerations":[{"key":"node.kubernetes.io/unreachable","operator":"Exists"}]}})");
        QTest::newRow("service") << QString() << QStringLiteral("services")
                                 << QByteArray(R"({"metadata":{"name":"s","namespace":"d"},
                 "spec":{"type":"LoadBalancer","clusterIP":"10.0.0.7","selector":{"app":"a"},
                         "ports":[{"port":80},{"name":"b","port":81,"targetPort":"http","protocol":"UDP"}]}})");
        QTest::newRow("secret with stringData")
            << QString() << QStringLiteral("secrets") << QByteArray(R"({"metadata":{"name":"s","namespace":"d"},
                 "data":{"a":"YQ=="},"stringData":{"b":"bee"}})");
        QTest::newRow("namespace") << QString() << QStringLiteral("namespaces")
                                   << QByteArray(R"({"metadata":{"name":"team-a","labels":{"x":"y"}}})");
        QTest::newRow("node") << QString() << QStringLiteral("nodes")
                              << QByteArray(
                                     R"({"metadata":{"name":"n"},"status":{"capacity":{"cpu":"100","pods":"20k"}}})");
    }

    void defaultsAreIdempotent()
    {
        QFETCH(QString, group);
        QFETCH(QString, resource);
        QFETCH(QByteArray, object);
        const ResourceType* t = findResourceType(group, QStringLiteral("v1"), resource);
        QVERIFY(t);
        QVERIFY(t->applyDefaults);
        const Result<QJsonObject> parsed = vk::json::parseObject(object, QStringLiteral("row"));
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message()));
        QJsonObject once = parsed.value();
        t->applyDefaults(once);
        QJsonObject twice = once;
        t->applyDefaults(twice);
        QCOMPARE(pretty(twice), pretty(once));
        QVERIFY(once != parsed.value());
    }

    void qosClass_data()
    {
        QTest::addColumn<QByteArray>("containers");
        QTest::addColumn<QString>("qos");
        QTest::newRow("no resources: BestEffort") << QByteArray(R"([{"name":"a","image":"i"}])") << "BestEffort";
        QTest::newRow("zero requests only: BestEffort")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"requests":{"cpu":"0"}}}])") << "BestEffort";
        QTest::newRow("extended resources only: BestEffort")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"limits":{"example.com/gpu":"1"}}}])")
            << "BestEffort";
        QTest::newRow("cpu request only: Burstable")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"requests":{"cpu":"100m"}}}])") << "Burstable";
        QTest::newRow("cpu and memory limits (requests defaulted): Guaranteed")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}])")
            << "Guaranteed";
        QTest::newRow("equal requests and limits written differently: Guaranteed")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"limits":{"cpu":"0.5","memory":"1Gi"},
                                                                 "requests":{"cpu":"500m","memory":"1024Mi"}}}])")
            << "Guaranteed";
        QTest::newRow("requests below limits: Burstable")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"limits":{"cpu":"1","memory":"1Gi"},
                                                                 "requests":{"cpu":"500m"}}}])")
            << "Burstable";
        QTest::newRow("only cpu limit: Burstable")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"limits":{"cpu":"1"}}}])") << "Burstable";
        QTest::newRow("one guaranteed and one best-effort container: Burstable")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},
                              {"name":"b","image":"i"}])")
            << "Burstable";
        QTest::newRow("two guaranteed containers: Guaranteed")
            << QByteArray(R"([{"name":"a","image":"i","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},
                              {"name":"b","image":"i","resources":{"limits":{"cpu":"2","memory":"2Gi"}}}])")
            << "Guaranteed";
    }

    void qosClass()
    {
        QFETCH(QByteArray, containers);
        QFETCH(QString, qos);
        const QJsonObject pod = created(type("", "pods"), podWithResources(containers.constData()));
        QCOMPARE(pod.value(QLatin1String("status")).toObject().value(QLatin1String("qosClass")).toString(), qos);
    }

    void imagePullPolicy_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("policy");
        QTest::newRow("untagged") << "busybox"
                                  << "Always";
        QTest::newRow("latest tag") << "busybox:latest"
                                    << "Always";
        QTest::newRow("version tag") << "busybox:1.36"
                                     << "IfNotPresent";
        QTest::newRow("registry with port, untagged") << "localhost:5000/team/app"
                                                      << "Always";
        QTest::newRow("registry with port and tag") << "localhost:5000/team/app:v2"
                                                    << "IfNotPresent";
        QTest::newRow("digest only") << "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                                     << "IfNotPresent";
        QTest::newRow("latest tag with digest")
            << "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            << "Always";
        QTest::newRow("invalid reference (uppercase)") << "BusyBox"
                                                       << "IfNotPresent";
        QTest::newRow("empty image") << ""
                                     << "IfNotPresent";
    }

    void imagePullPolicy()
    {
        QFETCH(QString, image);
        QFETCH(QString, policy);
        const QJsonArray containers{
            QJsonObject{{QStringLiteral("name"), QStringLiteral("c")}, {QStringLiteral("image"), image}}};
        QJsonObject pod = podWithResources("[]");
        pod.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"), containers}});
        pod = created(type("", "pods"), pod);
        const QJsonObject c =
            pod.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray().first().toObject();
        QCOMPARE(c.value(QLatin1String("imagePullPolicy")).toString(), policy);
    }

    void podRequestsAreDefaultedFromLimitsInCanonicalForm()
    {
        const QJsonObject pod =
            created(type("", "pods"),
                    podWithResources(R"([{"name":"a","image":"i","resources":{"limits":{"cpu":0.5,"memory":"1024Mi"},
                                                                   "requests":{"memory":"512Mi"}}}])"));
        const QJsonObject resources = pod.value(QLatin1String("spec"))
                                          .toObject()
                                          .value(QLatin1String("containers"))
                                          .toArray()
                                          .first()
                                          .toObject()
                                          .value(QLatin1String("resources"))
                                          .toObject();
        QCOMPARE(pretty(resources), pretty(parse(R"({"limits":{"cpu":"500m","memory":"1Gi"},
                                                    "requests":{"cpu":"500m","memory":"512Mi"}})")));
    }

    void podDefaultsKeepExplicitValuesAndTolerations()
    {
        const QJsonObject pod = created(type("", "pods"), parse(R"({"metadata":{"name":"p","namespace":"d"},"spec":{
            "restartPolicy":"Never","dnsPolicy":"Default","terminationGracePeriodSeconds":0,"schedulerName":"mine",
            "enableServiceLinks":false,"serviceAccount":"robot","priorityClassName":"system-node-critical",
            "tolerations":[{"operator":"Exists"}],
            "containers":[{"name":"c","image":"i","imagePullPolicy":"Never","ports":[{"containerPort":53,"protocol":"UDP"}]}]}})"));
        const QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
        QCOMPARE(spec.value(QLatin1String("restartPolicy")).toString(), QStringLiteral("Never"));
        QCOMPARE(spec.value(QLatin1String("dnsPolicy")).toString(), QStringLiteral("Default"));
        QCOMPARE(spec.value(QLatin1String("terminationGracePeriodSeconds")).toInt(-1), 0);
        QCOMPARE(spec.value(QLatin1String("schedulerName")).toString(), QStringLiteral("mine"));
        QCOMPARE(spec.value(QLatin1String("enableServiceLinks")).toBool(true), false);
        QCOMPARE(spec.value(QLatin1String("serviceAccountName")).toString(), QStringLiteral("robot"));
        QCOMPARE(spec.value(QLatin1String("serviceAccount")).toString(), QStringLiteral("robot"));
        QCOMPARE(spec.value(QLatin1String("priority")).toInteger(), 2000001000);
        // A toleration of every taint already covers not-ready and unreachable.
        QCOMPARE(spec.value(QLatin1String("tolerations")).toArray().size(), 1);
        const QJsonObject c = spec.value(QLatin1String("containers")).toArray().first().toObject();
        QCOMPARE(c.value(QLatin1String("imagePullPolicy")).toString(), QStringLiteral("Never"));
        QCOMPARE(
            c.value(QLatin1String("ports")).toArray().first().toObject().value(QLatin1String("protocol")).toString(),
            QStringLiteral("UDP"));
    }

    void podCreateResetsClientStatusAndUpdateKeepsStoredStatus()
    {
        const ResourceType& pods = type("", "pods");
        QJsonObject pod =
            parse(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"c","image":"i"}]},
                                    "status":{"phase":"Running","podIP":"1.2.3.4"}})");
        const QJsonObject fresh = created(pods, pod);
        QCOMPARE(pretty(fresh.value(QLatin1String("status"))),
                 pretty(parse(R"({"phase":"Pending","qosClass":"BestEffort"})")));
        QJsonObject stored = fresh;
        stored.insert(QStringLiteral("status"), parse(R"({"phase":"Running","qosClass":"BestEffort","podIP":"10.1.0.5",
                               "podIPs":[{"ip":"10.1.0.5"}]})"));
        QJsonObject update = fresh;
        update.remove(QStringLiteral("status"));
        pods.prepareForUpdate(update, stored);
        pods.applyDefaults(update);
        QCOMPARE(update.value(QLatin1String("status")), stored.value(QLatin1String("status")));
    }

    void serviceDefaults()
    {
        const QJsonObject svc = created(type("", "services"), parse(R"({"metadata":{"name":"web","namespace":"d"},
            "spec":{"selector":{"app":"web"},"clusterIP":"10.96.0.10","ports":[{"port":80},{"port":443,"targetPort":8443}]}})"));
        QCOMPARE(pretty(svc.value(QLatin1String("spec"))), pretty(parse(R"({
            "clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"internalTrafficPolicy":"Cluster",
            "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
            "ports":[{"port":80,"protocol":"TCP","targetPort":80},{"port":443,"protocol":"TCP","targetPort":8443}],
            "selector":{"app":"web"},"sessionAffinity":"None","type":"ClusterIP"})")));
        QCOMPARE(pretty(svc.value(QLatin1String("status"))), pretty(parse(R"({"loadBalancer":{}})")));

        const QJsonObject lb = created(type("", "services"), parse(R"({"metadata":{"name":"lb","namespace":"d"},
            "spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","ports":[{"port":80}]}})"));
        const QJsonObject spec = lb.value(QLatin1String("spec")).toObject();
        QCOMPARE(spec.value(QLatin1String("externalTrafficPolicy")).toString(), QStringLiteral("Cluster"));
        QCOMPARE(spec.value(QLatin1String("allocateLoadBalancerNodePorts")).toBool(), true);
        QCOMPARE(pretty(spec.value(QLatin1String("sessionAffinityConfig"))),
                 pretty(parse(R"({"clientIP":{"timeoutSeconds":10800}})")));

        const QJsonObject external = created(type("", "services"), parse(R"({"metadata":{"name":"x","namespace":"d"},
            "spec":{"type":"ExternalName","externalName":"example.com"}})"));
        const QJsonObject externalSpec = external.value(QLatin1String("spec")).toObject();
        QVERIFY(!externalSpec.contains(QLatin1String("ipFamilies")));
        QVERIFY(!externalSpec.contains(QLatin1String("ipFamilyPolicy")));
        QVERIFY(!externalSpec.contains(QLatin1String("internalTrafficPolicy")));

        const QJsonObject headless = created(type("", "services"), parse(R"({"metadata":{"name":"h","namespace":"d"},
            "spec":{"clusterIP":"None"}})"));
        QCOMPARE(headless.value(QLatin1String("spec")).toObject().value(QLatin1String("ipFamilyPolicy")).toString(),
                 QStringLiteral("RequireDualStack"));
    }

    void serviceUpdateKeepsAllocatedValues()
    {
        const ResourceType& services = type("", "services");
        const QJsonObject stored = created(services, parse(R"({"metadata":{"name":"np","namespace":"d"},
            "spec":{"type":"NodePort","clusterIP":"10.96.0.9","ports":[{"name":"http","port":80,"nodePort":30080}]}})"));
        QJsonObject update = parse(R"({"metadata":{"name":"np","namespace":"d"},
            "spec":{"type":"NodePort","ports":[{"name":"http","port":80}]}})");
        services.prepareForUpdate(update, stored);
        services.applyDefaults(update);
        const QJsonObject spec = update.value(QLatin1String("spec")).toObject();
        QCOMPARE(spec.value(QLatin1String("clusterIP")).toString(), QStringLiteral("10.96.0.9"));
        QCOMPARE(spec.value(QLatin1String("clusterIPs")).toArray(), QJsonArray{QStringLiteral("10.96.0.9")});
        QCOMPARE(
            spec.value(QLatin1String("ports")).toArray().first().toObject().value(QLatin1String("nodePort")).toInt(),
            30080);
        QVERIFY(services.validate(update, &stored).isEmpty());
    }

    void secretDefaults()
    {
        const QJsonObject secret = created(type("", "secrets"), parse(R"({"metadata":{"name":"s","namespace":"d"},
            "data":{"a":"YQ=="},"stringData":{"b":"bee","a":"override"}})"));
        QCOMPARE(secret.value(QLatin1String("type")).toString(), QStringLiteral("Opaque"));
        QVERIFY(!secret.contains(QLatin1String("stringData")));
        QCOMPARE(pretty(secret.value(QLatin1String("data"))), pretty(parse(R"({"a":"b3ZlcnJpZGU=","b":"YmVl"})")));
    }

    void namespaceDefaults()
    {
        const ResourceType& namespaces = type("", "namespaces");
        const QJsonObject ns = created(
            namespaces, parse(R"({"metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"forged"}}})"));
        QCOMPARE(pretty(ns),
                 pretty(parse(R"({"metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"team-a"}},
                                             "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})")));
        // spec.finalizers only changes through /finalize: an update keeps the stored list, even an emptied one.
        QJsonObject stored = ns;
        stored.insert(QStringLiteral("spec"), parse(R"({"finalizers":[]})"));
        stored.insert(QStringLiteral("status"), parse(R"({"phase":"Terminating"})"));
        QJsonObject update = parse(R"({"metadata":{"name":"team-a"}})");
        namespaces.prepareForUpdate(update, stored);
        namespaces.applyDefaults(update);
        QCOMPARE(update.value(QLatin1String("spec")).toObject().value(QLatin1String("finalizers")).toArray(),
                 QJsonArray());
        QCOMPARE(update.value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString(),
                 QStringLiteral("Terminating"));
    }

    void nodeAllocatableDefaultsToCapacityAndDaemonEndpointsStay()
    {
        const QJsonObject node = created(type("", "nodes"), parse(R"({"metadata":{"name":"vk"},"status":{
            "capacity":{"cpu":"100","memory":"1000Gi","pods":"20000"},
            "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}}}})"));
        const QJsonObject status = node.value(QLatin1String("status")).toObject();
        QCOMPARE(pretty(status.value(QLatin1String("allocatable"))),
                 pretty(parse(R"({"cpu":"100","memory":"1000Gi","pods":"20k"})")));
        QCOMPARE(pretty(status.value(QLatin1String("daemonEndpoints"))),
                 pretty(parse(R"({"kubeletEndpoint":{"Port":10250}})")));
    }
};

QTEST_GUILESS_MAIN(KindsDefaultsTest)
#include "tst_kinds_defaults.moc"
