// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

namespace vk::console {

class MainWindow;

/// `vk-studio --screenshots <dir>`: a scripted tour of a live window (sandbox + mock node) that creates a few
/// pods, waits for real progress (conditions, not fixed delays) and saves main.png, logs.png, lifecycle.png and
/// lifecycle-node.png. Used for the README and to check the window by eye under Xvfb.
class ScreenshotTour : public QObject
{
    Q_OBJECT

public:
    ScreenshotTour(MainWindow* window, QString directory, QObject* parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(bool ok);

private:
    struct Step
    {
        QString description;
        std::function<bool()> ready; ///< polled until true
        std::function<void()> action;
    };
    void poll();
    bool save(const QString& name);

    MainWindow* m_window;
    QString m_directory;
    QList<Step> m_steps;
    int m_step = 0;
    qint64 m_stepStartedMs = 0;
    QTimer m_timer;
};

} // namespace vk::console
