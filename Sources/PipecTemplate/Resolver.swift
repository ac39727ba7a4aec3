/// Assigns every local variable a frame slot and gives every name read the list of slots that may hold it, so
/// rendering never looks locals up by string. Scoping follows Jinja: `if` shares its scope; a `for` body is a
/// new scope per iteration (a `set` inside never leaks out); a macro has its own frame and sees the template's
/// top-level variables; everything else comes from the context.
struct Resolver {
    private final class Frame {
        var size = 0
        let isTop: Bool
        init(isTop: Bool) { self.isTop = isTop }
    }

    private final class Scope {
        let parent: Scope?
        let frame: Frame
        let forLoop: ForLoop?
        var slots: [String: Int] = [:]
        var order: [String] = []

        init(parent: Scope?, frame: Frame, forLoop: ForLoop?) {
            self.parent = parent
            self.frame = frame
            self.forLoop = forLoop
        }

        func slot(for name: String) -> SlotRef {
            if let index = slots[name] { return SlotRef(top: frame.isTop, index: index) }
            let index = frame.size
            frame.size += 1
            slots[name] = index
            order.append(name)
            return SlotRef(top: frame.isTop, index: index)
        }
    }

    private let top: Scope

    private init() {
        top = Scope(parent: nil, frame: Frame(isTop: true), forLoop: nil)
    }

    /// Resolves `nodes` in place; returns the size of the top-level frame.
    static func resolve(_ nodes: [Node]) -> Int {
        let resolver = Resolver()
        resolver.declare(nodes, in: resolver.top)
        resolver.resolve(nodes, in: resolver.top)
        return resolver.top.frame.size
    }

    /// Gives a slot to every name assigned directly in this scope (not inside nested `for` bodies or macros).
    private func declare(_ nodes: [Node], in scope: Scope) {
        for node in nodes {
            switch node {
            case .set(let targets, _, _):
                for case .name(let t) in targets { t.slot = scope.slot(for: t.name) }
            case .setBlock(let target, let body, _):
                if case .name(let t) = target { t.slot = scope.slot(for: t.name) }
                declare(body, in: scope)
            case .macro(let definition):
                definition.target.slot = scope.slot(for: definition.name)
            case .ifChain(let branches, let otherwise):
                for branch in branches { declare(branch.body, in: scope) }
                if let otherwise { declare(otherwise, in: scope) }
            case .filterBlock(let body, _):
                declare(body, in: scope)
            case .forLoop(let loop):
                if let elseBody = loop.elseBody { declare(elseBody, in: scope) }
            case .text, .output, .include, .doExpr:
                break
            }
        }
    }

    private func resolve(_ nodes: [Node], in scope: Scope) {
        for node in nodes {
            switch node {
            case .text: break
            case .output(let e), .doExpr(let e): resolve(e, in: scope)
            case .ifChain(let branches, let otherwise):
                for branch in branches {
                    resolve(branch.condition, in: scope)
                    resolve(branch.body, in: scope)
                }
                if let otherwise { resolve(otherwise, in: scope) }
            case .forLoop(let loop):
                resolve(loop.iterable, in: scope)
                let body = Scope(parent: scope, frame: scope.frame, forLoop: loop)
                for t in loop.targets { t.slot = body.slot(for: t.name) }
                declare(loop.body, in: body)
                if let condition = loop.condition { resolve(condition, in: body) }
                resolve(loop.body, in: body)
                loop.bodySlots = body.order.compactMap { name in
                    let ref = SlotRef(top: body.frame.isTop, index: body.slots[name] ?? 0)
                    return loop.targets.contains { $0.name == name } ? nil : ref
                }
                if let elseBody = loop.elseBody { resolve(elseBody, in: scope) }
            case .set(let targets, let value, _):
                resolve(value, in: scope)
                for case .attribute(let ref, _, _) in targets { ref.chain = chain(ref.name, scope) }
            case .setBlock(let target, let body, let filters):
                resolve(body, in: scope)
                for f in filters { resolve(f.arguments, in: scope) }
                if case .attribute(let ref, _, _) = target { ref.chain = chain(ref.name, scope) }
            case .macro(let definition):
                let macroScope = Scope(parent: top, frame: Frame(isTop: false), forLoop: nil)
                for p in definition.parameters {
                    p.target.slot = macroScope.slot(for: p.target.name)
                }
                for p in definition.parameters {
                    if let d = p.defaultValue { resolve(d, in: macroScope) }
                }
                declare(definition.body, in: macroScope)
                resolve(definition.body, in: macroScope)
                definition.frameSize = macroScope.frame.size
            case .include(let site):
                resolve(site.name, in: scope)
                var seen = Set<String>()
                var visible: [(name: String, chain: [SlotRef])] = []
                var s: Scope? = scope
                while let current = s {
                    for name in current.order where seen.insert(name).inserted {
                        visible.append((name, chain(name, scope)))
                    }
                    s = current.parent
                }
                site.visible = visible
            case .filterBlock(let body, let filters):
                resolve(body, in: scope)
                for f in filters { resolve(f.arguments, in: scope) }
            }
        }
    }

