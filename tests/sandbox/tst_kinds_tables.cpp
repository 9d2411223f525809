// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/Kinds.h"

#include "core/Json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using namespace vk::sandbox;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 11, 22), QTime(0, 20), Qt::UTC);

const ResourceType& type(const char* group, const char* resource)
{
    const ResourceType* t = findResourceType(QLatin1String(group), QStringLiteral("v1"), QLatin1String(resource));
    if (!t)
        qFatal("no resource type %s/%s", group, resource);
    return *t;
}

QString cellsText(const QJsonArray& cells)
{
    return QString::fromUtf8(QJsonDocument(cells).toJson(QJsonDocument::Compact));
}

QStringList columnNames(const ResourceType& t, int priority)
{
    QStringList names;
    for (const TableColumn& c : t.columns) {
        if (c.priority == priority)
            names.append(c.name);
    }
    return names;
}

} // namespace

class KindsTablesTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void humanDuration_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        const qint64 s = 1000;
        const qint64 m = 60 * s;
        const qint64 h = 60 * m;
        const qint64 d = 24 * h;
        QTest::newRow("now") << qint64(0) << "0s";
        QTest::newRow("a second in the future is still now") << -s << "0s";
        QTest::newRow("1.9s in the future is still now") << -(s + 900) << "0s";
        QTest::newRow("two seconds in the future is invalid") << -2 * s << "<invalid>";
        QTest::newRow("fractions of a second are truncated") << 5 * s + 999 << "5s";
        QTest::newRow("seconds up to two minutes") << 119 * s << "119s";
        QTest::newRow("two minutes") << 2 * m << "2m";
        QTest::newRow("minutes and seconds below ten minutes") << 3 * m + 12 * s << "3m12s";
        QTest::newRow("9m59s") << 9 * m + 59 * s << "9m59s";
        QTest::newRow("ten minutes drops the seconds") << 10 * m + 30 * s << "10m";
        QTest::newRow("minutes up to three hours") << 179 * m << "179m";
        QTest::newRow("three hours") << 3 * h << "3h";
        QTest::newRow("hours and minutes below eight hours") << 3 * h + 5 * m << "3h5m";
        QTest::newRow("7h59m") << 7 * h + 59 * m << "7h59m";
        QTest::newRow("eight hours drops the minutes") << 8 * h + 30 * m << "8h";
        QTest::newRow("hours up to two days") << 47 * h << "47h";
        QTest::newRow("two days") << 2 * d << "2d";
        QTest::newRow("days and hours below eight days") << 2 * d + 4 * h << "2d4h";
        QTest::newRow("7d23h") << 7 * d + 23 * h << "7d23h";
        QTest::newRow("eight days drops the hours") << 8 * d + 5 * h << "8d";
        QTest::newRow("days up to two years") << 729 * d << "729d";
        QTest::newRow("two years") << 730 * d << "2y";
        QTest::newRow("years and days below eight years") << 731 * d << "2y1d";
        QTest::newRow("eight years") << 8 * 365 * d + 40 * d << "8y";
    }

    void humanDuration()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(vk::sandbox::humanDuration(kNow.addMSecs(-ms), kNow), text);
    }

    void podStatusColumn_data()
    {
        QTest::addColumn<QJsonObject>("row");
        QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/kinds-pod-status-cases.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray rows = QJsonDocument::fromJson(file.readAll()).array();
        QVERIFY(rows.size() >= 20);
        for (const QJsonValue& value : rows)
            QTest::newRow(value.toObject().value(QLatin1String("name")).toString().toUtf8().constData())
                << value.toObject();
    }

    void podStatusColumn()
    {
        QFETCH(QJsonObject, row);
        const QDateTime now = vk::json::parseTime(row.value(QLatin1String("now")).toString());
        const QJsonArray cells = type("", "pods").tableCells(row.value(QLatin1String("pod")).toObject(), now);
        QCOMPARE(cellsText(cells), cellsText(row.value(QLatin1String("cells")).toArray()));
    }

    void podColumnsAreThoseOfKubeApiserver()
    {
        const ResourceType& pods = type("", "pods");
        QCOMPARE(columnNames(pods, 0),
                 (QStringList{QStringLiteral("Name"), QStringLiteral("Ready"), QStringLiteral("Status"),
                              QStringLiteral("Restarts"), QStringLiteral("Age")}));
        QCOMPARE(columnNames(pods, 1),
                 (QStringList{QStringLiteral("IP"), QStringLiteral("Node"), QStringLiteral("Nominated Node"),
                              QStringLiteral("Readiness Gates")}));
        QCOMPARE(pods.columns.first().format, QStringLiteral("name"));
        QVERIFY(pods.columns.first().description.startsWith(QStringLiteral("Name must be unique within a namespace.")));
        QCOMPARE(pods.columns.at(3).type, QStringLiteral("string"));
    }

    void otherKinds_data()
    {
        QTest::addColumn<QJsonObject>("row");
        QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/kinds-table-cases.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray rows = QJsonDocument::fromJson(file.readAll()).array();
        QVERIFY(rows.size() >= 15);
        for (const QJsonValue& value : rows)
            QTest::newRow(value.toObject().value(QLatin1String("name")).toString().toUtf8().constData())
                << value.toObject();
    }

    void otherKinds()
    {
        QFETCH(QJsonObject, row);
        const ResourceType* t = findResourceType(row.value(QLatin1String("group")).toString(), QStringLiteral("v1"),
                                                 row.value(QLatin1String("resource")).toString());
        QVERIFY(t);
        const QDateTime now = vk::json::parseTime(row.value(QLatin1String("now")).toString());
        QCOMPARE(cellsText(t->tableCells(row.value(QLatin1String("object")).toObject(), now)),
                 cellsText(row.value(QLatin1String("cells")).toArray()));
    }

    void everyKindHasOneCellPerColumnAndANameColumn()
    {
        const QJsonObject object{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("x")},
                                                     {QStringLiteral("namespace"), QStringLiteral("d")}}}};
        for (const ResourceType& t : builtinResourceTypes()) {
            QVERIFY2(t.tableCells, qPrintable(t.resource));
            QCOMPARE(t.tableCells(object, kNow).size(), t.columns.size());
            int nameColumns = 0;
            for (const TableColumn& c : t.columns) {
                QVERIFY2(!c.description.isEmpty(), qPrintable(t.resource + QLatin1Char('.') + c.name));
                nameColumns += c.format == QLatin1String("name") ? 1 : 0;
            }
            QCOMPARE(nameColumns, 1);
        }
    }

    void columnsOfTheOtherKinds()
    {
        QCOMPARE(columnNames(type("", "nodes"), 1),
                 (QStringList{QStringLiteral("Internal-IP"), QStringLiteral("External-IP"), QStringLiteral("OS-Image"),
                              QStringLiteral("Kernel-Version"), QStringLiteral("Container-Runtime")}));
        QCOMPARE(columnNames(type("", "services"), 0),
                 (QStringList{QStringLiteral("Name"), QStringLiteral("Type"), QStringLiteral("Cluster-IP"),
                              QStringLiteral("External-IP"), QStringLiteral("Port(s)"), QStringLiteral("Age")}));
        QCOMPARE(columnNames(type("", "events"), 0),
                 (QStringList{QStringLiteral("Last Seen"), QStringLiteral("Type"), QStringLiteral("Reason"),
                              QStringLiteral("Object"), QStringLiteral("Message")}));
        QCOMPARE(columnNames(type("", "events"), 1),
                 (QStringList{QStringLiteral("Subobject"), QStringLiteral("Source"), QStringLiteral("First Seen"),
                              QStringLiteral("Count"), QStringLiteral("Name")}));
        QCOMPARE(columnNames(type("coordination.k8s.io", "leases"), 0),
                 (QStringList{QStringLiteral("Name"), QStringLiteral("Holder"), QStringLiteral("Age")}));
        QCOMPARE(columnNames(type("", "secrets"), 0), (QStringList{QStringLiteral("Name"), QStringLiteral("Type"),
                                                                   QStringLiteral("Data"), QStringLiteral("Age")}));
    }
};

QTEST_GUILESS_MAIN(KindsTablesTest)
#include "tst_kinds_tables.moc"
