import Foundation

/// Python's `'%s' % x` and `'{}'.format(x)`, the two ways templates copied from Airflow DAGs format strings.
/// Floating-point conversions go through C's printf (correctly rounded, like CPython); this is off the common
/// render path.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character?
    var alternate = false
    var zero = false
    var width: Int?
    var grouping: Character?
    var precision: Int?
    var type: Character?
    /// `{}` with no spec at all: Python then formats with `str()`, so a bool prints `True`, not `1`.
    var isEmpty = true

    /// Parses a `str.format` spec: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
    init(formatSpec spec: String) throws(EvalFailure) {
        let chars = Array(spec)
        isEmpty = chars.isEmpty
        var i = 0
        if chars.count >= 2, "<>^=".contains(chars[1]) {
            fill = chars[0]
            align = chars[1]
            i = 2
        } else if let c = chars.first, "<>^=".contains(c) {
            align = c
            i = 1
        }
        if i < chars.count, "+- ".contains(chars[i]) { sign = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "#" { alternate = true; i += 1 }
        if i < chars.count, chars[i] == "0" { zero = true; i += 1 }
        var digits = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
        if !digits.isEmpty { width = Int(digits) }
        if i < chars.count, chars[i] == "," || chars[i] == "_" { grouping = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
            guard let n = Int(p) else { throw EvalFailure.value("format specifier is missing a precision") }
            precision = n
        }
        if i < chars.count { type = chars[i]; i += 1 }
        if i < chars.count { throw EvalFailure.value("invalid format specifier") }
    }

    init() {}

    func apply(_ value: TemplateValue) throws(EvalFailure) -> String {
        var body: String
        var numeric = true
        var negative = false
        switch (value, type) {
        case (.bool, nil) where isEmpty:
            return PythonText.str(value)
        case (.datetime, _):
            numeric = false
            body = PythonText.str(value)
        case (.string(let s), nil), (.string(let s), "s"):
            if sign != nil { throw EvalFailure.value("Sign not allowed in string format specifier") }
            if alternate { throw EvalFailure.value("Alternate form (#) not allowed in string format specifier") }
            if align == "=" { throw EvalFailure.value("'=' alignment not allowed in string format specifier") }
            if let grouping { throw EvalFailure.value("Cannot specify '\(grouping)' with 's'.") }
            numeric = false
            body = precision.map { PyStr.string(s.unicodeScalars.prefix($0)) } ?? s
        case (.none, _), (.list, _), (.tuple, _), (.dict, _), (.date, _), (.timedelta, _), (.namespace, _), (.function, _), (.macro, _):
            // object.__format__: only the empty spec, which is str().
            guard isEmpty else {
                throw EvalFailure.type("unsupported format string passed to \(PythonText.typeName(value)).__format__")
            }
            return PythonText.str(value)
        case (.int, _), (.bool, _), (.double, _):
            (body, negative) = try number(value)
        default:
            throw EvalFailure.value("unknown format code '\(type.map { String($0) } ?? "")' for an object of type '\(PythonText.typeName(value))'")
        }
        if let width { try StringMethods.checkWidth(width) }
        if numeric {
            var prefix = negative ? "-" : (sign == "+" ? "+" : sign == " " ? " " : "")
            if zero && align == nil, let width, PyStr.length(body) + prefix.count < width {
                body = String(repeating: "0", count: width - PyStr.length(body) - prefix.count) + body
            } else if align == "=", let width, PyStr.length(body) + prefix.count < width {
                prefix += String(repeating: fill, count: width - PyStr.length(body) - prefix.count)
            }
            body = prefix + body
        }
        return pad(body, numeric: numeric)
    }

    private func number(_ value: TemplateValue) throws(EvalFailure) -> (String, Bool) {
        let d: Double
        var intValue: Int?
        switch value {
        case .int(let i): d = Double(i); intValue = i
        case .bool(let b): d = b ? 1 : 0; intValue = b ? 1 : 0
        case .double(let x): d = x
        default: d = 0
        }
        let negative = d < 0 || (d == 0 && d.sign == .minus && intValue == nil)
        switch type {
        case nil, "d", "n":
            if let i = intValue {
                guard precision == nil else { throw EvalFailure.value("Precision not allowed in integer format specifier") }
                return (grouped(String(i.magnitude)), negative)
            }
            guard type == nil else { throw EvalFailure.value("unknown format code 'd' for an object of type 'float'") }
            if let precision { return (grouped(cFormat("%.\(precision)g", abs(d))), negative) }
            return (PyNumber.repr(abs(d)), negative)
        case "x", "X", "o", "b":
            guard let i = intValue else { throw EvalFailure.value("unknown format code '\(type!)' for an object of type 'float'") }
            let radix = type == "o" ? 8 : type == "b" ? 2 : 16
            var s = String(i.magnitude, radix: radix, uppercase: type == "X")
            if alternate { s = (type == "o" ? "0o" : type == "b" ? "0b" : type == "X" ? "0X" : "0x") + s }
            return (s, negative)
        case "f", "F", "e", "E", "g", "G", "%":
            let p = precision ?? 6
            if type == "%" { return (grouped(cFormat("%.\(p)f", abs(d) * 100)) + "%", negative) }
            let t = type!
            return (grouped(cFormat("%\(alternate ? "#" : "").\(p)\(t)", abs(d))), negative)
        case "c":
            guard let i = intValue, let scalar = Unicode.Scalar(UInt32(clamping: i)) else { throw EvalFailure.value("%c requires an int in range") }
            return (String(Character(scalar)), false)
        default:
            throw EvalFailure.value("unknown format code '\(type.map { String($0) } ?? "")' for an object of type '\(PythonText.typeName(value))'")
        }
    }

    private func cFormat(_ format: String, _ d: Double) -> String {
        if d.isInfinite { return "inf" }
        if d.isNaN { return "nan" }
        return String(format: format, d)
    }

    private func grouped(_ digits: String) -> String {
        guard let grouping else { return digits }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array(parts[0])
        var out = ""
        for (i, c) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { out.append(grouping) }
            out.append(c)
        }
        if parts.count > 1 { out += "." + parts[1] }
        return out
    }

    private func pad(_ s: String, numeric: Bool) -> String {
        let length = PyStr.length(s)
        guard let width, length < width else { return s }
        let n = width - length
        switch align ?? (numeric ? ">" : "<") {
        case ">", "=": return String(repeating: fill, count: n) + s
        case "^": return String(repeating: fill, count: n / 2) + s + String(repeating: fill, count: n - n / 2)
        default: return s + String(repeating: fill, count: n)
        }
    }
}

enum PercentFormat {
    /// `format % args`: a tuple supplies positional values, a dict supplies `%(name)s` values.
    static func format(_ format: String, _ args: TemplateValue) throws(EvalFailure) -> String {
        var positional: [TemplateValue]
        var mapping: TemplateDict?
        switch args {
        case .tuple(let items): positional = items
        case .dict(let d): positional = [args]; mapping = d
        default: positional = [args]
        }
        var next = 0
        var out = ""
        let chars = Array(format)
        var i = 0
        func take() throws(EvalFailure) -> TemplateValue {
            guard next < positional.count else { throw EvalFailure.type("not enough arguments for format string") }
            defer { next += 1 }
            return positional[next]
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw EvalFailure.value("incomplete format") }
            if chars[i] == "%" { out.append("%"); i += 1; continue }
            var value: TemplateValue?
            if chars[i] == "(" {
                guard let close = chars[i...].firstIndex(of: ")") else { throw EvalFailure.value("incomplete format key") }
                let key = String(chars[(i + 1)..<close])
                guard let mapping else { throw EvalFailure.type("format requires a mapping") }
                guard let v = mapping[key] else { throw EvalFailure.undefined("a '%(name)s' key of the format string is missing from the mapping") }
                value = v
                i = close + 1
            }
            var spec = FormatSpec()
            while i < chars.count, "-+ #0".contains(chars[i]) {
                switch chars[i] {
                case "-": spec.align = "<"
                case "+": spec.sign = "+"
                case " ": if spec.sign == nil { spec.sign = " " }
                case "#": spec.alternate = true
                default: spec.zero = true
                }
                i += 1
            }
            // printf pads on the left unless '-' asks for the right.
            if spec.align == "<" { spec.zero = false } else { spec.align = spec.zero ? nil : ">" }
            var digits = ""
            if i < chars.count, chars[i] == "*" {
                guard case .int(let w) = try take() else { throw EvalFailure.type("* wants int") }
                spec.width = w
                i += 1
            }
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
            if !digits.isEmpty { spec.width = Int(digits) }
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = ""
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
                spec.precision = Int(p) ?? 0
            }
            while i < chars.count, "hlL".contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw EvalFailure.value("incomplete format") }
            let conversion = chars[i]
            i += 1
            let v: TemplateValue
            if let value { v = value } else { v = try take() }
            switch conversion {
            case "s", "r", "a":
                // printf ignores '+', ' ' and '#' for strings.
                (spec.type, spec.sign, spec.alternate) = (nil, nil, false)
                out += try spec.apply(.string(conversion == "s" ? PythonText.str(v) : PythonText.repr(v)))
            case "d", "i", "u":
                switch v {
                case .int, .bool: spec.type = "d"; out += try spec.apply(v)
                case .double(let d):
                    guard d.isFinite else { throw EvalFailure.value("cannot convert a non-finite float to an integer") }
                    guard let i = PyNumber.truncate(d) else { throw Filters.tooLarge(PyNumber.repr(d)) }
                    spec.type = "d"; out += try spec.apply(.int(i))
                default: throw EvalFailure.type("%\(conversion) format: a real number is required, not \(PythonText.typeName(v))")
                }
            case "f", "F", "e", "E", "g", "G", "x", "X", "o", "c":
                spec.type = conversion
                switch v {
                case .int, .bool, .double: out += try spec.apply(v)
                default: throw EvalFailure.type("%\(conversion) format: a real number is required, not \(PythonText.typeName(v))")
                }
            default:
                throw EvalFailure.value("unsupported format character '\(conversion)'")
            }
        }
        // Python checks for leftovers only when the argument is not a mapping, and a list counts as one.
        var isListArgument = false
        if case .list = args { isListArgument = true }
        if mapping == nil && !isListArgument && next < positional.count {
            throw EvalFailure.type("not all arguments converted during string formatting")
        }
        return out
    }
}

