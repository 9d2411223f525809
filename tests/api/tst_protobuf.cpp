// SPDX-License-Identifier: Apache-2.0
#include "api/Protobuf.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <utility>

using namespace vk;
namespace pb = vk::api::protobuf;

namespace {

QString fixtureDir()
{
    return qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/api/protobuf/");
}

/// (row description, fixture base name) of every fixture in tests/data/api/protobuf.
QList<std::pair<const char*, const char*>> fixtureTable()
{
    return {
        // Captured from kubectl 1.32; the expected JSON is kubectl's own `--dry-run=client -o json` of the object.
        {"kubectl create namespace", "namespace"},
        {"kubectl create configmap with two literals", "configmap-literal"},
        {"kubectl create configmap from a binary file fills binaryData", "configmap-binary-file"},
        {"kubectl create secret generic", "secret-generic"},
        {"kubectl create secret tls", "secret-tls"},
        {"kubectl create secret docker-registry", "secret-docker-registry"},
        {"kubectl create serviceaccount", "serviceaccount"},
        {"kubectl create service clusterip with two ports", "service-clusterip"},
        {"kubectl create service nodeport", "service-nodeport"},
        {"kubectl create service loadbalancer", "service-loadbalancer"},
        {"kubectl create service externalname", "service-externalname"},
        {"kubectl create service clusterip --clusterip=None", "service-headless"},
        {"kubectl create quota with scopes", "resourcequota"},
        // Hand-encoded by capture.py; the expected JSON is written by hand there.
        {"Pod with containers, probes, env sources, volumes, affinity and tolerations", "pod"},
        {"Lease times are MicroTime with microseconds, truncated", "lease"},
        {"Binding of a pod to a node", "binding"},
        {"core/v1 Event from a kubelet, zero eventTime is null", "event"},
        {"core/v1 Event with series, related and reporting fields", "event-series"},
        {"policy/v1 Eviction with every DeleteOptions field", "eviction"},
        {"DeleteOptions on its own", "deleteoptions"},
        {"ConfigMap keeps an encoded immutable false", "configmap-immutable-false"},
        {"Secret with data, stringData and immutable", "secret-immutable"},
        {"ServiceAccount with secrets, imagePullSecrets, automount false", "serviceaccount-full"},
        {"Namespace with finalizers and unknown fields skipped", "namespace-finalizers-unknown-fields"},
    };
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// A tiny protobuf encoder: fields are written by number, as in tests/data/api/protobuf/capture.py.
QByteArray varint(quint64 value)
{
    QByteArray out;
    do {
        const auto low = char(value & 0x7f);
        value >>= 7;
        out.append(value ? char(low | 0x80) : low);
    } while (value);
    return out;
}

QByteArray key(quint32 number, int wire)
{
    return varint(quint64(number) << 3 | quint64(wire));
}

QByteArray vint(quint32 number, qint64 value)
{
    return key(number, 0) + varint(quint64(value));
}

QByteArray ld(quint32 number, const QByteArray& data)
{
    return key(number, 2) + varint(quint64(data.size())) + data;
}

QByteArray ld(quint32 number, const char* text)
{
    return ld(number, QByteArray(text));
}

QByteArray entry(quint32 number, const char* mapKey, const QByteArray& value)
{
    return ld(number, ld(1, mapKey) + ld(2, value));
}

QByteArray envelope(const char* apiVersion, const char* kind, const QByteArray& raw)
{
    return QByteArrayLiteral("k8s\x00") + ld(1, ld(1, apiVersion) + ld(2, kind)) + ld(2, raw) + ld(3, "") + ld(4, "");
}

QByteArray meta(const char* name)
{
    return ld(1, ld(1, name));
}

QJsonObject parse(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QString compact(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

class ProtobufTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void magic_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("protobuf");
        QTest::newRow("empty body is not protobuf") << QByteArray() << false;
        QTest::newRow("three bytes of the magic are not enough") << QByteArrayLiteral("k8s") << false;
        QTest::newRow("the bare magic is protobuf") << QByteArrayLiteral("k8s\x00") << true;
        QTest::newRow("magic followed by an envelope") << envelope("v1", "Namespace", {}) << true;
        QTest::newRow("JSON is not protobuf") << QByteArrayLiteral("{\"kind\":\"Namespace\"}") << false;
        QTest::newRow("the magic is case sensitive") << QByteArrayLiteral("K8S\x00") << false;
        QTest::newRow("a different fourth byte is not the magic") << QByteArrayLiteral("k8s\x01") << false;
    }

    void magic()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, protobuf);
        QCOMPARE(pb::isKubernetesProtobuf(body), protobuf);
    }

