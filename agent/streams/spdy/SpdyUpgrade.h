// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>

class QTcpSocket;

namespace vk::http {
class HttpResponder;
struct HttpRequest;
} // namespace vk::http

namespace vk::streams::spdy {

/// X-Stream-Protocol-Version values the exec/attach handler speaks, best first.
QList<QByteArray> remoteCommandProtocols();
/// X-Stream-Protocol-Version values the port-forward handler speaks.
QList<QByteArray> portForwardProtocols();

/// The client's X-Stream-Protocol-Version values in order (repeated headers and comma-separated lists).
QList<QByteArray> clientProtocols(const http::HttpRequest& request);
/// The first client protocol the server supports (client preference, as httpstream.Handshake); empty if none.
QByteArray negotiateProtocol(const QList<QByteArray>& client, const QList<QByteArray>& server);

/// The kubelet's handshake: answers 400 when the client named no protocol and 403 (with
/// X-Accepted-Stream-Protocol-Versions) when none matches, each with the kubelet's text; otherwise takes the
/// socket, writes "101 Switching Protocols" with Upgrade: SPDY/3.1 and the chosen X-Stream-Protocol-Version, and
/// returns the socket (the caller owns it) with the SPDY bytes already received in *early.
QTcpSocket* upgradeToSpdy(const http::HttpRequest& request,
                          http::HttpResponder* responder,
                          const QList<QByteArray>& supported,
                          QByteArray* chosen,
                          QByteArray* early);

/// metav1.Status JSON bodies the kubelet writes on the error stream (v4+), byte-compatible with Go's encoding.
namespace status {
QByteArray success();
/// "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3"
QByteArray nonZeroExit(const QStringList& command, int exitCode);
QByteArray internalError(const QString& message);
/// The text v1-v3 clients get for the same failures (nothing for success).
QString nonZeroExitText(const QStringList& command, int exitCode);
QString internalErrorText(const QString& message);
} // namespace status

} // namespace vk::streams::spdy
