/// Replaces every secret's resolved value with `***` in text about to be printed or stored.
///
/// Secrets are the values of secret settings (passwords, keys, tokens, header values, URL passwords, any
/// `secret_keys`) once their environment references are resolved. Short values (under 4 characters) are left
/// alone: masking "a" in every word would make output unreadable and protects nothing.
public struct Redactor: Sendable {
    public private(set) var secrets: [String] = []

    public init(pipeline: Pipeline, environment: [String: String]) {
        var found = Set<String>()
        for resource in pipeline.resources {
            let values = Array(resource.settings.values) + resource.headers.map(\.1)
            for value in values {
                guard case .success(let resolved) = value.resolve(environment) else { continue }
                // A setting can become secret only once resolved: `${env:DSN:-postgres://h/db}` set to a URL with a password.
                let embedsPassword = ModelBuilder.hasUserInfo(resolved) || ModelBuilder.conninfoPassword(resolved) != nil
                guard value.isSecret || embedsPassword else { continue }
                if ModelBuilder.hasUserInfo(resolved), let password = Self.urlPassword(resolved) {
                    found.insert(password)
                } else if let password = ModelBuilder.conninfoPassword(resolved) {
                    found.insert(password)
                } else {
                    found.insert(resolved)
                    // "OAuth <token>": the token alone must not leak either.
                    for word in resolved.split(separator: " ") where word.count >= 8 { found.insert(String(word)) }
                }
            }
        }
        secrets = found.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingAll(secret, with: "***")
        }
        return out
    }

    static func urlPassword(_ url: String) -> String? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return nil }
        let userinfo = rest[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return nil }
        return String(userinfo[userinfo.index(after: colon)...])
    }
}
