// SPDX-License-Identifier: Apache-2.0
#include "pods/PodController.h"

#include "api/Patch.h"
#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kube/EventRecorder.h"
#include "kube/Informer.h"
#include "kube/WatchEvent.h"
#include "pods/Logging.h"
#include "pods/WorkQueue.h"
#include "provider/Provider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaMethod>

#include <algorithm>
#include <memory>

namespace vk::pods {

namespace {

using kube::GroupVersionResource;

const QLatin1String kMetadata("metadata");
const QLatin1String kSpec("spec");
const QLatin1String kStatus("status");

QJsonObject metaOf(const QJsonObject& pod)
{
    return pod.value(kMetadata).toObject();
}
QString nsOf(const QJsonObject& pod)
{
    return metaOf(pod).value(QLatin1String("namespace")).toString();
}
QString nameOf(const QJsonObject& pod)
{
    return metaOf(pod).value(QLatin1String("name")).toString();
}
QString uidOf(const QJsonObject& pod)
{
    return metaOf(pod).value(QLatin1String("uid")).toString();
}
QString rvOf(const QJsonObject& pod)
{
    return metaOf(pod).value(QLatin1String("resourceVersion")).toString();
}
QString keyOf(const QJsonObject& pod)
{
    return nsOf(pod) + QLatin1Char('/') + nameOf(pod);
}
QString phaseOf(const QJsonObject& pod)
{
    return pod.value(kStatus).toObject().value(QLatin1String("phase")).toString();
}
/// A phase as podPhaseChanged tells it: "Pending" before the pod has one.
QString orPending(const QString& phase)
{
    return phase.isEmpty() ? QStringLiteral("Pending") : phase;
}
bool isTerminalPhase(const QString& phase)
{
    return phase == QLatin1String("Succeeded") || phase == QLatin1String("Failed");
}
bool isDeleting(const QJsonObject& pod)
{
    return metaOf(pod).contains(QLatin1String("deletionTimestamp"));
}
QPair<QString, QString> splitKey(const QString& key)
{
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    return {key.left(slash), key.mid(slash + 1)};
}

QList<env::Dependency> dependenciesOf(const QJsonObject& pod)
{
    QList<env::Dependency> deps;
    const QString ns = nsOf(pod);
    auto add = [&](const QString& kind, const QJsonValue& ref) {
        const QString name = ref.toObject().value(QLatin1String("name")).toString();
        if (name.isEmpty())
            return;
        env::Dependency d{kind, ns, name};
        if (!deps.contains(d))
            deps.append(d);
    };
    const QJsonObject spec = pod.value(kSpec).toObject();
    for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
        const QJsonArray containers = spec.value(QLatin1String(list)).toArray();
        for (const QJsonValue& c : containers) {
            const QJsonObject container = c.toObject();
            const QJsonArray envFrom = container.value(QLatin1String("envFrom")).toArray();
            for (const QJsonValue& e : envFrom) {
                add(QStringLiteral("ConfigMap"), e.toObject().value(QLatin1String("configMapRef")));
                add(QStringLiteral("Secret"), e.toObject().value(QLatin1String("secretRef")));
            }
            const QJsonArray env = container.value(QLatin1String("env")).toArray();
            for (const QJsonValue& e : env) {
                const QJsonObject from = e.toObject().value(QLatin1String("valueFrom")).toObject();
                add(QStringLiteral("ConfigMap"), from.value(QLatin1String("configMapKeyRef")));
                add(QStringLiteral("Secret"), from.value(QLatin1String("secretKeyRef")));
            }
        }
    }
    return deps;
}

/// Every running container of `status` made terminated (upstream's sync-provider wrapper).
QJsonObject terminateContainers(
    QJsonObject status, const QString& reason, const QString& message, int exitCode, const QDateTime& now)
{
    QJsonArray statuses = status.value(QLatin1String("containerStatuses")).toArray();
    for (int i = 0; i < statuses.size(); ++i) {
        QJsonObject cs = statuses[i].toObject();
        const QJsonObject state = cs.value(QLatin1String("state")).toObject();
        if (state.contains(QLatin1String("terminated")))
            continue;
        QJsonObject terminated{{QStringLiteral("exitCode"), exitCode},
                               {QStringLiteral("reason"), reason},
                               {QStringLiteral("message"), message},
                               {QStringLiteral("finishedAt"), json::formatTime(now)}};
        const QJsonObject running = state.value(QLatin1String("running")).toObject();
        if (running.contains(QLatin1String("startedAt")))
            terminated.insert(QStringLiteral("startedAt"), running.value(QLatin1String("startedAt")));
        if (cs.contains(QLatin1String("containerID")))
            terminated.insert(QStringLiteral("containerID"), cs.value(QLatin1String("containerID")));
        cs.insert(QStringLiteral("state"), QJsonObject{{QStringLiteral("terminated"), terminated}});
        cs.insert(QStringLiteral("ready"), false);
        cs.insert(QStringLiteral("started"), false);
        statuses[i] = cs;
    }
    status.insert(QStringLiteral("containerStatuses"), statuses);
    return status;
}

bool hasRunningContainer(const QJsonObject& status)
{
    const QJsonArray statuses = status.value(QLatin1String("containerStatuses")).toArray();
    return std::any_of(statuses.begin(), statuses.end(), [](const QJsonValue& v) {
        return v.toObject().value(QLatin1String("state")).toObject().contains(QLatin1String("running"));
    });
}

QJsonObject parseObject(const QByteArray& json)
{
    return json.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(json).object();
}

bool isNotFound(const Error& e)
{
    return e.category() == ErrorCategory::NotFound;
}

} // namespace

