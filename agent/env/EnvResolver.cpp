// SPDX-License-Identifier: Apache-2.0
#include "env/EnvResolver.h"

#include "env/EnvDetail.h"
#include "env/Logging.h"
#include "kube/ApiClient.h"
#include "kube/EventRecorder.h"
#include "kube/GroupVersionResource.h"
#include "kube/Informer.h"

#include <QHash>
#include <QJsonArray>
#include <QPointer>

namespace vk::env {

using detail::ObjectSnapshot;

namespace {

QString podKeyOf(const QJsonObject& pod)
{
    const QJsonObject meta = pod.value(QLatin1String("metadata")).toObject();
    QString ns = meta.value(QLatin1String("namespace")).toString();
    if (ns.isEmpty())
        ns = QStringLiteral("default");
    return ns + QLatin1Char('/') + meta.value(QLatin1String("name")).toString();
}

QString objectKey(const QString& kind, const QString& ns, const QString& name)
{
    return kind + QLatin1Char('/') + ns + QLatin1Char('/') + name;
}

QString resourceVersionOf(const QJsonObject& object)
{
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString();
}

/// What one pod references: ConfigMaps/Secrets (by object key) and service collections (by service key).
struct References
{
    QMap<QString, Dependency> objects;
    QStringList services; ///< "ns:<namespace>" (every service of it) or "one:default/kubernetes"
};

References referencesOf(const QJsonObject& pod)
{
    References refs;
    const QJsonObject meta = pod.value(QLatin1String("metadata")).toObject();
    QString ns = meta.value(QLatin1String("namespace")).toString();
    if (ns.isEmpty())
        ns = QStringLiteral("default");
    const QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
    auto addObject = [&](const QString& kind, const QJsonValue& ref) {
        if (!ref.isObject())
            return;
        const QString name = ref.toObject().value(QLatin1String("name")).toString();
        refs.objects.insert(objectKey(kind, ns, name), Dependency{kind, ns, name});
    };
    for (const char* listName : {"initContainers", "containers", "ephemeralContainers"}) {
        for (const auto& c : spec.value(QLatin1String(listName)).toArray()) {
            const QJsonObject container = c.toObject();
            for (const auto& ef : container.value(QLatin1String("envFrom")).toArray()) {
                addObject(QStringLiteral("ConfigMap"), ef.toObject().value(QLatin1String("configMapRef")));
                addObject(QStringLiteral("Secret"), ef.toObject().value(QLatin1String("secretRef")));
            }
            for (const auto& e : container.value(QLatin1String("env")).toArray()) {
                const QJsonObject valueFrom = e.toObject().value(QLatin1String("valueFrom")).toObject();
                addObject(QStringLiteral("ConfigMap"), valueFrom.value(QLatin1String("configMapKeyRef")));
                addObject(QStringLiteral("Secret"), valueFrom.value(QLatin1String("secretKeyRef")));
            }
        }
    }
    const bool links = spec.value(QLatin1String("enableServiceLinks")).toBool(true);
    if (links)
        refs.services << QStringLiteral("ns:") + ns;
    if (!links || ns != QLatin1String("default"))
        refs.services << QStringLiteral("one:default/kubernetes");
    return refs;
}

} // namespace

struct EnvResolver::Private
{
    EnvResolver* q = nullptr;
    kube::ApiClient* client = nullptr;
    /// Watches run on a client of their own (same connection and options), so that against an HTTP/1.1 server,
    /// where each watch holds one of the few connections Qt opens per host, they never take the connections the
    /// agent's pod and node watches need.
    std::unique_ptr<kube::ApiClient> ownWatchClient;
    kube::ApiClient* watchClient = nullptr;
    int maxObjectWatches = 4;
    kube::EventRecorder* events = nullptr;
    Clock* clock = Clock::system();
    qint64 recheckMs = 30000;
    ScheduledCall recheckCall;

