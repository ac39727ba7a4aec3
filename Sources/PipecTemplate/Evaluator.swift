import PipecDiagnostics

/// A frame slot: unset (fall through to the next scope, then the globals), a value, a macro parameter that was not
/// passed (undefined), or the state of a running `for` loop.
enum Binding {
    case unset
    case value(TemplateValue)
    case missingArgument
    case loop(LoopState)
}

/// Jinja's `loop` object, updated in place each iteration.
final class LoopState {
    let items: [TemplateValue]
    var index0 = 0
    init(items: [TemplateValue]) { self.items = items }

    /// nil for `previtem` on the first and `nextitem` on the last iteration (undefined in Jinja).
    func field(_ f: LoopField) -> TemplateValue? {
        let n = items.count
        switch f {
        case .index: return .int(index0 + 1)
        case .index0: return .int(index0)
        case .revindex: return .int(n - index0)
        case .revindex0: return .int(n - index0 - 1)
        case .first: return .bool(index0 == 0)
        case .last: return .bool(index0 == n - 1)
        case .length: return .int(n)
        case .depth: return .int(1)
        case .depth0: return .int(0)
        case .previtem: return index0 > 0 ? items[index0 - 1] : nil
        case .nextitem: return index0 + 1 < n ? items[index0 + 1] : nil
        }
    }

    /// A snapshot as an object, for `{% set outer = loop %}` or passing `loop` around.
    func snapshot() -> TemplateValue {
        let fields: [LoopField] = [.index, .index0, .revindex, .revindex0, .first, .last, .length, .depth, .depth0, .previtem, .nextitem]
        return .object("loop", fields.compactMap { f in field(f).map { (f.rawValue, $0) } })
    }
}

/// Evaluated call arguments.
struct Args {
    var positional: [TemplateValue] = []
    var keywords: [(name: String, value: TemplateValue)] = []

    var count: Int { positional.count + keywords.count }

    /// Binds to named parameters as Python would: positionals first, then keywords; reports too many, unknown,
    /// repeated and missing arguments.
    func bind(_ function: String, _ names: [String], required: Int = 0) throws(EvalFailure) -> [TemplateValue?] {
        if positional.count > names.count {
            throw EvalFailure.arguments("\(function)() takes at most \(names.count) argument\(names.count == 1 ? "" : "s") (\(positional.count) given)")
        }
        var result = [TemplateValue?](repeating: nil, count: names.count)
        for (i, v) in positional.enumerated() { result[i] = v }
        for k in keywords {
            guard let at = names.firstIndex(of: k.name) else {
                throw EvalFailure.arguments("\(function)() got an unexpected keyword argument '\(k.name)'",
                                            help: DidYouMean.help(k.name, from: names))
            }
            if result[at] != nil { throw EvalFailure.arguments("\(function)() got multiple values for argument '\(k.name)'") }
            result[at] = k.value
        }
        for i in 0..<required where result[i] == nil {
            throw EvalFailure.arguments("\(function)() missing required argument '\(names[i])'")
        }
        return result
    }

    func noArguments(_ function: String) throws(EvalFailure) {
        if count > 0 { throw EvalFailure.arguments("\(function)() takes no arguments (\(count) given)") }
    }
}

/// Renders one template (and the includes and macros it calls) into a string. One instance per render; not shared.
final class Renderer {
    let out: OutputBuffer
    var slots: [Binding]
    var topBase = 0
    var base = 0
    var globals: GlobalTable
    var template: Template
    let context: TemplateContext
    let limits: TemplateLimits
    var depth = 0
    var iterations = 0
    var includeStack: [String] = []

    init(template: Template, context: TemplateContext) {
        self.template = template
        self.context = context
        self.globals = context.table
        self.limits = context.limits
        self.out = OutputBuffer(capacity: template.source.utf8.count + template.source.utf8.count / 2 + 64)
        self.slots = Array(repeating: .unset, count: template.frameSize)
    }

    func renderTemplate() throws(TemplateError) -> String {
        try run(template.nodes)
        return out.string
    }

    /// `Template.check`: the top-level nodes one by one, going on after an error where nothing later depends on the
    /// failed node.
    func checkTemplate() -> [TemplateError] {
        var errors: [TemplateError] = []
        for node in template.nodes {
            do throws(TemplateError) {
                try run([node])
            } catch {
                errors.append(error)
                switch node {
                case .output, .ifChain, .forLoop, .text, .doExpr, .filterBlock: continue
                case .set, .setBlock, .macro, .include: return errors
                }
            }
        }
        return errors
    }

