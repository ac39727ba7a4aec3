import PipecSchedule
import Testing
@testable import PipecTemplate

/// Issue 18, point 4: no input crashes the renderer. A seeded generator builds thousands of expressions over the
/// date macros, filters and arithmetic with absurd values (huge day counts, years beyond 9999, 64-bit edges);
/// each must render or fail with a located template error. A crash (an arithmetic trap) fails the whole run.
struct ExpressionFuzzTests {
    /// SplitMix64: deterministic for a seed on every platform.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
    }

    static let numbers = ["0", "1", "-1", "params.n", "1000000000", "-1000000000", "9223372036854775807",
                          "-9223372036854775807", "2 ** 62", "3652059", "2932896", "-719162", "106751991", "1e18",
                          "1e300", "-1e300", "0.5", "1e-300", "10 ** 12", "99999999", "4611686018427387904"]

    static func expression(_ g: inout Generator, depth: Int = 0) -> String {
        let n = g.pick(numbers)
        let date = g.pick(["logical_date", "data_interval_end", "macros.datetime(9999, 12, 31)", "macros.datetime(1, 1, 1)",
                           "logical_date.date()", "macros.datetime(2025, 1, 1).date()"])
        let forms: [String] = [
            "macros.ds_add(ds, \(n))", "macros.ds_add('9999-12-31', \(n))", "macros.ds_add('0001-01-01', -\(n))",
            "macros.ds_add(macros.ds_add(ds, \(n)), \(n))", "macros.timedelta(days=\(n))",
            "macros.timedelta(seconds=\(n), weeks=\(n))", "macros.timedelta(hours=\(n)) * \(n)",
            "\(date) + macros.timedelta(days=\(n))", "\(date) - macros.timedelta(microseconds=\(n))",
            "(\(date) - macros.timedelta(days=\(n))) | ds", "\(date).add(days=\(n))", "\(date).subtract(years=\(n))",
            "\(date).add(months=\(n), hours=\(n))", "macros.datetime(\(n), 1, 1)", "macros.datetime.fromtimestamp(\(n))",
            "(\(date) + macros.timedelta(days=\(n))).strftime('%Y-%m-%d %j')", "\(date).replace(year=\(n))",
            "macros.timedelta(days=\(n)) + macros.timedelta(days=\(n))", "macros.timedelta(days=\(n)) // \(n)",
            "macros.timedelta(days=\(n)) / \(n)", "(\(date) - \(date)).total_seconds() * \(n)",
            "\(n) | int", "'\(n)' | int", "\(n) | round(\(n))", "'%d' % \(n)", "'{:,}'.format(\(n))",
            "\(n) * \(n)", "\(n) // \(n)", "\(n) % \(n)", "\(n) ** \(n)", "range(\(n)) | length", "'x' * \(n)",
            "[1] * \(n)", "'{:>\(g.pick(["5", "99999999999"]))}'.format(\(n))", "'abc'[\(n)]", "'abc'[\(n):\(n)]",
            "ds.zfill(\(n))", "macros.ds_format(macros.ds_add(ds, \(n)), '%Y-%m-%d', '%d/%m/%Y')",
            "\(date).in_timezone('Europe/Amsterdam').add(days=\(n))", "\(n) is divisibleby(\(n))",
        ]
        let e = g.pick(forms)
        return depth < 1 && g.next() % 3 == 0 ? "(\(e)) ~ (\(expression(&g, depth: depth + 1)))" : e
    }

    @Test func absurdExpressionsNeverCrash() throws {
        var g = Generator(state: 18)
        let globals = airflowGlobals(.airflow2, params: ["n": 1_000_000_000])
        // Small output limits keep the run short; the values that reach them are still built and refused.
        var context = TemplateContext(globals: globals)
        context.limits.maxOutputBytes = 1 << 16
        context.limits.maxRange = 1000
        var rendered = 0, failed = 0
        var unlocated: [String] = []
        for _ in 0..<2000 {
            let source = "{{ \(Self.expression(&g)) }}"
            do {
                _ = try Template.parse(source, origin: .file("fuzz.sql")).render(context)
                rendered += 1
            } catch {
                failed += 1
                if error.diagnostic.location == nil { unlocated.append(source) }
            }
        }
        print("expression fuzz (seed 18): \(rendered + failed) expressions, \(rendered) rendered, \(failed) failed with a located error")
        #expect(unlocated.isEmpty, "errors without a location: \(unlocated.prefix(5))")
    }

    @Test func dsAddWithABillionDaysIsALocatedError() throws {
        let d = try #require(failure("{{ macros.ds_add(ds, params.n) }}", airflowGlobals(params: ["n": 1_000_000_000])))
        #expect(d.location?.line == 1)
        #expect(d.message.contains("too large") || d.message.contains("out of range"))
        let e = try #require(failure("{{ macros.ds_add(ds, params.n) }}", airflowGlobals(params: ["n": 3_000_000])))
        #expect(e.message.contains("date value out of range"))
    }
}

extension ExpressionFuzzTests {
    @Test func repeatingAnEmptyValueABillionTimesIsImmediate() throws {
        #expect(try render("{{ 1000000000 * [] }}|{{ '' * 1000000000 }}|{{ () * 1000000000 }}") == "[]||()")
    }
}