    struct ObjectEntry
    {
        Dependency dep;
        bool known = false; ///< a GET or the informer has told us the state at least once
        ObjectSnapshot cache;
        kube::Informer* informer = nullptr;
        QSet<QString> pods;
    };
    struct ServiceEntry
    {
        QString namespaceName;
        QString onlyName; ///< non-empty: watches one service
        kube::Informer* informer = nullptr;
        QSet<QString> pods;
        std::optional<Error> lastError;
    };
    QHash<QString, std::shared_ptr<ObjectEntry>> objects;
    QHash<QString, std::shared_ptr<ServiceEntry>> services;
    QHash<QString, References> podRefs;
    /// The service variables by namespace and enableServiceLinks ("<ns>/1", "<ns>/0"), as a map and as the env list a
    /// container without env or envFrom gets; emptied whenever any watched service changes.
    mutable QHash<QString, std::pair<QMap<QString, QString>, QJsonArray>> serviceEnvCache;

    /// One resolve in flight.
    struct Job
    {
        QJsonObject pod;
        PodAddresses addresses;
        QPointer<QObject> context;
        bool hasContext = false;
        std::function<void(Result<QJsonObject>)> done;
        References refs;
        QHash<QString, ObjectSnapshot> snapshots;
        std::optional<Error> serviceError;
        int pending = 0;
        bool finished = false;
    };

    // --- reference counting -------------------------------------------------------------------------------------

    void acquire(const QString& podKey, const References& refs)
    {
        const References old = podRefs.value(podKey);
        podRefs.insert(podKey, refs);
        for (auto it = refs.objects.cbegin(); it != refs.objects.cend(); ++it)
            objectEntry(it.key(), it.value())->pods.insert(podKey);
        for (const QString& key : refs.services)
            serviceEntry(key)->pods.insert(podKey);
        dropUnused(podKey, old, refs);
    }

    void dropUnused(const QString& podKey, const References& old, const References& now)
    {
        for (auto it = old.objects.cbegin(); it != old.objects.cend(); ++it) {
            if (now.objects.contains(it.key()))
                continue;
            auto entry = objects.value(it.key());
            if (!entry)
                continue;
            entry->pods.remove(podKey);
            if (entry->pods.isEmpty()) {
                qCDebug(lcEnv).noquote() << "no pod references" << it.key() << "any more; stop watching it";
                stopInformer(entry->informer);
                objects.remove(it.key());
            }
        }
        for (const QString& key : old.services) {
            if (now.services.contains(key))
                continue;
            auto entry = services.value(key);
            if (!entry)
                continue;
            entry->pods.remove(podKey);
            if (entry->pods.isEmpty()) {
                stopInformer(entry->informer);
                services.remove(key);
                serviceEnvCache.clear();
            }
        }
        promoteWatches();
    }

    static void stopInformer(kube::Informer*& informer)
    {
        if (!informer)
            return;
        informer->stop();
        QObject::disconnect(informer, nullptr, nullptr, nullptr);
        informer->deleteLater();
        informer = nullptr;
    }

    // --- ConfigMaps and Secrets -------------------------------------------------------------------------------

    static kube::GroupVersionResource gvrOf(const QString& kind)
    {
        return kind == QLatin1String("Secret") ? kube::GroupVersionResource::secrets()
                                               : kube::GroupVersionResource::configMaps();
    }

    std::shared_ptr<ObjectEntry> objectEntry(const QString& key, const Dependency& dep)
    {
        if (auto existing = objects.value(key))
            return existing;
        auto entry = std::make_shared<ObjectEntry>();
        entry->dep = dep;
        objects.insert(key, entry);

        startObjectWatch(key, entry);
        scheduleRecheck();
        return entry;
    }

    int objectWatchCount() const
    {
        int n = 0;
        for (const auto& e : objects)
            n += e->informer ? 1 : 0;
        return n;
    }

