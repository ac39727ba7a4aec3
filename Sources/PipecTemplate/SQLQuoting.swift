import PipecSchedule

/// Quoting of values and identifiers for the SQL dialects pipec runs on. Templates should write
/// `{{ params.x | sql_literal }}` rather than `'{{ params.x }}'` so a quote in a value cannot break the statement.
public enum SQLQuoting {
    /// `value` as a literal: strings quoted per dialect, None as NULL, numbers bare, dates and datetimes as quoted
    /// strings (typed `DATE '...'`/`TIMESTAMP '...'` literals on Athena, whose engine does not compare a date with a
    /// string), lists and tuples as `(a, b)` for `IN`. Aware datetimes are written in UTC.
    public static func literal(_ value: TemplateValue, dialect: SQLDialect) throws(TemplateFunctionError) -> String {
        do {
            return try literalText(value, dialect: dialect)
        } catch {
            throw TemplateFunctionError(error.message, help: error.help)
        }
    }

    /// A possibly dotted identifier (`schema.table`), each part quoted separately.
    public static func identifier(_ name: String, dialect: SQLDialect) throws(TemplateFunctionError) -> String {
        do {
            return try identifierText(.string(name), dialect: dialect)
        } catch {
            throw TemplateFunctionError(error.message, help: error.help)
        }
    }

    static func literalText(_ value: TemplateValue, dialect: SQLDialect) throws(EvalFailure) -> String {
        switch value {
        case .none: return "NULL"
        case .bool(let b):
            switch dialect {
            case .clickhouse, .sqlite: return b ? "1" : "0"
            case .postgres, .athena, .generic: return b ? "TRUE" : "FALSE"
            }
        case .int(let i): return String(i)
        case .double(let d):
            guard d.isFinite else { throw EvalFailure.value("a non-finite float has no SQL literal form") }
            return d.description
        case .string(let s): return quoteString(s, dialect: dialect)
        case .date(let d):
            let text = quoteString(d.isoString, dialect: dialect)
            return dialect == .athena ? "DATE " + text : text
        case .datetime(let dt):
            var c = dt.civil
            if dt.zone != nil { c = CivilDateTime(dt.instant, offsetSeconds: 0) }
            var s = ""
            Digits.date(c, into: &s)
            s.append(" ")
            Digits.time(c, into: &s)
            let text = quoteString(s, dialect: dialect)
            return dialect == .athena ? "TIMESTAMP " + text : text
        case .list(let items), .tuple(let items):
            guard !items.isEmpty else { return "(NULL)" }
            var parts: [String] = []
            for item in items {
                switch item {
                case .list, .tuple: throw EvalFailure.type("sql_literal cannot quote a nested list")
                default: parts.append(try literalText(item, dialect: dialect))
                }
            }
            return "(" + parts.joined(separator: ", ") + ")"
        default:
            throw EvalFailure.type("sql_literal cannot quote a '\(PythonText.typeName(value))'",
                                   help: "quote a str, number, bool, None, date, datetime or a list of those")
        }
    }

    static func quoteString(_ s: String, dialect: SQLDialect) -> String {
        var bytes: [UInt8] = [0x27]
        bytes.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 {
            if b == 0x27 {
                // ClickHouse string literals interpret backslash escapes; standard SQL doubles the quote.
                bytes.append(dialect == .clickhouse ? 0x5C : 0x27)
            } else if b == 0x5C, dialect == .clickhouse {
                bytes.append(0x5C)
            }
            bytes.append(b)
        }
        bytes.append(0x27)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func identifierText(_ value: TemplateValue, dialect: SQLDialect) throws(EvalFailure) -> String {
        guard case .string(let name) = value else {
            throw EvalFailure.type("sql_identifier expects a str, got '\(PythonText.typeName(value))'")
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.contains(where: \.isEmpty) else {
            throw EvalFailure.value("sql_identifier got an empty name or name part")
        }
        return parts.map { part -> String in
            switch dialect {
            case .clickhouse:
                var out = "`"
                for c in part.unicodeScalars {
                    switch c {
                    case "`": out += "\\`"
                    case "\\": out += "\\\\"
                    default: out.unicodeScalars.append(c)
                    }
                }
                return out + "`"
            case .postgres, .sqlite, .athena, .generic:
                return "\"" + part.replacingDoubleQuotes() + "\""
            }
        }.joined(separator: ".")
    }
}

extension Substring {
    fileprivate func replacingDoubleQuotes() -> String {
        var out = ""
        for c in unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}
