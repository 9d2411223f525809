// SPDX-License-Identifier: Apache-2.0
#include "MainWindow.h"
#include "ConsoleStyle.h"

#include "ConnectDialog.h"
#include "EditorHighlighting.h"
#include "LifecycleView.h"
#include "LogView.h"
#include "NodeDialog.h"
#include "NodePanel.h"
#include "PodDetailsView.h"
#include "PodHistory.h"
#include "PodTableModel.h"
#include "PodTemplateDialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSslSocket>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vk::console {

namespace {

QVariantMap toVariant(const ConnectionRequest& r)
{
    return {{QStringLiteral("kind"),
             r.kind == ConnectionRequest::Kind::Sandbox ? QStringLiteral("sandbox") : QStringLiteral("kubeconfig")},
            {QStringLiteral("files"), r.kubeconfigFiles},
            {QStringLiteral("context"), r.context},
            {QStringLiteral("namespace"), r.namespaceName}};
}

ConnectionRequest fromVariant(const QVariantMap& map)
{
    ConnectionRequest r;
    r.kind = map.value(QStringLiteral("kind")).toString() == QLatin1String("sandbox")
                 ? ConnectionRequest::Kind::Sandbox
                 : ConnectionRequest::Kind::KubeConfig;
    r.kubeconfigFiles = map.value(QStringLiteral("files")).toStringList();
    r.context = map.value(QStringLiteral("context")).toString();
    r.namespaceName = map.value(QStringLiteral("namespace")).toString();
    return r;
}

NodeSummary nodeOrPlaceholder(const QHash<QString, NodeSummary>& nodes, const QString& name)
{
    if (auto it = nodes.constFind(name); it != nodes.constEnd())
        return *it;
    NodeSummary placeholder;
    placeholder.name = name;
    return placeholder;
}

} // namespace

MainWindow::MainWindow(Options options, QWidget* parent) : QMainWindow(parent), m_options(std::move(options))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("VK Studio"));
    m_agent = new AgentThread(m_options.agent, this);
    m_podModel = new PodTableModel(this);
    m_filter = new PodFilterModel(this);
    m_filter->setSourceModel(m_podModel);
    m_history = new PodHistory(this);
    buildActions();
    buildLayout();
    wireAgent();
    loadSettings();
    updateActions();
    resize(1400, 860);
}

MainWindow::~MainWindow()
{
    // The agent thread stops its nodes and the sandbox before it ends (AgentThread's destructor).
    delete m_agent;
    m_agent = nullptr;
}

