#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates schemas.json, the OpenAPI schemas the sandbox serves under /openapi/v3.

Provenance
----------
Input: the real OpenAPI v2 document of kube-apiserver v1.19.16, recorded on loopback and kept in
/work/shared/reference/kube-api-captures/29-openapi-v2.json.gz (see that folder's README.md).

What this script does, in order:
  1. Takes the definitions our built-in kinds need (ROOTS below).
  2. Applies OVERLAY: the fields and types that kube-apiserver gained after 1.19 and that current manifests and
     kubectl 1.32 use (Service ipFamilies/clusterIPs/internalTrafficPolicy, PodSpec os/schedulingGates/hostUsers,
     container resizePolicy/restartPolicy, gRPC probes, sleep hooks, AppArmor fields, Lease preferredHolder/strategy,
     Pod status hostIPs, Handler renamed LifecycleHandler, policy/v1 Eviction). Their descriptions follow the
     upstream API reference of those releases. Fields removed upstream (ObjectMeta.clusterName,
     ServiceSpec.ipFamily and topologyKeys) are dropped.
  3. Takes the transitive closure over "$ref" and converts each schema to OpenAPI 3.0 the way kube-apiserver's
     /openapi/v3 does: "#/definitions/X" becomes "#/components/schemas/X", a "$ref" with sibling keywords becomes
     {"allOf": [{"$ref": ...}], <siblings>}, Quantity becomes oneOf string|number and IntOrString
     x-kubernetes-int-or-string with anyOf integer|string.
  4. Collects the query and path parameters of the v2 paths (name -> description and type), adds the ones newer
     servers accept (fieldValidation, sendInitialEvents) and drops the removed ones (exact, export).
  5. Writes schemas.json (compact, sorted keys): {"info", "schemas", "parameters", "securitySchemes"}.

The C++ side (OpenApi.cpp) builds the "paths" of each group-version document from builtinResourceTypes() and picks,
per document, the closure of the schemas those paths reference.

Usage: python3 generate.py [path/to/29-openapi-v2.json.gz] [path/to/schemas.json]
"""

import copy
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_INPUT = "/work/shared/reference/kube-api-captures/29-openapi-v2.json.gz"
DEFAULT_OUTPUT = os.path.join(HERE, "schemas.json")

CORE = "io.k8s.api.core.v1."
META = "io.k8s.apimachinery.pkg.apis.meta.v1."

ROOTS = [
    CORE + k
    for k in [
        "Pod", "PodList", "Node", "NodeList", "Namespace", "NamespaceList", "ConfigMap", "ConfigMapList", "Secret",
        "SecretList", "Service", "ServiceList", "ServiceAccount", "ServiceAccountList", "Event", "EventList",
        "Binding",
    ]
] + [
    "io.k8s.api.events.v1.Event",
    "io.k8s.api.events.v1.EventList",
    "io.k8s.api.coordination.v1.Lease",
    "io.k8s.api.coordination.v1.LeaseList",
    "io.k8s.api.policy.v1.Eviction",
] + [
    # Authentication and authorization (issue 4): RBAC, reviews, token requests, certificate signing requests.
    "io.k8s.api." + k
    for k in [
        "rbac.v1.Role", "rbac.v1.RoleList", "rbac.v1.ClusterRole", "rbac.v1.ClusterRoleList", "rbac.v1.RoleBinding",
        "rbac.v1.RoleBindingList", "rbac.v1.ClusterRoleBinding", "rbac.v1.ClusterRoleBindingList",
        "authentication.v1.TokenReview", "authentication.v1.TokenRequest", "authorization.v1.SubjectAccessReview",
        "authorization.v1.SelfSubjectAccessReview", "authorization.v1.LocalSubjectAccessReview",
        "authorization.v1.SelfSubjectRulesReview",
        "certificates.v1.CertificateSigningRequest", "certificates.v1.CertificateSigningRequestList",
    ]
] + [
    META + k
    for k in [
        "Status", "DeleteOptions", "WatchEvent", "Patch", "APIResourceList", "APIGroup", "APIGroupList",
        "APIVersions",
    ]
]

# The group-versions the sandbox serves; x-kubernetes-group-version-kind lists of shared types are cut down to these.
SERVED_GROUP_VERSIONS = {("", "v1"), ("coordination.k8s.io", "v1"), ("events.k8s.io", "v1"), ("policy", "v1"),
                         ("rbac.authorization.k8s.io", "v1"), ("authentication.k8s.io", "v1"),
                         ("authorization.k8s.io", "v1"), ("certificates.k8s.io", "v1")}


def ref(name):
    return {"$ref": "#/definitions/" + name}


def string_prop(description):
    return {"description": description, "type": "string"}


def atomic_string_list(description):
    return {"description": description, "type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "atomic"}


NEW_DEFINITIONS = {
    CORE + "PodOS": {
        "description": "PodOS defines the OS parameters of a pod.",
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": string_prop(
                "Name is the name of the operating system. The currently supported values are linux and windows. "
                "Additional value may be defined in future and can be one of: "
                "https://github.com/opencontainers/runtime-spec/blob/master/config.md#platform-specific-configuration "
                "Clients should expect to handle additional values and treat unrecognized values in this field as "
                "os: null"),
        },
    },
    CORE + "PodSchedulingGate": {
        "description": "PodSchedulingGate is associated to a Pod to guard its scheduling.",
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": string_prop("Name of the scheduling gate. Each scheduling gate must have a unique name field."),
        },
    },
    CORE + "ContainerResizePolicy": {
        "description": "ContainerResizePolicy represents resource resize policy for the container.",
        "type": "object",
        "required": ["resourceName", "restartPolicy"],
        "properties": {
            "resourceName": string_prop(
                "Name of the resource to which this resource resize policy applies. Supported values: cpu, memory."),
            "restartPolicy": string_prop(
                "Restart policy to apply when specified resource is resized. If not specified, it defaults to "
                "NotRequired."),
        },
    },
    CORE + "GRPCAction": {
        "description": "GRPCAction specifies an action involving a GRPC service.",
        "type": "object",
        "required": ["port"],
        "properties": {
            "port": {"description": "Port number of the gRPC service. Number must be in the range 1 to 65535.",
                     "type": "integer", "format": "int32"},
            "service": string_prop(
                "Service is the name of the service to place in the gRPC HealthCheckRequest (see "
                "https://github.com/grpc/grpc/blob/master/doc/health-checking.md).\n\nIf this is not specified, the "
                "default behavior is defined by gRPC."),
        },
    },
    CORE + "SleepAction": {
        "description": "SleepAction describes a \"sleep\" action.",
        "type": "object",
        "required": ["seconds"],
        "properties": {
            "seconds": {"description": "Seconds is the number of seconds to sleep.", "type": "integer",
                        "format": "int64"},
        },
    },
    CORE + "AppArmorProfile": {
        "description": "AppArmorProfile defines a pod or container's AppArmor settings.",
        "type": "object",
        "required": ["type"],
        "properties": {
            "localhostProfile": string_prop(
                "localhostProfile indicates a profile loaded on the node that should be used. The profile must be "
                "preconfigured on the node to work. Must match the loaded name of the profile. Must be set if and "
                "only if type is \"Localhost\"."),
            "type": string_prop(
                "type indicates which kind of AppArmor profile will be applied. Valid options are:\n  Localhost - a "
                "profile pre-loaded on the node.\n  RuntimeDefault - the container runtime's default profile.\n  "
                "Unconfined - no AppArmor enforcement."),
        },
        "x-kubernetes-unions": [{"discriminator": "type", "fields-to-discriminateBy": {
            "localhostProfile": "LocalhostProfile"}}],
    },
    CORE + "HostIP": {
        "description": "HostIP represents a single IP address allocated to the host.",
        "type": "object",
        "required": ["ip"],
        "properties": {"ip": string_prop("IP is the IP address assigned to the host")},
    },
}

NEW_PROPERTIES = {
    CORE + "PodSpec": {
        "os": dict(ref(CORE + "PodOS"), description=(
            "Specifies the OS of the containers in the pod. Some pod and container fields are restricted if this is "
            "set.\n\nIf the OS field is set to linux, the following fields must be unset: "
            "-securityContext.windowsOptions\n\nIf the OS field is set to windows, following fields must be unset: - "
            "spec.hostPID - spec.hostIPC - spec.hostUsers - spec.securityContext.appArmorProfile - "
            "spec.securityContext.seLinuxOptions - spec.securityContext.seccompProfile - "
            "spec.securityContext.fsGroup - spec.securityContext.fsGroupChangePolicy - "
            "spec.securityContext.sysctls - spec.shareProcessNamespace - spec.securityContext.runAsUser - "
            "spec.securityContext.runAsGroup - spec.securityContext.supplementalGroups - "
            "spec.securityContext.supplementalGroupsPolicy - spec.containers[*].securityContext.appArmorProfile - "
            "spec.containers[*].securityContext.seLinuxOptions - "
            "spec.containers[*].securityContext.seccompProfile - spec.containers[*].securityContext.capabilities "
            "- spec.containers[*].securityContext.readOnlyRootFilesystem - "
            "spec.containers[*].securityContext.privileged - "
            "spec.containers[*].securityContext.allowPrivilegeEscalation - "
            "spec.containers[*].securityContext.procMount - spec.containers[*].securityContext.runAsUser - "
            "spec.containers[*].securityContext.runAsGroup")),
        "schedulingGates": {
            "description": (
                "SchedulingGates is an opaque list of values that if specified will block scheduling the pod. If "
                "schedulingGates is not empty, the pod will stay in the SchedulingGated state and the scheduler will "
                "not attempt to schedule the pod.\n\nSchedulingGates can only be set at pod creation time, and be "
                "removed only afterwards."),
            "type": "array",
            "items": ref(CORE + "PodSchedulingGate"),
            "x-kubernetes-list-map-keys": ["name"],
            "x-kubernetes-list-type": "map",
            "x-kubernetes-patch-merge-key": "name",
            "x-kubernetes-patch-strategy": "merge",
        },
        "hostUsers": {
            "description": (
                "Use the host's user namespace. Optional: Default to true. If set to true or not present, the pod "
                "will be run in the host user namespace, useful for when the pod needs a feature only available to "
                "the host user namespace, such as loading a kernel module with CAP_SYS_MODULE. When set to false, a "
                "new userns is created for the pod. Setting false is useful for mitigating container breakout "
                "vulnerabilities even allowing users to run their containers as root without actually having root "
                "privileges on the host. This field is alpha-level and is only honored by servers that enable the "
                "UserNamespacesSupport feature."),
            "type": "boolean",
        },
    },
    CORE + "PodSecurityContext": {
        "appArmorProfile": dict(ref(CORE + "AppArmorProfile"), description=(
            "appArmorProfile is the AppArmor options to use by the containers in this pod. Note that this field "
            "cannot be set when spec.os.name is windows.")),
        "supplementalGroupsPolicy": string_prop(
            "Defines how supplemental groups of the first container processes are calculated. Valid values are "
            "\"Merge\" and \"Strict\". If not specified, \"Merge\" is used. (Alpha) Using the field requires the "
            "SupplementalGroupsPolicy feature gate to be enabled and the container runtime must implement support "
            "for this feature. Note that this field cannot be set when spec.os.name is windows."),
        "seLinuxChangePolicy": string_prop(
            "seLinuxChangePolicy defines how the container's SELinux label is applied to all volumes used by the "
            "Pod. It has no effect on nodes that do not support SELinux or to volumes does not support SELinux. "
            "Valid values are \"MountOption\" and \"Recursive\"."),
    },
    CORE + "SecurityContext": {
        "appArmorProfile": dict(ref(CORE + "AppArmorProfile"), description=(
            "appArmorProfile is the AppArmor options to use by this container. If set, this profile overrides the "
            "pod's appArmorProfile. Note that this field cannot be set when spec.os.name is windows.")),
    },
    CORE + "Probe": {
        "grpc": dict(ref(CORE + "GRPCAction"), description="GRPC specifies an action involving a GRPC port."),
        "terminationGracePeriodSeconds": {
            "description": (
                "Optional duration in seconds the pod needs to terminate gracefully upon probe failure. The grace "
                "period is the duration in seconds after the processes running in the pod are sent a termination "
                "signal and the time when the processes are forcibly halted with a kill signal. Set this value "
                "longer than the expected cleanup time for your process. If this value is nil, the pod's "
                "terminationGracePeriodSeconds will be used. Otherwise, this value overrides the value provided by "
                "the pod spec. Value must be non-negative integer. The value zero indicates stop immediately via the "
                "kill signal (no opportunity to shut down). This is a beta field and requires enabling "
                "ProbeTerminationGracePeriod feature gate. Minimum value is 1. spec.terminationGracePeriodSeconds "
                "is used if unset."),
            "type": "integer",
            "format": "int64",
        },
    },
    CORE + "LifecycleHandler": {
        "sleep": dict(ref(CORE + "SleepAction"), description="Sleep represents a duration that the container should sleep."),
    },
    CORE + "PodStatus": {
        "hostIPs": {
            "description": (
                "hostIPs holds the IP addresses allocated to the host. If this field is specified, the first entry "
                "must match the hostIP field. This list is empty if the pod has not started yet. A pod can be "
                "assigned to a node that has a problem in kubelet which in turns means that HostIPs will not be "
                "updated even if there is a node is assigned to this pod."),
            "type": "array",
            "items": ref(CORE + "HostIP"),
            "x-kubernetes-list-type": "atomic",
            "x-kubernetes-patch-merge-key": "ip",
            "x-kubernetes-patch-strategy": "merge",
        },
    },
    CORE + "ServiceSpec": {
        "clusterIPs": atomic_string_list(
            "ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.  If "
            "an address is specified manually, is in-range (as per system configuration), and is not in use, it "
            "will be allocated to the service; otherwise creation of the service will fail. This field may not be "
            "changed through updates unless the type field is also being changed to ExternalName (which requires "
            "this field to be empty) or the type field is being changed from ExternalName (in which case this "
            "field may optionally be specified, as describe above).  Valid values are \"None\", empty string "
            "(\"\"), or a valid IP address.  Setting this to \"None\" makes a \"headless service\" (no virtual IP), "
            "which is useful when direct endpoint connections are preferred and proxying is not required.  Only "
            "applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a "
            "Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to "
            "type ExternalName.  If this field is not specified, it will be initialized from the clusterIP field.  "
            "If this field is specified, clients must ensure that clusterIPs[0] and clusterIP have the same "
            "value.\n\nThis field may hold a maximum of two entries (dual-stack IPs, in either order). These IPs "
            "must correspond to the values of the ipFamilies field. Both clusterIPs and ipFamilies are governed by "
            "the ipFamilyPolicy field. More info: "
            "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
        "ipFamilies": atomic_string_list(
            "IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service. This field is usually "
            "assigned automatically based on cluster configuration and the ipFamilyPolicy field. If this field is "
            "specified manually, the requested family is available in the cluster, and ipFamilyPolicy allows it, "
            "it will be used; otherwise creation of the service will fail. This field is conditionally mutable: it "
            "allows for adding or removing a secondary IP family, but it does not allow changing the primary IP "
            "family of the Service. Valid values are \"IPv4\" and \"IPv6\".  This field only applies to Services "
            "of types ClusterIP, NodePort, and LoadBalancer, and does apply to \"headless\" services. This field "
            "will be wiped when updating a Service to type ExternalName.\n\nThis field may hold a maximum of two "
            "entries (dual-stack families, in either order).  These families must correspond to the values of the "
            "clusterIPs field, if specified. Both clusterIPs and ipFamilies are governed by the ipFamilyPolicy "
            "field."),
        "ipFamilyPolicy": string_prop(
            "IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. If there is no "
            "value provided, then this field will be set to SingleStack. Services can be \"SingleStack\" (a single "
            "IP family), \"PreferDualStack\" (two IP families on dual-stack configured clusters or a single IP "
            "family on single-stack clusters), or \"RequireDualStack\" (two IP families on dual-stack configured "
            "clusters, otherwise fail). The ipFamilies and clusterIPs fields depend on the value of this field. "
            "This field will be wiped when updating a service to type ExternalName."),
        "internalTrafficPolicy": string_prop(
            "InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If "
            "set to \"Local\", the proxy will assume that pods only want to talk to endpoints of the service on the "
            "same node as the pod, dropping the traffic if there are no local endpoints. The default value, "
            "\"Cluster\", uses the standard behavior of routing to all endpoints evenly (possibly modified by "
            "topology and other features)."),
        "allocateLoadBalancerNodePorts": {
            "description": (
                "allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services "
                "with type LoadBalancer.  Default is \"true\". It may be set to \"false\" if the cluster "
                "load-balancer does not rely on NodePorts.  If the caller requests specific NodePorts (by specifying "
                "a value), those requests will be respected, regardless of this field. This field may only be set "
                "for services with type LoadBalancer and will be cleared if the type is changed to any other type."),
            "type": "boolean",
        },
        "loadBalancerClass": string_prop(
            "loadBalancerClass is the class of the load balancer implementation this Service belongs to. If "
            "specified, the value of this field must be a label-style identifier, with an optional prefix, e.g. "
            "\"internal-vip\" or \"example.com/internal-vip\". Unprefixed names are reserved for end-users. This "
            "field can only be set when the Service type is 'LoadBalancer'. If not set, the default load balancer "
            "implementation is used, today this is typically done through the cloud provider integration, but "
            "should apply for any default implementation. If set, it is assumed that a load balancer implementation "
            "is watching for Services with a matching class. Any default load balancer implementation (e.g. cloud "
            "providers) should ignore Services that set this field. This field can only be set when creating or "
            "updating a Service to type 'LoadBalancer'. Once set, it can not be changed. This field will be wiped "
            "when a service is updated to a non 'LoadBalancer' type."),
        "trafficDistribution": string_prop(
            "TrafficDistribution offers a way to express preferences for how traffic is distributed to Service "
            "endpoints. Implementations can use this field as a hint, but are not required to guarantee strict "
            "adherence. If the field is not set, the implementation will apply its default routing strategy. If "
            "set to \"PreferClose\", implementations should prioritize endpoints that are topologically close "
            "(e.g., same zone). This is a beta field and requires enabling ServiceTrafficDistribution feature."),
    },
    "io.k8s.api.certificates.v1.CertificateSigningRequestSpec": {
        "expirationSeconds": {
            "description": "expirationSeconds is the requested duration of validity of the issued certificate. The "
            "certificate signer may issue a certificate with a different validity duration so a client must check "
            "the delta between the notBefore and and notAfter fields in the issued certificate to determine the "
            "actual duration. The minimum valid value for expirationSeconds is 600, i.e. 10 minutes.",
            "type": "integer",
            "format": "int32",
        },
    },
    "io.k8s.api.coordination.v1.LeaseSpec": {
        "preferredHolder": string_prop(
            "PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given "
            "up. This field can only be set if Strategy is also set."),
        "strategy": string_prop(
            "Strategy indicates the strategy for picking the leader for coordinated leader election. If the field "
            "is not specified, there is no active coordination for this lease. (Alpha) Using this field requires "
            "the CoordinatedLeaderElection feature gate to be enabled."),
    },
}

CONTAINER_PROPERTIES = {
    "resizePolicy": {
        "description": "Resources resize policy for the container.",
        "type": "array",
        "items": ref(CORE + "ContainerResizePolicy"),
        "x-kubernetes-list-type": "atomic",
    },
    "restartPolicy": string_prop(
        "RestartPolicy defines the restart behavior of individual containers in a pod. This field may only be set "
        "for init containers, and the only allowed value is \"Always\". For non-init containers or when this field "
        "is not specified, the restart behavior is defined by the Pod's restart policy and the container type. "
        "Setting the RestartPolicy as \"Always\" for the init container will have the following effect: this init "
        "container will be continually restarted on exit until all regular containers have terminated. Once all "
        "regular containers have completed, all init containers with restartPolicy \"Always\" will be shut down. "
        "This lifecycle differs from normal init containers and is often referred to as a \"sidecar\" container. "
        "Although this init container still starts in the init container sequence, it does not wait for the "
        "container to complete before proceeding to the next init container. Instead, the next init container "
        "starts immediately after this init container is started, or after any startupProbe has successfully "
        "completed."),
}

REMOVED_PROPERTIES = {
    META + "ObjectMeta": ["clusterName"],
    CORE + "ServiceSpec": ["ipFamily", "topologyKeys"],
}

# v2 name -> name served today.
RENAMES = {
    "io.k8s.api.policy.v1beta1.Eviction": "io.k8s.api.policy.v1.Eviction",
    CORE + "Handler": CORE + "LifecycleHandler",
}

PARAMETER_ADDITIONS = {
    "fieldValidation": {
        "type": "string",
        "description": (
            "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) "
            "containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown "
            "fields that are silently dropped from the object, and will ignore all but the last duplicate field "
            "that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a "
            "warning via the standard warning response header for each unknown field that is dropped from the "
            "object, and for each duplicate field that is encountered. The request will still succeed if there are "
            "no other errors, and will only persist the last of any duplicate fields. This is the default in "
            "v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be "
            "dropped from the object, or if any duplicate fields are present. The error returned from the server "
            "will contain all unknown and duplicate fields encountered."),
    },
    "sendInitialEvents": {
        "type": "boolean",
        "description": (
            "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will "
            "begin with synthetic events to produce the current state of objects in the collection. Once all such "
            "events have been sent, a synthetic \"Bookmark\" event  will be sent. The bookmark will report the "
            "ResourceVersion (RV) corresponding to the set of objects, and be marked with "
            "`\"k8s.io/initial-events-end\": \"true\"` annotation. Afterwards, the watch stream will proceed as "
            "usual, sending watch events corresponding to changes (subsequent to the RV) to objects watched.\n\n"
            "When `sendInitialEvents` option is set, we require `resourceVersionMatch` option to also be set. The "
            "semantic of the watch request is as following: - `resourceVersionMatch` = NotOlderThan\n  is "
            "interpreted as \"data at least as new as the provided `resourceVersion`\"\n  and the bookmark event "
            "is send when the state is synced\n  to a `resourceVersion` at least as fresh as the one provided by "
            "the ListOptions.\n  If `resourceVersion` is unset, this is interpreted as \"consistent read\" and "
            "the\n  bookmark event is send when the state is synced at least to the moment\n  when request "
            "started being processed.\n- `resourceVersionMatch` set to any other value or unset\n  Invalid error "
            "is returned.\n\nDefaults to true if `resourceVersion=\"\"` or `resourceVersion=\"0\"` (for backward "
            "compatibility reasons) and to false otherwise."),
    },
}
REMOVED_PARAMETERS = {"exact", "export", "body"}


def apply_overlay(definitions):
    for old, new in RENAMES.items():
        definitions[new] = definitions.pop(old)
    definitions["io.k8s.api.policy.v1.Eviction"]["x-kubernetes-group-version-kind"] = [
        {"group": "policy", "kind": "Eviction", "version": "v1"}]
    definitions.update(copy.deepcopy(NEW_DEFINITIONS))
    for name, props in NEW_PROPERTIES.items():
        definitions[name]["properties"].update(copy.deepcopy(props))
    for name in [CORE + "Container", CORE + "EphemeralContainer"]:
        definitions[name]["properties"].update(copy.deepcopy(CONTAINER_PROPERTIES))
    for name, props in REMOVED_PROPERTIES.items():
        for prop in props:
            definitions[name]["properties"].pop(prop, None)
    # Rewrite references to renamed definitions.
    text = json.dumps(definitions)
    for old, new in RENAMES.items():
        text = text.replace('"#/definitions/' + old + '"', '"#/definitions/' + new + '"')
    return json.loads(text)


def refs_of(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                out.add(item.rsplit("/", 1)[-1])
            else:
                refs_of(item, out)
    elif isinstance(value, list):
        for item in value:
            refs_of(item, out)


def closure(definitions, roots):
    seen = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in definitions:
            raise SystemExit("missing definition: " + name)
        seen.add(name)
        found = set()
        refs_of(definitions[name], found)
        todo.extend(sorted(found - seen))
    return seen


def to_v3(value):
    if isinstance(value, dict):
        out = {key: to_v3(item) for key, item in value.items()}
        if "$ref" in out:
            target = "#/components/schemas/" + out["$ref"].rsplit("/", 1)[-1]
            siblings = {k: v for k, v in out.items() if k != "$ref"}
            if siblings:
                return dict(siblings, allOf=[{"$ref": target}])
            return {"$ref": target}
        return out
    if isinstance(value, list):
        return [to_v3(item) for item in value]
    return value


def filter_gvks(schema):
    gvks = schema.get("x-kubernetes-group-version-kind")
    if not gvks:
        return
    kept = [g for g in gvks if (g["group"], g["version"]) in SERVED_GROUP_VERSIONS]
    schema["x-kubernetes-group-version-kind"] = kept
    if not kept:
        del schema["x-kubernetes-group-version-kind"]


def convert_schema(name, schema):
    schema = to_v3(schema)
    filter_gvks(schema)
    if name == "io.k8s.apimachinery.pkg.api.resource.Quantity":
        schema.pop("type", None)
        schema["oneOf"] = [{"type": "string"}, {"type": "number"}]
    elif name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
        schema.pop("type", None)
        schema["x-kubernetes-int-or-string"] = True
        schema["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    return schema


def collect_parameters(paths):
    params = {}
    for path_item in paths.values():
        lists = [path_item.get("parameters", [])]
        lists += [op.get("parameters", []) for key, op in path_item.items() if key != "parameters"]
        for plist in lists:
            for p in plist:
                name = p.get("name")
                if not name or name in REMOVED_PARAMETERS or p.get("in") not in ("query", "path"):
                    continue
                if name in ("name", "namespace", "path"):
                    continue  # their descriptions depend on the path; built in C++
                params.setdefault(name, {"type": p.get("type", "string"), "description": p.get("description", "")})
    params.update(PARAMETER_ADDITIONS)
    return dict(sorted(params.items()))


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_INPUT
    target = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUTPUT
    with gzip.open(source, "rt", encoding="utf-8") as f:
        v2 = json.load(f)
    definitions = apply_overlay(copy.deepcopy(v2["definitions"]))
    names = closure(definitions, ROOTS)
    schemas = {name: convert_schema(name, definitions[name]) for name in sorted(names)}
    out = {
        "source": "kube-apiserver " + v2["info"]["version"] + " OpenAPI v2 (29-openapi-v2.json.gz) + generate.py overlay",
        "schemas": schemas,
        "parameters": collect_parameters(v2["paths"]),
        "securitySchemes": {
            "BearerToken": {"type": "apiKey", "description": "Bearer Token authentication", "name": "authorization",
                            "in": "header"}},
    }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    print("wrote %s: %d schemas, %d parameters" % (target, len(schemas), len(out["parameters"])))


if __name__ == "__main__":
    main()
