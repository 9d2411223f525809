// SPDX-License-Identifier: Apache-2.0
// RbacAuthorizer against a fixed policy: each row is one request and the decision kube's RBAC authorizer makes.
#include "sandbox/RbacAuthorizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using vk::sandbox::AccessAttributes;
using vk::sandbox::RbacAuthorizer;

namespace {

QJsonObject policy()
{
    QFile file(qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/sandbox/rbac-policy.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

RbacAuthorizer::Lister listerFor(const QJsonObject& objects)
{
    return [objects](const QString& resource, const QString& ns) {
        QList<QJsonObject> out;
        for (const auto& v : objects.value(resource).toArray()) {
            const QJsonObject object = v.toObject();
            if (object.value(QLatin1String("metadata")).toObject().value(QLatin1String("namespace")).toString() == ns)
                out.append(object);
        }
        return out;
    };
}

} // namespace

class TstRbacAuthorizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decisions_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QStringList>("groups");
        QTest::addColumn<QString>("verb");
        QTest::addColumn<QString>("ns");
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("resource"); // "pods" or "pods/log"; a leading '/' makes it a non-resource path
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("reason");

        const QStringList none;
        const QStringList authenticated{QStringLiteral("system:authenticated")};
        const auto s = [](const char* text) { return QString::fromLatin1(text); };

        QTest::newRow("system:masters is allowed everything, without a reason")
            << s("root") << QStringList{s("system:masters")} << s("delete") << s("kube-system") << s("apps")
            << s("deployments") << s("x") << true << QString();
        QTest::newRow("a user without bindings is denied with no reason")
            << s("nobody") << authenticated << s("get") << s("default") << QString() << s("pods") << QString() << false
            << QString();
        QTest::newRow("a cluster role binding to a user allows its rule in every namespace")
            << s("alice") << none << s("list") << s("team-a") << QString() << s("pods") << QString() << true
            << s("RBAC: allowed by ClusterRoleBinding \"alice-pods\" of ClusterRole \"pod-reader\" to User \"alice\"");
        QTest::newRow("a verb the rule does not list is denied")
            << s("alice") << none << s("delete") << s("default") << QString() << s("pods") << QString() << false
            << QString();
        QTest::newRow("a resource in another API group is denied")
            << s("alice") << none << s("list") << s("default") << s("apps") << s("pods") << QString() << false
            << QString();
        QTest::newRow("a subresource needs its own resource entry")
            << s("alice") << none << s("get") << s("default") << QString() << s("pods/log") << s("p") << false
            << QString();
        QTest::newRow("resource/subresource entries match the subresource")
            << s("logger") << none << s("get") << s("default") << QString() << s("pods/log") << s("p") << true
            << s("RBAC: allowed by ClusterRoleBinding \"logger\" of ClusterRole \"log-reader\" to User \"logger\"");
        QTest::newRow("*/subresource matches that subresource of any resource")
            << s("scaler") << none << s("update") << s("default") << s("apps") << s("deployments/scale") << s("d")
            << true
            << s("RBAC: allowed by ClusterRoleBinding \"scaler\" of ClusterRole \"any-scale\" to User \"scaler\"");
        QTest::newRow("*/subresource does not match the parent resource")
            << s("scaler") << none << s("update") << s("default") << s("apps") << s("deployments") << s("d") << false
            << QString();
        QTest::newRow("resourceNames restrict to the named objects")
            << s("cm-one") << none << s("get") << s("default") << QString() << s("configmaps") << s("one") << true
            << s("RBAC: allowed by RoleBinding \"cm-one/default\" of Role \"only-one\" to User \"cm-one\"");
        QTest::newRow("resourceNames deny other names") << s("cm-one") << none << s("get") << s("default") << QString()
                                                        << s("configmaps") << s("two") << false << QString();
        QTest::newRow("resourceNames deny a list (no name)")
            << s("cm-one") << none << s("list") << s("default") << QString() << s("configmaps") << QString() << false
            << QString();
        QTest::newRow("a role binding applies only in its namespace")
            << s("cm-one") << none << s("get") << s("other") << QString() << s("configmaps") << s("one") << false
            << QString();
        QTest::newRow("a role binding may reference a cluster role, limited to its namespace")
            << s("bob") << none << s("list") << s("team-b") << QString() << s("pods") << QString() << true
            << s("RBAC: allowed by RoleBinding \"bob-pods/team-b\" of ClusterRole \"pod-reader\" to User \"bob\"");
        QTest::newRow("that role binding gives nothing cluster-wide")
            << s("bob") << none << s("list") << QString() << QString() << s("pods") << QString() << false << QString();
        QTest::newRow("group subjects match the user's groups")
            << s("carol") << QStringList{s("ops")} << s("get") << QString() << QString() << s("nodes/proxy") << s("n1")
            << true
            << s("RBAC: allowed by ClusterRoleBinding \"ops-kubelet\" of ClusterRole \"system:kubelet-api-admin\" to "
                 "Group \"ops\"");
        QTest::newRow("a service account subject matches system:serviceaccount:<ns>:<name>")
            << s("system:serviceaccount:default:robot")
            << QStringList{s("system:serviceaccounts"), s("system:serviceaccounts:default"), s("system:authenticated")}
            << s("get") << QString() << QString() << s("nodes/stats") << s("n1") << true
            << s("RBAC: allowed by ClusterRoleBinding \"robot-kubelet\" of ClusterRole \"system:kubelet-api-admin\" "
                 "to ServiceAccount \"robot/default\"");
        QTest::newRow("the same account name in another namespace does not match")
            << s("system:serviceaccount:other:robot") << authenticated << s("get") << QString() << QString()
            << s("nodes/stats") << s("n1") << false << QString();
        QTest::newRow("a role binding's service account without namespace defaults to the binding's")
            << s("system:serviceaccount:team-b:builder") << authenticated << s("create") << s("team-b") << QString()
            << s("pods") << QString() << true
            << s("RBAC: allowed by RoleBinding \"builder/team-b\" of Role \"pod-creator\" to ServiceAccount "
                 "\"builder/team-b\"");
        QTest::newRow("nonResourceURLs match exactly")
            << s("nobody") << authenticated << s("get") << QString() << QString() << s("/healthz") << QString() << true
            << s("RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to "
                 "Group \"system:authenticated\"");
        QTest::newRow("nonResourceURLs ending in * match the prefix")
            << s("nobody") << authenticated << s("get") << QString() << QString() << s("/apis/apps/v1") << QString()
            << true
            << s("RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to "
                 "Group \"system:authenticated\"");
        QTest::newRow("nonResourceURLs do not match other paths")
            << s("nobody") << authenticated << s("get") << QString() << QString() << s("/metrics") << QString() << false
            << QString();
        QTest::newRow("nonResourceURLs check the verb")
            << s("nobody") << authenticated << s("post") << QString() << QString() << s("/healthz") << QString()
            << false << QString();
        QTest::newRow("wildcards in verbs, groups and resources allow everything")
            << s("admin") << none << s("deletecollection") << s("x") << s("batch") << s("jobs") << QString() << true
            << s("RBAC: allowed by ClusterRoleBinding \"admin-all\" of ClusterRole \"cluster-admin\" to User "
                 "\"admin\"");
        QTest::newRow("a binding to a missing role denies, naming it")
            << s("ghost") << none << s("get") << QString() << QString() << s("nodes") << s("n") << false
            << s("RBAC: clusterrole.rbac.authorization.k8s.io \"does-not-exist\" not found");
    }

