import Foundation
import PipecDiagnostics
import PipecTemplate

/// A task's outputs (`rows`, `status`, `headers`, `value`, `keys`) as JSON for the state store, so a unit run by
/// another process (an Airflow worker) reads the outputs of the tasks before it, as `pipec apply` hands them over
/// in memory. Outputs are plain data: numbers, strings, lists and string-keyed dicts.
enum TaskOutputCodec {
    static func encode(_ outputs: [(String, TemplateValue)]) -> String {
        JSONValue.object(outputs.map { ($0.0, json($0.1)) }).serialized(pretty: false)
    }

    static func decode(_ text: String) -> [(String, TemplateValue)] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? [String: Any] else { return [] }
        return root.keys.sorted().map { ($0, value(root[$0]!)) }
    }

    private static func json(_ v: TemplateValue) -> JSONValue {
        switch v {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let items), .tuple(let items): return .array(items.map(json))
        case .dict(let d): return .object(zip(d.keys, d.values).map { ($0.0.stringValue ?? "\($0.0)", json($0.1)) })
        default: return .string("\(v)")
        }
    }

    private static func value(_ any: Any) -> TemplateValue {
        switch any {
        case is NSNull: return .none
        case let n as NSNumber:
            switch String(cString: n.objCType) {
            case "c", "B": return .bool(n.boolValue)
            case "d", "f": return .double(n.doubleValue)
            default: return .int(n.intValue)
            }
        case let s as String: return .string(s)
        case let a as [Any]: return .list(a.map(value))
        case let d as [String: Any]: return .dict(TemplateDict(d.keys.sorted().map { ($0, value(d[$0]!)) }))
        default: return .none
        }
    }
}
