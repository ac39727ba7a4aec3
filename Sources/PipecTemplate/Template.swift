import PipecDiagnostics

/// A call of a global function with its literal arguments, found without rendering (`ref('silver.events')`).
public struct StaticCall: Sendable, Hashable {
    /// Each positional argument's value when it is a string literal, nil otherwise.
    public var arguments: [String?]
    /// Keyword arguments that are string literals.
    public var keywords: [String: String]
    /// The function name's location in file coordinates.
    public var location: SourceLocation

    public init(arguments: [String?], keywords: [String: String] = [:], location: SourceLocation) {
        self.arguments = arguments
        self.keywords = keywords
        self.location = location
    }
}

/// A dotted path read from a global, found without rendering: `tasks.load.rows` gives `["load", "rows"]`
/// for root `tasks`. Subscripts with a string literal count as path parts (`tasks['load'].rows`).
public struct StaticPath: Sendable, Hashable {
    public var components: [String]
    /// The root name's location in file coordinates; `length` spans the path when it sits on one line.
    public var location: SourceLocation
}

/// A parsed template: parse once, render many times, from any thread.
public final class Template: Sendable {
    public let origin: TemplateOrigin
    public let source: String
    let nodes: [Node]
    /// Slots of the top-level frame.
    let frameSize: Int

    private init(origin: TemplateOrigin, source: String, nodes: [Node], frameSize: Int) {
        self.origin = origin
        self.source = source
        self.nodes = nodes
        self.frameSize = frameSize
    }

    /// Parses `source`; a syntax error, unknown filter or unknown test is reported at its token in file coordinates.
    public static func parse(_ source: String, origin: TemplateOrigin) throws(TemplateError) -> Template {
        let nodes: [Node]
        do {
            nodes = try Parser.parse(source)
        } catch {
            throw error.failure.located(error.span, in: origin)
        }
        let frameSize = Resolver.resolve(nodes)
        return Template(origin: origin, source: source, nodes: nodes, frameSize: frameSize)
    }

    /// Renders with `context`. Any undefined name, bad argument or type error is a `TemplateError` at the
    /// offending token, in file coordinates (in the included file for errors inside an include).
    public func render(_ context: TemplateContext) throws(TemplateError) -> String {
        let renderer = Renderer(template: self, context: context)
        return try renderer.renderTemplate()
    }

    /// Renders with `context` for checking: every error, not only the first. After a failing `{{ }}`, `if` or `for`
    /// at the top level the next one is still rendered (each is independent of the others' output); a failing
    /// `set`, macro or include stops, since what follows may depend on it (one mistake, one diagnostic).
    public func check(_ context: TemplateContext) -> [TemplateError] {
        Renderer(template: self, context: context).checkTemplate()
    }

    /// Every call `function(...)` of a global (not a local variable) named `function`.
    public func staticCalls(to function: String) -> [StaticCall] {
        var calls: [StaticCall] = []
        ASTWalker.walk(nodes) { e in
            guard case .call(.name(let ref), let args, _) = e, ref.name == function, ref.chain.isEmpty else { return }
            let positional = args.positional.map { arg -> String? in
                if case .constant(.string(let s), _) = arg { return s }
                return nil
            }
            var keywords: [String: String] = [:]
            for k in args.keywords {
                if case .constant(.string(let s), _) = k.value { keywords[k.name] = s }
            }
            calls.append(StaticCall(arguments: positional, keywords: keywords, location: origin.location(ref.span)))
        }
        return calls
    }