PodController::PodController(kube::ApiClient* client,
                             provider::Provider* provider,
                             env::EnvResolver* env,
                             kube::EventRecorder* events,
                             Options options,
                             QObject* parent)
    : QObject(parent), m_client(client), m_provider(provider), m_env(env), m_events(events),
      m_options(std::move(options))
{
    if (!m_options.clock)
        m_options.clock = Clock::system();
    WorkQueue::Options q;
    q.maxConcurrent = m_options.workers;
    q.maxDelayMs = m_options.backoffCapMs;
    q.retryQps = m_options.retryQps;
    q.retryBurst = m_options.retryBurst;
    q.clock = m_options.clock;
    m_syncQueue = new WorkQueue([this](const QString& key, Done done) { syncPod(key, std::move(done)); }, q, this);
    m_statusQueue = new WorkQueue([this](const QString& key, Done done) { syncStatus(key, std::move(done)); }, q, this);
    m_syncQueue->pause();
    m_statusQueue->pause();
    m_push = m_provider->capabilities().testFlag(provider::Capability::PodStatusPush);
}

PodController::~PodController()
{
    if (m_eventsYielding)
        m_eventsYielding->setYieldWhile({});
    m_pollTimer.cancel();
    m_resyncTimer.cancel();
    for (auto& k : m_known)
        k.graceTimer.cancel();
}

void PodController::start()
{
    if (m_running)
        return;
    m_running = true;
    if (!m_informer) {
        kube::InformerOptions io;
        io.fieldSelector = QStringLiteral("spec.nodeName=") + m_options.nodeName;
        io.namespaceName = m_options.namespaceName; // --namespace: only this namespace's pods (empty: all)
        m_informer = new kube::Informer(m_client, GroupVersionResource::pods(), io, this);
        connect(m_informer, &kube::Informer::added, this, &PodController::onAdded);
        connect(m_informer, &kube::Informer::updated, this, &PodController::onUpdated);
        m_informer->setUpdateFilter([this](const QString& key, const QString& oldVersion, const QString& newVersion) {
            return onInformerUpdate(key, oldVersion, newVersion);
        });
        connect(m_informer, &kube::Informer::deleted, this, &PodController::onDeleted);
        connect(m_informer, &kube::Informer::synced, this, &PodController::onSynced);
        connect(m_informer, &kube::Informer::errorOccurred, this,
                [](const Error& e) { qCWarning(lcPods) << "pod informer:" << e.toString(); });
        if (m_push)
            connect(m_provider, &provider::Provider::podStatusChanged, this, &PodController::onProviderPod);
        if (m_env)
            connect(m_env, &env::EnvResolver::objectChanged, this, &PodController::onEnvObjectChanged);
        if (m_events) {
            // Pod status first: events (one write at a time anyway) wait while status writes are queued, at most
            // a second at a time, so that under a burst they do not take the server from the statuses.
            m_eventsYielding = m_events;
            m_events->setYieldWhile(
                [this] { return m_running && m_statusQueue->queuedLength() + m_statusQueue->processingLength() > 0; });
            connect(m_statusQueue, &WorkQueue::processed, this, [this] {
                if (m_eventsYielding && m_statusQueue->queuedLength() + m_statusQueue->processingLength() == 0)
                    m_eventsYielding->resume();
            });
        }
    }
    qCInfo(lcPods) << "starting pod controller for node" << m_options.nodeName
                   << (m_push ? "(provider pushes pod status)" : "(polling pod status)");
    m_informer->start();
    if (m_informer->hasSynced())
        onSynced();
}

void PodController::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_ready = false;
    m_reconciling = false;
    if (m_informer)
        m_informer->stop();
    m_pollTimer.cancel();
    m_resyncTimer.cancel();
    m_syncQueue->pause();
    m_statusQueue->pause();
    if (m_eventsYielding)
        m_eventsYielding->resume(); // nothing to yield to any more
    qCInfo(lcPods) << "pod controller stopped";
}

QList<QJsonObject> PodController::pods() const
{
    return m_informer ? m_informer->list() : QList<QJsonObject>();
}

int PodController::providerFailures(const QString& key) const
{
    return m_known.value(key).providerFailures;
}

bool PodController::podsEqual(const QJsonObject& a, const QJsonObject& b)
{
    const QJsonObject sa = a.value(kSpec).toObject();
    const QJsonObject sb = b.value(kSpec).toObject();
    const QJsonObject ma = metaOf(a);
    const QJsonObject mb = metaOf(b);
    const bool metaEqual =
        ma.value(QLatin1String("labels")).toObject() == mb.value(QLatin1String("labels")).toObject() &&
        ma.value(QLatin1String("annotations")).toObject() == mb.value(QLatin1String("annotations")).toObject();
    if (sa == sb)
        return metaEqual; // the same spec (a status update): nothing to compare order-insensitively
    // One rule for both: the compared fields, env lists in any order, are what fingerprint() digests.
    return metaEqual && fingerprint(a) == fingerprint(b);
}

QByteArray PodController::fingerprint(const QJsonObject& pod)
{
    // What podsEqual compares, hashed without building the normalized copy: env lists in any order (a multiset of
    // items), an empty env or envFrom list as none. Each step seeds the next hash with the hash so far.
    const auto containersHash = [](const QJsonValue& list, quint64 h) {
        for (const QJsonValue& c : list.toArray()) {
            const QJsonObject container = c.toObject();
            h = json::hash(QJsonValue(QJsonValue::Object), h); // a container starts
            for (auto it = container.constBegin(); it != container.constEnd(); ++it) {
                const bool isEnv = it.key() == QLatin1String("env");
                if ((isEnv || it.key() == QLatin1String("envFrom")) && it.value().toArray().isEmpty())
                    continue;
                h = json::hash(it.key(), h);
                if (isEnv) {
                    quint64 items = 0;
                    for (const QJsonValue& item : it.value().toArray())
                        items = json::unorderedCombine(items, json::hash(item));
                    h = json::hash(QJsonValue(QJsonValue::Array), h ^ items);
                } else {
                    h = json::hash(it.value(), h);
                }
            }
        }
        return h;
    };
    const QJsonObject spec = pod.value(kSpec).toObject();
    const QJsonObject meta = metaOf(pod);
    quint64 h = 0;
    for (const char* list : {"containers", "initContainers", "ephemeralContainers"})
        h = containersHash(spec.value(QLatin1String(list)), json::hash(QLatin1String(list), h));
    h = json::hash(spec.value(QLatin1String("activeDeadlineSeconds")), h);
    h = json::hash(spec.value(QLatin1String("tolerations")).toArray(), h);
    h = json::hash(meta.value(QLatin1String("labels")).toObject(), h);
    h = json::hash(meta.value(QLatin1String("annotations")).toObject(), h);
    return QByteArray(reinterpret_cast<const char*>(&h), sizeof h);
}

