// SPDX-License-Identifier: Apache-2.0
#include "NodeDialog.h"

#include "ConfigEditor.h"
#include "DialogsLogging.h"
#include "core/Json.h"
#include "provider/ProviderRegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace vk::console {

namespace {

const QRegularExpression& dnsSubdomain()
{
    static const QRegularExpression re(
        QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
    return re;
}

const QRegularExpression& labelName()
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"));
    return re;
}

/// A label or taint key: [prefix/]name, prefix a DNS subdomain, name up to 63 characters.
bool isQualifiedName(const QString& key)
{
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    const QString prefix = slash >= 0 ? key.left(slash) : QString();
    const QString name = slash >= 0 ? key.mid(slash + 1) : key;
    if (slash >= 0 && (prefix.isEmpty() || prefix.size() > 253 || !dnsSubdomain().match(prefix).hasMatch()))
        return false;
    return !name.isEmpty() && name.size() <= 63 && labelName().match(name).hasMatch();
}

bool isLabelValue(const QString& value)
{
    return value.isEmpty() || (value.size() <= 63 && labelName().match(value).hasMatch());
}

QString quantityText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return {};
}

void setIfChanged(QLineEdit* edit, const QString& text)
{
    if (edit->text() != text)
        edit->setText(text);
}

QString configText(const QJsonObject& root, bool yaml)
{
    if (yaml)
        return QString::fromUtf8(json::toYaml(root));
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

} // namespace

NodeDialog::NodeDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("nodeDialog"));
    setWindowTitle(tr("Start a virtual node"));
    m_validationTimer = new QTimer(this);
    m_validationTimer->setObjectName(QStringLiteral("validationTimer"));
    m_validationTimer->setSingleShot(true);
    m_validationTimer->setInterval(300);
    connect(m_validationTimer, &QTimer::timeout, this, &NodeDialog::validateNow);
    buildUi();
    populateProviders();
    setRequest(NodeRequest());
}

NodeDialog::~NodeDialog() = default;

