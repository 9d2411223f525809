// SPDX-License-Identifier: Apache-2.0
#include "kube/ApiClient.h"

#include "core/Json.h"
#include "core/KubeStatus.h"
#include "kube/Backoff.h"
#include "kube/HttpClientPool.h"
#include "kube/Logging.h"
#include "kube/RateLimiter.h"
#include "kube/Watch.h"
#include "kube/WatchEvent.h"
#include "kubeconfig/Credentials.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslConfiguration>

#include <utility>

namespace vk::kube {

namespace {

using Failure = HttpClientResponse::Failure;

/// What a QNetworkReply error says, in the pool's terms.
Failure failureOf(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::NoError:
        return Failure::None;
    case QNetworkReply::ConnectionRefusedError:
        return Failure::Refused;
    case QNetworkReply::HostNotFoundError:
        return Failure::HostNotFound;
    case QNetworkReply::SslHandshakeFailedError:
        return Failure::Tls;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer timeout aborts the reply
        return Failure::Timeout;
    case QNetworkReply::RemoteHostClosedError:
        return Failure::Closed;
    default:
        // Codes of 100 and above are Qt's names for HTTP statuses, not transport failures.
        return int(error) < 100 ? Failure::Other : Failure::None;
    }
}

/// As QNetworkAccessManager's HTTP/1.1 limit per host.
constexpr int kConnectionsPerServer = 6;

/// Transport failures that prove the request never reached the server.
bool neverSent(Failure failure)
{
    return failure == Failure::Refused || failure == Failure::HostNotFound;
}

QNetworkProxy proxyFor(const QUrl& proxyUrl)
{
    const QString scheme = proxyUrl.scheme().toLower();
    QNetworkProxy proxy;
    if (scheme.startsWith(QLatin1String("socks5"))) {
        proxy.setType(QNetworkProxy::Socks5Proxy);
        proxy.setPort(quint16(proxyUrl.port(1080)));
    } else {
        proxy.setType(QNetworkProxy::HttpProxy);
        proxy.setPort(quint16(proxyUrl.port(scheme == QLatin1String("https") ? 443 : 8080)));
    }
    proxy.setHostName(proxyUrl.host());
    if (!proxyUrl.userName().isEmpty()) {
        proxy.setUser(proxyUrl.userName());
        proxy.setPassword(proxyUrl.password());
    }
    return proxy;
}

QString describe(const QByteArray& method, const QUrl& url)
{
    return QString::fromLatin1(method) + QLatin1Char(' ') + url.toString(QUrl::RemoveUserInfo);
}

} // namespace

QByteArray RawResponse::header(const QByteArray& name) const
{
    return headerValue(headers, name);
}

struct ApiClient::Private
{
    ClusterConnection connection;
    Options options;
    CredentialProvider* credentials = nullptr;
    RateLimiter* limiter = nullptr;
    HttpClientPool* pool = nullptr;             // short requests and watch streams
    QNetworkAccessManager* streamNam = nullptr; // log follows (QNetworkReply streams)
    QNetworkProxy proxy{QNetworkProxy::DefaultProxy};
    QSslConfiguration ssl;
    QByteArray userAgent;
};

/// One logical request: rate limiting, credentials, attempts, retries, and the single call back.
class ApiClient::Call : public QObject
{
public:
    Call(ApiClient* client,
         QByteArray method,
         QUrl url,
         QByteArray body,
         QByteArray contentType,
         QByteArray accept,
         QObject* context)
        : QObject(client), m_client(client), m_method(std::move(method)), m_url(std::move(url)),
          m_body(std::move(body)), m_contentType(std::move(contentType)), m_accept(std::move(accept)),
          m_context(context), m_hadContext(context != nullptr),
          m_backoff(client->d->options.retryInitialDelayMs, client->d->options.retryMaxDelayMs)
    {
        if (context)
            connect(context, &QObject::destroyed, this, [this] { cancel(); });
    }

    ~Call() override
    {
        m_retry.cancel();
        dropTicket();
    }