    /// Watches the object unless maxObjectWatches are open already; unwatched objects are read by GET on every
    /// resolve and re-read every recheckMs.
    void startObjectWatch(const QString& key, const std::shared_ptr<ObjectEntry>& entry)
    {
        if (entry->informer || (maxObjectWatches >= 0 && objectWatchCount() >= maxObjectWatches))
            return;
        const Dependency dep = entry->dep;
        kube::InformerOptions options;
        options.namespaceName = dep.namespaceName;
        options.fieldSelector = QStringLiteral("metadata.name=") + dep.name;
        options.pageSize = 0;
        entry->informer = new kube::Informer(watchClient, gvrOf(dep.kind), options, q);
        std::weak_ptr<ObjectEntry> weak = entry;
        QObject::connect(entry->informer, &kube::Informer::added, q, [this, weak](const QJsonObject& o) {
            if (auto e = weak.lock())
                onInformerObject(*e, o);
        });
        QObject::connect(entry->informer, &kube::Informer::updated, q,
                         [this, weak](const QJsonObject&, const QJsonObject& o) {
                             if (auto e = weak.lock())
                                 onInformerObject(*e, o);
                         });
        QObject::connect(entry->informer, &kube::Informer::deleted, q, [this, weak](const QJsonObject&) {
            if (auto e = weak.lock())
                onInformerMissing(*e);
        });
        QObject::connect(entry->informer, &kube::Informer::synced, q, [this, weak]() {
            auto e = weak.lock();
            if (e && e->informer && e->informer->size() == 0)
                onInformerMissing(*e);
        });
        QObject::connect(entry->informer, &kube::Informer::errorOccurred, q, [key](const vk::Error& error) {
            qCInfo(lcEnv).noquote() << "watching" << key << "failed (retrying):" << error.toString();
        });
        entry->informer->start();
    }

    /// Gives watches freed by dropped objects to objects that have none.
    void promoteWatches()
    {
        for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
            if (maxObjectWatches >= 0 && objectWatchCount() >= maxObjectWatches)
                return;
            if (!it.value()->informer)
                startObjectWatch(it.key(), it.value());
        }
    }

    void onInformerObject(ObjectEntry& entry, const QJsonObject& object)
    {
        update(entry, ObjectSnapshot{ObjectSnapshot::State::Present, object, {}});
    }

    void onInformerMissing(ObjectEntry& entry)
    {
        update(entry, ObjectSnapshot{ObjectSnapshot::State::Missing, {}, {}});
    }

    /// Stores a fresh state and tells when it differs from what resolves have been given so far.
    void update(ObjectEntry& entry, const ObjectSnapshot& fresh)
    {
        bool changed = false;
        if (entry.known) {
            if (fresh.state != entry.cache.state)
                changed = true;
            else if (fresh.state == ObjectSnapshot::State::Present)
                changed = resourceVersionOf(fresh.object) != resourceVersionOf(entry.cache.object);
        }
        entry.cache = fresh;
        entry.known = true;
        if (!changed)
            return;
        qCInfo(lcEnv).noquote() << entry.dep.kind << entry.dep.namespaceName + QLatin1Char('/') + entry.dep.name
                                << (fresh.state == ObjectSnapshot::State::Present ? "appeared or changed"
                                                                                  : "was deleted");
        Q_EMIT q->objectChanged(entry.dep);
    }

    /// Whether a GET answer is older than what the cache holds (resourceVersions compared as numbers when both
    /// are numbers, as every kube-apiserver makes them).
    static bool isOlder(const ObjectSnapshot& answer, const ObjectSnapshot& cached)
    {
        if (answer.state != ObjectSnapshot::State::Present || cached.state != ObjectSnapshot::State::Present)
            return false;
        bool okA = false;
        bool okB = false;
        const qulonglong a = resourceVersionOf(answer.object).toULongLong(&okA);
        const qulonglong b = resourceVersionOf(cached.object).toULongLong(&okB);
        return okA && okB && a < b;
    }

    static ObjectSnapshot snapshotOf(const Result<QJsonObject>& r)
    {
        if (r)
            return ObjectSnapshot{ObjectSnapshot::State::Present, r.value(), {}};
        if (r.error().category() == ErrorCategory::NotFound)
            return ObjectSnapshot{ObjectSnapshot::State::Missing, {}, {}};
        return ObjectSnapshot{ObjectSnapshot::State::Failed, {}, r.error()};
    }

