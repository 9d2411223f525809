// SPDX-License-Identifier: Apache-2.0
#include "ScreenshotTour.h"

#include "LifecycleView.h"
#include "LogView.h"
#include "MainWindow.h"
#include "PodHistory.h"
#include "PodTableModel.h"
#include "PodTemplateDialog.h"

#include <QDateTime>
#include <QDir>
#include <QTabWidget>
#include <QTextStream>

#include <cstdio>

namespace vk::console {

namespace {

int countPods(PodTableModel* model, const QString& prefix, const QString& phase)
{
    int n = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const PodSummary& pod = model->podAt(row);
        if (pod.name.startsWith(prefix) && (phase.isEmpty() || pod.phase == phase))
            ++n;
    }
    return n;
}

} // namespace

ScreenshotTour::ScreenshotTour(MainWindow* window, QString directory, QObject* parent)
    : QObject(parent), m_window(window), m_directory(std::move(directory))
{
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &ScreenshotTour::poll);
    auto tabs = [this] { return m_window->findChild<QTabWidget*>(QStringLiteral("detailTabs")); };
    auto pod = [](const char* name) { return PodTemplateDialog::templateText(0, QLatin1String(name)); };

    m_steps = {
        {QStringLiteral("node vk-mock-0 Ready"),
         [this] {
             return m_window->bannerText().isEmpty() && m_window->recentClusters().size() > 0 &&
                    m_window->findChild<QObject*>(QStringLiteral("clusterTree")) != nullptr;
         },
         [] {}},
        {QStringLiteral("create pods"), [] { return true; },
         [this, pod] {
             m_window->createFromText(pod("web-frontend") + QStringLiteral("---\n") + pod("web-api") +
                                      QStringLiteral("---\n") + pod("web-cache"));
             m_window->createFromText(PodTemplateDialog::templateText(1, QStringLiteral("job-report")));
             m_window->createFromText(PodTemplateDialog::templateText(2, QStringLiteral("crash-worker")));
             m_window->createFromText(PodTemplateDialog::templateText(3, QStringLiteral("slow-start")));
         }},
        {QStringLiteral("web pods Running, the job Succeeded, the slow pod Running"),
         [this] {
             auto* model = m_window->podModel();
             return countPods(model, QStringLiteral("web-"), QStringLiteral("Running")) == 3 &&
                    countPods(model, QStringLiteral("job-"), QStringLiteral("Succeeded")) == 1 &&
                    countPods(model, QStringLiteral("slow-"), QStringLiteral("Running")) == 1;
         },
         [this] { m_window->selectPod(QStringLiteral("default/web-frontend")); }},
        {QStringLiteral("main window"), [] { return true; }, [this] { save(QStringLiteral("main.png")); }},
        {QStringLiteral("details of one pod"), [] { return true; },
         [this, tabs] { tabs()->setCurrentWidget(m_window->findChild<QWidget*>(QStringLiteral("podDetailsView"))); }},
        {QStringLiteral("details shown"), [] { return true; }, [this] { save(QStringLiteral("details.png")); }},
        {QStringLiteral("lifecycle of one pod"), [] { return true; },
         [this, tabs] {
             m_window->selectPod(QStringLiteral("default/slow-start"));
             tabs()->setCurrentIndex(0);
         }},
        {QStringLiteral("lifecycle drawn"),
         [this] {
             const auto* record = m_window->history()->record(QStringLiteral("default/slow-start"));
             return record && record->findLane(QStringLiteral("Ready"));
         },
         [this] { save(QStringLiteral("lifecycle.png")); }},
        {QStringLiteral("lifecycle of the node"), [] { return true; },
         [this] {
             m_window->selectPod({});
             m_window->selectNode(QStringLiteral("vk-mock-0"));
         }},
        {QStringLiteral("node lifecycle drawn"), [] { return true; },
         [this] { save(QStringLiteral("lifecycle-node.png")); }},
        {QStringLiteral("logs of two pods"), [] { return true; },
         [this] {
             m_window->openLogs({QStringLiteral("default/web-frontend"), QStringLiteral("default/web-api")});
         }},
        {QStringLiteral("log lines arrived"),
         [this] {
             auto* logs = m_window->findChild<LogView*>(QStringLiteral("logView"));
             return logs && logs->text().count(QLatin1Char('\n')) >= 6;
         },
         [this] { save(QStringLiteral("logs.png")); }},
    };
}

void ScreenshotTour::start()
{
    QDir().mkpath(m_directory);
    m_step = 0;
    m_stepStartedMs = QDateTime::currentMSecsSinceEpoch();
    m_timer.start();
}

void ScreenshotTour::poll()
{
    if (m_step >= m_steps.size()) {
        m_timer.stop();
        Q_EMIT finished(true);
        return;
    }
    Step& step = m_steps[m_step];
    if (!step.ready()) {
        if (QDateTime::currentMSecsSinceEpoch() - m_stepStartedMs > 60000) {
            m_timer.stop();
            QTextStream(stderr) << "screenshot tour: timed out waiting for: " << step.description << "\n";
            Q_EMIT finished(false);
        }
        return;
    }
    step.action();
    ++m_step;
    m_stepStartedMs = QDateTime::currentMSecsSinceEpoch();
}

bool ScreenshotTour::save(const QString& name)
{
    const QString path = QDir(m_directory).absoluteFilePath(name);
    const bool ok = m_window->grab().save(path);
    QTextStream(stdout) << (ok ? "saved " : "could not save ") << path << "\n";
    return ok;
}

} // namespace vk::console
