// SPDX-License-Identifier: Apache-2.0
#include "ConnectionTester.h"
#include "ConnectionResolution.h"

#include "DialogsLogging.h"
#include "core/KubeStatus.h"
#include "kube/ApiClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QTimer>

namespace vk::console {

using Step = ConnectionTestResult::Step;

namespace {

QString hostOf(const QUrl& url)
{
    return url.host() + QLatin1Char(':') + QString::number(url.port(url.scheme() == QLatin1String("http") ? 80 : 443));
}

Step stepOf(const Error& error)
{
    switch (error.category()) {
    case ErrorCategory::Unauthorized:
    case ErrorCategory::Forbidden:
        return Step::Authentication;
    case ErrorCategory::Network:
    case ErrorCategory::Timeout:
        return Step::Reachability;
    case ErrorCategory::InvalidInput:
        return Step::KubeConfig;
    default:
        return Step::Server;
    }
}

bool isReachabilityError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        return false;
    }
}

} // namespace

/// One test: owns its ApiClient; reports once through the tester.
class ConnectionTester::Run : public QObject
{
public:
    Run(ConnectionTester* tester, kube::ClusterConnection connection, Callback callback, QPointer<QObject> context)
        : QObject(tester), m_tester(tester), m_connection(std::move(connection))
    {
        m_callback = std::move(callback);
        m_hasContext = !context.isNull();
        m_context = std::move(context);
        kube::ApiClient::Options options;
        options.qps = 0;
        options.maxRetries = 0;
        options.requestTimeoutMs = tester->m_timeoutMs;
        options.clock = tester->m_clock;
        m_client = new kube::ApiClient(m_connection, options, this);
        m_result.serverUrl = m_connection.server.toString();
    }

    void start()
    {
        m_started = m_tester->m_clock->monotonicMs();
        m_client->openStream(QStringLiteral("/version"), {}, this, [this](Result<QNetworkReply*> reply) {
            if (!reply)
                return fail(stepOf(reply.error()), reply.error().message());
            watchVersion(reply.value());
        });
    }

    void failNow(Step step, const QString& message) { fail(step, message); }

