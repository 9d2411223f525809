// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/HttpServer.h"

#include <QByteArray>

// Builds the status line and headers of a response; shared by HttpResponder and the connection's error answers.
namespace vk::http::detail {

enum class ConnectionHeader
{
    None,
    KeepAlive,
    Close
};

/// "HTTP/1.1 <status> <reason>\r\nDate: ...\r\n[Content-Type]\r\n<extra>[Content-Length|Transfer-Encoding]
/// [Connection]\r\n\r\n". contentLength < 0 leaves Content-Length out.
QByteArray responseHead(int status,
                        const QByteArray& contentType,
                        const HeaderList& extra,
                        qint64 contentLength,
                        bool chunked,
                        ConnectionHeader connection);

/// The current time as an HTTP date, formatted at most once per second per thread.
QByteArray currentHttpDate();

/// Whether extra headers ask to close the connection ("Connection: close").
bool asksToClose(const HeaderList& extra);

} // namespace vk::http::detail
