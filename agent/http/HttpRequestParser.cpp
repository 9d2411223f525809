// SPDX-License-Identifier: Apache-2.0
#include "http/HttpRequestParser.h"

#include <http_parser.h>

#include <QUrl>

#include <climits>
#include <cstring>

namespace vk::http {

namespace {

// The header limit is ours (Limits::maxHeaderBytes); libhttp-parser's compiled-in 80 KiB limit is lifted once.
void liftLibraryHeaderLimit()
{
    static const bool done = [] {
        http_parser_set_max_header_size(0x7fffffff);
        return true;
    }();
    Q_UNUSED(done);
}

constexpr qsizetype kHeaderTerminatorBytes = 4; // the CRLF CRLF after the last header line

QByteArray trimmedValue(QByteArray value)
{
    qsizetype end = value.size();
    while (end > 0 && (value.at(end - 1) == ' ' || value.at(end - 1) == '\t'))
        --end;
    if (end != value.size())
        value.truncate(end);
    return value;
}

// Fills path and query from target: origin-form "/p?q", absolute-form "http://h/p?q", or anything else verbatim.
void splitTarget(HttpRequest& request)
{
    QByteArrayView target(request.target);
    if (!target.startsWith('/')) {
        const qsizetype scheme = target.indexOf(QByteArrayView("://"));
        if (scheme > 0) {
            const qsizetype slash = target.indexOf('/', scheme + 3);
            target = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
        }
    }
    const qsizetype hash = target.indexOf('#');
    if (hash >= 0)
        target.truncate(hash);
    const qsizetype questionMark = target.indexOf('?');
    const QByteArrayView rawPath = questionMark < 0 ? target : target.first(questionMark);
    if (rawPath.contains('%'))
        request.path = QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath.toByteArray()));
    else
        request.path = QString::fromUtf8(rawPath);
    if (questionMark >= 0 && questionMark + 1 < target.size()) {
        QByteArray rawQuery = target.sliced(questionMark + 1).toByteArray();
        // Go clients (kubectl) encode a space as '+' in query strings; QUrlQuery would keep it literally.
        if (rawQuery.contains('+'))
            rawQuery.replace('+', QByteArrayView("%20"));
        request.query.setQuery(QString::fromUtf8(rawQuery));
    }
}

} // namespace

struct HttpRequestParser::Private
{
    http_parser parser{};
    http_parser_settings settings{};
    Limits limits;
    State state = State::Idle;
    HttpRequest request;

    QByteArray field;
    QByteArray value;
    bool inValue = false;

    qsizetype headBytesBefore = 0;    // head bytes consumed by earlier parse() calls
    const char* chunkStart = nullptr; // start of the data given to the running parse() call
    const char* headDataEnd = nullptr;

    bool keepAlive = true;
    bool upgrade = false;
    bool head = false;
    bool continueExpected = false;
    int httpMajor = 1;
    int httpMinor = 1;

    int errorStatus = 0;
    Error error;

    Private()
    {
        liftLibraryHeaderLimit();
        http_parser_settings_init(&settings);
        settings.on_message_begin = &onMessageBegin;
        settings.on_url = &onUrl;
        settings.on_header_field = &onHeaderField;
        settings.on_header_value = &onHeaderValue;
        settings.on_headers_complete = &onHeadersComplete;
        settings.on_body = &onBody;
        settings.on_chunk_header = &onChunkHeader;
        settings.on_message_complete = &onMessageComplete;
        resetParser();
    }

    void resetParser()
    {
        http_parser_init(&parser, HTTP_REQUEST);
        parser.data = this;
    }

    void clearMessage()
    {
        request = HttpRequest();
        field.clear();
        value.clear();
        inValue = false;
        headBytesBefore = 0;
        continueExpected = false;
        state = State::Idle;
    }

    static Private* self(http_parser* p) { return static_cast<Private*>(p->data); }

    int fail(int status, Error err)
    {
        errorStatus = status;
        error = std::move(err.setHttpCode(status));
        state = State::Failed;
        return -1;
    }

