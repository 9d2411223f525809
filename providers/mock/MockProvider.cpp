// SPDX-License-Identifier: Apache-2.0
#include "mock/MockProvider.h"

#include "api/Quantity.h"
#include "core/Json.h"
#include "mock/Logging.h"
#include "mock/MockExecSession.h"
#include "mock/MockLogs.h"
#include "mock/MockMetrics.h"
#include "mock/MockPortForwardStream.h"
#include "provider/ProviderRegistry.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

#include <optional>
#include <vector>

namespace vk::mock {

using provider::Callback;
using provider::Done;

namespace {

quint64 fnv1a(const QByteArray& data)
{
    quint64 hash = 1469598103934665603ULL;
    for (const char c : data) {
        hash ^= quint8(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

QString sha256Hex(const QByteArray& data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QString imageId(const QString& image)
{
    if (image.contains(QLatin1Char('@')))
        return image;
    QString repository = image;
    const qsizetype slash = repository.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = repository.lastIndexOf(QLatin1Char(':'));
    if (colon > slash)
        repository.truncate(colon);
    if (!repository.contains(QLatin1Char('/')))
        repository = QStringLiteral("docker.io/library/") + repository;
    else if (!repository.section(QLatin1Char('/'), 0, 0).contains(QLatin1Char('.')))
        repository = QStringLiteral("docker.io/") + repository;
    return repository + QStringLiteral("@sha256:") + sha256Hex(image.toUtf8());
}

QString notKnown(const QString& key)
{
    return QStringLiteral("pod \"%1\" is not known to the provider").arg(key);
}

QString keyOf(const QJsonObject& pod)
{
    const QJsonObject metadata = pod.value(QLatin1String("metadata")).toObject();
    QString ns = metadata.value(QLatin1String("namespace")).toString();
    if (ns.isEmpty())
        ns = QStringLiteral("default");
    return ns + QLatin1Char('/') + metadata.value(QLatin1String("name")).toString();
}

QString qosClass(const QJsonArray& containers)
{
    bool any = false;
    bool guaranteed = true;
    for (const QJsonValue& value : containers) {
        const QJsonObject resources = value.toObject().value(QLatin1String("resources")).toObject();
        const QJsonObject requests = resources.value(QLatin1String("requests")).toObject();
        const QJsonObject limits = resources.value(QLatin1String("limits")).toObject();
        if (!requests.isEmpty() || !limits.isEmpty())
            any = true;
        for (const char* name : {"cpu", "memory"}) {
            const QJsonValue limit = limits.value(QLatin1String(name));
            const QJsonValue request =
                requests.contains(QLatin1String(name)) ? requests.value(QLatin1String(name)) : limit;
            if (limit.isUndefined() ||
                api::Quantity::fromJson(limit).valueOr({}) != api::Quantity::fromJson(request).valueOr({}))
                guaranteed = false;
        }
    }
    return !any         ? QStringLiteral("BestEffort")
           : guaranteed ? QStringLiteral("Guaranteed")
                        : QStringLiteral("Burstable");
}

} // namespace

struct MockProvider::Container
{
    enum class State
    {
        Creating,
        Running,
        Waiting,
        Terminated
    };

    QString name;
    QString image;
    QJsonObject spec;
    State state = State::Creating;
    bool started = false;
    bool ready = false;
    bool done = false; ///< terminated for good
    int restartCount = 0;
    int instance = 0;
    int injectedFailures = 0;
    QDateTime startedAt;
    QDateTime finishedAt;
    int exitCode = 0;
    QString reason;
    QString message;
    QJsonObject lastState;
    QString containerId;
    QPointer<LogBuffer> current;
    QPointer<LogBuffer> previous;
    qint64 lineNumber = 0;
    QList<ScheduledCall> timers;

    void cancelTimers()
    {
        for (ScheduledCall& call : timers)
            call.cancel();
        timers.clear();
    }
};

struct MockProvider::Pod
{
    struct Condition
    {
        QString status;
        QString reason;
        QString message;
        QDateTime since;
    };

    quint64 serial = 0;
    QString key;
    QString namespaceName;
    QString name;
    QJsonObject object;
    LifecycleScript script;
    std::vector<Container> containers;
    QString podIp;
    bool ipReported = false;
    QDateTime created;
    QMap<QString, Condition> conditions;
    bool deleted = false;
    QString deletedPhase;
    QList<ScheduledCall> timers;
    quint64 rng = 0;
    std::optional<quint64> lastPushed; ///< json::hash of the last status pushed (a parsed one would cost ~6 KB)
};

MockProvider::MockProvider(MockNodeConfig config,
                           provider::ProviderConfig providerConfig,
                           Clock* clock,
                           QObject* parent)
    : provider::Provider(parent), m_config(std::move(config)), m_providerConfig(std::move(providerConfig)),
      m_clock(clock ? clock : Clock::system()), m_startTime(m_clock->now())
{}

MockProvider::~MockProvider()
{
    for (auto& [key, pod] : m_pods) {
        for (ScheduledCall& call : pod->timers)
            call.cancel();
        for (Container& c : pod->containers)
            c.cancelTimers();
    }
}

Result<std::unique_ptr<MockProvider>> MockProvider::create(const provider::ProviderConfig& providerConfig, Clock* clock)
{
    Result<MockNodeConfig> config = MockNodeConfig::load(providerConfig.configPath, providerConfig.nodeName);
    if (!config)
        return config.error();
    qCInfo(lcMock) << "mock provider for node" << providerConfig.nodeName << "cpu" << config->cpu << "memory"
                   << config->memory << "pods" << config->pods;
    return std::make_unique<MockProvider>(std::move(*config), providerConfig, clock);
}

void MockProvider::setClock(Clock* clock)
{
    m_clock = clock ? clock : Clock::system();
    m_startTime = m_clock->now();
}

provider::Capabilities MockProvider::capabilities() const
{
    using provider::Capability;
    return Capability::PodStatusPush | Capability::Logs | Capability::Exec | Capability::Attach |
           Capability::PortForward | Capability::StatsSummary | Capability::MetricsResource;
}

// --- node ------------------------------------------------------------------------------------------------------

void MockProvider::configureNode(QJsonObject& node)
{
    auto canonical = [](const QString& text) { return api::Quantity::parse(text).valueOr({}).toString(); };
    QJsonObject resources{{QStringLiteral("cpu"), canonical(m_config.cpu)},
                          {QStringLiteral("memory"), canonical(m_config.memory)},
                          {QStringLiteral("pods"), canonical(m_config.pods)}};
    for (auto it = m_config.others.cbegin(); it != m_config.others.cend(); ++it)
        resources.insert(it.key(), canonical(it.value()));

    if (!m_config.providerId.isEmpty()) {
        QJsonObject spec = node.value(QLatin1String("spec")).toObject();
        spec.insert(QStringLiteral("providerID"), m_config.providerId);
        node.insert(QStringLiteral("spec"), spec);
    }

    QJsonObject metadata = node.value(QLatin1String("metadata")).toObject();
    QJsonObject labels = metadata.value(QLatin1String("labels")).toObject();
    labels.insert(QStringLiteral("alpha.service-controller.kubernetes.io/exclude-balancer"), QStringLiteral("true"));
    labels.insert(QStringLiteral("node.kubernetes.io/exclude-from-external-load-balancers"), QStringLiteral("true"));
    metadata.insert(QStringLiteral("labels"), labels);
    node.insert(QStringLiteral("metadata"), metadata);

    const QString now = json::formatTime(m_clock->now());
    auto condition = [&now](const char* type, const char* status, const char* reason, const char* message) {
        return QJsonObject{
            {QStringLiteral("type"), QLatin1String(type)},     {QStringLiteral("status"), QLatin1String(status)},
            {QStringLiteral("lastHeartbeatTime"), now},        {QStringLiteral("lastTransitionTime"), now},
            {QStringLiteral("reason"), QLatin1String(reason)}, {QStringLiteral("message"), QLatin1String(message)}};
    };
    QJsonObject status = node.value(QLatin1String("status")).toObject();
    status.insert(QStringLiteral("capacity"), resources);
    status.insert(QStringLiteral("allocatable"), resources);
    status.insert(
        QStringLiteral("conditions"),
        QJsonArray{
            condition("Ready", "False", "KubeletPending", "kubelet is pending."),
            condition("OutOfDisk", "False", "KubeletHasSufficientDisk", "kubelet has sufficient disk space available"),
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                      "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route")});
    QJsonArray addresses;
    if (!m_providerConfig.internalIp.isEmpty())
        addresses.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("InternalIP")},
                                     {QStringLiteral("address"), m_providerConfig.internalIp}});
    status.insert(QStringLiteral("addresses"), addresses);
    status.insert(QStringLiteral("daemonEndpoints"),
                  QJsonObject{{QStringLiteral("kubeletEndpoint"),
                               QJsonObject{{QStringLiteral("Port"), int(m_providerConfig.daemonPort)}}}});
    QJsonObject nodeInfo = status.value(QLatin1String("nodeInfo")).toObject();
    nodeInfo.insert(QStringLiteral("architecture"), QStringLiteral("amd64"));
    if (!nodeInfo.contains(QLatin1String("operatingSystem")))
        nodeInfo.insert(QStringLiteral("operatingSystem"), m_providerConfig.operatingSystem);
    status.insert(QStringLiteral("nodeInfo"), nodeInfo);
    node.insert(QStringLiteral("status"), status);
}

// --- pod state machine ----------------------------------------------------------------------------------------

MockProvider::Pod* MockProvider::find(const QString& key) const
{
    const auto it = m_pods.find(key);
    return it == m_pods.end() ? nullptr : it->second.get();
}

qint64 MockProvider::jittered(Pod& pod, qint64 ms)
{
    if (ms <= 0 || pod.script.jitterMs <= 0)
        return ms;
    pod.rng = pod.rng * 6364136223846793005ULL + 1442695040888963407ULL; // deterministic per pod
    return ms + qint64((pod.rng >> 33) % quint64(pod.script.jitterMs + 1));
}

void MockProvider::runPod(Pod& pod, qint64 delayMs, std::function<void(Pod&)> fn)
{
    if (delayMs <= 0) {
        fn(pod);
        return;
    }
    pod.timers.append(m_clock->schedule(delayMs, this, [this, key = pod.key, serial = pod.serial, fn] {
        Pod* p = find(key);
        if (!p || p->serial != serial || p->deleted)
            return;
        fn(*p);
        flush(*p);
    }));
}

void MockProvider::runContainer(Pod& pod, int index, qint64 delayMs, std::function<void(Pod&, Container&)> fn)
{
    Container& c = pod.containers[size_t(index)];
    if (delayMs <= 0) {
        fn(pod, c);
        return;
    }
    c.timers.removeIf([](const ScheduledCall& call) { return !call.isPending(); });
    c.timers.append(
        m_clock->schedule(delayMs, this, [this, key = pod.key, serial = pod.serial, index, instance = c.instance, fn] {
            Pod* p = find(key);
            if (!p || p->serial != serial || p->deleted)
                return;
            Container& container = p->containers[size_t(index)];
            if (container.instance != instance)
                return;
            fn(*p, container);
            flush(*p);
        }));
}

Status MockProvider::applySpec(Pod& pod, const QJsonObject& object)
{
    LifecycleScript script = m_config.lifecycle;
    const QJsonObject annotations =
        object.value(QLatin1String("metadata")).toObject().value(QLatin1String("annotations")).toObject();
    const QString annotation = QLatin1String(kLifecycleAnnotation);
    if (annotations.contains(annotation)) {
        const QString context = QStringLiteral("pod \"%1\": annotation %2").arg(pod.key, annotation);
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(annotations.value(annotation).toString().toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return Error::invalidInput(
                context + QStringLiteral(": not a JSON object (") +
                (error.error != QJsonParseError::NoError ? error.errorString() : QStringLiteral("wrong type")) +
                QLatin1Char(')'));
        Status applied = script.apply(doc.object(), context);
        if (!applied)
            return applied;
    }
    const QJsonArray containers =
        object.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray();
    if (containers.isEmpty())
        return Error::invalidInput(QStringLiteral("pod \"%1\": spec.containers: Required value").arg(pod.key));
    pod.script = script;
    pod.object = object;
    return {};
}

void MockProvider::createContainers(Pod& pod)
{
    pod.ipReported = true;
    for (int i = 0; i < int(pod.containers.size()); ++i)
        startInstance(pod, i);
}

void MockProvider::startInstance(Pod& pod, int index)
{
    Container& c = pod.containers[size_t(index)];
    c.cancelTimers();
    c.state = Container::State::Running;
    c.instance++;
    c.started = false;
    c.ready = false;
    c.startedAt = m_clock->now();
    c.finishedAt = {};
    c.reason.clear();
    c.message.clear();
    c.containerId =
        QStringLiteral("mock://") + sha256Hex(pod.key.toUtf8() + '/' + c.name.toUtf8() + '/' +
                                              QByteArray::number(pod.serial) + '/' + QByteArray::number(c.instance));
    if (c.previous)
        c.previous->deleteLater();
    c.previous = c.current;
    c.current = new LogBuffer(this);
    c.lineNumber = 0;

    const LifecycleScript& script = pod.script;
    if (script.logLinesPerSecond > 0)
        runContainer(pod, index, std::max<qint64>(1, qRound64(1000.0 / script.logLinesPerSecond)),
                     [this, index](Pod& p, Container&) { logTick(p, index); });

    std::optional<qint64> exitAt;
    bool injected = false;
    if (script.runMs)
        exitAt = jittered(pod, *script.runMs);
    if (script.failAfterMs && (script.failCount < 0 || c.injectedFailures < script.failCount)) {
        const qint64 failAt = jittered(pod, *script.failAfterMs);
        if (!exitAt || failAt <= *exitAt) {
            exitAt = failAt;
            injected = true;
        }
    }
    runContainer(pod, index, jittered(pod, script.startMs),
                 [this, index](Pod& p, Container&) { markStarted(p, index); });
    if (exitAt) {
        const int code = injected ? script.failExitCode : script.exitCode;
        // The exit is scheduled last so that a start or ready due at the same time comes first.
        Container& current = pod.containers[size_t(index)];
        if (current.state == Container::State::Running)
            runContainer(pod, index, std::max<qint64>(1, *exitAt), [this, index, code, injected](Pod& p, Container&) {
                exitContainer(p, index, code, injected);
            });
    }
}

void MockProvider::markStarted(Pod& pod, int index)
{
    pod.containers[size_t(index)].started = true;
    runContainer(pod, index, jittered(pod, pod.script.readyMs),
                 [this, index](Pod& p, Container&) { markReady(p, index); });
}

void MockProvider::markReady(Pod& pod, int index)
{
    Container& c = pod.containers[size_t(index)];
    c.ready = true;
    if (pod.script.readinessFlapMs <= 0)
        return;
    runContainer(pod, index, std::max<qint64>(1, jittered(pod, pod.script.readinessFlapMs)),
                 [this, index](Pod& p, Container&) { flapReadiness(p, index); });
}

void MockProvider::flapReadiness(Pod& pod, int index)
{
    Container& c = pod.containers[size_t(index)];
    c.ready = !c.ready;
    runContainer(pod, index, std::max<qint64>(1, jittered(pod, pod.script.readinessFlapMs)),
                 [this, index](Pod& p, Container&) { flapReadiness(p, index); });
}

void MockProvider::logTick(Pod& pod, int index)
{
    Container& c = pod.containers[size_t(index)];
    if (!c.current || c.state != Container::State::Running)
        return;
    const QDateTime now = m_clock->now();
    QString line = pod.script.logLine;
    line.replace(QLatin1String("{n}"), QString::number(++c.lineNumber))
        .replace(QLatin1String("{time}"), json::formatTime(now))
        .replace(QLatin1String("{namespace}"), pod.namespaceName)
        .replace(QLatin1String("{pod}"), pod.name)
        .replace(QLatin1String("{container}"), c.name)
        .replace(QLatin1String("{image}"), c.image)
        .replace(QLatin1String("{restart}"), QString::number(c.restartCount));
    c.current->append(now, line.toUtf8());
    runContainer(pod, index, std::max<qint64>(1, qRound64(1000.0 / pod.script.logLinesPerSecond)),
                 [this, index](Pod& p, Container&) { logTick(p, index); });
}

void MockProvider::stopContainer(Container& c, int exitCode, const QString& reason, const QString& message)
{
    c.cancelTimers();
    c.state = Container::State::Terminated;
    c.exitCode = exitCode;
    c.reason = reason;
    c.message = message;
    c.finishedAt = m_clock->now();
    c.started = false;
    c.ready = false;
    if (c.current)
        c.current->end(exitCode);
}

void MockProvider::exitContainer(Pod& pod, int index, int exitCode, bool injected)
{
    Container& c = pod.containers[size_t(index)];
    if (injected)
        c.injectedFailures++;
    stopContainer(c, exitCode, exitCode == 0 ? QStringLiteral("Completed") : QStringLiteral("Error"), {});
    const QString policy = pod.object.value(QLatin1String("spec"))
                               .toObject()
                               .value(QLatin1String("restartPolicy"))
                               .toString(QStringLiteral("Always"));
    const bool restart = policy == QLatin1String("Always") || (policy == QLatin1String("OnFailure") && exitCode != 0);
    if (!restart || (pod.script.restartLimit >= 0 && c.restartCount >= pod.script.restartLimit)) {
        c.done = true;
        qCDebug(lcMock) << "container" << c.name << "of" << pod.key << "exited with" << exitCode << "for good";
        return;
    }
    QJsonObject terminated{{QStringLiteral("exitCode"), exitCode},
                           {QStringLiteral("reason"), c.reason},
                           {QStringLiteral("startedAt"), json::formatTime(c.startedAt)},
                           {QStringLiteral("finishedAt"), json::formatTime(c.finishedAt)},
                           {QStringLiteral("containerID"), c.containerId}};
    c.lastState = QJsonObject{{QStringLiteral("terminated"), terminated}};
    if (pod.script.restartDelayMs > 0) {
        c.state = Container::State::Waiting;
        c.reason = QStringLiteral("CrashLoopBackOff");
        c.message =
            QStringLiteral("back-off %1s restarting failed container=%2 pod=%3_%4(%5)")
                .arg(QString::number((pod.script.restartDelayMs + 999) / 1000), c.name, pod.name, pod.namespaceName,
                     pod.object.value(QLatin1String("metadata")).toObject().value(QLatin1String("uid")).toString());
    }
    // A restart always goes through the clock (never inline), so a zero-delay crash loop cannot recurse.
    c.timers.append(m_clock->schedule(jittered(pod, pod.script.restartDelayMs), this,
                                      [this, key = pod.key, serial = pod.serial, index, instance = c.instance] {
                                          Pod* p = find(key);
                                          if (!p || p->serial != serial || p->deleted)
                                              return;
                                          Container& container = p->containers[size_t(index)];
                                          if (container.instance != instance || container.done)
                                              return;
                                          container.restartCount++;
                                          startInstance(*p, index);
                                          flush(*p);
                                      }));
}

QString MockProvider::phase(const Pod& pod) const
{
    if (pod.deleted)
        return pod.deletedPhase;
    bool allDone = true;
    bool anyFailed = false;
    for (const Container& c : pod.containers) {
        if (c.state == Container::State::Creating)
            return QStringLiteral("Pending");
        allDone = allDone && c.done;
        anyFailed = anyFailed || (c.done && c.exitCode != 0);
    }
    if (allDone)
        return anyFailed ? QStringLiteral("Failed") : QStringLiteral("Succeeded");
    return QStringLiteral("Running");
}

void MockProvider::refreshConditions(Pod& pod)
{
    const QString currentPhase = phase(pod);
    const bool terminal = currentPhase == QLatin1String("Succeeded") || currentPhase == QLatin1String("Failed");
    QStringList unready;
    for (const Container& c : pod.containers)
        if (!c.ready)
            unready.append(c.name);
    Pod::Condition ready;
    if (terminal)
        ready = {QStringLiteral("False"), QStringLiteral("PodCompleted"), {}, {}};
    else if (!unready.isEmpty())
        ready = {QStringLiteral("False"),
                 QStringLiteral("ContainersNotReady"),
                 QStringLiteral("containers with unready status: [%1]").arg(unready.join(QLatin1Char(' '))),
                 {}};
    else
        ready = {QStringLiteral("True"), {}, {}, {}};
    Pod::Condition initialized = terminal
                                     ? Pod::Condition{QStringLiteral("True"), QStringLiteral("PodCompleted"), {}, {}}
                                     : Pod::Condition{QStringLiteral("True"), {}, {}, {}};
    const QDateTime now = m_clock->now();
    auto set = [&pod, &now](const QString& type, Pod::Condition wanted) {
        auto it = pod.conditions.find(type);
        if (it != pod.conditions.end() && it->status == wanted.status) {
            it->reason = wanted.reason;
            it->message = wanted.message;
            return;
        }
        wanted.since = now;
        pod.conditions.insert(type, wanted);
    };
    set(QStringLiteral("PodScheduled"), {QStringLiteral("True"), {}, {}, {}});
    set(QStringLiteral("Initialized"), initialized);
    set(QStringLiteral("ContainersReady"), ready);
    set(QStringLiteral("Ready"), ready);
}

QJsonObject MockProvider::status(const Pod& pod) const
{
    const QString hostIp =
        m_providerConfig.internalIp.isEmpty() ? QStringLiteral("1.2.3.4") : m_providerConfig.internalIp;
    QJsonArray conditions;
    for (const char* type : {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
        const auto it = pod.conditions.constFind(QLatin1String(type));
        if (it == pod.conditions.cend())
            continue;
        QJsonObject condition{{QStringLiteral("type"), QLatin1String(type)},
                              {QStringLiteral("status"), it->status},
                              {QStringLiteral("lastProbeTime"), QJsonValue::Null},
                              {QStringLiteral("lastTransitionTime"), json::formatTime(it->since)}};
        if (!it->reason.isEmpty())
            condition.insert(QStringLiteral("reason"), it->reason);
        if (!it->message.isEmpty())
            condition.insert(QStringLiteral("message"), it->message);
        conditions.append(condition);
    }
    QJsonArray containerStatuses;
    for (const Container& c : pod.containers) {
        QJsonObject state;
        switch (c.state) {
        case Container::State::Creating:
            state = {{QStringLiteral("waiting"),
                      QJsonObject{{QStringLiteral("reason"), QStringLiteral("ContainerCreating")}}}};
            break;
        case Container::State::Running:
            state = {
                {QStringLiteral("running"), QJsonObject{{QStringLiteral("startedAt"), json::formatTime(c.startedAt)}}}};
            break;
        case Container::State::Waiting:
            state = {{QStringLiteral("waiting"),
                      QJsonObject{{QStringLiteral("reason"), c.reason}, {QStringLiteral("message"), c.message}}}};
            break;
        case Container::State::Terminated: {
            QJsonObject terminated{{QStringLiteral("exitCode"), c.exitCode},
                                   {QStringLiteral("reason"), c.reason},
                                   {QStringLiteral("finishedAt"), json::formatTime(c.finishedAt)}};
            if (c.startedAt.isValid())
                terminated.insert(QStringLiteral("startedAt"), json::formatTime(c.startedAt));
            if (!c.message.isEmpty())
                terminated.insert(QStringLiteral("message"), c.message);
            if (!c.containerId.isEmpty())
                terminated.insert(QStringLiteral("containerID"), c.containerId);
            state = {{QStringLiteral("terminated"), terminated}};
            break;
        }
        }
        QJsonObject entry{{QStringLiteral("name"), c.name},
                          {QStringLiteral("image"), c.image},
                          {QStringLiteral("imageID"), c.instance > 0 ? imageId(c.image) : QString()},
                          {QStringLiteral("ready"), c.ready},
                          {QStringLiteral("started"), c.started},
                          {QStringLiteral("restartCount"), c.restartCount},
                          {QStringLiteral("state"), state},
                          {QStringLiteral("lastState"), c.lastState}};
        if (!c.containerId.isEmpty())
            entry.insert(QStringLiteral("containerID"), c.containerId);
        containerStatuses.append(entry);
    }
    QJsonObject status{
        {QStringLiteral("phase"), phase(pod)},
        {QStringLiteral("conditions"), conditions},
        {QStringLiteral("hostIP"), hostIp},
        {QStringLiteral("hostIPs"), QJsonArray{QJsonObject{{QStringLiteral("ip"), hostIp}}}},
        {QStringLiteral("startTime"), json::formatTime(pod.created)},
        {QStringLiteral("containerStatuses"), containerStatuses},
        {QStringLiteral("qosClass"),
         pod.object.value(QLatin1String("status"))
             .toObject()
             .value(QLatin1String("qosClass"))
             .toString(qosClass(
                 pod.object.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray()))}};
    if (pod.ipReported && !pod.podIp.isEmpty()) {
        status.insert(QStringLiteral("podIP"), pod.podIp);
        status.insert(QStringLiteral("podIPs"), QJsonArray{QJsonObject{{QStringLiteral("ip"), pod.podIp}}});
    }
    if (pod.deleted && pod.deletedPhase == QLatin1String("Succeeded")) {
        status.insert(QStringLiteral("reason"), QStringLiteral("MockProviderPodDeleted"));
        status.insert(QStringLiteral("message"), QStringLiteral("Mock provider deleted the pod"));
    }
    return status;
}

QJsonObject MockProvider::podObject(const Pod& pod) const
{
    QJsonObject object = pod.object;
    object.insert(QStringLiteral("status"), status(pod));
    return object;
}

void MockProvider::flush(Pod& pod)
{
    refreshConditions(pod);
    const QJsonObject current = status(pod);
    const quint64 digest = json::hash(current);
    if (digest == pod.lastPushed)
        return;
    pod.lastPushed = digest;
    QJsonObject object = pod.object; // as podObject(), without building the status twice
    object.insert(QStringLiteral("status"), current);
    Q_EMIT podStatusChanged(object);
}

void MockProvider::forget(const QString& key)
{
    const auto it = m_pods.find(key);
    if (it == m_pods.end())
        return;
    Pod& pod = *it->second;
    for (ScheduledCall& call : pod.timers)
        call.cancel();
    for (Container& c : pod.containers) {
        c.cancelTimers();
        for (LogBuffer* buffer : {c.current.data(), c.previous.data()}) {
            if (!buffer)
                continue;
            buffer->end(c.exitCode);
            buffer->deleteLater();
        }
    }
    releaseIp(pod.podIp);
    m_pods.erase(it);
}

QString MockProvider::allocateIp()
{
    constexpr int kPool = 256 * 254;
    for (int tries = 0; tries < kPool; ++tries) {
        const int index = m_nextIp;
        m_nextIp = (m_nextIp + 1) % kPool;
        if (m_usedIps.contains(index))
            continue;
        m_usedIps.insert(index);
        return QStringLiteral("10.244.%1.%2").arg(index / 254).arg(index % 254 + 1);
    }
    return {};
}

void MockProvider::releaseIp(const QString& ip)
{
    const QStringList parts = ip.split(QLatin1Char('.'));
    if (parts.size() == 4)
        m_usedIps.remove(parts[2].toInt() * 254 + parts[3].toInt() - 1);
}

// --- pods ---------------------------------------------------------------------------------------------------------

void MockProvider::createPod(const QJsonObject& object, QObject* context, Done done)
{
    const QString key = keyOf(object);
    if (find(key)) {
        updatePod(object, context, std::move(done));
        return;
    }
    const QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
    if (metadata.value(QLatin1String("name")).toString().isEmpty()) {
        done(Error::invalidInput(QStringLiteral("pod has no metadata.name")));
        return;
    }
    auto pod = std::make_unique<Pod>();
    pod->serial = ++m_serial;
    pod->key = key;
    pod->namespaceName = key.section(QLatin1Char('/'), 0, 0);
    pod->name = metadata.value(QLatin1String("name")).toString();
    pod->rng = fnv1a(key.toUtf8());
    Status applied = applySpec(*pod, object);
    if (!applied) {
        done(applied);
        return;
    }
    for (const QJsonValue& value :
         object.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray()) {
        Container c;
        c.spec = value.toObject();
        c.name = c.spec.value(QLatin1String("name")).toString();
        c.image = c.spec.value(QLatin1String("image")).toString();
        pod->containers.push_back(std::move(c));
    }
    pod->created = m_clock->now();
    pod->podIp = allocateIp();
    Pod& p = *pod;
    m_pods.emplace(key, std::move(pod));
    qCDebug(lcMock) << "created pod" << key << "ip" << p.podIp;
    runPod(p, jittered(p, p.script.pendingMs), [this](Pod& target) { createContainers(target); });
    flush(p);
    done(Status());
}

void MockProvider::updatePod(const QJsonObject& object, QObject*, Done done)
{
    const QString key = keyOf(object);
    Pod* pod = find(key);
    if (!pod) {
        done(Error::notFound(notKnown(key)));
        return;
    }
    Status applied = applySpec(*pod, object);
    if (!applied) {
        done(applied);
        return;
    }
    const QJsonArray containers =
        object.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray();
    for (const QJsonValue& value : containers) {
        const QJsonObject spec = value.toObject();
        const QString name = spec.value(QLatin1String("name")).toString();
        for (int i = 0; i < int(pod->containers.size()); ++i) {
            Container& c = pod->containers[size_t(i)];
            if (c.name != name)
                continue;
            c.spec = spec;
            const QString image = spec.value(QLatin1String("image")).toString();
            if (image == c.image)
                continue;
            c.image = image;
            // The kubelet kills and restarts a container whose image changed.
            if (!pod->deleted && !c.done && c.state != Container::State::Creating) {
                const bool running = c.state == Container::State::Running;
                if (running)
                    stopContainer(c, 0, QStringLiteral("Completed"), {});
                c.lastState = QJsonObject{{QStringLiteral("terminated"),
                                           QJsonObject{{QStringLiteral("exitCode"), c.exitCode},
                                                       {QStringLiteral("reason"), c.reason},
                                                       {QStringLiteral("startedAt"), json::formatTime(c.startedAt)},
                                                       {QStringLiteral("finishedAt"), json::formatTime(c.finishedAt)},
                                                       {QStringLiteral("containerID"), c.containerId}}}};
                c.restartCount++;
                startInstance(*pod, i);
            }
        }
    }
    flush(*pod);
    done(Status());
}

void MockProvider::deletePod(const QJsonObject& object, QObject*, Done done)
{
    const QString key = keyOf(object);
    Pod* pod = find(key);
    if (!pod) {
        done(Error::notFound(notKnown(key)));
        return;
    }
    const QString before = phase(*pod);
    for (ScheduledCall& call : pod->timers)
        call.cancel();
    for (Container& c : pod->containers) {
        if (c.state != Container::State::Terminated)
            stopContainer(c, 0, QStringLiteral("MockProviderPodContainerDeleted"),
                          QStringLiteral("Mock provider terminated container upon deletion"));
        c.done = true;
    }
    pod->deleted = true;
    pod->deletedPhase = before == QLatin1String("Failed") ? before : QStringLiteral("Succeeded");
    flush(*pod);
    qCDebug(lcMock) << "deleted pod" << key;
    forget(key);
    done(Status());
}

Result<QJsonObject> MockProvider::pod(const QString& namespaceName, const QString& name) const
{
    const QString key = namespaceName + QLatin1Char('/') + name;
    const Pod* p = find(key);
    if (!p)
        return Error::notFound(notKnown(key));
    return podObject(*p);
}

void MockProvider::getPod(const QString& namespaceName, const QString& name, QObject*, Callback<QJsonObject> done)
{
    done(pod(namespaceName, name));
}

void MockProvider::getPodStatus(const QString& namespaceName, const QString& name, QObject*, Callback<QJsonObject> done)
{
    const QString key = namespaceName + QLatin1Char('/') + name;
    const Pod* p = find(key);
    if (!p) {
        done(Error::notFound(notKnown(key)));
        return;
    }
    done(status(*p));
}

void MockProvider::listPods(QObject*, Callback<QList<QJsonObject>> done)
{
    QList<QJsonObject> pods;
    for (const auto& [key, p] : m_pods)
        pods.append(podObject(*p));
    done(pods);
}

// --- streams ---------------------------------------------------------------------------------------------------

Result<MockProvider::Pod*> MockProvider::findForStream(const QString& namespaceName, const QString& podName) const
{
    const QString key = namespaceName + QLatin1Char('/') + podName;
    Pod* p = find(key);
    if (!p)
        return Error::notFound(notKnown(key));
    return p;
}

Result<int> MockProvider::containerIndex(const Pod& pod, const QString& container) const
{
    if (container.isEmpty()) {
        if (pod.containers.size() == 1)
            return 0;
        QStringList names;
        for (const Container& c : pod.containers)
            names.append(c.name);
        return Error::badRequest(QStringLiteral("a container name must be specified for pod %1, choose one of: [%2]")
                                     .arg(pod.name, names.join(QLatin1Char(' '))));
    }
    for (int i = 0; i < int(pod.containers.size()); ++i)
        if (pod.containers[size_t(i)].name == container)
            return i;
    return Error::notFound(QStringLiteral("container %1 is not valid for pod %2").arg(container, pod.name));
}

Result<provider::LogStream*> MockProvider::containerLogs(const QString& namespaceName,
                                                         const QString& podName,
                                                         const QString& container,
                                                         const provider::LogOptions& options,
                                                         QObject* parent)
{
    Result<Pod*> p = findForStream(namespaceName, podName);
    if (!p)
        return p.error();
    Result<int> index = containerIndex(**p, container);
    if (!index)
        return index.error();
    const Container& c = (*p)->containers[size_t(*index)];
    if (options.previous) {
        if (!c.previous)
            return Error::badRequest(
                QStringLiteral("previous terminated container \"%1\" in pod \"%2\" not found").arg(c.name, podName));
        return new MockLogStream(c.previous, options, m_clock, parent);
    }
    if (!c.current)
        return Error::badRequest(QStringLiteral("container \"%1\" in pod \"%2\" is waiting to start: ContainerCreating")
                                     .arg(c.name, podName));
    return new MockLogStream(c.current, options, m_clock, parent);
}

Result<provider::ExecSession*> MockProvider::exec(const provider::ExecRequest& request, QObject* parent)
{
    Result<Pod*> p = findForStream(request.namespaceName, request.podName);
    if (!p)
        return p.error();
    Result<int> index = containerIndex(**p, request.container);
    if (!index)
        return index.error();
    const Pod& pod = **p;
    const Container& c = pod.containers[size_t(*index)];
    if (c.state != Container::State::Running)
        return Error::badRequest(QStringLiteral("container \"%1\" in pod \"%2\" is not running").arg(c.name, pod.key));
    ExecEnvironment environment;
    environment.namespaceName = pod.namespaceName;
    environment.podName = pod.name;
    environment.container = c.name;
    environment.podIp = pod.podIp;
    environment.clusterDomain = m_providerConfig.clusterDomain;
    environment.env.append(
        {QStringLiteral("PATH"), QStringLiteral("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")});
    environment.env.append({QStringLiteral("HOSTNAME"), pod.name});
    for (const QJsonValue& value : c.spec.value(QLatin1String("env")).toArray()) {
        const QJsonObject var = value.toObject();
        if (var.contains(QLatin1String("valueFrom")) && !var.contains(QLatin1String("value")))
            continue; // not resolved: the agent resolves env before createPod
        environment.env.append(
            {var.value(QLatin1String("name")).toString(), var.value(QLatin1String("value")).toString()});
    }
    environment.env.append({QStringLiteral("HOME"), QStringLiteral("/root")});
    return new MockExecSession(std::move(environment), request, m_clock, parent);
}

Result<provider::ExecSession*> MockProvider::attach(const provider::ExecRequest& request, QObject* parent)
{
    Result<Pod*> p = findForStream(request.namespaceName, request.podName);
    if (!p)
        return p.error();
    Result<int> index = containerIndex(**p, request.container);
    if (!index)
        return index.error();
    const Container& c = (*p)->containers[size_t(*index)];
    if (c.state != Container::State::Running || !c.current)
        return Error::badRequest(
            QStringLiteral("container \"%1\" in pod \"%2\" is not running").arg(c.name, (*p)->key));
    return new MockAttachSession(c.current, request, parent);
}

Result<provider::PortForwardStream*>
MockProvider::portForward(const QString& namespaceName, const QString& podName, quint16 port, QObject* parent)
{
    Result<Pod*> p = findForStream(namespaceName, podName);
    if (!p)
        return p.error();
    QStringList declared;
    bool listening = false;
    for (const Container& c : (*p)->containers)
        for (const QJsonValue& value : c.spec.value(QLatin1String("ports")).toArray()) {
            const int containerPort = value.toObject().value(QLatin1String("containerPort")).toInt();
            declared.append(QString::number(containerPort));
            listening = listening || containerPort == port;
        }
    if (!declared.isEmpty() && !listening)
        return Error::internal(QStringLiteral("failed to connect to localhost:%1 inside pod \"%2\": connection refused "
                                              "(the mock listens on the declared container ports: %3)")
                                   .arg(QString::number(port), (*p)->key, declared.join(QStringLiteral(", "))));
    return new MockPortForwardStream(parent);
}

// --- stats -----------------------------------------------------------------------------------------------------

void MockProvider::collectUsage(NodeUsage& node, QList<PodUsage>& pods) const
{
    const QDateTime now = m_clock->now();
    node.nodeName = m_providerConfig.nodeName;
    node.startTime = m_startTime;
    for (const auto& [key, p] : m_pods) {
        PodUsage pod;
        pod.name = p->name;
        pod.namespaceName = p->namespaceName;
        pod.uid = p->object.value(QLatin1String("metadata")).toObject().value(QLatin1String("uid")).toString();
        pod.startTime = p->created;
        for (const Container& c : p->containers) {
            if (c.state != Container::State::Running)
                continue;
            const quint64 seed = fnv1a(pod.uid.toUtf8() + '/' + key.toUtf8() + '/' + c.name.toUtf8());
            ContainerUsage usage;
            usage.name = c.name;
            usage.startTime = c.startedAt;
            usage.usageNanoCores = (5 + seed % 195) * 1000000ULL; // 5m..199m
            const qint64 runningMs = std::max<qint64>(0, c.startedAt.msecsTo(now));
            usage.usageCoreNanoSeconds = usage.usageNanoCores / 1000 * quint64(runningMs);
            usage.workingSetBytes = (16 + (seed >> 8) % 240) * 1024ULL * 1024ULL;
            usage.usageBytes = usage.workingSetBytes + ((seed >> 16) % 32) * 1024ULL * 1024ULL;
            node.usageNanoCores += usage.usageNanoCores;
            node.usageCoreNanoSeconds += usage.usageCoreNanoSeconds;
            node.workingSetBytes += usage.workingSetBytes;
            node.usageBytes += usage.usageBytes;
            pod.containers.append(usage);
        }
        pods.append(pod);
    }
    // The node itself: 50m and 256Mi of its own.
    node.usageNanoCores += 50000000ULL;
    node.usageCoreNanoSeconds += 50000ULL * quint64(std::max<qint64>(0, m_startTime.msecsTo(now)));
    node.workingSetBytes += 256ULL * 1024 * 1024;
    node.usageBytes += 320ULL * 1024 * 1024;
    const qint64 capacity = api::Quantity::parse(m_config.memory).valueOr({}).value();
    node.availableBytes = capacity > qint64(node.workingSetBytes) ? quint64(capacity) - node.workingSetBytes : 0;
}

void MockProvider::statsSummary(QObject*, Callback<QJsonObject> done)
{
    NodeUsage node;
    QList<PodUsage> pods;
    collectUsage(node, pods);
    done(statsSummaryJson(node, pods, m_clock->now()));
}

void MockProvider::metricsResource(QObject*, Callback<QByteArray> done)
{
    NodeUsage node;
    QList<PodUsage> pods;
    collectUsage(node, pods);
    done(metricsResourceText(node, pods, m_clock->now()));
}

// --- registry ----------------------------------------------------------------------------------------------------

void registerMockProvider()
{
    provider::ProviderRegistry::instance().registerProvider(
        QStringLiteral("mock"),
        QStringLiteral("Simulated pods with a scriptable lifecycle, logs, exec, attach, port-forward and metrics"),
        [](const provider::ProviderConfig& config) -> Result<std::unique_ptr<provider::Provider>> {
            Result<std::unique_ptr<MockProvider>> created = MockProvider::create(config);
            if (!created)
                return created.error();
            return std::unique_ptr<provider::Provider>(std::move(*created));
        });
}

} // namespace vk::mock
