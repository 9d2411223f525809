// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "env/EnvResolver.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <optional>

namespace vk::kube {
class ApiClient;
class EventRecorder;
struct RawResponse;
class Informer;
} // namespace vk::kube

namespace vk::provider {
class Provider;
}

namespace vk::pods {

class WorkQueue;
using Done = std::function<void(Status)>;

/// The pod controller of a virtual node (upstream node/podcontroller.go, with its pain points fixed):
/// - watches the pods bound to the node (fieldSelector spec.nodeName=<node>, all namespaces);
/// - syncs each pod ("ns/name") into the provider: resolve env, create or update (only when the compared fields
///   changed), delete when the pod is deleted from the API or marked for deletion;
/// - finishes a graceful delete as soon as the provider reports the containers terminated (terminal status
///   written, then DELETE with grace 0 and a UID precondition), with the grace period as fallback;
/// - writes the provider's pod status back (pushed through Provider::podStatusChanged, or polled with
///   getPodStatus every statusPollIntervalMs for providers without Capability::PodStatusPush);
/// - retries failures forever with per-key backoff; after providerFailedAfter failed creates the pod's status
///   says ProviderFailed; pods waiting on a missing ConfigMap/Secret are retried as soon as it appears;
/// - at startup deletes from the provider only pods the API no longer has; re-syncs every pod periodically.
class PodController : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString nodeName;
        QString hostIp;                     ///< the node's InternalIP, for env status.hostIP(s)
        QString namespaceName;              ///< serve only this namespace's pods (--namespace); empty: all
        QJsonObject nodeAllocatable;        ///< for env resourceFieldRef to unset limits (may be empty)
        int workers = 10;                   ///< keys synced concurrently (per queue)
        Clock* clock = Clock::system();     ///< queues, backoff, polling, grace periods, resync
        qint64 statusPollIntervalMs = 5000; ///< providers without PodStatusPush
        qint64 backoffCapMs = 30000;        ///< per-key retry backoff cap (base 5 ms doubling)
        int providerFailedAfter = 5;        ///< failed creates before the ProviderFailed status
        qint64 fullResyncPeriodMs = 60000;  ///< re-sync every pod this often; <= 0: never
        double retryQps = 10;               ///< token bucket for retries (per queue)
        int retryBurst = 100;
    };

    /// env may be null: env is then passed to the provider unresolved. None of the pointers is owned.
    PodController(kube::ApiClient* client,
                  provider::Provider* provider,
                  env::EnvResolver* env,
                  kube::EventRecorder* events,
                  Options options,
                  QObject* parent = nullptr);
    ~PodController() override;

    /// Starts the informer; ready() follows once it synced and the startup reconcile ran.
    void start();
    /// Stops watching, polling and syncing (handlers in flight finish quietly).
    void stop();
    bool isReady() const { return m_ready; }
    bool isRunning() const { return m_running; }

    const Options& options() const { return m_options; }
    /// The pods of this node as the API has them (the informer's cache).
    QList<QJsonObject> pods() const;
    /// Queues for metrics: spec sync ("ns/name") and status write-back.
    const WorkQueue* syncQueue() const { return m_syncQueue; }
    const WorkQueue* statusQueue() const { return m_statusQueue; }
    /// Failed create/update attempts of a pod since its last success.
    int providerFailures(const QString& key) const;
    /// Echoes of our own status writes the informer took without parsing them (see onInformerUpdate()).
    quint64 ownEchoesTakenUnparsed() const { return m_ownEchoesTakenUnparsed; }

    /// upstream podsEqual: containers, initContainers, ephemeralContainers, activeDeadlineSeconds, tolerations,
    /// labels and annotations (env compared order-insensitively).
    static bool podsEqual(const QJsonObject& a, const QJsonObject& b);
    /// Whether a pod status is terminal (phase Succeeded/Failed, or every container terminated).
    static bool statusTerminated(const QJsonObject& status);
    /// A short digest of the fields podsEqual() compares: equal pods have equal fingerprints (for remembering what
    /// was sent to the provider without keeping the pod).
    static QByteArray fingerprint(const QJsonObject& pod);

Q_SIGNALS:
    void ready();
    /// A pod of this node as the API has it now (added or updated). While this signal has a receiver every new
    /// version is parsed for it, including the echoes of the controller's own status writes (which are otherwise
    /// taken from the watch without parsing: see onInformerUpdate()).
    void podChanged(const QJsonObject& pod);
    /// A pod's phase in the API ("Pending" when it has none yet), for every version: cheap to follow (metrics).
    void podPhaseChanged(const QString& key, const QString& phase);
    void podRemoved(const QString& namespaceName, const QString& name);
    /// One line for the console's activity log.
    void activity(const QString& message);

