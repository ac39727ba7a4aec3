/// Jinja's tests (`x is defined`, `n is even`, `x is none` ...). `defined`/`undefined` are evaluated by the
/// renderer because they are the only ones that accept an undefined value.
enum TestKind: String, CaseIterable, Sendable {
    case defined, undefined, none, number, string, integer, float, boolean, `true`, `false`
    case even, odd, divisibleby, iterable, mapping, sequence, callable, sameas, lower, upper
    case eq, ne, lt, le, gt, ge, `in`

    init?(name: String) {
        switch name {
        case "==", "equalto": self = .eq
        case "!=": self = .ne
        case "<", "lessthan": self = .lt
        case "<=": self = .le
        case ">", "greaterthan": self = .gt
        case ">=": self = .ge
        default: self.init(rawValue: name)
        }
    }

    static let names: [String] = allCases.map(\.rawValue) + ["equalto", "lessthan", "greaterthan"]
}

extension Renderer {
    func applyTest(_ kind: TestKind, _ value: TemplateValue, _ arguments: Arguments, _ span: Span) throws(TemplateError) -> Bool {
        let args = try evalArgs(arguments)
        if !args.keywords.isEmpty {
            throw fail(TemplateErrorCode.arguments, "test '\(kind.rawValue)' takes no keyword arguments", span)
        }
        return try located(span) { () throws(EvalFailure) in try Tests.apply(kind, value, args.positional) }
    }
}

enum Tests {
    static func apply(_ kind: TestKind, _ value: TemplateValue, _ args: [TemplateValue]) throws(EvalFailure) -> Bool {
        func arity(_ n: Int) throws(EvalFailure) {
            if args.count != n {
                throw EvalFailure.arguments("test '\(kind.rawValue)' takes \(n) argument\(n == 1 ? "" : "s") (\(args.count) given)")
            }
        }
        switch kind {
        case .defined: try arity(0); return true
        case .undefined: try arity(0); return false
        case .none:
            try arity(0)
            if case .none = value { return true }
            return false
        case .number:
            try arity(0)
            switch value {
            case .int, .double, .bool: return true
            default: return false
            }
        case .string:
            try arity(0)
            if case .string = value { return true }
            return false
        case .integer:
            try arity(0)
            if case .int = value { return true }
            return false
        case .float:
            try arity(0)
            if case .double = value { return true }
            return false
        case .boolean:
            try arity(0)
            if case .bool = value { return true }
            return false
        case .true:
            try arity(0)
            if case .bool(true) = value { return true }
            return false
        case .false:
            try arity(0)
            if case .bool(false) = value { return true }
            return false
        case .even, .odd:
            try arity(0)
            let n: Int
            switch value {
            case .int(let i): n = i
            case .bool(let b): n = b ? 1 : 0
            case .double(let d):
                // Jinja tests `value % 2 == 0` / `== 1`: a fractional float is neither even nor odd.
                return PyNumber.divmod(d, 2).1 == (kind == .even ? 0 : 1)
            default: throw EvalFailure.type("test '\(kind.rawValue)' expects an integer, got '\(PythonText.typeName(value))'")
            }
            return (n % 2 == 0) == (kind == .even)
        case .divisibleby:
            try arity(1)
            // Jinja tests `value % num == 0`: bools and floats take part as numbers.
            return Ops.equal(try Ops.binary(.mod, value, args[0]), .int(0))
        case .iterable:
            try arity(0)
            switch value {
            case .list, .tuple, .dict, .string: return true
            default: return false
            }
        case .mapping:
            try arity(0)
            if case .dict = value { return true }
            return false
        case .sequence:
            try arity(0)
            switch value {
            case .list, .tuple, .dict, .string: return true
            default: return false
            }
        case .callable:
            try arity(0)
            switch value {
            case .function, .macro: return true
            case .namespace(let ns): return ns.call != nil
            default: return false
            }
        case .sameas:
            try arity(1)
            switch (value, args[0]) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a === b
            default: return false
            }
        case .lower, .upper:
            try arity(0)
            guard case .string(let s) = value else { return false }
            return PyStr.hasOnlyCase(s, upper: kind == .upper)
        case .eq: try arity(1); return Ops.equal(value, args[0])
        case .ne: try arity(1); return !Ops.equal(value, args[0])
        case .lt: try arity(1); return try Ops.compare(value, args[0], op: "<") < 0
        case .le: try arity(1); return try Ops.compare(value, args[0], op: "<=") <= 0
        case .gt: try arity(1); return try Ops.compare(value, args[0], op: ">") > 0
        case .ge: try arity(1); return try Ops.compare(value, args[0], op: ">=") >= 0
        case .in: try arity(1); return try Ops.contains(args[0], value)
        }
    }
}
