// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ConsoleTypes.h"
#include "ProviderConfigValidator.h"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

namespace vk::console {

class ConfigEditor;

/// The "Start node" dialog (objectName "nodeDialog"): a form for the common fields on the left, the provider
/// config in a highlighted editor on the right, kept in sync both ways (the form edits the node's entry of the
/// config, which is keyed by node name; editing the text updates the form whenever it parses), a templates menu,
/// and validation as you type (debounced) with the error underlined at its line and shown in "validationLabel".
/// "startNodeButton" is enabled only while everything is valid. Works non-modally with open().
class NodeDialog : public QDialog
{
    Q_OBJECT

public:
    /// A ready-made provider config ("Mock: slow start"): the node's entry of the config.
    struct Template
    {
        QString id;    ///< objectName of its action is "template_" + id
        QString title; ///< menu text
        QString provider;
        QJsonObject entry;
    };

    explicit NodeDialog(QWidget* parent = nullptr);
    ~NodeDialog() override;

    NodeRequest request() const;
    void setRequest(const NodeRequest& request);

    /// The built-in templates of a provider (the mock provider has several).
    static QList<Template> templates(const QString& provider);
    /// Replaces the config with the template (as JSON, or YAML when the text is YAML) for the current node name.
    void applyTemplate(const QString& id);

    /// Valid as of the last validation (and no change since).
    bool isValid() const;
    /// The last validation's outcome: the first form error, else the config's.
    ConfigValidation validation() const { return m_validation; }
    /// Validates at once instead of after the typing pause.
    void validateNow();
    /// The pause after the last edit before validating (300 ms by default).
    void setValidationDelay(int ms);

    ConfigEditor* editor() const { return m_editor; }

Q_SIGNALS:
    /// After each validation.
    void validated(bool valid, const QString& message);

private:
    void buildUi();
    void populateProviders();
    void rebuildTemplatesMenu();
    void onProviderChanged();
    void onFormEdited();
    void onTextChanged();
    void writeFormToText();
    void readTextIntoForm(bool preferFormNodeName);
    void scheduleValidation();
    void updateStartButton();
    QString formError(int* focusHint) const;
    QString currentProvider() const;
    QMap<QString, QString> parseLabels(QString* error) const;

    QLineEdit* m_nodeName = nullptr;
    QComboBox* m_provider = nullptr;
    QLabel* m_providerDescription = nullptr;
    QLineEdit* m_cpu = nullptr;
    QLineEdit* m_memory = nullptr;
    QLineEdit* m_pods = nullptr;
    QCheckBox* m_taintEnabled = nullptr;
    QLineEdit* m_taintKey = nullptr;
    QLineEdit* m_taintValue = nullptr;
    QComboBox* m_taintEffect = nullptr;
    QPlainTextEdit* m_labels = nullptr;
    QDoubleSpinBox* m_qps = nullptr;
    QSpinBox* m_burst = nullptr;
    QToolButton* m_templates = nullptr;
    QLabel* m_language = nullptr;
    ConfigEditor* m_editor = nullptr;
    QLabel* m_validationLabel = nullptr;
    QPushButton* m_start = nullptr;
    QTimer* m_validationTimer = nullptr;

    QString m_configNodeName; ///< the key of the node's entry in the config text
    bool m_writingText = false;
    bool m_validationPending = true;
    ConfigValidation m_validation;
};

} // namespace vk::console
