// SPDX-License-Identifier: Apache-2.0
#include "node/NodeController.h"

#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kube/Informer.h"
#include "node/LeaseController.h"
#include "node/Logging.h"
#include "node/NodeBuilder.h"
#include "node/PingController.h"
#include "node/ThreeWayPatch.h"
#include "provider/Provider.h"

#include <QJsonArray>

namespace vk::node {

namespace {

using kube::GroupVersionResource;

QString uidOf(const QJsonObject& object)
{
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("uid")).toString();
}

QString lastAppliedStatusKey()
{
    return QString::fromLatin1(NodeController::kLastAppliedStatusAnnotation);
}

QString lastAppliedMetaKey()
{
    return QString::fromLatin1(NodeController::kLastAppliedMetaAnnotation);
}

} // namespace

NodeController::NodeController(kube::ApiClient* client, provider::Provider* provider, Options options, QObject* parent)
    : QObject(parent), m_client(client), m_provider(provider), m_options(std::move(options)),
      m_clock(m_options.clock ? m_options.clock : Clock::system())
{
    if (m_options.taintValue.isEmpty())
        m_options.taintValue = m_options.providerName;
}

NodeController::~NodeController()
{
    stop();
}

Status NodeController::applyTaintEnvironment(Options& options, const QProcessEnvironment& environment)
{
    const QString key = environment.value(QStringLiteral("VKUBELET_TAINT_KEY"));
    const QString value = environment.value(QStringLiteral("VKUBELET_TAINT_VALUE"));
    const QString effect = environment.value(QStringLiteral("VKUBELET_TAINT_EFFECT"));
    if (!key.isEmpty())
        options.taintKey = key;
    if (!value.isEmpty())
        options.taintValue = value;
    if (options.taintValue.isEmpty())
        options.taintValue = options.providerName;
    const QString wanted = effect.isEmpty() ? options.taintEffect : effect;
    static const QStringList effects{QStringLiteral("NoSchedule"), QStringLiteral("NoExecute"),
                                     QStringLiteral("PreferNoSchedule")};
    if (!effects.contains(wanted)) {
        const QString source =
            effect.isEmpty() ? QStringLiteral("taint effect") : QStringLiteral("VKUBELET_TAINT_EFFECT");
        return Error::invalidInput(
            QStringLiteral("%1: taint effect \"%2\" is not supported (use NoSchedule, NoExecute or PreferNoSchedule)")
                .arg(source, wanted));
    }
    options.taintEffect = wanted;
    return {};
}

QJsonObject NodeController::lease() const
{
    return m_lease ? m_lease->lease() : QJsonObject();
}

// --- lifecycle -------------------------------------------------------------------------------------------------

void NodeController::start()
{
    if (isRunning())
        return;
    if (!m_client || !m_provider) {
        m_state = State::Stopped;
        Q_EMIT finished(Error::internal(QStringLiteral("node controller started without a client or provider")));
        return;
    }
    ++m_generation;
    m_state = State::WaitingForPing;
    m_pingError.reset();
    m_registered = false;
    m_statusAgain = false;

    const QDateTime now = m_clock->now();
    m_desired = NodeBuilder::build(m_options, now);
    m_provider->configureNode(m_desired);
    NodeBuilder::ensureAgentFields(m_desired, m_options);
    refreshReadyCondition();

    connect(m_provider.data(), &provider::Provider::nodeStatusChanged, this, &NodeController::onProviderNodeStatus,
            Qt::UniqueConnection);

    if (!m_lease) {
        m_lease = new LeaseController(m_client.data(), m_options.nodeName, m_options.leaseDurationSeconds,
                                      m_options.leaseRenewIntervalMs, m_clock, this);
        connect(m_lease, &LeaseController::renewed, this, &NodeController::leaseRenewed);
    }
    if (!m_ping) {
        m_ping =
            new PingController(m_provider.data(), m_clock, m_options.pingIntervalMs, m_options.pingTimeoutMs, this);
        connect(m_ping, &PingController::pinged, this, &NodeController::onPinged);
    }
    qCInfo(lcNode).noquote() << "starting node" << m_options.nodeName << "for provider" << m_options.providerName;
    m_ping->start(); // registration follows the first ping result
}

