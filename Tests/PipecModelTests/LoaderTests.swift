import Foundation
import PipecDiagnostics
import Testing
@testable import PipecModel
import PipecSyntax
import PipecTemplate

@Suite struct LoaderTests {
    static let small = """
    version: 1
    pipeline: shop
    schedule: {cron: "0 3 * * *", start: 2025-01-01, timezone: Europe/Amsterdam}
    defaults: {retries: 2, retry_delay: 5m}
    pools: {db: 2}
    params: {country: NO, limit: 10}
    resources:
      local: {kind: sqlite, path: .pipec/shop.sqlite}
      slack: {kind: webhook, url: "${env:SLACK_WEBHOOK_URL}"}
    alerts: {on_failure: [slack]}
    tables:
      raw.orders:
        on: local
        external: true
        columns: {id: INTEGER, amount: REAL, ordered_at: TIMESTAMP}
      daily_sales:
        on: local
        columns: {day: DATE, total: REAL}
        build:
          sql: "SELECT date(ordered_at) AS day, sum(amount) AS total FROM {{ source('raw.orders') }} GROUP BY 1"
          strategy: replace_interval
          interval_column: day
        checks:
          - not_null: [day]
          - {row_count: {min: 1}, severity: warn}
    tasks:
      tell:
        kind: notify
        on: slack
        after: [daily_sales]
        pool: db
        message: "sales for {{ ds }} are in"
    """

