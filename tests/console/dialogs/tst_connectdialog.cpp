// SPDX-License-Identifier: Apache-2.0
#include "ConnectDialog.h"
#include "ConnectionTester.h"

#include "core/Json.h"
#include "support/SandboxFixture.h"

#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace vk;
using namespace vk::console;

namespace {

QJsonObject kubeconfig(const QString& context, const QString& user, const QString& server, const QString& ns)
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Config")},
        {QStringLiteral("current-context"), context},
        {QStringLiteral("clusters"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QString(context + QStringLiteral("-cluster"))},
                                {QStringLiteral("cluster"), QJsonObject{{QStringLiteral("server"), server}}}}}},
        {QStringLiteral("users"),
         QJsonArray{
             QJsonObject{{QStringLiteral("name"), user},
                         {QStringLiteral("user"), QJsonObject{{QStringLiteral("token"), QStringLiteral("t")}}}}}},
        {QStringLiteral("contexts"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), context},
                                {QStringLiteral("context"),
                                 QJsonObject{{QStringLiteral("cluster"), QString(context + QStringLiteral("-cluster"))},
                                             {QStringLiteral("user"), user},
                                             {QStringLiteral("namespace"), ns}}}}}}};
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

} // namespace

class TestConnectDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void listsTheContextsOfTwoFiles();
    void aBrokenFileShowsItsError();
    void testConnectionAgainstTheSandboxShowsItsVersion();
    void testConnectionAgainstAClosedPortShowsReachability();
    void useSandboxAccepts();
    void connectProducesTheSelectedContext();
    void recentClusterIsPreselected();
    void withoutKubeconfigTheSandboxIsTheDefault();

private:
    template <typename T>
    T* child(const char* name) const
    {
        return m_dialog ? m_dialog->findChild<T*>(QString::fromLatin1(name)) : nullptr;
    }
    QString testResult() const { return child<QLabel>("testResultLabel")->text(); }
    int rowOf(const QString& context) const;
    void clickRow(const QString& context);

    test::SandboxFixture m_sandbox;
    QString m_sandboxVersion;
    QTemporaryDir m_dir;
    QString m_fileA;
    QString m_fileB;
    QProcessEnvironment m_env;
    std::unique_ptr<ConnectDialog> m_dialog;
};

void TestConnectDialog::initTestCase()
{
    const QString error = m_sandbox.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    bool answered = false;
    m_sandbox.client().request(
        "GET", QStringLiteral("/version"), {}, {}, {}, {}, this, [this, &answered](Result<kube::RawResponse> response) {
            answered = true;
            if (response)
                m_sandboxVersion =
                    QJsonDocument::fromJson(response->body).object().value(QStringLiteral("gitVersion")).toString();
        });
    QTRY_VERIFY(answered);
    QVERIFY(!m_sandboxVersion.isEmpty());

    QVERIFY(m_dir.isValid());
    m_fileA = m_dir.filePath(QStringLiteral("a.yaml"));
    m_fileB = m_dir.filePath(QStringLiteral("b.yaml"));
    QVERIFY(writeFile(m_fileA,
                      QJsonDocument(kubeconfig(QStringLiteral("alpha"), QStringLiteral("alice"),
                                               QStringLiteral("https://alpha.invalid:6443"), QStringLiteral("team-a")))
                          .toJson()));
    QVERIFY(writeFile(m_fileB,
                      json::toYaml(kubeconfig(QStringLiteral("beta"), QStringLiteral("bob"),
                                              QStringLiteral("https://beta.invalid:6443"), QStringLiteral("team-b")))));
    m_env = QProcessEnvironment();
    m_env.insert(QStringLiteral("HOME"), m_dir.path());
    m_env.insert(QStringLiteral("KUBECONFIG"), m_fileA + QLatin1Char(':') + m_fileB);
}

void TestConnectDialog::init()
{
    m_dialog = std::make_unique<ConnectDialog>(m_env);
    m_dialog->open();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    QCOMPARE(m_dialog->objectName(), QStringLiteral("connectDialog"));
}

void TestConnectDialog::cleanup()
{
    m_dialog.reset();
}

int TestConnectDialog::rowOf(const QString& context) const
{
    auto* table = child<QTableWidget>("contextTable");
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0)->text() == context)
            return row;
    }
    return -1;
}

