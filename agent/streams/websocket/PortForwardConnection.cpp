// SPDX-License-Identifier: Apache-2.0
#include "streams/websocket/PortForwardConnection.h"

#include "streams/websocket/Logging.h"

#include <QWebSocket>
#include <QtEndian>

namespace vk::streams::ws {

namespace {
constexpr int kCloseGraceMs = 10'000;
constexpr int kMaxPorts = 64; // 128 channels: the channel id must fit in one byte (255 is reserved)
} // namespace

PortForwardConnection::PortForwardConnection(QWebSocket* socket,
                                             ChannelProtocol protocol,
                                             QList<quint16> ports,
                                             QString podName,
                                             PortForwardFactory factory,
                                             StreamOptions options)
    : m_socket(socket), m_codec(protocol, int(ports.size()) * 2), m_podName(std::move(podName)),
      m_factory(std::move(factory)), m_options(options)
{
    for (quint16 port : ports)
        m_ports.append(Port{port, nullptr, false});
    socket->setParent(this);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &PortForwardConnection::onMessage);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString& message) { onMessage(message.toLatin1()); });
    connect(socket, &QWebSocket::disconnected, this, [this] {
        m_closing = true;
        for (Port& p : m_ports) {
            if (p.stream && !p.done)
                p.stream->close();
            p.done = true;
        }
        deleteLater();
    });
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        qCInfo(lcWebSocketStreams) << "port-forward to" << m_podName << "idle for" << m_options.idleTimeoutMs
                                   << "ms; closing";
        closeAll();
    });
    start();
}

PortForwardConnection::~PortForwardConnection() = default;

Result<QList<quint16>> PortForwardConnection::parsePorts(const QStringList& values)
{
    QList<quint16> ports;
    for (const QString& value : values) {
        if (value.isEmpty())
            return Error::badRequest(QStringLiteral("query parameter \"port\" cannot be empty"));
        for (const QString& part : value.split(QLatin1Char(','))) {
            bool ok = false;
            const uint port = part.trimmed().toUInt(&ok);
            if (!ok || port > 65535)
                return Error::badRequest(QStringLiteral("unable to parse \"%1\" as a port").arg(value));
            if (port < 1)
                return Error::badRequest(QStringLiteral("port \"%1\" must be > 0").arg(value));
            ports.append(quint16(port));
        }
    }
    if (ports.isEmpty())
        return Error::badRequest(QStringLiteral("query parameter \"port\" is required"));
    if (ports.size() > kMaxPorts)
        return Error::badRequest(QStringLiteral("at most %1 ports can be forwarded at once").arg(kMaxPorts));
    return ports;
}

void PortForwardConnection::start()
{
    touch();
    for (int i = 0; i < m_ports.size(); ++i) {
        QByteArray portBytes(2, '\0');
        qToLittleEndian<quint16>(m_ports[i].port, portBytes.data());
        send(quint8(2 * i), portBytes);
        send(quint8(2 * i + 1), portBytes);
    }
    for (int i = 0; i < m_ports.size(); ++i) {
        Result<provider::PortForwardStream*> stream = m_factory(m_ports[i].port, this);
        if (!stream.ok()) {
            portDone(i, stream.error().message());
            continue;
        }
        m_ports[i].stream = stream.value();
        connect(stream.value(), &provider::PortForwardStream::dataReceived, this, [this, i](const QByteArray& data) {
            if (!m_ports[i].done)
                send(quint8(2 * i), data);
        });
        connect(stream.value(), &provider::PortForwardStream::closed, this,
                [this, i](const Status& status) { portDone(i, status.ok() ? QString() : status.error().message()); });
    }
}

void PortForwardConnection::onMessage(const QByteArray& message)
{
    if (m_closing)
        return;
    touch();
    const ChannelMessage decoded = m_codec.decode(message);
    if (decoded.kind != ChannelMessage::Data) {
        qCDebug(lcWebSocketStreams) << "port-forward: ignoring a message:" << decoded.reason;
        return;
    }
    if (decoded.channel % 2 != 0 || decoded.payload.isEmpty())
        return; // error channels are server-to-client only
    Port& p = m_ports[decoded.channel / 2];
    if (p.stream && !p.done)
        p.stream->write(decoded.payload);
}

void PortForwardConnection::send(quint8 channel, const QByteArray& payload)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    touch();
    const QByteArray message = m_codec.encode(channel, payload);
    if (m_codec.textMessages())
        m_socket->sendTextMessage(QString::fromLatin1(message));
    else
        m_socket->sendBinaryMessage(message);
}

void PortForwardConnection::portDone(int index, const QString& error)
{
    Port& p = m_ports[index];
    if (p.done)
        return;
    p.done = true;
    if (!error.isEmpty()) {
        const QString text = QStringLiteral("error forwarding port %1 to pod %2: %3").arg(p.port).arg(m_podName, error);
        qCInfo(lcWebSocketStreams) << text;
        send(quint8(2 * index + 1), text.toUtf8());
    }
    for (const Port& other : m_ports) {
        if (!other.done)
            return;
    }
    closeAll();
}

void PortForwardConnection::closeAll()
{
    if (m_closing)
        return;
    m_closing = true;
    m_idle.stop();
    for (Port& p : m_ports) {
        if (p.stream && !p.done)
            p.stream->close();
        p.done = true;
    }
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    QTimer::singleShot(kCloseGraceMs, this, [this] {
        if (m_socket)
            m_socket->abort();
        deleteLater();
    });
}

void PortForwardConnection::touch()
{
    if (!m_closing && m_options.idleTimeoutMs > 0)
        m_idle.start(int(qMin<qint64>(m_options.idleTimeoutMs, std::numeric_limits<int>::max())));
}

} // namespace vk::streams::ws
