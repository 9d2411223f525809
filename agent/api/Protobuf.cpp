// SPDX-License-Identifier: Apache-2.0
#include "api/Protobuf.h"

#include "api/Quantity.h"
#include "core/Json.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>

#include <algorithm>
#include <span>
#include <vector>

namespace vk::api::protobuf {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Limits. The schema below is not recursive, so the depth limit only guards future additions; the value cap bounds
// the memory a small body full of empty elements could make us allocate (3 MiB of two-byte "{}" elements).
// ---------------------------------------------------------------------------------------------------------------
constexpr int kMaxDepth = 64;
constexpr qsizetype kMaxValues = 262144;
constexpr quint32 kMaxFieldNumber = (1u << 29) - 1;

const QByteArray kMagic = QByteArrayLiteral("k8s\x00");

// ---------------------------------------------------------------------------------------------------------------
// Schema: one table per message, field number -> JSON name and kind. Field numbers and names come from the
// generated.proto files of k8s.io/api and k8s.io/apimachinery (as compiled into kubectl 1.32); whether a zero value
// is kept comes from the Go types (pointer or no `omitempty` => Keep).
// ---------------------------------------------------------------------------------------------------------------

enum class Kind : quint8
{
    String,
    Bytes, ///< base64 in JSON
    Int32,
    Int64,
    Bool,
    Message,     ///< nested object
    Inline,      ///< embedded Go struct with `json:",inline"`: its fields go into the parent object
    Time,        ///< metav1.Time {seconds, nanos}: RFC 3339 with seconds, null when empty
    MicroTime,   ///< metav1.MicroTime: RFC 3339 with microseconds, null when empty
    IntOrString, ///< intstr.IntOrString {type, intVal, strVal}
    Quantity,    ///< resource.Quantity {string}
    FieldsV1,    ///< metav1.FieldsV1 {Raw}: embedded JSON
    MapString,   ///< map<string, string>
    MapBytes,    ///< map<string, bytes>
    MapQuantity, ///< map<string, Quantity>
};

enum Flag : quint8
{
    NoFlags = 0,
    Repeated = 1,
    Keep = 2, ///< emit even when zero: a Go pointer field, or one without `omitempty`
};

enum class Msg : quint8
{
    None,
    // meta/v1
    ObjectMeta,
    OwnerReference,
    ManagedFieldsEntry,
    LabelSelector,
    LabelSelectorRequirement,
    Condition,
    DeleteOptions,
    Preconditions,
    // core/v1 objects
    Namespace,
    NamespaceSpec,
    NamespaceStatus,
    NamespaceCondition,
    ConfigMap,
    Secret,
    ServiceAccount,
    ObjectReference,
    LocalObjectReference,
    Service,
    ServiceSpec,
    ServicePort,
    SessionAffinityConfig,
    ClientIPConfig,
    ServiceStatus,
    LoadBalancerStatus,
    LoadBalancerIngress,
    PortStatus,
    ResourceQuota,
    ResourceQuotaSpec,
    ResourceQuotaStatus,
    ScopeSelector,
    ScopedResourceSelectorRequirement,
    Binding,
    Event,
    EventSource,
    EventSeries,
    // core/v1 Pod
    Pod,
    PodSpec,
    PodStatus,
    PodCondition,
    PodIP,
    ContainerStatus,
    ContainerState,
    ContainerStateWaiting,
    ContainerStateRunning,
    ContainerStateTerminated,
    VolumeMountStatus,
    Container,
    EphemeralContainer,
    ContainerPort,
    EnvVar,
    EnvVarSource,
    ObjectFieldSelector,
    ResourceFieldSelector,
    KeySelector, ///< ConfigMapKeySelector, SecretKeySelector
    EnvFromSource,
    EnvSource, ///< ConfigMapEnvSource, SecretEnvSource
    ResourceRequirements,
    ResourceClaim,
    VolumeMount,
    VolumeDevice,
    ContainerResizePolicy,
    Probe,
    ProbeHandler,
    ExecAction,
    HTTPGetAction,
    HTTPHeader,
    TCPSocketAction,
    GRPCAction,
    Lifecycle,
    LifecycleHandler,
    SleepAction,
    SecurityContext,
    Capabilities,
    SELinuxOptions,
    WindowsSecurityContextOptions,
    SecurityProfile, ///< SeccompProfile, AppArmorProfile
    PodSecurityContext,
    Sysctl,
    Toleration,
    HostAlias,
    PodDNSConfig,
    PodDNSConfigOption,
    PodReadinessGate,
    TopologySpreadConstraint,
    PodOS,
    PodSchedulingGate,
    PodResourceClaim,
    Affinity,
    NodeAffinity,
    NodeSelector,
    NodeSelectorTerm,
    NodeSelectorRequirement,
    PreferredSchedulingTerm,
    PodAffinity, ///< PodAffinity, PodAntiAffinity
    PodAffinityTerm,
    WeightedPodAffinityTerm,
    Volume,
    VolumeSource,
    HostPathVolumeSource,
    EmptyDirVolumeSource,
    SecretVolumeSource,
    NFSVolumeSource,
    PersistentVolumeClaimVolumeSource,
    DownwardAPIVolumeSource,
    DownwardAPIVolumeFile,
    ConfigMapVolumeSource,
    KeyToPath,
    ProjectedVolumeSource,
    VolumeProjection,
    KeyProjection, ///< SecretProjection, ConfigMapProjection
    DownwardAPIProjection,
    ServiceAccountTokenProjection,
    CSIVolumeSource,
    ImageVolumeSource,
    // coordination.k8s.io/v1, policy/v1
    Lease,
    LeaseSpec,
    Eviction,
};

struct Field
{
    quint32 number;
    const char* json;
    Kind kind;
    quint8 flags;
    Msg type;
};

constexpr Field str(quint32 n, const char* j)
{
    return {n, j, Kind::String, NoFlags, Msg::None};
}
constexpr Field strK(quint32 n, const char* j)
{
    return {n, j, Kind::String, Keep, Msg::None};
}
constexpr Field strs(quint32 n, const char* j)
{
    return {n, j, Kind::String, Repeated, Msg::None};
}
constexpr Field i32(quint32 n, const char* j)
{
    return {n, j, Kind::Int32, NoFlags, Msg::None};
}
constexpr Field i32K(quint32 n, const char* j)
{
    return {n, j, Kind::Int32, Keep, Msg::None};
}
constexpr Field i64(quint32 n, const char* j)
{
    return {n, j, Kind::Int64, NoFlags, Msg::None};
}
constexpr Field i64K(quint32 n, const char* j)
{
    return {n, j, Kind::Int64, Keep, Msg::None};
}
constexpr Field i64s(quint32 n, const char* j)
{
    return {n, j, Kind::Int64, Repeated, Msg::None};
}
constexpr Field boolean(quint32 n, const char* j)
{
    return {n, j, Kind::Bool, NoFlags, Msg::None};
}
constexpr Field boolK(quint32 n, const char* j)
{
    return {n, j, Kind::Bool, Keep, Msg::None};
}
constexpr Field obj(quint32 n, const char* j, Msg m)
{
    return {n, j, Kind::Message, NoFlags, m};
}
constexpr Field objs(quint32 n, const char* j, Msg m)
{
    return {n, j, Kind::Message, Repeated, m};
}
constexpr Field inl(quint32 n, Msg m)
{
    return {n, "", Kind::Inline, NoFlags, m};
}
constexpr Field timestamp(quint32 n, const char* j)
{
    return {n, j, Kind::Time, NoFlags, Msg::None};
}
constexpr Field micro(quint32 n, const char* j)
{
    return {n, j, Kind::MicroTime, NoFlags, Msg::None};
}
constexpr Field intstr(quint32 n, const char* j)
{
    return {n, j, Kind::IntOrString, NoFlags, Msg::None};
}
constexpr Field qty(quint32 n, const char* j)
{
    return {n, j, Kind::Quantity, NoFlags, Msg::None};
}
constexpr Field fieldsV1(quint32 n, const char* j)
{
    return {n, j, Kind::FieldsV1, NoFlags, Msg::None};
}
constexpr Field mapS(quint32 n, const char* j)
{
    return {n, j, Kind::MapString, Repeated, Msg::None};
}
constexpr Field mapB(quint32 n, const char* j)
{
    return {n, j, Kind::MapBytes, Repeated, Msg::None};
}
constexpr Field mapQ(quint32 n, const char* j)
{
    return {n, j, Kind::MapQuantity, Repeated, Msg::None};
}
constexpr Field metadata()
{
    return obj(1, "metadata", Msg::ObjectMeta);
}

// --- meta/v1 ---------------------------------------------------------------------------------------------------
constexpr Field kObjectMeta[] = {
    str(1, "name"),
    str(2, "generateName"),
    str(3, "namespace"),
    str(4, "selfLink"),
    str(5, "uid"),
    str(6, "resourceVersion"),
    i64(7, "generation"),
    timestamp(8, "creationTimestamp"),
    timestamp(9, "deletionTimestamp"),
    i64K(10, "deletionGracePeriodSeconds"),
    mapS(11, "labels"),
    mapS(12, "annotations"),
    objs(13, "ownerReferences", Msg::OwnerReference),
    strs(14, "finalizers"),
    objs(17, "managedFields", Msg::ManagedFieldsEntry),
};
constexpr Field kOwnerReference[] = {
    strK(1, "kind"),       strK(3, "name"),        strK(4, "uid"),
    strK(5, "apiVersion"), boolK(6, "controller"), boolK(7, "blockOwnerDeletion"),
};
constexpr Field kManagedFieldsEntry[] = {
    str(1, "manager"),    str(2, "operation"),     str(3, "apiVersion"),  timestamp(4, "time"),
    str(6, "fieldsType"), fieldsV1(7, "fieldsV1"), str(8, "subresource"),
};
constexpr Field kLabelSelector[] = {
    mapS(1, "matchLabels"),
    objs(2, "matchExpressions", Msg::LabelSelectorRequirement),
};
constexpr Field kLabelSelectorRequirement[] = {
    strK(1, "key"),
    strK(2, "operator"),
    strs(3, "values"),
};
constexpr Field kCondition[] = {
    strK(1, "type"),   strK(2, "status"),  i64(3, "observedGeneration"), timestamp(4, "lastTransitionTime"),
    strK(5, "reason"), strK(6, "message"),
};
constexpr Field kDeleteOptions[] = {
    i64K(1, "gracePeriodSeconds"),
    obj(2, "preconditions", Msg::Preconditions),
    boolK(3, "orphanDependents"),
    strK(4, "propagationPolicy"),
    strs(5, "dryRun"),
    boolK(6, "ignoreStoreReadErrorWithClusterBreakingPotential"),
};
constexpr Field kPreconditions[] = {
    strK(1, "uid"),
    strK(2, "resourceVersion"),
};

// --- core/v1 objects other than Pod ----------------------------------------------------------------------------
constexpr Field kNamespace[] = {
    metadata(),
    obj(2, "spec", Msg::NamespaceSpec),
    obj(3, "status", Msg::NamespaceStatus),
};
constexpr Field kNamespaceSpec[] = {
    strs(1, "finalizers"),
};
constexpr Field kNamespaceStatus[] = {
    str(1, "phase"),
    objs(2, "conditions", Msg::NamespaceCondition),
};
constexpr Field kNamespaceCondition[] = {
    strK(1, "type"), strK(2, "status"), timestamp(4, "lastTransitionTime"), str(5, "reason"), str(6, "message"),
};
constexpr Field kConfigMap[] = {
    metadata(),
    mapS(2, "data"),
    mapB(3, "binaryData"),
    boolK(4, "immutable"),
};
constexpr Field kSecret[] = {
    metadata(), mapB(2, "data"), str(3, "type"), mapS(4, "stringData"), boolK(5, "immutable"),
};
constexpr Field kServiceAccount[] = {
    metadata(),
    objs(2, "secrets", Msg::ObjectReference),
    objs(3, "imagePullSecrets", Msg::LocalObjectReference),
    boolK(4, "automountServiceAccountToken"),
};
constexpr Field kObjectReference[] = {
    str(1, "kind"),       str(2, "namespace"),       str(3, "name"),      str(4, "uid"),
    str(5, "apiVersion"), str(6, "resourceVersion"), str(7, "fieldPath"),
};
constexpr Field kLocalObjectReference[] = {
    str(1, "name"),
};
constexpr Field kService[] = {
    metadata(),
    obj(2, "spec", Msg::ServiceSpec),
    obj(3, "status", Msg::ServiceStatus),
};
constexpr Field kServiceSpec[] = {
    objs(1, "ports", Msg::ServicePort),
    mapS(2, "selector"),
    str(3, "clusterIP"),
    str(4, "type"),
    strs(5, "externalIPs"),
    str(7, "sessionAffinity"),
    str(8, "loadBalancerIP"),
    strs(9, "loadBalancerSourceRanges"),
    str(10, "externalName"),
    str(11, "externalTrafficPolicy"),
    i32(12, "healthCheckNodePort"),
    boolean(13, "publishNotReadyAddresses"),
    obj(14, "sessionAffinityConfig", Msg::SessionAffinityConfig),
    strK(17, "ipFamilyPolicy"),
    strs(18, "clusterIPs"),
    strs(19, "ipFamilies"),
    boolK(20, "allocateLoadBalancerNodePorts"),
    strK(21, "loadBalancerClass"),
    strK(22, "internalTrafficPolicy"),
    strK(23, "trafficDistribution"),
};
constexpr Field kServicePort[] = {
    str(1, "name"),          str(2, "protocol"), i32K(3, "port"),
    intstr(4, "targetPort"), i32(5, "nodePort"), strK(6, "appProtocol"),
};
constexpr Field kSessionAffinityConfig[] = {
    obj(1, "clientIP", Msg::ClientIPConfig),
};
constexpr Field kClientIPConfig[] = {
    i32K(1, "timeoutSeconds"),
};
constexpr Field kServiceStatus[] = {
    obj(1, "loadBalancer", Msg::LoadBalancerStatus),
    objs(2, "conditions", Msg::Condition),
};
constexpr Field kLoadBalancerStatus[] = {
    objs(1, "ingress", Msg::LoadBalancerIngress),
};
constexpr Field kLoadBalancerIngress[] = {
    str(1, "ip"),
    str(2, "hostname"),
    strK(3, "ipMode"),
    objs(4, "ports", Msg::PortStatus),
};
constexpr Field kPortStatus[] = {
    i32K(1, "port"),
    strK(2, "protocol"),
    strK(3, "error"),
};
constexpr Field kResourceQuota[] = {
    metadata(),
    obj(2, "spec", Msg::ResourceQuotaSpec),
    obj(3, "status", Msg::ResourceQuotaStatus),
};
constexpr Field kResourceQuotaSpec[] = {
    mapQ(1, "hard"),
    strs(2, "scopes"),
    obj(3, "scopeSelector", Msg::ScopeSelector),
};
constexpr Field kResourceQuotaStatus[] = {
    mapQ(1, "hard"),
    mapQ(2, "used"),
};
constexpr Field kScopeSelector[] = {
    objs(1, "matchExpressions", Msg::ScopedResourceSelectorRequirement),
};
constexpr Field kScopedResourceSelectorRequirement[] = {
    strK(1, "scopeName"),
    strK(2, "operator"),
    strs(3, "values"),
};
constexpr Field kBinding[] = {
    metadata(),
    obj(2, "target", Msg::ObjectReference),
};
constexpr Field kEvent[] = {
    metadata(),
    obj(2, "involvedObject", Msg::ObjectReference),
    str(3, "reason"),
    str(4, "message"),
    obj(5, "source", Msg::EventSource),
    timestamp(6, "firstTimestamp"),
    timestamp(7, "lastTimestamp"),
    i32(8, "count"),
    str(9, "type"),
    micro(10, "eventTime"),
    obj(11, "series", Msg::EventSeries),
    str(12, "action"),
    obj(13, "related", Msg::ObjectReference),
    strK(14, "reportingComponent"),
    strK(15, "reportingInstance"),
};
constexpr Field kEventSource[] = {
    str(1, "component"),
    str(2, "host"),
};
constexpr Field kEventSeries[] = {
    i32(1, "count"),
    micro(2, "lastObservedTime"),
};

// --- core/v1 Pod -----------------------------------------------------------------------------------------------
constexpr Field kPod[] = {
    metadata(),
    obj(2, "spec", Msg::PodSpec),
    obj(3, "status", Msg::PodStatus),
};
constexpr Field kPodSpec[] = {
    objs(1, "volumes", Msg::Volume),
    objs(2, "containers", Msg::Container),
    str(3, "restartPolicy"),
    i64K(4, "terminationGracePeriodSeconds"),
    i64K(5, "activeDeadlineSeconds"),
    str(6, "dnsPolicy"),
    mapS(7, "nodeSelector"),
    str(8, "serviceAccountName"),
    str(9, "serviceAccount"),
    str(10, "nodeName"),
    boolean(11, "hostNetwork"),
    boolean(12, "hostPID"),
    boolean(13, "hostIPC"),
    obj(14, "securityContext", Msg::PodSecurityContext),
    objs(15, "imagePullSecrets", Msg::LocalObjectReference),
    str(16, "hostname"),
    str(17, "subdomain"),
    obj(18, "affinity", Msg::Affinity),
    str(19, "schedulerName"),
    objs(20, "initContainers", Msg::Container),
    boolK(21, "automountServiceAccountToken"),
    objs(22, "tolerations", Msg::Toleration),
    objs(23, "hostAliases", Msg::HostAlias),
    str(24, "priorityClassName"),
    i32K(25, "priority"),
    obj(26, "dnsConfig", Msg::PodDNSConfig),
    boolK(27, "shareProcessNamespace"),
    objs(28, "readinessGates", Msg::PodReadinessGate),
    strK(29, "runtimeClassName"),
    boolK(30, "enableServiceLinks"),
    strK(31, "preemptionPolicy"),
    mapQ(32, "overhead"),
    objs(33, "topologySpreadConstraints", Msg::TopologySpreadConstraint),
    objs(34, "ephemeralContainers", Msg::EphemeralContainer),
    boolK(35, "setHostnameAsFQDN"),
    obj(36, "os", Msg::PodOS),
    boolK(37, "hostUsers"),
    objs(38, "schedulingGates", Msg::PodSchedulingGate),
    objs(39, "resourceClaims", Msg::PodResourceClaim),
    obj(40, "resources", Msg::ResourceRequirements),
};
constexpr Field kPodStatus[] = {
    str(1, "phase"),
    objs(2, "conditions", Msg::PodCondition),
    str(3, "message"),
    str(4, "reason"),
    str(5, "hostIP"),
    str(6, "podIP"),
    timestamp(7, "startTime"),
    objs(8, "containerStatuses", Msg::ContainerStatus),
    str(9, "qosClass"),
    objs(10, "initContainerStatuses", Msg::ContainerStatus),
    str(11, "nominatedNodeName"),
    objs(12, "podIPs", Msg::PodIP),
    objs(13, "ephemeralContainerStatuses", Msg::ContainerStatus),
    str(14, "resize"),
    objs(16, "hostIPs", Msg::PodIP),
};
constexpr Field kPodCondition[] = {
    strK(1, "type"),  strK(2, "status"), timestamp(3, "lastProbeTime"), timestamp(4, "lastTransitionTime"),
    str(5, "reason"), str(6, "message"),
};
constexpr Field kPodIP[] = {
    strK(1, "ip"),
};
constexpr Field kContainerStatus[] = {
    strK(1, "name"),
    obj(2, "state", Msg::ContainerState),
    obj(3, "lastState", Msg::ContainerState),
    boolK(4, "ready"),
    i32K(5, "restartCount"),
    strK(6, "image"),
    strK(7, "imageID"),
    str(8, "containerID"),
    boolK(9, "started"),
    mapQ(10, "allocatedResources"),
    obj(11, "resources", Msg::ResourceRequirements),
    objs(12, "volumeMounts", Msg::VolumeMountStatus),
};
constexpr Field kContainerState[] = {
    obj(1, "waiting", Msg::ContainerStateWaiting),
    obj(2, "running", Msg::ContainerStateRunning),
    obj(3, "terminated", Msg::ContainerStateTerminated),
};
constexpr Field kContainerStateWaiting[] = {
    str(1, "reason"),
    str(2, "message"),
};
constexpr Field kContainerStateRunning[] = {
    timestamp(1, "startedAt"),
};
constexpr Field kContainerStateTerminated[] = {
    i32K(1, "exitCode"),       i32(2, "signal"),           str(3, "reason"),      str(4, "message"),
    timestamp(5, "startedAt"), timestamp(6, "finishedAt"), str(7, "containerID"),
};
constexpr Field kVolumeMountStatus[] = {
    strK(1, "name"),
    strK(2, "mountPath"),
    boolean(3, "readOnly"),
    strK(4, "recursiveReadOnly"),
};
constexpr Field kContainer[] = {
    strK(1, "name"),
    str(2, "image"),
    strs(3, "command"),
    strs(4, "args"),
    str(5, "workingDir"),
    objs(6, "ports", Msg::ContainerPort),
    objs(7, "env", Msg::EnvVar),
    obj(8, "resources", Msg::ResourceRequirements),
    objs(9, "volumeMounts", Msg::VolumeMount),
    obj(10, "livenessProbe", Msg::Probe),
    obj(11, "readinessProbe", Msg::Probe),
    obj(12, "lifecycle", Msg::Lifecycle),
    str(13, "terminationMessagePath"),
    str(14, "imagePullPolicy"),
    obj(15, "securityContext", Msg::SecurityContext),
    boolean(16, "stdin"),
    boolean(17, "stdinOnce"),
    boolean(18, "tty"),
    objs(19, "envFrom", Msg::EnvFromSource),
    str(20, "terminationMessagePolicy"),
    objs(21, "volumeDevices", Msg::VolumeDevice),
    obj(22, "startupProbe", Msg::Probe),
    objs(23, "resizePolicy", Msg::ContainerResizePolicy),
    strK(24, "restartPolicy"),
};
constexpr Field kEphemeralContainer[] = {
    inl(1, Msg::Container), // EphemeralContainerCommon has Container's field numbers
    str(2, "targetContainerName"),
};
constexpr Field kContainerPort[] = {
    str(1, "name"), i32(2, "hostPort"), i32K(3, "containerPort"), str(4, "protocol"), str(5, "hostIP"),
};
constexpr Field kEnvVar[] = {
    strK(1, "name"),
    str(2, "value"),
    obj(3, "valueFrom", Msg::EnvVarSource),
};
constexpr Field kEnvVarSource[] = {
    obj(1, "fieldRef", Msg::ObjectFieldSelector),
    obj(2, "resourceFieldRef", Msg::ResourceFieldSelector),
    obj(3, "configMapKeyRef", Msg::KeySelector),
    obj(4, "secretKeyRef", Msg::KeySelector),
};
constexpr Field kObjectFieldSelector[] = {
    str(1, "apiVersion"),
    strK(2, "fieldPath"),
};
constexpr Field kResourceFieldSelector[] = {
    str(1, "containerName"),
    strK(2, "resource"),
    qty(3, "divisor"),
};
constexpr Field kKeySelector[] = {
    inl(1, Msg::LocalObjectReference),
    strK(2, "key"),
    boolK(3, "optional"),
};
constexpr Field kEnvFromSource[] = {
    str(1, "prefix"),
    obj(2, "configMapRef", Msg::EnvSource),
    obj(3, "secretRef", Msg::EnvSource),
};
constexpr Field kEnvSource[] = {
    inl(1, Msg::LocalObjectReference),
    boolK(2, "optional"),
};
constexpr Field kResourceRequirements[] = {
    mapQ(1, "limits"),
    mapQ(2, "requests"),
    objs(3, "claims", Msg::ResourceClaim),
};
constexpr Field kResourceClaim[] = {
    strK(1, "name"),
    str(2, "request"),
};
constexpr Field kVolumeMount[] = {
    strK(1, "name"),
    boolean(2, "readOnly"),
    strK(3, "mountPath"),
    str(4, "subPath"),
    strK(5, "mountPropagation"),
    str(6, "subPathExpr"),
    strK(7, "recursiveReadOnly"),
};
constexpr Field kVolumeDevice[] = {
    strK(1, "name"),
    strK(2, "devicePath"),
};
constexpr Field kContainerResizePolicy[] = {
    strK(1, "resourceName"),
    strK(2, "restartPolicy"),
};
constexpr Field kProbe[] = {
    inl(1, Msg::ProbeHandler),
    i32(2, "initialDelaySeconds"),
    i32(3, "timeoutSeconds"),
    i32(4, "periodSeconds"),
    i32(5, "successThreshold"),
    i32(6, "failureThreshold"),
    i64K(7, "terminationGracePeriodSeconds"),
};
constexpr Field kProbeHandler[] = {
    obj(1, "exec", Msg::ExecAction),
    obj(2, "httpGet", Msg::HTTPGetAction),
    obj(3, "tcpSocket", Msg::TCPSocketAction),
    obj(4, "grpc", Msg::GRPCAction),
};
constexpr Field kExecAction[] = {
    strs(1, "command"),
};
constexpr Field kHTTPGetAction[] = {
    str(1, "path"), intstr(2, "port"), str(3, "host"), str(4, "scheme"), objs(5, "httpHeaders", Msg::HTTPHeader),
};
constexpr Field kHTTPHeader[] = {
    strK(1, "name"),
    strK(2, "value"),
};
constexpr Field kTCPSocketAction[] = {
    intstr(1, "port"),
    str(2, "host"),
};
constexpr Field kGRPCAction[] = {
    i32K(1, "port"),
    strK(2, "service"),
};
constexpr Field kLifecycle[] = {
    obj(1, "postStart", Msg::LifecycleHandler),
    obj(2, "preStop", Msg::LifecycleHandler),
};
constexpr Field kLifecycleHandler[] = {
    obj(1, "exec", Msg::ExecAction),
    obj(2, "httpGet", Msg::HTTPGetAction),
    obj(3, "tcpSocket", Msg::TCPSocketAction),
    obj(4, "sleep", Msg::SleepAction),
};
constexpr Field kSleepAction[] = {
    i64K(1, "seconds"),
};
constexpr Field kSecurityContext[] = {
    obj(1, "capabilities", Msg::Capabilities),
    boolK(2, "privileged"),
    obj(3, "seLinuxOptions", Msg::SELinuxOptions),
    i64K(4, "runAsUser"),
    boolK(5, "runAsNonRoot"),
    boolK(6, "readOnlyRootFilesystem"),
    boolK(7, "allowPrivilegeEscalation"),
    i64K(8, "runAsGroup"),
    strK(9, "procMount"),
    obj(10, "windowsOptions", Msg::WindowsSecurityContextOptions),
    obj(11, "seccompProfile", Msg::SecurityProfile),
    obj(12, "appArmorProfile", Msg::SecurityProfile),
};
constexpr Field kCapabilities[] = {
    strs(1, "add"),
    strs(2, "drop"),
};
constexpr Field kSELinuxOptions[] = {
    str(1, "user"),
    str(2, "role"),
    str(3, "type"),
    str(4, "level"),
};
constexpr Field kWindowsSecurityContextOptions[] = {
    strK(1, "gmsaCredentialSpecName"),
    strK(2, "gmsaCredentialSpec"),
    strK(3, "runAsUserName"),
    boolK(4, "hostProcess"),
};
constexpr Field kSecurityProfile[] = {
    strK(1, "type"),
    strK(2, "localhostProfile"),
};
constexpr Field kPodSecurityContext[] = {
    obj(1, "seLinuxOptions", Msg::SELinuxOptions),
    i64K(2, "runAsUser"),
    boolK(3, "runAsNonRoot"),
    i64s(4, "supplementalGroups"),
    i64K(5, "fsGroup"),
    i64K(6, "runAsGroup"),
    objs(7, "sysctls", Msg::Sysctl),
    obj(8, "windowsOptions", Msg::WindowsSecurityContextOptions),
    strK(9, "fsGroupChangePolicy"),
    obj(10, "seccompProfile", Msg::SecurityProfile),
    obj(11, "appArmorProfile", Msg::SecurityProfile),
    strK(12, "supplementalGroupsPolicy"),
    strK(13, "seLinuxChangePolicy"),
};
constexpr Field kSysctl[] = {
    strK(1, "name"),
    strK(2, "value"),
};
constexpr Field kToleration[] = {
    str(1, "key"), str(2, "operator"), str(3, "value"), str(4, "effect"), i64K(5, "tolerationSeconds"),
};
constexpr Field kHostAlias[] = {
    strK(1, "ip"),
    strs(2, "hostnames"),
};
constexpr Field kPodDNSConfig[] = {
    strs(1, "nameservers"),
    strs(2, "searches"),
    objs(3, "options", Msg::PodDNSConfigOption),
};
constexpr Field kPodDNSConfigOption[] = {
    str(1, "name"),
    strK(2, "value"),
};
constexpr Field kPodReadinessGate[] = {
    strK(1, "conditionType"),
};
constexpr Field kTopologySpreadConstraint[] = {
    i32K(1, "maxSkew"),           strK(2, "topologyKey"),
    strK(3, "whenUnsatisfiable"), obj(4, "labelSelector", Msg::LabelSelector),
    i32K(5, "minDomains"),        strK(6, "nodeAffinityPolicy"),
    strK(7, "nodeTaintsPolicy"),  strs(8, "matchLabelKeys"),
};
constexpr Field kPodOS[] = {
    strK(1, "name"),
};
constexpr Field kPodSchedulingGate[] = {
    strK(1, "name"),
};
constexpr Field kPodResourceClaim[] = {
    strK(1, "name"),
    strK(3, "resourceClaimName"),
    strK(4, "resourceClaimTemplateName"),
};
constexpr Field kAffinity[] = {
    obj(1, "nodeAffinity", Msg::NodeAffinity),
    obj(2, "podAffinity", Msg::PodAffinity),
    obj(3, "podAntiAffinity", Msg::PodAffinity),
};
constexpr Field kNodeAffinity[] = {
    obj(1, "requiredDuringSchedulingIgnoredDuringExecution", Msg::NodeSelector),
    objs(2, "preferredDuringSchedulingIgnoredDuringExecution", Msg::PreferredSchedulingTerm),
};
constexpr Field kNodeSelector[] = {
    objs(1, "nodeSelectorTerms", Msg::NodeSelectorTerm),
};
constexpr Field kNodeSelectorTerm[] = {
    objs(1, "matchExpressions", Msg::NodeSelectorRequirement),
    objs(2, "matchFields", Msg::NodeSelectorRequirement),
};
constexpr Field kNodeSelectorRequirement[] = {
    strK(1, "key"),
    strK(2, "operator"),
    strs(3, "values"),
};
constexpr Field kPreferredSchedulingTerm[] = {
    i32K(1, "weight"),
    obj(2, "preference", Msg::NodeSelectorTerm),
};
constexpr Field kPodAffinity[] = {
    objs(1, "requiredDuringSchedulingIgnoredDuringExecution", Msg::PodAffinityTerm),
    objs(2, "preferredDuringSchedulingIgnoredDuringExecution", Msg::WeightedPodAffinityTerm),
};
constexpr Field kPodAffinityTerm[] = {
    obj(1, "labelSelector", Msg::LabelSelector),     strs(2, "namespaces"),     strK(3, "topologyKey"),
    obj(4, "namespaceSelector", Msg::LabelSelector), strs(5, "matchLabelKeys"), strs(6, "mismatchLabelKeys"),
};
constexpr Field kWeightedPodAffinityTerm[] = {
    i32K(1, "weight"),
    obj(2, "podAffinityTerm", Msg::PodAffinityTerm),
};
constexpr Field kVolume[] = {
    strK(1, "name"),
    inl(2, Msg::VolumeSource),
};
constexpr Field kVolumeSource[] = {
    obj(1, "hostPath", Msg::HostPathVolumeSource),
    obj(2, "emptyDir", Msg::EmptyDirVolumeSource),
    obj(6, "secret", Msg::SecretVolumeSource),
    obj(7, "nfs", Msg::NFSVolumeSource),
    obj(10, "persistentVolumeClaim", Msg::PersistentVolumeClaimVolumeSource),
    obj(16, "downwardAPI", Msg::DownwardAPIVolumeSource),
    obj(19, "configMap", Msg::ConfigMapVolumeSource),
    obj(26, "projected", Msg::ProjectedVolumeSource),
    obj(28, "csi", Msg::CSIVolumeSource),
    obj(30, "image", Msg::ImageVolumeSource),
};
constexpr Field kHostPathVolumeSource[] = {
    strK(1, "path"),
    strK(2, "type"),
};
constexpr Field kEmptyDirVolumeSource[] = {
    str(1, "medium"),
    qty(2, "sizeLimit"),
};
constexpr Field kSecretVolumeSource[] = {
    str(1, "secretName"),
    objs(2, "items", Msg::KeyToPath),
    i32K(3, "defaultMode"),
    boolK(4, "optional"),
};
constexpr Field kNFSVolumeSource[] = {
    strK(1, "server"),
    strK(2, "path"),
    boolean(3, "readOnly"),
};
constexpr Field kPersistentVolumeClaimVolumeSource[] = {
    strK(1, "claimName"),
    boolean(2, "readOnly"),
};
constexpr Field kDownwardAPIVolumeSource[] = {
    objs(1, "items", Msg::DownwardAPIVolumeFile),
    i32K(2, "defaultMode"),
};
constexpr Field kDownwardAPIVolumeFile[] = {
    strK(1, "path"),
    obj(2, "fieldRef", Msg::ObjectFieldSelector),
    obj(3, "resourceFieldRef", Msg::ResourceFieldSelector),
    i32K(4, "mode"),
};
constexpr Field kConfigMapVolumeSource[] = {
    inl(1, Msg::LocalObjectReference),
    objs(2, "items", Msg::KeyToPath),
    i32K(3, "defaultMode"),
    boolK(4, "optional"),
};
constexpr Field kKeyToPath[] = {
    strK(1, "key"),
    strK(2, "path"),
    i32K(3, "mode"),
};
constexpr Field kProjectedVolumeSource[] = {
    objs(1, "sources", Msg::VolumeProjection),
    i32K(2, "defaultMode"),
};
constexpr Field kVolumeProjection[] = {
    obj(1, "secret", Msg::KeyProjection),
    obj(2, "downwardAPI", Msg::DownwardAPIProjection),
    obj(3, "configMap", Msg::KeyProjection),
    obj(4, "serviceAccountToken", Msg::ServiceAccountTokenProjection),
};
constexpr Field kKeyProjection[] = {
    inl(1, Msg::LocalObjectReference),
    objs(2, "items", Msg::KeyToPath),
    boolK(4, "optional"),
};
constexpr Field kDownwardAPIProjection[] = {
    objs(1, "items", Msg::DownwardAPIVolumeFile),
};
constexpr Field kServiceAccountTokenProjection[] = {
    str(1, "audience"),
    i64K(2, "expirationSeconds"),
    strK(3, "path"),
};
constexpr Field kCSIVolumeSource[] = {
    strK(1, "driver"),
    boolK(2, "readOnly"),
    strK(3, "fsType"),
    mapS(4, "volumeAttributes"),
    obj(5, "nodePublishSecretRef", Msg::LocalObjectReference),
};
constexpr Field kImageVolumeSource[] = {
    str(1, "reference"),
    str(2, "pullPolicy"),
};

// --- coordination.k8s.io/v1, policy/v1 -------------------------------------------------------------------------
constexpr Field kLease[] = {
    metadata(),
    obj(2, "spec", Msg::LeaseSpec),
};
constexpr Field kLeaseSpec[] = {
    strK(1, "holderIdentity"),  i32K(2, "leaseDurationSeconds"), micro(3, "acquireTime"),
    micro(4, "renewTime"),      i32K(5, "leaseTransitions"),     strK(6, "strategy"),
    strK(7, "preferredHolder"),
};
constexpr Field kEviction[] = {
    metadata(),
    obj(2, "deleteOptions", Msg::DeleteOptions),
};

std::span<const Field> fieldsOf(Msg m)
{
    // clang-format off
    switch (m) {
    case Msg::None: return {};
    case Msg::ObjectMeta: return kObjectMeta;
    case Msg::OwnerReference: return kOwnerReference;
    case Msg::ManagedFieldsEntry: return kManagedFieldsEntry;
    case Msg::LabelSelector: return kLabelSelector;
    case Msg::LabelSelectorRequirement: return kLabelSelectorRequirement;
    case Msg::Condition: return kCondition;
    case Msg::DeleteOptions: return kDeleteOptions;
    case Msg::Preconditions: return kPreconditions;
    case Msg::Namespace: return kNamespace;
    case Msg::NamespaceSpec: return kNamespaceSpec;
    case Msg::NamespaceStatus: return kNamespaceStatus;
    case Msg::NamespaceCondition: return kNamespaceCondition;
    case Msg::ConfigMap: return kConfigMap;
    case Msg::Secret: return kSecret;
    case Msg::ServiceAccount: return kServiceAccount;
    case Msg::ObjectReference: return kObjectReference;
    case Msg::LocalObjectReference: return kLocalObjectReference;
    case Msg::Service: return kService;
    case Msg::ServiceSpec: return kServiceSpec;
    case Msg::ServicePort: return kServicePort;
    case Msg::SessionAffinityConfig: return kSessionAffinityConfig;
    case Msg::ClientIPConfig: return kClientIPConfig;
    case Msg::ServiceStatus: return kServiceStatus;
    case Msg::LoadBalancerStatus: return kLoadBalancerStatus;
    case Msg::LoadBalancerIngress: return kLoadBalancerIngress;
    case Msg::PortStatus: return kPortStatus;
    case Msg::ResourceQuota: return kResourceQuota;
    case Msg::ResourceQuotaSpec: return kResourceQuotaSpec;
    case Msg::ResourceQuotaStatus: return kResourceQuotaStatus;
    case Msg::ScopeSelector: return kScopeSelector;
    case Msg::ScopedResourceSelectorRequirement: return kScopedResourceSelectorRequirement;
    case Msg::Binding: return kBinding;
    case Msg::Event: return kEvent;
    case Msg::EventSource: return kEventSource;
    case Msg::EventSeries: return kEventSeries;
    case Msg::Pod: return kPod;
    case Msg::PodSpec: return kPodSpec;
    case Msg::PodStatus: return kPodStatus;
    case Msg::PodCondition: return kPodCondition;
    case Msg::PodIP: return kPodIP;
    case Msg::ContainerStatus: return kContainerStatus;
    case Msg::ContainerState: return kContainerState;
    case Msg::ContainerStateWaiting: return kContainerStateWaiting;
    case Msg::ContainerStateRunning: return kContainerStateRunning;
    case Msg::ContainerStateTerminated: return kContainerStateTerminated;
    case Msg::VolumeMountStatus: return kVolumeMountStatus;
    case Msg::Container: return kContainer;
    case Msg::EphemeralContainer: return kEphemeralContainer;
    case Msg::ContainerPort: return kContainerPort;
    case Msg::EnvVar: return kEnvVar;
    case Msg::EnvVarSource: return kEnvVarSource;
    case Msg::ObjectFieldSelector: return kObjectFieldSelector;
    case Msg::ResourceFieldSelector: return kResourceFieldSelector;
    case Msg::KeySelector: return kKeySelector;
    case Msg::EnvFromSource: return kEnvFromSource;
    case Msg::EnvSource: return kEnvSource;
    case Msg::ResourceRequirements: return kResourceRequirements;
    case Msg::ResourceClaim: return kResourceClaim;
    case Msg::VolumeMount: return kVolumeMount;
    case Msg::VolumeDevice: return kVolumeDevice;
    case Msg::ContainerResizePolicy: return kContainerResizePolicy;
    case Msg::Probe: return kProbe;
    case Msg::ProbeHandler: return kProbeHandler;
    case Msg::ExecAction: return kExecAction;
    case Msg::HTTPGetAction: return kHTTPGetAction;
    case Msg::HTTPHeader: return kHTTPHeader;
    case Msg::TCPSocketAction: return kTCPSocketAction;
    case Msg::GRPCAction: return kGRPCAction;
    case Msg::Lifecycle: return kLifecycle;
    case Msg::LifecycleHandler: return kLifecycleHandler;
    case Msg::SleepAction: return kSleepAction;
    case Msg::SecurityContext: return kSecurityContext;
    case Msg::Capabilities: return kCapabilities;
    case Msg::SELinuxOptions: return kSELinuxOptions;
    case Msg::WindowsSecurityContextOptions: return kWindowsSecurityContextOptions;
    case Msg::SecurityProfile: return kSecurityProfile;
    case Msg::PodSecurityContext: return kPodSecurityContext;
    case Msg::Sysctl: return kSysctl;
    case Msg::Toleration: return kToleration;
    case Msg::HostAlias: return kHostAlias;
    case Msg::PodDNSConfig: return kPodDNSConfig;
    case Msg::PodDNSConfigOption: return kPodDNSConfigOption;
    case Msg::PodReadinessGate: return kPodReadinessGate;
    case Msg::TopologySpreadConstraint: return kTopologySpreadConstraint;
    case Msg::PodOS: return kPodOS;
    case Msg::PodSchedulingGate: return kPodSchedulingGate;
    case Msg::PodResourceClaim: return kPodResourceClaim;
    case Msg::Affinity: return kAffinity;
    case Msg::NodeAffinity: return kNodeAffinity;
    case Msg::NodeSelector: return kNodeSelector;
    case Msg::NodeSelectorTerm: return kNodeSelectorTerm;
    case Msg::NodeSelectorRequirement: return kNodeSelectorRequirement;
    case Msg::PreferredSchedulingTerm: return kPreferredSchedulingTerm;
    case Msg::PodAffinity: return kPodAffinity;
    case Msg::PodAffinityTerm: return kPodAffinityTerm;
    case Msg::WeightedPodAffinityTerm: return kWeightedPodAffinityTerm;
    case Msg::Volume: return kVolume;
    case Msg::VolumeSource: return kVolumeSource;
    case Msg::HostPathVolumeSource: return kHostPathVolumeSource;
    case Msg::EmptyDirVolumeSource: return kEmptyDirVolumeSource;
    case Msg::SecretVolumeSource: return kSecretVolumeSource;
    case Msg::NFSVolumeSource: return kNFSVolumeSource;
    case Msg::PersistentVolumeClaimVolumeSource: return kPersistentVolumeClaimVolumeSource;
    case Msg::DownwardAPIVolumeSource: return kDownwardAPIVolumeSource;
    case Msg::DownwardAPIVolumeFile: return kDownwardAPIVolumeFile;
    case Msg::ConfigMapVolumeSource: return kConfigMapVolumeSource;
    case Msg::KeyToPath: return kKeyToPath;
    case Msg::ProjectedVolumeSource: return kProjectedVolumeSource;
    case Msg::VolumeProjection: return kVolumeProjection;
    case Msg::KeyProjection: return kKeyProjection;
    case Msg::DownwardAPIProjection: return kDownwardAPIProjection;
    case Msg::ServiceAccountTokenProjection: return kServiceAccountTokenProjection;
    case Msg::CSIVolumeSource: return kCSIVolumeSource;
    case Msg::ImageVolumeSource: return kImageVolumeSource;
    case Msg::Lease: return kLease;
    case Msg::LeaseSpec: return kLeaseSpec;
    case Msg::Eviction: return kEviction;
    }
    // clang-format on
    return {};
}

struct KindEntry
{
    const char* apiVersion; ///< nullptr: any apiVersion (meta/v1 options are registered in every group version)
    const char* kind;
    Msg message;
};

constexpr KindEntry kKinds[] = {
    {"v1", "Namespace", Msg::Namespace},
    {"v1", "ConfigMap", Msg::ConfigMap},
    {"v1", "Secret", Msg::Secret},
    {"v1", "ServiceAccount", Msg::ServiceAccount},
    {"v1", "Service", Msg::Service},
    {"v1", "Pod", Msg::Pod},
    {"v1", "Event", Msg::Event},
    {"v1", "Binding", Msg::Binding},
    {"v1", "ResourceQuota", Msg::ResourceQuota},
    {"coordination.k8s.io/v1", "Lease", Msg::Lease},
    {"policy/v1", "Eviction", Msg::Eviction},
    {nullptr, "DeleteOptions", Msg::DeleteOptions},
};

// ---------------------------------------------------------------------------------------------------------------
// Wire format
// ---------------------------------------------------------------------------------------------------------------

enum Wire : quint8
{
    Varint = 0,
    Fixed64 = 1,
    Len = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5
};

QString wireName(quint8 wire)
{
    switch (wire) {
    case Varint:
        return QStringLiteral("varint");
    case Fixed64:
        return QStringLiteral("64-bit");
    case Len:
        return QStringLiteral("length-delimited");
    case StartGroup:
        return QStringLiteral("start-group");
    case EndGroup:
        return QStringLiteral("end-group");
    case Fixed32:
        return QStringLiteral("32-bit");
    default:
        return QStringLiteral("invalid wire type %1").arg(wire);
    }
}

/// Reads one protobuf message's bytes; every read is checked against the end of the buffer.
class Reader
{
public:
    explicit Reader(QByteArrayView data) : m_p(data.data()), m_end(data.data() + data.size()) {}

