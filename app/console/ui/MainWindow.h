// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "AgentHost.h"
#include "ConsoleTypes.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;
class QToolButton;

namespace vk::console {

class LifecycleView;
class LogView;
class NodePanel;
class PodDetailsView;
class PodFilterModel;
class PodHistory;
class PodTableModel;

/// The console's one window (see /work/shared/design/console-wireframe.md): clusters and virtual nodes on the
/// left, the live pod table in the centre, the selected node's health on the right, and the selected pod's
/// lifecycle, logs, events, YAML and environment plus the agent's activity log at the bottom. Owns the agent
/// thread and talks to it only through AgentThread::post and AgentHost's signals.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    struct Options
    {
        AgentHost::Options agent;
        /// Start these mock nodes as soon as the cluster is connected (the main job: "vk-mock-0").
        QStringList autoStartNodes;
        QString settingsGroup = QStringLiteral("console");
    };

    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    void connectTo(const ConnectionRequest& request);
    void startNode(const NodeRequest& request);
    void stopNode(const QString& nodeName);
    void createFromText(const QString& yaml);
    /// Deletes at once (no question asked); the Delete actions ask first (confirmDelete).
    void deletePods(const QStringList& keys, bool force);
    void openLogs(const QStringList& podKeys);
    /// Selects the pod's row (and shows its details).
    bool selectPod(const QString& key);
    void selectNode(const QString& nodeName);
    void setDarkPalette(bool dark);

    AgentThread* agent() const { return m_agent; }
    PodTableModel* podModel() const { return m_podModel; }
    PodHistory* history() const { return m_history; }
    /// The message banner's text (empty when hidden): errors the user must see.
    QString bannerText() const;
    QList<ConnectionRequest> recentClusters() const { return m_recent; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildLayout();
    void wireAgent();
    void showBanner(const QString& text, bool error = true);
    void onConnectionState(AgentHost::ConnectionState state,
                           const QString& name,
                           const QString& url,
                           const QString& message);
    void onNodesChanged(const QList<NodeSummary>& nodes, const QStringList& removed);
    void onVirtualNode(const VirtualNodeState& state);
    void onEvents(const QList<EventSummary>& events);
    void onActivity(const QList<ActivityLine>& lines);
    void onPodSelectionChanged();
    QStringList selectedPodKeys() const;
    /// Asks "Delete pod ns/name?" (objectName "deleteConfirmation", non-modal) and deletes on Yes.
    void confirmDelete(const QStringList& keys, bool force);
    void refreshEventsView();
    void updateTreeNode(const QString& nodeName);
    void updateActions();
    void rememberCluster(const ConnectionRequest& request);
    void saveRecent();
    void rebuildRecentMenu();
    QString unusedNodeName() const;
    void loadSettings();
    void openConnectDialog();
    void openNodeDialog();
    void openPodTemplateDialog();
    void showAbout();
    void updateFilterChoices();

    Options m_options;
    AgentThread* m_agent = nullptr;
    PodTableModel* m_podModel = nullptr;
    PodFilterModel* m_filter = nullptr;
    PodHistory* m_history = nullptr;

    QTableView* m_podTable = nullptr;
    QTreeWidget* m_tree = nullptr;
    QTreeWidgetItem* m_clusterItem = nullptr;
    NodePanel* m_nodePanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    LifecycleView* m_lifecycle = nullptr;
    LogView* m_logs = nullptr;
    PodDetailsView* m_details = nullptr;
    QTreeWidget* m_events = nullptr;
    QPlainTextEdit* m_yaml = nullptr;
    QPlainTextEdit* m_env = nullptr;
    QPlainTextEdit* m_activity = nullptr;
    QLabel* m_banner = nullptr;
    QWidget* m_bannerBox = nullptr;
    QLabel* m_detailTitle = nullptr;
    QComboBox* m_phaseFilter = nullptr;
    QComboBox* m_namespaceFilter = nullptr;
    QComboBox* m_nodeFilter = nullptr;
    QLineEdit* m_textFilter = nullptr;
    QLabel* m_connectionLabel = nullptr;
    QLabel* m_agentLabel = nullptr;
    QLabel* m_apiLabel = nullptr;
    QLabel* m_errorLabel = nullptr;

    QAction* m_connectAction = nullptr;
    QAction* m_sandboxAction = nullptr;
    QAction* m_disconnectAction = nullptr;
    QAction* m_startNodeAction = nullptr;
    QAction* m_stopNodeAction = nullptr;
    QAction* m_newPodAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_forceDeleteAction = nullptr;
    QAction* m_logsAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_darkAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_quitAction = nullptr;
    QMenu* m_recentMenu = nullptr;

    AgentHost::ConnectionState m_state = AgentHost::ConnectionState::Disconnected;
    ConnectionRequest m_current;
    QString m_selectedPod;
    QString m_selectedNode;
    QHash<QString, NodeSummary> m_nodes;
    QHash<QString, NodeUsage> m_usage;
    QHash<QString, VirtualNodeState> m_virtualNodes;
    QList<EventSummary> m_eventLog;
    bool m_eventsStale = false; ///< events arrived while the Events tab was hidden
    QList<ConnectionRequest> m_recent;
    NodeRequest m_lastNodeRequest; ///< what the node dialog offers next (with a fresh node name)
};

} // namespace vk::console
