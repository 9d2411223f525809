// SPDX-License-Identifier: Apache-2.0
// certificates.k8s.io/v1 CertificateSigningRequest (pkg/apis/certificates/validation, the registry strategy and
// printCertificateSigningRequest).
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

const QStringList& knownUsages()
{
    static const QStringList usages{QStringLiteral("signing"),
                                    QStringLiteral("digital signature"),
                                    QStringLiteral("content commitment"),
                                    QStringLiteral("key encipherment"),
                                    QStringLiteral("key agreement"),
                                    QStringLiteral("data encipherment"),
                                    QStringLiteral("cert sign"),
                                    QStringLiteral("crl sign"),
                                    QStringLiteral("encipher only"),
                                    QStringLiteral("decipher only"),
                                    QStringLiteral("any"),
                                    QStringLiteral("server auth"),
                                    QStringLiteral("client auth"),
                                    QStringLiteral("code signing"),
                                    QStringLiteral("email protection"),
                                    QStringLiteral("s/mime"),
                                    QStringLiteral("ipsec end system"),
                                    QStringLiteral("ipsec tunnel"),
                                    QStringLiteral("ipsec user"),
                                    QStringLiteral("timestamping"),
                                    QStringLiteral("ocsp signing"),
                                    QStringLiteral("microsoft sgc"),
                                    QStringLiteral("netscape sgc")};
    return usages;
}

bool hasCondition(const QJsonObject& csr, const QString& type)
{
    for (const auto& c : arrayField(objectField(csr, QLatin1String("status")), QLatin1String("conditions"))) {
        if (stringField(c.toObject(), QLatin1String("type")) == type)
            return true;
    }
    return false;
}

} // namespace

void prepareCsrForCreate(QJsonObject& csr)
{
    csr.remove(QStringLiteral("status"));
}

void prepareCsrForUpdate(QJsonObject& csr, const QJsonObject& old)
{
    // The spec is immutable and the status changes only through /status and /approval.
    csr.insert(QStringLiteral("spec"), old.value(QLatin1String("spec")));
    if (old.contains(QLatin1String("status")))
        csr.insert(QStringLiteral("status"), old.value(QLatin1String("status")));
    else
        csr.remove(QStringLiteral("status"));
}

Causes validateCertificateSigningRequest(const QJsonObject& csr, const QJsonObject* old)
{
    Causes causes;
    if (old)
        validateObjectMetaUpdate(csr, *old, causes);
    validateObjectMeta(csr, false, NameRule::Dns1123Subdomain, causes);
    const QJsonObject spec = objectField(csr, QLatin1String("spec"));
    const QString request = stringField(spec, QLatin1String("request"));
    const QByteArray pem = QByteArray::fromBase64(request.toLatin1());
    if (request.isEmpty())
        av::required(QStringLiteral("spec.request"), causes);
    else if (!pem.contains("-----BEGIN CERTIFICATE REQUEST-----"))
        av::invalid(QStringLiteral("spec.request"), QString(request.left(32) + QStringLiteral("...")),
                    QStringLiteral("PEM block type must be CERTIFICATE REQUEST"), causes);
    const QString signer = stringField(spec, QLatin1String("signerName"));
    if (signer.isEmpty())
        av::required(QStringLiteral("spec.signerName"), causes);
    else if (!signer.contains(QLatin1Char('/')))
        av::invalid(QStringLiteral("spec.signerName"), signer,
                    QStringLiteral("must be a fully qualified domain and path of the form 'example.com/signer-name'"),
                    causes);
    if (hasField(spec, QLatin1String("expirationSeconds")) && intField(spec, QLatin1String("expirationSeconds")) < 600)
        av::invalid(QStringLiteral("spec.expirationSeconds"), intField(spec, QLatin1String("expirationSeconds")),
                    QStringLiteral("may not specify a duration less than 600 seconds (10 minutes)"), causes);
    const QJsonArray usages = arrayField(spec, QLatin1String("usages"));
    if (usages.isEmpty())
        requiredWithDetail(QStringLiteral("spec.usages"), QStringLiteral("usages must be provided"), causes);
    for (qsizetype i = 0; i < usages.size(); ++i) {
        const QString usage = usages.at(i).toString();
        if (!knownUsages().contains(usage))
            av::notSupported(QStringLiteral("spec.usages[%1]").arg(i), usage, knownUsages(), causes);
    }
    if (hasCondition(csr, QStringLiteral("Approved")) && hasCondition(csr, QStringLiteral("Denied")))
        av::invalid(QStringLiteral("status.conditions"),
                    arrayField(objectField(csr, QLatin1String("status")), QLatin1String("conditions")),
                    QStringLiteral("Approved and Denied conditions are mutually exclusive"), causes);
    if (old) {
        for (const char* type : {"Approved", "Denied", "Failed"}) {
            if (hasCondition(*old, QLatin1String(type)) && !hasCondition(csr, QLatin1String(type)))
                av::forbidden(
                    QStringLiteral("status.conditions"),
                    QStringLiteral("updates may not remove a condition of type \"%1\"").arg(QLatin1String(type)),
                    causes);
        }
        const QString oldCertificate =
            stringField(objectField(*old, QLatin1String("status")), QLatin1String("certificate"));
        const QString certificate =
            stringField(objectField(csr, QLatin1String("status")), QLatin1String("certificate"));
        if (!oldCertificate.isEmpty() && certificate != oldCertificate)
            av::forbidden(QStringLiteral("status.certificate"),
                          QStringLiteral("updates may not modify existing "
                                         "certificate content"),
                          causes);
    }
    return causes;
}

