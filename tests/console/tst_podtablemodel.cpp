// SPDX-License-Identifier: Apache-2.0
// The pod table's model: rows follow the agent's batches, and a change signals only the cells it changes, so that
// the sort proxy re-sorts only rows whose sort column moved (10,000 pods stay smooth).
#include "ui/PodTableModel.h"

#include <QSignalSpy>
#include <QTest>

using vk::console::PodFilterModel;
using vk::console::PodSummary;
using vk::console::PodTableModel;

namespace {

PodSummary pod(const QString& name, int restarts = 0)
{
    PodSummary p;
    p.namespaceName = QStringLiteral("default");
    p.name = name;
    p.nodeName = QStringLiteral("vk-mock-0");
    p.phase = QStringLiteral("Running");
    p.statusText = QStringLiteral("Running");
    p.podIp = QStringLiteral("10.0.0.1");
    p.readyContainers = 1;
    p.totalContainers = 1;
    p.restarts = restarts;
    p.created = QDateTime(QDate(2026, 11, 22), QTime(10, 0), Qt::UTC).addSecs(name.mid(1).toInt());
    return p;
}

QList<PodSummary> pods(int count)
{
    QList<PodSummary> list;
    for (int i = 0; i < count; ++i)
        list.append(pod(QStringLiteral("p%1").arg(i)));
    return list;
}

using Span = std::tuple<int, int, int, int>; // first row, first column, last row, last column

QList<Span> spans(const QSignalSpy& spy)
{
    QList<Span> out;
    for (const auto& args : spy) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        const auto bottomRight = args.at(1).value<QModelIndex>();
        out.append({topLeft.row(), topLeft.column(), bottomRight.row(), bottomRight.column()});
    }
    return out;
}

} // namespace

Q_DECLARE_METATYPE(QList<Span>)

class TestPodTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowInsertsAndScatteredRemovals()
    {
        PodTableModel model;
        model.applyChanges(pods(6), {});
        QCOMPARE(model.rowCount(), 6);
        model.applyChanges({},
                           {QStringLiteral("default/p1"), QStringLiteral("default/p4"), QStringLiteral("default/x")});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.rowOf(QStringLiteral("default/p1")), -1);
        for (const char* name : {"p0", "p2", "p3", "p5"}) {
            const int row = model.rowOf(QStringLiteral("default/") + QLatin1String(name));
            QVERIFY2(row >= 0, name);
            QCOMPARE(model.podAt(row).name, QLatin1String(name));
        }
    }

    void namespacesFollowTheRows()
    {
        PodTableModel model;
        PodSummary other = pod(QStringLiteral("q1"));
        other.namespaceName = QStringLiteral("kube-system");
        model.applyChanges(pods(3) << other, {});
        QCOMPARE(model.namespaces(), (QStringList{QStringLiteral("default"), QStringLiteral("kube-system")}));
        model.applyChanges({}, {QStringLiteral("kube-system/q1"), QStringLiteral("default/p0")});
        QCOMPARE(model.namespaces(), QStringList{QStringLiteral("default")});
        model.clear();
        QVERIFY(model.namespaces().isEmpty());
    }

    void aNewPodTwiceInOneBatchIsOneRow()
    {
        PodTableModel model;
        model.applyChanges(pods(2), {});
        model.applyChanges({pod(QStringLiteral("p7"), 1), pod(QStringLiteral("p1"), 4), pod(QStringLiteral("p7"), 2)},
                           {QStringLiteral("default/p0")});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.pod(QStringLiteral("default/p7"))->restarts, 2);
        QCOMPARE(model.pod(QStringLiteral("default/p1"))->restarts, 4);
        QCOMPARE(model.podAt(model.rowOf(QStringLiteral("default/p7"))).name, QStringLiteral("p7"));
    }

    // A batch that adds a pod and changes another: whoever handles dataChanged may look up the new pod.
    void handlersSeeTheWholeBatch()
    {
        PodTableModel model;
        model.applyChanges(pods(2), {});
        QString seen;
        connect(&model, &QAbstractItemModel::dataChanged, this, [&] {
            const PodSummary* added = model.pod(QStringLiteral("default/p5"));
            seen = added ? added->name : QStringLiteral("<missing>");
        });
        model.applyChanges({pod(QStringLiteral("p5")), pod(QStringLiteral("p0"), 3)}, {});
        QCOMPARE(seen, QStringLiteral("p5"));
    }

    void changesSignalOnlyTheirCells_data()
    {
        QTest::addColumn<PodSummary>("changed");
        QTest::addColumn<QList<Span>>("expected");
        const int s = PodTableModel::Status;
        PodSummary p = pod(QStringLiteral("p1"));
        p.restarts = 3;
        QTest::newRow("restarts") << p << QList<Span>{{1, PodTableModel::Restarts, 1, PodTableModel::Restarts}};
        p = pod(QStringLiteral("p1"));
        p.statusText = QStringLiteral("CrashLoopBackOff");
        QTest::newRow("status text") << p << QList<Span>{{1, s, 1, s}};
        p.readyContainers = 0;
        p.restarts = 1;
        QTest::newRow("status, ready and restarts: one span") << p << QList<Span>{{1, s, 1, PodTableModel::Restarts}};
        p = pod(QStringLiteral("p1"));
        p.phase = QStringLiteral("Pending");
        p.podIp.clear();
        QTest::newRow("status and IP: AGE between them untouched")
            << p << QList<Span>{{1, s, 1, s}, {1, PodTableModel::Ip, 1, PodTableModel::Ip}};
        p = pod(QStringLiteral("p1"));
        p.terminating = true;
        QTest::newRow("terminating greys the whole row") << p << QList<Span>{{1, 0, 1, PodTableModel::Ip}};
        p = pod(QStringLiteral("p1"));
        p.resourceVersion = QStringLiteral("42");
        p.observedMs = 1234;
        QTest::newRow("nothing the table shows") << p << QList<Span>{};
    }

    void changesSignalOnlyTheirCells()
    {
        QFETCH(PodSummary, changed);
        QFETCH(QList<Span>, expected);
        PodTableModel model;
        model.applyChanges(pods(3), {});
        QSignalSpy spy(&model, &QAbstractItemModel::dataChanged);
        model.applyChanges({changed}, {});
        QCOMPARE(spans(spy), expected);
        QCOMPARE(model.podAt(1).resourceVersion, changed.resourceVersion); // stored even when nothing shows
    }

    void neighbouringRowsShareASignal()
    {
        PodTableModel model;
        model.applyChanges(pods(5), {});
        QSignalSpy spy(&model, &QAbstractItemModel::dataChanged);
        const int r = PodTableModel::Restarts;
        // Rows 3, 0, 1 (in any order) and 4 with a different change; row 1 twice in the batch.
        model.applyChanges({pod(QStringLiteral("p3"), 1), pod(QStringLiteral("p0"), 1), pod(QStringLiteral("p1"), 1),
                            pod(QStringLiteral("p1"), 2)},
                           {});
        QCOMPARE(spans(spy), (QList<Span>{{0, r, 1, r}, {3, r, 3, r}}));
        QCOMPARE(model.podAt(1).restarts, 2);
    }

    // Sorted by AGE (the console's default), status changes do not re-sort; sorted by RESTARTS, a restart moves
    // the row.
    void theProxyResortsOnlyWhenTheSortColumnChanges()
    {
        PodTableModel model;
        PodFilterModel proxy;
        proxy.setSourceModel(&model);
        model.applyChanges(pods(50), {});
        proxy.sort(PodTableModel::Age, Qt::AscendingOrder);
        QSignalSpy layouts(&proxy, &QAbstractItemModel::layoutChanged);
        QList<PodSummary> changed;
        for (int i = 0; i < 50; i += 2) {
            PodSummary p = pod(QStringLiteral("p%1").arg(i));
            p.statusText = QStringLiteral("Completed");
            p.podIp.clear();
            changed.append(p);
        }
        model.applyChanges(changed, {});
        QCOMPARE(layouts.count(), 0);

        proxy.sort(PodTableModel::Restarts, Qt::DescendingOrder);
        layouts.clear();
        model.applyChanges({pod(QStringLiteral("p17"), 9)}, {});
        QVERIFY(layouts.count() > 0);
        QCOMPARE(proxy.index(0, PodTableModel::Name).data().toString(), QStringLiteral("p17"));
    }
};

QTEST_MAIN(TestPodTableModel)
#include "tst_podtablemodel.moc"
