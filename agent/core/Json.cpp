// SPDX-License-Identifier: Apache-2.0
#include "core/Json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstring>

namespace vk::json {

namespace {

// YAML 1.2 core schema resolution of a plain (untagged, unquoted) scalar.
QJsonValue resolvePlainScalar(const std::string& raw)
{
    const QString s = QString::fromStdString(raw);
    if (s.isEmpty() || s == QLatin1String("~") || s == QLatin1String("null") || s == QLatin1String("Null") ||
        s == QLatin1String("NULL"))
        return QJsonValue::Null;
    if (s == QLatin1String("true") || s == QLatin1String("True") || s == QLatin1String("TRUE"))
        return true;
    if (s == QLatin1String("false") || s == QLatin1String("False") || s == QLatin1String("FALSE"))
        return false;
    static const QRegularExpression intDec(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression intOct(QStringLiteral("^0o[0-7]+$"));
    static const QRegularExpression intHex(QStringLiteral("^0x[0-9a-fA-F]+$"));
    static const QRegularExpression floatRe(QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    bool ok = false;
    if (intDec.match(s).hasMatch()) {
        const qint64 v = s.toLongLong(&ok);
        if (ok)
            return double(v) == std::trunc(double(v)) ? QJsonValue(v) : QJsonValue(s);
        return s.toDouble();
    }
    if (intOct.match(s).hasMatch()) {
        const qint64 v = s.mid(2).toLongLong(&ok, 8);
        if (ok)
            return v;
    }
    if (intHex.match(s).hasMatch()) {
        const qint64 v = s.mid(2).toLongLong(&ok, 16);
        if (ok)
            return v;
    }
    if (floatRe.match(s).hasMatch()) {
        const double v = s.toDouble(&ok);
        if (ok)
            return v;
    }
    return s;
}

Result<QJsonValue> convert(const YAML::Node& node, const QString& source, int depth)
{
    if (depth > 256)
        return Error::badRequest(QStringLiteral("%1: YAML nesting is deeper than 256 levels").arg(source));
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return QJsonValue(QJsonValue::Null);
    case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str")
            return QJsonValue(QString::fromStdString(node.Scalar()));
        if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool" ||
            tag == "tag:yaml.org,2002:null" || tag == "?" || tag.empty())
            return resolvePlainScalar(node.Scalar());
        return QJsonValue(QString::fromStdString(node.Scalar()));
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto& item : node) {
            auto value = convert(item, source, depth + 1);
            if (!value)
                return value;
            array.append(value.value());
        }
        return QJsonValue(array);
    }
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) {
                const auto mark = entry.first.Mark();
                return Error::badRequest(QStringLiteral("%1:%2:%3: mapping keys must be scalars")
                                             .arg(source)
                                             .arg(mark.line + 1)
                                             .arg(mark.column + 1));
            }
            auto value = convert(entry.second, source, depth + 1);
            if (!value)
                return value;
            object.insert(QString::fromStdString(entry.first.Scalar()), value.value());
        }
        return QJsonValue(object);
    }
    }
    return QJsonValue(QJsonValue::Null);
}

void emit(YAML::Emitter& out, const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out << YAML::Null;
        break;
    case QJsonValue::Bool:
        out << value.toBool();
        break;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (d == std::trunc(d) && std::abs(d) < 9.0e15)
            out << static_cast<long long>(d);
        else
            out << d;
        break;
    }
    case QJsonValue::String: {
        const QString s = value.toString();
        // Quote strings that would otherwise read back as another type.
        const QJsonValue asPlain = resolvePlainScalar(s.toStdString());
        if (s.isEmpty() || !asPlain.isString())
            out << YAML::SingleQuoted << s.toStdString();
        else
            out << s.toStdString();
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            break;
        }
        out << YAML::BeginSeq;
        for (const auto& item : array)
            emit(out, item);
        out << YAML::EndSeq;
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            break;
        }
        out << YAML::BeginMap;
        for (auto it = object.begin(); it != object.end(); ++it) {
            out << YAML::Key << it.key().toStdString() << YAML::Value;
            emit(out, it.value());
        }
        out << YAML::EndMap;
        break;
    }
    }
}

