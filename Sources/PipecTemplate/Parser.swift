import PipecDiagnostics

/// Recursive-descent parser for the Jinja subset pipec supports, with Jinja's operator precedence
/// (or < and < not < comparison < + - < ~ < * / // % < ** < unary < postfix/filters/tests).
struct Parser {
    private var tokens: [Lexer.Token]
    private var i = 0
    /// `for` blocks open around the current position, within the current macro; lets `loop.x` be read directly.
    private var forDepth = 0
    /// Block tags open around the current position, for "unexpected end tag" messages.
    private var openBlocks: [(tag: String, span: Span)] = []

    static let blockTags = ["if", "elif", "else", "endif", "for", "endfor", "set", "endset", "macro", "endmacro",
                            "include", "raw", "endraw", "filter", "endfilter", "do"]
    private static let unsupportedTags: [String: String] = [
        "extends": "template inheritance is not supported; use {% include %} and macros",
        "block": "template inheritance is not supported; use {% include %} and macros",
        "import": "importing macros from another template is not supported; define the macro in this template or use {% include %}",
        "from": "importing macros from another template is not supported; define the macro in this template or use {% include %}",
        "call": "{% call %} blocks are not supported; pass the content as a macro argument",
        "with": "{% with %} is not supported; use {% set %}",
        "autoescape": "autoescaping does not apply to SQL templates",
        "break": "loop controls are not enabled in Airflow's Jinja environment; use `{% for x in xs if condition %}`",
        "continue": "loop controls are not enabled in Airflow's Jinja environment; use `{% for x in xs if condition %}`",
    ]

    init(tokens: [Lexer.Token]) {
        self.tokens = tokens
        ops = tokens.map { token in
            if case .op(let o) = token.kind { return o }
            return nil
        }
    }

    /// Each token's operator, if it is one: the precedence levels ask "is this operator next?" a dozen times per
    /// expression, and reading it here copies nothing.
    private let ops: [Lexer.Op?]

    static func parse(_ source: String) throws(EvalFailureAt) -> [Node] {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        return try parser.parseTemplate()
    }

    // MARK: token helpers

    private var current: Lexer.Token { tokens[i] }
    private var kind: Lexer.Kind { tokens[i].kind }

    private mutating func advance() -> Lexer.Token {
        let t = tokens[i]
        if i < tokens.count - 1 { i += 1 }
        return t
    }

    private func fail(_ message: String, _ span: Span, help: String? = nil) -> EvalFailureAt {
        EvalFailureAt(EvalFailure(TemplateErrorCode.syntax, message, help: help), span)
    }

    private func describe(_ k: Lexer.Kind) -> String {
        switch k {
        case .data: return "template text"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "'}}'"
        case .blockBegin: return "'{%'"
        case .blockEnd: return "'%}'"
        case .name(let n): return "'\(n)'"
        case .string: return "a string"
        case .integer, .float: return "a number"
        case .op(let o): return "'\(o.rawValue)'"
        case .eof: return "the end of the template"
        }
    }

    private func isOp(_ op: Lexer.Op) -> Bool { ops[i] == op }

    private func isName(_ name: String) -> Bool {
        if case .name(let n) = kind, n == name { return true }
        return false
    }

    private mutating func skipOp(_ op: Lexer.Op) -> Bool {
        if isOp(op) { _ = advance(); return true }
        return false
    }

    private mutating func skipName(_ name: String) -> Bool {
        if isName(name) { _ = advance(); return true }
        return false
    }

    private mutating func expectOp(_ op: Lexer.Op, _ context: String) throws(EvalFailureAt) -> Span {
        guard isOp(op) else { throw fail("expected '\(op.rawValue)' \(context), found \(describe(kind))", current.span) }
        return advance().span
    }

    private mutating func expectName(_ context: String) throws(EvalFailureAt) -> (String, Span) {
        guard case .name(let n) = kind else { throw fail("expected a name \(context), found \(describe(kind))", current.span) }
        return (n, advance().span)
    }

    private mutating func expectBlockEnd(_ tag: String) throws(EvalFailureAt) {
        guard case .blockEnd = kind else {
            throw fail("expected '%}' to end the '\(tag)' tag, found \(describe(kind))", current.span)
        }
        _ = advance()
    }

    // MARK: statements

    private mutating func parseTemplate() throws(EvalFailureAt) -> [Node] {
        let (nodes, _) = try parseBody(until: [], opener: nil)
        return nodes
    }

