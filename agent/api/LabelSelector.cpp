// SPDX-License-Identifier: Apache-2.0
#include "api/LabelSelector.h"

#include "api/Validation.h"

#include <QJsonArray>

#include <algorithm>

namespace vk::api {

namespace v = validation;

namespace {

using Op = LabelRequirement::Op;

// ---- the lexer and parser of k8s.io/apimachinery/pkg/labels/selector.go ----

enum class Token
{
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar
};

struct Item
{
    Token token = Token::Error;
    QString literal;
};

std::optional<Token> literalToken(const QString& s)
{
    if (s == QLatin1String(")"))
        return Token::ClosedPar;
    if (s == QLatin1String(","))
        return Token::Comma;
    if (s == QLatin1String("!"))
        return Token::DoesNotExist;
    if (s == QLatin1String("=="))
        return Token::DoubleEquals;
    if (s == QLatin1String("="))
        return Token::Equals;
    if (s == QLatin1String(">"))
        return Token::GreaterThan;
    if (s == QLatin1String("in"))
        return Token::In;
    if (s == QLatin1String("<"))
        return Token::LessThan;
    if (s == QLatin1String("!="))
        return Token::NotEquals;
    if (s == QLatin1String("notin"))
        return Token::NotIn;
    if (s == QLatin1String("("))
        return Token::OpenPar;
    return std::nullopt;
}

bool isWhitespace(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\r') || c == QLatin1Char('\n');
}

bool isSpecialSymbol(QChar c)
{
    switch (c.unicode()) {
    case '=':
    case '!':
    case '(':
    case ')':
    case ',':
    case '>':
    case '<':
        return true;
    default:
        return false;
    }
}

class Lexer
{
public:
    explicit Lexer(const QString& s) : m_s(s) {}

    Item lex()
    {
        while (m_pos < m_s.size() && isWhitespace(m_s.at(m_pos)))
            ++m_pos;
        if (m_pos >= m_s.size())
            return {Token::EndOfString, QString()};
        if (isSpecialSymbol(m_s.at(m_pos)))
            return scanSpecialSymbol();
        return scanIdOrKeyword();
    }

private:
    Item scanIdOrKeyword()
    {
        const qsizetype start = m_pos;
        while (m_pos < m_s.size() && !isSpecialSymbol(m_s.at(m_pos)) && !isWhitespace(m_s.at(m_pos)))
            ++m_pos;
        const QString s = m_s.mid(start, m_pos - start);
        if (const auto token = literalToken(s))
            return {*token, s};
        return {Token::Identifier, s};
    }

    Item scanSpecialSymbol()
    {
        Item last;
        bool found = false;
        QString buffer;
        while (m_pos < m_s.size() && isSpecialSymbol(m_s.at(m_pos))) {
            buffer += m_s.at(m_pos);
            ++m_pos;
            if (const auto token = literalToken(buffer)) {
                last = {*token, buffer};
                found = true;
            } else if (found) {
                --m_pos;
                break;
            }
        }
        if (!found)
            return {Token::Error, QStringLiteral("error expected: keyword found '") + buffer + QLatin1Char('\'')};
        return last;
    }

    QString m_s;
    qsizetype m_pos = 0;
};

enum class Context
{
    KeyAndOperator,
    Values
};

class Parser
{
public:
    explicit Parser(const QString& selector)
    {
        Lexer lexer(selector);
        for (;;) {
            Item item = lexer.lex();
            const bool end = item.token == Token::EndOfString;
            m_items.append(std::move(item));
            if (end)
                break;
        }
    }