    RawCallback onDone;
    StreamCallback onStream;
    std::function<void(Result<HttpClientRequest>)> onPoolStream; ///< for ApiStream: the request, ready to open

    void start()
    {
        // Never call back synchronously from inside the public call.
        QMetaObject::invokeMethod(
            this, [this] { attempt(); }, Qt::QueuedConnection);
    }

private:
    bool contextGone() const { return m_hadContext && !m_context; }

    void dropTicket()
    {
        if (m_ticket != 0) {
            m_client->d->pool->cancel(m_ticket);
            m_ticket = 0;
        }
    }

    void cancel()
    {
        m_cancelled = true;
        m_retry.cancel();
        dropTicket();
        if (m_reply) {
            QNetworkReply* reply = m_reply;
            m_reply = nullptr;
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
        deleteLater();
    }

    void attempt()
    {
        if (m_cancelled || contextGone())
            return cancel();
        ++m_attempts;
        m_client->d->limiter->acquire(this, [this] { fetchCredentials(); });
    }

    void fetchCredentials()
    {
        m_client->d->credentials->fetch(this, [this](Result<Credentials> credentials) {
            if (m_cancelled)
                return;
            if (!credentials) {
                Error error = credentials.error();
                error.prefix(describe(m_method, m_url));
                return finish(error);
            }
            send(credentials.value());
        });
    }

    QNetworkRequest buildRequest(const Credentials& credentials) const
    {
        const Private& d = *m_client->d;
        QNetworkRequest request(m_url);
        request.setHeader(QNetworkRequest::UserAgentHeader, d.options.userAgent);
        request.setRawHeader("Accept", m_accept.isEmpty() ? QByteArrayLiteral("application/json") : m_accept);
        if (!m_contentType.isEmpty())
            request.setRawHeader("Content-Type", m_contentType);
        if (!credentials.authorizationHeader.isEmpty())
            request.setRawHeader("Authorization", credentials.authorizationHeader);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        if (!onStream && d.options.requestTimeoutMs > 0)
            request.setTransferTimeout(d.options.requestTimeoutMs);
        if (m_url.scheme() == QLatin1String("https")) {
            request.setSslConfiguration(sslFor(credentials));
            if (!d.connection.tlsServerName.isEmpty())
                request.setPeerVerifyName(d.connection.tlsServerName);
        }
        return request;
    }

    /// The connection's TLS settings with the client certificate of these credentials, else the kubeconfig's.
    QSslConfiguration sslFor(const Credentials& credentials) const
    {
        const Private& d = *m_client->d;
        QSslConfiguration ssl = d.ssl;
        if (!credentials.clientCertificate.isNull()) {
            ssl.setLocalCertificate(credentials.clientCertificate);
            ssl.setPrivateKey(credentials.clientKey);
        } else if (!d.connection.clientCertificate.isNull()) {
            ssl.setLocalCertificate(d.connection.clientCertificate);
            ssl.setPrivateKey(d.connection.clientKey);
        }
        return ssl;
    }

    HttpClientRequest buildPoolRequest(const Credentials& credentials) const
    {
        const Private& d = *m_client->d;
        HttpClientRequest request;
        request.method = m_method;
        request.url = m_url;
        request.headers.reserve(4);
        request.headers.append({QByteArrayLiteral("User-Agent"), d.userAgent});
        request.headers.append(
            {QByteArrayLiteral("Accept"), m_accept.isEmpty() ? QByteArrayLiteral("application/json") : m_accept});
        if (!m_contentType.isEmpty())
            request.headers.append({QByteArrayLiteral("Content-Type"), m_contentType});
        if (!credentials.authorizationHeader.isEmpty())
            request.headers.append({QByteArrayLiteral("Authorization"), credentials.authorizationHeader});
        request.body = m_body;
        request.sendsBody = m_method == "POST" || m_method == "PUT" || m_method == "PATCH";
        request.timeoutMs = onPoolStream ? 0 : d.options.requestTimeoutMs;
        request.proxy = d.proxy;
        if (m_url.scheme() == QLatin1String("https")) {
            request.ssl = sslFor(credentials);
            request.peerVerifyName = d.connection.tlsServerName;
            request.ignoreTlsErrors = d.connection.insecureSkipTlsVerify;
        }
        return request;
    }

    void send(const Credentials& credentials)
    {
        if (m_cancelled || contextGone())
            return cancel();
        const Private& d = *m_client->d;
        if (onPoolStream) {
            // The stream takes the request over; this call is done.
            auto callback = std::move(onPoolStream);
            onPoolStream = nullptr;
            m_cancelled = true;
            deleteLater();
            callback(buildPoolRequest(credentials));
            return;
        }
        if (!onStream) {
            qCDebug(lcKube).noquote() << "attempt" << m_attempts << describe(m_method, m_url);
            m_attemptTimer.start();
            m_ticket = d.pool->send(buildPoolRequest(credentials), [this](HttpClientResponse response) {
                m_ticket = 0;
                onAnswer(std::move(response));
            });
            return;
        }
        QNetworkAccessManager* nam = d.streamNam;
        const QNetworkRequest request = buildRequest(credentials);
        qCDebug(lcKube).noquote() << "attempt" << m_attempts << describe(m_method, m_url);
        QNetworkReply* reply = m_body.isEmpty() && m_method != "POST" && m_method != "PUT" && m_method != "PATCH"
                                   ? nam->sendCustomRequest(request, m_method)
                                   : nam->sendCustomRequest(request, m_method, m_body);
        if (d.connection.insecureSkipTlsVerify) {
            connect(reply, &QNetworkReply::sslErrors, reply,
                    [reply](const QList<QSslError>&) { reply->ignoreSslErrors(); });
        } else {
            connect(reply, &QNetworkReply::sslErrors, reply,
                    [method = m_method, url = m_url](const QList<QSslError>& errors) {
                        for (const QSslError& e : errors)
                            qCInfo(lcKube).noquote() << describe(method, url) << "TLS:" << e.errorString();
                    });
        }
        if (onStream) {
            // The caller takes over the reply; this call is done.
            StreamCallback callback = std::move(onStream);
            onStream = nullptr;
            deleteLater();
            m_cancelled = true;
            callback(reply);
            return;
        }
        m_reply = reply;
        m_attemptTimer.start();
        connect(reply, &QNetworkReply::finished, this, [this] { onFinished(); });
    }

    void onFinished()
    {
        QNetworkReply* reply = m_reply;
        m_reply = nullptr;
        if (!reply || m_cancelled)
            return;
        reply->deleteLater();
        HttpClientResponse answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.failure = failureOf(reply->error());
        if (answer.failure == Failure::None && answer.status == 0)
            answer.failure = Failure::Other;
        if (answer.failure != Failure::None) {
            answer.errorString = reply->errorString();
        } else {
            answer.headers = reply->rawHeaderPairs();
            answer.body = reply->readAll();
        }
        onAnswer(std::move(answer));
    }

    /// One attempt's answer, from the pool or from QNetworkAccessManager.
    void onAnswer(HttpClientResponse answer)
    {
        if (m_cancelled)
            return;
        const int status = answer.failure == Failure::None ? answer.status : 0;
        Q_EMIT m_client->requestCompleted(m_method, m_url.host() + QLatin1Char(':') + QString::number(m_url.port(443)),
                                          status, m_attemptTimer.elapsed());
        bool retryEvenIfNotIdempotent = false;
        bool retryAllowed = true;

        Error error;
        if (answer.failure != Failure::None) {
            const int timeoutMs = m_client->d->options.requestTimeoutMs;
            if (answer.failure == Failure::Timeout) {
                error =
                    Error(ErrorCategory::Timeout,
                          QStringLiteral("%1: no answer within %2 ms").arg(describe(m_method, m_url)).arg(timeoutMs));
                error.setHttpCode(0);
            } else {
                error = Error::network(describe(m_method, m_url) + QStringLiteral(": ") + answer.errorString);
            }
            retryEvenIfNotIdempotent = neverSent(answer.failure);
            retryAllowed = answer.failure != Failure::Tls;
            qCInfo(lcKube).noquote() << describe(m_method, m_url) << "failed:" << answer.errorString;
        } else {
            if (status >= 200 && status < 300) {
                RawResponse response;
                response.status = status;
                response.headers = std::move(answer.headers);
                response.body = std::move(answer.body);
                return finish(std::move(response));
            }
            error = errorFromResponse(status, answer.body, answer.header("Retry-After"));
            retryEvenIfNotIdempotent = error.category() == ErrorCategory::TooManyRequests;
            qCInfo(lcKube).noquote() << describe(m_method, m_url) << "->" << status << error.toString();
        }

        const Private& d = *m_client->d;
        if (error.category() == ErrorCategory::Unauthorized && !m_authRetried &&
            (d.credentials->usesExecPlugin() || !d.connection.tokenFile.isEmpty())) {
            m_authRetried = true;
            qCInfo(lcKube).noquote() << describe(m_method, m_url) << "401: refreshing credentials and retrying";
            d.credentials->invalidate();
            return attempt();
        }
        const bool mayRetry = retryAllowed && error.isRetryable() && m_retries < d.options.maxRetries &&
                              (isIdempotent(m_method) || retryEvenIfNotIdempotent);
        if (!mayRetry)
            return finish(error);
        ++m_retries;
        const qint64 delay =
            error.retryAfterSeconds() > 0 ? qint64(error.retryAfterSeconds()) * 1000 : m_backoff.next();
        qCDebug(lcKube).noquote() << "retry" << m_retries << "of" << describe(m_method, m_url) << "in" << delay << "ms";
        m_retry = d.options.clock->schedule(delay, this, [this] { attempt(); });
    }

    void finish(Result<RawResponse> result)
    {
        m_cancelled = true;
        deleteLater();
        if (contextGone())
            return;
        // A stream hears only of a failure here: on success it took its reply or request over in send().
        const auto failStream = [&result](auto callback) {
            if (!result)
                callback(result.error());
        };
        if (onStream)
            return failStream(std::exchange(onStream, nullptr));
        if (onPoolStream)
            return failStream(std::exchange(onPoolStream, nullptr));
        if (onDone) {
            RawCallback callback = std::move(onDone);
            callback(std::move(result));
        }
    }

    ApiClient* m_client;
    QByteArray m_method;
    QUrl m_url;
    QByteArray m_body;
    QByteArray m_contentType;
    QByteArray m_accept;
    QPointer<QObject> m_context;
    bool m_hadContext;
    Backoff m_backoff;
    QPointer<QNetworkReply> m_reply;
    quint64 m_ticket = 0; // the attempt waiting in the pool
    QElapsedTimer m_attemptTimer;
    ScheduledCall m_retry;
    int m_attempts = 0;
    int m_retries = 0;
    bool m_authRetried = false;
    bool m_cancelled = false;
};

ApiClient::ApiClient(ClusterConnection connection, QObject* parent)
    : ApiClient(std::move(connection), Options{}, parent)
{}

ApiClient::ApiClient(ClusterConnection connection, Options options, QObject* parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    if (!options.clock)
        options.clock = Clock::system();
    d->connection = std::move(connection);
    d->options = std::move(options);
    d->credentials = new CredentialProvider(d->connection, d->options.clock, this);
    d->limiter = new RateLimiter(d->options.qps, d->options.burst, d->options.clock, this);
    d->userAgent = d->options.userAgent.toUtf8();
    d->pool = new HttpClientPool(kConnectionsPerServer, d->options.clock, this);
    d->streamNam = new QNetworkAccessManager(this);
    d->streamNam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    if (d->connection.proxyUrl.isValid() && !d->connection.proxyUrl.host().isEmpty()) {
        d->proxy = proxyFor(d->connection.proxyUrl);
        d->streamNam->setProxy(d->proxy);
    }
    d->ssl = QSslConfiguration::defaultConfiguration();
    if (!d->connection.caCertificates.isEmpty())
        d->ssl.setCaCertificates(d->connection.caCertificates); // replaces the system CAs, as client-go does
    d->ssl.setAllowedNextProtocols({QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1});
}

ApiClient::~ApiClient()
{
    // Pending calls are dropped without calling back, before the network managers go.
    // (Call has no Q_OBJECT, so findChildren<Call*>() would match every child: pick them out by type.)
    const QObjectList children = this->children();
    for (QObject* child : children)
        delete dynamic_cast<Call*>(child);
}

const ClusterConnection& ApiClient::connection() const
{
    return d->connection;
}
const ApiClient::Options& ApiClient::options() const
{
    return d->options;
}
CredentialProvider* ApiClient::credentials() const
{
    return d->credentials;
}
RateLimiter* ApiClient::rateLimiter() const
{
    return d->limiter;
}

QString ApiClient::defaultNamespace() const
{
    return d->connection.namespaceName.isEmpty() ? QStringLiteral("default") : d->connection.namespaceName;
}

QUrl ApiClient::url(const QString& path, const QUrlQuery& query) const
{
    QUrl url = d->connection.server;
    QString prefix = url.path(QUrl::FullyEncoded);
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + (path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path), QUrl::TolerantMode);
    const QString encoded = encodeQuery(query);
    if (encoded.isEmpty())
        url.setQuery(QString());
    else
        url.setQuery(encoded, QUrl::TolerantMode);
    url.setFragment(QString());
    return url;
}

