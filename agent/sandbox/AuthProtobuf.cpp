// SPDX-License-Identifier: Apache-2.0
#include "sandbox/AuthProtobuf.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonArray>

#include <span>

namespace vk::sandbox::authprotobuf {

namespace {

enum class T : quint8
{
    Str,
    Strs,
    Bytes, ///< base64 in JSON
    I64,
    I32,
    Msg,
    Msgs,
    Time,
    MapStr,
    MapExtra, ///< map<string, ExtraValue{repeated string items = 1}>
};

enum M : quint8
{
    ObjectMeta,
    PolicyRule,
    Subject,
    RoleRef,
    Role,
    Binding,
    TokenRequest,
    TokenRequestSpec,
    BoundObjectReference,
    SelfSubjectAccessReview,
    SelfSubjectAccessReviewSpec,
    ResourceAttributes,
    NonResourceAttributes,
    SubjectAccessReview,
    SubjectAccessReviewSpec,
    TokenReview,
    TokenReviewSpec,
    Csr,
    CsrSpec,
    CsrStatus,
    CsrCondition,
    SelfSubjectRulesReview,
    SelfSubjectRulesReviewSpec,
};

struct F
{
    quint32 number;
    const char* json;
    T type;
    M message = ObjectMeta;
};

const F kObjectMeta[] = {{1, "name", T::Str},
                         {2, "generateName", T::Str},
                         {3, "namespace", T::Str},
                         {4, "selfLink", T::Str},
                         {5, "uid", T::Str},
                         {6, "resourceVersion", T::Str},
                         {7, "generation", T::I64},
                         {8, "creationTimestamp", T::Time},
                         {9, "deletionTimestamp", T::Time},
                         {10, "deletionGracePeriodSeconds", T::I64},
                         {11, "labels", T::MapStr},
                         {12, "annotations", T::MapStr},
                         {14, "finalizers", T::Strs}};
const F kPolicyRule[] = {{1, "verbs", T::Strs},
                         {2, "apiGroups", T::Strs},
                         {3, "resources", T::Strs},
                         {4, "resourceNames", T::Strs},
                         {5, "nonResourceURLs", T::Strs}};
const F kSubject[] = {{1, "kind", T::Str}, {2, "apiGroup", T::Str}, {3, "name", T::Str}, {4, "namespace", T::Str}};
const F kRoleRef[] = {{1, "apiGroup", T::Str}, {2, "kind", T::Str}, {3, "name", T::Str}};
const F kRole[] = {{1, "metadata", T::Msg, ObjectMeta}, {2, "rules", T::Msgs, PolicyRule}};
const F kBinding[] = {
    {1, "metadata", T::Msg, ObjectMeta}, {2, "subjects", T::Msgs, Subject}, {3, "roleRef", T::Msg, RoleRef}};
const F kTokenRequest[] = {{1, "metadata", T::Msg, ObjectMeta}, {2, "spec", T::Msg, TokenRequestSpec}};
const F kTokenRequestSpec[] = {
    {1, "audiences", T::Strs}, {3, "boundObjectRef", T::Msg, BoundObjectReference}, {4, "expirationSeconds", T::I64}};
const F kBoundObjectReference[] = {
    {1, "kind", T::Str}, {2, "apiVersion", T::Str}, {3, "name", T::Str}, {4, "uid", T::Str}};
const F kSelfSubjectAccessReview[] = {{1, "metadata", T::Msg, ObjectMeta},
                                      {2, "spec", T::Msg, SelfSubjectAccessReviewSpec}};
const F kSelfSubjectAccessReviewSpec[] = {{1, "resourceAttributes", T::Msg, ResourceAttributes},
                                          {2, "nonResourceAttributes", T::Msg, NonResourceAttributes}};
const F kResourceAttributes[] = {{1, "namespace", T::Str}, {2, "verb", T::Str},     {3, "group", T::Str},
                                 {4, "version", T::Str},   {5, "resource", T::Str}, {6, "subresource", T::Str},
                                 {7, "name", T::Str}};
const F kNonResourceAttributes[] = {{1, "path", T::Str}, {2, "verb", T::Str}};
const F kSubjectAccessReview[] = {{1, "metadata", T::Msg, ObjectMeta}, {2, "spec", T::Msg, SubjectAccessReviewSpec}};
const F kSubjectAccessReviewSpec[] = {{1, "resourceAttributes", T::Msg, ResourceAttributes},
                                      {2, "nonResourceAttributes", T::Msg, NonResourceAttributes},
                                      {3, "user", T::Str},
                                      {4, "groups", T::Strs},
                                      {5, "extra", T::MapExtra},
                                      {6, "uid", T::Str}};
const F kTokenReview[] = {{1, "metadata", T::Msg, ObjectMeta}, {2, "spec", T::Msg, TokenReviewSpec}};
const F kTokenReviewSpec[] = {{1, "token", T::Str}, {2, "audiences", T::Strs}};
const F kCsr[] = {{1, "metadata", T::Msg, ObjectMeta}, {2, "spec", T::Msg, CsrSpec}, {3, "status", T::Msg, CsrStatus}};
const F kCsrSpec[] = {{1, "request", T::Bytes},  {2, "username", T::Str},         {3, "uid", T::Str},
                      {4, "groups", T::Strs},    {5, "usages", T::Strs},          {6, "extra", T::MapExtra},
                      {7, "signerName", T::Str}, {8, "expirationSeconds", T::I32}};
const F kCsrStatus[] = {{1, "conditions", T::Msgs, CsrCondition}, {2, "certificate", T::Bytes}};
const F kCsrCondition[] = {{1, "type", T::Str},
                           {2, "reason", T::Str},
                           {3, "message", T::Str},
                           {4, "lastUpdateTime", T::Time},
                           {5, "lastTransitionTime", T::Time},
                           {6, "status", T::Str}};

const F kSelfSubjectRulesReview[] = {{1, "metadata", T::Msg, ObjectMeta},
                                     {2, "spec", T::Msg, SelfSubjectRulesReviewSpec}};
const F kSelfSubjectRulesReviewSpec[] = {{1, "namespace", T::Str}};

std::span<const F> fieldsOf(M m)
{
    switch (m) {
    case ObjectMeta:
        return kObjectMeta;
    case PolicyRule:
        return kPolicyRule;
    case Subject:
        return kSubject;
    case RoleRef:
        return kRoleRef;
    case Role:
        return kRole;
    case Binding:
        return kBinding;
    case TokenRequest:
        return kTokenRequest;
    case TokenRequestSpec:
        return kTokenRequestSpec;
    case BoundObjectReference:
        return kBoundObjectReference;
    case SelfSubjectAccessReview:
        return kSelfSubjectAccessReview;
    case SelfSubjectAccessReviewSpec:
        return kSelfSubjectAccessReviewSpec;
    case ResourceAttributes:
        return kResourceAttributes;
    case NonResourceAttributes:
        return kNonResourceAttributes;
    case SubjectAccessReview:
        return kSubjectAccessReview;
    case SubjectAccessReviewSpec:
        return kSubjectAccessReviewSpec;
    case TokenReview:
        return kTokenReview;
    case TokenReviewSpec:
        return kTokenReviewSpec;
    case Csr:
        return kCsr;
    case CsrSpec:
        return kCsrSpec;
    case CsrStatus:
        return kCsrStatus;
    case CsrCondition:
        return kCsrCondition;
    case SelfSubjectRulesReview:
        return kSelfSubjectRulesReview;
    case SelfSubjectRulesReviewSpec:
        return kSelfSubjectRulesReviewSpec;
    }
    return {};
}

struct Reader
{
    QByteArrayView data;
    qsizetype pos = 0;

