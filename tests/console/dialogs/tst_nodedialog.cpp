// SPDX-License-Identifier: Apache-2.0
#include "ConfigEditor.h"
#include "NodeDialog.h"

#include "mock/MockProvider.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>
#include <QTextBlock>
#include <QToolButton>

#include <memory>

using namespace vk::console;

class TestNodeDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void opensValidWithProviderDefaults();
    void invalidCpuInTheFormIsUnderlinedInTheEditor();
    void templateRewritesTheEditorAndTheFormFollows();
    void editingTheTextUpdatesTheForm();
    void renamingTheNodeRenamesItsEntry();
    void invalidLabelsDisableStart();
    void yamlStaysYamlWhenTheFormEdits();
    void startProducesTheRequest();
    void setRequestRoundTrips();

private:
    template <typename T>
    T* child(const char* name) const
    {
        return m_dialog ? m_dialog->findChild<T*>(QString::fromLatin1(name)) : nullptr;
    }
    QString validationText() const { return child<QLabel>("validationLabel")->text(); }
    bool startEnabled() const { return child<QPushButton>("startNodeButton")->isEnabled(); }
    void retype(const char* name, const QString& text);
    static void typeLines(QWidget* widget, const QString& text);

    std::unique_ptr<NodeDialog> m_dialog;
};

void TestNodeDialog::initTestCase()
{
    vk::mock::registerMockProvider();
}

void TestNodeDialog::init()
{
    m_dialog = std::make_unique<NodeDialog>();
    m_dialog->setValidationDelay(100); // the debounce stays real, only shorter
    m_dialog->open();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    QCOMPARE(m_dialog->objectName(), QStringLiteral("nodeDialog"));
}

void TestNodeDialog::cleanup()
{
    m_dialog.reset();
}

void TestNodeDialog::retype(const char* name, const QString& text)
{
    auto* edit = child<QLineEdit>(name);
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void TestNodeDialog::typeLines(QWidget* widget, const QString& text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(widget, Qt::Key_Return);
        QTest::keyClicks(widget, lines.at(i));
    }
}

void TestNodeDialog::opensValidWithProviderDefaults()
{
    auto* provider = child<QComboBox>("providerCombo");
    QVERIFY(provider);
    QVERIFY(provider->findData(QStringLiteral("mock")) >= 0);
    QCOMPARE(provider->currentData().toString(), QStringLiteral("mock"));
    QVERIFY(!child<QLabel>("providerDescriptionLabel")->text().isEmpty());
    QCOMPARE(child<QLineEdit>("nodeNameEdit")->text(), QStringLiteral("vk-mock-0"));
    QVERIFY(child<ConfigEditor>("configEditor")->toPlainText().isEmpty());
    QTRY_VERIFY(startEnabled());
    QVERIFY2(m_dialog->validation().ok(), qPrintable(m_dialog->validation().message));
}