bool PodController::statusTerminated(const QJsonObject& status)
{
    if (isTerminalPhase(status.value(QLatin1String("phase")).toString()))
        return true;
    const QJsonArray statuses = status.value(QLatin1String("containerStatuses")).toArray();
    if (statuses.isEmpty())
        return false;
    return std::all_of(statuses.begin(), statuses.end(), [](const QJsonValue& v) {
        return v.toObject().value(QLatin1String("state")).toObject().contains(QLatin1String("terminated"));
    });
}

// --- informer ----------------------------------------------------------------------------------------------------

PodController::Known& PodController::known(const QString& key, const QJsonObject& pod)
{
    auto it = m_known.find(key);
    const QString uid = uidOf(pod);
    if (it != m_known.end() && !uid.isEmpty() && !it->uid.isEmpty() && it->uid != uid) {
        // A new pod with the same name: forget everything about the old one.
        it->graceTimer.cancel();
        m_known.erase(it);
        it = m_known.end();
    }
    if (it == m_known.end()) {
        it = m_known.insert(key, Known{});
        it->uid = uid;
    } else if (it->uid.isEmpty()) {
        it->uid = uid;
    }
    return *it;
}

void PodController::onAdded(const QJsonObject& pod)
{
    const QString key = keyOf(pod);
    Known& k = known(key, pod);
    k.apiDeleting = isDeleting(pod);
    k.apiRv = rvOf(pod);
    Q_EMIT podChanged(pod);
    Q_EMIT podPhaseChanged(key, orPending(phaseOf(pod)));
    if (m_ready)
        m_syncQueue->enqueue(key);
}

void PodController::onUpdated(const QJsonObject& oldPod, const QJsonObject& newPod)
{
    const QString key = keyOf(newPod);
    if (auto it = m_known.find(key); it != m_known.end() && it->unverified) {
        // oldPod is the version taken unverified (a relist's diff): it is compared with the one before it first.
        const Known::Unverified unverified = *std::exchange(it->unverified, std::nullopt);
        if (rvOf(oldPod) == unverified.version)
            onUpdated(parseObject(unverified.previousJson), oldPod);
    }
    Known& k = known(key, newPod);
    k.apiDeleting = isDeleting(newPod);
    k.apiRv = rvOf(newPod);
    // The version our last status write made (its answer came before its echo): nothing to compare.
    const bool isOwnEcho = k.overrideIsOurWrite && !k.overrideRv.isEmpty() && k.overrideRv == k.apiRv;
    if (!k.overrideRv.isEmpty() && k.overrideFromRv != k.apiRv) {
        // The informer moved on (our write's echo, or another version): it is the newest we know again.
        k.overrideFromRv.clear();
        k.overrideRv.clear();
        k.overrideStatus = {};
    }
    Q_EMIT podChanged(newPod);
    Q_EMIT podPhaseChanged(key, orPending(phaseOf(newPod)));
    if (!m_ready)
        return;
    const QJsonObject om = metaOf(oldPod);
    const QJsonObject nm = metaOf(newPod);
    const bool specChanged =
        !podsEqual(oldPod, newPod) ||
        om.value(QLatin1String("deletionTimestamp")) != nm.value(QLatin1String("deletionTimestamp")) ||
        om.value(QLatin1String("deletionGracePeriodSeconds")) !=
            nm.value(QLatin1String("deletionGracePeriodSeconds")) ||
        uidOf(oldPod) != uidOf(newPod);
    if (specChanged)
        m_syncQueue->enqueue(key);
    // Upstream #899: someone else changed the status; put the provider's back. The echo of our own last write
    // (the API's status is what we wrote) needs nothing.
    if (k.hasProviderStatus && newPod.value(kStatus) != oldPod.value(kStatus) && !isOwnEcho &&
        json::hash(newPod.value(kStatus)) != k.lastWrittenStatus)
        m_statusQueue->enqueue(key);
}

bool PodController::onInformerUpdate(const QString& key, const QString& oldVersion, const QString& newVersion)
{
    const auto it = m_known.find(key);
    if (it == m_known.end())
        return true;
    if (it->unverified) {
        settleUnverified(key); // a version after one taken unverified: that one is settled first
        return true;
    }
    if (isSignalConnected(QMetaMethod::fromSignal(&PodController::podChanged)))
        return true; // someone wants every version parsed
    if (it->apiRv != oldVersion)
        return true;
    if (it->overrideIsOurWrite && !it->overrideRv.isEmpty() && it->overrideRv == newVersion &&
        it->overrideFromRv == oldVersion) {
        // The answer came first and named this version.
        it->apiRv = newVersion;
        ownEchoTaken(key, *it);
        return false;
    }
    if (!it->writingFromRv.isEmpty() && it->writingFromRv == oldVersion) {
        // The echo before the answer (the server sends its watch events when the answer is written; which socket the
        // agent reads first is chance).
        it->unverified = Known::Unverified{newVersion, m_informer->getJson(key)};
        it->apiRv = newVersion;
        return false;
    }
    return true;
}

void PodController::settleWrite(const QString& key, const QString& uid, const Result<kube::RawResponse>& answer)
{
    const auto it = m_known.find(key);
    if (it == m_known.end() || it->uid != uid)
        return;
    it->writingFromRv.clear();
    if (!it->unverified)
        return;
    QString written;
    if (answer)
        written = parseObject(kube::WatchDecoder::memberObjectText(answer->body, QByteArrayView("metadata")))
                      .value(QLatin1String("resourceVersion"))
                      .toString();
    if (written.isEmpty() || written != it->unverified->version)
        return settleUnverified(key);
    it->unverified.reset(); // confirmed: the version taken unparsed is our write's
    ownEchoTaken(key, *it);
}