void MainWindow::buildActions()
{
    auto make = [this](const char* name, const QString& text, const QKeySequence& key, auto slot) {
        auto* action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        if (!key.isEmpty()) {
            action->setShortcut(key);
            action->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                             key.toString(QKeySequence::NativeText)));
        }
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_connectAction =
        make("actionConnect", tr("&Connect…"), QKeySequence(Qt::CTRL | Qt::Key_K), [this] { openConnectDialog(); });
    m_sandboxAction = make("actionSandbox", tr("&Sandbox cluster"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
                           [this] { connectTo(ConnectionRequest{}); });
    m_sandboxAction->setStatusTip(tr("Start the embedded control plane and connect to it"));
    m_disconnectAction = make("actionDisconnect", tr("&Disconnect"), {},
                              [this] { m_agent->post([host = m_agent->host()] { host->disconnectCluster(); }); });
    m_startNodeAction =
        make("actionStartNode", tr("▶ Start &node…"), QKeySequence(Qt::CTRL | Qt::Key_N), [this] { openNodeDialog(); });
    m_stopNodeAction =
        make("actionStopNode", tr("■ S&top node"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), [this] {
            if (!m_selectedNode.isEmpty())
                stopNode(m_selectedNode);
        });
    m_newPodAction = make("actionNewPod", tr("+ &Pod from template…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                          [this] { openPodTemplateDialog(); });
    m_deleteAction = make("actionDeletePod", tr("&Delete pod"), QKeySequence(Qt::Key_Delete),
                          [this] { confirmDelete(selectedPodKeys(), false); });
    m_forceDeleteAction =
        make("actionForceDeletePod", tr("Fo&rce delete pod"), QKeySequence(Qt::SHIFT | Qt::Key_Delete),
             [this] { confirmDelete(selectedPodKeys(), true); });
    m_forceDeleteAction->setStatusTip(tr("Delete with --grace-period=0 --force"));
    m_logsAction =
        make("actionLogs", tr("&Logs"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] { openLogs(selectedPodKeys()); });
    m_findAction = make("actionFind", tr("&Find pods"), QKeySequence::Find, [this] {
        m_textFilter->setFocus();
        m_textFilter->selectAll();
    });
    m_darkAction = make("actionDarkPalette", tr("&Dark palette"), {}, [this](bool on) { setDarkPalette(on); });
    m_darkAction->setCheckable(true);
    m_aboutAction = make("actionAbout", tr("&About VK Studio"), {}, [this] { showAbout(); });
    m_quitAction = make("actionQuit", tr("&Quit"), QKeySequence::Quit, [this] { close(); });

    QMenu* cluster = menuBar()->addMenu(tr("&Cluster"));
    cluster->addActions({m_connectAction, m_sandboxAction});
    m_recentMenu = cluster->addMenu(tr("&Recent clusters"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    cluster->addAction(m_disconnectAction);
    cluster->addSeparator();
    cluster->addAction(m_quitAction);
    QMenu* nodes = menuBar()->addMenu(tr("&Nodes"));
    nodes->addActions({m_startNodeAction, m_stopNodeAction});
    QMenu* pods = menuBar()->addMenu(tr("&Pods"));
    pods->addActions({m_newPodAction, m_logsAction, m_deleteAction, m_forceDeleteAction, m_findAction});
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_darkAction);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void MainWindow::buildLayout()
{
    setDockNestingEnabled(true);
    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setMovable(false);
    toolbar->addActions({m_connectAction, m_sandboxAction});
    toolbar->addSeparator();
    toolbar->addActions({m_startNodeAction, m_stopNodeAction});
    toolbar->addSeparator();
    toolbar->addActions({m_newPodAction, m_logsAction, m_deleteAction});
    auto* spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_phaseFilter = new QComboBox(toolbar);
    m_phaseFilter->setObjectName(QStringLiteral("phaseFilter"));
    m_phaseFilter->addItem(tr("all phases"), QString());
    for (const char* phase : {"Pending", "Running", "Succeeded", "Failed", "Unknown"})
        m_phaseFilter->addItem(QLatin1String(phase), QLatin1String(phase));
    m_namespaceFilter = new QComboBox(toolbar);
    m_namespaceFilter->setObjectName(QStringLiteral("namespaceFilter"));
    m_namespaceFilter->addItem(tr("all namespaces"), QString());
    m_nodeFilter = new QComboBox(toolbar);
    m_nodeFilter->setObjectName(QStringLiteral("nodeFilter"));
    m_nodeFilter->addItem(tr("all nodes"), QString());
    m_textFilter = new QLineEdit(toolbar);
    m_textFilter->setObjectName(QStringLiteral("textFilter"));
    m_textFilter->setPlaceholderText(tr("filter pods (Ctrl+F)"));
    m_textFilter->setClearButtonEnabled(true);
    m_textFilter->setMaximumWidth(260);
    toolbar->addWidget(m_phaseFilter);
    toolbar->addWidget(m_namespaceFilter);
    toolbar->addWidget(m_nodeFilter);
    toolbar->addWidget(m_textFilter);
    connect(m_phaseFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setPhaseFilter(m_phaseFilter->currentData().toString()); });
    connect(m_namespaceFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setNamespaceFilter(m_namespaceFilter->currentData().toString()); });
    connect(m_nodeFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setNodeFilter(m_nodeFilter->currentData().toString()); });
    connect(m_textFilter, &QLineEdit::textChanged, m_filter, &PodFilterModel::setTextFilter);

    // Centre: banner + pod table.
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    m_bannerBox = new QWidget(central);
    m_bannerBox->setObjectName(QStringLiteral("messageBanner"));
    m_bannerBox->setAutoFillBackground(true);
    auto* bannerLayout = new QHBoxLayout(m_bannerBox);
    m_banner = new QLabel(m_bannerBox);
    m_banner->setObjectName(QStringLiteral("messageBannerLabel"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* closeBanner = new QToolButton(m_bannerBox);
    closeBanner->setObjectName(QStringLiteral("messageBannerClose"));
    closeBanner->setText(QStringLiteral("✕"));
    closeBanner->setAutoRaise(true);
    connect(closeBanner, &QToolButton::clicked, m_bannerBox, &QWidget::hide);
    bannerLayout->addWidget(m_banner, 1);
    bannerLayout->addWidget(closeBanner);
    m_bannerBox->hide();
    centralLayout->addWidget(m_bannerBox);

    m_podTable = new QTableView(central);
    m_podTable->setObjectName(QStringLiteral("podTable"));
    m_podTable->setModel(m_filter);
    m_podTable->setSortingEnabled(true);
    m_podTable->sortByColumn(PodTableModel::Age, Qt::AscendingOrder);
    connect(m_podModel, &PodTableModel::agesAdvanced, m_podTable->viewport(), qOverload<>(&QWidget::update));
    m_podTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_podTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_podTable->setAlternatingRowColors(true);
    m_podTable->setShowGrid(false);
    m_podTable->setWordWrap(false);
    m_podTable->verticalHeader()->hide();
    m_podTable->verticalHeader()->setDefaultSectionSize(m_podTable->fontMetrics().height() + 6);
    m_podTable->horizontalHeader()->setStretchLastSection(true);
    m_podTable->horizontalHeader()->resizeSection(PodTableModel::Name, 220);
    m_podTable->horizontalHeader()->resizeSection(PodTableModel::Status, 150);
    m_podTable->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_podTable->addActions({m_logsAction, m_deleteAction, m_forceDeleteAction});
    centralLayout->addWidget(m_podTable, 1);
    setCentralWidget(central);
    connect(m_podTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onPodSelectionChanged);
    connect(m_podTable, &QTableView::doubleClicked, this, [this] { openLogs(selectedPodKeys()); });
    connect(m_podModel, &PodTableModel::countChanged, this, [this](int) { updateFilterChoices(); });

    // Left: clusters → nodes.
    auto* left = new QDockWidget(tr("Clusters"), this);
    left->setObjectName(QStringLiteral("clustersDock"));
    left->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_tree = new QTreeWidget(left);
    m_tree->setObjectName(QStringLiteral("clusterTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions({m_startNodeAction, m_stopNodeAction});
    left->setWidget(m_tree);
    addDockWidget(Qt::LeftDockWidgetArea, left);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && item != m_clusterItem)
            selectNode(item->data(0, Qt::UserRole).toString());
    });

    // Right: node health.
    auto* right = new QDockWidget(tr("Node"), this);
    right->setObjectName(QStringLiteral("nodeDock"));
    right->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_nodePanel = new NodePanel(right);
    right->setWidget(m_nodePanel);
    addDockWidget(Qt::RightDockWidgetArea, right);

    // Bottom: details of the selection.
    auto* bottom = new QDockWidget(tr("Details"), this);
    bottom->setObjectName(QStringLiteral("detailsDock"));
    bottom->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    auto* details = new QWidget(bottom);
    auto* detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(2, 2, 2, 2);
    m_tabs = new QTabWidget(details);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_detailTitle = new QLabel(m_tabs);
    m_detailTitle->setObjectName(QStringLiteral("detailTitle"));
    m_tabs->setCornerWidget(m_detailTitle, Qt::TopRightCorner);
    m_lifecycle = new LifecycleView(m_history);
    auto* scroll = new QScrollArea(m_tabs);
    scroll->setWidget(m_lifecycle);
    scroll->setWidgetResizable(true);
    m_tabs->addTab(scroll, tr("Lifecycle"));
    m_details = new PodDetailsView(m_tabs);
    m_tabs->addTab(m_details, tr("Details"));
    m_logs = new LogView(m_tabs);
    m_tabs->addTab(m_logs, tr("Logs"));
    m_events = new QTreeWidget(m_tabs);
    m_events->setObjectName(QStringLiteral("eventsTree"));
    m_events->setRootIsDecorated(false);
    m_events->setHeaderLabels({tr("Last seen"), tr("Type"), tr("Reason"), tr("Object"), tr("Source"), tr("Message")});
    m_tabs->addTab(m_events, tr("Events"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_eventsStale && m_tabs->currentWidget() == m_events)
            refreshEventsView();
    });
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_yaml = new QPlainTextEdit(m_tabs);
    m_yaml->setObjectName(QStringLiteral("yamlView"));
    m_yaml->setReadOnly(true);
    m_yaml->setFont(fixed);
    EditorHighlighting::attach(m_yaml->document(), EditorHighlighting::Language::Yaml);
    m_tabs->addTab(m_yaml, tr("YAML"));
    m_env = new QPlainTextEdit(m_tabs);
    m_env->setObjectName(QStringLiteral("envView"));
    m_env->setReadOnly(true);
    m_env->setFont(fixed);
    m_tabs->addTab(m_env, tr("Env"));
    m_activity = new QPlainTextEdit(m_tabs);
    m_activity->setObjectName(QStringLiteral("activityLog"));
    m_activity->setReadOnly(true);
    m_activity->setFont(fixed);
    m_activity->setMaximumBlockCount(20000);
    m_tabs->addTab(m_activity, tr("Agent log"));
    detailsLayout->addWidget(m_tabs);
    bottom->setWidget(details);
    addDockWidget(Qt::BottomDockWidgetArea, bottom);
    resizeDocks({bottom}, {320}, Qt::Vertical);
    resizeDocks({left, right}, {240, 320}, Qt::Horizontal);

    connect(m_logs, &LogView::startRequested, this, [this](int id, const LogRequest& request) {
        m_agent->post([host = m_agent->host(), id, request] { host->startLogs(id, request); });
    });
    connect(m_logs, &LogView::stopRequested, this,
            [this](int id) { m_agent->post([host = m_agent->host(), id] { host->stopLogs(id); }); });

    // Status bar: connection, agent, API rate, last error.
    m_connectionLabel = new QLabel(tr("○ not connected"), this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionStatusLabel"));
    m_agentLabel = new QLabel(tr("agent: no nodes"), this);
    m_agentLabel->setObjectName(QStringLiteral("agentStatusLabel"));
    m_apiLabel = new QLabel(this);
    m_apiLabel->setObjectName(QStringLiteral("apiStatusLabel"));
    m_errorLabel = new QLabel(tr("last error: none"), this);
    m_errorLabel->setObjectName(QStringLiteral("lastErrorLabel"));
    statusBar()->addWidget(m_connectionLabel);
    statusBar()->addWidget(m_agentLabel);
    statusBar()->addWidget(m_apiLabel);
    statusBar()->addWidget(m_errorLabel, 1);
}

void MainWindow::wireAgent()
{
    AgentHost* host = m_agent->host();
    connect(host, &AgentHost::connectionStateChanged, this, &MainWindow::onConnectionState);
    connect(host, &AgentHost::sandboxStarted, this, [this](const QString& kubeconfig, const QString& url) {
        m_connectionLabel->setToolTip(tr("%1\nkubectl: export KUBECONFIG=%2").arg(url, kubeconfig));
    });
    connect(host, &AgentHost::podsChanged, this, [this](const QList<PodSummary>& pods, const QStringList& removed) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const PodSummary& pod : pods)
            m_history->observe(pod);
        for (const QString& key : removed)
            m_history->observeRemoved(key, now);
        m_podModel->applyChanges(pods, removed);
        if (!m_selectedPod.isEmpty()) {
            for (const PodSummary& pod : pods) {
                if (pod.key() == m_selectedPod) {
                    m_details->setPod(pod);
                    const QString key = m_selectedPod;
                    m_agent->post([host = m_agent->host(), key] { host->requestPodDetails(key); });
                    break;
                }
            }
        }
    });
    connect(host, &AgentHost::nodesChanged, this, &MainWindow::onNodesChanged);
    connect(host, &AgentHost::nodeUsageChanged, this, [this](const QString& node, const NodeUsage& usage) {
        m_usage.insert(node, usage);
        if (node == m_nodePanel->nodeName())
            m_nodePanel->setUsage(usage);
    });
    connect(host, &AgentHost::eventsAdded, this, &MainWindow::onEvents);
    connect(host, &AgentHost::virtualNodeChanged, this, &MainWindow::onVirtualNode);
    connect(host, &AgentHost::virtualNodeRemoved, this, [this](const QString& name) {
        m_virtualNodes.remove(name);
        updateTreeNode(name);
        updateActions();
    });
    connect(host, &AgentHost::activity, this, &MainWindow::onActivity);
    connect(host, &AgentHost::operationFinished, this, [this](const QString& what, bool ok, const QString& message) {
        if (ok) {
            statusBar()->showMessage(message, 5000);
        } else {
            showBanner(tr("%1 failed: %2").arg(what, message));
        }
    });
    connect(host, &AgentHost::logLines, m_logs, &LogView::appendLines);
    connect(host, &AgentHost::logFinished, m_logs, &LogView::streamFinished);
    connect(host, &AgentHost::podDetails, this,
            [this](const QString& key, const QString& yaml, const QString& environment) {
                if (key != m_selectedPod)
                    return;
                if (m_yaml->toPlainText() != yaml) {
                    const int scroll = m_yaml->verticalScrollBar()->value();
                    m_yaml->setPlainText(yaml.isEmpty() ? tr("# %1 no longer exists").arg(key) : yaml);
                    m_yaml->verticalScrollBar()->setValue(scroll);
                }
                if (m_env->toPlainText() != environment)
                    m_env->setPlainText(environment);
            });
    connect(host, &AgentHost::apiRate, this, [this](double rate, int errors) {
        m_apiLabel->setText(errors > 0 ? tr("API %1 req/s, %2 errors").arg(rate, 0, 'f', 0).arg(errors)
                                       : tr("API %1 req/s").arg(rate, 0, 'f', 0));
    });
}

