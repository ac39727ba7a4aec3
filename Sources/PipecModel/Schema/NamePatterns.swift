import Foundation
/// The lexical rules for names in specs. `{item}` is allowed wherever a `for_each` copy will replace it.
enum NamePatterns {
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isTableName(_ s: String) -> Bool {
        let bare = s.replacingOccurrences(of: "{item}", with: "item")
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { isSQLName(Substring($0)) }
    }

    static func isName(_ s: String) -> Bool {
        let bare = s.replacingOccurrences(of: "{item}", with: "item")
        guard let first = bare.unicodeScalars.first, isLetter(first) || first == "_" else { return false }
        return bare.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "." }
    }

    static func isEnvName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isLetter(first) || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isSQLName(_ s: Substring) -> Bool {
        guard let first = s.unicodeScalars.first, isLetter(first) || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
}