    bool atEnd() const { return pos >= data.size(); }
    bool varint(quint64& out)
    {
        out = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= data.size())
                return false;
            const auto byte = quint8(data.at(pos++));
            out |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return true;
        }
        return false;
    }
    bool bytes(QByteArrayView& out)
    {
        quint64 length = 0;
        if (!varint(length) || length > quint64(data.size() - pos))
            return false;
        out = data.sliced(pos, qsizetype(length));
        pos += qsizetype(length);
        return true;
    }
    bool skip(quint32 wire)
    {
        quint64 ignored = 0;
        QByteArrayView view;
        switch (wire) {
        case 0:
            return varint(ignored);
        case 1:
            pos += 8;
            return pos <= data.size();
        case 2:
            return bytes(view);
        case 5:
            pos += 4;
            return pos <= data.size();
        default:
            return false;
        }
    }
};

class Decoder
{
public:
    QString errorPath;
    int values = 0;

    bool message(M type, QByteArrayView data, QJsonObject& out, const QString& path, int depth)
    {
        if (depth > 16 || ++values > 100000)
            return fail(path);
        Reader r{data};
        while (!r.atEnd()) {
            quint64 key = 0;
            if (!r.varint(key))
                return fail(path);
            const auto number = quint32(key >> 3);
            const auto wire = quint32(key & 7);
            const F* field = nullptr;
            for (const F& f : fieldsOf(type)) {
                if (f.number == number)
                    field = &f;
            }
            if (!field) {
                if (!r.skip(wire))
                    return fail(path);
                continue;
            }
            const QString name = QLatin1String(field->json);
            const QString here = path.isEmpty() ? name : path + QLatin1Char('.') + name;
            if (field->type == T::I64 || field->type == T::I32) {
                quint64 raw = 0;
                if (wire != 0 || !r.varint(raw))
                    return fail(here);
                const qint64 value = field->type == T::I32 ? qint64(qint32(quint32(raw))) : qint64(raw);
                out.insert(name, value);
                continue;
            }
            QByteArrayView bytes;
            if (wire != 2 || !r.bytes(bytes))
                return fail(here);
            switch (field->type) {
            case T::Str:
                if (!bytes.isEmpty())
                    out.insert(name, QString::fromUtf8(bytes));
                break;
            case T::Strs: {
                QJsonArray list = out.value(name).toArray();
                list.append(QString::fromUtf8(bytes));
                out.insert(name, list);
                break;
            }
            case T::Bytes:
                if (!bytes.isEmpty())
                    out.insert(name, QString::fromLatin1(bytes.toByteArray().toBase64()));
                break;
            case T::Msg: {
                QJsonObject nested = out.value(name).toObject();
                if (!message(field->message, bytes, nested, here, depth + 1))
                    return false;
                out.insert(name, nested);
                break;
            }
            case T::Msgs: {
                QJsonArray list = out.value(name).toArray();
                QJsonObject nested;
                if (!message(field->message, bytes, nested, here + QStringLiteral("[%1]").arg(list.size()), depth + 1))
                    return false;
                list.append(nested);
                out.insert(name, list);
                break;
            }
            case T::Time: {
                qint64 seconds = 0;
                if (!time(bytes, seconds))
                    return fail(here);
                if (seconds != 0)
                    out.insert(name, QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(Qt::ISODate));
                break;
            }
            case T::MapStr:
            case T::MapExtra: {
                QJsonObject map = out.value(name).toObject();
                if (!mapEntry(field->type, bytes, map))
                    return fail(here);
                out.insert(name, map);
                break;
            }
            case T::I64:
            case T::I32:
                break;
            }
        }
        return true;
    }

private:
    bool fail(const QString& path)
    {
        if (errorPath.isEmpty())
            errorPath = path.isEmpty() ? QStringLiteral("<root>") : path;
        return false;
    }