    bool atEnd() const { return m_p >= m_end; }

    /// Empty on success, otherwise what is wrong.
    QString varint(quint64& out)
    {
        out = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p >= m_end)
                return QStringLiteral("truncated varint");
            const auto byte = static_cast<quint8>(*m_p++);
            if (shift == 63 && byte > 1)
                return QStringLiteral("varint overflows 64 bits");
            out |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return {};
        }
        return QStringLiteral("varint overflows 64 bits");
    }

    QString bytes(QByteArrayView& out)
    {
        quint64 length = 0;
        if (QString error = varint(length); !error.isEmpty())
            return error + QStringLiteral(" in a length");
        const auto left = quint64(m_end - m_p);
        if (length > left)
            return QStringLiteral("length %1 exceeds the %2 bytes left").arg(length).arg(left);
        out = QByteArrayView(m_p, qsizetype(length));
        m_p += length;
        return {};
    }

    QString skip(quint8 wire)
    {
        switch (wire) {
        case Varint: {
            quint64 ignored = 0;
            return varint(ignored);
        }
        case Fixed64:
            return advance(8);
        case Fixed32:
            return advance(4);
        case Len: {
            QByteArrayView ignored;
            return bytes(ignored);
        }
        case StartGroup:
        case EndGroup:
            return QStringLiteral("groups are not supported");
        default:
            return QStringLiteral("invalid wire type %1").arg(wire);
        }
    }

    /// Reads a field key; fieldNumber is 0 when the key itself is malformed.
    QString key(quint32& fieldNumber, quint8& wire)
    {
        quint64 raw = 0;
        if (QString error = varint(raw); !error.isEmpty())
            return error + QStringLiteral(" in a field key");
        wire = quint8(raw & 7);
        const quint64 number = raw >> 3;
        if (number == 0 || number > kMaxFieldNumber)
            return QStringLiteral("invalid field number %1").arg(number);
        fieldNumber = quint32(number);
        return {};
    }

