// SPDX-License-Identifier: Apache-2.0
#include "sandbox/WatchSession.h"

#include "core/Json.h"
#include "core/KubeStatus.h"
#include "http/HttpServer.h"
#include "sandbox/Logging.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace vk::sandbox {

namespace {

constexpr qint64 kMaxPendingBytes = 32 * 1024 * 1024;

QJsonObject partialObjectMetadata(const QJsonObject& object)
{
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("PartialObjectMetadata")},
                       {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                       {QStringLiteral("metadata"), object.value(QLatin1String("metadata"))}};
}

} // namespace

bool WatchFilter::matches(const QJsonObject& object) const
{
    if (!namespaceName.isEmpty() &&
        object.value(QLatin1String("metadata")).toObject().value(QLatin1String("namespace")).toString() !=
            namespaceName)
        return false;
    if (!labels.isEmpty() &&
        !labels.matches(object.value(QLatin1String("metadata")).toObject().value(QLatin1String("labels")).toObject()))
        return false;
    return fields.isEmpty() || matchesFields(*type, fields, object);
}

bool matchesFields(const ResourceType& type, const api::FieldSelector& selector, const QJsonObject& object)
{
    if (!type.fieldValue)
        return selector.matches(object);
    for (const auto& requirement : selector.requirements()) {
        const bool equal = type.fieldValue(object, requirement.field) == requirement.value;
        if (equal == requirement.negated)
            return false;
    }
    return true;
}

QJsonObject buildTable(const ResourceType& type,
                       const QList<QJsonObject>& objects,
                       const QString& includeObject,
                       const QDateTime& now,
                       const QString& resourceVersion,
                       bool withColumns)
{
    QJsonObject table{{QStringLiteral("kind"), QStringLiteral("Table")},
                      {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                      {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("resourceVersion"), resourceVersion}}}};
    if (withColumns) {
        QJsonArray columns;
        for (const auto& c : type.columns) {
            columns.append(QJsonObject{{QStringLiteral("name"), c.name},
                                       {QStringLiteral("type"), c.type},
                                       {QStringLiteral("format"), c.format},
                                       {QStringLiteral("description"), c.description},
                                       {QStringLiteral("priority"), c.priority}});
        }
        table.insert(QStringLiteral("columnDefinitions"), columns);
    }
    QJsonArray rows;
    for (const auto& object : objects) {
        QJsonObject row{{QStringLiteral("cells"), type.tableCells ? type.tableCells(object, now) : QJsonArray{}}};
        if (includeObject == QLatin1String("Object"))
            row.insert(QStringLiteral("object"), object);
        else if (includeObject != QLatin1String("None"))
            row.insert(QStringLiteral("object"), partialObjectMetadata(object));
        rows.append(row);
    }
    table.insert(QStringLiteral("rows"), rows);
    return table;
}

WatchSession::WatchSession(WatchFilter filter,
                           http::HttpResponder* responder,
                           Clock* clock,
                           qint64 timeoutMs,
                           qint64 bookmarkIntervalMs,
                           std::function<quint64()> currentResourceVersion,
                           QObject* parent)
    : QObject(parent), m_filter(std::move(filter)), m_responder(responder), m_clock(clock),
      m_currentResourceVersion(std::move(currentResourceVersion)), m_bookmarkIntervalMs(bookmarkIntervalMs)
{
    connect(responder, &http::HttpResponder::disconnected, this, [this] { end(); });
    m_timeout = m_clock->schedule(timeoutMs, this, [this] { end(); });
}

WatchSession::~WatchSession()
{
    m_timeout.cancel();
    m_bookmark.cancel();
}

QByteArray WatchSession::line(const QString& type, const QJsonObject& object)
{
    return line(type, json::compact(object));
}

QByteArray WatchSession::line(const QString& type, const QByteArray& objectJson)
{
    // Event types are plain ASCII words: no escaping needed.
    QByteArray bytes;
    bytes.reserve(objectJson.size() + type.size() + 24);
    bytes.append("{\"type\":\"").append(type.toLatin1()).append("\",\"object\":").append(objectJson).append("}\n");
    return bytes;
}