    @Test func typedModel() throws {
        let loaded = Fixtures.load(Self.small)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.all)")
        let p = try #require(loaded.valid)
        #expect(p.name.value == "shop")
        #expect(p.params.first { $0.key == "country" }?.value == .scalar("NO", quoted: false))
        #expect(p.defaults.retries == 2)
        #expect(p.defaults.retryDelayMilliseconds == 300_000)
        let table = try #require(p.table("daily_sales"))
        #expect(table.build?.strategy.value == .replaceInterval)
        #expect(table.checks.count == 2)
        #expect(table.checks[1].severity == .warn)
        #expect(p.resource("slack")?["url"]?.referencesEnvironment == true)
        #expect(p.schedule?.schedule.zone.identifier == "Europe/Amsterdam")
        #expect(p.task("tell")?.policy.pool?.value == "db")
    }

    @Test func jsonAndYamlGiveTheSameModel() throws {
        let json = """
        {"version": 1, "pipeline": "shop",
         "resources": {"local": {"kind": "sqlite", "path": "x.db"}},
         "tables": {"t": {"on": "local", "columns": {"id": "INTEGER", "at": "DATE"},
                          "build": {"sql": "SELECT 1 AS id, date('now') AS at", "strategy": "replace_interval", "interval_column": "at"}}}}
        """
        let yaml = """
        version: 1
        pipeline: shop
        resources:
          local: {kind: sqlite, path: x.db}
        tables:
          t:
            on: local
            columns: {id: INTEGER, at: DATE}
            build: {sql: "SELECT 1 AS id, date('now') AS at", strategy: replace_interval, interval_column: at}
        """
        let a = try #require(Fixtures.load(json, path: "specs/a.json").valid)
        let b = try #require(Fixtures.load(yaml, path: "specs/a.yaml").valid)
        #expect(a.tables == b.tables)
        #expect(a.resources == b.resources)
        #expect(a.name == b.name)
    }

    @Test func forEachExpandsGroupsAndMembers() throws {
        let text = """
        version: 1
        pipeline: reports
        resources:
          api: {kind: http, base_url: "https://api.example.com"}
          local: {kind: sqlite, path: x.db}
        groups:
          "report_{item}":
            for_each: {installations: {fields: "a,b"}, events: {fields: "c"}}
            sequential: true
        tables:
          "tmp_{item}": {on: local, staging: true, group: "report_{item}", columns: {a: TEXT}}
        tasks:
          "fetch_{item}":
            group: "report_{item}"
            kind: load
            from: {http: {on: api, path: "/logs/{{ item.key }}.csv", query: {fields: "{{ item.fields }}"}, format: csv}}
            into: "tmp_{item}"
            strategy: append
        """
        let loaded = Fixtures.load(text)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.all)")
        let p = try #require(loaded.valid)
        #expect(p.groups.map(\.name.value) == ["report_installations", "report_events"])
        #expect(p.tasks.map(\.name.value) == ["fetch_installations", "fetch_events"])
        #expect(p.tasks[1].item?.key == "events")
        if case .load(let l) = p.tasks[1].body { #expect(l.into.value == "tmp_events") } else { Issue.record("not a load") }
        // Sequential: the second copy's members run after the first copy's.
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(p, diagnostics: &diagnostics)
        #expect(graph.ancestors(of: .task("fetch_events")).contains(.task("fetch_installations")))
    }

    /// Issue 17.1: each edge says whether it carries data or only orders. In the AppMetrica spec the fetch uses the
    /// sensor's output and the DWH build reads staging (data); the next report's group waits on the previous one
    /// (ordering).
    @Test func edgesAreDataOrOrdering() throws {
        let url = Fixtures.packageRoot.appendingPathComponent("specs/appmetrica.yaml")
        let loaded = SpecLoader.load(text: try String(contentsOf: url, encoding: .utf8), path: url.path, projectRoot: Fixtures.packageRoot.path,
                                     sources: SourceFiles())
        let p = try #require(loaded.valid)
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(p, diagnostics: &diagnostics)
        func kinds(_ unit: UnitID) -> [String] { (graph.upstream[unit] ?? []).map { "\($0.upstream.name) \($0.kind.rawValue)" } }
        #expect(kinds(.task("fetch_installations")) == ["wait_installations data"])
        #expect(kinds(.table("dwh.appmetrica_installations")) == ["fetch_installations data"])
        #expect(kinds(.task("wait_events")).sorted() == ["dwh.appmetrica_installations ordering", "fetch_installations ordering", "wait_installations ordering"])
        #expect(kinds(.task("fetch_events")).first == "wait_events data")
    }

    @Test func graphStagesAndCycles() throws {
        let text = """
        version: 1
        pipeline: g
        resources: {local: {kind: sqlite, path: x.db}}
        tables:
          a: {on: local, columns: {x: INTEGER}, build: {sql: "SELECT 1 AS x"}}
          b: {on: local, columns: {x: INTEGER}, build: {sql: "SELECT x FROM {{ ref('a') }}"}}
          c: {on: local, columns: {x: INTEGER}, build: {sql: "SELECT x FROM {{ ref('a') }}"}}
          d: {on: local, columns: {x: INTEGER}, build: {sql: "SELECT x FROM {{ ref('b') }} JOIN {{ ref('c') }} USING (x)"}}
        """
        let p = try #require(Fixtures.load(text).valid)
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(p, diagnostics: &diagnostics)
        #expect(graph.stages() == [[.table("a")], [.table("b"), .table("c")], [.table("d")]])
        #expect(graph.cycles().isEmpty)
    }

    @Test func tablesSharingATemplateFileAreEachCheckedAgainstIt() throws {
        // The file is parsed once for all its users, each still renders it in its own context, and an error in the
        // file is reported once, in the file.
        let text = """
        version: 1
        pipeline: g
        resources: {pg: {kind: postgres, dsn: "${env:PG}"}, lite: {kind: sqlite, path: x.db}}
        tables:
          a: {on: pg, columns: {x: integer}, build: {sql: shared.sql}}
          b: {on: lite, columns: {x: INTEGER}, build: {sql: shared.sql}}
          c: {on: lite, columns: {x: INTEGER}, build: {sql: broken.sql}}
          d: {on: lite, columns: {x: INTEGER}, build: {sql: broken.sql}}
        """
        let files = ["t/templates/shared.sql": "SELECT '{{ ds }}' AS x\n", "t/templates/broken.sql": "SELECT {{ nope }} AS x\n"]
        let loaded = SpecLoader.load(text: text, path: "t/spec.yaml", projectRoot: "t", sources: SourceFiles(), readFile: { files[$0] })
        let problems = loaded.diagnostics.sorted()
        #expect(problems.map(\.code) == ["E502"])
        #expect(problems.first?.location?.file == "t/templates/broken.sql")
    }

    @Test func secretsAreFlaggedWhenLiteral() throws {
        let text = """
        version: 1
        pipeline: s
        resources:
          a: {kind: clickhouse, url: "http://h:8123", password: "${env:CH_PASSWORD:-}"}
          b: {kind: clickhouse, url: "http://h:8123", password: plain}
          c: {kind: postgres, dsn: "postgres://u:${env:PW}@h/db"}
          d: {kind: postgres, dsn: "postgres://u:pw@h/db"}
        """
        let loaded = Fixtures.load(text)
        let warnings = loaded.diagnostics.all.filter { $0.code == "W701" }
        #expect(warnings.map { $0.location?.line } == [5, 7])
        let p = try #require(loaded.pipeline)
        #expect(p.resource("b")?["password"]?.display == "***")
        #expect(p.resource("a")?["url"]?.display == "http://h:8123")
    }

    @Test func everyShippedSpecValidates() throws {
        let specs = Fixtures.specs()
        #expect(specs.count >= 5)
        for url in specs {
            let sources = SourceFiles()
            let loaded = SpecLoader.load(path: url.path, sources: sources)
            let rendered = DiagnosticRenderer(sources: sources).render(loaded.diagnostics.sorted())
            #expect(loaded.diagnostics.isEmpty, "\(url.lastPathComponent):\n\(rendered)")
        }
    }
}

