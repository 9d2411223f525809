// SPDX-License-Identifier: Apache-2.0
#include "kubelet/KubeletServer.h"

#include "core/Json.h"
#include "core/KubeStatus.h"
#include "http/HttpServer.h"
#include "kube/ApiClient.h"
#include "kubelet/KubeletAuth.h"
#include "kubelet/LogQuery.h"
#include "kubelet/LogStreamer.h"
#include "kubelet/Logging.h"
#include "kubelet/ServingCertificateRequester.h"
#include "provider/Provider.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSslConfiguration>

namespace vk::kubelet {

using provider::Capability;

void sendStatus(http::HttpResponder* responder, const Error& error)
{
    if (!responder)
        return;
    Error e = error;
    if (e.category() == ErrorCategory::InvalidInput)
        e = Error(ErrorCategory::BadRequest, error.message());
    else if (e.category() == ErrorCategory::Network)
        e = Error(ErrorCategory::Internal, error.message());
    responder->respond(e.httpCode() > 0 ? e.httpCode() : 500, QByteArrayLiteral("application/json"),
                       kube::statusBody(e));
}

namespace {

enum class RouteId
{
    Pods,
    RunningPods,
    ContainerLogs,
    Exec,
    Attach,
    PortForward,
    StatsSummary,
    MetricsResource,
    Healthz,
    Metrics,
};

struct Route
{
    const char* pattern; ///< "{}" is one non-empty path segment
    bool post;           ///< POST allowed besides GET
    RouteId id;
};

const Route kRoutes[] = {
    {"/pods", false, RouteId::Pods},
    {"/runningpods/", false, RouteId::RunningPods},
    {"/containerLogs/{}/{}/{}", false, RouteId::ContainerLogs},
    {"/exec/{}/{}/{}", true, RouteId::Exec},
    {"/attach/{}/{}/{}", true, RouteId::Attach},
    {"/portForward/{}/{}", true, RouteId::PortForward},
    {"/stats/summary", false, RouteId::StatsSummary},
    {"/stats/summary/", false, RouteId::StatsSummary},
    {"/metrics/resource", false, RouteId::MetricsResource},
    {"/metrics/resource/", false, RouteId::MetricsResource},
    {"/healthz", false, RouteId::Healthz},
    {"/metrics", false, RouteId::Metrics},
};

std::optional<QStringList> match(const char* pattern, const QString& path)
{
    const QStringList want = QString::fromLatin1(pattern).split(QLatin1Char('/'));
    const QStringList have = path.split(QLatin1Char('/'));
    if (want.size() != have.size())
        return std::nullopt;
    QStringList vars;
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want[i] == QLatin1String("{}")) {
            if (have[i].isEmpty())
                return std::nullopt;
            vars.append(have[i]);
        } else if (want[i] != have[i]) {
            return std::nullopt;
        }
    }
    return vars;
}

const Route* findRoute(const QString& path, QStringList* vars)
{
    for (const Route& route : kRoutes) {
        if (auto v = match(route.pattern, path)) {
            *vars = *v;
            return &route;
        }
    }
    return nullptr;
}

QByteArray podList(const QList<QJsonObject>& pods)
{
    QJsonArray items;
    for (const auto& pod : pods)
        items.append(pod);
    return json::compact(QJsonObject{{QStringLiteral("kind"), QStringLiteral("PodList")},
                                     {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                     {QStringLiteral("metadata"), QJsonObject{}},
                                     {QStringLiteral("items"), items}});
}

bool flag(const http::HttpRequest& request, const QString& kubeletName, const QString& kubectlName)
{
    // The kubelet's own parameters (input/output/error/tty, only "1" counts) as kube-apiserver sends them, and
    // kubectl's (stdin/stdout/stderr/tty=true) as an API server that passes the query through sends them.
    if (request.queryValue(kubeletName) == QLatin1String("1"))
        return true;
    const QString value = request.queryValue(kubectlName);
    return value == QLatin1String("1") || value == QLatin1String("true") || value == QLatin1String("True") ||
           value == QLatin1String("TRUE") || value == QLatin1String("t") || value == QLatin1String("T");
}

QString readableName(const QString& path)
{
    return QFileInfo(path).absoluteFilePath();
}

} // namespace

bool KubeletServer::streamingAvailable()
{
#ifdef VK_KUBELET_HAVE_STREAMS
    return true;
#else
    return false;
#endif
}