private:
    QString advance(qsizetype n)
    {
        if (m_end - m_p < n)
            return QStringLiteral("truncated %1-bit value").arg(n * 8);
        m_p += n;
        return {};
    }

    const char* m_p;
    const char* m_end;
};

// ---------------------------------------------------------------------------------------------------------------
// Decoder
// ---------------------------------------------------------------------------------------------------------------

class Decoder
{
public:
    /// What went wrong, and where: path segments innermost first, added while unwinding.
    QString error;
    QStringList path;

    bool decodeMessage(Msg type, QByteArrayView data, QJsonObject& out);

private:
    bool fail(QString what)
    {
        error = std::move(what);
        return false;
    }
    bool count()
    {
        if (++m_values > kMaxValues)
            return fail(QStringLiteral("more than %1 values").arg(kMaxValues));
        return true;
    }

    bool
    decodeField(const Field& field, quint8 wire, Reader& reader, QJsonObject& out, QJsonArray& list, QJsonObject& map);
    bool decodeScalar(const Field& field, quint64 raw, QJsonValue& value);
    bool decodeTime(QByteArrayView data, bool micro, QJsonValue& value);
    bool decodeIntOrString(QByteArrayView data, QJsonValue& value);
    bool decodeQuantity(QByteArrayView data, QString& value);
    bool decodeFieldsV1(QByteArrayView data, QJsonValue& value);
    bool decodeMapEntry(const Field& field, QByteArrayView data, QJsonObject& map);