    Callback m_callback;
    QPointer<QObject> m_context;
    bool m_hasContext = false;

private:
    void watchVersion(QNetworkReply* reply)
    {
        reply->setParent(this);
        connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError>& errors) {
            for (const QSslError& error : errors)
                m_sslErrors.append(error.errorString());
        });
        connect(reply, &QNetworkReply::finished, this, [this, reply] { versionFinished(reply); });
        const int timeoutMs = m_tester->m_timeoutMs;
        if (timeoutMs > 0) {
            m_timeout = m_tester->m_clock->schedule(timeoutMs, reply, [this, reply] {
                m_timedOut = true;
                reply->abort();
            });
        }
    }

    void versionFinished(QNetworkReply* reply)
    {
        m_timeout.cancel();
        reply->deleteLater();
        const QString url = m_connection.server.toString();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QNetworkReply::NetworkError error = reply->error();
        if (m_timedOut) {
            return fail(Step::Reachability, ConnectionTester::tr("no answer from %1 within %2 ms")
                                                .arg(hostOf(m_connection.server))
                                                .arg(m_tester->m_timeoutMs));
        }
        if (status == 0) {
            if (!m_sslErrors.isEmpty() || error == QNetworkReply::SslHandshakeFailedError) {
                QStringList reasons = m_sslErrors;
                if (reasons.isEmpty())
                    reasons.append(reply->errorString());
                reasons.removeDuplicates();
                QString hint;
                if (!m_connection.caCertificates.isEmpty())
                    hint = ConnectionTester::tr(
                               " (the server's certificate is not signed by the certificate-authority of cluster "
                               "\"%1\" in %2)")
                               .arg(m_connection.clusterName, m_connection.source);
                return fail(Step::Tls, ConnectionTester::tr("the handshake with %1 failed: %2%3")
                                           .arg(hostOf(m_connection.server), reasons.join(QStringLiteral("; ")), hint));
            }
            if (isReachabilityError(error) || error != QNetworkReply::NoError)
                return fail(Step::Reachability, ConnectionTester::tr("%1: %2").arg(url, reply->errorString()));
        }
        const QByteArray body = reply->readAll();
        if (status == 401 || status == 403) {
            const Error server = kube::errorFromResponse(status, body, {});
            return fail(Step::Authentication, ConnectionTester::tr("%1 rejected the credentials of user \"%2\" (%3 %4)")
                                                  .arg(hostOf(m_connection.server), m_connection.userName)
                                                  .arg(status)
                                                  .arg(server.message()));
        }
        if (status < 200 || status >= 300) {
            const Error server = kube::errorFromResponse(status, body, {});
            return fail(Step::Server,
                        ConnectionTester::tr("GET %1/version: %2 %3").arg(url).arg(status).arg(server.message()));
        }
        m_result.roundTripMs = m_tester->m_clock->monotonicMs() - m_started;
        const QJsonObject version = QJsonDocument::fromJson(body).object();
        m_result.serverVersion = version.value(QStringLiteral("gitVersion")).toString();
        if (m_result.serverVersion.isEmpty())
            return fail(Step::Server,
                        ConnectionTester::tr("GET %1/version did not answer a Kubernetes version").arg(url));
        askIdentity();
    }

    void askIdentity()
    {
        const QJsonObject review{{QStringLiteral("apiVersion"), QStringLiteral("authentication.k8s.io/v1")},
                                 {QStringLiteral("kind"), QStringLiteral("SelfSubjectReview")}};
        m_client->request(
            "POST", QStringLiteral("/apis/authentication.k8s.io/v1/selfsubjectreviews"), {},
            QJsonDocument(review).toJson(QJsonDocument::Compact), "application/json", {}, this,
            [this](Result<kube::RawResponse> response) {
                if (!response) {
                    if (response.error().category() == ErrorCategory::Unauthorized)
                        return fail(Step::Authentication, authMessage(response.error()));
                    if (stepOf(response.error()) == Step::Reachability)
                        return fail(Step::Reachability, response.error().message());
                    return checkCredentialsWithoutReview();
                }
                const QJsonObject user = QJsonDocument::fromJson(response->body)
                                             .object()
                                             .value(QStringLiteral("status"))
                                             .toObject()
                                             .value(QStringLiteral("userInfo"))
                                             .toObject();
                const QString name = user.value(QStringLiteral("username")).toString();
                if (name.isEmpty())
                    return checkCredentialsWithoutReview();
                QStringList groups;
                const QJsonArray groupArray = user.value(QStringLiteral("groups")).toArray();
                for (const QJsonValue& group : groupArray)
                    groups.append(group.toString());
                m_result.identity =
                    groups.isEmpty()
                        ? name
                        : ConnectionTester::tr("%1 (groups: %2)").arg(name, groups.join(QStringLiteral(", ")));
                m_result.identityFromServer = true;
                succeed();
            });
    }

    /// The server has no SelfSubjectReview (or refuses it): an authenticated discovery request proves the
    /// credentials, and the identity is what the kubeconfig says.
    void checkCredentialsWithoutReview()
    {
        m_client->request(
            "GET", QStringLiteral("/api"), {}, {}, {}, {}, this, [this](Result<kube::RawResponse> response) {
                if (!response) {
                    const Step step = stepOf(response.error());
                    return fail(step == Step::KubeConfig ? Step::Server : step, step == Step::Authentication
                                                                                    ? authMessage(response.error())
                                                                                    : response.error().message());
                }
                QString name = m_connection.userName;
                if (!m_connection.clientCertificate.isNull()) {
                    const QString cn = m_connection.clientCertificate.subjectInfo(QSslCertificate::CommonName).value(0);
                    if (!cn.isEmpty() && cn != name)
                        name = ConnectionTester::tr("%1 (certificate CN=%2)").arg(name, cn);
                }
                m_result.identity =
                    ConnectionTester::tr("%1 (from the kubeconfig: the server has no SelfSubjectReview API)").arg(name);
                m_result.identityFromServer = false;
                succeed();
            });
    }

    QString authMessage(const Error& error) const
    {
        return ConnectionTester::tr("%1 rejected the credentials of user \"%2\" (%3 %4)")
            .arg(hostOf(m_connection.server), m_connection.userName)
            .arg(error.httpCode())
            .arg(error.message());
    }

    void fail(Step step, const QString& message)
    {
        m_result.failedStep = step;
        m_result.message = message;
        finish();
    }

    void succeed()
    {
        m_result.failedStep = Step::None;
        m_result.message = ConnectionTester::tr("connected to %1").arg(m_connection.server.toString());
        finish();
    }

    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        qCInfo(lcDialogs).noquote() << "connection test" << m_connection.source << "->"
                                    << ConnectionTestResult::stepName(m_result.failedStep) << m_result.message;
        m_tester->onRunFinished(this, m_result);
    }

    ConnectionTester* m_tester;
    kube::ClusterConnection m_connection;
    kube::ApiClient* m_client = nullptr;
    ConnectionTestResult m_result;
    qint64 m_started = 0;
    QStringList m_sslErrors;
    ScheduledCall m_timeout;
    bool m_timedOut = false;
    bool m_done = false;
};

ConnectionTester::ConnectionTester(QObject* parent) : QObject(parent)
{
    setObjectName(QStringLiteral("connectionTester"));
}

ConnectionTester::~ConnectionTester() = default;

Result<kube::ClusterConnection> ConnectionTester::resolve(const ConnectionRequest& request,
                                                          const QProcessEnvironment& env,
                                                          const QString& sandboxKubeconfig)
{
    return resolveConnectionRequest(request, env, sandboxKubeconfig);
}

void ConnectionTester::test(const ConnectionRequest& request)
{
    test(request, nullptr, nullptr);
}

void ConnectionTester::test(const ConnectionRequest& request, QObject* context, Callback callback)
{
    cancel();
    Result<kube::ClusterConnection> connection = resolve(request, m_env, m_sandboxKubeconfig);
    kube::ClusterConnection resolved = connection ? connection.value() : kube::ClusterConnection();
    auto* run = new Run(this, std::move(resolved), std::move(callback), context);
    m_run = run;
    if (!connection) {
        const QString message = connection.error().message();
        const Step step =
            connection.error().category() == ErrorCategory::Unauthorized ? Step::Authentication : Step::KubeConfig;
        QTimer::singleShot(0, run, [run, step, message] { run->failNow(step, message); });
        return;
    }
    run->start();
}

void ConnectionTester::cancel()
{
    if (m_run) {
        m_run->m_callback = nullptr;
        delete m_run.data();
    }
    m_run = nullptr;
}

bool ConnectionTester::isRunning() const
{
    return !m_run.isNull();
}

void ConnectionTester::onRunFinished(Run* run, const ConnectionTestResult& result)
{
    Callback callback = std::move(run->m_callback);
    const bool deliver = callback && (!run->m_hasContext || run->m_context);
    if (m_run == run)
        m_run = nullptr;
    run->deleteLater();
    Q_EMIT finished(result);
    if (deliver)
        callback(result);
}

} // namespace vk::console