void TestNodeDialog::invalidCpuInTheFormIsUnderlinedInTheEditor()
{
    QTRY_VERIFY(startEnabled());
    auto* cpu = child<QLineEdit>("cpuEdit");
    QTest::mouseClick(cpu, Qt::LeftButton);
    QTest::keyClicks(cpu, QStringLiteral("lots"));

    auto* editor = child<ConfigEditor>("configEditor");
    QVERIFY2(editor->toPlainText().contains(QStringLiteral("\"cpu\": \"lots\"")), qPrintable(editor->toPlainText()));
    QTRY_VERIFY2(validationText().contains(QStringLiteral("vk-mock-0.cpu: invalid quantity \"lots\"")),
                 qPrintable(validationText()));
    QVERIFY(!startEnabled());

    // The underline is on the line of the cpu key.
    QVERIFY(editor->errorLine() > 0);
    const QTextBlock errorBlock = editor->document()->findBlockByNumber(editor->errorLine() - 1);
    QVERIFY2(errorBlock.text().contains(QStringLiteral("\"cpu\"")), qPrintable(errorBlock.text()));
    QCOMPARE(editor->extraSelections().size(), 1);
    const QTextEdit::ExtraSelection underline = editor->extraSelections().constFirst();
    QCOMPARE(underline.cursor.block().blockNumber(), editor->errorLine() - 1);
    QCOMPARE(underline.format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QVERIFY(validationText().startsWith(QStringLiteral("Line %1:").arg(editor->errorLine())));
    if (const QString dir = qEnvironmentVariable("VK_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(m_dialog->grab().save(dir + QStringLiteral("/node-dialog-error.png")));

    // Fixing it in the form makes the dialog valid again.
    retype("cpuEdit", QStringLiteral("4"));
    QTRY_VERIFY(startEnabled());
    QVERIFY(editor->extraSelections().isEmpty());
    QVERIFY(editor->toPlainText().contains(QStringLiteral("\"cpu\": \"4\"")));
}

void TestNodeDialog::templateRewritesTheEditorAndTheFormFollows()
{
    auto* button = child<QToolButton>("templatesButton");
    QVERIFY(button && button->menu());
    QAction* slowStart = child<QAction>("template_mockSlowStart");
    QVERIFY(slowStart);
    QVERIFY(button->menu()->actions().contains(slowStart));
    QVERIFY(slowStart->text().contains(QStringLiteral("slow start")));
    slowStart->trigger();

    const QString text = child<ConfigEditor>("configEditor")->toPlainText();
    const QJsonObject root = QJsonDocument::fromJson(text.toUtf8()).object();
    const QJsonObject entry = root.value(QStringLiteral("vk-mock-0")).toObject();
    QCOMPARE(entry.value(QStringLiteral("lifecycle")).toObject().value(QStringLiteral("pendingMs")).toInt(), 2000);
    QCOMPARE(entry.value(QStringLiteral("lifecycle")).toObject().value(QStringLiteral("readyMs")).toInt(), 1500);
    QCOMPARE(child<QLineEdit>("cpuEdit")->text(), entry.value(QStringLiteral("cpu")).toString());
    QCOMPARE(child<QLineEdit>("memoryEdit")->text(), QStringLiteral("32Gi"));
    QCOMPARE(child<QLineEdit>("podsEdit")->text(), QStringLiteral("110"));
    QTRY_VERIFY(startEnabled());
    // VK_SCREENSHOT_DIR=<dir>: keep a picture of the dialog (documentation, visual review).
    if (const QString dir = qEnvironmentVariable("VK_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(m_dialog->grab().save(dir + QStringLiteral("/node-dialog.png")));

    // Every template is valid for the mock provider.
    for (const NodeDialog::Template& t : NodeDialog::templates(QStringLiteral("mock"))) {
        child<QAction>(qPrintable(QStringLiteral("template_") + t.id))->trigger();
        m_dialog->validateNow();
        QVERIFY2(m_dialog->isValid(), qPrintable(t.id + QStringLiteral(": ") + m_dialog->validation().message));
    }
}

void TestNodeDialog::editingTheTextUpdatesTheForm()
{
    auto* editor = child<ConfigEditor>("configEditor");
    editor->setFocus();
    typeLines(editor, QStringLiteral("vk-mock-0:\n  memory: 64Gi\n  pods: 50"));
    QCOMPARE(child<QLineEdit>("memoryEdit")->text(), QStringLiteral("64Gi"));
    QCOMPARE(child<QLineEdit>("podsEdit")->text(), QStringLiteral("50"));
    QTRY_VERIFY(startEnabled());

    // A text naming another node (its only entry) renames the node in the form.
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("{\"edge-1\": {\"cpu\": \"3\"}}"));
    QCOMPARE(child<QLineEdit>("nodeNameEdit")->text(), QStringLiteral("edge-1"));
    QCOMPARE(child<QLineEdit>("cpuEdit")->text(), QStringLiteral("3"));

    // A syntax error leaves the form alone and is shown at its line.
    QTest::keyClick(editor, Qt::Key_End, Qt::ControlModifier);
    typeLines(editor, QStringLiteral("\n,"));
    QTRY_VERIFY2(validationText().contains(QStringLiteral("JSON syntax error")), qPrintable(validationText()));
    QCOMPARE(editor->errorLine(), 2);
    QCOMPARE(child<QLineEdit>("cpuEdit")->text(), QStringLiteral("3"));
    QVERIFY(!startEnabled());
}

void TestNodeDialog::renamingTheNodeRenamesItsEntry()
{
    child<QAction>("template_mockDefaults")->trigger();
    retype("nodeNameEdit", QStringLiteral("lab-node"));
    const QJsonObject root =
        QJsonDocument::fromJson(child<ConfigEditor>("configEditor")->toPlainText().toUtf8()).object();
    QCOMPARE(root.keys(), QStringList{QStringLiteral("lab-node")});
    QTRY_VERIFY(startEnabled());

    retype("nodeNameEdit", QStringLiteral("Bad_Name"));
    QTRY_VERIFY2(validationText().contains(QStringLiteral("Node name")), qPrintable(validationText()));
    QVERIFY(!startEnabled());
}

void TestNodeDialog::invalidLabelsDisableStart()
{
    QTRY_VERIFY(startEnabled());
    auto* labels = child<QPlainTextEdit>("labelsEdit");
    labels->setFocus();
    typeLines(labels, QStringLiteral("team=lab\nnot a label"));
    QTRY_VERIFY2(validationText().contains(QStringLiteral("Labels, line 2")), qPrintable(validationText()));
    QVERIFY(!startEnabled());
    QTest::keyClick(labels, Qt::Key_Backspace); // "not a labe" is still wrong
    labels->selectAll();
    typeLines(labels, QStringLiteral("team=lab\ntier=edge"));
    QTRY_VERIFY(startEnabled());
    const QMap<QString, QString> expected{{QStringLiteral("team"), QStringLiteral("lab")},
                                          {QStringLiteral("tier"), QStringLiteral("edge")}};
    QCOMPARE(m_dialog->request().labels, expected);
}

void TestNodeDialog::yamlStaysYamlWhenTheFormEdits()
{
    auto* editor = child<ConfigEditor>("configEditor");
    editor->setPlainText(QStringLiteral("vk-mock-0:\n  memory: 8Gi\n"));
    QCOMPARE(editor->language(), EditorHighlighting::Language::Yaml);
    QTest::mouseClick(child<QLineEdit>("cpuEdit"), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>("cpuEdit"), QStringLiteral("2"));
    QVERIFY2(editor->toPlainText().contains(QStringLiteral("cpu: 2")), qPrintable(editor->toPlainText()));
    QVERIFY(editor->toPlainText().contains(QStringLiteral("memory: 8Gi")));
    QCOMPARE(editor->language(), EditorHighlighting::Language::Yaml);
    QTRY_VERIFY(startEnabled());
}

void TestNodeDialog::startProducesTheRequest()
{
    child<QAction>("template_mockFlaky")->trigger();
    retype("nodeNameEdit", QStringLiteral("flaky-1"));
    QTRY_VERIFY(startEnabled());
    QTest::mouseClick(child<QPushButton>("startNodeButton"), Qt::LeftButton);
    QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
    QVERIFY(!m_dialog->isVisible());
    const NodeRequest request = m_dialog->request();
    QCOMPARE(request.nodeName, QStringLiteral("flaky-1"));
    QCOMPARE(request.provider, QStringLiteral("mock"));
    const QJsonObject config = QJsonDocument::fromJson(request.providerConfigJson).object();
    QVERIFY(config.value(QStringLiteral("flaky-1")).toObject().contains(QStringLiteral("lifecycle")));
    QCOMPARE(request.taintEnabled, true);
    QCOMPARE(request.taintKey, QStringLiteral("virtual-kubelet.io/provider"));
}

void TestNodeDialog::setRequestRoundTrips()
{
    NodeRequest request;
    request.nodeName = QStringLiteral("edge-7");
    request.providerConfigText = QStringLiteral("edge-7:\n  cpu: 6\n  lifecycle:\n    pendingMs: 100\n");
    request.kubeApiQps = 20;
    request.kubeApiBurst = 40;
    request.taintEnabled = false;
    request.taintEffect = QStringLiteral("NoExecute");
    request.labels = {{QStringLiteral("zone"), QStringLiteral("a")}};
    m_dialog->setRequest(request);
    QCOMPARE(child<QLineEdit>("cpuEdit")->text(), QStringLiteral("6"));
    QTRY_VERIFY(startEnabled());
    const NodeRequest back = m_dialog->request();
    QCOMPARE(back.nodeName, request.nodeName);
    QCOMPARE(back.providerConfigText, request.providerConfigText);
    QCOMPARE(back.kubeApiQps, request.kubeApiQps);
    QCOMPARE(back.kubeApiBurst, request.kubeApiBurst);
    QCOMPARE(back.taintEnabled, false);
    QCOMPARE(back.taintEffect, QStringLiteral("NoExecute"));
    QCOMPARE(back.labels, request.labels);
}

QTEST_MAIN(TestNodeDialog)
#include "tst_nodedialog.moc"
