// SPDX-License-Identifier: Apache-2.0
#include "provider/ProviderRegistry.h"

namespace vk::provider {

ProviderRegistry& ProviderRegistry::instance()
{
    static ProviderRegistry registry;
    return registry;
}

void ProviderRegistry::registerProvider(const QString& name, const QString& description, Factory factory)
{
    m_entries.insert(name, Entry{description, std::move(factory)});
}

QStringList ProviderRegistry::names() const
{
    return m_entries.keys();
}

QString ProviderRegistry::description(const QString& name) const
{
    return m_entries.value(name).description;
}

Result<std::unique_ptr<Provider>> ProviderRegistry::create(const QString& name, const ProviderConfig& config) const
{
    const auto it = m_entries.constFind(name);
    if (it == m_entries.cend())
        return Error::notFound(QStringLiteral("provider \"%1\" not found (available: %2)")
                                   .arg(name, m_entries.keys().join(QStringLiteral(", "))));
    return it->factory(config);
}

} // namespace vk::provider