    void contentType_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<bool>("protobuf");
        QTest::newRow("kubectl's content type") << QByteArrayLiteral("application/vnd.kubernetes.protobuf") << true;
        QTest::newRow("parameters are ignored")
            << QByteArrayLiteral("application/vnd.kubernetes.protobuf; charset=binary") << true;
        QTest::newRow("case does not matter") << QByteArrayLiteral("Application/VND.Kubernetes.Protobuf") << true;
        QTest::newRow("stream parameters are ignored too")
            << QByteArrayLiteral("application/vnd.kubernetes.protobuf;stream=watch") << true;
        QTest::newRow("JSON is not protobuf") << QByteArrayLiteral("application/json") << false;
        QTest::newRow("empty is not protobuf") << QByteArray() << false;
    }

    void contentType()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(bool, protobuf);
        QCOMPARE(pb::isProtobufContentType(contentType), protobuf);
        QCOMPARE(pb::mediaType(), QByteArrayLiteral("application/vnd.kubernetes.protobuf"));
    }

    void fixtures_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& [description, name] : fixtureTable())
            QTest::newRow(description) << QString::fromLatin1(name);
    }

    void fixtures()
    {
        QFETCH(QString, name);
        const QByteArray body = readFile(fixtureDir() + name + QStringLiteral(".bin"));
        QVERIFY2(!body.isEmpty(), qPrintable(name + QStringLiteral(".bin is missing")));
        const QJsonObject expected =
            QJsonDocument::fromJson(readFile(fixtureDir() + name + QStringLiteral(".json"))).object();
        QVERIFY2(!expected.isEmpty(), qPrintable(name + QStringLiteral(".json is missing or not an object")));
        QVERIFY(pb::isKubernetesProtobuf(body));

        const auto decoded = pb::decodeObject(body);
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : qPrintable(decoded.error().message()));
        if (*decoded != expected) {
            qWarning().noquote() << "decoded: " << compact(*decoded);
            qWarning().noquote() << "expected:" << compact(expected);
        }
        QCOMPARE(*decoded, expected);
    }

    void everyFixtureIsListed()
    {
        QStringList listed;
        for (const auto& entry : fixtureTable())
            listed.append(QString::fromLatin1(entry.second) + QStringLiteral(".bin"));
        const QStringList files = QDir(fixtureDir()).entryList({QStringLiteral("*.bin")}, QDir::Files, QDir::Name);
        for (const QString& file : files)
            QVERIFY2(listed.contains(file), qPrintable(file + QStringLiteral(" is not in fixtureTable()")));
        QCOMPARE(files.size(), listed.size());
    }

    void semantics_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QJsonObject>("expected");

        const QByteArray container = ld(2, ld(1, "") + ld(2, "") + ld(5, "") + vint(16, 0));
        QTest::newRow("a Container name is kept even when empty, other empty strings and false bools are dropped")
            << envelope("v1", "Pod", ld(2, container))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"\"}]}}");

        const QByteArray unpacked = vint(4, 3000) + vint(4, 4000);
        const QByteArray packed = ld(4, varint(3000) + varint(4000));
        const char* groups = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"securityContext\":"
                             "{\"supplementalGroups\":[3000,4000,5000]}}}";
        QTest::newRow("repeated int64 may be packed")
            << envelope("v1", "Pod", ld(2, ld(14, packed + vint(4, 5000)))) << parse(groups);
        QTest::newRow("repeated int64 may be unpacked")
            << envelope("v1", "Pod", ld(2, ld(14, unpacked + vint(4, 5000)))) << parse(groups);

        QTest::newRow("a negative int32 arrives as a ten-byte varint")
            << envelope("v1", "Pod", ld(2, vint(25, -5)))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"priority\":-5}}");
        QTest::newRow("int64 keeps all 64 bits")
            << envelope("v1", "Pod", ld(2, vint(4, 9007199254740993)))
            << QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                           {QStringLiteral("kind"), QStringLiteral("Pod")},
                           {QStringLiteral("spec"),
                            QJsonObject{{QStringLiteral("terminationGracePeriodSeconds"), qint64(9007199254740993)}}}};

        QTest::newRow("the last of two values of a singular field wins")
            << envelope("v1", "Namespace", ld(1, ld(1, "first") + ld(1, "second")))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"second\"}}");
        QTest::newRow("a later empty value clears an omitempty field")
            << envelope("v1", "Namespace", ld(1, ld(1, "first") + ld(1, "")))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{}}");
        QTest::newRow("a repeated map key keeps the last value, a missing value is empty")
            << envelope("v1", "ConfigMap", entry(2, "a", "1") + entry(2, "a", "2") + ld(2, ld(1, "b")))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"a\":\"2\",\"b\":\"\"}}");
        QTest::newRow("a Quantity map entry without a value is zero")
            << envelope("v1", "ResourceQuota", ld(2, ld(1, ld(1, "pods"))))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"spec\":{\"hard\":{\"pods\":\"0\"}}}");
        QTest::newRow("unknown fields of every wire type are skipped")
            << envelope("v1", "Namespace",
                        vint(90, 1) + key(91, 1) + QByteArray(8, 'x') + ld(92, "skip me") + key(93, 5) +
                            QByteArray(4, 'y') + meta("ns"))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}");
        QTest::newRow("unknown fields inside the envelope are skipped")
            << QByteArray(QByteArrayLiteral("k8s\x00") + vint(9, 1) +
                          ld(1, ld(1, "v1") + ld(2, "Namespace") + vint(7, 0)) + ld(2, meta("ns")))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}");
        QTest::newRow("IntOrString of type string is a string")
            << envelope("v1", "Service", ld(2, ld(1, vint(3, 80) + ld(4, vint(1, 1) + vint(2, 0) + ld(3, "http")))))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"spec\":{\"ports\":[{\"port\":80,"
                     "\"targetPort\":\"http\"}]}}");
        QTest::newRow("Time nanos are dropped, a non-empty epoch time is not null")
            << envelope("v1", "Namespace", ld(1, ld(8, vint(1, 0) + vint(2, 0)) + ld(9, vint(1, 1) + vint(2, 999))))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"creationTimestamp\":"
                     "\"1970-01-01T00:00:00Z\",\"deletionTimestamp\":\"1970-01-01T00:00:01Z\"}}");
        QTest::newRow("the first second of year 1 prints with four year digits")
            << envelope("v1", "Namespace", ld(1, ld(8, vint(1, -62135596800))))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"creationTimestamp\":"
                     "\"0001-01-01T00:00:00Z\"}}");
        QTest::newRow("MicroTime normalises nanos beyond a second and truncates to microseconds")
            << envelope("coordination.k8s.io/v1", "Lease", ld(2, ld(4, vint(1, 10) + vint(2, 1999999999))))
            << parse("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"spec\":{\"renewTime\":"
                     "\"1970-01-01T00:00:11.999999Z\"}}");
        QTest::newRow("managedFields embed fieldsV1 as JSON")
            << envelope("v1", "ConfigMap",
                        ld(1, ld(1, "cm") +
                                  ld(17, ld(1, "kubectl") + ld(2, "Update") + ld(3, "v1") + ld(4, vint(1, 1718454645)) +
                                             ld(6, "FieldsV1") + ld(7, ld(1, "{\"f:data\":{\".\":{}}}")))))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"managedFields\":"
                     "[{\"manager\":\"kubectl\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":"
                     "\"2024-06-15T12:30:45Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{}}}}]}}");
        QTest::newRow("volume sources and probe handlers are inlined")
            << envelope("v1", "Pod",
                        ld(2, ld(1, ld(1, "data") + ld(2, ld(10, ld(1, "claim") + vint(2, 1)))) +
                                  ld(2, ld(1, "c") + ld(22, ld(1, ld(1, ld(1, "true"))) + vint(4, 3)))))
            << parse(
                   "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"volumes\":[{\"name\":\"data\","
                   "\"persistentVolumeClaim\":{\"claimName\":\"claim\",\"readOnly\":true}}],\"containers\":[{\"name\":"
                   "\"c\",\"startupProbe\":{\"exec\":{\"command\":[\"true\"]},\"periodSeconds\":3}}]}}");
        QTest::newRow("DeleteOptions are accepted in any group version")
            << envelope("apps/v1", "DeleteOptions", ld(5, "All"))
            << parse("{\"apiVersion\":\"apps/v1\",\"kind\":\"DeleteOptions\",\"dryRun\":[\"All\"]}");
        QTest::newRow("DeleteOptions of meta.k8s.io/v1")
            << envelope("meta.k8s.io/v1", "DeleteOptions", vint(1, 0) + vint(3, 1))
            << parse("{\"apiVersion\":\"meta.k8s.io/v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0,"
                     "\"orphanDependents\":true}");
        QTest::newRow("an envelope without raw is just apiVersion and kind")
            << QByteArray(QByteArrayLiteral("k8s\x00") + ld(1, ld(1, "v1") + ld(2, "Namespace")))
            << parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}");
    }

    void semantics()
    {
        QFETCH(QByteArray, body);
        QFETCH(QJsonObject, expected);
        const auto decoded = pb::decodeObject(body);
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : qPrintable(decoded.error().message()));
        if (*decoded != expected) {
            qWarning().noquote() << "decoded: " << compact(*decoded);
            qWarning().noquote() << "expected:" << compact(expected);
        }
        QCOMPARE(*decoded, expected);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("category");
        QTest::addColumn<QString>("message");
        const int bad = int(ErrorCategory::BadRequest);
        const int unsupported = int(ErrorCategory::UnsupportedMediaType);
        const QByteArray magic = QByteArrayLiteral("k8s\x00");

        QTest::newRow("empty body") << QByteArray() << bad
                                    << QStringLiteral("does not start with the Kubernetes protobuf magic");
        QTest::newRow("JSON body") << QByteArrayLiteral("{\"kind\":\"Pod\"}") << bad
                                   << QStringLiteral("does not start with the Kubernetes protobuf magic");
        QTest::newRow("wrong magic") << QByteArray(QByteArrayLiteral("k8s\x01") + ld(1, ld(2, "Pod"))) << bad
                                     << QStringLiteral("magic");
        QTest::newRow("the bare magic has no kind") << magic << bad << QStringLiteral("Object 'Kind' is missing");
        QTest::newRow("typeMeta without kind")
            << QByteArray(magic + ld(1, ld(1, "v1"))) << bad << QStringLiteral("Object 'Kind' is missing");
        QTest::newRow("truncated varint in the envelope")
            << QByteArray(magic + '\x80') << bad << QStringLiteral("runtime.Unknown: truncated varint");
        QTest::newRow("huge declared length of raw")
            << QByteArray(magic + key(2, 2) + varint(0xffffffffull)) << bad
            << QStringLiteral("raw: length 4294967295 exceeds the 0 bytes left");
        QTest::newRow("huge 64-bit declared length")
            << QByteArray(magic + key(2, 2) + varint(0xffffffffffffffffull)) << bad
            << QStringLiteral("raw: length 18446744073709551615 exceeds");
        QTest::newRow("varint longer than 64 bits")
            << QByteArray(magic + QByteArray(10, '\xff') + '\x01') << bad << QStringLiteral("varint overflows 64 bits");
        QTest::newRow("field number zero")
            << QByteArray(magic + '\x02' + '\x00') << bad << QStringLiteral("invalid field number 0");
        QTest::newRow("typeMeta with the wrong wire type")
            << QByteArray(magic + vint(1, 5)) << bad << QStringLiteral("typeMeta: wrong wire type: varint");
        QTest::newRow("kind with the wrong wire type")
            << QByteArray(magic + ld(1, vint(2, 5))) << bad << QStringLiteral("typeMeta.kind: wrong wire type");
        QTest::newRow("a group in an unknown field of the object")
            << envelope("v1", "Namespace", meta("x") + key(99, 3) + key(99, 4)) << bad
            << QStringLiteral("malformed protobuf body of v1 Namespace: field 99: groups are not supported");
        QTest::newRow("wire type 7") << envelope("v1", "Namespace", key(99, 7)) << bad
                                     << QStringLiteral("field 99: invalid wire type 7");
        QTest::newRow("a string field sent as a varint names its path")
            << envelope("v1", "Namespace", ld(1, vint(1, 5))) << bad
            << QStringLiteral("metadata.name: wrong wire type: varint, expected length-delimited");
        QTest::newRow("a nested length overrunning its parent names the list index")
            << envelope("v1", "Service", ld(2, ld(1, vint(3, 80)) + ld(1, vint(3, 81) + key(4, 2) + varint(50)))) << bad
            << QStringLiteral("spec.ports[1].targetPort: length 50 exceeds the 0 bytes left");
        QTest::newRow("a truncated varint deep inside a pod")
            << envelope("v1", "Pod", ld(2, ld(2, ld(1, "c") + ld(6, key(3, 0) + '\x80')))) << bad
            << QStringLiteral("spec.containers[0].ports[0].containerPort: truncated varint");
        QTest::newRow("an impossible IntOrString type")
            << envelope("v1", "Service", ld(2, ld(1, ld(4, vint(1, 2))))) << bad
            << QStringLiteral("spec.ports[0].targetPort: impossible IntOrString type 2");
        QTest::newRow("a malformed quantity names the map key")
            << envelope("v1", "ResourceQuota", ld(2, entry(1, "cpu", ld(1, "lots")))) << bad
            << QStringLiteral("spec.hard[cpu]: quantities must match the regular expression");
        QTest::newRow("an empty quantity string is malformed")
            << envelope("v1", "Pod", ld(2, ld(1, ld(1, "v") + ld(2, ld(2, ld(2, ld(1, ""))))))) << bad
            << QStringLiteral("spec.volumes[0].emptyDir.sizeLimit: quantities must match");
        QTest::newRow("a time after the year 9999")
            << envelope("v1", "Namespace", ld(1, ld(8, vint(1, 253402300800)))) << bad
            << QStringLiteral("metadata.creationTimestamp: time 253402300800 is outside the years 0001 to 9999");
        QTest::newRow("a truncated packed list")
            << envelope("v1", "Pod", ld(2, ld(14, ld(4, QByteArray("\x81"))))) << bad
            << QStringLiteral("spec.securityContext.supplementalGroups[0]: truncated varint in a packed list");
        QTest::newRow("a packed encoding for a singular field")
            << envelope("v1", "Pod", ld(2, ld(4, varint(1)))) << bad
            << QStringLiteral("spec.terminationGracePeriodSeconds: wrong wire type: length-delimited, expected varint");
        QTest::newRow("fieldsV1 that is not JSON")
            << envelope("v1", "ConfigMap", ld(1, ld(17, ld(7, ld(1, "{nope"))))) << bad
            << QStringLiteral("metadata.managedFields[0].fieldsV1: fieldsV1 is not a JSON object");
        QTest::newRow("content encoding is not supported")
            << QByteArray(magic + ld(1, ld(1, "v1") + ld(2, "Namespace")) + ld(3, "gzip")) << unsupported
            << QStringLiteral("content encoding \"gzip\" is not supported");
        QTest::newRow("unknown kind names its apiVersion and kind")
            << envelope("apps/v1", "Deployment", meta("web")) << unsupported
            << QStringLiteral("the protobuf encoding of apps/v1 Deployment is not supported by this server; send it "
                              "as application/json or application/yaml");
        QTest::newRow("events.k8s.io Event is not core/v1 Event")
            << envelope("events.k8s.io/v1", "Event", meta("e")) << unsupported
            << QStringLiteral("events.k8s.io/v1 Event is not supported");
        QTest::newRow("a known kind in the wrong group version")
            << envelope("v1", "Lease", meta("l")) << unsupported << QStringLiteral("v1 Lease is not supported");
    }

    void malformed()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, category);
        QFETCH(QString, message);
        const auto decoded = pb::decodeObject(body);
        QVERIFY2(!decoded.ok(), qPrintable(decoded.ok() ? compact(*decoded) : QString()));
        QVERIFY2(decoded.error().message().contains(message), qPrintable(decoded.error().message()));
        QCOMPARE(int(decoded.error().category()), category);
    }

    void valueCountIsBounded()
    {
        // 300000 empty finalizers are 600 kB of input; without the cap they would become 300000 JSON strings.
        QByteArray finalizers;
        const QByteArray one = ld(14, "");
        for (int i = 0; i < 300000; ++i)
            finalizers += one;
        const auto decoded = pb::decodeObject(envelope("v1", "Namespace", ld(1, finalizers)));
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().category(), ErrorCategory::BadRequest);
        QVERIFY2(
            decoded.error().message().contains(QStringLiteral("metadata.finalizers[262143]: more than 262144 values")),
            qPrintable(decoded.error().message()));

        // Below the cap the same shape decodes.
        QByteArray some;
        for (int i = 0; i < 1000; ++i)
            some += one;
        const auto fine = pb::decodeObject(envelope("v1", "Namespace", ld(1, some)));
        QVERIFY(fine.ok());
        QCOMPARE(
            fine->value(QStringLiteral("metadata")).toObject().value(QStringLiteral("finalizers")).toArray().size(),
            1000);
    }

    void everyPrefixOfEveryFixtureFailsCleanly()
    {
        const QStringList files = QDir(fixtureDir()).entryList({QStringLiteral("*.bin")}, QDir::Files, QDir::Name);
        QVERIFY(!files.isEmpty());
        int failures = 0;
        for (const QString& file : files) {
            const QByteArray body = readFile(fixtureDir() + file);
            QVERIFY(!body.isEmpty());
            for (qsizetype length = 0; length < body.size(); ++length) {
                const auto decoded = pb::decodeObject(body.left(length));
                if (decoded.ok())
                    continue; // cut exactly between envelope fields: still a valid (shorter) body
                ++failures;
                QVERIFY2(decoded.error().category() == ErrorCategory::BadRequest,
                         qPrintable(file + QStringLiteral(" cut at %1: ").arg(length) + decoded.error().message()));
                QVERIFY(!decoded.error().message().isEmpty());
            }
            // Cutting inside raw can never yield an object: raw's length no longer fits.
            QVERIFY2(!pb::decodeObject(body.left(body.size() - 5)).ok(), qPrintable(file));
        }
        QVERIFY(failures > 1000);
    }

    void everySingleByteMutationIsHandled()
    {
        // A deterministic stand-in for a fuzzer: every byte of every fixture replaced by a few interesting values.
        // Each result must be an object or an error; under ASan/UBSan this also checks for memory errors.
        const QStringList files = QDir(fixtureDir()).entryList({QStringLiteral("*.bin")}, QDir::Files, QDir::Name);
        const char replacements[] = {'\x00', '\x7f', '\x80', '\xff', '\x0b', '\x0f'};
        int errors = 0;
        int objects = 0;
        for (const QString& file : files) {
            const QByteArray body = readFile(fixtureDir() + file);
            for (qsizetype i = 0; i < body.size(); ++i) {
                for (const char replacement : replacements) {
                    QByteArray mutated = body;
                    mutated[i] = replacement;
                    const auto decoded = pb::decodeObject(mutated);
                    if (decoded.ok()) {
                        ++objects;
                        QVERIFY(decoded->contains(QStringLiteral("kind")));
                    } else {
                        ++errors;
                        QVERIFY(!decoded.error().message().isEmpty());
                    }
                }
            }
        }
        QVERIFY(errors > 0);
        QVERIFY(objects > 0);
    }

    void supportedKinds()
    {
        const QStringList kinds = pb::supportedKinds();
        for (const char* kind : {"v1/Namespace", "v1/ConfigMap", "v1/Secret", "v1/ServiceAccount", "v1/Service",
                                 "v1/Pod", "v1/Event", "v1/Binding", "v1/ResourceQuota", "coordination.k8s.io/v1/Lease",
                                 "policy/v1/Eviction", "*/DeleteOptions"}) {
            QVERIFY2(kinds.contains(QLatin1String(kind)), kind);
        }
    }
};

QTEST_GUILESS_MAIN(ProtobufTest)
#include "tst_protobuf.moc"