    int m_depth = 0;
    qsizetype m_values = 0;
};

bool isZero(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString().isEmpty();
    case QJsonValue::Double:
        return value.toInteger() == 0;
    case QJsonValue::Bool:
        return !value.toBool();
    default:
        return false;
    }
}

bool Decoder::decodeMessage(Msg type, QByteArrayView data, QJsonObject& out)
{
    if (++m_depth > kMaxDepth) {
        --m_depth;
        return fail(QStringLiteral("nesting deeper than %1 messages").arg(kMaxDepth));
    }
    const auto leave = qScopeGuard([this] { --m_depth; });
    const std::span<const Field> fields = fieldsOf(type);
    // Repeated fields and maps are collected here and stored once, so that appending stays linear.
    std::vector<QJsonArray> lists(fields.size());
    std::vector<QJsonObject> maps(fields.size());
    std::vector<int> counts(fields.size(), 0);

    Reader reader(data);
    while (!reader.atEnd()) {
        quint32 number = 0;
        quint8 wire = 0;
        if (QString e = reader.key(number, wire); !e.isEmpty())
            return fail(e);
        std::size_t index = 0;
        while (index < fields.size() && fields[index].number != number)
            ++index;
        if (index == fields.size()) {
            if (QString e = reader.skip(wire); !e.isEmpty()) {
                path.append(QStringLiteral("field %1").arg(number));
                return fail(e);
            }
            continue;
        }
        const Field& field = fields[index];
        if (!decodeField(field, wire, reader, out, lists[index], maps[index])) {
            if (field.kind == Kind::Inline)
                return false; // the inlined fields name themselves
            const bool isList = (field.flags & Repeated) && field.kind != Kind::MapString &&
                                field.kind != Kind::MapBytes && field.kind != Kind::MapQuantity;
            path.append(isList ? QStringLiteral("%1[%2]").arg(QLatin1String(field.json)).arg(counts[index])
                               : QString(QLatin1String(field.json)));
            return false;
        }
        ++counts[index];
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto name = QLatin1String(fields[i].json);
        if (!lists[i].isEmpty())
            out.insert(name, lists[i]);
        else if (!maps[i].isEmpty())
            out.insert(name, maps[i]);
    }
    return true;
}