    /// Every attribute path read from the global `root` (longest path at each use).
    public func staticPaths(from root: String) -> [StaticPath] {
        var paths: [StaticPath] = []
        var inner = Set<Span>()
        ASTWalker.walk(nodes) { e in
            var components: [String] = []
            var current = e
            var end = e.span
            while true {
                switch current {
                case .attribute(let base, let member, let span):
                    components.append(member.name)
                    if components.count == 1 { end = span }
                    current = base
                    continue
                case .item(let base, .constant(.string(let key), _), let span):
                    components.append(key)
                    if components.count == 1 { end = span }
                    current = base
                    continue
                case .method(let base, _, _, _):
                    current = base
                    components.removeAll()
                    continue
                case .name(let ref):
                    guard ref.name == root, ref.chain.isEmpty, !components.isEmpty else { return }
                    guard inner.insert(ref.span).inserted else { return }
                    paths.append(StaticPath(components: components.reversed(), location: origin.location(ref.span.through(end))))
                    return
                default:
                    return
                }
            }
        }
        return paths
    }

    /// The global names the template reads (names not bound by `set`, `for` or a macro), with each use's location.
    /// Lets a validator report undefined names without rendering.
    public func globalNameUses() -> [(name: String, location: SourceLocation)] {
        var uses: [(name: String, location: SourceLocation)] = []
        ASTWalker.walk(nodes) { e in
            switch e {
            case .name(let ref) where ref.chain.isEmpty, .loopField(let ref, _, _) where ref.chain.isEmpty:
                uses.append((ref.name, origin.location(ref.span)))
            default: break
            }
        }
        return uses
    }
}

/// Visits every expression of a template (outer expressions before the ones inside them).
enum ASTWalker {
    static func walk(_ nodes: [Node], _ visit: (Expr) -> Void) {
        for node in nodes { walk(node, visit) }
    }

    static func walk(_ node: Node, _ visit: (Expr) -> Void) {
        switch node {
        case .text: break
        case .output(let e), .doExpr(let e): walk(e, visit)
        case .ifChain(let branches, let otherwise):
            for b in branches {
                walk(b.condition, visit)
                walk(b.body, visit)
            }
            if let otherwise { walk(otherwise, visit) }
        case .forLoop(let f):
            walk(f.iterable, visit)
            if let c = f.condition { walk(c, visit) }
            walk(f.body, visit)
            if let e = f.elseBody { walk(e, visit) }
        case .set(let targets, let value, _):
            for case .attribute(let ref, _, _) in targets { visit(.name(ref)) }
            walk(value, visit)
        case .setBlock(_, let body, let filters), .filterBlock(let body, let filters):
            walk(body, visit)
            for f in filters { walk(f.arguments, visit) }
        case .macro(let m):
            for p in m.parameters { if let d = p.defaultValue { walk(d, visit) } }
            walk(m.body, visit)
        case .include(let site): walk(site.name, visit)
        }
    }

    static func walk(_ args: Arguments, _ visit: (Expr) -> Void) {
        for a in args.positional { walk(a, visit) }
        for k in args.keywords { walk(k.value, visit) }
    }

    static func walk(_ e: Expr, _ visit: (Expr) -> Void) {
        visit(e)
        switch e {
        case .constant, .name, .loopField: break
        case .attribute(let b, _, _), .unary(_, let b, _), .not(let b, _): walk(b, visit)
        case .item(let b, let k, _):
            walk(b, visit)
            walk(k, visit)
        case .slice(let b, let x, let y, let z, _):
            walk(b, visit)
            for p in [x, y, z] { if let p { walk(p, visit) } }
        case .call(let c, let args, _):
            walk(c, visit)
            walk(args, visit)
        case .method(let b, _, let args, _), .filter(let b, _, let args, _), .test(let b, _, let args, _, _):
            walk(b, visit)
            walk(args, visit)
        case .binary(_, let a, let b, _), .and(let a, let b, _), .or(let a, let b, _):
            walk(a, visit)
            walk(b, visit)
        case .compare(let l, let ops):
            walk(l, visit)
            for op in ops { walk(op.right, visit) }
        case .conditional(let c, let t, let o, _):
            walk(c, visit)
            walk(t, visit)
            if let o { walk(o, visit) }
        case .list(let items, _), .tuple(let items, _):
            for i in items { walk(i, visit) }
        case .dict(let pairs, _):
            for p in pairs {
                walk(p.key, visit)
                walk(p.value, visit)
            }
        }
    }
}
