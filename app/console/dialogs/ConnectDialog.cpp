// SPDX-License-Identifier: Apache-2.0
#include "ConnectDialog.h"

#include "ConnectionTester.h"
#include "DialogsLogging.h"
#include "EditorHighlighting.h"
#include "kubeconfig/KubeConfig.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vk::console {

namespace {

enum Column
{
    ContextColumn,
    ClusterColumn,
    UserColumn,
    NamespaceColumn,
    FileColumn,
    ColumnCount
};

QString displayPath(const QString& path)
{
    const QString home = QDir::homePath();
    return path.startsWith(home + QLatin1Char('/')) ? QLatin1Char('~') + path.mid(home.size()) : path;
}

} // namespace

ConnectDialog::ConnectDialog(QWidget* parent) : ConnectDialog(QProcessEnvironment::systemEnvironment(), parent) {}

ConnectDialog::ConnectDialog(const QProcessEnvironment& env, QWidget* parent) : QDialog(parent), m_env(env)
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to a cluster"));
    m_tester = new ConnectionTester(this);
    m_tester->setEnvironment(env);
    buildUi();
    reload();
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::buildUi()
{
    auto* layout = new QVBoxLayout(this);

    auto* sandboxBox = new QGroupBox(tr("Sandbox cluster"));
    sandboxBox->setObjectName(QStringLiteral("sandboxBox"));
    auto* sandboxLayout = new QHBoxLayout(sandboxBox);
    m_sandboxButton = new QPushButton(tr("▶  Use a &sandbox cluster"));
    m_sandboxButton->setObjectName(QStringLiteral("useSandboxButton"));
    QFont big = m_sandboxButton->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_sandboxButton->setFont(big);
    m_sandboxButton->setMinimumHeight(m_sandboxButton->sizeHint().height() * 3 / 2);
    sandboxLayout->addWidget(m_sandboxButton);
    auto* sandboxText = new QLabel(tr("Starts a Kubernetes API server inside VK Studio, on this machine: nothing to "
                                      "install, no kubeconfig needed. Ideal to try providers and watch pods."));
    sandboxText->setObjectName(QStringLiteral("sandboxDescriptionLabel"));
    sandboxText->setWordWrap(true);
    sandboxLayout->addWidget(sandboxText, 1);
    layout->addWidget(sandboxBox);

    auto* contextsBox = new QGroupBox(tr("Kubeconfig contexts"));
    auto* contextsLayout = new QVBoxLayout(contextsBox);
    m_table = new QTableWidget(0, ColumnCount);
    m_table->setObjectName(QStringLiteral("contextTable"));
    m_table->setHorizontalHeaderLabels({tr("Context"), tr("Cluster"), tr("User"), tr("Namespace"), tr("File")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    contextsLayout->addWidget(m_table, 1);
    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName(QStringLiteral("kubeconfigErrorLabel"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->hide();
    contextsLayout->addWidget(m_errorLabel);
    auto* filesRow = new QHBoxLayout;
    m_filesLabel = new QLabel;
    m_filesLabel->setObjectName(QStringLiteral("filesLabel"));
    m_filesLabel->setWordWrap(true);
    m_filesLabel->setForegroundRole(QPalette::PlaceholderText);
    filesRow->addWidget(m_filesLabel, 1);
    m_addFileButton = new QPushButton(tr("&Add file…"));
    m_addFileButton->setObjectName(QStringLiteral("addFileButton"));
    filesRow->addWidget(m_addFileButton);
    m_reloadButton = new QPushButton(tr("&Reload"));
    m_reloadButton->setObjectName(QStringLiteral("reloadButton"));
    filesRow->addWidget(m_reloadButton);
    contextsLayout->addLayout(filesRow);

    auto* form = new QFormLayout;
    m_namespace = new QLineEdit;
    m_namespace->setObjectName(QStringLiteral("namespaceEdit"));
    m_namespace->setPlaceholderText(tr("the context's namespace"));
    m_namespace->setClearButtonEnabled(true);
    form->addRow(tr("&Namespace:"), m_namespace);
    contextsLayout->addLayout(form);

    auto* testRow = new QHBoxLayout;
    m_testButton = new QPushButton(tr("&Test connection"));
    m_testButton->setObjectName(QStringLiteral("testConnectionButton"));
    testRow->addWidget(m_testButton);
    m_testResult = new QLabel;
    m_testResult->setObjectName(QStringLiteral("testResultLabel"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testRow->addWidget(m_testResult, 1);
    contextsLayout->addLayout(testRow);
    layout->addWidget(contextsBox, 1);

    auto* buttons = new QDialogButtonBox;
    buttons->setObjectName(QStringLiteral("buttonBox"));
    m_connectButton = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    layout->addWidget(buttons);
    resize(900, 560);

    connect(m_sandboxButton, &QPushButton::clicked, this, [this] {
        m_useSandbox = true;
        accept();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (selectedContext().isEmpty())
            return;
        m_useSandbox = false;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_addFileButton, &QPushButton::clicked, this, &ConnectDialog::browseForFile);
    connect(m_reloadButton, &QPushButton::clicked, this, &ConnectDialog::reload);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectDialog::testConnection);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        m_tester->cancel();
        m_testResult->clear();
        updateButtons();
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this] {
        if (!selectedContext().isEmpty()) {
            m_useSandbox = false;
            accept();
        }
    });
    connect(m_namespace, &QLineEdit::textEdited, m_testResult, &QLabel::clear);
}

QStringList ConnectDialog::files() const
{
    QStringList all;
    for (const QString& file : m_defaultFiles) {
        if (QFileInfo::exists(file) && !all.contains(file))
            all.append(file);
    }
    for (const QString& file : m_addedFiles) {
        if (!all.contains(file))
            all.append(file);
    }
    return all;
}

void ConnectDialog::addFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (path.isEmpty() || m_addedFiles.contains(absolute))
        return;
    m_addedFiles.append(absolute);
    reload();
    // Select the first context of the new file, so that "Test connection" is one click away.
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, FileColumn)->data(Qt::UserRole).toString() == absolute) {
            m_table->selectRow(row);
            break;
        }
    }
}

