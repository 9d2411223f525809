// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>

namespace vk::sandbox {

class Registry;
struct ChangeEvent;

/// What kube-controller-manager does for namespaces: every namespace gets a "default" ServiceAccount and the
/// kube-root-ca.crt ConfigMap; a namespace being deleted has its contents deleted, and once it is empty its
/// "kubernetes" finalizer is removed so it goes.
class NamespaceController : public QObject
{
    Q_OBJECT

public:
    NamespaceController(Registry* registry, QByteArray caCertificatePem, QObject* parent = nullptr);

    void start();
    /// Brings every namespace up to date; runs on start and after namespace changes.
    void reconcile();

private:
    void onChanged(const ChangeEvent& event);
    void requestReconcile();
    void populate(const QString& ns);
    void drain(const QString& ns);

    Registry* m_registry;
    QByteArray m_caPem;
    bool m_queued = false;
};

} // namespace vk::sandbox