    static bool time(QByteArrayView data, qint64& seconds)
    {
        Reader r{data};
        while (!r.atEnd()) {
            quint64 key = 0;
            if (!r.varint(key))
                return false;
            if ((key >> 3) == 1 && (key & 7) == 0) {
                quint64 raw = 0;
                if (!r.varint(raw))
                    return false;
                seconds = qint64(raw);
            } else if (!r.skip(quint32(key & 7))) {
                return false;
            }
        }
        return true;
    }

    static bool mapEntry(T type, QByteArrayView data, QJsonObject& map)
    {
        Reader r{data};
        QString key;
        QJsonValue value = type == T::MapStr ? QJsonValue(QString()) : QJsonValue(QJsonArray());
        while (!r.atEnd()) {
            quint64 tag = 0;
            if (!r.varint(tag))
                return false;
            QByteArrayView bytes;
            if ((tag & 7) != 2) {
                if (!r.skip(quint32(tag & 7)))
                    return false;
                continue;
            }
            if (!r.bytes(bytes))
                return false;
            if ((tag >> 3) == 1) {
                key = QString::fromUtf8(bytes);
            } else if ((tag >> 3) == 2) {
                if (type == T::MapStr) {
                    value = QString::fromUtf8(bytes);
                } else {
                    QJsonArray items;
                    Reader inner{bytes};
                    while (!inner.atEnd()) {
                        quint64 t = 0;
                        QByteArrayView item;
                        if (!inner.varint(t) || (t & 7) != 2 || !inner.bytes(item))
                            return false;
                        if ((t >> 3) == 1)
                            items.append(QString::fromUtf8(item));
                    }
                    value = items;
                }
            }
        }
        map.insert(key, value);
        return true;
    }
};

