// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"
#include "http/HttpServer.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace vk::http {

/// The glue between raw bytes and libhttp-parser, without a socket: feed it bytes as they arrive, in pieces of any
/// size, and it produces one HttpRequest at a time. It stops right after the end of each request, so the caller
/// decides when to go on (requests on a connection are handled in order) and what the remaining bytes are (the next
/// request, or after an upgrade request the bytes of the new protocol).
///
/// Limits: a header section above maxHeaderBytes fails with 431, a body above maxBodyBytes with 413 (a too large
/// Content-Length is refused before any body byte arrives; chunked bodies are counted), anything malformed with 400.
class HttpRequestParser
{
public:
    struct Limits
    {
        qsizetype maxHeaderBytes = 1 << 20;
        qsizetype maxBodyBytes = 3 * 1024 * 1024;
    };

    enum class State
    {
        Idle,     ///< no byte of the next request seen yet
        Head,     ///< inside the request line and headers
        Body,     ///< headers complete, body still arriving
        Complete, ///< a whole request is ready: takeRequest()
        Failed,   ///< malformed or too large: errorStatus(), error()
    };

    HttpRequestParser();
    explicit HttpRequestParser(Limits limits);
    ~HttpRequestParser();
    HttpRequestParser(const HttpRequestParser&) = delete;
    HttpRequestParser& operator=(const HttpRequestParser&) = delete;

    void setLimits(const Limits& limits);
    const Limits& limits() const;

    /// Parses bytes of the current request and returns how many were consumed. Stops after the last byte of a
    /// request (state() becomes Complete); bytes after it are not consumed. In state Complete or Failed nothing is
    /// consumed until takeRequest() or reset().
    qsizetype parse(QByteArrayView data);

    State state() const;
    bool isComplete() const { return state() == State::Complete; }
    bool hasFailed() const { return state() == State::Failed; }

    /// The request parsed so far (complete when state() is Complete); method, target, headers are set once the head
    /// is complete.
    const HttpRequest& request() const;
    /// Moves the complete request out and gets ready for the next one (state Idle).
    HttpRequest takeRequest();

    // About the current (or just completed) request:
    bool keepAlive() const; ///< whether the connection may stay open after it (HTTP/1.1 default, Connection:)
    bool isUpgrade() const; ///< "Connection: Upgrade" + "Upgrade:"; bytes after it belong to another protocol
    bool isHead() const;    ///< a HEAD request: the response has no body
    int httpMajor() const;
    int httpMinor() const;
    /// True once for a request whose head says "Expect: 100-continue" and whose body has not arrived yet: the server
    /// should answer "100 Continue" now.
    bool takeContinueExpected();

    /// When failed: 400, 413 or 431, and the error (with that HTTP code) for a metav1.Status body.
    int errorStatus() const;
    const Error& error() const;

    /// Forgets everything, including a failure.
    void reset();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace vk::http
