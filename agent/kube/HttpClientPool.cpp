// SPDX-License-Identifier: Apache-2.0
#include "kube/HttpClientPool.h"

#include "core/Clock.h"
#include "kube/Logging.h"

#include <http_parser.h>

#include <QBasicTimer>
#include <QCryptographicHash>
#include <QPointer>
#include <QSslSocket>
#include <QTimerEvent>

#include <algorithm>
#include <climits>
#include <deque>
#include <optional>
#include <vector>

namespace vk::kube {

QByteArray headerValue(const HeaderList& headers, const QByteArray& name)
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool isIdempotent(const QByteArray& method)
{
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

QByteArray HttpClientResponse::header(const QByteArray& name) const
{
    return headerValue(headers, name);
}

namespace {

struct Pending
{
    quint64 ticket = 0;
    HttpClientRequest request;
    HttpClientPool::Done done;
    std::shared_ptr<HttpStreamHandlers> stream; ///< set for a stream: read as it arrives, never pooled
    bool resent = false;                        ///< already sent again after meeting a closed kept-alive connection
};

bool isHttps(const QUrl& url)
{
    return url.scheme() == QLatin1String("https");
}

/// A plain-HTTP request through an HTTP proxy goes to the proxy, in absolute form (no tunnel).
bool viaHttpProxyInAbsoluteForm(const HttpClientRequest& request)
{
    return !isHttps(request.url) && request.proxy.type() == QNetworkProxy::HttpProxy;
}

HttpClientResponse::Failure failureOf(QAbstractSocket::SocketError error)
{
    using Failure = HttpClientResponse::Failure;
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return Failure::Refused;
    case QAbstractSocket::HostNotFoundError:
        return Failure::HostNotFound;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return Failure::Tls;
    case QAbstractSocket::SocketTimeoutError:
        return Failure::Timeout;
    case QAbstractSocket::RemoteHostClosedError:
        return Failure::Closed;
    default:
        return Failure::Other;
    }
}

QByteArray requestHead(const HttpClientRequest& request)
{
    QByteArray target = request.url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (request.url.hasQuery())
        target += '?' + request.url.query(QUrl::FullyEncoded).toUtf8();
    const bool absoluteForm = viaHttpProxyInAbsoluteForm(request);
    if (absoluteForm) {
        target = request.url.scheme().toUtf8() + "://" +
                 request.url.authority(QUrl::RemoveUserInfo | QUrl::FullyEncoded).toUtf8() + target;
    }
    QByteArray head;
    head.reserve(256 + target.size());
    head += request.method + ' ' + target +
            " HTTP/1.1\r\nHost: " + request.url.authority(QUrl::RemoveUserInfo | QUrl::FullyEncoded).toUtf8() + "\r\n";
    for (const auto& [name, value] : request.headers)
        head += name + ": " + value + "\r\n";
    if (absoluteForm && !request.proxy.user().isEmpty()) {
        head += "Proxy-Authorization: Basic " +
                (request.proxy.user() + QLatin1Char(':') + request.proxy.password()).toUtf8().toBase64() + "\r\n";
    }
    if (!request.body.isEmpty() || request.sendsBody)
        head += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    head += "\r\n";
    return head;
}

} // namespace

struct HttpClientPool::Private
{
    struct Server
    {
        std::vector<Connection*> connections;
        std::deque<Pending> queue;
        bool pumpScheduled = false;
    };

    HttpClientPool* q = nullptr;
    Clock* clock = nullptr;
    int maxPerServer = 6;
    quint64 nextTicket = 1;
    QHash<QString, Server> servers;
    std::vector<Connection*> streams; ///< one connection each
    // Every request of a client brings the same certificate: its digest is computed once.
    QSslCertificate lastCertificate;
    QString lastCertificateDigest;