void ApiClient::request(const QByteArray& method,
                        const QString& path,
                        const QUrlQuery& query,
                        const QByteArray& body,
                        const QByteArray& contentType,
                        const QByteArray& accept,
                        QObject* context,
                        RawCallback callback)
{
    auto* call = new Call(this, method.toUpper(), url(path, query), body, contentType, accept, context);
    call->onDone = std::move(callback);
    call->start();
}

void ApiClient::openStream(const QString& path, const QUrlQuery& query, QObject* context, StreamCallback started)
{
    auto* call = new Call(this, QByteArrayLiteral("GET"), url(path, query), {}, {}, {}, context);
    call->onStream = std::move(started);
    call->start();
}

ApiStream* ApiClient::stream(const QString& path, const QUrlQuery& query, QObject* parent)
{
    const QUrl streamUrl = url(path, query);
    auto* stream = new ApiStream(this, parent);
    stream->m_what = describe("GET", streamUrl);
    auto* call = new Call(this, QByteArrayLiteral("GET"), streamUrl, {}, {}, {}, stream);
    call->onPoolStream = [stream](Result<HttpClientRequest> request) {
        if (!request)
            return stream->fail(request.error());
        stream->open(request.value());
    };
    call->start();
    return stream;
}

ApiStream::ApiStream(ApiClient* client, QObject* parent) : QObject(parent), m_client(client) {}

