// SPDX-License-Identifier: Apache-2.0
#include "sandbox/Registry.h"

#include "core/Json.h"
#include "sandbox/Logging.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QUuid>

namespace vk::sandbox {

namespace object {

QJsonObject metadata(const QJsonObject& object)
{
    return object.value(QLatin1String("metadata")).toObject();
}

QString name(const QJsonObject& object)
{
    return metadata(object).value(QLatin1String("name")).toString();
}

QString namespaceName(const QJsonObject& object)
{
    return metadata(object).value(QLatin1String("namespace")).toString();
}

QString uid(const QJsonObject& object)
{
    return metadata(object).value(QLatin1String("uid")).toString();
}

QString resourceVersion(const QJsonObject& object)
{
    return metadata(object).value(QLatin1String("resourceVersion")).toString();
}

QJsonObject labels(const QJsonObject& object)
{
    return metadata(object).value(QLatin1String("labels")).toObject();
}

void setMetadataField(QJsonObject& object, const QString& field, const QJsonValue& value)
{
    QJsonObject meta = metadata(object);
    if (value.isUndefined())
        meta.remove(field);
    else
        meta.insert(field, value);
    object.insert(QStringLiteral("metadata"), meta);
}

QString newUid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace object

namespace {

const QLatin1String kMetadata("metadata");
const QLatin1String kSpec("spec");
const QLatin1String kStatus("status");

bool hasStatusSubresource(const ResourceType& type)
{
    return type.subresources.contains(QLatin1String("status"));
}

/// Kinds whose status a create request may not set (kube-apiserver's PrepareForCreate resets it).
bool resetsStatusOnCreate(const ResourceType& type)
{
    return type.group.isEmpty() &&
           (type.resource == QLatin1String("pods") || type.resource == QLatin1String("services") ||
            type.resource == QLatin1String("namespaces"));
}

QString randomSuffix(int length)
{
    // The alphabet of k8s.io/apimachinery/pkg/util/rand (no vowels, no confusable characters).
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    QString s;
    for (int i = 0; i < length; ++i)
        s.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]));
    return s;
}

bool isTerminalPod(const QJsonObject& pod)
{
    const QString phase = pod.value(kStatus).toObject().value(QLatin1String("phase")).toString();
    return phase == QLatin1String("Failed") || phase == QLatin1String("Succeeded");
}

bool isPods(const ResourceType& type)
{
    return type.group.isEmpty() && type.resource == QLatin1String("pods");
}

bool isNamespaces(const ResourceType& type)
{
    return type.group.isEmpty() && type.resource == QLatin1String("namespaces");
}

QJsonObject withoutVersion(QJsonObject object)
{
    object::setMetadataField(object, QStringLiteral("resourceVersion"), QJsonValue::Undefined);
    return object;
}

// Service cluster IPs come from 10.96.0.0/12, like kubeadm's default service CIDR.
constexpr quint32 kServiceCidrBase = (10u << 24) | (96u << 16);
constexpr quint32 kServiceCidrSize = 1u << 20;

} // namespace

Result<DeleteOptions> DeleteOptions::fromJson(const QJsonObject& body)
{
    DeleteOptions options;
    if (body.contains(QLatin1String("gracePeriodSeconds"))) {
        const QJsonValue v = body.value(QLatin1String("gracePeriodSeconds"));
        if (!v.isDouble() && !v.isNull())
            return Error::badRequest(QStringLiteral("gracePeriodSeconds must be an integer"));
        if (v.isDouble())
            options.gracePeriodSeconds = qint64(v.toDouble());
    }
    const QJsonObject preconditions = body.value(QLatin1String("preconditions")).toObject();
    options.preconditionUid = preconditions.value(QLatin1String("uid")).toString();
    options.preconditionResourceVersion = preconditions.value(QLatin1String("resourceVersion")).toString();
    options.propagationPolicy = body.value(QLatin1String("propagationPolicy")).toString();
    if (!options.propagationPolicy.isEmpty() && options.propagationPolicy != QLatin1String("Orphan") &&
        options.propagationPolicy != QLatin1String("Background") &&
        options.propagationPolicy != QLatin1String("Foreground"))
        return Error::badRequest(QStringLiteral("DeleteOptions.propagationPolicy: Unsupported value: \"%1\": "
                                                "supported values: \"Foreground\", \"Background\", \"Orphan\"")
                                     .arg(options.propagationPolicy));
    const QJsonArray dryRun = body.value(QLatin1String("dryRun")).toArray();
    options.dryRun = !dryRun.isEmpty();
    return options;
}

