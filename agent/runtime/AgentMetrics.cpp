// SPDX-License-Identifier: Apache-2.0
#include "runtime/AgentMetrics.h"

#include "http/HttpServer.h"
#include "kube/ApiClient.h"
#include "runtime/VirtualNode.h"

#include <array>

namespace vk::runtime {

namespace {

constexpr std::array<double, 11> kBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

QByteArray escapeLabel(const QString& value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}

} // namespace

AgentMetrics::AgentMetrics(QObject* parent) : QObject(parent) {}

void AgentMetrics::watch(VirtualNode* node)
{
    const QString name = node->nodeName();
    connect(node, &VirtualNode::podPhaseChanged, this,
            [this, name](const QString& key, const QString& phase) { recordPod(name, key, phase); });
    connect(node, &VirtualNode::podRemoved, this,
            [this, name](const QString& ns, const QString& pod) { forgetPod(name, ns, pod); });
    connect(node, &VirtualNode::leaseRenewed, this, [this, name] { recordLeaseRenewal(name); });
    connect(node, &VirtualNode::phaseChanged, this, [this, name, node](VirtualNode::Phase phase) {
        recordNodeReady(name, phase == VirtualNode::Phase::Ready);
        if (phase == VirtualNode::Phase::Starting && node->client())
            connect(node->client(), &kube::ApiClient::requestCompleted, this, &AgentMetrics::recordRequest,
                    Qt::UniqueConnection);
    });
    if (node->client())
        connect(node->client(), &kube::ApiClient::requestCompleted, this, &AgentMetrics::recordRequest,
                Qt::UniqueConnection);
}

void AgentMetrics::recordRequest(const QByteArray& method, const QString& host, int status, qint64 elapsedMs)
{
    const QString code = status > 0 ? QString::number(status) : QStringLiteral("<error>");
    m_requests[code + QLatin1Char('\t') + host + QLatin1Char('\t') + QString::fromLatin1(method)] += 1;
    Histogram& h = m_latency[QString::fromLatin1(method) + QLatin1Char('\t') + host];
    if (h.buckets.isEmpty())
        h.buckets.fill(0, qsizetype(kBounds.size()));
    const double seconds = double(elapsedMs) / 1000.0;
    for (size_t i = 0; i < kBounds.size(); ++i) {
        if (seconds <= kBounds[i])
            h.buckets[qsizetype(i)] += 1;
    }
    h.count += 1;
    h.sum += seconds;
}

void AgentMetrics::recordPod(const QString& node, const QString& key, const QString& phase)
{
    m_podPhases[node].insert(key, phase);
}

void AgentMetrics::forgetPod(const QString& node, const QString& namespaceName, const QString& name)
{
    m_podPhases[node].remove(namespaceName + QLatin1Char('/') + name);
}

void AgentMetrics::recordLeaseRenewal(const QString& node)
{
    m_leaseRenewals[node] += 1;
}

void AgentMetrics::recordNodeReady(const QString& node, bool ready)
{
    m_nodeReady[node] = ready;
}

QByteArray AgentMetrics::render() const
{
    QByteArray out;
    out += "# HELP rest_client_requests_total Number of HTTP requests to the Kubernetes API, partitioned by status "
           "code, method, and host.\n# TYPE rest_client_requests_total counter\n";
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        const QStringList parts = it.key().split(QLatin1Char('\t'));
        out += "rest_client_requests_total{code=\"" + escapeLabel(parts.value(0)) + "\",host=\"" +
               escapeLabel(parts.value(1)) + "\",method=\"" + escapeLabel(parts.value(2)) + "\"} " +
               QByteArray::number(it.value()) + '\n';
    }
    out += "# HELP rest_client_request_duration_seconds Request latency in seconds. Broken down by verb, and host.\n"
           "# TYPE rest_client_request_duration_seconds histogram\n";
    for (auto it = m_latency.cbegin(); it != m_latency.cend(); ++it) {
        const QStringList parts = it.key().split(QLatin1Char('\t'));
        const QByteArray labels =
            "host=\"" + escapeLabel(parts.value(1)) + "\",verb=\"" + escapeLabel(parts.value(0)) + '"';
        for (size_t i = 0; i < kBounds.size(); ++i)
            out += "rest_client_request_duration_seconds_bucket{" + labels + ",le=\"" + number(kBounds[i]) + "\"} " +
                   QByteArray::number(it->buckets.value(qsizetype(i))) + '\n';
        out += "rest_client_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
               QByteArray::number(it->count) + '\n';
        out += "rest_client_request_duration_seconds_sum{" + labels + "} " + number(it->sum) + '\n';
        out += "rest_client_request_duration_seconds_count{" + labels + "} " + QByteArray::number(it->count) + '\n';
    }
    out += "# HELP vk_pods Pods of a virtual node by phase.\n# TYPE vk_pods gauge\n";
    for (auto node = m_podPhases.cbegin(); node != m_podPhases.cend(); ++node) {
        QMap<QString, int> byPhase;
        for (const QString& phase : {QStringLiteral("Pending"), QStringLiteral("Running"), QStringLiteral("Succeeded"),
                                     QStringLiteral("Failed"), QStringLiteral("Unknown")})
            byPhase.insert(phase, 0);
        for (const auto& phase : *node)
            byPhase[phase] += 1;
        for (auto it = byPhase.cbegin(); it != byPhase.cend(); ++it)
            out += "vk_pods{node=\"" + escapeLabel(node.key()) + "\",phase=\"" + escapeLabel(it.key()) + "\"} " +
                   QByteArray::number(it.value()) + '\n';
    }
    out += "# HELP vk_node_ready Whether the virtual node is registered and ready (1) or not (0).\n"
           "# TYPE vk_node_ready gauge\n";
    for (auto it = m_nodeReady.cbegin(); it != m_nodeReady.cend(); ++it)
        out += "vk_node_ready{node=\"" + escapeLabel(it.key()) + "\"} " + (it.value() ? "1" : "0") + '\n';
    out += "# HELP vk_node_lease_renewals_total Renewals of the node's Lease in kube-node-lease.\n"
           "# TYPE vk_node_lease_renewals_total counter\n";
    for (auto it = m_leaseRenewals.cbegin(); it != m_leaseRenewals.cend(); ++it)
        out += "vk_node_lease_renewals_total{node=\"" + escapeLabel(it.key()) + "\"} " +
               QByteArray::number(it.value()) + '\n';
    return out;
}