bool Decoder::decodeField(
    const Field& field, quint8 wire, Reader& reader, QJsonObject& out, QJsonArray& list, QJsonObject& map)
{
    const bool varintKind = field.kind == Kind::Int32 || field.kind == Kind::Int64 || field.kind == Kind::Bool;
    const bool repeated = field.flags & Repeated;
    const auto name = QLatin1String(field.json);

    if (varintKind && wire == Varint) {
        quint64 raw = 0;
        if (QString e = reader.varint(raw); !e.isEmpty())
            return fail(e);
        QJsonValue value;
        if (!count() || !decodeScalar(field, raw, value))
            return false;
        if (repeated)
            list.append(value);
        else if ((field.flags & Keep) || !isZero(value))
            out.insert(name, value);
        else
            out.remove(name); // a later zero overrides an earlier value, as in Go
        return true;
    }
    if (wire != Len) {
        return fail(QStringLiteral("wrong wire type: %1, expected %2")
                        .arg(wireName(wire), wireName(varintKind ? Varint : Len)));
    }
    QByteArrayView data;
    if (QString e = reader.bytes(data); !e.isEmpty())
        return fail(e);
    if (!count())
        return false;

    if (varintKind) { // a packed repeated scalar
        if (!repeated)
            return fail(QStringLiteral("wrong wire type: %1, expected %2").arg(wireName(Len), wireName(Varint)));
        Reader packed(data);
        while (!packed.atEnd()) {
            quint64 raw = 0;
            if (QString e = packed.varint(raw); !e.isEmpty())
                return fail(e + QStringLiteral(" in a packed list"));
            QJsonValue value;
            if (!count() || !decodeScalar(field, raw, value))
                return false;
            list.append(value);
        }
        return true;
    }

    QJsonValue value;
    switch (field.kind) {
    case Kind::String:
        value = QString::fromUtf8(data);
        break;
    case Kind::Bytes:
        value = QString::fromLatin1(data.toByteArray().toBase64());
        break;
    case Kind::Message: {
        QJsonObject nested;
        if (!decodeMessage(field.type, data, nested))
            return false;
        value = nested;
        break;
    }
    case Kind::Inline: {
        QJsonObject nested;
        if (!decodeMessage(field.type, data, nested))
            return false;
        for (auto it = nested.constBegin(); it != nested.constEnd(); ++it)
            out.insert(it.key(), it.value());
        return true;
    }
    case Kind::Time:
    case Kind::MicroTime:
        if (!decodeTime(data, field.kind == Kind::MicroTime, value))
            return false;
        break;
    case Kind::IntOrString:
        if (!decodeIntOrString(data, value))
            return false;
        break;
    case Kind::Quantity: {
        QString text;
        if (!decodeQuantity(data, text))
            return false;
        value = text;
        break;
    }
    case Kind::FieldsV1:
        if (!decodeFieldsV1(data, value))
            return false;
        break;
    case Kind::MapString:
    case Kind::MapBytes:
    case Kind::MapQuantity:
        return decodeMapEntry(field, data, map);
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Bool:
        break; // handled above
    }

    if (repeated)
        list.append(value);
    else if ((field.flags & Keep) || field.kind != Kind::String || !isZero(value))
        out.insert(name, value);
    else
        out.remove(name);
    return true;
}