ApiStream::~ApiStream()
{
    close();
}

QByteArray ApiStream::header(const QByteArray& name) const
{
    return headerValue(m_headers, name);
}

void ApiStream::close()
{
    m_closed = true;
    if (m_ticket != 0 && m_client) {
        m_client->d->pool->cancel(m_ticket);
        m_ticket = 0;
    }
}

void ApiStream::fail(Error error)
{
    if (m_closed)
        return;
    m_closed = true;
    Q_EMIT finished(error);
}

void ApiStream::open(const HttpClientRequest& request)
{
    if (m_closed || !m_client)
        return;
    qCDebug(lcKube).noquote() << "stream" << describe(request.method, request.url);
    HttpStreamHandlers handlers;
    handlers.head = [this](int status, const QList<QPair<QByteArray, QByteArray>>& headers) {
        m_status = status;
        m_headers = headers;
        Q_EMIT headReceived();
    };
    handlers.data = [this](const QByteArray& data) { Q_EMIT dataReceived(data); };
    handlers.end = [this](HttpClientResponse::Failure failure, const QString& errorString) {
        m_ticket = 0;
        if (m_closed)
            return;
        m_closed = true;
        if (failure == HttpClientResponse::Failure::None)
            return Q_EMIT finished(Status());
        const QString message = m_what + QStringLiteral(": ") + errorString;
        Error error = failure == HttpClientResponse::Failure::Timeout ? Error(ErrorCategory::Timeout, message)
                                                                      : Error::network(message);
        if (failure == HttpClientResponse::Failure::Timeout)
            error.setHttpCode(0);
        Q_EMIT finished(error);
    };
    m_ticket = m_client->d->pool->openStream(request, std::move(handlers));
}

