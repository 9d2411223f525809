// SPDX-License-Identifier: Apache-2.0
#include "PodTemplateDialog.h"

#include "EditorHighlighting.h"
#include "core/Json.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QVBoxLayout>

namespace vk::console {

namespace {

QString common(const QString& name, const QString& annotations)
{
    return QStringLiteral("apiVersion: v1\n"
                          "kind: Pod\n"
                          "metadata:\n"
                          "  name: %1\n"
                          "%2"
                          "spec:\n"
                          "  nodeSelector:\n"
                          "    type: virtual-kubelet\n"
                          "  tolerations:\n"
                          "  - key: virtual-kubelet.io/provider\n"
                          "    operator: Exists\n")
        .arg(name, annotations);
}

} // namespace

QStringList PodTemplateDialog::templateNames()
{
    return {tr("Web server (runs until deleted)"), tr("Job (completes after 5 s)"), tr("Crashing container (restarts)"),
            tr("Slow start (pending 3 s, ready after 2 s)"), tr("Env from a ConfigMap (created alongside)")};
}

QString PodTemplateDialog::templateText(int index, const QString& podName)
{
    switch (index) {
    case 0:
        return common(podName,
                      QStringLiteral("  annotations:\n"
                                     "    mock.vk-studio.io/lifecycle: '{\"pendingMs\": 800, \"readyMs\": 700, "
                                     "\"logLinesPerSecond\": 2, \"logLine\": \"GET / 200 ({n})\"}'\n")) +
               QStringLiteral("  containers:\n"
                              "  - name: web\n"
                              "    image: nginx:1.27\n"
                              "    ports:\n"
                              "    - containerPort: 80\n"
                              "    resources:\n"
                              "      requests:\n"
                              "        cpu: 100m\n"
                              "        memory: 64Mi\n");
    case 1:
        return common(podName,
                      QStringLiteral("  annotations:\n"
                                     "    mock.vk-studio.io/lifecycle: '{\"pendingMs\": 1000, \"runMs\": 5000, "
                                     "\"exitCode\": 0}'\n")) +
               QStringLiteral("  restartPolicy: Never\n"
                              "  containers:\n"
                              "  - name: job\n"
                              "    image: busybox:1.36\n"
                              "    command: [\"sh\", \"-c\", \"echo working; sleep 5\"]\n");
    case 2:
        return common(podName, QStringLiteral("  annotations:\n"
                                              "    mock.vk-studio.io/lifecycle: '{\"runMs\": 3000, \"exitCode\": 1, "
                                              "\"restartDelayMs\": 5000}'\n")) +
               QStringLiteral("  containers:\n"
                              "  - name: app\n"
                              "    image: busybox:1.36\n"
                              "    command: [\"sh\", \"-c\", \"exit 1\"]\n");
    case 3:
        return common(podName,
                      QStringLiteral("  annotations:\n"
                                     "    mock.vk-studio.io/lifecycle: '{\"pendingMs\": 3000, \"readyMs\": 2000}'\n")) +
               QStringLiteral("  containers:\n"
                              "  - name: app\n"
                              "    image: nginx:1.27\n");
    case 4:
        return QStringLiteral("apiVersion: v1\n"
                              "kind: ConfigMap\n"
                              "metadata:\n"
                              "  name: %1-config\n"
                              "data:\n"
                              "  GREETING: hello from a ConfigMap\n"
                              "---\n")
                   .arg(podName) +
               common(podName, {}) +
               QStringLiteral("  containers:\n"
                              "  - name: app\n"
                              "    image: busybox:1.36\n"
                              "    envFrom:\n"
                              "    - configMapRef:\n"
                              "        name: %1-config\n"
                              "    env:\n"
                              "    - name: POD_IP\n"
                              "      valueFrom:\n"
                              "        fieldRef:\n"
                              "          fieldPath: status.podIP\n"
                              "    - name: NODE\n"
                              "      valueFrom:\n"
                              "        fieldRef:\n"
                              "          fieldPath: spec.nodeName\n")
                   .arg(podName);
    }
    return {};
}

PodTemplateDialog::PodTemplateDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("podTemplateDialog"));
    setWindowTitle(tr("New pod from template"));
    resize(640, 520);
    auto* layout = new QVBoxLayout(this);
    m_templates = new QComboBox(this);
    m_templates->setObjectName(QStringLiteral("podTemplateCombo"));
    m_templates->addItems(templateNames());
    layout->addWidget(m_templates);
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("podTemplateEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    EditorHighlighting::attach(m_editor->document(), EditorHighlighting::Language::Yaml);
    layout->addWidget(m_editor, 1);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("podTemplateError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d93f3f"));
    layout->addWidget(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_create = buttons->addButton(tr("&Create"), QDialogButtonBox::AcceptRole);
    m_create->setObjectName(QStringLiteral("podTemplateCreateButton"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_templates, &QComboBox::currentIndexChanged, this, &PodTemplateDialog::selectTemplate);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &PodTemplateDialog::validate);
    selectTemplate(0);
}

void PodTemplateDialog::selectTemplate(int index)
{
    static const QStringList prefixes = {QStringLiteral("web"), QStringLiteral("job"), QStringLiteral("crash"),
                                         QStringLiteral("slow"), QStringLiteral("envdemo")};
    const QString name = prefixes.value(index, QStringLiteral("pod")) + QLatin1Char('-') +
                         QString::number(QRandomGenerator::global()->bounded(0x10000), 16);
    if (m_templates->currentIndex() != index)
        m_templates->setCurrentIndex(index);
    m_editor->setPlainText(templateText(index, name));
}

QString PodTemplateDialog::text() const
{
    return m_editor->toPlainText();
}

void PodTemplateDialog::setText(const QString& text)
{
    m_editor->setPlainText(text);
}

void PodTemplateDialog::validate()
{
    auto documents = json::fromYamlStream(m_editor->toPlainText().toUtf8(), tr("the template"));
    m_error->setText(documents ? QString() : documents.error().message());
    m_create->setEnabled(bool(documents));
}

} // namespace vk::console
