// SPDX-License-Identifier: Apache-2.0
#include "http/ResponseHead.h"

#include <QDateTime>

namespace vk::http {

namespace {

void appendHeader(QByteArray& out, QByteArrayView name, QByteArrayView value)
{
    out.append(name);
    out.append(": ", 2);
    out.append(value);
    out.append("\r\n", 2);
}

void appendTwoDigits(QByteArray& out, int value)
{
    out.append(char('0' + (value / 10) % 10));
    out.append(char('0' + value % 10));
}

} // namespace

QByteArray httpDate(const QDateTime& time)
{
    static const char* const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    if (!date.isValid())
        return {};
    QByteArray out;
    out.reserve(29);
    out.append(days[date.dayOfWeek() - 1]);
    out.append(", ", 2);
    appendTwoDigits(out, date.day());
    out.append(' ');
    out.append(months[date.month() - 1]);
    out.append(' ');
    out.append(QByteArray::number(date.year()));
    out.append(' ');
    appendTwoDigits(out, clock.hour());
    out.append(':');
    appendTwoDigits(out, clock.minute());
    out.append(':');
    appendTwoDigits(out, clock.second());
    out.append(" GMT", 4);
    return out;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return QByteArrayLiteral("Continue");
    case 101:
        return QByteArrayLiteral("Switching Protocols");
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 202:
        return QByteArrayLiteral("Accepted");
    case 204:
        return QByteArrayLiteral("No Content");
    case 206:
        return QByteArrayLiteral("Partial Content");
    case 301:
        return QByteArrayLiteral("Moved Permanently");
    case 302:
        return QByteArrayLiteral("Found");
    case 304:
        return QByteArrayLiteral("Not Modified");
    case 307:
        return QByteArrayLiteral("Temporary Redirect");
    case 308:
        return QByteArrayLiteral("Permanent Redirect");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 406:
        return QByteArrayLiteral("Not Acceptable");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 409:
        return QByteArrayLiteral("Conflict");
    case 410:
        return QByteArrayLiteral("Gone");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 412:
        return QByteArrayLiteral("Precondition Failed");
    case 413:
        return QByteArrayLiteral("Request Entity Too Large");
    case 414:
        return QByteArrayLiteral("Request URI Too Long");
    case 415:
        return QByteArrayLiteral("Unsupported Media Type");
    case 417:
        return QByteArrayLiteral("Expectation Failed");
    case 422:
        return QByteArrayLiteral("Unprocessable Entity");
    case 426:
        return QByteArrayLiteral("Upgrade Required");
    case 428:
        return QByteArrayLiteral("Precondition Required");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 501:
        return QByteArrayLiteral("Not Implemented");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    case 505:
        return QByteArrayLiteral("HTTP Version Not Supported");
    default:
        break;
    }
    if (status >= 100 && status < 200)
        return QByteArrayLiteral("Informational");
    if (status >= 200 && status < 300)
        return QByteArrayLiteral("OK");
    if (status >= 300 && status < 400)
        return QByteArrayLiteral("Redirection");
    if (status >= 400 && status < 500)
        return QByteArrayLiteral("Client Error");
    return QByteArrayLiteral("Server Error");
}

namespace detail {

QByteArray currentHttpDate()
{
    struct Cache
    {
        qint64 second = -1;
        QByteArray value;
    };
    thread_local Cache cache;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != cache.second) {
        cache.value = httpDate(QDateTime::fromSecsSinceEpoch(now, Qt::UTC));
        cache.second = now;
    }
    return cache.value;
}

bool asksToClose(const HeaderList& extra)
{
    for (const auto& [name, value] : extra) {
        if (name.compare(QByteArrayView("connection"), Qt::CaseInsensitive) == 0 &&
            value.trimmed().compare(QByteArrayView("close"), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray responseHead(int status,
                        const QByteArray& contentType,
                        const HeaderList& extra,
                        qint64 contentLength,
                        bool chunked,
                        ConnectionHeader connection)
{
    QByteArray out;
    qsizetype size = 160 + contentType.size();
    for (const auto& [name, value] : extra)
        size += name.size() + value.size() + 4;
    out.reserve(size);
    out.append("HTTP/1.1 ", 9);
    out.append(QByteArray::number(status));
    out.append(' ');
    out.append(reasonPhrase(status));
    out.append("\r\n", 2);
    appendHeader(out, "Date", currentHttpDate());
    if (!contentType.isEmpty())
        appendHeader(out, "Content-Type", contentType);
    for (const auto& [name, value] : extra) {
        if (name.compare(QByteArrayView("connection"), Qt::CaseInsensitive) == 0)
            continue; // decided below
        appendHeader(out, name, value);
    }
    if (chunked)
        appendHeader(out, "Transfer-Encoding", "chunked");
    else if (contentLength >= 0)
        appendHeader(out, "Content-Length", QByteArray::number(contentLength));
    if (connection == ConnectionHeader::Close)
        appendHeader(out, "Connection", "close");
    else if (connection == ConnectionHeader::KeepAlive)
        appendHeader(out, "Connection", "keep-alive");
    out.append("\r\n", 2);
    return out;
}

} // namespace detail

} // namespace vk::http