void PodController::ownEchoTaken(const QString& key, Known& k)
{
    // As onUpdated for an echo, with nothing to compare: the informer has the version our write made (k.apiRv), the
    // newest we know again.
    ++m_ownEchoesTakenUnparsed;
    if (k.overrideFromRv != k.apiRv) {
        k.overrideFromRv.clear();
        k.overrideRv.clear();
        k.overrideStatus = {};
    }
    Q_EMIT podPhaseChanged(key, orPending(k.lastWrittenPhase));
}

void PodController::settleUnverified(const QString& key)
{
    const auto it = m_known.find(key);
    if (it == m_known.end() || !it->unverified)
        return;
    const Known::Unverified unverified = *std::exchange(it->unverified, std::nullopt);
    const QJsonObject taken = m_informer->get(key);
    if (taken.isEmpty() || rvOf(taken) != unverified.version)
        return; // the informer has moved on (deleted, relisted): its own signals told about that
    onUpdated(parseObject(unverified.previousJson), taken);
}

void PodController::onDeleted(const QJsonObject& pod)
{
    const QString key = keyOf(pod);
    auto it = m_known.find(key);
    if (it != m_known.end()) {
        it->graceTimer.cancel();
        it->unverified.reset(); // the deletion is what counts now
    }
    Q_EMIT podRemoved(nsOf(pod), nameOf(pod));
    if (m_ready)
        m_syncQueue->enqueue(key);
}

void PodController::onSynced()
{
    if (!m_running || m_ready || m_reconciling)
        return;
    m_reconciling = true;
    qCInfo(lcPods) << "pod informer synced:" << m_informer->size() << "pods on node" << m_options.nodeName;
    reconcileProvider([this] {
        if (!m_running)
            return;
        m_reconciling = false;
        becomeReady();
    });
}

void PodController::reconcileProvider(std::function<void()> then)
{
    m_provider->listPods(this, [this, then](Result<QList<QJsonObject>> listed) {
        if (!m_running)
            return;
        if (!listed) {
            qCWarning(lcPods) << "startup reconcile: listing the provider's pods failed:" << listed.error().toString();
            then();
            return;
        }
        auto pending = std::make_shared<int>(1);
        auto finishOne = [pending, then] {
            if (--*pending == 0)
                then();
        };
        for (const QJsonObject& providerPod : listed.value()) {
            const QString key = keyOf(providerPod);
            // With --namespace the informer sees one namespace: pods of others are not ours to judge.
            if (!m_options.namespaceName.isEmpty() &&
                providerPod.value(QLatin1String("metadata")).toObject().value(QLatin1String("namespace")).toString() !=
                    m_options.namespaceName)
                continue;
            const QJsonObject apiPod = m_informer->get(key);
            const QString apiUid = uidOf(apiPod);
            const QString providerUid = uidOf(providerPod);
            if (!apiPod.isEmpty() && (apiUid.isEmpty() || providerUid.isEmpty() || apiUid == providerUid)) {
                Known& k = known(key, apiPod);
                k.inProvider = true;
                if (providerPod.contains(kStatus)) {
                    // Status changes while no agent was running reach the API too (statuses are queued at ready).
                    k.providerStatus = providerPod.value(kStatus).toObject();
                    k.providerStatusHash = json::hash(k.providerStatus);
                    k.hasProviderStatus = true;
                }
                continue;
            }
            ++*pending;
            qCInfo(lcPods) << "startup reconcile: deleting" << key << "from the provider (not in the API)";
            m_provider->deletePod(providerPod, this, [this, key, finishOne](Status s) {
                if (!s && !isNotFound(s.error()))
                    qCWarning(lcPods) << "startup reconcile: deleting" << key << "failed:" << s.error().toString();
                else
                    Q_EMIT activity(QStringLiteral("Deleted dangling pod %1 from the provider").arg(key));
                finishOne();
            });
        }
        finishOne();
    });
}

void PodController::becomeReady()
{
    m_ready = true;
    const QStringList keys = m_informer->keys();
    for (const QString& key : keys) {
        m_syncQueue->enqueue(key);
        if (m_known.value(key).hasProviderStatus)
            m_statusQueue->enqueue(key);
    }
    m_syncQueue->resume();
    m_statusQueue->resume();
    if (!m_push)
        schedulePoll();
    scheduleResync();
    qCInfo(lcPods) << "pod controller ready:" << keys.size() << "pods";
    Q_EMIT activity(QStringLiteral("Pod controller ready (%1 pods)").arg(keys.size()));
    Q_EMIT ready();
}

void PodController::scheduleResync()
{
    if (m_options.fullResyncPeriodMs <= 0)
        return;
    m_resyncTimer = m_options.clock->schedule(m_options.fullResyncPeriodMs, this, [this] {
        if (!m_ready)
            return;
        const QStringList keys = m_informer->keys();
        for (const QString& key : keys) {
            m_syncQueue->enqueue(key);
            if (m_known.value(key).hasProviderStatus)
                m_statusQueue->enqueue(key);
        }
        scheduleResync();
    });
}

// --- spec sync ---------------------------------------------------------------------------------------------------

void PodController::syncPod(const QString& key, Done done)
{
    if (!m_running) {
        done({});
        return;
    }
    const QJsonObject pod = m_informer->get(key);
    if (pod.isEmpty()) {
        syncGone(key, std::move(done));
        return;
    }
    known(key, pod);
    if (isDeleting(pod)) {
        syncDeleting(key, pod, std::move(done));
        return;
    }
    if (isTerminalPhase(phaseOf(pod))) {
        qCDebug(lcPods) << "skipping sync of" << key << "in phase" << phaseOf(pod);
        done({});
        return;
    }
    createOrUpdate(key, pod, std::move(done));
}