    // MARK: errors

    func fail(_ failure: EvalFailure, _ span: Span) -> TemplateError {
        failure.located(span, in: template.origin)
    }

    func fail(_ code: String, _ message: String, _ span: Span, help: String? = nil) -> TemplateError {
        TemplateError(.error(code, message, at: template.origin.location(span), help: help))
    }

    @inline(__always)
    func located<T>(_ span: Span, _ body: () throws(EvalFailure) -> T) throws(TemplateError) -> T {
        do { return try body() } catch { throw fail(error, span) }
    }

    private func checkOutput(_ span: Span?) throws(TemplateError) {
        if out.count > limits.maxOutputBytes {
            throw TemplateError(.error(TemplateErrorCode.limit, "rendered output exceeds \(limits.maxOutputBytes) bytes",
                                       at: span.map { template.origin.location($0) } ?? template.origin.location(line: 1, column: 1)))
        }
    }

    // MARK: statements

    func run(_ nodes: [Node]) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let s):
                out.append(s)
            case .output(.name(let ref)) where ref.chain.isEmpty:
                // `{{ ds }}`: the most common output, a global string.
                if case .string(let s)? = globals.lookup(ref.name, hash: ref.hash) {
                    out.append(s)
                } else {
                    out.append(PythonText.str(try lookup(ref)))
                }
                if out.count > limits.maxOutputBytes { try checkOutput(ref.span) }
            case .output(let e):
                let v = try eval(e)
                if case .string(let s) = v { out.append(s) } else { out.append(PythonText.str(v)) }
                if out.count > limits.maxOutputBytes { try checkOutput(e.span) }
            case .ifChain(let branches, let otherwise):
                var taken = false
                for branch in branches where try truthy(branch.condition) {
                    try run(branch.body)
                    taken = true
                    break
                }
                if !taken, let otherwise { try run(otherwise) }
            case .forLoop(let loop):
                try runFor(loop)
            case .set(let targets, let valueExpr, let span):
                let value = try eval(valueExpr)
                if targets.count == 1 {
                    try assign(targets[0], value)
                } else {
                    let items = try unpack(value, count: targets.count, span)
                    for (t, v) in zip(targets, items) { try assign(t, v) }
                }
            case .setBlock(let target, let body, let filters):
                var value = TemplateValue.string(try capture(body))
                for f in filters { value = try applyFilter(f.kind, value, f.arguments, f.span) }
                try assign(target, value)
            case .macro(let definition):
                let macro = TemplateMacro(definition: definition, template: template, topBase: topBase, globals: globals)
                slots[index(definition.target.slot)] = .value(.macro(macro))
            case .include(let site):
                try include(site)
            case .filterBlock(let body, let filters):
                var value = TemplateValue.string(try capture(body))
                for f in filters { value = try applyFilter(f.kind, value, f.arguments, f.span) }
                out.append(PythonText.str(value))
                try checkOutput(nil)
            case .doExpr(let e):
                _ = try eval(e)
            }
        }
        if out.count > limits.maxOutputBytes { try checkOutput(nil) }
    }

    private func capture(_ body: [Node]) throws(TemplateError) -> String {
        let mark = out.count
        do {
            try run(body)
        } catch {
            _ = out.take(from: mark)
            throw error
        }
        return out.take(from: mark)
    }

    @inline(__always)
    func index(_ ref: SlotRef) -> Int { (ref.top ? topBase : base) + ref.index }

    private func assign(_ target: SetTarget, _ value: TemplateValue) throws(TemplateError) {
        switch target {
        case .name(let t):
            slots[index(t.slot)] = .value(value)
        case .attribute(let ref, let attribute, let span):
            let object = try lookup(ref)
            guard case .namespace(let ns) = object, ns.set(attribute, value) else {
                throw fail(TemplateErrorCode.type, "cannot assign attribute '\(attribute)' on '\(ref.name)' (a '\(PythonText.typeName(object))'); only namespace() objects can be assigned to", span,
                           help: "create it with {% set \(ref.name) = namespace(\(attribute)=...) %}")
            }
        }
    }

    private func unpack(_ value: TemplateValue, count: Int, _ span: Span) throws(TemplateError) -> [TemplateValue] {
        switch value {
        case .list(let items), .tuple(let items):
            guard items.count == count else {
                throw fail(TemplateErrorCode.value, items.count < count ? "not enough values to unpack (expected \(count), got \(items.count))"
                           : "too many values to unpack (expected \(count))", span)
            }
            return items
        default:
            throw fail(TemplateErrorCode.type, "cannot unpack a '\(PythonText.typeName(value))' into \(count) names", span)
        }
    }

    func iterate(_ value: TemplateValue, _ span: Span) throws(TemplateError) -> [TemplateValue] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let d): return d.keys
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        default: throw fail(TemplateErrorCode.type, "'\(PythonText.typeName(value))' object is not iterable", span)
        }
    }

    private func runFor(_ loop: ForLoop) throws(TemplateError) {
        var items = try iterate(try eval(loop.iterable), loop.iterable.span)
        let single = loop.targets.count == 1
        func bind(_ item: TemplateValue) throws(TemplateError) {
            if single {
                slots[index(loop.targets[0].slot)] = .value(item)
            } else {
                let parts = try unpack(item, count: loop.targets.count, loop.targets[0].span)
                for (t, v) in zip(loop.targets, parts) { slots[index(t.slot)] = .value(v) }
            }
        }
        if let condition = loop.condition {
            var kept: [TemplateValue] = []
            for item in items {
                try bind(item)
                if try truthy(condition) { kept.append(item) }
            }
            items = kept
        }
        guard !items.isEmpty else {
            if let elseBody = loop.elseBody { try run(elseBody) }
            return
        }
        iterations += items.count
        if iterations > limits.maxIterations {
            throw fail(TemplateErrorCode.limit, "loops ran more than \(limits.maxIterations) iterations in one render", loop.span)
        }
        var state: LoopState?
        if let slot = loop.loopSlot {
            let s = LoopState(items: items)
            slots[index(slot)] = .loop(s)
            state = s
        }
        for (i, item) in items.enumerated() {
            for slot in loop.bodySlots { slots[index(slot)] = .unset }
            try bind(item)
            state?.index0 = i
            try run(loop.body)
        }
    }

    private func include(_ site: IncludeSite) throws(TemplateError) {
        let nameValue = try eval(site.name)
        let names: [String]
        switch nameValue {
        case .string(let s): names = [s]
        case .list(let items), .tuple(let items): names = items.compactMap(\.stringValue)
        default:
            throw fail(TemplateErrorCode.type, "include expects a template name (str), got '\(PythonText.typeName(nameValue))'", site.name.span)
        }
        guard let loader = context.loader else {
            throw fail(TemplateErrorCode.include, "cannot include templates here: no template loader is configured", site.span)
        }
        var loaded: (String, Template)?
        for name in names {
            do {
                loaded = (name, try loader.load(name))
                break
            } catch {
                var d = error.diagnostic
                if d.code == TemplateErrorCode.include && d.location == nil {
                    if site.ignoreMissing || name != names.last { continue }
                    d.location = template.origin.location(site.span)
                    throw TemplateError(d)
                }
                d.notes.append(DiagnosticNote("included from here", at: template.origin.location(site.span)))
                throw TemplateError(d)
            }
        }
        guard let (name, included) = loaded else { return }
        if includeStack.contains(name) {
            throw fail(TemplateErrorCode.include, "include cycle: \((includeStack + [name]).joined(separator: " -> "))", site.span)
        }
        guard depth < limits.maxDepth else {
            throw fail(TemplateErrorCode.limit, "includes and macro calls nest deeper than \(limits.maxDepth)", site.span)
        }
        var overlay = site.withContext ? globals.dictionary : context.globals
        if site.withContext {
            for v in site.visible {
                if let value = slotValue(v.chain) { overlay[v.name] = value }
            }
        }
        let overlayTable = site.withContext && site.visible.isEmpty ? globals : GlobalTable(overlay)
        let saved = (topBase, base, template, globals)
        let frameStart = slots.count
        slots.append(contentsOf: repeatElement(Binding.unset, count: included.frameSize))
        (topBase, base, template, globals) = (frameStart, frameStart, included, overlayTable)
        includeStack.append(name)
        depth += 1
        defer {
            depth -= 1
            includeStack.removeLast()
            (topBase, base, template, globals) = saved
            slots.removeSubrange(frameStart...)
        }
        do {
            try run(included.nodes)
        } catch {
            var d = error.diagnostic
            if d.location?.file == included.origin.file, !d.notes.contains(where: { $0.message == "included from here" }) {
                d.notes.append(DiagnosticNote("included from here", at: saved.2.origin.location(site.span)))
            }
            throw TemplateError(d)
        }
    }

    // MARK: names

    private func slotValue(_ chain: [SlotRef]) -> TemplateValue? {
        for ref in chain {
            switch slots[index(ref)] {
            case .value(let v): return v
            case .unset: continue
            case .missingArgument: return nil
            case .loop(let state): return state.snapshot()
            }
        }
        return nil
    }

    /// A variable's value, or nil when it is undefined.
    @inline(__always)
    func lookupOptional(_ ref: NameRef) -> TemplateValue? {
        for slot in ref.chain {
            switch slots[index(slot)] {
            case .value(let v): return v
            case .unset: continue
            case .missingArgument: return nil
            case .loop(let state): return state.snapshot()
            }
        }
        if let v = globals.lookup(ref.name, hash: ref.hash) { return v }
        return Builtins.table.lookup(ref.name, hash: ref.hash)
    }

    func lookup(_ ref: NameRef) throws(TemplateError) -> TemplateValue {
        if let v = lookupOptional(ref) { return v }
        throw undefinedName(ref)
    }

    private func undefinedName(_ ref: NameRef) -> TemplateError {
        for slot in ref.chain {
            if case .missingArgument = slots[index(slot)] {
                return fail(TemplateErrorCode.undefined, "'\(ref.name)' is undefined: the macro was called without this argument", ref.span,
                            help: "pass it, or give the parameter a default")
            }
        }
        if let removed = AirflowContext.removedInAirflow3[ref.name] {
            return fail(TemplateErrorCode.undefined, "'\(ref.name)' is undefined", ref.span, help: removed)
        }
        var candidates = Array(globals.dictionary.keys)
        candidates.append(contentsOf: Builtins.globals.keys)
        return fail(TemplateErrorCode.undefined, "'\(ref.name)' is undefined", ref.span,
                    help: DidYouMean.help(ref.name, from: candidates.sorted()))
    }

    // MARK: expressions

    @inline(__always)
    func truthy(_ e: Expr) throws(TemplateError) -> Bool {
        Ops.truthy(try eval(e))
    }

    func eval(_ e: Expr) throws(TemplateError) -> TemplateValue {
        switch e {
        case .constant(let v, _):
            return v
        case .name(let ref):
            if ref.chain.isEmpty, let v = globals.lookup(ref.name, hash: ref.hash) { return v }
            return try lookup(ref)
        case .attribute(let baseExpr, let member, let span):
            let object = try eval(baseExpr)
            if let v = try attribute(object, member, span) { return v }
            throw undefinedAttribute(object, member, baseExpr, span)
        case .item(let baseExpr, let keyExpr, let span):
            let object = try eval(baseExpr)
            let key = try eval(keyExpr)
            if let v = try item(object, key, span) { return v }
            throw undefinedItem(object, key, baseExpr, keyExpr, span)
        case .slice(let baseExpr, let a, let b, let c, let span):
            let object = try eval(baseExpr)
            return try slice(object, a.map { x throws(TemplateError) in try eval(x) }, b.map { x throws(TemplateError) in try eval(x) },
                             c.map { x throws(TemplateError) in try eval(x) }, span)
        case .call(let callee, let arguments, let span):
            let function = try eval(callee)
            return try call(function, try evalArgs(arguments), span)
        case .method(let baseExpr, let member, let arguments, let span):
            let object = try eval(baseExpr)
            return try callMethod(object, member, try evalArgs(arguments), span, baseExpr)
        case .filter(let baseExpr, let kind, let arguments, let span):
            if kind == .default {
                return try applyDefault(baseExpr, arguments, span)
            }
            return try applyFilter(kind, try eval(baseExpr), arguments, span)
        case .test(let baseExpr, let kind, let arguments, let negated, let span):
            let result: Bool
            switch kind {
            case .defined: result = try probe(baseExpr) != nil
            case .undefined: result = try probe(baseExpr) == nil
            default: result = try applyTest(kind, try eval(baseExpr), arguments, span)
            }
            return .bool(result != negated)
        case .unary(let op, let x, let span):
            let v = try eval(x)
            return try located(span) { () throws(EvalFailure) in op == .negate ? try Ops.negate(v) : try Ops.plus(v) }
        case .not(let x, _):
            return .bool(!(try truthy(x)))
        case .binary(let op, let a, let b, let span):
            let x = try eval(a)
            let y = try eval(b)
            if op == .concat, case .string(let s) = x, case .string(let t) = y, s.utf8.count + t.utf8.count <= limits.maxOutputBytes {
                return .string(s + t)
            }
            return try located(span) { () throws(EvalFailure) in try Ops.binary(op, x, y, limit: limits.maxOutputBytes) }
        case .and(let a, let b, _):
            let x = try eval(a)
            return Ops.truthy(x) ? try eval(b) : x
        case .or(let a, let b, _):
            let x = try eval(a)
            return Ops.truthy(x) ? x : try eval(b)
        case .compare(let leftExpr, let ops):
            var left = try eval(leftExpr)
            for op in ops {
                let right = try eval(op.right)
                let holds: Bool = try located(op.span) { () throws(EvalFailure) in
                    switch op.op {
                    case .eq: return Ops.equal(left, right)
                    case .ne: return !Ops.equal(left, right)
                    case .lt: return try Ops.compare(left, right, op: "<") < 0
                    case .lteq: return try Ops.compare(left, right, op: "<=") <= 0
                    case .gt: return try Ops.compare(left, right, op: ">") > 0
                    case .gteq: return try Ops.compare(left, right, op: ">=") >= 0
                    case .isIn: return try Ops.contains(right, left)
                    case .notIn: return !(try Ops.contains(right, left))
                    }
                }
                if !holds { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let condition, let then, let otherwise, _):
            if try truthy(condition) { return try eval(then) }
            if let otherwise { return try eval(otherwise) }
            // Jinja yields its lenient Undefined here even under StrictUndefined: it prints as ''.
            return .string("")
        case .list(let items, _):
            var values: [TemplateValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try eval(item)) }
            return .list(values)
        case .tuple(let items, _):
            var values: [TemplateValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try eval(item)) }
            return .tuple(values)
        case .dict(let pairs, _):
            var keys: [TemplateValue] = []
            var values: [TemplateValue] = []
            for p in pairs {
                let k = try eval(p.key)
                guard DictKey(k) != nil else {
                    throw fail(TemplateErrorCode.type, "a dict key must be a str, number, bool or None, not '\(PythonText.typeName(k))'", p.key.span)
                }
                keys.append(k)
                values.append(try eval(p.value))
            }
            return .dict(TemplateDict(keys: keys, values: values))
        case .loopField(let ref, let field, let span):
            if let slot = ref.chain.first, case .loop(let state) = slots[index(slot)] {
                if let v = state.field(field) { return v }
                throw fail(TemplateErrorCode.undefined, field == .previtem ? "there is no previous item (this is the first iteration)"
                           : "there is no next item (this is the last iteration)", span)
            }
            let object = try lookup(ref)
            let member = Member(field.rawValue)
            if let v = try attribute(object, member, span) { return v }
            throw undefinedAttribute(object, member, .name(ref), span)
        }
    }

    /// Evaluates `e` for `is defined` / `default`: nil when the outermost name, attribute or key is undefined;
    /// anything undefined further in is still an error, as with Jinja's StrictUndefined.
    func probe(_ e: Expr) throws(TemplateError) -> TemplateValue? {
        switch e {
        case .name(let ref): return lookupOptional(ref)
        case .loopField(let ref, let field, _):
            if let slot = ref.chain.first, case .loop(let state) = slots[index(slot)] { return state.field(field) }
            return try eval(e)
        case .attribute(let baseExpr, let member, let span):
            return try attribute(try eval(baseExpr), member, span)
        case .item(let baseExpr, let keyExpr, let span):
            let object = try eval(baseExpr)
            return try item(object, try eval(keyExpr), span)
        case .conditional(let condition, let then, let otherwise, _):
            if try truthy(condition) { return try probe(then) }
            return try otherwise.flatMap { x throws(TemplateError) in try probe(x) }
        default:
            return try eval(e)
        }
    }

    func evalArgs(_ arguments: Arguments) throws(TemplateError) -> Args {
        var args = Args()
        if !arguments.positional.isEmpty {
            args.positional.reserveCapacity(arguments.positional.count)
            for a in arguments.positional { args.positional.append(try eval(a)) }
        }
        for k in arguments.keywords { args.keywords.append((k.name, try eval(k.value))) }
        return args
    }

    // MARK: attributes and items

    /// `object.member`; nil when there is no such attribute (the caller decides whether that is an error).
    func attribute(_ object: TemplateValue, _ member: Member, _ span: Span) throws(TemplateError) -> TemplateValue? {
        if member.name.hasPrefix("_") {
            throw fail(TemplateErrorCode.undefined, "access to attribute '\(member.name)' is not allowed", span,
                       help: "attributes starting with '_' are private (Airflow's sandboxed environment refuses them too)")
        }
        switch object {
        case .dict(let d): return d[member.name]
        case .namespace(let ns): return ns[member.name]
        case .datetime, .date, .timedelta:
            return try located(span) { () throws(EvalFailure) in try Members.property(object, member) }
        default: return nil
        }
    }

    /// `object[key]`; nil when the key or index does not exist. String keys fall back to attributes, as in Jinja.
    func item(_ object: TemplateValue, _ key: TemplateValue, _ span: Span) throws(TemplateError) -> TemplateValue? {
        switch (object, key) {
        case (.dict(let d), _): return d.lookup(key)
        case (.list(let items), _), (.tuple(let items), _):
            guard let i = intIndex(key) else {
                throw fail(TemplateErrorCode.type, "\(PythonText.typeName(object)) indices must be integers, not '\(PythonText.typeName(key))'", span)
            }
            let at = i < 0 ? items.count + i : i
            return at >= 0 && at < items.count ? items[at] : nil
        case (.string(let s), _):
            guard let i = intIndex(key) else {
                throw fail(TemplateErrorCode.type, "string indices must be integers, not '\(PythonText.typeName(key))'", span)
            }
            let scalars = PyStr.scalars(s)
            let at = i < 0 ? scalars.count + i : i
            return at >= 0 && at < scalars.count ? .string(String(scalars[at])) : nil
        case (_, .string(let name)):
            return try attribute(object, Member(name), span)
        default:
            throw fail(TemplateErrorCode.type, "'\(PythonText.typeName(object))' object is not subscriptable", span)
        }
    }

    private func intIndex(_ v: TemplateValue) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    private func slice(_ object: TemplateValue, _ a: TemplateValue?, _ b: TemplateValue?, _ c: TemplateValue?, _ span: Span) throws(TemplateError) -> TemplateValue {
        func bound(_ v: TemplateValue?) throws(TemplateError) -> Int? {
            guard let v else { return nil }
            if case .none = v { return nil }
            guard let i = intIndex(v) else {
                throw fail(TemplateErrorCode.type, "slice indices must be integers or None, not '\(PythonText.typeName(v))'", span)
            }
            return i
        }
        let step = try bound(c) ?? 1
        if step == 0 { throw fail(TemplateErrorCode.value, "slice step cannot be zero", span) }
        let start = try bound(a), stop = try bound(b)
        func indices(_ n: Int) -> [Int] {
            func clamp(_ x: Int?, _ dflt: Int, _ lo: Int, _ hi: Int) -> Int {
                guard var x else { return dflt }
                if x < 0 { x += n }
                return min(max(x, lo), hi)
            }
            if step > 0 {
                let s = clamp(start, 0, 0, n), e = clamp(stop, n, 0, n)
                return s < e ? Array(stride(from: s, to: e, by: step)) : []
            }
            let s = clamp(start, n - 1, -1, n - 1), e = clamp(stop, -1, -1, n - 1)
            return s > e ? Array(stride(from: s, to: e, by: step)) : []
        }
        switch object {
        case .string(let s):
            if step == 1, let utf8 = asciiSlice(s, start, stop) { return .string(utf8) }
            let chars = PyStr.scalars(s)
            return .string(PyStr.string(indices(chars.count).map { chars[$0] }))
        case .list(let items): return .list(indices(items.count).map { items[$0] })
        case .tuple(let items): return .tuple(indices(items.count).map { items[$0] })
        default:
            throw fail(TemplateErrorCode.type, "'\(PythonText.typeName(object))' object is not subscriptable", span)
        }
    }

    /// Fast path for `ds[:4]`-style slices of ASCII strings.
    private func asciiSlice(_ s: String, _ start: Int?, _ stop: Int?) -> String? {
        let utf8 = s.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        let n = utf8.count
        func clamp(_ x: Int?, _ d: Int) -> Int {
            guard var x else { return d }
            if x < 0 { x += n }
            return min(max(x, 0), n)
        }
        let a = clamp(start, 0), b = clamp(stop, n)
        guard a < b else { return "" }
        let from = utf8.index(utf8.startIndex, offsetBy: a), to = utf8.index(utf8.startIndex, offsetBy: b)
        return String(s[from..<to])
    }

    /// A readable name for the expression an attribute was read from (`params`, `dag_run.conf`), or nil.
    func describe(_ e: Expr) -> String? {
        switch e {
        case .name(let ref): return ref.name
        case .attribute(let base, let member, _): return describe(base).map { "\($0).\(member.name)" }
        case .loopField(let ref, let field, _): return "\(ref.name).\(field.rawValue)"
        default: return nil
        }
    }

    private func undefinedAttribute(_ object: TemplateValue, _ member: Member, _ baseExpr: Expr, _ span: Span) -> TemplateError {
        let subject = describe(baseExpr).map { "'\($0)'" } ?? "the '\(PythonText.typeName(object))' value"
        var candidates: [String] = []
        switch object {
        case .dict(let d): candidates = d.stringKeys
        case .namespace(let ns): candidates = ns.attributeNames
        default: candidates = Members.names(for: object)
        }
        if case .none = object {
            return fail(TemplateErrorCode.undefined, "\(subject) is None and has no attribute '\(member.name)'", span)
        }
        var message = "\(subject) has no attribute '\(member.name)'"
        if case .dict = object { message = "\(subject) has no key or attribute '\(member.name)'" }
        if Members.isMethod(member, of: object) {
            return fail(TemplateErrorCode.type, "'\(member.name)' is a method of '\(PythonText.typeName(object))'; call it as \(member.name)()", span)
        }
        return fail(TemplateErrorCode.undefined, message, span, help: DidYouMean.help(member.name, from: candidates))
    }

    private func undefinedItem(_ object: TemplateValue, _ key: TemplateValue, _ baseExpr: Expr, _ keyExpr: Expr, _ span: Span) -> TemplateError {
        let subject = describe(baseExpr).map { "'\($0)'" } ?? "the '\(PythonText.typeName(object))' value"
        // Only a key written in the template is quoted back; a key computed at render time may be a secret.
        var literal: String?
        if case .constant(let k, _) = keyExpr { literal = PythonText.repr(k) }
        switch object {
        case .list, .tuple, .string:
            return fail(TemplateErrorCode.undefined, literal.map { "index \($0) out of range for \(subject)" } ?? "index out of range for \(subject)", span)
        case .dict(let d):
            var help: String?
            if case .constant(.string(let k), _) = keyExpr { help = DidYouMean.help(k, from: d.stringKeys) }
            return fail(TemplateErrorCode.undefined, literal.map { "\(subject) has no key \($0)" } ?? "\(subject) has no such key", span, help: help)
        default:
            return fail(TemplateErrorCode.undefined, literal.map { "\(subject) has no item \($0)" } ?? "\(subject) has no such item", span)
        }
    }

    // MARK: calls

    func call(_ function: TemplateValue, _ args: Args, _ span: Span) throws(TemplateError) -> TemplateValue {
        switch function {
        case .function(let f): return try callNative(f, args, span)
        case .macro(let m): return try callMacro(m, args, span)
        case .namespace(let ns):
            if let f = ns.call { return try callNative(f, args, span) }
        default: break
        }
        throw fail(TemplateErrorCode.type, "'\(PythonText.typeName(function))' object is not callable", span)
    }

    func callNative(_ f: NativeFunction, _ args: Args, _ span: Span) throws(TemplateError) -> TemplateValue {
        if let builtin = f.storage.builtin {
            return try located(span) { () throws(EvalFailure) in try builtin(args, self) }
        }
        do {
            return try f(args.positional, args.keywords.map { ($0.name, $0.value) })
        } catch {
            throw fail(TemplateErrorCode.function, "\(f.name)(): \(error.message)", span, help: error.help)
        }
    }

    private func callMacro(_ m: TemplateMacro, _ args: Args, _ span: Span) throws(TemplateError) -> TemplateValue {
        let definition = m.definition
        guard depth < limits.maxDepth else {
            throw fail(TemplateErrorCode.limit, "macro calls and includes nest deeper than \(limits.maxDepth)", span,
                       help: "a macro that calls itself needs a condition that stops the recursion")
        }
        let parameters = definition.parameters
        if args.positional.count > parameters.count {
            throw fail(TemplateErrorCode.arguments, "macro '\(definition.name)' takes at most \(parameters.count) argument\(parameters.count == 1 ? "" : "s") (\(args.positional.count) given)", span)
        }
        let frameStart = slots.count
        slots.append(contentsOf: repeatElement(Binding.unset, count: definition.frameSize))
        var bound = [Bool](repeating: false, count: parameters.count)
        for (i, v) in args.positional.enumerated() {
            slots[frameStart + parameters[i].target.slot.index] = .value(v)
            bound[i] = true
        }
        for k in args.keywords {
            guard let at = parameters.firstIndex(where: { $0.target.name == k.name }) else {
                slots.removeSubrange(frameStart...)
                throw fail(TemplateErrorCode.arguments, "macro '\(definition.name)' has no parameter '\(k.name)'", span,
                           help: DidYouMean.help(k.name, from: parameters.map(\.target.name)))
            }
            if bound[at] {
                slots.removeSubrange(frameStart...)
                throw fail(TemplateErrorCode.arguments, "macro '\(definition.name)' got multiple values for parameter '\(k.name)'", span)
            }
            slots[frameStart + parameters[at].target.slot.index] = .value(k.value)
            bound[at] = true
        }
        let saved = (topBase, base, template, globals)
        let mark = out.count
        (topBase, base, template, globals) = (m.topBase, frameStart, m.template, m.globals)
        depth += 1
        defer {
            depth -= 1
            (topBase, base, template, globals) = saved
            slots.removeSubrange(frameStart...)
        }
        for (i, p) in parameters.enumerated() where !bound[i] {
            if let d = p.defaultValue {
                slots[frameStart + p.target.slot.index] = .value(try eval(d))
            } else {
                slots[frameStart + p.target.slot.index] = .missingArgument
            }
        }
        do {
            try run(definition.body)
        } catch {
            _ = out.take(from: mark)
            throw error
        }
        return .string(out.take(from: mark))
    }

    /// `object.name(args)`: a method of a built-in type, or a callable attribute of a dict/namespace.
    private func callMethod(_ object: TemplateValue, _ member: Member, _ args: Args, _ span: Span, _ baseExpr: Expr) throws(TemplateError) -> TemplateValue {
        if member.name.hasPrefix("_") {
            throw fail(TemplateErrorCode.undefined, "access to attribute '\(member.name)' is not allowed", span)
        }
        switch object {
        case .namespace(let ns):
            if let v = ns[member.name] { return try call(v, args, span) }
            if ns.name == "loop", member.name == "cycle" {
                guard !args.positional.isEmpty else { throw fail(TemplateErrorCode.arguments, "loop.cycle() needs at least one value", span) }
                let index = (ns["index0"].flatMap { if case .int(let i) = $0 { return i } else { return nil } }) ?? 0
                return args.positional[index % args.positional.count]
            }
            throw undefinedAttribute(object, member, baseExpr, span)
        case .dict(let d):
            if let known = member.known, let v = try located(span, { () throws(EvalFailure) in try Members.dictMethod(d, known, args) }) {
                return v
            }
            if let v = d[member.name] { return try call(v, args, span) }
            throw undefinedAttribute(object, member, baseExpr, span)
        default:
            if case .name(let ref) = baseExpr, ref.name == "loop", member.name == "cycle",
               let slot = ref.chain.first, case .loop(let state) = slots[index(slot)] {
                guard !args.positional.isEmpty else { throw fail(TemplateErrorCode.arguments, "loop.cycle() needs at least one value", span) }
                return args.positional[state.index0 % args.positional.count]
            }
            if let v = try located(span, { () throws(EvalFailure) in try Members.method(object, member, args, self).map { v throws(EvalFailure) in try Ops.sized(v, limit: limits.maxOutputBytes) } }) {
                return v
            }
            throw undefinedAttribute(object, member, baseExpr, span)
        }
    }
}