    Result<QList<LabelRequirement>> parse()
    {
        QList<LabelRequirement> requirements;
        for (;;) {
            const Item next = lookahead(Context::Values);
            switch (next.token) {
            case Token::Identifier:
            case Token::DoesNotExist: {
                auto requirement = parseRequirement();
                if (!requirement)
                    return Error::badRequest(QStringLiteral("unable to parse requirement: ") +
                                             requirement.error().message());
                requirements.append(requirement.value());
                const Item after = consume(Context::Values);
                if (after.token == Token::EndOfString)
                    return requirements;
                if (after.token == Token::Comma) {
                    const Item t2 = lookahead(Context::Values);
                    if (t2.token != Token::Identifier && t2.token != Token::DoesNotExist)
                        return Error::badRequest(QStringLiteral("found '") + t2.literal +
                                                 QStringLiteral("', expected: identifier after ','"));
                    break;
                }
                return Error::badRequest(QStringLiteral("found '") + after.literal +
                                         QStringLiteral("', expected: ',' or 'end of string'"));
            }
            case Token::EndOfString:
                return requirements;
            default:
                return Error::badRequest(QStringLiteral("found '") + next.literal +
                                         QStringLiteral("', expected: !, identifier, or 'end of string'"));
            }
        }
    }

private:
    Item lookahead(Context context) const
    {
        Item item = m_items.at(m_position);
        if (context == Context::Values && (item.token == Token::In || item.token == Token::NotIn))
            item.token = Token::Identifier;
        return item;
    }

    Item consume(Context context)
    {
        Item item = lookahead(context);
        ++m_position;
        return item;
    }

    Result<LabelRequirement> parseRequirement()
    {
        Op op = Op::Equals;
        Item item = consume(Context::Values);
        bool notExists = false;
        if (item.token == Token::DoesNotExist) {
            notExists = true;
            item = consume(Context::Values);
        }
        if (item.token != Token::Identifier)
            return Error::badRequest(QStringLiteral("found '") + item.literal +
                                     QStringLiteral("', expected: identifier"));
        const QString key = item.literal;
        const QStringList keyErrors = v::qualifiedNameErrors(key);
        if (!keyErrors.isEmpty()) {
            // validateLabelKey(literal, p.path) with a nil path prints as "<nil>".
            return Error::badRequest(QStringLiteral("<nil>: Invalid value: ") + v::goQuote(key) + QStringLiteral(": ") +
                                     keyErrors.join(QStringLiteral("; ")));
        }
        // "!key" is always DoesNotExist (a following operator is then a syntax error); a bare "key" is Exists.
        const Token t = lookahead(Context::Values).token;
        if (notExists)
            return LabelRequirement{key, Op::DoesNotExist, {}};
        if (t == Token::EndOfString || t == Token::Comma)
            return LabelRequirement{key, Op::Exists, {}};

        const Item opItem = consume(Context::KeyAndOperator);
        switch (opItem.token) {
        case Token::In:
            op = Op::In;
            break;
        case Token::Equals:
        case Token::DoubleEquals:
            op = Op::Equals;
            break;
        case Token::GreaterThan:
            op = Op::GreaterThan;
            break;
        case Token::LessThan:
            op = Op::LessThan;
            break;
        case Token::NotIn:
            op = Op::NotIn;
            break;
        case Token::NotEquals:
            op = Op::NotEquals;
            break;
        default:
            return Error::badRequest(QStringLiteral("found '") + opItem.literal +
                                     QStringLiteral("', expected: in, notin, =, ==, !=, gt, lt"));
        }

        QStringList values;
        if (op == Op::In || op == Op::NotIn) {
            auto parsed = parseValues();
            if (!parsed)
                return parsed.error();
            values = parsed.value();
        } else {
            auto parsed = parseExactValue();
            if (!parsed)
                return parsed.error();
            values = parsed.value();
        }
        values.sort();
        values.removeDuplicates();
        return newRequirement(key, op, values);
    }

