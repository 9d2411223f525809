// SPDX-License-Identifier: Apache-2.0
#include "core/Result.h"

#include "core/KubeStatus.h"

namespace vk {

QString Error::reason() const
{
    return m_reason.isEmpty() ? kube::reasonForCategory(m_category) : m_reason;
}

Error& Error::setReason(QString reason)
{
    m_reason = std::move(reason);
    return *this;
}

int Error::httpCode() const
{
    return m_httpCode >= 0 ? m_httpCode : kube::httpCodeForCategory(m_category);
}

Error& Error::setHttpCode(int code)
{
    m_httpCode = code;
    return *this;
}

Error& Error::setDetails(QString name, QString kind, QString group)
{
    m_detailName = std::move(name);
    m_detailKind = std::move(kind);
    m_detailGroup = std::move(group);
    return *this;
}

Error& Error::addCause(ErrorCause cause)
{
    m_causes.append(std::move(cause));
    return *this;
}

Error& Error::setRetryAfterSeconds(int seconds)
{
    m_retryAfterSeconds = seconds;
    return *this;
}

bool Error::isRetryable() const
{
    switch (m_category) {
    case ErrorCategory::TooManyRequests:
    case ErrorCategory::ServiceUnavailable:
    case ErrorCategory::Timeout:
    case ErrorCategory::Network:
        return true;
    case ErrorCategory::Internal:
        // A 500 from a server may be transient; a local bug (no HTTP code) is not.
        return httpCode() >= 500;
    default:
        return false;
    }
}

Error& Error::prefix(const QString& context)
{
    m_message = context + QStringLiteral(": ") + m_message;
    return *this;
}

QString Error::toString() const
{
    return reason() + QStringLiteral(": ") + m_message;
}

} // namespace vk