    /// Parses nodes until a `{% tag %}` whose name is in `endTags`; returns the nodes and that tag's name, with
    /// the tag name consumed. At the end of the template, fails naming the block that is still open.
    private mutating func parseBody(until endTags: Set<String>, opener: (tag: String, span: Span)?) throws(EvalFailureAt) -> ([Node], String) {
        var nodes: [Node] = []
        while true {
            switch kind {
            case .data(let text):
                _ = advance()
                nodes.append(.text(text))
            case .variableBegin:
                _ = advance()
                if case .variableEnd = kind { throw fail("expected an expression inside '{{ }}'", current.span) }
                let e = try parseTuple()
                guard case .variableEnd = kind else {
                    throw fail("expected '}}' to end the expression, found \(describe(kind))", current.span)
                }
                _ = advance()
                nodes.append(.output(e))
            case .blockBegin:
                let begin = advance()
                guard case .name(let tag) = kind else {
                    throw fail("expected a tag name after '{%', found \(describe(kind))", current.span.line == begin.span.line ? current.span : begin.span)
                }
                if endTags.contains(tag) {
                    _ = advance()
                    return (nodes, tag)
                }
                nodes.append(try parseStatement(tag))
            case .eof:
                if let opener {
                    let wanted = endTags.sorted { a, b in a.hasPrefix("end") != b.hasPrefix("end") ? !a.hasPrefix("end") : a < b }
                        .map { "'{% \($0) %}'" }
                    throw fail("unclosed '{% \(opener.tag) %}': expected \(wanted.joined(separator: " or ")) before the end of the template", opener.span)
                }
                return (nodes, "")
            default:
                throw fail("unexpected \(describe(kind))", current.span)
            }
        }
    }

    private mutating func parseStatement(_ tag: String) throws(EvalFailureAt) -> Node {
        let tagSpan = current.span
        switch tag {
        case "if": _ = advance(); return try parseIf(tagSpan)
        case "for": _ = advance(); return try parseFor(tagSpan)
        case "set": _ = advance(); return try parseSet(tagSpan)
        case "macro": _ = advance(); return try parseMacro(tagSpan)
        case "include": _ = advance(); return try parseInclude(tagSpan)
        case "filter": _ = advance(); return try parseFilterBlock(tagSpan)
        case "do":
            _ = advance()
            let e = try parseTuple()
            try expectBlockEnd("do")
            return .doExpr(e)
        default:
            if let why = Parser.unsupportedTags[tag] {
                throw fail("the '{% \(tag) %}' tag is not supported", tagSpan, help: why)
            }
            if let open = openBlocks.last, tag.hasPrefix("end") || tag == "elif" || tag == "else" {
                throw fail("unexpected '{% \(tag) %}': the innermost open block is '{% \(open.tag) %}' at line \(open.span.line)", tagSpan,
                           help: "close it with '{% end\(open.tag) %}'")
            }
            if tag.hasPrefix("end") || tag == "elif" || tag == "else" {
                throw fail("unexpected '{% \(tag) %}': no block is open", tagSpan)
            }
            throw fail("unknown tag '\(tag)'", tagSpan, help: DidYouMean.help(tag, from: Parser.blockTags))
        }
    }

    private mutating func parseIf(_ tagSpan: Span) throws(EvalFailureAt) -> Node {
        var branches: [(condition: Expr, body: [Node])] = []
        var otherwise: [Node]?
        var condition = try parseTuple()
        try expectBlockEnd("if")
        openBlocks.append(("if", tagSpan))
        defer { openBlocks.removeLast() }
        while true {
            let (body, end) = try parseBody(until: ["elif", "else", "endif"], opener: ("if", tagSpan))
            branches.append((condition, body))
            if end == "elif" {
                condition = try parseTuple()
                try expectBlockEnd("elif")
                continue
            }
            if end == "else" {
                try expectBlockEnd("else")
                let (elseBody, _) = try parseBody(until: ["endif"], opener: ("if", tagSpan))
                otherwise = elseBody
            }
            try expectBlockEnd("endif")
            return .ifChain(branches, otherwise: otherwise)
        }
    }

