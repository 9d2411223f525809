// SPDX-License-Identifier: Apache-2.0
#include "api/Patch.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace vk;
namespace patch = vk::api::patch;

namespace {

// Each data file is a JSON array of cases with a "name"; the rows of a data-driven test are built from it.
QJsonArray loadCases(const QString& file)
{
    const QString path = qEnvironmentVariable("VK_TEST_DATA") + QStringLiteral("/api/") + file;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(path));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        qFatal("bad test data %s: %s", qPrintable(path), qPrintable(error.errorString()));
    return doc.array();
}

QString show(const QJsonValue& value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

ErrorCategory categoryNamed(const QString& name)
{
    if (name == QLatin1String("BadRequest"))
        return ErrorCategory::BadRequest;
    if (name == QLatin1String("Invalid"))
        return ErrorCategory::Invalid;
    qFatal("unknown category %s", qPrintable(name));
    return ErrorCategory::Internal;
}

} // namespace

class PatchTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mergePatch_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        for (const auto& c : loadCases(QStringLiteral("merge-patch.json")))
            QTest::newRow(qPrintable(c.toObject().value(QStringLiteral("name")).toString())) << c.toObject();
    }

    void mergePatch()
    {
        QFETCH(QJsonObject, testCase);
        const QJsonValue result =
            patch::applyMergePatch(testCase.value(QStringLiteral("target")), testCase.value(QStringLiteral("patch")));
        QCOMPARE(show(result), show(testCase.value(QStringLiteral("result"))));
    }

    void jsonPatch_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        for (const auto& c : loadCases(QStringLiteral("json-patch.json")))
            QTest::newRow(qPrintable(c.toObject().value(QStringLiteral("name")).toString())) << c.toObject();
    }

    void jsonPatch()
    {
        QFETCH(QJsonObject, testCase);
        const auto result = patch::applyJsonPatch(testCase.value(QStringLiteral("target")),
                                                  testCase.value(QStringLiteral("ops")).toArray());
        if (testCase.contains(QStringLiteral("error"))) {
            QVERIFY2(!result.ok(), qPrintable(result.ok() ? show(result.value()) : QString()));
            QCOMPARE(result.error().category(), categoryNamed(testCase.value(QStringLiteral("error")).toString()));
            QCOMPARE(result.error().message(), testCase.value(QStringLiteral("message")).toString());
            return;
        }
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message()));
        QCOMPARE(show(result.value()), show(testCase.value(QStringLiteral("result"))));
    }

    void jsonPatchErrorCodes()
    {
        const auto failed = patch::applyJsonPatch(
            QJsonObject(), QJsonArray{QJsonObject{{QStringLiteral("op"), QStringLiteral("remove")},
                                                  {QStringLiteral("path"), QStringLiteral("/x")}}});
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().httpCode(), 422);
        const auto malformed = patch::applyJsonPatch(QJsonObject(), QJsonArray{QJsonObject{}});
        QVERIFY(!malformed.ok());
        QCOMPARE(malformed.error().httpCode(), 400);
    }

    void strategicMergePatch_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        for (const auto& c : loadCases(QStringLiteral("strategic-merge-patch.json")))
            QTest::newRow(qPrintable(c.toObject().value(QStringLiteral("name")).toString())) << c.toObject();
    }

    void strategicMergePatch()
    {
        QFETCH(QJsonObject, testCase);
        const auto result = patch::applyStrategicMergePatch(testCase.value(QStringLiteral("original")).toObject(),
                                                            testCase.value(QStringLiteral("patch")).toObject(),
                                                            testCase.value(QStringLiteral("kind")).toString());
        if (testCase.contains(QStringLiteral("error"))) {
            QVERIFY2(!result.ok(), qPrintable(result.ok() ? show(result.value()) : QString()));
            QCOMPARE(result.error().category(), categoryNamed(testCase.value(QStringLiteral("error")).toString()));
            QVERIFY2(result.error().message().startsWith(testCase.value(QStringLiteral("message")).toString()),
                     qPrintable(result.error().message()));
            return;
        }
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message()));
        QCOMPARE(show(result.value()), show(testCase.value(QStringLiteral("result"))));
    }

    void mergeKeys_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("key");
        QTest::newRow("pod containers by name")
            << QStringLiteral("Pod") << QStringLiteral("spec.containers") << QStringLiteral("name");
        QTest::newRow("pod container ports by containerPort")
            << QStringLiteral("Pod") << QStringLiteral("spec.containers.ports") << QStringLiteral("containerPort");
        QTest::newRow("pod init container env by name")
            << QStringLiteral("Pod") << QStringLiteral("spec.initContainers.env") << QStringLiteral("name");
        QTest::newRow("pod volume mounts by mountPath")
            << QStringLiteral("Pod") << QStringLiteral("spec.containers.volumeMounts") << QStringLiteral("mountPath");
        QTest::newRow("pod volumes by name")
            << QStringLiteral("Pod") << QStringLiteral("spec.volumes") << QStringLiteral("name");
        QTest::newRow("pod image pull secrets by name")
            << QStringLiteral("Pod") << QStringLiteral("spec.imagePullSecrets") << QStringLiteral("name");
        QTest::newRow("pod host aliases by ip")
            << QStringLiteral("Pod") << QStringLiteral("spec.hostAliases") << QStringLiteral("ip");
        QTest::newRow("pod conditions by type")
            << QStringLiteral("Pod") << QStringLiteral("status.conditions") << QStringLiteral("type");
        QTest::newRow("node conditions by type")
            << QStringLiteral("Node") << QStringLiteral("status.conditions") << QStringLiteral("type");
        QTest::newRow("node addresses by type")
            << QStringLiteral("Node") << QStringLiteral("status.addresses") << QStringLiteral("type");
        QTest::newRow("owner references by uid")
            << QStringLiteral("Secret") << QStringLiteral("metadata.ownerReferences") << QStringLiteral("uid");
        QTest::newRow("tolerations have none")
            << QStringLiteral("Pod") << QStringLiteral("spec.tolerations") << QString();
        QTest::newRow("finalizers are a set without a key")
            << QStringLiteral("Pod") << QStringLiteral("metadata.finalizers") << QString();
        QTest::newRow("node conditions are not pod paths")
            << QStringLiteral("Node") << QStringLiteral("spec.containers") << QString();
    }

    void mergeKeys()
    {
        QFETCH(QString, kind);
        QFETCH(QString, path);
        QFETCH(QString, key);
        QCOMPARE(patch::mergeKeyFor(kind, path), key);
    }

    void createMergePatch_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        for (const auto& c : loadCases(QStringLiteral("create-merge-patch.json")))
            QTest::newRow(qPrintable(c.toObject().value(QStringLiteral("name")).toString())) << c.toObject();
    }

    void createMergePatch()
    {
        QFETCH(QJsonObject, testCase);
        const QJsonObject original = testCase.value(QStringLiteral("original")).toObject();
        const QJsonObject modified = testCase.value(QStringLiteral("modified")).toObject();
        const QJsonObject created = patch::createMergePatch(original, modified);
        QCOMPARE(show(created), show(testCase.value(QStringLiteral("patch"))));
        // Round trip: applying the patch to the original gives the modified object.
        QCOMPARE(show(patch::applyMergePatch(original, created)), show(modified));
    }
};

QTEST_GUILESS_MAIN(PatchTest)
#include "tst_patch.moc"
