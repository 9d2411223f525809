// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/Result.h"

#include <QObject>
#include <QPointer>

namespace vk::http {
class HttpResponder;
}
namespace vk::provider {
class LogStream;
}

namespace vk::kubelet {

/// Copies a provider's LogStream into a chunked response as data arrives (upstream flushes after every write).
/// The response starts with the first data, at once when following, or at the end; an error before anything was
/// sent becomes a Status response. When the client goes away the stream is closed. Deletes itself when done.
class LogStreamer : public QObject
{
    Q_OBJECT

public:
    LogStreamer(provider::LogStream* stream, http::HttpResponder* responder, bool follow);
    ~LogStreamer() override;

private:
    void begin();
    void pump();
    void onFinished(const Status& status);
    void finish();

    QPointer<provider::LogStream> m_stream;
    QPointer<http::HttpResponder> m_responder;
    bool m_done = false;
};

} // namespace vk::kubelet