void MainWindow::connectTo(const ConnectionRequest& request)
{
    m_current = request;
    m_podModel->clear();
    m_history->clear();
    m_nodes.clear();
    m_usage.clear();
    m_eventLog.clear();
    m_events->clear();
    m_logs->stopAll();
    m_nodePanel->clearNode();
    m_lifecycle->clearSubject();
    m_selectedNode.clear();
    m_selectedPod.clear();
    delete m_clusterItem;
    m_clusterItem = nullptr;
    m_bannerBox->hide();
    m_agent->post([host = m_agent->host(), request] { host->connectTo(request); });
}

void MainWindow::startNode(const NodeRequest& request)
{
    m_agent->post([host = m_agent->host(), request] { host->startNode(request); });
}

void MainWindow::stopNode(const QString& nodeName)
{
    m_agent->post([host = m_agent->host(), nodeName] { host->stopNode(nodeName); });
}

void MainWindow::createFromText(const QString& yaml)
{
    const QString ns = m_namespaceFilter->currentData().toString();
    m_agent->post([host = m_agent->host(), yaml, ns] { host->createObjects(yaml, ns); });
}

void MainWindow::deletePods(const QStringList& keys, bool force)
{
    for (const QString& key : keys) {
        const QString ns = key.section(QLatin1Char('/'), 0, 0);
        const QString name = key.section(QLatin1Char('/'), 1, 1);
        m_agent->post([host = m_agent->host(), ns, name, force] { host->deletePod(ns, name, force); });
    }
}