void PodController::syncGone(const QString& key, Done done)
{
    const auto [ns, name] = splitKey(key);
    auto cleanup = [this, key] {
        if (m_informer->contains(key))
            return; // a new pod of that name arrived meanwhile
        if (auto it = m_known.find(key); it != m_known.end()) {
            it->graceTimer.cancel();
            m_known.erase(it);
        }
        m_syncQueue->forget(key);
        m_statusQueue->forget(key);
        if (m_env)
            m_env->release(key);
    };
    m_provider->getPod(ns, name, this, [this, key, cleanup, done](Result<QJsonObject> got) {
        if (!got) {
            if (isNotFound(got.error())) {
                cleanup();
                done({});
            } else {
                done(got.error());
            }
            return;
        }
        m_provider->deletePod(got.value(), this, [this, key, cleanup, done](Status s) {
            if (!s && !isNotFound(s.error())) {
                qCWarning(lcPods) << "deleting" << key << "from the provider failed:" << s.error().toString();
                done(s);
                return;
            }
            qCInfo(lcPods) << "deleted" << key << "from the provider";
            Q_EMIT activity(QStringLiteral("Deleted pod %1 from the provider").arg(key));
            cleanup();
            done({});
        });
    });
}

void PodController::syncDeleting(const QString& key, const QJsonObject& pod, Done done)
{
    Known& k = m_known[key];
    const qint64 graceMs = metaOf(pod).value(QLatin1String("deletionGracePeriodSeconds")).toInteger(0) * 1000;
    auto armGrace = [this, key, graceMs] {
        Known& kk = m_known[key];
        const qint64 deadline = m_options.clock->monotonicMs() + graceMs;
        if (kk.graceDeadlineMs >= 0 && kk.graceDeadlineMs <= deadline)
            return;
        kk.graceTimer.cancel();
        kk.graceDeadlineMs = deadline;
        kk.graceTimer = m_options.clock->schedule(graceMs, this, [this, key] {
            auto it = m_known.find(key);
            if (it == m_known.end())
                return;
            it->graceExpired = true;
            qCInfo(lcPods) << "grace period of" << key << "expired: force deleting";
            m_syncQueue->enqueue(key);
        });
    };
    auto checkTerminated = [this, key, done](const QJsonObject& podNow) {
        Known& kk = m_known[key];
        if (kk.graceExpired || statusTerminated(kk.providerStatus)) {
            finishDeletion(key, podNow, done);
            return;
        }
        const auto [ns, name] = splitKey(key);
        m_provider->getPodStatus(ns, name, this, [this, key, done](Result<QJsonObject> status) {
            const QJsonObject current = m_informer->get(key);
            if (current.isEmpty()) {
                done({});
                return;
            }
            if (!status) {
                if (isNotFound(status.error()))
                    finishDeletion(key, current, done); // the provider has nothing left of it
                else
                    done({}); // push, poll or the grace period will tell
                return;
            }
            storeProviderStatus(key, status.value());
            if (statusTerminated(status.value()))
                finishDeletion(key, current, done);
            else
                done({});
        });
    };
    if (k.deleteRequested) {
        armGrace(); // a shorter grace period (delete --grace-period=0 --force) moves the deadline
        checkTerminated(pod);
        return;
    }
    m_provider->deletePod(pod, this, [this, key, pod, armGrace, checkTerminated, done](Status s) {
        if (!s && !isNotFound(s.error())) {
            record(pod, QStringLiteral("Warning"), QStringLiteral("ProviderDeleteFailed"), s.error().message());
            done(s);
            return;
        }
        record(pod, QStringLiteral("Normal"), QStringLiteral("ProviderDeleteSuccess"),
               QStringLiteral("Delete pod in provider successfully"));
        m_known[key].deleteRequested = true;
        if (!s) {
            finishDeletion(key, pod, done); // the provider never had it
            return;
        }
        armGrace();
        checkTerminated(m_informer->contains(key) ? m_informer->get(key) : pod);
    });
}

void PodController::finishDeletion(const QString& key, const QJsonObject& pod, Done done)
{
    Known& k = m_known[key];
    const ApiVersion base = apiVersion(key, pod);
    const QJsonObject& apiStatus = base.status;
    QJsonObject finalStatus;
    const QJsonObject providerStatus = k.providerStatus;
    if (statusTerminated(providerStatus)) {
        finalStatus = providerStatus;
    } else if (hasRunningContainer(apiStatus)) {
        // No terminal status from the provider (gone, or the grace period expired): as upstream's wrapper does.
        finalStatus = terminateContainers(
            apiStatus, QStringLiteral("Terminated"),
            QStringLiteral("Container was terminated. The exit code may not reflect the real exit code"), 0,
            m_options.clock->now());
        finalStatus.insert(QStringLiteral("phase"), QStringLiteral("Succeeded"));
        finalStatus.insert(QStringLiteral("reason"), QStringLiteral("Terminated"));
    }
    if (!finalStatus.isEmpty() && apiStatus.contains(QLatin1String("qosClass")) &&
        !finalStatus.contains(QLatin1String("qosClass")))
        finalStatus.insert(QStringLiteral("qosClass"), apiStatus.value(QLatin1String("qosClass")));

    const QString uid = uidOf(pod);
    auto removeFromApi = [this, key, uid, done] {
        const auto [ns, name] = splitKey(key);
        kube::DeleteOptions options;
        options.gracePeriodSeconds = 0;
        options.preconditionUid = uid;
        write("DELETE", GroupVersionResource::pods().path(ns, name), json::compact(options.toJson()),
              QByteArrayLiteral("application/json"), [this, key, done](Status r) {
                  if (!r && r.error().category() != ErrorCategory::NotFound &&
                      r.error().category() != ErrorCategory::Conflict) {
                      qCWarning(lcPods) << "deleting" << key << "from the API failed:" << r.error().toString();
                      done(r.error());
                      return;
                  }
                  if (!r)
                      qCDebug(lcPods) << "deleting" << key << ":" << r.error().toString() << "(fine)";
                  qCInfo(lcPods) << "pod" << key << "terminated; deleted it from the API";
                  Q_EMIT activity(QStringLiteral("Pod %1 terminated and was deleted").arg(key));
                  done({});
              });
    };
    if (finalStatus.isEmpty() || finalStatus == apiStatus ||
        isTerminalPhase(apiStatus.value(QLatin1String("phase")).toString())) {
        removeFromApi();
        return;
    }
    const bool sent = patchStatus(pod, base, finalStatus, [key, removeFromApi, done](Status r) {
        if (!r) {
            if (r.error().category() == ErrorCategory::NotFound) {
                done({});
                return;
            }
            if (r.error().category() == ErrorCategory::Conflict) {
                done(r.error()); // retried on the version read back
                return;
            }
            qCWarning(lcPods) << "writing the terminal status of" << key << "failed:" << r.error().toString();
        }
        removeFromApi();
    });
    if (!sent)
        removeFromApi();
}

