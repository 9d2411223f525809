// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>

class QSslSocket;
class QTcpSocket;

namespace vk::http {
class HttpResponder;
struct HttpRequest;
} // namespace vk::http

namespace vk::sandbox {

/// Forwards one request to a node's kubelet endpoint over TLS and then pipes bytes both ways, as kube-apiserver's
/// upgrade-aware proxy does for pods/log, exec, attach, portforward and nodes/proxy. Upgrades (SPDY, WebSocket)
/// pass through untouched; plain requests are sent with "Connection: close" and the client connection ends with
/// the response. If the kubelet cannot be reached, the client gets a 500 Status naming the address.
class KubeletProxy : public QObject
{
    Q_OBJECT

public:
    KubeletProxy(const http::HttpRequest& request,
                 http::HttpResponder* responder,
                 QString host,
                 quint16 port,
                 QByteArray targetPathAndQuery,
                 const QSslCertificate& clientCertificate,
                 const QSslKey& clientKey,
                 QObject* parent = nullptr);
    ~KubeletProxy() override;

private:
    void onUpstreamEncrypted();
    void onUpstreamFailed(const QString& reason);
    void pump(QTcpSocket* from, QTcpSocket* to);
    void finish();

    QByteArray m_requestHead;
    QByteArray m_body;
    QByteArray m_url;
    QPointer<http::HttpResponder> m_responder;
    QSslSocket* m_upstream;
    QPointer<QTcpSocket> m_client;
    bool m_finished = false;
};

} // namespace vk::sandbox
