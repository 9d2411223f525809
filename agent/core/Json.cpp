// SPDX-License-Identifier: Apache-2.0
#include "core/Json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include <yaml-cpp/yaml.h>

#include <cmath>

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

QString formatTime(const QDateTime& time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QString formatMicroTime(const QDateTime& time)
{
    const QDateTime utc = time.toUTC();
    return utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000Z");
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
