import Foundation
internal import CGraphviz

/// Graphviz's C library (libgvc) behind one call: DOT text in, SVG text out, laid out by `dot`, all in memory.
///
/// Graphviz keeps global state (its error hook, the last error, plugin tables), so calls are serialized by one
/// lock; a context is made per call and freed with the graph and its layout, so nothing leaks across calls.
public enum Graphviz {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    private static let lock = NSLock()

    /// The SVG document Graphviz draws for `dot`, or a failure carrying Graphviz's own message.
    public static func svg(dot: String) throws(Failure) -> String {
        lock.lock()
        defer { lock.unlock() }
        GraphvizErrors.messages = []
        let previousHook = agseterrf(graphvizErrorHook)
        let previousLevel = agseterr(AGERR)
        defer {
            _ = agseterrf(previousHook)
            _ = agseterr(previousLevel)
        }
        guard let context = gvContext() else { throw Failure(message: "graphviz: cannot create a context") }
        defer { _ = gvFreeContext(context) }
        guard let graph = dot.withCString({ agmemread($0) }) else {
            throw Failure(message: "graphviz: cannot read the DOT text: \(GraphvizErrors.summary)")
        }
        defer { _ = agclose(graph) }
        guard gvLayout(context, graph, "dot") == 0 else {
            throw Failure(message: "graphviz: layout failed: \(GraphvizErrors.summary)")
        }
        defer { _ = gvFreeLayout(context, graph) }
        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        guard gvRenderData(context, graph, "svg", &data, &length) == 0, let data else {
            throw Failure(message: "graphviz: rendering SVG failed: \(GraphvizErrors.summary)")
        }
        defer { gvFreeRenderData(data) }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What Graphviz reported during the current call (written only under `Graphviz.lock`).
enum GraphvizErrors {
    nonisolated(unsafe) static var messages: [String] = []

    static var summary: String {
        let text = messages.joined().trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "no message from graphviz" : text
    }
}

/// Graphviz's error hook: a C function, so it cannot capture; it appends to `GraphvizErrors.messages`.
private func graphvizErrorHook(_ message: UnsafeMutablePointer<CChar>?) -> Int32 {
    if let message { GraphvizErrors.messages.append(String(cString: message)) }
    return 0
}
