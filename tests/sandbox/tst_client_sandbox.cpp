// SPDX-License-Identifier: Apache-2.0
// Our Kubernetes client (vk_kube) against the sandbox API server over real HTTPS, with the kubeconfig the
// sandbox writes: CRUD, each patch kind, conflicts, pagination, watch resume, 410 relist, and reconnecting after
// the sandbox restarts (with and without persistence).
#include "core/Json.h"
#include "kube/ApiClient.h"
#include "kube/Informer.h"
#include "kube/Watch.h"
#include "kubeconfig/KubeConfig.h"
#include "sandbox/Sandbox.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace vk;
using namespace vk::kube;

namespace {

/// Waits (running the event loop) for one asynchronous client call.
Result<QJsonObject> wait(const std::function<void(QObject*, ApiClient::JsonCallback)>& call, int timeoutMs = 20000)
{
    std::optional<Result<QJsonObject>> result;
    QObject context;
    QEventLoop loop;
    call(&context, [&](Result<QJsonObject> r) {
        result.emplace(std::move(r));
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!result)
        loop.exec();
    if (!result)
        return Error(ErrorCategory::Timeout, QStringLiteral("no answer within %1 ms").arg(timeoutMs));
    return *result;
}

QJsonObject configMap(const QString& name, const QString& value = QStringLiteral("v"))
{
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                       {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
                       {QStringLiteral("data"), QJsonObject{{QStringLiteral("k"), value}}}};
}

QString messageOf(const Result<QJsonObject>& r)
{
    return r.ok() ? QString() : r.error().toString();
}

} // namespace

class ClientSandboxTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<ApiClient> m_client;
    quint16 m_port = 0;

