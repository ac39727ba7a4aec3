/// Jinja's global functions that SQL templates use: `range` (bounded like Jinja's sandbox), `dict`, and
/// `namespace` (the way to carry a value out of a loop). Context globals shadow them.
enum Builtins {
    static let table = GlobalTable(globals)

    static let globals: [String: TemplateValue] = [
        "range": .function(NativeFunction(builtin: "range") { args, renderer throws(EvalFailure) in
            guard args.keywords.isEmpty else { throw EvalFailure.arguments("range() takes no keyword arguments") }
            var bounds: [Int] = []
            for v in args.positional { bounds.append(try Filters.intArgument(v, "range bound")) }
            let (start, stop, step): (Int, Int, Int)
            switch bounds.count {
            case 1: (start, stop, step) = (0, bounds[0], 1)
            case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
            case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
            default: throw EvalFailure.arguments("range() takes 1 to 3 arguments (\(bounds.count) given)")
            }
            if step == 0 { throw EvalFailure.value("range() step must not be zero") }
            let limit = renderer?.limits.maxRange ?? TemplateLimits().maxRange
            // Counted without overflow for any 64-bit bounds: a span beyond Int is far beyond the limit anyway.
            let (span, spanOverflow) = step > 0 ? stop.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(stop)
            if spanOverflow {
                throw EvalFailure(TemplateErrorCode.limit, "range() would produce more than \(limit) items")
            }
            let count = span <= 0 ? 0 : Int(UInt(span - 1) / step.magnitude) + 1
            if count > limit {
                throw EvalFailure(TemplateErrorCode.limit, "range() would produce \(count) items; at most \(limit) are allowed")
            }
            return .list((0..<count).map { .int(start + $0 * step) })
        }),
        "dict": .function(NativeFunction(builtin: "dict") { args, _ throws(EvalFailure) in
            var keys: [TemplateValue] = []
            var values: [TemplateValue] = []
            if let first = args.positional.first {
                guard args.positional.count == 1 else { throw EvalFailure.arguments("dict() takes at most 1 positional argument") }
                switch first {
                case .dict(let d):
                    keys = d.keys
                    values = d.values
                case .list(let items), .tuple(let items):
                    for item in items {
                        guard case .tuple(let pair) = item, pair.count == 2, DictKey(pair[0]) != nil else {
                            if case .list(let pair) = item, pair.count == 2, DictKey(pair[0]) != nil {
                                keys.append(pair[0])
                                values.append(pair[1])
                                continue
                            }
                            throw EvalFailure.type("dict() expects a sequence of (key, value) pairs")
                        }
                        keys.append(pair[0])
                        values.append(pair[1])
                    }
                default:
                    throw EvalFailure.type("dict() cannot convert a '\(PythonText.typeName(first))'")
                }
            }
            for k in args.keywords {
                keys.append(.string(k.name))
                values.append(k.value)
            }
            return .dict(TemplateDict(keys: keys, values: values))
        }),
        "namespace": .function(NativeFunction(builtin: "namespace") { args, _ throws(EvalFailure) in
            var attributes: [(String, TemplateValue)] = []
            for v in args.positional {
                guard case .dict(let d) = v else { throw EvalFailure.type("namespace() positional arguments must be dicts") }
                for i in 0..<d.count { attributes.append((PythonText.str(d.keys[i]), d.values[i])) }
            }
            attributes.append(contentsOf: args.keywords.map { ($0.name, $0.value) })
            return .namespace(TemplateNamespace(mutableAttributes: attributes))
        }),
    ]
}
