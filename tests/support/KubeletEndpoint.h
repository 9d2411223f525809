// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "kube/GroupVersionResource.h"

#include <QJsonObject>
#include <QSslCertificate>
#include <QString>

#include <functional>

namespace vk::http {
class HttpServer;
class HttpResponder;
struct HttpRequest;
} // namespace vk::http
namespace vk::kube {
class ApiClient;
}
namespace vk::provider {
class Provider;
}

// What the kubelet-facing integration tests share: a kubelet endpoint on 127.0.0.1 (TLS as the real one: a
// self-signed serving certificate, client certificates from the sandbox CA), the v1.Node that points the sandbox's
// node proxy at it, and ApiClient calls waited for with the event loop running (the sandbox serves on this thread).
namespace vk::test {

/// Serving TLS for a kubelet stand-in on 127.0.0.1: a new self-signed certificate (CN nodeName, IP SAN 127.0.0.1,
/// server auth); client certificates are verified against `clientCa` (the API server's kubelet client is signed by
/// the sandbox CA). Call before listen(). An error message, empty on success.
QString configureKubeletTls(http::HttpServer& server,
                            const QSslCertificate& clientCa,
                            const QString& nodeName = QStringLiteral("vk-node"));

/// A v1.Node whose status sends the API server's node proxy to a kubelet on 127.0.0.1:port (status.addresses
/// InternalIP 127.0.0.1 and status.daemonEndpoints.kubeletEndpoint.Port). `base` (e.g. what a provider's
/// configureNode() filled in) is kept; its metadata.name is set to nodeName.
QJsonObject kubeletNode(const QString& nodeName, quint16 port, QJsonObject base = {});

class SandboxFixture;

/// The stand-in "fake node + kubelet endpoint" of the streaming tests: `server` gets the kubelet TLS
/// (configureKubeletTls, client CA = the sandbox CA) and `handler`, listens on 127.0.0.1 (any port), and the node
/// `nodeName` pointing at it is created in the sandbox (its lifecycle grace period raised so it never turns Unknown
/// during a test). Returns the port, or an error.
Result<quint16> startKubeletStandIn(SandboxFixture& fixture,
                                    http::HttpServer& server,
                                    std::function<void(const http::HttpRequest&, http::HttpResponder*)> handler,
                                    const QString& nodeName = QStringLiteral("vk-node"));

/// A minimal v1.Pod in `default` bound to `nodeName` (spec.nodeName set, as the streaming tests need no
/// scheduler): one container "main" (busybox) exposing `containerPort` when it is not 0.
QJsonObject podOnNode(const QString& name, const QString& nodeName, int containerPort = 0);

/// Writes a PEM file (e.g. the sandbox CA for a kubelet's clientCaPath); an error message, empty on success.
QString writePemFile(const QString& path, const QByteArray& pem);

/// client.create(), waited for with the event loop running; the created object or the error.
Result<QJsonObject> createAndWait(kube::ApiClient& client,
                                  const kube::GroupVersionResource& gvr,
                                  const QString& namespaceName,
                                  const QJsonObject& object,
                                  int timeoutMs = 10'000);
/// client.updateStatus() (PUT .../status), waited for likewise.
Result<QJsonObject> updateStatusAndWait(kube::ApiClient& client,
                                        const kube::GroupVersionResource& gvr,
                                        const QString& namespaceName,
                                        const QJsonObject& object,
                                        int timeoutMs = 10'000);

/// A pod as a virtual node runs it: creates `pod` in the API, hands the created object to the provider
/// (createPod), waits until `providerPod()` (the provider's view of it) reports phase Running and publishes that
/// status with PUT pods/status, as the pod controller would (kubectl port-forward and exec want a Running pod).
/// Returns the pod as the API stored it last.
Result<QJsonObject> runPod(kube::ApiClient& client,
                           provider::Provider& provider,
                           const QJsonObject& pod,
                           const std::function<QJsonObject()>& providerPod,
                           int timeoutMs = 10'000);

} // namespace vk::test