    // --- periodic re-check ----------------------------------------------------------------------------------------
    // Watches are the fast path, but a server that only speaks HTTP/1.1 gets a handful of connections per client
    // (Qt opens 6 per host), so with many referenced objects some watches wait for a free connection. Every
    // recheckMs each referenced object is read again (GET by name), which bounds how late objectChanged can be.

    void scheduleRecheck()
    {
        if (recheckMs <= 0 || recheckCall.isPending() || objects.isEmpty())
            return;
        recheckCall = clock->schedule(recheckMs, q, [this]() { recheck(); });
    }

    void recheck()
    {
        const QList<QString> keys = objects.keys();
        for (const QString& key : keys) {
            auto entry = objects.value(key);
            if (!entry || !entry->known)
                continue;
            const Dependency dep = entry->dep;
            std::weak_ptr<ObjectEntry> weak = entry;
            client->get(gvrOf(dep.kind), dep.namespaceName, dep.name, q, [this, weak](Result<QJsonObject> r) {
                auto e = weak.lock();
                if (!e)
                    return;
                const ObjectSnapshot fresh = snapshotOf(r);
                if (fresh.state == ObjectSnapshot::State::Failed) {
                    qCDebug(lcEnv).noquote() << "re-reading" << e->dep.name << "failed:" << fresh.error.toString();
                    return;
                }
                if (!isOlder(fresh, e->cache))
                    update(*e, fresh);
            });
        }
        scheduleRecheck();
    }

    void fetchObject(const std::shared_ptr<Job>& job, const QString& key)
    {
        auto entry = objects.value(key);
        if (!entry)
            return;
        if (entry->known && entry->informer && entry->informer->hasSynced()) {
            job->snapshots.insert(key, entry->cache); // the watch keeps it fresh
            return;
        }
        ++job->pending;
        const Dependency dep = entry->dep;
        std::weak_ptr<ObjectEntry> weak = entry;
        client->get(gvrOf(dep.kind), dep.namespaceName, dep.name, q, [this, job, key, weak](Result<QJsonObject> r) {
            ObjectSnapshot snap = snapshotOf(r);
            if (auto e = weak.lock()) {
                if (e->informer && e->informer->hasSynced() && e->known) {
                    snap = e->cache; // the watch is newer than (or as new as) this answer
                } else if (snap.state != ObjectSnapshot::State::Failed) {
                    if (isOlder(snap, e->cache))
                        snap = e->cache;
                    else
                        update(*e, snap);
                }
            }
            job->snapshots.insert(key, snap);
            finishOne(job);
        });
    }

    // --- Services -------------------------------------------------------------------------------------------------

    std::shared_ptr<ServiceEntry> serviceEntry(const QString& key)
    {
        if (auto existing = services.value(key))
            return existing;
        auto entry = std::make_shared<ServiceEntry>();
        kube::InformerOptions options;
        if (key.startsWith(QLatin1String("one:"))) {
            const QString path = key.mid(4);
            entry->namespaceName = path.section(QLatin1Char('/'), 0, 0);
            entry->onlyName = path.section(QLatin1Char('/'), 1);
            options.fieldSelector = QStringLiteral("metadata.name=") + entry->onlyName;
        } else {
            entry->namespaceName = key.mid(3);
        }
        options.namespaceName = entry->namespaceName;
        entry->informer = new kube::Informer(watchClient, kube::GroupVersionResource::services(), options, q);
        std::weak_ptr<ServiceEntry> weak = entry;
        QObject::connect(entry->informer, &kube::Informer::errorOccurred, q, [weak, key](const vk::Error& error) {
            qCInfo(lcEnv).noquote() << "watching services" << key << "failed (retrying):" << error.toString();
            if (auto e = weak.lock())
                e->lastError = error;
        });
        QObject::connect(entry->informer, &kube::Informer::synced, q, [this, weak]() {
            serviceEnvCache.clear();
            if (auto e = weak.lock())
                e->lastError.reset();
        });
        const auto changed = [this] { serviceEnvCache.clear(); };
        QObject::connect(entry->informer, &kube::Informer::added, q, changed);
        QObject::connect(entry->informer, &kube::Informer::updated, q, changed);
        QObject::connect(entry->informer, &kube::Informer::deleted, q, changed);
        services.insert(key, entry);
        entry->informer->start();
        return entry;
    }