void NodeDialog::buildUi()
{
    auto* form = new QWidget;
    form->setObjectName(QStringLiteral("nodeForm"));
    auto* formLayout = new QVBoxLayout(form);
    formLayout->setContentsMargins(0, 0, 0, 0);

    auto* nodeBox = new QGroupBox(tr("Node"));
    auto* nodeLayout = new QFormLayout(nodeBox);
    m_nodeName = new QLineEdit;
    m_nodeName->setObjectName(QStringLiteral("nodeNameEdit"));
    m_nodeName->setToolTip(tr("The Node object's name: lower-case letters, digits, '-' and '.'"));
    nodeLayout->addRow(tr("&Name:"), m_nodeName);
    m_provider = new QComboBox;
    m_provider->setObjectName(QStringLiteral("providerCombo"));
    nodeLayout->addRow(tr("&Provider:"), m_provider);
    m_providerDescription = new QLabel;
    m_providerDescription->setObjectName(QStringLiteral("providerDescriptionLabel"));
    m_providerDescription->setWordWrap(true);
    m_providerDescription->setForegroundRole(QPalette::PlaceholderText);
    nodeLayout->addRow(QString(), m_providerDescription);
    formLayout->addWidget(nodeBox);

    auto* capacityBox = new QGroupBox(tr("Capacity"));
    capacityBox->setToolTip(tr("Written into the node's entry of the provider config; empty: the provider's default"));
    auto* capacityLayout = new QFormLayout(capacityBox);
    m_cpu = new QLineEdit;
    m_cpu->setObjectName(QStringLiteral("cpuEdit"));
    m_cpu->setPlaceholderText(QStringLiteral("20"));
    capacityLayout->addRow(tr("&CPU:"), m_cpu);
    m_memory = new QLineEdit;
    m_memory->setObjectName(QStringLiteral("memoryEdit"));
    m_memory->setPlaceholderText(QStringLiteral("100Gi"));
    capacityLayout->addRow(tr("&Memory:"), m_memory);
    m_pods = new QLineEdit;
    m_pods->setObjectName(QStringLiteral("podsEdit"));
    m_pods->setPlaceholderText(QStringLiteral("20"));
    capacityLayout->addRow(tr("P&ods:"), m_pods);
    formLayout->addWidget(capacityBox);

    auto* taintBox = new QGroupBox(tr("Taint"));
    auto* taintLayout = new QFormLayout(taintBox);
    m_taintEnabled = new QCheckBox(tr("Taint the node so that only pods tolerating it land there"));
    m_taintEnabled->setObjectName(QStringLiteral("taintEnabledCheck"));
    taintLayout->addRow(m_taintEnabled);
    m_taintKey = new QLineEdit;
    m_taintKey->setObjectName(QStringLiteral("taintKeyEdit"));
    taintLayout->addRow(tr("&Key:"), m_taintKey);
    m_taintValue = new QLineEdit;
    m_taintValue->setObjectName(QStringLiteral("taintValueEdit"));
    taintLayout->addRow(tr("&Value:"), m_taintValue);
    m_taintEffect = new QComboBox;
    m_taintEffect->setObjectName(QStringLiteral("taintEffectCombo"));
    m_taintEffect->addItems(
        {QStringLiteral("NoSchedule"), QStringLiteral("PreferNoSchedule"), QStringLiteral("NoExecute")});
    taintLayout->addRow(tr("&Effect:"), m_taintEffect);
    formLayout->addWidget(taintBox);

    auto* labelsBox = new QGroupBox(tr("Labels"));
    auto* labelsLayout = new QVBoxLayout(labelsBox);
    m_labels = new QPlainTextEdit;
    m_labels->setObjectName(QStringLiteral("labelsEdit"));
    m_labels->setPlaceholderText(tr("key=value, one per line"));
    m_labels->setTabChangesFocus(true);
    m_labels->setMaximumHeight(m_labels->fontMetrics().lineSpacing() * 5 + 12);
    labelsLayout->addWidget(m_labels);
    formLayout->addWidget(labelsBox);

    auto* apiBox = new QGroupBox(tr("API client"));
    auto* apiLayout = new QFormLayout(apiBox);
    m_qps = new QDoubleSpinBox;
    m_qps->setObjectName(QStringLiteral("qpsSpin"));
    m_qps->setRange(0, 100000);
    m_qps->setDecimals(1);
    m_qps->setToolTip(tr("--kube-api-qps: requests per second to the API server (0: unlimited)"));
    apiLayout->addRow(tr("&QPS:"), m_qps);
    m_burst = new QSpinBox;
    m_burst->setObjectName(QStringLiteral("burstSpin"));
    m_burst->setRange(0, 1000000);
    m_burst->setToolTip(tr("--kube-api-burst"));
    apiLayout->addRow(tr("&Burst:"), m_burst);
    formLayout->addWidget(apiBox);
    formLayout->addStretch(1);

    auto* configPane = new QWidget;
    configPane->setObjectName(QStringLiteral("configPane"));
    auto* configLayout = new QVBoxLayout(configPane);
    configLayout->setContentsMargins(0, 0, 0, 0);
    auto* configBar = new QHBoxLayout;
    auto* configTitle = new QLabel(tr("Provider config"));
    configTitle->setObjectName(QStringLiteral("configTitleLabel"));
    QFont titleFont = configTitle->font();
    titleFont.setBold(true);
    configTitle->setFont(titleFont);
    configBar->addWidget(configTitle);
    m_language = new QLabel;
    m_language->setObjectName(QStringLiteral("configLanguageLabel"));
    m_language->setForegroundRole(QPalette::PlaceholderText);
    configBar->addWidget(m_language);
    configBar->addStretch(1);
    m_templates = new QToolButton;
    m_templates->setObjectName(QStringLiteral("templatesButton"));
    m_templates->setText(tr("&Templates"));
    m_templates->setPopupMode(QToolButton::InstantPopup);
    m_templates->setMenu(new QMenu(m_templates));
    m_templates->menu()->setObjectName(QStringLiteral("templatesMenu"));
    configBar->addWidget(m_templates);
    configLayout->addLayout(configBar);
    m_editor = new ConfigEditor;
    m_editor->setPlaceholderText(tr("Empty: the provider's defaults. JSON or YAML keyed by node name."));
    configLayout->addWidget(m_editor, 1);
    m_validationLabel = new QLabel;
    m_validationLabel->setObjectName(QStringLiteral("validationLabel"));
    m_validationLabel->setWordWrap(true);
    m_validationLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    configLayout->addWidget(m_validationLabel);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("nodeDialogSplitter"));
    splitter->addWidget(form);
    splitter->addWidget(configPane);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* buttons = new QDialogButtonBox;
    buttons->setObjectName(QStringLiteral("buttonBox"));
    m_start = buttons->addButton(tr("&Start node"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("startNodeButton"));
    m_start->setDefault(true);
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_validationPending)
            validateNow();
        if (isValid())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(980, 620);

    for (QLineEdit* edit : {m_nodeName, m_cpu, m_memory, m_pods})
        connect(edit, &QLineEdit::textEdited, this, &NodeDialog::onFormEdited);
    for (QLineEdit* edit : {m_taintKey, m_taintValue})
        connect(edit, &QLineEdit::textChanged, this, &NodeDialog::scheduleValidation);
    connect(m_taintEnabled, &QCheckBox::toggled, this, [this](bool on) {
        m_taintKey->setEnabled(on);
        m_taintValue->setEnabled(on);
        m_taintEffect->setEnabled(on);
        scheduleValidation();
    });
    connect(m_labels, &QPlainTextEdit::textChanged, this, &NodeDialog::scheduleValidation);
    connect(m_provider, &QComboBox::currentIndexChanged, this, &NodeDialog::onProviderChanged);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &NodeDialog::onTextChanged);
    connect(m_editor, &ConfigEditor::languageChanged, this, [this](EditorHighlighting::Language language) {
        m_language->setText(language == EditorHighlighting::Language::Json ? tr("JSON") : tr("YAML"));
    });
    m_language->setText(m_editor->language() == EditorHighlighting::Language::Json ? tr("JSON") : tr("YAML"));
}

