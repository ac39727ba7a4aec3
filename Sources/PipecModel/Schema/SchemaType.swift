import PipecSyntax

/// The shape of the spec language, as data. The structural checker (`SchemaChecker`) and the JSON Schema printed by
/// `pipec schema` (`JSONSchemaEmitter`) are both driven by these values, so the two cannot drift apart.
public indirect enum SchemaType: Sendable {
    /// Any scalar, read as text, optionally with a format the checker verifies.
    case string(StringFormat)
    case integer(minimum: Int?)
    case number
    case boolean
    case enumeration([String])
    case list(SchemaType)
    /// A mapping with free keys (names the user chooses), every value of one type.
    case map(key: StringFormat, value: SchemaType)
    case object(ObjectSchema)
    /// A mapping discriminated by its `kind` key.
    case tagged(TaggedSchema)
    /// Alternatives told apart by the node's kind: a scalar, a list or a mapping.
    case oneOf([SchemaType])
    /// Anything (e.g. `params` values).
    case any

    public static let text = SchemaType.string(.text)
}

/// What a string must look like beyond being text.
public enum StringFormat: String, Sendable {
    case text
    /// `[a-z][a-z0-9_]*`
    case identifier
    /// `[schema.]name`, each part `[A-Za-z_][A-Za-z0-9_]*`, `{item}` allowed before expansion.
    case tableName
    /// A name of a task, group or resource: `[A-Za-z_][A-Za-z0-9_.-]*`, `{item}` allowed before expansion.
    case name
    /// `500ms`, `30s`, `5m`, `2h`, `1d`.
    case duration
    /// ISO 8601 date or date-time.
    case timestamp
    /// 5-field cron or a preset.
    case cron
    /// An IANA time zone name.
    case timezone
    /// SQL text or a path under templates/ (templated).
    case sql
    /// A template (a string with `{{ }}`), e.g. a key or a message.
    case template
    /// An engine column type, checked per dialect later.
    case columnType
    /// An environment variable name.
    case envName

    /// Formats the structural check verifies; durations, timestamps, cron, zones and SQL are parsed (with precise
    /// errors) by the model builder.
    var isCheckedHere: Bool {
        switch self {
        case .identifier, .tableName, .name, .envName: return true
        default: return false
        }
    }

    var jsonPattern: String? {
        switch self {
        case .identifier: return "^[a-z][a-z0-9_]*$"
        case .tableName: return "^([A-Za-z_{][A-Za-z0-9_{}]*\\.)?[A-Za-z_{][A-Za-z0-9_{}]*$"
        case .name: return "^[A-Za-z_{][A-Za-z0-9_.{}-]*$"
        case .duration: return "^([0-9]+(ms|s|m|h|d))+$"
        case .timestamp: return "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
        case .envName: return "^[A-Za-z_][A-Za-z0-9_]*$"
        default: return nil
        }
    }

    /// How the format is described in messages ("expected a duration (like 30s, 5m, 2h)").
    var phrase: String {
        switch self {
        case .text, .sql, .template, .columnType, .timezone: return "a string"
        case .identifier: return "a name of lowercase letters, digits and underscores, starting with a letter"
        case .tableName: return "a table name ([schema.]name)"
        case .name: return "a name"
        case .duration: return "a duration (like 500ms, 30s, 5m, 2h, 1d)"
        case .timestamp: return "an ISO 8601 date or timestamp (like 2025-01-01 or 2025-01-01T03:00:00Z)"
        case .cron: return "a cron expression or preset"
        case .envName: return "an environment variable name"
        }
    }
}

/// A mapping with a fixed set of keys. A class, as the structural check hands one to every object of a spec and
/// copying its parts each time showed.
public final class ObjectSchema: Sendable {
    /// What the object is called in messages ("task", "resource", "column").
    public let noun: String
    public let description: String
    public let fields: [Field]
    /// Groups of keys of which exactly one must be present (e.g. a sensor's `http`/`object`/`sql`/`pipeline`).
    public let exactlyOne: [[String]]
    /// `fields`' names, matched against key nodes; and `exactlyOne` as positions in `fields`.
    private let names: KeyTable
    let exactlyOnePositions: [[Int]]
    /// Positions of the required fields in `fields`, as bits (`Presence`).
    let required: UInt64

    /// Objects have at most this many fields, so which are present fits in one word.
    static let maxFields = 64

    public init(_ noun: String, _ description: String = "", fields: [Field], exactlyOne: [[String]] = []) {
        precondition(fields.count <= Self.maxFields, "an object schema has at most \(Self.maxFields) fields")
        self.noun = noun
        self.description = description
        self.fields = fields
        self.exactlyOne = exactlyOne
        names = KeyTable(fields.map(\.name))
        // Every name is one of `fields` (checked by a test over the whole language).
        exactlyOnePositions = exactlyOne.map { group in group.compactMap { name in fields.firstIndex { $0.name == name } } }
        required = fields.indices.reduce(0) { fields[$1].required ? $0 | 1 << UInt64($1) : $0 }
    }

    public func field(_ name: String) -> Field? { names.names.firstIndex(of: name).map { fields[$0] } }

    /// Where the field named by the key node `key` is in `fields`.
    public func position(of key: Node) -> Int? { names.position(of: key) }
}

/// A mapping whose allowed keys depend on its `kind`. Immutable, so each variant's full schema is assembled once
/// (the structural check asks for one per table of a spec).
public final class TaggedSchema: Sendable {
    public let noun: String
    public let description: String
    /// The `kind` used when the key is absent (tables default to `table`); nil makes `kind` required.
    public let defaultKind: String?
    public let common: [Field]
    public let variants: [(kind: String, schema: ObjectSchema)]
    /// `schema(for:)` of each variant, in the order of `variants`.
    private let assembled: [ObjectSchema]

    public init(_ noun: String, _ description: String = "", defaultKind: String? = nil, common: [Field],
                variants: [(kind: String, schema: ObjectSchema)]) {
        self.noun = noun
        self.description = description
        self.defaultKind = defaultKind
        self.common = common
        self.variants = variants
        let kindField = Field("kind", .enumeration(variants.map(\.kind)), required: defaultKind == nil, "What this \(noun) is.")
        assembled = variants.map { v in
            ObjectSchema(v.schema.noun, v.schema.description, fields: [kindField] + common + v.schema.fields, exactlyOne: v.schema.exactlyOne)
        }
    }

    public var kinds: [String] { variants.map(\.kind) }

    /// The full object schema of one variant: `kind`, the common fields, then the variant's own.
    public func schema(for kind: String) -> ObjectSchema? {
        variants.firstIndex { $0.kind == kind }.map { assembled[$0] }
    }
}

public struct Field: Sendable {
    public var name: String
    public var type: SchemaType
    public var required: Bool
    public var description: String

    public init(_ name: String, _ type: SchemaType, required: Bool = false, _ description: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
    }
}
