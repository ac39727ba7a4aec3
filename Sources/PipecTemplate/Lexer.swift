/// Splits template source into text and tag tokens, with Jinja's default environment as Airflow configures it:
/// `trim_blocks=False`, `lstrip_blocks=False`, `keep_trailing_newline=False` (one trailing newline of the source
/// is dropped), newlines in text normalised to `\n`, `-` whitespace control on every tag kind, `{% raw %}`.
struct Lexer {
    enum Op: String {
        case add = "+", sub = "-", mul = "*", div = "/", floordiv = "//", mod = "%", pow = "**", tilde = "~"
        case eq = "==", ne = "!=", lt = "<", lteq = "<=", gt = ">", gteq = ">=", assign = "="
        case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
        case comma = ",", dot = ".", colon = ":", pipe = "|"
    }

    enum Kind: Equatable {
        case data(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        case op(Op)
        case eof
    }

    struct Token {
        var kind: Kind
        var span: Span
    }

    private let bytes: [UInt8]
    private var end: Int
    private var pos = 0
    private var tokens: [Token] = []
    // Incremental offset -> (line, column) tracking; tokens are produced in increasing offset order.
    private var trackedOffset = 0
    private var trackedLine = 1
    private var trackedColumn = 1

    init(_ source: String) {
        bytes = Array(source.utf8)
        end = bytes.count
        // About one token per eight bytes in SQL templates: reserved, the array is not regrown token by token.
        tokens.reserveCapacity(end / 8 + 8)
        // keep_trailing_newline=False: Jinja drops exactly one trailing newline sequence.
        if end > 0, bytes[end - 1] == 0x0A {
            end -= 1
            if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        } else if end > 0, bytes[end - 1] == 0x0D {
            end -= 1
        }
    }

    static func tokenize(_ source: String) throws(EvalFailureAt) -> [Token] {
        var lexer = Lexer(source)
        try lexer.run()
        return lexer.tokens
    }

    // MARK: positions

    private mutating func position(_ offset: Int) -> (line: Int, column: Int) {
        if offset < trackedOffset { (trackedOffset, trackedLine, trackedColumn) = (0, 1, 1) }
        var i = trackedOffset
        while i < offset {
            let b = bytes[i]
            if b == 0x0A {
                trackedLine += 1
                trackedColumn = 1
            } else if b & 0xC0 != 0x80 {
                trackedColumn += 1
            }
            i += 1
        }
        trackedOffset = offset
        return (trackedLine, trackedColumn)
    }

    private func scalarCount(_ from: Int, _ to: Int) -> Int {
        var n = 0
        for i in from..<min(to, bytes.count) where bytes[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    private mutating func span(_ from: Int, _ to: Int) -> Span {
        let p = position(from)
        return Span(line: p.line, column: p.column, length: scalarCount(from, to))
    }

    private mutating func emit(_ kind: Kind, _ from: Int, _ to: Int) {
        tokens.append(Token(kind: kind, span: span(from, to)))
    }

    private mutating func error(_ message: String, _ from: Int, _ to: Int, help: String? = nil) -> EvalFailureAt {
        EvalFailureAt(EvalFailure(TemplateErrorCode.syntax, message, help: help), span(from, to))
    }

    // MARK: text

    private func at(_ i: Int) -> UInt8 { i < end ? bytes[i] : 0 }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B }

    private func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < end, Lexer.isSpace(bytes[i]) { i += 1 }
        return i
    }

    private mutating func emitData(_ from: Int, _ to: Int, rstrip: Bool) {
        var to = to
        if rstrip { while to > from, Lexer.isSpace(bytes[to - 1]) { to -= 1 } }
        guard to > from else { return }
        var text = String(decoding: bytes[from..<to], as: UTF8.self)
        if bytes[from..<to].contains(0x0D) {
            text = text.replacingCRLF()
        }
        emit(.data(text), from, to)
    }

    private mutating func run() throws(EvalFailureAt) {
        while pos < end {
            var i = pos
            var opener: UInt8 = 0
            while i + 1 < end {
                if bytes[i] == 0x7B, bytes[i + 1] == 0x7B || bytes[i + 1] == 0x25 || bytes[i + 1] == 0x23 {
                    opener = bytes[i + 1]
                    break
                }
                i += 1
            }
            guard opener != 0 else {
                emitData(pos, end, rstrip: false)
                pos = end
                break
            }
            let sign = at(i + 2)
            let lstrip = sign == 0x2D   // '-'
            let bodyStart = (sign == 0x2D || sign == 0x2B) ? i + 3 : i + 2
            switch opener {
            case 0x23: try comment(textStart: pos, open: i, bodyStart: bodyStart, lstrip: lstrip)
            case 0x25:
                if try raw(textStart: pos, open: i, bodyStart: bodyStart, lstrip: lstrip) { continue }
                emitData(pos, i, rstrip: lstrip)
                emit(.blockBegin, i, bodyStart)
                try tag(open: i, bodyStart: bodyStart, block: true)
            default:
                emitData(pos, i, rstrip: lstrip)
                emit(.variableBegin, i, bodyStart)
                try tag(open: i, bodyStart: bodyStart, block: false)
            }
        }
        emit(.eof, end, end)
    }

