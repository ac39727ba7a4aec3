import Foundation
import PipecDiagnostics
import Testing
@testable import PipecModel

@Suite struct LineageTests {
    /// A small shop: an external source, a for_each family of http loads, a built table and a view over it, an
    /// export, an sql task that reads and writes, a sensor, a check, a notify, and declared lineage of every sort.
    static let shop = """
    version: 1
    pipeline: shop
    resources:
      db: {kind: sqlite, path: .pipec/shop.sqlite}
      api: {kind: http, base_url: "https://api.example.com"}
      lake: {kind: s3, endpoint: "https://s3.example.com", region: us-east-1, bucket: lake}
      slack: {kind: webhook, url: "https://hooks.example.com/x"}
    groups:
      "feed_{item}":
        for_each: {customers: {file: clients}, products: {file: items}}
    tables:
      raw.orders:
        on: db
        external: true
        columns: {id: INTEGER, amount: REAL, day: DATE}
      "staging.{item}":
        for_each: [customers, products]
        on: db
        columns: {id: INTEGER, name: TEXT}
      daily_sales:
        on: db
        columns: {day: DATE, total: REAL}
        build:
          sql: "SELECT day, sum(amount) AS total FROM {{ source('raw.orders') }} GROUP BY 1"
          strategy: full
      sales_view:
        on: db
        kind: view
        sql: "SELECT * FROM {{ ref('daily_sales') }}"
        columns: {day: DATE, total: REAL}
    tasks:
      "fetch_{item}":
        group: "feed_{item}"
        kind: load
        from: {http: {on: api, path: "/v1/{{ item.file }}.csv", format: csv}}
        into: "staging.{item}"
        strategy: full
      export_sales:
        kind: export
        from: {table: daily_sales}
        to: {on: lake, key: "sales/dt={{ ds }}/part.csv", format: csv}
      dedupe:
        kind: sql
        on: db
        sql: "DELETE FROM staging.customers WHERE id IS NULL"
        reads: [staging.customers]
        writes: [staging.customers]
      wait_for_returns:
        kind: sensor
        object: {on: lake, key: "returns/{{ ds }}.csv"}
      sales_match:
        kind: check
        compare:
          left: {on: db, sql: "SELECT count(*) FROM {{ ref('daily_sales') }}"}
          right: {on: db, sql: "SELECT count(*) FROM {{ ref('sales_view') }}"}
      tell:
        kind: notify
        on: slack
        message: done
    lineage:
      - from: api:/v1/clients.csv
        to: staging.customers
      - from: legacy.orders
        to: raw.orders
      - from: daily_sales
        to: export_sales
      - from: lake:sales/dt={{ ds }}/part.csv
        to: s3://partner-bucket/inbox/sales.csv
    """

    static func lineage(_ text: String) throws -> LineageGraph {
        let loaded = Fixtures.load(text)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.all)")
        return LineageGraph(pipeline: try #require(loaded.valid))
    }

    static func edgeList(_ g: LineageGraph) -> [String] {
        g.edges.map { "\($0.from) -\($0.how.rawValue)-> \($0.to)" }
    }

    // MARK: contents

