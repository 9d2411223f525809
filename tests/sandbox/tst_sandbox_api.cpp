// SPDX-License-Identifier: Apache-2.0
// The sandbox API over real HTTPS with raw requests: what kube-apiserver answers, byte for byte where it matters.
#include "core/Json.h"
#include "http/Pki.h"
#include "sandbox/ApiServer.h"
#include "sandbox/Sandbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace vk;

namespace {

struct Response
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QByteArray warning; ///< the Warning header
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

} // namespace

class SandboxApiTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    QNetworkAccessManager m_nam;
    QSslConfiguration m_tls;

    QNetworkRequest request(const QString& path, const QByteArray& contentType = "application/json") const
    {
        QNetworkRequest r(QUrl(m_sandbox->serverUrl().toString() + path));
        r.setSslConfiguration(m_tls);
        r.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        return r;
    }

    Response send(const QByteArray& method,
                  const QString& path,
                  const QByteArray& body = {},
                  const QByteArray& contentType = "application/json",
                  const QByteArray& accept = {})
    {
        QNetworkRequest r = request(path, contentType);
        if (!accept.isEmpty())
            r.setRawHeader("Accept", accept);
        QNetworkReply* reply = m_nam.sendCustomRequest(r, method, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(15000);
        Response response{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
                          reply->header(QNetworkRequest::ContentTypeHeader).toByteArray(), reply->rawHeader("Warning")};
        if (response.status == 0)
            qWarning() << method << path << "failed:" << reply->errorString();
        reply->deleteLater();
        return response;
    }

    QByteArray configMap(const QString& name, const QString& value = QStringLiteral("v")) const
    {
        return json::compact(QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                         {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                                         {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
                                         {QStringLiteral("data"), QJsonObject{{QStringLiteral("k"), value}}}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandbox::Sandbox::Options options;
        options.dataDir = m_dir.path();
        options.maxWatches = 8;
        options.bookmarkIntervalMs = 200;
        m_sandbox = std::make_unique<sandbox::Sandbox>(options);
        auto started = m_sandbox->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message()));
        auto admin = pki::loadFromFiles(m_dir.filePath(QStringLiteral("pki/admin.crt")),
                                        m_dir.filePath(QStringLiteral("pki/admin.key")));
        QVERIFY(admin.ok());
        m_tls = QSslConfiguration::defaultConfiguration();
        m_tls.setCaCertificates({m_sandbox->certificateAuthority().certificate()});
        m_tls.setLocalCertificate(admin->certificate());
        m_tls.setPrivateKey(admin->key());
    }

    void versionAndHealth()
    {
        const Response version = send("GET", QStringLiteral("/version"));
        QCOMPARE(version.status, 200);
        QCOMPARE(version.json().value(QLatin1String("major")).toString(), QStringLiteral("1"));
        for (const char* probe : {"/healthz", "/livez", "/readyz"}) {
            const Response r = send("GET", QLatin1String(probe));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, QByteArray("ok"));
        }
    }

    void discoveryDocuments()
    {
        const Response api = send("GET", QStringLiteral("/api"));
        QCOMPARE(api.json().value(QLatin1String("kind")).toString(), QStringLiteral("APIVersions"));
        const Response v1 = send("GET", QStringLiteral("/api/v1"));
        QCOMPARE(v1.json().value(QLatin1String("kind")).toString(), QStringLiteral("APIResourceList"));
        QStringList names;
        for (const auto& r : v1.json().value(QLatin1String("resources")).toArray())
            names << r.toObject().value(QLatin1String("name")).toString();
        for (const char* expected :
             {"pods", "pods/status", "pods/binding", "pods/eviction", "pods/log", "pods/exec", "nodes", "nodes/proxy",
              "namespaces", "configmaps", "secrets", "services", "serviceaccounts", "events"})
            QVERIFY2(names.contains(QLatin1String(expected)), expected);
        const Response apis = send("GET", QStringLiteral("/apis"));
        QStringList groups;
        for (const auto& g : apis.json().value(QLatin1String("groups")).toArray())
            groups << g.toObject().value(QLatin1String("name")).toString();
        QVERIFY(groups.contains(QStringLiteral("coordination.k8s.io")));
        QVERIFY(groups.contains(QStringLiteral("events.k8s.io")));
        const Response leases = send("GET", QStringLiteral("/apis/coordination.k8s.io/v1"));
        QCOMPARE(leases.status, 200);
        QCOMPARE(leases.json().value(QLatin1String("groupVersion")).toString(),
                 QStringLiteral("coordination.k8s.io/v1"));
        QCOMPARE(send("GET", QStringLiteral("/openapi/v3")).status, 200);
        QCOMPARE(send("GET", QStringLiteral("/no/such/path")).status, 404);
    }

    void malformedBodiesAre400WithKubeMessages_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("messageStart");
        QTest::newRow("truncated JSON") << QByteArray(R"({"kind":"ConfigMap",)") << QByteArray("application/json")
                                        << 400
                                        << QStringLiteral(
                                               "the object provided is unrecognized (must be of type ConfigMap)");
        QTest::newRow("broken YAML") << QByteArray("kind: ConfigMap\nmetadata: [") << QByteArray("application/yaml")
                                     << 400 << QStringLiteral("the object provided is unrecognized");
        QTest::newRow("wrong kind") << QByteArray(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}})")
                                    << QByteArray("application/json") << 400
                                    << QStringLiteral("the kind in the data (Secret) does not match");
        QTest::newRow("wrong apiVersion")
            << QByteArray(R"({"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"x"}})")
            << QByteArray("application/json") << 400
            << QStringLiteral("the API version in the data (v2) does not match");
        QTest::newRow("unknown media type") << QByteArray("x") << QByteArray("text/plain") << 415
                                            << QStringLiteral("the body of the request was in an unknown format");
        QTest::newRow("missing name is 422") << QByteArray(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{}})")
                                             << QByteArray("application/json") << 422 << QStringLiteral("ConfigMap");
    }

    void malformedBodiesAre400WithKubeMessages()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, messageStart);
        const Response r = send("POST", QStringLiteral("/api/v1/namespaces/default/configmaps"), body, contentType);
        QCOMPARE(r.status, status);
        const QJsonObject s = r.json();
        QCOMPARE(s.value(QLatin1String("kind")).toString(), QStringLiteral("Status"));
        QCOMPARE(s.value(QLatin1String("code")).toInt(), status);
        QVERIFY2(s.value(QLatin1String("message")).toString().startsWith(messageStart), r.body.constData());
    }

    void yamlBodiesAreAccepted()
    {
        const Response r =
            send("POST", QStringLiteral("/api/v1/namespaces/default/configmaps"),
                 QByteArray("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  n: '1'\n"),
                 "application/yaml");
        QCOMPARE(r.status, 201);
        QCOMPARE(json::at(r.json(), {QLatin1String("data"), QLatin1String("n")}).toString(), QStringLiteral("1"));
    }

    void unknownFieldsAreDroppedWarnedOrRejected()
    {
        const QByteArray body =
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typo","labelz":{"a":"b"}},"data":{"k":"v"}})";
        QNetworkRequest strictRequest =
            request(QStringLiteral("/api/v1/namespaces/default/configmaps?fieldValidation=Strict"));
        QNetworkReply* strict = m_nam.post(strictRequest, body);
        QTRY_VERIFY_WITH_TIMEOUT(strict->isFinished(), 10000);
        QCOMPARE(strict->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QCOMPARE(QJsonDocument::fromJson(strict->readAll()).object().value(QLatin1String("message")).toString(),
                 QStringLiteral("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
                                "unknown field \"metadata.labelz\""));
        strict->deleteLater();
        QNetworkReply* warned = m_nam.post(request(QStringLiteral("/api/v1/namespaces/default/configmaps")), body);
        QTRY_VERIFY_WITH_TIMEOUT(warned->isFinished(), 10000);
        QCOMPARE(warned->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        QCOMPARE(warned->rawHeader("Warning"), QByteArray("299 - \"unknown field \\\"metadata.labelz\\\"\""));
        const QJsonObject stored = QJsonDocument::fromJson(warned->readAll()).object();
        QVERIFY(!stored.value(QLatin1String("metadata")).toObject().contains(QLatin1String("labelz")));
        QCOMPARE(json::at(stored, {QLatin1String("data"), QLatin1String("k")}).toString(), QStringLiteral("v"));
        warned->deleteLater();
    }

    void mergePatchUnknownFields_data()
    {
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QByteArray>("warning");
        QTest::addColumn<QString>("podIP");
        QTest::newRow("clean") << QByteArray(R"({"status":{"podIP":"10.0.0.1"}})") << QByteArray() << "10.0.0.1";
        QTest::newRow("unknown in status") << QByteArray(R"({"status":{"podIP":"10.0.0.2","podIPz":"x"}})")
                                           << QByteArray("299 - \"unknown field \\\"status.podIPz\\\"\"") << "10.0.0.2";
        QTest::newRow("unknown in metadata")
            << QByteArray(R"({"metadata":{"labelz":{"a":"b"}},"status":{"podIP":"10.0.0.3"}})")
            << QByteArray("299 - \"unknown field \\\"metadata.labelz\\\"\"") << "10.0.0.3";
        // A null deletes: an unknown field set to null is not in the result, so nothing is said.
        QTest::newRow("unknown null") << QByteArray(R"({"status":{"podIP":"10.0.0.4","podIPz":null}})") << QByteArray()
                                      << "10.0.0.4";
    }

    void mergePatchUnknownFields()
    {
        QFETCH(QByteArray, patch);
        QFETCH(QByteArray, warning);
        QFETCH(QString, podIP);
        const QString path = QStringLiteral("/api/v1/namespaces/default/pods/patched-fields");
        if (send("GET", path).status == 404) {
            const QByteArray pod = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"patched-fields"},)"
                                   R"("spec":{"nodeName":"n","containers":[{"name":"c","image":"busybox"}]}})";
            QCOMPARE(send("POST", QStringLiteral("/api/v1/namespaces/default/pods"), pod).status, 201);
        }
        const Response patched = send("PATCH", path + QStringLiteral("/status"), patch, "application/merge-patch+json");
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.warning, warning);
        const QJsonObject stored = send("GET", path).json();
        QCOMPARE(json::at(stored, {QLatin1String("status"), QLatin1String("podIP")}).toString(), podIP);
        QVERIFY(!stored.value(QLatin1String("status")).toObject().contains(QLatin1String("podIPz")));
        QVERIFY(!stored.value(QLatin1String("metadata")).toObject().contains(QLatin1String("labelz")));
    }

    void podStatusWritesChangeOnlyTheStatus()
    {
        const QString pods = QStringLiteral("/api/v1/namespaces/default/pods");
        QCOMPARE(send("POST", pods,
                      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"status-only"},"spec":{"nodeName":"n1",
                          "containers":[{"name":"c","image":"busybox:1.36"}]}})")
                     .status,
                 201);
        const QString path = pods + QStringLiteral("/status-only");
        const QJsonObject stored = send("GET", path).json();
        const QJsonValue storedSpec = stored.value(QLatin1String("spec"));

        // A PUT whose body carries another spec, one that would not even validate: the stored spec stays. An unknown
        // top-level field the body brings is still reported.
        QJsonObject body = stored;
        QJsonObject spec = storedSpec.toObject();
        spec.insert(QStringLiteral("restartPolicy"), QStringLiteral("Sometimes"));
        spec.insert(QStringLiteral("nodeName"), QStringLiteral("elsewhere"));
        spec.insert(QStringLiteral("nodeNamez"), QStringLiteral("typo"));
        body.insert(QStringLiteral("spec"), spec);
        body.insert(QStringLiteral("statuz"), QJsonObject{});
        body.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")},
                                                          {QStringLiteral("podIP"), QStringLiteral("10.244.0.9")}});
        const Response put = send("PUT", path + QStringLiteral("/status"), json::compact(body));
        QVERIFY2(put.status == 200, put.body.constData());
        QCOMPARE(put.warning, QByteArray("299 - \"unknown field \\\"spec.nodeNamez\\\"\", 299 - \"unknown field "
                                         "\\\"statuz\\\"\""));
        QCOMPARE(put.json().value(QLatin1String("spec")), storedSpec);
        QCOMPARE(json::at(put.json(), {QLatin1String("status"), QLatin1String("phase")}).toString(),
                 QStringLiteral("Running"));
        QCOMPARE(send("GET", path).json().value(QLatin1String("spec")), storedSpec);

        // The v1 conversion of the IP pairs: podIP alone fills podIPs; podIPs alone shows its first entry as podIP;
        // podIP wins over a list that does not start with it.
        const auto ipsOf = [](const QJsonObject& pod, const char* single, const char* list) {
            const QJsonObject status = pod.value(QLatin1String("status")).toObject();
            QList<QByteArray> ips{status.value(QLatin1String(single)).toString().toUtf8()};
            for (const QJsonValue& v : status.value(QLatin1String(list)).toArray())
                ips << v.toObject().value(QLatin1String("ip")).toString().toUtf8();
            return ips;
        };
        QCOMPARE(ipsOf(put.json(), "podIP", "podIPs"), (QList<QByteArray>{"10.244.0.9", "10.244.0.9"}));
        const Response listOnly = send("PATCH", path + QStringLiteral("/status"),
                                       R"({"status":{"podIP":null,"podIPs":[{"ip":"10.244.0.7"},{"ip":"fd00::7"}],
                                           "hostIP":"192.168.1.5"}})",
                                       "application/merge-patch+json");
        QVERIFY2(listOnly.status == 200, listOnly.body.constData());
        QCOMPARE(ipsOf(listOnly.json(), "podIP", "podIPs"), (QList<QByteArray>{"10.244.0.7", "10.244.0.7", "fd00::7"}));
        QCOMPARE(ipsOf(listOnly.json(), "hostIP", "hostIPs"), (QList<QByteArray>{"192.168.1.5", "192.168.1.5"}));
        // hostIP is a field of its own inside kube-apiserver too: a list without it does not validate.
        const Response hostListOnly =
            send("PATCH", path + QStringLiteral("/status"),
                 R"({"status":{"hostIP":null,"hostIPs":[{"ip":"192.168.1.6"}]}})", "application/merge-patch+json");
        QCOMPARE(hostListOnly.status, 422);
        const Response singleWins = send("PATCH", path + QStringLiteral("/status"),
                                         R"({"status":{"podIP":"10.244.0.8"}})", "application/merge-patch+json");
        QVERIFY2(singleWins.status == 200, singleWins.body.constData());
        QCOMPARE(ipsOf(singleWins.json(), "podIP", "podIPs"), (QList<QByteArray>{"10.244.0.8", "10.244.0.8"}));
        QCOMPARE(ipsOf(send("GET", path).json(), "podIP", "podIPs"), (QList<QByteArray>{"10.244.0.8", "10.244.0.8"}));

        // An invalid status is 422 with kube-apiserver's field path.
        const auto causesOf = [](const Response& r) {
            return json::at(r.json(), {QLatin1String("details"), QLatin1String("causes")}).toArray();
        };
        const Response badIp = send("PATCH", path + QStringLiteral("/status"), R"({"status":{"podIP":"10.244.0.300"}})",
                                    "application/merge-patch+json");
        QCOMPARE(badIp.status, 422);
        QCOMPARE(badIp.json().value(QLatin1String("message")).toString(),
                 QStringLiteral("Pod \"status-only\" is invalid: status.podIPs[0]: Invalid value: \"10.244.0.300\": "
                                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        QCOMPARE(causesOf(badIp).size(), 1);
        QCOMPARE(causesOf(badIp).first().toObject().value(QLatin1String("field")).toString(),
                 QStringLiteral("status.podIPs[0]"));
        const Response badCondition =
            send("PATCH", path + QStringLiteral("/status"),
                 R"({"status":{"conditions":[{"type":"bad type!","status":"True"}]}})", "application/merge-patch+json");
        QCOMPARE(badCondition.status, 422);
        QCOMPARE(causesOf(badCondition).first().toObject().value(QLatin1String("field")).toString(),
                 QStringLiteral("metadata.conditions[0].Type"));

        // Unknown fields the request brings in status: dropped with a warning, or 400 with fieldValidation=Strict.
        const Response strict = send("PATCH", path + QStringLiteral("/status?fieldValidation=Strict"),
                                     R"({"status":{"phaze":"Succeeded"}})", "application/merge-patch+json");
        QCOMPARE(strict.status, 400);
        QCOMPARE(strict.json().value(QLatin1String("message")).toString(),
                 QStringLiteral("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown "
                                "field \"status.phaze\""));
        const Response warned =
            send("PATCH", path + QStringLiteral("/status"), R"({"status":{"phaze":"Succeeded","message":"m"}})",
                 "application/merge-patch+json");
        QCOMPARE(warned.status, 200);
        QCOMPARE(warned.warning, QByteArray("299 - \"unknown field \\\"status.phaze\\\"\""));
        const QJsonObject status = warned.json().value(QLatin1String("status")).toObject();
        QVERIFY(!status.contains(QLatin1String("phaze")));
        QCOMPARE(status.value(QLatin1String("message")).toString(), QStringLiteral("m"));
        QCOMPARE(status.value(QLatin1String("phase")).toString(), QStringLiteral("Running"));
    }

    void oversizedBodyIs413()
    {
        // The head announces 4 MiB (kube-apiserver's limit is 3 MiB): the answer comes before the body is sent.
        QSslSocket socket;
        socket.setSslConfiguration(m_tls);
        socket.connectToHostEncrypted(m_sandbox->serverUrl().host(), m_sandbox->port());
        QTRY_VERIFY_WITH_TIMEOUT(socket.isEncrypted(), 10000); // the server runs on this thread: never block it
        socket.write("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: sandbox\r\n"
                     "Content-Type: application/json\r\nContent-Length: 4194304\r\n\r\n");
        socket.write(QByteArray(64 * 1024, 'x'));
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("RequestEntityTooLarge"), 10000);
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
        // Other connections are unaffected.
        QCOMPARE(send("GET", QStringLiteral("/version")).status, 200);
    }

    void unknownResourceIs404()
    {
        const Response r = send("GET", QStringLiteral("/api/v1/namespaces/default/widgets"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QLatin1String("message")).toString(),
                 QStringLiteral("the server could not find the requested resource"));
        const Response missing = send("GET", QStringLiteral("/api/v1/namespaces/default/pods/nope"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json().value(QLatin1String("message")).toString(), QStringLiteral("pods \"nope\" not found"));
        QCOMPARE(json::at(missing.json(), {QLatin1String("details"), QLatin1String("kind")}).toString(),
                 QStringLiteral("pods"));
    }

    void patchKinds()
    {
        QCOMPARE(send("POST", QStringLiteral("/api/v1/namespaces/default/configmaps"), configMap(QStringLiteral("p")))
                     .status,
                 201);
        const QString path = QStringLiteral("/api/v1/namespaces/default/configmaps/p");
        Response merge = send("PATCH", path, R"({"data":{"a":"1","k":null}})", "application/merge-patch+json");
        QCOMPARE(merge.status, 200);
        QCOMPARE(merge.json().value(QLatin1String("data")).toObject(),
                 (QJsonObject{{QStringLiteral("a"), QStringLiteral("1")}}));
        Response strategic =
            send("PATCH", path, R"({"metadata":{"labels":{"x":"y"}}})", "application/strategic-merge-patch+json");
        QCOMPARE(strategic.status, 200);
        QCOMPARE(json::at(strategic.json(), {QLatin1String("metadata"), QLatin1String("labels")})
                     .toObject()
                     .value(QLatin1String("x"))
                     .toString(),
                 QStringLiteral("y"));
        Response jsonPatch =
            send("PATCH", path, R"([{"op":"replace","path":"/data/a","value":"2"}])", "application/json-patch+json");
        QCOMPARE(jsonPatch.status, 200);
        QCOMPARE(json::at(jsonPatch.json(), {QLatin1String("data"), QLatin1String("a")}).toString(),
                 QStringLiteral("2"));
        Response failedTest =
            send("PATCH", path, R"([{"op":"test","path":"/data/a","value":"nope"}])", "application/json-patch+json");
        QVERIFY2(failedTest.status == 422, failedTest.body.constData());
        Response unsupported = send("PATCH", path, "{}", "application/x-unknown");
        QCOMPARE(unsupported.status, 415);
    }

    void paginationWithContinue()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(send("POST", QStringLiteral("/api/v1/namespaces/default/configmaps"),
                          configMap(QStringLiteral("page-%1").arg(i)))
                         .status,
                     201);
        QStringList seen;
        QString token;
        int pages = 0;
        do {
            QString path = QStringLiteral("/api/v1/namespaces/default/configmaps?limit=2&labelSelector=");
            if (!token.isEmpty())
                path += QStringLiteral("&continue=") + QString::fromLatin1(QUrl::toPercentEncoding(token));
            const Response r = send("GET", path);
            QCOMPARE(r.status, 200);
            const QJsonObject list = r.json();
            QCOMPARE(list.value(QLatin1String("kind")).toString(), QStringLiteral("ConfigMapList"));
            for (const auto& item : list.value(QLatin1String("items")).toArray()) {
                QVERIFY(!item.toObject().contains(QLatin1String("kind")));
                seen << json::at(item.toObject(), {QLatin1String("metadata"), QLatin1String("name")}).toString();
            }
            token = json::at(list, {QLatin1String("metadata"), QLatin1String("continue")}).toString();
            ++pages;
        } while (!token.isEmpty() && pages < 20);
        QVERIFY(pages >= 3);
        QCOMPARE(seen.size(), QSet<QString>(seen.begin(), seen.end()).size());
        for (int i = 0; i < 5; ++i)
            QVERIFY(seen.contains(QStringLiteral("page-%1").arg(i)));
    }

    void tableOutputForKubectlGet()
    {
        const Response r = send("GET", QStringLiteral("/api/v1/namespaces"), {}, "application/json",
                                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        QCOMPARE(r.status, 200);
        QVERIFY(r.contentType.contains("as=Table"));
        const QJsonObject table = r.json();
        QCOMPARE(table.value(QLatin1String("kind")).toString(), QStringLiteral("Table"));
        QVERIFY(!table.value(QLatin1String("columnDefinitions")).toArray().isEmpty());
        QVERIFY(table.value(QLatin1String("rows")).toArray().size() >= 4);
        const QJsonObject row = table.value(QLatin1String("rows")).toArray().first().toObject();
        QCOMPARE(json::at(row, {QLatin1String("object"), QLatin1String("kind")}).toString(),
                 QStringLiteral("PartialObjectMetadata"));
    }

    void watchStreamsChangesAndResumes()
    {
        const Response created =
            send("POST", QStringLiteral("/api/v1/namespaces/default/configmaps"), configMap(QStringLiteral("w")));
        const QString rv =
            json::at(created.json(), {QLatin1String("metadata"), QLatin1String("resourceVersion")}).toString();
        QNetworkReply* watch = m_nam.get(request(QStringLiteral("/api/v1/namespaces/default/configmaps?watch=true&"
                                                                "allowWatchBookmarks=true&resourceVersion=") +
                                                 rv));
        QByteArray stream;
        connect(watch, &QIODevice::readyRead, this, [&] { stream += watch->readAll(); });
        QCOMPARE(send("PATCH", QStringLiteral("/api/v1/namespaces/default/configmaps/w"), R"({"data":{"k":"changed"}})",
                      "application/merge-patch+json")
                     .status,
                 200);
        QCOMPARE(send("DELETE", QStringLiteral("/api/v1/namespaces/default/configmaps/w")).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(stream.contains("\"type\":\"DELETED\""), 10000);
        QVERIFY(stream.contains("\"type\":\"MODIFIED\""));
        QVERIFY(stream.indexOf("MODIFIED") < stream.indexOf("DELETED"));
        // One JSON object per line, type first as kube-apiserver writes it.
        QVERIFY2(stream.startsWith("{\"type\":\"MODIFIED\",\"object\":{"), stream.left(80).constData());
        QTRY_VERIFY_WITH_TIMEOUT(stream.contains("\"type\":\"BOOKMARK\""), 10000);
        for (const QByteArray& line : stream.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error{};
            const QJsonObject event = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
            QVERIFY(event.value(QLatin1String("object")).isObject());
        }
        watch->abort();
        watch->deleteLater();
    }

    void writeAnswersAreTheStoredObjectWhileWatched()
    {
        // A watched write's answer reuses the watch's text of the stored version: it must be exactly what a GET
        // returns, and a dry run's (not stored) object must not be answered with the stored one.
        QNetworkReply* watch = m_nam.get(request(QStringLiteral("/api/v1/namespaces/default/configmaps?watch=true")));
        QByteArray stream;
        connect(watch, &QIODevice::readyRead, this, [&] { stream += watch->readAll(); });
        QTRY_VERIFY_WITH_TIMEOUT(watch->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid(), 10000);
        const QString path = QStringLiteral("/api/v1/namespaces/default/configmaps/answered");
        const auto stored = [&] { return send("GET", path).json(); };

        const Response created = send("POST", QStringLiteral("/api/v1/namespaces/default/configmaps"),
                                      configMap(QStringLiteral("answered")));
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json(), stored());
        QTRY_VERIFY_WITH_TIMEOUT(stream.contains("\"answered\""), 10000); // the watch did serialize it

        const Response patched = send("PATCH", path, R"({"data":{"k":"patched"}})", "application/merge-patch+json");
        QCOMPARE(patched.status, 200);
        QCOMPARE(json::at(patched.json(), {QLatin1String("data"), QLatin1String("k")}).toString(),
                 QStringLiteral("patched"));
        QCOMPARE(patched.json(), stored());

        QJsonObject replaced = stored();
        replaced.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("k"), QStringLiteral("put")}});
        const Response put = send("PUT", path, json::compact(replaced));
        QCOMPARE(put.status, 200);
        QCOMPARE(put.json(), stored());

        const Response dry = send("PATCH", path + QStringLiteral("?dryRun=All"), R"({"data":{"k":"dry"}})",
                                  "application/merge-patch+json");
        QCOMPARE(dry.status, 200);
        QCOMPARE(json::at(dry.json(), {QLatin1String("data"), QLatin1String("k")}).toString(), QStringLiteral("dry"));
        QCOMPARE(json::at(stored(), {QLatin1String("data"), QLatin1String("k")}).toString(), QStringLiteral("put"));

        const Response pretty = send("PATCH", path + QStringLiteral("?pretty=true"), R"({"data":{"k":"pretty"}})",
                                     "application/merge-patch+json");
        QCOMPARE(pretty.status, 200);
        QVERIFY2(pretty.body.contains("\n    "), pretty.body.left(80).constData());
        QCOMPARE(pretty.json(), stored());
        QCOMPARE(send("DELETE", path).status, 200);
        watch->abort();
        watch->deleteLater();
    }

    void tooOldWatchGets410InTheStream()
    {
        const Response r =
            send("GET", QStringLiteral("/api/v1/namespaces/default/pods?watch=1&resourceVersion=1&timeoutSeconds=1"));
        QCOMPARE(r.status, 200);
        const QJsonObject event = QJsonDocument::fromJson(r.body.trimmed()).object();
        QCOMPARE(event.value(QLatin1String("type")).toString(), QStringLiteral("ERROR"));
        QCOMPARE(json::at(event, {QLatin1String("object"), QLatin1String("code")}).toInt(), 410);
        QCOMPARE(json::at(event, {QLatin1String("object"), QLatin1String("reason")}).toString(),
                 QStringLiteral("Expired"));
        QVERIFY(json::at(event, {QLatin1String("object"), QLatin1String("message")})
                    .toString()
                    .startsWith(QStringLiteral("too old resource version: 1 (")));
    }

    void watchFloodIs429()
    {
        // Earlier tests' watches are gone first.
        QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->apiServer()->watchCount(), 0, 10000);
        QList<QNetworkReply*> watches;
        int rejected = 0;
        for (int i = 0; i < 12; ++i) {
            // Each watch gets its own connection pool, so none queues behind another.
            QNetworkAccessManager* nam = new QNetworkAccessManager(this);
            QNetworkReply* reply = nam->get(request(QStringLiteral("/api/v1/configmaps?watch=1")));
            watches << reply;
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::count_if(watches.begin(), watches.end(),
                          [](QNetworkReply* w) {
                              return w->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid();
                          }) == watches.size(),
            15000);
        for (QNetworkReply* w : watches) {
            if (w->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 429) {
                ++rejected;
                QCOMPARE(w->rawHeader("Retry-After"), QByteArray("1"));
            }
        }
        QCOMPARE(rejected, 12 - 8);
        for (QNetworkReply* w : watches) {
            w->abort();
            w->manager()->deleteLater();
        }
        // The server still answers.
        QCOMPARE(send("GET", QStringLiteral("/version")).status, 200);
    }
};

QTEST_GUILESS_MAIN(SandboxApiTest)
#include "tst_sandbox_api.moc"
