// SPDX-License-Identifier: Apache-2.0
// Shared by the benchmarks: a phase of `count` requests spread over several clients, one in flight per client.
#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkReply>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

namespace vk::bench {

/// Runs `count` requests over the clients (each client has its own connection and one request in flight, as
/// that many controllers would) and returns the wall time in ms. `issue` starts request `index` on a client;
/// `done` judges its answer (false counts as a failure in *failures). Client is any type; the clients stay
/// alive for the whole phase.
template <typename Client>
qint64 runPhase(std::vector<std::unique_ptr<Client>>& clients,
                int count,
                const std::function<QNetworkReply*(Client&, int index)>& issue,
                const std::function<bool(Client&, int index, QNetworkReply*)>& done,
                int* failures)
{
    QElapsedTimer timer;
    timer.start();
    int next = 0;
    int finished = 0;
    QEventLoop loop;
    std::function<void(Client&)> pump = [&](Client& client) {
        if (next >= count)
            return;
        const int index = next++;
        QNetworkReply* reply = issue(client, index);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, index, clientPtr = &client] {
            if (!done(*clientPtr, index, reply))
                ++*failures;
            reply->deleteLater();
            if (++finished == count)
                loop.quit();
            else
                pump(*clientPtr);
        });
    };
    for (auto& client : clients)
        pump(*client);
    if (count > 0)
        loop.exec();
    return timer.elapsed();
}

/// The calling thread's id, for ownCpuSeconds().
inline qint64 currentThreadId()
{
    return qint64(syscall(SYS_gettid));
}

/// CPU seconds (user + system) of thread `tid` of this process, or of the whole process when tid is 0.
inline double ownCpuSeconds(qint64 tid = 0)
{
    QFile stat(tid ? QStringLiteral("/proc/self/task/%1/stat").arg(tid) : QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/pid/stat, i.e. 11 and 12 after the command name.
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / double(sysconf(_SC_CLK_TCK));
}

} // namespace vk::bench
