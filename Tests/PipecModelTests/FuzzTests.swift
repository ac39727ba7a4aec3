import Foundation
import PipecDiagnostics
import Testing
@testable import PipecModel

/// Feeds thousands of mutated specs through the whole front end: each must give diagnostics or a model,
/// never a crash or a hang.
@Suite struct FuzzTests {
    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    }

    static func mutate(_ text: String, _ rng: inout Random) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        for _ in 0...rng.below(3) {
            let i = rng.below(lines.count)
            switch rng.below(9) {
            case 0: lines.remove(at: i); if lines.isEmpty { lines = [""] }
            case 1: lines[i] = "  " + lines[i]
            case 2: lines[i] = String(lines[i].drop { $0 == " " })
            case 3: let j = rng.below(lines.count); lines.swapAt(i, j)
            case 4:
                var bytes = Array(lines[i].utf8)
                let junk: [UInt8] = [0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2D, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25, 0x09, 0x23, 0xC3]
                bytes.insert(junk[rng.below(junk.count)], at: rng.below(bytes.count + 1))
                lines[i] = String(decoding: bytes, as: UTF8.self)
            case 5: lines.insert(lines[i], at: i)
            case 6: lines[i] = String(lines[i].prefix(rng.below(lines[i].count + 1)))
            case 7: lines[i] = lines[i].replacingOccurrences(of: "{{", with: "{{ {%")
            default:
                let words = ["kind: sql", "on: nowhere", "<<: *x", "&a", "*a", "for_each: [a, b]", "ref('x')", "${env:", "strategy: upsert",
                             "after: [a]", "group: g_{item}", "- not_null: [zz]"]
                lines.insert(String(repeating: " ", count: rng.below(8)) + words[rng.below(words.count)], at: i)
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func mutatedSpecsNeverCrash() throws {
        var seeds = Fixtures.specs().compactMap { try? String(contentsOf: $0, encoding: .utf8) }
        let fixtureDir = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/validate")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fixtureDir.path)) ?? [] {
            if let t = try? String(contentsOf: fixtureDir.appendingPathComponent(name).appendingPathComponent("spec.yaml"), encoding: .utf8) {
                seeds.append(t)
            }
        }
        try #require(!seeds.isEmpty)
        var rng = Random(state: 20_251_121)
        var outcomes = (valid: 0, invalid: 0)
        for round in 0..<4000 {
            let text = Self.mutate(seeds[round % seeds.count], &rng)
            let loaded = Fixtures.load(text, path: "specs/fuzz.yaml")
            if loaded.diagnostics.hasErrors {
                outcomes.invalid += 1
                // Every error must say where, except an unreadable file.
                #expect(loaded.diagnostics.all.allSatisfy { $0.severity != .error || $0.location != nil })
            } else {
                outcomes.valid += 1
            }
        }
        #expect(outcomes.invalid > 0)
    }

    @Test func randomBytesNeverCrash() {
        var rng = Random(state: 7)
        for _ in 0..<1000 {
            let bytes = (0..<rng.below(400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = Fixtures.load(text, path: "specs/random.yaml")
        }
    }
}