    private mutating func comment(textStart: Int, open: Int, bodyStart: Int, lstrip: Bool) throws(EvalFailureAt) {
        var j = bodyStart
        while j + 1 < end, !(bytes[j] == 0x23 && bytes[j + 1] == 0x7D) { j += 1 }
        guard j + 1 < end else { throw error("unclosed comment: '{#' has no matching '#}'", open, open + 2) }
        emitData(textStart, open, rstrip: lstrip)
        let rstrip = j > bodyStart && bytes[j - 1] == 0x2D
        pos = rstrip ? skipSpace(j + 2) : j + 2
    }

    /// `{% raw %}...{% endraw %}`: the body is text, never lexed.
    private mutating func raw(textStart: Int, open: Int, bodyStart: Int, lstrip: Bool) throws(EvalFailureAt) -> Bool {
        var k = skipSpace(bodyStart)
        guard k + 3 <= end, bytes[k] == 0x72, bytes[k + 1] == 0x61, bytes[k + 2] == 0x77 else { return false }
        k = skipSpace(k + 3)
        var stripAfterOpen = false
        if at(k) == 0x2D || at(k) == 0x2B { stripAfterOpen = at(k) == 0x2D; k += 1 }
        guard at(k) == 0x25, at(k + 1) == 0x7D else { return false }
        emitData(textStart, open, rstrip: lstrip)
        var contentStart = k + 2
        if stripAfterOpen { contentStart = skipSpace(contentStart) }
        var j = contentStart
        while j + 1 < end {
            if bytes[j] == 0x7B, bytes[j + 1] == 0x25 {
                var m = j + 2
                let endSign = at(m)
                if endSign == 0x2D || endSign == 0x2B { m += 1 }
                m = skipSpace(m)
                if m + 6 <= end, Array(bytes[m..<(m + 6)]) == Array("endraw".utf8) {
                    var n = skipSpace(m + 6)
                    var stripAfter = false
                    if at(n) == 0x2D || at(n) == 0x2B { stripAfter = at(n) == 0x2D; n += 1 }
                    if at(n) == 0x25, at(n + 1) == 0x7D {
                        emitData(contentStart, j, rstrip: endSign == 0x2D)
                        pos = stripAfter ? skipSpace(n + 2) : n + 2
                        return true
                    }
                }
            }
            j += 1
        }
        throw error("unclosed '{% raw %}': expected '{% endraw %}' before the end of the template", open, k + 2)
    }

    // MARK: tags

    private mutating func tag(open: Int, bodyStart: Int, block: Bool) throws(EvalFailureAt) {
        var i = bodyStart
        var balance: [(UInt8, Int)] = []
        while true {
            i = skipSpace(i)
            guard i < end else {
                let what = block ? "'{%' has no matching '%}'" : "'{{' has no matching '}}'"
                throw error("unexpected end of template: \(what)", open, open + 2)
            }
            let b = bytes[i]
            if balance.isEmpty {
                if block {
                    if (b == 0x2D || b == 0x2B), at(i + 1) == 0x25, at(i + 2) == 0x7D {
                        emit(.blockEnd, i, i + 3)
                        pos = b == 0x2D ? skipSpace(i + 3) : i + 3
                        return
                    }
                    if b == 0x25, at(i + 1) == 0x7D {
                        emit(.blockEnd, i, i + 2)
                        pos = i + 2
                        return
                    }
                } else {
                    if b == 0x2D, at(i + 1) == 0x7D, at(i + 2) == 0x7D {
                        emit(.variableEnd, i, i + 3)
                        pos = skipSpace(i + 3)
                        return
                    }
                    if b == 0x7D, at(i + 1) == 0x7D {
                        emit(.variableEnd, i, i + 2)
                        pos = i + 2
                        return
                    }
                }
            }
            if Lexer.isNameStart(b) {
                var j = i + 1
                while j < end, Lexer.isNameStart(bytes[j]) || Lexer.isDigit(bytes[j]) { j += 1 }
                emit(.name(String(decoding: bytes[i..<j], as: UTF8.self)), i, j)
                i = j
            } else if Lexer.isDigit(b) {
                i = try number(i)
            } else if b == 0x27 || b == 0x22 {
                i = try string(i)
            } else {
                i = try op(i, &balance)
            }
        }
    }

