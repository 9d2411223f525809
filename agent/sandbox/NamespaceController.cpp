// SPDX-License-Identifier: Apache-2.0
#include "sandbox/NamespaceController.h"

#include "sandbox/Logging.h"
#include "sandbox/Registry.h"

#include <QJsonArray>
#include <QTimer>

namespace vk::sandbox {

NamespaceController::NamespaceController(Registry* registry, QByteArray caCertificatePem, QObject* parent)
    : QObject(parent), m_registry(registry), m_caPem(std::move(caCertificatePem))
{}

void NamespaceController::start()
{
    connect(m_registry->store(), &ObjectStore::changed, this, &NamespaceController::onChanged);
    reconcile();
}

void NamespaceController::onChanged(const ChangeEvent& event)
{
    if (event.typeKey == QLatin1String("namespaces")) {
        requestReconcile();
        return;
    }
    // Something left a terminating namespace, or a default object was removed: check again.
    if (event.type == ChangeEvent::Type::Deleted && !event.namespaceName.isEmpty())
        requestReconcile();
}

void NamespaceController::requestReconcile()
{
    if (m_queued)
        return;
    m_queued = true;
    QTimer::singleShot(0, this, [this] {
        m_queued = false;
        reconcile();
    });
}

void NamespaceController::reconcile()
{
    for (const auto& ns : m_registry->store()->list(QStringLiteral("namespaces"))) {
        const QString name = object::name(ns);
        if (object::metadata(ns).contains(QLatin1String("deletionTimestamp")))
            drain(name);
        else
            populate(name);
    }
}

void NamespaceController::populate(const QString& ns)
{
    ObjectStore* store = m_registry->store();
    if (!store->get(QStringLiteral("serviceaccounts"), ns, QStringLiteral("default"))) {
        const ResourceType* type = findResourceType({}, QStringLiteral("v1"), QStringLiteral("serviceaccounts"));
        const QJsonObject account{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("default")}}}};
        if (auto r = m_registry->create(*type, ns, account); !r)
            qCWarning(lcSandbox) << "could not create the default service account in" << ns << ":"
                                 << r.error().toString();
    }
    if (!m_caPem.isEmpty() && !store->get(QStringLiteral("configmaps"), ns, QStringLiteral("kube-root-ca.crt"))) {
        const ResourceType* type = findResourceType({}, QStringLiteral("v1"), QStringLiteral("configmaps"));
        const QJsonObject configMap{
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("kube-root-ca.crt")},
                         {QStringLiteral("annotations"),
                          QJsonObject{{QStringLiteral("kubernetes.io/description"),
                                       QStringLiteral("Contains a CA bundle that can be used to verify the "
                                                      "kube-apiserver when using internal endpoints such as the "
                                                      "internal service IP or kubernetes.default.svc. No other "
                                                      "usage is guaranteed across distributions of Kubernetes "
                                                      "clusters.")}}}}},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("ca.crt"), QString::fromLatin1(m_caPem)}}}};
        if (auto r = m_registry->create(*type, ns, configMap); !r)
            qCWarning(lcSandbox) << "could not create kube-root-ca.crt in" << ns << ":" << r.error().toString();
    }
}

void NamespaceController::drain(const QString& ns)
{
    ObjectStore* store = m_registry->store();
    bool empty = true;
    for (const auto& type : builtinResourceTypes()) {
        if (!type.namespaced || type.resource == QLatin1String("bindings") ||
            type.group == QLatin1String("events.k8s.io"))
            continue;
        const auto objects = store->list(Registry::typeKey(type), ns);
        for (const auto& object : objects) {
            empty = false;
            if (object::metadata(object).contains(QLatin1String("deletionTimestamp")))
                continue; // already going
            if (auto r = m_registry->remove(type, ns, object::name(object), {}); !r)
                qCWarning(lcSandbox) << "could not delete" << type.resource << object::name(object) << "in" << ns << ":"
                                     << r.error().toString();
        }
    }
    if (!empty) {
        // Objects still there (graceful pods): look again shortly.
        QTimer::singleShot(1000, this, [this] { requestReconcile(); });
        return;
    }
    const QJsonObject* current = store->get(QStringLiteral("namespaces"), {}, ns);
    if (!current)
        return;
    QJsonArray finalizers;
    for (const auto& f :
         current->value(QLatin1String("spec")).toObject().value(QLatin1String("finalizers")).toArray()) {
        if (f.toString() != QLatin1String("kubernetes"))
            finalizers.append(f);
    }
    if (auto r = m_registry->finalizeNamespace(ns, finalizers); !r)
        qCWarning(lcSandbox) << "could not finalize namespace" << ns << ":" << r.error().toString();
}

} // namespace vk::sandbox