@Suite struct TemplatePreparseTests {
    /// A spec large enough to be read on two threads, whose templates are then parsed while it is read: with
    /// template problems near its end, in an alias, and in for_each copies (whose text differs from what was read).
    static func largeSpec() -> String {
        var yaml = """
        version: 1
        pipeline: big
        schedule: {cron: "0 3 * * *", start: 2025-01-01}
        resources:
          db: {kind: sqlite, path: x.sqlite}
        tables:
          raw.events:
            on: db
            external: true
            columns: {id: INTEGER, at: TIMESTAMP}
          shared_{item}:
            for_each: [a, b]
            on: db
            columns: {id: INTEGER}
            build: {sql: "SELECT {{ nope_{item} }} AS id"}

        """
        for i in 0..<1_500 {
            yaml += """
              t\(i):
                on: db
                description: padding table \(i) so the file is read by libyaml on a thread of its own
                columns: {id: INTEGER, at: TIMESTAMP}
                build:
                  sql: |
                    SELECT id, at FROM {{ source('raw.events') }}
                    WHERE {{ interval_filter('at') }} AND at >= '{{ macros.ds_add(ds, -\(i % 7)) }}'

            """
        }
        yaml += """
          broken:
            on: db
            columns: {id: INTEGER}
            build:
              sql: |
                SELECT id FROM {{ ref('t1') }}
                {% if params.region %}
          undefined:
            on: db
            columns: {id: INTEGER}
            build: {sql: "SELECT {{ not_a_macro(ds) }} AS id"}

        """
        return yaml
    }

    @Test func parsingTemplatesWhileReadingChangesNoDiagnostic() throws {
        let text = Self.largeSpec()
        #expect(text.utf8.count > 300_000)
        var off = LoadOptions()
        off.parseTemplatesWhileReading = false
        let with = SpecLoader.load(text: text, path: "big.yaml", projectRoot: ".", sources: SourceFiles())
        let without = SpecLoader.load(text: text, path: "big.yaml", projectRoot: ".", sources: SourceFiles(), options: off)
        #expect(with.diagnostics.all == without.diagnostics.all)
        let codes = with.diagnostics.all.map(\.code)
        #expect(codes.contains("E501"))
        #expect(codes.count >= 3, "the syntax error, the unknown function and the for_each copies' undefined names: \(codes)")
        #expect(with.pipeline?.tables.count == 1_505)
    }

    @Test func templatesParsedWhileReadingAreTheOnesTheChecksUse() throws {
        // Whether the builder finds time to parse depends on the machine; here every noted template is parsed.
        let text = Self.largeSpec()
        let preparse = TemplatePreparse(file: "big.yaml")
        _ = YAMLParser.parse(SourceFile(path: "big.yaml", text: text), sideWork: preparse)
        while preparse.step() {}
        let pipeline = try #require(SpecLoader.load(text: text, path: "big.yaml", projectRoot: ".", sources: SourceFiles()).pipeline)
        let sql = try #require(pipeline.tables.first { $0.name.value == "t42" }?.build?.sql)
        let origin = TemplateOrigin(file: sql.origin.file, line: sql.origin.line, column: sql.origin.column, indent: sql.origin.indent)
        #expect(preparse.take(sql.text + " ", origin: origin) == nil, "another text at the same place is not taken")
        #expect(preparse.take(sql.text, origin: origin) != nil)
        #expect(preparse.take(sql.text, origin: origin) == nil, "a parse is handed over once")
        let withParses = TemplateChecker(pipeline: pipeline, preparsed: preparse).run()
        let fresh = TemplateChecker(pipeline: pipeline).run()
        #expect(withParses == fresh)
        #expect(withParses.contains { $0.code == "E501" })
    }
}

