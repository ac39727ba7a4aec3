import PipecDiagnostics
import Testing
@testable import PipecModel

/// Each edge of the graph says whether the unit needs the upstream's data or only waits for it to end.
@Suite struct DependencyKindTests {
    static let spec = """
        version: 1
        pipeline: kinds
        resources:
          db: {kind: sqlite, path: kinds.sqlite}
          api: {kind: http, base_url: "http://127.0.0.1:1"}
        groups:
          first: {}
          second: {after: [first]}
          "copy_{item}": {for_each: [a, b], sequential: true}
        tables:
          raw: {on: db, columns: {x: INTEGER}, group: first}
          clean:
            on: db
            columns: {x: INTEGER}
            build: {sql: "SELECT x FROM {{ ref('raw') }}", strategy: full}
            group: second
          both:
            on: db
            columns: {x: INTEGER}
            build: {sql: "SELECT x FROM {{ ref('clean') }}", strategy: full}
            after: [clean]
        tasks:
          fill: {kind: sql, on: db, sql: "INSERT INTO raw VALUES (1)", writes: [raw], group: first}
          audit: {kind: sql, on: db, sql: "SELECT 1", reads: [clean], after: [fill]}
          wait: {kind: sensor, sql: {on: db, query: "SELECT 1"}}
          use_wait: {kind: sql, on: db, sql: "SELECT {{ tasks.wait.rows }}", after: [wait]}
          later: {kind: sql, on: db, sql: "SELECT 1", after: [wait]}
          "step_{item}": {kind: sql, on: db, sql: "SELECT 1", group: "copy_{item}"}
        """

    func kinds(_ unit: UnitID) throws -> [String: DependencyKind] {
        let loaded = Fixtures.load(Self.spec)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.message))")
        let pipeline = try #require(loaded.pipeline)
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(pipeline, diagnostics: &diagnostics)
        return Dictionary(uniqueKeysWithValues: (graph.upstream[unit] ?? []).map { ($0.upstream.name, $0.kind) })
    }

    @Test func refsReadsAndTargetsAreData() throws {
        #expect(try kinds(.table("clean")) == ["fill": .data])
        #expect(try kinds(.task("audit")) == ["clean": .data, "fill": .ordering])
    }

    @Test func afterGroupOrderAndSequentialAreOrdering() throws {
        #expect(try kinds(.task("step_b")) == ["step_a": .ordering])
        #expect(try kinds(.table("clean"))["fill"] == .data, "group order gives no edge where data flows already")
    }

    /// `after:` naming a gate (a sensor, a task with `when:`) carries its skip: what runs after a sensor needs what
    /// the sensor waited for (docs/spec-language.md, the edge table).
    @Test func afterAGateIsData() throws {
        #expect(try kinds(.task("later")) == ["wait": .data])
    }

    @Test func readingAndOrderingMakeOneDataEdge() throws {
        #expect(try kinds(.table("both")) == ["clean": .data])
        // after: a task whose outputs the unit reads: it needs that task's work.
        #expect(try kinds(.task("use_wait")) == ["wait": .data])
    }
}