    void decisions()
    {
        QFETCH(QString, user);
        QFETCH(QStringList, groups);
        QFETCH(QString, verb);
        QFETCH(QString, ns);
        QFETCH(QString, group);
        QFETCH(QString, resource);
        QFETCH(QString, name);
        QFETCH(bool, allowed);
        QFETCH(QString, reason);

        AccessAttributes a;
        a.user = user;
        a.groups = groups;
        a.verb = verb;
        if (resource.startsWith(QLatin1Char('/'))) {
            a.resourceRequest = false;
            a.path = resource;
        } else {
            a.namespaceName = ns;
            a.apiGroup = group;
            a.resource = resource.section(QLatin1Char('/'), 0, 0);
            a.subresource = resource.section(QLatin1Char('/'), 1);
            a.name = name;
        }
        const RbacAuthorizer authorizer(listerFor(policy()));
        const auto decision = authorizer.authorize(a);
        QCOMPARE(decision.allowed, allowed);
        QCOMPARE(decision.reason, reason);
    }

    void rulesForListsWhatApplies()
    {
        const RbacAuthorizer authorizer(listerFor(policy()));
        // bob: only through the team-b role binding to pod-reader.
        QCOMPARE(authorizer.rulesFor(QStringLiteral("bob"), {}, QStringLiteral("default")).size(), 0);
        const auto rules = authorizer.rulesFor(QStringLiteral("bob"), {}, QStringLiteral("team-b"));
        QCOMPARE(rules.size(), 1);
        QCOMPARE(rules.first().value(QLatin1String("resources")).toArray(), QJsonArray{QStringLiteral("pods")});
        // ghost's binding points at a missing role: reported, no rules.
        QStringList errors;
        QVERIFY(authorizer.rulesFor(QStringLiteral("ghost"), {}, {}, &errors).isEmpty());
        QCOMPARE(errors,
                 QStringList{QStringLiteral("clusterrole.rbac.authorization.k8s.io \"does-not-exist\" not found")});
    }
};

QTEST_GUILESS_MAIN(TstRbacAuthorizer)
#include "tst_rbacauthorizer.moc"
