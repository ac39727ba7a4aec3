import Foundation
import Testing

/// SIGKILL in the middle of an apply of `Tests/Fixtures/apply/bigload`, then apply again: the tables must end up
/// exactly as a clean run leaves them in a fresh copy (no duplicated or lost rows), and the killed applies must not
/// leave the pipeline stuck (the lock is a flock; a rerun must not hang) nor shown as still running.
struct KillScenario {
    var spec: String
    /// A fresh copy of the case (with a database of its own where the spec needs one) and a fingerprint of its
    /// tables (row counts and a checksum), read with an independent client.
    var fresh: () throws -> (ApplyCase, () throws -> String)

    init(spec: String, fresh: @escaping () throws -> (ApplyCase, () throws -> String)) {
        self.spec = spec
        self.fresh = fresh
    }

    func run() throws {
        let day = ["--ds", "2025-01-01"]
        let (clean, cleanFingerprint) = try fresh()
        try BigCSV.write(into: clean)
        let began = Date()
        try expectSuccess(clean.apply(spec, day))
        let cleanSeconds = Date().timeIntervalSince(began)
        let expected = try cleanFingerprint()
        #expect(expected.contains("raw.events: \(BigCSV.rows) rows"), "\(expected)")

        let (c, fingerprint) = try fresh()
        try BigCSV.write(into: c)
        // Mid-load: some chunks streamed into the load's staging table, nothing committed into raw.events.
        let midLoad = try c.start(["apply", c.path(spec)] + day)
        try #require(midLoad.waitForOutput(containing: "load_events started"), "\(midLoad.stdoutSoFar)")
        Thread.sleep(forTimeInterval: cleanSeconds * 0.4)
        midLoad.killHard()
        try midLoad.wait()
        // As the build starts: the load is committed, its interval not yet recorded as done.
        let midBuild = try c.start(["apply", c.path(spec)] + day)
        _ = midBuild.waitForOutput(containing: "day.events started")
        midBuild.killHard()
        try midBuild.wait()

        let recovered = try c.apply(spec, day)
        try expectSuccess(recovered)
        #expect(try fingerprint() == expected)
        // The killed applies, their runs and the tries they were in are recorded as interrupted, not left running.
        for table in ["pipec_applies", "pipec_runs", "pipec_task_instances"] {
            #expect(try c.state("SELECT count(*) FROM \(table) WHERE status = 'running'") == "0", "\(table)")
        }
        // And a further apply finds the interval done.
        let again = try c.apply(spec, day)
        try expectSuccess(again)
        #expect(again.stdout.contains("nothing to do"), "\(again.transcript)")
    }
}

/// `data/big.csv`: 300,000 rows of one day, generated once per test process.
enum BigCSV {
    static let rows = 300_000

    static let text: String = {
        var out = "id,name,amount,event_time\n"
        out.reserveCapacity(rows * 48)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        for i in 1...rows {
            let cents = i * 37 % 100_003
            let seconds = i * 86_399 / rows
            out += "\(i),name_\(i % 977),\(cents / 100).\(two(cents % 100)),2025-01-01 \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))\n"
        }
        return out
    }()

    static func write(into c: ApplyCase) throws {
        try FileManager.default.createDirectory(atPath: c.path("data"), withIntermediateDirectories: true)
        try text.write(toFile: c.path("data/big.csv"), atomically: false, encoding: .utf8)
    }
}
