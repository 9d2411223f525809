// SPDX-License-Identifier: Apache-2.0
#include "LogFollower.h"

#include "core/KubeStatus.h"
#include "kube/ApiClient.h"

#include <QNetworkReply>
#include <QUrlQuery>

namespace vk::console {

LogFollower::LogFollower(kube::ApiClient* client, LogRequest request, QObject* parent)
    : QObject(parent), m_client(client), m_request(std::move(request))
{}

LogFollower::~LogFollower()
{
    stop();
}

void LogFollower::start()
{
    QUrlQuery query;
    if (!m_request.container.isEmpty())
        query.addQueryItem(QStringLiteral("container"), m_request.container);
    if (m_request.follow)
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    if (m_request.tailLines >= 0)
        query.addQueryItem(QStringLiteral("tailLines"), QString::number(m_request.tailLines));
    if (m_request.sinceSeconds > 0)
        query.addQueryItem(QStringLiteral("sinceSeconds"), QString::number(m_request.sinceSeconds));
    if (m_request.timestamps)
        query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    if (m_request.previous)
        query.addQueryItem(QStringLiteral("previous"), QStringLiteral("true"));
    const QString path = QStringLiteral("/api/v1/namespaces/%1/pods/%2/log")
                             .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_request.namespaceName)),
                                  QString::fromLatin1(QUrl::toPercentEncoding(m_request.pod)));
    m_client->openStream(path, query, this, [this](Result<QNetworkReply*> reply) {
        if (!reply) {
            m_done = true;
            Q_EMIT finished(reply.error().message());
            return;
        }
        if (m_done) {
            reply.value()->abort();
            reply.value()->deleteLater();
            return;
        }
        m_reply = reply.value();
        connect(m_reply, &QNetworkReply::readyRead, this, &LogFollower::onReadyRead);
        connect(m_reply, &QNetworkReply::finished, this, &LogFollower::onFinished);
    });
}

void LogFollower::stop()
{
    m_done = true;
    if (m_reply) {
        QNetworkReply* reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void LogFollower::onReadyRead()
{
    if (!m_reply)
        return;
    if (m_httpStatus == 0)
        m_httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray chunk = m_reply->readAll();
    if (m_httpStatus >= 300) {
        if (m_errorBody.size() < 64 * 1024)
            m_errorBody.append(chunk);
        return;
    }
    m_partial.append(chunk);
    const int lastNewline = int(m_partial.lastIndexOf('\n'));
    if (lastNewline < 0)
        return;
    const QByteArray complete = m_partial.left(lastNewline);
    m_partial.remove(0, lastNewline + 1);
    QStringList result;
    for (const QByteArray& line : complete.split('\n'))
        result.append(QString::fromUtf8(line));
    Q_EMIT lines(result);
}

void LogFollower::onFinished()
{
    if (!m_reply)
        return;
    onReadyRead();
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    QString error;
    if (m_httpStatus >= 300) {
        error = kube::errorFromResponse(m_httpStatus, m_errorBody).message();
    } else if (reply->error() != QNetworkReply::NoError && reply->error() != QNetworkReply::OperationCanceledError &&
               reply->error() != QNetworkReply::RemoteHostClosedError) {
        error = reply->errorString();
    }
    if (!m_partial.isEmpty() && error.isEmpty()) {
        Q_EMIT lines({QString::fromUtf8(m_partial)});
        m_partial.clear();
    }
    reply->deleteLater();
    m_done = true;
    Q_EMIT finished(error);
}

} // namespace vk::console
