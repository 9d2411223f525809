// SPDX-License-Identifier: Apache-2.0
#include "http/HttpConnection.h"
#include "http/Logging.h"
#include "http/ResponseHead.h"

#include <QTcpSocket>

namespace vk::http {

namespace {

bool statusHasBody(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

} // namespace

HttpResponder::HttpResponder(QObject* parent) : QObject(parent), d(std::make_unique<Private>()) {}

HttpResponder::~HttpResponder() = default;

void HttpResponder::respond(int status, const QByteArray& contentType, const QByteArray& body, const HeaderList& extra)
{
    if (d->started || d->finished) {
        if (!d->disconnected)
            qCWarning(lcHttp) << "HttpResponder::respond(" << status
                              << ") ignored: this response was already started or finished";
        return;
    }
    if (!isConnected())
        return;
    d->started = true;
    d->finished = true;
    d->closeAfter = !d->keepAlive || d->upgrade || detail::asksToClose(extra);
    const auto connection = d->closeAfter ? detail::ConnectionHeader::Close
                            : d->http10   ? detail::ConnectionHeader::KeepAlive
                                          : detail::ConnectionHeader::None;
    const bool withBody = statusHasBody(status);
    QByteArray head = detail::responseHead(status, contentType, extra, withBody ? body.size() : -1, false, connection);
    HttpConnection* c = d->connection;
    if (d->head || !withBody || body.isEmpty()) {
        c->write(head);
    } else if (body.size() <= 16 * 1024) {
        head.append(body);
        c->write(head);
    } else {
        c->write(head);
        c->write(body);
    }
    c->responseComplete(this, d->closeAfter);
}

void HttpResponder::beginStream(int status, const QByteArray& contentType, const HeaderList& extra)
{
    if (d->started || d->finished) {
        if (!d->disconnected)
            qCWarning(lcHttp) << "HttpResponder::beginStream(" << status
                              << ") ignored: this response was already started or finished";
        return;
    }
    if (!isConnected())
        return;
    d->started = true;
    // An HTTP/1.0 client gets the raw stream and the end of the connection as its end.
    d->chunked = !d->http10;
    d->closeAfter = d->http10 || !d->keepAlive || d->upgrade || detail::asksToClose(extra);
    const auto connection = d->closeAfter ? detail::ConnectionHeader::Close : detail::ConnectionHeader::None;
    d->connection->write(detail::responseHead(status, contentType, extra, -1, d->chunked, connection));
}

bool HttpResponder::writeChunk(const QByteArray& data)
{
    if (!d->started || d->finished || !isConnected())
        return false;
    if (data.isEmpty() || d->head)
        return true; // an empty chunk would end the stream
    if (!d->chunked) {
        d->connection->write(data);
        return true;
    }
    QByteArray framed;
    framed.reserve(data.size() + 20);
    framed.append(QByteArray::number(data.size(), 16));
    framed.append("\r\n", 2);
    framed.append(data);
    framed.append("\r\n", 2);
    d->connection->write(framed);
    return true;
}

void HttpResponder::endStream()
{
    if (!d->started || d->finished || !isConnected())
        return;
    d->finished = true;
    if (d->chunked && !d->head)
        d->connection->write(QByteArrayLiteral("0\r\n\r\n"));
    d->connection->responseComplete(this, d->closeAfter);
}

qint64 HttpResponder::pendingBytes() const
{
    return d->connection && !d->disconnected ? d->connection->pendingBytes() : 0;
}

bool HttpResponder::isConnected() const
{
    return !d->disconnected && d->connection && d->connection->isWritable();
}

bool HttpResponder::hasStarted() const
{
    return d->started;
}

bool HttpResponder::isFinished() const
{
    return d->finished;
}

QTcpSocket* HttpResponder::takeSocket(bool rewindToRequestStart, QByteArray* alreadyReceived)
{
    if (d->finished || !d->connection) {
        qCWarning(lcHttp) << "HttpResponder::takeSocket() ignored: the response is finished or the connection gone";
        return nullptr;
    }
    HttpConnection* c = d->connection;
    d->finished = true;
    d->connection = nullptr;
    QTcpSocket* socket = c->takeSocket(this, rewindToRequestStart, alreadyReceived);
    if (!socket)
        d->disconnected = true;
    return socket;
}

} // namespace vk::http