Registry::Registry(ObjectStore* store, Clock* clock, QObject* parent) : QObject(parent), m_store(store), m_clock(clock)
{}

QString Registry::typeKey(const ResourceType& type)
{
    // core/v1 and events.k8s.io/v1 events share one storage, as in kube-apiserver.
    if (type.group == QLatin1String("events.k8s.io") && type.resource == QLatin1String("events"))
        return QStringLiteral("events");
    return type.group.isEmpty() ? type.resource : type.group + QLatin1Char('/') + type.resource;
}

QString Registry::qualifiedResource(const ResourceType& type)
{
    return type.group.isEmpty() ? type.resource : type.resource + QLatin1Char('.') + type.group;
}

Error Registry::notFound(const ResourceType& type, const QString& name)
{
    Error e(ErrorCategory::NotFound, QStringLiteral("%1 \"%2\" not found").arg(qualifiedResource(type), name));
    e.setDetails(name, type.resource, type.group);
    return e;
}

Error Registry::alreadyExists(const ResourceType& type, const QString& name)
{
    Error e(ErrorCategory::AlreadyExists,
            QStringLiteral("%1 \"%2\" already exists").arg(qualifiedResource(type), name));
    e.setDetails(name, type.resource, type.group);
    return e;
}

Error Registry::conflict(const ResourceType& type, const QString& name, const QString& detail)
{
    Error e(
        ErrorCategory::Conflict,
        QStringLiteral("Operation cannot be fulfilled on %1 \"%2\": %3").arg(qualifiedResource(type), name, detail));
    e.setDetails(name, type.resource, type.group);
    return e;
}

Result<QJsonObject> Registry::get(const ResourceType& type, const QString& ns, const QString& name) const
{
    const QJsonObject* stored = m_store->get(typeKey(type), type.namespaced ? ns : QString(), name);
    if (!stored)
        return notFound(type, name);
    return *stored;
}