void PodController::createOrUpdate(const QString& key, const QJsonObject& pod, Done done)
{
    Known& k = m_known[key];
    env::PodAddresses addresses;
    addresses.hostIp = m_options.hostIp;
    addresses.nodeAllocatable = m_options.nodeAllocatable;
    const QJsonObject& providerStatus = k.providerStatus;
    const QJsonArray podIps = providerStatus.value(QLatin1String("podIPs")).toArray();
    for (const QJsonValue& ip : podIps)
        addresses.podIps << ip.toObject().value(QLatin1String("ip")).toString();
    if (addresses.podIps.isEmpty() && !providerStatus.value(QLatin1String("podIP")).toString().isEmpty())
        addresses.podIps << providerStatus.value(QLatin1String("podIP")).toString();

    auto withEnv = [this, key, pod, done](Result<QJsonObject> resolvedOr) {
        if (!m_running) {
            done({});
            return;
        }
        Known& kk = known(key, pod);
        if (!resolvedOr) {
            kk.envBlocked = true;
            kk.waitsOn = dependenciesOf(pod);
            qCInfo(lcPods) << "pod" << key << "waits for its environment:" << resolvedOr.error().message();
            Q_EMIT activity(QStringLiteral("Pod %1 waits: %2").arg(key, resolvedOr.error().message()));
            done(resolvedOr.error());
            return;
        }
        kk.envBlocked = false;
        kk.waitsOn.clear();
        const QJsonObject resolved = resolvedOr.value();
        if (kk.inProvider && !kk.lastSent.isEmpty() && kk.lastSent == fingerprint(resolved)) {
            done({});
            return;
        }
        const auto [ns, name] = splitKey(key);
        m_provider->getPod(ns, name, this, [this, key, pod, resolved, done](Result<QJsonObject> existing) {
            if (!existing && !isNotFound(existing.error())) {
                done(existing.error());
                return;
            }
            if (existing) {
                Known& k3 = m_known[key];
                k3.inProvider = true;
                if (podsEqual(existing.value(), resolved)) {
                    k3.lastSent = fingerprint(resolved);
                    done({});
                    return;
                }
                m_provider->updatePod(resolved, this, [this, key, pod, resolved, done](Status s) {
                    if (!s) {
                        record(pod, QStringLiteral("Warning"), QStringLiteral("ProviderUpdateFailed"),
                               s.error().message());
                        providerFailed(key, pod, s.error(), done);
                        return;
                    }
                    record(pod, QStringLiteral("Normal"), QStringLiteral("ProviderUpdateSuccess"),
                           QStringLiteral("Update pod in provider successfully"));
                    Known& k4 = m_known[key];
                    k4.lastSent = fingerprint(resolved);
                    k4.providerFailures = 0;
                    done({});
                });
                return;
            }
            const quint64 statusesBefore = m_known[key].statusesStored;
            m_provider->createPod(resolved, this, [this, key, pod, resolved, done, statusesBefore](Status s) {
                if (!s) {
                    record(pod, QStringLiteral("Warning"), QStringLiteral("ProviderCreateFailed"), s.error().message());
                    providerFailed(key, pod, s.error(), done);
                    return;
                }
                record(pod, QStringLiteral("Normal"), QStringLiteral("ProviderCreateSuccess"),
                       QStringLiteral("Create pod in provider successfully"));
                Known& k4 = m_known[key];
                k4.lastSent = fingerprint(resolved);
                k4.inProvider = true;
                k4.providerFailures = 0;
                qCInfo(lcPods) << "created" << key << "in the provider";
                Q_EMIT activity(QStringLiteral("Created pod %1 in the provider").arg(key));
                if (k4.statusesStored == statusesBefore)
                    fetchStatusAfterCreate(key); // the provider pushed none while creating: ask for it
                done({});
            });
        });
    };
    if (m_env)
        m_env->resolve(pod, addresses, this, withEnv);
    else
        withEnv(pod);
}

void PodController::providerFailed(const QString& key, const QJsonObject& pod, const Error& error, Done done)
{
    Known& k = m_known[key];
    k.providerFailures += 1;
    qCWarning(lcPods) << "provider failed on" << key << "( attempt" << k.providerFailures << "):" << error.toString();
    if (k.providerFailures < m_options.providerFailedAfter) {
        done(error);
        return;
    }
    const QJsonObject current = m_informer->contains(key) ? m_informer->get(key) : pod;
    const ApiVersion base = apiVersion(key, current);
    const QJsonObject& apiStatus = base.status;
    if (isTerminalPhase(apiStatus.value(QLatin1String("phase")).toString())) {
        done(error); // someone else finished the pod: its terminal status stays
        return;
    }
    QJsonObject status = apiStatus;
    const bool never =
        current.value(kSpec).toObject().value(QLatin1String("restartPolicy")).toString() == QLatin1String("Never");
    status.insert(QStringLiteral("phase"), never ? QStringLiteral("Failed") : QStringLiteral("Pending"));
    status.insert(QStringLiteral("reason"), QStringLiteral("ProviderFailed"));
    status.insert(QStringLiteral("message"), error.message());
    if (status == apiStatus) {
        done(error);
        return;
    }
    record(current, QStringLiteral("Warning"), QStringLiteral("ProviderFailed"), error.message());
    const bool sent = patchStatus(current, base, status, [key, error, done](Status r) {
        if (!r)
            qCWarning(lcPods) << "writing the ProviderFailed status of" << key << "failed:" << r.error().toString();
        done(error);
    });
    if (!sent)
        done(error);
}