    static func isNameStart(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func number(_ start: Int) throws(EvalFailureAt) -> Int {
        if let end = try radixInteger(start) { return end }
        var j = start
        func digits() {
            while j < end, Lexer.isDigit(bytes[j]) || (bytes[j] == 0x5F && j + 1 < end && Lexer.isDigit(bytes[j + 1])) { j += 1 }
        }
        digits()
        var isFloat = false
        if at(j) == 0x2E, Lexer.isDigit(at(j + 1)) {
            isFloat = true
            j += 1
            digits()
        }
        if at(j) == 0x65 || at(j) == 0x45 {
            var k = j + 1
            if at(k) == 0x2B || at(k) == 0x2D { k += 1 }
            if Lexer.isDigit(at(k)) {
                isFloat = true
                j = k
                digits()
            }
        }
        // Plain integers (the common case) are read from their digits; `Int(_:)` would need a string first.
        if !isFloat, j - start <= 18, !bytes[start..<j].contains(0x5F) {
            emit(.integer(bytes[start..<j].reduce(0) { $0 * 10 + Int($1 - 0x30) }), start, j)
            return j
        }
        let text = String(decoding: bytes[start..<j].filter { $0 != 0x5F }, as: UTF8.self)
        if isFloat {
            guard let d = Double(text) else { throw error("invalid number literal", start, j) }
            emit(.float(d), start, j)
        } else {
            guard let n = Int(text) else {
                throw error("integer literal does not fit in 64 bits", start, j, help: "template integers are 64-bit (at most \(Int.max))")
            }
            emit(.integer(n), start, j)
        }
        return j
    }

    /// `0x1f`, `0o17`, `0b101` (any case, `_` between digits), as Jinja's lexer reads them; nil when `start` begins
    /// no such literal.
    private mutating func radixInteger(_ start: Int) throws(EvalFailureAt) -> Int? {
        guard at(start) == 0x30 else { return nil }
        let radix: Int
        switch at(start + 1) | 0x20 {
        case 0x78: radix = 16
        case 0x6F: radix = 8
        case 0x62: radix = 2
        default: return nil
        }
        func digit(_ b: UInt8) -> Int? {
            let v: Int
            switch b {
            case 0x30...0x39: v = Int(b - 0x30)
            case 0x61...0x66: v = Int(b - 0x61 + 10)
            case 0x41...0x46: v = Int(b - 0x41 + 10)
            default: return nil
            }
            return v < radix ? v : nil
        }
        var j = start + 2
        var value = 0
        var overflow = false
        var count = 0
        while true {
            var k = j
            if at(k) == 0x5F { k += 1 }
            guard k < end, let d = digit(bytes[k]) else { break }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            overflow = overflow || o1 || o2
            value = a
            count += 1
            j = k + 1
        }
        guard count > 0 else { return nil }
        if overflow { throw error("integer literal does not fit in 64 bits", start, j, help: "template integers are 64-bit (at most \(Int.max))") }
        emit(.integer(value), start, j)
        return j
    }

    /// Python string literal escapes (`\n`, `\t`, `\xNN`, `\uNNNN`, octal); unknown escapes such as `\d` are kept
    /// verbatim, as Python's unicode-escape leaves them, so SQL regexes survive.
    private mutating func string(_ start: Int) throws(EvalFailureAt) -> Int {
        let quote = bytes[start]
        // Most literals (table and column names) have no escape and no carriage return: their bytes are the text.
        var k = start + 1
        while k < bytes.count, bytes[k] != quote, bytes[k] != 0x5C, bytes[k] != 0x0D { k += 1 }
        if k < bytes.count, bytes[k] == quote {
            emit(.string(String(decoding: bytes[(start + 1)..<k], as: UTF8.self)), start, k + 1)
            return k + 1
        }
        var j = start + 1
        var out: [UInt8] = []
        while true {
            guard j < bytes.count else { throw error("unterminated string literal", start, start + 1) }
            let b = bytes[j]
            if b == quote { j += 1; break }
            // Jinja normalises raw newlines (`\r\n`, `\r`) in the source before it decodes escapes, so only a
            // raw carriage return becomes `\n`; the escape `\r` stays a carriage return.
            if b == 0x0D {
                out.append(0x0A)
                j += 1
                if j < bytes.count, bytes[j] == 0x0A { j += 1 }
                continue
            }
            if b == 0x5C, j + 1 < bytes.count {
                let e = bytes[j + 1]
                j += 2
                if e == 0x0D {   // a line continuation written with a raw `\r\n` or `\r`
                    if j < bytes.count, bytes[j] == 0x0A { j += 1 }
                    continue
                }
                switch e {
                case 0x6E: out.append(0x0A)
                case 0x74: out.append(0x09)
                case 0x72: out.append(0x0D)
                case 0x5C: out.append(0x5C)
                case 0x27: out.append(0x27)
                case 0x22: out.append(0x22)
                case 0x61: out.append(0x07)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x76: out.append(0x0B)
                case 0x0A: break
                case 0x78, 0x75, 0x55:
                    let width = e == 0x78 ? 2 : e == 0x75 ? 4 : 8
                    guard j + width <= bytes.count,
                          let v = UInt32(String(decoding: bytes[j..<(j + width)], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(v) else {
                        throw error("invalid escape sequence in string literal", j - 2, j)
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    j += width
                case 0x30...0x37:
                    var v = UInt32(e - 0x30)
                    var n = 1
                    while n < 3, j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x37 {
                        v = v * 8 + UInt32(bytes[j] - 0x30)
                        j += 1
                        n += 1
                    }
                    if let scalar = Unicode.Scalar(v) { out.append(contentsOf: Array(String(Character(scalar)).utf8)) }
                default:
                    out.append(0x5C)
                    out.append(e)
                }
                continue
            }
            out.append(b)
            j += 1
        }
        emit(.string(String(decoding: out, as: UTF8.self)), start, j)
        return j
    }

    private mutating func op(_ i: Int, _ balance: inout [(UInt8, Int)]) throws(EvalFailureAt) -> Int {
        let b = bytes[i]
        let n = at(i + 1)
        let two: Op? = switch (b, n) {
        case (0x2F, 0x2F): .floordiv
        case (0x2A, 0x2A): .pow
        case (0x3D, 0x3D): .eq
        case (0x21, 0x3D): .ne
        case (0x3C, 0x3D): .lteq
        case (0x3E, 0x3D): .gteq
        default: nil
        }
        if let two {
            emit(.op(two), i, i + 2)
            return i + 2
        }
        let one: Op? = switch b {
        case 0x2B: .add
        case 0x2D: .sub
        case 0x2A: .mul
        case 0x2F: .div
        case 0x25: .mod
        case 0x7E: .tilde
        case 0x3C: .lt
        case 0x3E: .gt
        case 0x3D: .assign
        case 0x28: .lparen
        case 0x29: .rparen
        case 0x5B: .lbracket
        case 0x5D: .rbracket
        case 0x7B: .lbrace
        case 0x7D: .rbrace
        case 0x2C: .comma
        case 0x2E: .dot
        case 0x3A: .colon
        case 0x7C: .pipe
        default: nil
        }
        guard let one else {
            var j = i + 1
            while j < bytes.count, bytes[j] & 0xC0 == 0x80 { j += 1 }
            let ch = String(decoding: bytes[i..<j], as: UTF8.self)
            throw error("unexpected character '\(ch)'", i, j)
        }
        switch one {
        case .lparen, .lbracket, .lbrace: balance.append((b, i))
        case .rparen, .rbracket, .rbrace:
            let expected: UInt8 = b == 0x29 ? 0x28 : b == 0x5D ? 0x5B : 0x7B
            guard let last = balance.last else { throw error("unexpected '\(one.rawValue)'", i, i + 1) }
            guard last.0 == expected else {
                let want = last.0 == 0x28 ? ")" : last.0 == 0x5B ? "]" : "}"
                throw error("unexpected '\(one.rawValue)', expected '\(want)'", i, i + 1)
            }
            balance.removeLast()
        default: break
        }
        emit(.op(one), i, i + 1)
        return i + 1
    }
}

/// A syntax failure with its template-coordinate span, before the origin maps it to the file.
struct EvalFailureAt: Error {
    var failure: EvalFailure
    var span: Span
    init(_ failure: EvalFailure, _ span: Span) {
        self.failure = failure
        self.span = span
    }
}

extension String {
    /// Jinja's newline normalisation of template text: `\r\n` and lone `\r` become `\n`.
    func replacingCRLF() -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for s in unicodeScalars {
            if s == "\r" {
                out.append("\n")
                previousCR = true
                continue
            }
            if s == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.append(s)
        }
        return String(out)
    }
}