QList<TableColumn> csrColumns()
{
    return {nameColumn(),
            ageColumn(),
            {QStringLiteral("SignerName"), QStringLiteral("string"), QString(),
             QStringLiteral("Requested signer for the request. It is a qualified name in the form: "
                            "`scope-hostname.io/name`."),
             0},
            {QStringLiteral("Requestor"), QStringLiteral("string"), QString(),
             QStringLiteral("Name of the user requesting the certificate."), 0},
            {QStringLiteral("RequestedDuration"), QStringLiteral("string"), QString(),
             QStringLiteral("Requested certificate duration."), 0},
            {QStringLiteral("Condition"), QStringLiteral("string"), QString(),
             QStringLiteral("State of the request, e.g. Pending, Approved, Denied, Issued, Failed."), 0}};
}

QString csrCondition(const QJsonObject& csr)
{
    QString status = hasCondition(csr, QStringLiteral("Denied"))     ? QStringLiteral("Denied")
                     : hasCondition(csr, QStringLiteral("Approved")) ? QStringLiteral("Approved")
                                                                     : QStringLiteral("Pending");
    if (hasCondition(csr, QStringLiteral("Failed")))
        status += QStringLiteral(",Failed");
    if (!stringField(objectField(csr, QLatin1String("status")), QLatin1String("certificate")).isEmpty())
        status += QStringLiteral(",Issued");
    return status;
}

QJsonArray csrTableCells(const QJsonObject& csr, const QDateTime& now)
{
    const QJsonObject spec = objectField(csr, QLatin1String("spec"));
    const QString signer = stringField(spec, QLatin1String("signerName"));
    QString duration = QStringLiteral("<none>");
    if (hasField(spec, QLatin1String("expirationSeconds")))
        duration = humanDuration(now.addSecs(-intField(spec, QLatin1String("expirationSeconds"))), now);
    return {nameOf(csr),
            ageOf(csr, now),
            signer.isEmpty() ? QStringLiteral("<none>") : signer,
            stringField(spec, QLatin1String("username")),
            duration,
            csrCondition(csr)};
}

QString csrFieldValue(const QJsonObject& csr, const QString& field)
{
    bool known = false;
    const QString value = metadataFieldValue(csr, field, &known);
    if (known)
        return value;
    if (field == QLatin1String("spec.signerName"))
        return stringField(objectField(csr, QLatin1String("spec")), QLatin1String("signerName"));
    return {};
}

} // namespace vk::sandbox::detail