void PodController::fetchStatusAfterCreate(const QString& key)
{
    const auto [ns, name] = splitKey(key);
    m_provider->getPodStatus(ns, name, this, [this, key](Result<QJsonObject> status) {
        if (status)
            storeProviderStatus(key, status.value());
    });
}

// --- status write-back -------------------------------------------------------------------------------------------

void PodController::onProviderPod(const QJsonObject& providerPod)
{
    const QString key = keyOf(providerPod);
    if (!m_informer || !m_informer->contains(key)) {
        qCDebug(lcPods) << "status of" << key << "from the provider: not a pod of this node (any more)";
        return;
    }
    const auto kit = m_known.constFind(key); // kept current by the informer's added/updated
    const QString apiUid = kit != m_known.cend() ? kit->uid : uidOf(m_informer->get(key));
    const QString providerUid = uidOf(providerPod);
    if (!apiUid.isEmpty() && !providerUid.isEmpty() && apiUid != providerUid)
        return;
    storeProviderStatus(key, providerPod.value(kStatus).toObject());
}

void PodController::storeProviderStatus(const QString& key, const QJsonObject& status)
{
    if (!m_informer->contains(key))
        return;
    // m_known follows the informer's added/updated (uid, deletion), so the pod need not be read (parsed) here.
    auto it = m_known.find(key);
    Known& k = it != m_known.end() ? *it : known(key, m_informer->get(key));
    // Kept as the object (no text to make and parse back for the write); a report is compared by its digest.
    const quint64 digest = json::hash(status);
    if (k.hasProviderStatus ? k.providerStatusHash == digest : status.isEmpty())
        return;
    k.inProvider = true;
    k.providerStatus = status;
    k.providerStatusHash = digest;
    k.hasProviderStatus = true;
    ++k.statusesStored;
    if (!m_ready)
        return;
    m_statusQueue->enqueue(key);
    if (k.apiDeleting && k.deleteRequested && statusTerminated(status))
        m_syncQueue->enqueue(key);
}

void PodController::syncStatus(const QString& key, Done done)
{
    if (!m_running) {
        done({});
        return;
    }
    const auto it = m_known.constFind(key);
    if (it == m_known.constEnd() || !it->hasProviderStatus) {
        done({});
        return;
    }
    // Only metadata and status are needed: the spec (most of a pod) is skipped, not parsed.
    const QJsonObject pod = podHead(key);
    if (pod.isEmpty()) {
        done({});
        return;
    }
    const ApiVersion base = apiVersion(key, pod);
    const QJsonObject& apiStatus = base.status;
    if (isTerminalPhase(apiStatus.value(QLatin1String("phase")).toString())) {
        done({}); // a terminal status in the API is never overwritten
        return;
    }
    QJsonObject status = it->providerStatus;
    if (isDeleting(pod) && it->deleteRequested && statusTerminated(status)) {
        // The deletion writes this terminal status itself right before it deletes the pod (finishDeletion).
        done({});
        return;
    }
    std::optional<quint64> statusHash = it->providerStatusHash; // unless qosClass is added below
    if (apiStatus.contains(QLatin1String("qosClass")) && !status.contains(QLatin1String("qosClass"))) {
        status.insert(QStringLiteral("qosClass"), apiStatus.value(QLatin1String("qosClass")));
        statusHash.reset();
    }
    if (status == apiStatus) {
        done({});
        return;
    }
    const bool sent = patchStatus(
        pod, base, status,
        [key, done](Status r) {
            if (!r && r.error().category() != ErrorCategory::NotFound) {
                // A 409 is retried through the queue on the version read back (left alone if that one is terminal).
                qCDebug(lcPods) << "status write of" << key << "failed:" << r.error().toString();
                done(r.error());
                return;
            }
            done({});
        },
        statusHash);
    if (!sent)
        done({});
}

void PodController::write(
    const QByteArray& method, const QString& path, const QByteArray& body, const QByteArray& contentType, Done done)
{
    m_client->request(method, path, {}, body, contentType, {}, this, [done](Result<kube::RawResponse> r) {
        if (!r) {
            done(r.error());
            return;
        }
        done({});
    });
}

QJsonObject PodController::podHead(const QString& key) const
{
    const QByteArray json = m_informer->getJson(key);
    if (json.isEmpty())
        return {};
    return QJsonObject{{kMetadata, parseObject(kube::WatchDecoder::memberObjectText(json, QByteArrayView("metadata")))},
                       {kStatus, parseObject(kube::WatchDecoder::memberObjectText(json, QByteArrayView("status")))}};
}

PodController::ApiVersion PodController::apiVersion(const QString& key, const QJsonObject& pod) const
{
    ApiVersion v{rvOf(pod), pod.value(kStatus).toObject()};
    const auto it = m_known.constFind(key);
    if (it != m_known.cend() && !it->overrideRv.isEmpty() && it->overrideFromRv == v.resourceVersion &&
        it->uid == uidOf(pod)) {
        v.resourceVersion = it->overrideRv;
        v.status = it->overrideStatus;
    }
    return v;
}