QJsonObject WatchSession::render(const QJsonObject& stored) const
{
    const QJsonObject object = m_filter.convert ? m_filter.convert(stored) : stored;
    if (!m_filter.asTable)
        return object;
    const QString rv =
        object.value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString();
    return buildTable(*m_filter.type, {object}, m_filter.tableIncludeObject, m_clock->now(), rv);
}

void WatchSession::begin(const QList<QJsonObject>& initialObjects, const QList<ChangeEvent>& replay)
{
    if (!m_responder)
        return end();
    m_responder->beginStream(200, QByteArrayLiteral("application/json"),
                             {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache, private")}});
    for (const auto& object : initialObjects) {
        if (m_filter.matches(object))
            send(QStringLiteral("ADDED"), object);
    }
    for (const auto& event : replay)
        deliver(event);
    if (m_filter.bookmarks && m_bookmarkIntervalMs > 0)
        m_bookmark = m_clock->schedule(m_bookmarkIntervalMs, this, [this] { sendBookmark(); });
}

void WatchSession::deliver(const ChangeEvent& event)
{
    if (m_ended)
        return;
    switch (event.type) {
    case ChangeEvent::Type::Added:
        if (m_filter.matches(event.object))
            send(QStringLiteral("ADDED"), event);
        break;
    case ChangeEvent::Type::Modified: {
        const bool now = m_filter.matches(event.object);
        const bool before = m_filter.matches(event.oldObject);
        if (now && before)
            send(QStringLiteral("MODIFIED"), event);
        else if (now)
            send(QStringLiteral("ADDED"), event);
        else if (before)
            send(QStringLiteral("DELETED"), event);
        break;
    }
    case ChangeEvent::Type::Deleted:
        if (m_filter.matches(event.oldObject))
            send(QStringLiteral("DELETED"), event);
        break;
    }
}

void WatchSession::send(const QString& type, const QJsonObject& object)
{
    if (m_ended || !m_responder)
        return;
    writeLine(line(type, render(object)));
}

void WatchSession::send(const QString& type, const ChangeEvent& event)
{
    if (m_ended || !m_responder)
        return;
    if (m_filter.convert || m_filter.asTable)
        return send(type, event.object);
    writeLine(line(type, event.objectJson()));
}

bool WatchSession::writeLine(const QByteArray& line)
{
    if (m_responder->pendingBytes() > kMaxPendingBytes) {
        qCWarning(lcSandbox) << "cutting off a watch on" << m_filter.type->resource << "whose client does not keep up";
        end();
        return false;
    }
    if (!m_responder->writeChunk(line)) {
        end();
        return false;
    }
    return true;
}

void WatchSession::sendBookmark()
{
    if (m_ended)
        return;
    const QJsonObject bookmark{
        {QStringLiteral("kind"), m_filter.type->kind},
        {QStringLiteral("apiVersion"), m_filter.type->apiVersion()},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("resourceVersion"), QString::number(m_currentResourceVersion())},
                     {QStringLiteral("creationTimestamp"), QJsonValue::Null}}}};
    if (m_responder && !m_responder->writeChunk(line(QStringLiteral("BOOKMARK"), bookmark)))
        return end();
    m_bookmark = m_clock->schedule(m_bookmarkIntervalMs, this, [this] { sendBookmark(); });
}

void WatchSession::fail(const Error& error)
{
    if (m_ended)
        return;
    if (m_responder) {
        if (!m_responder->hasStarted())
            m_responder->beginStream(200, QByteArrayLiteral("application/json"),
                                     {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache, private")}});
        m_responder->writeChunk(line(QStringLiteral("ERROR"), kube::statusObject(error)));
    }
    end();
}

void WatchSession::end()
{
    if (m_ended)
        return;
    m_ended = true;
    m_timeout.cancel();
    m_bookmark.cancel();
    if (m_responder && m_responder->isConnected())
        m_responder->endStream();
    Q_EMIT finished(this);
}

} // namespace vk::sandbox
