// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace vk::node {

/// A three-way strategic merge patch, as strategicpatch.CreateThreeWayMergePatch(original, modified, current)
/// computes it for the node status writes of upstream virtual-kubelet:
/// - additions and changes come from current → modified (what the server has that differs from what we want);
/// - deletions come from original → modified (only what we applied before and no longer want is removed), so
///   fields, list elements and map keys added by third parties survive.
/// Lists with a merge key (vk::api::patch::mergeKeyFor(kind, path), e.g. Node status.conditions by type) are
/// diffed element by element; a removed element becomes {"<key>": ..., "$patch": "delete"}. Other lists are
/// replaced as a whole when they differ.
class ThreeWayPatch
{
public:
    /// The patch; empty when current already matches modified and nothing needs deleting.
    static QJsonObject
    create(const QJsonObject& original, const QJsonObject& modified, const QJsonObject& current, const QString& kind);

private:
    static QJsonObject diffObject(const QJsonObject& original,
                                  const QJsonObject& modified,
                                  const QJsonObject& current,
                                  const QString& kind,
                                  const QString& path);
    static QJsonArray diffList(const QJsonArray& original,
                               const QJsonArray& modified,
                               const QJsonArray& current,
                               const QString& mergeKey,
                               const QString& kind,
                               const QString& path);
};

} // namespace vk::node