    Result<QStringList> parseValues()
    {
        Item item = consume(Context::Values);
        if (item.token != Token::OpenPar)
            return Error::badRequest(QStringLiteral("found '") + item.literal + QStringLiteral("' expected: '('"));
        item = lookahead(Context::Values);
        switch (item.token) {
        case Token::Identifier:
        case Token::Comma: {
            auto list = parseIdentifiersList();
            if (!list)
                return list.error();
            if (consume(Context::Values).token != Token::ClosedPar)
                return Error::badRequest(QStringLiteral("found '") + item.literal + QStringLiteral("', expected: ')'"));
            return list;
        }
        case Token::ClosedPar:
            consume(Context::Values);
            return QStringList{QString()};
        default:
            return Error::badRequest(QStringLiteral("found '") + item.literal +
                                     QStringLiteral("', expected: ',', ')' or identifier"));
        }
    }

    Result<QStringList> parseIdentifiersList()
    {
        QStringList values;
        for (;;) {
            const Item item = consume(Context::Values);
            switch (item.token) {
            case Token::Identifier: {
                values.append(item.literal);
                const Item next = lookahead(Context::Values);
                if (next.token == Token::Comma)
                    continue;
                if (next.token == Token::ClosedPar)
                    return values;
                return Error::badRequest(QStringLiteral("found '") + next.literal +
                                         QStringLiteral("', expected: ',' or ')'"));
            }
            case Token::Comma: {
                if (values.isEmpty())
                    values.append(QString()); // "(,"
                const Token next = lookahead(Context::Values).token;
                if (next == Token::ClosedPar) {
                    values.append(QString()); // ",)"
                    return values;
                }
                if (next == Token::Comma)
                    values.append(QString()); // ",,"
                break;
            }
            default:
                return Error::badRequest(QStringLiteral("found '") + item.literal +
                                         QStringLiteral("', expected: ',', or identifier"));
            }
        }
    }

    Result<QStringList> parseExactValue()
    {
        const Token next = lookahead(Context::Values).token;
        if (next == Token::EndOfString || next == Token::Comma)
            return QStringList{QString()};
        const Item item = consume(Context::Values);
        if (item.token == Token::Identifier)
            return QStringList{item.literal};
        return Error::badRequest(QStringLiteral("found '") + item.literal + QStringLiteral("', expected: identifier"));
    }

    // labels.NewRequirement's checks for what the string syntax can produce.
    static Result<LabelRequirement> newRequirement(const QString& key, Op op, const QStringList& values)
    {
        v::Causes causes;
        if ((op == Op::GreaterThan || op == Op::LessThan)) {
            for (qsizetype i = 0; i < values.size(); ++i) {
                bool ok = false;
                values.at(i).toLongLong(&ok);
                if (!ok) {
                    v::invalid(QStringLiteral("values[%1]").arg(i), values.at(i),
                               QStringLiteral("for 'Gt', 'Lt' operators, the value must be an integer"), causes);
                }
            }
        }
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QStringList errs = v::labelValueErrors(values.at(i));
            if (!errs.isEmpty()) {
                v::invalid(QStringLiteral("values[%1][%2]").arg(i).arg(key), values.at(i),
                           errs.join(QStringLiteral("; ")), causes);
            }
        }
        if (!causes.isEmpty())
            return Error::badRequest(v::aggregateMessage(causes));
        return LabelRequirement{key, op, values};
    }

