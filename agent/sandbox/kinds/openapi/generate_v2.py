#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates the OpenAPI v2 (Swagger 2.0) document the sandbox serves at /openapi/v2, as JSON and as protobuf.

Why
---
kubectl 1.32 validates with OpenAPI v3, except for manifests of `kind: List` (what `kubectl get -o yaml` writes):
those it validates client-side with OpenAPI v2, which it fetches only as protobuf
(`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`). Older kubectl (Debian's 1.20) uses the v2
protobuf for all validation and for `kubectl explain`.

Inputs and outputs
------------------
Input: schemas.json (written by generate.py from the real kube-apiserver 1.19 v2 document plus its overlay), the
same file the C++ side turns into /openapi/v3, so v2 and v3 describe the same types.

Outputs, next to this script, both embedded as Qt resources by agent/sandbox/kinds/CMakeLists.txt:
  openapi-v2.json  the document as kube-apiserver serves it for `Accept: application/json` (compact).
  openapi-v2.pb    the same document encoded as gnostic's openapi_v2.Document (github.com/google/gnostic-models,
                   openapiv2/OpenAPIv2.proto), which is what kube-apiserver sends for the protobuf Accept header and
                   what kubectl decodes before building its models with k8s.io/kube-openapi/pkg/util/proto.