namespace {

/// An answer's body as a JSON object (an empty body is an empty object); errors name the request.
Result<QJsonObject> answerObject(const Result<RawResponse>& response, const QByteArray& method, const QString& path)
{
    if (!response)
        return response.error();
    if (response->body.trimmed().isEmpty())
        return QJsonObject{};
    return json::parseObject(response->body,
                             QStringLiteral("the answer to ") + QString::fromLatin1(method) + QLatin1Char(' ') + path);
}

ApiClient::RawCallback toJson(QByteArray method, QString path, ApiClient::JsonCallback callback)
{
    return [method = std::move(method), path = std::move(path), callback = std::move(callback)](
               Result<RawResponse> response) { callback(answerObject(response, method, path)); };
}

QString metadataName(const QJsonObject& object)
{
    return json::at(object, {QLatin1String("metadata"), QLatin1String("name")}).toString();
}

QString objectNamespace(const QJsonObject& object)
{
    return json::at(object, {QLatin1String("metadata"), QLatin1String("namespace")}).toString();
}

} // namespace

void ApiClient::get(const GroupVersionResource& gvr,
                    const QString& namespaceName,
                    const QString& name,
                    QObject* context,
                    JsonCallback callback)
{
    const QString path = gvr.path(namespaceName, name);
    request("GET", path, {}, {}, {}, {}, context, toJson("GET", path, std::move(callback)));
}