KubeletServer::KubeletServer(provider::Provider* provider, kube::ApiClient* client, Options options, QObject* parent)
    : QObject(parent), m_provider(provider), m_client(client), m_options(std::move(options))
{
    if (!m_options.clock)
        m_options.clock = Clock::system();
}

KubeletServer::~KubeletServer()
{
    stop();
}

void KubeletServer::setPods(std::function<QList<QJsonObject>()> pods)
{
    m_pods = std::move(pods);
}

void KubeletServer::setMetricsText(std::function<QByteArray()> metrics)
{
    m_metrics = std::move(metrics);
}

pki::CertificateAndKey KubeletServer::servingCertificate() const
{
    return m_certificate;
}

bool KubeletServer::isRunning() const
{
    return m_server && m_server->isListening();
}

quint16 KubeletServer::port() const
{
    return m_port;
}

Status KubeletServer::loadCertificate()
{
    if (!m_options.certificatePath.isEmpty() || !m_options.keyPath.isEmpty()) {
        if (m_options.certificatePath.isEmpty() || m_options.keyPath.isEmpty())
            return Error::invalidInput(
                QStringLiteral("kubelet serving certificate: set both APISERVER_CERT_LOCATION and "
                               "APISERVER_KEY_LOCATION (got certificate %1, key %2)")
                    .arg(m_options.certificatePath.isEmpty() ? QStringLiteral("unset") : m_options.certificatePath,
                         m_options.keyPath.isEmpty() ? QStringLiteral("unset") : m_options.keyPath));
        auto pair = pki::loadFromFiles(m_options.certificatePath, m_options.keyPath);
        if (!pair)
            return Error(pair.error()).prefix(QStringLiteral("kubelet serving certificate: "));
        m_certificate = *pair;
        return {};
    }
    const QString dir = m_options.generatedCertificateDir;
    const QString certFile = dir.isEmpty() ? QString() : QDir(dir).filePath(QStringLiteral("kubelet.crt"));
    const QString keyFile = dir.isEmpty() ? QString() : QDir(dir).filePath(QStringLiteral("kubelet.key"));
    if (!dir.isEmpty() && QFile::exists(certFile) && QFile::exists(keyFile)) {
        auto pair = pki::loadFromFiles(certFile, keyFile);
        if (pair && pair->certificate().expiryDate() > m_options.clock->now()) {
            m_certificate = *pair;
            qCInfo(lcKubelet).noquote() << "serving with the self-signed certificate" << readableName(certFile);
            return {};
        }
    }
    pki::CertificateRequest request;
    request.commonName = m_options.nodeName.isEmpty() ? QStringLiteral("virtual-kubelet") : m_options.nodeName;
    if (!m_options.nodeName.isEmpty())
        request.dnsNames = {m_options.nodeName};
    request.ipAddresses = m_options.nodeIps;
    request.serverAuth = true;
    auto pair = pki::createSelfSigned(request);
    if (!pair)
        return Error(pair.error()).prefix(QStringLiteral("creating the kubelet's self-signed certificate: "));
    m_certificate = *pair;
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        if (Status saved = pki::saveToFiles(*pair, certFile, keyFile); !saved)
            qCWarning(lcKubelet).noquote()
                << "keeping the self-signed certificate in memory only:" << saved.error().message();
    }
    qCWarning(lcKubelet).noquote()
        << "no serving certificate configured (APISERVER_CERT_LOCATION/APISERVER_KEY_LOCATION): using a self-signed"
        << "certificate for" << request.commonName << "- API servers that verify kubelet certificates will refuse it";
    return {};
}

Status KubeletServer::applyTls()
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(m_certificate.certificate());
    tls.setPrivateKey(m_certificate.key());
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (tls.localCertificate().isNull() || tls.privateKey().isNull())
        return Error::invalidInput(QStringLiteral("kubelet serving certificate or key is not usable"));
    m_server->setTlsConfiguration(tls);
    return {};
}

