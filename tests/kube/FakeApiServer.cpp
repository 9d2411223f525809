// SPDX-License-Identifier: Apache-2.0
#include "FakeApiServer.h"

#include "core/KubeStatus.h"
#include "core/Result.h"

#include <QFile>
#include <QJsonDocument>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace vk::test {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

} // namespace

/// One client connection: parses requests one after another and writes their answers.
class FakeConnection : public QObject
{
public:
    FakeConnection(FakeApiServer* server, QTcpSocket* socket) : QObject(server), m_server(server), m_socket(socket)
    {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QTcpSocket::disconnected, this, [this] { deleteLater(); });
        if (auto* ssl = qobject_cast<QSslSocket*>(socket)) {
            const QSslCertificate peer = ssl->peerCertificate();
            if (!peer.isNull())
                m_peerCommonName = peer.subjectInfo(QSslCertificate::CommonName).value(0);
        }
        onReadyRead();
    }

    void write(const QByteArray& data)
    {
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->write(data);
    }

    void answered()
    {
        m_current = nullptr;
        onReadyRead(); // a pipelined next request
    }

    void drop()
    {
        if (m_socket)
            m_socket->abort();
        deleteLater();
    }

    bool isConnected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }

private:
    void onReadyRead()
    {
        if (!m_socket)
            return;
        m_buffer.append(m_socket->readAll());
        while (!m_current) {
            const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
            FakeRequest request;
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            request.method = requestLine.value(0);
            request.target = requestLine.value(1);
            QByteArray pathAndQuery = request.target;
            if (pathAndQuery.startsWith("http://") || pathAndQuery.startsWith("https://")) {
                const qsizetype slash = pathAndQuery.indexOf('/', pathAndQuery.indexOf("://") + 3);
                pathAndQuery = slash < 0 ? QByteArray("/") : pathAndQuery.mid(slash);
            }
            const qsizetype q = pathAndQuery.indexOf('?');
            request.path = q < 0 ? pathAndQuery : pathAndQuery.left(q);
            request.rawQuery = q < 0 ? QByteArray() : pathAndQuery.mid(q + 1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    request.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length", "0").toLongLong();
            if (m_buffer.size() < headerEnd + 4 + length)
                return;
            request.body = m_buffer.mid(headerEnd + 4, length);
            m_buffer.remove(0, headerEnd + 4 + length);
            request.peerCommonName = m_peerCommonName;
            m_current = new FakeExchange(this, request);
            m_server->dispatch(m_current);
        }
    }

    FakeApiServer* m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    QPointer<FakeExchange> m_current;
    QString m_peerCommonName;
};

QString FakeRequest::queryValue(const QString& key) const
{
    const QList<QByteArray> items = rawQuery.split('&');
    for (const QByteArray& item : items) {
        const qsizetype eq = item.indexOf('=');
        const QByteArray k = eq < 0 ? item : item.left(eq);
        if (QUrl::fromPercentEncoding(k) == key)
            return eq < 0 ? QString() : QUrl::fromPercentEncoding(item.mid(eq + 1));
    }
    return {};
}

bool FakeRequest::hasQueryItem(const QString& key) const
{
    const QList<QByteArray> items = rawQuery.split('&');
    for (const QByteArray& item : items) {
        const qsizetype eq = item.indexOf('=');
        if (QUrl::fromPercentEncoding(eq < 0 ? item : item.left(eq)) == key)
            return true;
    }
    return false;
}

QJsonObject FakeRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

FakeExchange::FakeExchange(FakeConnection* connection, FakeRequest request)
    : QObject(connection), m_connection(connection), m_request(std::move(request))
{}

bool FakeExchange::isConnected() const
{
    return m_connection && m_connection->isConnected();
}

