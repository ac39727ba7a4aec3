/// What a structural diagnostic is about: "the spec", "table 'x'", "'build' of table 'x'".
///
/// Kept as parts and spelled out only when a diagnostic needs it: the checker passes a subject to every node of
/// the spec, and nearly all of them are fine.
enum SchemaSubject {
    case spec
    /// An entry of a map with free keys: `noun 'key'`.
    case named(noun: String, key: String)
    /// An object found under `field` of another subject.
    indirect case field(String, of: SchemaSubject)

    var text: String {
        switch self {
        case .spec: return "the spec"
        case .named(let noun, let key): return "\(noun) '\(key)'"
        case .field(let field, .spec): return "'\(field)'"
        case .field(let field, let parent): return "'\(field)' of \(parent.text)"
        }
    }

    /// The subject of the object under `field`: a named entry whose object is of its own noun keeps its name
    /// (a table's mapping is still "table 'x'"); anything else is named by the path to it.
    func object(under field: String, noun: String) -> SchemaSubject {
        if case .named(let own, _) = self, own == noun { return self }
        return .field(field, of: self)
    }
}
