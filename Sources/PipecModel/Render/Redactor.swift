import Foundation

/// Replaces every secret's resolved value with `***` in text about to be printed, stored or sent.
///
/// Secrets are the values of secret settings (passwords, keys, tokens, header values, URL passwords, webhook URLs,
/// any `secret_keys`) once their environment references are resolved, the value of each reference inside them (a
/// token in a webhook's path, `OAuth ${env:TOKEN}`), and anything added later (`adding`: a `--state` URL's password,
/// header values rendered at run time). Each is also matched in the forms a server echoes it back in: percent-encoded,
/// JSON-escaped, and as the base64 of `user:password` that HTTP basic auth sends for URL userinfo. Short values
/// (under 4 characters) are left alone: masking "a" in every word would make output unreadable and protects nothing.
public struct Redactor: Sendable {
    public private(set) var secrets: [String] = []

    public init(pipeline: Pipeline, environment: [String: String]) {
        var found: [String] = []
        for resource in pipeline.resources {
            let values = Array(resource.settings.values) + resource.headers.map(\.1)
            for value in values {
                guard case .success(let resolved) = value.resolve(environment) else { continue }
                // A setting can become secret only once resolved: `${env:DSN:-postgres://h/db}` set to a URL with a password.
                let embedsPassword = ModelBuilder.hasUserInfo(resolved) || ModelBuilder.conninfoPassword(resolved) != nil
                guard value.isSecret || embedsPassword else { continue }
                if embedsPassword {
                    found += Self.secrets(inConnection: resolved)
                } else {
                    found.append(resolved)
                    // "OAuth <token>": the token alone must not leak either.
                    for word in resolved.split(separator: " ") where word.count >= 8 { found.append(String(word)) }
                }
                // Each referenced value on its own: a token that is only part of a webhook URL's path (not a host or
                // port: those are no secret, and masking them would hide where a failing request went).
                let address = Self.hostAndPort(resolved)
                for segment in value.segments {
                    guard case .env(let name, let fallback) = segment, let v = environment[name] ?? fallback else { continue }
                    if let address, address.contains(v), resolved.replacingAll(String(address), with: "").contains(v) == false { continue }
                    found.append(v)
                }
            }
        }
        secrets = Self.prepared(found)
    }

    /// A redactor for `values` alone (and their echoed forms).
    public init(secrets values: [String]) {
        secrets = Self.prepared(values)
    }

    /// This redactor with `values` (and their echoed forms) masked too.
    public func adding(_ values: [String]) -> Redactor {
        var copy = self
        copy.secrets = Self.prepared(secrets + values)
        return copy
    }

    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingAll(secret, with: "***")
        }
        return out
    }

    /// The secrets in a connection URL (`scheme://user:password@host`) or libpq keyword string (`password=...`):
    /// the password, and for URLs the base64 `user:password` of basic auth.
    public static func secrets(inConnection text: String) -> [String] {
        if ModelBuilder.hasUserInfo(text), let (user, password) = userinfo(text) {
            let decoded = (user.removingPercentEncoding ?? user) + ":" + (password.removingPercentEncoding ?? password)
            return [password, password.removingPercentEncoding ?? password, Data(decoded.utf8).base64EncodedString(),
                    Data((user + ":" + password).utf8).base64EncodedString()]
        }
        if let password = ModelBuilder.conninfoPassword(text) { return [password] }
        return []
    }

    /// Every value with its echoed forms, long enough to mask, longest first (so a secret that contains another is
    /// masked whole).
    private static func prepared(_ values: [String]) -> [String] {
        var all = Set<String>()
        for value in values where value.count >= 4 {
            all.insert(value)
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?/:@"))) {
                all.insert(encoded)
            }
            let json = jsonEscaped(value)
            all.insert(json)
        }
        return all.filter { $0.count >= 4 }.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    private static func jsonEscaped(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "/": out += "/"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func urlPassword(_ url: String) -> String? { userinfo(url)?.password }

    /// The `host:port` of a URL (its authority without userinfo), or nil when `url` is not one.
    private static func hostAndPort(_ url: String) -> Substring? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { return authority }
        return authority[authority.index(after: at)...]
    }

    private static func userinfo(_ url: String) -> (user: String, password: String)? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        // The authority ends at the path; its last `@` ends the userinfo (a password may hold an unencoded `@`).
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userinfo = authority[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return nil }
        return (String(userinfo[..<colon]), String(userinfo[userinfo.index(after: colon)...]))
    }
}