    @Test func nodesInDeclarationOrderWithKinds() throws {
        let g = try Self.lineage(Self.shop)
        #expect(g.pipeline == "shop")
        // Tables at their names; for_each copies in expansion order; each asset where it is first written; names
        // only the lineage: section mentions come last. The notify task moves no data and is left out.
        #expect(g.nodes.map(\.id) == [
            "raw.orders", "staging.customers", "staging.products", "daily_sales", "sales_view",
            "fetch_customers", "fetch_products", "api:/v1/clients.csv", "api:/v1/items.csv",
            "export_sales", "lake:sales/dt={{ ds }}/part.csv", "dedupe",
            "wait_for_returns", "lake:returns/{{ ds }}.csv", "sales_match",
            "legacy.orders", "s3://partner-bucket/inbox/sales.csv",
        ])
        #expect(g.node("raw.orders")?.kind == .externalTable)
        #expect(g.node("raw.orders")?.resource == "db")
        #expect(g.node("sales_view")?.kind == .table)
        #expect(g.node("sales_view")?.detail == "view")
        #expect(g.node("daily_sales")?.detail == nil)
        #expect(g.node("fetch_customers")?.kind == .task)
        #expect(g.node("fetch_customers")?.detail == "load")
        #expect(g.node("dedupe")?.resource == "db")
        #expect(g.node("sales_match")?.isCheck == true)
        #expect(g.node("tell") == nil)
        let asset = try #require(g.node("api:/v1/items.csv"))
        #expect(asset.kind == .asset)
        #expect(asset.resource == "api")
        #expect(asset.resourceKind == .http)
        #expect(g.node("legacy.orders")?.kind == .externalTable)
        #expect(g.node("legacy.orders")?.resource == nil)
        // `s3` is not a resource of this spec, so the asset belongs to none.
        #expect(g.node("s3://partner-bucket/inbox/sales.csv")?.kind == .asset)
        #expect(g.node("s3://partner-bucket/inbox/sales.csv")?.resource == nil)
    }

    @Test func derivedAndDeclaredEdgesMerge() throws {
        let g = try Self.lineage(Self.shop)
        #expect(Self.edgeList(g) == [
            "raw.orders -reads-> daily_sales",
            "staging.customers -reads-> dedupe",
            "daily_sales -reads-> sales_view",
            "daily_sales -reads-> export_sales",
            "daily_sales -reads-> sales_match",
            "sales_view -reads-> sales_match",
            "fetch_customers -writes-> staging.customers",
            "fetch_products -writes-> staging.products",
            // The declared http asset is the one the load derives (item.file substituted): one node, two edges.
            "api:/v1/clients.csv -declared-> staging.customers",
            "api:/v1/clients.csv -loads-> fetch_customers",
            "api:/v1/items.csv -loads-> fetch_products",
            "export_sales -exports-> lake:sales/dt={{ ds }}/part.csv",
            "lake:sales/dt={{ ds }}/part.csv -declared-> s3://partner-bucket/inbox/sales.csv",
            "dedupe -writes-> staging.customers",
            "lake:returns/{{ ds }}.csv -reads-> wait_for_returns",
            "legacy.orders -declared-> raw.orders",
        ])
        // `daily_sales -> export_sales` is declared and derived: the derived edge absorbs it.
        #expect(g.edges.filter { $0.from == "daily_sales" && $0.to == "export_sales" }.map(\.how) == [.reads])
    }

    @Test func declaredTaskWithoutDerivedEdgesBecomesANode() throws {
        let spec = Self.shop + "\n  - from: daily_sales\n    to: tell\n"
        let g = try Self.lineage(spec)
        #expect(g.node("tell")?.kind == .task)
        #expect(g.node("tell")?.resource == "slack")
        #expect(g.edges.contains(LineageEdge(from: "daily_sales", to: "tell", how: .declared)))
    }

    @Test func seedPipelinesMergeTheirDeclaredAssets() throws {
        let root = Fixtures.packageRoot.path
        let loaded = SpecLoader.load(path: root + "/specs/appmetrica.yaml", sources: SourceFiles())
        let g = LineageGraph(pipeline: try #require(loaded.valid))
        // Each report's sensor, load and declared entry name the same endpoint.
        let endpoint = "appmetrica:/logs/v1/export/events.csv"
        #expect(g.nodes.filter { $0.kind == .asset }.map(\.id) == [
            "appmetrica:/logs/v1/export/installations.csv", endpoint, "appmetrica:/logs/v1/export/sessions_starts.csv",
        ])
        #expect(Self.edgeList(g).filter { $0.hasPrefix(endpoint) } == [
            "\(endpoint) -reads-> wait_events",
            "\(endpoint) -loads-> fetch_events",
            "\(endpoint) -declared-> tmp.appmetrica_events",
        ])
    }

    // MARK: focus

    @Test func upstreamKeepsWhatATableDependsOn() throws {
        let g = try Self.lineage(Self.shop)
        let up = try #require(g.upstream(of: "sales_view"))
        #expect(up.nodes.map(\.id) == ["raw.orders", "daily_sales", "sales_view", "legacy.orders"])
        #expect(Self.edgeList(up) == [
            "raw.orders -reads-> daily_sales", "daily_sales -reads-> sales_view", "legacy.orders -declared-> raw.orders",
        ])
    }

    @Test func downstreamFollowsTasksAndAssets() throws {
        let g = try Self.lineage(Self.shop)
        let down = try #require(g.downstream(of: "daily_sales"))
        #expect(down.nodes.map(\.id) == [
            "daily_sales", "sales_view", "export_sales", "lake:sales/dt={{ ds }}/part.csv", "sales_match",
            "s3://partner-bucket/inbox/sales.csv",
        ])
        #expect(down.edges.count == 6)
        // An asset id works as the focus too.
        let fromAPI = try #require(g.downstream(of: "api:/v1/clients.csv"))
        #expect(fromAPI.nodes.map(\.id) == ["staging.customers", "fetch_customers", "api:/v1/clients.csv", "dedupe"])
    }

    @Test func focusOnACycleTerminatesAndUnknownNamesGiveNil() throws {
        let g = try Self.lineage(Self.shop)
        // dedupe reads and writes staging.customers: a two-node cycle.
        let up = try #require(g.upstream(of: "dedupe"))
        #expect(up.nodes.map(\.id) == ["staging.customers", "fetch_customers", "api:/v1/clients.csv", "dedupe"])
        #expect(g.upstream(of: "no_such_table") == nil)
        #expect(g.downstream(of: "tell") == nil)
    }

    // MARK: graph value

    @Test func graphDropsDanglingRepeatedAndSelfEdgesAndSortsEdges() {
        let g = LineageGraph(pipeline: "p", nodes: [
            LineageNode(id: "a", kind: .table, label: "a"),
            LineageNode(id: "b", kind: .table, label: "b"),
            LineageNode(id: "a", kind: .asset, label: "duplicate id"),
        ], edges: [
            LineageEdge(from: "b", to: "a", how: .reads),
            LineageEdge(from: "a", to: "b", how: .reads),
            LineageEdge(from: "a", to: "b", how: .declared),
            LineageEdge(from: "a", to: "a", how: .reads),
            LineageEdge(from: "a", to: "ghost", how: .reads),
        ])
        #expect(g.nodes.map(\.label) == ["a", "b"])
        #expect(g.edges == [LineageEdge(from: "a", to: "b", how: .reads), LineageEdge(from: "b", to: "a", how: .reads)])
    }

    @Test func assetIDsSubstituteOnlyItemValues() {
        let item = ForEachItem(key: "events", values: [("fields", .scalar("a,b", quoted: true)), ("list", .list([]))], index: 1)
        #expect(AssetID.make(resource: "api", text: "/x/{{ item.key }}.csv", item: item) == "api:/x/events.csv")
        #expect(AssetID.make(resource: "api", text: "/x/{{item.fields}}/{{- item.key -}}", item: item) == "api:/x/a,b/events")
        // Run-dependent expressions, non-scalar values and unknown names stay as written.
        #expect(AssetID.make(resource: "lake", text: "{{ ds }}/{{ item.list }}/{{ item.nope }}/{{ item.key | upper }}", item: item)
                == "lake:{{ ds }}/{{ item.list }}/{{ item.nope }}/{{ item.key | upper }}")
        #expect(AssetID.make(resource: "lake", text: "{{ item.key }}", item: nil) == "lake:{{ item.key }}")
        #expect(AssetID.make(resource: "lake", text: "open {{ item.key", item: item) == "lake:open {{ item.key")
    }

    // MARK: renderers

    /// Every kind of node and edge, a label that needs escaping, and a table named like a Mermaid keyword.
    static let tiny = LineageGraph(pipeline: "tiny", nodes: [
        LineageNode(id: "api:/v1/\"q\".csv #1", kind: .asset, label: "api:/v1/\"q\".csv #1", resource: "api", resourceKind: .http),
        LineageNode(id: "fetch", kind: .task, label: "fetch", taskKind: .load),
        LineageNode(id: "raw.orders", kind: .externalTable, label: "raw.orders", resource: "db", resourceKind: .sqlite),
        LineageNode(id: "end", kind: .table, label: "end", resource: "db", resourceKind: .sqlite, tableKind: .table),
        LineageNode(id: "audit", kind: .task, label: "audit", taskKind: .check),
    ], edges: [
        LineageEdge(from: "end", to: "audit", how: .reads),
        LineageEdge(from: "raw.orders", to: "end", how: .declared),
        LineageEdge(from: "fetch", to: "end", how: .writes),
        LineageEdge(from: "api:/v1/\"q\".csv #1", to: "fetch", how: .loads),
    ])

    @Test func mermaidOutput() {
        #expect(LineageMermaid.render(Self.tiny) == """
        flowchart LR
          asset_1(["api:/v1/#quot;q#quot;.csv #35;1"])
          task_fetch("fetch<br/>(load)")
          ext_raw_orders[("raw.orders")]
          tbl_end["end"]
          task_audit("audit<br/>(check)")
          asset_1 --> task_fetch
          task_fetch --> tbl_end
          ext_raw_orders -. declared .-> tbl_end
          tbl_end --> task_audit
          classDef tableNode fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a
          class tbl_end tableNode
          classDef externalNode fill:#f1f5f9,stroke:#475569,color:#0f172a
          class ext_raw_orders externalNode
          classDef assetNode fill:#fef3c7,stroke:#b45309,color:#78350f
          class asset_1 assetNode
          classDef taskNode fill:#dcfce7,stroke:#15803d,color:#14532d
          class task_fetch taskNode
          classDef checkNode fill:#ede9fe,stroke:#6d28d9,color:#4c1d95
          class task_audit checkNode
          linkStyle 3 stroke:#cbd5e1

        """)
    }

    @Test func mermaidIDsStayUniqueAndLabelsEscaped() {
        let g = LineageGraph(pipeline: "p", nodes: [
            LineageNode(id: "a.b", kind: .table, label: "a.b"),
            LineageNode(id: "a_b", kind: .table, label: "a_b"),
            LineageNode(id: "x", kind: .table, label: "<b>&`\nnext"),
        ], edges: [])
        #expect(LineageMermaid.render(g).split(separator: "\n").prefix(4) == [
            "flowchart LR", "  tbl_a_b[\"a.b\"]", "  tbl_a_b_2[\"a_b\"]", "  tbl_x[\"#lt;b#gt;#amp;#96; next\"]",
        ])
    }

    @Test func dotOutput() {
        #expect(LineageDOT.render(Self.tiny) == #"""
        digraph "tiny" {
          graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.35, ranksep=0.8, newrank=true];
          node [fontname="Helvetica", fontsize=10, style=filled, penwidth=1.2, margin="0.15,0.06"];
          edge [color="#64748b", arrowsize=0.7, penwidth=1.1, fontname="Helvetica"];

          subgraph "cluster_api" {
            graph [label="api (http)", style="rounded,dashed", color="#94a3b8", fontcolor="#334155", margin=12];
            "api:/v1/\"q\".csv #1" [label="/v1/\"q\".csv #1", shape=note, fillcolor="#fef3c7", color="#b45309"];
          }

          subgraph "cluster_db" {
            graph [label="db (sqlite)", style="rounded,dashed", color="#94a3b8", fontcolor="#334155", margin=12];
            "raw.orders" [label="raw.orders", shape=cylinder, fillcolor="#f1f5f9", color="#475569"];
            "end" [label="end", shape=box, fillcolor="#dbeafe", color="#1d4ed8"];
          }

          "fetch" [label="fetch\n(load)", shape=box, style="rounded,filled", fillcolor="#dcfce7", color="#15803d"];
          "audit" [label="audit\n(check)", shape=box, style="rounded,filled", fillcolor="#ede9fe", color="#6d28d9"];

          "api:/v1/\"q\".csv #1" -> "fetch";
          "fetch" -> "end";
          "raw.orders" -> "end" [style=dashed, label="declared", fontsize=9, fontcolor="#64748b"];
          "end" -> "audit" [color="#cbd5e1"];
        }

        """#)
    }

    @Test func dotQuotesBackslashesAndLineBreaks() {
        #expect(LineageDOT.quote("a\\b\"c\nd") == #""a\\b\"c\nd""#)
    }

    @Test func jsonOutput() {
        #expect(LineageJSON.render(Self.tiny.subgraph(keeping: ["fetch", "end"])) == """
        {
          "pipeline": "tiny",
          "nodes": [
            {
              "id": "fetch",
              "kind": "task",
              "label": "fetch",
              "resource": null,
              "resource_kind": null,
              "task_kind": "load",
              "table_kind": null
            },
            {
              "id": "end",
              "kind": "table",
              "label": "end",
              "resource": "db",
              "resource_kind": "sqlite",
              "task_kind": null,
              "table_kind": "table"
            }
          ],
          "edges": [
            {
              "from": "fetch",
              "to": "end",
              "how": "writes"
            }
          ]
        }

        """)
    }
}
