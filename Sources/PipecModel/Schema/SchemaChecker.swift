import Foundation
import PipecDiagnostics
import PipecSyntax

/// The structural pass: every key known, every required key present, every value of the expected type.
///
/// Scalars are typed here by what the schema expects at their place: `NO` is a string where a string is expected,
/// `3` is an integer only where an integer is expected and it was written unquoted.
struct SchemaChecker {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func check(root: Node) {
        guard root.entries != nil else {
            diagnostics.append(.error("E103", "a spec must be a mapping of keys (version, pipeline, resources, ...), found \(root.kindDescription)",
                                      at: root.location))
            return
        }
        checkObject(root, SpecSchema.root, subject: .spec, owner: root)
    }

    // MARK: dispatch

    /// `owner` is the node a missing key is reported at (the key that names the object); its location is only
    /// worked out when there is something to report.
    private mutating func check(_ node: Node, _ type: SchemaType, subject: SchemaSubject, field: String, owner: Node) {
        switch type {
        case .any:
            return
        case .string(let format):
            guard node.kind == .scalar, !node.isNull else {
                return mismatch(node, expected: format.phrase, field: field, subject: subject)
            }
            // Most strings are free text; only names are checked here, so only their text is read.
            if format.isCheckedHere, let text = node.text { checkFormat(text, format, node: node, field: field, subject: subject) }
        case .integer(let minimum):
            guard node.style == .plain, let text = node.text, let value = Int(text) else {
                return mismatch(node, expected: "a whole number", field: field, subject: subject)
            }
            if let minimum, value < minimum {
                diagnostics.append(.error("E104", "'\(field)' in \(subject.text) must be at least \(minimum), found \(value)", at: node.location))
            }
        case .number:
            guard node.style == .plain, let text = node.text, Double(text) != nil else {
                return mismatch(node, expected: "a number", field: field, subject: subject)
            }
        case .boolean:
            guard node.style == .plain, let text = node.text, Self.booleans.contains(text) else {
                let help = node.scalar.map { ["yes", "no", "on", "off", "y", "n"].contains($0.text.lowercased()) } == true
                    ? "pipec reads YAML 1.2: write true or false" : nil
                diagnostics.append(.error("E103", "'\(field)' in \(subject.text) must be true or false, found \(describe(node))",
                                          at: node.location, help: help))
                return
            }
        case .enumeration(let values):
            guard node.kind == .scalar, let text = node.text else {
                return mismatch(node, expected: "one of \(values.joined(separator: ", "))", field: field, subject: subject)
            }
            if !values.contains(text) {
                diagnostics.append(.error("E104", "'\(text)' is not a valid \(field) in \(subject.text)", at: node.location,
                                          notes: [DiagnosticNote("expected one of: \(values.joined(separator: ", "))")],
                                          help: DidYouMean.help(text, from: values)))
            }
        case .list(let element):
            guard let items = node.items else {
                return mismatch(node, expected: "a list", field: field, subject: subject)
            }
            for item in items {
                check(item, element, subject: subject, field: field, owner: item)
            }
        case .map(let keyFormat, let value):
            guard let entries = node.entries else {
                if node.isNull { return }
                return mismatch(node, expected: "a mapping", field: field, subject: subject)
            }
            let noun = Self.noun(of: value) ?? "entry"
            for entry in entries {
                guard let key = entry.key.text else { continue }
                checkFormat(key, keyFormat, node: entry.key, field: noun + " name", subject: subject)
                check(entry.value, value, subject: .named(noun: noun, key: key), field: key, owner: entry.key)
            }
        case .object(let schema):
            guard node.entries != nil else {
                return mismatch(node, expected: "a mapping", field: field, subject: subject)
            }
            checkObject(node, schema, subject: subject.object(under: field, noun: schema.noun), owner: owner)
        case .tagged(let tagged):
            guard node.entries != nil else {
                return mismatch(node, expected: "a mapping", field: field, subject: subject)
            }
            checkTagged(node, tagged, subject: subject, owner: owner)
        case .oneOf(let alternatives):
            if let chosen = alternatives.first(where: { Self.accepts($0, node) }) {
                check(node, chosen, subject: subject, field: field, owner: owner)
            } else {
                let phrases = alternatives.map(Self.phrase)
                mismatch(node, expected: phrases.joined(separator: " or "), field: field, subject: subject)
            }
        }
    }

    private mutating func checkTagged(_ node: Node, _ tagged: TaggedSchema, subject: SchemaSubject, owner: Node) {
        let kindNode = node["kind"]
        let kind: String
        if let k = kindNode?.text {
            kind = k
        } else if let d = tagged.defaultKind {
            kind = d
        } else {
            diagnostics.append(.error("E102", "\(subject.text) is missing the required key 'kind'", at: owner.location,
                                      notes: [DiagnosticNote("kinds: \(tagged.kinds.joined(separator: ", "))")]))
            return
        }
        guard let schema = tagged.schema(for: kind) else {
            diagnostics.append(.error("E104", "'\(kind)' is not a \(tagged.noun) kind (in \(subject.text))", at: kindNode?.location ?? owner.location,
                                      notes: [DiagnosticNote("kinds: \(tagged.kinds.joined(separator: ", "))")],
                                      help: DidYouMean.help(kind, from: tagged.kinds)))
            return
        }
        checkObject(node, schema, subject: subject, owner: owner)
    }