    QList<Item> m_items;
    qsizetype m_position = 0;
};

QString join(const QString& base, const QString& child)
{
    return base.isEmpty() ? child : base + QLatin1Char('.') + child;
}

void sortByKey(QList<LabelRequirement>& requirements)
{
    std::stable_sort(requirements.begin(), requirements.end(),
                     [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
}

// Reads a JSON array of strings; a non-string element gets an Invalid cause.
QStringList stringList(const QJsonValue& value, const QString& field, v::Causes& causes)
{
    QStringList out;
    if (value.isUndefined() || value.isNull())
        return out;
    if (!value.isArray()) {
        v::invalid(field, value, QStringLiteral("must be a list of strings"), causes);
        return out;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString())
            v::invalid(field + QStringLiteral("[%1]").arg(i), array.at(i), QStringLiteral("must be a string"), causes);
        out.append(array.at(i).toString());
    }
    return out;
}

Error invalidSelector(const v::Causes& causes)
{
    Error error(ErrorCategory::Invalid, v::aggregateMessage(causes));
    for (const auto& cause : causes)
        error.addCause(cause);
    return error;
}

// One matchExpressions entry of a LabelSelector (isNode: a NodeSelectorRequirement, which adds Gt and Lt).
std::optional<LabelRequirement>
requirementFromObject(const QJsonValue& entry, const QString& path, bool isNode, v::Causes& causes)
{
    if (!entry.isObject()) {
        v::invalid(path, entry, QStringLiteral("must be an object"), causes);
        return std::nullopt;
    }
    const QJsonObject expr = entry.toObject();
    const QString key = expr.value(QStringLiteral("key")).toString();
    const QString opText = expr.value(QStringLiteral("operator")).toString();
    const QString valuesPath = join(path, QStringLiteral("values"));
    const QStringList values = stringList(expr.value(QStringLiteral("values")), valuesPath, causes);
    const qsizetype before = causes.size();

    Op op = Op::In;
    if (opText == QLatin1String("In") || opText == QLatin1String("NotIn")) {
        op = opText == QLatin1String("In") ? Op::In : Op::NotIn;
        if (values.isEmpty())
            causes.append({QStringLiteral("FieldValueRequired"),
                           QStringLiteral("Required value: must be specified when `operator` is 'In' or 'NotIn'"),
                           valuesPath});
    } else if (opText == QLatin1String("Exists") || opText == QLatin1String("DoesNotExist")) {
        op = opText == QLatin1String("Exists") ? Op::Exists : Op::DoesNotExist;
        if (!values.isEmpty())
            v::forbidden(valuesPath,
                         QStringLiteral("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"), causes);
    } else if (isNode && (opText == QLatin1String("Gt") || opText == QLatin1String("Lt"))) {
        op = opText == QLatin1String("Gt") ? Op::GreaterThan : Op::LessThan;
        if (values.size() != 1) {
            causes.append(
                {QStringLiteral("FieldValueRequired"),
                 QStringLiteral("Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"),
                 valuesPath});
        }
    } else {
        v::invalid(join(path, QStringLiteral("operator")), opText, QStringLiteral("not a valid selector operator"),
                   causes);
    }
    v::qualifiedName(key, join(path, QStringLiteral("key")), causes);
    for (qsizetype i = 0; i < values.size(); ++i)
        v::labelValue(values.at(i), valuesPath + QStringLiteral("[%1]").arg(i), causes);
    if (causes.size() != before)
        return std::nullopt;
    return LabelRequirement{key, op, values};
}

bool isInteger(const QString& s, qint64& out)
{
    bool ok = false;
    out = s.toLongLong(&ok);
    return ok;
}

} // namespace

bool LabelRequirement::matches(const QJsonObject& labels) const
{
    const auto it = labels.constFind(key);
    const bool present = it != labels.constEnd();
    const QString value = present ? it.value().toString() : QString();
    switch (op) {
    case Op::Equals:
    case Op::In:
        return present && values.contains(value);
    case Op::NotEquals:
    case Op::NotIn:
        return !present || !values.contains(value);
    case Op::Exists:
        return present;
    case Op::DoesNotExist:
        return !present;
    case Op::GreaterThan:
    case Op::LessThan: {
        qint64 have = 0;
        qint64 want = 0;
        if (!present || values.size() != 1 || !isInteger(value, have) || !isInteger(values.first(), want))
            return false;
        return op == Op::GreaterThan ? have > want : have < want;
    }
    }
    return false;
}

Result<LabelSelector> LabelSelector::parse(const QString& text)
{
    Parser parser(text);
    auto requirements = parser.parse();
    if (!requirements) {
        return Error::badRequest(QStringLiteral("unable to parse label selector \"") + text + QStringLiteral("\": ") +
                                 requirements.error().message());
    }
    LabelSelector selector;
    selector.m_requirements = requirements.value();
    sortByKey(selector.m_requirements);
    return selector;
}

Result<LabelSelector> LabelSelector::fromObject(const QJsonObject& selectorObject, const QString& fieldPath)
{
    v::Causes causes;
    LabelSelector selector;

    const QString matchLabelsPath = join(fieldPath, QStringLiteral("matchLabels"));
    const QJsonValue matchLabels = selectorObject.value(QStringLiteral("matchLabels"));
    if (matchLabels.isObject()) {
        const QJsonObject map = matchLabels.toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            v::qualifiedName(it.key(), matchLabelsPath, causes);
            if (!it.value().isString()) {
                v::invalid(matchLabelsPath, it.value(), QStringLiteral("must be a string"), causes);
                continue;
            }
            v::labelValue(it.value().toString(), matchLabelsPath, causes);
            selector.m_requirements.append({it.key(), Op::Equals, {it.value().toString()}});
        }
    } else if (!matchLabels.isUndefined() && !matchLabels.isNull()) {
        v::invalid(matchLabelsPath, matchLabels, QStringLiteral("must be a map of strings"), causes);
    }

