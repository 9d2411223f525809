// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spdy/SpdyConnection.h"
#include "streams/Streams.h"

#include <QPointer>

#include <map>

namespace vk::streams::spdy {

/// Port-forward over SPDY (portforward.k8s.io), as the kubelet's httpstream handler: the client opens a data and an
/// error stream per connection, tied by the "requestID" header (or derived from the stream ids, for old clients),
/// naming the pod port in "port". Each complete pair opens a provider stream and pipes bytes both ways; failures
/// are written as text on the error stream. Any number of pairs share one connection. Deletes itself when the
/// connection is gone.
class SpdyPortForward : public QObject
{
    Q_OBJECT

public:
    SpdyPortForward(QTcpSocket* socket, PortForwardFactory factory, StreamOptions options, QObject* parent = nullptr);

    void start(const QByteArray& early);

private:
    struct Pair
    {
        QByteArray requestId;
        quint32 dataStream = 0;
        quint32 errorStream = 0;
        quint16 port = 0;
        QPointer<provider::PortForwardStream> stream;
        bool started = false;
        bool done = false;
        ScheduledCall deadline;
    };

    void onStreamOpened(quint32 id, const SpdyHeaders& headers);
    void onData(quint32 id, const QByteArray& data);
    void onRemoteFinished(quint32 id);
    void startPair(Pair& pair);
    void endPair(const QByteArray& requestId, const QString& error);
    Pair* pairForStream(quint32 id);

    SpdyConnection* m_connection;
    PortForwardFactory m_factory;
    StreamOptions m_options;
    std::map<QByteArray, Pair> m_pairs;
};

} // namespace vk::streams::spdy