Result<quint16> KubeletServer::start()
{
    if (isRunning())
        return m_port;
    if (!m_provider)
        return Error::invalidInput(QStringLiteral("kubelet server: no provider"));
    if (Status loaded = loadCertificate(); !loaded)
        return loaded.error();
    m_clientCas.clear();
    if (!m_options.clientCaPath.isEmpty()) {
        QFile file(m_options.clientCaPath);
        if (!file.open(QIODevice::ReadOnly))
            return Error::invalidInput(
                QStringLiteral("APISERVER_CA_CERT_LOCATION %1: %2").arg(m_options.clientCaPath, file.errorString()));
        m_clientCas = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
        if (m_clientCas.isEmpty())
            return Error::invalidInput(QStringLiteral("APISERVER_CA_CERT_LOCATION %1: no PEM certificate in the file")
                                           .arg(m_options.clientCaPath));
    }
    m_server = std::make_unique<http::HttpServer>();
    if (Status tls = applyTls(); !tls)
        return tls.error();
    if (!m_clientCas.isEmpty()) {
        m_server->setClientCaCertificates(m_clientCas);
        if (!m_auth) {
            KubeletAuth::Options authOptions;
            authOptions.nodeName = m_options.nodeName;
            authOptions.clock = m_options.clock;
            m_auth = new KubeletAuth(m_client, authOptions, this);
        }
    } else {
        qCWarning(lcKubelet) << "the kubelet API is unauthenticated: set APISERVER_CA_CERT_LOCATION";
    }
    m_server->setHandler(
        [this](const http::HttpRequest& request, http::HttpResponder* responder) { handle(request, responder); });
    connect(m_server.get(), &http::HttpServer::connectionError, this,
            [](const QString& message) { qCDebug(lcKubelet).noquote() << message; });
    auto port = m_server->listen(m_options.address, m_options.port);
    if (!port) {
        m_server.reset();
        return Error(port.error()).prefix(QStringLiteral("kubelet server: "));
    }
    m_port = *port;
    qCInfo(lcKubelet).noquote() << "kubelet API for node" << m_options.nodeName << "listening on"
                                << m_options.address.toString() + QLatin1Char(':') + QString::number(m_port)
                                << (streamingAvailable() ? "" : "(exec/attach/port-forward not available)");
    if (m_options.requestServingCertificate) {
        if (!m_client) {
            qCWarning(lcKubelet) << "requestServingCertificate is set but there is no API client: not requesting";
        } else if (!m_requester) {
            ServingCertificateRequester::Options o;
            o.nodeName = m_options.nodeName;
            o.dnsNames = {m_options.nodeName};
            o.ipAddresses = m_options.nodeIps;
            o.clock = m_options.clock;
            m_requester = new ServingCertificateRequester(m_client, o, this);
            connect(m_requester, &ServingCertificateRequester::issued, this,
                    [this](const pki::CertificateAndKey& pair) { useCertificate(pair); });
            m_requester->start();
        }
    }
    return m_port;
}

void KubeletServer::useCertificate(const pki::CertificateAndKey& pair)
{
    const pki::CertificateAndKey previous = m_certificate;
    m_certificate = pair;
    if (!m_server)
        return;
    // New connections get the new certificate; the listening socket and the connections in progress (log follows,
    // exec sessions) are not touched.
    if (Status tls = applyTls(); !tls) {
        qCWarning(lcKubelet).noquote() << tls.error().message();
        m_certificate = previous;
        return;
    }
    Q_EMIT servingCertificateChanged();
}

void KubeletServer::stop()
{
    if (m_server) {
        m_server->close();
        m_server.reset();
    }
}

void KubeletServer::handle(const http::HttpRequest& request, http::HttpResponder* responder)
{
    if (!m_auth) {
        route(request, responder);
        return;
    }
    QPointer<http::HttpResponder> guard(responder);
    m_auth->check(request, responder, [this, request, guard](const AuthDecision& decision) {
        if (!guard)
            return;
        if (decision.allowed())
            return route(request, guard);
        const ErrorCategory category = decision.httpCode == 401   ? ErrorCategory::Unauthorized
                                       : decision.httpCode == 403 ? ErrorCategory::Forbidden
                                                                  : ErrorCategory::Internal;
        sendStatus(guard, Error(category, decision.message));
    });
}

