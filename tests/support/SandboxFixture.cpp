// SPDX-License-Identifier: Apache-2.0
#include "support/SandboxFixture.h"

#include "kubeconfig/KubeConfig.h"

namespace vk::test {

SandboxFixture::SandboxFixture() = default;

SandboxFixture::~SandboxFixture()
{
    m_client.reset();
    if (m_sandbox)
        m_sandbox->stop();
}

QString SandboxFixture::start()
{
    if (!m_dir.isValid())
        return QStringLiteral("cannot create a temporary directory");
    sandbox::Sandbox::Options options;
    options.dataDir = m_dir.path();
    m_sandbox = std::make_unique<sandbox::Sandbox>(options);
    if (auto started = m_sandbox->start(); !started)
        return started.error().message();
    m_client = newClient();
    return m_client ? QString() : QStringLiteral("cannot read the sandbox kubeconfig");
}

std::unique_ptr<kube::ApiClient> SandboxFixture::newClient() const
{
    kube::ConnectionOptions options;
    options.kubeconfig = kubeconfigPath();
    options.allowInCluster = false;
    auto connection = kube::resolveConnection(options);
    if (!connection)
        return nullptr;
    kube::ApiClient::Options clientOptions;
    clientOptions.qps = 0;
    clientOptions.retryInitialDelayMs = 100;
    clientOptions.retryMaxDelayMs = 1000;
    return std::make_unique<kube::ApiClient>(connection.value(), clientOptions);
}

QString SandboxFixture::kubeconfigPath() const
{
    return m_sandbox ? m_sandbox->kubeconfigPath() : QString();
}

} // namespace vk::test
