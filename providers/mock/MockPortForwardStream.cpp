// SPDX-License-Identifier: Apache-2.0
#include "mock/MockPortForwardStream.h"

#include <QMetaObject>

namespace vk::mock {

void MockPortForwardStream::write(const QByteArray& data)
{
    if (m_closed || data.isEmpty())
        return;
    QMetaObject::invokeMethod(
        this,
        [this, data] {
            if (!m_closed)
                Q_EMIT dataReceived(data);
        },
        Qt::QueuedConnection);
}

void MockPortForwardStream::close()
{
    if (m_closed)
        return;
    m_closed = true;
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT closed(Status()); }, Qt::QueuedConnection);
}

} // namespace vk::mock