private:
    struct Known
    {
        QString uid;
        QByteArray lastSent;            ///< fingerprint() of the resolved pod last created/updated in the provider
        QJsonObject providerStatus;     ///< the provider's last reported pod status
        quint64 providerStatusHash = 0; ///< json::hash of it: a report is compared with the last one by this
        std::optional<quint64> lastWrittenStatus; ///< json::hash of the status our last status PATCH wrote
        QString lastWrittenPhase;                 ///< that status's phase
        QString apiRv;                            ///< metadata.resourceVersion of the informer's object
        /// A newer version of the pod than the informer's, known from our own PATCH's answer or from a re-read after
        /// a 409, valid while the informer still has version overrideFromRv (cleared when it delivers another).
        QString overrideFromRv;
        QString overrideRv;
        QJsonObject overrideStatus;      ///< that version's status
        bool overrideIsOurWrite = false; ///< the override version is the answer to our own status write
        QString writingFromRv;           ///< a status write is in flight, based on this version (its precondition)
        /// A version the informer took unparsed while our status write based on the version before it was in
        /// flight: most likely that write's echo, settled when its answer tells (see onInformerUpdate()).
        struct Unverified
        {
            QString version;
            QByteArray previousJson; ///< the version before it, as the informer had it
        };
        std::optional<Unverified> unverified;
        bool hasProviderStatus = false;
        quint64 statusesStored = 0; ///< provider statuses stored so far (to see whether one came during a call)
        bool apiDeleting = false;   ///< the API's pod has a deletionTimestamp (as last seen by the informer)
        bool inProvider = false;    ///< created by us or found in the provider
        bool deleteRequested = false;
        bool graceExpired = false;
        ScheduledCall graceTimer;
        qint64 graceDeadlineMs = -1;
        int providerFailures = 0;
        bool envBlocked = false;
        QList<env::Dependency> waitsOn;
    };

    void onAdded(const QJsonObject& pod);
    void onUpdated(const QJsonObject& oldPod, const QJsonObject& newPod);
    /// The informer's update filter: whether a new version needs onUpdated(). Not for the echo of our own last
    /// status write while nobody receives podChanged: that write carried the version it was based on as a
    /// precondition, so the new version is that one with our status: spec, labels, annotations and deletion are
    /// unchanged and the status is ours, there is nothing to compare (onUpdated would conclude the same after
    /// parsing both versions). Its bookkeeping is done here. When the echo comes before the write's answer, the new
    /// version is taken unverified: the answer's resourceVersion confirms it, or else (another writer's version,
    /// our write refused) onUpdated runs for it then, or before the next version of the pod, whichever comes first.
    bool onInformerUpdate(const QString& key, const QString& oldVersion, const QString& newVersion);
    /// Runs onUpdated() for a version taken unverified, now that it turned out not (or not known) to be our echo.
    void settleUnverified(const QString& key);
    /// A status write of the pod `uid` answered: settles a version taken unverified while it was in flight.
    void settleWrite(const QString& key, const QString& uid, const Result<kube::RawResponse>& answer);
    /// The bookkeeping for our own write's echo taken without onUpdated() (k.apiRv already its version).
    void ownEchoTaken(const QString& key, Known& k);
    void onDeleted(const QJsonObject& pod);
    void onSynced();
    void reconcileProvider(std::function<void()> then);
    void becomeReady();
    Known& known(const QString& key, const QJsonObject& pod);

    void syncPod(const QString& key, std::function<void(Status)> done);
    void syncGone(const QString& key, std::function<void(Status)> done);
    void syncDeleting(const QString& key, const QJsonObject& pod, std::function<void(Status)> done);
    void finishDeletion(const QString& key, const QJsonObject& pod, std::function<void(Status)> done);
    void createOrUpdate(const QString& key, const QJsonObject& pod, std::function<void(Status)> done);
    void
    providerFailed(const QString& key, const QJsonObject& pod, const Error& error, std::function<void(Status)> done);
    void fetchStatusAfterCreate(const QString& key);

    void syncStatus(const QString& key, std::function<void(Status)> done);
    /// The newest version of a pod's status known: the informer's, or the one our last write (or a re-read after
    /// a conflict) returned while the informer has not caught up yet.
    struct ApiVersion
    {
        QString resourceVersion;
        QJsonObject status;
    };
    ApiVersion apiVersion(const QString& key, const QJsonObject& pod) const;
    /// PATCHes pods/<name>/status from base's status to `status`, with the pod's UID and base's resourceVersion as
    /// preconditions; false (and no call back) when nothing differs. On 409 the pod is read again (kept as the
    /// override version) before done gets the Conflict (NotFound when the pod is gone or was replaced).
    /// statusHash: json::hash(status) when the caller has it.
    bool patchStatus(const QJsonObject& pod,
                     const ApiVersion& base,
                     const QJsonObject& status,
                     std::function<void(Status)> done,
                     std::optional<quint64> statusHash = std::nullopt);
    /// The informer's pod with only metadata and status parsed (its spec is skipped).
    QJsonObject podHead(const QString& key) const;
    void refreshAfterConflict(const QString& key, const QString& uid, const Error& conflict, Done done);
    /// A write whose answer (the whole object) is not needed: the answer's body is not parsed.
    void write(const QByteArray& method,
               const QString& path,
               const QByteArray& body,
               const QByteArray& contentType,
               Done done);
    void onProviderPod(const QJsonObject& providerPod);
    void storeProviderStatus(const QString& key, const QJsonObject& status);
    void pollStatuses();
    void schedulePoll();
    void scheduleResync();
    void onEnvObjectChanged(const env::Dependency& object);

    void record(const QJsonObject& pod, const QString& type, const QString& reason, const QString& message);

    kube::ApiClient* m_client;
    provider::Provider* m_provider;
    QPointer<env::EnvResolver> m_env;
    kube::EventRecorder* m_events;
    QPointer<kube::EventRecorder> m_eventsYielding; ///< m_events while its writes yield to our status writes
    Options m_options;
    kube::Informer* m_informer = nullptr;
    WorkQueue* m_syncQueue = nullptr;
    WorkQueue* m_statusQueue = nullptr;
    QHash<QString, Known> m_known;
    ScheduledCall m_pollTimer;
    ScheduledCall m_resyncTimer;
    bool m_push = false;
    bool m_running = false;
    bool m_ready = false;
    quint64 m_ownEchoesTakenUnparsed = 0;
    bool m_reconciling = false;
};

} // namespace vk::pods
