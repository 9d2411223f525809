// SPDX-License-Identifier: Apache-2.0
#include "sandbox/Sandbox.h"

#include "core/Json.h"
#include "sandbox/ApiServer.h"
#include "sandbox/CsrSigner.h"
#include "sandbox/Logging.h"
#include "sandbox/NamespaceController.h"
#include "sandbox/NodeLifecycleController.h"
#include "sandbox/ObjectStore.h"
#include "sandbox/Registry.h"
#include "sandbox/Scheduler.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace vk::sandbox {

namespace {

/// A fresh store starts at a resourceVersion derived from the clock, so versions handed out by an earlier run of
/// the sandbox are always older than anything this run can replay: a client resuming across a restart gets 410 and
/// relists instead of silently missing changes.
quint64 initialResourceVersion()
{
    return quint64(std::max<qint64>(1, QDateTime::currentMSecsSinceEpoch() - 1'700'000'000'000LL));
}

Status ensureDir(const QString& path)
{
    if (!QDir().mkpath(path))
        return Error::invalidInput(QStringLiteral("cannot create directory %1").arg(path));
    return {};
}

} // namespace

Sandbox::Sandbox(Options options, QObject* parent) : QObject(parent), m_options(std::move(options))
{
    if (m_options.dataDir.isEmpty())
        m_options.dataDir = defaultDataDir();
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(1000);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] {
        if (auto saved = saveState(); !saved)
            qCWarning(lcSandbox) << saved.error().toString();
    });
}

Sandbox::~Sandbox()
{
    stop();
}

QString Sandbox::defaultDataDir()
{
    return QDir::homePath() + QStringLiteral("/.local/share/vk-studio/sandbox");
}

QString Sandbox::kubeconfigPath() const
{
    return m_options.dataDir + QStringLiteral("/kubeconfig");
}

bool Sandbox::isRunning() const
{
    return m_running;
}

quint16 Sandbox::port() const
{
    return m_api ? m_api->port() : 0;
}

QUrl Sandbox::serverUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(m_options.address.toString());
    url.setPort(port());
    return url;
}

Status Sandbox::ensurePki()
{
    const QString dir = m_options.dataDir + QStringLiteral("/pki");
    if (auto made = ensureDir(dir); !made)
        return made;
    const auto loadOrCreate = [&](const QString& base, pki::CertificateAndKey* out,
                                  const std::function<Result<pki::CertificateAndKey>()>& create) -> Status {
        const QString crt = dir + QLatin1Char('/') + base + QStringLiteral(".crt");
        const QString key = dir + QLatin1Char('/') + base + QStringLiteral(".key");
        if (QFile::exists(crt) && QFile::exists(key)) {
            auto loaded = pki::loadFromFiles(crt, key);
            if (!loaded)
                return loaded.error();
            // Expired or soon-to-expire certificates are replaced (the CA is kept unless it expired too).
            if (loaded->certificate().expiryDate() > QDateTime::currentDateTimeUtc().addDays(1)) {
                *out = loaded.value();
                return {};
            }
        }
        auto created = create();
        if (!created)
            return created.error().prefix(QStringLiteral("creating %1").arg(crt));
        *out = created.value();
        return pki::saveToFiles(*out, crt, key);
    };
    if (auto ok = loadOrCreate(QStringLiteral("ca"), &m_ca,
                               [] { return pki::createCertificateAuthority(QStringLiteral("vk-sandbox-ca")); });
        !ok)
        return ok;
    const auto issue = [this](pki::CertificateRequest request) { return pki::issueCertificate(m_ca, request); };
    pki::CertificateRequest serving;
    serving.commonName = QStringLiteral("kube-apiserver");
    serving.dnsNames = {QStringLiteral("localhost"), QStringLiteral("kubernetes"), QStringLiteral("kubernetes.default"),
                        QStringLiteral("kubernetes.default.svc"),
                        QStringLiteral("kubernetes.default.svc.cluster.local")};
    serving.ipAddresses = {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6),
                           QHostAddress(QStringLiteral("10.96.0.1"))};
    if (!m_options.address.isLoopback() && m_options.address != QHostAddress::Any &&
        m_options.address != QHostAddress::AnyIPv4)
        serving.ipAddresses.append(m_options.address);
    serving.serverAuth = true;
    if (auto ok = loadOrCreate(QStringLiteral("apiserver"), &m_serving, [&] { return issue(serving); }); !ok)
        return ok;
    pki::CertificateRequest admin;
    admin.commonName = QStringLiteral("kubernetes-admin");
    admin.organizations = {QStringLiteral("system:masters")};
    admin.clientAuth = true;
    if (auto ok = loadOrCreate(QStringLiteral("admin"), &m_admin, [&] { return issue(admin); }); !ok)
        return ok;
    pki::CertificateRequest kubeletClient;
    kubeletClient.commonName = QStringLiteral("kube-apiserver-kubelet-client");
    kubeletClient.organizations = {QStringLiteral("kubeadm:cluster-admins")};
    kubeletClient.clientAuth = true;
    return loadOrCreate(QStringLiteral("apiserver-kubelet-client"), &m_kubeletClient,
                        [&] { return issue(kubeletClient); });
}

