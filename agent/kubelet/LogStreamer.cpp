// SPDX-License-Identifier: Apache-2.0
#include "kubelet/LogStreamer.h"

#include "http/HttpServer.h"
#include "kubelet/KubeletServer.h"
#include "kubelet/Logging.h"
#include "provider/Provider.h"

namespace vk::kubelet {

LogStreamer::LogStreamer(provider::LogStream* stream, http::HttpResponder* responder, bool follow)
    : QObject(responder), m_stream(stream), m_responder(responder)
{
    stream->setParent(this);
    connect(stream, &provider::LogStream::readyRead, this, &LogStreamer::pump);
    connect(stream, &provider::LogStream::finished, this, &LogStreamer::onFinished);
    connect(responder, &http::HttpResponder::disconnected, this, [this] {
        qCDebug(lcKubelet) << "log client went away";
        finish();
    });
    if (follow)
        begin();
    pump(); // what the provider buffered before we connected
}

LogStreamer::~LogStreamer()
{
    if (m_stream && !m_done)
        m_stream->close();
}

void LogStreamer::begin()
{
    if (m_responder && !m_responder->hasStarted())
        m_responder->beginStream(200, QByteArrayLiteral("text/plain; charset=utf-8"));
}

void LogStreamer::pump()
{
    if (m_done || !m_stream || !m_responder)
        return;
    const QByteArray data = m_stream->read();
    if (data.isEmpty())
        return;
    begin();
    m_responder->writeChunk(data);
}

void LogStreamer::onFinished(const Status& status)
{
    if (m_done)
        return;
    pump();
    if (m_responder && !m_responder->hasStarted() && !status) {
        sendStatus(m_responder, status.error());
    } else if (m_responder) {
        if (!status)
            qCInfo(lcKubelet).noquote() << "log stream ended with an error:" << status.error().message();
        begin();
        m_responder->endStream();
    }
    finish();
}

void LogStreamer::finish()
{
    if (m_done)
        return;
    m_done = true;
    if (m_stream)
        m_stream->close();
    deleteLater();
}

} // namespace vk::kubelet
