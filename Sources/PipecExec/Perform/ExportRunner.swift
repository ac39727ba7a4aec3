import Foundation
import PipecDiagnostics
import PipecIO
import PipecModel
import PipecPlan

/// Writes a query's rows to object storage as CSV, TSV, JSON lines or Parquet (optionally gzip-compressed),
/// streaming: each object is written in chunks and appears only when complete. With `partition_by`, one object per
/// distinct value combination under Hive-style `column=value/` folders. Column types come from the database, so
/// Parquet columns and JSON values are typed.
struct ExportRunner {
    let context: ApplyContext
    let unit: String
    let cancel: CancellationFlag

    func export(_ step: ExportStep) throws -> (rows: Int, keys: [String]) {
        let engine = try context.resources.engine(step.query.resource)
        let store = try context.resources.store(step.target.resource)
        let progress = ExportProgress.make(log: context.log, unit: unit)
        defer { progress?.ended() }
        if let rows = try exportBytes(step, engine: engine, store: store, progress: progress) {
            context.log.line("  exported \(rows) row(s) to 1 object(s): \(store.describe(step.target.key))")
            return (rows, [step.target.key])
        }
        var writers: [String: ObjectWriter] = [:]
        var order: [String] = []
        var columns: [String] = []
        var types: [String] = []
        var partitionIndexes: [Int] = []
        var rows = 0
        // A failed export leaves no object behind: every object still being written is abandoned.
        var completed = false
        defer {
            if !completed { for key in order { writers[key]?.abort() } }
        }
        let streamed = try engine.streamTyped(step.query.sql, batchRows: 10_000, cancel: cancel) { described, batch in
            if columns.isEmpty {
                let names = described.map(\.name)
                columns = names
                types = described.map(\.type)
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
                    writers[key] = try ObjectWriter(store: store, key: key, layout: step.layout, columns: Self.visible(columns, step.partitionBy),
                                                    types: Self.visible(types.map { Optional($0) }, columns, step.partitionBy).map { $0 ?? "" },
                                                    progress: progress)
                    order.append(key)
                }
                try writers[key]!.write(Self.visible(row, columns, step.partitionBy))
                rows += 1
            }
            progress?.wrote(rows: batch.count)
        }
        if columns.isEmpty {
            columns = streamed.map(\.name)
            types = streamed.map(\.type)
        }
        if writers.isEmpty && step.partitionBy.isEmpty {
            // An empty result still produces the object (with its header), so downstream sees the interval ran.
            writers[step.target.key] = try ObjectWriter(store: store, key: step.target.key, layout: step.layout, columns: columns, types: types,
                                                        progress: progress)
            order.append(step.target.key)
        }
        for key in order { try writers[key]!.finish() }
        completed = true
        context.log.line("  exported \(rows) row(s) to \(order.count) object(s): \(order.map(store.describe).joined(separator: ", "))")
        return (rows, order)
    }

    /// CSV and TSV of one object straight from the database's text output (ClickHouse), without building rows; nil
    /// when the engine has no such path or the export is partitioned.
    private func exportBytes(_ step: ExportStep, engine: any SQLEngine, store: any ObjectStore, progress: ExportProgress?) throws -> Int? {
        guard step.partitionBy.isEmpty, step.layout.format == .csv || step.layout.format == .tsv else { return nil }
        let delimiter = step.layout.delimiter?.utf8.first ?? (step.layout.format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ","))
        var sink: (any ByteSink)?
        var done = false
        defer { if !done { sink?.abort() } }
        let rows = try engine.exportDelimited(step.query.sql, delimiter: delimiter, header: step.layout.header, cancel: cancel) { chunk in
            if sink == nil { sink = try ObjectWriter.openSink(store: store, key: step.target.key, layout: step.layout, progress: progress) }
            try sink!.write(chunk)
        }
        guard let rows else { return nil }
        if sink == nil { sink = try ObjectWriter.openSink(store: store, key: step.target.key, layout: step.layout, progress: progress) }
        try sink!.finish()
        done = true
        return rows
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

