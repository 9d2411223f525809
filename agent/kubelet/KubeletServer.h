// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "http/Pki.h"
#include "streams/Streams.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace vk::http {
class HttpServer;
class HttpResponder;
struct HttpRequest;
} // namespace vk::http
namespace vk::kube {
class ApiClient;
}
namespace vk::provider {
class Provider;
}

namespace vk::kubelet {

class KubeletAuth;
class ServingCertificateRequester;

/// The kubelet HTTPS API of one virtual node (upstream virtual-kubelet §4): what the API server's node proxy and
/// `kubectl logs/exec/attach/port-forward` reach at the node's InternalIP and daemonEndpoints.kubeletEndpoint.Port.
///
/// Routes (gorilla StrictSlash: a route's other-slash form answers 301 to it): GET /pods, GET /runningpods/,
/// GET /containerLogs/{ns}/{pod}/{container}, GET|POST /exec/{ns}/{pod}/{container}, GET|POST /attach/...,
/// GET|POST /portForward/{ns}/{pod}, GET /stats/summary[/], GET /metrics/resource[/], GET /healthz, GET /metrics.
/// Errors are metav1.Status JSON (a capability the provider lacks: 501 "... is not supported by this provider");
/// an unknown path is 404 "404 page not found".
///
/// TLS: certificatePath + keyPath; else a self-signed certificate made at the first start (SANs: node name and
/// the node IPs); optionally replaced by a kubernetes.io/kubelet-serving certificate (requestServingCertificate).
/// With clientCaPath, requests are authenticated (client certificate or TokenReview) and authorized
/// (SubjectAccessReview) as the kubelet does; without it everything is allowed and a warning is logged.
class KubeletServer : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QHostAddress address = QHostAddress::Any;
        quint16 port = 10250; ///< 0: any free port (tests)
        QString nodeName;
        QList<QHostAddress> nodeIps;     ///< SANs of a generated certificate (besides the node name); may be empty
        QString certificatePath;         ///< APISERVER_CERT_LOCATION
        QString keyPath;                 ///< APISERVER_KEY_LOCATION
        QString clientCaPath;            ///< APISERVER_CA_CERT_LOCATION: enables authentication and authorization
        QString generatedCertificateDir; ///< where a self-signed certificate is kept (empty: in memory only)
        /// Ask the API server for a kubernetes.io/kubelet-serving certificate (CSR), swap it in when issued and
        /// renew it at 80% of its lifetime. Needs an ApiClient; until issued, the other certificate serves.
        bool requestServingCertificate = false;
        streams::StreamOptions streams;
        Clock* clock = Clock::system();
    };

    KubeletServer(provider::Provider* provider, kube::ApiClient* client, Options options, QObject* parent = nullptr);
    ~KubeletServer() override;

    /// Loads or creates the serving certificate, reads the client CA and listens. Returns the port.
    Result<quint16> start();
    void stop();
    bool isRunning() const;
    quint16 port() const;

    /// The API server's view of the node's pods (for /pods), e.g. from the pod controller's informer.
    void setPods(std::function<QList<QJsonObject>()> pods);
    /// The agent's own Prometheus metrics (for /metrics).
    void setMetricsText(std::function<QByteArray()> metrics);

    /// The certificate currently served.
    pki::CertificateAndKey servingCertificate() const;
    /// Whether exec/attach/port-forward are served (the SPDY and WebSocket transports are linked).
    static bool streamingAvailable();

Q_SIGNALS:
    /// A new serving certificate is in use (after a CSR was issued or renewed).
    void servingCertificateChanged();

private:
    void handle(const http::HttpRequest& request, http::HttpResponder* responder);
    void route(const http::HttpRequest& request, http::HttpResponder* responder);
    void servePods(http::HttpResponder* responder);
    void serveRunningPods(http::HttpResponder* responder);
    void serveContainerLogs(const http::HttpRequest& request, http::HttpResponder* responder, const QStringList& vars);
    void
    serveExec(const http::HttpRequest& request, http::HttpResponder* responder, const QStringList& vars, bool attach);
    void servePortForward(const http::HttpRequest& request, http::HttpResponder* responder, const QStringList& vars);
    void serveStatsSummary(http::HttpResponder* responder);
    void serveMetricsResource(http::HttpResponder* responder);
    Status loadCertificate();
    Status applyTls();
    void useCertificate(const pki::CertificateAndKey& pair);

    QPointer<provider::Provider> m_provider;
    QPointer<kube::ApiClient> m_client;
    Options m_options;
    std::unique_ptr<http::HttpServer> m_server;
    KubeletAuth* m_auth = nullptr;
    ServingCertificateRequester* m_requester = nullptr;
    pki::CertificateAndKey m_certificate;
    QList<QSslCertificate> m_clientCas;
    std::function<QList<QJsonObject>()> m_pods;
    std::function<QByteArray()> m_metrics;
    quint16 m_port = 0;
};

/// Sends a metav1.Status JSON error (InvalidInput counts as 400, Network as 500).
void sendStatus(http::HttpResponder* responder, const Error& error);

} // namespace vk::kubelet
