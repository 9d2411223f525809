// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <optional>

namespace vk::mock {

/// The demo script a mock pod follows (per node in the config file, per pod in the annotation
/// `mock.vk-studio.io/lifecycle`). Every delay is in milliseconds and gets a random extra of up to jitterMs
/// (deterministic per pod). Times are measured from the previous step; see README.md.
struct LifecycleScript
{
    qint64 pendingMs = 0;        ///< Pending with containers Waiting/ContainerCreating
    qint64 startMs = 0;          ///< then Running with the container running but not yet started (startup probe)
    qint64 readyMs = 0;          ///< then started, not yet ready (readiness probe)
    std::optional<qint64> runMs; ///< from running until the container exits with exitCode; none = runs forever
    int exitCode = 0;
    std::optional<qint64> failAfterMs; ///< injected crash: from running until the container exits with failExitCode
    int failExitCode = 1;
    int failCount = -1;           ///< how many container instances crash (-1: every one)
    int restartLimit = -1;        ///< restarts before the pod gives up (-1: unlimited)
    qint64 restartDelayMs = 0;    ///< Waiting/CrashLoopBackOff (or the plain restart gap) before a restart
    qint64 readinessFlapMs = 0;   ///< once ready, readiness toggles every this many ms (0: never)
    double logLinesPerSecond = 0; ///< generated log lines while running
    QString logLine = QStringLiteral("{time} {namespace}/{pod}/{container} line {n}");
    qint64 jitterMs = 0;

    /// Applies the keys present in `object` over this script. Errors name `context` and the key
    /// ("/x/mock.json: vk-node.lifecycle.pendingMs: must be a non-negative integer").
    Status apply(const QJsonObject& object, const QString& context);
};

/// One node's entry of the mock provider's config file (upstream-compatible).
struct MockNodeConfig
{
    QString cpu = QStringLiteral("20");
    QString memory = QStringLiteral("100Gi");
    QString pods = QStringLiteral("20");
    QMap<QString, QString> others; ///< extended resources ("nvidia.com/gpu": "1"), canonical quantities
    QString providerId;
    LifecycleScript lifecycle;

    /// Reads the entry for nodeName from the JSON file at path. An empty path gives the defaults. A missing file,
    /// malformed JSON, a node missing from the file or a value that is not a quantity is an InvalidInput error naming
    /// the file (and field: "/x/mock.json: vk-node.cpu: invalid quantity ...").
    static Result<MockNodeConfig> load(const QString& path, const QString& nodeName);
    /// The same from bytes; `source` names the file in errors.
    static Result<MockNodeConfig> parse(const QByteArray& json, const QString& source, const QString& nodeName);
};

} // namespace vk::mock