bool Decoder::decodeScalar(const Field& field, quint64 raw, QJsonValue& value)
{
    switch (field.kind) {
    case Kind::Int32:
        value = qint64(qint32(quint32(raw)));
        return true; // Go truncates to the low 32 bits
    case Kind::Int64:
        value = qint64(raw);
        return true;
    case Kind::Bool:
        value = raw != 0;
        return true;
    default:
        return fail(QStringLiteral("internal error: not a varint field"));
    }
}

bool Decoder::decodeTime(QByteArrayView data, bool micro, QJsonValue& value)
{
    if (data.isEmpty()) { // Go writes the zero time as an empty message; JSON has null
        value = QJsonValue::Null;
        return true;
    }
    qint64 seconds = 0;
    qint64 nanos = 0;
    Reader reader(data);
    while (!reader.atEnd()) {
        quint32 number = 0;
        quint8 wire = 0;
        if (QString e = reader.key(number, wire); !e.isEmpty())
            return fail(e);
        if ((number == 1 || number == 2) && wire == Varint) {
            quint64 raw = 0;
            if (QString e = reader.varint(raw); !e.isEmpty())
                return fail(e);
            if (number == 1)
                seconds = qint64(raw);
            else
                nanos = qint32(quint32(raw));
        } else if (number == 1 || number == 2) {
            return fail(QStringLiteral("wrong wire type: %1, expected varint").arg(wireName(wire)));
        } else if (QString e = reader.skip(wire); !e.isEmpty()) {
            return fail(e);
        }
    }
    // time.Unix(seconds, nanos) normalises nanos outside [0, 1e9).
    constexpr qint64 kNano = 1000000000;
    seconds += nanos / kNano;
    nanos %= kNano;
    if (nanos < 0) {
        nanos += kNano;
        --seconds;
    }
    constexpr qint64 kMinSeconds = -62135596800; // 0001-01-01T00:00:00Z
    constexpr qint64 kMaxSeconds = 253402300799; // 9999-12-31T23:59:59Z
    if (seconds < kMinSeconds || seconds > kMaxSeconds)
        return fail(QStringLiteral("time %1 is outside the years 0001 to 9999").arg(seconds));
    const QDateTime utc = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    if (!micro) {
        value = json::formatTime(utc);
        return true;
    }
    value = QString(utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('.') +
                    QStringLiteral("%1").arg(nanos / 1000, 6, 10, QLatin1Char('0')) + QLatin1Char('Z'));
    return true;
}

