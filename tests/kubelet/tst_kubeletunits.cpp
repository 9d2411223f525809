// SPDX-License-Identifier: Apache-2.0
// The kubelet API's parsers and builders: upstream's log option validation (messages included), the request
// attributes used for authorization, and the kubelet-serving CSR.
#include "kubelet/CertificateSigningRequest.h"
#include "kubelet/GoParse.h"
#include "kubelet/KubeletAuth.h"
#include "kubelet/LogQuery.h"
#include "kubelet/ServingCertificateRequester.h"

#include <QJsonArray>
#include <QTest>

using namespace vk;
using namespace vk::kubelet;

class KubeletUnitsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logQueryAccepts_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<qint64>("tail");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qint64>("since");
        QTest::addColumn<bool>("follow");
        QTest::addColumn<bool>("previous");
        QTest::addColumn<bool>("timestamps");
        QTest::addColumn<QString>("sinceTime");
        QTest::newRow("nothing set means no limits") << "" << -1LL << -1LL << -1LL << false << false << false << "";
        QTest::newRow("tailLines zero is allowed")
            << "tailLines=0" << 0LL << -1LL << -1LL << false << false << false << "";
        QTest::newRow("kubectl's parameters") << "tailLines=2&limitBytes=10&follow=true&timestamps=true&previous=1"
                                              << 2LL << 10LL << -1LL << true << true << true << "";
        QTest::newRow("Go booleans: T, FALSE")
            << "follow=T&timestamps=FALSE" << -1LL << -1LL << -1LL << true << false << false << "";
        QTest::newRow("sinceSeconds") << "sinceSeconds=3600" << -1LL << -1LL << 3600LL << false << false << false << "";
        QTest::newRow("sinceTime RFC 3339 with offset") << "sinceTime=2026-01-02T03:04:05%2B01:00" << -1LL << -1LL
                                                        << -1LL << false << false << false << "2026-01-02T02:04:05Z";
        QTest::newRow("sinceTime with fractional seconds") << "sinceTime=2026-01-02T03:04:05.5Z" << -1LL << -1LL << -1LL
                                                           << false << false << false << "2026-01-02T03:04:05Z";
        QTest::newRow("an empty value counts as absent")
            << "tailLines=&follow=" << -1LL << -1LL << -1LL << false << false << false << "";
        QTest::newRow("the first of repeated values wins")
            << "tailLines=1&tailLines=x" << 1LL << -1LL << -1LL << false << false << false << "";
        QTest::newRow("a signed number") << "tailLines=%2B5" << 5LL << -1LL << -1LL << false << false << false << "";
    }
    void logQueryAccepts()
    {
        QFETCH(QString, query);
        auto options = parseLogQuery(QUrlQuery(query));
        QVERIFY2(options.ok(), qPrintable(options.ok() ? QString() : options.error().message()));
        QFETCH(qint64, tail);
        QFETCH(qint64, limit);
        QFETCH(qint64, since);
        QCOMPARE(options->tailLines.value_or(-1), tail);
        QCOMPARE(options->limitBytes.value_or(-1), limit);
        QCOMPARE(options->sinceSeconds.value_or(-1), since);
        QTEST(options->follow, "follow");
        QTEST(options->previous, "previous");
        QTEST(options->timestamps, "timestamps");
        QFETCH(QString, sinceTime);
        QCOMPARE(options->sinceTime.isValid() ? options->sinceTime.toUTC().toString(Qt::ISODate) : QString(),
                 sinceTime);
    }

    void logQueryRejectsWithUpstreamsMessages_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative tailLines") << "tailLines=-1"
                                            << "\"tailLines\" is -1";
        QTest::newRow("tailLines not a number")
            << "tailLines=abc"
            << "could not parse \"tailLines\": strconv.Atoi: parsing \"abc\": invalid syntax";
        QTest::newRow("tailLines too large")
            << "tailLines=99999999999999999999"
            << "could not parse \"tailLines\": strconv.Atoi: parsing \"99999999999999999999\": value out of range";
        QTest::newRow("follow not a Go boolean")
            << "follow=yes"
            << "could not parse \"follow\": strconv.ParseBool: parsing \"yes\": invalid syntax";
        QTest::newRow("limitBytes zero") << "limitBytes=0"
                                         << "\"limitBytes\" is 0";
        QTest::newRow("limitBytes with a unit")
            << "limitBytes=10k"
            << "could not parse \"limitBytes\": strconv.Atoi: parsing \"10k\": invalid syntax";
        QTest::newRow("previous not a Go boolean")
            << "previous=on"
            << "could not parse \"previous\": strconv.ParseBool: parsing \"on\": invalid syntax";
        QTest::newRow("sinceSeconds negative") << "sinceSeconds=-10"
                                               << "\"sinceSeconds\" is -10";
        QTest::newRow("sinceSeconds zero") << "sinceSeconds=0"
                                           << "\"sinceSeconds\" is 0";
        QTest::newRow("sinceTime and sinceSeconds together") << "sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z"
                                                             << "both \"sinceSeconds\" and \"sinceTime\" are set";
        QTest::newRow("sinceTime not a time")
            << "sinceTime=yesterday"
            << "could not parse \"sinceTime\": parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot "
               "parse \"yesterday\" as \"2006\"";
        QTest::newRow("sinceTime without a zone")
            << "sinceTime=2026-01-01T00:00:00"
            << "could not parse \"sinceTime\": parsing time \"2026-01-01T00:00:00\" as \"2006-01-02T15:04:05Z07:00\": "
               "cannot parse \"\" as \"Z07:00\"";
        QTest::newRow("sinceTime date only")
            << "sinceTime=2026-01-01"
            << "could not parse \"sinceTime\": parsing time \"2026-01-01\" as \"2006-01-02T15:04:05Z07:00\": cannot "
               "parse \"\" as \"T\"";
        QTest::newRow("sinceTime month 13")
            << "sinceTime=2026-13-01T00:00:00Z"
            << "could not parse \"sinceTime\": parsing time \"2026-13-01T00:00:00Z\": month out of range";
        QTest::newRow("sinceTime February 30")
            << "sinceTime=2026-02-30T00:00:00Z"
            << "could not parse \"sinceTime\": parsing time \"2026-02-30T00:00:00Z\": day out of range";
        QTest::newRow("sinceTime trailing text")
            << "sinceTime=2026-01-01T00:00:00Zjunk"
            << "could not parse \"sinceTime\": parsing time \"2026-01-01T00:00:00Zjunk\": extra text: \"junk\"";
        QTest::newRow("timestamps not a Go boolean")
            << "timestamps=2"
            << "could not parse \"timestamps\": strconv.ParseBool: parsing \"2\": invalid syntax";
        QTest::newRow("tailLines is checked before follow") << "follow=x&tailLines=-2"
                                                            << "\"tailLines\" is -2";
    }
    void logQueryRejectsWithUpstreamsMessages()
    {
        QFETCH(QString, query);
        QFETCH(QString, message);
        auto options = parseLogQuery(QUrlQuery(query));
        QVERIFY(!options.ok());
        QCOMPARE(options.error().category(), ErrorCategory::BadRequest);
        QCOMPARE(options.error().message(), message);
    }

    void goQuoteEscapes()
    {
        QCOMPARE(go::quote(QStringLiteral("a\"b\\c\n")), QStringLiteral("\"a\\\"b\\\\c\\n\""));
        QCOMPARE(go::quote(QStringLiteral("\x01")), QStringLiteral("\"\\x01\""));
    }

    void requestAttributesFollowTheKubelet_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("verb");
        QTest::addColumn<QString>("subresource");
        QTest::newRow("stats summary") << QByteArray("GET") << "/stats/summary"
                                       << "get"
                                       << "stats";
        QTest::newRow("stats itself") << QByteArray("GET") << "/stats"
                                      << "get"
                                      << "stats";
        QTest::newRow("statsfoo is proxy") << QByteArray("GET") << "/statsfoo"
                                           << "get"
                                           << "proxy";
        QTest::newRow("metrics") << QByteArray("GET") << "/metrics"
                                 << "get"
                                 << "metrics";
        QTest::newRow("metrics resource") << QByteArray("GET") << "/metrics/resource"
                                          << "get"
                                          << "metrics";
        QTest::newRow("logs") << QByteArray("GET") << "/logs/syslog"
                              << "get"
                              << "log";
        QTest::newRow("container logs are proxy") << QByteArray("GET") << "/containerLogs/a/b/c"
                                                  << "get"
                                                  << "proxy";
        QTest::newRow("exec POST is create") << QByteArray("POST") << "/exec/a/b/c"
                                             << "create"
                                             << "proxy";
        QTest::newRow("PUT is update") << QByteArray("PUT") << "/pods"
                                       << "update"
                                       << "proxy";
        QTest::newRow("PATCH is patch") << QByteArray("PATCH") << "/pods"
                                        << "patch"
                                        << "proxy";
        QTest::newRow("DELETE is delete") << QByteArray("DELETE") << "/pods"
                                          << "delete"
                                          << "proxy";
        QTest::newRow("spec") << QByteArray("GET") << "/spec/"
                              << "get"
                              << "spec";
    }
    void requestAttributesFollowTheKubelet()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        const auto attrs = RequestAttributes::of(method, path);
        QTEST(attrs.verb, "verb");
        QTEST(attrs.subresource, "subresource");
    }

    void servingCsrCarriesTheNodeIdentity_data()
    {
        QTest::addColumn<int>("keyType");
        QTest::addColumn<QStringList>("usages");
        QTest::newRow("EC: digital signature, server auth")
            << int(pki::KeyType::EcP256)
            << QStringList{QStringLiteral("digital signature"), QStringLiteral("server auth")};
        QTest::newRow("RSA: plus key encipherment")
            << int(pki::KeyType::Rsa2048)
            << QStringList{QStringLiteral("digital signature"), QStringLiteral("key encipherment"),
                           QStringLiteral("server auth")};
    }
    void servingCsrCarriesTheNodeIdentity()
    {
        QFETCH(int, keyType);
        const auto type = pki::KeyType(keyType);
        auto key = generatePrivateKey(type);
        QVERIFY(key.ok());
        const auto request = kubeletServingRequest(
            QStringLiteral("vk-node"), {QStringLiteral("vk-node")},
            {QHostAddress(QStringLiteral("10.0.0.7")), QHostAddress(QStringLiteral("fd00::7"))}, type);
        auto pem = createCertificateSigningRequest(request, *key);
        QVERIFY2(pem.ok(), qPrintable(pem.ok() ? QString() : pem.error().message()));
        QVERIFY(pem->startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        auto info = inspectCertificateSigningRequest(*pem);
        QVERIFY(info.ok());
        QCOMPARE(info->commonName, QStringLiteral("system:node:vk-node"));
        QCOMPARE(info->organizations, QStringList{QStringLiteral("system:nodes")});
        QCOMPARE(info->dnsNames, QStringList{QStringLiteral("vk-node")});
        QCOMPARE(info->ipAddresses.size(), 2);
        QCOMPARE(info->ipAddresses[0], QHostAddress(QStringLiteral("10.0.0.7")));
        QCOMPARE(info->ipAddresses[1], QHostAddress(QStringLiteral("fd00::7")));
        QVERIFY(info->signatureValid);
        QCOMPARE(info->ecKey, type == pki::KeyType::EcP256);

        const QJsonObject csr = kubeletServingCsrObject(*pem, type);
        QCOMPARE(csr.value(QLatin1String("apiVersion")).toString(), QStringLiteral("certificates.k8s.io/v1"));
        QCOMPARE(csr.value(QLatin1String("kind")).toString(), QStringLiteral("CertificateSigningRequest"));
        const QJsonObject spec = csr.value(QLatin1String("spec")).toObject();
        QCOMPARE(spec.value(QLatin1String("signerName")).toString(), QStringLiteral("kubernetes.io/kubelet-serving"));
        QCOMPARE(QByteArray::fromBase64(spec.value(QLatin1String("request")).toString().toLatin1()), *pem);
        QStringList got;
        for (const auto& u : spec.value(QLatin1String("usages")).toArray())
            got.append(u.toString());
        QFETCH(QStringList, usages);
        QCOMPARE(got, usages);
    }

    void csrWithABadKeyIsAnError()
    {
        auto pem = createCertificateSigningRequest(kubeletServingRequest(QStringLiteral("n"), {}, {}),
                                                   QByteArrayLiteral("not a key"));
        QVERIFY(!pem.ok());
        QVERIFY(pem.error().message().contains(QStringLiteral("unreadable private key")));
    }

    void issuedCertificateFollowsTheConditions()
    {
        QJsonObject csr{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("csr-1")}}}};
        auto pending = issuedCertificate(csr);
        QVERIFY(pending.ok());
        QVERIFY(pending->isEmpty());

        QJsonObject approved = csr;
        approved.insert(QStringLiteral("status"),
                        QJsonObject{{QStringLiteral("conditions"),
                                     QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Approved")}}}}});
        QVERIFY(issuedCertificate(approved)->isEmpty()); // approved, not signed yet
        QJsonObject status = approved.value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("certificate"), QString::fromLatin1(QByteArray("PEM").toBase64()));
        approved.insert(QStringLiteral("status"), status);
        QCOMPARE(*issuedCertificate(approved), QByteArray("PEM"));

        QJsonObject denied = csr;
        denied.insert(QStringLiteral("status"),
                      QJsonObject{{QStringLiteral("conditions"),
                                   QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Denied")},
                                                          {QStringLiteral("message"), QStringLiteral("no")}}}}});
        auto deniedResult = issuedCertificate(denied);
        QVERIFY(!deniedResult.ok());
        QCOMPARE(deniedResult.error().message(), QStringLiteral("certificate signing request csr-1 was denied: no"));
    }

    void renewalAtEightyPercentOfTheLifetime()
    {
        pki::CertificateRequest request;
        request.commonName = QStringLiteral("n");
        request.validityDays = 10;
        auto pair = pki::createSelfSigned(request);
        QVERIFY(pair.ok());
        const QSslCertificate cert = pair->certificate();
        const qint64 lifetime = cert.effectiveDate().msecsTo(cert.expiryDate());
        const qint64 delay = ServingCertificateRequester::renewalDelayMs(cert, cert.effectiveDate());
        QCOMPARE(delay, lifetime * 8 / 10);
        QCOMPARE(ServingCertificateRequester::renewalDelayMs(cert, cert.expiryDate()), 0);
    }
};

QTEST_GUILESS_MAIN(KubeletUnitsTest)
#include "tst_kubeletunits.moc"