    /// Which connections a request may share: same server, same TLS identity and checks, same proxy.
    QString serverKey(const HttpClientRequest& request);
    void pump(const QString& key);
    void finished(Connection* connection, Pending pending, HttpClientResponse response, bool reusable);
    void resend(Connection* connection, Pending pending);
    void drop(Connection* connection);
};

/// One kept-alive connection: one exchange at a time.
class HttpClientPool::Connection : public QObject
{
public:
    /// streamTicket: the stream this connection is for; 0 for a pooled connection.
    Connection(Private* pool, QString key, quint64 streamTicket = 0)
        : m_pool(pool), m_key(std::move(key)), m_socket(new QSslSocket(this)), m_streamTicket(streamTicket)
    {
        http_parser_settings_init(&m_settings);
        m_settings.on_header_field = &onHeaderField;
        m_settings.on_header_value = &onHeaderValue;
        m_settings.on_headers_complete = &onHeadersComplete;
        m_settings.on_body = &onBody;
        m_settings.on_message_complete = &onMessageComplete;
        connect(m_socket, &QSslSocket::connected, this, [this] {
            if (!m_encrypted)
                onReady();
        });
        connect(m_socket, &QSslSocket::encrypted, this, [this] { onReady(); });
        connect(m_socket, &QSslSocket::readyRead, this, [this] { onReadyRead(); });
        connect(m_socket, &QSslSocket::bytesWritten, this, [this] { restartTimer(); });
        connect(m_socket, &QSslSocket::sslErrors, this,
                [this](const QList<QSslError>& errors) { onSslErrors(errors); });
        connect(m_socket, &QSslSocket::errorOccurred, this,
                [this](QAbstractSocket::SocketError error) { onSocketFailed(failureOf(error)); });
        connect(m_socket, &QSslSocket::disconnected, this,
                [this] { onSocketFailed(HttpClientResponse::Failure::Closed); });
    }

    const QString& key() const { return m_key; }
    bool isBusy() const { return m_current.has_value(); }
    /// Idle (kept alive after an exchange) for longer than the pool's idle timeout.
    bool isStale() const
    {
        return !m_current && m_exchanges > 0 && m_pool->clock->monotonicMs() - m_idleSinceMs > kIdleTimeoutMs;
    }
    bool hasTicket(quint64 ticket) const
    {
        return (m_current && m_current->ticket == ticket) || (m_streamTicket != 0 && m_streamTicket == ticket);
    }

    void start(Pending pending)
    {
        if (m_closed)
            return; // cancelled before it started
        m_current = std::move(pending);
        m_response = HttpClientResponse();
        m_receivedAny = false;
        m_complete = false;
        m_field.clear();
        m_value.clear();
        m_inValue = false;
        http_parser_init(&m_parser, HTTP_RESPONSE);
        m_parser.data = this;
        m_headDelivered = false;
        m_streamData.clear();
        restartTimer();
        if (m_ready)
            return writeRequest();
        if (m_connecting)
            return;
        m_connecting = true;
        const HttpClientRequest& request = m_current->request;
        const bool https = isHttps(request.url);
        const quint16 port = quint16(request.url.port(https ? 443 : 80));
        if (viaHttpProxyInAbsoluteForm(request)) {
            m_socket->setProxy(QNetworkProxy::NoProxy);
            return m_socket->connectToHost(request.proxy.hostName(), request.proxy.port());
        }
        m_socket->setProxy(request.proxy);
        if (!https)
            return m_socket->connectToHost(request.url.host(), port);
        m_encrypted = true;
        QSslConfiguration ssl = request.ssl;
        ssl.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
        m_socket->setSslConfiguration(ssl);
        if (request.peerVerifyName.isEmpty())
            m_socket->connectToHostEncrypted(request.url.host(), port);
        else
            m_socket->connectToHostEncrypted(request.url.host(), port, request.peerVerifyName);
    }

    /// Drops the exchange on the wire without calling back; the connection is of no further use.
    void abandon()
    {
        m_current.reset();
        close();
    }

protected:
    void timerEvent(QTimerEvent* event) override
    {
        if (event->timerId() != m_timer.timerId())
            return QObject::timerEvent(event);
        m_timer.stop();
        if (!m_current)
            return;
        fail(HttpClientResponse::Failure::Timeout,
             QStringLiteral("no answer within %1 ms").arg(m_current->request.timeoutMs));
    }

private:
    static Connection* self(http_parser* p) { return static_cast<Connection*>(p->data); }

    void finishHeader()
    {
        m_response.headers.append({std::move(m_field), std::move(m_value)});
        m_field = QByteArray();
        m_value = QByteArray();
        m_inValue = false;
    }

    static int onHeaderField(http_parser* p, const char* at, size_t length)
    {
        Connection* c = self(p);
        if (c->m_inValue)
            c->finishHeader();
        c->m_field.append(at, qsizetype(length));
        return 0;
    }

    static int onHeaderValue(http_parser* p, const char* at, size_t length)
    {
        Connection* c = self(p);
        c->m_inValue = true;
        c->m_value.append(at, qsizetype(length));
        return 0;
    }

