import PipecDiagnostics

/// A value inside a template, modelled on the Python objects Jinja and Airflow hand to templates so that
/// output, truthiness and arithmetic match `str()`/`bool()`/operators in Python.
///
/// Every payload is at most 16 bytes (large ones are boxed in classes), keeping values cheap to copy on the
/// render path.
public enum TemplateValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    case tuple([TemplateValue])
    /// Insertion-ordered, keys are strings, ints, bools or None (as in a Python dict literal).
    case dict(TemplateDict)
    /// A pendulum `DateTime` (Airflow's context values) or a stdlib `datetime` (`macros.datetime(...)`).
    case datetime(DateTimeValue)
    case date(DateValue)
    /// A stdlib `timedelta`, or a pendulum `Duration`/`Interval`.
    case timedelta(TimeDelta)
    case function(NativeFunction)
    /// An object with named attributes (`macros`, `dag`, `namespace(...)`), optionally callable.
    case namespace(TemplateNamespace)
    /// A `{% macro %}` defined by a template during a render.
    case macro(TemplateMacro)
}

// MARK: - Building values from Swift

extension TemplateValue {
    /// A dict from ordered string-keyed pairs.
    public static func dict(_ pairs: [(String, TemplateValue)]) -> TemplateValue {
        .dict(TemplateDict(pairs))
    }

    /// An immutable object whose attributes are `attributes` (`{{ obj.name }}`); `name` appears in messages.
    public static func object(_ name: String, _ attributes: [(String, TemplateValue)], call: NativeFunction? = nil) -> TemplateValue {
        .namespace(TemplateNamespace(name: name, attributes: attributes, call: call))
    }

    /// A list of strings.
    public static func strings(_ items: [String]) -> TemplateValue {
        .list(items.map { .string($0) })
    }

    /// A value from JSON (params given in a spec or on the command line): objects become dicts in order.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(TemplateValue.init(json:)))
        case .object(let pairs): self = .dict(pairs.map { ($0.0, TemplateValue(json: $0.1)) })
        }
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// `str(value)` as Python would print it, which is what `{{ value }}` renders.
    public var rendered: String {
        var out = ""
        PythonText.str(self, into: &out)
        return out
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self = .dict(TemplateDict(elements)) }
}

// MARK: - Containers

/// An insertion-ordered dictionary, immutable once built. Small dicts (params, items) are scanned linearly,
/// which beats hashing for a handful of keys; larger ones get an index.
public final class TemplateDict: Sendable {
    public let keys: [TemplateValue]
    public let values: [TemplateValue]
    private let index: [DictKey: Int]?

    public convenience init(_ pairs: [(String, TemplateValue)]) {
        self.init(keys: pairs.map { .string($0.0) }, values: pairs.map(\.1))
    }

    /// Later duplicates of a key replace the earlier value in place, as in Python.
    init(keys rawKeys: [TemplateValue], values rawValues: [TemplateValue]) {
        var keys: [TemplateValue] = []
        var values: [TemplateValue] = []
        var seen: [DictKey: Int] = [:]
        keys.reserveCapacity(rawKeys.count)
        values.reserveCapacity(rawValues.count)
        for (k, v) in zip(rawKeys, rawValues) {
            let key = DictKey(k) ?? .string("")
            if let at = seen[key] {
                values[at] = v
            } else {
                seen[key] = keys.count
                keys.append(k)
                values.append(v)
            }
        }
        self.keys = keys
        self.values = values
        self.index = keys.count > 8 ? seen : nil
    }

    public var count: Int { keys.count }

    public subscript(key: String) -> TemplateValue? {
        if let index { return index[.string(key)].map { values[$0] } }
        for i in keys.indices {
            if case .string(let k) = keys[i], k == key { return values[i] }
        }
        return nil
    }

    func lookup(_ key: TemplateValue) -> TemplateValue? {
        if case .string(let s) = key { return self[s] }
        guard let k = DictKey(key) else { return nil }
        if let index { return index[k].map { values[$0] } }
        for i in keys.indices where DictKey(keys[i]) == k { return values[i] }
        return nil
    }

    /// String keys, for did-you-mean suggestions.
    var stringKeys: [String] { keys.compactMap(\.stringValue) }
}

/// The hashable subset of keys a template dict may have. Python treats `True == 1 == 1.0`, so bools and
/// integral floats hash as ints.
enum DictKey: Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case none

    init?(_ value: TemplateValue) {
        switch value {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .bool(let b): self = .int(b ? 1 : 0)
        case .double(let d) where d == d.rounded() && abs(d) < 9e18: self = .int(Int(d))
        case .double(let d): self = .double(d)
        case .none: self = .none
        default: return nil
        }
    }
}

