// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "provider/Provider.h"

#include <functional>

namespace vk::http {
class HttpResponder;
struct HttpRequest;
} // namespace vk::http

// The contract between the kubelet server's routes and the two streaming transports kubectl uses: SPDY/3.1
// (agent/streams/spdy) and WebSocket channel protocols (agent/streams/websocket). A route parses the request
// (/exec, /attach, /portForward), then hands the upgrade to whichever transport the client asked for.
namespace vk::streams {

/// Creates the provider's session once the transport knows which streams the client opened.
using ExecSessionFactory =
    std::function<Result<provider::ExecSession*>(const provider::ExecRequest& request, QObject* parent)>;
/// Opens one forwarded connection to a pod port.
using PortForwardFactory = std::function<Result<provider::PortForwardStream*>(quint16 port, QObject* parent)>;

struct StreamOptions
{
    qint64 idleTimeoutMs = 30'000;     ///< --stream-idle-timeout: close a connection idle this long
    qint64 creationTimeoutMs = 30'000; ///< --stream-creation-timeout: the client must open its streams within this
};

/// "SPDY/3.1" upgrade requests (kubectl with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false, and kube-apiserver ≥ 1.30
/// translating kubectl's WebSocket into SPDY towards the kubelet).
bool isSpdyUpgrade(const http::HttpRequest& request);
/// "websocket" upgrade requests (kubectl ≥ 1.30 towards the API server; API servers that pass them through).
bool isWebSocketUpgrade(const http::HttpRequest& request);

/// Exec or attach over SPDY/3.1: negotiates X-Stream-Protocol-Version (v5, v4, v3, v2, channel.k8s.io), answers
/// 101, accepts the client's streams (error, stdin, stdout, stderr, resize per the streamType header), runs the
/// session, forwards resize events (v3+), and reports the exit: v1/v2 via the error stream text, v4+ as a
/// metav1.Status JSON ("NonZeroExitCode" with an ExitCode cause, as the kubelet writes). `base` carries namespace,
/// pod, container, command and tty from the URL; the stream flags are taken from what the client opened.
void serveSpdyRemoteCommand(const http::HttpRequest& request, http::HttpResponder* responder,
                            provider::ExecRequest base, ExecSessionFactory factory, StreamOptions options);
/// Port-forward over SPDY/3.1 (portforward.k8s.io): per requestID a data and an error stream for the port in the
/// stream's "port" header.
void serveSpdyPortForward(const http::HttpRequest& request, http::HttpResponder* responder,
                          PortForwardFactory factory, StreamOptions options);

/// Exec or attach over WebSocket: subprotocols v5.channel.k8s.io, v4.channel.k8s.io, v3/v2/v1 channel.k8s.io and
/// base64.channel.k8s.io; channel 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize; v5 adds the close
/// signal (channel 255). Stream flags come from the query (stdin, stdout, stderr, tty).
void serveWebSocketRemoteCommand(const http::HttpRequest& request, http::HttpResponder* responder,
                                 provider::ExecRequest base, ExecSessionFactory factory, StreamOptions options);
/// Port-forward over WebSocket (v4.channel.k8s.io / portforward.k8s.io): for each port in ?ports=, a data channel
/// 2i and an error channel 2i+1, each starting with the 2-byte little-endian port.
void serveWebSocketPortForward(const http::HttpRequest& request, http::HttpResponder* responder,
                               PortForwardFactory factory, StreamOptions options);

/// kubectl ≥ 1.30 port-forward over WebSocket (KEP-4006) tunnels SPDY/3.1 in binary messages, subprotocol
/// "SPDY/3.1+portforward.k8s.io". True for a WebSocket upgrade offering such a tunnel (serveWebSocketPortForward
/// refuses those with 403, after which kubectl falls back to plain SPDY).
bool isWebSocketSpdyTunnel(const http::HttpRequest& request);
/// Accepts the tunnel and hands the SPDY session inside it to `spdyHandler` as an ordinary "Upgrade: SPDY/3.1"
/// request for the same target (X-Stream-Protocol-Version: the tunnelled protocols), e.g. a handler calling
/// serveSpdyPortForward. The session runs over a private loopback connection to an in-process bridge server.
void serveWebSocketSpdyTunnel(const http::HttpRequest& request, http::HttpResponder* responder,
                              std::function<void(const http::HttpRequest&, http::HttpResponder*)> spdyHandler);

} // namespace vk::streams
