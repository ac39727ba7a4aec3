import Foundation
import PipecSchedule
import Testing
@testable import PipecTemplate

/// Differential test against Jinja2 3.1 in Airflow's environment (issue 14): thousands of generated templates,
/// rendered by Jinja2 with Airflow's filters and macros by scripts/differential_reference.py, must render
/// identically in pipec, or fail in both (pipec's failure then a located diagnostic). scripts/test.sh generates
/// the reference file and names it in PIPEC_DIFFERENTIAL_TEMPLATES; without it the test is skipped.
struct DifferentialTemplateTests {
    struct Case: Decodable {
        var id: Int
        var template: String
        var ok: Bool
        var output: String?
        var error: String?
    }

    struct File: Decodable {
        var seed: Int
        var cases: [Case]
    }

    static let path = ProcessInfo.processInfo.environment["PIPEC_DIFFERENTIAL_TEMPLATES"]

    /// scripts/differential_reference.py PARAMS, in the same order.
    static let params: [(String, TemplateValue)] = [
        ("flag", true), ("n", 3), ("name", "events"), ("ratio", 0.5), ("tables", ["a", "b", "c"]),
        ("cfg", .dict([("k", "v"), ("n", 2)])), ("neg", -7), ("big", 1_000_000_000), ("empty", ""),
        ("text", "Hello, World"), ("greek", "ΣΑΣ"), ("accent", "e\u{301}"),
    ]

    enum Outcome: Equatable {
        case rendered(String)
        case failed(located: Bool, message: String)
    }

    static func pipec(_ source: String, _ globals: [String: TemplateValue]) -> Outcome {
        do {
            let template = try Template.parse(source, origin: .file("differential.sql"))
            return .rendered(try template.render(TemplateContext(globals: globals)))
        } catch {
            return .failed(located: error.diagnostic.location != nil, message: error.diagnostic.message)
        }
    }

    @Test(.enabled(if: path != nil, "set PIPEC_DIFFERENTIAL_TEMPLATES (scripts/test.sh does)"))
    func rendersLikeJinja2() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try #require(Self.path)))
        let file = try JSONDecoder().decode(File.self, from: data)
        let globals = AirflowContext.globals(for: dailyRun(.airflow2), orderedParams: Self.params, dagId: "medallion")
        var mismatches: [(Case, Outcome)] = []
        for c in file.cases {
            if let trace = ProcessInfo.processInfo.environment["PIPEC_DIFFERENTIAL_TRACE"] {
                // The case about to render, for finding one that hangs.
                try? Data("\(c.id)\n".utf8).write(to: URL(fileURLWithPath: trace))
            }
            let got = Self.pipec(c.template, globals)
            switch (c.ok, got) {
            case (true, .rendered(let text)) where text == c.output: continue
            case (false, .failed(located: true, _)): continue
            default: mismatches.append((c, got))
            }
        }
        print("differential templates (Jinja2, seed \(file.seed)): \(file.cases.count) cases, \(mismatches.count) mismatches")
        // Smallest reproducers first.
        for (c, got) in mismatches.sorted(by: { $0.0.template.utf8.count < $1.0.template.utf8.count }).prefix(30) {
            let want = c.ok ? "renders \(String(reflecting: c.output ?? ""))" : "fails (\(c.error ?? "?"))"
            let have: String
            switch got {
            case .rendered(let text): have = "renders \(String(reflecting: text))"
            case .failed(let located, let message): have = "fails\(located ? "" : " WITHOUT a location"): \(message)"
            }
            print("  case \(c.id): \(c.template)\n    Jinja2 \(want)\n    pipec  \(have)")
        }
        #expect(file.cases.count >= 1000)
        let count = mismatches.count
        #expect(count == 0, "\(count) of \(file.cases.count) templates differ from Jinja2")
    }
}
