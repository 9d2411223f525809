// SPDX-License-Identifier: Apache-2.0
// The console's translations: the German catalogue built from translations/vk-studio_de.ts is in the binary,
// installTranslations() loads it, and the real main window then speaks German; a language without a catalogue
// leaves the window in English.
#include "ui/MainWindow.h"
#include "ui/Translations.h"

#include <QAction>
#include <QMenuBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using vk::console::MainWindow;

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aLanguageWithoutCatalogueStaysEnglish();
    void germanTranslatesTheMainWindow();

private:
    std::unique_ptr<MainWindow> makeWindow() const;
    static QStringList menuTitles(const MainWindow& window);
    static QString actionText(const MainWindow& window, const char* name);

    QTemporaryDir m_tmp;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("vk-studio-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.filePath(QStringLiteral("settings")));
    qputenv("KUBECONFIG", m_tmp.filePath(QStringLiteral("no-such-kubeconfig")).toLocal8Bit());
}

std::unique_ptr<MainWindow> TestTranslations::makeWindow() const
{
    MainWindow::Options options;
    options.agent.sandboxDataDir = m_tmp.filePath(QStringLiteral("sandbox"));
    options.agent.providerConfigDir = m_tmp.filePath(QStringLiteral("providers"));
    return std::make_unique<MainWindow>(options);
}

QStringList TestTranslations::menuTitles(const MainWindow& window)
{
    QStringList titles;
    for (QAction* menu : window.menuBar()->actions())
        titles.append(menu->text());
    return titles;
}

QString TestTranslations::actionText(const MainWindow& window, const char* name)
{
    auto* action = window.findChild<QAction*>(QLatin1String(name));
    return action ? action->text() : QStringLiteral("<no action %1>").arg(QLatin1String(name));
}

void TestTranslations::aLanguageWithoutCatalogueStaysEnglish()
{
    QVERIFY(!vk::console::installTranslations(qApp, QLocale(QLocale::Finnish, QLocale::Finland)));
    auto window = makeWindow();
    QCOMPARE(actionText(*window, "actionConnect"), QStringLiteral("&Connect…"));
    QVERIFY2(menuTitles(*window).contains(QStringLiteral("&Help")), qPrintable(menuTitles(*window).join(u", ")));
}

void TestTranslations::germanTranslatesTheMainWindow()
{
    QVERIFY(vk::console::installTranslations(qApp, QLocale(QLocale::German, QLocale::Germany)));
    auto window = makeWindow();
    QCOMPARE(actionText(*window, "actionConnect"), QStringLiteral("&Verbinden…"));
    const QStringList titles = menuTitles(*window);
    QVERIFY2(titles.contains(QStringLiteral("&Hilfe")), qPrintable(titles.join(u", ")));
    QVERIFY2(titles.contains(QStringLiteral("&Ansicht")), qPrintable(titles.join(u", ")));
    QVERIFY2(!titles.contains(QStringLiteral("&Help")), qPrintable(titles.join(u", ")));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
