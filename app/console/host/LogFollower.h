// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QObject>
#include <QPointer>

class QNetworkReply;

namespace vk::kube {
class ApiClient;
}

namespace vk::console {

/// One `kubectl logs` request on the agent thread: GET pods/{name}/log with kubectl's options, streamed line by
/// line (follow keeps the stream open until the container ends or stop()). Errors carry the server's message.
class LogFollower : public QObject
{
    Q_OBJECT

public:
    LogFollower(kube::ApiClient* client, LogRequest request, QObject* parent = nullptr);
    ~LogFollower() override;

    void start();
    void stop();
    const LogRequest& request() const { return m_request; }

Q_SIGNALS:
    void lines(const QStringList& lines);
    /// The stream ended: empty error when the log simply ended.
    void finished(const QString& error);

private:
    void onReadyRead();
    void onFinished();

    kube::ApiClient* m_client;
    LogRequest m_request;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_partial;
    QByteArray m_errorBody;
    int m_httpStatus = 0;
    bool m_done = false;
};

} // namespace vk::console
