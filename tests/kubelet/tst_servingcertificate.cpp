// SPDX-License-Identifier: Apache-2.0
// The kubelet-serving certificate bootstrap against a fake API server: the CertificateSigningRequest it creates,
// the watch on it, and a denial reported and retried later.
#include "FakeApiServer.h"
#include "kube/ApiClient.h"
#include "kubelet/CertificateSigningRequest.h"
#include "kubelet/ServingCertificateRequester.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace vk;

class ServingCertificateTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deniedRequestIsReportedAndRetried()
    {
        test::FakeApiServer api;
        QVERIFY(api.listen());
        QList<QJsonObject> created;
        QList<QByteArray> watches;
        api.setHandler([&](test::FakeExchange* e) {
            const test::FakeRequest& r = e->request();
            if (r.method == "POST" && r.path == "/apis/certificates.k8s.io/v1/certificatesigningrequests") {
                QJsonObject object = r.json();
                created.append(object);
                QJsonObject metadata{{QStringLiteral("name"), QStringLiteral("csr-%1").arg(created.size())},
                                     {QStringLiteral("resourceVersion"), QStringLiteral("7")}};
                object.insert(QStringLiteral("metadata"), metadata);
                e->respondJson(201, object);
            } else if (r.method == "GET" && r.hasQueryItem(QStringLiteral("watch"))) {
                watches.append(r.rawQuery);
                e->beginStream();
                QJsonObject denied{
                    {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("csr-1")}}},
                    {QStringLiteral("status"),
                     QJsonObject{{QStringLiteral("conditions"),
                                  QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Denied")},
                                                         {QStringLiteral("message"), QStringLiteral("not today")}}}}}}};
                e->writeEvent(QStringLiteral("MODIFIED"), denied);
            } else {
                e->respond(404, "{}");
            }
        });
        kube::ClusterConnection connection;
        connection.server = api.url();
        kube::ApiClient client(connection);
        ManualClock clock;
        kubelet::ServingCertificateRequester::Options options;
        options.nodeName = QStringLiteral("vk-node");
        options.dnsNames = {QStringLiteral("vk-node")};
        options.ipAddresses = {QHostAddress(QStringLiteral("10.1.2.3"))};
        options.clock = &clock;
        kubelet::ServingCertificateRequester requester(&client, options);
        QSignalSpy failed(&requester, &kubelet::ServingCertificateRequester::failed);
        QSignalSpy issued(&requester, &kubelet::ServingCertificateRequester::issued);
        requester.start();
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(issued.size(), 0);
        QCOMPARE(failed.first().first().value<Error>().message(),
                 QStringLiteral("certificate signing request csr-1 was denied: not today"));

        QCOMPARE(created.size(), 1);
        const QJsonObject spec = created.first().value(QLatin1String("spec")).toObject();
        QCOMPARE(spec.value(QLatin1String("signerName")).toString(), QStringLiteral("kubernetes.io/kubelet-serving"));
        QCOMPARE(spec.value(QLatin1String("usages")).toArray(),
                 (QJsonArray{QStringLiteral("digital signature"), QStringLiteral("server auth")}));
        auto info = kubelet::inspectCertificateSigningRequest(
            QByteArray::fromBase64(spec.value(QLatin1String("request")).toString().toLatin1()));
        QVERIFY(info.ok());
        QCOMPARE(info->commonName, QStringLiteral("system:node:vk-node"));
        QCOMPARE(info->organizations, QStringList{QStringLiteral("system:nodes")});
        QCOMPARE(info->ipAddresses, QList<QHostAddress>{QHostAddress(QStringLiteral("10.1.2.3"))});
        QCOMPARE(watches.size(), 1);
        QVERIFY2(watches.first().contains("fieldSelector=metadata.name%3Dcsr-1"), watches.first().constData());
        QVERIFY2(watches.first().contains("resourceVersion=7"), watches.first().constData());

        // A minute later it asks again, with a new key.
        clock.advance(59'000);
        QCoreApplication::processEvents();
        QCOMPARE(created.size(), 1);
        clock.advance(1'000);
        QTRY_COMPARE(created.size(), 2);
        QVERIFY(created.last().value(QLatin1String("spec")).toObject().value(QLatin1String("request")) !=
                spec.value(QLatin1String("request")));
    }
};

QTEST_GUILESS_MAIN(ServingCertificateTest)
#include "tst_servingcertificate.moc"
