// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QStringList>

namespace vk::api {

/// One requirement of a label selector (or of a NodeSelectorTerm's matchExpressions).
struct LabelRequirement
{
    enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan };
    QString key;
    Op op = Op::Equals;
    QStringList values;

    bool matches(const QJsonObject& labels) const;
};

/// A parsed label selector, as in `?labelSelector=app=web,tier!=db,env in (a,b),!legacy` or a
/// metav1.LabelSelector object (matchLabels + matchExpressions). All requirements must match (AND).
class LabelSelector
{
public:
    LabelSelector() = default; ///< matches everything

    /// Parses the string syntax of kubectl -l / ?labelSelector=. Errors are BadRequest and quote the input.
    static Result<LabelSelector> parse(const QString& text);
    /// Parses a metav1.LabelSelector JSON object. Errors are Invalid and name the field under `fieldPath`.
    static Result<LabelSelector> fromObject(const QJsonObject& selector, const QString& fieldPath);
    /// Parses a core/v1 NodeSelectorTerm's matchExpressions (operators In, NotIn, Exists, DoesNotExist, Gt, Lt).
    static Result<LabelSelector> fromNodeSelectorRequirements(const QJsonArray& expressions, const QString& fieldPath);

    bool matches(const QJsonObject& labels) const;
    bool isEmpty() const { return m_requirements.isEmpty(); }
    const QList<LabelRequirement>& requirements() const { return m_requirements; }
    /// Canonical string form (as kube-apiserver prints it).
    QString toString() const;

private:
    QList<LabelRequirement> m_requirements;
};

} // namespace vk::api