Result<pki::CertificateAndKey> Sandbox::issueClientCertificate(const QString& user, const QStringList& groups) const
{
    pki::CertificateRequest request;
    request.commonName = user;
    request.organizations = groups;
    request.clientAuth = true;
    return pki::issueCertificate(m_ca, request);
}

Status
Sandbox::writeKubeconfig(const QString& path, const pki::CertificateAndKey& client, const QString& userName) const
{
    return writeKubeconfigFor(
        path,
        QJsonObject{{QStringLiteral("client-certificate-data"), QString::fromLatin1(client.certificatePem.toBase64())},
                    {QStringLiteral("client-key-data"), QString::fromLatin1(client.privateKeyPem.toBase64())}},
        userName);
}

Status Sandbox::writeTokenKubeconfig(const QString& path, const QString& token, const QString& userName) const
{
    return writeKubeconfigFor(path, QJsonObject{{QStringLiteral("token"), token}}, userName);
}

Status Sandbox::writeKubeconfigFor(const QString& path, const QJsonObject& user, const QString& userName) const
{
    const QString context = m_options.contextName;
    const QJsonObject config{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Config")},
        {QStringLiteral("clusters"),
         QJsonArray{QJsonObject{
             {QStringLiteral("name"), context},
             {QStringLiteral("cluster"), QJsonObject{{QStringLiteral("server"), serverUrl().toString()},
                                                     {QStringLiteral("certificate-authority-data"),
                                                      QString::fromLatin1(m_ca.certificatePem.toBase64())}}}}}},
        {QStringLiteral("users"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), userName}, {QStringLiteral("user"), user}}}},
        {QStringLiteral("contexts"),
         QJsonArray{QJsonObject{
             {QStringLiteral("name"), context},
             {QStringLiteral("context"), QJsonObject{{QStringLiteral("cluster"), context},
                                                     {QStringLiteral("user"), userName},
                                                     {QStringLiteral("namespace"), QStringLiteral("default")}}}}}},
        {QStringLiteral("current-context"), context},
        {QStringLiteral("preferences"), QJsonObject{}},
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::invalidInput(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.write(json::toYaml(config));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!file.commit())
        return Error::invalidInput(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

namespace {

QJsonObject rule(const QStringList& groups, const QStringList& resources, const QStringList& verbs)
{
    return {{QStringLiteral("apiGroups"), QJsonArray::fromStringList(groups)},
            {QStringLiteral("resources"), QJsonArray::fromStringList(resources)},
            {QStringLiteral("verbs"), QJsonArray::fromStringList(verbs)}};
}

QJsonObject urlRule(const QStringList& urls, const QStringList& verbs)
{
    return {{QStringLiteral("nonResourceURLs"), QJsonArray::fromStringList(urls)},
            {QStringLiteral("verbs"), QJsonArray::fromStringList(verbs)}};
}

QJsonObject bootstrapMetadata(const QString& name)
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("labels"),
             QJsonObject{{QStringLiteral("kubernetes.io/bootstrapping"), QStringLiteral("rbac-defaults")}}},
            {QStringLiteral("annotations"),
             QJsonObject{{QStringLiteral("rbac.authorization.kubernetes.io/autoupdate"), QStringLiteral("true")}}}};
}

