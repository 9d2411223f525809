// SPDX-License-Identifier: Apache-2.0
#include "sandbox/kinds/Kinds.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace vk::sandbox;

namespace {

void collectRefs(const QJsonValue& value, QSet<QString>& out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("$ref"))
                out.insert(it.value().toString());
            else
                collectRefs(it.value(), out);
        }
    } else if (value.isArray()) {
        for (const QJsonValue& item : value.toArray())
            collectRefs(item, out);
    }
}

QJsonObject schemas(const QJsonObject& doc)
{
    return doc.value(QLatin1String("components")).toObject().value(QLatin1String("schemas")).toObject();
}

bool hasGvk(const QJsonValue& extension, const QString& group, const QString& version, const QString& kind)
{
    const auto matches = [&](const QJsonObject& g) {
        return g.value(QLatin1String("group")).toString() == group &&
               g.value(QLatin1String("version")).toString() == version &&
               g.value(QLatin1String("kind")).toString() == kind;
    };
    if (extension.isObject())
        return matches(extension.toObject());
    for (const QJsonValue& g : extension.toArray()) {
        if (matches(g.toObject()))
            return true;
    }
    return false;
}

// What kubectl's QueryParamVerifierV3 and gvkSupportsPatchOpenAPIV3 look for: a PATCH operation tagged with the
// GVK, with a `fieldValidation` query parameter and a strategic-merge-patch request body.
QJsonObject patchOperationFor(const QJsonObject& doc, const QString& group, const QString& version, const QString& kind)
{
    const QJsonObject paths = doc.value(QLatin1String("paths")).toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject patch = it.value().toObject().value(QLatin1String("patch")).toObject();
        if (hasGvk(patch.value(QLatin1String("x-kubernetes-group-version-kind")), group, version, kind))
            return patch;
    }
    return {};
}

bool hasQueryParam(const QJsonObject& operation, const QString& name)
{
    for (const QJsonValue& p : operation.value(QLatin1String("parameters")).toArray()) {
        const QJsonObject param = p.toObject();
        if (param.value(QLatin1String("name")).toString() == name &&
            param.value(QLatin1String("in")).toString() == QLatin1String("query"))
            return true;
    }
    return false;
}

} // namespace

class KindsOpenApiTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void indexListsEveryGroupVersionWithAHashedUrl()
    {
        const QJsonObject paths = openApiV3Index().value(QLatin1String("paths")).toObject();
        for (const QString& path :
             {QStringLiteral("api"), QStringLiteral("apis"), QStringLiteral("api/v1"),
              QStringLiteral("apis/coordination.k8s.io/v1"), QStringLiteral("apis/events.k8s.io/v1")}) {
            QVERIFY2(paths.contains(path), qPrintable(path));
            const QString url = paths.value(path).toObject().value(QLatin1String("serverRelativeURL")).toString();
            static const QRegularExpression shape(QStringLiteral("^/openapi/v3/(.+)\\?hash=([0-9A-F]{128})$"));
            const QRegularExpressionMatch m = shape.match(url);
            QVERIFY2(m.hasMatch(), qPrintable(url));
            QCOMPARE(m.captured(1), path);
            // The hash is the one of the document served at that URL.
            const QJsonObject doc = openApiV3Document(url);
            QVERIFY(!doc.isEmpty());
            QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(QJsonDocument(doc).toJson(QJsonDocument::Compact),
                                                                  QCryptographicHash::Sha512)
                                             .toHex()
                                             .toUpper()),
                     m.captured(2));
        }
        QVERIFY(openApiV3Document(QStringLiteral("apis/apps/v1")).isEmpty());
    }

    void coreDocumentHasThePodSchemaWithItsExtensions()
    {
        const QJsonObject doc = openApiV3Document(QStringLiteral("api/v1"));
        QCOMPARE(doc.value(QLatin1String("openapi")).toString(), QStringLiteral("3.0.0"));
        QCOMPARE(doc.value(QLatin1String("info")).toObject().value(QLatin1String("title")).toString(),
                 QStringLiteral("Kubernetes"));
        const QJsonObject all = schemas(doc);
        const QJsonObject pod = all.value(QLatin1String("io.k8s.api.core.v1.Pod")).toObject();
        QVERIFY(hasGvk(pod.value(QLatin1String("x-kubernetes-group-version-kind")), QString(), QStringLiteral("v1"),
                       QStringLiteral("Pod")));
        const QJsonObject spec =
            pod.value(QLatin1String("properties")).toObject().value(QLatin1String("spec")).toObject();
        QCOMPARE(
            spec.value(QLatin1String("allOf")).toArray().first().toObject().value(QLatin1String("$ref")).toString(),
            QStringLiteral("#/components/schemas/io.k8s.api.core.v1.PodSpec"));
        const QJsonObject containers = all.value(QLatin1String("io.k8s.api.core.v1.PodSpec"))
                                           .toObject()
                                           .value(QLatin1String("properties"))
                                           .toObject()
                                           .value(QLatin1String("containers"))
                                           .toObject();
        QCOMPARE(containers.value(QLatin1String("x-kubernetes-patch-merge-key")).toString(), QStringLiteral("name"));
        QCOMPARE(containers.value(QLatin1String("x-kubernetes-patch-strategy")).toString(), QStringLiteral("merge"));
        QCOMPARE(containers.value(QLatin1String("items")).toObject().value(QLatin1String("$ref")).toString(),
                 QStringLiteral("#/components/schemas/io.k8s.api.core.v1.Container"));
        // Newer fields than the 1.19 source document, which current manifests use.
        const QJsonObject serviceSpec = all.value(QLatin1String("io.k8s.api.core.v1.ServiceSpec"))
                                            .toObject()
                                            .value(QLatin1String("properties"))
                                            .toObject();
        QVERIFY(serviceSpec.contains(QLatin1String("ipFamilies")));
        QVERIFY(serviceSpec.contains(QLatin1String("internalTrafficPolicy")));
        QVERIFY(all.contains(QLatin1String("io.k8s.api.policy.v1.Eviction")));
        QVERIFY(!all.contains(QLatin1String("io.k8s.api.coordination.v1.Lease")));
    }

    void podPatchOperationAcceptsFieldValidationAndStrategicMergePatch()
    {
        const QJsonObject doc = openApiV3Document(QStringLiteral("api/v1"));
        const QJsonObject item = doc.value(QLatin1String("paths"))
                                     .toObject()
                                     .value(QLatin1String("/api/v1/namespaces/{namespace}/pods/{name}"))
                                     .toObject();
        const QJsonObject patch = item.value(QLatin1String("patch")).toObject();
        QCOMPARE(patch.value(QLatin1String("x-kubernetes-action")).toString(), QStringLiteral("patch"));
        QCOMPARE(patch.value(QLatin1String("operationId")).toString(), QStringLiteral("patchCoreV1NamespacedPod"));
        QVERIFY(hasGvk(patch.value(QLatin1String("x-kubernetes-group-version-kind")), QString(), QStringLiteral("v1"),
                       QStringLiteral("Pod")));
        for (const QString& name : {QStringLiteral("dryRun"), QStringLiteral("fieldManager"),
                                    QStringLiteral("fieldValidation"), QStringLiteral("force")})
            QVERIFY2(hasQueryParam(patch, name), qPrintable(name));
        const QJsonObject content =
            patch.value(QLatin1String("requestBody")).toObject().value(QLatin1String("content")).toObject();
        QCOMPARE(content.keys(), (QStringList{QStringLiteral("application/apply-patch+yaml"),
                                              QStringLiteral("application/json-patch+json"),
                                              QStringLiteral("application/merge-patch+json"),
                                              QStringLiteral("application/strategic-merge-patch+json")}));
        QVERIFY(hasQueryParam(item.value(QLatin1String("put")).toObject(), QStringLiteral("fieldValidation")));
        const QJsonObject collection = doc.value(QLatin1String("paths"))
                                           .toObject()
                                           .value(QLatin1String("/api/v1/namespaces/{namespace}/pods"))
                                           .toObject();
        QVERIFY(hasQueryParam(collection.value(QLatin1String("post")).toObject(), QStringLiteral("fieldValidation")));
        QVERIFY(hasQueryParam(collection.value(QLatin1String("get")).toObject(), QStringLiteral("watch")));
        QVERIFY(
            !collection.value(QLatin1String("get")).toObject().value(QLatin1String("parameters")).toArray().isEmpty());
        QCOMPARE(item.value(QLatin1String("parameters")).toArray().size(), 3); // name, namespace, pretty
    }

    void everyPatchableKindIsFoundByKubectlsFieldValidationProbe()
    {
        for (const ResourceType& type : builtinResourceTypes()) {
            const QString path = type.group.isEmpty()
                                     ? QString(QStringLiteral("api/") + type.version)
                                     : QString(QStringLiteral("apis/") + type.group + QLatin1Char('/') + type.version);
            const QJsonObject doc = openApiV3Document(path);
            QVERIFY2(!doc.isEmpty(), qPrintable(path));
            if (!type.verbs.contains(QStringLiteral("patch")))
                continue;
            const QJsonObject patch = patchOperationFor(doc, type.group, type.version, type.kind);
            QVERIFY2(!patch.isEmpty(), qPrintable(type.resource));
            QVERIFY2(hasQueryParam(patch, QStringLiteral("fieldValidation")), qPrintable(type.resource));
            QVERIFY(patch.value(QLatin1String("requestBody"))
                        .toObject()
                        .value(QLatin1String("content"))
                        .toObject()
                        .contains(QLatin1String("application/strategic-merge-patch+json")));
            // kubectl explain and apply find the kind's schema by its GVK.
            int found = 0;
            const QJsonObject all = schemas(doc);
            for (auto it = all.begin(); it != all.end(); ++it)
                found += hasGvk(it.value().toObject().value(QLatin1String("x-kubernetes-group-version-kind")),
                                type.group, type.version, type.kind)
                             ? 1
                             : 0;
            QVERIFY2(found == 1, qPrintable(type.resource));
        }
    }

    void everyReferenceResolvesInsideItsDocument()
    {
        const QJsonObject paths = openApiV3Index().value(QLatin1String("paths")).toObject();
        QVERIFY(paths.size() >= 5);
        for (auto it = paths.begin(); it != paths.end(); ++it) {
            const QJsonObject doc = openApiV3Document(it.key());
            QSet<QString> refs;
            collectRefs(doc, refs);
            QVERIFY2(!refs.isEmpty(), qPrintable(it.key()));
            const QJsonObject all = schemas(doc);
            for (const QString& ref : std::as_const(refs)) {
                QVERIFY2(ref.startsWith(QStringLiteral("#/components/schemas/")), qPrintable(ref));
                QVERIFY2(all.contains(ref.mid(21)), qPrintable(it.key() + QStringLiteral(": ") + ref));
            }
            QVERIFY2(!QJsonDocument(doc).toJson(QJsonDocument::Compact).contains("#/definitions/"),
                     qPrintable(it.key()));
        }
    }

    void groupDocumentsCarryTheirKinds()
    {
        const QJsonObject leases = openApiV3Document(QStringLiteral("apis/coordination.k8s.io/v1"));
        QVERIFY(schemas(leases).contains(QLatin1String("io.k8s.api.coordination.v1.Lease")));
        QVERIFY(leases.value(QLatin1String("paths"))
                    .toObject()
                    .contains(QLatin1String("/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}")));
        const QJsonObject events = openApiV3Document(QStringLiteral("apis/events.k8s.io/v1"));
        QVERIFY(schemas(events).contains(QLatin1String("io.k8s.api.events.v1.Event")));
        QCOMPARE(
            patchOperationFor(events, QStringLiteral("events.k8s.io"), QStringLiteral("v1"), QStringLiteral("Event"))
                .value(QLatin1String("operationId"))
                .toString(),
            QStringLiteral("patchEventsV1NamespacedEvent"));
        const QJsonObject core = openApiV3Document(QStringLiteral("api/v1"));
        const QJsonObject eviction = core.value(QLatin1String("paths"))
                                         .toObject()
                                         .value(QLatin1String("/api/v1/namespaces/{namespace}/pods/{name}/eviction"))
                                         .toObject()
                                         .value(QLatin1String("post"))
                                         .toObject();
        QVERIFY(hasGvk(eviction.value(QLatin1String("x-kubernetes-group-version-kind")), QStringLiteral("policy"),
                       QStringLiteral("v1"), QStringLiteral("Eviction")));
    }
};

QTEST_GUILESS_MAIN(KindsOpenApiTest)
#include "tst_kinds_openapi.moc"
