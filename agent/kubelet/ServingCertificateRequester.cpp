// SPDX-License-Identifier: Apache-2.0
#include "kubelet/ServingCertificateRequester.h"

#include "kube/ApiClient.h"
#include "kube/Watch.h"
#include "kubelet/CertificateSigningRequest.h"
#include "kubelet/Logging.h"

namespace vk::kubelet {

namespace {

const kube::GroupVersionResource kCsrs{QStringLiteral("certificates.k8s.io"), QStringLiteral("v1"),
                                       QStringLiteral("certificatesigningrequests"), false};

} // namespace

ServingCertificateRequester::ServingCertificateRequester(kube::ApiClient* client, Options options, QObject* parent)
    : QObject(parent), m_client(client), m_options(std::move(options))
{
    if (!m_options.clock)
        m_options.clock = Clock::system();
}

ServingCertificateRequester::~ServingCertificateRequester()
{
    m_timer.cancel();
}

qint64 ServingCertificateRequester::renewalDelayMs(const QSslCertificate& certificate, const QDateTime& now)
{
    const QDateTime from = certificate.effectiveDate();
    const QDateTime until = certificate.expiryDate();
    const qint64 lifetime = from.msecsTo(until);
    const QDateTime renewAt = from.addMSecs(lifetime * 8 / 10);
    return std::max<qint64>(0, now.msecsTo(renewAt));
}

void ServingCertificateRequester::scheduleRenewal(const QSslCertificate& certificate)
{
    m_timer.cancel();
    const qint64 delay = renewalDelayMs(certificate, m_options.clock->now());
    qCInfo(lcKubelet).noquote() << "serving certificate renewal in" << delay / 1000 << "s";
    m_timer = m_options.clock->schedule(delay, this, [this] { start(); });
}

void ServingCertificateRequester::fail(const Error& error)
{
    qCWarning(lcKubelet).noquote() << "kubelet-serving certificate:" << error.message() << "- retrying in"
                                   << m_options.retryDelayMs / 1000 << "s";
    Q_EMIT failed(error);
    m_timer.cancel();
    m_timer = m_options.clock->schedule(m_options.retryDelayMs, this, [this] { start(); });
}

void ServingCertificateRequester::start()
{
    m_timer.cancel();
    if (m_watch) {
        m_watch->stop();
        m_watch->deleteLater();
        m_watch = nullptr;
    }
    if (!m_client)
        return fail(Error::invalidInput(QStringLiteral("no API client to request a serving certificate with")));
    auto key = generatePrivateKey(m_options.keyType);
    if (!key)
        return fail(key.error());
    const auto request =
        kubeletServingRequest(m_options.nodeName, m_options.dnsNames, m_options.ipAddresses, m_options.keyType);
    auto csr = createCertificateSigningRequest(request, *key);
    if (!csr)
        return fail(csr.error());
    m_keyPem = *key;
    m_client->create(kCsrs, {}, kubeletServingCsrObject(*csr, m_options.keyType), this,
                     [this](Result<QJsonObject> created) {
                         if (!created) {
                             Error e = created.error();
                             return fail(e.prefix(QStringLiteral("creating a CertificateSigningRequest: ")));
                         }
                         const QJsonObject metadata = created->value(QLatin1String("metadata")).toObject();
                         m_name = metadata.value(QLatin1String("name")).toString();
                         qCInfo(lcKubelet).noquote()
                             << "waiting for CertificateSigningRequest" << m_name << "to be approved and signed";
                         check(*created);
                         if (!m_name.isEmpty() && !m_timer.isPending())
                             watchRequest(metadata.value(QLatin1String("resourceVersion")).toString());
                     });
}

void ServingCertificateRequester::watchRequest(const QString& resourceVersion)
{
    kube::WatchOptions options;
    options.fieldSelector = QStringLiteral("metadata.name=") + m_name;
    options.resourceVersion = resourceVersion;
    options.timeoutSeconds = 300;
    m_watch = m_client->watch(kCsrs, {}, options, this);
    connect(m_watch, &kube::Watch::eventReceived, this, &ServingCertificateRequester::onEvent);
    connect(m_watch, &kube::Watch::finished, this, [this](const Status& status) {
        kube::Watch* watch = m_watch;
        m_watch = nullptr;
        if (watch)
            watch->deleteLater();
        if (m_timer.isPending())
            return; // already issued or failed
        if (!status)
            return fail(Error(status.error()).prefix(QStringLiteral("watching CertificateSigningRequest: ")));
        watchRequest({}); // ended by timeoutSeconds: watch again (from the current state)
    });
    m_watch->start();
}

void ServingCertificateRequester::onEvent(const kube::WatchEvent& event)
{
    if (event.type == kube::WatchEvent::Type::Deleted)
        return fail(Error::notFound(QStringLiteral("CertificateSigningRequest %1 was deleted").arg(m_name)));
    if (event.type == kube::WatchEvent::Type::Added || event.type == kube::WatchEvent::Type::Modified)
        check(event.object());
}

void ServingCertificateRequester::check(const QJsonObject& csr)
{
    auto certificate = issuedCertificate(csr);
    if (!certificate) {
        if (m_watch) {
            m_watch->stop();
            m_watch->deleteLater();
            m_watch = nullptr;
        }
        return fail(certificate.error());
    }
    if (certificate->isEmpty())
        return;
    if (m_watch) {
        m_watch->stop();
        m_watch->deleteLater();
        m_watch = nullptr;
    }
    pki::CertificateAndKey pair{*certificate, m_keyPem};
    if (pair.certificate().isNull() || !pki::keyMatchesCertificate(pair))
        return fail(Error::internal(
            QStringLiteral("CertificateSigningRequest %1 returned a certificate that does not match our key")
                .arg(m_name)));
    qCInfo(lcKubelet).noquote() << "kubelet-serving certificate issued by CertificateSigningRequest" << m_name
                                << "valid until" << pair.certificate().expiryDate().toString(Qt::ISODate);
    scheduleRenewal(pair.certificate());
    Q_EMIT issued(pair);
}

} // namespace vk::kubelet