    static int onHeadersComplete(http_parser* p)
    {
        Connection* c = self(p);
        if (c->m_inValue || !c->m_field.isEmpty())
            c->finishHeader();
        c->m_response.status = int(p->status_code);
        if (p->content_length != ULLONG_MAX && p->content_length > 0 && p->content_length < (1ULL << 30))
            c->m_response.body.reserve(qsizetype(p->content_length));
        // 1 tells the library that no body follows (the answer to HEAD).
        return c->m_current && c->m_current->request.method == "HEAD" ? 1 : 0;
    }

    static int onBody(http_parser* p, const char* at, size_t length)
    {
        Connection* c = self(p);
        (c->isStream() ? c->m_streamData : c->m_response.body).append(at, qsizetype(length));
        return 0;
    }

    static int onMessageComplete(http_parser* p)
    {
        Connection* c = self(p);
        if (c->m_response.status >= 100 && c->m_response.status < 200) {
            // An interim answer (100 Continue): the real one follows.
            c->m_response = HttpClientResponse();
            return 0;
        }
        c->m_complete = true;
        c->m_keepAlive = http_should_keep_alive(p) != 0;
        http_parser_pause(p, 1);
        return 0;
    }

    bool isStream() const { return m_current && m_current->stream; }

    void restartTimer()
    {
        if (m_current && !m_current->stream && m_current->request.timeoutMs > 0)
            m_timer.start(m_current->request.timeoutMs, Qt::CoarseTimer, this);
    }

    void onReady()
    {
        m_connecting = false;
        m_ready = true;
        if (m_current)
            writeRequest();
    }

    void writeRequest()
    {
        const HttpClientRequest& request = m_current->request;
        m_socket->write(requestHead(request));
        if (!request.body.isEmpty())
            m_socket->write(request.body);
        restartTimer();
        // Out now rather than at the event loop's next pass (QSslSocket flushes by a queued call, and the TCP socket
        // then waits for its write notifier): under load every pass can take milliseconds. A write error arrives
        // through the socket's errorOccurred, as it would later.
        m_socket->flush();
    }

    void onReadyRead()
    {
        const QByteArray data = m_socket->readAll();
        if (data.isEmpty())
            return;
        if (!m_current) {
            // Bytes nobody asked for: the connection can no longer be trusted.
            close();
            return m_pool->drop(this);
        }
        m_receivedAny = true;
        restartTimer();
        const size_t consumed = http_parser_execute(&m_parser, &m_settings, data.constData(), size_t(data.size()));
        const http_errno error = HTTP_PARSER_ERRNO(&m_parser);
        if (error != HPE_OK && error != HPE_PAUSED) {
            return fail(
                HttpClientResponse::Failure::Other,
                QStringLiteral("malformed HTTP answer: %1").arg(QString::fromLatin1(http_errno_description(error))));
        }
        if (isStream())
            return deliverStream();
        if (!m_complete)
            return;
        // Anything after the answer is unexpected (we never pipeline): do not reuse the connection then.
        complete(m_keepAlive && consumed == size_t(data.size()));
    }

    void onSslErrors(const QList<QSslError>& errors)
    {
        if (m_current && m_current->request.ignoreTlsErrors) {
            m_socket->ignoreSslErrors();
            return;
        }
        const QString what = m_current ? QString::fromLatin1(m_current->request.method) + QLatin1Char(' ') +
                                             m_current->request.url.toString(QUrl::RemoveUserInfo)
                                       : m_key;
        for (const QSslError& e : errors)
            qCInfo(lcKube).noquote() << what << "TLS:" << e.errorString();
    }

    void onSocketFailed(HttpClientResponse::Failure failure)
    {
        if (m_closed)
            return;
        if (m_current && !m_complete && failure == HttpClientResponse::Failure::Closed && m_receivedAny) {
            // An answer without length ends with the connection.
            http_parser_execute(&m_parser, &m_settings, nullptr, 0);
            if (m_complete)
                return isStream() ? deliverStream() : complete(false);
        }
        if (m_current && !m_receivedAny && m_exchanges > 0 && !m_current->resent &&
            isIdempotent(m_current->request.method) &&
            (failure == HttpClientResponse::Failure::Closed || failure == HttpClientResponse::Failure::Other)) {
            // The server closed the kept-alive connection as the request went out: send it again, once. Only when
            // repeating it is harmless (as Go's transport): a POST or PATCH may have been carried out already.
            Pending pending = std::move(*m_current);
            m_current.reset();
            pending.resent = true;
            close();
            return m_pool->resend(this, std::move(pending));
        }
        QString message = m_socket->errorString();
        if (failure == HttpClientResponse::Failure::Tls)
            message = QStringLiteral("TLS handshake failed: ") + message;
        if (failure == HttpClientResponse::Failure::Closed)
            message = m_receivedAny ? QStringLiteral("the server closed the connection in the middle of the answer")
                                    : QStringLiteral("the server closed the connection without answering");
        fail(failure, message);
    }

