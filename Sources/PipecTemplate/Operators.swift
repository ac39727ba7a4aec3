/// Python semantics of the operators templates use: truthiness, arithmetic (ints do not silently become
/// floats; overflow is an error instead of a bigint), comparison and membership, including the datetime algebra
/// Airflow users rely on (`data_interval_end - data_interval_start`, `logical_date + macros.timedelta(days=1)`).
enum Ops {
    /// Default bound on a string (bytes) or list (items) an operation may build; the renderer passes its
    /// `maxOutputBytes`. Keeps `'x' * 10**12` or a value doubled in a loop from exhausting memory.
    static let defaultSizeLimit = TemplateLimits().maxOutputBytes

    static func truthy(_ v: TemplateValue) -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let a), .tuple(let a): return !a.isEmpty
        case .dict(let d): return d.count > 0
        case .timedelta(let t): return t.microseconds != 0
        case .datetime, .date, .function, .namespace, .macro: return true
        }
    }

    private enum Number {
        case int(Int)
        case double(Double)
    }

    private static func number(_ v: TemplateValue) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): return .double(d)
        default: return nil
        }
    }

    private static func double(_ n: Number) -> Double {
        switch n {
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }

    static func unsupported(_ op: String, _ a: TemplateValue, _ b: TemplateValue) -> EvalFailure {
        .type("unsupported operand types for '\(op)': '\(PythonText.typeName(a))' and '\(PythonText.typeName(b))'")
    }

    private static func overflow(_ op: String) -> EvalFailure {
        .value("integer overflow in '\(op)'", help: "template integers are 64-bit")
    }

    private static func arithmetic(_ op: BinaryOp, _ x: Number, _ y: Number) throws(EvalFailure) -> TemplateValue {
        if case .int(let a) = x, case .int(let b) = y {
            switch op {
            case .add:
                let (r, o) = a.addingReportingOverflow(b)
                if o { throw overflow("+") }
                return .int(r)
            case .sub:
                let (r, o) = a.subtractingReportingOverflow(b)
                if o { throw overflow("-") }
                return .int(r)
            case .mul:
                let (r, o) = a.multipliedReportingOverflow(by: b)
                if o { throw overflow("*") }
                return .int(r)
            case .div:
                if b == 0 { throw EvalFailure.value("division by zero") }
                return .double(Double(a) / Double(b))
            case .floordiv:
                if b == 0 { throw EvalFailure.value("integer division by zero") }
                if a == .min && b == -1 { throw overflow("//") }
                return .int(floorDiv(a, b))
            case .mod:
                if b == 0 { throw EvalFailure.value("integer modulo by zero") }
                if b == -1 { return .int(0) }
                return .int(a - floorDiv(a, b) * b)
            case .pow:
                if b < 0 {
                    if a == 0 { throw EvalFailure.value("0 cannot be raised to a negative power") }
                    return .double(pow(Double(a), Double(b)))
                }
                var result = 1, base = a, e = b
                while e > 0 {
                    if e & 1 == 1 {
                        let (r, o) = result.multipliedReportingOverflow(by: base)
                        if o { throw overflow("**") }
                        result = r
                    }
                    e >>= 1
                    if e > 0 {
                        let (sq, o) = base.multipliedReportingOverflow(by: base)
                        if o { throw overflow("**") }
                        base = sq
                    }
                }
                return .int(result)
            case .concat: break
            }
        }
        let a = double(x), b = double(y)
        switch op {
        case .add: return .double(a + b)
        case .sub: return .double(a - b)
        case .mul: return .double(a * b)
        case .div:
            if b == 0 { throw EvalFailure.value("float division by zero") }
            return .double(a / b)
        case .floordiv:
            if b == 0 { throw EvalFailure.value("float floor division by zero") }
            return .double(PyNumber.divmod(a, b).0)
        case .mod:
            if b == 0 { throw EvalFailure.value("float modulo by zero") }
            return .double(PyNumber.divmod(a, b).1)
        case .pow:
            if a == 0 && b < 0 { throw EvalFailure.value("0.0 cannot be raised to a negative power") }
            let r = pow(a, b)
            if r.isNaN && !a.isNaN && !b.isNaN { throw EvalFailure.value("a negative number cannot be raised to a fractional power") }
            return .double(r)
        case .concat: return .none
        }
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func binary(_ op: BinaryOp, _ a: TemplateValue, _ b: TemplateValue, limit: Int = defaultSizeLimit) throws(EvalFailure) -> TemplateValue {
        if op == .concat {
            var s = PythonText.str(a)
            PythonText.str(b, into: &s)
            return try sized(.string(s), limit: limit)
        }
        if let x = number(a), let y = number(b) { return try arithmetic(op, x, y) }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return try sized(.string(x + y), limit: limit)
        case (.add, .list(let x), .list(let y)): return try sized(.list(x + y), limit: limit)
        case (.add, .tuple(let x), .tuple(let y)): return try sized(.tuple(x + y), limit: limit)
        case (.mul, .string(let s), _), (.mul, _, .string(let s)):
            guard let n = repeatCount(op == .mul && isString(a) ? b : a) else { throw unsupported("*", a, b) }
            guard fits(s.utf8.count, n, limit) else { throw EvalFailure(TemplateErrorCode.limit, "string repetition result is too large") }
            // `'' * 10**9` is '' at once, not a billion empty appends.
            return .string(s.isEmpty ? "" : String(repeating: s, count: n))
        case (.mul, .list(let items), _), (.mul, _, .list(let items)):
            guard let n = repeatCount(isList(a) ? b : a) else { throw unsupported("*", a, b) }
            guard fits(items.count, n, limit) else { throw EvalFailure(TemplateErrorCode.limit, "list repetition result is too large") }
            if items.isEmpty { return .list([]) }
            return .list(Array([[TemplateValue]](repeating: items, count: n).joined()))
        case (.mul, .tuple(let items), _), (.mul, _, .tuple(let items)):
            guard let n = repeatCount(isTuple(a) ? b : a) else { throw unsupported("*", a, b) }
            guard fits(items.count, n, limit) else { throw EvalFailure(TemplateErrorCode.limit, "tuple repetition result is too large") }
            if items.isEmpty { return .tuple([]) }
            return .tuple(Array([[TemplateValue]](repeating: items, count: n).joined()))
        case (.mod, .string(let format), _):
            return .string(try PercentFormat.format(format, b))
        default:
            // Date arithmetic is checked against Python's range (years 1...9999): a located error, never a trap.
            return try DateRange.checked(temporal(op, a, b))
        }
    }

    /// Strings and lists a template builds are bounded, so doubling a value in a loop cannot exhaust memory.
    static func sized(_ v: TemplateValue, limit: Int = defaultSizeLimit) throws(EvalFailure) -> TemplateValue {
        switch v {
        case .string(let s) where s.utf8.count > limit:
            throw EvalFailure(TemplateErrorCode.limit, "a string built by the template exceeds \(limit) bytes")
        case .list(let items) where items.count > limit, .tuple(let items) where items.count > limit:
            throw EvalFailure(TemplateErrorCode.limit, "a list built by the template exceeds \(limit) items")
        default:
            return v
        }
    }

    private static func fits(_ size: Int, _ times: Int, _ limit: Int) -> Bool {
        let (total, overflow) = size.multipliedReportingOverflow(by: times)
        return !overflow && total <= limit
    }

    private static func isString(_ v: TemplateValue) -> Bool {
        if case .string = v { return true }
        return false
    }

    private static func isList(_ v: TemplateValue) -> Bool {
        if case .list = v { return true }
        return false
    }

    private static func isTuple(_ v: TemplateValue) -> Bool {
        if case .tuple = v { return true }
        return false
    }

    private static func repeatCount(_ v: TemplateValue) -> Int? {
        switch v {
        case .int(let n): return max(0, n)
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    private static func temporal(_ op: BinaryOp, _ a: TemplateValue, _ b: TemplateValue) throws(EvalFailure) -> TemplateValue {
        switch (op, a, b) {
        case (.add, .datetime(let d), .timedelta(let t)), (.add, .timedelta(let t), .datetime(let d)):
            return .datetime(d.adding(delta: t.microseconds, calendarDays: t.isInterval))
        case (.sub, .datetime(let d), .timedelta(let t)):
            return .datetime(d.adding(delta: t.microseconds, negate: true, calendarDays: t.isInterval))
        case (.sub, .datetime(let x), .datetime(let y)):
            guard x.isAware == y.isAware else { throw EvalFailure.type("cannot subtract an offset-naive and an offset-aware datetime") }
            let micros = x.instant.totalMicroseconds - y.instant.totalMicroseconds
            return .timedelta(TimeDelta(microseconds: micros, flavor: x.isPendulum ? .interval(IntervalEnds(start: b, end: a)) : .timedelta))
        case (.add, .date(let d), .timedelta(let t)), (.add, .timedelta(let t), .date(let d)):
            return .date(DateValue(epochDay: try DateRange.epochDay(Int64(d.epochDay) + t.pythonFields.days), pendulum: d.isPendulum))
        case (.sub, .date(let d), .timedelta(let t)):
            return .date(DateValue(epochDay: try DateRange.epochDay(Int64(d.epochDay) - t.pythonFields.days), pendulum: d.isPendulum))
        case (.sub, .date(let x), .date(let y)):
            let micros = (Int64(x.epochDay) - Int64(y.epochDay)) * 86_400_000_000
            return .timedelta(TimeDelta(microseconds: micros, flavor: x.isPendulum ? .interval(IntervalEnds(start: b, end: a)) : .timedelta))
        case (.add, .timedelta(let x), .timedelta(let y)):
            return .timedelta(TimeDelta(microseconds: try DateRange.sum(x.microseconds, y.microseconds), flavor: x.isPendulum || y.isPendulum ? .duration : .timedelta))
        case (.sub, .timedelta(let x), .timedelta(let y)):
            return .timedelta(TimeDelta(microseconds: try DateRange.sum(x.microseconds, -y.microseconds), flavor: x.isPendulum || y.isPendulum ? .duration : .timedelta))
        case (.mul, .timedelta(let t), _), (.mul, _, .timedelta(let t)):
            let other = isTimedelta(a) ? b : a
            guard let n = number(other) else { throw unsupported("*", a, b) }
            return .timedelta(TimeDelta(microseconds: try scaled(t.microseconds, by: double(n), exactInt: n), flavor: deltaFlavor(t)))
        case (.div, .timedelta(let x), .timedelta(let y)):
            if y.microseconds == 0 { throw EvalFailure.value("division by a zero timedelta") }
            return .double(Double(x.microseconds) / Double(y.microseconds))
        case (.floordiv, .timedelta(let x), .timedelta(let y)):
            if y.microseconds == 0 { throw EvalFailure.value("division by a zero timedelta") }
            return .int(Int(floorDiv(x.microseconds, y.microseconds)))
        case (.div, .timedelta(let t), _), (.floordiv, .timedelta(let t), _):
            guard let n = number(b) else { throw unsupported(op.rawValue, a, b) }
            if double(n) == 0 { throw EvalFailure.value("division of a timedelta by zero") }
            if op == .floordiv, case .int(let k) = n {
                return .timedelta(TimeDelta(microseconds: floorDiv(t.microseconds, Int64(k)), flavor: deltaFlavor(t)))
            }
            return .timedelta(TimeDelta(microseconds: try DateRange.micros(Double(t.microseconds) / double(n), 1), flavor: deltaFlavor(t)))
        case (.mod, .timedelta(let x), .timedelta(let y)):
            if y.microseconds == 0 { throw EvalFailure.value("modulo by a zero timedelta") }
            return .timedelta(TimeDelta(microseconds: x.microseconds - floorDiv(x.microseconds, y.microseconds) * y.microseconds, flavor: deltaFlavor(x)))
        default:
            throw unsupported(op.rawValue, a, b)
        }
    }

    private static func isTimedelta(_ v: TemplateValue) -> Bool {
        if case .timedelta = v { return true }
        return false
    }

    private static func deltaFlavor(_ t: TimeDelta) -> TimeDelta.Flavor {
        t.isPendulum ? .duration : .timedelta
    }

    private static func scaled(_ micros: Int64, by factor: Double, exactInt: Number) throws(EvalFailure) -> Int64 {
        if case .int(let k) = exactInt {
            let (m, o) = micros.multipliedReportingOverflow(by: Int64(k))
            guard !o, m.magnitude <= DateRange.maxMicros.magnitude else { throw DateRange.deltaTooLarge }
            return m
        }
        return try DateRange.micros(Double(micros), factor)
    }

    static func negate(_ v: TemplateValue) throws(EvalFailure) -> TemplateValue {
        switch v {
        case .int(let i):
            if i == .min { throw overflow("-") }
            return .int(-i)
        case .bool(let b): return .int(b ? -1 : 0)
        case .double(let d): return .double(-d)
        case .timedelta(let t): return .timedelta(TimeDelta(microseconds: -t.microseconds, flavor: deltaFlavor(t)))
        default: throw EvalFailure.type("bad operand type for unary '-': '\(PythonText.typeName(v))'")
        }
    }

    static func plus(_ v: TemplateValue) throws(EvalFailure) -> TemplateValue {
        switch v {
        case .int, .double, .timedelta: return v
        case .bool(let b): return .int(b ? 1 : 0)
        default: throw EvalFailure.type("bad operand type for unary '+': '\(PythonText.typeName(v))'")
        }
    }

    // MARK: comparison

    static func equal(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i == j }
            return double(x) == double(y)
        }
        switch (a, b) {
        case (.none, .none): return true
        case (.string(let x), .string(let y)): return PyStr.equal(x, y)
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            guard x.count == y.count else { return false }
            for i in 0..<x.count {
                guard let other = y.lookup(x.keys[i]), equal(x.values[i], other) else { return false }
            }
            return true
        case (.datetime(let x), .datetime(let y)):
            return x.isAware == y.isAware && x.instant == y.instant
        case (.date(let x), .date(let y)): return x.epochDay == y.epochDay
        case (.timedelta(let x), .timedelta(let y)): return x.microseconds == y.microseconds
        case (.namespace(let x), .namespace(let y)): return x === y
        case (.macro(let x), .macro(let y)): return x === y
        default: return false
        }
    }

    /// Ordering for `<`, `<=`, `>`, `>=`, `sort`, `min`, `max`; a TypeError for values Python cannot order.
    static func compare(_ a: TemplateValue, _ b: TemplateValue, op: String = "<") throws(EvalFailure) -> Int {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i < j ? -1 : i > j ? 1 : 0 }
            let (p, q) = (double(x), double(y))
            return p < q ? -1 : p > q ? 1 : 0
        }
        switch (a, b) {
        case (.string(let x), .string(let y)):
            if PyStr.equal(x, y) { return 0 }
            return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : 1
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            for (p, q) in zip(x, y) where !equal(p, q) { return try compare(p, q, op: op) }
            return x.count < y.count ? -1 : x.count > y.count ? 1 : 0
        case (.datetime(let x), .datetime(let y)):
            guard x.isAware == y.isAware else { throw EvalFailure.type("cannot compare offset-naive and offset-aware datetimes") }
            return x.instant < y.instant ? -1 : x.instant == y.instant ? 0 : 1
        case (.date(let x), .date(let y)): return x.epochDay < y.epochDay ? -1 : x.epochDay == y.epochDay ? 0 : 1
        case (.timedelta(let x), .timedelta(let y)):
            return x.microseconds < y.microseconds ? -1 : x.microseconds == y.microseconds ? 0 : 1
        default:
            throw EvalFailure.type("'\(op)' not supported between instances of '\(PythonText.typeName(a))' and '\(PythonText.typeName(b))'")
        }
    }

    static func contains(_ container: TemplateValue, _ item: TemplateValue) throws(EvalFailure) -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                throw EvalFailure.type("'in <string>' requires a string as left operand, not '\(PythonText.typeName(item))'")
            }
            return PyStr.contains(s, sub)
        case .list(let items), .tuple(let items): return items.contains { equal($0, item) }
        case .dict(let d):
            // Python hashes the key first: a list or dict is never a key, and asking is a TypeError.
            switch item {
            case .list, .dict: throw EvalFailure.type("unhashable type: '\(PythonText.typeName(item))'")
            default: break
            }
            return d.lookup(item) != nil
        case .namespace(let ns):
            if case .string(let name) = item { return ns[name] != nil }
            return false
        default:
            throw EvalFailure.type("argument of type '\(PythonText.typeName(container))' is not iterable")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
