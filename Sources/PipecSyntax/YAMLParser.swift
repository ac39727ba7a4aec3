import Foundation
import PipecDiagnostics

/// Limits that keep hostile input from hanging or exhausting pipec.
public struct ParseLimits: Sendable {
    /// Deepest nesting of collections accepted (`[[[[...` or indentation).
    public var maxDepth = 200
    /// Largest number of nodes that alias expansion may add to the document (a "billion laughs" file hits this).
    public var maxAliasExpansion = 1_000_000

    public init() {}
}

/// Parses YAML (and JSON, which goes through the same parser) into a located syntax tree (`SyntaxTree`, read
/// through its root `Node`).
///
/// libyaml's event API drives an explicit stack, so nesting depth costs heap, not call stack. Anchors, aliases and
/// merge keys (`<<`) are resolved here; duplicate keys, several documents and the limits above are diagnosed here.
public enum YAMLParser {
    /// The document's root, or nil when the text could not be parsed (the diagnostics say why). An empty file
    /// gives an empty mapping. `sideWork`, if given, is told of every scalar and does its work in the time the
    /// tree builder spends waiting for libyaml (large files only; it may be left with work undone).
    public static func parse(_ source: SourceFile, limits: ParseLimits = ParseLimits(), sideWork: ParseSideWork? = nil) -> (Node?, [Diagnostic]) {
        // SourceFile keeps its text contiguous, so libyaml reads it in place rather than from a copy.
        if let parsed = source.text.utf8.withContiguousStorageIfAvailable({ parse(source, bytes: $0, limits: limits, sideWork: sideWork) }) {
            return parsed
        }
        return Array(source.text.utf8).withUnsafeBufferPointer { parse(source, bytes: $0, limits: limits, sideWork: sideWork) }
    }

    /// Files at least this large are read by libyaml on a thread of its own while the tree is built from its events:
    /// libyaml and the tree builder each take about half of parsing, so on two cores parsing takes little longer than
    /// libyaml alone. Smaller files go through the same batches on one thread.
    static let readerThreadThreshold = 256 << 10
    /// Events per batch handed from libyaml to the tree builder.
    static let batchSize = 2048

    static func parse(_ source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits, sideWork: ParseSideWork? = nil,
                      readerThreadAbove threshold: Int = readerThreadThreshold) -> (Node?, [Diagnostic]) {
        guard !bytes.isEmpty else {
            var builder = TreeBuilder(source: source, limits: limits)
            return (builder.finish(), [])
        }
        guard let reader = EventReader(source: source, bytes: bytes) else {
            return (nil, [.error("E001", "could not initialise the YAML parser", at: nil)])
        }
        var builder = TreeBuilder(source: source, limits: limits)
        if bytes.count < threshold {
            // One thread: there is no waiting to fill, so side work is not told of scalars either.
            while true {
                let batch = reader.next(limit: batchSize)
                guard builder.consume(batch) else { return (nil, builder.diagnostics) }
                if batch.isLast { break }
            }
        } else {
            let handoff = EventHandoff()
            let done = DispatchSemaphore(value: 0)
            // A thread of its own rather than a queue: the builder below waits for it, so it must not wait for a
            // free worker. It stops at the last batch, or when the builder stops early and cancels.
            Thread {
                while true {
                    let batch = reader.next(limit: batchSize)
                    if !handoff.push(batch) || batch.isLast { break }
                }
                done.signal()
            }.start()
            // `bytes` is only valid during this call, so the reader is always finished before returning.
            defer {
                handoff.cancel()
                done.wait()
            }
            builder.sideWork = sideWork
            while true {
                let batch = handoff.pop(whileWaiting: { sideWork?.step() ?? false })
                guard builder.consume(batch) else { return (nil, builder.diagnostics) }
                if batch.isLast { break }
            }
        }
        return (builder.finish(), builder.diagnostics)
    }
}
