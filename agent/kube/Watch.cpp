// SPDX-License-Identifier: Apache-2.0
#include "kube/Watch.h"

#include "core/KubeStatus.h"
#include "kube/ApiClient.h"
#include "kube/Logging.h"

#include <QNetworkReply>
#include <QNetworkRequest>

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
    dropReply();
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
    m_client->openStream(m_gvr.path(m_gvr.namespaced ? m_namespace : QString()), m_options.toQuery(), this,
                         [this, generation](Result<QNetworkReply*> reply) {
                             if (generation != m_generation || !m_running) {
                                 if (reply) {
                                     reply.value()->abort();
                                     reply.value()->deleteLater();
                                 }
                                 return;
                             }
                             onStarted(std::move(reply));
                         });
}

void Watch::stop()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_guard.cancel();
    dropReply();
}

void Watch::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void Watch::onStarted(Result<QNetworkReply*> reply)
{
    if (!reply)
        return finishWith(reply.error());
    m_reply = reply.value();
    connect(m_reply, &QNetworkReply::readyRead, this, &Watch::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &Watch::onReplyFinished);
}

bool Watch::checkStatus()
{
    if (m_httpStatus == 0 && m_reply)
        m_httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return m_httpStatus >= 200 && m_httpStatus < 300;
}

void Watch::onReadyRead()
{
    if (!m_reply || !m_running)
        return;
    if (!checkStatus()) {
        const QByteArray chunk = m_reply->readAll();
        if (m_errorBody.size() < 1024 * 1024)
            m_errorBody.append(chunk);
        return;
    }
    // A slice at a time: a burst of events (hundreds of pods) is parsed and handed out in bounded batches instead of
    // being held parsed all at once.
    constexpr qint64 kSliceBytes = 64 * 1024;
    QPointer<Watch> self(this);
    const quint64 generation = m_generation;
    while (m_reply && m_reply->bytesAvailable() > 0) {
        auto objects = m_decoder.feedWithText(m_reply->read(kSliceBytes));
        if (!objects) {
            Error error = objects.error();
            return finishWith(error.prefix(describe()));
        }
        for (const WatchDecoder::Decoded& decoded : objects.value()) {
            auto event = WatchEvent::fromJson(decoded.object);
            if (!event) {
                qCWarning(lcKube).noquote() << describe() << "skipping an event:" << event.error().message();
                continue;
            }
            if (event->type == WatchEvent::Type::Added || event->type == WatchEvent::Type::Modified)
                event->objectJson = WatchDecoder::objectMemberText(decoded.text);
            if (event->type != WatchEvent::Type::Error) {
                const QString rv = event->resourceVersion();
                if (!rv.isEmpty())
                    m_lastResourceVersion = rv;
            }
            Q_EMIT eventReceived(event.value());
            if (!self || generation != m_generation || !m_running)
                return; // a receiver stopped or deleted us
            if (event->type == WatchEvent::Type::Error) {
                const Error error = event->error();
                qCInfo(lcKube).noquote() << describe() << "ERROR event:" << error.toString();
                return finishWith(error);
            }
        }
    }
}

void Watch::onReplyFinished()
{
    if (!m_reply || !m_running)
        return;
    // Deliver whatever arrived with the end of the stream first.
    if (m_reply->bytesAvailable() > 0) {
        QPointer<Watch> self(this);
        const quint64 generation = m_generation;
        onReadyRead();
        if (!self || generation != m_generation || !m_running)
            return;
    }
    QNetworkReply* reply = m_reply;
    const QNetworkReply::NetworkError netError = reply->error();
    const bool ok = checkStatus();
    if (m_httpStatus == 0 || (netError != QNetworkReply::NoError && int(netError) < 100)) {
        Error error = Error::network(describe() + QStringLiteral(": ") + reply->errorString());
        if (netError == QNetworkReply::TimeoutError) {
            error = Error(ErrorCategory::Timeout, describe() + QStringLiteral(": ") + reply->errorString());
            error.setHttpCode(0);
        }
        qCInfo(lcKube).noquote() << describe() << "failed:" << reply->errorString();
        return finishWith(error);
    }
    if (!ok) {
        const Error error = errorFromResponse(m_httpStatus, m_errorBody, reply->rawHeader("Retry-After"));
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
    dropReply();
    Q_EMIT finished(status);
}

} // namespace vk::kube
