// SPDX-License-Identifier: Apache-2.0
#include "core/KubeStatus.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace vk::kube {

QString reasonForCategory(ErrorCategory category)
{
    switch (category) {
    case ErrorCategory::BadRequest:
        return QStringLiteral("BadRequest");
    case ErrorCategory::Unauthorized:
        return QStringLiteral("Unauthorized");
    case ErrorCategory::Forbidden:
        return QStringLiteral("Forbidden");
    case ErrorCategory::NotFound:
        return QStringLiteral("NotFound");
    case ErrorCategory::MethodNotAllowed:
        return QStringLiteral("MethodNotAllowed");
    case ErrorCategory::NotAcceptable:
        return QStringLiteral("NotAcceptable");
    case ErrorCategory::AlreadyExists:
        return QStringLiteral("AlreadyExists");
    case ErrorCategory::Conflict:
        return QStringLiteral("Conflict");
    case ErrorCategory::Gone:
        return QStringLiteral("Gone");
    case ErrorCategory::RequestEntityTooLarge:
        return QStringLiteral("RequestEntityTooLarge");
    case ErrorCategory::UnsupportedMediaType:
        return QStringLiteral("UnsupportedMediaType");
    case ErrorCategory::Invalid:
        return QStringLiteral("Invalid");
    case ErrorCategory::TooManyRequests:
        return QStringLiteral("TooManyRequests");
    case ErrorCategory::Internal:
        return QStringLiteral("InternalError");
    case ErrorCategory::ServiceUnavailable:
        return QStringLiteral("ServiceUnavailable");
    case ErrorCategory::Timeout:
        return QStringLiteral("Timeout");
    case ErrorCategory::Network:
        return QStringLiteral("NetworkError");
    case ErrorCategory::InvalidInput:
        return QStringLiteral("InvalidInput");
    case ErrorCategory::Unsupported:
        return QStringLiteral("NotImplemented");
    }
    return QStringLiteral("Unknown");
}

int httpCodeForCategory(ErrorCategory category)
{
    switch (category) {
    case ErrorCategory::BadRequest:
        return 400;
    case ErrorCategory::Unauthorized:
        return 401;
    case ErrorCategory::Forbidden:
        return 403;
    case ErrorCategory::NotFound:
        return 404;
    case ErrorCategory::MethodNotAllowed:
        return 405;
    case ErrorCategory::NotAcceptable:
        return 406;
    case ErrorCategory::AlreadyExists:
        return 409;
    case ErrorCategory::Conflict:
        return 409;
    case ErrorCategory::Gone:
        return 410;
    case ErrorCategory::RequestEntityTooLarge:
        return 413;
    case ErrorCategory::UnsupportedMediaType:
        return 415;
    case ErrorCategory::Invalid:
        return 422;
    case ErrorCategory::TooManyRequests:
        return 429;
    case ErrorCategory::Internal:
        return 500;
    case ErrorCategory::Unsupported:
        return 501;
    case ErrorCategory::ServiceUnavailable:
        return 503;
    case ErrorCategory::Timeout:
        return 504;
    case ErrorCategory::Network:
        return 0;
    case ErrorCategory::InvalidInput:
        return 0;
    }
    return 500;
}

ErrorCategory categoryForHttp(int httpCode, const QString& reason)
{
    if (reason == QLatin1String("AlreadyExists"))
        return ErrorCategory::AlreadyExists;
    if (reason == QLatin1String("Expired") || reason == QLatin1String("Gone"))
        return ErrorCategory::Gone;
    if (reason == QLatin1String("Timeout") || reason == QLatin1String("ServerTimeout"))
        return ErrorCategory::Timeout;
    switch (httpCode) {
    case 400:
        return ErrorCategory::BadRequest;
    case 401:
        return ErrorCategory::Unauthorized;
    case 403:
        return ErrorCategory::Forbidden;
    case 404:
        return ErrorCategory::NotFound;
    case 405:
        return ErrorCategory::MethodNotAllowed;
    case 406:
        return ErrorCategory::NotAcceptable;
    case 409:
        return ErrorCategory::Conflict;
    case 410:
        return ErrorCategory::Gone;
    case 413:
        return ErrorCategory::RequestEntityTooLarge;
    case 415:
        return ErrorCategory::UnsupportedMediaType;
    case 422:
        return ErrorCategory::Invalid;
    case 429:
        return ErrorCategory::TooManyRequests;
    case 501:
        return ErrorCategory::Unsupported;
    case 503:
        return ErrorCategory::ServiceUnavailable;
    case 504:
        return ErrorCategory::Timeout;
    default:
        break;
    }
    if (httpCode >= 500)
        return ErrorCategory::Internal;
    return ErrorCategory::BadRequest;
}

