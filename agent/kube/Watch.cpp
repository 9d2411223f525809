// SPDX-License-Identifier: Apache-2.0
#include "kube/Watch.h"

#include "core/KubeStatus.h"
#include "kube/ApiClient.h"
#include "kube/Logging.h"

#include <QJsonDocument>

namespace vk::kube {

namespace {
constexpr int kGuardSlackSeconds = 30;
}

Watch::Watch(ApiClient* client, GroupVersionResource gvr, QString namespaceName, WatchOptions options, QObject* parent)
    : QObject(parent), m_client(client), m_gvr(std::move(gvr)), m_namespace(std::move(namespaceName)),
      m_options(std::move(options)), m_lastResourceVersion(m_options.resourceVersion)
{}

Watch::~Watch()
{
    m_guard.cancel();
    dropStream();
}

QUrl Watch::url() const
{
    return m_client->url(m_gvr.path(m_gvr.namespaced ? m_namespace : QString()), m_options.toQuery());
}

QString Watch::describe() const
{
    return QStringLiteral("watch GET ") + url().toString(QUrl::RemoveUserInfo);
}

void Watch::start()
{
    if (m_running)
        return;
    m_running = true;
    ++m_generation;
    m_decoder.reset();
    m_errorBody.clear();
    m_httpStatus = 0;
    const quint64 generation = m_generation;
    if (m_options.timeoutSeconds > 0) {
        m_guard = m_client->options().clock->schedule(
            (qint64(m_options.timeoutSeconds) + kGuardSlackSeconds) * 1000, this, [this, generation] {
                if (generation != m_generation || !m_running)
                    return;
                Error error(ErrorCategory::Timeout, QStringLiteral("%1: the stream did not end %2 s after its "
                                                                   "timeoutSeconds")
                                                        .arg(describe())
                                                        .arg(kGuardSlackSeconds));
                error.setHttpCode(0);
                finishWith(error);
            });
    }
    m_stream = m_client->stream(m_gvr.path(m_gvr.namespaced ? m_namespace : QString()), m_options.toQuery(), this);
    connect(m_stream, &ApiStream::headReceived, this, [this] { m_httpStatus = m_stream->status(); });
    connect(m_stream, &ApiStream::dataReceived, this, &Watch::onData);
    connect(m_stream, &ApiStream::finished, this, &Watch::onStreamFinished);
}

void Watch::stop()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_guard.cancel();
    dropStream();
}

void Watch::dropStream()
{
    if (!m_stream)
        return;
    ApiStream* stream = m_stream;
    m_stream = nullptr;
    stream->disconnect(this);
    stream->close();
    stream->deleteLater();
}

void Watch::onData(const QByteArray& data)
{
    if (!m_stream || !m_running)
        return;
    if (!statusOk()) {
        if (m_errorBody.size() < 1024 * 1024)
            m_errorBody.append(data);
        return;
    }
    // A slice at a time: a burst of events (hundreds of pods) is parsed and handed out in bounded batches instead of
    // being held parsed all at once.
    constexpr qsizetype kSliceBytes = 64 * 1024;
    QPointer<Watch> self(this);
    const quint64 generation = m_generation;
    for (qsizetype offset = 0; offset < data.size(); offset += kSliceBytes) {
        auto events = decode(data.size() <= kSliceBytes ? data : data.mid(offset, kSliceBytes));
        if (!events) {
            Error error = events.error();
            return finishWith(error.prefix(describe()));
        }
        for (const WatchEvent& event : events.value()) {
            if (event.type != WatchEvent::Type::Error) {
                const QString rv = event.resourceVersion();
                if (!rv.isEmpty())
                    m_lastResourceVersion = rv;
            }
            Q_EMIT eventReceived(event);
            if (!self || generation != m_generation || !m_running)
                return; // a receiver stopped or deleted us
            if (event.type == WatchEvent::Type::Error) {
                const Error error = event.error();
                qCInfo(lcKube).noquote() << describe() << "ERROR event:" << error.toString();
                return finishWith(error);
            }
        }
    }
}

Result<QList<WatchEvent>> Watch::decode(const QByteArray& slice)
{
    QList<WatchEvent> events;
    const auto add = [&](Result<WatchEvent> event) {
        if (event)
            events.append(std::move(event.value()));
        else
            qCWarning(lcKube).noquote() << describe() << "skipping an event:" << event.error().message();
    };
    // An event parsed whole, with its object's text as received.
    const auto addParsed = [&](const QJsonObject& object, const QByteArray& text) {
        auto event = WatchEvent::fromJson(object);
        if (event && (event->type == WatchEvent::Type::Added || event->type == WatchEvent::Type::Modified))
            event->objectJson = WatchDecoder::objectMemberText(text);
        add(std::move(event));
    };
    if (!m_options.lazyObjects) {
        auto objects = m_decoder.feedWithText(slice);
        if (!objects)
            return objects.error();
        for (const WatchDecoder::Decoded& decoded : objects.value())
            addParsed(decoded.object, decoded.text);
        return events;
    }
    auto texts = m_decoder.feedTexts(slice);
    if (!texts)
        return texts.error();
    for (const QByteArray& text : texts.value()) {
        if (std::optional<WatchEvent> lazy = WatchEvent::fromTextLazily(text)) {
            add(std::move(*lazy));
            continue;
        }
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return Error::badRequest(QStringLiteral("watch stream: invalid JSON object (%1 at byte %2 of an event)")
                                         .arg(error.errorString())
                                         .arg(error.offset));
        addParsed(doc.object(), text);
    }
    return events;
}

void Watch::onStreamFinished(const Status& status)
{
    if (!m_stream || !m_running)
        return;
    if (!status) {
        // The stream's message already names the request: "watch GET <url>: ...".
        const Error& failed = status.error();
        Error error(failed.category(), QStringLiteral("watch ") + failed.message());
        error.setReason(failed.reason()).setHttpCode(failed.httpCode());
        qCInfo(lcKube).noquote() << error.message();
        return finishWith(error);
    }
    if (m_httpStatus == 0) {
        return finishWith(Error::network(describe() + QStringLiteral(": the stream ended without an answer")));
    }
    if (!statusOk()) {
        const Error error = errorFromResponse(m_httpStatus, m_errorBody, m_stream->header("Retry-After"));
        qCInfo(lcKube).noquote() << describe() << "->" << m_httpStatus << error.toString();
        return finishWith(error);
    }
    if (m_decoder.hasPartialObject())
        return finishWith(Error::network(describe() + QStringLiteral(": the stream ended in the middle of an event")));
    qCDebug(lcKube).noquote() << describe() << "ended";
    finishWith(Status());
}

void Watch::finishWith(Status status)
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_guard.cancel();
    dropStream();
    Q_EMIT finished(status);
}

} // namespace vk::kube
