// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/Kinds.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk::sandbox;

namespace {

QJsonArray toArray(const QStringList& list)
{
    return QJsonArray::fromStringList(list);
}

// The APIResource entries a server builds from builtinResourceTypes(), in the shape of the captures.
QJsonArray discoveryEntries(const QString& groupVersion)
{
    QJsonArray out;
    for (const ResourceType& t : builtinResourceTypes()) {
        if (t.apiVersion() != groupVersion)
            continue;
        QJsonObject r{{QStringLiteral("name"), t.resource},
                      {QStringLiteral("singularName"), t.singularName},
                      {QStringLiteral("namespaced"), t.namespaced},
                      {QStringLiteral("kind"), t.kind},
                      {QStringLiteral("verbs"), toArray(t.verbs)}};
        if (!t.shortNames.isEmpty())
            r.insert(QStringLiteral("shortNames"), toArray(t.shortNames));
        if (!t.categories.isEmpty())
            r.insert(QStringLiteral("categories"), toArray(t.categories));
        if (!t.storageVersionHash.isEmpty())
            r.insert(QStringLiteral("storageVersionHash"), t.storageVersionHash);
        out.append(r);
        for (const SubresourceInfo& s : t.subresourceInfos) {
            QJsonObject sr{{QStringLiteral("name"), QString(t.resource + QLatin1Char('/') + s.name)},
                           {QStringLiteral("singularName"), QString()},
                           {QStringLiteral("namespaced"), t.namespaced},
                           {QStringLiteral("kind"), s.kind},
                           {QStringLiteral("verbs"), toArray(s.verbs)}};
            if (!s.group.isEmpty()) {
                sr.insert(QStringLiteral("group"), s.group);
                sr.insert(QStringLiteral("version"), s.version);
            }
            out.append(sr);
        }
    }
    return out;
}

QJsonObject parse(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class KindsRegistryTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void discoveryFactsMatchTheCaptures_data()
    {
        QTest::addColumn<QString>("groupVersion");
        QTest::addColumn<QJsonArray>("expected");
        QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/kinds-discovery-expected.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject gvs =
            QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("groupVersions")).toObject();
        QCOMPARE(gvs.size(), 3);
        for (auto it = gvs.begin(); it != gvs.end(); ++it)
            QTest::newRow(it.key().toUtf8().constData()) << it.key() << it.value().toArray();
    }

    void discoveryFactsMatchTheCaptures()
    {
        QFETCH(QString, groupVersion);
        QFETCH(QJsonArray, expected);
        QCOMPARE(QString::fromUtf8(QJsonDocument(discoveryEntries(groupVersion)).toJson()),
                 QString::fromUtf8(QJsonDocument(expected).toJson()));
    }

    void lookups()
    {
        QCOMPARE(findResourceType(QString(), QStringLiteral("v1"), QStringLiteral("po"))->resource,
                 QStringLiteral("pods"));
        QCOMPARE(findResourceType(QString(), QString(), QStringLiteral("pod"))->resource, QStringLiteral("pods"));
        QCOMPARE(findResourceType(QString(), QStringLiteral("v1"), QStringLiteral("svc"))->kind,
                 QStringLiteral("Service"));
        QCOMPARE(
            findResourceType(QStringLiteral("events.k8s.io"), QStringLiteral("v1"), QStringLiteral("events"))->group,
            QStringLiteral("events.k8s.io"));
        QVERIFY(!findResourceType(QString(), QStringLiteral("v1"), QStringLiteral("leases")));
        QVERIFY(!findResourceType(QString(), QStringLiteral("v2"), QStringLiteral("pods")));
        QCOMPARE(findResourceTypeByKind(QStringLiteral("coordination.k8s.io/v1"), QStringLiteral("Lease"))->resource,
                 QStringLiteral("leases"));
        QCOMPARE(findResourceTypeByKind(QStringLiteral("v1"), QStringLiteral("Event"))->group, QString());
        QVERIFY(!findResourceTypeByKind(QStringLiteral("apps/v1"), QStringLiteral("Deployment")));
        for (const ResourceType& t : builtinResourceTypes()) {
            QCOMPARE(t.subresources.size(), t.subresourceInfos.size());
            QVERIFY2(t.validate, qPrintable(t.resource));
            QVERIFY2(t.fieldValue, qPrintable(t.resource));
            QVERIFY(!t.tracksGeneration);
        }
    }