void MainWindow::confirmDelete(const QStringList& keys, bool force)
{
    if (keys.isEmpty())
        return;
    const QString what = keys.size() == 1 ? tr("pod %1").arg(keys.constFirst()) : tr("%n pods", nullptr, keys.size());
    const QString text = force ? tr("Force delete %1?").arg(what) : tr("Delete %1?").arg(what);
    const QString detail =
        force ? tr("The API object is removed at once (--grace-period=0 --force), whether or not the provider has "
                   "stopped the containers.")
              : tr("The pod gets its termination grace period; the node's provider stops its containers.");
    auto* box = new QMessageBox(QMessageBox::Question, force ? tr("Force delete") : tr("Delete"), text,
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    box->setInformativeText(detail);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, keys, force](QAbstractButton* button) {
        if (box->standardButton(button) == QMessageBox::Yes)
            deletePods(keys, force);
    });
    box->open();
}

void MainWindow::openLogs(const QStringList& podKeys)
{
    if (podKeys.isEmpty())
        return;
    m_tabs->setCurrentWidget(m_logs);
    m_logs->setPods(podKeys);
}

bool MainWindow::selectPod(const QString& key)
{
    if (key.isEmpty()) {
        m_podTable->clearSelection();
        return true;
    }
    const int sourceRow = m_podModel->rowOf(key);
    if (sourceRow < 0)
        return false;
    const QModelIndex index = m_filter->mapFromSource(m_podModel->index(sourceRow, 0));
    if (!index.isValid())
        return false;
    m_podTable->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_podTable->setCurrentIndex(index);
    m_podTable->scrollTo(index);
    return true;
}

