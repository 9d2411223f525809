// SPDX-License-Identifier: Apache-2.0
// The sandbox registry's kube-apiserver semantics, without sockets.
#include "core/Clock.h"
#include "core/Json.h"
#include "sandbox/ObjectStore.h"
#include "sandbox/Registry.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace vk;
using namespace vk::sandbox;

namespace {

const ResourceType& type(const char* resource, const char* group = "")
{
    const ResourceType* t = findResourceType(QLatin1String(group), QStringLiteral("v1"), QLatin1String(resource));
    Q_ASSERT(t);
    return *t;
}

QJsonObject named(const QString& name, QJsonObject object = {})
{
    QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    meta.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("metadata"), meta);
    return object;
}

QJsonObject pod(const QString& name, const QString& node = {})
{
    QJsonObject spec{
        {QStringLiteral("containers"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("c")},
                                                              {QStringLiteral("image"), QStringLiteral("busybox")}}}}};
    if (!node.isEmpty())
        spec.insert(QStringLiteral("nodeName"), node);
    return named(name, QJsonObject{{QStringLiteral("spec"), spec}});
}

} // namespace

class RegistryTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ObjectStore> m_store;
    std::unique_ptr<Registry> m_registry;

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<ManualClock>(QDateTime(QDate(2026, 11, 22), QTime(0, 0), Qt::UTC));
        m_store = std::make_unique<ObjectStore>(100);
        m_registry = std::make_unique<Registry>(m_store.get(), m_clock.get());
        QVERIFY(m_registry->create(type("namespaces"), {}, named(QStringLiteral("default"))).ok());
    }

    void createSetsServerFieldsAndDefaults()
    {
        auto created = m_registry->create(type("pods"), QStringLiteral("default"), pod(QStringLiteral("p1")));
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message()));
        const QJsonObject meta = object::metadata(created.value());
        QVERIFY(!meta.value(QLatin1String("uid")).toString().isEmpty());
        QCOMPARE(meta.value(QLatin1String("creationTimestamp")).toString(), QStringLiteral("2026-11-22T00:00:00Z"));
        QCOMPARE(meta.value(QLatin1String("namespace")).toString(), QStringLiteral("default"));
        QCOMPARE(meta.value(QLatin1String("resourceVersion")).toString(),
                 QString::number(m_store->currentResourceVersion()));
        QCOMPARE(created->value(QLatin1String("kind")).toString(), QStringLiteral("Pod"));
        QCOMPARE(json::at(created.value(), {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Pending"));
        QCOMPARE(json::at(created.value(), {QLatin1String("spec"), QLatin1String("restartPolicy")}).toString(),
                 QStringLiteral("Always"));
    }

    void createTwiceIsAlreadyExists()
    {
        QVERIFY(m_registry->create(type("pods"), QStringLiteral("default"), pod(QStringLiteral("p1"))).ok());
        auto again = m_registry->create(type("pods"), QStringLiteral("default"), pod(QStringLiteral("p1")));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().category(), ErrorCategory::AlreadyExists);
        QCOMPARE(again.error().message(), QStringLiteral("pods \"p1\" already exists"));
        QCOMPARE(again.error().httpCode(), 409);
    }

    void createInMissingNamespaceIsNotFound()
    {
        auto created = m_registry->create(type("pods"), QStringLiteral("nope"), pod(QStringLiteral("p1")));
        QVERIFY(!created.ok());
        QCOMPARE(created.error().message(), QStringLiteral("namespaces \"nope\" not found"));
    }

    void invalidPodIs422WithCauses()
    {
        QJsonObject bad =
            named(QStringLiteral("bad"),
                  QJsonObject{
                      {QStringLiteral("spec"),
                       QJsonObject{{QStringLiteral("containers"),
                                    QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("BAD_NAME")}}}}}}});
        auto created = m_registry->create(type("pods"), QStringLiteral("default"), bad);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().category(), ErrorCategory::Invalid);
        QCOMPARE(created.error().httpCode(), 422);
        QVERIFY(created.error().causes().size() >= 2);
        QVERIFY(created.error().message().startsWith(QStringLiteral("Pod \"bad\" is invalid: [")));
    }

    void generateNameMakesAName()
    {
        QJsonObject object{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("generateName"), QStringLiteral("cm-")}}}};
        auto created = m_registry->create(type("configmaps"), QStringLiteral("default"), object);
        QVERIFY(created.ok());
        const QString name = object::name(created.value());
        QVERIFY(name.startsWith(QStringLiteral("cm-")));
        QCOMPARE(name.size(), 8);
    }

    void staleResourceVersionIsConflict()
    {
        auto created = m_registry->create(type("configmaps"), QStringLiteral("default"), named(QStringLiteral("c")));
        QVERIFY(created.ok());
        QJsonObject first = created.value();
        first.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("a"), QStringLiteral("1")}});
        QVERIFY(m_registry->update(type("configmaps"), QStringLiteral("default"), QStringLiteral("c"), first).ok());
        QJsonObject stale = created.value(); // still has the old resourceVersion
        stale.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("a"), QStringLiteral("2")}});
        auto conflict = m_registry->update(type("configmaps"), QStringLiteral("default"), QStringLiteral("c"), stale);
        QVERIFY(!conflict.ok());
        QCOMPARE(conflict.error().category(), ErrorCategory::Conflict);
        QCOMPARE(conflict.error().message(),
                 QStringLiteral("Operation cannot be fulfilled on configmaps \"c\": the object has been modified; "
                                "please apply your changes to the latest version and try again"));
    }

    void noOpUpdateKeepsResourceVersion()
    {
        auto created = m_registry->create(type("configmaps"), QStringLiteral("default"), named(QStringLiteral("c")));
        QVERIFY(created.ok());
        QSignalSpy changes(m_store.get(), &ObjectStore::changed);
        auto same =
            m_registry->update(type("configmaps"), QStringLiteral("default"), QStringLiteral("c"), created.value());
        QVERIFY(same.ok());
        QCOMPARE(object::resourceVersion(same.value()), object::resourceVersion(created.value()));
        QCOMPARE(changes.count(), 0);
    }

    void mainUpdateKeepsStatusAndStatusUpdateKeepsSpec()
    {
        auto created = m_registry->create(type("pods"), QStringLiteral("default"),
                                          pod(QStringLiteral("p1"), QStringLiteral("n1")));
        QVERIFY(created.ok());
        QJsonObject withStatus = created.value();
        QJsonObject status = withStatus.value(QLatin1String("status")).toObject();
        status.insert(QStringLiteral("phase"), QStringLiteral("Running"));
        withStatus.insert(QStringLiteral("status"), status);
        // Through the main resource, status is ignored.
        auto main = m_registry->update(type("pods"), QStringLiteral("default"), QStringLiteral("p1"), withStatus);
        QVERIFY(main.ok());
        QCOMPARE(json::at(main.value(), {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Pending"));
        // Through status, it sticks; a changed image in the same body is ignored.
        QJsonObject statusWrite = main.value();
        statusWrite.insert(QStringLiteral("status"), status);
        auto viaStatus =
            m_registry->update(type("pods"), QStringLiteral("default"), QStringLiteral("p1"), statusWrite, true);
        QVERIFY(viaStatus.ok());
        QCOMPARE(json::at(viaStatus.value(), {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Running"));
    }

    void statusUpdateValidatesTheStatusNotTheStoredSpec()
    {
        // A pod whose spec today's rules refuse, as a state.json written by an earlier, laxer sandbox may hold
        // (restoring does not validate): its status stays writable, as in kube-apiserver, whose status strategy
        // takes the stored spec and validates only the metadata update and the status.
        auto created = m_registry->create(type("pods"), QStringLiteral("default"),
                                          pod(QStringLiteral("old-rules"), QStringLiteral("n1")));
        QVERIFY(created.ok());
        QJsonObject legacy = created.value();
        QJsonObject spec = legacy.value(QLatin1String("spec")).toObject();
        spec.insert(QStringLiteral("restartPolicy"), QStringLiteral("Sometimes"));
        legacy.insert(QStringLiteral("spec"), spec);
        const QJsonObject stored = m_store->replace(QStringLiteral("pods"), legacy);
        QVERIFY(!type("pods").validate(stored, &stored).isEmpty()); // the spec fails validation now

        QJsonObject running = stored;
        running.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")},
                                                             {QStringLiteral("podIP"), QStringLiteral("10.244.0.7")}});
        auto written =
            m_registry->update(type("pods"), QStringLiteral("default"), QStringLiteral("old-rules"), running, true);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message()));
        QCOMPARE(json::at(written.value(), {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Running"));
        QCOMPARE(written->value(QLatin1String("spec")), stored.value(QLatin1String("spec")));
        QCOMPARE(object::metadata(written.value()).value(QLatin1String("generation")),
                 object::metadata(stored).value(QLatin1String("generation")));

        // The status itself is validated: a pod IP that is no address is refused with kube's field path.
        QJsonObject badIp = written.value();
        badIp.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")},
                                                           {QStringLiteral("podIP"), QStringLiteral("10.244.0.300")}});
        auto refused =
            m_registry->update(type("pods"), QStringLiteral("default"), QStringLiteral("old-rules"), badIp, true);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().category(), ErrorCategory::Invalid);
        QCOMPARE(refused.error().message(),
                 QStringLiteral("Pod \"old-rules\" is invalid: status.podIPs[0]: Invalid value: \"10.244.0.300\": "
                                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));

        // The main resource still validates the whole pod.
        auto mainUpdate =
            m_registry->update(type("pods"), QStringLiteral("default"), QStringLiteral("old-rules"), written.value());
        QVERIFY(!mainUpdate.ok());
        QVERIFY2(mainUpdate.error().message().contains(QStringLiteral("spec.restartPolicy: Unsupported value")),
                 qPrintable(mainUpdate.error().message()));
    }

    void gracefulDeletionOfABoundPod()
    {
        QVERIFY(
            m_registry->create(type("pods"), QStringLiteral("default"), pod(QStringLiteral("p1"), QStringLiteral("n1")))
                .ok());
        auto first = m_registry->remove(type("pods"), QStringLiteral("default"), QStringLiteral("p1"), {});
        QVERIFY(first.ok());
        QVERIFY(first->stillExists);
        const QJsonObject meta = object::metadata(first->object);
        QCOMPARE(meta.value(QLatin1String("deletionGracePeriodSeconds")).toInt(), 30);
        QCOMPARE(meta.value(QLatin1String("deletionTimestamp")).toString(), QStringLiteral("2026-11-22T00:00:30Z"));
        QVERIFY(m_store->get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p1")));

        // A wrong UID precondition is a conflict and deletes nothing.
        DeleteOptions wrongUid;
        wrongUid.preconditionUid = QStringLiteral("not-the-uid");
        wrongUid.gracePeriodSeconds = 0;
        auto refused = m_registry->remove(type("pods"), QStringLiteral("default"), QStringLiteral("p1"), wrongUid);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().category(), ErrorCategory::Conflict);
        QVERIFY(m_store->get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p1")));

        // The kubelet's final delete: grace 0 with the right UID removes it.
        DeleteOptions now;
        now.gracePeriodSeconds = 0;
        now.preconditionUid = meta.value(QLatin1String("uid")).toString();
        auto gone = m_registry->remove(type("pods"), QStringLiteral("default"), QStringLiteral("p1"), now);
        QVERIFY(gone.ok());
        QVERIFY(!gone->stillExists);
        QVERIFY(!m_store->get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p1")));
    }

    void unboundAndTerminalPodsGoAtOnce()
    {
        QVERIFY(m_registry->create(type("pods"), QStringLiteral("default"), pod(QStringLiteral("unbound"))).ok());
        auto unbound = m_registry->remove(type("pods"), QStringLiteral("default"), QStringLiteral("unbound"), {});
        QVERIFY(unbound.ok());
        QVERIFY(!unbound->stillExists);

        auto created = m_registry->create(type("pods"), QStringLiteral("default"),
                                          pod(QStringLiteral("done"), QStringLiteral("n1")));
        QVERIFY(created.ok());
        QJsonObject finished = created.value();
        finished.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Succeeded")}});
        QVERIFY(
            m_registry->update(type("pods"), QStringLiteral("default"), QStringLiteral("done"), finished, true).ok());
        auto terminal = m_registry->remove(type("pods"), QStringLiteral("default"), QStringLiteral("done"), {});
        QVERIFY(terminal.ok());
        QVERIFY(!terminal->stillExists);
    }

    void finalizersHoldDeletionUntilRemoved()
    {
        QJsonObject cm = named(QStringLiteral("held"));
        QJsonObject meta = cm.value(QLatin1String("metadata")).toObject();
        meta.insert(QStringLiteral("finalizers"), QJsonArray{QStringLiteral("example.com/hold")});
        cm.insert(QStringLiteral("metadata"), meta);
        QVERIFY(m_registry->create(type("configmaps"), QStringLiteral("default"), cm).ok());
        auto deleting = m_registry->remove(type("configmaps"), QStringLiteral("default"), QStringLiteral("held"), {});
        QVERIFY(deleting.ok());
        QVERIFY(deleting->stillExists);
        QVERIFY(object::metadata(deleting->object).contains(QLatin1String("deletionTimestamp")));
        QJsonObject released = deleting->object;
        QJsonObject releasedMeta = object::metadata(released);
        releasedMeta.insert(QStringLiteral("finalizers"), QJsonArray{});
        released.insert(QStringLiteral("metadata"), releasedMeta);
        QVERIFY(
            m_registry->update(type("configmaps"), QStringLiteral("default"), QStringLiteral("held"), released).ok());
        QVERIFY(!m_store->get(QStringLiteral("configmaps"), QStringLiteral("default"), QStringLiteral("held")));
    }

    void terminatingNamespaceRefusesNewContent()
    {
        QVERIFY(m_registry->create(type("namespaces"), {}, named(QStringLiteral("doomed"))).ok());
        auto deleting = m_registry->remove(type("namespaces"), {}, QStringLiteral("doomed"), {});
        QVERIFY(deleting.ok());
        QVERIFY(deleting->stillExists);
        QCOMPARE(json::at(deleting->object, {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Terminating"));
        auto refused = m_registry->create(type("configmaps"), QStringLiteral("doomed"), named(QStringLiteral("c")));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().category(), ErrorCategory::Forbidden);
        QVERIFY(refused.error().message().contains(QStringLiteral("because it is being terminated")));
        auto protectedNs = m_registry->remove(type("namespaces"), {}, QStringLiteral("default"), {});
        QVERIFY(!protectedNs.ok());
        QCOMPARE(protectedNs.error().category(), ErrorCategory::Forbidden);
    }

    void bindingAssignsOnceAndSetsPodScheduled()
    {
        QVERIFY(m_registry->create(type("pods"), QStringLiteral("default"), pod(QStringLiteral("p1"))).ok());
        const QJsonObject binding{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("p1")}}},
            {QStringLiteral("target"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("Node")},
                                                   {QStringLiteral("name"), QStringLiteral("n1")}}}};
        QVERIFY(m_registry->bind(QStringLiteral("default"), QStringLiteral("p1"), binding).ok());
        const QJsonObject* bound =
            m_store->get(QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("p1"));
        QCOMPARE(json::at(*bound, {QLatin1String("spec"), QLatin1String("nodeName")}).toString(), QStringLiteral("n1"));
        const QJsonArray conditions =
            json::at(*bound, {QLatin1String("status"), QLatin1String("conditions")}).toArray();
        QCOMPARE(conditions.size(), 1);
        QCOMPARE(conditions.first().toObject().value(QLatin1String("type")).toString(), QStringLiteral("PodScheduled"));
        auto again = m_registry->bind(QStringLiteral("default"), QStringLiteral("p1"), binding);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().category(), ErrorCategory::Conflict);
        QVERIFY(again.error().message().contains(QStringLiteral("is already assigned to node \"n1\"")));
    }

    void servicesGetDistinctClusterIps()
    {
        QJsonObject service =
            named(QStringLiteral("s1"),
                  QJsonObject{
                      {QStringLiteral("spec"),
                       QJsonObject{{QStringLiteral("ports"), QJsonArray{QJsonObject{{QStringLiteral("port"), 80}}}}}}});
        auto first = m_registry->create(type("services"), QStringLiteral("default"), service);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message()));
        service = named(QStringLiteral("s2"), service);
        auto second = m_registry->create(type("services"), QStringLiteral("default"), service);
        QVERIFY(second.ok());
        const QString ip1 = json::at(first.value(), {QLatin1String("spec"), QLatin1String("clusterIP")}).toString();
        const QString ip2 = json::at(second.value(), {QLatin1String("spec"), QLatin1String("clusterIP")}).toString();
        QVERIFY(ip1.startsWith(QStringLiteral("10.")));
        QVERIFY(ip1 != ip2);
        QJsonObject taken = named(QStringLiteral("s3"), service);
        QJsonObject spec = taken.value(QLatin1String("spec")).toObject();
        spec.insert(QStringLiteral("clusterIP"), ip1);
        taken.insert(QStringLiteral("spec"), spec);
        auto clash = m_registry->create(type("services"), QStringLiteral("default"), taken);
        QVERIFY(!clash.ok());
        QCOMPARE(clash.error().category(), ErrorCategory::Invalid);
        QVERIFY(clash.error().message().contains(QStringLiteral("provided IP is already allocated")));
    }

    void watchLogResumesAndExpires()
    {
        auto created = m_registry->create(type("configmaps"), QStringLiteral("default"), named(QStringLiteral("c")));
        QVERIFY(created.ok());
        const quint64 start = object::resourceVersion(created.value()).toULongLong();
        QJsonObject changed = created.value();
        changed.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("k"), QStringLiteral("v")}});
        QVERIFY(m_registry->update(type("configmaps"), QStringLiteral("default"), QStringLiteral("c"), changed).ok());
        auto changes = m_store->changesSince(start, QStringLiteral("configmaps"));
        QVERIFY(changes.ok());
        QCOMPARE(changes->size(), 1);
        QCOMPARE(changes->first().type, ChangeEvent::Type::Modified);
        auto tooOld = m_store->changesSince(1, QStringLiteral("configmaps"));
        QVERIFY(!tooOld.ok());
        QCOMPARE(tooOld.error().category(), ErrorCategory::Gone);
        QCOMPARE(tooOld.error().httpCode(), 410);
        QVERIFY(tooOld.error().message().startsWith(QStringLiteral("too old resource version: 1 (")));
    }

    void pagesFollowKeyOrder()
    {
        for (const char* name : {"c", "a", "b"})
            QVERIFY(m_registry->create(type("configmaps"), QStringLiteral("default"), named(QLatin1String(name))).ok());
        qsizetype remaining = 0;
        const auto firstPage =
            m_store->listPage(QStringLiteral("configmaps"), QStringLiteral("default"), {}, 2, &remaining);
        QCOMPARE(firstPage.size(), 2);
        QCOMPARE(object::name(firstPage.at(0)), QStringLiteral("a"));
        QCOMPARE(remaining, 1);
        const auto secondPage = m_store->listPage(QStringLiteral("configmaps"), QStringLiteral("default"),
                                                  QStringLiteral("default/b"), 2, &remaining);
        QCOMPARE(secondPage.size(), 1);
        QCOMPARE(object::name(secondPage.at(0)), QStringLiteral("c"));
        QCOMPARE(remaining, 0);
    }

    void snapshotRestoresObjectsAndVersion()
    {
        QVERIFY(m_registry->create(type("configmaps"), QStringLiteral("default"), named(QStringLiteral("kept"))).ok());
        const QJsonObject snapshot = m_store->snapshot();
        ObjectStore restored;
        QVERIFY(restored.restore(snapshot).ok());
        QCOMPARE(restored.currentResourceVersion(), m_store->currentResourceVersion());
        QVERIFY(restored.get(QStringLiteral("configmaps"), QStringLiteral("default"), QStringLiteral("kept")));
        QVERIFY(!restored.restore(QJsonObject{}).ok());
    }
};

QTEST_GUILESS_MAIN(RegistryTest)
#include "tst_registry.moc"
