// SPDX-License-Identifier: Apache-2.0
#include "kubeconfig/Credentials.h"

#include "kubeconfig/ExecPlugin.h"
#include "kubeconfig/Logging.h"

#include <QFile>
#include <QPointer>

#include <optional>
#include <vector>

namespace vk::kube {

namespace {

/// client-go re-reads a token file at most about once a minute (NewCachedFileTokenSource).
constexpr qint64 kTokenFileCacheMs = 60'000;

} // namespace

struct CredentialProvider::Private
{
    struct Waiter
    {
        QPointer<QObject> context;
        bool hadContext = false;
        std::function<void(Result<Credentials>)> callback;
    };

    CredentialProvider* q = nullptr;
    ClusterConnection connection;
    Clock* clock = nullptr;

    QByteArray fileToken;
    qint64 fileTokenReadAtMs = 0;
    bool fileTokenFresh = false;

    std::optional<ExecCredential> execCached;
    QPointer<ExecPluginRun> run;
    std::vector<Waiter> waiters;

    Result<QByteArray> readTokenFile()
    {
        const qint64 now = clock->monotonicMs();
        if (fileTokenFresh && now - fileTokenReadAtMs < kTokenFileCacheMs)
            return fileToken;
        QFile file(connection.tokenFile);
        QString problem;
        QByteArray token;
        if (!file.open(QIODevice::ReadOnly)) {
            problem = file.errorString();
        } else {
            token = file.readAll().trimmed();
            if (token.isEmpty())
                problem = QStringLiteral("the file is empty");
        }
        if (!problem.isEmpty()) {
            const QString message = QStringLiteral("cannot read the token file \"%1\"%2: %3")
                                        .arg(connection.tokenFile, ownerText(), problem);
            if (!fileToken.isEmpty()) { // as client-go: keep using the last good token, try again next time
                qCWarning(lcKubeconfig).noquote() << message << "- keeping the previous token";
                return fileToken;
            }
            return Error(ErrorCategory::Unauthorized, message);
        }
        fileToken = token;
        fileTokenReadAtMs = now;
        fileTokenFresh = true;
        return fileToken;
    }

    QString ownerText() const
    {
        return connection.userName.isEmpty() ? QString() : QStringLiteral(" of user \"%1\"").arg(connection.userName);
    }

    /// The Authorization header of the static methods, in client-go's order of precedence: a literal token, a token
    /// file, basic auth. Empty when none is configured.
    Result<QByteArray> staticHeader()
    {
        if (!connection.token.isEmpty())
            return QByteArray(QByteArray("Bearer ") + connection.token.toUtf8());
        if (!connection.tokenFile.isEmpty()) {
            auto token = readTokenFile();
            if (!token)
                return token.error();
            return QByteArray(QByteArray("Bearer ") + *token);
        }
        if (!connection.username.isEmpty() || !connection.password.isEmpty())
            return QByteArray(QByteArray("Basic ") +
                              (connection.username + QLatin1Char(':') + connection.password).toUtf8().toBase64());
        return QByteArray();
    }

    /// Static credentials, completed by an exec plugin's: its token when no static header is set (client-go's
    /// bearer wrapper runs first), its client certificate in place of the configured one.
    Result<Credentials> build(const ExecCredential* exec)
    {
        auto header = staticHeader();
        if (!header)
            return header.error();
        Credentials credentials;
        credentials.authorizationHeader = *header;
        credentials.clientCertificate = connection.clientCertificate;
        credentials.clientKey = connection.clientKey;
        if (exec) {
            if (credentials.authorizationHeader.isEmpty() && !exec->token.isEmpty())
                credentials.authorizationHeader = QByteArray("Bearer ") + exec->token.toUtf8();
            if (!exec->clientCertificate.isNull()) {
                credentials.clientCertificate = exec->clientCertificate;
                credentials.clientKey = exec->clientKey;
            }
        }
        return credentials;
    }

    bool execCacheValid() const
    {
        if (!execCached)
            return false;
        // As client-go: no expirationTimestamp means valid for the life of the process.
        return !execCached->expiry.isValid() || clock->now() <= execCached->expiry;
    }

    void startRun()
    {
        auto* newRun = new ExecPluginRun(connection, clock, ExecPluginRun::kDefaultTimeoutMs,
                                         [this](Result<ExecCredential> result) { onRunDone(std::move(result)); });
        run = newRun;
        newRun->start();
    }

    void onRunDone(Result<ExecCredential> result)
    {
        run = nullptr;
        Result<Credentials> outcome = Error(ErrorCategory::Unauthorized, QString());
        if (result) {
            execCached = *result;
            outcome = build(&*execCached);
        } else {
            outcome = result.error();
        }
        std::vector<Waiter> ready = std::exchange(waiters, {});
        QPointer<CredentialProvider> alive(q);
        for (auto& waiter : ready) {
            if (!alive)
                return; // a callback destroyed the provider: nobody is left to answer for
            if (waiter.hadContext && !waiter.context)
                continue;
            waiter.callback(outcome);
        }
    }
};

CredentialProvider::CredentialProvider(ClusterConnection connection, Clock* clock, QObject* parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
    d->connection = std::move(connection);
    d->clock = clock ? clock : Clock::system();
}

CredentialProvider::~CredentialProvider()
{
    if (d->run)
        d->run->abandon();
}

void CredentialProvider::fetch(QObject* context, std::function<void(Result<Credentials>)> callback)
{
    if (!callback)
        return;
    if (!d->connection.exec) {
        callback(d->build(nullptr));
        return;
    }
    if (d->execCacheValid()) {
        callback(d->build(&*d->execCached));
        return;
    }
    d->waiters.push_back({QPointer<QObject>(context), context != nullptr, std::move(callback)});
    if (!d->run)
        d->startRun(); // last statement: the run may answer synchronously, and an answer may destroy us
}

void CredentialProvider::invalidate()
{
    d->execCached.reset();
    d->fileToken.clear();
    d->fileTokenFresh = false;
}

bool CredentialProvider::usesExecPlugin() const
{
    return d->connection.exec.has_value();
}

} // namespace vk::kube