struct KindEntry
{
    const char* apiVersion;
    const char* kind;
    M message;
};

const KindEntry kKinds[] = {
    {"rbac.authorization.k8s.io/v1", "Role", Role},
    {"rbac.authorization.k8s.io/v1", "ClusterRole", Role},
    {"rbac.authorization.k8s.io/v1", "RoleBinding", Binding},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", Binding},
    {"authentication.k8s.io/v1", "TokenRequest", TokenRequest},
    {"authentication.k8s.io/v1", "TokenReview", TokenReview},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview", SelfSubjectAccessReview},
    {"authorization.k8s.io/v1", "SubjectAccessReview", SubjectAccessReview},
    {"authorization.k8s.io/v1", "LocalSubjectAccessReview", SubjectAccessReview},
    {"authorization.k8s.io/v1", "SelfSubjectRulesReview", SelfSubjectRulesReview},
    {"certificates.k8s.io/v1", "CertificateSigningRequest", Csr},
};

} // namespace

Result<QJsonObject> decodeObject(const QByteArray& body)
{
    if (!body.startsWith(QByteArrayView("k8s\0", 4)))
        return Error::badRequest(QStringLiteral("protobuf body does not start with the Kubernetes magic number"));
    Reader envelope{QByteArrayView(body).sliced(4)};
    QString apiVersion;
    QString kind;
    QByteArrayView raw;
    while (!envelope.atEnd()) {
        quint64 key = 0;
        if (!envelope.varint(key))
            return Error::badRequest(QStringLiteral("malformed protobuf envelope"));
        QByteArrayView bytes;
        if ((key & 7) != 2) {
            if (!envelope.skip(quint32(key & 7)))
                return Error::badRequest(QStringLiteral("malformed protobuf envelope"));
            continue;
        }
        if (!envelope.bytes(bytes))
            return Error::badRequest(QStringLiteral("malformed protobuf envelope"));
        if ((key >> 3) == 1) {
            Reader typeMeta{bytes};
            while (!typeMeta.atEnd()) {
                quint64 t = 0;
                QByteArrayView value;
                if (!typeMeta.varint(t) || (t & 7) != 2 || !typeMeta.bytes(value))
                    return Error::badRequest(QStringLiteral("malformed protobuf typeMeta"));
                if ((t >> 3) == 1)
                    apiVersion = QString::fromUtf8(value);
                else if ((t >> 3) == 2)
                    kind = QString::fromUtf8(value);
            }
        } else if ((key >> 3) == 2) {
            raw = bytes;
        }
    }
    for (const KindEntry& entry : kKinds) {
        if (apiVersion != QLatin1String(entry.apiVersion) || kind != QLatin1String(entry.kind))
            continue;
        Decoder decoder;
        QJsonObject object;
        if (!decoder.message(entry.message, raw, object, {}, 0))
            return Error::badRequest(
                QStringLiteral("unable to decode %1 %2 from protobuf at %3").arg(apiVersion, kind, decoder.errorPath));
        object.insert(QStringLiteral("apiVersion"), apiVersion);
        object.insert(QStringLiteral("kind"), kind);
        return object;
    }
    return Error(ErrorCategory::UnsupportedMediaType,
                 QStringLiteral("the sandbox cannot decode %1 %2 from protobuf; send it as application/json")
                     .arg(apiVersion, kind));
}

} // namespace vk::sandbox::authprotobuf