Result<QJsonObject> Registry::prepareCreate(const ResourceType& type, const QString& ns, QJsonObject object)
{
    QJsonObject meta = object::metadata(object);
    // Server-owned fields are never taken from the client.
    for (const auto* field : {"uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                              "deletionGracePeriodSeconds", "generation", "selfLink", "managedFields"})
        meta.remove(QLatin1String(field));
    if (type.namespaced) {
        const QString bodyNs = meta.value(QLatin1String("namespace")).toString();
        if (!bodyNs.isEmpty() && bodyNs != ns)
            return Error::badRequest(QStringLiteral(
                "the namespace of the provided object does not match the namespace sent on the request"));
        meta.insert(QStringLiteral("namespace"), ns);
    } else {
        meta.remove(QStringLiteral("namespace"));
    }
    if (meta.value(QLatin1String("name")).toString().isEmpty()) {
        const QString generateName = meta.value(QLatin1String("generateName")).toString();
        if (!generateName.isEmpty())
            meta.insert(QStringLiteral("name"), QString(generateName + randomSuffix(5)));
    }
    meta.insert(QStringLiteral("uid"), object::newUid());
    meta.insert(QStringLiteral("creationTimestamp"), json::formatTime(m_clock->now()));
    if (type.tracksGeneration)
        meta.insert(QStringLiteral("generation"), 1);
    object.insert(kMetadata, meta);
    object.insert(QStringLiteral("kind"), type.kind);
    object.insert(QStringLiteral("apiVersion"), type.apiVersion());
    if (resetsStatusOnCreate(type))
        object.remove(kStatus);
    if (type.prepareForCreate)
        type.prepareForCreate(object);
    if (type.applyDefaults)
        type.applyDefaults(object);
    return object;
}

Result<QJsonObject> Registry::create(const ResourceType& type, const QString& ns, QJsonObject object, bool dryRun)
{
    if (type.namespaced) {
        const QJsonObject* nsObject = m_store->get(QStringLiteral("namespaces"), {}, ns);
        if (!nsObject) {
            Error e(ErrorCategory::NotFound, QStringLiteral("namespaces \"%1\" not found").arg(ns));
            e.setDetails(ns, QStringLiteral("namespaces"));
            return e;
        }
        if (nsObject->value(kMetadata).toObject().contains(QLatin1String("deletionTimestamp"))) {
            Error e(ErrorCategory::Forbidden,
                    QStringLiteral("%1 \"%2\" is forbidden: unable to create new content in namespace %3 because it "
                                   "is being terminated")
                        .arg(qualifiedResource(type), object::name(object), ns));
            e.setDetails(object::name(object), type.resource, type.group);
            return e;
        }
    }
    auto prepared = prepareCreate(type, ns, std::move(object));
    if (!prepared)
        return prepared;
    QJsonObject& ready = prepared.value();
    const QString name = object::name(ready);
    if (type.validate) {
        const auto causes = type.validate(ready, nullptr);
        if (!causes.isEmpty())
            return api::validation::invalidError(type.kind, type.group, name, causes);
    }
    if (m_store->get(typeKey(type), type.namespaced ? ns : QString(), name))
        return alreadyExists(type, name);
    if (type.group.isEmpty() && type.resource == QLatin1String("services")) {
        if (auto allocated = allocateClusterIp(ready); !allocated)
            return allocated.error();
    }
    if (dryRun)
        return ready;
    return m_store->add(typeKey(type), ready);
}

Result<QJsonObject> Registry::update(
    const ResourceType& type, const QString& ns, const QString& name, QJsonObject object, bool statusOnly, bool dryRun)
{
    const QString effectiveNs = type.namespaced ? ns : QString();
    const QJsonObject* stored = m_store->get(typeKey(type), effectiveNs, name);
    if (!stored)
        return notFound(type, name);
    const QJsonObject old = *stored;
    QJsonObject meta = object::metadata(object);

    const QString bodyName = meta.value(QLatin1String("name")).toString();
    if (!bodyName.isEmpty() && bodyName != name)
        return Error::badRequest(
            QStringLiteral("the name of the object (%1) does not match the name on the URL (%2)").arg(bodyName, name));
    if (type.namespaced) {
        const QString bodyNs = meta.value(QLatin1String("namespace")).toString();
        if (!bodyNs.isEmpty() && bodyNs != ns)
            return Error::badRequest(QStringLiteral(
                "the namespace of the provided object does not match the namespace sent on the request"));
    }
    const QString requestedVersion = meta.value(QLatin1String("resourceVersion")).toString();
    if (!requestedVersion.isEmpty() && requestedVersion != object::resourceVersion(old))
        return conflict(type, name,
                        QStringLiteral("the object has been modified; please apply your changes to the latest "
                                       "version and try again"));
    const QString requestedUid = meta.value(QLatin1String("uid")).toString();
    if (!requestedUid.isEmpty() && requestedUid != object::uid(old))
        return conflict(type, name,
                        QStringLiteral("Precondition failed: UID in precondition: %1, UID in object meta: %2")
                            .arg(requestedUid, object::uid(old)));

    // Fields the server owns come from the stored object.
    const QJsonObject oldMeta = object::metadata(old);
    for (const auto* field : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                              "generation", "resourceVersion", "selfLink", "managedFields"}) {
        const QLatin1String key(field);
        if (oldMeta.contains(key))
            meta.insert(key, oldMeta.value(key));
        else
            meta.remove(key);
    }
    meta.insert(QStringLiteral("name"), name);
    if (type.namespaced)
        meta.insert(QStringLiteral("namespace"), ns);
    else
        meta.remove(QStringLiteral("namespace"));
    object.insert(kMetadata, meta);
    object.insert(QStringLiteral("kind"), type.kind);
    object.insert(QStringLiteral("apiVersion"), type.apiVersion());

    if (statusOnly) {
        // Only status (and labels/annotations) change through the status subresource.
        QJsonObject merged = old;
        if (object.contains(kStatus))
            merged.insert(kStatus, object.value(kStatus));
        else
            merged.remove(kStatus);
        QJsonObject mergedMeta = oldMeta;
        for (const auto* field : {"labels", "annotations"}) {
            const QLatin1String key(field);
            if (meta.contains(key))
                mergedMeta.insert(key, meta.value(key));
            else
                mergedMeta.remove(key);
        }
        merged.insert(kMetadata, mergedMeta);
        object = merged;
    } else {
        if (hasStatusSubresource(type)) {
            if (old.contains(kStatus))
                object.insert(kStatus, old.value(kStatus));
            else
                object.remove(kStatus);
        }
        if (type.prepareForUpdate)
            type.prepareForUpdate(object, old);
    }
    // A status write's spec is the stored one: kinds with status rules default and validate only the status and the
    // metadata update (kube's status strategies), so the spec stays exactly as stored.
    const bool statusDefaults = statusOnly && type.applyStatusDefaults;
    if (statusDefaults)
        type.applyStatusDefaults(object);
    else if (type.applyDefaults)
        type.applyDefaults(object);
    if (type.tracksGeneration && !statusDefaults && object.value(kSpec) != old.value(kSpec)) {
        QJsonObject m = object::metadata(object);
        m.insert(QStringLiteral("generation"), oldMeta.value(QLatin1String("generation")).toInteger(1) + 1);
        object.insert(kMetadata, m);
    }
    api::validation::Causes causes;
    if (statusOnly && type.validateStatusUpdate)
        causes = type.validateStatusUpdate(object, old);
    else if (type.validate)
        causes = type.validate(object, &old);
    if (!causes.isEmpty())
        return api::validation::invalidError(type.kind, type.group, name, causes);
    // A write that changes nothing is not a write: no new resourceVersion, no watch event.
    if (withoutVersion(object) == withoutVersion(old))
        return old;
    if (dryRun)
        return object;
    bool removed = false;
    const QJsonObject finished = finishDeletionIfReady(type, object, &removed);
    if (removed)
        return finished;
    return m_store->replace(typeKey(type), object);
}

QJsonObject Registry::finishDeletionIfReady(const ResourceType& type, const QJsonObject& object, bool* removed)
{
    *removed = false;
    const QJsonObject meta = object::metadata(object);
    if (!meta.contains(QLatin1String("deletionTimestamp")))
        return object;
    if (!meta.value(QLatin1String("finalizers")).toArray().isEmpty())
        return object;
    if (meta.value(QLatin1String("deletionGracePeriodSeconds")).toInteger(0) != 0)
        return object;
    if (isNamespaces(type) && !object.value(kSpec).toObject().value(QLatin1String("finalizers")).toArray().isEmpty())
        return object;
    m_store->replace(typeKey(type), object);
    *removed = true;
    return m_store->remove(typeKey(type), object::namespaceName(object), object::name(object));
}

Result<DeleteOutcome>
Registry::remove(const ResourceType& type, const QString& ns, const QString& name, const DeleteOptions& options)
{
    const QString effectiveNs = type.namespaced ? ns : QString();
    const QJsonObject* stored = m_store->get(typeKey(type), effectiveNs, name);
    if (!stored)
        return notFound(type, name);
    QJsonObject object = *stored;
    if (!options.preconditionUid.isEmpty() && options.preconditionUid != object::uid(object))
        return conflict(type, name,
                        QStringLiteral("Precondition failed: UID in precondition: %1, UID in object meta: %2")
                            .arg(options.preconditionUid, object::uid(object)));
    if (!options.preconditionResourceVersion.isEmpty() &&
        options.preconditionResourceVersion != object::resourceVersion(object))
        return conflict(type, name,
                        QStringLiteral("Precondition failed: ResourceVersion in precondition: %1, ResourceVersion in "
                                       "object meta: %2")
                            .arg(options.preconditionResourceVersion, object::resourceVersion(object)));
    if (isNamespaces(type) && (name == QLatin1String("default") || name == QLatin1String("kube-system") ||
                               name == QLatin1String("kube-public"))) {
        Error e(ErrorCategory::Forbidden,
                QStringLiteral("namespaces \"%1\" is forbidden: this namespace may not be deleted").arg(name));
        e.setDetails(name, QStringLiteral("namespaces"));
        return e;
    }

    QJsonObject meta = object::metadata(object);
    const QDateTime now = m_clock->now();
    const bool alreadyDeleting = meta.contains(QLatin1String("deletionTimestamp"));

    // How long the object may take to go: pods on a node get their grace period; everything else goes now.
    qint64 grace = 0;
    if (isPods(type)) {
        grace = options.gracePeriodSeconds.value_or(
            object.value(kSpec).toObject().value(QLatin1String("terminationGracePeriodSeconds")).toInteger(30));
        if (grace < 0)
            grace = 1;
        const bool unbound = object.value(kSpec).toObject().value(QLatin1String("nodeName")).toString().isEmpty();
        if (unbound || isTerminalPod(object))
            grace = 0;
    }
    const bool hasFinalizers = !meta.value(QLatin1String("finalizers")).toArray().isEmpty();
    const bool namespaceFinalizers =
        isNamespaces(type) && !object.value(kSpec).toObject().value(QLatin1String("finalizers")).toArray().isEmpty();

    if (alreadyDeleting) {
        const qint64 current = meta.value(QLatin1String("deletionGracePeriodSeconds")).toInteger(0);
        if (grace >= current || (!isPods(type)))
            return DeleteOutcome{object, true};
        // A shorter grace period shortens a deletion in progress (kubectl delete --grace-period=0 --force).
    }

    if (grace > 0 || hasFinalizers || namespaceFinalizers) {
        if (options.dryRun)
            return DeleteOutcome{object, true};
        meta.insert(QStringLiteral("deletionTimestamp"), json::formatTime(now.addSecs(grace)));
        meta.insert(QStringLiteral("deletionGracePeriodSeconds"), grace);
        object.insert(kMetadata, meta);
        if (isNamespaces(type)) {
            QJsonObject status = object.value(kStatus).toObject();
            status.insert(QStringLiteral("phase"), QStringLiteral("Terminating"));
            object.insert(kStatus, status);
        }
        bool removed = false;
        const QJsonObject result = finishDeletionIfReady(type, object, &removed);
        if (removed)
            return DeleteOutcome{result, false};
        return DeleteOutcome{m_store->replace(typeKey(type), object), true};
    }
    if (options.dryRun)
        return DeleteOutcome{object, false};
    return DeleteOutcome{m_store->remove(typeKey(type), effectiveNs, name), false};
}

Result<QJsonObject> Registry::finalizeNamespace(const QString& name, const QJsonArray& finalizers)
{
    const ResourceType* namespaces = findResourceType({}, QStringLiteral("v1"), QStringLiteral("namespaces"));
    const QJsonObject* stored = m_store->get(QStringLiteral("namespaces"), {}, name);
    if (!stored)
        return notFound(*namespaces, name);
    QJsonObject object = *stored;
    QJsonObject spec = object.value(kSpec).toObject();
    if (spec.value(QLatin1String("finalizers")).toArray() == finalizers)
        return object;
    spec.insert(QStringLiteral("finalizers"), finalizers);
    object.insert(kSpec, spec);
    bool removed = false;
    const QJsonObject finished = finishDeletionIfReady(*namespaces, object, &removed);
    if (removed)
        return finished;
    return m_store->replace(QStringLiteral("namespaces"), object);
}

Result<QJsonObject> Registry::bind(const QString& ns, const QString& podName, const QJsonObject& binding)
{
    const ResourceType* pods = findResourceType({}, QStringLiteral("v1"), QStringLiteral("pods"));
    const QJsonObject* stored = m_store->get(QStringLiteral("pods"), ns, podName);
    if (!stored)
        return notFound(*pods, podName);
    const QString bindingName = object::name(binding);
    if (!bindingName.isEmpty() && bindingName != podName)
        return Error::badRequest(QStringLiteral("the name of the object (%1) does not match the name on the URL (%2)")
                                     .arg(bindingName, podName));
    const QJsonObject target = binding.value(QLatin1String("target")).toObject();
    const QString nodeName = target.value(QLatin1String("name")).toString();
    if (nodeName.isEmpty()) {
        api::validation::Causes causes;
        api::validation::required(QStringLiteral("target.name"), causes);
        return api::validation::invalidError(QStringLiteral("Binding"), {}, podName, causes);
    }
    QJsonObject pod = *stored;
    const auto bindingConflict = [&](const QString& detail) {
        Error e(ErrorCategory::Conflict,
                QStringLiteral("Operation cannot be fulfilled on pods/binding \"%1\": %2").arg(podName, detail));
        e.setDetails(podName, QStringLiteral("pods/binding"));
        return e;
    };
    if (object::metadata(pod).contains(QLatin1String("deletionTimestamp")))
        return bindingConflict(QStringLiteral("pod %1 is being deleted, cannot be assigned to a host").arg(podName));
    QJsonObject spec = pod.value(kSpec).toObject();
    const QString current = spec.value(QLatin1String("nodeName")).toString();
    if (!current.isEmpty())
        return bindingConflict(QStringLiteral("pod %1 is already assigned to node \"%2\"").arg(podName, current));
    spec.insert(QStringLiteral("nodeName"), nodeName);
    pod.insert(kSpec, spec);
    QJsonObject status = pod.value(kStatus).toObject();
    QJsonArray conditions;
    for (const auto& c : status.value(QLatin1String("conditions")).toArray()) {
        if (c.toObject().value(QLatin1String("type")).toString() != QLatin1String("PodScheduled"))
            conditions.append(c);
    }
    conditions.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("PodScheduled")},
                                  {QStringLiteral("status"), QStringLiteral("True")},
                                  {QStringLiteral("lastProbeTime"), QJsonValue::Null},
                                  {QStringLiteral("lastTransitionTime"), json::formatTime(m_clock->now())}});
    status.insert(QStringLiteral("conditions"), conditions);
    pod.insert(kStatus, status);
    m_store->replace(QStringLiteral("pods"), pod);
    QJsonObject success{{QStringLiteral("kind"), QStringLiteral("Status")},
                        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                        {QStringLiteral("metadata"), QJsonObject{}},
                        {QStringLiteral("status"), QStringLiteral("Success")},
                        {QStringLiteral("code"), 201}};
    return success;
}

