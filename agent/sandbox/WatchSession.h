// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "api/FieldSelector.h"
#include "api/LabelSelector.h"
#include "core/Clock.h"
#include "sandbox/ObjectStore.h"
#include "sandbox/kinds/Kinds.h"

#include <QObject>
#include <QPointer>

namespace vk::http {
class HttpResponder;
}

namespace vk::sandbox {

/// How one watch filters and renders events.
struct WatchFilter
{
    const ResourceType* type = nullptr;
    QString namespaceName; ///< empty: all namespaces
    api::LabelSelector labels;
    api::FieldSelector fields;
    bool asTable = false;
    QString tableIncludeObject = QStringLiteral("Metadata");
    bool bookmarks = false;
    /// Turns a stored object into what this client sees (events.k8s.io/v1 views of core events); may be null.
    std::function<QJsonObject(const QJsonObject&)> convert;

    bool matches(const QJsonObject& object) const;
};

/// One open watch stream: turns store changes into watch events for a client, as kube-apiserver does (an object
/// that starts matching the filter arrives as ADDED, one that stops matching as DELETED), sends bookmarks, and
/// ends at its timeout or when the client goes. A slow client whose unsent bytes pile up is cut off.
class WatchSession : public QObject
{
    Q_OBJECT

public:
    WatchSession(WatchFilter filter,
                 http::HttpResponder* responder,
                 Clock* clock,
                 qint64 timeoutMs,
                 qint64 bookmarkIntervalMs,
                 std::function<quint64()> currentResourceVersion,
                 QObject* parent = nullptr);
    ~WatchSession() override;

    const WatchFilter& filter() const { return m_filter; }

    /// Starts the response and sends the initial events.
    void begin(const QList<QJsonObject>& initialObjects, const QList<ChangeEvent>& replay);
    /// A live change to the watched type.
    void deliver(const ChangeEvent& event);
    /// Ends the stream (server stopping, or an ERROR was sent).
    void end();
    /// Sends an ERROR event with a metav1.Status and ends.
    void fail(const Error& error);

    /// Renders one watch line; exposed for tests.
    static QByteArray line(const QString& type, const QJsonObject& object);
    /// The same line around an object already serialized (compact JSON): {"type":...,"object":...}, in
    /// kube-apiserver's member order.
    static QByteArray line(const QString& type, const QByteArray& objectJson);

Q_SIGNALS:
    void finished(vk::sandbox::WatchSession* session);

private:
    void send(const QString& type, const QJsonObject& object);
    /// Sends a change's object, serialized once for all watches when it needs no conversion.
    void send(const QString& type, const ChangeEvent& event);
    bool writeLine(const QByteArray& line);
    QJsonObject render(const QJsonObject& object) const;
    void sendBookmark();

    WatchFilter m_filter;
    QPointer<http::HttpResponder> m_responder;
    Clock* m_clock;
    std::function<quint64()> m_currentResourceVersion;
    qint64 m_bookmarkIntervalMs;
    ScheduledCall m_timeout;
    ScheduledCall m_bookmark;
    bool m_ended = false;
};

/// Whether an object satisfies a field selector, reading each field the way kube-apiserver does for its kind
/// (ResourceType::fieldValue), or by its dotted path when the kind says nothing.
bool matchesFields(const ResourceType& type, const api::FieldSelector& selector, const QJsonObject& object);

/// Builds the meta.k8s.io/v1 Table for objects of a type (kubectl get's server-side printing).
QJsonObject buildTable(const ResourceType& type,
                       const QList<QJsonObject>& objects,
                       const QString& includeObject,
                       const QDateTime& now,
                       const QString& resourceVersion,
                       bool withColumns = true);

} // namespace vk::sandbox