void NodeController::stop()
{
    if (m_state == State::Idle || m_state == State::Stopped)
        return;
    m_state = State::Stopped;
    ++m_generation; // answers of requests sent before stop() are dropped
    m_statusTimer.cancel();
    m_reRegisterTimer.cancel();
    m_statusInFlight = false;
    m_statusAgain = false;
    m_reRegistering = false;
    if (m_ping)
        m_ping->stop();
    if (m_lease)
        m_lease->stop();
    if (m_informer)
        m_informer->stop();
    if (m_provider)
        disconnect(m_provider.data(), &provider::Provider::nodeStatusChanged, this,
                   &NodeController::onProviderNodeStatus);
    qCInfo(lcNode).noquote() << "stopped node" << m_options.nodeName << "(the Node object stays in the cluster)";
}

void NodeController::setAgentReady(bool ready)
{
    m_agentReady = ready;
    const QJsonObject before = m_desired;
    if (!m_desired.isEmpty() && refreshReadyCondition()) {
        emitConditionChanges(before);
        updateStatusNow();
    }
}

// --- conditions --------------------------------------------------------------------------------------------------

bool NodeController::refreshReadyCondition()
{
    QString status = QStringLiteral("True");
    QString reason = QStringLiteral("KubeletReady");
    QString message = QStringLiteral("kubelet is posting ready status");
    if (m_pingError) {
        status = QStringLiteral("False");
        reason = QStringLiteral("ProviderUnhealthy");
        message = m_pingError->message();
    } else if (!m_agentReady) {
        status = QStringLiteral("False");
        reason = QStringLiteral("KubeletNotReady");
        message = QStringLiteral("the pod controller is not ready yet");
    }
    const bool changed =
        NodeBuilder::setCondition(m_desired, QStringLiteral("Ready"), status, reason, message, m_clock->now());
    if (m_agentReady) {
        QJsonObject nodeStatus = m_desired.value(QLatin1String("status")).toObject();
        nodeStatus.insert(QStringLiteral("phase"), QStringLiteral("Running"));
        m_desired.insert(QStringLiteral("status"), nodeStatus);
    }
    return changed;
}

void NodeController::emitConditionChanges(const QJsonObject& before)
{
    const QJsonArray conditions =
        m_desired.value(QLatin1String("status")).toObject().value(QLatin1String("conditions")).toArray();
    for (const auto& c : conditions) {
        const QJsonObject now = c.toObject();
        const QString type = now.value(QLatin1String("type")).toString();
        const QJsonObject was = NodeBuilder::findCondition(before, type);
        const auto field = [](const QJsonObject& o, const char* name) {
            return o.value(QLatin1String(name)).toString();
        };
        if (!was.isEmpty() && field(was, "status") == field(now, "status") &&
            field(was, "reason") == field(now, "reason") && field(was, "message") == field(now, "message"))
            continue;
        qCInfo(lcNode).noquote() << "node condition" << type << "=" << field(now, "status") << field(now, "reason")
                                 << field(now, "message");
        Q_EMIT conditionChanged(type, field(now, "status"), field(now, "reason"), field(now, "message"));
    }
}

void NodeController::onPinged(const Status& result)
{
    std::optional<Error> error;
    if (!result.ok())
        error = result.error();
    const bool changed = error.has_value() != m_pingError.has_value() ||
                         (error && m_pingError && error->message() != m_pingError->message());
    m_pingError = error;
    if (m_state == State::WaitingForPing) {
        m_state = State::Registering;
        const QJsonObject before = m_desired;
        if (refreshReadyCondition())
            emitConditionChanges(before);
        registerNode();
        return;
    }
    if (!changed)
        return;
    const QJsonObject before = m_desired;
    if (refreshReadyCondition()) {
        emitConditionChanges(before);
        updateStatusNow();
    }
}

