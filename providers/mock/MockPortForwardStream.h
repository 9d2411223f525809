// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "provider/Provider.h"

namespace vk::mock {

/// An "echo listener" on a pod port: every byte written comes back.
class MockPortForwardStream : public provider::PortForwardStream
{
    Q_OBJECT
public:
    using provider::PortForwardStream::PortForwardStream;

    void write(const QByteArray& data) override;
    void close() override;

private:
    bool m_closed = false;
};

} // namespace vk::mock
