// SPDX-License-Identifier: Apache-2.0
#include "sandbox/KubeletProxy.h"

#include "core/KubeStatus.h"
#include "http/HttpServer.h"
#include "sandbox/Logging.h"

#include <QSslSocket>
#include <QTimer>

namespace vk::sandbox {

namespace {
constexpr int kConnectTimeoutMs = 10'000;
}

KubeletProxy::KubeletProxy(const http::HttpRequest& request,
                           http::HttpResponder* responder,
                           QString host,
                           quint16 port,
                           QByteArray targetPathAndQuery,
                           const QSslCertificate& clientCertificate,
                           const QSslKey& clientKey,
                           QObject* parent)
    : QObject(parent), m_responder(responder), m_upstream(new QSslSocket(this))
{
    const bool upgrade = request.isUpgrade();
    m_url = "https://" + host.toUtf8() + ':' + QByteArray::number(port) + targetPathAndQuery;
    m_requestHead = request.method + ' ' + targetPathAndQuery + " HTTP/1.1\r\n";
    m_requestHead += "Host: " + host.toUtf8() + ':' + QByteArray::number(port) + "\r\n";
    for (const auto& [name, value] : request.headers) {
        // Hop-by-hop headers and the client's own credentials stay here.
        if (name == "host" || name == "authorization" || name == "content-length" || name == "transfer-encoding" ||
            name == "keep-alive" || name == "te" || name == "proxy-connection")
            continue;
        if (!upgrade && (name == "connection" || name == "upgrade"))
            continue;
        m_requestHead += name + ": " + value + "\r\n";
    }
    if (!upgrade)
        m_requestHead += "Connection: close\r\n";
    if (!request.body.isEmpty() || request.method == "POST" || request.method == "PUT")
        m_requestHead += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    m_requestHead += "\r\n";
    m_body = request.body;

    m_upstream->setPeerVerifyMode(QSslSocket::VerifyNone); // kube-apiserver does not verify kubelets by default
    if (!clientCertificate.isNull()) {
        m_upstream->setLocalCertificate(clientCertificate);
        m_upstream->setPrivateKey(clientKey);
    }
    connect(m_upstream, &QSslSocket::encrypted, this, &KubeletProxy::onUpstreamEncrypted);
    connect(m_upstream, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (!m_client)
            onUpstreamFailed(m_upstream->errorString());
    });
    connect(m_upstream, &QAbstractSocket::disconnected, this, [this] {
        if (m_client)
            finish();
    });
    if (m_responder)
        connect(m_responder, &http::HttpResponder::disconnected, this, [this] {
            if (!m_client)
                finish();
        });
    QTimer::singleShot(kConnectTimeoutMs, this, [this] {
        if (!m_client && !m_finished)
            onUpstreamFailed(QStringLiteral("i/o timeout"));
    });
    m_upstream->connectToHostEncrypted(host, port);
}

KubeletProxy::~KubeletProxy()
{
    if (m_client)
        m_client->deleteLater();
}

void KubeletProxy::onUpstreamEncrypted()
{
    if (!m_responder || !m_responder->isConnected())
        return finish();
    QByteArray early;
    QTcpSocket* client = m_responder->takeSocket(false, &early);
    if (!client)
        return finish();
    m_client = client;
    client->setParent(this);
    connect(client, &QIODevice::readyRead, this, [this] { pump(m_client, m_upstream); });
    connect(m_upstream, &QIODevice::readyRead, this, [this] { pump(m_upstream, m_client); });
    connect(client, &QAbstractSocket::disconnected, this, [this] { finish(); });
    m_upstream->write(m_requestHead);
    m_upstream->write(m_body);
    if (!early.isEmpty())
        m_upstream->write(early);
    pump(client, m_upstream);
    pump(m_upstream, client);
}

void KubeletProxy::onUpstreamFailed(const QString& reason)
{
    if (m_finished)
        return;
    if (m_responder && m_responder->isConnected() && !m_responder->hasStarted()) {
        Error error(ErrorCategory::Internal,
                    QStringLiteral("error dialing backend: Get \"%1\": %2").arg(QString::fromUtf8(m_url), reason));
        m_responder->respond(500, QByteArrayLiteral("application/json"), kube::statusBody(error));
    }
    finish();
}

void KubeletProxy::pump(QTcpSocket* from, QTcpSocket* to)
{
    if (!from || !to)
        return;
    const QByteArray data = from->readAll();
    if (!data.isEmpty())
        to->write(data);
}

void KubeletProxy::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    // Flush what is left towards the client, close both sides gracefully (pending writes still go out), and go
    // away once both are closed, or after a bounded wait.
    if (m_client && m_upstream->bytesAvailable())
        pump(m_upstream, m_client);
    const auto closedBoth = [this] {
        return (!m_client || m_client->state() == QAbstractSocket::UnconnectedState) &&
               m_upstream->state() == QAbstractSocket::UnconnectedState;
    };
    const auto maybeDone = [this, closedBoth] {
        if (closedBoth())
            deleteLater();
    };
    if (m_client) {
        connect(m_client, &QAbstractSocket::disconnected, this, maybeDone);
        m_client->disconnectFromHost();
    }
    connect(m_upstream, &QAbstractSocket::disconnected, this, maybeDone);
    m_upstream->disconnectFromHost();
    QTimer::singleShot(5000, this, [this] { deleteLater(); });
    maybeDone();
}

} // namespace vk::sandbox