QJsonObject groupSubject(const QString& group)
{
    return {{QStringLiteral("apiGroup"), QStringLiteral("rbac.authorization.k8s.io")},
            {QStringLiteral("kind"), QStringLiteral("Group")},
            {QStringLiteral("name"), group}};
}

} // namespace

void Sandbox::bootstrapRbac()
{
    // kube-apiserver's bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), the parts that matter
    // here, plus kubeadm's binding of kubeadm:cluster-admins (the group of the API server's kubelet client).
    const QStringList all{QStringLiteral("*")};
    const QStringList core{QString()};
    const QStringList create{QStringLiteral("create")};
    const QStringList readOnly{QStringLiteral("get"), QStringLiteral("list"), QStringLiteral("watch")};
    const QList<QPair<QString, QJsonArray>> roles{
        {QStringLiteral("cluster-admin"), {rule(all, all, all), urlRule(all, all)}},
        {QStringLiteral("system:kubelet-api-admin"),
         {rule(core, {QStringLiteral("nodes")}, readOnly),
          rule(core, {QStringLiteral("nodes")}, {QStringLiteral("proxy")}),
          rule(core,
               {QStringLiteral("nodes/proxy"), QStringLiteral("nodes/metrics"), QStringLiteral("nodes/stats"),
                QStringLiteral("nodes/log")},
               all)}},
        {QStringLiteral("system:discovery"),
         {urlRule({QStringLiteral("/api"), QStringLiteral("/api/*"), QStringLiteral("/apis"), QStringLiteral("/apis/*"),
                   QStringLiteral("/healthz"), QStringLiteral("/livez"), QStringLiteral("/openapi"),
                   QStringLiteral("/openapi/*"), QStringLiteral("/readyz"), QStringLiteral("/version"),
                   QStringLiteral("/version/")},
                  {QStringLiteral("get")})}},
        {QStringLiteral("system:basic-user"),
         {rule({QStringLiteral("authorization.k8s.io")},
               {QStringLiteral("selfsubjectaccessreviews"), QStringLiteral("selfsubjectrulesreviews")}, create)}},
        {QStringLiteral("system:public-info-viewer"),
         {urlRule({QStringLiteral("/healthz"), QStringLiteral("/livez"), QStringLiteral("/readyz"),
                   QStringLiteral("/version"), QStringLiteral("/version/")},
                  {QStringLiteral("get")})}},
        {QStringLiteral("system:auth-delegator"),
         {rule({QStringLiteral("authentication.k8s.io")}, {QStringLiteral("tokenreviews")}, create),
          rule({QStringLiteral("authorization.k8s.io")}, {QStringLiteral("subjectaccessreviews")}, create)}},
        {QStringLiteral("system:node-bootstrapper"),
         {rule({QStringLiteral("certificates.k8s.io")}, {QStringLiteral("certificatesigningrequests")},
               {QStringLiteral("create"), QStringLiteral("get"), QStringLiteral("list"), QStringLiteral("watch")})}},
    };
    const QList<QPair<QString, QPair<QString, QStringList>>> bindings{
        {QStringLiteral("cluster-admin"), {QStringLiteral("cluster-admin"), {QStringLiteral("system:masters")}}},
        {QStringLiteral("kubeadm:cluster-admins"),
         {QStringLiteral("cluster-admin"), {QStringLiteral("kubeadm:cluster-admins")}}},
        {QStringLiteral("system:discovery"),
         {QStringLiteral("system:discovery"), {QStringLiteral("system:authenticated")}}},
        {QStringLiteral("system:basic-user"),
         {QStringLiteral("system:basic-user"), {QStringLiteral("system:authenticated")}}},
        {QStringLiteral("system:public-info-viewer"),
         {QStringLiteral("system:public-info-viewer"),
          {QStringLiteral("system:authenticated"), QStringLiteral("system:unauthenticated")}}},
    };
    const QString group = QStringLiteral("rbac.authorization.k8s.io");
    const ResourceType* clusterRoles = findResourceType(group, QStringLiteral("v1"), QStringLiteral("clusterroles"));
    const ResourceType* clusterRoleBindings =
        findResourceType(group, QStringLiteral("v1"), QStringLiteral("clusterrolebindings"));
    for (const auto& [name, rules] : roles) {
        if (m_store->get(Registry::typeKey(*clusterRoles), {}, name))
            continue;
        const QJsonObject role{{QStringLiteral("metadata"), bootstrapMetadata(name)}, {QStringLiteral("rules"), rules}};
        if (auto r = m_registry->create(*clusterRoles, {}, role); !r)
            qCWarning(lcSandbox) << "bootstrap:" << r.error().toString();
    }
    for (const auto& [name, target] : bindings) {
        if (m_store->get(Registry::typeKey(*clusterRoleBindings), {}, name))
            continue;
        QJsonArray subjects;
        for (const QString& subject : target.second)
            subjects.append(groupSubject(subject));
        const QJsonObject binding{
            {QStringLiteral("metadata"), bootstrapMetadata(name)},
            {QStringLiteral("roleRef"), QJsonObject{{QStringLiteral("apiGroup"), group},
                                                    {QStringLiteral("kind"), QStringLiteral("ClusterRole")},
                                                    {QStringLiteral("name"), target.first}}},
            {QStringLiteral("subjects"), subjects}};
        if (auto r = m_registry->create(*clusterRoleBindings, {}, binding); !r)
            qCWarning(lcSandbox) << "bootstrap:" << r.error().toString();
    }
}

