import Foundation
import PipecDiagnostics

/// The filters templates may use: Airflow's date filters, Jinja's built-ins that SQL templates use, and pipec's
/// `strftime`, `sql_literal`, `sql_identifier`. Resolved at parse time, so an unknown filter is a parse error
/// (as in Jinja, which fails at compile time).
enum FilterKind: String, CaseIterable, Sendable {
    case ds, ds_nodash, ts, ts_nodash, ts_nodash_with_tz
    case upper, lower, trim, replace, `default`, join, length, int, float, string, tojson, strftime
    case sql_literal, sql_identifier
    case first, last, list, sort, reverse, unique, min, max, sum, abs, round, title, capitalize
    case format, map, select, reject, items, safe, wordcount

    init?(name: String) {
        switch name {
        case "d": self = .default
        case "count": self = .length
        default: self.init(rawValue: name)
        }
    }

    static let names: [String] = allCases.map(\.rawValue) + ["d", "count"]
}

extension Renderer {
    /// `x | default(value='', boolean=false)`: the one filter that accepts an undefined value.
    func applyDefault(_ baseExpr: Expr, _ arguments: Arguments, _ span: Span) throws(TemplateError) -> TemplateValue {
        let value = try probe(baseExpr)
        if let value, arguments.isEmpty { return value }
        let args = try evalArgs(arguments)
        let bound = try located(span) { () throws(EvalFailure) in try args.bind("default", ["default_value", "boolean"]) }
        let boolean = bound[1].map(Ops.truthy) ?? false
        if let value, !(boolean && !Ops.truthy(value)) { return value }
        return bound[0] ?? .string("")
    }

    func applyFilter(_ kind: FilterKind, _ value: TemplateValue, _ arguments: Arguments, _ span: Span) throws(TemplateError) -> TemplateValue {
        // Argument-less Airflow filters are the hot ones: no argument array is built for them.
        switch kind {
        case .ds, .ds_nodash, .ts, .ts_nodash, .ts_nodash_with_tz:
            guard arguments.isEmpty else { throw fail(TemplateErrorCode.arguments, "filter '\(kind.rawValue)' takes no arguments", span) }
            return try located(span) { () throws(EvalFailure) in try Filters.airflow(kind, value) }
        case .sql_literal where arguments.isEmpty:
            return try located(span) { () throws(EvalFailure) in .string(try SQLQuoting.literalText(value, dialect: context.dialect)) }
        case .sql_identifier where arguments.isEmpty:
            return try located(span) { () throws(EvalFailure) in .string(try SQLQuoting.identifierText(value, dialect: context.dialect)) }
        default:
            break
        }
        let args = try evalArgs(arguments)
        switch kind {
        case .map: return try mapFilter(value, args, span)
        case .select, .reject: return try selectFilter(value, args, span, keep: kind == .select)
        default:
            return try located(span) { () throws(EvalFailure) in try Ops.sized(Filters.apply(kind, value, args, dialect: context.dialect), limit: limits.maxOutputBytes) }
        }
    }