MetricsServer::MetricsServer(AgentMetrics* metrics, QObject* parent)
    : QObject(parent), m_metrics(metrics), m_server(new http::HttpServer)
{
    m_server->setHandler([this](const http::HttpRequest& request, http::HttpResponder* responder) {
        if (request.path == QLatin1String("/metrics"))
            return responder->respond(200, QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"),
                                      m_metrics->render());
        if (request.path == QLatin1String("/healthz"))
            return responder->respond(200, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArrayLiteral("ok"));
        responder->respond(404, QByteArrayLiteral("text/plain; charset=utf-8"),
                           QByteArrayLiteral("404 page not found\n"));
    });
}

MetricsServer::~MetricsServer() = default;

Result<std::pair<QHostAddress, quint16>> MetricsServer::parseAddress(const QString& address)
{
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon >= 0 ? address.mid(colon + 1).toUInt(&ok) : 0;
    if (colon < 0 || !ok || port > 65535)
        return Error::invalidInput(QStringLiteral("invalid --metrics-addr \"%1\": expected [host]:port").arg(address));
    QString host = address.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress ip = host.isEmpty()                       ? QHostAddress(QHostAddress::Any)
                      : host == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost)
                                                           : QHostAddress(host);
    if (ip.isNull())
        return Error::invalidInput(
            QStringLiteral("invalid --metrics-addr \"%1\": \"%2\" is not an IP address").arg(address, host));
    return std::make_pair(ip, quint16(port));
}

Result<quint16> MetricsServer::listen(const QString& address)
{
    auto parsed = parseAddress(address);
    if (!parsed)
        return parsed.error();
    auto port = m_server->listen(parsed->first, parsed->second);
    if (!port)
        return port.error().prefix(QStringLiteral("--metrics-addr %1").arg(address));
    return port;
}

} // namespace vk::runtime
