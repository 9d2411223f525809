// SPDX-License-Identifier: Apache-2.0
// The protobuf bodies kubectl's typed clients send for the authentication and authorization kinds, built here
// field by field with the numbers of k8s.io/api's generated.proto, decoded to the JSON the JSON API would get.
#include "sandbox/AuthProtobuf.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using vk::sandbox::authprotobuf::decodeObject;

namespace {

QByteArray varint(quint64 value)
{
    QByteArray out;
    do {
        quint8 byte = value & 0x7f;
        value >>= 7;
        if (value)
            byte |= 0x80;
        out.append(char(byte));
    } while (value);
    return out;
}

QByteArray bytesField(quint32 number, const QByteArray& value)
{
    return varint(quint64(number) << 3 | 2) + varint(quint64(value.size())) + value;
}

QByteArray intField(quint32 number, quint64 value)
{
    return varint(quint64(number) << 3) + varint(value);
}

QByteArray envelope(const QByteArray& apiVersion, const QByteArray& kind, const QByteArray& raw)
{
    const QByteArray typeMeta = bytesField(1, apiVersion) + bytesField(2, kind);
    return QByteArray("k8s\0", 4) + bytesField(1, typeMeta) + bytesField(2, raw) + bytesField(3, {}) +
           bytesField(4, {});
}

QByteArray metadata(const QByteArray& name, const QByteArray& ns = {})
{
    QByteArray meta = bytesField(1, name);
    if (!ns.isEmpty())
        meta += bytesField(3, ns);
    // labels {"a": "b"}
    meta += bytesField(11, bytesField(1, "a") + bytesField(2, "b"));
    return bytesField(1, meta);
}

QJsonObject parse(const char* json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TstAuthProtobuf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QJsonObject>("expected");

        const QByteArray subjectUser =
            bytesField(1, "User") + bytesField(2, "rbac.authorization.k8s.io") + bytesField(3, "bob");
        const QByteArray subjectSa =
            bytesField(1, "ServiceAccount") + bytesField(2, "") + bytesField(3, "default") + bytesField(4, "default");
        const QByteArray roleRef =
            bytesField(1, "rbac.authorization.k8s.io") + bytesField(2, "ClusterRole") + bytesField(3, "view");
        QTest::newRow("kubectl create clusterrolebinding: subjects in order, empty apiGroup left out")
            << envelope("rbac.authorization.k8s.io/v1", "ClusterRoleBinding",
                        metadata("b") + bytesField(2, subjectUser) + bytesField(2, subjectSa) + bytesField(3, roleRef))
            << parse("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\","
                     "\"metadata\":{\"name\":\"b\",\"labels\":{\"a\":\"b\"}},"
                     "\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"bob\"},"
                     "{\"kind\":\"ServiceAccount\",\"name\":\"default\",\"namespace\":\"default\"}],"
                     "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\","
                     "\"name\":\"view\"}}");

        const QByteArray rule = bytesField(1, "get") + bytesField(1, "list") + bytesField(2, "") +
                                bytesField(3, "pods") + bytesField(3, "pods/log") + bytesField(4, "p1");
        QTest::newRow("kubectl create role: repeated strings keep empty entries (the core group)")
            << envelope("rbac.authorization.k8s.io/v1", "Role", metadata("r", "default") + bytesField(2, rule))
            << parse("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\","
                     "\"metadata\":{\"name\":\"r\",\"namespace\":\"default\",\"labels\":{\"a\":\"b\"}},"
                     "\"rules\":[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],"
                     "\"resources\":[\"pods\",\"pods/log\"],\"resourceNames\":[\"p1\"]}]}");

        QTest::newRow("kubectl create token --duration: audiences and expirationSeconds")
            << envelope("authentication.k8s.io/v1", "TokenRequest",
                        metadata("default", "default") + bytesField(2, bytesField(1, "api") + intField(4, 1200)))
            << parse("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                     "\"metadata\":{\"name\":\"default\",\"namespace\":\"default\",\"labels\":{\"a\":\"b\"}},"
                     "\"spec\":{\"audiences\":[\"api\"],\"expirationSeconds\":1200}}");

        const QByteArray attributes = bytesField(1, "default") + bytesField(2, "list") + bytesField(5, "pods");
        QTest::newRow("kubectl auth can-i: SelfSubjectAccessReview resourceAttributes")
            << envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview",
                        bytesField(1, {}) + bytesField(2, bytesField(1, attributes)))
            << parse("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                     "\"metadata\":{},\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"list\","
                     "\"resource\":\"pods\"}}}");