    private func sequence(_ value: TemplateValue, _ filter: String) throws(EvalFailure) -> [TemplateValue] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let d): return d.keys
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        default: throw EvalFailure.type("filter '\(filter)' expects a sequence, got '\(PythonText.typeName(value))'")
        }
    }

    /// `xs | map('upper')`, `xs | map('replace', 'a', 'b')`, `xs | map(attribute='name', default='x')`.
    private func mapFilter(_ value: TemplateValue, _ args: Args, _ span: Span) throws(TemplateError) -> TemplateValue {
        // Jinja's map and select/reject iterate only a truthy value: `0 | map('upper')` is empty.
        if !Ops.truthy(value) { return .list([]) }
        let items = try located(span) { () throws(EvalFailure) in try sequence(value, "map") }
        if let attribute = args.keywords.first(where: { $0.name == "attribute" })?.value {
            guard case .string(let path) = attribute else { throw fail(TemplateErrorCode.type, "map(attribute=...) expects a str", span) }
            let fallback = args.keywords.first(where: { $0.name == "default" })?.value
            var result: [TemplateValue] = []
            for item in items {
                var current: TemplateValue? = item
                for part in path.split(separator: ".") {
                    guard let c = current else { break }
                    current = try self.item(c, Int(part).map { .int($0) } ?? .string(String(part)), span)
                }
                guard let v = current ?? fallback else {
                    throw fail(TemplateErrorCode.undefined, "an item has no attribute '\(path)'", span)
                }
                result.append(v)
            }
            return .list(result)
        }
        guard case .string(let name)? = args.positional.first else {
            throw fail(TemplateErrorCode.arguments, "map() needs a filter name or attribute=...", span)
        }
        guard let kind = FilterKind(name: name) else {
            throw fail(TemplateErrorCode.unknownFilter, "unknown filter '\(name)'", span, help: DidYouMeanHelp.filter(name))
        }
        let rest = Args(positional: Array(args.positional.dropFirst()), keywords: args.keywords)
        var result: [TemplateValue] = []
        for item in items {
            result.append(try located(span) { () throws(EvalFailure) in try Filters.apply(kind, item, rest, dialect: context.dialect) })
        }
        return .list(result)
    }

    private func selectFilter(_ value: TemplateValue, _ args: Args, _ span: Span, keep: Bool) throws(TemplateError) -> TemplateValue {
        if !Ops.truthy(value) { return .list([]) }
        let items = try located(span) { () throws(EvalFailure) in try sequence(value, keep ? "select" : "reject") }
        var test: TestKind?
        if case .string(let name)? = args.positional.first {
            guard let t = TestKind(name: name) else {
                throw fail(TemplateErrorCode.unknownTest, "unknown test '\(name)'", span, help: DidYouMeanHelp.test(name))
            }
            test = t
        }
        let rest = Array(args.positional.dropFirst())
        var result: [TemplateValue] = []
        for item in items {
            let passes: Bool
            if let test {
                passes = try located(span) { () throws(EvalFailure) in try Tests.apply(test, item, rest) }
            } else {
                passes = Ops.truthy(item)
            }
            if passes == keep { result.append(item) }
        }
        return .list(result)
    }
}

enum DidYouMeanHelp {
    static func filter(_ name: String) -> String? { DidYouMean.help(name, from: FilterKind.names) }
    static func test(_ name: String) -> String? { DidYouMean.help(name, from: TestKind.names) }
}

enum Filters {
    static func airflow(_ kind: FilterKind, _ value: TemplateValue) throws(EvalFailure) -> TemplateValue {
        if case .none = value { return .none }
        switch (kind, value) {
        case (.ds, .datetime(let dt)):
            var s = ""
            s.reserveCapacity(10)
            Digits.date(dt.civil, into: &s)
            return .string(s)
        case (.ds, .date(let d)):
            return .string(d.isoString)
        case (.ds_nodash, .datetime), (.ds_nodash, .date):
            return .string(StrFTime.format(value, "%Y%m%d"))
        case (.ts, .datetime(let dt)):
            return .string(dt.isoformat())
        case (.ts, .date(let d)):
            return .string(d.isoString)
        case (.ts_nodash, .datetime), (.ts_nodash, .date):
            return .string(StrFTime.format(value, "%Y%m%dT%H%M%S"))
        case (.ts_nodash_with_tz, .datetime(let dt)):
            return .string(String(String.UnicodeScalarView(dt.isoformat().unicodeScalars.filter { $0 != "-" && $0 != ":" })))
        case (.ts_nodash_with_tz, .date(let d)):
            return .string(String(d.isoString.filter { $0 != "-" }))
        default:
            throw EvalFailure.type("filter '\(kind.rawValue)' expects a datetime or date, got '\(PythonText.typeName(value))'")
        }
    }

    private static func text(_ value: TemplateValue) -> String { PythonText.str(value) }

    private static func requireString(_ value: TemplateValue?, _ what: String) throws(EvalFailure) -> String {
        guard let value else { return "" }
        if case .string(let s) = value { return s }
        throw EvalFailure.type("\(what) must be a str, not '\(PythonText.typeName(value))'")
    }