bool Decoder::decodeIntOrString(QByteArrayView data, QJsonValue& value)
{
    qint64 type = 0;
    qint32 intVal = 0;
    QString strVal;
    Reader reader(data);
    while (!reader.atEnd()) {
        quint32 number = 0;
        quint8 wire = 0;
        if (QString e = reader.key(number, wire); !e.isEmpty())
            return fail(e);
        if ((number == 1 || number == 2) && wire == Varint) {
            quint64 raw = 0;
            if (QString e = reader.varint(raw); !e.isEmpty())
                return fail(e);
            if (number == 1)
                type = qint64(raw);
            else
                intVal = qint32(quint32(raw));
        } else if (number == 3 && wire == Len) {
            QByteArrayView text;
            if (QString e = reader.bytes(text); !e.isEmpty())
                return fail(e);
            strVal = QString::fromUtf8(text);
        } else if (number <= 3) {
            return fail(QStringLiteral("wrong wire type %1 for IntOrString field %2").arg(wireName(wire)).arg(number));
        } else if (QString e = reader.skip(wire); !e.isEmpty()) {
            return fail(e);
        }
    }
    if (type == 0)
        value = qint64(intVal);
    else if (type == 1)
        value = strVal;
    else
        return fail(QStringLiteral("impossible IntOrString type %1").arg(type));
    return true;
}

bool Decoder::decodeQuantity(QByteArrayView data, QString& value)
{
    value = QStringLiteral("0"); // an empty Quantity message is the zero quantity
    Reader reader(data);
    while (!reader.atEnd()) {
        quint32 number = 0;
        quint8 wire = 0;
        if (QString e = reader.key(number, wire); !e.isEmpty())
            return fail(e);
        if (number == 1 && wire == Len) {
            QByteArrayView text;
            if (QString e = reader.bytes(text); !e.isEmpty())
                return fail(e);
            value = QString::fromUtf8(text);
        } else if (number == 1) {
            return fail(QStringLiteral("wrong wire type: %1, expected %2").arg(wireName(wire), wireName(Len)));
        } else if (QString e = reader.skip(wire); !e.isEmpty()) {
            return fail(e);
        }
    }
    // resource.Quantity's protobuf Unmarshal parses the string and fails on a malformed one.
    if (const auto parsed = Quantity::parse(value); !parsed.ok()) {
        return fail(QStringLiteral("quantities must match the regular expression "
                                   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"%1\"")
                        .arg(value));
    }
    return true;
}