    private mutating func checkObject(_ node: Node, _ schema: ObjectSchema, subject: SchemaSubject, owner: Node) {
        guard let entries = node.entries else { return }
        // One pass over the entries; the fields given a value are remembered as bits, for the checks of required
        // and exclusive keys that follow.
        var present: UInt64 = 0
        for entry in entries {
            guard let key = entry.key.text else { continue }
            guard let position = schema.position(of: entry.key) else {
                let known = Set(schema.fields.map(\.name))
                diagnostics.append(.error("E101", "unknown key '\(DidYouMean.shortened(key))' in \(subject.text)", at: entry.key.location,
                                          help: DidYouMean.help(key, from: known) ?? "allowed keys: \(schema.fields.map(\.name).joined(separator: ", "))"))
                continue
            }
            let value = entry.value
            if value.isNull {
                if schema.required & 1 << UInt64(position) == 0 { continue }
            } else {
                present |= 1 << UInt64(position)
            }
            check(value, schema.fields[position].type, subject: subject, field: key, owner: entry.key)
        }
        if schema.required & ~present != 0 {
            for (i, field) in schema.fields.enumerated() where schema.required & 1 << UInt64(i) != 0 && present & 1 << UInt64(i) == 0 {
                diagnostics.append(.error("E102", "\(subject.text) is missing the required key '\(field.name)'", at: owner.location))
            }
        }
        for (g, group) in schema.exactlyOnePositions.enumerated() {
            let given = group.filter { present & 1 << UInt64($0) != 0 }
            if given.isEmpty {
                diagnostics.append(.error("E102", "\(subject.text) needs one of: \(schema.exactlyOne[g].joined(separator: ", "))", at: owner.location))
            } else if given.count > 1 {
                let names = given.map { schema.fields[$0].name }
                let second = entries.first { $0.key.text == names[1] }!.key.location
                diagnostics.append(.error("E105", "\(subject.text) may have only one of \(schema.exactlyOne[g].joined(separator: ", ")); found \(names.joined(separator: " and "))",
                                          at: second))
            }
        }
    }

    // MARK: scalars

    private mutating func checkFormat(_ text: String, _ format: StringFormat, node: Node, field: @autoclosure () -> String, subject: SchemaSubject) {
        let ok: Bool
        switch format {
        case .identifier: ok = NamePatterns.isIdentifier(text)
        case .tableName: ok = NamePatterns.isTableName(text)
        case .name: ok = NamePatterns.isName(text)
        case .envName: ok = NamePatterns.isEnvName(text)
        default: ok = true   // see StringFormat.isCheckedHere
        }
        if !ok {
            let field = field()
            diagnostics.append(.error("E106", "invalid \(field)\(field.hasSuffix("name") ? "" : " name") '\(text)' in \(subject.text): expected \(format.phrase)", at: node.location))
        }
    }

    private mutating func mismatch(_ node: Node, expected: String, field: String, subject: SchemaSubject) {
        diagnostics.append(.error("E103", "'\(field)' in \(subject.text) must be \(expected), found \(describe(node))", at: node.location))
    }

    private func describe(_ node: Node) -> String {
        if let s = node.scalar, !s.isNull {
            let short = s.text.count > 40 ? String(s.text.prefix(37)) + "..." : s.text
            return "'\(short.replacingOccurrences(of: "\n", with: " "))'"
        }
        return node.kindDescription
    }

    // MARK: helpers

    static func accepts(_ type: SchemaType, _ node: Node) -> Bool {
        switch (type, node.kind) {
        case (.any, _): return true
        case (.string, .scalar), (.integer, .scalar), (.number, .scalar), (.boolean, .scalar), (.enumeration, .scalar): return true
        case (.list, .sequence): return true
        case (.map, .mapping), (.object, .mapping), (.tagged, .mapping): return true
        case (.oneOf(let alts), _): return alts.contains { accepts($0, node) }
        default: return false
        }
    }

    static func phrase(_ type: SchemaType) -> String {
        switch type {
        case .string(let f): return f.phrase
        case .integer: return "a whole number"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .enumeration(let v): return "one of \(v.joined(separator: ", "))"
        case .list: return "a list"
        case .map, .object, .tagged: return "a mapping"
        case .oneOf(let alts): return alts.map(phrase).joined(separator: " or ")
        case .any: return "a value"
        }
    }

    static func noun(of type: SchemaType) -> String? {
        switch type {
        case .object(let o): return o.noun
        case .tagged(let t): return t.noun
        case .oneOf(let alts): return alts.lazy.compactMap(noun).first
        default: return nil
        }
    }

    private static let booleans: Set<String> = ["true", "false", "True", "False", "TRUE", "FALSE"]
}