enum BraceFormat {
    /// `'{} {name} {0:>5}'.format(...)`: auto and explicit indices, keywords, `!r`/`!s`, format specs
    /// (datetimes take strftime patterns: `'{:%Y%m%d}'.format(logical_date)`).
    static func format(_ format: String, _ args: [TemplateValue], _ kwargs: [(String, TemplateValue)]) throws(EvalFailure) -> String {
        let chars = Array(format)
        var out = ""
        var i = 0
        var auto = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" { out.append("{"); i += 2; continue }
                guard let close = chars[i...].firstIndex(of: "}") else { throw EvalFailure.value("single '{' encountered in format string") }
                let field = String(chars[(i + 1)..<close])
                i = close + 1
                var name = field
                var spec = ""
                var conversion: Character?
                if let colon = field.firstIndex(of: ":") {
                    name = String(field[..<colon])
                    spec = String(field[field.index(after: colon)...])
                }
                if let bang = name.firstIndex(of: "!") {
                    conversion = name[name.index(after: bang)...].first
                    name = String(name[..<bang])
                }
                var value: TemplateValue
                if name.isEmpty {
                    guard auto < args.count else { throw EvalFailure.value("replacement index \(auto) out of range for positional args tuple") }
                    value = args[auto]
                    auto += 1
                } else if let index = Int(name) {
                    guard index >= 0, index < args.count else { throw EvalFailure.value("replacement index \(index) out of range for positional args tuple") }
                    value = args[index]
                } else {
                    guard let v = kwargs.first(where: { $0.0 == name })?.1 else {
                        throw EvalFailure.undefined("a named field of the format string was not given as a keyword argument")
                    }
                    value = v
                }
                if conversion == "r" { value = .string(PythonText.repr(value)) } else if conversion == "s" { value = .string(PythonText.str(value)) }
                if case .datetime = value {
                    out += StrFTime.format(value, spec)
                } else if case .date = value, !spec.isEmpty {
                    out += StrFTime.format(value, spec)
                } else {
                    out += try FormatSpec(formatSpec: spec).apply(value)
                }
            } else if c == "}" {
                guard i + 1 < chars.count, chars[i + 1] == "}" else { throw EvalFailure.value("single '}' encountered in format string") }
                out.append("}")
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }
}
