// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QList>

namespace vk::api {

/// `?fieldSelector=spec.nodeName=n1,status.phase!=Failed`: only =, == and != exist.
class FieldSelector
{
public:
    struct Requirement
    {
        QString field;
        QString value;
        bool negated = false;
    };

    FieldSelector() = default; ///< matches everything

    /// Parses the selector. Errors are BadRequest and quote the input.
    static Result<FieldSelector> parse(const QString& text);

    /// Checks every field name against the ones a resource supports; the error message matches kube-apiserver's
    /// ("field label not supported: spec.foo").
    Status validateFields(const QStringList& supportedFields) const;

    /// Reads each field from the object by its dotted path (metadata.name, spec.nodeName, status.phase, ...).
    /// A missing field reads as "". All requirements must hold.
    bool matches(const QJsonObject& object) const;

    /// The value required for `field` with =, if any (used to index watches by spec.nodeName).
    std::optional<QString> requiredValue(const QString& field) const;

    bool isEmpty() const { return m_requirements.isEmpty(); }
    const QList<Requirement>& requirements() const { return m_requirements; }
    QString toString() const;

private:
    QList<Requirement> m_requirements;
};

} // namespace vk::api