    void awaitServices(const std::shared_ptr<Job>& job, const QString& key)
    {
        auto entry = services.value(key);
        if (!entry || entry->informer->hasSynced())
            return;
        ++job->pending;
        auto connections = std::make_shared<QList<QMetaObject::Connection>>();
        auto once = [this, job, connections](std::optional<Error> error) {
            for (const auto& c : *connections)
                QObject::disconnect(c);
            connections->clear();
            if (error && !job->serviceError)
                job->serviceError = error;
            finishOne(job);
        };
        *connections << QObject::connect(entry->informer, &kube::Informer::synced, q, [once]() { once(std::nullopt); });
        *connections << QObject::connect(entry->informer, &kube::Informer::errorOccurred, q,
                                         [once](const vk::Error& error) { once(error); });
    }

    /// The pod's service variables, as a map and as an env list (see serviceEnvCache).
    const std::pair<QMap<QString, QString>, QJsonArray>& serviceEnvFor(const Job& job) const
    {
        const QJsonObject meta = job.pod.value(QLatin1String("metadata")).toObject();
        QString ns = meta.value(QLatin1String("namespace")).toString();
        if (ns.isEmpty())
            ns = QStringLiteral("default");
        const bool links =
            job.pod.value(QLatin1String("spec")).toObject().value(QLatin1String("enableServiceLinks")).toBool(true);
        const QString cacheKey = ns + (links ? QLatin1String("/1") : QLatin1String("/0"));
        if (const auto cached = serviceEnvCache.constFind(cacheKey); cached != serviceEnvCache.cend())
            return *cached;
        QMap<QString, QString> env = computeServiceEnv(ns, links);
        QJsonArray list = detail::envList(env);
        return *serviceEnvCache.insert(cacheKey, {std::move(env), std::move(list)});
    }

    QMap<QString, QString> computeServiceEnv(const QString& ns, bool links) const
    {
        // getServiceEnvVarMap: the master service from "default" first; same-namespace services (when linked)
        // override a same-named one.
        QMap<QString, QJsonObject> chosen;
        for (const QString& key : {QStringLiteral("one:default/kubernetes"), QStringLiteral("ns:default")}) {
            if (auto e = services.value(key); e && e->informer) {
                const QJsonObject master = e->informer->get(QStringLiteral("default/kubernetes"));
                if (!master.isEmpty() && detail::isServiceIpSet(master))
                    chosen.insert(QStringLiteral("kubernetes"), master);
            }
        }
        if (links) {
            if (auto e = services.value(QStringLiteral("ns:") + ns); e && e->informer) {
                const QList<QJsonObject> all = e->informer->list();
                for (const QJsonObject& s : all) {
                    if (detail::isServiceIpSet(s))
                        chosen.insert(
                            s.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString(), s);
                }
            }
        }
        QMap<QString, QString> env;
        for (const auto& [name, value] : detail::serviceEnvVars(chosen.values()))
            env.insert(name, value);
        return env;
    }

    // --- completion ---------------------------------------------------------------------------------------------

    void finishOne(const std::shared_ptr<Job>& job)
    {
        if (--job->pending > 0 || job->finished)
            return;
        complete(job);
    }

    void complete(const std::shared_ptr<Job>& job)
    {
        job->finished = true;
        if (job->hasContext && !job->context)
            return;
        Result<QJsonObject> result = compute(*job);
        QObject* ctx = job->hasContext ? job->context.data() : q;
        QMetaObject::invokeMethod(
            ctx, [job, result = std::move(result)]() mutable { job->done(std::move(result)); }, Qt::QueuedConnection);
    }

