// SPDX-License-Identifier: Apache-2.0
#include "runtime/AgentMetrics.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace vk;
using namespace vk::runtime;

class AgentMetricsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addresses_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("port only means every address") << QStringLiteral(":10255") << QStringLiteral("any") << 10255;
        QTest::newRow("IPv4") << QStringLiteral("127.0.0.1:9100") << QStringLiteral("127.0.0.1") << 9100;
        QTest::newRow("bracketed IPv6") << QStringLiteral("[::1]:9100") << QStringLiteral("::1") << 9100;
        QTest::newRow("localhost") << QStringLiteral("localhost:0") << QStringLiteral("127.0.0.1") << 0;
        QTest::newRow("no port") << QStringLiteral("127.0.0.1") << QString() << -1;
        QTest::newRow("bad port") << QStringLiteral(":http") << QString() << -1;
        QTest::newRow("bad host") << QStringLiteral("example.invalid:80") << QString() << -1;
    }

    void addresses()
    {
        QFETCH(QString, address);
        QFETCH(QString, host);
        QFETCH(int, port);
        auto parsed = MetricsServer::parseAddress(address);
        if (port < 0) {
            QVERIFY(!parsed.ok());
            QVERIFY(parsed.error().message().contains(address));
            return;
        }
        QVERIFY(parsed.ok());
        if (host == QLatin1String("any"))
            QCOMPARE(parsed->first, QHostAddress(QHostAddress::Any));
        else
            QCOMPARE(parsed->first.toString(), host);
        QCOMPARE(int(parsed->second), port);
    }

    void rendersPrometheusText()
    {
        AgentMetrics metrics;
        metrics.recordRequest("GET", QStringLiteral("127.0.0.1:6443"), 200, 3);
        metrics.recordRequest("GET", QStringLiteral("127.0.0.1:6443"), 200, 300);
        metrics.recordRequest("PUT", QStringLiteral("127.0.0.1:6443"), 409, 2);
        metrics.recordPod(QStringLiteral("n1"), QStringLiteral("default/a"), QStringLiteral("Running"));
        metrics.recordPod(QStringLiteral("n1"), QStringLiteral("default/b"), QStringLiteral("Pending"));
        metrics.recordPod(QStringLiteral("n1"), QStringLiteral("default/b"), QStringLiteral("Running"));
        metrics.recordPod(QStringLiteral("n1"), QStringLiteral("default/c"), QStringLiteral("Running"));
        metrics.forgetPod(QStringLiteral("n1"), QStringLiteral("default"), QStringLiteral("c"));
        metrics.recordLeaseRenewal(QStringLiteral("n1"));
        metrics.recordNodeReady(QStringLiteral("n1"), true);
        const QByteArray text = metrics.render();
        QVERIFY(text.contains("rest_client_requests_total{code=\"200\",host=\"127.0.0.1:6443\",method=\"GET\"} 2\n"));
        QVERIFY(text.contains("rest_client_requests_total{code=\"409\",host=\"127.0.0.1:6443\",method=\"PUT\"} 1\n"));
        QVERIFY(text.contains(
            "rest_client_request_duration_seconds_bucket{host=\"127.0.0.1:6443\",verb=\"GET\",le=\"0.005\"} 1\n"));
        QVERIFY(text.contains(
            "rest_client_request_duration_seconds_bucket{host=\"127.0.0.1:6443\",verb=\"GET\",le=\"+Inf\"} 2\n"));
        QVERIFY(text.contains("vk_pods{node=\"n1\",phase=\"Running\"} 2\n"));
        QVERIFY(text.contains("vk_pods{node=\"n1\",phase=\"Pending\"} 0\n"));
        QVERIFY(text.contains("vk_node_ready{node=\"n1\"} 1\n"));
        QVERIFY(text.contains("vk_node_lease_renewals_total{node=\"n1\"} 1\n"));
        QVERIFY(text.contains("# TYPE rest_client_request_duration_seconds histogram\n"));
    }

    void servesMetricsOverHttp()
    {
        AgentMetrics metrics;
        metrics.recordNodeReady(QStringLiteral("n1"), false);
        MetricsServer server(&metrics);
        auto port = server.listen(QStringLiteral("127.0.0.1:0"));
        QVERIFY(port.ok());
        QNetworkAccessManager nam;
        QNetworkReply* reply =
            nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port.value()))));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->readAll().contains("vk_node_ready{node=\"n1\"} 0"));
        reply->deleteLater();
    }
};

QTEST_GUILESS_MAIN(AgentMetricsTest)
#include "tst_agentmetrics.moc"
