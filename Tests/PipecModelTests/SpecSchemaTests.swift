import Testing
@testable import PipecModel

@Suite struct SpecSchemaTests {
    /// Every object schema of the language, each once (tagged schemas through each kind's assembled schema).
    static func objects() -> [ObjectSchema] {
        var found: [ObjectSchema] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ type: SchemaType) {
            switch type {
            case .list(let element): visit(element)
            case .map(_, let value): visit(value)
            case .oneOf(let alternatives): alternatives.forEach(visit)
            case .object(let object): visit(object)
            case .tagged(let tagged): for kind in tagged.kinds { if let object = tagged.schema(for: kind) { visit(object) } }
            case .string, .integer, .number, .boolean, .enumeration, .any: break
            }
        }
        func visit(_ object: ObjectSchema) {
            guard seen.insert(ObjectIdentifier(object)).inserted else { return }
            found.append(object)
            object.fields.forEach { visit($0.type) }
        }
        visit(SpecSchema.root)
        return found
    }

    @Test func everyExactlyOneGroupNamesFieldsOfItsObject() {
        let objects = Self.objects()
        #expect(objects.count > 20)
        for object in objects {
            let names = Set(object.fields.map(\.name))
            for group in object.exactlyOne {
                #expect(group.allSatisfy(names.contains), "\(object.noun): \(group)")
            }
            #expect(object.exactlyOnePositions.map(\.count) == object.exactlyOne.map(\.count), "\(object.noun)")
            #expect(object.fields.count <= ObjectSchema.maxFields, "\(object.noun)")
        }
    }
}