void Sandbox::bootstrapObjects()
{
    bootstrapRbac();
    const ResourceType* namespaces = findResourceType({}, QStringLiteral("v1"), QStringLiteral("namespaces"));
    for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
        if (m_store->get(QStringLiteral("namespaces"), {}, QLatin1String(name)))
            continue;
        const QJsonObject ns{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QLatin1String(name)}}}};
        if (auto r = m_registry->create(*namespaces, {}, ns); !r)
            qCWarning(lcSandbox) << "bootstrap:" << r.error().toString();
    }
    if (!m_store->get(QStringLiteral("services"), QStringLiteral("default"), QStringLiteral("kubernetes"))) {
        const ResourceType* services = findResourceType({}, QStringLiteral("v1"), QStringLiteral("services"));
        const QJsonObject service{
            {QStringLiteral("metadata"),
             QJsonObject{
                 {QStringLiteral("name"), QStringLiteral("kubernetes")},
                 {QStringLiteral("labels"), QJsonObject{{QStringLiteral("component"), QStringLiteral("apiserver")},
                                                        {QStringLiteral("provider"), QStringLiteral("kubernetes")}}}}},
            {QStringLiteral("spec"),
             QJsonObject{
                 {QStringLiteral("clusterIP"), QStringLiteral("10.96.0.1")},
                 {QStringLiteral("ports"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("https")},
                                                                  {QStringLiteral("port"), 443},
                                                                  {QStringLiteral("protocol"), QStringLiteral("TCP")},
                                                                  {QStringLiteral("targetPort"), int(port())}}}}}}};
        if (auto r = m_registry->create(*services, QStringLiteral("default"), service); !r)
            qCWarning(lcSandbox) << "bootstrap:" << r.error().toString();
    }
}