void NodeController::onProviderNodeStatus(const QJsonObject& node)
{
    if (!isRunning())
        return;
    const QJsonObject before = m_desired;
    const QDateTime now = m_clock->now();

    const QJsonObject providerMeta = node.value(QLatin1String("metadata")).toObject();
    QJsonObject metadata = m_desired.value(QLatin1String("metadata")).toObject();
    for (const char* field : {"labels", "annotations"}) {
        if (providerMeta.contains(QLatin1String(field)))
            metadata.insert(QLatin1String(field), providerMeta.value(QLatin1String(field)));
    }
    m_desired.insert(QStringLiteral("metadata"), metadata);

    if (node.contains(QLatin1String("status"))) {
        QJsonObject status = node.value(QLatin1String("status")).toObject();
        const QJsonObject oldReady = NodeBuilder::findCondition(before, QStringLiteral("Ready"));
        QJsonArray merged;
        bool sawReady = false;
        for (const auto& c : status.value(QLatin1String("conditions")).toArray()) {
            QJsonObject condition = c.toObject();
            const QString type = condition.value(QLatin1String("type")).toString();
            if (type == QLatin1String("Ready")) {
                // Ready is ours: computed from the agent's readiness and the provider's pings.
                sawReady = true;
                merged.append(oldReady);
                continue;
            }
            const QJsonObject previous = NodeBuilder::findCondition(before, type);
            if (!previous.isEmpty() &&
                previous.value(QLatin1String("status")) == condition.value(QLatin1String("status")))
                condition.insert(QStringLiteral("lastTransitionTime"),
                                 previous.value(QLatin1String("lastTransitionTime")));
            else if (!condition.contains(QLatin1String("lastTransitionTime")))
                condition.insert(QStringLiteral("lastTransitionTime"), json::formatTime(now));
            if (!condition.contains(QLatin1String("lastHeartbeatTime")))
                condition.insert(QStringLiteral("lastHeartbeatTime"), json::formatTime(now));
            merged.append(condition);
        }
        if (!sawReady && !oldReady.isEmpty())
            merged.prepend(oldReady);
        status.insert(QStringLiteral("conditions"), merged);
        m_desired.insert(QStringLiteral("status"), status);
    }
    NodeBuilder::ensureAgentFields(m_desired, m_options);
    refreshReadyCondition();
    emitConditionChanges(before);
    updateStatusNow();
}

// --- registration ----------------------------------------------------------------------------------------------

void NodeController::registerNode()
{
    if (!m_client)
        return;
    const quint64 generation = m_generation;
    m_client->get(
        GroupVersionResource::nodes(), {}, m_options.nodeName, this, [this, generation](Result<QJsonObject> existing) {
            if (generation != m_generation)
                return;
            if (existing) {
                adoptNode(existing.value());
                return;
            }
            if (existing.error().category() == ErrorCategory::NotFound) {
                createNode();
                return;
            }
            registrationFailed(existing.error().prefix(QStringLiteral("reading node %1").arg(m_options.nodeName)));
        });
}

void NodeController::createNode()
{
    m_statusAgain = false; // the body carries the desired state as of now
    NodeBuilder::stampHeartbeats(m_desired, m_clock->now());
    const quint64 generation = m_generation;
    m_client->create(
        GroupVersionResource::nodes(), {}, withLastApplied(m_desired), this,
        [this, generation](Result<QJsonObject> created) {
            if (generation != m_generation)
                return;
            if (created) {
                qCInfo(lcNode).noquote() << "created node" << m_options.nodeName << "uid" << uidOf(created.value());
                registered(created.value());
                Q_EMIT nodeUpdated(created.value());
                return;
            }
            if (created.error().category() == ErrorCategory::AlreadyExists) {
                registerNode(); // created by someone else meanwhile: adopt it
                return;
            }
            registrationFailed(created.error().prefix(QStringLiteral("creating node %1").arg(m_options.nodeName)));
        });
}

void NodeController::adoptNode(const QJsonObject& existing)
{
    qCInfo(lcNode).noquote() << "adopting existing node" << m_options.nodeName << "uid" << uidOf(existing);
    m_statusAgain = true; // patch status, labels and annotations at once; never spec
    registered(existing);
}

void NodeController::registered(const QJsonObject& node)
{
    m_serverNode = node;
    m_nodeUid = uidOf(node);
    m_reRegistering = false;
    m_state = State::Running;

    m_lease->start();
    m_lease->setNodeUid(m_nodeUid);

    if (!m_informer) {
        kube::InformerOptions options;
        options.fieldSelector = QStringLiteral("metadata.name=") + m_options.nodeName;
        m_informer = new kube::Informer(m_client.data(), GroupVersionResource::nodes(), options, this);
        connect(m_informer, &kube::Informer::deleted, this, &NodeController::onNodeDeleted);
        connect(m_informer, &kube::Informer::added, this, &NodeController::onNodeSeen);
        connect(m_informer, &kube::Informer::updated, this,
                [this](const QJsonObject&, const QJsonObject& node) { onNodeSeen(node); });
    }
    m_informer->start();

    if (!m_statusInFlight) {
        scheduleStatusUpdate(m_options.statusUpdateIntervalMs);
        if (m_statusAgain) // the desired state changed while we were registering
            startStatusUpdate();
    }
    if (!m_registered) {
        m_registered = true;
        Q_EMIT ready();
    }
}

