// SPDX-License-Identifier: Apache-2.0
// Real kubectl against the sandbox API server, over HTTPS with the kubeconfig the sandbox writes.
#include "core/Json.h"
#include "sandbox/NodeLifecycleController.h"
#include "sandbox/Sandbox.h"
#include "support/Kubectl.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;
using vk::test::Kubectl;
using vk::test::KubectlResult;

namespace {

QByteArray nodeYaml(const QString& name, const QString& extraMetadata = {})
{
    const QString now = json::formatTime(QDateTime::currentDateTimeUtc());
    return QStringLiteral("apiVersion: v1\n"
                          "kind: Node\n"
                          "metadata:\n"
                          "  name: %1\n"
                          "  labels:\n"
                          "    kubernetes.io/hostname: %1\n"
                          "%3"
                          "status:\n"
                          "  capacity: {cpu: '4', memory: 8Gi, pods: '110'}\n"
                          "  allocatable: {cpu: '4', memory: 8Gi, pods: '110'}\n"
                          "  addresses:\n"
                          "  - {type: InternalIP, address: 127.0.0.1}\n"
                          "  conditions:\n"
                          "  - type: Ready\n"
                          "    status: 'True'\n"
                          "    reason: KubeletReady\n"
                          "    message: kubelet is posting ready status\n"
                          "    lastHeartbeatTime: %2\n"
                          "    lastTransitionTime: %2\n")
        .arg(name, now, extraMetadata)
        .toUtf8();
}

QByteArray podYaml(const QString& name, const QString& specExtra = {})
{
    return QStringLiteral("apiVersion: v1\n"
                          "kind: Pod\n"
                          "metadata:\n"
                          "  name: %1\n"
                          "  labels:\n"
                          "    app: %1\n"
                          "spec:\n"
                          "%2"
                          "  containers:\n"
                          "  - name: main\n"
                          "    image: busybox:1.36\n"
                          "    command: [sleep, '3600']\n")
        .arg(name, specExtra)
        .toUtf8();
}

} // namespace

class KubectlTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<Kubectl> m_kubectl;

    KubectlResult kubectl(const QStringList& args, const QByteArray& input = {}) const
    {
        return m_kubectl->run(args, input);
    }

    QJsonObject getJson(const QStringList& args) const
    {
        const KubectlResult r = kubectl(args + QStringList{QStringLiteral("-o"), QStringLiteral("json")});
        if (r.exitCode != 0)
            qWarning().noquote() << r.describe();
        return QJsonDocument::fromJson(r.out).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!Kubectl::executable().isEmpty(), "kubectl is not on PATH (installers/debian-deps.sh installs it)");
        QVERIFY(m_dir.isValid());
        sandbox::Sandbox::Options options;
        options.dataDir = m_dir.filePath(QStringLiteral("sandbox"));
        m_sandbox = std::make_unique<sandbox::Sandbox>(options);
        auto started = m_sandbox->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message()));
        // Nodes created by hand here have no kubelet renewing them; keep them Ready for the whole run.
        m_sandbox->nodeLifecycle()->gracePeriodMs = 3'600'000;
        m_kubectl = std::make_unique<Kubectl>(m_sandbox->kubeconfigPath(), m_dir.filePath(QStringLiteral("home")));
    }

    void cleanupTestCase() { m_sandbox->stop(); }

    void anonymousRequestsAre401()
    {
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(m_sandbox->serverUrl().toString() + QStringLiteral("/api/v1/namespaces")));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_sandbox->certificateAuthority().certificate()});
        request.setSslConfiguration(tls);
        QNetworkReply* reply = nam.get(request);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
        const QJsonObject status = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(status.value(QLatin1String("reason")).toString(), QStringLiteral("Unauthorized"));
        QCOMPARE(status.value(QLatin1String("code")).toInt(), 401);
        reply->deleteLater();

        // kubectl with credentials the server does not accept (a kubeconfig user with none at all makes kubectl
        // prompt for a password instead, as it does against any cluster).
        QFile anonymous(m_dir.filePath(QStringLiteral("anonymous.yaml")));
        QVERIFY(anonymous.open(QIODevice::WriteOnly));
        anonymous.write(
            QStringLiteral(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster:\n    server: %1\n"
                "    certificate-authority-data: %2\nusers:\n- name: nobody\n  user: {token: not-a-valid-token}\n"
                "contexts:\n- name: s\n  context: {cluster: s, user: nobody}\ncurrent-context: s\n")
                .arg(m_sandbox->serverUrl().toString(),
                     QString::fromLatin1(m_sandbox->certificateAuthority().certificatePem.toBase64()))
                .toUtf8());
        anonymous.close();
        const KubectlResult r = kubectl(
            {QStringLiteral("--kubeconfig"), anonymous.fileName(), QStringLiteral("get"), QStringLiteral("pods")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("error: You must be logged in to the server"), r.err.right(300).constData());
    }

    void versionAndDiscovery()
    {
        const KubectlResult version =
            kubectl({QStringLiteral("version"), QStringLiteral("-o"), QStringLiteral("json")});
        QVERIFY2(version.exitCode == 0, version.describe().constData());
        QCOMPARE(version.err, QByteArray());
        const QJsonObject server =
            QJsonDocument::fromJson(version.out).object().value(QLatin1String("serverVersion")).toObject();
        QCOMPARE(server.value(QLatin1String("major")).toString(), QStringLiteral("1"));
        const KubectlResult resources = kubectl({QStringLiteral("api-resources")});
        QVERIFY2(resources.exitCode == 0, resources.describe().constData());
        QCOMPARE(resources.err, QByteArray());
        for (const char* expected : {"pods", "nodes", "leases", "events", "configmaps", "secrets", "services",
                                     "serviceaccounts", "namespaces"})
            QVERIFY2(resources.out.contains(expected), expected);
        const KubectlResult namespaces = kubectl({QStringLiteral("get"), QStringLiteral("namespaces")});
        QVERIFY2(namespaces.exitCode == 0, namespaces.describe().constData());
        for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"})
            QVERIFY2(namespaces.out.contains(ns), namespaces.out.constData());
        QVERIFY(namespaces.out.startsWith("NAME"));
    }

    void createAndGetJsonWithServerDefaults()
    {
        const KubectlResult created = kubectl({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                                              podYaml(QStringLiteral("web")));
        QVERIFY2(created.exitCode == 0, created.describe().constData());
        QCOMPARE(created.out.trimmed(), QByteArray("pod/web created"));
        QCOMPARE(created.err, QByteArray());
        const QJsonObject pod = getJson({QStringLiteral("get"), QStringLiteral("pod"), QStringLiteral("web")});
        QVERIFY(!json::at(pod, {QLatin1String("metadata"), QLatin1String("uid")}).toString().isEmpty());
        QCOMPARE(json::at(pod, {QLatin1String("spec"), QLatin1String("restartPolicy")}).toString(),
                 QStringLiteral("Always"));
        QCOMPARE(json::at(pod, {QLatin1String("spec"), QLatin1String("dnsPolicy")}).toString(),
                 QStringLiteral("ClusterFirst"));
        QCOMPARE(json::at(pod, {QLatin1String("spec"), QLatin1String("schedulerName")}).toString(),
                 QStringLiteral("default-scheduler"));
        QCOMPARE(json::at(pod, {QLatin1String("spec"), QLatin1String("tolerations")}).toArray().size(), 2);
        QCOMPARE(json::at(pod, {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Pending"));
        QCOMPARE(json::at(pod, {QLatin1String("status"), QLatin1String("qosClass")}).toString(),
                 QStringLiteral("BestEffort"));
    }

    void unschedulableUntilANodeFits()
    {
        // No node yet: the pod from the previous test is Pending and says why.
        QTRY_VERIFY_WITH_TIMEOUT(kubectl({QStringLiteral("describe"), QStringLiteral("pod"), QStringLiteral("web")})
                                     .out.contains("no nodes available to schedule pods"),
                                 20000);
        const KubectlResult describe =
            kubectl({QStringLiteral("describe"), QStringLiteral("pod"), QStringLiteral("web")});
        QVERIFY2(describe.out.contains("FailedScheduling"), describe.describe().constData());
        // A pod that needs a label no node has.
        const KubectlResult picky =
            kubectl({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                    podYaml(QStringLiteral("picky"), QStringLiteral("  nodeSelector:\n    disk: ssd\n")));
        QVERIFY2(picky.exitCode == 0, picky.describe().constData());
        const KubectlResult node = kubectl({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                                           nodeYaml(QStringLiteral("node1")));
        QVERIFY2(node.exitCode == 0, node.describe().constData());
        QCOMPARE(node.out.trimmed(), QByteArray("node/node1 created"));
        const KubectlResult waited = kubectl({QStringLiteral("wait"), QStringLiteral("--for=condition=PodScheduled"),
                                              QStringLiteral("pod/web"), QStringLiteral("--timeout=30s")});
        QVERIFY2(waited.exitCode == 0, waited.describe().constData());
        QCOMPARE(waited.out.trimmed(), QByteArray("pod/web condition met"));
        QCOMPARE(json::at(getJson({QStringLiteral("get"), QStringLiteral("pod"), QStringLiteral("web")}),
                          {QLatin1String("spec"), QLatin1String("nodeName")})
                     .toString(),
                 QStringLiteral("node1"));
        QTRY_VERIFY_WITH_TIMEOUT(kubectl({QStringLiteral("describe"), QStringLiteral("pod"), QStringLiteral("picky")})
                                     .out.contains("didn't match Pod's node affinity/selector"),
                                 20000);
        // Labelling the node is a node change: the scheduler tries again and the pod lands.
        const KubectlResult labelled = kubectl(
            {QStringLiteral("label"), QStringLiteral("node"), QStringLiteral("node1"), QStringLiteral("disk=ssd")});
        QVERIFY2(labelled.exitCode == 0, labelled.describe().constData());
        QCOMPARE(labelled.out.trimmed(), QByteArray("node/node1 labeled"));
        const KubectlResult landed = kubectl({QStringLiteral("wait"), QStringLiteral("--for=condition=PodScheduled"),
                                              QStringLiteral("pod/picky"), QStringLiteral("--timeout=30s")});
        QVERIFY2(landed.exitCode == 0, landed.describe().constData());
        const KubectlResult nodes = kubectl({QStringLiteral("get"), QStringLiteral("nodes")});
        QVERIFY2(nodes.exitCode == 0 && nodes.out.contains("node1") && nodes.out.contains("Ready"),
                 nodes.describe().constData());
        QVERIFY2(nodes.out.startsWith("NAME"), nodes.out.constData());
    }

    void applyCreatesThenConfigures()
    {
        const QByteArray v1("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: one\n");
        const KubectlResult first = kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, v1);
        QVERIFY2(first.exitCode == 0, first.describe().constData());
        QCOMPARE(first.out.trimmed(), QByteArray("configmap/settings created"));
        QCOMPARE(first.err, QByteArray());
        QByteArray v2 = v1;
        v2.replace("mode: one", "mode: two\n  extra: yes-please");
        const KubectlResult second = kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, v2);
        QVERIFY2(second.exitCode == 0, second.describe().constData());
        QCOMPARE(second.out.trimmed(), QByteArray("configmap/settings configured"));
        QCOMPARE(second.err, QByteArray());
        const QJsonObject cm =
            getJson({QStringLiteral("get"), QStringLiteral("configmap"), QStringLiteral("settings")});
        QCOMPARE(json::at(cm, {QLatin1String("data"), QLatin1String("mode")}).toString(), QStringLiteral("two"));
        QCOMPARE(json::at(cm, {QLatin1String("data"), QLatin1String("extra")}).toString(),
                 QStringLiteral("yes-please"));
        const KubectlResult unchanged =
            kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, v2);
        QCOMPARE(unchanged.out.trimmed(), QByteArray("configmap/settings unchanged"));
    }

    void listManifestsAreValidatedWithOpenApiV2()
    {
        // kubectl validates `kind: List` (what `kubectl get -o yaml` writes) client-side from /openapi/v2 protobuf.
        const QByteArray list(
            "apiVersion: v1\nkind: List\nitems:\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: listed-a\n  data:\n    k: v\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: listed-b\n");
        const KubectlResult applied =
            kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, list);
        QVERIFY2(applied.exitCode == 0, applied.describe().constData());
        QCOMPARE(applied.out, QByteArray("configmap/listed-a created\nconfigmap/listed-b created\n"));
        QCOMPARE(applied.err, QByteArray());
        QByteArray typo = list;
        typo.replace("  data:\n    k: v\n", "  dta:\n    k: v\n");
        const KubectlResult rejected =
            kubectl({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")}, typo);
        QCOMPARE(rejected.exitCode, 1);
        QVERIFY2(rejected.err.contains("unknown field \"dta\""), rejected.describe().constData());
    }

    void labelAndAnnotate()
    {
        const KubectlResult label = kubectl(
            {QStringLiteral("label"), QStringLiteral("pod"), QStringLiteral("web"), QStringLiteral("tier=frontend")});
        QVERIFY2(label.exitCode == 0, label.describe().constData());
        QCOMPARE(label.out.trimmed(), QByteArray("pod/web labeled"));
        const KubectlResult selected =
            kubectl({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-l"),
                     QStringLiteral("tier=frontend"), QStringLiteral("-o"), QStringLiteral("name")});
        QCOMPARE(selected.out.trimmed(), QByteArray("pod/web"));
        const KubectlResult annotate = kubectl(
            {QStringLiteral("annotate"), QStringLiteral("pod"), QStringLiteral("web"), QStringLiteral("note=hello")});
        QVERIFY2(annotate.exitCode == 0, annotate.describe().constData());
        QCOMPARE(annotate.out.trimmed(), QByteArray("pod/web annotated"));
        const QJsonObject pod = getJson({QStringLiteral("get"), QStringLiteral("pod"), QStringLiteral("web")});
        QCOMPARE(json::at(pod, {QLatin1String("metadata"), QLatin1String("annotations")})
                     .toObject()
                     .value(QLatin1String("note"))
                     .toString(),
                 QStringLiteral("hello"));
        const KubectlResult unlabel =
            kubectl({QStringLiteral("label"), QStringLiteral("pod"), QStringLiteral("web"), QStringLiteral("tier-")});
        QCOMPARE(unlabel.out.trimmed(), QByteArray("pod/web unlabeled"));
    }

    void runAndGetWatch()
    {
        QScopedPointer<QProcess> watch(
            m_kubectl->start({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-w")}));
        QVERIFY(watch->waitForStarted());
        QByteArray seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen += watch->readAllStandardOutput()).contains("web"), 20000);
        const KubectlResult run = kubectl({QStringLiteral("run"), QStringLiteral("runner"),
                                           QStringLiteral("--image=busybox"), QStringLiteral("--restart=Never")});
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QCOMPARE(run.out.trimmed(), QByteArray("pod/runner created"));
        QTRY_VERIFY_WITH_TIMEOUT((seen += watch->readAllStandardOutput()).contains("runner"), 20000);
        watch->kill();
        watch->waitForFinished();
        QVERIFY2(seen.startsWith("NAME"), seen.constData());
    }

    void gracefulThenForcedDeletion()
    {
        const KubectlResult created = kubectl({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                                              podYaml(QStringLiteral("bound"), QStringLiteral("  nodeName: node1\n")));
        QVERIFY2(created.exitCode == 0, created.describe().constData());
        const KubectlResult deleted = kubectl(
            {QStringLiteral("delete"), QStringLiteral("pod"), QStringLiteral("bound"), QStringLiteral("--wait=false")});
        QVERIFY2(deleted.exitCode == 0, deleted.describe().constData());
        QCOMPARE(deleted.out.trimmed(), QByteArray("pod \"bound\" deleted"));
        const QJsonObject terminating =
            getJson({QStringLiteral("get"), QStringLiteral("pod"), QStringLiteral("bound")});
        QVERIFY(json::at(terminating, {QLatin1String("metadata"), QLatin1String("deletionTimestamp")}).isString());
        QCOMPARE(
            json::at(terminating, {QLatin1String("metadata"), QLatin1String("deletionGracePeriodSeconds")}).toInt(),
            30);
        const KubectlResult table = kubectl({QStringLiteral("get"), QStringLiteral("pod"), QStringLiteral("bound")});
        QVERIFY2(table.out.contains("Terminating"), table.describe().constData());
        const KubectlResult forced = kubectl({QStringLiteral("delete"), QStringLiteral("pod"), QStringLiteral("bound"),
                                              QStringLiteral("--grace-period=0"), QStringLiteral("--force")});
        QVERIFY2(forced.exitCode == 0, forced.describe().constData());
        const KubectlResult gone = kubectl({QStringLiteral("get"), QStringLiteral("pod"), QStringLiteral("bound")});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY2(gone.err.contains("Error from server (NotFound): pods \"bound\" not found"),
                 gone.describe().constData());
        // Unbound pods go at once, and kubectl's default wait sees them go.
        const KubectlResult floating =
            kubectl({QStringLiteral("create"), QStringLiteral("-f"), QStringLiteral("-")},
                    podYaml(QStringLiteral("floating"), QStringLiteral("  nodeSelector:\n    disk: none\n")));
        QVERIFY2(floating.exitCode == 0, floating.describe().constData());
        const KubectlResult unbound =
            kubectl({QStringLiteral("delete"), QStringLiteral("pod"), QStringLiteral("floating")});
        QVERIFY2(unbound.exitCode == 0, unbound.describe().constData());
        QCOMPARE(unbound.out.trimmed(), QByteArray("pod \"floating\" deleted"));
    }

    void namespaceDeletionDeletesItsContents()
    {
        QCOMPARE(
            kubectl({QStringLiteral("create"), QStringLiteral("namespace"), QStringLiteral("scratch")}).out.trimmed(),
            QByteArray("namespace/scratch created"));
        const KubectlResult cm =
            kubectl({QStringLiteral("-n"), QStringLiteral("scratch"), QStringLiteral("create"),
                     QStringLiteral("configmap"), QStringLiteral("c1"), QStringLiteral("--from-literal=a=b")});
        QVERIFY2(cm.exitCode == 0, cm.describe().constData());
        const KubectlResult sa = kubectl({QStringLiteral("-n"), QStringLiteral("scratch"), QStringLiteral("get"),
                                          QStringLiteral("serviceaccount"), QStringLiteral("default"),
                                          QStringLiteral("-o"), QStringLiteral("name")});
        QCOMPARE(sa.out.trimmed(), QByteArray("serviceaccount/default"));
        const KubectlResult deleted =
            kubectl({QStringLiteral("delete"), QStringLiteral("namespace"), QStringLiteral("scratch")});
        QVERIFY2(deleted.exitCode == 0, deleted.describe().constData());
        const KubectlResult gone =
            kubectl({QStringLiteral("get"), QStringLiteral("namespace"), QStringLiteral("scratch")});
        QCOMPARE(gone.exitCode, 1);
        const KubectlResult protectedNs =
            kubectl({QStringLiteral("delete"), QStringLiteral("namespace"), QStringLiteral("default")});
        QCOMPARE(protectedNs.exitCode, 1);
        QVERIFY2(protectedNs.err.contains("forbidden"), protectedNs.describe().constData());
    }

    void invalidObjectsAreRejectedWithCauses()
    {
        const QByteArray bad(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: BAD_NAME\n");
        const KubectlResult r = kubectl(
            {QStringLiteral("create"), QStringLiteral("--validate=false"), QStringLiteral("-f"), QStringLiteral("-")},
            bad);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("is invalid"), r.describe().constData());
        QVERIFY2(r.err.contains("spec.containers[0].image: Required value"), r.describe().constData());
    }

    void describeAndExplain()
    {
        const KubectlResult node =
            kubectl({QStringLiteral("describe"), QStringLiteral("node"), QStringLiteral("node1")});
        QVERIFY2(node.exitCode == 0 && node.out.contains("Name:") && node.out.contains("node1"),
                 node.describe().constData());
        const KubectlResult explain = kubectl({QStringLiteral("explain"), QStringLiteral("pod.spec.containers")});
        QVERIFY2(explain.exitCode == 0, explain.describe().constData());
        QVERIFY2(explain.out.contains("FIELD"), explain.describe().constData());
    }
};

QTEST_GUILESS_MAIN(KubectlTest)
#include "tst_kubectl.moc"
