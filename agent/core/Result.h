// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace vk {

/// What kind of failure an Error is. Modelled on Kubernetes' metav1.StatusReason, plus the client-side
/// categories (Network, Internal) an API server never sends. KubeStatus.h maps these to and from HTTP.
enum class ErrorCategory
{
    BadRequest,            ///< 400: malformed request or body
    Unauthorized,          ///< 401: no or bad credentials
    Forbidden,             ///< 403: authenticated but not allowed
    NotFound,              ///< 404
    MethodNotAllowed,      ///< 405
    NotAcceptable,         ///< 406
    AlreadyExists,         ///< 409 with reason AlreadyExists
    Conflict,              ///< 409: stale resourceVersion or failed precondition
    Gone,                  ///< 410: resourceVersion too old (reason Expired or Gone)
    RequestEntityTooLarge, ///< 413
    UnsupportedMediaType,  ///< 415
    Invalid,               ///< 422: failed validation, with field causes
    TooManyRequests,       ///< 429: retry after retryAfterSeconds
    Internal,              ///< 500 from the server, or a bug on our side
    ServiceUnavailable,    ///< 503
    Timeout,               ///< 504 or a client-side deadline
    Network,               ///< the request never got an HTTP answer (refused, reset, TLS failure)
    InvalidInput,          ///< a local input (file, flag, config) is wrong; never sent over HTTP
    Unsupported,           ///< the operation is not implemented by this component
};

/// One field-level reason for an Invalid error, as metav1.StatusCause.
struct ErrorCause
{
    QString reason;  ///< e.g. FieldValueInvalid, FieldValueRequired
    QString message; ///< e.g. Required value
    QString field;   ///< e.g. spec.containers[0].image

    bool operator==(const ErrorCause&) const = default;
};

/// A failure with a category, a human message and, when it came from or goes to an API server, the details
/// of a metav1.Status.
class Error
{
public:
    Error() = default;
    Error(ErrorCategory category, QString message) : m_category(category), m_message(std::move(message)) {}

    ErrorCategory category() const { return m_category; }
    const QString& message() const { return m_message; }

    /// metav1.Status reason (e.g. "NotFound", "Expired"); empty means "derived from the category".
    QString reason() const;
    Error& setReason(QString reason);

    /// HTTP status code of the failure; 0 when it never had one (Network, InvalidInput).
    int httpCode() const;
    Error& setHttpCode(int code);

    /// metav1.StatusDetails
    const QString& detailName() const { return m_detailName; }
    const QString& detailGroup() const { return m_detailGroup; }
    const QString& detailKind() const { return m_detailKind; }
    Error& setDetails(QString name, QString kind, QString group = {});

    const QList<ErrorCause>& causes() const { return m_causes; }
    Error& addCause(ErrorCause cause);

    /// Seconds the server asked us to wait (Retry-After or details.retryAfterSeconds); 0 when none.
    int retryAfterSeconds() const { return m_retryAfterSeconds; }
    Error& setRetryAfterSeconds(int seconds);

    /// Whether retrying the same request may succeed (429, 5xx, timeouts, network failures).
    bool isRetryable() const;

    /// Prefix the message with context, e.g. "reading /root/.kube/config: ".
    Error& prefix(const QString& context);

    /// "NotFound: pods \"x\" not found"
    QString toString() const;

    static Error notFound(QString message) { return {ErrorCategory::NotFound, std::move(message)}; }
    static Error invalidInput(QString message) { return {ErrorCategory::InvalidInput, std::move(message)}; }
    static Error badRequest(QString message) { return {ErrorCategory::BadRequest, std::move(message)}; }
    static Error conflict(QString message) { return {ErrorCategory::Conflict, std::move(message)}; }
    static Error internal(QString message) { return {ErrorCategory::Internal, std::move(message)}; }
    static Error network(QString message) { return {ErrorCategory::Network, std::move(message)}; }

private:
    ErrorCategory m_category = ErrorCategory::Internal;
    QString m_message;
    QString m_reason;
    int m_httpCode = -1; // -1: derive from the category
    QString m_detailName;
    QString m_detailKind;
    QString m_detailGroup;
    QList<ErrorCause> m_causes;
    int m_retryAfterSeconds = 0;
};

/// Either a value or an Error. Used for every fallible call across library boundaries instead of exceptions.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T valueOr(T fallback) const { return ok() ? std::get<0>(m_data) : std::move(fallback); }

    const Error& error() const { return std::get<1>(m_data); }
    Error& error() { return std::get<1>(m_data); }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }
    Error& error() { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace vk