void NodeController::registrationFailed(const Error& error)
{
    if (m_registered) {
        // Re-creating a node that was deleted under us: keep trying.
        qCWarning(lcNode).noquote() << "re-registering node failed:" << error.toString() << "- retrying in"
                                    << m_options.reRegisterRetryMs << "ms";
        m_reRegisterTimer.cancel();
        m_reRegisterTimer = m_clock->schedule(m_options.reRegisterRetryMs, this, [this] {
            if (m_state == State::Running && m_reRegistering)
                registerNode();
        });
        return;
    }
    qCCritical(lcNode).noquote() << "registering node failed:" << error.toString();
    stop();
    Q_EMIT finished(error);
}

void NodeController::reRegister(const QString& why)
{
    if (m_state != State::Running || m_reRegistering)
        return;
    qCWarning(lcNode).noquote() << "node" << m_options.nodeName << why << "- registering it again";
    m_reRegistering = true;
    m_nodeUid.clear();
    m_lease->setNodeUid(QString());
    registerNode();
}

void NodeController::onNodeDeleted(const QJsonObject& node)
{
    if (m_state != State::Running || m_reRegistering)
        return;
    if (uidOf(node) != m_nodeUid)
        return; // an older incarnation
    reRegister(QStringLiteral("was deleted"));
}

void NodeController::onNodeSeen(const QJsonObject& node)
{
    if (m_state != State::Running || m_reRegistering)
        return;
    const QString uid = uidOf(node);
    if (uid.isEmpty() || uid == m_nodeUid)
        return;
    // Deleted and re-created by someone else between two watch events: adopt the new incarnation.
    qCInfo(lcNode).noquote() << "node" << m_options.nodeName << "was re-created with uid" << uid;
    m_nodeUid = uid;
    m_lease->setNodeUid(uid);
    updateStatusNow();
}

// --- status updates --------------------------------------------------------------------------------------------

void NodeController::updateStatusNow()
{
    if (m_state == State::WaitingForPing || m_state == State::Registering || m_reRegistering) {
        m_statusAgain = true; // the node being created may already carry an older desired state
        return;
    }
    if (m_state != State::Running)
        return;
    if (m_statusInFlight) {
        m_statusAgain = true;
        return;
    }
    startStatusUpdate();
}

void NodeController::scheduleStatusUpdate(qint64 delayMs)
{
    m_statusTimer.cancel();
    m_statusTimer = m_clock->schedule(delayMs, this, [this] { updateStatusNow(); });
}

void NodeController::startStatusUpdate()
{
    if (m_state != State::Running || m_reRegistering || m_nodeUid.isEmpty() || !m_client)
        return;
    m_statusInFlight = true;
    m_statusAgain = false;
    m_statusTimer.cancel(); // the period restarts with every update
    NodeBuilder::stampHeartbeats(m_desired, m_clock->now());
    const quint64 generation = m_generation;
    m_client->get(
        GroupVersionResource::nodes(), {}, m_options.nodeName, this, [this, generation](Result<QJsonObject> current) {
            if (generation != m_generation)
                return;
            if (current) {
                sendStatusPatch(current.value(), 1);
                return;
            }
            finishStatusUpdate();
            if (current.error().category() == ErrorCategory::NotFound)
                reRegister(QStringLiteral("is gone"));
            else
                qCWarning(lcNode).noquote() << "reading node for a status update failed:" << current.error().toString();
        });
}