    static func apply(_ kind: FilterKind, _ value: TemplateValue, _ args: Args, dialect: SQLDialect) throws(EvalFailure) -> TemplateValue {
        switch kind {
        case .ds, .ds_nodash, .ts, .ts_nodash, .ts_nodash_with_tz:
            try args.noArguments(kind.rawValue)
            return try airflow(kind, value)
        case .upper:
            try args.noArguments("upper")
            return .string(PyStr.upper(text(value)))
        case .lower:
            try args.noArguments("lower")
            return .string(PyStr.lower(text(value)))
        case .trim:
            let b = try args.bind("trim", ["chars"])
            if let chars = b[0], case .string(let set) = chars {
                return .string(StringMethods.strip(text(value), Set(set.unicodeScalars), leading: true, trailing: true))
            }
            return .string(StringMethods.strip(text(value), nil, leading: true, trailing: true))
        case .replace:
            let b = try args.bind("replace", ["old", "new", "count"], required: 2)
            let count = try b[2].map { v throws(EvalFailure) in try intArgument(v, "count") }
            return .string(StringMethods.replace(text(value), text(b[0]!), text(b[1]!), count: count))
        case .default:
            let b = try args.bind("default", ["default_value", "boolean"])
            if (b[1].map(Ops.truthy) ?? false) && !Ops.truthy(value) { return b[0] ?? .string("") }
            return value
        case .join:
            let b = try args.bind("join", ["d", "attribute"])
            let separator = b[0].map(text) ?? ""
            var items = try sequence(value, "join")
            if let attribute = b[1] { items = try attributeValues(items, attribute) }
            return .string(items.map(text).joined(separator: separator))
        case .length:
            try args.noArguments("length")
            switch value {
            case .string(let s): return .int(PyStr.length(s))
            case .list(let a), .tuple(let a): return .int(a.count)
            case .dict(let d): return .int(d.count)
            default: throw EvalFailure.type("object of type '\(PythonText.typeName(value))' has no len()")
            }
        case .int:
            let b = try args.bind("int", ["default", "base"])
            let base = try b[1].map { v throws(EvalFailure) in try intArgument(v, "base") } ?? 10
            return try toInt(value, base: base) ?? b[0] ?? .int(0)
        case .float:
            let b = try args.bind("float", ["default"])
            return toFloat(value) ?? b[0] ?? .double(0)
        case .string:
            try args.noArguments("string")
            return .string(text(value))
        case .safe:
            try args.noArguments("safe")
            return value
        case .tojson:
            let b = try args.bind("tojson", ["indent"])
            let indent = try b[0].flatMap { v throws(EvalFailure) -> Int? in
                if case .none = v { return nil }
                return try intArgument(v, "indent")
            }
            return .string(try JSONText.htmlSafe(JSONText.dumps(value, indent: indent, sortKeys: true)))
        case .strftime:
            let b = try args.bind("strftime", ["format"], required: 1)
            let format = try requireString(b[0], "strftime format")
            switch value {
            case .datetime, .date: return .string(StrFTime.format(value, format))
            default: throw EvalFailure.type("filter 'strftime' expects a datetime or date, got '\(PythonText.typeName(value))'")
            }
        case .sql_literal:
            try args.noArguments("sql_literal")
            return .string(try SQLQuoting.literalText(value, dialect: dialect))
        case .sql_identifier:
            try args.noArguments("sql_identifier")
            return .string(try SQLQuoting.identifierText(value, dialect: dialect))
        case .first, .last:
            try args.noArguments(kind.rawValue)
            let items = try sequence(value, kind.rawValue)
            guard let v = kind == .first ? items.first : items.last else {
                throw EvalFailure.undefined("'\(kind.rawValue)' of an empty sequence is undefined")
            }
            return v
        case .list:
            try args.noArguments("list")
            return .list(try sequence(value, "list"))
        case .sort:
            let b = try args.bind("sort", ["reverse", "case_sensitive", "attribute"])
            let items = try sequence(value, "sort")
            let keys = try sortKeys(items, caseSensitive: b[1].map(Ops.truthy) ?? false, attribute: b[2])
            var order = Array(items.indices)
            var failure: EvalFailure?
            let reverse = b[0].map(Ops.truthy) ?? false
            order.sort { x, y in
                do throws(EvalFailure) {
                    let c = try Ops.compare(keys[x], keys[y])
                    return reverse ? c > 0 : c < 0
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            return .list(order.map { items[$0] })
        case .reverse:
            try args.noArguments("reverse")
            switch value {
            case .string(let s): return .string(PyStr.string(s.unicodeScalars.reversed()))
            default: return .list(try sequence(value, "reverse").reversed())
            }
        case .unique:
            let b = try args.bind("unique", ["case_sensitive", "attribute"])
            let items = try sequence(value, "unique")
            let keys = try sortKeys(items, caseSensitive: b[0].map(Ops.truthy) ?? false, attribute: b[1])
            var seen: [TemplateValue] = []
            var result: [TemplateValue] = []
            for (k, item) in zip(keys, items) where !seen.contains(where: { Ops.equal($0, k) }) {
                seen.append(k)
                result.append(item)
            }
            return .list(result)
        case .min, .max:
            let b = try args.bind(kind.rawValue, ["case_sensitive", "attribute"])
            let items = try sequence(value, kind.rawValue)
            guard !items.isEmpty else { throw EvalFailure.undefined("'\(kind.rawValue)' of an empty sequence is undefined") }
            let keys = try sortKeys(items, caseSensitive: b[0].map(Ops.truthy) ?? false, attribute: b[1])
            var best = 0
            for i in 1..<items.count {
                let c = try Ops.compare(keys[i], keys[best])
                if kind == .min ? c < 0 : c > 0 { best = i }
            }
            return items[best]
        case .sum:
            let b = try args.bind("sum", ["attribute", "start"])
            var items = try sequence(value, "sum")
            if let attribute = b[0] { items = try attributeValues(items, attribute) }
            var total = b[1] ?? .int(0)
            for item in items { total = try Ops.binary(.add, total, item) }
            return total
        case .abs:
            try args.noArguments("abs")
            switch value {
            case .int(let i):
                guard i != .min else { throw EvalFailure.value("integer overflow in abs") }
                return .int(Swift.abs(i))
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d): return .double(Swift.abs(d))
            case .timedelta(let t): return .timedelta(TimeDelta(microseconds: Swift.abs(t.microseconds), flavor: t.flavor))
            default: throw EvalFailure.type("bad operand type for abs(): '\(PythonText.typeName(value))'")
            }
        case .round:
            let b = try args.bind("round", ["precision", "method"])
            let precision = try b[0].map { v throws(EvalFailure) in try intArgument(v, "precision") } ?? 0
            let method = try b[1].map { v throws(EvalFailure) in try requireString(v, "round method") } ?? "common"
            let x: Double
            switch value {
            case .int(let i) where method == "common":
                // Python's round() keeps an int an int.
                guard precision < 0 else { return value }
                return .int(try roundInt(i, -precision))
            case .bool(let v) where method == "common":
                // ...and a bool is an int.
                return .int(precision < 0 ? 0 : v ? 1 : 0)
            case .int(let i): x = Double(i)
            case .bool(let v): x = v ? 1 : 0
            case .double(let d): x = d
            default: throw EvalFailure.type("filter 'round' expects a number, got '\(PythonText.typeName(value))'")
            }
            return .double(try round(x, precision, method))
        case .title:
            try args.noArguments("title")
            return .string(StringMethods.jinjaTitle(text(value)))
        case .capitalize:
            try args.noArguments("capitalize")
            return .string(StringMethods.capitalize(text(value)))
        case .format:
            let f = text(value)
            if !args.keywords.isEmpty {
                return .string(try PercentFormat.format(f, .dict(TemplateDict(keys: args.keywords.map { .string($0.name) }, values: args.keywords.map(\.value)))))
            }
            return .string(try PercentFormat.format(f, .tuple(args.positional)))
        case .items:
            try args.noArguments("items")
            guard case .dict(let d) = value else { throw EvalFailure.type("filter 'items' expects a dict, got '\(PythonText.typeName(value))'") }
            return .list((0..<d.count).map { .tuple([d.keys[$0], d.values[$0]]) })
        case .wordcount:
            try args.noArguments("wordcount")
            // Jinja counts matches of the regex `\w+`.
            return .int(text(value).unicodeScalars.split(whereSeparator: { !PyStr.isWord($0) }).count)
        case .map, .select, .reject:
            throw EvalFailure.arguments("filter '\(kind.rawValue)' cannot be applied here")
        }
    }

    static func intArgument(_ v: TemplateValue, _ name: String) throws(EvalFailure) -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: throw EvalFailure.type("'\(name)' must be an int, not '\(PythonText.typeName(v))'")
        }
    }

    static func sequence(_ value: TemplateValue, _ filter: String) throws(EvalFailure) -> [TemplateValue] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let d): return d.keys
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        default: throw EvalFailure.type("filter '\(filter)' expects a sequence, got '\(PythonText.typeName(value))'")
        }
    }

    private static func attributeValues(_ items: [TemplateValue], _ attribute: TemplateValue) throws(EvalFailure) -> [TemplateValue] {
        let name = PythonText.str(attribute)
        var result: [TemplateValue] = []
        for item in items {
            switch item {
            case .dict(let d):
                guard let v = d[name] else { throw EvalFailure.undefined("an item has no key '\(name)'") }
                result.append(v)
            case .namespace(let ns):
                guard let v = ns[name] else { throw EvalFailure.undefined("an item has no attribute '\(name)'") }
                result.append(v)
            default:
                guard let v = try Members.property(item, Member(name)) else { throw EvalFailure.undefined("an item has no attribute '\(name)'") }
                result.append(v)
            }
        }
        return result
    }

    private static func sortKeys(_ items: [TemplateValue], caseSensitive: Bool, attribute: TemplateValue?) throws(EvalFailure) -> [TemplateValue] {
        var keys = items
        if let attribute { keys = try attributeValues(items, attribute) }
        if !caseSensitive {
            keys = keys.map { k in
                if case .string(let s) = k { return .string(PyStr.lower(s)) }
                return k
            }
        }
        return keys
    }

    /// Jinja's `int` filter: `int(value, base)` for a string, `int(value)` otherwise, then `int(float(value))`;
    /// what neither parses gives nil (the default). Python would make an integer beyond 64 bits; pipec cannot,
    /// and says so instead of giving the default.
    static func toInt(_ value: TemplateValue, base: Int) throws(EvalFailure) -> TemplateValue? {
        switch value {
        case .int: return value
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): return try truncate(d)
        case .string(let s):
            switch PyNumber.parseInt(s, base: base) {
            case .value(let i): return .int(i)
            case .overflow: throw tooLarge(PyStr.string(s.unicodeScalars.prefix(40)))
            case .invalid: return try PyNumber.parseFloat(s).flatMap { d throws(EvalFailure) in try truncate(d) }
            }
        default: return nil
        }
    }

    /// `int(d)`: nil for NaN (Python's ValueError, which the filter turns into the default).
    private static func truncate(_ d: Double) throws(EvalFailure) -> TemplateValue? {
        if d.isNaN { return nil }
        if d.isInfinite { throw EvalFailure.value("cannot convert float infinity to integer") }
        guard let i = PyNumber.truncate(d) else { throw tooLarge(PyNumber.repr(d)) }
        return .int(i)
    }

    static func tooLarge(_ what: String) -> EvalFailure {
        EvalFailure.value("integer overflow: \(what) does not fit in 64 bits",
                          help: "template integers are 64-bit (Python would make a larger integer)")
    }

    static func toFloat(_ value: TemplateValue) -> TemplateValue? {
        switch value {
        case .double: return value
        case .int(let i): return .double(Double(i))
        case .bool(let b): return .double(b ? 1 : 0)
        case .string(let raw): return PyNumber.parseFloat(raw).map { .double($0) }
        default: return nil
        }
    }

    /// Python's `round(i, -digits)` on an int: exact, ties to even.
    static func roundInt(_ i: Int, _ digits: Int) throws(EvalFailure) -> Int {
        guard digits < 19 else { return 0 }
        var p = 1
        for _ in 0..<digits { p *= 10 }
        let q = Ops.floorDiv(i, p), r = i - q * p
        let up = r > p - r || (r == p - r && q & 1 != 0)
        let (m, o) = (up ? q + 1 : q).multipliedReportingOverflow(by: p)
        if o { throw EvalFailure.value("integer overflow in round()", help: "template integers are 64-bit") }
        return m
    }

    /// Python's `round(x, n)` (correctly rounded, ties to even on the exact binary value), or ceil/floor.
    static func round(_ x: Double, _ precision: Int, _ method: String) throws(EvalFailure) -> Double {
        guard x.isFinite else { return x }
        switch method {
        case "common":
            if precision >= 0 {
                return Double(String(format: "%.\(Swift.min(precision, 300))f", x)) ?? x
            }
            // Beyond 10^308 the scale is infinite: everything rounds to a zero of x's sign, as in Python.
            guard precision > -309 else { return x.sign == .minus ? -0.0 : 0.0 }
            let scale = pow(10, Double(-precision))
            return (x / scale).rounded(.toNearestOrEven) * scale
        case "ceil", "floor":
            guard (-308...308).contains(precision) else { throw EvalFailure.value("round() precision \(precision) is out of range") }
            let scale = pow(10, Double(precision))
            let y = x * scale
            return (method == "ceil" ? y.rounded(.up) : y.rounded(.down)) / scale
        default:
            throw EvalFailure.value("round method must be 'common', 'ceil' or 'floor'")
        }
    }
}
