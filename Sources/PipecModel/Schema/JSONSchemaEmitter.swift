import PipecDiagnostics

/// Prints the spec language as JSON Schema (draft-07, which yaml-language-server and check-jsonschema read),
/// from the same `SpecSchema` values the structural checker uses.
public enum JSONSchemaEmitter {
    public static func document() -> JSONValue {
        var root = object(SpecSchema.root)
        root.insert(("$schema", .string("http://json-schema.org/draft-07/schema#")), at: 0)
        root.insert(("$id", .string("https://pipec.dev/schema/spec-v1.json")), at: 1)
        root.insert(("title", .string("pipec pipeline spec (version 1)")), at: 2)
        return .object(root)
    }

    static func emit(_ type: SchemaType, description: String = "") -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if !description.isEmpty { fields.append(("description", .string(description))) }
        switch type {
        case .any:
            break
        case .string(let format):
            fields.append(("type", .string("string")))
            if let pattern = format.jsonPattern { fields.append(("pattern", .string(pattern))) }
        case .integer(let minimum):
            fields.append(("type", .string("integer")))
            if let minimum { fields.append(("minimum", .int(minimum))) }
        case .number:
            fields.append(("type", .string("number")))
        case .boolean:
            fields.append(("type", .string("boolean")))
        case .enumeration(let values):
            fields.append(("enum", .array(values.map(JSONValue.string))))
        case .list(let element):
            fields.append(("type", .string("array")))
            fields.append(("items", emit(element)))
        case .map(let key, let value):
            fields.append(("type", .string("object")))
            if let pattern = key.jsonPattern { fields.append(("propertyNames", .object([("pattern", .string(pattern))]))) }
            fields.append(("additionalProperties", emit(value)))
        case .object(let schema):
            fields.append(contentsOf: object(schema))
        case .tagged(let tagged):
            fields.append(contentsOf: taggedObject(tagged))
        case .oneOf(let alternatives):
            fields.append(("anyOf", .array(alternatives.map { emit($0) })))
        }
        return .object(fields)
    }

    static func object(_ schema: ObjectSchema) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("type", .string("object"))]
        if !schema.description.isEmpty { fields.append(("description", .string(schema.description))) }
        fields.append(("properties", .object(schema.fields.map { ($0.name, emit($0.type, description: $0.description)) })))
        let required = schema.fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { fields.append(("required", .array(required))) }
        fields.append(("additionalProperties", .bool(false)))
        for group in schema.exactlyOne {
            fields.append(("oneOf", .array(group.map { .object([("required", .array([.string($0)]))]) })))
        }
        return fields
    }

    /// One `if kind == X then <X's full object>` per variant; a missing kind means the default kind.
    static func taggedObject(_ tagged: TaggedSchema) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("type", .string("object"))]
        if !tagged.description.isEmpty { fields.append(("description", .string(tagged.description))) }
        fields.append(("properties", .object([("kind", .object([("enum", .array(tagged.kinds.map(JSONValue.string)))]))])))
        if tagged.defaultKind == nil { fields.append(("required", .array([.string("kind")]))) }
        let branches: [JSONValue] = tagged.variants.map { variant in
            var condition: [(String, JSONValue)] = [("properties", .object([("kind", .object([("const", .string(variant.kind))]))]))]
            if variant.kind != tagged.defaultKind { condition.append(("required", .array([.string("kind")]))) }
            return .object([("if", .object(condition)), ("then", .object(object(tagged.schema(for: variant.kind)!)))])
        }
        fields.append(("allOf", .array(branches)))
        return fields
    }
}