Status Sandbox::start()
{
    if (m_running)
        return {};
    if (auto made = ensureDir(m_options.dataDir); !made)
        return made;
    if (auto pkiReady = ensurePki(); !pkiReady)
        return pkiReady;

    m_store = std::make_unique<ObjectStore>(initialResourceVersion());
    const QString statePath = m_options.dataDir + QStringLiteral("/state.json");
    if (m_options.persist && QFile::exists(statePath)) {
        QFile file(statePath);
        if (!file.open(QIODevice::ReadOnly))
            return Error::invalidInput(QStringLiteral("cannot read %1: %2").arg(statePath, file.errorString()));
        auto snapshot = json::parseObject(file.readAll(), statePath);
        if (!snapshot)
            return snapshot.error();
        if (auto restored = m_store->restore(snapshot.value()); !restored)
            return restored.error().prefix(statePath);
        qCInfo(lcSandbox) << "restored" << statePath << "at resourceVersion" << m_store->currentResourceVersion();
    }
    m_registry = std::make_unique<Registry>(m_store.get(), m_options.clock);

    ApiServer::Options api;
    api.address = m_options.address;
    api.port = m_options.port;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(m_serving.certificate());
    tls.setPrivateKey(m_serving.key());
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    api.tls = tls;
    api.clientCas = {m_ca.certificate()};
    api.kubeletClientCertificate = m_kubeletClient.certificate();
    api.kubeletClientKey = m_kubeletClient.key();
    api.bookmarkIntervalMs = m_options.bookmarkIntervalMs;
    api.maxWatches = m_options.maxWatches;
    api.authorizationMode = m_options.authorizationMode;
    // Service account tokens are signed with a key derived from the CA key: stable across restarts, never stored.
    api.tokenSigningKey = QCryptographicHash::hash(
        QByteArray(m_ca.privateKeyPem + QByteArrayLiteral("/service-account-tokens")), QCryptographicHash::Sha256);
    m_api = std::make_unique<ApiServer>(m_registry.get(), api);
    auto listening = m_api->start();
    if (!listening) {
        m_api.reset();
        return listening.error().prefix(QStringLiteral("starting the sandbox API server on %1:%2")
                                            .arg(m_options.address.toString())
                                            .arg(m_options.port));
    }

    bootstrapObjects();
    m_namespaces = std::make_unique<NamespaceController>(m_registry.get(), m_ca.certificatePem);
    m_namespaces->start();
    m_scheduler = std::make_unique<Scheduler>(m_registry.get());
    m_scheduler->start();
    m_nodeLifecycle = std::make_unique<NodeLifecycleController>(m_registry.get(), m_options.clock);
    m_nodeLifecycle->start();
    m_signer = std::make_unique<CsrSigner>(m_registry.get(), m_ca);
    m_signer->start();

    if (auto written = writeKubeconfig(kubeconfigPath(), m_admin, QStringLiteral("vk-sandbox-admin")); !written)
        return written;
    if (m_options.persist)
        connect(m_store.get(), &ObjectStore::changed, this, [this] {
            if (!m_saveTimer.isActive())
                m_saveTimer.start();
        });
    m_running = true;
    qCInfo(lcSandbox) << "sandbox API server listening on" << serverUrl().toString();
    Q_EMIT ready();
    return {};
}

Status Sandbox::saveState() const
{
    if (!m_store)
        return {};
    const QString statePath = m_options.dataDir + QStringLiteral("/state.json");
    QSaveFile file(statePath);
    if (!file.open(QIODevice::WriteOnly))
        return Error::invalidInput(QStringLiteral("cannot write %1: %2").arg(statePath, file.errorString()));
    file.write(QJsonDocument(m_store->snapshot()).toJson(QJsonDocument::Compact));
    if (!file.commit())
        return Error::invalidInput(QStringLiteral("cannot write %1: %2").arg(statePath, file.errorString()));
    return {};
}

void Sandbox::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_saveTimer.stop();
    Status result;
    if (m_options.persist)
        result = saveState();
    // Reverse order of start.
    m_signer.reset();
    if (m_nodeLifecycle)
        m_nodeLifecycle->stop();
    m_nodeLifecycle.reset();
    m_scheduler.reset();
    m_namespaces.reset();
    if (m_api)
        m_api->stop();
    m_api.reset();
    m_registry.reset();
    m_store.reset();
    Q_EMIT finished(result);
}

} // namespace vk::sandbox