QString yamlErrorText(const YAML::Exception& e, const QString& source)
{
    return QStringLiteral("%1:%2:%3: %4")
        .arg(source)
        .arg(e.mark.line + 1)
        .arg(e.mark.column + 1)
        .arg(QString::fromStdString(e.msg));
}

} // namespace

Result<QJsonValue> fromYaml(const QByteArray& text, const QString& source)
{
    try {
        const YAML::Node root = YAML::Load(text.toStdString());
        return convert(root, source, 0);
    } catch (const YAML::Exception& e) {
        return Error::badRequest(yamlErrorText(e, source));
    } catch (const std::exception& e) {
        return Error::badRequest(QStringLiteral("%1: %2").arg(source, QString::fromUtf8(e.what())));
    }
}

Result<QList<QJsonValue>> fromYamlStream(const QByteArray& text, const QString& source)
{
    try {
        const auto docs = YAML::LoadAll(text.toStdString());
        QList<QJsonValue> values;
        for (const auto& doc : docs) {
            if (doc.IsNull() || !doc.IsDefined())
                continue;
            auto value = convert(doc, source, 0);
            if (!value)
                return value.error();
            values.append(value.value());
        }
        return values;
    } catch (const YAML::Exception& e) {
        return Error::badRequest(yamlErrorText(e, source));
    } catch (const std::exception& e) {
        return Error::badRequest(QStringLiteral("%1: %2").arg(source, QString::fromUtf8(e.what())));
    }
}

QByteArray toYaml(const QJsonValue& value)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    emit(out, value);
    QByteArray result(out.c_str(), qsizetype(out.size()));
    if (!result.endsWith('\n'))
        result.append('\n');
    return result;
}

Result<QJsonObject> parseObject(const QByteArray& text, const QString& source)
{
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return Error::badRequest(
            QStringLiteral("%1: invalid JSON at offset %2: %3").arg(source).arg(error.offset).arg(error.errorString()));
    if (!doc.isObject())
        return Error::badRequest(QStringLiteral("%1: expected a JSON object").arg(source));
    return doc.object();
}

Result<QJsonObject> parseObjectJsonOrYaml(const QByteArray& text, const QByteArray& contentType, const QString& source)
{
    const bool yaml = contentType.contains("yaml");
    if (!yaml)
        return parseObject(text, source);
    auto value = fromYaml(text, source);
    if (!value)
        return value.error();
    if (!value->isObject())
        return Error::badRequest(QStringLiteral("%1: expected a YAML mapping").arg(source));
    return value->toObject();
}

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

namespace {

constexpr quint64 kFnvPrime = 0x100000001b3ULL;

quint64 mixBytes(quint64 h, const void* data, size_t size)
{
    // Eight bytes at a time (multiply, then fold the high bits down), the rest byte by byte as FNV-1a.
    const auto* bytes = static_cast<const unsigned char*>(data);
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 word = 0;
        std::memcpy(&word, bytes + i, 8);
        h = (h ^ word) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
    }
    for (; i < size; ++i)
        h = (h ^ bytes[i]) * kFnvPrime;
    return h;
}

quint64 mixWord(quint64 h, quint64 word)
{
    return mixBytes(h, &word, sizeof word);
}

quint64 mixString(quint64 h, QStringView text)
{
    h = mixWord(h, quint64(text.size()));
    return mixBytes(h, text.data(), size_t(text.size()) * sizeof(QChar));
}