void TestConnectDialog::clickRow(const QString& context)
{
    auto* table = child<QTableWidget>("contextTable");
    const int row = rowOf(context);
    QVERIFY2(row >= 0, qPrintable(context));
    const QRect rect = table->visualItemRect(table->item(row, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(m_dialog->selectedContext(), context);
}

void TestConnectDialog::listsTheContextsOfTwoFiles()
{
    auto* table = child<QTableWidget>("contextTable");
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 2);
    const int alpha = rowOf(QStringLiteral("alpha"));
    const int beta = rowOf(QStringLiteral("beta"));
    QVERIFY(alpha >= 0 && beta >= 0);
    QCOMPARE(table->item(alpha, 1)->text(), QStringLiteral("alpha-cluster"));
    QCOMPARE(table->item(alpha, 2)->text(), QStringLiteral("alice"));
    QCOMPARE(table->item(alpha, 3)->text(), QStringLiteral("team-a"));
    QCOMPARE(table->item(alpha, 4)->toolTip(), m_fileA);
    QCOMPARE(table->item(beta, 2)->text(), QStringLiteral("bob"));
    QCOMPARE(table->item(beta, 4)->toolTip(), m_fileB);
    // The first file's current-context is preselected.
    QCOMPARE(m_dialog->selectedContext(), QStringLiteral("alpha"));
    QVERIFY(child<QPushButton>("connectButton")->isEnabled());
    QVERIFY(child<QLabel>("filesLabel")->text().contains(m_fileB));
    QVERIFY(child<QLabel>("kubeconfigErrorLabel")->isHidden());
}

void TestConnectDialog::aBrokenFileShowsItsError()
{
    const QString broken = m_dir.filePath(QStringLiteral("broken.yaml"));
    QVERIFY(writeFile(broken, "contexts: [\n"));
    m_dialog->addFile(broken);
    auto* error = child<QLabel>("kubeconfigErrorLabel");
    QVERIFY(!error->isHidden());
    QVERIFY2(error->text().contains(broken), qPrintable(error->text()));
    QCOMPARE(child<QTableWidget>("contextTable")->rowCount(), 2);
}

void TestConnectDialog::testConnectionAgainstTheSandboxShowsItsVersion()
{
    m_dialog->addFile(m_sandbox.kubeconfigPath());
    clickRow(QStringLiteral("vk-sandbox"));
    QTest::mouseClick(child<QPushButton>("testConnectionButton"), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(testResult().contains(m_sandboxVersion), qPrintable(testResult()), 10000);
    QVERIFY(testResult().contains(QStringLiteral("round trip")));
    QVERIFY(!testResult().contains(QStringLiteral("failed")));
    // VK_SCREENSHOT_DIR=<dir>: keep a picture of the dialog (documentation, visual review).
    if (const QString dir = qEnvironmentVariable("VK_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(m_dialog->grab().save(dir + QStringLiteral("/connect-dialog.png")));
}

void TestConnectDialog::testConnectionAgainstAClosedPortShowsReachability()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString closed = m_dir.filePath(QStringLiteral("closed.yaml"));
    QVERIFY(writeFile(
        closed, QJsonDocument(kubeconfig(QStringLiteral("closed"), QStringLiteral("carol"),
                                         QStringLiteral("https://127.0.0.1:%1").arg(port), QStringLiteral("default")))
                    .toJson()));
    m_dialog->addFile(closed);
    clickRow(QStringLiteral("closed"));
    QTest::mouseClick(child<QPushButton>("testConnectionButton"), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(testResult().contains(QStringLiteral("reachability failed")), qPrintable(testResult()),
                              10000);
    QVERIFY(testResult().contains(QStringLiteral("127.0.0.1:%1").arg(port)));
    if (const QString dir = qEnvironmentVariable("VK_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(m_dialog->grab().save(dir + QStringLiteral("/connect-dialog-error.png")));
}

void TestConnectDialog::useSandboxAccepts()
{
    QTest::mouseClick(child<QPushButton>("useSandboxButton"), Qt::LeftButton);
    QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
    QCOMPARE(m_dialog->request().kind, ConnectionRequest::Kind::Sandbox);
}

void TestConnectDialog::connectProducesTheSelectedContext()
{
    clickRow(QStringLiteral("beta"));
    QTest::mouseClick(child<QLineEdit>("namespaceEdit"), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>("namespaceEdit"), QStringLiteral("ops"));
    QTest::mouseClick(child<QPushButton>("connectButton"), Qt::LeftButton);
    QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
    const ConnectionRequest request = m_dialog->request();
    QCOMPARE(request.kind, ConnectionRequest::Kind::KubeConfig);
    QCOMPARE(request.context, QStringLiteral("beta"));
    QCOMPARE(request.namespaceName, QStringLiteral("ops"));
    QVERIFY(request.kubeconfigFiles.isEmpty()); // $KUBECONFIG, resolved as kubectl does
    QCOMPARE(request.displayName(), QStringLiteral("beta"));
}

void TestConnectDialog::recentClusterIsPreselected()
{
    ConnectionRequest recent;
    recent.kind = ConnectionRequest::Kind::KubeConfig;
    recent.context = QStringLiteral("beta");
    recent.namespaceName = QStringLiteral("kube-system");
    m_dialog->setRecent({recent});
    QCOMPARE(m_dialog->selectedContext(), QStringLiteral("beta"));
    QCOMPARE(child<QLineEdit>("namespaceEdit")->text(), QStringLiteral("kube-system"));

    m_dialog->setRecent({ConnectionRequest()}); // the sandbox
    QVERIFY(child<QPushButton>("useSandboxButton")->isDefault());
}

void TestConnectDialog::withoutKubeconfigTheSandboxIsTheDefault()
{
    QTemporaryDir home;
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), home.path());
    m_dialog = std::make_unique<ConnectDialog>(env);
    m_dialog->open();
    QVERIFY(!m_dialog->hasContexts());
    QCOMPARE(child<QTableWidget>("contextTable")->rowCount(), 0);
    QVERIFY(child<QPushButton>("useSandboxButton")->isDefault());
    QVERIFY(!child<QPushButton>("connectButton")->isEnabled());
    QVERIFY(!child<QPushButton>("testConnectionButton")->isEnabled());
    QVERIFY(child<QLabel>("filesLabel")->text().contains(QStringLiteral("No kubeconfig")));
}

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
