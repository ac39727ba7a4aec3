import PipecDiagnostics

public enum ResourceKind: String, Sendable, Hashable, CaseIterable {
    case postgres, clickhouse, sqlite, s3, file, http, athena, webhook, email

    /// Resources that hold tables and run SQL.
    public var isDatabase: Bool {
        switch self {
        case .postgres, .clickhouse, .sqlite, .athena: return true
        case .s3, .file, .http, .webhook, .email: return false
        }
    }
    /// Resources that hold objects (keys -> bytes).
    public var isObjectStore: Bool { self == .s3 || self == .file }
    /// Resources that can receive alerts and notifications.
    public var isAlertTarget: Bool { self == .webhook || self == .email }

    /// The SQL dialect of a database resource.
    public var dialect: Dialect? {
        switch self {
        case .postgres: return .postgres
        case .clickhouse: return .clickhouse
        case .sqlite: return .sqlite
        case .athena: return .athena
        case .s3, .file, .http, .webhook, .email: return nil
        }
    }
}

/// A named connection. Settings keep their spec text; secrets stay references until apply resolves them.
public struct Resource: Sendable, Hashable {
    public var name: Located<String>
    public var kind: ResourceKind
    public var description: String?
    /// Every scalar setting by key (`url`, `dsn`, `bucket`, `path_style`, ...), in spec order.
    public var settings: [String: ConfigValue]
    /// `headers:` of http and webhook resources; every value is a secret.
    public var headers: [(String, ConfigValue)]
    /// `to:` of email resources.
    public var recipients: [ConfigValue]

    public init(name: Located<String>, kind: ResourceKind, description: String?, settings: [String: ConfigValue],
                headers: [(String, ConfigValue)], recipients: [ConfigValue]) {
        self.name = name
        self.kind = kind
        self.description = description
        self.settings = settings
        self.headers = headers
        self.recipients = recipients
    }

    public subscript(key: String) -> ConfigValue? { settings[key] }

    public static func == (a: Resource, b: Resource) -> Bool {
        a.name == b.name && a.kind == b.kind && a.settings == b.settings && a.recipients == b.recipients
            && a.headers.map(\.0) == b.headers.map(\.0) && a.headers.map(\.1) == b.headers.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
    }

    /// The SQL dialect of a database resource.
    public var dialect: Dialect? { kind.dialect }
}

/// The SQL dialects pipec generates and checks column types for.
public enum Dialect: String, Sendable, Hashable {
    case postgres, clickhouse, sqlite, athena
}
