// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sandbox/kinds/Kinds.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

// The per-kind rules behind builtinResourceTypes(): defaults, preparation, validation, printing and field values.
// Each kind's rules live in <Kind>Rules.cpp; Registry.cpp wires them into ResourceType entries.
namespace vk::sandbox::detail {

using api::validation::Causes;

// Pods
void preparePodForCreate(QJsonObject& pod);
void preparePodForUpdate(QJsonObject& pod, const QJsonObject& old);
void applyPodDefaults(QJsonObject& pod);
/// The status part of applyPodDefaults (phase, QoS class, the SchedulingGated condition): a /status update's.
void applyPodStatusDefaults(QJsonObject& pod);
/// The v1 conversion of status.podIP/podIPs and hostIP/hostIPs (both defaults apply it): the single field wins
/// over a list not starting with it and fills an empty list; podIPs' first entry is shown as podIP.
void convertPodStatusIps(QJsonObject& pod);
/// The IPs of a pair kube stores and validates (PodStatusValidation.cpp): v1's podIP/hostIP wins over a list that
/// does not start with it (the v1 → internal conversion), so a status with only podIP has podIPs [podIP].
QStringList effectiveIps(const QJsonObject& status, QLatin1String single, QLatin1String list);
Causes validatePod(const QJsonObject& pod, const QJsonObject* old);
/// ValidatePodStatusUpdate (PodStatusValidation.cpp): metadata update, conditions, nominatedNodeName, QoS class,
/// container state transitions, resource claim statuses, pod and host IPs; the spec is not validated.
Causes validatePodStatusUpdate(const QJsonObject& pod, const QJsonObject& old);
QList<TableColumn> podColumns();
QJsonArray podTableCells(const QJsonObject& pod, const QDateTime& now);
QString podFieldValue(const QJsonObject& pod, const QString& field);
/// The pod's QoS class as kube-apiserver computes it (qos.GetPodQOS): BestEffort, Burstable or Guaranteed.
QString podQosClass(const QJsonObject& pod);
/// SetDefaults_Container's image pull policy: Always for ":latest" or untagged images, IfNotPresent otherwise.
QString defaultImagePullPolicy(const QString& image);
/// The fields of a v1.Volume that name its source (hostPath, emptyDir, secret, configMap, ...), in API order.
const QList<QLatin1String>& volumeSourceFields();

// Nodes
void prepareNodeForUpdate(QJsonObject& node, const QJsonObject& old);
void applyNodeDefaults(QJsonObject& node);
Causes validateNode(const QJsonObject& node, const QJsonObject* old);
QList<TableColumn> nodeColumns();
QJsonArray nodeTableCells(const QJsonObject& node, const QDateTime& now);
QString nodeFieldValue(const QJsonObject& node, const QString& field);

// Namespaces
void prepareNamespaceForUpdate(QJsonObject& ns, const QJsonObject& old);
void applyNamespaceDefaults(QJsonObject& ns);
Causes validateNamespace(const QJsonObject& ns, const QJsonObject* old);
QList<TableColumn> namespaceColumns();
QJsonArray namespaceTableCells(const QJsonObject& ns, const QDateTime& now);
QString namespaceFieldValue(const QJsonObject& ns, const QString& field);

// ConfigMaps, Secrets, ServiceAccounts
Causes validateConfigMap(const QJsonObject& cm, const QJsonObject* old);
QList<TableColumn> configMapColumns();
QJsonArray configMapTableCells(const QJsonObject& cm, const QDateTime& now);
void applySecretDefaults(QJsonObject& secret);
Causes validateSecret(const QJsonObject& secret, const QJsonObject* old);
QList<TableColumn> secretColumns();
QJsonArray secretTableCells(const QJsonObject& secret, const QDateTime& now);
QString secretFieldValue(const QJsonObject& secret, const QString& field);
Causes validateServiceAccount(const QJsonObject& sa, const QJsonObject* old);
QList<TableColumn> serviceAccountColumns();
QJsonArray serviceAccountTableCells(const QJsonObject& sa, const QDateTime& now);

// Services
void prepareServiceForUpdate(QJsonObject& service, const QJsonObject& old);
void applyServiceDefaults(QJsonObject& service);
Causes validateService(const QJsonObject& service, const QJsonObject* old);
QList<TableColumn> serviceColumns();
QJsonArray serviceTableCells(const QJsonObject& service, const QDateTime& now);

// Events (core/v1 and events.k8s.io/v1 share the printer; fields are read by the API version's names)
Causes validateCoreEvent(const QJsonObject& event, const QJsonObject* old);
Causes validateEventsV1Event(const QJsonObject& event, const QJsonObject* old);
QList<TableColumn> eventColumns();
QJsonArray coreEventTableCells(const QJsonObject& event, const QDateTime& now);
QJsonArray eventsV1EventTableCells(const QJsonObject& event, const QDateTime& now);
QString coreEventFieldValue(const QJsonObject& event, const QString& field);

// Leases and bindings
Causes validateLease(const QJsonObject& lease, const QJsonObject* old);
QList<TableColumn> leaseColumns();
QJsonArray leaseTableCells(const QJsonObject& lease, const QDateTime& now);
Causes validateBinding(const QJsonObject& binding, const QJsonObject* old);

// rbac.authorization.k8s.io/v1 (RbacRules.cpp)
void applyBindingDefaults(QJsonObject& binding);
Causes validateRole(const QJsonObject& role, const QJsonObject* old);
Causes validateClusterRole(const QJsonObject& role, const QJsonObject* old);
Causes validateRoleBinding(const QJsonObject& binding, const QJsonObject* old);
Causes validateClusterRoleBinding(const QJsonObject& binding, const QJsonObject* old);
QList<TableColumn> bindingColumns();
QJsonArray bindingTableCells(const QJsonObject& binding, const QDateTime& now);

// certificates.k8s.io/v1 CertificateSigningRequest (CertificateRules.cpp)
void prepareCsrForCreate(QJsonObject& csr);
void prepareCsrForUpdate(QJsonObject& csr, const QJsonObject& old);
Causes validateCertificateSigningRequest(const QJsonObject& csr, const QJsonObject* old);
QList<TableColumn> csrColumns();
QJsonArray csrTableCells(const QJsonObject& csr, const QDateTime& now);
QString csrFieldValue(const QJsonObject& csr, const QString& field);
/// printCertificateSigningRequest's condition: "Pending", "Approved,Issued", "Denied", "Approved,Failed".
QString csrCondition(const QJsonObject& csr);

// Shared printing helpers (TableColumns.cpp)
QString objectMetaDescription(const QString& field); ///< "name", "creationTimestamp"
TableColumn nameColumn();
TableColumn ageColumn();
/// The generic table of kinds without a printer: Name, Created At.
QList<TableColumn> defaultColumns();
QJsonArray defaultTableCells(const QJsonObject& object, const QDateTime& now);
/// translateTimestampSince: humanDuration since `time`, "<unknown>" for a zero time.
QString translateTimestampSince(const QDateTime& time, const QDateTime& now);
/// The Age cell of an object (its creationTimestamp).
QString ageOf(const QJsonObject& object, const QDateTime& now);
/// labels.FormatLabels: "a=b,c=d" sorted by key, "<none>" when empty.
QString formatLabels(const QJsonObject& labels);

/// metadata.name and metadata.namespace, the fields every kind can be selected by; empty when not one of them.
QString metadataFieldValue(const QJsonObject& object, const QString& field, bool* known);

} // namespace vk::sandbox::detail
