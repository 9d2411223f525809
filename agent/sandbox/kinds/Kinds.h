// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "api/Validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>

// The built-in kinds the sandbox serves, with what is specific to each kind: discovery facts, defaults, validation,
// server-side table columns. Everything kind-independent (uid, resourceVersion, generation, graceful deletion,
// finalizers, watches) lives in the store and the API server.
namespace vk::sandbox {

struct TableColumn
{
    QString name;   ///< "Name", "Ready", ...
    QString type;   ///< "string", "integer", "date", ...
    QString format; ///< "name" for the name column, else empty
    QString description;
    int priority = 0; ///< 0: always shown; 1: only with -o wide
};

/// Discovery facts of one subresource ("pods/status", "pods/eviction"), as kube-apiserver lists them in
/// APIResourceList: the kind it takes or returns, its group/version when it differs from the parent's, and its verbs.
struct SubresourceInfo
{
    QString name;      ///< "status"
    QString kind;      ///< "Pod", "Binding", "Eviction", "PodExecOptions", ...
    QString group;     ///< only set when it differs from the parent's ("policy" for pods/eviction)
    QString version;   ///< only set when it differs from the parent's ("v1" for pods/eviction)
    QStringList verbs; ///< "get", "patch", "update"; "create"; ...
};

struct ResourceType
{
    QString group;        ///< "" for core
    QString version;      ///< "v1"
    QString resource;     ///< plural, "pods"
    QString kind;         ///< "Pod"
    QString singularName; ///< "pod"
    bool namespaced = true;
    QStringList shortNames;   ///< "po"
    QStringList categories;   ///< "all"
    QStringList verbs;        ///< create, delete, deletecollection, get, list, patch, update, watch
    QStringList subresources; ///< "status", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy"
    /// Field selector fields beyond metadata.name and metadata.namespace, e.g. spec.nodeName, status.phase.
    QStringList selectableFields;
    /// Whether changes outside metadata and status bump metadata.generation.
    bool tracksGeneration = false;
    /// Discovery entries of the subresources, one per name in `subresources`, in the same order.
    QList<SubresourceInfo> subresourceInfos;
    /// The storageVersionHash kube-apiserver advertises in discovery (empty for create-only resources).
    QString storageVersionHash;

    /// The value a field selector compares for `field` (metadata.name, metadata.namespace or one of
    /// selectableFields), computed as kube-apiserver does: booleans as "true"/"false", status.podIP from
    /// status.podIPs[0], an event's source falling back to reportingComponent. Empty string when unset.
    std::function<QString(const QJsonObject& object, const QString& field)> fieldValue;

    /// Kind-specific preparation of a create (kube-apiserver's PrepareForCreate), run before applyDefaults: a
    /// pod's status is reset (applyDefaults then sets phase Pending and the QoS class). May be null.
    std::function<void(QJsonObject& object)> prepareForCreate;
    /// Kind-specific carry-over from the stored object on an update of the main resource (PrepareForUpdate), run
    /// before applyDefaults: status is kept (it changes only through /status), a service keeps its allocated
    /// clusterIP(s) and node ports when the request omits them, a namespace keeps spec.finalizers (only /finalize
    /// changes them). Not for /status updates. May be null.
    std::function<void(QJsonObject& object, const QJsonObject& old)> prepareForUpdate;
    /// Server-side defaults, applied on create and update (before validation). May be null. Idempotent.
    std::function<void(QJsonObject& object)> applyDefaults;
    /// Kind-specific validation; `old` is null on create. Object-meta name rules are checked here too.
    std::function<api::validation::Causes(const QJsonObject& object, const QJsonObject* old)> validate;
    /// Defaults of a /status update, run instead of applyDefaults: the spec is the stored (already defaulted) one,
    /// so only the status is defaulted. May be null: applyDefaults runs.
    std::function<void(QJsonObject& object)> applyStatusDefaults;
    /// Validation of a /status update, as kube's status strategies do it (ValidatePodStatusUpdate): the metadata
    /// update and the status, never the spec, which is the stored one. May be null: validate runs.
    std::function<api::validation::Causes(const QJsonObject& object, const QJsonObject& old)> validateStatusUpdate;
    /// Server-side printing (kubectl get): column definitions and the cells of one row.
    QList<TableColumn> columns;
    std::function<QJsonArray(const QJsonObject& object, const QDateTime& now)> tableCells;

    QString apiVersion() const { return group.isEmpty() ? version : group + QLatin1Char('/') + version; }
    QString listKind() const { return kind + QStringLiteral("List"); }
};

/// Every kind the sandbox serves: namespaces, pods, nodes, configmaps, secrets, services, serviceaccounts,
/// events (core/v1), events (events.k8s.io/v1), leases (coordination.k8s.io/v1); plus bindings (create only).
const QList<ResourceType>& builtinResourceTypes();
/// Looks a type up by group and plural resource name (or short name, or singular name).
const ResourceType* findResourceType(const QString& group, const QString& version, const QString& resource);
/// Looks a type up by the apiVersion ("v1", "coordination.k8s.io/v1") and kind ("Pod") of an object.
const ResourceType* findResourceTypeByKind(const QString& apiVersion, const QString& kind);

/// kubectl's age format: "5s", "3m12s", "2d4h", "<invalid>" for future times.
QString humanDuration(const QDateTime& from, const QDateTime& now);

/// OpenAPI v3 as kube-apiserver serves it: the index ({"paths": {"api/v1": {"serverRelativeURL": ...}}}) and one
/// document per group-version ("api/v1", "apis/coordination.k8s.io/v1", ...), with schemas for the served kinds
/// (x-kubernetes-group-version-kind, list merge keys, required fields) complete enough for kubectl's validation,
/// apply and explain. The document for an unknown path is empty.
QJsonObject openApiV3Index();
QJsonObject openApiV3Document(const QString& groupVersionPath);

} // namespace vk::sandbox