void ApiClient::list(const GroupVersionResource& gvr,
                     const QString& namespaceName,
                     const ListOptions& options,
                     QObject* context,
                     JsonCallback callback)
{
    const QString path = gvr.path(namespaceName);
    request("GET", path, options.toQuery(), {}, {}, {}, context, toJson("GET", path, std::move(callback)));
}

void ApiClient::listAll(const GroupVersionResource& gvr,
                        const QString& namespaceName,
                        const ListOptions& options,
                        QObject* context,
                        JsonCallback callback)
{
    listAllWithItemTexts(gvr, namespaceName, options, context,
                         [callback = std::move(callback)](Result<QJsonObject> list, const QList<QByteArray>&) {
                             callback(std::move(list));
                         });
}

void ApiClient::listAllWithItemTexts(const GroupVersionResource& gvr,
                                     const QString& namespaceName,
                                     const ListOptions& options,
                                     QObject* context,
                                     ListCallback callback)
{
    struct State
    {
        GroupVersionResource gvr;
        QString namespaceName;
        ListOptions options;
        ListCallback callback;
        QJsonObject first;
        QJsonArray items;
        QList<QByteArray> texts;
        bool textsComplete = true;
        bool restarted = false;
        std::function<void(const QString&)> page;
    };
    auto state = std::make_shared<State>();
    state->gvr = gvr;
    state->namespaceName = namespaceName;
    state->options = options;
    state->callback = std::move(callback);
    QPointer<QObject> ctx(context);
    const bool hadContext = context != nullptr;
    std::weak_ptr<State> weak = state;
    state->page = [this, weak, ctx, hadContext](const QString& continueToken) {
        auto s = weak.lock();
        if (!s || (hadContext && !ctx))
            return;
        ListOptions pageOptions = s->options;
        if (!continueToken.isEmpty()) {
            pageOptions.continueToken = continueToken;
            pageOptions.resourceVersion.clear(); // not allowed together with continue
            pageOptions.resourceVersionMatch.clear();
        }
        const QString path = s->gvr.path(s->namespaceName);
        // The callback owns the state until the last page; the state only knows itself weakly.
        request("GET", path, pageOptions.toQuery(), {}, {}, {}, ctx, [s, continueToken, path](Result<RawResponse> raw) {
            if (!s->callback)
                return; // the list has ended (an earlier page failed)
            // The next page is asked for before this one is parsed, so that the server writes it meanwhile: the
            // token comes from the page's metadata alone (a page whose metadata cannot be cut is parsed first).
            QString prefetched;
            if (raw) {
                const Result<QJsonObject> metadata =
                    json::parseObject(WatchDecoder::memberObjectText(raw->body, QByteArrayView("metadata")), {});
                if (metadata)
                    prefetched = metadata->value(QLatin1String("continue")).toString();
                if (!prefetched.isEmpty())
                    s->page(prefetched);
            }
            Result<QJsonObject> page = answerObject(raw, "GET", path);
            if (!page) {
                if (page.error().category() == ErrorCategory::Gone && !continueToken.isEmpty() && !s->restarted) {
                    qCInfo(lcKube).noquote()
                        << "list of" << s->gvr.displayName() << "continue token expired; listing again from the start";
                    s->restarted = true;
                    s->first = {};
                    s->items = {};
                    s->texts.clear();
                    s->textsComplete = true;
                    s->page(QString());
                    return;
                }
                auto callback = std::move(s->callback);
                s->page = nullptr;
                return callback(page.error(), {});
            }
            if (s->first.isEmpty())
                s->first = page.value();
            const QJsonArray items = page->value(QStringLiteral("items")).toArray();
            for (const auto& item : items)
                s->items.append(item);
            // Each item as the server wrote it, so that a cache keeping text need not serialize it again.
            if (s->textsComplete && !items.isEmpty()) {
                QList<QByteArray> texts = WatchDecoder::memberArrayItemTexts(raw->body, "items");
                if (texts.size() == items.size())
                    s->texts += texts;
                else
                    s->textsComplete = false;
            }
            const QString next =
                json::at(page.value(), {QLatin1String("metadata"), QLatin1String("continue")}).toString();
            if (!next.isEmpty()) {
                if (next != prefetched)
                    s->page(next);
                return;
            }
            QJsonObject result = s->first;
            QJsonObject metadata = result.value(QStringLiteral("metadata")).toObject();
            metadata.remove(QStringLiteral("continue"));
            metadata.remove(QStringLiteral("remainingItemCount"));
            result.insert(QStringLiteral("metadata"), metadata);
            result.insert(QStringLiteral("items"), s->items);
            auto callback = std::move(s->callback);
            s->page = nullptr; // break the cycle
            callback(result, s->textsComplete ? s->texts : QList<QByteArray>());
        });
    };
    state->page(options.continueToken);
}