void ConnectDialog::browseForFile()
{
    auto* dialog = new QFileDialog(this, tr("Add a kubeconfig file"), QDir::homePath());
    dialog->setObjectName(QStringLiteral("kubeconfigFileDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &ConnectDialog::addFile);
    dialog->open();
}

void ConnectDialog::reload()
{
    const QString previous = selectedContext();
    m_defaultFiles = kube::KubeConfig::defaultPaths({}, m_env);
    m_table->setRowCount(0);
    QStringList errors;
    QStringList seen;
    QString currentContext;
    for (const QString& file : files()) {
        if (!QFileInfo::exists(file)) {
            errors.append(tr("%1: the file does not exist").arg(file));
            continue;
        }
        Result<kube::KubeConfig> config = kube::KubeConfig::loadFiles({file}, true);
        if (!config) {
            errors.append(config.error().message());
            qCInfo(lcDialogs).noquote() << "kubeconfig not loaded:" << config.error().message();
            continue;
        }
        if (currentContext.isEmpty())
            currentContext = config->currentContext();
        for (const kube::KubeConfig::NamedContext& context : config->contexts()) {
            if (seen.contains(context.name))
                continue; // kubectl's merge: the first file to define a context wins
            seen.append(context.name);
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            const QString values[ColumnCount] = {
                context.name, context.cluster, context.user,
                context.namespaceName.isEmpty() ? QStringLiteral("default") : context.namespaceName, displayPath(file)};
            for (int column = 0; column < ColumnCount; ++column) {
                auto* item = new QTableWidgetItem(values[column]);
                m_table->setItem(row, column, item);
            }
            m_table->item(row, ContextColumn)->setData(Qt::UserRole, context.name);
            m_table->item(row, FileColumn)->setData(Qt::UserRole, file);
            m_table->item(row, FileColumn)->setToolTip(file);
        }
    }
    // The current context in bold, with a tooltip.
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, ContextColumn)->data(Qt::UserRole).toString() != currentContext)
            continue;
        for (int column = 0; column < ColumnCount; ++column) {
            QFont font = m_table->item(row, column)->font();
            font.setBold(true);
            m_table->item(row, column)->setFont(font);
        }
        m_table->item(row, ContextColumn)->setToolTip(tr("current-context"));
    }
    m_table->resizeColumnsToContents();

    const QStringList read = files();
    m_filesLabel->setText(read.isEmpty() ? tr("No kubeconfig at %1: use the sandbox cluster, or add a file.")
                                               .arg(m_defaultFiles.join(QStringLiteral(", ")))
                                         : tr("Read: %1").arg(read.join(QStringLiteral(", "))));
    if (errors.isEmpty()) {
        m_errorLabel->clear();
        m_errorLabel->hide();
    } else {
        m_errorLabel->setText(errors.join(QLatin1Char('\n')));
        m_errorLabel->setStyleSheet(QStringLiteral("color: %1;").arg(HighlightFormats::errorColor(palette()).name()));
        m_errorLabel->show();
    }

    if (!previous.isEmpty() && selectContext(previous)) {
        // kept
    } else if (!currentContext.isEmpty()) {
        selectContext(currentContext);
    } else if (m_table->rowCount() > 0) {
        m_table->selectRow(0);
    }
    // Without any context the sandbox is the obvious way in.
    m_sandboxButton->setDefault(!hasContexts());
    m_connectButton->setDefault(hasContexts());
    updateButtons();
}

