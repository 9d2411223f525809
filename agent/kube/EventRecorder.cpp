// SPDX-License-Identifier: Apache-2.0
#include "kube/EventRecorder.h"

#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kube/GroupVersionResource.h"
#include "kube/Logging.h"

#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>

namespace vk::kube {

namespace {
constexpr qint64 kFoldWindowMs = 10 * 60 * 1000;
}

EventRecorder::EventRecorder(ApiClient* client, QString component, QString host, Clock* clock, QObject* parent)
    : QObject(parent), m_client(client), m_component(std::move(component)), m_host(std::move(host)), m_clock(clock)
{}

void EventRecorder::setMaxInFlight(int writes)
{
    m_maxInFlight = std::max(1, writes);
    pump();
}

void EventRecorder::record(const QJsonObject& involved,
                           const QString& type,
                           const QString& reason,
                           const QString& message)
{
    Q_EMIT recorded(involved, type, reason, message);
    const QJsonObject meta = involved.value(QLatin1String("metadata")).toObject();
    QString ns = meta.value(QLatin1String("namespace")).toString();
    if (ns.isEmpty())
        ns = QStringLiteral("default");
    const QString uid = meta.value(QLatin1String("uid")).toString();
    const QString now = json::formatTime(m_clock->now());
    const QString key = uid + QLatin1Char('\n') + type + QLatin1Char('\n') + reason + QLatin1Char('\n') + message;
    const qint64 nowMs = m_clock->monotonicMs();

    auto seen = m_seen.find(key);
    if (seen != m_seen.end() && nowMs - seen->lastMs < kFoldWindowMs) {
        seen->count += 1;
        seen->lastMs = nowMs;
        seen->lastTimestamp = now;
        if (seen->queued)
            return; // the queued create or count bump sends the new count
        if (int(m_queue.size()) >= m_maxQueued) {
            ++m_dropped;
            qCWarning(lcKube) << "event queue full: dropping" << reason << "for" << seen->name;
            return;
        }
        seen->queued = true;
        m_queue.push_back(Write{key, {}, seen->namespaceName, seen->name, reason});
        pump();
        return;
    }
    if (int(m_queue.size()) >= m_maxQueued) {
        ++m_dropped;
        qCWarning(lcKube) << "event queue full: dropping" << reason << "for" << meta.value(QLatin1String("name"));
        return;
    }
    if (m_seen.size() > 4096)
        m_seen.removeIf([](const auto& entry) { return !entry.value().queued; });
    const QString name = QStringLiteral("%1.%2")
                             .arg(meta.value(QLatin1String("name")).toString())
                             .arg(quint64(m_clock->now().toMSecsSinceEpoch()) * 1'000'000ull +
                                      QRandomGenerator::global()->bounded(1'000'000u),
                                  0, 16);
    m_seen.insert(key, Seen{ns, name, 1, nowMs, now, true});
    auto event = std::make_shared<NewEvent>();
    event->involvedKind = involved.value(QLatin1String("kind")).toString();
    event->involvedApiVersion = involved.value(QLatin1String("apiVersion")).toString();
    event->involvedNamespace = meta.value(QLatin1String("namespace")).toString();
    event->involvedName = meta.value(QLatin1String("name")).toString();
    event->involvedResourceVersion = meta.value(QLatin1String("resourceVersion")).toString();
    event->involvedUid = uid;
    event->type = type;
    event->message = message;
    event->firstTimestamp = now;
    m_queue.push_back(Write{key, std::move(event), ns, name, reason});
    pump();
}

void EventRecorder::setYieldWhile(std::function<bool()> busy, qint64 maxYieldMs)
{
    m_busy = std::move(busy);
    m_maxYieldMs = std::max<qint64>(0, maxYieldMs);
    m_yieldSinceMs = -1;
    m_yieldExpired = false;
    m_yieldTimer.cancel();
    pump();
}

bool EventRecorder::yielding()
{
    if (!m_busy || !m_busy()) {
        m_yieldSinceMs = -1;
        m_yieldExpired = false;
        m_yieldTimer.cancel();
        return false;
    }
    if (m_yieldExpired)
        return false; // yielded long enough: flow until the other writes have drained once
    const qint64 now = m_clock->monotonicMs();
    if (m_yieldSinceMs < 0) {
        m_yieldSinceMs = now;
        m_yieldTimer = m_clock->schedule(m_maxYieldMs, this, [this] {
            m_yieldExpired = true;
            pump();
        });
    }
    return true;
}

void EventRecorder::pump()
{
    if (m_busy && m_yieldSinceMs >= 0 && !m_busy()) {
        // The busy spell ended (even with nothing queued): the next one may hold events back again.
        m_yieldSinceMs = -1;
        m_yieldExpired = false;
        m_yieldTimer.cancel();
    }
    while (m_inFlight < m_maxInFlight && !m_queue.empty() && !yielding()) {
        Write write = std::move(m_queue.front());
        m_queue.pop_front();
        send(std::move(write));
    }
}

QByteArray EventRecorder::eventJson(const Write& write, int count, const QString& lastTimestamp) const
{
    const NewEvent& e = *write.event;
    QJsonObject source{{QStringLiteral("component"), m_component}};
    if (!m_host.isEmpty())
        source.insert(QStringLiteral("host"), m_host);
    QJsonObject involved{{QStringLiteral("uid"), e.involvedUid}}; // and what else it has (omitempty)
    const std::pair<QString, const QString*> fields[] = {
        {QStringLiteral("kind"), &e.involvedKind},
        {QStringLiteral("namespace"), &e.involvedNamespace},
        {QStringLiteral("name"), &e.involvedName},
        {QStringLiteral("apiVersion"), &e.involvedApiVersion},
        {QStringLiteral("resourceVersion"), &e.involvedResourceVersion}};
    for (const auto& [key, value] : fields) {
        if (!value->isEmpty())
            involved.insert(key, *value);
    }
    const QJsonObject event{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Event")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), write.name}, {QStringLiteral("namespace"), write.namespaceName}}},
        {QStringLiteral("involvedObject"), involved},
        {QStringLiteral("reason"), write.reason},
        {QStringLiteral("message"), e.message},
        {QStringLiteral("source"), source},
        {QStringLiteral("firstTimestamp"), e.firstTimestamp},
        {QStringLiteral("lastTimestamp"), lastTimestamp.isEmpty() ? e.firstTimestamp : lastTimestamp},
        {QStringLiteral("count"), count},
        {QStringLiteral("type"), e.type},
        {QStringLiteral("reportingComponent"), m_component},
        {QStringLiteral("reportingInstance"), m_host},
    };
    return json::compact(event);
}

void EventRecorder::send(Write write)
{
    // The count and lastTimestamp are the latest ones: repeats recorded while the write waited are folded in.
    int count = 0;
    QString lastTimestamp;
    auto seen = m_seen.find(write.key);
    if (seen != m_seen.end() && seen->name == write.name) {
        seen->queued = false;
        count = seen->count;
        lastTimestamp = seen->lastTimestamp;
    }
    ++m_inFlight;
    const QString reason = write.reason;
    // The answers (the whole Event) are not needed: raw requests, whose bodies are not parsed.
    auto done = [this, reason, create = write.event != nullptr](Result<RawResponse> r) {
        --m_inFlight;
        if (!r)
            qCWarning(lcKube) << (create ? "could not record event" : "could not update event") << reason << ":"
                              << r.error().toString();
        pump();
    };
    if (write.event) {
        m_client->request("POST", GroupVersionResource::events().path(write.namespaceName), {},
                          eventJson(write, std::max(count, 1), lastTimestamp), "application/json", {}, this,
                          std::move(done));
        return;
    }
    if (count == 0) { // forgotten meanwhile (the fold window passed and the table was trimmed): nothing to bump
        --m_inFlight;
        QMetaObject::invokeMethod(
            this, [this] { pump(); }, Qt::QueuedConnection);
        return;
    }
    const QJsonObject patch{{QStringLiteral("count"), count}, {QStringLiteral("lastTimestamp"), lastTimestamp}};
    m_client->request("PATCH", GroupVersionResource::events().path(write.namespaceName, write.name), {},
                      json::compact(patch), patchContentType(PatchType::Merge), {}, this, std::move(done));
}

} // namespace vk::kube