    private mutating func parseFor(_ tagSpan: Span) throws(EvalFailureAt) -> Node {
        var targets: [NameTarget] = []
        repeat {
            let (name, span) = try expectName("as the loop variable")
            if name == "loop" { throw fail("'loop' is reserved for the loop object and cannot be a loop variable", span) }
            targets.append(NameTarget(name: name, span: span))
        } while skipOp(.comma)
        guard skipName("in") else { throw fail("expected 'in' after the loop variable, found \(describe(kind))", current.span) }
        let iterable = try parseTuple(stopAtIf: true)
        forDepth += 1
        var condition: Expr?
        if skipName("if") { condition = try parseExpression() }
        if isName("recursive") {
            throw fail("recursive loops are not supported", current.span)
        }
        try expectBlockEnd("for")
        openBlocks.append(("for", tagSpan))
        let (body, end) = try parseBody(until: ["else", "endfor"], opener: ("for", tagSpan))
        forDepth -= 1
        var elseBody: [Node]?
        if end == "else" {
            try expectBlockEnd("else")
            elseBody = try parseBody(until: ["endfor"], opener: ("for", tagSpan)).0
        }
        openBlocks.removeLast()
        try expectBlockEnd("endfor")
        return .forLoop(ForLoop(targets: targets, iterable: iterable, condition: condition, body: body, elseBody: elseBody, span: tagSpan))
    }

    private mutating func parseSetTarget() throws(EvalFailureAt) -> SetTarget {
        let (name, span) = try expectName("to assign to")
        if skipOp(.dot) {
            let (attribute, attrSpan) = try expectName("after '.'")
            return .attribute(NameRef(name: name, span: span), attribute, span.through(attrSpan))
        }
        if name == "loop" { throw fail("'loop' is reserved for the loop object and cannot be assigned", span) }
        return .name(NameTarget(name: name, span: span))
    }

    private mutating func parseSet(_ tagSpan: Span) throws(EvalFailureAt) -> Node {
        var targets = [try parseSetTarget()]
        while skipOp(.comma) { targets.append(try parseSetTarget()) }
        if skipOp(.assign) {
            let value = try parseTuple()
            try expectBlockEnd("set")
            return .set(targets, value, tagSpan)
        }
        guard targets.count == 1 else { throw fail("expected '=' after the names to assign", current.span) }
        var filters: [FilterApplication] = []
        while skipOp(.pipe) { filters.append(try parseFilterApplication()) }
        try expectBlockEnd("set")
        openBlocks.append(("set", tagSpan))
        defer { openBlocks.removeLast() }
        let (body, _) = try parseBody(until: ["endset"], opener: ("set", tagSpan))
        try expectBlockEnd("endset")
        return .setBlock(targets[0], body, filters)
    }

    private mutating func parseMacro(_ tagSpan: Span) throws(EvalFailureAt) -> Node {
        let (name, nameSpan) = try expectName("for the macro")
        _ = try expectOp(.lparen, "after the macro name")
        var parameters: [(target: NameTarget, defaultValue: Expr?)] = []
        var seenDefault = false
        while !isOp(.rparen) {
            if !parameters.isEmpty { _ = try expectOp(.comma, "between macro parameters") }
            if isOp(.rparen) { break }
            let (p, pSpan) = try expectName("for a macro parameter")
            if parameters.contains(where: { $0.target.name == p }) { throw fail("duplicate macro parameter '\(p)'", pSpan) }
            var defaultValue: Expr?
            if skipOp(.assign) {
                defaultValue = try parseExpression()
                seenDefault = true
            } else if seenDefault {
                throw fail("parameter '\(p)' without a default follows a parameter with one", pSpan)
            }
            parameters.append((NameTarget(name: p, span: pSpan), defaultValue))
        }
        _ = advance()
        try expectBlockEnd("macro")
        let savedFor = forDepth
        forDepth = 0
        openBlocks.append(("macro", tagSpan))
        let (body, _) = try parseBody(until: ["endmacro"], opener: ("macro", tagSpan))
        openBlocks.removeLast()
        forDepth = savedFor
        if case .name = kind { _ = advance() }
        try expectBlockEnd("endmacro")
        let definition = MacroDefinition(name: name, target: NameTarget(name: name, span: nameSpan),
                                         parameters: parameters, body: body, span: nameSpan)
        return .macro(definition)
    }