What this script does:
  1. definitions: every schema of schemas.json, converted back to Swagger 2.0 the way real v2 documents look:
     "#/components/schemas/X" -> "#/definitions/X", {"allOf": [{"$ref": R}], <siblings>} -> {"$ref": R, <siblings>},
     Quantity -> type string, IntOrString -> type string + format int-or-string (no oneOf/anyOf in v2).
  2. paths: built from RESOURCES (below, mirroring builtinResourceTypes() in ../Registry.cpp) with the same paths,
     operation ids, x-kubernetes-action and x-kubernetes-group-version-kind as OpenApi.cpp puts in the v3 documents
     (tests/sandbox/tst_kinds_openapi_v2.cpp checks that the two agree), in v2 form: consumes/produces/schemes per
     operation, request bodies as `in: body` parameters, response schemas directly under the status code.
  3. securityDefinitions BearerToken and security, info {title Kubernetes, version v1.32.0}.
  4. Encodes the document as protobuf with the small wire-format writer below (field numbers from OpenAPIv2.proto).
     Extension values (x-kubernetes-*) and enum/default values are openapi_v2.Any{yaml: ...}; JSON text is valid
     YAML, so they carry JSON (what kubectl's yaml.Unmarshal reads back to the same maps and lists).

Usage: python3 generate_v2.py [path/to/schemas.json] [output-dir]
"""

import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SERVED_VERSION = "v1.32.0"
V3_PREFIX = "#/components/schemas/"
V2_PREFIX = "#/definitions/"
META = "io.k8s.apimachinery.pkg.apis.meta.v1."

# ---------------------------------------------------------------------------------------------------------------
# The served resources: keep in step with makeTypes() in ../Registry.cpp (the C++ test fails when they differ).
# ---------------------------------------------------------------------------------------------------------------
ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
NO_DELETECOLLECTION = [v for v in ALL_VERBS if v != "deletecollection"]
STATUS_VERBS = ["get", "patch", "update"]
PROXY_VERBS = ["create", "delete", "get", "patch", "update"]
CONNECT_VERBS = ["create", "get"]


def sub(name, kind, verbs, group="", version=""):
    return {"name": name, "kind": kind, "verbs": verbs, "group": group, "version": version}


def resource(resource_name, kind, namespaced, verbs=None, subresources=(), group="", version="v1"):
    return {"group": group, "version": version, "resource": resource_name, "kind": kind,
            "singular": kind.lower(), "namespaced": namespaced, "verbs": list(verbs or ALL_VERBS),
            "subresources": list(subresources)}


RESOURCES = [
    resource("bindings", "Binding", True, verbs=["create"]),
    resource("configmaps", "ConfigMap", True),
    resource("events", "Event", True),
    resource("namespaces", "Namespace", False, verbs=NO_DELETECOLLECTION,
             subresources=[sub("finalize", "Namespace", ["update"]), sub("status", "Namespace", STATUS_VERBS)]),
    resource("nodes", "Node", False,
             subresources=[sub("proxy", "NodeProxyOptions", PROXY_VERBS), sub("status", "Node", STATUS_VERBS)]),
    resource("pods", "Pod", True, subresources=[
        sub("attach", "PodAttachOptions", CONNECT_VERBS),
        sub("binding", "Binding", ["create"]),
        sub("eviction", "Eviction", ["create"], "policy", "v1"),
        sub("exec", "PodExecOptions", CONNECT_VERBS),
        sub("log", "Pod", ["get"]),
        sub("portforward", "PodPortForwardOptions", CONNECT_VERBS),
        sub("proxy", "PodProxyOptions", PROXY_VERBS),
        sub("status", "Pod", STATUS_VERBS),
    ]),
    resource("secrets", "Secret", True),
    resource("serviceaccounts", "ServiceAccount", True,
             subresources=[sub("token", "TokenRequest", ["create"], "authentication.k8s.io", "v1")]),
    resource("services", "Service", True, verbs=NO_DELETECOLLECTION,
             subresources=[sub("proxy", "ServiceProxyOptions", PROXY_VERBS), sub("status", "Service", STATUS_VERBS)]),
    resource("leases", "Lease", True, group="coordination.k8s.io"),
    resource("events", "Event", True, group="events.k8s.io"),
    resource("clusterrolebindings", "ClusterRoleBinding", False, group="rbac.authorization.k8s.io"),
    resource("clusterroles", "ClusterRole", False, group="rbac.authorization.k8s.io"),
    resource("rolebindings", "RoleBinding", True, group="rbac.authorization.k8s.io"),
    resource("roles", "Role", True, group="rbac.authorization.k8s.io"),
    resource("certificatesigningrequests", "CertificateSigningRequest", False, group="certificates.k8s.io",
             subresources=[sub("approval", "CertificateSigningRequest", STATUS_VERBS),
                           sub("status", "CertificateSigningRequest", STATUS_VERBS)]),
    resource("tokenreviews", "TokenReview", False, verbs=["create"], group="authentication.k8s.io"),
    resource("localsubjectaccessreviews", "LocalSubjectAccessReview", True, verbs=["create"],
             group="authorization.k8s.io"),
    resource("selfsubjectaccessreviews", "SelfSubjectAccessReview", False, verbs=["create"],
             group="authorization.k8s.io"),
    resource("selfsubjectrulesreviews", "SelfSubjectRulesReview", False, verbs=["create"],
             group="authorization.k8s.io"),
    resource("subjectaccessreviews", "SubjectAccessReview", False, verbs=["create"], group="authorization.k8s.io"),
]

# ---------------------------------------------------------------------------------------------------------------
# Definitions: schemas.json (OpenAPI 3) back to Swagger 2.0.
# ---------------------------------------------------------------------------------------------------------------


def to_v2(value):
    if isinstance(value, dict):
        out = {key: to_v2(item) for key, item in value.items()}
        all_of = out.get("allOf")
        if all_of is not None:
            if len(all_of) != 1 or set(all_of[0]) != {"$ref"}:
                raise SystemExit("unexpected allOf: %r" % (all_of,))
            del out["allOf"]
            out["$ref"] = all_of[0]["$ref"]
        if "$ref" in out:
            target = out["$ref"]
            if not target.startswith(V3_PREFIX) and not target.startswith(V2_PREFIX):
                raise SystemExit("unexpected $ref: " + target)
            out["$ref"] = V2_PREFIX + target.rsplit("/", 1)[-1]
        return out
    if isinstance(value, list):
        return [to_v2(item) for item in value]
    return value


def convert_definition(name, schema):
    schema = to_v2(schema)
    if name == "io.k8s.apimachinery.pkg.api.resource.Quantity":
        schema.pop("oneOf", None)
        schema["type"] = "string"
    elif name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
        schema.pop("anyOf", None)
        schema.pop("x-kubernetes-int-or-string", None)
        schema["type"] = "string"
        schema["format"] = "int-or-string"
    text = json.dumps(schema)
    for v3_only in ('"allOf"', '"oneOf"', '"anyOf"', '"nullable"', V3_PREFIX):
        if v3_only in text:
            raise SystemExit("definition %s still has %s" % (name, v3_only))
    return schema


# ---------------------------------------------------------------------------------------------------------------
# Paths, in the shape of kube-apiserver's v2 document, with OpenApi.cpp's naming.
# ---------------------------------------------------------------------------------------------------------------
LIST_PARAMS = ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion",
               "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch"]
WRITE_PARAMS = ["dryRun", "fieldManager", "fieldValidation"]
OBJECT_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]
WATCH_TYPES = OBJECT_TYPES + ["application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch"]
PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
               "application/apply-patch+yaml"]
DESCRIPTIONS = {"200": "OK", "201": "Created", "202": "Accepted"}


class Builder:
    def __init__(self, parameters):
        self.parameters = parameters
        self.paths = {}

    def query(self, name, description=None):
        known = self.parameters.get(name, {})
        return {"uniqueItems": True, "type": known.get("type", "string"),
                "description": known.get("description", "") if description is None else description,
                "name": name, "in": "query"}

    def queries(self, names):
        return [self.query(n) for n in names]

    @staticmethod
    def path_param(name, description):
        return {"uniqueItems": True, "type": "string", "description": description, "name": name, "in": "path",
                "required": True}

    @staticmethod
    def body(schema_name, required=True):
        p = {"name": "body", "in": "body"}
        if required:
            p["required"] = True
        p["schema"] = ref(schema_name)
        return p


def ref(schema_name):
    return {"$ref": V2_PREFIX + schema_name}


def schema_name_for(group, version, kind):
    if not group:
        return "io.k8s.api.core." + version + "." + kind
    return "io.k8s.api." + group.split(".")[0] + "." + version + "." + kind


def gvk(group, version, kind):
    return {"group": group, "kind": kind, "version": version}


class Naming:
    def __init__(self, group, version):
        first = group.split(".")[0] if group else "core"
        self.tag = first + "_" + version
        self.prefix = first[:1].upper() + first[1:] + version[:1].upper() + version[1:]
        self.root = "/apis/" + group + "/" + version if group else "/api/" + version


def responses(schema, codes):
    out = {}
    for code in codes:
        out[code] = {"description": DESCRIPTIONS[code], "schema": schema}
    out["401"] = {"description": "Unauthorized"}
    return out


def operation(n, description, operation_id, action, kind, produces, consumes=("*/*",), parameters=None,
              response_schema=None, codes=("200",)):
    op = {"description": description, "consumes": list(consumes), "produces": list(produces),
          "schemes": ["https"], "tags": [n.tag], "operationId": operation_id}
    if parameters:
        op["parameters"] = parameters
    op["responses"] = responses(response_schema, list(codes))
    if action:
        op["x-kubernetes-action"] = action
    if kind:
        op["x-kubernetes-group-version-kind"] = kind
    return op


def delete_result_schema(t):
    if t["resource"] in ("pods", "serviceaccounts"):
        return schema_name_for(t["group"], t["version"], t["kind"])
    return META + "Status"


def add_resource_paths(b, t):
    n = Naming(t["group"], t["version"])
    kind = t["kind"]
    kind_schema = schema_name_for(t["group"], t["version"], kind)
    list_schema = schema_name_for(t["group"], t["version"], kind + "List")
    kind_gvk = gvk(t["group"], t["version"], kind)
    scope = "Namespaced" if t["namespaced"] else ""
    ns_segment = "/namespaces/{namespace}" if t["namespaced"] else ""
    collection_path = n.root + ns_segment + "/" + t["resource"]
    item_path = collection_path + "/{name}"
    ns_param = Builder.path_param("namespace", "object name and auth scope, such as for teams and projects")
    pretty = b.query("pretty")
    verbs = t["verbs"]

    def scope_params(extra):
        params = list(extra)
        if t["namespaced"]:
            params.append(ns_param)
        params.append(pretty)
        return params

    def name_param(k):
        return Builder.path_param("name", "name of the " + k)

    collection = {}
    if "list" in verbs:
        collection["get"] = operation(n, "list or watch objects of kind " + kind, "list" + n.prefix + scope + kind,
                                      "list", kind_gvk, WATCH_TYPES, parameters=b.queries(LIST_PARAMS),
                                      response_schema=ref(list_schema))
    if "create" in verbs:
        collection["post"] = operation(n, "create a " + kind, "create" + n.prefix + scope + kind, "post", kind_gvk,
                                       OBJECT_TYPES, parameters=[Builder.body(kind_schema)] + b.queries(WRITE_PARAMS),
                                       response_schema=ref(kind_schema), codes=("200", "201", "202"))
    if "deletecollection" in verbs:
        collection["delete"] = operation(
            n, "delete collection of " + kind, "delete" + n.prefix + "Collection" + scope + kind, "deletecollection",
            kind_gvk, OBJECT_TYPES,
            parameters=[Builder.body(META + "DeleteOptions", required=False)] + b.queries(
                ["continue", "dryRun", "fieldSelector", "gracePeriodSeconds", "labelSelector", "limit",
                 "orphanDependents", "propagationPolicy", "resourceVersion", "resourceVersionMatch",
                 "sendInitialEvents", "timeoutSeconds"]),
            response_schema=ref(META + "Status"))
    if collection:
        collection["parameters"] = scope_params([])
        b.paths[collection_path] = collection

    item = {}
    if "get" in verbs:
        item["get"] = operation(n, "read the specified " + kind, "read" + n.prefix + scope + kind, "get", kind_gvk,
                                OBJECT_TYPES, response_schema=ref(kind_schema))
    if "update" in verbs:
        item["put"] = operation(n, "replace the specified " + kind, "replace" + n.prefix + scope + kind, "put",
                                kind_gvk, OBJECT_TYPES,
                                parameters=[Builder.body(kind_schema)] + b.queries(WRITE_PARAMS),
                                response_schema=ref(kind_schema), codes=("200", "201"))
    if "delete" in verbs:
        item["delete"] = operation(
            n, "delete a " + kind, "delete" + n.prefix + scope + kind, "delete", kind_gvk, OBJECT_TYPES,
            parameters=[Builder.body(META + "DeleteOptions", required=False)] + b.queries(
                ["dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy"]),
            response_schema=ref(delete_result_schema(t)), codes=("200", "202"))
    if "patch" in verbs:
        item["patch"] = operation(n, "partially update the specified " + kind, "patch" + n.prefix + scope + kind,
                                  "patch", kind_gvk, OBJECT_TYPES, consumes=PATCH_TYPES,
                                  parameters=[Builder.body(META + "Patch")] + b.queries(WRITE_PARAMS + ["force"]),
                                  response_schema=ref(kind_schema), codes=("200", "201"))
    if item:
        item["parameters"] = scope_params([name_param(kind)])
        b.paths[item_path] = item

    list_with_pretty = sorted(LIST_PARAMS + ["pretty"])
    if t["namespaced"] and "list" in verbs:
        b.paths[n.root + "/" + t["resource"]] = {
            "get": operation(n, "list or watch objects of kind " + kind,
                             "list" + n.prefix + kind + "ForAllNamespaces", "list", kind_gvk, WATCH_TYPES,
                             response_schema=ref(list_schema)),
            "parameters": b.queries(list_with_pretty),
        }

    if "watch" in verbs:
        def watch_path(path, description, operation_id, action, path_params):
            b.paths[path] = {
                "get": operation(n, description, operation_id, action, kind_gvk, WATCH_TYPES,
                                 response_schema=ref(META + "WatchEvent")),
                "parameters": list(path_params) + b.queries(list_with_pretty),
            }

        watch_root = n.root + "/watch" + ns_segment + "/" + t["resource"]
        ns_only = [ns_param] if t["namespaced"] else []
        deprecated = ". deprecated: use the 'watch' parameter with a list operation instead"
        watch_path(watch_root, "watch individual changes to a list of " + kind + deprecated + ".",
                   "watch" + n.prefix + scope + kind + "List", "watchlist", ns_only)
        watch_path(watch_root + "/{name}",
                   "watch changes to an object of kind " + kind + deprecated +
                   ", filtered to a single item with the 'fieldSelector' parameter.",
                   "watch" + n.prefix + scope + kind, "watch", [name_param(kind)] + ns_only)
        if t["namespaced"]:
            watch_path(n.root + "/watch/" + t["resource"],
                       "watch individual changes to a list of " + kind + deprecated + ".",
                       "watch" + n.prefix + kind + "ListForAllNamespaces", "watchlist", [])

    for s in t["subresources"]:
        add_subresource_paths(b, t, s, n, item_path, kind_schema, kind_gvk, scope, ns_param, pretty, name_param)


def add_subresource_paths(b, t, s, n, item_path, kind_schema, kind_gvk, scope, ns_param, pretty, name_param):
    kind = t["kind"]
    path = item_path + "/" + s["name"]
    sub_group = s["group"] or t["group"]
    sub_version = s["version"] or t["version"]
    sub_gvk = gvk(sub_group, sub_version, s["kind"])
    suffix = s["name"][:1].upper() + s["name"][1:]
    name = s["name"]

    if name == "status":
        b.paths[path] = {
            "get": operation(n, "read status of the specified " + kind, "read" + n.prefix + scope + kind + suffix,
                             "get", kind_gvk, OBJECT_TYPES, response_schema=ref(kind_schema)),
            "put": operation(n, "replace status of the specified " + kind,
                             "replace" + n.prefix + scope + kind + suffix, "put", kind_gvk, OBJECT_TYPES,
                             parameters=[Builder.body(kind_schema)] + b.queries(WRITE_PARAMS),
                             response_schema=ref(kind_schema), codes=("200", "201")),
            "patch": operation(n, "partially update status of the specified " + kind,
                               "patch" + n.prefix + scope + kind + suffix, "patch", kind_gvk, OBJECT_TYPES,
                               consumes=PATCH_TYPES,
                               parameters=[Builder.body(META + "Patch")] + b.queries(WRITE_PARAMS + ["force"]),
                               response_schema=ref(kind_schema), codes=("200", "201")),
            "parameters": ([name_param(kind)] + ([ns_param] if t["namespaced"] else []) + [pretty]),
        }
    elif name == "finalize":
        b.paths[path] = {
            "put": operation(n, "replace finalize of the specified " + kind,
                             "replace" + n.prefix + scope + kind + suffix, "put", kind_gvk, OBJECT_TYPES,
                             parameters=[Builder.body(kind_schema)], response_schema=ref(kind_schema),
                             codes=("200", "201")),
            "parameters": b.queries(WRITE_PARAMS) + [name_param(kind), pretty],
        }
    elif name in ("binding", "eviction"):
        schema = "io.k8s.api.policy.v1.Eviction" if name == "eviction" else schema_name_for(sub_group, sub_version,
                                                                                              s["kind"])
        params = b.queries(WRITE_PARAMS) + [name_param(s["kind"])]
        if t["namespaced"]:
            params.append(ns_param)
        params.append(pretty)
        b.paths[path] = {
            "post": operation(n, "create " + name + " of a " + kind, "create" + n.prefix + scope + kind + suffix,
                              "post", sub_gvk, OBJECT_TYPES, parameters=[Builder.body(schema)],
                              response_schema=ref(schema), codes=("200", "201", "202")),
            "parameters": params,
        }
    elif name == "log":
        params = b.queries(["container", "follow", "insecureSkipTLSVerifyBackend", "limitBytes"])
        params += [name_param(kind), ns_param]
        params += b.queries(["pretty", "previous", "sinceSeconds", "tailLines", "timestamps"])
        b.paths[path] = {
            "get": operation(n, "read log of the specified " + kind, "read" + n.prefix + scope + kind + suffix,
                             "get", kind_gvk, ["text/plain", "application/json", "application/yaml",
                                               "application/vnd.kubernetes.protobuf"],
                             response_schema={"type": "string"}),
            "parameters": params,
        }
    else:
        methods = ["get", "post"]
        names = []
        if name == "exec":
            names = ["command", "container", "stderr", "stdin", "stdout", "tty"]
        elif name == "attach":
            names = ["container", "stderr", "stdin", "stdout", "tty"]
        elif name == "portforward":
            names = ["ports"]
        elif name == "proxy":
            methods = ["delete", "get", "head", "options", "patch", "post", "put"]
        if t["resource"] == "services":
            proxy_description = (
                "Path is the part of URLs that include service endpoints, suffixes, and parameters to use for the "
                "current proxy request to service. For example, the whole request URL is "
                "http://localhost/api/v1/namespaces/kube-system/services/elasticsearch-logging/_search?q=user:kimchy. "
                "Path is _search?q=user:kimchy.")
        else:
            proxy_description = "Path is the URL path to use for the current proxy request to " + t["singular"] + "."

        def connect_item(with_path):
            item = {}
            for method in methods:
                camel = method[:1].upper() + method[1:]
                item[method] = operation(
                    n, "connect " + method.upper() + " requests to " + name + " of " + kind,
                    "connect" + n.prefix + camel + scope + kind + suffix + ("WithPath" if with_path else ""),
                    "connect", sub_gvk, ["*/*"], response_schema={"type": "string"})
            params = b.queries(names) + [name_param(s["kind"])]
            if t["namespaced"]:
                params.append(ns_param)
            if name == "proxy":
                if with_path:
                    params.append(Builder.path_param("path", "path to the resource"))
                params.append(b.query("path", proxy_description))
            item["parameters"] = params
            return item

        b.paths[path] = connect_item(False)
        if name == "proxy":
            b.paths[path + "/{path}"] = connect_item(True)


DISCOVERY_TYPES = OBJECT_TYPES


def discovery_path(tag, description, operation_id, schema):
    return {"get": {"description": description, "consumes": DISCOVERY_TYPES, "produces": DISCOVERY_TYPES,
                    "schemes": ["https"], "tags": [tag], "operationId": operation_id,
                    "responses": responses(ref(META + schema), ["200"])}}


def build_paths(parameters):
    b = Builder(parameters)
    b.paths["/api/"] = discovery_path("core", "get available API versions", "getCoreAPIVersions", "APIVersions")
    b.paths["/apis/"] = discovery_path("apis", "get available API versions", "getAPIVersions", "APIGroupList")
    group_versions = []
    for t in RESOURCES:
        if (t["group"], t["version"]) not in group_versions:
            group_versions.append((t["group"], t["version"]))
    for group, version in group_versions:
        n = Naming(group, version)
        if group:
            first = group.split(".")[0]
            b.paths["/apis/" + group + "/"] = discovery_path(first, "get information of a group",
                                                             "get" + first[:1].upper() + first[1:] + "APIGroup",
                                                             "APIGroup")
        b.paths[n.root + "/"] = discovery_path(n.tag, "get available resources", "get" + n.prefix + "APIResources",
                                               "APIResourceList")
        for t in RESOURCES:
            if (t["group"], t["version"]) == (group, version):
                add_resource_paths(b, t)
    return dict(sorted(b.paths.items()))


# ---------------------------------------------------------------------------------------------------------------
# Protobuf: a minimal proto3 wire-format writer for gnostic's openapi_v2 messages.
# ---------------------------------------------------------------------------------------------------------------


def varint(value):
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def tag(field, wire_type):
    return varint((field << 3) | wire_type)


def f_bytes(field, data):
    return tag(field, 2) + varint(len(data)) + data


def f_string(field, text):
    """A proto3 string field; empty strings are the default and not written."""
    if text is None or text == "":
        return b""
    return f_bytes(field, text.encode("utf-8"))


def f_strings(field, texts):
    return b"".join(f_bytes(field, t.encode("utf-8")) for t in texts)


def f_message(field, data):
    """An embedded message that is present (possibly empty)."""
    return f_bytes(field, data)


def f_bool(field, value):
    return tag(field, 0) + varint(1) if value else b""


def f_int64(field, value):
    return tag(field, 0) + varint(int(value)) if value else b""


def f_double(field, value):
    return tag(field, 1) + struct.pack("<d", float(value)) if value else b""


def yaml_text(value):
    """openapi_v2.Any.yaml: JSON is YAML (flow style); kubectl reads it with yaml.Unmarshal."""
    return json.dumps(value, ensure_ascii=True, separators=(", ", ": "))


def any_msg(value):
    return f_string(2, yaml_text(value))


def named_any(name, value):
    return f_string(1, name) + f_message(2, any_msg(value))


def vendor_extensions(field, obj):
    return b"".join(f_message(field, named_any(k, v)) for k, v in obj.items() if k.startswith("x-"))


SCHEMA_KEYS = {"$ref", "format", "title", "description", "default", "multipleOf", "maximum", "exclusiveMaximum",
               "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
               "uniqueItems", "maxProperties", "minProperties", "required", "enum", "additionalProperties", "type",
               "items", "allOf", "properties", "discriminator", "readOnly", "example"}


def schema_msg(s):
    unknown = [k for k in s if k not in SCHEMA_KEYS and not k.startswith("x-")]
    if unknown:
        raise SystemExit("schema keyword without a protobuf field: %r" % unknown)
    out = b""
    out += f_string(1, s.get("$ref"))
    out += f_string(2, s.get("format"))
    out += f_string(3, s.get("title"))
    out += f_string(4, s.get("description"))
    if "default" in s:
        out += f_message(5, any_msg(s["default"]))
    out += f_double(6, s.get("multipleOf"))
    out += f_double(7, s.get("maximum"))
    out += f_bool(8, s.get("exclusiveMaximum"))
    out += f_double(9, s.get("minimum"))
    out += f_bool(10, s.get("exclusiveMinimum"))
    out += f_int64(11, s.get("maxLength"))
    out += f_int64(12, s.get("minLength"))
    out += f_string(13, s.get("pattern"))
    out += f_int64(14, s.get("maxItems"))
    out += f_int64(15, s.get("minItems"))
    out += f_bool(16, s.get("uniqueItems"))
    out += f_int64(17, s.get("maxProperties"))
    out += f_int64(18, s.get("minProperties"))
    out += f_strings(19, s.get("required", []))
    for value in s.get("enum", []):
        out += f_message(20, any_msg(value))
    if "additionalProperties" in s:
        ap = s["additionalProperties"]
        # AdditionalPropertiesItem: oneof { Schema schema = 1; bool boolean = 2; }
        item = f_message(1, schema_msg(ap)) if isinstance(ap, dict) else tag(2, 0) + varint(1 if ap else 0)
        out += f_message(21, item)
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        out += f_message(22, f_strings(1, types))  # TypeItem
    if "items" in s:
        items = s["items"] if isinstance(s["items"], list) else [s["items"]]
        out += f_message(23, b"".join(f_message(1, schema_msg(i)) for i in items))  # ItemsItem
    for sub_schema in s.get("allOf", []):
        out += f_message(24, schema_msg(sub_schema))
    if "properties" in s:
        props = b"".join(f_message(1, f_string(1, k) + f_message(2, schema_msg(v)))
                         for k, v in s["properties"].items())  # Properties{repeated NamedSchema}
        out += f_message(25, props)
    out += f_string(26, s.get("discriminator"))
    out += f_bool(27, s.get("readOnly"))
    if "example" in s:
        out += f_message(30, any_msg(s["example"]))
    out += vendor_extensions(31, s)
    return out


def parameter_msg(p):
    """ParametersItem{parameter: Parameter{body_parameter | non_body_parameter}}."""
    if p["in"] == "body":
        body = (f_string(1, p.get("description")) + f_string(2, p["name"]) + f_string(3, "body") +
                f_bool(4, p.get("required")) + f_message(5, schema_msg(p["schema"])) + vendor_extensions(6, p))
        parameter = f_message(1, body)
    elif p["in"] == "query":
        q = (f_bool(1, p.get("required")) + f_string(2, "query") + f_string(3, p.get("description")) +
             f_string(4, p["name"]) + f_string(6, p.get("type")) + f_string(7, p.get("format")) +
             f_bool(20, p.get("uniqueItems")) + vendor_extensions(23, p))
        parameter = f_message(2, f_message(3, q))  # NonBodyParameter.query_parameter_sub_schema
    elif p["in"] == "path":
        q = (f_bool(1, p.get("required")) + f_string(2, "path") + f_string(3, p.get("description")) +
             f_string(4, p["name"]) + f_string(5, p.get("type")) + f_string(6, p.get("format")) +
             f_bool(19, p.get("uniqueItems")) + vendor_extensions(22, p))
        parameter = f_message(2, f_message(4, q))  # NonBodyParameter.path_parameter_sub_schema
    else:
        raise SystemExit("unsupported parameter location: " + p["in"])
    return f_message(1, parameter)


def responses_msg(responses_obj):
    out = b""
    for code, r in responses_obj.items():
        response = f_string(1, r.get("description"))
        if "schema" in r:
            response += f_message(2, f_message(1, schema_msg(r["schema"])))  # SchemaItem.schema
        value = f_message(1, response)  # ResponseValue.response
        out += f_message(1, f_string(1, code) + f_message(2, value))  # NamedResponseValue
    return out


def operation_msg(op):
    out = f_strings(1, op.get("tags", []))
    out += f_string(2, op.get("summary"))
    out += f_string(3, op.get("description"))
    out += f_string(5, op.get("operationId"))
    out += f_strings(6, op.get("produces", []))
    out += f_strings(7, op.get("consumes", []))
    for p in op.get("parameters", []):
        out += f_message(8, parameter_msg(p))
    out += f_message(9, responses_msg(op["responses"]))
    out += f_strings(10, op.get("schemes", []))
    out += f_bool(11, op.get("deprecated"))
    out += vendor_extensions(13, op)
    return out


PATH_ITEM_FIELDS = {"get": 2, "put": 3, "post": 4, "delete": 5, "options": 6, "head": 7, "patch": 8}


def path_item_msg(item):
    out = b""
    for method, field in sorted(PATH_ITEM_FIELDS.items(), key=lambda kv: kv[1]):
        if method in item:
            out += f_message(field, operation_msg(item[method]))
    for p in item.get("parameters", []):
        out += f_message(9, parameter_msg(p))
    out += vendor_extensions(10, item)
    return out


def document_msg(doc):
    out = f_string(1, doc["swagger"])
    out += f_message(2, f_string(1, doc["info"]["title"]) + f_string(2, doc["info"]["version"]))
    paths = b"".join(f_message(2, f_string(1, name) + f_message(2, path_item_msg(item)))
                     for name, item in doc["paths"].items())
    out += f_message(8, paths)
    definitions = b"".join(f_message(1, f_string(1, name) + f_message(2, schema_msg(schema)))
                           for name, schema in doc["definitions"].items())
    out += f_message(9, definitions)
    for requirement in doc["security"]:
        entries = b"".join(f_message(1, f_string(1, name) + f_message(2, f_strings(1, scopes)))
                           for name, scopes in requirement.items())  # NamedStringArray{name, StringArray}
        out += f_message(12, entries)
    security_definitions = b""
    for name, definition in doc["securityDefinitions"].items():
        if definition["type"] != "apiKey":
            raise SystemExit("unsupported security definition type: " + definition["type"])
        api_key = (f_string(1, definition["type"]) + f_string(2, definition["name"]) + f_string(3, definition["in"]) +
                   f_string(4, definition.get("description")))
        item = f_message(2, api_key)  # SecurityDefinitionsItem.api_key_security
        security_definitions += f_message(1, f_string(1, name) + f_message(2, item))
    out += f_message(13, security_definitions)
    return out


# ---------------------------------------------------------------------------------------------------------------


def check_refs(doc):
    missing = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "$ref":
                    if not item.startswith(V2_PREFIX) or item[len(V2_PREFIX):] not in doc["definitions"]:
                        missing.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(doc["paths"])
    walk(doc["definitions"])
    if missing:
        raise SystemExit("unresolved $ref: %s" % sorted(missing))


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "schemas.json")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else HERE
    with open(source, encoding="utf-8") as f:
        v3 = json.load(f)
    security_definitions = {}
    for name, scheme in v3["securitySchemes"].items():
        security_definitions[name] = {"description": scheme["description"], "type": scheme["type"],
                                      "name": scheme["name"], "in": scheme["in"]}
    doc = {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": SERVED_VERSION},
        "paths": build_paths(v3["parameters"]),
        "definitions": {name: convert_definition(name, schema) for name, schema in sorted(v3["schemas"].items())},
        "securityDefinitions": security_definitions,
        "security": [{name: []} for name in security_definitions],
    }
    check_refs(doc)
    json_path = os.path.join(out_dir, "openapi-v2.json")
    pb_path = os.path.join(out_dir, "openapi-v2.pb")
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"), ensure_ascii=False)
    pb = document_msg(doc)
    with open(pb_path, "wb") as f:
        f.write(pb)
    print("wrote %s (%d bytes) and %s (%d bytes): %d paths, %d definitions" % (
        json_path, os.path.getsize(json_path), pb_path, len(pb), len(doc["paths"]), len(doc["definitions"])))


if __name__ == "__main__":
    main()