    /// Hands a stream's head, data and end to its reader, each only while the reader keeps the stream open.
    void deliverStream()
    {
        const std::shared_ptr<HttpStreamHandlers> stream = m_current->stream;
        const quint64 ticket = m_current->ticket;
        QPointer<Connection> self(this);
        const auto stillOpen = [&] { return self && m_current && m_current->ticket == ticket; };
        if (!m_headDelivered && m_response.status != 0) {
            m_headDelivered = true;
            if (stream->head)
                stream->head(m_response.status, m_response.headers);
            if (!stillOpen())
                return;
        }
        if (!m_streamData.isEmpty()) {
            const QByteArray data = std::move(m_streamData);
            m_streamData = QByteArray();
            if (stream->data)
                stream->data(data);
            if (!stillOpen())
                return;
        }
        if (!m_complete)
            return;
        m_current.reset();
        close();
        m_pool->drop(this);
        if (stream->end)
            stream->end(HttpClientResponse::Failure::None, QString());
    }

    void fail(HttpClientResponse::Failure failure, QString message)
    {
        std::optional<Pending> pending = std::move(m_current);
        m_current.reset();
        close();
        if (!pending)
            return m_pool->drop(this);
        if (pending->stream) {
            m_pool->drop(this);
            if (pending->stream->end)
                pending->stream->end(failure, message);
            return;
        }
        HttpClientResponse response;
        response.failure = failure;
        response.errorString = std::move(message);
        m_pool->finished(this, std::move(*pending), std::move(response), false);
    }

    void complete(bool reusable)
    {
        Pending pending = std::move(*m_current);
        m_current.reset();
        m_timer.stop();
        ++m_exchanges;
        m_idleSinceMs = m_pool->clock->monotonicMs();
        if (!reusable)
            close();
        m_pool->finished(this, std::move(pending), std::move(m_response), reusable);
    }

    void close()
    {
        m_timer.stop();
        if (m_closed)
            return;
        m_closed = true;
        m_ready = false;
        m_socket->disconnect(this);
        m_socket->abort();
    }

