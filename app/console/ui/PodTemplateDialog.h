// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace vk::console {

/// "New pod from template": pick a template (a web pod, a job that completes, a crashing pod, a pod reading a
/// ConfigMap, ...), edit the YAML, create. The templates tolerate the virtual-kubelet taint and select virtual
/// nodes, so the pods land on this console's nodes.
class PodTemplateDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PodTemplateDialog(QWidget* parent = nullptr);

    QString text() const;
    void setText(const QString& text);
    void selectTemplate(int index);
    static QStringList templateNames();
    static QString templateText(int index, const QString& podName);

private:
    void validate();

    QComboBox* m_templates;
    QPlainTextEdit* m_editor;
    QLabel* m_error;
    QPushButton* m_create = nullptr;
};

} // namespace vk::console
