// SPDX-License-Identifier: Apache-2.0
// EnvResolver against the sandbox API server: ConfigMaps, Secrets and Services created with the fixture's client,
// then pods resolved as upstream virtual-kubelet and the kubelet would.
#include "env/EnvResolver.h"
#include "kube/ApiClient.h"
#include "kube/EventRecorder.h"
#include "support/SandboxFixture.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace vk;
using namespace vk::env;

namespace {

QString s(const char* text)
{
    return QString::fromUtf8(text);
}

QJsonObject var(const char* name, const char* value)
{
    return {{QStringLiteral("name"), s(name)}, {QStringLiteral("value"), s(value)}};
}

QJsonObject fieldVar(const char* name, const char* path)
{
    return {{QStringLiteral("name"), s(name)},
            {QStringLiteral("valueFrom"),
             QJsonObject{{QStringLiteral("fieldRef"), QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                                                  {QStringLiteral("fieldPath"), s(path)}}}}}};
}

QJsonObject
resourceVar(const char* name, const char* resource, const char* divisor = nullptr, const char* containerName = nullptr)
{
    QJsonObject ref{{QStringLiteral("resource"), s(resource)}};
    if (divisor)
        ref.insert(QStringLiteral("divisor"), s(divisor));
    if (containerName)
        ref.insert(QStringLiteral("containerName"), s(containerName));
    return {{QStringLiteral("name"), s(name)},
            {QStringLiteral("valueFrom"), QJsonObject{{QStringLiteral("resourceFieldRef"), ref}}}};
}

QJsonObject keyVar(const char* name, const char* refKind, const char* object, const char* key, bool optional)
{
    QJsonObject ref{{QStringLiteral("name"), s(object)}, {QStringLiteral("key"), s(key)}};
    if (optional)
        ref.insert(QStringLiteral("optional"), true);
    return {{QStringLiteral("name"), s(name)}, {QStringLiteral("valueFrom"), QJsonObject{{s(refKind), ref}}}};
}

QJsonObject envFrom(const char* refKind, const char* object, const char* prefix = nullptr, bool optional = false)
{
    QJsonObject ref{{QStringLiteral("name"), s(object)}};
    if (optional)
        ref.insert(QStringLiteral("optional"), true);
    QJsonObject out{{s(refKind), ref}};
    if (prefix)
        out.insert(QStringLiteral("prefix"), s(prefix));
    return out;
}

QJsonObject
container(const char* name, const QJsonArray& env, const QJsonArray& from = {}, const QJsonObject& resources = {})
{
    QJsonObject c{{QStringLiteral("name"), s(name)}, {QStringLiteral("image"), QStringLiteral("busybox")}};
    if (!env.isEmpty())
        c.insert(QStringLiteral("env"), env);
    if (!from.isEmpty())
        c.insert(QStringLiteral("envFrom"), from);
    if (!resources.isEmpty())
        c.insert(QStringLiteral("resources"), resources);
    return c;
}

QJsonObject pod(const char* name, const char* ns, const QJsonArray& containers, QJsonObject spec = {})
{
    spec.insert(QStringLiteral("containers"), containers);
    return {
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), s(name)},
                                                 {QStringLiteral("namespace"), s(ns)},
                                                 {QStringLiteral("uid"), QString(QStringLiteral("uid-") + s(name))}}},
        {QStringLiteral("spec"), spec}};
}

QJsonObject noLinks()
{
    return {{QStringLiteral("enableServiceLinks"), false}};
}

QJsonArray envList(const QJsonObject& pod, const char* list = "containers", int index = 0)
{
    return pod.value(QLatin1String("spec"))
        .toObject()
        .value(QLatin1String(list))
        .toArray()
        .at(index)
        .toObject()
        .value(QLatin1String("env"))
        .toArray();
}

QMap<QString, QString> envMap(const QJsonObject& pod, const char* list = "containers", int index = 0)
{
    QMap<QString, QString> out;
    for (const auto& v : envList(pod, list, index))
        out.insert(v.toObject().value(QLatin1String("name")).toString(),
                   v.toObject().value(QLatin1String("value")).toString());
    return out;
}

QStringList envNames(const QJsonObject& pod, const char* list = "containers", int index = 0)
{
    QStringList out;
    for (const auto& v : envList(pod, list, index))
        out << v.toObject().value(QLatin1String("name")).toString();
    return out;
}

QStringList withoutKubernetes(const QStringList& names)
{
    QStringList out;
    for (const QString& n : names) {
        if (!n.startsWith(QLatin1String("KUBERNETES_")))
            out << n;
    }
    return out;
}

} // namespace

class TstEnvResolver : public QObject
{
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;
    std::unique_ptr<kube::ApiClient> m_agentClient;
    std::unique_ptr<kube::EventRecorder> m_recorder;
    std::unique_ptr<EnvResolver> m_resolver;
    std::unique_ptr<QSignalSpy> m_events;
    ManualClock m_clock;
    static constexpr qint64 kRecheckMs = 5000;