void MainWindow::selectNode(const QString& nodeName)
{
    m_selectedNode = nodeName;
    if (nodeName.isEmpty()) {
        m_nodePanel->clearNode();
    } else {
        m_nodePanel->setNode(nodeOrPlaceholder(m_nodes, nodeName));
        m_nodePanel->setUsage(m_usage.value(nodeName));
        if (m_virtualNodes.contains(nodeName))
            m_nodePanel->setVirtualNodeState(m_virtualNodes.value(nodeName));
        if (m_selectedPod.isEmpty()) {
            m_lifecycle->showNode(nodeName);
            m_detailTitle->setText(tr("node %1").arg(nodeName));
        }
    }
    refreshEventsView();
    updateActions();
}

void MainWindow::onPodSelectionChanged()
{
    const QStringList keys = selectedPodKeys();
    m_selectedPod = keys.value(0);
    if (m_selectedPod.isEmpty()) {
        if (!m_selectedNode.isEmpty())
            m_lifecycle->showNode(m_selectedNode);
        m_detailTitle->setText(m_selectedNode.isEmpty() ? QString() : tr("node %1").arg(m_selectedNode));
        m_details->clear();
        m_yaml->clear();
        m_env->clear();
    } else {
        m_lifecycle->showPod(m_selectedPod);
        m_detailTitle->setText(QStringLiteral("%1 · %2").arg(m_selectedPod.section(QLatin1Char('/'), 1),
                                                             m_selectedPod.section(QLatin1Char('/'), 0, 0)));
        const QString key = m_selectedPod;
        if (const PodSummary* pod = m_podModel->pod(key))
            m_details->setPod(*pod);
        m_agent->post([host = m_agent->host(), key] { host->requestPodDetails(key); });
        if (const PodSummary* pod = m_podModel->pod(key);
            pod && !pod->nodeName.isEmpty() && pod->nodeName != m_nodePanel->nodeName()) {
            m_nodePanel->setNode(nodeOrPlaceholder(m_nodes, pod->nodeName));
            m_nodePanel->setUsage(m_usage.value(pod->nodeName));
            if (m_virtualNodes.contains(pod->nodeName))
                m_nodePanel->setVirtualNodeState(m_virtualNodes.value(pod->nodeName));
        }
    }
    refreshEventsView();
    updateActions();
}

QStringList MainWindow::selectedPodKeys() const
{
    QStringList keys;
    const QModelIndexList rows = m_podTable->selectionModel()->selectedRows();
    for (const QModelIndex& index : rows)
        keys.append(index.data(PodTableModel::KeyRole).toString());
    return keys;
}