bool ConnectDialog::selectContext(const QString& context)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, ContextColumn)->data(Qt::UserRole).toString() == context) {
            m_table->selectRow(row);
            m_table->scrollToItem(m_table->item(row, ContextColumn));
            return true;
        }
    }
    return false;
}

QString ConnectDialog::selectedContext() const
{
    const QList<QTableWidgetItem*> selected = m_table->selectedItems();
    for (QTableWidgetItem* item : selected) {
        if (item->column() == ContextColumn)
            return item->data(Qt::UserRole).toString();
    }
    return {};
}

bool ConnectDialog::hasContexts() const
{
    return m_table->rowCount() > 0;
}

void ConnectDialog::updateButtons()
{
    const bool selected = !selectedContext().isEmpty();
    m_connectButton->setEnabled(selected);
    m_testButton->setEnabled(selected);
}

ConnectionRequest ConnectDialog::request() const
{
    ConnectionRequest request;
    if (m_useSandbox) {
        request.kind = ConnectionRequest::Kind::Sandbox;
        return request;
    }
    request.kind = ConnectionRequest::Kind::KubeConfig;
    if (!m_addedFiles.isEmpty())
        request.kubeconfigFiles = files();
    request.context = selectedContext();
    request.namespaceName = m_namespace->text().trimmed();
    return request;
}

void ConnectDialog::setRecent(const QList<ConnectionRequest>& recent)
{
    m_recent = recent;
    if (recent.isEmpty())
        return;
    const ConnectionRequest& last = recent.constFirst();
    if (last.kind == ConnectionRequest::Kind::Sandbox) {
        m_sandboxButton->setDefault(true);
        m_connectButton->setDefault(false);
        m_sandboxButton->setFocus();
        return;
    }
    bool reloadNeeded = false;
    for (const QString& file : last.kubeconfigFiles) {
        const QString absolute = QFileInfo(file).absoluteFilePath();
        if (!files().contains(absolute) && !m_addedFiles.contains(absolute)) {
            m_addedFiles.append(absolute);
            reloadNeeded = true;
        }
    }
    if (reloadNeeded)
        reload();
    if (!last.context.isEmpty())
        selectContext(last.context);
    m_namespace->setText(last.namespaceName);
}

void ConnectDialog::testConnection()
{
    ConnectionRequest kubeconfigRequest;
    kubeconfigRequest.kind = ConnectionRequest::Kind::KubeConfig;
    kubeconfigRequest.kubeconfigFiles = files(); // exactly what the table shows
    kubeconfigRequest.context = selectedContext();
    kubeconfigRequest.namespaceName = m_namespace->text().trimmed();
    m_testResult->setStyleSheet(QString());
    m_testResult->setText(tr("Testing %1…").arg(kubeconfigRequest.context));
    m_testButton->setEnabled(false);
    m_tester->test(kubeconfigRequest, this, [this](const ConnectionTestResult& result) { showTestResult(result); });
}

void ConnectDialog::showTestResult(const ConnectionTestResult& result)
{
    updateButtons();
    if (result.ok()) {
        m_testResult->setStyleSheet(QString());
        m_testResult->setText(tr("✓ Kubernetes %1 at %2, as %3, round trip %4 ms")
                                  .arg(result.serverVersion, result.serverUrl, result.identity)
                                  .arg(result.roundTripMs));
        return;
    }
    m_testResult->setStyleSheet(QStringLiteral("color: %1;").arg(HighlightFormats::errorColor(palette()).name()));
    m_testResult->setText(tr("✗ %1 failed: %2").arg(ConnectionTestResult::stepName(result.failedStep), result.message));
}

} // namespace vk::console
