// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to vk_http: one accepted connection of an HttpServer.

#include "http/HttpRequestParser.h"
#include "http/HttpServer.h"

#include <QPointer>
#include <QTimer>

class QSslSocket;

namespace vk::http {

class ClientCaVerifier;
class HttpConnection;

/// What every connection of one server shares. Owned by the server; connections stop using it on shutdown().
struct ConnectionContext
{
    HttpServer::Limits limits;
    HttpServer::Handler handler;
    const ClientCaVerifier* verifier = nullptr;
};

struct HttpResponder::Private
{
    QPointer<HttpConnection> connection;
    bool started = false;
    bool finished = false;
    bool disconnected = false;
    bool chunked = false;
    bool head = false;     // HEAD request: no body
    bool keepAlive = true; // the request allows keep-alive
    bool http10 = false;   // HTTP/1.0 client: no chunked framing
    bool upgrade = false;  // an upgrade request answered without takeSocket(): close afterwards
    bool closeAfter = false;
};

/// Reads requests from one socket (one at a time, in order), hands them to the handler with a fresh HttpResponder,
/// writes what the responder produces, and enforces limits and timeouts. Never deletes itself: it emits finished()
/// and the server deletes it later.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    HttpConnection(const ConnectionContext* context,
                   QTcpSocket* socket,
                   quint64 id,
                   bool rejectOverLimit,
                   QObject* parent = nullptr);
    ~HttpConnection() override;

    quint64 id() const { return m_id; }
    bool isRejecting() const { return m_reject; }
    void start();
    /// Server shutdown: an open response sees disconnected(), the socket is aborted, no finished() follows.
    void shutdown();

    // Used by HttpResponder.
    bool isWritable() const;
    void write(const QByteArray& data);
    void responseComplete(HttpResponder* responder, bool closeConnection);
    QTcpSocket* takeSocket(HttpResponder* responder, bool rewindToRequestStart, QByteArray* alreadyReceived);
    qint64 pendingBytes() const;

Q_SIGNALS:
    /// The connection is over (closed, failed or taken over); the server forgets it.
    void finished(vk::http::HttpConnection* connection);

private:
    enum class Phase
    {
        Open,
        Closing,
        Lingering,
        Closed,
        Taken
    };
    enum class TimerKind
    {
        None,
        Request,
        Idle,
        Closing
    };

    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onBytesSent(qint64 bytes);
    void onTimeout();

    void processInput();
    void queueProcessInput();
    void pullFromSocket();
    void discardInput();
    void compactInput();
    void dispatch();
    void failAndClose(int status, const Error& error);
    void closeGracefully();
    void halfCloseIfFlushed();
    void finish();
    void detachResponder(bool notify);
    void startTimer(TimerKind kind, int ms);
    void stopTimer();

    const ConnectionContext* m_ctx;
    QTcpSocket* m_socket;
    QSslSocket* m_ssl = nullptr;
    quint64 m_id;
    bool m_reject;
    Phase m_phase = Phase::Open;

    HttpRequestParser m_parser;
    QByteArray m_in; // received bytes; [0, m_parsed) are consumed by the parser
    qsizetype m_parsed = 0;

    QPointer<HttpResponder> m_responder;
    QTimer m_timer;
    TimerKind m_timerKind = TimerKind::None;
    bool m_processing = false;
    bool m_processQueued = false;
    bool m_halfClosed = false;

    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QList<QSslCertificate> m_peerChain;
    bool m_peerVerified = false;
};

} // namespace vk::http
