// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "provider/Provider.h"

#include <QMap>

#include <memory>

namespace vk::provider {

/// Built-in providers by name. A factory validates its configuration and fails with InvalidInput naming the file
/// and field before anything touches the cluster.
class ProviderRegistry
{
public:
    using Factory = std::function<Result<std::unique_ptr<Provider>>(const ProviderConfig& config)>;

    static ProviderRegistry& instance();

    void registerProvider(const QString& name, const QString& description, Factory factory);
    QStringList names() const;
    QString description(const QString& name) const;
    /// NotFound ("provider \"x\" not found") for an unknown name.
    Result<std::unique_ptr<Provider>> create(const QString& name, const ProviderConfig& config) const;

private:
    struct Entry
    {
        QString description;
        Factory factory;
    };
    QMap<QString, Entry> m_entries;
};

} // namespace vk::provider
