/// Generates a synthetic spec of `tables` tables in layers of `layerWidth`: every table past the first layer reads
/// two tables of the layer before it through `ref()`, with templated SQL, a strategy and checks — the shape of a
/// large real warehouse, for compile and validate benchmarks.
enum SpecGenerator {
    static func spec(tables: Int, layerWidth: Int = 100, variant: Int = 0) -> String {
        var out = """
        version: 1
        pipeline: generated
        schedule: {cron: "0 3 * * *", start: 2025-01-01}
        defaults: {retries: 2, retry_delay: 1m, timeout: 30m}
        resources:
          warehouse: {kind: clickhouse, url: "${env:CLICKHOUSE_URL:-http://127.0.0.1:8123}", password: "${env:CLICKHOUSE_PASSWORD:-}"}
        tables:
          raw.events:
            on: warehouse
            external: true
            columns: {id: UInt64, user_id: UInt32, value: Float64, event_time: DateTime}

        """
        for i in 0..<tables {
            let layer = i / layerWidth
            let name = "l\(layer).t\(i)"
            let source: String
            if layer == 0 {
                source = "{{ source('raw.events') }}"
            } else {
                let a = (layer - 1) * layerWidth + (i * 7) % layerWidth
                let b = (layer - 1) * layerWidth + (i * 13 + 1) % layerWidth
                source = "{{ ref('l\(layer - 1).t\(a)') }} AS a JOIN {{ ref('l\(layer - 1).t\(b)') }} AS b USING (id)"
            }
            let extra = variant != 0 && i % 97 == 0 ? "\n      note: String" : ""
            out += """
              \(name):
                on: warehouse
                description: generated table \(i)
                columns:
                  id: UInt64
                  user_id: UInt32
                  value: Float64
                  event_time: DateTime\(extra)
                engine: MergeTree
                partition_by: toYYYYMM(event_time)
                order_by: [event_time, id]
                build:
                  sql: |
                    SELECT id, user_id, value * \(i % 10 + 1) AS value, event_time
                    FROM \(source)
                    WHERE {{ interval_filter('event_time') }}
                      AND event_time >= toDateTime('{{ macros.ds_add(ds, -1) }} 00:00:00')
                  strategy: replace_interval
                  interval_column: event_time
                checks:
                  - not_null: [id, event_time]
                  - {row_count: {min: 1}, severity: warn}

            """
        }
        return out
    }
}