    void startSandbox(bool persist)
    {
        sandbox::Sandbox::Options options;
        options.dataDir = m_dir.path();
        options.port = m_port;
        options.persist = persist;
        m_sandbox = std::make_unique<sandbox::Sandbox>(options);
        auto started = m_sandbox->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message()));
        m_port = m_sandbox->port();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        startSandbox(true);
        ConnectionOptions options;
        options.kubeconfig = m_sandbox->kubeconfigPath();
        options.allowInCluster = false;
        auto connection = resolveConnection(options);
        QVERIFY2(connection.ok(), qPrintable(connection.ok() ? QString() : connection.error().message()));
        QCOMPARE(connection->namespaceName, QStringLiteral("default"));
        ApiClient::Options clientOptions;
        clientOptions.retryInitialDelayMs = 100;
        clientOptions.retryMaxDelayMs = 500;
        m_client = std::make_unique<ApiClient>(connection.value(), clientOptions);
    }

    void createGetUpdateDelete()
    {
        auto created = wait([&](QObject* c, auto cb) {
            m_client->create(GroupVersionResource::configMaps(), QStringLiteral("default"),
                             configMap(QStringLiteral("crud")), c, cb);
        });
        QVERIFY2(created.ok(), qPrintable(messageOf(created)));
        auto got = wait([&](QObject* c, auto cb) {
            m_client->get(GroupVersionResource::configMaps(), QStringLiteral("default"), QStringLiteral("crud"), c, cb);
        });
        QVERIFY(got.ok());
        QCOMPARE(json::at(got.value(), {QLatin1String("metadata"), QLatin1String("uid")}),
                 json::at(created.value(), {QLatin1String("metadata"), QLatin1String("uid")}));
        QJsonObject changed = got.value();
        changed.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("k"), QStringLiteral("second")}});
        auto updated = wait([&](QObject* c, auto cb) {
            m_client->update(GroupVersionResource::configMaps(), QStringLiteral("default"), changed, c, cb);
        });
        QVERIFY2(updated.ok(), qPrintable(messageOf(updated)));
        // The first copy is now stale: 409 Conflict.
        auto stale = wait([&](QObject* c, auto cb) {
            m_client->update(GroupVersionResource::configMaps(), QStringLiteral("default"), got.value(), c, cb);
        });
        QVERIFY(!stale.ok());
        QCOMPARE(stale.error().category(), ErrorCategory::Conflict);
        auto again = wait([&](QObject* c, auto cb) {
            m_client->create(GroupVersionResource::configMaps(), QStringLiteral("default"),
                             configMap(QStringLiteral("crud")), c, cb);
        });
        QCOMPARE(again.error().category(), ErrorCategory::AlreadyExists);
        auto removed = wait([&](QObject* c, auto cb) {
            m_client->remove(GroupVersionResource::configMaps(), QStringLiteral("default"), QStringLiteral("crud"),
                             DeleteOptions{}, c, cb);
        });
        QVERIFY2(removed.ok(), qPrintable(messageOf(removed)));
        auto gone = wait([&](QObject* c, auto cb) {
            m_client->get(GroupVersionResource::configMaps(), QStringLiteral("default"), QStringLiteral("crud"), c, cb);
        });
        QCOMPARE(gone.error().category(), ErrorCategory::NotFound);
        QCOMPARE(gone.error().message(), QStringLiteral("configmaps \"crud\" not found"));
    }

    void eachPatchKind()
    {
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_client->create(GroupVersionResource::configMaps(), QStringLiteral("default"),
                                     configMap(QStringLiteral("patched")), c, cb);
                }).ok());
        auto merge = wait([&](QObject* c, auto cb) {
            m_client->patch(GroupVersionResource::configMaps(), QStringLiteral("default"), QStringLiteral("patched"),
                            PatchType::Merge, R"({"data":{"m":"1"}})", c, cb);
        });
        QVERIFY2(merge.ok(), qPrintable(messageOf(merge)));
        auto strategic = wait([&](QObject* c, auto cb) {
            m_client->patch(GroupVersionResource::configMaps(), QStringLiteral("default"), QStringLiteral("patched"),
                            PatchType::Strategic, R"({"metadata":{"labels":{"s":"2"}}})", c, cb);
        });
        QVERIFY2(strategic.ok(), qPrintable(messageOf(strategic)));
        auto jsonPatch = wait([&](QObject* c, auto cb) {
            m_client->patch(GroupVersionResource::configMaps(), QStringLiteral("default"), QStringLiteral("patched"),
                            PatchType::Json, R"([{"op":"add","path":"/data/j","value":"3"}])", c, cb);
        });
        QVERIFY2(jsonPatch.ok(), qPrintable(messageOf(jsonPatch)));
        const QJsonObject data = jsonPatch->value(QLatin1String("data")).toObject();
        QCOMPARE(data.value(QLatin1String("m")).toString(), QStringLiteral("1"));
        QCOMPARE(data.value(QLatin1String("j")).toString(), QStringLiteral("3"));
        QCOMPARE(json::at(jsonPatch.value(), {QLatin1String("metadata"), QLatin1String("labels")})
                     .toObject()
                     .value(QLatin1String("s"))
                     .toString(),
                 QStringLiteral("2"));
        auto failing = wait([&](QObject* c, auto cb) {
            m_client->patch(GroupVersionResource::configMaps(), QStringLiteral("default"), QStringLiteral("patched"),
                            PatchType::Json, R"([{"op":"remove","path":"/data/nope"}])", c, cb);
        });
        QVERIFY(!failing.ok());
        QCOMPARE(failing.error().category(), ErrorCategory::Invalid);
    }

    void paginationFollowsContinue()
    {
        for (int i = 0; i < 7; ++i) {
            QVERIFY(wait([&](QObject* c, auto cb) {
                        QJsonObject cm = configMap(QStringLiteral("page-%1").arg(i));
                        QJsonObject meta = cm.value(QLatin1String("metadata")).toObject();
                        meta.insert(QStringLiteral("labels"),
                                    QJsonObject{{QStringLiteral("set"), QStringLiteral("paged")}});
                        cm.insert(QStringLiteral("metadata"), meta);
                        m_client->create(GroupVersionResource::configMaps(), QStringLiteral("default"), cm, c, cb);
                    }).ok());
        }
        ListOptions options;
        options.limit = 2;
        options.labelSelector = QStringLiteral("set=paged");
        auto firstPage = wait([&](QObject* c, auto cb) {
            m_client->list(GroupVersionResource::configMaps(), QStringLiteral("default"), options, c, cb);
        });
        QVERIFY(firstPage.ok());
        QCOMPARE(firstPage->value(QLatin1String("items")).toArray().size(), 2);
        QVERIFY(
            !json::at(firstPage.value(), {QLatin1String("metadata"), QLatin1String("continue")}).toString().isEmpty());
        auto all = wait([&](QObject* c, auto cb) {
            m_client->listAll(GroupVersionResource::configMaps(), QStringLiteral("default"), options, c, cb);
        });
        QVERIFY2(all.ok(), qPrintable(messageOf(all)));
        QCOMPARE(all->value(QLatin1String("items")).toArray().size(), 7);
    }

    void watchResumesFromAResourceVersion()
    {
        auto created = wait([&](QObject* c, auto cb) {
            m_client->create(GroupVersionResource::configMaps(), QStringLiteral("default"),
                             configMap(QStringLiteral("watched")), c, cb);
        });
        QVERIFY(created.ok());
        const QString rv =
            json::at(created.value(), {QLatin1String("metadata"), QLatin1String("resourceVersion")}).toString();
        // Changes made before the watch starts are replayed from rv.
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_client->patch(GroupVersionResource::configMaps(), QStringLiteral("default"),
                                    QStringLiteral("watched"), PatchType::Merge, R"({"data":{"k":"before-watch"}})", c,
                                    cb);
                }).ok());
        WatchOptions options;
        options.resourceVersion = rv;
        options.fieldSelector = QStringLiteral("metadata.name=watched");
        Watch* watch = m_client->watch(GroupVersionResource::configMaps(), QStringLiteral("default"), options, this);
        QSignalSpy events(watch, &Watch::eventReceived);
        QTRY_COMPARE_WITH_TIMEOUT(events.count(), 1, 10000);
        QCOMPARE(events.at(0).at(0).value<WatchEvent>().type, WatchEvent::Type::Modified);
        QVERIFY(wait([&](QObject* c, auto cb) {
                    m_client->remove(GroupVersionResource::configMaps(), QStringLiteral("default"),
                                     QStringLiteral("watched"), DeleteOptions{}, c, cb);
                }).ok());
        QTRY_COMPARE_WITH_TIMEOUT(events.count(), 2, 10000);
        QCOMPARE(events.at(1).at(0).value<WatchEvent>().type, WatchEvent::Type::Deleted);
        watch->stop();
        delete watch;
    }

    void informerSurvivesRestartWithPersistence()
    {
        InformerOptions options;
        options.labelSelector = QStringLiteral("set=paged");
        options.initialBackoffMs = 100;
        options.maxBackoffMs = 500;
        Informer informer(m_client.get(), GroupVersionResource::configMaps(), options);
        QSignalSpy deleted(&informer, &Informer::deleted);
        QSignalSpy added(&informer, &Informer::added);
        informer.start();
        QTRY_VERIFY_WITH_TIMEOUT(informer.hasSynced(), 10000);
        QCOMPARE(informer.size(), 7);

        // Restart with the same data dir: objects and resourceVersions survive, the watch resumes.
        m_sandbox->stop();
        m_sandbox.reset();
        startSandbox(true);
        QVERIFY(
            wait([&](QObject* c, auto cb) {
                QJsonObject cm = configMap(QStringLiteral("after-restart"));
                QJsonObject meta = cm.value(QLatin1String("metadata")).toObject();
                meta.insert(QStringLiteral("labels"), QJsonObject{{QStringLiteral("set"), QStringLiteral("paged")}});
                cm.insert(QStringLiteral("metadata"), meta);
                m_client->create(GroupVersionResource::configMaps(), QStringLiteral("default"), cm, c, cb);
            }).ok());
        QTRY_VERIFY_WITH_TIMEOUT(informer.contains(QStringLiteral("default/after-restart")), 20000);
        QCOMPARE(informer.size(), 8);
        QCOMPARE(deleted.count(), 0);
        informer.stop();
    }

    void informerRelistsAfter410WhenStateWasLost()
    {
        InformerOptions options;
        options.labelSelector = QStringLiteral("set=paged");
        options.initialBackoffMs = 100;
        options.maxBackoffMs = 500;
        Informer informer(m_client.get(), GroupVersionResource::configMaps(), options);
        QSignalSpy deleted(&informer, &Informer::deleted);
        informer.start();
        QTRY_VERIFY_WITH_TIMEOUT(informer.hasSynced(), 10000);
        QCOMPARE(informer.size(), 8);

        // Restart without the saved state: the old resourceVersion is too old for the new store (410), so the
        // informer relists and reports every object that vanished as deleted.
        m_sandbox->stop();
        m_sandbox.reset();
        QVERIFY(QFile::remove(m_dir.filePath(QStringLiteral("state.json"))));
        startSandbox(false);
        QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 8, 20000);
        QCOMPARE(informer.size(), 0);
        // And it watches the new server.
        QVERIFY(
            wait([&](QObject* c, auto cb) {
                QJsonObject cm = configMap(QStringLiteral("fresh"));
                QJsonObject meta = cm.value(QLatin1String("metadata")).toObject();
                meta.insert(QStringLiteral("labels"), QJsonObject{{QStringLiteral("set"), QStringLiteral("paged")}});
                cm.insert(QStringLiteral("metadata"), meta);
                m_client->create(GroupVersionResource::configMaps(), QStringLiteral("default"), cm, c, cb);
            }).ok());
        QTRY_VERIFY_WITH_TIMEOUT(informer.contains(QStringLiteral("default/fresh")), 20000);
        informer.stop();
    }
};

QTEST_GUILESS_MAIN(ClientSandboxTest)
#include "tst_client_sandbox.moc"
