// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"

#include <QDialog>
#include <QProcessEnvironment>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace vk::console {

class ConnectionTester;

/// The cluster dialog (objectName "connectDialog"): every context of the kubeconfig files ($KUBECONFIG or
/// ~/.kube/config, plus files added with "addFileButton") in "contextTable" (context, cluster, user, namespace,
/// file), a namespace override ("namespaceEdit"), "Test connection" ("testConnectionButton" → "testResultLabel":
/// server version, identity and round trip, or "<step> failed: <reason>"), a prominent "useSandboxButton" that
/// accepts with ConnectionRequest::Kind::Sandbox, and "connectButton" that accepts with the selected context.
/// Files that fail to load show their error in "kubeconfigErrorLabel". Works non-modally with open().
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(QWidget* parent = nullptr);
    /// `env` gives $KUBECONFIG and $HOME (tests point them at temporary files).
    explicit ConnectDialog(const QProcessEnvironment& env, QWidget* parent = nullptr);
    ~ConnectDialog() override;

    /// What was chosen: the sandbox, or the selected context (kubeconfigFiles empty unless files were added, so
    /// that $KUBECONFIG / ~/.kube/config are resolved as kubectl does).
    ConnectionRequest request() const;
    /// Recently used clusters, most recent first: the first one is preselected (its context row and namespace,
    /// or the sandbox button).
    void setRecent(const QList<ConnectionRequest>& recent);
    /// Adds a kubeconfig file (what "addFileButton" does after its file dialog) and reloads the table.
    void addFile(const QString& path);
    /// The files read: the default ones that exist, then the added ones.
    QStringList files() const;
    /// Re-reads every file.
    void reload();
    /// Selects the row of a context; false when it is not listed.
    bool selectContext(const QString& context);
    QString selectedContext() const;
    /// Whether no kubeconfig context was found at all (the sandbox is then the obvious choice).
    bool hasContexts() const;

    ConnectionTester* tester() const { return m_tester; }

private:
    void buildUi();
    void browseForFile();
    void testConnection();
    void showTestResult(const ConnectionTestResult& result);
    void updateButtons();

    QProcessEnvironment m_env;
    QStringList m_defaultFiles;
    QStringList m_addedFiles;
    QList<ConnectionRequest> m_recent;
    bool m_useSandbox = false;

    QPushButton* m_sandboxButton = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_filesLabel = nullptr;
    QLabel* m_errorLabel = nullptr;
    QPushButton* m_addFileButton = nullptr;
    QPushButton* m_reloadButton = nullptr;
    QLineEdit* m_namespace = nullptr;
    QPushButton* m_testButton = nullptr;
    QLabel* m_testResult = nullptr;
    QPushButton* m_connectButton = nullptr;
    ConnectionTester* m_tester = nullptr;
};

} // namespace vk::console