    Result<QJsonObject> compute(const Job& job)
    {
        if (job.serviceError) {
            return Error(job.serviceError->category(),
                         QStringLiteral("services have not yet been read at least once, cannot construct envvars: ") +
                             job.serviceError->message());
        }
        const QJsonObject meta = job.pod.value(QLatin1String("metadata")).toObject();
        QString ns = meta.value(QLatin1String("namespace")).toString();
        if (ns.isEmpty())
            ns = QStringLiteral("default");
        const QJsonObject pod = job.pod;
        kube::EventRecorder* recorder = events;
        const auto& [serviceEnv, serviceEnvList] = serviceEnvFor(job);
        detail::PodEnvBuilder builder(
            job.pod, job.addresses, serviceEnv, serviceEnvList,
            [&job, ns](const QString& kind, const QString& name) {
                return job.snapshots.value(objectKey(kind, ns, name));
            },
            [recorder, pod](const QString& reason, const QString& message) {
                qCInfo(lcEnv).noquote() << "pod" << podKeyOf(pod) << reason << ":" << message;
                if (recorder)
                    recorder->record(pod, QStringLiteral("Warning"), reason, message);
            });
        auto result = builder.build();
        if (!result)
            qCInfo(lcEnv).noquote() << "pod" << podKeyOf(pod) << "env not resolved:" << result.error().message();
        return result;
    }
};

EnvResolver::EnvResolver(kube::ApiClient* client, kube::EventRecorder* events, QObject* parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    qRegisterMetaType<vk::env::Dependency>();
    d->q = this;
    d->client = client;
    d->events = events;
    if (client) {
        d->clock = client->options().clock;
        d->ownWatchClient = std::make_unique<kube::ApiClient>(client->connection(), client->options());
        d->watchClient = d->ownWatchClient.get();
    }
}

EnvResolver::~EnvResolver()
{
    // The informers (including stopped ones awaiting deleteLater) watch through ownWatchClient, which goes with d:
    // delete them first.
    d->objects.clear();
    d->services.clear();
    qDeleteAll(findChildren<kube::Informer*>(Qt::FindDirectChildrenOnly));
}

void EnvResolver::setMaxObjectWatches(int count)
{
    d->maxObjectWatches = count;
    d->promoteWatches();
}

void EnvResolver::resolve(const QJsonObject& pod,
                          const PodAddresses& addresses,
                          QObject* context,
                          std::function<void(Result<QJsonObject>)> done)
{
    auto job = std::make_shared<Private::Job>();
    job->pod = pod;
    job->addresses = addresses;
    job->context = context;
    job->hasContext = context != nullptr;
    job->done = std::move(done);
    job->refs = referencesOf(pod);

    const QString podKey = podKeyOf(pod);
    d->acquire(podKey, job->refs);

    job->pending = 1; // held until every fetch has been started
    for (auto it = job->refs.objects.cbegin(); it != job->refs.objects.cend(); ++it)
        d->fetchObject(job, it.key());
    for (const QString& key : job->refs.services)
        d->awaitServices(job, key);
    d->finishOne(job);
}

void EnvResolver::release(const QString& podKey)
{
    const auto it = d->podRefs.constFind(podKey);
    if (it == d->podRefs.cend())
        return;
    const References old = it.value();
    d->podRefs.remove(podKey);
    d->dropUnused(podKey, old, References{});
}

void EnvResolver::setClock(Clock* clock)
{
    d->recheckCall.cancel();
    d->clock = clock ? clock : Clock::system();
    d->scheduleRecheck();
}

void EnvResolver::setRecheckInterval(qint64 ms)
{
    d->recheckCall.cancel();
    d->recheckMs = ms;
    d->scheduleRecheck();
}

QStringList EnvResolver::dependents(const Dependency& object) const
{
    const auto entry = d->objects.value(objectKey(object.kind, object.namespaceName, object.name));
    if (!entry)
        return {};
    QStringList pods = entry->pods.values();
    pods.sort();
    return pods;
}

int EnvResolver::watchedObjectCount() const
{
    return int(d->objects.size());
}

int EnvResolver::objectWatchCount() const
{
    return d->objectWatchCount();
}

int EnvResolver::watchedServiceCollectionCount() const
{
    return int(d->services.size());
}

} // namespace vk::env