bool Decoder::decodeFieldsV1(QByteArrayView data, QJsonValue& value)
{
    QByteArrayView raw;
    Reader reader(data);
    while (!reader.atEnd()) {
        quint32 number = 0;
        quint8 wire = 0;
        if (QString e = reader.key(number, wire); !e.isEmpty())
            return fail(e);
        if (number == 1 && wire == Len) {
            if (QString e = reader.bytes(raw); !e.isEmpty())
                return fail(e);
        } else if (number == 1) {
            return fail(QStringLiteral("wrong wire type: %1, expected %2").arg(wireName(wire), wireName(Len)));
        } else if (QString e = reader.skip(wire); !e.isEmpty()) {
            return fail(e);
        }
    }
    if (raw.isEmpty()) {
        value = QJsonValue::Null;
        return true;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(raw.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail(QStringLiteral("fieldsV1 is not a JSON object"));
    value = document.object();
    return true;
}

bool Decoder::decodeMapEntry(const Field& field, QByteArrayView data, QJsonObject& map)
{
    QString key;
    QJsonValue value;
    switch (field.kind) {
    case Kind::MapQuantity:
        value = QStringLiteral("0");
        break;
    default:
        value = QString();
        break;
    }
    Reader reader(data);
    while (!reader.atEnd()) {
        quint32 number = 0;
        quint8 wire = 0;
        if (QString e = reader.key(number, wire); !e.isEmpty())
            return fail(e);
        if (number != 1 && number != 2) {
            if (QString e = reader.skip(wire); !e.isEmpty())
                return fail(e);
            continue;
        }
        if (wire != Len)
            return fail(QStringLiteral("wrong wire type: %1, expected %2").arg(wireName(wire), wireName(Len)));
        QByteArrayView bytes;
        if (QString e = reader.bytes(bytes); !e.isEmpty())
            return fail(e);
        if (number == 1) {
            key = QString::fromUtf8(bytes);
            continue;
        }
        switch (field.kind) {
        case Kind::MapString:
            value = QString::fromUtf8(bytes);
            break;
        case Kind::MapBytes:
            value = QString::fromLatin1(bytes.toByteArray().toBase64());
            break;
        default: {
            QString text;
            if (!decodeQuantity(bytes, text)) {
                path.append(QStringLiteral("[%1]").arg(key));
                return false;
            }
            value = text;
            break;
        }
        }
    }
    map.insert(key, value);
    return true;
}

struct Envelope
{
    QString apiVersion;
    QString kind;
    QByteArrayView raw;
    QString contentEncoding;
    QString contentType;
};

Result<Envelope> readEnvelope(QByteArrayView body)
{
    const auto bad = [](const QString& what) {
        return Error::badRequest(QStringLiteral("malformed protobuf body: runtime.Unknown: ") + what);
    };
    Envelope envelope;
    Reader reader(body);
    while (!reader.atEnd()) {
        quint32 number = 0;
        quint8 wire = 0;
        if (QString e = reader.key(number, wire); !e.isEmpty())
            return bad(e);
        if (number > 4) {
            if (QString e = reader.skip(wire); !e.isEmpty())
                return bad(QStringLiteral("field %1: ").arg(number) + e);
            continue;
        }
        static const char* const names[] = {"", "typeMeta", "raw", "contentEncoding", "contentType"};
        if (wire != Len) {
            return bad(QLatin1String(names[number]) +
                       QStringLiteral(": wrong wire type: %1, expected %2").arg(wireName(wire), wireName(Len)));
        }
        QByteArrayView data;
        if (QString e = reader.bytes(data); !e.isEmpty())
            return bad(QLatin1String(names[number]) + QStringLiteral(": ") + e);
        switch (number) {
        case 1: {
            Reader meta(data);
            while (!meta.atEnd()) {
                quint32 metaNumber = 0;
                quint8 metaWire = 0;
                if (QString e = meta.key(metaNumber, metaWire); !e.isEmpty())
                    return bad(QStringLiteral("typeMeta: ") + e);
                if (metaNumber > 2) {
                    if (QString e = meta.skip(metaWire); !e.isEmpty())
                        return bad(QStringLiteral("typeMeta: ") + e);
                    continue;
                }
                const QString metaName = metaNumber == 1 ? QStringLiteral("apiVersion") : QStringLiteral("kind");
                if (metaWire != Len) {
                    return bad(QStringLiteral("typeMeta.%1: wrong wire type: %2, expected %3")
                                   .arg(metaName, wireName(metaWire), wireName(Len)));
                }
                QByteArrayView text;
                if (QString e = meta.bytes(text); !e.isEmpty())
                    return bad(QStringLiteral("typeMeta.%1: ").arg(metaName) + e);
                (metaNumber == 1 ? envelope.apiVersion : envelope.kind) = QString::fromUtf8(text);
            }
            break;
        }
        case 2:
            envelope.raw = data;
            break;
        case 3:
            envelope.contentEncoding = QString::fromUtf8(data);
            break;
        case 4:
            envelope.contentType = QString::fromUtf8(data);
            break;
        default:
            break;
        }
    }
    return envelope;
}

} // namespace

QByteArray mediaType()
{
    return QByteArrayLiteral("application/vnd.kubernetes.protobuf");
}

bool isProtobufContentType(const QByteArray& contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray bare = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
    return bare == mediaType();
}

bool isKubernetesProtobuf(const QByteArray& body)
{
    return body.startsWith(kMagic);
}

Result<QJsonObject> decodeObject(const QByteArray& body)
{
    if (!isKubernetesProtobuf(body)) {
        return Error::badRequest(QStringLiteral(
            "malformed protobuf body: it does not start with the Kubernetes protobuf magic \"k8s\\x00\""));
    }
    auto envelope = readEnvelope(QByteArrayView(body).sliced(kMagic.size()));
    if (!envelope)
        return envelope.error();
    const QString& apiVersion = envelope->apiVersion;
    const QString& kind = envelope->kind;
    if (kind.isEmpty())
        return Error::badRequest(QStringLiteral("Object 'Kind' is missing in the protobuf body"));
    if (!envelope->contentEncoding.isEmpty()) {
        return Error(ErrorCategory::UnsupportedMediaType,
                     QStringLiteral("protobuf body of %1 %2: content encoding \"%3\" is not supported")
                         .arg(apiVersion, kind, envelope->contentEncoding));
    }

    const KindEntry* entry = nullptr;
    for (const KindEntry& candidate : kKinds) {
        if (kind == QLatin1String(candidate.kind) &&
            (!candidate.apiVersion || apiVersion == QLatin1String(candidate.apiVersion))) {
            entry = &candidate;
            break;
        }
    }
    if (!entry) {
        return Error(ErrorCategory::UnsupportedMediaType,
                     QStringLiteral("the protobuf encoding of %1 %2 is not supported by this server; send it as "
                                    "application/json or application/yaml")
                         .arg(apiVersion.isEmpty() ? QStringLiteral("(no apiVersion)") : apiVersion, kind));
    }

    Decoder decoder;
    QJsonObject object;
    if (!decoder.decodeMessage(entry->message, envelope->raw, object)) {
        QStringList path = decoder.path;
        std::reverse(path.begin(), path.end());
        QString where = path.join(QLatin1Char('.'));
        where.replace(QStringLiteral(".["), QStringLiteral("["));
        return Error::badRequest(
            QStringLiteral("malformed protobuf body of %1 %2: %3%4")
                .arg(apiVersion, kind, where.isEmpty() ? QString() : where + QStringLiteral(": "), decoder.error));
    }
    object.insert(QStringLiteral("apiVersion"), apiVersion);
    object.insert(QStringLiteral("kind"), kind);
    return object;
}

QStringList supportedKinds()
{
    QStringList kinds;
    for (const KindEntry& entry : kKinds) {
        kinds.append((entry.apiVersion ? QLatin1String(entry.apiVersion) : QLatin1String("*")) + QLatin1Char('/') +
                     QLatin1String(entry.kind));
    }
    return kinds;
}

} // namespace vk::api::protobuf
