// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

// Decoding of Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf) into the JSON objects the
// JSON API would have received. kubectl's typed clients (create namespace/configmap/secret/serviceaccount/service/
// quota) send protobuf and never fall back to JSON on 415; the sandbox answers in JSON, so only decoding is needed.
namespace vk::api::protobuf {

/// The media type kubectl sends ("application/vnd.kubernetes.protobuf").
QByteArray mediaType();

/// True when a Content-Type header names the Kubernetes protobuf media type (parameters are ignored).
bool isProtobufContentType(const QByteArray& contentType);

/// True when the body starts with the Kubernetes protobuf magic "k8s\0".
bool isKubernetesProtobuf(const QByteArray& body);

/// Decodes a Kubernetes protobuf-encoded object (the "k8s\0" magic + runtime.Unknown envelope carrying
/// typeMeta{apiVersion, kind} and the raw message) into the JSON object the JSON API would have received, with
/// "apiVersion" and "kind" set. Go's JSON rules are followed: value fields with `omitempty` are dropped when zero,
/// pointer fields and fields without `omitempty` are kept even when zero, a zero metav1.Time is null, bytes are base64,
/// IntOrString is a number or a string, Quantity is its string.
///
/// Supported kinds: v1 Namespace, ConfigMap, Secret, ServiceAccount, Service, Pod, Event, Binding, ResourceQuota;
/// coordination.k8s.io/v1 Lease; policy/v1 Eviction; DeleteOptions (any apiVersion). Another kind: an
/// UnsupportedMediaType error naming its apiVersion and kind. Malformed bytes: BadRequest naming the field path where
/// decoding failed (e.g. "spec.ports[1].targetPort"). Unknown field numbers are skipped by wire type. Decoding is
/// bounded: nesting depth, lengths checked against the body, and a cap on the number of decoded values.
Result<QJsonObject> decodeObject(const QByteArray& body);

/// "apiVersion/kind" of every kind decodeObject() understands ("v1/Pod", "policy/v1/Eviction", "*/DeleteOptions").
QStringList supportedKinds();

} // namespace vk::api::protobuf