void NodeDialog::populateProviders()
{
    const QSignalBlocker blocker(m_provider);
    m_provider->clear();
    const auto& registry = provider::ProviderRegistry::instance();
    for (const QString& name : registry.names()) {
        m_provider->addItem(name, name);
        m_provider->setItemData(m_provider->count() - 1, registry.description(name), Qt::ToolTipRole);
    }
}

QString NodeDialog::currentProvider() const
{
    return m_provider->currentData().toString();
}

void NodeDialog::onProviderChanged()
{
    const QString name = currentProvider();
    m_providerDescription->setText(provider::ProviderRegistry::instance().description(name));
    m_taintValue->setPlaceholderText(name);
    rebuildTemplatesMenu();
    scheduleValidation();
}

QList<NodeDialog::Template> NodeDialog::templates(const QString& provider)
{
    if (provider != QLatin1String("mock"))
        return {};
    const auto capacity = [](const char* cpu, const char* memory, const char* pods) {
        return QJsonObject{{QStringLiteral("cpu"), QString::fromLatin1(cpu)},
                           {QStringLiteral("memory"), QString::fromLatin1(memory)},
                           {QStringLiteral("pods"), QString::fromLatin1(pods)}};
    };
    QList<Template> list;
    list.append({QStringLiteral("mockDefaults"), tr("Mock: defaults"), provider, capacity("20", "100Gi", "20")});

    QJsonObject slow = capacity("8", "32Gi", "110");
    slow.insert(QStringLiteral("lifecycle"),
                QJsonObject{{QStringLiteral("pendingMs"), 2000}, {QStringLiteral("readyMs"), 1500}});
    list.append({QStringLiteral("mockSlowStart"), tr("Mock: slow start (pending 2 s, ready 1.5 s)"), provider, slow});

    QJsonObject flaky = capacity("8", "32Gi", "110");
    flaky.insert(QStringLiteral("lifecycle"), QJsonObject{{QStringLiteral("pendingMs"), 500},
                                                          {QStringLiteral("readyMs"), 1000},
                                                          {QStringLiteral("readinessFlapMs"), 5000},
                                                          {QStringLiteral("failAfterMs"), 15000},
                                                          {QStringLiteral("failCount"), 3},
                                                          {QStringLiteral("restartDelayMs"), 5000},
                                                          {QStringLiteral("jitterMs"), 500},
                                                          {QStringLiteral("logLinesPerSecond"), 1}});
    list.append({QStringLiteral("mockFlaky"), tr("Mock: flaky (readiness flapping, restarts)"), provider, flaky});

    QJsonObject failing = capacity("8", "32Gi", "110");
    failing.insert(
        QStringLiteral("lifecycle"),
        QJsonObject{{QStringLiteral("pendingMs"), 1000},
                    {QStringLiteral("failAfterMs"), 3000},
                    {QStringLiteral("failExitCode"), 1},
                    {QStringLiteral("restartDelayMs"), 5000},
                    {QStringLiteral("restartLimit"), 2},
                    {QStringLiteral("logLinesPerSecond"), 2},
                    {QStringLiteral("logLine"), QStringLiteral("{time} {pod} fatal: database unreachable ({n})")}});
    list.append({QStringLiteral("mockFailingPods"),
                 tr("Mock: failing pods (crash, back-off, give up after 2 restarts)"), provider, failing});

    QJsonObject chatty = capacity("8", "32Gi", "110");
    chatty.insert(QStringLiteral("lifecycle"), QJsonObject{{QStringLiteral("logLinesPerSecond"), 10}});
    list.append(
        {QStringLiteral("mockChattyLogs"), tr("Mock: chatty logs (10 lines/s per container)"), provider, chatty});

    QJsonObject gpu = capacity("32", "256Gi", "110");
    gpu.insert(QStringLiteral("others"), QJsonObject{{QStringLiteral("nvidia.com/gpu"), QStringLiteral("4")}});
    list.append({QStringLiteral("mockGpuNode"), tr("Mock: GPU node (4 nvidia.com/gpu)"), provider, gpu});
    return list;
}