    int failHeaderTooLarge()
    {
        return fail(431, Error(ErrorCategory::BadRequest,
                               QStringLiteral("request header fields too large: the request line and headers "
                                              "exceed %1 bytes")
                                   .arg(limits.maxHeaderBytes))
                             .setReason(QStringLiteral("RequestHeaderFieldsTooLarge")));
    }

    int failBodyTooLarge()
    {
        return fail(413, Error(ErrorCategory::RequestEntityTooLarge,
                               QStringLiteral("Request entity too large: limit is %1").arg(limits.maxBodyBytes)));
    }

    // Counts head bytes up to `end` (inside the running chunk); fails when over the limit.
    int checkHead(const char* end)
    {
        headDataEnd = end;
        if (headBytesBefore + (end - chunkStart) > limits.maxHeaderBytes)
            return failHeaderTooLarge();
        return 0;
    }

    void finishHeader()
    {
        if (field.isEmpty() && value.isEmpty())
            return;
        request.headers.append({std::move(field).toLower(), trimmedValue(std::move(value))});
        field = QByteArray();
        value = QByteArray();
        inValue = false;
    }

    static int onMessageBegin(http_parser* p)
    {
        Private* d = self(p);
        d->state = State::Head;
        d->keepAlive = true;
        d->upgrade = false;
        d->head = false;
        return 0;
    }

    static int onUrl(http_parser* p, const char* at, size_t length)
    {
        Private* d = self(p);
        if (d->checkHead(at + length) != 0)
            return -1;
        d->request.target.append(at, qsizetype(length));
        return 0;
    }

    static int onHeaderField(http_parser* p, const char* at, size_t length)
    {
        Private* d = self(p);
        if (d->checkHead(at + length) != 0)
            return -1;
        if (d->inValue)
            d->finishHeader();
        d->field.append(at, qsizetype(length));
        return 0;
    }

    static int onHeaderValue(http_parser* p, const char* at, size_t length)
    {
        Private* d = self(p);
        if (d->checkHead(at + length) != 0)
            return -1;
        d->inValue = true;
        d->value.append(at, qsizetype(length));
        return 0;
    }

    static int onHeadersComplete(http_parser* p)
    {
        Private* d = self(p);
        if (d->inValue || !d->field.isEmpty())
            d->finishHeader();
        const qsizetype headBytes =
            d->headBytesBefore + (d->headDataEnd ? d->headDataEnd - d->chunkStart : 0) + kHeaderTerminatorBytes;
        if (headBytes > d->limits.maxHeaderBytes)
            return d->failHeaderTooLarge();

        if (p->http_major != 1)
            return d->fail(400,
                           Error::badRequest(
                               QStringLiteral("unsupported HTTP version %1.%2").arg(p->http_major).arg(p->http_minor)));

        HttpRequest& r = d->request;
        const char* method = http_method_str(static_cast<http_method>(p->method));
        r.method = QByteArray::fromRawData(method, qsizetype(std::strlen(method)));
        d->httpMajor = p->http_major;
        d->httpMinor = p->http_minor;
        d->keepAlive = http_should_keep_alive(p) != 0;
        d->upgrade = p->upgrade != 0;
        d->head = p->method == HTTP_HEAD;
        splitTarget(r);

        const bool hasLength = p->content_length != ULLONG_MAX;
        if (hasLength && p->content_length > quint64(d->limits.maxBodyBytes))
            return d->failBodyTooLarge();
        const bool chunked = (p->flags & F_CHUNKED) != 0;
        const bool bodyFollows = chunked || (hasLength && p->content_length > 0);
        if (hasLength && p->content_length > 0 && !chunked)
            r.body.reserve(qsizetype(p->content_length));
        if (bodyFollows && r.header("expect").compare(QByteArrayView("100-continue"), Qt::CaseInsensitive) == 0)
            d->continueExpected = true;
        d->state = State::Body;
        return 0;
    }

