// SPDX-License-Identifier: Apache-2.0
// The review kinds answered without HTTP: request bodies (as kubectl or a kubelet sends them) against the policy in
// tests/data/sandbox/rbac-policy.json, and the status or kube's 422 they get.
#include "sandbox/RbacAuthorizer.h"
#include "sandbox/Reviews.h"
#include "sandbox/TokenAuthority.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
using namespace vk::sandbox;

namespace {

QJsonObject policy()
{
    QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/rbac-policy.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

RbacAuthorizer::Lister lister()
{
    const QJsonObject objects = policy();
    return [objects](const QString& resource, const QString& ns) {
        QList<QJsonObject> out;
        for (const auto& v : objects.value(resource).toArray()) {
            if (v.toObject().value(QLatin1String("metadata")).toObject().value(QLatin1String("namespace")).toString() ==
                ns)
                out.append(v.toObject());
        }
        return out;
    };
}

QJsonObject parse(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TstReviews : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    TokenAuthority m_tokens{&m_clock};
    RbacAuthorizer m_rbac{lister()};

private Q_SLOTS:
    void accessReviews_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("requestNamespace");
        QTest::addColumn<QString>("expectedStatus"); // compact JSON of status, or "422: <message>"

        QTest::newRow("a kubelet's SubjectAccessReview for a group bound to system:kubelet-api-admin is allowed")
            << QByteArray("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{"
                          "\"user\":\"carol\",\"groups\":[\"ops\"],\"resourceAttributes\":{\"verb\":\"get\","
                          "\"version\":\"v1\",\"resource\":\"nodes\",\"subresource\":\"proxy\",\"name\":\"n1\"}}}")
            << QString()
            << QStringLiteral("{\"allowed\":true,\"reason\":\"RBAC: allowed by ClusterRoleBinding \\\"ops-kubelet\\\" "
                              "of ClusterRole \\\"system:kubelet-api-admin\\\" to Group \\\"ops\\\"\"}");
        QTest::newRow("a user without bindings is not allowed, with no reason")
            << QByteArray("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{"
                          "\"user\":\"jane\",\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"nodes\","
                          "\"subresource\":\"stats\",\"name\":\"n1\"}}}")
            << QString() << QStringLiteral("{\"allowed\":false}");
        QTest::newRow("system:masters needs no binding")
            << QByteArray("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{"
                          "\"user\":\"root\",\"groups\":[\"system:masters\"],\"nonResourceAttributes\":{"
                          "\"path\":\"/metrics\",\"verb\":\"get\"}}}")
            << QString() << QStringLiteral("{\"allowed\":true}");
        QTest::newRow("a self review is about the requester (alice), not spec.user")
            << QByteArray("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{"
                          "\"user\":\"nobody\",\"resourceAttributes\":{\"namespace\":\"x\",\"verb\":\"list\","
                          "\"resource\":\"pods\"}}}")
            << QString()
            << QStringLiteral("{\"allowed\":true,\"reason\":\"RBAC: allowed by ClusterRoleBinding \\\"alice-pods\\\" "
                              "of ClusterRole \\\"pod-reader\\\" to User \\\"alice\\\"\"}");
        QTest::newRow("neither resource nor non-resource attributes: 422")
            << QByteArray("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{"
                          "\"user\":\"jane\"}}")
            << QString()
            << QStringLiteral("422: SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: "
                              "Required value: exactly one of nonResourceAttributes or resourceAttributes must be "
                              "specified");
        QTest::newRow("no user and no group: 422")
            << QByteArray("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{"
                          "\"nonResourceAttributes\":{\"path\":\"/healthz\",\"verb\":\"get\"}}}")
            << QString()
            << QStringLiteral(
                   "422: SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.user: Invalid value: "
                   "\"\": at least one of user or group must be specified");
        QTest::newRow("a local review must name the URL's namespace")
            << QByteArray("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"LocalSubjectAccessReview\",\"spec\":"
                          "{\"user\":\"cm-one\",\"resourceAttributes\":{\"namespace\":\"other\",\"verb\":\"get\","
                          "\"resource\":\"configmaps\",\"name\":\"one\"}}}")
            << QStringLiteral("default")
            << QStringLiteral("422: LocalSubjectAccessReview.authorization.k8s.io \"\" is invalid: "
                              "spec.resourceAttributes.namespace: Invalid value: \"other\": must match "
                              "metadata.namespace");
    }

    void accessReviews()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, requestNamespace);
        QFETCH(QString, expectedStatus);
        UserInfo alice{QStringLiteral("alice"), {QStringLiteral("system:authenticated")}, {}, {}};
        auto answered = ReviewAnswerer(m_tokens, m_rbac).answer(parse(body), alice, requestNamespace);
        if (expectedStatus.startsWith(QLatin1String("422: "))) {
            QVERIFY(!answered.ok());
            QCOMPARE(answered.error().httpCode(), 422);
            QCOMPARE(answered.error().message(), expectedStatus.mid(5));
            return;
        }
        QVERIFY2(answered.ok(), qPrintable(answered.ok() ? QString() : answered.error().message()));
        QCOMPARE(QString::fromUtf8(
                     QJsonDocument(answered->value(QLatin1String("status")).toObject()).toJson(QJsonDocument::Compact)),
                 expectedStatus);
        QCOMPARE(answered->value(QLatin1String("spec")).toObject(),
                 parse(body).value(QLatin1String("spec")).toObject());
    }

    void tokenReview()
    {
        auto issued = m_tokens.issue(QStringLiteral("default"), QStringLiteral("robot"), QStringLiteral("u1"), {}, 0);
        QVERIFY(issued.ok());
        const QJsonObject review{{QStringLiteral("apiVersion"), QStringLiteral("authentication.k8s.io/v1")},
                                 {QStringLiteral("kind"), QStringLiteral("TokenReview")},
                                 {QStringLiteral("spec"), QJsonObject{{QStringLiteral("token"), issued->token}}}};
        auto answered = ReviewAnswerer(m_tokens, m_rbac).answer(review, {}, {});
        QVERIFY(answered.ok());
        const QJsonObject status = answered->value(QLatin1String("status")).toObject();
        QCOMPARE(status.value(QLatin1String("authenticated")).toBool(), true);
        QCOMPARE(status.value(QLatin1String("user")).toObject().value(QLatin1String("username")).toString(),
                 QStringLiteral("system:serviceaccount:default:robot"));
        QCOMPARE(status.value(QLatin1String("audiences")).toArray(), QJsonArray{TokenAuthority::defaultAudience()});

        QJsonObject bad = review;
        bad.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("token"), QStringLiteral("x.y.z")}});
        const QJsonObject denied =
            ReviewAnswerer(m_tokens, m_rbac).answer(bad, {}, {})->value(QLatin1String("status")).toObject();
        QCOMPARE(denied.value(QLatin1String("authenticated")).toBool(), false);
        QCOMPARE(denied.value(QLatin1String("error")).toString(),
                 QStringLiteral("[invalid bearer token, token lookup failed]"));
    }

    void rulesReview()
    {
        const QJsonObject review{
            {QStringLiteral("apiVersion"), QStringLiteral("authorization.k8s.io/v1")},
            {QStringLiteral("kind"), QStringLiteral("SelfSubjectRulesReview")},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("namespace"), QStringLiteral("x")}}}};
        UserInfo nobody{QStringLiteral("nobody"), {QStringLiteral("system:authenticated")}, {}, {}};
        auto answered = ReviewAnswerer(m_tokens, m_rbac).answer(review, nobody, {});
        QVERIFY(answered.ok());
        const QJsonObject status = answered->value(QLatin1String("status")).toObject();
        QCOMPARE(status.value(QLatin1String("resourceRules")).toArray().size(), 0);
        QCOMPARE(status.value(QLatin1String("nonResourceRules")).toArray().size(), 1); // system:discovery
        QCOMPARE(status.value(QLatin1String("incomplete")).toBool(), false);

        UserInfo ghost{QStringLiteral("ghost"), {}, {}, {}};
        const QJsonObject incomplete =
            ReviewAnswerer(m_tokens, m_rbac).answer(review, ghost, {})->value(QLatin1String("status")).toObject();
        QCOMPARE(incomplete.value(QLatin1String("incomplete")).toBool(), true);
        QCOMPARE(incomplete.value(QLatin1String("evaluationError")).toString(),
                 QStringLiteral("clusterrole.rbac.authorization.k8s.io \"does-not-exist\" not found"));
    }
};

QTEST_GUILESS_MAIN(TstReviews)
#include "tst_reviews.moc"