void NodeDialog::rebuildTemplatesMenu()
{
    QMenu* menu = m_templates->menu();
    menu->clear();
    const QList<Template> list = templates(currentProvider());
    for (const Template& t : list) {
        QAction* action = menu->addAction(t.title);
        action->setObjectName(QStringLiteral("template_") + t.id);
        connect(action, &QAction::triggered, this, [this, id = t.id] { applyTemplate(id); });
    }
    if (list.isEmpty()) {
        QAction* none = menu->addAction(tr("No templates for this provider"));
        none->setObjectName(QStringLiteral("template_none"));
        none->setEnabled(false);
    }
}

void NodeDialog::applyTemplate(const QString& id)
{
    const QList<Template> list = templates(currentProvider());
    for (const Template& t : list) {
        if (t.id != id)
            continue;
        QString nodeName = m_nodeName->text().trimmed();
        if (nodeName.isEmpty())
            nodeName = NodeRequest().nodeName;
        const ProviderConfigValidator::Parsed current = ProviderConfigValidator::parse(m_editor->toPlainText());
        const bool yaml = !current.empty && !current.json;
        // The form follows through onTextChanged().
        m_editor->replaceText(configText(QJsonObject{{nodeName, t.entry}}, yaml));
        return;
    }
    qCWarning(lcDialogs).noquote() << "no template" << id << "for provider" << currentProvider();
}

void NodeDialog::onFormEdited()
{
    writeFormToText();
    scheduleValidation();
}

void NodeDialog::onTextChanged()
{
    if (!m_writingText)
        readTextIntoForm(false);
    scheduleValidation();
}

