import Foundation
import PipecIO

/// A sink the test keeps a reference to, so it can read what a wrapping sink (gzip, Parquet) wrote into it.
final class SharedSink: ByteSink {
    private(set) var bytes: [UInt8] = []
    private(set) var writes = 0
    private(set) var largestWrite = 0
    private(set) var finished = false

    func write(_ chunk: [UInt8]) throws {
        bytes += chunk
        writes += 1
        largestWrite = max(largestWrite, chunk.count)
    }

    func finish() throws { finished = true }
}

/// Reads a source to its end in reads of `maxCount` bytes.
func readAll(_ source: inout some ByteSource, maxCount: Int = 1 << 16) throws -> [UInt8] {
    var out: [UInt8] = []
    while true {
        let chunk = try source.read(maxCount: maxCount)
        if chunk.isEmpty { return out }
        out += chunk
    }
}

/// Reproducible test data: SplitMix64, so a failure can be replayed from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes, half noise and half repeated text, so both stored and compressed deflate blocks occur.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        let text = Array("2025-01-01,events,ok\n".utf8)
        while out.count < count {
            if Bool.random(using: &self) {
                for _ in 0..<min(512, count - out.count) { out.append(UInt8.random(in: 0...255, using: &self)) }
            } else {
                for i in 0..<min(512, count - out.count) { out.append(text[i % text.count]) }
            }
        }
        return out
    }
}

/// A fresh folder under the system temp dir, removed when the value is dropped.
final class ScratchFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pipec-io-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}
