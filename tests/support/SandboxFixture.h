// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "kube/ApiClient.h"
#include "sandbox/Sandbox.h"

#include <QTemporaryDir>

#include <memory>

namespace vk::test {

/// A sandbox API server on a free loopback port in a temporary directory, and an ApiClient for its admin user:
/// what agent tests run against. Start it in initTestCase(); it stops when destroyed.
class SandboxFixture
{
public:
    SandboxFixture();
    ~SandboxFixture();

    /// Starts the sandbox; an error message on failure (empty on success).
    QString start();
    sandbox::Sandbox& sandbox() { return *m_sandbox; }
    kube::ApiClient& client() { return *m_client; }
    /// A fresh client (e.g. for an agent under test), with no client-side rate limit.
    std::unique_ptr<kube::ApiClient> newClient() const;
    QString kubeconfigPath() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<kube::ApiClient> m_client;
};

} // namespace vk::test