void NodeDialog::writeFormToText()
{
    const QString nodeName = m_nodeName->text().trimmed();
    const ProviderConfigValidator::Parsed parsed = ProviderConfigValidator::parse(m_editor->toPlainText());
    if (!parsed.ok())
        return; // the text has a syntax error: it is shown, and the form cannot be merged into it
    const QString cpu = m_cpu->text().trimmed();
    const QString memory = m_memory->text().trimmed();
    const QString pods = m_pods->text().trimmed();
    if (parsed.empty && cpu.isEmpty() && memory.isEmpty() && pods.isEmpty()) {
        m_configNodeName = nodeName;
        return; // nothing to write: the provider's defaults
    }
    if (nodeName.isEmpty())
        return;

    QJsonObject root = parsed.object;
    const QString oldKey = !m_configNodeName.isEmpty() && root.contains(m_configNodeName) ? m_configNodeName : nodeName;
    QJsonObject entry = root.value(oldKey).toObject();
    root.remove(oldKey);
    const bool yaml = !parsed.empty && !parsed.json;
    const auto setOrRemove = [&entry, yaml](const QString& key, const QString& value) {
        // Quantities are strings, as upstream's config writes them; YAML gets plain numbers where it can
        // (a string "2" would be written quoted).
        static const QRegularExpression plainNumber(QStringLiteral("^[0-9]{1,15}(\\.[0-9]{1,6})?$"));
        if (value.isEmpty())
            entry.remove(key);
        else if (yaml && plainNumber.match(value).hasMatch())
            entry.insert(key, value.toDouble());
        else
            entry.insert(key, value);
    };
    setOrRemove(QStringLiteral("cpu"), cpu);
    setOrRemove(QStringLiteral("memory"), memory);
    setOrRemove(QStringLiteral("pods"), pods);
    root.insert(nodeName, entry);
    m_configNodeName = nodeName;

    m_writingText = true;
    m_editor->replaceText(configText(root, yaml));
    m_writingText = false;
}

void NodeDialog::readTextIntoForm(bool preferFormNodeName)
{
    const ProviderConfigValidator::Parsed parsed = ProviderConfigValidator::parse(m_editor->toPlainText());
    if (!parsed.ok())
        return;
    const QString formName = m_nodeName->text().trimmed();
    if (parsed.empty) {
        m_configNodeName = formName;
        for (QLineEdit* edit : {m_cpu, m_memory, m_pods})
            setIfChanged(edit, QString());
        return;
    }
    QString key;
    if (parsed.object.contains(formName))
        key = formName;
    else if (parsed.object.size() == 1 && !preferFormNodeName)
        key = parsed.object.keys().constFirst(); // the text names the node: the form follows
    if (key.isEmpty())
        return; // validation says that the node has no entry
    if (key != formName)
        setIfChanged(m_nodeName, key);
    m_configNodeName = key;
    const QJsonObject entry = parsed.object.value(key).toObject();
    setIfChanged(m_cpu, quantityText(entry.value(QStringLiteral("cpu"))));
    setIfChanged(m_memory, quantityText(entry.value(QStringLiteral("memory"))));
    setIfChanged(m_pods, quantityText(entry.value(QStringLiteral("pods"))));
}

void NodeDialog::setValidationDelay(int ms)
{
    m_validationTimer->setInterval(qMax(0, ms));
}

void NodeDialog::scheduleValidation()
{
    m_validationPending = true;
    updateStartButton();
    m_validationTimer->start();
}

QMap<QString, QString> NodeDialog::parseLabels(QString* error) const
{
    QMap<QString, QString> labels;
    const QStringList lines = m_labels->toPlainText().split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        const QString key = eq < 0 ? line : line.left(eq).trimmed();
        const QString value = eq < 0 ? QString() : line.mid(eq + 1).trimmed();
        if (error && error->isEmpty()) {
            if (eq < 0)
                *error = tr("Labels, line %1: expected key=value").arg(i + 1);
            else if (!isQualifiedName(key))
                *error = tr("Labels, line %1: \"%2\" is not a valid label key").arg(i + 1).arg(key);
            else if (!isLabelValue(value))
                *error = tr("Labels, line %1: \"%2\" is not a valid label value").arg(i + 1).arg(value);
        }
        if (eq >= 0)
            labels.insert(key, value);
    }
    return labels;
}