void KubeletServer::route(const http::HttpRequest& request, http::HttpResponder* responder)
{
    QStringList vars;
    QString target = request.path;
    const Route* route = findRoute(target, &vars);
    bool redirect = false;
    if (!route) {
        // StrictSlash: the other-slash form of a route redirects to it.
        target = target.endsWith(QLatin1Char('/')) ? target.chopped(1) : target + QLatin1Char('/');
        route = findRoute(target, &vars);
        redirect = route != nullptr;
    }
    if (!route) {
        responder->respond(404, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("404 page not found\n"));
        return;
    }
    if (request.method != "GET" && !(route->post && request.method == "POST")) {
        responder->respond(
            405, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArray(),
            {{QByteArrayLiteral("Allow"), route->post ? QByteArrayLiteral("GET, POST") : QByteArrayLiteral("GET")}});
        return;
    }
    if (redirect) {
        QByteArray location = QUrl::toPercentEncoding(target, "/");
        const int question = request.target.indexOf('?');
        if (question >= 0)
            location += request.target.mid(question);
        responder->respond(301, QByteArrayLiteral("text/html; charset=utf-8"),
                           "<a href=\"" + location + "\">Moved Permanently</a>.\n\n",
                           {{QByteArrayLiteral("Location"), location}});
        return;
    }
    switch (route->id) {
    case RouteId::Pods:
        return servePods(responder);
    case RouteId::RunningPods:
        return serveRunningPods(responder);
    case RouteId::ContainerLogs:
        return serveContainerLogs(request, responder, vars);
    case RouteId::Exec:
        return serveExec(request, responder, vars, false);
    case RouteId::Attach:
        return serveExec(request, responder, vars, true);
    case RouteId::PortForward:
        return servePortForward(request, responder, vars);
    case RouteId::StatsSummary:
        return serveStatsSummary(responder);
    case RouteId::MetricsResource:
        return serveMetricsResource(responder);
    case RouteId::Healthz:
        return responder->respond(200, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArrayLiteral("ok"));
    case RouteId::Metrics:
        if (!m_metrics)
            return sendStatus(responder, Error(ErrorCategory::Unsupported,
                                               QStringLiteral("the agent's metrics are not available on this "
                                                              "kubelet server")));
        return responder->respond(200, QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"), m_metrics());
    }
}

void KubeletServer::servePods(http::HttpResponder* responder)
{
    responder->respond(200, QByteArrayLiteral("application/json"), podList(m_pods ? m_pods() : QList<QJsonObject>()));
}

void KubeletServer::serveRunningPods(http::HttpResponder* responder)
{
    QPointer<http::HttpResponder> guard(responder);
    m_provider->listPods(responder, [guard](Result<QList<QJsonObject>> pods) {
        if (!guard)
            return;
        if (!pods)
            return sendStatus(guard, Error(pods.error()).prefix(QStringLiteral("error getting pods: ")));
        guard->respond(200, QByteArrayLiteral("application/json"), podList(*pods));
    });
}

void KubeletServer::serveContainerLogs(const http::HttpRequest& request,
                                       http::HttpResponder* responder,
                                       const QStringList& vars)
{
    if (!m_provider->capabilities().testFlag(Capability::Logs))
        return sendStatus(responder, provider::Provider::unsupported(QStringLiteral("reading container logs")));
    auto options = parseLogQuery(request.query);
    if (!options)
        return sendStatus(responder, options.error());
    auto stream = m_provider->containerLogs(vars[0], vars[1], vars[2], *options, nullptr);
    if (!stream)
        return sendStatus(responder, stream.error());
    new LogStreamer(*stream, responder, options->follow);
}

void KubeletServer::serveExec(const http::HttpRequest& request,
                              http::HttpResponder* responder,
                              const QStringList& vars,
                              bool attach)
{
    const Capability needed = attach ? Capability::Attach : Capability::Exec;
    if (!m_provider->capabilities().testFlag(needed))
        return sendStatus(responder,
                          provider::Provider::unsupported(attach ? QStringLiteral("attach") : QStringLiteral("exec")));
    provider::ExecRequest base;
    base.namespaceName = vars[0];
    base.podName = vars[1];
    base.container = vars[2];
    if (!attach)
        base.command = request.queryValues(QStringLiteral("command"));
    base.tty = flag(request, QStringLiteral("tty"), QStringLiteral("tty"));
    base.stdinOpen = flag(request, QStringLiteral("input"), QStringLiteral("stdin"));
    base.stdoutWanted = flag(request, QStringLiteral("output"), QStringLiteral("stdout"));
    base.stderrWanted = flag(request, QStringLiteral("error"), QStringLiteral("stderr"));
    if (base.tty && base.stderrWanted)
        return sendStatus(responder, Error::badRequest(QStringLiteral("cannot exec with tty and stderr")));
    if (!base.stdinOpen && !base.stdoutWanted && !base.stderrWanted)
        return sendStatus(responder,
                          Error::badRequest(QStringLiteral("you must specify at least one of stdin, stdout, stderr")));
#ifdef VK_KUBELET_HAVE_STREAMS
    QPointer<provider::Provider> provider = m_provider;
    streams::ExecSessionFactory factory = [provider, attach](const provider::ExecRequest& r,
                                                             QObject* parent) -> Result<provider::ExecSession*> {
        if (!provider)
            return Error(ErrorCategory::ServiceUnavailable, QStringLiteral("the provider is gone"));
        return attach ? provider->attach(r, parent) : provider->exec(r, parent);
    };
    if (streams::isSpdyUpgrade(request))
        return streams::serveSpdyRemoteCommand(request, responder, base, factory, m_options.streams);
    if (streams::isWebSocketUpgrade(request))
        return streams::serveWebSocketRemoteCommand(request, responder, base, factory, m_options.streams);
    return sendStatus(responder,
                      Error::badRequest(QStringLiteral("unable to upgrade: missing upgrade headers in "
                                                       "request (expected Upgrade: SPDY/3.1 or websocket)")));
#else
    return sendStatus(responder,
                      Error(ErrorCategory::Unsupported,
                            QStringLiteral("%1 is not available: this kubelet server was built without the SPDY and "
                                           "WebSocket stream transports")
                                .arg(attach ? QStringLiteral("attach") : QStringLiteral("exec"))));
#endif
}

void KubeletServer::servePortForward(const http::HttpRequest& request,
                                     http::HttpResponder* responder,
                                     const QStringList& vars)
{
    if (!m_provider->capabilities().testFlag(Capability::PortForward))
        return sendStatus(responder, provider::Provider::unsupported(QStringLiteral("port forwarding")));
#ifdef VK_KUBELET_HAVE_STREAMS
    QPointer<provider::Provider> provider = m_provider;
    const QString ns = vars[0];
    const QString pod = vars[1];
    streams::PortForwardFactory factory = [provider, ns, pod](quint16 port,
                                                              QObject* parent) -> Result<provider::PortForwardStream*> {
        if (!provider)
            return Error(ErrorCategory::ServiceUnavailable, QStringLiteral("the provider is gone"));
        return provider->portForward(ns, pod, port, parent);
    };
    if (streams::isSpdyUpgrade(request))
        return streams::serveSpdyPortForward(request, responder, factory, m_options.streams);
    if (streams::isWebSocketUpgrade(request)) {
        // kubectl >= 1.31 tunnels SPDY port-forward inside a WebSocket ("SPDY/3.1+portforward.k8s.io").
        if (streams::isWebSocketSpdyTunnel(request))
            return streams::serveWebSocketSpdyTunnel(
                request, responder,
                [factory, options = m_options.streams](const http::HttpRequest& tunnelled, http::HttpResponder* inner) {
                    streams::serveSpdyPortForward(tunnelled, inner, factory, options);
                });
        return streams::serveWebSocketPortForward(request, responder, factory, m_options.streams);
    }
    return sendStatus(responder,
                      Error::badRequest(QStringLiteral("unable to upgrade: missing upgrade headers in "
                                                       "request (expected Upgrade: SPDY/3.1 or websocket)")));
#else
    Q_UNUSED(request)
    Q_UNUSED(vars)
    return sendStatus(responder, Error(ErrorCategory::Unsupported,
                                       QStringLiteral("port forwarding is not available: this kubelet server was "
                                                      "built without the SPDY and WebSocket stream transports")));
#endif
}

void KubeletServer::serveStatsSummary(http::HttpResponder* responder)
{
    if (!m_provider->capabilities().testFlag(Capability::StatsSummary))
        return sendStatus(responder, provider::Provider::unsupported(QStringLiteral("stats/summary")));
    QPointer<http::HttpResponder> guard(responder);
    m_provider->statsSummary(responder, [guard](Result<QJsonObject> summary) {
        if (!guard)
            return;
        if (!summary)
            return sendStatus(guard, summary.error());
        guard->respond(200, QByteArrayLiteral("application/json"), json::compact(*summary));
    });
}

void KubeletServer::serveMetricsResource(http::HttpResponder* responder)
{
    if (!m_provider->capabilities().testFlag(Capability::MetricsResource))
        return sendStatus(responder, provider::Provider::unsupported(QStringLiteral("metrics/resource")));
    QPointer<http::HttpResponder> guard(responder);
    m_provider->metricsResource(responder, [guard](Result<QByteArray> text) {
        if (!guard)
            return;
        if (!text)
            return sendStatus(guard, text.error());
        guard->respond(200, QByteArrayLiteral("text/plain; version=0.0.4"), *text);
    });
}

} // namespace vk::kubelet