/// An object with attributes. Context objects (`macros`, `dag`) are immutable and shared across renders;
/// `namespace()` objects created by a template are mutable (`{% set ns.x = 1 %}`) and live within one render.
public final class TemplateNamespace: @unchecked Sendable {
    public let name: String
    /// Called when the object itself is called (`macros.datetime(2025, 1, 1)`).
    public let call: NativeFunction?
    private let fixed: [String: TemplateValue]
    private let order: [String]
    // Only `namespace()` objects are mutable; access goes through the lock so the type is honestly Sendable.
    private let mutable: Bool
    private let lock: TemplateLock?
    private var mutableValues: [String: TemplateValue] = [:]
    private var mutableOrder: [String] = []

    public init(name: String, attributes: [(String, TemplateValue)], call: NativeFunction? = nil) {
        self.name = name
        self.call = call
        var fixed: [String: TemplateValue] = [:]
        for (k, v) in attributes { fixed[k] = v }
        self.fixed = fixed
        self.order = attributes.map(\.0)
        self.mutable = false
        self.lock = nil
    }

    /// A mutable namespace as created by Jinja's `namespace(...)`.
    init(mutableAttributes attributes: [(String, TemplateValue)]) {
        self.name = "namespace"
        self.call = nil
        self.fixed = [:]
        self.order = []
        self.mutable = true
        self.lock = TemplateLock()
        for (k, v) in attributes where mutableValues.updateValue(v, forKey: k) == nil { mutableOrder.append(k) }
    }

    public var isMutable: Bool { mutable }

    public subscript(attribute: String) -> TemplateValue? {
        guard mutable, let lock else { return fixed[attribute] }
        return lock.withLock { mutableValues[attribute] }
    }

    /// Attribute names in definition order.
    public var attributeNames: [String] {
        guard mutable, let lock else { return order }
        return lock.withLock { mutableOrder }
    }

    /// False when the namespace is not mutable.
    func set(_ attribute: String, _ value: TemplateValue) -> Bool {
        guard mutable, let lock else { return false }
        lock.withLock {
            if mutableValues.updateValue(value, forKey: attribute) == nil { mutableOrder.append(attribute) }
        }
        return true
    }
}

/// A Swift function callable from templates: `{{ ref('silver.events') }}`, `{{ macros.ds_add(ds, 1) }}`.
/// Receives positional and keyword arguments; throws `TemplateFunctionError`, which the engine reports
/// at the call with code E507.
public struct NativeFunction: Sendable {
    final class Storage: Sendable {
        let name: String
        let body: @Sendable ([TemplateValue], [(String, TemplateValue)]) throws(TemplateFunctionError) -> TemplateValue
        /// The engine's own functions (`range`, `macros.ds_add` ...) report errors with their precise codes.
        let builtin: (@Sendable (Args, Renderer?) throws(EvalFailure) -> TemplateValue)?
        init(name: String, body: @escaping @Sendable ([TemplateValue], [(String, TemplateValue)]) throws(TemplateFunctionError) -> TemplateValue) {
            self.name = name
            self.body = body
            self.builtin = nil
        }
        init(name: String, builtin: @escaping @Sendable (Args, Renderer?) throws(EvalFailure) -> TemplateValue) {
            self.name = name
            self.builtin = builtin
            self.body = { positional, keywords throws(TemplateFunctionError) in
                do throws(EvalFailure) {
                    return try builtin(Args(positional: positional, keywords: keywords.map { ($0.0, $0.1) }), nil)
                } catch {
                    throw TemplateFunctionError(error.message, help: error.help)
                }
            }
        }
    }

    let storage: Storage

    public init(name: String, _ body: @escaping @Sendable ([TemplateValue], [(String, TemplateValue)]) throws(TemplateFunctionError) -> TemplateValue) {
        storage = Storage(name: name, body: body)
    }

    init(builtin name: String, _ body: @escaping @Sendable (Args, Renderer?) throws(EvalFailure) -> TemplateValue) {
        storage = Storage(name: name, builtin: body)
    }

    public var name: String { storage.name }

    public func callAsFunction(_ positional: [TemplateValue], _ keywords: [(String, TemplateValue)] = []) throws(TemplateFunctionError) -> TemplateValue {
        try storage.body(positional, keywords)
    }
}

/// A macro defined by `{% macro %}`, bound to the render that defined it (it reads that template's top-level
/// variables when called). Opaque outside the engine.
public final class TemplateMacro: @unchecked Sendable {
    let definition: MacroDefinition
    let template: Template
    let topBase: Int
    let globals: GlobalTable

    init(definition: MacroDefinition, template: Template, topBase: Int, globals: GlobalTable) {
        self.definition = definition
        self.template = template
        self.topBase = topBase
        self.globals = globals
    }

    public var name: String { definition.name }
}