QString NodeDialog::formError(int* focusHint) const
{
    Q_UNUSED(focusHint)
    const QString nodeName = m_nodeName->text().trimmed();
    if (nodeName.isEmpty())
        return tr("Node name: required");
    if (nodeName.size() > 253 || !dnsSubdomain().match(nodeName).hasMatch())
        return tr("Node name: \"%1\" must be lower-case letters, digits, '-' and '.', starting and ending with a "
                  "letter or digit")
            .arg(nodeName);
    if (m_provider->count() == 0)
        return tr("Provider: no provider is built in");
    if (m_taintEnabled->isChecked()) {
        if (!isQualifiedName(m_taintKey->text().trimmed()))
            return tr("Taint: \"%1\" is not a valid key").arg(m_taintKey->text().trimmed());
        if (!isLabelValue(m_taintValue->text().trimmed()))
            return tr("Taint: \"%1\" is not a valid value").arg(m_taintValue->text().trimmed());
    }
    QString labelsError;
    parseLabels(&labelsError);
    return labelsError;
}

void NodeDialog::validateNow()
{
    m_validationTimer->stop();
    m_validationPending = false;
    ConfigValidation result;
    result.message = formError(nullptr);
    if (result.ok())
        result =
            ProviderConfigValidator::validate(currentProvider(), m_nodeName->text().trimmed(), m_editor->toPlainText());
    m_validation = result;
    if (result.ok()) {
        m_editor->clearError();
        m_validationLabel->setText(tr("✓ The configuration is valid."));
        m_validationLabel->setStyleSheet(QString());
    } else {
        if (result.line > 0)
            m_editor->showError(result.line, result.message);
        else
            m_editor->clearError();
        m_validationLabel->setText(result.line > 0 ? tr("Line %1: %2").arg(result.line).arg(result.message)
                                                   : result.message);
        m_validationLabel->setStyleSheet(
            QStringLiteral("color: %1;").arg(HighlightFormats::errorColor(palette()).name()));
    }
    updateStartButton();
    Q_EMIT validated(result.ok(), result.message);
}

bool NodeDialog::isValid() const
{
    return !m_validationPending && m_validation.ok();
}

void NodeDialog::updateStartButton()
{
    m_start->setEnabled(isValid());
}

NodeRequest NodeDialog::request() const
{
    NodeRequest request;
    request.nodeName = m_nodeName->text().trimmed();
    request.provider = currentProvider();
    request.providerConfigText = m_editor->toPlainText();
    request.providerConfigJson = ProviderConfigValidator::toJson(request.providerConfigText);
    request.kubeApiQps = m_qps->value();
    request.kubeApiBurst = m_burst->value();
    request.taintEnabled = m_taintEnabled->isChecked();
    request.taintKey = m_taintKey->text().trimmed();
    request.taintValue = m_taintValue->text().trimmed();
    request.taintEffect = m_taintEffect->currentText();
    request.labels = parseLabels(nullptr);
    return request;
}

void NodeDialog::setRequest(const NodeRequest& request)
{
    m_nodeName->setText(request.nodeName);
    const int providerIndex = m_provider->findData(request.provider);
    if (providerIndex >= 0)
        m_provider->setCurrentIndex(providerIndex);
    onProviderChanged();
    m_qps->setValue(request.kubeApiQps);
    m_burst->setValue(request.kubeApiBurst);
    m_taintEnabled->setChecked(request.taintEnabled);
    m_taintKey->setEnabled(request.taintEnabled);
    m_taintValue->setEnabled(request.taintEnabled);
    m_taintEffect->setEnabled(request.taintEnabled);
    m_taintKey->setText(request.taintKey);
    m_taintValue->setText(request.taintValue);
    const int effect = m_taintEffect->findText(request.taintEffect);
    m_taintEffect->setCurrentIndex(effect >= 0 ? effect : 0);
    QStringList labelLines;
    for (auto it = request.labels.begin(); it != request.labels.end(); ++it)
        labelLines.append(it.key() + QLatin1Char('=') + it.value());
    m_labels->setPlainText(labelLines.join(QLatin1Char('\n')));
    m_configNodeName = request.nodeName;
    m_writingText = true;
    m_editor->setPlainText(request.providerConfigText);
    m_writingText = false;
    readTextIntoForm(true);
    scheduleValidation();
}

} // namespace vk::console
