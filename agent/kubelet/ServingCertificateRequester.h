// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "http/Pki.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>

namespace vk::kube {
class ApiClient;
class Watch;
struct WatchEvent;
} // namespace vk::kube

namespace vk::kubelet {

/// The kubelet's serving-certificate bootstrap: creates a certificates.k8s.io/v1 CertificateSigningRequest for
/// kubernetes.io/kubelet-serving (CN system:node:<node>, O system:nodes, the node's SANs), watches it until it is
/// approved and signed, emits issued(), and requests a new one at 80% of the certificate's lifetime. Failures
/// (denied, failed, API errors) are emitted and retried after a minute.
class ServingCertificateRequester : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString nodeName;
        QStringList dnsNames;
        QList<QHostAddress> ipAddresses;
        pki::KeyType keyType = pki::KeyType::EcP256;
        Clock* clock = Clock::system();
        qint64 retryDelayMs = 60'000;
    };

    ServingCertificateRequester(kube::ApiClient* client, Options options, QObject* parent = nullptr);
    ~ServingCertificateRequester() override;

    /// Sends a new request now.
    void start();
    /// When a certificate from elsewhere (or an issued one) is in use: renews at 80% of its lifetime.
    void scheduleRenewal(const QSslCertificate& certificate);
    /// Milliseconds from notBefore until renewal: 80% of the lifetime.
    static qint64 renewalDelayMs(const QSslCertificate& certificate, const QDateTime& now);

Q_SIGNALS:
    void issued(const vk::pki::CertificateAndKey& pair);
    void failed(const vk::Error& error);

private:
    void fail(const Error& error);
    void watchRequest(const QString& resourceVersion);
    void onEvent(const kube::WatchEvent& event);
    void check(const QJsonObject& csr);

    QPointer<kube::ApiClient> m_client;
    Options m_options;
    QByteArray m_keyPem;
    QString m_name;
    kube::Watch* m_watch = nullptr;
    ScheduledCall m_timer;
};

} // namespace vk::kubelet