    static int onChunkHeader(http_parser* p)
    {
        Private* d = self(p);
        // p->content_length is the size of the chunk that follows.
        if (p->content_length > quint64(d->limits.maxBodyBytes) ||
            d->request.body.size() + qsizetype(p->content_length) > d->limits.maxBodyBytes)
            return d->failBodyTooLarge();
        return 0;
    }

    static int onBody(http_parser* p, const char* at, size_t length)
    {
        Private* d = self(p);
        if (d->request.body.size() + qsizetype(length) > d->limits.maxBodyBytes)
            return d->failBodyTooLarge();
        d->request.body.append(at, qsizetype(length));
        return 0;
    }

    static int onMessageComplete(http_parser* p)
    {
        Private* d = self(p);
        d->state = State::Complete;
        d->continueExpected = false;
        // Stop right after this request: the caller handles requests one at a time.
        http_parser_pause(p, 1);
        return 0;
    }
};

HttpRequestParser::HttpRequestParser() : d(std::make_unique<Private>()) {}

HttpRequestParser::HttpRequestParser(Limits limits) : d(std::make_unique<Private>())
{
    d->limits = limits;
}

HttpRequestParser::~HttpRequestParser() = default;

void HttpRequestParser::setLimits(const Limits& limits)
{
    d->limits = limits;
}

const HttpRequestParser::Limits& HttpRequestParser::limits() const
{
    return d->limits;
}

qsizetype HttpRequestParser::parse(QByteArrayView data)
{
    if (d->state == State::Complete || d->state == State::Failed || data.isEmpty())
        return 0;
    d->chunkStart = data.data();
    d->headDataEnd = nullptr;
    const size_t consumed = http_parser_execute(&d->parser, &d->settings, data.data(), size_t(data.size()));
    const auto err = HTTP_PARSER_ERRNO(&d->parser);
    d->chunkStart = nullptr;
    d->headDataEnd = nullptr;

    if (d->state == State::Failed) // a limit our callbacks enforce
        return qsizetype(consumed);
    if (err == HPE_PAUSED) {
        http_parser_pause(&d->parser, 0);
    } else if (err != HPE_OK) {
        if (err == HPE_HEADER_OVERFLOW) {
            d->failHeaderTooLarge();
        } else {
            d->fail(400, Error::badRequest(QStringLiteral("malformed HTTP request: %1")
                                               .arg(QString::fromLatin1(http_errno_description(err)))));
        }
        return qsizetype(consumed);
    } else if (d->state != State::Complete && consumed < size_t(data.size())) {
        // The library stops early only for an upgrade (handled as Complete) or an error.
        d->fail(400, Error::badRequest(QStringLiteral("malformed HTTP request")));
        return qsizetype(consumed);
    }
    if (d->state == State::Head) {
        d->headBytesBefore += qsizetype(consumed);
        if (d->headBytesBefore > d->limits.maxHeaderBytes)
            d->failHeaderTooLarge();
    }
    return qsizetype(consumed);
}

HttpRequestParser::State HttpRequestParser::state() const
{
    return d->state;
}

const HttpRequest& HttpRequestParser::request() const
{
    return d->request;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(d->request);
    d->clearMessage();
    return request;
}

bool HttpRequestParser::keepAlive() const
{
    return d->keepAlive;
}

bool HttpRequestParser::isUpgrade() const
{
    return d->upgrade;
}

bool HttpRequestParser::isHead() const
{
    return d->head;
}

int HttpRequestParser::httpMajor() const
{
    return d->httpMajor;
}

int HttpRequestParser::httpMinor() const
{
    return d->httpMinor;
}

bool HttpRequestParser::takeContinueExpected()
{
    const bool expected = d->continueExpected && d->state == State::Body;
    d->continueExpected = false;
    return expected;
}

int HttpRequestParser::errorStatus() const
{
    return d->errorStatus;
}

const Error& HttpRequestParser::error() const
{
    return d->error;
}

void HttpRequestParser::reset()
{
    d->clearMessage();
    d->errorStatus = 0;
    d->error = Error();
    d->keepAlive = true;
    d->upgrade = false;
    d->head = false;
    d->resetParser();
}

} // namespace vk::http
