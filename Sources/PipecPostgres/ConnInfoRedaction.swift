internal import CLibPQ
import Foundation

/// Removes passwords from messages about a connection string.
///
/// libpq's connection errors normally leave the password out, but a malformed URI can be echoed in part
/// (`invalid percent-encoded token: "..."`), and pipec's own messages may quote the conninfo. Every spelling of
/// the password that the conninfo contains — as libpq parsed it, raw and percent-decoded from a URI's user-info,
/// and from `password=` settings — is replaced by `***`.
enum ConnInfoRedaction {
    static func redact(_ message: String, conninfo: String) -> String {
        var result = message
        for secret in passwords(in: conninfo).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        return result
    }

    /// The `***` form of a conninfo, for log lines: the password value replaced, the rest kept.
    static func redactedConnInfo(_ conninfo: String) -> String { redact(conninfo, conninfo: conninfo) }

    static func passwords(in conninfo: String) -> Set<String> {
        var found = Set<String>()
        // 1. What libpq itself understood.
        var errorMessage: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(conninfo, &errorMessage) {
            var option = options
            while let keyword = option.pointee.keyword {
                if String(cString: keyword) == "password", let value = option.pointee.val {
                    found.insert(String(cString: value))
                }
                option += 1
            }
            PQconninfoFree(options)
        }
        if let errorMessage { PQfreemem(errorMessage) }
        // 2. A URI's user-info, `scheme://user:password@host`, even when libpq rejected the URI.
        if let schemeEnd = conninfo.range(of: "://") {
            let rest = conninfo[schemeEnd.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    let raw = String(userInfo[userInfo.index(after: colon)...])
                    found.insert(raw)
                    if let decoded = raw.removingPercentEncoding { found.insert(decoded) }
                }
            }
        }
        // 3. `password=value` in key/value form or in a URI's query string.
        var searchStart = conninfo.startIndex
        while let key = conninfo.range(of: "password", range: searchStart..<conninfo.endIndex) {
            searchStart = key.upperBound
            var cursor = key.upperBound
            while cursor < conninfo.endIndex, conninfo[cursor] == " " { cursor = conninfo.index(after: cursor) }
            guard cursor < conninfo.endIndex, conninfo[cursor] == "=" else { continue }
            cursor = conninfo.index(after: cursor)
            while cursor < conninfo.endIndex, conninfo[cursor] == " " { cursor = conninfo.index(after: cursor) }
            if cursor < conninfo.endIndex, conninfo[cursor] == "'" {
                // A quoted value: up to the closing quote, with \' and \\ escapes.
                var value = ""
                var escaped = false
                var index = conninfo.index(after: cursor)
                while index < conninfo.endIndex {
                    let c = conninfo[index]
                    if escaped { value.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == "'" { break } else { value.append(c) }
                    index = conninfo.index(after: index)
                }
                found.insert(value)
                found.insert(String(conninfo[cursor..<index]))
            } else {
                let raw = String(conninfo[cursor...].prefix { $0 != " " && $0 != "&" })
                found.insert(raw)
                if let decoded = raw.removingPercentEncoding { found.insert(decoded) }
            }
        }
        return found
    }
}
