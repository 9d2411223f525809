// SPDX-License-Identifier: Apache-2.0
// The built-in kinds with their discovery facts, as kube-apiserver lists them (see
// /work/shared/reference/kube-api-captures/03-api-v1-resources.txt, 05 and 06), wired to the per-kind rules.
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/Logging.h"

namespace vk::sandbox {

namespace {

using namespace detail;

QStringList allVerbs()
{
    return {QStringLiteral("create"), QStringLiteral("delete"), QStringLiteral("deletecollection"),
            QStringLiteral("get"),    QStringLiteral("list"),   QStringLiteral("patch"),
            QStringLiteral("update"), QStringLiteral("watch")};
}

QStringList verbsWithoutDeleteCollection()
{
    QStringList verbs = allVerbs();
    verbs.removeAll(QStringLiteral("deletecollection"));
    return verbs;
}

SubresourceInfo sub(const QString& name,
                    const QString& kind,
                    const QStringList& verbs,
                    const QString& group = {},
                    const QString& version = {})
{
    return {name, kind, group, version, verbs};
}

const QStringList kStatusVerbs{QStringLiteral("get"), QStringLiteral("patch"), QStringLiteral("update")};
const QStringList kProxyVerbs{QStringLiteral("create"), QStringLiteral("delete"), QStringLiteral("get"),
                              QStringLiteral("patch"), QStringLiteral("update")};
const QStringList kConnectVerbs{QStringLiteral("create"), QStringLiteral("get")};
const QStringList kCreateOnly{QStringLiteral("create")};

void setSubresources(ResourceType& type, const QList<SubresourceInfo>& infos)
{
    type.subresourceInfos = infos;
    type.subresources.clear();
    for (const SubresourceInfo& info : infos)
        type.subresources.append(info.name);
}

std::function<QString(const QJsonObject&, const QString&)> metadataOnly()
{
    return [](const QJsonObject& object, const QString& field) {
        bool known = false;
        return metadataFieldValue(object, field, &known);
    };
}

ResourceType core(const QString& resource, const QString& kind, bool namespaced)
{
    ResourceType type;
    type.version = QStringLiteral("v1");
    type.resource = resource;
    type.kind = kind;
    type.singularName = kind.toLower();
    type.namespaced = namespaced;
    type.verbs = allVerbs();
    type.fieldValue = metadataOnly();
    return type;
}

QList<ResourceType> makeTypes()
{
    QList<ResourceType> types;

    ResourceType bindings = core(QStringLiteral("bindings"), QStringLiteral("Binding"), true);
    bindings.verbs = kCreateOnly;
    bindings.validate = validateBinding;
    bindings.columns = defaultColumns();
    bindings.tableCells = defaultTableCells;
    types.append(bindings);

    ResourceType configmaps = core(QStringLiteral("configmaps"), QStringLiteral("ConfigMap"), true);
    configmaps.shortNames = {QStringLiteral("cm")};
    configmaps.storageVersionHash = QStringLiteral("qFsyl6wFWjQ=");
    configmaps.validate = validateConfigMap;
    configmaps.columns = configMapColumns();
    configmaps.tableCells = configMapTableCells;
    types.append(configmaps);

    ResourceType events = core(QStringLiteral("events"), QStringLiteral("Event"), true);
    events.shortNames = {QStringLiteral("ev")};
    events.storageVersionHash = QStringLiteral("r2yiGXH7wu8=");
    events.selectableFields = {QStringLiteral("involvedObject.kind"),
                               QStringLiteral("involvedObject.namespace"),
                               QStringLiteral("involvedObject.name"),
                               QStringLiteral("involvedObject.uid"),
                               QStringLiteral("involvedObject.apiVersion"),
                               QStringLiteral("involvedObject.resourceVersion"),
                               QStringLiteral("involvedObject.fieldPath"),
                               QStringLiteral("reason"),
                               QStringLiteral("reportingComponent"),
                               QStringLiteral("source"),
                               QStringLiteral("type")};
    events.fieldValue = coreEventFieldValue;
    events.validate = validateCoreEvent;
    events.columns = eventColumns();
    events.tableCells = coreEventTableCells;
    types.append(events);

    ResourceType namespaces = core(QStringLiteral("namespaces"), QStringLiteral("Namespace"), false);
    namespaces.verbs = verbsWithoutDeleteCollection();
    namespaces.shortNames = {QStringLiteral("ns")};
    namespaces.storageVersionHash = QStringLiteral("Q3oi5N2YM8M=");
    setSubresources(namespaces,
                    {sub(QStringLiteral("finalize"), QStringLiteral("Namespace"), {QStringLiteral("update")}),
                     sub(QStringLiteral("status"), QStringLiteral("Namespace"), kStatusVerbs)});
    namespaces.selectableFields = {QStringLiteral("status.phase")};
    namespaces.fieldValue = namespaceFieldValue;
    namespaces.prepareForUpdate = prepareNamespaceForUpdate;
    namespaces.applyDefaults = applyNamespaceDefaults;
    namespaces.validate = validateNamespace;
    namespaces.columns = namespaceColumns();
    namespaces.tableCells = namespaceTableCells;
    types.append(namespaces);

    ResourceType nodes = core(QStringLiteral("nodes"), QStringLiteral("Node"), false);
    nodes.shortNames = {QStringLiteral("no")};
    nodes.storageVersionHash = QStringLiteral("XwShjMxG9Fs=");
    setSubresources(nodes, {sub(QStringLiteral("proxy"), QStringLiteral("NodeProxyOptions"), kProxyVerbs),
                            sub(QStringLiteral("status"), QStringLiteral("Node"), kStatusVerbs)});
    nodes.selectableFields = {QStringLiteral("spec.unschedulable")};
    nodes.fieldValue = nodeFieldValue;
    nodes.prepareForUpdate = prepareNodeForUpdate;
    nodes.applyDefaults = applyNodeDefaults;
    nodes.validate = validateNode;
    nodes.columns = nodeColumns();
    nodes.tableCells = nodeTableCells;
    types.append(nodes);

    ResourceType pods = core(QStringLiteral("pods"), QStringLiteral("Pod"), true);
    pods.shortNames = {QStringLiteral("po")};
    pods.categories = {QStringLiteral("all")};
    pods.storageVersionHash = QStringLiteral("xPOwRZ+Yhw8=");
    setSubresources(pods, {sub(QStringLiteral("attach"), QStringLiteral("PodAttachOptions"), kConnectVerbs),
                           sub(QStringLiteral("binding"), QStringLiteral("Binding"), kCreateOnly),
                           sub(QStringLiteral("eviction"), QStringLiteral("Eviction"), kCreateOnly,
                               QStringLiteral("policy"), QStringLiteral("v1")),
                           sub(QStringLiteral("exec"), QStringLiteral("PodExecOptions"), kConnectVerbs),
                           sub(QStringLiteral("log"), QStringLiteral("Pod"), {QStringLiteral("get")}),
                           sub(QStringLiteral("portforward"), QStringLiteral("PodPortForwardOptions"), kConnectVerbs),
                           sub(QStringLiteral("proxy"), QStringLiteral("PodProxyOptions"), kProxyVerbs),
                           sub(QStringLiteral("status"), QStringLiteral("Pod"), kStatusVerbs)});
    pods.selectableFields = {QStringLiteral("spec.nodeName"),      QStringLiteral("spec.restartPolicy"),
                             QStringLiteral("spec.schedulerName"), QStringLiteral("spec.serviceAccountName"),
                             QStringLiteral("spec.hostNetwork"),   QStringLiteral("status.phase"),
                             QStringLiteral("status.podIP"),       QStringLiteral("status.nominatedNodeName")};
    pods.fieldValue = podFieldValue;
    pods.prepareForCreate = preparePodForCreate;
    pods.prepareForUpdate = preparePodForUpdate;
    pods.applyDefaults = applyPodDefaults;
    pods.validate = validatePod;
    pods.applyStatusDefaults = applyPodStatusDefaults;
    pods.validateStatusUpdate = validatePodStatusUpdate;
    pods.columns = podColumns();
    pods.tableCells = podTableCells;
    types.append(pods);

    ResourceType secrets = core(QStringLiteral("secrets"), QStringLiteral("Secret"), true);
    secrets.storageVersionHash = QStringLiteral("S6u1pOWzb84=");
    secrets.selectableFields = {QStringLiteral("type")};
    secrets.fieldValue = secretFieldValue;
    secrets.applyDefaults = applySecretDefaults;
    secrets.validate = validateSecret;
    secrets.columns = secretColumns();
    secrets.tableCells = secretTableCells;
    types.append(secrets);

    ResourceType serviceaccounts = core(QStringLiteral("serviceaccounts"), QStringLiteral("ServiceAccount"), true);
    serviceaccounts.shortNames = {QStringLiteral("sa")};
    serviceaccounts.storageVersionHash = QStringLiteral("pbx9ZvyFpBE=");
    setSubresources(serviceaccounts, {sub(QStringLiteral("token"), QStringLiteral("TokenRequest"), kCreateOnly,
                                          QStringLiteral("authentication.k8s.io"), QStringLiteral("v1"))});
    serviceaccounts.validate = validateServiceAccount;
    serviceaccounts.columns = serviceAccountColumns();
    serviceaccounts.tableCells = serviceAccountTableCells;
    types.append(serviceaccounts);

    ResourceType services = core(QStringLiteral("services"), QStringLiteral("Service"), true);
    services.verbs = verbsWithoutDeleteCollection();
    services.shortNames = {QStringLiteral("svc")};
    services.categories = {QStringLiteral("all")};
    services.storageVersionHash = QStringLiteral("0/CO1lhkEBI=");
    setSubresources(services, {sub(QStringLiteral("proxy"), QStringLiteral("ServiceProxyOptions"), kProxyVerbs),
                               sub(QStringLiteral("status"), QStringLiteral("Service"), kStatusVerbs)});
    services.prepareForUpdate = prepareServiceForUpdate;
    services.applyDefaults = applyServiceDefaults;
    services.validate = validateService;
    services.columns = serviceColumns();
    services.tableCells = serviceTableCells;
    types.append(services);

    ResourceType leases = core(QStringLiteral("leases"), QStringLiteral("Lease"), true);
    leases.group = QStringLiteral("coordination.k8s.io");
    leases.storageVersionHash = QStringLiteral("/sY7hl8ol1U=");
    leases.validate = validateLease;
    leases.columns = leaseColumns();
    leases.tableCells = leaseTableCells;
    types.append(leases);

    ResourceType eventsV1 = core(QStringLiteral("events"), QStringLiteral("Event"), true);
    eventsV1.group = QStringLiteral("events.k8s.io");
    eventsV1.shortNames = {QStringLiteral("ev")};
    eventsV1.storageVersionHash = QStringLiteral("r2yiGXH7wu8=");
    eventsV1.validate = validateEventsV1Event;
    eventsV1.columns = eventColumns();
    eventsV1.tableCells = eventsV1EventTableCells;
    types.append(eventsV1);

    // rbac.authorization.k8s.io/v1
    const auto rbac = [](const QString& resource, const QString& kind, bool namespaced) {
        ResourceType type = core(resource, kind, namespaced);
        type.group = QStringLiteral("rbac.authorization.k8s.io");
        return type;
    };
    ResourceType clusterRoleBindings =
        rbac(QStringLiteral("clusterrolebindings"), QStringLiteral("ClusterRoleBinding"), false);
    clusterRoleBindings.storageVersionHash = QStringLiteral("48tpQ8gZHFc=");
    clusterRoleBindings.applyDefaults = applyBindingDefaults;
    clusterRoleBindings.validate = validateClusterRoleBinding;
    clusterRoleBindings.columns = bindingColumns();
    clusterRoleBindings.tableCells = bindingTableCells;
    types.append(clusterRoleBindings);
    ResourceType clusterRoles = rbac(QStringLiteral("clusterroles"), QStringLiteral("ClusterRole"), false);
    clusterRoles.storageVersionHash = QStringLiteral("bYE5ZWDrJ44=");
    clusterRoles.validate = validateClusterRole;
    clusterRoles.columns = defaultColumns();
    clusterRoles.tableCells = defaultTableCells;
    types.append(clusterRoles);
    ResourceType roleBindings = rbac(QStringLiteral("rolebindings"), QStringLiteral("RoleBinding"), true);
    roleBindings.storageVersionHash = QStringLiteral("eGsCzGH6b1g=");
    roleBindings.applyDefaults = applyBindingDefaults;
    roleBindings.validate = validateRoleBinding;
    roleBindings.columns = bindingColumns();
    roleBindings.tableCells = bindingTableCells;
    types.append(roleBindings);
    ResourceType roles = rbac(QStringLiteral("roles"), QStringLiteral("Role"), true);
    roles.storageVersionHash = QStringLiteral("7FuwZcIIItM=");
    roles.validate = validateRole;
    roles.columns = defaultColumns();
    roles.tableCells = defaultTableCells;
    types.append(roles);

    // certificates.k8s.io/v1
    ResourceType csrs =
        core(QStringLiteral("certificatesigningrequests"), QStringLiteral("CertificateSigningRequest"), false);
    csrs.group = QStringLiteral("certificates.k8s.io");
    csrs.singularName = QStringLiteral("certificatesigningrequest");
    csrs.shortNames = {QStringLiteral("csr")};
    csrs.storageVersionHash = QStringLiteral("95fRKMXA+00=");
    setSubresources(csrs, {sub(QStringLiteral("approval"), QStringLiteral("CertificateSigningRequest"), kStatusVerbs),
                           sub(QStringLiteral("status"), QStringLiteral("CertificateSigningRequest"), kStatusVerbs)});
    csrs.selectableFields = {QStringLiteral("spec.signerName")};
    csrs.fieldValue = csrFieldValue;
    csrs.prepareForCreate = prepareCsrForCreate;
    csrs.prepareForUpdate = prepareCsrForUpdate;
    csrs.validate = validateCertificateSigningRequest;
    csrs.columns = csrColumns();
    csrs.tableCells = csrTableCells;
    types.append(csrs);

    // Reviews: create-only, never stored (the API server answers them).
    const auto review = [](const QString& group, const QString& resource, const QString& kind, bool namespaced) {
        ResourceType type = core(resource, kind, namespaced);
        type.group = group;
        type.verbs = kCreateOnly;
        type.validate = [](const QJsonObject&, const QJsonObject*) { return Causes{}; };
        type.columns = defaultColumns();
        type.tableCells = defaultTableCells;
        return type;
    };
    types.append(review(QStringLiteral("authentication.k8s.io"), QStringLiteral("tokenreviews"),
                        QStringLiteral("TokenReview"), false));
    types.append(review(QStringLiteral("authorization.k8s.io"), QStringLiteral("localsubjectaccessreviews"),
                        QStringLiteral("LocalSubjectAccessReview"), true));
    types.append(review(QStringLiteral("authorization.k8s.io"), QStringLiteral("selfsubjectaccessreviews"),
                        QStringLiteral("SelfSubjectAccessReview"), false));
    types.append(review(QStringLiteral("authorization.k8s.io"), QStringLiteral("selfsubjectrulesreviews"),
                        QStringLiteral("SelfSubjectRulesReview"), false));
    types.append(review(QStringLiteral("authorization.k8s.io"), QStringLiteral("subjectaccessreviews"),
                        QStringLiteral("SubjectAccessReview"), false));

    qCDebug(lcSandboxKinds) << "built-in resource types:" << types.size();
    return types;
}

} // namespace

const QList<ResourceType>& builtinResourceTypes()
{
    static const QList<ResourceType> types = makeTypes();
    return types;
}

const ResourceType* findResourceType(const QString& group, const QString& version, const QString& resource)
{
    const QString wanted = resource.toLower();
    for (const ResourceType& type : builtinResourceTypes()) {
        if (type.group != group || (!version.isEmpty() && type.version != version))
            continue;
        if (type.resource == wanted || type.singularName == wanted || type.shortNames.contains(wanted))
            return &type;
    }
    return nullptr;
}

const ResourceType* findResourceTypeByKind(const QString& apiVersion, const QString& kind)
{
    for (const ResourceType& type : builtinResourceTypes()) {
        if (type.apiVersion() == apiVersion && type.kind == kind)
            return &type;
    }
    return nullptr;
}

} // namespace vk::sandbox
