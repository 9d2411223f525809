// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace vk::kube {

/// Names one REST resource of an API server (group "" is the core group) and builds its paths.
struct GroupVersionResource
{
    QString group;    ///< "" for the core group, e.g. "coordination.k8s.io"
    QString version;  ///< e.g. "v1"
    QString resource; ///< lower-case plural, e.g. "pods"
    bool namespaced = true;

    bool operator==(const GroupVersionResource&) const = default;

    /// "v1" or "group/version", as in an object's apiVersion.
    QString apiVersion() const;
    /// "/api/v1" for the core group, "/apis/{group}/{version}" otherwise.
    QString basePath() const;
    /// The REST path of the collection or of one object, percent-encoded:
    /// - namespaced, ns set: /api/v1/namespaces/{ns}/pods[/{name}[/{subresource}]]
    /// - namespaced, ns empty (all namespaces, lists and watches only): /api/v1/pods
    /// - cluster-scoped (ns ignored): /api/v1/nodes[/{name}[/{subresource}]]
    /// A subresource is only appended when name is set; it may contain '/' (e.g. "proxy/stats/summary").
    QString path(const QString& namespaceName = {}, const QString& name = {}, const QString& subresource = {}) const;
    /// "pods" or "leases.coordination.k8s.io", for messages.
    QString displayName() const;

    static GroupVersionResource pods();
    static GroupVersionResource nodes();
    static GroupVersionResource namespaces();
    static GroupVersionResource configMaps();
    static GroupVersionResource secrets();
    static GroupVersionResource services();
    static GroupVersionResource endpoints();
    static GroupVersionResource serviceAccounts();
    static GroupVersionResource persistentVolumeClaims();
    /// core/v1 events
    static GroupVersionResource events();
    /// events.k8s.io/v1 events
    static GroupVersionResource eventsV1();
    /// coordination.k8s.io/v1 leases
    static GroupVersionResource leases();
};

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
QString encodePathSegment(const QString& segment);

} // namespace vk::kube