/// One object being written: formats rows and hands the store chunks of about 1 MiB (Parquet: row groups).
struct ObjectWriter {
    var sink: any ByteSink
    let layout: FileLayout
    let columns: [String]
    var csv: CSVWriter
    var json: [UInt8] = []
    let jsonKinds: [JSONKind]
    var parquet: ParquetWriter?

    /// How a JSON lines value is written, from the column's database type.
    enum JSONKind { case text, number, boolean, json }

    /// The object's sink with its content type; Parquet compresses its pages itself, the other formats are
    /// gzipped whole when the layout says so. With `progress`, the bytes handed to the store are counted.
    static func openSink(store: any ObjectStore, key: String, layout: FileLayout, progress: ExportProgress?) throws -> any ByteSink {
        let type: String
        switch layout.format {
        case .csv: type = "text/csv"
        case .tsv: type = "text/tab-separated-values"
        case .jsonl: type = "application/x-ndjson"
        case .parquet: type = "application/vnd.apache.parquet"
        }
        let gzipWhole = layout.compression == .gzip && layout.format != .parquet
        var sink = try store.writer(for: key, contentType: gzipWhole ? "application/gzip" : type)
        if let progress {
            progress.objectBegun()
            sink = MeteredSink(base: sink, progress: progress)
        }
        return gzipWhole ? try GzipSink(sink) : sink
    }

    init(store: any ObjectStore, key: String, layout: FileLayout, columns: [String], types: [String], progress: ExportProgress?) throws {
        sink = try Self.openSink(store: store, key: key, layout: layout, progress: progress)
        self.layout = layout
        self.columns = columns
        var format = layout.format == .tsv ? CSVFormat.tsv : CSVFormat.csv
        if let d = layout.delimiter?.utf8.first { format.delimiter = d }
        csv = CSVWriter(format: format)
        let padded = types + Array(repeating: "", count: max(0, columns.count - types.count))
        jsonKinds = padded.map(Self.jsonKind)
        switch layout.format {
        case .parquet:
            let schema = zip(columns, padded).map { ParquetColumn(name: $0.0, type: ParquetColumnType(databaseType: $0.1) ?? .string) }
            do {
                parquet = try ParquetWriter(sink, columns: schema, options: ParquetWriterOptions(compression: layout.compression == .gzip ? .gzip : .uncompressed))
            } catch {
                throw EngineError("\(store.describe(key)): \(error)")
            }
        case .jsonl: break
        default:
            if layout.header { csv.write(columns) }
        }
    }

    static func jsonKind(_ databaseType: String) -> JSONKind {
        let t = databaseType.lowercased()
        if t == "json" || t == "jsonb" { return .json }
        if t == "bool" || t == "boolean" { return .boolean }
        switch ParquetColumnType(databaseType: databaseType) {
        case .int32?, .int64?, .uint64?, .float?, .double?, .decimal?: return .number
        case .boolean?: return .boolean
        default: return .text
        }
    }

    mutating func write(_ row: [String?]) throws {
        switch layout.format {
        case .parquet:
            do { try parquet!.write(row) } catch let e as ParquetError { throw EngineError("\(e)") }
        case .jsonl:
            var line = "{"
            for (i, (name, value)) in zip(columns, row).enumerated() {
                if i > 0 { line += "," }
                line += JSONValue.quote(name) + ":" + Self.jsonValue(value, jsonKinds[i])
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

    /// Numbers and booleans unquoted and JSON columns as JSON, where the text really is one; text otherwise.
    static func jsonValue(_ value: String?, _ kind: JSONKind) -> String {
        guard let value else { return "null" }
        switch kind {
        case .number:
            if let d = Double(value), d.isFinite, value.first != "+", !value.contains("x") { return value }
        case .boolean:
            switch value.lowercased() {
            case "t", "true", "1": return "true"
            case "f", "false", "0": return "false"
            default: break
            }
        case .json:
            if (try? JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed])) != nil { return value }
        case .text: break
        }
        return JSONValue.quote(value)
    }

    mutating func abort() { sink.abort() }

    mutating func finish() throws {
        if let parquet {
            // The Parquet writer finishes the sink after its footer.
            try parquet.finish()
            return
        }
        if !json.isEmpty { try sink.write(json) }
        if csv.count > 0 { try sink.write(csv.take()) }
        try sink.finish()
    }
}