void MainWindow::onConnectionState(AgentHost::ConnectionState state,
                                   const QString& name,
                                   const QString& url,
                                   const QString& message)
{
    m_state = state;
    switch (state) {
    case AgentHost::ConnectionState::Connecting:
        m_connectionLabel->setText(tr("◌ connecting to %1…").arg(name));
        statusBar()->showMessage(tr("Connecting to %1…").arg(name));
        break;
    case AgentHost::ConnectionState::Connected: {
        m_connectionLabel->setText(tr("● %1 (%2) connected").arg(name, url));
        statusBar()->showMessage(tr("Connected to %1, Kubernetes %2").arg(url, message), 5000);
        setWindowTitle(tr("VK Studio — %1").arg(name));
        rememberCluster(m_current);
        delete m_clusterItem;
        m_clusterItem = new QTreeWidgetItem(m_tree, {QStringLiteral("%1  ●").arg(name)});
        m_clusterItem->setToolTip(0, url);
        m_clusterItem->setExpanded(true);
        for (const QString& node : std::as_const(m_options.autoStartNodes)) {
            NodeRequest request;
            request.nodeName = node;
            startNode(request);
        }
        m_options.autoStartNodes.clear();
        break;
    }
    case AgentHost::ConnectionState::Failed:
        m_connectionLabel->setText(tr("✗ %1: connection failed").arg(name));
        showBanner(tr("Cannot connect to %1: %2").arg(name, message));
        statusBar()->clearMessage();
        break;
    case AgentHost::ConnectionState::Disconnected:
        m_connectionLabel->setText(tr("○ not connected"));
        setWindowTitle(tr("VK Studio"));
        delete m_clusterItem;
        m_clusterItem = nullptr;
        m_podModel->clear();
        break;
    }
    updateActions();
}

void MainWindow::onNodesChanged(const QList<NodeSummary>& nodes, const QStringList& removed)
{
    for (const NodeSummary& node : nodes) {
        m_nodes.insert(node.name, node);
        updateTreeNode(node.name);
        if (node.name == m_nodePanel->nodeName())
            m_nodePanel->setNode(node);
    }
    for (const QString& name : removed) {
        m_nodes.remove(name);
        updateTreeNode(name);
    }
    updateFilterChoices();
}

void MainWindow::updateTreeNode(const QString& nodeName)
{
    if (!m_clusterItem)
        return;
    QTreeWidgetItem* item = nullptr;
    for (int i = 0; i < m_clusterItem->childCount(); ++i) {
        if (m_clusterItem->child(i)->data(0, Qt::UserRole).toString() == nodeName)
            item = m_clusterItem->child(i);
    }
    const bool exists = m_nodes.contains(nodeName) || m_virtualNodes.contains(nodeName);
    if (!exists) {
        delete item;
        return;
    }
    if (!item) {
        item = new QTreeWidgetItem(m_clusterItem);
        item->setData(0, Qt::UserRole, nodeName);
        m_clusterItem->setExpanded(true);
    }
    const NodeSummary node = m_nodes.value(nodeName);
    QString text = nodeName;
    QColor color(0x8e, 0x8e, 0x93);
    QString tip;
    if (m_nodes.contains(nodeName)) {
        text += node.ready ? tr("  ● Ready") : tr("  ○ NotReady");
        color = node.ready ? style::healthy() : style::failing();
    }
    if (m_virtualNodes.contains(nodeName)) {
        const VirtualNodeState& state = m_virtualNodes[nodeName];
        text += tr("  [%1 · %2]").arg(state.provider, VirtualNodeState::phaseName(state.phase));
        tip = state.message;
        if (state.phase == VirtualNodeState::Phase::Starting)
            color = style::progressing();
        if (state.phase == VirtualNodeState::Phase::Failed)
            color = style::failing();
    }
    item->setText(0, text);
    item->setForeground(0, color);
    item->setToolTip(0, tip);
}

void MainWindow::onVirtualNode(const VirtualNodeState& state)
{
    const VirtualNodeState previous = m_virtualNodes.value(state.nodeName);
    m_virtualNodes.insert(state.nodeName, state);
    updateTreeNode(state.nodeName);
    if (state.nodeName == m_nodePanel->nodeName())
        m_nodePanel->setVirtualNodeState(state);
    if (state.phase == VirtualNodeState::Phase::Failed && previous.phase != VirtualNodeState::Phase::Failed)
        showBanner(tr("Node %1 failed: %2").arg(state.nodeName, state.message));
    if (state.phase == VirtualNodeState::Phase::Starting)
        statusBar()->showMessage(tr("Registering node %1…").arg(state.nodeName));
    if (state.phase == VirtualNodeState::Phase::Ready && previous.phase != VirtualNodeState::Phase::Ready) {
        statusBar()->showMessage(tr("Node %1 is Ready").arg(state.nodeName), 5000);
        if (m_selectedNode.isEmpty())
            selectNode(state.nodeName);
    }
    int running = 0;
    for (const auto& s : std::as_const(m_virtualNodes)) {
        if (s.phase == VirtualNodeState::Phase::Ready || s.phase == VirtualNodeState::Phase::Starting)
            ++running;
    }
    m_agentLabel->setText(running ? tr("agent ● running · %n node(s)", nullptr, running) : tr("agent: no nodes"));
    updateActions();
}

