// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "kube/GroupVersionResource.h"
#include "kube/RequestOptions.h"
#include "kube/WatchEvent.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

namespace vk::kube {

class ApiClient;
class ApiStream;

/// One watch stream: GET {collection}?watch=true&resourceVersion=...&allowWatchBookmarks=true&timeoutSeconds=...
/// on a connection of its own (ApiClient::stream()), decoded incrementally as data arrives.
///
/// Emits eventReceived() per event, then finished() exactly once: OK when the server ended the stream (e.g.
/// after timeoutSeconds), an Error for a non-2xx answer, a transport failure, undecodable data, or an ERROR
/// event (emitted as an event first; 410 Expired becomes ErrorCategory::Gone). A client-side guard ends a
/// watch that outlives timeoutSeconds by 30 s with a Timeout. No retries: reconnecting is the Informer's job.
class Watch : public QObject
{
    Q_OBJECT

public:
    Watch(ApiClient* client,
          GroupVersionResource gvr,
          QString namespaceName,
          WatchOptions options,
          QObject* parent = nullptr);
    ~Watch() override;

    /// Sends the request (asynchronously). Does nothing while running.
    void start();
    /// Aborts the stream without emitting finished().
    void stop();
    bool isRunning() const { return m_running; }

    /// The resourceVersion of the last event or bookmark seen; the start version before any.
    QString lastResourceVersion() const { return m_lastResourceVersion; }
    const GroupVersionResource& resource() const { return m_gvr; }
    const QString& namespaceName() const { return m_namespace; }
    const WatchOptions& options() const { return m_options; }
    /// The URL of the watch request.
    QUrl url() const;

Q_SIGNALS:
    void eventReceived(const vk::kube::WatchEvent& event);
    void finished(const vk::Status& status);

private:
    void onData(const QByteArray& data);
    /// The events completed by a slice of the stream; an error when the stream cannot be decoded further. Events of
    /// an unknown type or without an object are skipped with a warning.
    Result<QList<WatchEvent>> decode(const QByteArray& slice);
    void onStreamFinished(const Status& status);
    bool statusOk() const { return m_httpStatus >= 200 && m_httpStatus < 300; }
    void finishWith(Status status);
    void dropStream();
    QString describe() const;

    ApiClient* m_client;
    GroupVersionResource m_gvr;
    QString m_namespace;
    WatchOptions m_options;
    QString m_lastResourceVersion;
    QPointer<ApiStream> m_stream;
    WatchDecoder m_decoder;
    QByteArray m_errorBody;
    int m_httpStatus = 0;
    quint64 m_generation = 0;
    bool m_running = false;
    ScheduledCall m_guard;
};

} // namespace vk::kube
