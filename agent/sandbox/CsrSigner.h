// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/Pki.h"

#include <QObject>
#include <QSet>

namespace vk::sandbox {

class Registry;
struct ChangeEvent;

/// kube-controller-manager's csrsigning controller for the sandbox: signs APPROVED CertificateSigningRequests of
/// the signers kubernetes.io/kubelet-serving, kubernetes.io/kube-apiserver-client-kubelet and
/// kubernetes.io/kube-apiserver-client with the sandbox CA, honouring spec.expirationSeconds (capped at the
/// signing duration, one year by default), and writes status.certificate (PEM). A request the signer's rules
/// reject (subject, SANs, usages) gets a Failed condition with reason SignerValidationFailure and kube's message.
/// Other signers are left alone.
class CsrSigner : public QObject
{
    Q_OBJECT

public:
    CsrSigner(Registry* registry, pki::CertificateAndKey ca, QObject* parent = nullptr);

    void start();
    /// Signs what is approved and not yet issued; runs on start and after CSR changes.
    void reconcile();

    /// The signer's validation of a request (ValidateKubeletServingCSR, ValidateKubeletClientCSR, the client
    /// usages check); empty when the request may be signed.
    static QString
    validate(const QString& signerName, const pki::CertificateRequestContents& request, const QStringList& usages);
    static bool isKnownSigner(const QString& signerName);

    qint64 maxValiditySeconds = 365 * 24 * 3600;

private:
    void onChanged(const ChangeEvent& event);
    void handle(const QJsonObject& csr);

    Registry* m_registry;
    pki::CertificateAndKey m_ca;
    bool m_queued = false;
};

} // namespace vk::sandbox