    private func chain(_ name: String, _ scope: Scope) -> [SlotRef] {
        var result: [SlotRef] = []
        var s: Scope? = scope
        while let current = s {
            if let index = current.slots[name] { result.append(SlotRef(top: current.frame.isTop, index: index)) }
            s = current.parent
        }
        return result
    }

    /// The innermost `for` of the current frame gets a slot for its `loop` object.
    private func loopChain(_ scope: Scope) -> [SlotRef]? {
        var s: Scope? = scope
        while let current = s, current.frame === scope.frame {
            if let loop = current.forLoop {
                if loop.loopSlot == nil {
                    let index = current.frame.size
                    current.frame.size += 1
                    loop.loopSlot = SlotRef(top: current.frame.isTop, index: index)
                }
                return loop.loopSlot.map { [$0] }
            }
            s = current.parent
        }
        return nil
    }

    private func resolve(_ args: Arguments, in scope: Scope) {
        for a in args.positional { resolve(a, in: scope) }
        for k in args.keywords { resolve(k.value, in: scope) }
    }

    private func resolve(_ e: Expr, in scope: Scope) {
        switch e {
        case .constant: break
        case .name(let ref):
            if ref.name == "loop", let c = loopChain(scope) { ref.chain = c } else { ref.chain = chain(ref.name, scope) }
        case .loopField(let ref, _, _):
            ref.chain = loopChain(scope) ?? chain(ref.name, scope)
        case .attribute(let base, _, _): resolve(base, in: scope)
        case .item(let base, let key, _):
            resolve(base, in: scope)
            resolve(key, in: scope)
        case .slice(let base, let a, let b, let c, _):
            resolve(base, in: scope)
            for part in [a, b, c] { if let part { resolve(part, in: scope) } }
        case .call(let callee, let args, _):
            resolve(callee, in: scope)
            resolve(args, in: scope)
        case .method(let base, _, let args, _), .filter(let base, _, let args, _), .test(let base, _, let args, _, _):
            resolve(base, in: scope)
            resolve(args, in: scope)
        case .unary(_, let x, _), .not(let x, _): resolve(x, in: scope)
        case .binary(_, let a, let b, _), .and(let a, let b, _), .or(let a, let b, _):
            resolve(a, in: scope)
            resolve(b, in: scope)
        case .compare(let left, let ops):
            resolve(left, in: scope)
            for op in ops { resolve(op.right, in: scope) }
        case .conditional(let c, let t, let o, _):
            resolve(c, in: scope)
            resolve(t, in: scope)
            if let o { resolve(o, in: scope) }
        case .list(let items, _), .tuple(let items, _):
            for item in items { resolve(item, in: scope) }
        case .dict(let pairs, _):
            for p in pairs {
                resolve(p.key, in: scope)
                resolve(p.value, in: scope)
            }
        }
    }
}