    private mutating func parseInclude(_ tagSpan: Span) throws(EvalFailureAt) -> Node {
        let name = try parseExpression()
        var ignoreMissing = false
        var withContext = true
        if skipName("ignore") {
            guard skipName("missing") else { throw fail("expected 'missing' after 'ignore'", current.span) }
            ignoreMissing = true
        }
        if skipName("with") {
            guard skipName("context") else { throw fail("expected 'context' after 'with'", current.span) }
        } else if skipName("without") {
            guard skipName("context") else { throw fail("expected 'context' after 'without'", current.span) }
            withContext = false
        }
        try expectBlockEnd("include")
        return .include(IncludeSite(name: name, ignoreMissing: ignoreMissing, withContext: withContext, span: tagSpan.through(name.span)))
    }

    private mutating func parseFilterBlock(_ tagSpan: Span) throws(EvalFailureAt) -> Node {
        var filters = [try parseFilterApplication()]
        while skipOp(.pipe) { filters.append(try parseFilterApplication()) }
        try expectBlockEnd("filter")
        openBlocks.append(("filter", tagSpan))
        defer { openBlocks.removeLast() }
        let (body, _) = try parseBody(until: ["endfilter"], opener: ("filter", tagSpan))
        try expectBlockEnd("endfilter")
        return .filterBlock(body, filters)
    }

    // MARK: expressions

    /// `a, b` forms a tuple where Jinja allows one (output, set values, for iterables).
    private mutating func parseTuple(stopAtIf: Bool = false) throws(EvalFailureAt) -> Expr {
        let start = current.span
        let first = try stopAtIf ? parseOr() : parseExpression()
        guard isOp(.comma) else { return first }
        var items = [first]
        while skipOp(.comma) {
            if case .blockEnd = kind { break }
            if case .variableEnd = kind { break }
            if stopAtIf, isName("if") { break }
            items.append(try stopAtIf ? parseOr() : parseExpression())
        }
        return .tuple(items, start)
    }

    mutating func parseExpression() throws(EvalFailureAt) -> Expr {
        var e = try parseOr()
        while isName("if") {
            let span = advance().span
            let condition = try parseOr()
            var otherwise: Expr?
            if skipName("else") { otherwise = try parseExpression() }
            e = .conditional(condition: condition, then: e, otherwise: otherwise, span)
        }
        return e
    }

    private mutating func parseOr() throws(EvalFailureAt) -> Expr {
        var left = try parseAnd()
        while isName("or") {
            let span = advance().span
            left = .or(left, try parseAnd(), span)
        }
        return left
    }

    private mutating func parseAnd() throws(EvalFailureAt) -> Expr {
        var left = try parseNot()
        while isName("and") {
            let span = advance().span
            left = .and(left, try parseNot(), span)
        }
        return left
    }

