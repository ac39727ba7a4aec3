/// The parsed template. Names are resolved to frame slots after parsing (see `Resolver`); the classes below
/// are mutated only by the resolver, before the `Template` that owns them is published, hence `@unchecked Sendable`.

/// Where a local variable lives: an index into the top-level frame of the template, or into the current
/// macro invocation's frame.
struct SlotRef: Sendable, Hashable {
    var top: Bool
    var index: Int
}

/// A variable read. `chain` lists the frame slots that may hold it, innermost first; when all are unset the name
/// is looked up in the context's globals, then Jinja's builtins.
final class NameRef: @unchecked Sendable {
    let name: String
    let hash: UInt64
    let span: Span
    var chain: [SlotRef] = []

    init(name: String, span: Span) {
        self.name = name
        self.hash = GlobalTable.hash(name)
        self.span = span
    }
}

/// A variable written by `set`, a `for` target, a macro parameter or a macro definition.
final class NameTarget: @unchecked Sendable {
    let name: String
    let span: Span
    var slot = SlotRef(top: true, index: 0)

    init(name: String, span: Span) {
        self.name = name
        self.span = span
    }
}

/// An attribute or method name, interned at parse time so evaluation switches on an enum, not on strings.
struct Member: Sendable {
    let name: String
    let known: Known?

    init(_ name: String) {
        self.name = name
        self.known = name == "replace" ? .replace_ : Known(rawValue: name)
    }
}

struct Arguments: Sendable {
    var positional: [Expr] = []
    var keywords: [(name: String, value: Expr, span: Span)] = []

    var isEmpty: Bool { positional.isEmpty && keywords.isEmpty }
}

enum UnaryOp: Sendable { case negate, plus }

enum BinaryOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", floordiv = "//", mod = "%", pow = "**", concat = "~"
}

enum CompareOp: String, Sendable {
    case eq = "==", ne = "!=", lt = "<", lteq = "<=", gt = ">", gteq = ">=", isIn = "in", notIn = "not in"
}

/// Fields of Jinja's `loop` object, read without materialising it.
enum LoopField: String, Sendable {
    case index, index0, revindex, revindex0, first, last, length, depth, depth0, previtem, nextitem
}

indirect enum Expr: Sendable {
    case constant(TemplateValue, Span)
    case name(NameRef)
    /// `x.name`; the span is the attribute name's.
    case attribute(Expr, Member, Span)
    /// `x[key]`; the span covers the brackets.
    case item(Expr, Expr, Span)
    case slice(Expr, Expr?, Expr?, Expr?, Span)
    /// `f(args)`; the span is the callee's.
    case call(Expr, Arguments, Span)
    /// `x.name(args)`, kept apart from `call` so no bound-method value is built; the span is the method name's.
    case method(Expr, Member, Arguments, Span)
    case filter(Expr, FilterKind, Arguments, Span)
    case test(Expr, TestKind, Arguments, negated: Bool, Span)
    case unary(UnaryOp, Expr, Span)
    case not(Expr, Span)
    case binary(BinaryOp, Expr, Expr, Span)
    case and(Expr, Expr, Span)
    case or(Expr, Expr, Span)
    case compare(Expr, [(op: CompareOp, right: Expr, span: Span)])
    case conditional(condition: Expr, then: Expr, otherwise: Expr?, Span)
    case list([Expr], Span)
    case tuple([Expr], Span)
    case dict([(key: Expr, value: Expr)], Span)
    /// `loop.index` and friends inside a `for` body.
    case loopField(NameRef, LoopField, Span)

    var span: Span {
        switch self {
        case .constant(_, let s), .attribute(_, _, let s), .item(_, _, let s), .slice(_, _, _, _, let s),
             .call(_, _, let s), .method(_, _, _, let s), .filter(_, _, _, let s), .test(_, _, _, _, let s),
             .unary(_, _, let s), .not(_, let s), .binary(_, _, _, let s), .and(_, _, let s), .or(_, _, let s),
             .conditional(_, _, _, let s), .list(_, let s), .tuple(_, let s), .dict(_, let s), .loopField(_, _, let s):
            return s
        case .name(let ref): return ref.span
        case .compare(let left, _): return left.span
        }
    }
}

struct FilterApplication: Sendable {
    var kind: FilterKind
    var arguments: Arguments
    var span: Span
}

enum SetTarget: Sendable {
    case name(NameTarget)
    /// `{% set ns.attr = ... %}` on a `namespace()` object.
    case attribute(NameRef, String, Span)
}

final class ForLoop: @unchecked Sendable {
    let targets: [NameTarget]
    let iterable: Expr
    let condition: Expr?
    let body: [Node]
    let elseBody: [Node]?
    let span: Span
    /// Where `loop` is kept while the body runs (nil when the body never reads `loop`).
    var loopSlot: SlotRef?
    /// Slots assigned inside the body; reset each iteration so a `set` in the body never leaks (Jinja scoping).
    var bodySlots: [SlotRef] = []

    init(targets: [NameTarget], iterable: Expr, condition: Expr?, body: [Node], elseBody: [Node]?, span: Span) {
        self.targets = targets
        self.iterable = iterable
        self.condition = condition
        self.body = body
        self.elseBody = elseBody
        self.span = span
    }
}

final class MacroDefinition: @unchecked Sendable {
    let name: String
    let target: NameTarget
    let parameters: [(target: NameTarget, defaultValue: Expr?)]
    let body: [Node]
    let span: Span
    /// Slots of one invocation's frame (parameters first).
    var frameSize = 0

    init(name: String, target: NameTarget, parameters: [(target: NameTarget, defaultValue: Expr?)], body: [Node], span: Span) {
        self.name = name
        self.target = target
        self.parameters = parameters
        self.body = body
        self.span = span
    }
}

final class IncludeSite: @unchecked Sendable {
    let name: Expr
    let ignoreMissing: Bool
    let withContext: Bool
    let span: Span
    /// The local variables visible at the include, passed to the included template as Jinja does.
    var visible: [(name: String, chain: [SlotRef])] = []

    init(name: Expr, ignoreMissing: Bool, withContext: Bool, span: Span) {
        self.name = name
        self.ignoreMissing = ignoreMissing
        self.withContext = withContext
        self.span = span
    }
}

indirect enum Node: Sendable {
    case text(String)
    case output(Expr)
    case ifChain([(condition: Expr, body: [Node])], otherwise: [Node]?)
    case forLoop(ForLoop)
    case set([SetTarget], Expr, Span)
    case setBlock(SetTarget, [Node], [FilterApplication])
    case macro(MacroDefinition)
    case include(IncludeSite)
    case filterBlock([Node], [FilterApplication])
    case doExpr(Expr)
}