void MainWindow::onEvents(const QList<EventSummary>& events)
{
    for (const EventSummary& event : events) {
        m_history->addEvent(event);
        m_eventLog.append(event);
    }
    if (m_eventLog.size() > 5000)
        m_eventLog.erase(m_eventLog.begin(), m_eventLog.begin() + (m_eventLog.size() - 5000));
    refreshEventsView();
}

void MainWindow::refreshEventsView()
{
    // Rebuilt only while shown (hundreds of items at each batch of events otherwise): else when next shown.
    m_eventsStale = m_tabs->currentWidget() != m_events;
    if (m_eventsStale)
        return;
    // The events of the selected pod, else of the selected node and its pods, else the latest of all.
    QList<QTreeWidgetItem*> items;
    int shown = 0;
    for (auto it = m_eventLog.crbegin(); it != m_eventLog.crend() && shown < 500; ++it) {
        const EventSummary& e = *it;
        bool match = true;
        if (!m_selectedPod.isEmpty())
            match = e.involvedKind == QLatin1String("Pod") && e.involvedKey() == m_selectedPod;
        else if (!m_selectedNode.isEmpty())
            match = (e.involvedKind == QLatin1String("Node") && e.involvedName == m_selectedNode) ||
                    e.source.contains(m_selectedNode);
        if (!match)
            continue;
        ++shown;
        auto* item = new QTreeWidgetItem({style::exactTime(e.lastTime), e.type, e.reason,
                                          QStringLiteral("%1/%2").arg(e.involvedKind.toLower(), e.involvedName),
                                          e.source, e.message});
        if (e.type == QLatin1String("Warning"))
            item->setForeground(1, style::failing());
        if (e.count > 1)
            item->setToolTip(2, tr("seen %1 times since %2").arg(e.count).arg(style::exactTime(e.firstTime)));
        items.append(item);
    }
    m_events->clear();
    m_events->addTopLevelItems(items);
}

void MainWindow::onActivity(const QList<ActivityLine>& lines)
{
    // One insertion for the whole batch: appending line by line relayouts the log for each.
    QStringList texts;
    texts.reserve(lines.size());
    const ActivityLine* lastWarning = nullptr;
    for (const ActivityLine& line : lines) {
        texts.append(QStringLiteral("%1 %2%3").arg(
            style::exactTime(line.time),
            line.nodeName.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(line.nodeName), line.message));
        if (line.warning)
            lastWarning = &line;
    }
    if (!texts.isEmpty())
        m_activity->appendPlainText(texts.join(QLatin1Char('\n')));
    if (lastWarning) {
        m_errorLabel->setText(tr("last error: %1").arg(lastWarning->message.left(120)));
        m_errorLabel->setToolTip(lastWarning->message);
    }
}

void MainWindow::showBanner(const QString& text, bool error)
{
    m_banner->setText(text);
    QPalette pal = m_bannerBox->palette();
    pal.setColor(QPalette::Window, error ? QColor(0xf8, 0xd7, 0xda) : QColor(0xd1, 0xec, 0xf1));
    pal.setColor(QPalette::WindowText, QColor(0x33, 0x1b, 0x1e));
    m_bannerBox->setPalette(pal);
    m_banner->setPalette(pal);
    m_bannerBox->show();
}

QString MainWindow::bannerText() const
{
    return m_bannerBox->isVisible() || !m_bannerBox->isHidden() ? m_banner->text() : QString();
}

void MainWindow::updateActions()
{
    const bool connected = m_state == AgentHost::ConnectionState::Connected;
    const bool havePods = !selectedPodKeys().isEmpty();
    m_disconnectAction->setEnabled(connected || m_state == AgentHost::ConnectionState::Failed);
    m_startNodeAction->setEnabled(connected);
    m_newPodAction->setEnabled(connected);
    const auto selected = m_virtualNodes.constFind(m_selectedNode);
    m_stopNodeAction->setEnabled(
        selected != m_virtualNodes.constEnd() &&
        (selected->phase == VirtualNodeState::Phase::Ready || selected->phase == VirtualNodeState::Phase::Starting));
    m_deleteAction->setEnabled(connected && havePods);
    m_forceDeleteAction->setEnabled(connected && havePods);
    m_logsAction->setEnabled(connected && havePods);
}

void MainWindow::updateFilterChoices()
{
    auto sync = [](QComboBox* combo, const QStringList& values) {
        QStringList current;
        for (int i = 1; i < combo->count(); ++i)
            current.append(combo->itemData(i).toString());
        if (current == values)
            return;
        const QString selected = combo->currentData().toString();
        const QSignalBlocker blocker(combo);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const QString& v : values)
            combo->addItem(v, v);
        const int index = combo->findData(selected);
        combo->setCurrentIndex(index < 0 ? 0 : index);
    };
    sync(m_namespaceFilter, m_podModel->namespaces());
    QStringList nodes = m_nodes.keys();
    nodes.sort();
    sync(m_nodeFilter, nodes);
}