    /// Runs one fixture-client call to completion.
    Result<QJsonObject> call(const std::function<void(QObject*, kube::ApiClient::JsonCallback)>& start)
    {
        std::optional<Result<QJsonObject>> result;
        QObject context;
        start(&context, [&](Result<QJsonObject> r) { result.emplace(std::move(r)); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
            return Error(ErrorCategory::Timeout, QStringLiteral("no answer"));
        return *result;
    }

    Result<QJsonObject> create(const kube::GroupVersionResource& gvr, const QString& ns, const QJsonObject& object)
    {
        return call([&](QObject* ctx, kube::ApiClient::JsonCallback cb) {
            m_fixture.client().create(gvr, ns, object, ctx, std::move(cb));
        });
    }

    Result<QJsonObject> resolve(const QJsonObject& p, const PodAddresses& addresses = {})
    {
        std::optional<Result<QJsonObject>> result;
        QObject context;
        m_resolver->resolve(p, addresses, &context, [&](Result<QJsonObject> r) { result.emplace(std::move(r)); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
            return Error(ErrorCategory::Timeout, QStringLiteral("resolve gave no answer"));
        return *result;
    }

    /// (reason, message) of the Warning events recorded since the last call.
    QList<QPair<QString, QString>> takeEvents()
    {
        QList<QPair<QString, QString>> out;
        for (const auto& args : *m_events) {
            if (args.at(1).toString() == QLatin1String("Warning"))
                out.append({args.at(2).toString(), args.at(3).toString()});
        }
        m_events->clear();
        return out;
    }

    static QJsonObject configMap(const char* name, const QJsonObject& data)
    {
        return {{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), s(name)}}},
                {QStringLiteral("data"), data}};
    }

    static QJsonObject secret(const char* name, const QMap<QString, QByteArray>& data)
    {
        QJsonObject encoded;
        for (auto it = data.cbegin(); it != data.cend(); ++it)
            encoded.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        return {{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                {QStringLiteral("kind"), QStringLiteral("Secret")},
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), s(name)}}},
                {QStringLiteral("data"), encoded}};
    }

    void createNamespace(const char* name)
    {
        auto r = create(kube::GroupVersionResource::namespaces(), {},
                        QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), s(name)}}}});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString err = m_fixture.start();
        QVERIFY2(err.isEmpty(), qPrintable(err));
        m_agentClient = m_fixture.newClient();
        QVERIFY(m_agentClient);
        m_recorder = std::make_unique<kube::EventRecorder>(m_agentClient.get(), QStringLiteral("vk-1/pod-controller"),
                                                           QStringLiteral("vk-1"));
        m_resolver = std::make_unique<EnvResolver>(m_agentClient.get(), m_recorder.get());
        m_resolver->setClock(&m_clock); // re-reads happen only when a test advances this clock
        m_resolver->setRecheckInterval(kRecheckMs);
        m_events = std::make_unique<QSignalSpy>(m_recorder.get(), &kube::EventRecorder::recorded);
        createNamespace("envtest");
        createNamespace("svcns");
    }

    void cleanupTestCase()
    {
        m_events.reset();
        m_resolver.reset();
        m_recorder.reset();
        m_agentClient.reset();
    }

    void init() { m_events->clear(); }

    // Runs first, while few watches are open: the watch alone reports a created and then updated ConfigMap.
    void watchReportsCreatedAndChangedObjects()
    {
        QSignalSpy changed(m_resolver.get(), &EnvResolver::objectChanged);
        const QJsonObject p =
            pod("watcher", "envtest", {container("c", {keyVar("W", "configMapKeyRef", "watched-cm", "k", false)})},
                noLinks());
        auto r = resolve(p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(), QStringLiteral("configmap \"watched-cm\" not found"));
        QVERIFY(create(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                       configMap("watched-cm", QJsonObject{{QStringLiteral("k"), QStringLiteral("v1")}}))
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        const Dependency dep{QStringLiteral("ConfigMap"), QStringLiteral("envtest"), QStringLiteral("watched-cm")};
        QCOMPARE(changed.at(0).at(0).value<Dependency>(), dep);
        r = resolve(p);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(envMap(r.value()).value(QStringLiteral("W")), QStringLiteral("v1"));
        auto patched = call([&](QObject* ctx, kube::ApiClient::JsonCallback cb) {
            m_fixture.client().patch(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                                     QStringLiteral("watched-cm"), kube::PatchType::Merge,
                                     QByteArray("{\"data\":{\"k\":\"v2\"}}"), ctx, std::move(cb));
        });
        QVERIFY(patched.ok());
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10000);
        r = resolve(p);
        QVERIFY(r.ok());
        QCOMPARE(envMap(r.value()).value(QStringLiteral("W")), QStringLiteral("v2"));
        m_resolver->release(QStringLiteral("envtest/watcher"));
    }

    void fieldRefsResolveEveryPath()
    {
        QJsonObject p = pod(
            "fields", "envtest",
            {container("c", {fieldVar("NAME", "metadata.name"), fieldVar("NS", "metadata.namespace"),
                             fieldVar("UID", "metadata.uid"), fieldVar("LABELS", "metadata.labels"),
                             fieldVar("ANNOTATIONS", "metadata.annotations"), fieldVar("APP", "metadata.labels['app']"),
                             fieldVar("NOTE", "metadata.annotations['example.com/note']"),
                             fieldVar("ABSENT", "metadata.labels['absent']"), fieldVar("NODE", "spec.nodeName"),
                             fieldVar("SA", "spec.serviceAccountName"), fieldVar("RESTART", "spec.restartPolicy"),
                             fieldVar("SCHEDULER", "spec.schedulerName"), fieldVar("POD_IP", "status.podIP"),
                             fieldVar("POD_IPS", "status.podIPs"), fieldVar("HOST_IP", "status.hostIP"),
                             fieldVar("HOST_IPS", "status.hostIPs")})},
            QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("vk-1")},
                        {QStringLiteral("serviceAccountName"), QStringLiteral("robot")},
                        {QStringLiteral("restartPolicy"), QStringLiteral("OnFailure")},
                        {QStringLiteral("schedulerName"), QStringLiteral("default-scheduler")},
                        {QStringLiteral("enableServiceLinks"), false}});
        QJsonObject meta = p.value(QLatin1String("metadata")).toObject();
        meta.insert(QStringLiteral("labels"), QJsonObject{{QStringLiteral("tier"), QStringLiteral("web")},
                                                          {QStringLiteral("app"), QStringLiteral("shop")}});
        meta.insert(QStringLiteral("annotations"),
                    QJsonObject{{QStringLiteral("example.com/note"), QStringLiteral("say \"hi\"\nbye")}});
        p.insert(QStringLiteral("metadata"), meta);

        PodAddresses addresses;
        addresses.hostIp = QStringLiteral("192.168.1.10");
        addresses.podIps = {QStringLiteral("10.244.0.7"), QStringLiteral("fd00::7")};
        auto r = resolve(p, addresses);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const auto env = envMap(r.value());
        QCOMPARE(env.value(QStringLiteral("NAME")), QStringLiteral("fields"));
        QCOMPARE(env.value(QStringLiteral("NS")), QStringLiteral("envtest"));
        QCOMPARE(env.value(QStringLiteral("UID")), QStringLiteral("uid-fields"));
        QCOMPARE(env.value(QStringLiteral("LABELS")), QStringLiteral("app=\"shop\"\ntier=\"web\""));
        QCOMPARE(env.value(QStringLiteral("ANNOTATIONS")), QStringLiteral("example.com/note=\"say \\\"hi\\\"\\nbye\""));
        QCOMPARE(env.value(QStringLiteral("APP")), QStringLiteral("shop"));
        QCOMPARE(env.value(QStringLiteral("NOTE")), QStringLiteral("say \"hi\"\nbye"));
        QVERIFY(env.contains(QStringLiteral("ABSENT")));
        QCOMPARE(env.value(QStringLiteral("ABSENT")), QString());
        QCOMPARE(env.value(QStringLiteral("NODE")), QStringLiteral("vk-1"));
        QCOMPARE(env.value(QStringLiteral("SA")), QStringLiteral("robot"));
        QCOMPARE(env.value(QStringLiteral("RESTART")), QStringLiteral("OnFailure"));
        QCOMPARE(env.value(QStringLiteral("SCHEDULER")), QStringLiteral("default-scheduler"));
        QCOMPARE(env.value(QStringLiteral("POD_IP")), QStringLiteral("10.244.0.7"));
        QCOMPARE(env.value(QStringLiteral("POD_IPS")), QStringLiteral("10.244.0.7,fd00::7"));
        QCOMPARE(env.value(QStringLiteral("HOST_IP")), QStringLiteral("192.168.1.10"));
        QCOMPARE(env.value(QStringLiteral("HOST_IPS")), QStringLiteral("192.168.1.10"));
        QVERIFY(takeEvents().isEmpty());

        // At create time the pod has no IP yet: empty, as the kubelet gives before an IP exists (upstream fails).
        addresses.podIps.clear();
        r = resolve(p, addresses);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(envMap(r.value()).contains(QStringLiteral("POD_IP")));
        QCOMPARE(envMap(r.value()).value(QStringLiteral("POD_IP")), QString());
        QCOMPARE(envMap(r.value()).value(QStringLiteral("POD_IPS")), QString());
        QCOMPARE(envMap(r.value()).value(QStringLiteral("HOST_IP")), QStringLiteral("192.168.1.10"));
    }

    void unsupportedFieldPathIsAnError()
    {
        auto r = resolve(pod("badfield", "envtest", {container("c", {fieldVar("X", "spec.nope")})}, noLinks()));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(), QStringLiteral("field label not supported: spec.nope"));
    }

    void resourceFieldRefsRoundUpWithDivisors()
    {
        const QJsonObject resources{
            {QStringLiteral("requests"), QJsonObject{{QStringLiteral("cpu"), QStringLiteral("250m")},
                                                     {QStringLiteral("memory"), QStringLiteral("64Mi")}}},
            {QStringLiteral("limits"), QJsonObject{{QStringLiteral("cpu"), QStringLiteral("1500m")},
                                                   {QStringLiteral("memory"), QStringLiteral("1Gi")}}}};
        const QJsonObject requestsOnly{
            {QStringLiteral("requests"), QJsonObject{{QStringLiteral("cpu"), QStringLiteral("100m")},
                                                     {QStringLiteral("memory"), QStringLiteral("128Mi")}}}};
        QJsonObject p =
            pod("resources", "envtest",
                {container("main",
                           {resourceVar("LIMIT_CPU", "limits.cpu"), resourceVar("LIMIT_MILLICPU", "limits.cpu", "1m"),
                            resourceVar("REQUEST_CPU", "requests.cpu"),
                            resourceVar("REQUEST_MEMORY_MI", "requests.memory", "1Mi"),
                            resourceVar("LIMIT_MEMORY", "limits.memory"),
                            resourceVar("LIMIT_MEMORY_GI", "limits.memory", "1Gi"),
                            resourceVar("LIMIT_MEMORY_G", "limits.memory", "1G"),
                            resourceVar("LIMIT_STORAGE_GI", "limits.ephemeral-storage", "1Gi"),
                            resourceVar("SIDE_LIMIT_CPU", "limits.cpu", "1m", "side")},
                           {}, resources),
                 container("side",
                           {resourceVar("LIMIT_MEMORY_MI", "limits.memory", "1Mi"),
                            resourceVar("LIMIT_CPU_M", "limits.cpu", "1m")},
                           {}, requestsOnly)},
                noLinks());
        PodAddresses addresses;
        addresses.hostIp = QStringLiteral("192.168.1.10");
        addresses.nodeAllocatable = QJsonObject{{QStringLiteral("cpu"), QStringLiteral("4")},
                                                {QStringLiteral("ephemeral-storage"), QStringLiteral("100Gi")}};
        auto r = resolve(p, addresses);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        auto env = envMap(r.value());
        QCOMPARE(env.value(QStringLiteral("LIMIT_CPU")), QStringLiteral("2")); // 1.5 rounded up
        QCOMPARE(env.value(QStringLiteral("LIMIT_MILLICPU")), QStringLiteral("1500"));
        QCOMPARE(env.value(QStringLiteral("REQUEST_CPU")), QStringLiteral("1")); // 0.25 rounded up
        QCOMPARE(env.value(QStringLiteral("REQUEST_MEMORY_MI")), QStringLiteral("64"));
        QCOMPARE(env.value(QStringLiteral("LIMIT_MEMORY")), QStringLiteral("1073741824"));
        QCOMPARE(env.value(QStringLiteral("LIMIT_MEMORY_GI")), QStringLiteral("1"));
        QCOMPARE(env.value(QStringLiteral("LIMIT_MEMORY_G")), QStringLiteral("2"));     // 1.07 G rounded up
        QCOMPARE(env.value(QStringLiteral("LIMIT_STORAGE_GI")), QStringLiteral("100")); // node allocatable
        QCOMPARE(env.value(QStringLiteral("SIDE_LIMIT_CPU")), QStringLiteral("4000"));  // side: allocatable cpu

        env = envMap(r.value(), "containers", 1);
        // No memory limit and no allocatable memory known: the request stands in.
        QCOMPARE(env.value(QStringLiteral("LIMIT_MEMORY_MI")), QStringLiteral("128"));
        QCOMPARE(env.value(QStringLiteral("LIMIT_CPU_M")), QStringLiteral("4000"));
    }

    void envFromWithPrefixSkipsInvalidKeysWithOneEvent()
    {
        // ConfigMap and Secret keys may start with a digit; environment variable names may not.
        QVERIFY(create(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                       configMap("from-cm", QJsonObject{{QStringLiteral("GOOD"), QStringLiteral("1")},
                                                        {QStringLiteral("ALSO.OK"), QStringLiteral("2")},
                                                        {QStringLiteral("1st"), QStringLiteral("y")},
                                                        {QStringLiteral("OVERRIDDEN"), QStringLiteral("from-cm")}}))
                    .ok());
        QVERIFY(create(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                       configMap("from-cm2", QJsonObject{{QStringLiteral("OK"), QStringLiteral("3")},
                                                         {QStringLiteral("2nd"), QStringLiteral("x")},
                                                         {QStringLiteral("1st"), QStringLiteral("y")}}))
                    .ok());
        QVERIFY(create(kube::GroupVersionResource::secrets(), QStringLiteral("envtest"),
                       secret("from-secret", {{QStringLiteral("DB_PASSWORD"), QByteArray("s3cr\xc3\xa9t")},
                                              {QStringLiteral("9lives"), QByteArray("cat")},
                                              {QStringLiteral("0day"), QByteArray("bob")}}))
                    .ok());
        const QJsonObject p =
            pod("envfrom", "envtest",
                {container("c", {var("APP_OVERRIDDEN", "from-env"), var("LAST", "$(DB_PASSWORD)!")},
                           {envFrom("configMapRef", "from-cm", "APP_"), envFrom("configMapRef", "from-cm2"),
                            envFrom("secretRef", "from-secret")})},
                noLinks());
        auto r = resolve(p);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const auto env = envMap(r.value());
        QCOMPARE(env.value(QStringLiteral("APP_GOOD")), QStringLiteral("1"));
        QCOMPARE(env.value(QStringLiteral("APP_ALSO.OK")), QStringLiteral("2"));
        QCOMPARE(env.value(QStringLiteral("APP_1st")), QStringLiteral("y")); // valid once prefixed
        QCOMPARE(env.value(QStringLiteral("OK")), QStringLiteral("3"));
        QCOMPARE(env.value(QStringLiteral("DB_PASSWORD")), QStringLiteral("s3cr\u00e9t"));
        QCOMPARE(env.value(QStringLiteral("APP_OVERRIDDEN")), QStringLiteral("from-env"));
        QCOMPARE(env.value(QStringLiteral("LAST")), QStringLiteral("s3cr\u00e9t!"));

        // Order: envFrom-derived (sorted), then service variables, then env entries in declaration order.
        const QStringList names = envNames(r.value());
        QCOMPARE(withoutKubernetes(names),
                 (QStringList{QStringLiteral("APP_1st"), QStringLiteral("APP_ALSO.OK"), QStringLiteral("APP_GOOD"),
                              QStringLiteral("DB_PASSWORD"), QStringLiteral("OK"), QStringLiteral("APP_OVERRIDDEN"),
                              QStringLiteral("LAST")}));
        QVERIFY(names.indexOf(QStringLiteral("KUBERNETES_SERVICE_HOST")) > names.indexOf(QStringLiteral("OK")));
        QVERIFY(names.indexOf(QStringLiteral("KUBERNETES_SERVICE_HOST")) <
                names.indexOf(QStringLiteral("APP_OVERRIDDEN")));

        const auto events = takeEvents();
        const QList<QPair<QString, QString>> expected{
            {QStringLiteral("InvalidEnvironmentVariableNames"),
             QStringLiteral("keys [1st, 2nd] from configmap envtest/from-cm2 were skipped since they are invalid as "
                            "environment variable names")},
            {QStringLiteral("InvalidEnvironmentVariableNames"),
             QStringLiteral("keys [0day, 9lives] from secret envtest/from-secret were skipped since they are invalid "
                            "as environment variable names")},
        };
        QCOMPARE(events, expected);

        // envFrom is gone from the resolved pod.
        const QJsonObject c =
            r->value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray().at(0).toObject();
        QVERIFY(!c.contains(QStringLiteral("envFrom")));
    }

    void optionalMissingReferencesAreSkippedWithEvents()
    {
        QVERIFY(create(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                       configMap("has-one-key", QJsonObject{{QStringLiteral("present"), QStringLiteral("yes")}}))
                    .ok());
        const QJsonObject p =
            pod("optional", "envtest",
                {container("c",
                           {keyVar("A", "configMapKeyRef", "no-such-cm", "k", true),
                            keyVar("B", "secretKeyRef", "no-such-secret", "k", true),
                            keyVar("C", "configMapKeyRef", "has-one-key", "absent", true),
                            keyVar("D", "configMapKeyRef", "has-one-key", "present", false), var("E", "e")},
                           {envFrom("configMapRef", "no-such-cm", nullptr, true)})},
                noLinks());
        auto r = resolve(p);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(withoutKubernetes(envNames(r.value())), (QStringList{QStringLiteral("D"), QStringLiteral("E")}));
        QCOMPARE(envMap(r.value()).value(QStringLiteral("D")), QStringLiteral("yes"));
        const auto events = takeEvents();
        const QList<QPair<QString, QString>> expected{
            {QStringLiteral("OptionalConfigMapNotFound"), QStringLiteral("configmap \"no-such-cm\" not found")},
            {QStringLiteral("OptionalConfigMapNotFound"),
             QStringLiteral("skipping optional envvar \"A\": configmap \"no-such-cm\" not found")},
            {QStringLiteral("OptionalSecretNotFound"),
             QStringLiteral("skipping optional envvar \"B\": secret \"no-such-secret\" not found")},
            {QStringLiteral("OptionalConfigMapKeyNotFound"),
             QStringLiteral("skipping optional envvar \"C\": key \"absent\" does not exist in configmap "
                            "\"has-one-key\"")},
        };
        QCOMPARE(events, expected);
    }

    void mandatoryMissingConfigMapFailsUntilItIsCreated()
    {
        QSignalSpy changed(m_resolver.get(), &EnvResolver::objectChanged);
        const QJsonObject p =
            pod("waiting", "envtest", {container("c", {keyVar("LATE", "configMapKeyRef", "late-cm", "k", false)})},
                noLinks());
        auto r = resolve(p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(), QStringLiteral("configmap \"late-cm\" not found"));
        QCOMPARE(r.error().category(), ErrorCategory::NotFound);
        QCOMPARE(r.error().detailName(), QStringLiteral("late-cm"));
        auto events = takeEvents();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).first, QStringLiteral("MandatoryConfigMapNotFound"));
        QCOMPARE(events.at(0).second, QStringLiteral("configmap \"late-cm\" not found"));
        const Dependency dep{QStringLiteral("ConfigMap"), QStringLiteral("envtest"), QStringLiteral("late-cm")};
        QCOMPARE(m_resolver->dependents(dep), QStringList{QStringLiteral("envtest/waiting")});

        // The ConfigMap appears, but without the key.
        QVERIFY(create(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                       configMap("late-cm", QJsonObject{{QStringLiteral("other"), QStringLiteral("x")}}))
                    .ok());
        // By now more watches are open than an HTTP/1.1 server gives one client connections for; the periodic
        // re-read reports the change either way.
        QTRY_VERIFY_WITH_TIMEOUT((m_clock.advance(kRecheckMs), !changed.isEmpty()), 10000);
        QCOMPARE(changed.first().at(0).value<Dependency>(), dep);
        r = resolve(p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(),
                 QStringLiteral("configmap \"late-cm\" doesn't contain the \"k\" key required by pod waiting"));
        events = takeEvents();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).first, QStringLiteral("MandatoryConfigMapKeyNotFound"));
        QCOMPARE(events.at(0).second, QStringLiteral("key \"k\" does not exist in configmap \"late-cm\""));

        // Adding the key is a change too; then the pod resolves.
        changed.clear();
        auto updated = call([&](QObject* ctx, kube::ApiClient::JsonCallback cb) {
            m_fixture.client().patch(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                                     QStringLiteral("late-cm"), kube::PatchType::Merge,
                                     QByteArray("{\"data\":{\"k\":\"finally\"}}"), ctx, std::move(cb));
        });
        QVERIFY(updated.ok());
        // By now more watches are open than an HTTP/1.1 server gives one client connections for; the periodic
        // re-read reports the change either way.
        QTRY_VERIFY_WITH_TIMEOUT((m_clock.advance(kRecheckMs), !changed.isEmpty()), 10000);
        r = resolve(p);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(envMap(r.value()).value(QStringLiteral("LATE")), QStringLiteral("finally"));
        QVERIFY(takeEvents().isEmpty());

        // Deleting it is reported as well.
        changed.clear();
        auto removed = call([&](QObject* ctx, kube::ApiClient::JsonCallback cb) {
            m_fixture.client().remove(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                                      QStringLiteral("late-cm"), ctx, std::move(cb));
        });
        QVERIFY(removed.ok());
        // By now more watches are open than an HTTP/1.1 server gives one client connections for; the periodic
        // re-read reports the change either way.
        QTRY_VERIFY_WITH_TIMEOUT((m_clock.advance(kRecheckMs), !changed.isEmpty()), 10000);
        r = resolve(p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(), QStringLiteral("configmap \"late-cm\" not found"));
    }

    void mandatoryMissingSecretsFail()
    {
        auto r = resolve(pod("nosecret", "envtest",
                             {container("c", {keyVar("S", "secretKeyRef", "absent-secret", "k", false)})}, noLinks()));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(), QStringLiteral("secret \"absent-secret\" not found"));
        auto events = takeEvents();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).first, QStringLiteral("MandatorySecretNotFound"));

        QVERIFY(create(kube::GroupVersionResource::secrets(), QStringLiteral("envtest"),
                       secret("keyless-secret", {{QStringLiteral("a"), QByteArray("b")}}))
                    .ok());
        r = resolve(pod("nokey", "envtest",
                        {container("c", {keyVar("S", "secretKeyRef", "keyless-secret", "k", false)})}, noLinks()));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(),
                 QStringLiteral("secret \"keyless-secret\" doesn't contain the \"k\" key required by pod nokey"));
        events = takeEvents();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).first, QStringLiteral("MandatorySecretKeyNotFound"));

        // A mandatory envFrom secret that is missing.
        r = resolve(
            pod("nosecretfrom", "envtest", {container("c", {}, {envFrom("secretRef", "absent-secret")})}, noLinks()));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message(), QStringLiteral("secret \"absent-secret\" not found"));
        QCOMPARE(takeEvents().value(0).first, QStringLiteral("MandatorySecretNotFound"));
    }

    void serviceEnvVarsAsTheKubeletMakesThem()
    {
        const QJsonObject service{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Service")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("web-frontend")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("selector"), QJsonObject{{QStringLiteral("app"), QStringLiteral("web")}}},
                         {QStringLiteral("ports"),
                          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("http")},
                                                 {QStringLiteral("port"), 80},
                                                 {QStringLiteral("targetPort"), 8080}},
                                     QJsonObject{{QStringLiteral("name"), QStringLiteral("dns-udp")},
                                                 {QStringLiteral("port"), 53},
                                                 {QStringLiteral("protocol"), QStringLiteral("UDP")}}}}}}};
        auto created = create(kube::GroupVersionResource::services(), QStringLiteral("svcns"), service);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
        const QString ip =
            created->value(QLatin1String("spec")).toObject().value(QLatin1String("clusterIP")).toString();
        QVERIFY(!ip.isEmpty());
        QJsonObject headless = service;
        headless.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("headless")}});
        QJsonObject headlessSpec = service.value(QLatin1String("spec")).toObject();
        headlessSpec.insert(QStringLiteral("clusterIP"), QStringLiteral("None"));
        headless.insert(QStringLiteral("spec"), headlessSpec);
        QVERIFY(create(kube::GroupVersionResource::services(), QStringLiteral("svcns"), headless).ok());

        const QJsonObject p = pod("linked", "svcns",
                                  {container("c", {var("URL", "http://$(WEB_FRONTEND_SERVICE_HOST):$(WEB_FRONTEND_"
                                                              "SERVICE_PORT_HTTP)/"),
                                                   var("KUBERNETES_SERVICE_PORT", "8443")})});
        auto r = resolve(p);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const auto env = envMap(r.value());
        const QMap<QString, QString> expected{
            {QStringLiteral("WEB_FRONTEND_SERVICE_HOST"), ip},
            {QStringLiteral("WEB_FRONTEND_SERVICE_PORT"), QStringLiteral("80")},
            {QStringLiteral("WEB_FRONTEND_SERVICE_PORT_HTTP"), QStringLiteral("80")},
            {QStringLiteral("WEB_FRONTEND_SERVICE_PORT_DNS_UDP"), QStringLiteral("53")},
            {QStringLiteral("WEB_FRONTEND_PORT"), QStringLiteral("tcp://") + ip + QStringLiteral(":80")},
            {QStringLiteral("WEB_FRONTEND_PORT_80_TCP"), QStringLiteral("tcp://") + ip + QStringLiteral(":80")},
            {QStringLiteral("WEB_FRONTEND_PORT_80_TCP_PROTO"), QStringLiteral("tcp")},
            {QStringLiteral("WEB_FRONTEND_PORT_80_TCP_PORT"), QStringLiteral("80")},
            {QStringLiteral("WEB_FRONTEND_PORT_80_TCP_ADDR"), ip},
            {QStringLiteral("WEB_FRONTEND_PORT_53_UDP"), QStringLiteral("udp://") + ip + QStringLiteral(":53")},
            {QStringLiteral("WEB_FRONTEND_PORT_53_UDP_PROTO"), QStringLiteral("udp")},
            {QStringLiteral("WEB_FRONTEND_PORT_53_UDP_PORT"), QStringLiteral("53")},
            {QStringLiteral("WEB_FRONTEND_PORT_53_UDP_ADDR"), ip},
            {QStringLiteral("KUBERNETES_SERVICE_HOST"), QStringLiteral("10.96.0.1")},
            {QStringLiteral("KUBERNETES_SERVICE_PORT"), QStringLiteral("8443")}, // set by env, not by the service
            {QStringLiteral("KUBERNETES_SERVICE_PORT_HTTPS"), QStringLiteral("443")},
            {QStringLiteral("KUBERNETES_PORT"), QStringLiteral("tcp://10.96.0.1:443")},
            {QStringLiteral("KUBERNETES_PORT_443_TCP"), QStringLiteral("tcp://10.96.0.1:443")},
            {QStringLiteral("KUBERNETES_PORT_443_TCP_PROTO"), QStringLiteral("tcp")},
            {QStringLiteral("KUBERNETES_PORT_443_TCP_PORT"), QStringLiteral("443")},
            {QStringLiteral("KUBERNETES_PORT_443_TCP_ADDR"), QStringLiteral("10.96.0.1")},
            {QStringLiteral("URL"), QStringLiteral("http://") + ip + QStringLiteral(":80/")},
        };
        QCOMPARE(env, expected);
        const QStringList names = envNames(r.value());
        QCOMPARE(names.count(QStringLiteral("KUBERNETES_SERVICE_PORT")), 1);
        QCOMPARE(names.mid(names.size() - 2),
                 (QStringList{QStringLiteral("URL"), QStringLiteral("KUBERNETES_SERVICE_PORT")}));

        // enableServiceLinks=false: only the master service's variables.
        r = resolve(pod("unlinked", "svcns", {container("c", {})}, noLinks()));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const QStringList unlinked = envNames(r.value());
        QCOMPARE(unlinked.size(), 8);
        QVERIFY(withoutKubernetes(unlinked).isEmpty());
    }

    void aLinkedServiceNamedKubernetesOverridesTheMasterService()
    {
        createNamespace("svcns2");
        const QJsonObject service{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("kubernetes")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("ports"), QJsonArray{QJsonObject{{QStringLiteral("port"), 8080}}}}}}};
        auto created = create(kube::GroupVersionResource::services(), QStringLiteral("svcns2"), service);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
        const QString ip =
            created->value(QLatin1String("spec")).toObject().value(QLatin1String("clusterIP")).toString();
        auto r = resolve(pod("local-master", "svcns2", {container("c", {})}));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(envMap(r.value()).value(QStringLiteral("KUBERNETES_SERVICE_HOST")), ip);
        QCOMPARE(envMap(r.value()).value(QStringLiteral("KUBERNETES_SERVICE_PORT")), QStringLiteral("8080"));
        QVERIFY(!envMap(r.value()).contains(QStringLiteral("KUBERNETES_SERVICE_PORT_HTTPS")));

        r = resolve(pod("local-master-unlinked", "svcns2", {container("c", {})}, noLinks()));
        QVERIFY(r.ok());
        QCOMPARE(envMap(r.value()).value(QStringLiteral("KUBERNETES_SERVICE_HOST")), QStringLiteral("10.96.0.1"));
    }

    void aServiceCreatedLaterReachesTheNextPodsVariables()
    {
        // The service variables of a namespace are kept between pods; a change of its services replaces them.
        createNamespace("svcns3");
        auto r = resolve(pod("before", "svcns3", {container("c", {})}));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(!envMap(r.value()).contains(QStringLiteral("LATE_SERVICE_HOST")));
        QCOMPARE(envNames(r.value()).size(), 8); // the master service's alone
        const QJsonObject service{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("late")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("ports"), QJsonArray{QJsonObject{{QStringLiteral("port"), 8080}}}}}}};
        auto created = create(kube::GroupVersionResource::services(), QStringLiteral("svcns3"), service);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
        const QString ip =
            created->value(QLatin1String("spec")).toObject().value(QLatin1String("clusterIP")).toString();
        QTRY_VERIFY_WITH_TIMEOUT((r = resolve(pod("after", "svcns3", {container("c", {})})),
                                  r.ok() && envMap(r.value()).value(QStringLiteral("LATE_SERVICE_HOST")) == ip),
                                 10000);
        QCOMPARE(envMap(r.value()).value(QStringLiteral("LATE_SERVICE_PORT")), QStringLiteral("8080"));
    }

    void valuesReferToEarlierEntriesOnly()
    {
        QVERIFY(create(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                       configMap("expand-cm", QJsonObject{{QStringLiteral("BASE"), QStringLiteral("/srv")}}))
                    .ok());
        const QJsonObject p =
            pod("expand", "envtest",
                {container("c",
                           {var("A", "x"), var("B", "$(A)-y"), var("C", "$$(A)"), var("D", "$(UNDEFINED)"),
                            var("E", "$(LATER)"), var("LATER", "z"), var("PATH_IN", "$(BASE)/bin"),
                            var("UNTERMINATED", "$(A"), var("A", "again-$(A)")},
                           {envFrom("configMapRef", "expand-cm")})},
                noLinks());
        auto r = resolve(p);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const auto env = envMap(r.value());
        QCOMPARE(env.value(QStringLiteral("B")), QStringLiteral("x-y"));
        QCOMPARE(env.value(QStringLiteral("C")), QStringLiteral("$(A)"));
        QCOMPARE(env.value(QStringLiteral("D")), QStringLiteral("$(UNDEFINED)"));
        QCOMPARE(env.value(QStringLiteral("E")), QStringLiteral("$(LATER)"));
        QCOMPARE(env.value(QStringLiteral("PATH_IN")), QStringLiteral("/srv/bin"));
        QCOMPARE(env.value(QStringLiteral("UNTERMINATED")), QStringLiteral("$(A"));
        // A repeated name keeps its first position and takes its last value.
        QCOMPARE(env.value(QStringLiteral("A")), QStringLiteral("again-x"));
        QCOMPARE(withoutKubernetes(envNames(r.value())),
                 (QStringList{QStringLiteral("BASE"), QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"),
                              QStringLiteral("D"), QStringLiteral("E"), QStringLiteral("LATER"),
                              QStringLiteral("PATH_IN"), QStringLiteral("UNTERMINATED")}));
    }

    void initAndEphemeralContainersAreResolved()
    {
        QJsonObject spec = noLinks();
        spec.insert(QStringLiteral("initContainers"), QJsonArray{container("init", {fieldVar("N", "metadata.name")})});
        spec.insert(QStringLiteral("ephemeralContainers"),
                    QJsonArray{container("debug", {var("X", "1"), var("Y", "$(X)2")})});
        auto r = resolve(pod("kinds", "envtest", {container("c", {})}, spec));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(envMap(r.value(), "initContainers").value(QStringLiteral("N")), QStringLiteral("kinds"));
        QCOMPARE(envMap(r.value(), "ephemeralContainers").value(QStringLiteral("Y")), QStringLiteral("12"));
    }

    void objectsBeyondTheWatchLimitAreReadOnEveryResolve()
    {
        QVERIFY(m_resolver->objectWatchCount() <= 4);
        QVERIFY(m_resolver->watchedObjectCount() > m_resolver->objectWatchCount()); // some are unwatched by now
        QVERIFY(create(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                       configMap("unwatched", QJsonObject{{QStringLiteral("k"), QStringLiteral("one")}}))
                    .ok());
        const QJsonObject p =
            pod("limited", "envtest", {container("c", {keyVar("U", "configMapKeyRef", "unwatched", "k", false)})},
                noLinks());
        auto r = resolve(p);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(envMap(r.value()).value(QStringLiteral("U")), QStringLiteral("one"));
        auto patched = call([&](QObject* ctx, kube::ApiClient::JsonCallback cb) {
            m_fixture.client().patch(kube::GroupVersionResource::configMaps(), QStringLiteral("envtest"),
                                     QStringLiteral("unwatched"), kube::PatchType::Merge,
                                     QByteArray("{\"data\":{\"k\":\"two\"}}"), ctx, std::move(cb));
        });
        QVERIFY(patched.ok());
        r = resolve(p);
        QVERIFY(r.ok());
        QCOMPARE(envMap(r.value()).value(QStringLiteral("U")), QStringLiteral("two"));
        m_resolver->release(QStringLiteral("envtest/limited"));
    }

    void releaseStopsWatchingUnreferencedObjects()
    {
        const int before = m_resolver->watchedObjectCount();
        const QJsonObject p =
            pod("released", "envtest",
                {container("c", {keyVar("R", "configMapKeyRef", "only-for-release", "k", true)})}, noLinks());
        QVERIFY(resolve(p).ok());
        QCOMPARE(m_resolver->watchedObjectCount(), before + 1);
        const Dependency dep{QStringLiteral("ConfigMap"), QStringLiteral("envtest"),
                             QStringLiteral("only-for-release")};
        QCOMPARE(m_resolver->dependents(dep), QStringList{QStringLiteral("envtest/released")});
        m_resolver->release(QStringLiteral("envtest/released"));
        QCOMPARE(m_resolver->watchedObjectCount(), before);
        QVERIFY(m_resolver->dependents(dep).isEmpty());

        // A pod that drops a reference on re-resolve releases it too.
        QVERIFY(resolve(p).ok());
        QCOMPARE(m_resolver->watchedObjectCount(), before + 1);
        QVERIFY(resolve(pod("released", "envtest", {container("c", {})}, noLinks())).ok());
        QCOMPARE(m_resolver->watchedObjectCount(), before);
    }
};

QTEST_GUILESS_MAIN(TstEnvResolver)
#include "tst_envresolver.moc"
