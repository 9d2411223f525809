// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes through the sandbox's protobuf decoder of the authentication and authorization
// kinds, both raw and behind a valid envelope for each kind (the first input byte picks the kind), so the message
// tables are reached. The decoder must answer a Result, never crash or loop.
#include "sandbox/AuthProtobuf.h"

#include <cstddef>
#include <cstdint>

namespace {

QByteArray varint(quint64 value)
{
    QByteArray out;
    do {
        quint8 byte = value & 0x7f;
        value >>= 7;
        if (value)
            byte |= 0x80;
        out.append(char(byte));
    } while (value);
    return out;
}

QByteArray field(quint32 number, const QByteArray& value)
{
    return varint(quint64(number) << 3 | 2) + varint(quint64(value.size())) + value;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const char* const kinds[][2] = {
        {"rbac.authorization.k8s.io/v1", "Role"},
        {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
        {"authentication.k8s.io/v1", "TokenRequest"},
        {"authentication.k8s.io/v1", "TokenReview"},
        {"authorization.k8s.io/v1", "SubjectAccessReview"},
        {"authorization.k8s.io/v1", "SelfSubjectRulesReview"},
        {"certificates.k8s.io/v1", "CertificateSigningRequest"},
    };
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    (void)vk::sandbox::authprotobuf::decodeObject(input);
    if (size == 0)
        return 0;
    const auto& kind = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
    const QByteArray typeMeta = field(1, kind[0]) + field(2, kind[1]);
    const QByteArray body = QByteArray("k8s\0", 4) + field(1, typeMeta) + field(2, input.mid(1));
    auto decoded = vk::sandbox::authprotobuf::decodeObject(body);
    if (decoded && decoded->value(QLatin1String("kind")).toString() != QLatin1String(kind[1]))
        __builtin_trap();
    return 0;
}