void MainWindow::rememberCluster(const ConnectionRequest& request)
{
    m_recent.removeAll(request);
    m_recent.prepend(request);
    while (m_recent.size() > 8)
        m_recent.removeLast();
    saveRecent();
    rebuildRecentMenu();
}

void MainWindow::saveRecent()
{
    QSettings settings;
    settings.beginGroup(m_options.settingsGroup);
    QVariantList list;
    for (const auto& r : std::as_const(m_recent))
        list.append(toVariant(r));
    // Only where to find the cluster: files, context, namespace. Never credentials.
    settings.setValue(QStringLiteral("recentClusters"), list);
}

void MainWindow::loadSettings()
{
    QSettings settings;
    settings.beginGroup(m_options.settingsGroup);
    for (const QVariant& v : settings.value(QStringLiteral("recentClusters")).toList())
        m_recent.append(fromVariant(v.toMap()));
    rebuildRecentMenu();
    if (settings.value(QStringLiteral("darkPalette")).toBool())
        setDarkPalette(true);
}

void MainWindow::setDarkPalette(bool dark)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (!dark) {
        QApplication::setPalette(QApplication::style()->standardPalette());
    } else {
        QPalette p;
        p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
        p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
        p.setColor(QPalette::ToolTipBase, QColor(0x31, 0x33, 0x38));
        p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Button, QColor(0x31, 0x33, 0x38));
        p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xd9));
        p.setColor(QPalette::HighlightedText, QColor(Qt::white));
        p.setColor(QPalette::PlaceholderText, style::unknown());
        p.setColor(QPalette::Mid, QColor(0x4a, 0x4d, 0x52));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x70, 0x70));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
        QApplication::setPalette(p);
    }
    if (m_darkAction->isChecked() != dark)
        m_darkAction->setChecked(dark);
    QSettings settings;
    settings.beginGroup(m_options.settingsGroup);
    settings.setValue(QStringLiteral("darkPalette"), dark);
}

void MainWindow::openConnectDialog()
{
    if (auto* open = findChild<ConnectDialog*>(QStringLiteral("connectDialog"))) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new ConnectDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setRecent(m_recent);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { connectTo(dialog->request()); });
    dialog->open();
}

QString MainWindow::unusedNodeName() const
{
    for (int i = 0;; ++i) {
        const QString name = QStringLiteral("vk-mock-%1").arg(i);
        if (!m_virtualNodes.contains(name) && !m_nodes.contains(name))
            return name;
    }
}

void MainWindow::openNodeDialog()
{
    if (auto* open = findChild<NodeDialog*>(QStringLiteral("nodeDialog"))) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new NodeDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The previous node's settings again, under a fresh name; its config entry (keyed by node name) moves along.
    NodeRequest request = m_lastNodeRequest;
    request.nodeName = unusedNodeName();
    const QJsonObject lastConfig = QJsonDocument::fromJson(m_lastNodeRequest.providerConfigJson).object();
    const QJsonValue entry = lastConfig.value(m_lastNodeRequest.nodeName);
    request.providerConfigText =
        entry.isObject()
            ? QString::fromUtf8(QJsonDocument(QJsonObject{{request.nodeName, entry}}).toJson(QJsonDocument::Indented))
            : QString();
    request.providerConfigJson.clear();
    dialog->setRequest(request);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_lastNodeRequest = dialog->request();
        startNode(m_lastNodeRequest);
    });
    dialog->open();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    for (const ConnectionRequest& request : std::as_const(m_recent)) {
        QString text = request.displayName();
        if (!request.namespaceName.isEmpty())
            text += QStringLiteral(" (%1)").arg(request.namespaceName);
        if (!request.kubeconfigFiles.isEmpty())
            text += QStringLiteral(" — %1").arg(request.kubeconfigFiles.join(QStringLiteral(", ")));
        QAction* action = m_recentMenu->addAction(text, this, [this, request] { connectTo(request); });
        action->setObjectName(QStringLiteral("recentCluster_%1").arg(m_recentMenu->actions().size() - 1));
    }
    if (m_recent.isEmpty()) {
        m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear list"), this, [this] {
        m_recent.clear();
        saveRecent();
        rebuildRecentMenu();
    });
}

void MainWindow::openPodTemplateDialog()
{
    auto* dialog = new PodTemplateDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { createFromText(dialog->text()); });
    dialog->open();
}

void MainWindow::showAbout()
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("About VK Studio"),
                                tr("<h3>VK Studio %1</h3>"
                                   "<p>A desktop console with an embedded virtual-kubelet agent.</p>"
                                   "<p>Qt %2 (built with %3)<br>%4<br>Kubernetes API v1.32 (sandbox)</p>"
                                   "<p>Licensed under the Apache License 2.0.</p>")
                                    .arg(QStringLiteral(VK_VERSION), QString::fromLatin1(qVersion()),
                                         QStringLiteral(QT_VERSION_STR), QSslSocket::sslLibraryVersionString()),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_logs->stopAll();
    event->accept();
}

} // namespace vk::console