quint64 hashValue(quint64 h, const QJsonValue& value)
{
    // Every value starts with its type, so that "1" and 1, [] and {}, or ["a","b"] and ["ab"] differ.
    h = mixWord(h, quint64(value.type()));
    switch (value.type()) {
    case QJsonValue::Bool:
        return mixWord(h, value.toBool() ? 1 : 0);
    case QJsonValue::Double: {
        const double d = value.toDouble();
        quint64 bits = 0;
        std::memcpy(&bits, &d, sizeof bits);
        return mixWord(h, d == 0 ? 0 : bits); // -0 == 0
    }
    case QJsonValue::String:
        return mixString(h, value.toString());
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        h = mixWord(h, quint64(array.size()));
        for (const QJsonValue& item : array)
            h = hashValue(h, item);
        return h;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        h = mixWord(h, quint64(object.size()));
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            h = mixString(h, it.key());
            h = hashValue(h, it.value());
        }
        return h;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return h;
    }
    return h;
}

/// "yyyy-MM-ddTHH:mm:ss" of a UTC time, or empty for years outside 0..9999 (Qt then formats it).
QString formatUtcSeconds(const QDateTime& time, int extra)
{
    const qint64 ms = time.toMSecsSinceEpoch();
    qint64 days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
    const qint64 msOfDay = ms - days * 86'400'000;
    // Howard Hinnant's civil_from_days.
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999)
        return {};
    const qint64 seconds = msOfDay / 1000;
    QString out(19 + extra, Qt::Uninitialized);
    QChar* p = out.data();
    const auto put = [&p](qint64 value, int digits) {
        for (int i = digits - 1; i >= 0; --i) {
            p[i] = QChar(u'0' + char16_t(value % 10));
            value /= 10;
        }
        p += digits;
    };
    put(year, 4);
    *p++ = u'-';
    put(month, 2);
    *p++ = u'-';
    put(day, 2);
    *p++ = u'T';
    put(seconds / 3600, 2);
    *p++ = u':';
    put(seconds / 60 % 60, 2);
    *p++ = u':';
    put(seconds % 60, 2);
    return out;
}

} // namespace

quint64 hash(const QJsonValue& value, quint64 seed)
{
    return hashValue(0xcbf29ce484222325ULL ^ seed, value);
}

QString formatTime(const QDateTime& time)
{
    if (!time.isValid())
        return {};
    QString out = formatUtcSeconds(time, 1);
    if (out.isEmpty())
        return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    out[19] = u'Z';
    return out;
}

QString formatMicroTime(const QDateTime& time)
{
    if (!time.isValid())
        return {};
    QString out = formatUtcSeconds(time, 8); // ".uuuuuuZ"
    if (out.isEmpty())
        return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000Z");
    const qint64 ms = time.toMSecsSinceEpoch();
    const qint64 milli = ((ms % 1000) + 1000) % 1000;
    QChar* p = out.data() + 19;
    *p++ = u'.';
    p[0] = QChar(u'0' + char16_t(milli / 100));
    p[1] = QChar(u'0' + char16_t(milli / 10 % 10));
    p[2] = QChar(u'0' + char16_t(milli % 10));
    p[3] = p[4] = p[5] = QChar(u'0');
    p[6] = QChar(u'Z');
    return out;
}

QDateTime parseTime(const QString& text)
{
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        // Sub-millisecond fractions (MicroTime) are not understood by Qt; cut them to milliseconds.
        static const QRegularExpression frac(QStringLiteral("^(.*T\\d\\d:\\d\\d:\\d\\d)\\.(\\d+)(.*)$"));
        const auto m = frac.match(text);
        if (m.hasMatch())
            t = QDateTime::fromString(m.captured(1) + QLatin1Char('.') + m.captured(2).left(3).leftJustified(3, u'0') +
                                          m.captured(3),
                                      Qt::ISODateWithMs);
    }
    return t.isValid() ? t.toUTC() : QDateTime();
}

QJsonValue at(const QJsonObject& object, std::initializer_list<QLatin1String> path)
{
    QJsonValue current = object;
    for (const auto& key : path) {
        if (!current.isObject())
            return QJsonValue(QJsonValue::Undefined);
        current = current.toObject().value(key);
    }
    return current;
}

} // namespace vk::json
