// SPDX-License-Identifier: Apache-2.0
// Events of core/v1 and events.k8s.io/v1: ValidateEventCreate (legacy rules for core/v1, strict rules for
// events.k8s.io/v1), printEvent (both APIs are printed from the same internal fields) and the selectable fields.
#include "sandbox/kinds/JsonFields.h"
#include "sandbox/kinds/KindRules.h"
#include "sandbox/kinds/ObjectMetaRules.h"

namespace vk::sandbox::detail {

namespace av = api::validation;

namespace {

constexpr int kReportingInstanceLengthLimit = 128;
constexpr int kActionLengthLimit = 128;
constexpr int kReasonLengthLimit = 128;
constexpr int kNoteLengthLimit = 1024;

// The internal core.Event fields the validation and the printer read, filled from either API version.
struct EventFields
{
    QString name;
    QString eventNamespace;
    QJsonObject involvedObject;
    QString reason;
    QString message;
    QJsonObject source;
    QDateTime firstTimestamp;
    QDateTime lastTimestamp;
    qint64 count = 0;
    QString type;
    QDateTime eventTime;
    bool hasSeries = false;
    qint64 seriesCount = 0;
    QDateTime seriesLastObservedTime;
    QString action;
    QString reportingController;
    QString reportingInstance;
};

EventFields fromCoreV1(const QJsonObject& e)
{
    EventFields f;
    f.name = nameOf(e);
    f.eventNamespace = stringField(metadataOf(e), QLatin1String("namespace"));
    f.involvedObject = objectField(e, QLatin1String("involvedObject"));
    f.reason = stringField(e, QLatin1String("reason"));
    f.message = stringField(e, QLatin1String("message"));
    f.source = objectField(e, QLatin1String("source"));
    f.firstTimestamp = timeField(e, QLatin1String("firstTimestamp"));
    f.lastTimestamp = timeField(e, QLatin1String("lastTimestamp"));
    f.count = intField(e, QLatin1String("count"));
    f.type = stringField(e, QLatin1String("type"));
    f.eventTime = timeField(e, QLatin1String("eventTime"));
    f.hasSeries = e.value(QLatin1String("series")).isObject();
    const QJsonObject series = objectField(e, QLatin1String("series"));
    f.seriesCount = intField(series, QLatin1String("count"));
    f.seriesLastObservedTime = timeField(series, QLatin1String("lastObservedTime"));
    f.action = stringField(e, QLatin1String("action"));
    f.reportingController = stringField(e, QLatin1String("reportingComponent"));
    f.reportingInstance = stringField(e, QLatin1String("reportingInstance"));
    return f;
}

EventFields fromEventsV1(const QJsonObject& e)
{
    EventFields f;
    f.name = nameOf(e);
    f.eventNamespace = stringField(metadataOf(e), QLatin1String("namespace"));
    f.involvedObject = objectField(e, QLatin1String("regarding"));
    f.reason = stringField(e, QLatin1String("reason"));
    f.message = stringField(e, QLatin1String("note"));
    f.source = objectField(e, QLatin1String("deprecatedSource"));
    f.firstTimestamp = timeField(e, QLatin1String("deprecatedFirstTimestamp"));
    f.lastTimestamp = timeField(e, QLatin1String("deprecatedLastTimestamp"));
    f.count = intField(e, QLatin1String("deprecatedCount"));
    f.type = stringField(e, QLatin1String("type"));
    f.eventTime = timeField(e, QLatin1String("eventTime"));
    f.hasSeries = e.value(QLatin1String("series")).isObject();
    const QJsonObject series = objectField(e, QLatin1String("series"));
    f.seriesCount = intField(series, QLatin1String("count"));
    f.seriesLastObservedTime = timeField(series, QLatin1String("lastObservedTime"));
    f.action = stringField(e, QLatin1String("action"));
    f.reportingController = stringField(e, QLatin1String("reportingController"));
    f.reportingInstance = stringField(e, QLatin1String("reportingInstance"));
    return f;
}

// legacyValidateEvent
void legacyValidate(const EventFields& e, bool coreV1, Causes& causes)
{
    const QString reportingField =
        coreV1 ? QStringLiteral("reportingComponent") : QStringLiteral("reportingController");
    const QString involvedNamespace = stringField(e.involvedObject, QLatin1String("namespace"));
    const QString involvedNamespaceField = QStringLiteral("involvedObject.namespace");
    if (!e.eventTime.isValid()) {
        if (involvedNamespace.isEmpty()) {
            if (!e.eventNamespace.isEmpty() && e.eventNamespace != QLatin1String("default"))
                av::invalid(involvedNamespaceField, involvedNamespace, QStringLiteral("does not match event.namespace"),
                            causes);
        } else if (e.eventNamespace != involvedNamespace) {
            av::invalid(involvedNamespaceField, involvedNamespace, QStringLiteral("does not match event.namespace"),
                        causes);
        }
    } else {
        if (involvedNamespace.isEmpty() && e.eventNamespace != QLatin1String("default") &&
            e.eventNamespace != QLatin1String("kube-system"))
            av::invalid(involvedNamespaceField, involvedNamespace, QStringLiteral("does not match event.namespace"),
                        causes);
        if (e.reportingController.isEmpty())
            av::required(reportingField, causes);
        av::qualifiedName(e.reportingController, reportingField, causes);
        if (e.reportingInstance.isEmpty())
            av::required(QStringLiteral("reportingInstance"), causes);
        if (e.reportingInstance.size() > kReportingInstanceLengthLimit)
            av::invalid(QStringLiteral("reportingInstance"), QString(),
                        QStringLiteral("can have at most %1 characters").arg(kReportingInstanceLengthLimit), causes);
        if (e.action.isEmpty())
            av::required(QStringLiteral("action"), causes);
        if (e.action.size() > kActionLengthLimit)
            av::invalid(QStringLiteral("action"), QString(),
                        QStringLiteral("can have at most %1 characters").arg(kActionLengthLimit), causes);
        if (e.reason.isEmpty())
            av::required(QStringLiteral("reason"), causes);
        if (e.reason.size() > kReasonLengthLimit)
            av::invalid(QStringLiteral("reason"), QString(),
                        QStringLiteral("can have at most %1 characters").arg(kReasonLengthLimit), causes);
        if (e.message.size() > kNoteLengthLimit)
            av::invalid(QStringLiteral("message"), QString(),
                        QStringLiteral("can have at most %1 characters").arg(kNoteLengthLimit), causes);
    }
    for (const QString& msg : av::dns1123SubdomainErrors(e.eventNamespace))
        av::invalid(QStringLiteral("namespace"), e.eventNamespace, msg, causes);
}

// The generic metadata check every create passes after the strategy's validation (ValidateObjectMetaAccessor with
// path.ValidatePathSegmentName).
void pathSegmentMeta(const QJsonObject& event, Causes& causes)
{
    const QString name = nameOf(event);
    if (name.isEmpty()) {
        requiredWithDetail(QStringLiteral("metadata.name"), QStringLiteral("name or generateName is required"), causes);
    } else if (name == QLatin1String(".") || name == QLatin1String("..")) {
        av::invalid(QStringLiteral("metadata.name"), name, QStringLiteral("may not be '%1'").arg(name), causes);
    } else {
        for (const QString& bad : {QStringLiteral("/"), QStringLiteral("%")}) {
            if (name.contains(bad))
                av::invalid(QStringLiteral("metadata.name"), name, QStringLiteral("may not contain '%1'").arg(bad),
                            causes);
        }
    }
    if (stringField(metadataOf(event), QLatin1String("namespace")).isEmpty())
        av::required(QStringLiteral("metadata.namespace"), causes);
    av::objectMetaLabelsAndAnnotations(metadataOf(event), causes);
}

QString translateMicroTimestampSince(const QDateTime& time, const QDateTime& now)
{
    return translateTimestampSince(time, now);
}

QJsonArray eventCells(const EventFields& e, const QDateTime& now)
{
    QString firstTimestamp = translateTimestampSince(e.firstTimestamp, now);
    if (!e.firstTimestamp.isValid())
        firstTimestamp = translateMicroTimestampSince(e.eventTime, now);
    QString lastTimestamp = translateTimestampSince(e.lastTimestamp, now);
    if (!e.lastTimestamp.isValid())
        lastTimestamp = firstTimestamp;
    qint64 count = e.count;
    if (e.hasSeries) {
        lastTimestamp = translateMicroTimestampSince(e.seriesLastObservedTime, now);
        count = e.seriesCount;
    } else if (count == 0) {
        count = 1; // singleton events of the new API have no count
    }
    const QString kind = stringField(e.involvedObject, QLatin1String("kind")).toLower();
    const QString name = stringField(e.involvedObject, QLatin1String("name"));
    const QString target = name.isEmpty() ? kind : kind + QLatin1Char('/') + name;

    QString component = stringField(e.source, QLatin1String("component"));
    if (component.isEmpty())
        component = e.reportingController;
    QString instance = stringField(e.source, QLatin1String("host"));
    if (instance.isEmpty())
        instance = e.reportingInstance;
    const QString source = instance.isEmpty() ? component : component + QStringLiteral(", ") + instance;

    return {lastTimestamp,
            e.type,
            e.reason,
            target,
            stringField(e.involvedObject, QLatin1String("fieldPath")),
            source,
            e.message.trimmed(),
            firstTimestamp,
            count,
            e.name};
}

} // namespace

Causes validateCoreEvent(const QJsonObject& event, const QJsonObject* /*old*/)
{
    Causes causes;
    legacyValidate(fromCoreV1(event), true, causes);
    if (causes.isEmpty())
        pathSegmentMeta(event, causes);
    return causes;
}

Causes validateEventsV1Event(const QJsonObject& event, const QJsonObject* /*old*/)
{
    const EventFields e = fromEventsV1(event);
    Causes causes;
    legacyValidate(e, false, causes);
    validateObjectMeta(event, true, NameRule::Dns1123Subdomain, causes);
    if (e.hasSeries) {
        if (e.seriesCount < 2)
            av::invalid(QStringLiteral("series.count"), QString(), QStringLiteral("should be at least 2"), causes);
        if (!e.seriesLastObservedTime.isValid())
            av::required(QStringLiteral("series.lastObservedTime"), causes);
    }
    if (!e.eventTime.isValid())
        av::required(QStringLiteral("eventTime"), causes);
    if (e.type != QLatin1String("Normal") && e.type != QLatin1String("Warning"))
        av::invalid(QStringLiteral("type"), QString(), QStringLiteral("has invalid value: %1").arg(e.type), causes);
    if (e.firstTimestamp.isValid())
        av::invalid(QStringLiteral("firstTimestamp"), QString(), QStringLiteral("needs to be unset"), causes);
    if (e.lastTimestamp.isValid())
        av::invalid(QStringLiteral("lastTimestamp"), QString(), QStringLiteral("needs to be unset"), causes);
    if (e.count != 0)
        av::invalid(QStringLiteral("count"), QString(), QStringLiteral("needs to be unset"), causes);
    if (!stringField(e.source, QLatin1String("component")).isEmpty() ||
        !stringField(e.source, QLatin1String("host")).isEmpty())
        av::invalid(QStringLiteral("source"), QString(), QStringLiteral("needs to be unset"), causes);
    return causes;
}

QList<TableColumn> eventColumns()
{
    return {
        {QStringLiteral("Last Seen"), QStringLiteral("string"), QString(),
         QStringLiteral("The time at which the most recent occurrence of this event was recorded."), 0},
        {QStringLiteral("Type"), QStringLiteral("string"), QString(),
         QStringLiteral("Type of this event (Normal, Warning), new types could be added in the future"), 0},
        {QStringLiteral("Reason"), QStringLiteral("string"), QString(),
         QStringLiteral("This should be a short, machine understandable string that gives the reason for the "
                        "transition into the object's current status."),
         0},
        {QStringLiteral("Object"), QStringLiteral("string"), QString(),
         QStringLiteral("The object that this event is about."), 0},
        {QStringLiteral("Subobject"), QStringLiteral("string"), QString(),
         QStringLiteral("If referring to a piece of an object instead of an entire object, this string should "
                        "contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. "
                        "For example, if the object reference is to a container within a pod, this would take on a "
                        "value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container "
                        "that triggered the event) or if no container name is specified \"spec.containers[2]\" "
                        "(container with index 2 in this pod). This syntax is chosen only to have some well-defined "
                        "way of referencing a part of an object."),
         1},
        {QStringLiteral("Source"), QStringLiteral("string"), QString(),
         QStringLiteral("The component reporting this event. Should be a short machine understandable string."), 1},
        {QStringLiteral("Message"), QStringLiteral("string"), QString(),
         QStringLiteral("A human-readable description of the status of this operation."), 0},
        {QStringLiteral("First Seen"), QStringLiteral("string"), QString(),
         QStringLiteral("The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"), 1},
        {QStringLiteral("Count"), QStringLiteral("string"), QString(),
         QStringLiteral("The number of times this event has occurred."), 1},
        {QStringLiteral("Name"), QStringLiteral("string"), QStringLiteral("name"),
         objectMetaDescription(QStringLiteral("name")), 1},
    };
}

QJsonArray coreEventTableCells(const QJsonObject& event, const QDateTime& now)
{
    return eventCells(fromCoreV1(event), now);
}

QJsonArray eventsV1EventTableCells(const QJsonObject& event, const QDateTime& now)
{
    return eventCells(fromEventsV1(event), now);
}

QString coreEventFieldValue(const QJsonObject& event, const QString& field)
{
    bool known = false;
    const QString meta = metadataFieldValue(event, field, &known);
    if (known)
        return meta;
    const QJsonObject involved = objectField(event, QLatin1String("involvedObject"));
    static const QString prefix = QStringLiteral("involvedObject.");
    if (field.startsWith(prefix))
        return involved.value(field.mid(prefix.size())).toString();
    if (field == QLatin1String("reason") || field == QLatin1String("type") ||
        field == QLatin1String("reportingComponent"))
        return event.value(field).toString();
    if (field == QLatin1String("source")) {
        const QString component = stringField(objectField(event, QLatin1String("source")), QLatin1String("component"));
        return component.isEmpty() ? stringField(event, QLatin1String("reportingComponent")) : component;
    }
    return {};
}

} // namespace vk::sandbox::detail