void ApiClient::failLater(QObject* context, JsonCallback callback, Error error)
{
    QPointer<QObject> ctx(context);
    const bool hadContext = context != nullptr;
    QMetaObject::invokeMethod(
        this,
        [ctx, hadContext, callback = std::move(callback), error = std::move(error)] {
            if (!hadContext || ctx)
                callback(error);
        },
        Qt::QueuedConnection);
}

void ApiClient::create(const GroupVersionResource& gvr,
                       const QString& namespaceName,
                       const QJsonObject& object,
                       QObject* context,
                       JsonCallback callback)
{
    const QString ns = namespaceName.isEmpty() ? objectNamespace(object) : namespaceName;
    if (gvr.namespaced && ns.isEmpty())
        return failLater(context, std::move(callback),
                         Error::invalidInput(QStringLiteral("create %1: no namespace given").arg(gvr.displayName())));
    const QString path = gvr.path(ns);
    request("POST", path, {}, json::compact(object), "application/json", {}, context,
            toJson("POST", path, std::move(callback)));
}

void ApiClient::createSubresource(const GroupVersionResource& gvr,
                                  const QString& namespaceName,
                                  const QString& name,
                                  const QString& subresource,
                                  const QJsonObject& body,
                                  QObject* context,
                                  JsonCallback callback)
{
    const QString path = gvr.path(namespaceName, name, subresource);
    request("POST", path, {}, json::compact(body), "application/json", {}, context,
            toJson("POST", path, std::move(callback)));
}

