// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>

// The one place that maps error categories to HTTP status codes and metav1.Status reasons, and back.
namespace vk::kube {

QString reasonForCategory(ErrorCategory category);
int httpCodeForCategory(ErrorCategory category);
ErrorCategory categoryForHttp(int httpCode, const QString& reason);

/// A metav1.Status object describing the error, as kube-apiserver writes it.
QJsonObject statusObject(const Error& error);
/// The same, serialised the way kube-apiserver pretty-prints it.
QByteArray statusBody(const Error& error);

/// A metav1.Status for a successful delete of a collection-less object ("status": "Success").
QJsonObject successStatus(const QString& name, const QString& kind, const QString& group, const QString& uid);

/// Builds an Error from an HTTP error response. Uses the metav1.Status body when there is one, the status code
/// otherwise. retryAfterHeader is the Retry-After header (seconds), if any.
Error errorFromResponse(int httpCode, const QByteArray& body, const QByteArray& retryAfterHeader = {});

/// Builds an Error from a Status object embedded in a watch ERROR event.
Error errorFromStatus(const QJsonObject& status);

} // namespace vk::kube