QJsonObject statusObject(const Error& error)
{
    QJsonObject status{
        {QStringLiteral("kind"), QStringLiteral("Status")},
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("metadata"), QJsonObject{}},
        {QStringLiteral("status"), QStringLiteral("Failure")},
        {QStringLiteral("message"), error.message()},
        {QStringLiteral("reason"), error.reason()},
        {QStringLiteral("code"), error.httpCode() > 0 ? error.httpCode() : 500},
    };
    QJsonObject details;
    if (!error.detailName().isEmpty())
        details.insert(QStringLiteral("name"), error.detailName());
    if (!error.detailGroup().isEmpty())
        details.insert(QStringLiteral("group"), error.detailGroup());
    if (!error.detailKind().isEmpty())
        details.insert(QStringLiteral("kind"), error.detailKind());
    if (!error.causes().isEmpty()) {
        QJsonArray causes;
        for (const auto& cause : error.causes()) {
            QJsonObject c{{QStringLiteral("reason"), cause.reason}, {QStringLiteral("message"), cause.message}};
            if (!cause.field.isEmpty())
                c.insert(QStringLiteral("field"), cause.field);
            causes.append(c);
        }
        details.insert(QStringLiteral("causes"), causes);
    }
    if (error.retryAfterSeconds() > 0)
        details.insert(QStringLiteral("retryAfterSeconds"), error.retryAfterSeconds());
    if (!details.isEmpty())
        status.insert(QStringLiteral("details"), details);
    return status;
}

QByteArray statusBody(const Error& error)
{
    return QJsonDocument(statusObject(error)).toJson(QJsonDocument::Indented);
}

QJsonObject successStatus(const QString& name, const QString& kind, const QString& group, const QString& uid)
{
    QJsonObject details{{QStringLiteral("name"), name}, {QStringLiteral("kind"), kind}};
    if (!group.isEmpty())
        details.insert(QStringLiteral("group"), group);
    if (!uid.isEmpty())
        details.insert(QStringLiteral("uid"), uid);
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Status")},
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("metadata"), QJsonObject{}},
        {QStringLiteral("status"), QStringLiteral("Success")},
        {QStringLiteral("details"), details},
    };
}

Error errorFromStatus(const QJsonObject& status)
{
    const int code = status.value(QStringLiteral("code")).toInt(500);
    const QString reason = status.value(QStringLiteral("reason")).toString();
    QString message = status.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = QStringLiteral("the server responded with HTTP %1").arg(code);
    Error error(categoryForHttp(code, reason), message);
    error.setHttpCode(code);
    if (!reason.isEmpty())
        error.setReason(reason);
    const QJsonObject details = status.value(QStringLiteral("details")).toObject();
    error.setDetails(details.value(QStringLiteral("name")).toString(), details.value(QStringLiteral("kind")).toString(),
                     details.value(QStringLiteral("group")).toString());
    const auto causes = details.value(QStringLiteral("causes")).toArray();
    for (const auto& c : causes) {
        const auto o = c.toObject();
        error.addCause({o.value(QStringLiteral("reason")).toString(), o.value(QStringLiteral("message")).toString(),
                        o.value(QStringLiteral("field")).toString()});
    }
    error.setRetryAfterSeconds(details.value(QStringLiteral("retryAfterSeconds")).toInt());
    return error;
}

Error errorFromResponse(int httpCode, const QByteArray& body, const QByteArray& retryAfterHeader)
{
    QJsonParseError parseError{};
    const auto doc = QJsonDocument::fromJson(body, &parseError);
    Error error = [&] {
        if (parseError.error == QJsonParseError::NoError && doc.isObject() &&
            doc.object().value(QStringLiteral("kind")).toString() == QLatin1String("Status")) {
            QJsonObject status = doc.object();
            if (!status.contains(QStringLiteral("code")))
                status.insert(QStringLiteral("code"), httpCode);
            return errorFromStatus(status);
        }
        QString text = QString::fromUtf8(body.left(512)).trimmed();
        if (text.isEmpty())
            text = QStringLiteral("the server responded with HTTP %1").arg(httpCode);
        Error e(categoryForHttp(httpCode, {}), text);
        e.setHttpCode(httpCode);
        return e;
    }();
    bool ok = false;
    const int retryAfter = retryAfterHeader.trimmed().toInt(&ok);
    if (ok && retryAfter > 0)
        error.setRetryAfterSeconds(retryAfter);
    return error;
}

} // namespace vk::kube