void NodeController::sendStatusPatch(const QJsonObject& current, int attempt)
{
    const QString uid = uidOf(current);
    if (!uid.isEmpty() && uid != m_nodeUid) {
        m_nodeUid = uid;
        m_lease->setNodeUid(uid);
    }
    const QJsonObject patch = ThreeWayPatch::create(lastApplied(current), patchView(withLastApplied(m_desired)),
                                                    patchView(current), QStringLiteral("Node"));
    if (patch.isEmpty()) {
        finishStatusUpdate();
        return;
    }
    const quint64 generation = m_generation;
    m_client->patch(GroupVersionResource::nodes(), {}, m_options.nodeName, kube::PatchType::Strategic,
                    json::compact(patch), QStringLiteral("status"), this,
                    [this, generation, attempt](Result<QJsonObject> result) {
                        if (generation != m_generation)
                            return;
                        if (result) {
                            m_serverNode = result.value();
                            ++m_statusUpdates;
                            finishStatusUpdate();
                            Q_EMIT nodeUpdated(m_serverNode);
                            return;
                        }
                        const Error& error = result.error();
                        if (error.category() == ErrorCategory::Conflict && attempt < m_options.statusConflictRetries) {
                            m_client->get(GroupVersionResource::nodes(), {}, m_options.nodeName, this,
                                          [this, generation, attempt](Result<QJsonObject> current) {
                                              if (generation != m_generation)
                                                  return;
                                              if (current) {
                                                  sendStatusPatch(current.value(), attempt + 1);
                                                  return;
                                              }
                                              finishStatusUpdate();
                                              if (current.error().category() == ErrorCategory::NotFound)
                                                  reRegister(QStringLiteral("is gone"));
                                          });
                            return;
                        }
                        finishStatusUpdate();
                        if (error.category() == ErrorCategory::NotFound)
                            reRegister(QStringLiteral("is gone"));
                        else
                            qCWarning(lcNode).noquote() << "patching node status failed:" << error.toString();
                    });
}

void NodeController::finishStatusUpdate()
{
    m_statusInFlight = false;
    if (m_state != State::Running)
        return;
    scheduleStatusUpdate(m_options.statusUpdateIntervalMs);
    if (m_statusAgain) {
        m_statusAgain = false;
        startStatusUpdate();
    }
}

// --- patch inputs ----------------------------------------------------------------------------------------------

QJsonObject NodeController::withLastApplied(const QJsonObject& node) const
{
    QJsonObject result = node;
    QJsonObject metadata = node.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    annotations.remove(lastAppliedStatusKey());
    annotations.remove(lastAppliedMetaKey());

    QJsonObject appliedMeta{{QStringLiteral("name"), m_options.nodeName}};
    if (metadata.contains(QLatin1String("labels")))
        appliedMeta.insert(QStringLiteral("labels"), metadata.value(QLatin1String("labels")));
    if (!annotations.isEmpty())
        appliedMeta.insert(QStringLiteral("annotations"), annotations);

    annotations.insert(lastAppliedStatusKey(),
                       QString::fromUtf8(json::compact(node.value(QLatin1String("status")).toObject())));
    annotations.insert(lastAppliedMetaKey(), QString::fromUtf8(json::compact(appliedMeta)));
    metadata.insert(QStringLiteral("annotations"), annotations);
    result.insert(QStringLiteral("metadata"), metadata);
    return result;
}

QJsonObject NodeController::patchView(const QJsonObject& node)
{
    const QJsonObject metadata = node.value(QLatin1String("metadata")).toObject();
    QJsonObject viewMeta;
    for (const char* field : {"labels", "annotations"}) {
        if (metadata.contains(QLatin1String(field)))
            viewMeta.insert(QLatin1String(field), metadata.value(QLatin1String(field)));
    }
    QJsonObject view;
    if (!viewMeta.isEmpty())
        view.insert(QStringLiteral("metadata"), viewMeta);
    if (node.contains(QLatin1String("status")))
        view.insert(QStringLiteral("status"), node.value(QLatin1String("status")));
    return view;
}

QJsonObject NodeController::lastApplied(const QJsonObject& serverNode)
{
    const QJsonObject annotations =
        serverNode.value(QLatin1String("metadata")).toObject().value(QLatin1String("annotations")).toObject();
    QJsonObject view;
    const QString statusText = annotations.value(lastAppliedStatusKey()).toString();
    if (!statusText.isEmpty()) {
        auto status = json::parseObject(statusText.toUtf8(), lastAppliedStatusKey());
        if (status)
            view.insert(QStringLiteral("status"), status.value());
        else
            qCWarning(lcNode).noquote() << "ignoring a malformed annotation:" << status.error().toString();
    }
    const QString metaText = annotations.value(lastAppliedMetaKey()).toString();
    if (!metaText.isEmpty()) {
        auto meta = json::parseObject(metaText.toUtf8(), lastAppliedMetaKey());
        if (meta) {
            QJsonObject viewMeta;
            for (const char* field : {"labels", "annotations"}) {
                if (meta->contains(QLatin1String(field)))
                    viewMeta.insert(QLatin1String(field), meta->value(QLatin1String(field)));
            }
            view.insert(QStringLiteral("metadata"), viewMeta);
        } else {
            qCWarning(lcNode).noquote() << "ignoring a malformed annotation:" << meta.error().toString();
        }
    }
    return view;
}

} // namespace vk::node
