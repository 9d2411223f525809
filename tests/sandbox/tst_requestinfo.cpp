// SPDX-License-Identifier: Apache-2.0
#include "sandbox/RequestInfo.h"

#include <QTest>

using vk::sandbox::RequestInfo;

class RequestInfoTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("watch");
        QTest::addColumn<bool>("resource");
        QTest::addColumn<QString>("verb");
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("ns");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("sub");

        QTest::newRow("discovery /api/v1 is not a resource request")
            << QByteArray("GET") << QStringLiteral("/api/v1") << false << false << QString() << QString() << QString()
            << QString() << QString() << QString();
        QTest::newRow("group discovery /apis/coordination.k8s.io")
            << QByteArray("GET") << QStringLiteral("/apis/coordination.k8s.io") << false << false << QString()
            << QString() << QString() << QString() << QString() << QString();
        QTest::newRow("list pods in a namespace")
            << QByteArray("GET") << QStringLiteral("/api/v1/namespaces/default/pods") << false << true
            << QStringLiteral("list") << QString() << QStringLiteral("default") << QStringLiteral("pods") << QString()
            << QString();
        QTest::newRow("list pods in every namespace")
            << QByteArray("GET") << QStringLiteral("/api/v1/pods") << false << true << QStringLiteral("list")
            << QString() << QString() << QStringLiteral("pods") << QString() << QString();
        QTest::newRow("watch by query parameter")
            << QByteArray("GET") << QStringLiteral("/api/v1/namespaces/default/pods") << true << true
            << QStringLiteral("watch") << QString() << QStringLiteral("default") << QStringLiteral("pods") << QString()
            << QString();
        QTest::newRow("legacy watch path")
            << QByteArray("GET") << QStringLiteral("/api/v1/watch/namespaces/default/pods/p1") << false << true
            << QStringLiteral("watch") << QString() << QStringLiteral("default") << QStringLiteral("pods")
            << QStringLiteral("p1") << QString();
        QTest::newRow("get one pod") << QByteArray("GET") << QStringLiteral("/api/v1/namespaces/ns1/pods/p1") << false
                                     << true << QStringLiteral("get") << QString() << QStringLiteral("ns1")
                                     << QStringLiteral("pods") << QStringLiteral("p1") << QString();
        QTest::newRow("pod status update")
            << QByteArray("PUT") << QStringLiteral("/api/v1/namespaces/ns1/pods/p1/status") << false << true
            << QStringLiteral("update") << QString() << QStringLiteral("ns1") << QStringLiteral("pods")
            << QStringLiteral("p1") << QStringLiteral("status");
        QTest::newRow("create a pod") << QByteArray("POST") << QStringLiteral("/api/v1/namespaces/ns1/pods") << false
                                      << true << QStringLiteral("create") << QString() << QStringLiteral("ns1")
                                      << QStringLiteral("pods") << QString() << QString();
        QTest::newRow("delete collection") << QByteArray("DELETE") << QStringLiteral("/api/v1/namespaces/ns1/pods")
                                           << false << true << QStringLiteral("deletecollection") << QString()
                                           << QStringLiteral("ns1") << QStringLiteral("pods") << QString() << QString();
        QTest::newRow("get a namespace") << QByteArray("GET") << QStringLiteral("/api/v1/namespaces/ns1") << false
                                         << true << QStringLiteral("get") << QString() << QString()
                                         << QStringLiteral("namespaces") << QStringLiteral("ns1") << QString();
        QTest::newRow("namespace status is a subresource, not a resource named status")
            << QByteArray("PUT") << QStringLiteral("/api/v1/namespaces/ns1/status") << false << true
            << QStringLiteral("update") << QString() << QString() << QStringLiteral("namespaces")
            << QStringLiteral("ns1") << QStringLiteral("status");
        QTest::newRow("namespace finalize")
            << QByteArray("PUT") << QStringLiteral("/api/v1/namespaces/ns1/finalize") << false << true
            << QStringLiteral("update") << QString() << QString() << QStringLiteral("namespaces")
            << QStringLiteral("ns1") << QStringLiteral("finalize");
        QTest::newRow("lease in a group")
            << QByteArray("PATCH")
            << QStringLiteral("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1") << false << true
            << QStringLiteral("patch") << QStringLiteral("coordination.k8s.io") << QStringLiteral("kube-node-lease")
            << QStringLiteral("leases") << QStringLiteral("n1") << QString();
        QTest::newRow("cluster-scoped node")
            << QByteArray("GET") << QStringLiteral("/api/v1/nodes/n1") << false << true << QStringLiteral("get")
            << QString() << QString() << QStringLiteral("nodes") << QStringLiteral("n1") << QString();
        QTest::newRow("node proxy keeps its path")
            << QByteArray("GET") << QStringLiteral("/api/v1/nodes/n1/proxy/stats/summary") << false << true
            << QStringLiteral("proxy") << QString() << QString() << QStringLiteral("nodes") << QStringLiteral("n1")
            << QStringLiteral("proxy");
        QTest::newRow("pod exec over POST is create")
            << QByteArray("POST") << QStringLiteral("/api/v1/namespaces/d/pods/p/exec") << false << true
            << QStringLiteral("create") << QString() << QStringLiteral("d") << QStringLiteral("pods")
            << QStringLiteral("p") << QStringLiteral("exec");
        QTest::newRow("pod log is get") << QByteArray("GET") << QStringLiteral("/api/v1/namespaces/d/pods/p/log")
                                        << false << true << QStringLiteral("get") << QString() << QStringLiteral("d")
                                        << QStringLiteral("pods") << QStringLiteral("p") << QStringLiteral("log");
        QTest::newRow("unknown prefix") << QByteArray("GET") << QStringLiteral("/metrics") << false << false
                                        << QString() << QString() << QString() << QString() << QString() << QString();
    }

    void parse()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(bool, watch);
        QFETCH(bool, resource);
        QFETCH(QString, verb);
        QFETCH(QString, group);
        QFETCH(QString, ns);
        QFETCH(QString, kind);
        QFETCH(QString, name);
        QFETCH(QString, sub);
        const RequestInfo info = RequestInfo::parse(method, path, watch);
        QCOMPARE(info.isResourceRequest, resource);
        if (!resource)
            return;
        QCOMPARE(info.verb, verb);
        QCOMPARE(info.group, group);
        QCOMPARE(info.namespaceName, ns);
        QCOMPARE(info.resource, kind);
        QCOMPARE(info.name, name);
        QCOMPARE(info.subresource, sub);
    }

    void nodeProxyParts()
    {
        const RequestInfo info =
            RequestInfo::parse("GET", QStringLiteral("/api/v1/nodes/n1/proxy/stats/summary"), false);
        QCOMPARE(info.parts, (QStringList{QStringLiteral("stats"), QStringLiteral("summary")}));
    }
};

QTEST_GUILESS_MAIN(RequestInfoTest)
#include "tst_requestinfo.moc"
