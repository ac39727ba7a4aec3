import Foundation
import PipecDiagnostics
import PipecIO
import PipecModel
import PipecPlan

/// Writes a query's rows to object storage as CSV, TSV or JSON lines, streaming: each object is written in
/// chunks and appears only when complete. With `partition_by`, one object per distinct value combination under
/// Hive-style `column=value/` folders.
struct ExportRunner {
    let context: ApplyContext
    let cancel: CancellationFlag

    func export(_ step: ExportStep) throws -> (rows: Int, keys: [String]) {
        let engine = try context.resources.engine(step.query.resource)
        let store = try context.resources.store(step.target.resource)
        guard step.layout.format != .parquet else {
            throw EngineError("writing parquet is not supported by this pipec build (\(step.target.key)); use csv, tsv or jsonl")
        }
        var writers: [String: ObjectWriter] = [:]
        var order: [String] = []
        var columns: [String] = []
        var partitionIndexes: [Int] = []
        var rows = 0
        // A failed export leaves no object behind: every object still being written is abandoned.
        var completed = false
        defer {
            if !completed { for key in order { writers[key]?.abort() } }
        }
        let streamed = try engine.stream(step.query.sql, batchRows: 10_000, cancel: cancel) { names, batch in
            if columns.isEmpty {
                columns = names
                partitionIndexes = step.partitionBy.compactMap { names.firstIndex(of: $0) }
                if partitionIndexes.count != step.partitionBy.count {
                    throw EngineError("partition_by names \(step.partitionBy.joined(separator: ", ")), but the export's columns are \(names.joined(separator: ", "))")
                }
            }
            for row in batch {
                let key: String
                if step.partitionBy.isEmpty {
                    key = step.target.key
                } else {
                    let folder = partitionIndexes.map { "\(columns[$0])=\(row[$0] ?? "__null__")" }.joined(separator: "/")
                    key = Self.partitioned(step.target.key, folder)
                }
                if writers[key] == nil {
                    writers[key] = try ObjectWriter(store: store, key: key, layout: step.layout, columns: Self.visible(columns, step.partitionBy))
                    order.append(key)
                }
                try writers[key]!.write(Self.visible(row, columns, step.partitionBy))
                rows += 1
            }
        }
        if columns.isEmpty { columns = streamed }
        if writers.isEmpty && step.partitionBy.isEmpty {
            // An empty result still produces the object (with its header), so downstream sees the interval ran.
            writers[step.target.key] = try ObjectWriter(store: store, key: step.target.key, layout: step.layout, columns: columns)
            order.append(step.target.key)
        }
        for key in order { try writers[key]!.finish() }
        completed = true
        context.log.line("  exported \(rows) row(s) to \(order.count) object(s): \(order.map(store.describe).joined(separator: ", "))")
        return (rows, order)
    }

    /// `a/b/part.csv` with folder `dt=2025-01-01` → `a/b/dt=2025-01-01/part.csv`.
    static func partitioned(_ key: String, _ folder: String) -> String {
        guard let slash = key.lastIndex(of: "/") else { return folder + "/" + key }
        return key[..<slash] + "/" + folder + key[slash...]
    }

    static func visible(_ columns: [String], _ partitionBy: [String]) -> [String] {
        columns.filter { !partitionBy.contains($0) }
    }

    static func visible(_ row: [String?], _ columns: [String], _ partitionBy: [String]) -> [String?] {
        zip(row, columns).filter { !partitionBy.contains($0.1) }.map(\.0)
    }
}

/// One object being written: formats rows and hands the store chunks of about 1 MiB.
struct ObjectWriter {
    var sink: any ByteSink
    let layout: FileLayout
    let columns: [String]
    var csv: CSVWriter
    var json: [UInt8] = []

    init(store: any ObjectStore, key: String, layout: FileLayout, columns: [String]) throws {
        let type: String
        switch layout.format {
        case .csv: type = "text/csv"
        case .tsv: type = "text/tab-separated-values"
        case .jsonl: type = "application/x-ndjson"
        case .parquet: type = "application/vnd.apache.parquet"
        }
        sink = try store.writer(for: key, contentType: layout.compression == .gzip ? "application/gzip" : type)
        if layout.compression == .gzip { sink = try GzipSink(sink) }
        self.layout = layout
        self.columns = columns
        var format = layout.format == .tsv ? CSVFormat.tsv : CSVFormat.csv
        if let d = layout.delimiter?.utf8.first { format.delimiter = d }
        csv = CSVWriter(format: format)
        if layout.header && layout.format != .jsonl { csv.write(columns) }
    }

    mutating func write(_ row: [String?]) throws {
        switch layout.format {
        case .jsonl:
            var line = "{"
            for (i, (name, value)) in zip(columns, row).enumerated() {
                if i > 0 { line += "," }
                line += JSONValue.quote(name) + ":" + (value.map(JSONValue.quote) ?? "null")
            }
            json += Array((line + "}\n").utf8)
            if json.count >= 1 << 20 {
                try sink.write(json)
                json.removeAll(keepingCapacity: true)
            }
        default:
            csv.write(row)
            if csv.count >= 1 << 20 { try sink.write(csv.take()) }
        }
    }

    mutating func abort() { sink.abort() }

    mutating func finish() throws {
        if !json.isEmpty { try sink.write(json) }
        if csv.count > 0 { try sink.write(csv.take()) }
        try sink.finish()
    }
}