    Private* m_pool;
    QString m_key;
    QSslSocket* m_socket;
    http_parser m_parser{};
    http_parser_settings m_settings{};
    std::optional<Pending> m_current;
    HttpClientResponse m_response;
    QByteArray m_streamData; ///< a stream's body bytes not handed out yet
    QByteArray m_field;
    QByteArray m_value;
    QBasicTimer m_timer;
    int m_exchanges = 0;
    qint64 m_idleSinceMs = 0;
    quint64 m_streamTicket = 0;
    bool m_inValue = false;
    bool m_headDelivered = false;
    bool m_receivedAny = false;
    bool m_complete = false;
    bool m_keepAlive = false;
    bool m_encrypted = false;
    bool m_connecting = false;
    bool m_ready = false;
    bool m_closed = false;
};

QString HttpClientPool::Private::serverKey(const HttpClientRequest& request)
{
    const bool https = isHttps(request.url);
    QString key = request.url.scheme() + QStringLiteral("://") + request.url.host() + QLatin1Char(':') +
                  QString::number(request.url.port(https ? 443 : 80));
    if (https) {
        key += QLatin1Char('|') + request.peerVerifyName +
               (request.ignoreTlsErrors ? QStringLiteral("|insecure") : QString());
        const QSslCertificate certificate = request.ssl.localCertificate();
        if (!certificate.isNull()) {
            if (certificate != lastCertificate) {
                lastCertificate = certificate;
                lastCertificateDigest = QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
            }
            key += QLatin1Char('|') + lastCertificateDigest;
        }
    }
    const QNetworkProxy& proxy = request.proxy;
    if (proxy.type() != QNetworkProxy::DefaultProxy) {
        key += QStringLiteral("|proxy:%1:%2@%3:%4")
                   .arg(int(proxy.type()))
                   .arg(proxy.user(), proxy.hostName())
                   .arg(proxy.port());
    }
    return key;
}

void HttpClientPool::Private::pump(const QString& key)
{
    auto it = servers.find(key);
    if (it == servers.end())
        return;
    Server& server = it.value();
    // Connections idle for too long are closed rather than trusted with a request.
    std::vector<Connection*> stale;
    for (Connection* c : server.connections) {
        if (c->isStale())
            stale.push_back(c);
    }
    for (Connection* c : stale) {
        c->abandon();
        drop(c);
    }
    while (!server.queue.empty()) {
        Connection* idle = nullptr;
        for (Connection* c : server.connections) {
            if (!c->isBusy()) {
                idle = c;
                break;
            }
        }
        if (!idle) {
            if (int(server.connections.size()) >= maxPerServer)
                return;
            idle = new Connection(this, key);
            server.connections.push_back(idle);
        }
        Pending pending = std::move(server.queue.front());
        server.queue.pop_front();
        idle->start(std::move(pending));
    }
}

void HttpClientPool::Private::drop(Connection* connection)
{
    streams.erase(std::remove(streams.begin(), streams.end(), connection), streams.end());
    auto it = servers.find(connection->key());
    if (it != servers.end()) {
        auto& list = it->connections;
        list.erase(std::remove(list.begin(), list.end(), connection), list.end());
    }
    connection->deleteLater();
}

void HttpClientPool::Private::finished(Connection* connection,
                                       Pending pending,
                                       HttpClientResponse response,
                                       bool reusable)
{
    const QString key = connection->key();
    if (!reusable)
        drop(connection);
    QPointer<HttpClientPool> guard(q);
    Done done = std::move(pending.done);
    done(std::move(response));
    if (guard)
        pump(key);
}

void HttpClientPool::Private::resend(Connection* connection, Pending pending)
{
    const QString key = connection->key();
    drop(connection);
    servers[key].queue.push_front(std::move(pending));
    pump(key);
}

HttpClientPool::HttpClientPool(int maxConnectionsPerServer, Clock* clock, QObject* parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
    d->clock = clock ? clock : Clock::system();
    d->maxPerServer = qMax(1, maxConnectionsPerServer);
}

HttpClientPool::~HttpClientPool()
{
    // A connection may be the one whose signal is being delivered right now: never delete it synchronously.
    for (auto& server : d->servers) {
        for (Connection* c : server.connections) {
            c->abandon();
            c->deleteLater();
        }
    }
    for (Connection* c : d->streams) {
        c->abandon();
        c->deleteLater();
    }
}

quint64 HttpClientPool::send(HttpClientRequest request, Done done)
{
    const quint64 ticket = d->nextTicket++;
    const QString key = d->serverKey(request);
    Private::Server& server = d->servers[key];
    server.queue.push_back(Pending{ticket, std::move(request), std::move(done), nullptr, false});
    // Never start inside send(): a failure could otherwise call back before send() returned.
    if (!server.pumpScheduled) {
        server.pumpScheduled = true;
        QMetaObject::invokeMethod(
            this,
            [this, key] {
                d->servers[key].pumpScheduled = false;
                d->pump(key);
            },
            Qt::QueuedConnection);
    }
    return ticket;
}

quint64 HttpClientPool::openStream(HttpClientRequest request, HttpStreamHandlers handlers)
{
    const quint64 ticket = d->nextTicket++;
    auto* connection = new Connection(d.get(), d->serverKey(request), ticket);
    d->streams.push_back(connection);
    Pending pending{ticket, std::move(request), {}, std::make_shared<HttpStreamHandlers>(std::move(handlers)), false};
    QPointer<Connection> guard(connection);
    // Started from the event loop: a failure must not reach the handlers inside openStream().
    QMetaObject::invokeMethod(
        this,
        [guard, pending = std::move(pending)]() mutable {
            if (guard)
                guard->start(std::move(pending));
        },
        Qt::QueuedConnection);
    return ticket;
}

void HttpClientPool::cancel(quint64 ticket)
{
    for (Connection* c : d->streams) {
        if (c->hasTicket(ticket)) {
            c->abandon();
            d->drop(c);
            return;
        }
    }
    for (auto it = d->servers.begin(); it != d->servers.end(); ++it) {
        auto& queue = it->queue;
        for (auto q = queue.begin(); q != queue.end(); ++q) {
            if (q->ticket == ticket) {
                queue.erase(q);
                return;
            }
        }
        for (Connection* c : it->connections) {
            if (c->hasTicket(ticket)) {
                c->abandon();
                d->drop(c);
                return;
            }
        }
    }
}

int HttpClientPool::connectionCount() const
{
    int count = 0;
    for (const auto& server : d->servers)
        count += int(server.connections.size());
    return count + int(d->streams.size());
}

} // namespace vk::kube
