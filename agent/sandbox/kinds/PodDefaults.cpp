// SPDX-License-Identifier: Apache-2.0
// Pod defaults as a kube-apiserver 1.2x applies them on create: the v1 defaulting functions (SetDefaults_Pod,
// SetDefaults_PodSpec, SetDefaults_Container, ...), the admission plugins that always run (ServiceAccount without
// token mounting, Priority, DefaultTolerationSeconds) and the pod strategy's PrepareForCreate.
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/QuantityText.h"

#include "api/Quantity.h"

#include <QRegularExpression>

namespace vk::sandbox::detail {

namespace {

constexpr int kDefaultMode = 420; // 0644
constexpr qint64 kDefaultTolerationSeconds = 300;

void setIfAbsent(QJsonObject& object, QLatin1String key, const QJsonValue& value)
{
    if (!hasField(object, key))
        object.insert(key, value);
}

// docker/distribution reference grammar, enough to find the tag the way parsers.ParseImageName does.
struct ImageReference
{
    bool valid = false;
    QString tag;
    QString digest;
};

ImageReference parseImageReference(const QString& image)
{
    static const QRegularExpression componentRe(
        QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*")));
    static const QRegularExpression domainRe(QRegularExpression::anchoredPattern(QStringLiteral(
        "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
        "(?::[0-9]+)?")));
    static const QRegularExpression tagRe(QRegularExpression::anchoredPattern(QStringLiteral("[\\w][\\w.-]{0,127}")));
    static const QRegularExpression digestRe(QRegularExpression::anchoredPattern(
        QStringLiteral("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}")));

    ImageReference ref;
    if (image.isEmpty())
        return ref;
    QString name = image;
    const qsizetype at = image.indexOf(QLatin1Char('@'));
    if (at >= 0) {
        ref.digest = image.mid(at + 1);
        name = image.left(at);
        if (!digestRe.match(ref.digest).hasMatch())
            return ref;
    }
    const qsizetype lastSlash = name.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = name.indexOf(QLatin1Char(':'), lastSlash + 1);
    if (colon >= 0) {
        ref.tag = name.mid(colon + 1);
        name = name.left(colon);
        if (!tagRe.match(ref.tag).hasMatch())
            return ref;
    }
    QString remote = name;
    const qsizetype slash = name.indexOf(QLatin1Char('/'));
    if (slash >= 0) {
        const QString first = name.left(slash);
        const bool isDomain = first.contains(QLatin1Char('.')) || first.contains(QLatin1Char(':')) ||
                              first == QLatin1String("localhost") || first.toLower() != first;
        if (isDomain) {
            if (!domainRe.match(first).hasMatch())
                return ref;
            remote = name.mid(slash + 1);
        }
    }
    if (remote.isEmpty() || remote.toLower() != remote)
        return ref;
    const QStringList components = remote.split(QLatin1Char('/'));
    for (const QString& component : components) {
        if (!componentRe.match(component).hasMatch())
            return ref;
    }
    ref.valid = true;
    return ref;
}

QJsonObject defaultFieldRef(QJsonObject fieldRef)
{
    setIfAbsent(fieldRef, QLatin1String("apiVersion"), QStringLiteral("v1"));
    return fieldRef;
}

QJsonObject defaultHttpGet(QJsonObject httpGet)
{
    setIfAbsent(httpGet, QLatin1String("path"), QStringLiteral("/"));
    setIfAbsent(httpGet, QLatin1String("scheme"), QStringLiteral("HTTP"));
    return httpGet;
}

QJsonObject defaultHandler(QJsonObject handler)
{
    if (handler.value(QLatin1String("httpGet")).isObject())
        handler.insert(QLatin1String("httpGet"), defaultHttpGet(objectField(handler, QLatin1String("httpGet"))));
    return handler;
}

QJsonObject defaultProbe(QJsonObject probe)
{
    probe = defaultHandler(probe);
    for (const auto& [key, value] :
         {std::pair{QLatin1String("timeoutSeconds"), 1}, std::pair{QLatin1String("periodSeconds"), 10},
          std::pair{QLatin1String("successThreshold"), 1}, std::pair{QLatin1String("failureThreshold"), 3}}) {
        if (intField(probe, key) == 0)
            probe.insert(key, value);
    }
    return probe;
}

QJsonObject defaultResources(QJsonObject resources, bool requestsFromLimits)
{
    const QJsonObject limits = canonicalResourceList(objectField(resources, QLatin1String("limits")));
    QJsonObject requests = canonicalResourceList(objectField(resources, QLatin1String("requests")));
    if (hasField(resources, QLatin1String("limits"))) {
        resources.insert(QLatin1String("limits"), limits);
        if (requestsFromLimits) {
            for (auto it = limits.begin(); it != limits.end(); ++it) {
                if (!requests.contains(it.key()))
                    requests.insert(it.key(), it.value());
            }
            if (!requests.isEmpty())
                resources.insert(QLatin1String("requests"), requests);
        }
    }
    if (hasField(resources, QLatin1String("requests")))
        resources.insert(QLatin1String("requests"), requests);
    return resources;
}

QJsonObject defaultContainer(QJsonObject c, bool requestsFromLimits, bool hostNetwork)
{
    if (stringField(c, QLatin1String("imagePullPolicy")).isEmpty())
        c.insert(QLatin1String("imagePullPolicy"), defaultImagePullPolicy(stringField(c, QLatin1String("image"))));
    if (stringField(c, QLatin1String("terminationMessagePath")).isEmpty())
        c.insert(QLatin1String("terminationMessagePath"), QStringLiteral("/dev/termination-log"));
    if (stringField(c, QLatin1String("terminationMessagePolicy")).isEmpty())
        c.insert(QLatin1String("terminationMessagePolicy"), QStringLiteral("File"));
    c.insert(QLatin1String("resources"),
             defaultResources(objectField(c, QLatin1String("resources")), requestsFromLimits));

    if (c.value(QLatin1String("ports")).isArray()) {
        QJsonArray ports = arrayField(c, QLatin1String("ports"));
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject port = ports.at(i).toObject();
            if (stringField(port, QLatin1String("protocol")).isEmpty())
                port.insert(QLatin1String("protocol"), QStringLiteral("TCP"));
            if (hostNetwork && intField(port, QLatin1String("hostPort")) == 0)
                port.insert(QLatin1String("hostPort"), port.value(QLatin1String("containerPort")));
            ports[i] = port;
        }
        c.insert(QLatin1String("ports"), ports);
    }
    if (c.value(QLatin1String("env")).isArray()) {
        QJsonArray env = arrayField(c, QLatin1String("env"));
        for (qsizetype i = 0; i < env.size(); ++i) {
            QJsonObject var = env.at(i).toObject();
            QJsonObject from = objectField(var, QLatin1String("valueFrom"));
            if (from.value(QLatin1String("fieldRef")).isObject()) {
                from.insert(QLatin1String("fieldRef"), defaultFieldRef(objectField(from, QLatin1String("fieldRef"))));
                var.insert(QLatin1String("valueFrom"), from);
                env[i] = var;
            }
        }
        c.insert(QLatin1String("env"), env);
    }
    for (const QLatin1String probe :
         {QLatin1String("livenessProbe"), QLatin1String("readinessProbe"), QLatin1String("startupProbe")}) {
        if (c.value(probe).isObject())
            c.insert(probe, defaultProbe(objectField(c, probe)));
    }
    if (c.value(QLatin1String("lifecycle")).isObject()) {
        QJsonObject lifecycle = objectField(c, QLatin1String("lifecycle"));
        for (const QLatin1String hook : {QLatin1String("postStart"), QLatin1String("preStop")}) {
            if (lifecycle.value(hook).isObject())
                lifecycle.insert(hook, defaultHandler(objectField(lifecycle, hook)));
        }
        c.insert(QLatin1String("lifecycle"), lifecycle);
    }
    return c;
}

void defaultContainerList(QJsonObject& spec, QLatin1String key, bool requestsFromLimits, bool hostNetwork)
{
    if (!spec.value(key).isArray())
        return;
    QJsonArray containers = arrayField(spec, key);
    for (qsizetype i = 0; i < containers.size(); ++i)
        containers[i] = defaultContainer(containers.at(i).toObject(), requestsFromLimits, hostNetwork);
    spec.insert(key, containers);
}

QJsonArray defaultDownwardApiItems(QJsonArray items)
{
    for (qsizetype i = 0; i < items.size(); ++i) {
        QJsonObject item = items.at(i).toObject();
        if (item.value(QLatin1String("fieldRef")).isObject()) {
            item.insert(QLatin1String("fieldRef"), defaultFieldRef(objectField(item, QLatin1String("fieldRef"))));
            items[i] = item;
        }
    }
    return items;
}

QJsonObject defaultVolume(QJsonObject volume)
{
    const QList<QLatin1String>& kSources = volumeSourceFields();
    bool hasSource = false;
    for (const QLatin1String source : kSources)
        hasSource = hasSource || hasField(volume, source);
    if (!hasSource)
        volume.insert(QLatin1String("emptyDir"), QJsonObject());

    const auto withDefaultMode = [&volume](QLatin1String key) {
        if (!volume.value(key).isObject())
            return;
        QJsonObject source = objectField(volume, key);
        setIfAbsent(source, QLatin1String("defaultMode"), kDefaultMode);
        if (source.value(QLatin1String("items")).isArray() && key == QLatin1String("downwardAPI"))
            source.insert(QLatin1String("items"), defaultDownwardApiItems(arrayField(source, QLatin1String("items"))));
        volume.insert(key, source);
    };
    withDefaultMode(QLatin1String("secret"));
    withDefaultMode(QLatin1String("configMap"));
    withDefaultMode(QLatin1String("downwardAPI"));
    withDefaultMode(QLatin1String("projected"));
    if (volume.value(QLatin1String("projected")).isObject()) {
        QJsonObject projected = objectField(volume, QLatin1String("projected"));
        QJsonArray sources = arrayField(projected, QLatin1String("sources"));
        for (qsizetype i = 0; i < sources.size(); ++i) {
            QJsonObject source = sources.at(i).toObject();
            if (source.value(QLatin1String("serviceAccountToken")).isObject()) {
                QJsonObject token = objectField(source, QLatin1String("serviceAccountToken"));
                setIfAbsent(token, QLatin1String("expirationSeconds"), 3600);
                source.insert(QLatin1String("serviceAccountToken"), token);
            }
            if (source.value(QLatin1String("downwardAPI")).isObject()) {
                QJsonObject downward = objectField(source, QLatin1String("downwardAPI"));
                downward.insert(QLatin1String("items"),
                                defaultDownwardApiItems(arrayField(downward, QLatin1String("items"))));
                source.insert(QLatin1String("downwardAPI"), downward);
            }
            sources[i] = source;
        }
        if (projected.contains(QLatin1String("sources")))
            projected.insert(QLatin1String("sources"), sources);
        volume.insert(QLatin1String("projected"), projected);
    }
    if (volume.value(QLatin1String("hostPath")).isObject()) {
        QJsonObject hostPath = objectField(volume, QLatin1String("hostPath"));
        setIfAbsent(hostPath, QLatin1String("type"), QString());
        volume.insert(QLatin1String("hostPath"), hostPath);
    }
    return volume;
}

// DefaultTolerationSeconds admission: tolerate not-ready and unreachable nodes for 300s unless already tolerated.
QJsonArray withDefaultTolerations(QJsonArray tolerations)
{
    bool notReady = false;
    bool unreachable = false;
    for (const QJsonValue& value : tolerations) {
        const QJsonObject t = value.toObject();
        const QString key = stringField(t, QLatin1String("key"));
        const QString effect = stringField(t, QLatin1String("effect"));
        const bool noExecute = effect.isEmpty() || effect == QLatin1String("NoExecute");
        if ((key == QLatin1String("node.kubernetes.io/not-ready") || key.isEmpty()) && noExecute)
            notReady = true;
        if ((key == QLatin1String("node.kubernetes.io/unreachable") || key.isEmpty()) && noExecute)
            unreachable = true;
    }
    const auto toleration = [](const QString& key) {
        return QJsonObject{{QStringLiteral("key"), key},
                           {QStringLiteral("operator"), QStringLiteral("Exists")},
                           {QStringLiteral("effect"), QStringLiteral("NoExecute")},
                           {QStringLiteral("tolerationSeconds"), kDefaultTolerationSeconds}};
    };
    if (!notReady)
        tolerations.append(toleration(QStringLiteral("node.kubernetes.io/not-ready")));
    if (!unreachable)
        tolerations.append(toleration(QStringLiteral("node.kubernetes.io/unreachable")));
    return tolerations;
}

qint64 priorityForClass(const QString& className)
{
    if (className == QLatin1String("system-node-critical"))
        return 2000001000;
    if (className == QLatin1String("system-cluster-critical"))
        return 2000000000;
    return 0;
}

void addResources(QHash<QString, api::Quantity>& sums, const QJsonObject& list, QSet<QString>* found)
{
    for (auto it = list.begin(); it != list.end(); ++it) {
        if (it.key() != QLatin1String("cpu") && it.key() != QLatin1String("memory"))
            continue;
        const Result<api::Quantity> q = api::Quantity::fromJson(it.value());
        if (!q.ok() || q.value() <= api::Quantity())
            continue;
        if (found)
            found->insert(it.key());
        sums[it.key()] = sums.value(it.key()) + q.value();
    }
}

} // namespace

const QList<QLatin1String>& volumeSourceFields()
{
    static const QList<QLatin1String> fields{
        QLatin1String("hostPath"),
        QLatin1String("emptyDir"),
        QLatin1String("gcePersistentDisk"),
        QLatin1String("awsElasticBlockStore"),
        QLatin1String("gitRepo"),
        QLatin1String("secret"),
        QLatin1String("nfs"),
        QLatin1String("iscsi"),
        QLatin1String("glusterfs"),
        QLatin1String("persistentVolumeClaim"),
        QLatin1String("rbd"),
        QLatin1String("flexVolume"),
        QLatin1String("cinder"),
        QLatin1String("cephfs"),
        QLatin1String("flocker"),
        QLatin1String("downwardAPI"),
        QLatin1String("fc"),
        QLatin1String("azureFile"),
        QLatin1String("configMap"),
        QLatin1String("vsphereVolume"),
        QLatin1String("quobyte"),
        QLatin1String("azureDisk"),
        QLatin1String("photonPersistentDisk"),
        QLatin1String("projected"),
        QLatin1String("portworxVolume"),
        QLatin1String("scaleIO"),
        QLatin1String("storageos"),
        QLatin1String("csi"),
        QLatin1String("ephemeral"),
        QLatin1String("image"),
    };
    return fields;
}

QString defaultImagePullPolicy(const QString& image)
{
    const ImageReference ref = parseImageReference(image);
    QString tag = ref.tag;
    if (ref.valid && tag.isEmpty() && ref.digest.isEmpty())
        tag = QStringLiteral("latest");
    return tag == QLatin1String("latest") ? QStringLiteral("Always") : QStringLiteral("IfNotPresent");
}

QString podQosClass(const QJsonObject& pod)
{
    const QJsonObject spec = objectField(pod, QLatin1String("spec"));
    QHash<QString, api::Quantity> requests;
    QHash<QString, api::Quantity> limits;
    bool guaranteed = true;
    for (const QLatin1String key : {QLatin1String("containers"), QLatin1String("initContainers")}) {
        const QJsonArray containers = arrayField(spec, key);
        for (const QJsonValue& value : containers) {
            const QJsonObject resources = objectField(value.toObject(), QLatin1String("resources"));
            addResources(requests, objectField(resources, QLatin1String("requests")), nullptr);
            QSet<QString> limitsFound;
            addResources(limits, objectField(resources, QLatin1String("limits")), &limitsFound);
            if (!limitsFound.contains(QStringLiteral("cpu")) || !limitsFound.contains(QStringLiteral("memory")))
                guaranteed = false;
        }
    }
    if (requests.isEmpty() && limits.isEmpty())
        return QStringLiteral("BestEffort");
    if (guaranteed) {
        for (auto it = requests.begin(); it != requests.end(); ++it) {
            if (!limits.contains(it.key()) || !(limits.value(it.key()) == it.value())) {
                guaranteed = false;
                break;
            }
        }
    }
    if (guaranteed && requests.size() == limits.size())
        return QStringLiteral("Guaranteed");
    return QStringLiteral("Burstable");
}

void preparePodForCreate(QJsonObject& pod)
{
    pod.insert(QLatin1String("status"), QJsonObject());
}

void preparePodForUpdate(QJsonObject& pod, const QJsonObject& old)
{
    if (old.contains(QLatin1String("status")))
        pod.insert(QLatin1String("status"), old.value(QLatin1String("status")));
    else
        pod.remove(QLatin1String("status"));
}

namespace {

/// The v1 → internal conversion of one IP pair (podIP/podIPs, hostIP/hostIPs): the single field wins over a list
/// that does not start with it and fills an empty list. `showFirst`: the internal type has no single field (podIP),
/// so v1 shows the list's first entry as it; hostIP is kept as written (validation then wants it to match).
void convertIps(QJsonObject& status, QLatin1String single, QLatin1String list, bool showFirst)
{
    const QStringList ips = effectiveIps(status, single, list);
    if (ips.isEmpty()) {
        // omitempty: neither an empty string nor an empty list is stored.
        status.remove(single);
        status.remove(list);
        return;
    }
    const QJsonArray written = arrayField(status, list);
    const QString first = written.isEmpty() ? QString() : stringField(written.first().toObject(), QLatin1String("ip"));
    if (first != ips.constFirst()) // the single field won
        status.insert(list, QJsonArray{QJsonObject{{QStringLiteral("ip"), ips.constFirst()}}});
    if (showFirst)
        status.insert(single, ips.constFirst());
}

} // namespace

void convertPodStatusIps(QJsonObject& pod)
{
    if (!pod.value(QLatin1String("status")).isObject())
        return;
    QJsonObject status = objectField(pod, QLatin1String("status"));
    const QJsonObject before = status;
    convertIps(status, QLatin1String("podIP"), QLatin1String("podIPs"), true);
    convertIps(status, QLatin1String("hostIP"), QLatin1String("hostIPs"), false);
    if (status != before)
        pod.insert(QLatin1String("status"), status);
}

void applyPodDefaults(QJsonObject& pod)
{
    convertPodStatusIps(pod);
    QJsonObject spec = objectField(pod, QLatin1String("spec"));
    const bool hostNetwork = boolField(spec, QLatin1String("hostNetwork"));

    // SetDefaults_PodSpec
    if (stringField(spec, QLatin1String("dnsPolicy")).isEmpty())
        spec.insert(QLatin1String("dnsPolicy"), QStringLiteral("ClusterFirst"));
    if (stringField(spec, QLatin1String("restartPolicy")).isEmpty())
        spec.insert(QLatin1String("restartPolicy"), QStringLiteral("Always"));
    if (!spec.value(QLatin1String("securityContext")).isObject())
        spec.insert(QLatin1String("securityContext"), QJsonObject());
    setIfAbsent(spec, QLatin1String("terminationGracePeriodSeconds"), 30);
    if (stringField(spec, QLatin1String("schedulerName")).isEmpty())
        spec.insert(QLatin1String("schedulerName"), QStringLiteral("default-scheduler"));

    // SetDefaults_Pod, SetDefaults_Container and friends
    defaultContainerList(spec, QLatin1String("containers"), true, hostNetwork);
    defaultContainerList(spec, QLatin1String("initContainers"), true, hostNetwork);
    defaultContainerList(spec, QLatin1String("ephemeralContainers"), false, false);
    setIfAbsent(spec, QLatin1String("enableServiceLinks"), true);
    if (spec.value(QLatin1String("volumes")).isArray()) {
        QJsonArray volumes = arrayField(spec, QLatin1String("volumes"));
        for (qsizetype i = 0; i < volumes.size(); ++i)
            volumes[i] = defaultVolume(volumes.at(i).toObject());
        spec.insert(QLatin1String("volumes"), volumes);
    }
    if (spec.value(QLatin1String("overhead")).isObject())
        spec.insert(QLatin1String("overhead"), canonicalResourceList(objectField(spec, QLatin1String("overhead"))));

    // The deprecated serviceAccount mirrors serviceAccountName (v1 conversion), then the ServiceAccount admission
    // plugin picks "default".
    QString serviceAccount = stringField(spec, QLatin1String("serviceAccountName"));
    if (serviceAccount.isEmpty())
        serviceAccount = stringField(spec, QLatin1String("serviceAccount"));
    if (serviceAccount.isEmpty())
        serviceAccount = QStringLiteral("default");
    spec.insert(QLatin1String("serviceAccountName"), serviceAccount);
    spec.insert(QLatin1String("serviceAccount"), serviceAccount);

    // Priority admission (no PriorityClass objects exist besides the two system classes).
    setIfAbsent(spec, QLatin1String("priority"),
                priorityForClass(stringField(spec, QLatin1String("priorityClassName"))));
    if (stringField(spec, QLatin1String("preemptionPolicy")).isEmpty())
        spec.insert(QLatin1String("preemptionPolicy"), QStringLiteral("PreemptLowerPriority"));

    spec.insert(QLatin1String("tolerations"), withDefaultTolerations(arrayField(spec, QLatin1String("tolerations"))));
    pod.insert(QLatin1String("spec"), spec);
    applyPodStatusDefaults(pod);
}

void applyPodStatusDefaults(QJsonObject& pod)
{
    // PrepareForCreate's status (kept on update: only set what is missing).
    const QJsonObject spec = objectField(pod, QLatin1String("spec"));
    convertPodStatusIps(pod);
    QJsonObject status = objectField(pod, QLatin1String("status"));
    if (stringField(status, QLatin1String("phase")).isEmpty())
        status.insert(QLatin1String("phase"), QStringLiteral("Pending"));
    if (stringField(status, QLatin1String("qosClass")).isEmpty())
        status.insert(QLatin1String("qosClass"), podQosClass(pod));
    if (!arrayField(spec, QLatin1String("schedulingGates")).isEmpty()) {
        QJsonArray conditions = arrayField(status, QLatin1String("conditions"));
        bool hasScheduled = false;
        for (const QJsonValue& c : conditions)
            hasScheduled =
                hasScheduled || stringField(c.toObject(), QLatin1String("type")) == QLatin1String("PodScheduled");
        if (!hasScheduled) {
            conditions.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("PodScheduled")},
                                          {QStringLiteral("status"), QStringLiteral("False")},
                                          {QStringLiteral("lastProbeTime"), QJsonValue::Null},
                                          {QStringLiteral("lastTransitionTime"), QJsonValue::Null},
                                          {QStringLiteral("reason"), QStringLiteral("SchedulingGated")},
                                          {QStringLiteral("message"),
                                           QStringLiteral("Scheduling is blocked due to non-empty scheduling gates")}});
            status.insert(QLatin1String("conditions"), conditions);
        }
    }
    pod.insert(QLatin1String("status"), status);
}

} // namespace vk::sandbox::detail