    void selectableFieldValues_data()
    {
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QByteArray>("object");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        const QByteArray pod =
            "{\"metadata\":{\"name\":\"p\",\"namespace\":\"d\"},\"spec\":{\"nodeName\":\"vk\","
            "\"restartPolicy\":\"Never\",\"schedulerName\":\"default-scheduler\","
            "\"serviceAccountName\":\"default\"},\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.1\","
            "\"podIPs\":[{\"ip\":\"10.0.0.1\"}],\"nominatedNodeName\":\"n2\"}}";
        QTest::newRow("pod metadata.name") << "pods" << pod << "metadata.name"
                                           << "p";
        QTest::newRow("pod metadata.namespace") << "pods" << pod << "metadata.namespace"
                                                << "d";
        QTest::newRow("pod spec.nodeName") << "pods" << pod << "spec.nodeName"
                                           << "vk";
        QTest::newRow("pod spec.restartPolicy") << "pods" << pod << "spec.restartPolicy"
                                                << "Never";
        QTest::newRow("pod spec.hostNetwork defaults to false") << "pods" << pod << "spec.hostNetwork"
                                                                << "false";
        QTest::newRow("pod status.phase") << "pods" << pod << "status.phase"
                                          << "Running";
        QTest::newRow("pod status.podIP") << "pods" << pod << "status.podIP"
                                          << "10.0.0.1";
        QTest::newRow("pod status.nominatedNodeName") << "pods" << pod << "status.nominatedNodeName"
                                                      << "n2";
        QTest::newRow("unscheduled pod has an empty nodeName")
            << "pods" << QByteArray("{\"metadata\":{\"name\":\"p\"}}") << "spec.nodeName"
            << "";
        QTest::newRow("node spec.unschedulable")
            << "nodes" << QByteArray("{\"metadata\":{\"name\":\"n\"},\"spec\":{\"unschedulable\":true}}")
            << "spec.unschedulable"
            << "true";
        QTest::newRow("node spec.unschedulable unset")
            << "nodes" << QByteArray("{\"metadata\":{\"name\":\"n\"}}") << "spec.unschedulable"
            << "false";
        QTest::newRow("secret type") << "secrets" << QByteArray("{\"metadata\":{\"name\":\"s\"},\"type\":\"Opaque\"}")
                                     << "type"
                                     << "Opaque";
        QTest::newRow("namespace status.phase")
            << "namespaces" << QByteArray("{\"metadata\":{\"name\":\"n\"},\"status\":{\"phase\":\"Terminating\"}}")
            << "status.phase"
            << "Terminating";
        const QByteArray event =
            "{\"metadata\":{\"name\":\"e\",\"namespace\":\"d\"},\"involvedObject\":{\"kind\":\"Pod\","
            "\"name\":\"p\",\"namespace\":\"d\",\"uid\":\"u1\"},\"reason\":\"Started\",\"type\":\"Normal\","
            "\"reportingComponent\":\"kubelet\"}";
        QTest::newRow("event involvedObject.kind") << "events" << event << "involvedObject.kind"
                                                   << "Pod";
        QTest::newRow("event involvedObject.uid") << "events" << event << "involvedObject.uid"
                                                  << "u1";
        QTest::newRow("event reason") << "events" << event << "reason"
                                      << "Started";
        QTest::newRow("event source falls back to reportingComponent") << "events" << event << "source"
                                                                       << "kubelet";
        QTest::newRow("event source") << "events"
                                      << QByteArray(
                                             "{\"source\":{\"component\":\"vk\"},\"reportingComponent\":\"kubelet\"}")
                                      << "source"
                                      << "vk";
    }

    void selectableFieldValues()
    {
        QFETCH(QString, resource);
        QFETCH(QByteArray, object);
        QFETCH(QString, field);
        QFETCH(QString, value);
        const ResourceType* t = findResourceType(QString(), QStringLiteral("v1"), resource);
        QVERIFY(t);
        QVERIFY2(field.startsWith(QLatin1String("metadata.")) || t->selectableFields.contains(field),
                 qPrintable(field));
        QCOMPARE(t->fieldValue(parse(object), field), value);
    }
};

QTEST_GUILESS_MAIN(KindsRegistryTest)
#include "tst_kinds_registry.moc"