void FakeExchange::respond(int status,
                           const QByteArray& body,
                           const QByteArray& contentType,
                           const QList<QPair<QByteArray, QByteArray>>& extraHeaders)
{
    if (m_answered || !m_connection)
        return;
    m_answered = true;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        head += "Content-Type: " + contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto& [name, value] : extraHeaders)
        head += name + ": " + value + "\r\n";
    head += "\r\n";
    m_connection->write(head + body);
    m_connection->answered();
}

void FakeExchange::respondJson(int status,
                               const QJsonObject& body,
                               const QList<QPair<QByteArray, QByteArray>>& extraHeaders)
{
    respond(status, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", extraHeaders);
}

void FakeExchange::respondError(const vk::Error& error, const QList<QPair<QByteArray, QByteArray>>& extraHeaders)
{
    respond(error.httpCode(), vk::kube::statusBody(error), "application/json", extraHeaders);
}

void FakeExchange::beginStream(int status, const QByteArray& contentType)
{
    if (m_answered || m_streaming || !m_connection)
        return;
    m_streaming = true;
    m_connection->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                        "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n");
}

void FakeExchange::writeChunk(const QByteArray& data)
{
    if (!m_streaming || m_answered || !m_connection || data.isEmpty())
        return;
    m_connection->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void FakeExchange::writeEvent(const QString& type, const QJsonObject& object)
{
    const QJsonObject event{{QStringLiteral("type"), type}, {QStringLiteral("object"), object}};
    writeChunk(QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n');
}

void FakeExchange::endStream()
{
    if (!m_streaming || m_answered || !m_connection)
        return;
    m_answered = true;
    m_connection->write("0\r\n\r\n");
    m_connection->answered();
}

void FakeExchange::dropConnection()
{
    m_answered = true;
    if (m_connection)
        m_connection->drop();
}

FakeApiServer::FakeApiServer(QObject* parent) : QObject(parent)
{
    m_handler = [](FakeExchange* exchange) {
        exchange->respondError(vk::Error::notFound(QStringLiteral("the server could not find the requested resource")));
    };
}

FakeApiServer::~FakeApiServer() = default;

bool FakeApiServer::listen(quint16 port)
{
    close();
    m_tls = false;
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] { acceptPending(); });
    return m_server->listen(QHostAddress::LocalHost, port);
}

bool FakeApiServer::listenTls(const QSslConfiguration& configuration, quint16 port)
{
    close();
    m_tls = true;
    auto* server = new QSslServer(this);
    server->setSslConfiguration(configuration);
    m_server = server;
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] { acceptPending(); });
    return m_server->listen(QHostAddress::LocalHost, port);
}

void FakeApiServer::close()
{
    if (!m_server)
        return;
    m_server->close();
    m_server->deleteLater();
    m_server = nullptr;
}

quint16 FakeApiServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl FakeApiServer::url() const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

void FakeApiServer::acceptPending()
{
    while (m_server && m_server->hasPendingConnections()) {
        QTcpSocket* socket = m_server->nextPendingConnection();
        m_connections.append(new FakeConnection(this, socket));
    }
}

void FakeApiServer::dispatch(FakeExchange* exchange)
{
    m_requests.append(exchange->request());
    QPointer<FakeExchange> guard(exchange);
    Q_EMIT requestReceived(exchange);
    if (guard && m_handler)
        m_handler(exchange);
}

void FakeApiServer::dropAllConnections()
{
    const auto connections = m_connections;
    for (const auto& connection : connections) {
        if (connection)
            connection->drop();
    }
    m_connections.clear();
}

int FakeApiServer::connectionCount() const
{
    int count = 0;
    for (const auto& connection : m_connections)
        count += connection && connection->isConnected() ? 1 : 0;
    return count;
}

QByteArray testData(const QString& name)
{
    QString root = qEnvironmentVariable("VK_TEST_DATA");
    if (root.isEmpty())
        root = QStringLiteral(VK_KUBE_TEST_DATA_FALLBACK); // when run outside ctest
    QFile file(root + QStringLiteral("/kube/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

} // namespace vk::test
