// SPDX-License-Identifier: Apache-2.0
#include "sandbox/CsrSigner.h"

#include "sandbox/Logging.h"
#include "sandbox/Registry.h"

#include <QJsonArray>
#include <QTimer>

namespace vk::sandbox {

namespace {

const QString kTypeKey = QStringLiteral("certificates.k8s.io/certificatesigningrequests");
const QLatin1String kKubeletServing("kubernetes.io/kubelet-serving");
const QLatin1String kKubeletClient("kubernetes.io/kube-apiserver-client-kubelet");
const QLatin1String kApiServerClient("kubernetes.io/kube-apiserver-client");

bool hasTrueCondition(const QJsonObject& csr, const QString& type)
{
    for (const auto& c : csr.value(QLatin1String("status")).toObject().value(QLatin1String("conditions")).toArray()) {
        const QJsonObject condition = c.toObject();
        if (condition.value(QLatin1String("type")).toString() == type &&
            condition.value(QLatin1String("status")).toString(QStringLiteral("True")) == QLatin1String("True"))
            return true;
    }
    return false;
}

QString sortedSet(QStringList values)
{
    values.sort();
    return QLatin1Char('[') + values.join(QLatin1Char(' ')) + QLatin1Char(']');
}

bool sameSet(QStringList a, QStringList b)
{
    a.sort();
    a.removeDuplicates();
    b.sort();
    b.removeDuplicates();
    return a == b;
}

} // namespace

CsrSigner::CsrSigner(Registry* registry, pki::CertificateAndKey ca, QObject* parent)
    : QObject(parent), m_registry(registry), m_ca(std::move(ca))
{}

void CsrSigner::start()
{
    connect(m_registry->store(), &ObjectStore::changed, this, &CsrSigner::onChanged);
    reconcile();
}

bool CsrSigner::isKnownSigner(const QString& signerName)
{
    return signerName == kKubeletServing || signerName == kKubeletClient || signerName == kApiServerClient;
}

QString CsrSigner::validate(const QString& signerName,
                            const pki::CertificateRequestContents& request,
                            const QStringList& usages)
{
    const QString systemNodes = QStringLiteral("system:nodes");
    if (signerName == kKubeletServing) {
        if (request.organizations != QStringList{systemNodes})
            return QStringLiteral("subject organization is not system:nodes");
        if (request.dnsNames.isEmpty() && request.ipAddresses.isEmpty())
            return QStringLiteral("DNS or IP subjectAltName is required");
        if (!request.emailAddresses.isEmpty())
            return QStringLiteral("Email subjectAltNames are not allowed");
        if (!request.uris.isEmpty())
            return QStringLiteral("URI subjectAltNames are not allowed");
        const QStringList required{QStringLiteral("digital signature"), QStringLiteral("key encipherment"),
                                   QStringLiteral("server auth")};
        if (!sameSet(usages, required) &&
            !sameSet(usages, {QStringLiteral("digital signature"), QStringLiteral("server auth")}))
            return QStringLiteral("usages did not match %1").arg(sortedSet(required));
        if (!request.commonName.startsWith(QLatin1String("system:node:")))
            return QStringLiteral("subject common name does not begin with system:node:");
        return {};
    }
    if (signerName == kKubeletClient) {
        if (request.organizations != QStringList{systemNodes})
            return QStringLiteral("subject organization is not system:nodes");
        if (!request.dnsNames.isEmpty())
            return QStringLiteral("DNS subjectAltNames are not allowed");
        if (!request.emailAddresses.isEmpty())
            return QStringLiteral("Email subjectAltNames are not allowed");
        if (!request.ipAddresses.isEmpty())
            return QStringLiteral("IP subjectAltNames are not allowed");
        if (!request.uris.isEmpty())
            return QStringLiteral("URI subjectAltNames are not allowed");
        if (!request.commonName.startsWith(QLatin1String("system:node:")))
            return QStringLiteral("subject common name does not begin with system:node:");
        const QStringList required{QStringLiteral("digital signature"), QStringLiteral("key encipherment"),
                                   QStringLiteral("client auth")};
        if (!sameSet(usages, required) &&
            !sameSet(usages, {QStringLiteral("digital signature"), QStringLiteral("client auth")}))
            return QStringLiteral("usages did not match %1").arg(sortedSet(required));
        return {};
    }
    if (signerName == kApiServerClient) {
        const QStringList allowed{QStringLiteral("digital signature"), QStringLiteral("key encipherment"),
                                  QStringLiteral("client auth")};
        for (const QString& usage : usages) {
            if (!allowed.contains(usage))
                return QStringLiteral("invalid usage for client certificate: %1").arg(usage);
        }
        return {};
    }
    return QStringLiteral("unknown signer %1").arg(signerName);
}

void CsrSigner::onChanged(const ChangeEvent& event)
{
    if (event.typeKey != kTypeKey || event.type == ChangeEvent::Type::Deleted || m_queued)
        return;
    m_queued = true;
    QTimer::singleShot(0, this, [this] {
        m_queued = false;
        reconcile();
    });
}

void CsrSigner::reconcile()
{
    for (const QJsonObject& csr : m_registry->store()->list(kTypeKey))
        handle(csr);
}

void CsrSigner::handle(const QJsonObject& csr)
{
    const QJsonObject spec = csr.value(QLatin1String("spec")).toObject();
    const QJsonObject status = csr.value(QLatin1String("status")).toObject();
    const QString signer = spec.value(QLatin1String("signerName")).toString();
    if (!isKnownSigner(signer) || !hasTrueCondition(csr, QStringLiteral("Approved")) ||
        hasTrueCondition(csr, QStringLiteral("Failed")) ||
        !status.value(QLatin1String("certificate")).toString().isEmpty())
        return;
    const QString name = object::name(csr);
    const QByteArray pem = QByteArray::fromBase64(spec.value(QLatin1String("request")).toString().toLatin1());
    QStringList usages;
    for (const auto& u : spec.value(QLatin1String("usages")).toArray())
        usages.append(u.toString());

    QString failure;
    auto contents = pki::inspectCertificateRequest(pem);
    if (!contents)
        failure = QStringLiteral("unable to parse csr %1: %2").arg(name, contents.error().message());
    else if (!contents->signatureValid)
        failure = QStringLiteral("unable to parse csr %1: the request's signature does not verify").arg(name);
    else
        failure = validate(signer, contents.value(), usages);

    QJsonObject updated = csr;
    QJsonObject newStatus = status;
    const QString now = m_registry->clock()->now().toUTC().toString(Qt::ISODate);
    if (failure.isEmpty()) {
        pki::SigningPolicy policy;
        policy.validitySeconds = maxValiditySeconds;
        if (spec.contains(QLatin1String("expirationSeconds")))
            policy.validitySeconds =
                std::min(maxValiditySeconds, spec.value(QLatin1String("expirationSeconds")).toInteger());
        policy.digitalSignature = usages.contains(QStringLiteral("digital signature"));
        policy.keyEncipherment = usages.contains(QStringLiteral("key encipherment"));
        policy.serverAuth = usages.contains(QStringLiteral("server auth"));
        policy.clientAuth = usages.contains(QStringLiteral("client auth"));
        auto certificate = pki::signCertificateRequest(m_ca, pem, policy);
        if (certificate) {
            newStatus.insert(QStringLiteral("certificate"), QString::fromLatin1(certificate->toBase64()));
            qCInfo(lcSandbox).noquote() << "csrsigning: issued a certificate for" << name << "(" << signer << ")";
        } else {
            failure = certificate.error().message();
        }
    }
    if (!failure.isEmpty()) {
        QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();
        conditions.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("Failed")},
                                      {QStringLiteral("status"), QStringLiteral("True")},
                                      {QStringLiteral("reason"), QStringLiteral("SignerValidationFailure")},
                                      {QStringLiteral("message"), failure},
                                      {QStringLiteral("lastUpdateTime"), now},
                                      {QStringLiteral("lastTransitionTime"), now}});
        newStatus.insert(QStringLiteral("conditions"), conditions);
        qCInfo(lcSandbox).noquote() << "csrsigning: request" << name << "failed:" << failure;
    }
    updated.insert(QStringLiteral("status"), newStatus);
    const ResourceType* type = findResourceType(QStringLiteral("certificates.k8s.io"), QStringLiteral("v1"),
                                                QStringLiteral("certificatesigningrequests"));
    if (auto written = m_registry->update(*type, {}, name, updated, true); !written)
        qCWarning(lcSandbox).noquote() << "csrsigning: cannot update" << name << ":" << written.error().message();
}

} // namespace vk::sandbox