bool PodController::patchStatus(const QJsonObject& pod,
                                const ApiVersion& base,
                                const QJsonObject& status,
                                Done done,
                                std::optional<quint64> statusHash)
{
    // As the kubelet: a two-way merge patch from the status the API has to the new one (merge patch replaces lists
    // wholesale, which is right for conditions and containerStatuses), with the UID and the resourceVersion the
    // diff was made from as preconditions: a write based on a version someone else has since changed (a terminal
    // status the watch has not delivered yet) is refused with 409 instead of rewriting fields of it.
    const QJsonObject patch = api::patch::createMergePatch(base.status, status);
    if (patch.isEmpty())
        return false;
    QJsonObject body{{QStringLiteral("status"), patch}};
    const QString uid = uidOf(pod);
    QJsonObject meta;
    if (!uid.isEmpty())
        meta.insert(QStringLiteral("uid"), uid);
    if (!base.resourceVersion.isEmpty())
        meta.insert(QStringLiteral("resourceVersion"), base.resourceVersion);
    if (!meta.isEmpty())
        body.insert(kMetadata, meta);
    const QString key = keyOf(pod);
    // What the API will have once this is written: its echo in the watch needs no status sync (see onUpdated).
    // Recorded when sent, as the echo may come before the answer; a failed write is never echoed.
    if (auto it = m_known.find(key); it != m_known.end() && (uid.isEmpty() || it->uid == uid)) {
        it->lastWrittenStatus = statusHash ? *statusHash : json::hash(status);
        it->lastWrittenPhase = status.value(QLatin1String("phase")).toString();
    }
    const QString informerRv = rvOf(pod);
    if (auto it = m_known.find(key); it != m_known.end())
        it->writingFromRv = informerRv;
    m_client->request("PATCH", GroupVersionResource::pods().path(nsOf(pod), nameOf(pod), QStringLiteral("status")), {},
                      json::compact(body), kube::patchContentType(kube::PatchType::Merge), {}, this,
                      [this, key, uid, informerRv, written = status, done](Result<kube::RawResponse> r) {
                          settleWrite(key, uid, r);
                          if (!r) {
                              if (r.error().category() == ErrorCategory::Conflict && m_running)
                                  refreshAfterConflict(key, uid, r.error(), done);
                              else
                                  done(r.error());
                              return;
                          }
                          // Until the informer delivers this version (or another), the next write of this pod starts
                          // from it: our own consecutive writes do not conflict with each other while the watch lags.
                          auto it = m_known.find(key);
                          if (it != m_known.end() && it->uid == uid && it->apiRv == informerRv) {
                              const QJsonObject meta = parseObject(
                                  kube::WatchDecoder::memberObjectText(r->body, QByteArrayView("metadata")));
                              const QString rv = meta.value(QLatin1String("resourceVersion")).toString();
                              if (!rv.isEmpty() && rv != informerRv) {
                                  it->overrideFromRv = informerRv;
                                  it->overrideRv = rv;
                                  it->overrideStatus = written;
                                  it->overrideIsOurWrite = true;
                              }
                          }
                          done({});
                      });
    return true;
}

void PodController::refreshAfterConflict(const QString& key, const QString& uid, const Error& conflict, Done done)
{
    const auto [ns, name] = splitKey(key);
    m_client->get(GroupVersionResource::pods(), ns, name, this,
                  [this, key, uid, conflict, done](Result<QJsonObject> fresh) {
                      if (!fresh) {
                          done(fresh.error()); // NotFound: gone, nothing to write
                          return;
                      }
                      auto it = m_known.find(key);
                      if (it == m_known.end() || (!uid.isEmpty() && uidOf(fresh.value()) != uid)) {
                          // Replaced by a new pod of that name: the informer brings it.
                          done(Error::notFound(conflict.message()));
                          return;
                      }
                      const QString rv = rvOf(fresh.value());
                      qCDebug(lcPods) << "status write of" << key << "conflicted; read back version" << rv;
                      if (rv != it->apiRv) {
                          it->overrideFromRv = it->apiRv;
                          it->overrideRv = rv;
                          it->overrideStatus = fresh->value(kStatus).toObject();
                          it->overrideIsOurWrite = false;
                      }
                      done(conflict);
                  });
}

void PodController::schedulePoll()
{
    m_pollTimer = m_options.clock->schedule(m_options.statusPollIntervalMs, this, [this] {
        if (!m_ready)
            return;
        pollStatuses();
        schedulePoll();
    });
}

void PodController::pollStatuses()
{
    const QList<QJsonObject> pods = m_informer->list();
    for (const QJsonObject& pod : pods) {
        if (isTerminalPhase(phaseOf(pod)))
            continue;
        const QString key = keyOf(pod);
        const auto it = m_known.constFind(key);
        if (it == m_known.constEnd() || (!it->inProvider && !it->deleteRequested))
            continue;
        m_provider->getPodStatus(nsOf(pod), nameOf(pod), this, [this, key](Result<QJsonObject> status) {
            const QJsonObject current = m_informer->get(key);
            auto kit = m_known.find(key);
            if (current.isEmpty() || kit == m_known.end())
                return;
            if (status) {
                storeProviderStatus(key, status.value());
                return;
            }
            if (!isNotFound(status.error())) {
                qCDebug(lcPods) << "polling the status of" << key << "failed:" << status.error().toString();
                return;
            }
            if (kit->deleteRequested || isDeleting(current)) {
                m_syncQueue->enqueue(key); // gone from the provider: finish the deletion
                return;
            }
            // Upstream: a pod the provider lost is Failed/NotFound, its running containers terminated with -137.
            QJsonObject lost = terminateContainers(current.value(kStatus).toObject(), QStringLiteral("NotFound"),
                                                   QStringLiteral("Container was not found and was likely deleted"),
                                                   -137, m_options.clock->now());
            lost.insert(QStringLiteral("phase"), QStringLiteral("Failed"));
            lost.insert(QStringLiteral("reason"), QStringLiteral("NotFound"));
            lost.insert(QStringLiteral("message"),
                        QStringLiteral("The pod status was not found and may have been deleted from the provider"));
            storeProviderStatus(key, lost);
        });
    }
}

void PodController::onEnvObjectChanged(const env::Dependency& object)
{
    for (auto it = m_known.begin(); it != m_known.end(); ++it) {
        if (it->envBlocked && it->waitsOn.contains(object)) {
            qCInfo(lcPods) << object.kind << object.namespaceName + QLatin1Char('/') + object.name
                           << "changed: retrying" << it.key();
            m_syncQueue->forget(it.key());
            if (m_ready)
                m_syncQueue->enqueue(it.key());
        }
    }
}

void PodController::record(const QJsonObject& pod, const QString& type, const QString& reason, const QString& message)
{
    if (m_events)
        m_events->record(pod, type, reason, message);
    Q_EMIT activity(QStringLiteral("%1 %2: %3").arg(reason, keyOf(pod), message));
}

} // namespace vk::pods