    const QString expressionsPath = join(fieldPath, QStringLiteral("matchExpressions"));
    const QJsonValue expressions = selectorObject.value(QStringLiteral("matchExpressions"));
    if (expressions.isArray()) {
        const QJsonArray array = expressions.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const auto requirement =
                requirementFromObject(array.at(i), expressionsPath + QStringLiteral("[%1]").arg(i), false, causes);
            if (requirement)
                selector.m_requirements.append(*requirement);
        }
    } else if (!expressions.isUndefined() && !expressions.isNull()) {
        v::invalid(expressionsPath, expressions, QStringLiteral("must be a list"), causes);
    }

    if (!causes.isEmpty())
        return invalidSelector(causes);
    sortByKey(selector.m_requirements);
    return selector;
}

Result<LabelSelector> LabelSelector::fromNodeSelectorRequirements(const QJsonArray& expressions,
                                                                  const QString& fieldPath)
{
    v::Causes causes;
    LabelSelector selector;
    for (qsizetype i = 0; i < expressions.size(); ++i) {
        const auto requirement =
            requirementFromObject(expressions.at(i), fieldPath + QStringLiteral("[%1]").arg(i), true, causes);
        if (requirement)
            selector.m_requirements.append(*requirement);
    }
    if (!causes.isEmpty())
        return invalidSelector(causes);
    return selector;
}

bool LabelSelector::matches(const QJsonObject& labels) const
{
    return std::all_of(m_requirements.begin(), m_requirements.end(),
                       [&labels](const LabelRequirement& r) { return r.matches(labels); });
}

QString LabelSelector::toString() const
{
    QStringList parts;
    for (const auto& r : m_requirements) {
        QStringList values = r.values;
        values.sort();
        switch (r.op) {
        case Op::Equals:
            parts.append(r.key + QLatin1Char('=') + values.value(0));
            break;
        case Op::NotEquals:
            parts.append(r.key + QStringLiteral("!=") + values.value(0));
            break;
        case Op::In:
            parts.append(r.key + QStringLiteral(" in (") + values.join(QLatin1Char(',')) + QLatin1Char(')'));
            break;
        case Op::NotIn:
            parts.append(r.key + QStringLiteral(" notin (") + values.join(QLatin1Char(',')) + QLatin1Char(')'));
            break;
        case Op::Exists:
            parts.append(r.key);
            break;
        case Op::DoesNotExist:
            parts.append(QLatin1Char('!') + r.key);
            break;
        case Op::GreaterThan:
            parts.append(r.key + QLatin1Char('>') + values.value(0));
            break;
        case Op::LessThan:
            parts.append(r.key + QLatin1Char('<') + values.value(0));
            break;
        }
    }
    return parts.join(QLatin1Char(','));
}

} // namespace vk::api