Result<DeleteOutcome> Registry::evict(const QString& ns, const QString& podName, const QJsonObject& eviction)
{
    const ResourceType* pods = findResourceType({}, QStringLiteral("v1"), QStringLiteral("pods"));
    auto options = DeleteOptions::fromJson(eviction.value(QLatin1String("deleteOptions")).toObject());
    if (!options)
        return options.error();
    return remove(*pods, ns, podName, options.value());
}

Status Registry::allocateClusterIp(QJsonObject& service)
{
    QJsonObject spec = service.value(kSpec).toObject();
    if (spec.value(QLatin1String("type")).toString() == QLatin1String("ExternalName"))
        return {};
    QSet<quint32> used;
    for (const auto& other : m_store->list(QStringLiteral("services"))) {
        const QHostAddress address(other.value(kSpec).toObject().value(QLatin1String("clusterIP")).toString());
        if (!address.isNull())
            used.insert(address.toIPv4Address());
    }
    QString requested = spec.value(QLatin1String("clusterIP")).toString();
    if (requested.isEmpty())
        requested = spec.value(QLatin1String("clusterIPs")).toArray().first().toString();
    if (requested == QLatin1String("None")) {
        spec.insert(QStringLiteral("clusterIP"), requested);
        spec.insert(QStringLiteral("clusterIPs"), QJsonArray{requested});
        service.insert(kSpec, spec);
        return {};
    }
    const auto invalidIp = [&](const QString& detail) {
        api::validation::Causes causes;
        api::validation::invalid(QStringLiteral("spec.clusterIPs"), QJsonArray{requested}, detail, causes);
        return api::validation::invalidError(QStringLiteral("Service"), {}, object::name(service), causes);
    };
    quint32 ip = 0;
    if (!requested.isEmpty()) {
        const QHostAddress address(requested);
        ip = address.toIPv4Address();
        if (address.isNull() || ip < kServiceCidrBase || ip >= kServiceCidrBase + kServiceCidrSize)
            return invalidIp(QStringLiteral("failed to allocate IP %1: the provided IP (%1) is not in the valid "
                                            "range. The range of valid IPs is 10.96.0.0/12")
                                 .arg(requested));
        if (used.contains(ip))
            return invalidIp(
                QStringLiteral("failed to allocate IP %1: provided IP is already allocated").arg(requested));
    } else {
        // Random, like kube-apiserver; 10.96.0.1 is the kubernetes service's.
        for (int attempt = 0; attempt < 64 && ip == 0; ++attempt) {
            const quint32 candidate = kServiceCidrBase + 2 + QRandomGenerator::global()->bounded(kServiceCidrSize - 3);
            if (!used.contains(candidate))
                ip = candidate;
        }
        if (ip == 0)
            return Error(ErrorCategory::Internal, QStringLiteral("failed to allocate a serviceIP: range is full"));
    }
    const QString text = QHostAddress(ip).toString();
    spec.insert(QStringLiteral("clusterIP"), text);
    spec.insert(QStringLiteral("clusterIPs"), QJsonArray{text});
    service.insert(kSpec, spec);
    return {};
}

} // namespace vk::sandbox