        QTest::newRow("SubjectAccessReview: groups and extra (map of string lists)")
            << envelope("authorization.k8s.io/v1", "SubjectAccessReview",
                        bytesField(2, bytesField(2, bytesField(1, "/healthz") + bytesField(2, "get")) +
                                          bytesField(3, "jane") + bytesField(4, "devs") +
                                          bytesField(5, bytesField(1, "scopes") +
                                                            bytesField(2, bytesField(1, "x") + bytesField(1, "y")))))
            << parse("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                     "\"spec\":{\"nonResourceAttributes\":{\"path\":\"/healthz\",\"verb\":\"get\"},\"user\":\"jane\","
                     "\"groups\":[\"devs\"],\"extra\":{\"scopes\":[\"x\",\"y\"]}}}");

        const QByteArray condition = bytesField(1, "Approved") + bytesField(6, "True") +
                                     bytesField(2, "KubectlApprove") +
                                     bytesField(4, intField(1, 1700000000)); // lastUpdateTime
        QTest::newRow("kubectl certificate approve: the CSR with its conditions, bytes as base64")
            << envelope("certificates.k8s.io/v1", "CertificateSigningRequest",
                        metadata("c") +
                            bytesField(2, bytesField(1, "PEM") + bytesField(7, "kubernetes.io/kubelet-serving") +
                                              intField(8, 3600) + bytesField(5, "server auth")) +
                            bytesField(3, bytesField(1, condition)))
            << parse("{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
                     "\"metadata\":{\"name\":\"c\",\"labels\":{\"a\":\"b\"}},"
                     "\"spec\":{\"request\":\"UEVN\",\"signerName\":\"kubernetes.io/kubelet-serving\","
                     "\"expirationSeconds\":3600,\"usages\":[\"server auth\"]},"
                     "\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":\"True\","
                     "\"reason\":\"KubectlApprove\",\"lastUpdateTime\":\"2023-11-14T22:13:20Z\"}]}}");
    }

    void decodes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QJsonObject, expected);
        auto decoded = decodeObject(body);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message()));
        QCOMPARE(QJsonDocument(decoded.value()).toJson(QJsonDocument::Compact),
                 QJsonDocument(expected).toJson(QJsonDocument::Compact));
    }

    void errors()
    {
        auto other = decodeObject(envelope("apps/v1", "Deployment", {}));
        QVERIFY(!other.ok());
        QCOMPARE(other.error().category(), vk::ErrorCategory::UnsupportedMediaType);
        QVERIFY(other.error().message().contains(QLatin1String("apps/v1 Deployment")));

        // A length running past the end, inside roleRef.
        QByteArray broken = bytesField(3, varint(3 << 3 | 2) + varint(50) + "x");
        auto bad = decodeObject(envelope("rbac.authorization.k8s.io/v1", "RoleBinding", broken));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().category(), vk::ErrorCategory::BadRequest);
        QVERIFY2(bad.error().message().contains(QLatin1String("roleRef")), qPrintable(bad.error().message()));

        QVERIFY(!decodeObject("{\"kind\":\"Role\"}").ok());
    }
};

QTEST_GUILESS_MAIN(TstAuthProtobuf)
#include "tst_authprotobuf.moc"