void ApiClient::putObject(const GroupVersionResource& gvr,
                          const QString& namespaceName,
                          const QJsonObject& object,
                          const QString& subresource,
                          QObject* context,
                          JsonCallback callback)
{
    const QString name = metadataName(object);
    const QString ns = namespaceName.isEmpty() ? objectNamespace(object) : namespaceName;
    const QString what = subresource.isEmpty() ? QStringLiteral("update") : QStringLiteral("update ") + subresource;
    if (name.isEmpty())
        return failLater(
            context, std::move(callback),
            Error::invalidInput(QStringLiteral("%1 %2: the object has no metadata.name").arg(what, gvr.displayName())));
    if (gvr.namespaced && ns.isEmpty())
        return failLater(
            context, std::move(callback),
            Error::invalidInput(QStringLiteral("%1 %2 \"%3\": no namespace given").arg(what, gvr.displayName(), name)));
    const QString path = gvr.path(ns, name, subresource);
    request("PUT", path, {}, json::compact(object), "application/json", {}, context,
            toJson("PUT", path, std::move(callback)));
}

void ApiClient::update(const GroupVersionResource& gvr,
                       const QString& namespaceName,
                       const QJsonObject& object,
                       QObject* context,
                       JsonCallback callback)
{
    putObject(gvr, namespaceName, object, {}, context, std::move(callback));
}

void ApiClient::updateStatus(const GroupVersionResource& gvr,
                             const QString& namespaceName,
                             const QJsonObject& object,
                             QObject* context,
                             JsonCallback callback)
{
    putObject(gvr, namespaceName, object, QStringLiteral("status"), context, std::move(callback));
}

void ApiClient::patch(const GroupVersionResource& gvr,
                      const QString& namespaceName,
                      const QString& name,
                      PatchType type,
                      const QByteArray& body,
                      const QString& subresource,
                      QObject* context,
                      JsonCallback callback)
{
    const QString path = gvr.path(namespaceName, name, subresource);
    request("PATCH", path, {}, body, patchContentType(type), {}, context, toJson("PATCH", path, std::move(callback)));
}

void ApiClient::patch(const GroupVersionResource& gvr,
                      const QString& namespaceName,
                      const QString& name,
                      PatchType type,
                      const QByteArray& body,
                      QObject* context,
                      JsonCallback callback)
{
    patch(gvr, namespaceName, name, type, body, QString(), context, std::move(callback));
}

void ApiClient::remove(const GroupVersionResource& gvr,
                       const QString& namespaceName,
                       const QString& name,
                       const DeleteOptions& options,
                       QObject* context,
                       JsonCallback callback)
{
    const QString path = gvr.path(namespaceName, name);
    request("DELETE", path, {}, json::compact(options.toJson()), "application/json", {}, context,
            toJson("DELETE", path, std::move(callback)));
}

void ApiClient::remove(const GroupVersionResource& gvr,
                       const QString& namespaceName,
                       const QString& name,
                       QObject* context,
                       JsonCallback callback)
{
    remove(gvr, namespaceName, name, DeleteOptions{}, context, std::move(callback));
}

Watch* ApiClient::watch(const GroupVersionResource& gvr,
                        const QString& namespaceName,
                        const WatchOptions& options,
                        QObject* parent)
{
    auto* watch = new Watch(this, gvr, namespaceName, options, parent);
    watch->start();
    return watch;
}

} // namespace vk::kube