    private mutating func parseNot() throws(EvalFailureAt) -> Expr {
        if isName("not") {
            let span = advance().span
            return .not(try parseNot(), span)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws(EvalFailureAt) -> Expr {
        let left = try parseMath1()
        var ops: [(op: CompareOp, right: Expr, span: Span)] = []
        while true {
            var op: CompareOp?
            var span = current.span
            switch kind {
            case .op(.eq): op = .eq
            case .op(.ne): op = .ne
            case .op(.lt): op = .lt
            case .op(.lteq): op = .lteq
            case .op(.gt): op = .gt
            case .op(.gteq): op = .gteq
            case .name("in"): op = .isIn
            case .name("not"):
                if case .name("in") = tokens[min(i + 1, tokens.count - 1)].kind {
                    op = .notIn
                    _ = advance()
                    span = span.through(current.span)
                }
            default: break
            }
            guard let op else { break }
            _ = advance()
            ops.append((op, try parseMath1(), span))
        }
        return ops.isEmpty ? left : .compare(left, ops)
    }

    private mutating func parseMath1() throws(EvalFailureAt) -> Expr {
        var left = try parseConcat()
        while true {
            let op: BinaryOp
            if isOp(.add) { op = .add } else if isOp(.sub) { op = .sub } else { break }
            let span = advance().span
            left = .binary(op, left, try parseConcat(), span)
        }
        return left
    }

    private mutating func parseConcat() throws(EvalFailureAt) -> Expr {
        var left = try parseMath2()
        while isOp(.tilde) {
            let span = advance().span
            left = .binary(.concat, left, try parseMath2(), span)
        }
        return left
    }

    private mutating func parseMath2() throws(EvalFailureAt) -> Expr {
        var left = try parsePow()
        while true {
            let op: BinaryOp
            switch kind {
            case .op(.mul): op = .mul
            case .op(.div): op = .div
            case .op(.floordiv): op = .floordiv
            case .op(.mod): op = .mod
            default: return left
            }
            let span = advance().span
            left = .binary(op, left, try parsePow(), span)
        }
    }

    /// Left-associative like Jinja's `parse_pow` (so `2 ** 3 ** 2` is 64, unlike Python).
    private mutating func parsePow() throws(EvalFailureAt) -> Expr {
        var left = try parseUnary(withFilter: true)
        while isOp(.pow) {
            let span = advance().span
            left = .binary(.pow, left, try parseUnary(withFilter: true), span)
        }
        return left
    }

    private mutating func parseUnary(withFilter: Bool) throws(EvalFailureAt) -> Expr {
        var e: Expr
        if isOp(.sub) {
            let span = advance().span
            e = .unary(.negate, try parseUnary(withFilter: false), span)
        } else if isOp(.add) {
            let span = advance().span
            e = .unary(.plus, try parseUnary(withFilter: false), span)
        } else {
            e = try parsePostfix(try parsePrimary())
        }
        if withFilter { e = try parseFiltersAndTests(e) }
        return e
    }

    private mutating func parsePrimary() throws(EvalFailureAt) -> Expr {
        let token = current
        switch token.kind {
        case .name(let n):
            _ = advance()
            switch n {
            case "true", "True": return .constant(.bool(true), token.span)
            case "false", "False": return .constant(.bool(false), token.span)
            case "none", "None": return .constant(.none, token.span)
            default: return .name(NameRef(name: n, span: token.span))
            }
        case .string(var s):
            _ = advance()
            var span = token.span
            while case .string(let more) = kind {
                s += more
                span = span.through(advance().span)
            }
            return .constant(.string(s), span)
        case .integer(let n):
            _ = advance()
            return .constant(.int(n), token.span)
        case .float(let d):
            _ = advance()
            return .constant(.double(d), token.span)
        case .op(.lparen):
            _ = advance()
            if skipOp(.rparen) { return .tuple([], token.span) }
            let first = try parseExpression()
            if isOp(.comma) {
                var items = [first]
                while skipOp(.comma) {
                    if isOp(.rparen) { break }
                    items.append(try parseExpression())
                }
                _ = try expectOp(.rparen, "to close the tuple")
                return .tuple(items, token.span)
            }
            _ = try expectOp(.rparen, "to close the parenthesis")
            return first
        case .op(.lbracket):
            _ = advance()
            var items: [Expr] = []
            while !isOp(.rbracket) {
                if !items.isEmpty {
                    _ = try expectOp(.comma, "between list items")
                    if isOp(.rbracket) { break }
                }
                items.append(try parseExpression())
            }
            _ = advance()
            if let constant = Parser.constantList(items) { return .constant(constant, token.span) }
            return .list(items, token.span)
        case .op(.lbrace):
            _ = advance()
            var pairs: [(key: Expr, value: Expr)] = []
            while !isOp(.rbrace) {
                if !pairs.isEmpty {
                    _ = try expectOp(.comma, "between dict items")
                    if isOp(.rbrace) { break }
                }
                let key = try parseExpression()
                _ = try expectOp(.colon, "after a dict key")
                pairs.append((key, try parseExpression()))
            }
            _ = advance()
            return .dict(pairs, token.span)
        default:
            throw fail("expected an expression, found \(describe(token.kind))", token.span)
        }
    }

    /// A list of literals is built once at parse time instead of on every render.
    private static func constantList(_ items: [Expr]) -> TemplateValue? {
        var values: [TemplateValue] = []
        for item in items {
            guard case .constant(let v, _) = item else { return nil }
            values.append(v)
        }
        return .list(values)
    }

    private mutating func parsePostfix(_ base: Expr) throws(EvalFailureAt) -> Expr {
        var e = base
        while true {
            if isOp(.dot) {
                _ = advance()
                let t = advance()
                switch t.kind {
                case .name(let n):
                    if isOp(.lparen) {
                        let args = try parseCallArguments()
                        e = .method(e, Member(n), args, t.span)
                    } else if forDepth > 0, case .name(let ref) = e, ref.name == "loop", let field = LoopField(rawValue: n) {
                        e = .loopField(ref, field, t.span)
                    } else {
                        e = .attribute(e, Member(n), t.span)
                    }
                case .integer(let n):
                    e = .item(e, .constant(.int(n), t.span), t.span)
                default:
                    throw fail("expected an attribute name after '.', found \(describe(t.kind))", t.span)
                }
            } else if isOp(.lbracket) {
                let open = advance().span
                e = try parseSubscript(e, open)
            } else if isOp(.lparen) {
                let calleeSpan = e.span
                let args = try parseCallArguments()
                e = .call(e, args, calleeSpan)
            } else {
                return e
            }
        }
    }

    private mutating func parseSubscript(_ base: Expr, _ open: Span) throws(EvalFailureAt) -> Expr {
        var parts: [Expr?] = [nil]
        var isSlice = false
        while !isOp(.rbracket) {
            if skipOp(.colon) {
                isSlice = true
                parts.append(nil)
                if parts.count > 3 { throw fail("a slice takes at most three parts", current.span) }
                continue
            }
            if parts[parts.count - 1] != nil { throw fail("expected ']' or ':' in the subscript, found \(describe(kind))", current.span) }
            parts[parts.count - 1] = try parseExpression()
        }
        let close = advance().span
        let span = open.through(close)
        if isSlice {
            while parts.count < 3 { parts.append(nil) }
            return .slice(base, parts[0], parts[1], parts[2], span)
        }
        guard let key = parts[0] else { throw fail("expected an index or key inside '[]'", span) }
        return .item(base, key, span)
    }

    private mutating func parseCallArguments() throws(EvalFailureAt) -> Arguments {
        _ = try expectOp(.lparen, "to start the arguments")
        var args = Arguments()
        while !isOp(.rparen) {
            if !args.isEmpty {
                _ = try expectOp(.comma, "between arguments")
                if isOp(.rparen) { break }
            }
            if isOp(.mul) || isOp(.pow) { throw fail("'*args' and '**kwargs' in calls are not supported", current.span) }
            if case .name(let n) = kind, case .op(.assign) = tokens[min(i + 1, tokens.count - 1)].kind {
                let span = advance().span
                _ = advance()
                if args.keywords.contains(where: { $0.name == n }) { throw fail("keyword argument '\(n)' repeated", span) }
                args.keywords.append((n, try parseExpression(), span))
            } else {
                if !args.keywords.isEmpty { throw fail("positional argument follows keyword argument", current.span) }
                args.positional.append(try parseExpression())
            }
        }
        _ = advance()
        return args
    }

    private mutating func parseFilterApplication() throws(EvalFailureAt) -> FilterApplication {
        let (name, span) = try expectName("for the filter after '|'")
        guard let filter = FilterKind(name: name) else {
            throw EvalFailureAt(EvalFailure(TemplateErrorCode.unknownFilter, "unknown filter '\(name)'",
                                            help: DidYouMean.help(name, from: FilterKind.names)), span)
        }
        let args = isOp(.lparen) ? try parseCallArguments() : Arguments()
        return FilterApplication(kind: filter, arguments: args, span: span)
    }

    private mutating func parseFiltersAndTests(_ base: Expr) throws(EvalFailureAt) -> Expr {
        var e = base
        while true {
            if skipOp(.pipe) {
                let f = try parseFilterApplication()
                e = .filter(e, f.kind, f.arguments, f.span)
            } else if isName("is") {
                _ = advance()
                let negated = skipName("not")
                let t = advance()
                let name: String
                switch t.kind {
                case .name(let n): name = n
                case .op(.eq): name = "=="
                case .op(.ne): name = "!="
                case .op(.lt): name = "<"
                case .op(.lteq): name = "<="
                case .op(.gt): name = ">"
                case .op(.gteq): name = ">="
                default: throw fail("expected a test name after 'is', found \(describe(t.kind))", t.span)
                }
                guard let test = TestKind(name: name) else {
                    throw EvalFailureAt(EvalFailure(TemplateErrorCode.unknownTest, "unknown test '\(name)'",
                                                    help: DidYouMean.help(name, from: TestKind.names)), t.span)
                }
                var args = Arguments()
                if isOp(.lparen) {
                    args = try parseCallArguments()
                } else if startsBareTestArgument() {
                    args.positional = [try parsePostfix(try parsePrimary())]
                }
                e = .test(e, test, args, negated: negated, t.span)
            } else {
                return e
            }
        }
    }

    private func startsBareTestArgument() -> Bool {
        switch kind {
        case .name(let n): return !["else", "or", "and", "if", "in", "not", "is"].contains(n)
        case .string, .integer, .float, .op(.lbracket), .op(.lbrace): return true
        default: return false
        }
    }
}
