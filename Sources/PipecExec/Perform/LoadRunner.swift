import Foundation
import PipecHTTP
import PipecIO
import PipecModel
import PipecPlan
import PipecSchedule
import PipecTemplate

/// Streams a load's source into its staging table in chunks of `chunk_rows`, in constant memory. Rows that do not
/// fit the columns are handled by `on_bad_rows`: fail (naming the line), quarantine (raw text and reason into
/// `<table>__quarantine`), or skip and count.
struct LoadRunner {
    let context: ApplyContext
    let run: Int
    let unit: String
    let cancel: CancellationFlag

    /// The response headers of an http source (the task's `headers` output).
    private(set) var headers: TemplateValue = .dict([])

    mutating func load(_ step: LoadStep) throws -> Int {
        defer { context.log.loadProgress(unit, nil) }
        let engine = try context.resources.engine(step.resource)
        switch step.source {
        case .query(let q):
            let source = try context.resources.engine(q.resource)
            // Read and write run on different engines: stream through a bounded hand-off so neither holds
            // more than a chunk.
            if source === engine {
                throw EngineError("a load reading and writing the same resource '\(q.resource)' should be a build; use a table build instead")
            }
            let pipe = RowPipe(capacity: 2)
            let log = context.log, unit = unit
            let columns = step.columns, resourceName = q.resource
            let reader = Thread { [cancel] in
                do {
                    var rows = 0
                    // Columns are matched by name, never by position: a query whose column was renamed fails naming
                    // it (nothing reaches the table), and one whose columns were reordered still loads each in place.
                    var mapping: [Int]?
                    func map(_ names: [String]) throws -> [Int] {
                        if let mapping { return mapping }
                        let lowered = names.map { $0.lowercased() }
                        let found = columns.map { c in names.firstIndex(of: c) ?? lowered.firstIndex(of: c.lowercased()) }
                        let missing = zip(columns, found).filter { $0.1 == nil }.map { "'\($0.0)'" }
                        if !missing.isEmpty {
                            throw EngineError("the query on \(resourceName) returns no column \(missing.joined(separator: ", ")) (it returns \(names.joined(separator: ", "))); "
                                              + "a load matches columns by name")
                        }
                        let m = found.map { $0! }
                        mapping = m
                        return m
                    }
                    let names = try source.stream(q.sql, batchRows: step.chunkRows, cancel: cancel) { names, batch in
                        let m = try map(names)
                        rows += batch.count
                        if log.showsProgress { log.loadProgress(unit, "\(rows) rows") }
                        pipe.put(m == Array(m.indices) && m.count == (batch.first?.count ?? m.count) ? batch : batch.map { row in m.map { row[$0] } })
                    }
                    _ = try map(names)
                    pipe.finish(nil)
                } catch {
                    pipe.finish(error)
                }
            }
            reader.start()
            // Rows a query returns are checked like a file's: one outside the interval is a bad row.
            let check = LoadValueCheck(step)
            var bad: [(line: Int, reason: String, raw: String)] = []
            var skipped = 0, seen = 0
            let origin = "query on \(q.resource)"
            let written = try engine.insert(into: step.table, columns: step.columns, cancel: cancel) { () -> [[String?]]? in
                while let batch = try pipe.take() {
                    if check.checksNothing { return batch }
                    var kept: [[String?]] = []
                    kept.reserveCapacity(batch.count)
                    for row in batch {
                        seen += 1
                        guard let problem = check.problem(row) else {
                            kept.append(row)
                            continue
                        }
                        let reason = "row \(seen): \(problem)"
                        switch step.onBadRows {
                        case .fail: throw EngineError("\(origin): \(reason)")
                        case .quarantine: bad.append((seen, reason, row.map { $0 ?? "" }.joined(separator: ",")))
                        case .skipWithCount: skipped += 1
                        }
                    }
                    if !kept.isEmpty { return kept }
                }
                return nil
            }
            try settleBadRows(bad, skipped: skipped, origin: origin, step: step, engine: engine)
            return written
        case .object(let address, let layout):
            let store = try context.resources.store(address.resource)
            let reader = try store.reader(for: address.key)
            return try loadBytes(reader, layout: layout, origin: store.describe(address.key), step: step, engine: engine)
        case .http(let call, let layout, let ready):
            let calls = HTTPCalls(context: context, run: run, unit: unit, cancel: cancel)
            let (stream, head) = try calls.waitUntilReady(call, untilStatus: ready.untilStatus, untilHeader: ready.untilHeader,
                                                          pollMilliseconds: ready.pollMilliseconds)
            defer { stream.close() }
            headers = HTTPCalls.headers(head)
            return try loadBytes(HTTPBodySource(stream), layout: layout, origin: HTTPCalls.redacted("\(call.resource):\(call.path)"), step: step, engine: engine)
        }
    }

    /// Loads a byte stream in the layout's format, decompressing it first when the layout says so.
    private func loadBytes(_ source: any ByteSource, layout: FileLayout, origin: String, step: LoadStep, engine: any SQLEngine) throws -> Int {
        var reader = source
        guard layout.format != .parquet else {
            throw EngineError("loading parquet is not supported (\(origin)); load csv, tsv or jsonl")
        }
        switch layout.compression {
        case .none: break
        case .gzip: reader = try GunzipSource(reader)
        }
        if context.log.showsProgress { reader = ProgressSource(base: reader, log: context.log, unit: unit) }
        do {
            if layout.format == .jsonl { return try loadJSONLines(reader, origin: origin, step: step, engine: engine) }
            if let rows = try copyStraight(&reader, layout: layout, origin: origin, step: step, engine: engine) { return rows }
            return try loadDelimited(reader, layout: layout, origin: origin, step: step, engine: engine)
        } catch let e as ObjectStoreError {
            if case .unreachable = e { throw EngineError("\(origin): \(e)", unreachable: true) }
            throw EngineError("\(origin): \(e)")
        } catch let e as HTTPError {
            throw EngineError("\(origin): \(e)", unreachable: e.isUnreachable)
        }
    }

    /// The fast path: when the database bulk-loads CSV itself (PostgreSQL's COPY), the file has a header naming
    /// only columns of the table, and bad rows fail the load anyway, the bytes go to the database unparsed — the
    /// speed of `psql \copy`. Returns nil (having consumed nothing the slow path needs) when it does not apply.
    private func copyStraight(_ reader: inout any ByteSource, layout: FileLayout, origin: String, step: LoadStep,
                              engine: any SQLEngine) throws -> Int? {
        guard layout.header, step.onBadRows == .fail, engine.dialect == .postgres || engine.dialect == .clickhouse else { return nil }
        let delimiter = layout.delimiter?.utf8.first ?? (layout.format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ","))
        // Read enough to see the header line, then replay those bytes ahead of the rest.
        var head: [UInt8] = []
        while !head.contains(UInt8(ascii: "\n")) {
            let more = try reader.read(maxCount: 1 << 20)
            if more.isEmpty { break }
            head += more
        }
        let lineEnd = head.firstIndex(of: UInt8(ascii: "\n")) ?? head.count
        let format = CSVFormat(delimiter: delimiter, header: false)
        var headerReader = CSVReader(MemorySource(Array(head[..<lineEnd])), format: format)
        let names = (try? headerReader.next())?.fields.map { ($0 ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\r")) } ?? []
        let known = Set(step.columns)
        // A column that may not be NULL must be in the header (ClickHouse would fill it with its default): the
        // slow path names it and fails.
        let required = zip(step.columns, step.columnRules).filter { !$0.1.nullable }.map(\.0)
        guard !names.isEmpty, names.allSatisfy({ known.contains($0) }), Set(names).count == names.count,
              required.allSatisfy(names.contains) else {
            reader = ReplayingSource(prefix: head, rest: reader)
            return nil
        }
        var pending: [UInt8]? = head
        var rest = reader
        do {
            let copied = try engine.copyCSV(into: step.table, columns: names, delimiter: delimiter, header: true, cancel: cancel) {
                if let chunk = pending {
                    pending = nil
                    return chunk
                }
                let chunk = try rest.read(maxCount: 1 << 20)
                return chunk.isEmpty ? nil : chunk
            }
            if copied == nil { reader = ReplayingSource(prefix: head, rest: rest) }
            return copied
        } catch let e as EngineError {
            throw EngineError("\(origin): \(e.message)", code: e.code, statement: e.statement, unreachable: e.unreachable)
        }
    }

    /// JSON lines: each object's keys are matched to the table's columns (missing keys load NULL, extra keys are
    /// ignored); a line that is not an object is a bad row.
    private func loadJSONLines(_ source: any ByteSource, origin: String, step: LoadStep, engine: any SQLEngine) throws -> Int {
        if step.onBadRows == .fail {
            // Bad lines fail the load anyway: a database that reads JSON lines itself gets the bytes unparsed.
            var raw = source
            var started = false
            do {
                if let rows = try engine.copyJSONLines(into: step.table, columns: step.columns, cancel: cancel, nextChunk: {
                    started = true
                    let chunk = try raw.read(maxCount: 1 << 20)
                    return chunk.isEmpty ? nil : chunk
                }) {
                    return rows
                }
            } catch let e as EngineError {
                throw EngineError("\(origin): \(e.message)", code: e.code, statement: e.statement, unreachable: e.unreachable)
            }
            guard !started else { throw EngineError("\(origin): the \(engine.dialect.rawValue) engine read the source but loaded nothing") }
        }
        var reader = JSONLinesReader(source)
        let check = LoadValueCheck(step)
        var bad: [(line: Int, reason: String, raw: String)] = []
        var skipped = 0
        let chunk = max(1, step.chunkRows)
        let written = try engine.insert(into: step.table, columns: step.columns, cancel: cancel) { () -> [[String?]]? in
            var batch: [[String?]] = []
            while batch.count < chunk, let record = try reader.next() {
                switch record {
                case .object(let line, let fields):
                    let row = step.columns.map { fields[$0] ?? nil }
                    if !check.checksNothing, let problem = check.problem(row) {
                        let reason = "line \(line): \(problem)"
                        switch step.onBadRows {
                        case .fail: throw EngineError("\(origin): \(reason)")
                        case .quarantine: bad.append((line, reason, step.columns.map { fields[$0].flatMap { $0 } ?? "" }.joined(separator: ",")))
                        case .skipWithCount: skipped += 1
                        }
                        continue
                    }
                    batch.append(row)
                case .invalid(let line, let reason, let raw):
                    switch step.onBadRows {
                    case .fail: throw EngineError("\(origin): \(reason)")
                    case .quarantine: bad.append((line, reason, raw))
                    case .skipWithCount: skipped += 1
                    }
                }
            }
            return batch.isEmpty ? nil : batch
        }
        try settleBadRows(bad, skipped: skipped, origin: origin, step: step, engine: engine)
        return written
    }

    /// Quarantines or counts the rows a load rejected, and records them in the validation log.
    private func settleBadRows(_ bad: [(line: Int, reason: String, raw: String)], skipped: Int, origin: String, step: LoadStep,
                               engine: any SQLEngine) throws {
        if let table = step.quarantineTable {
            try quarantine(bad, into: table, engine: engine)
            if !bad.isEmpty { context.log.line("  \(origin): \(bad.count) bad row(s) quarantined into \(table)") }
        }
        if skipped > 0 { context.log.line("  \(origin): \(skipped) bad row(s) skipped (on_bad_rows: skip_with_count)") }
        if !bad.isEmpty || skipped > 0 {
            try recordBadRows(count: bad.count + skipped, quarantined: !bad.isEmpty, reasons: bad.map(\.reason), origin: origin)
        }
    }

    private func loadDelimited(_ source: any ByteSource, layout: FileLayout, origin: String, step: LoadStep, engine: any SQLEngine) throws -> Int {
        var format = layout.format == .tsv ? CSVFormat.tsv : CSVFormat.csv
        format.header = layout.header
        if let d = layout.delimiter?.utf8.first { format.delimiter = d }
        var reader = CSVReader(AnyByteSource(source), format: format)
        // Map the file's columns onto the table's: by header name (case-insensitively as a fallback), else by position.
        var mapping: [Int?] = step.columns.indices.map { $0 }
        var expectedFields = step.columns.count
        if layout.header {
            let header = try reader.readHeader() ?? []
            expectedFields = header.count
            let lowered = header.map { $0.lowercased() }
            mapping = step.columns.map { c in header.firstIndex(of: c) ?? lowered.firstIndex(of: c.lowercased()) }
            let missing = step.columns.indices.filter { mapping[$0] == nil }.map { step.columns[$0] }
            if mapping.allSatisfy({ $0 == nil }) {
                throw EngineError("\(origin): none of the table's columns (\(step.columns.joined(separator: ", "))) is in the file's header (\(header.joined(separator: ", ")))")
            }
            // A column that may not be NULL and is not in the header: every row would be bad, so the file is.
            let notNullable = Set(zip(step.columns, step.columnRules).filter { !$0.1.nullable }.map(\.0))
            let required = missing.filter(notNullable.contains)
            if !required.isEmpty {
                throw EngineError("\(origin): the header (\(header.joined(separator: ", "))) has no column \(required.map { "'\($0)'" }.joined(separator: ", ")), "
                                  + "which may not be NULL; nothing was loaded")
            }
            if !missing.isEmpty { context.log.line("  \(origin): no column for \(missing.joined(separator: ", ")); loading NULL") }
        }
        let check = LoadValueCheck(step)
        var bad: [(line: Int, reason: String, raw: String)] = []
        var skipped = 0
        let chunk = max(1, step.chunkRows)
        let written = try engine.insert(into: step.table, columns: step.columns, cancel: cancel) { () -> [[String?]]? in
            var batch: [[String?]] = []
            batch.reserveCapacity(min(chunk, 65_536))
            while batch.count < chunk {
                let record: CSVRecord?
                do {
                    record = try reader.next()
                } catch let e as CSVError {
                    // One malformed record is one bad row: the reader went on at the next line. When it could not,
                    // the rest of the file is unread and the load fails whatever the policy.
                    if step.onBadRows == .fail || !e.resynchronised { throw EngineError("\(origin): \(e)") }
                    if step.onBadRows == .quarantine { bad.append((e.line, "line \(e.line): \(e.message)", e.raw)) } else { skipped += 1 }
                    continue
                }
                guard let record else { break }
                if record.fields.count != expectedFields {
                    let reason = "line \(record.line): \(record.fields.count) fields, expected \(expectedFields)"
                    switch step.onBadRows {
                    case .fail: throw EngineError("\(origin): \(reason)")
                    case .quarantine: bad.append((record.line, reason, record.fields.map { $0 ?? "" }.joined(separator: ",")))
                    case .skipWithCount: skipped += 1
                    }
                    continue
                }
                let row = mapping.map { $0.flatMap { record.fields[$0] } }
                if !check.checksNothing, let problem = check.problem(row) {
                    let reason = "line \(record.line): \(problem)"
                    switch step.onBadRows {
                    case .fail: throw EngineError("\(origin): \(reason)")
                    case .quarantine: bad.append((record.line, reason, record.fields.map { $0 ?? "" }.joined(separator: ",")))
                    case .skipWithCount: skipped += 1
                    }
                    continue
                }
                batch.append(row)
            }
            return batch.isEmpty ? nil : batch
        }
        try settleBadRows(bad, skipped: skipped, origin: origin, step: step, engine: engine)
        return written
    }

    /// The rejected rows in the validation log, so `pipec runs` and `pipec_check_results` count them like a check's.
    private func recordBadRows(count: Int, quarantined: Bool, reasons: [String], origin: String) throws {
        try context.state.recordCheck(CheckResultRecord(
            applyID: context.applyID, pipeline: context.pipeline.name.value, runID: context.plan.runs[run].runId, unit: unit,
            check: "bad_rows", severity: "error", status: quarantined ? "quarantined" : "skipped_rows", violations: count, observed: nil,
            sample: reasons.isEmpty ? nil : reasons.prefix(10).joined(separator: "\n"), assertion: "every row of \(origin) fits the table's columns"))
    }

    /// Replaces what an earlier attempt at this interval quarantined (a retry or a rerun must not add copies) with
    /// this attempt's bad rows.
    private func quarantine(_ rows: [(line: Int, reason: String, raw: String)], into table: String, engine: any SQLEngine) throws {
        // PostgreSQL's columns are timestamptz: say UTC rather than depend on the session's time zone.
        let zone = engine.dialect == .postgres ? "+00" : ""
        let start = Timestamps.sqlText(context.plan.runs[run].intervalStart) + zone
        _ = try engine.execute("DELETE FROM \(table) WHERE _pipec_check = 'load' AND _pipec_interval_start = '\(start)'", cancel: cancel)
        guard !rows.isEmpty else { return }
        var remaining = rows[...]
        let now = Timestamps.sqlText(Instant.now()) + zone
        _ = try engine.insert(into: table, columns: ["_pipec_check", "_pipec_reason", "_pipec_raw", "_pipec_run_id", "_pipec_interval_start", "_pipec_quarantined_at"],
                              cancel: cancel) { () -> [[String?]]? in
            guard !remaining.isEmpty else { return nil }
            let take = remaining.prefix(1000)
            remaining = remaining.dropFirst(take.count)
            return take.map { ["load", $0.reason, $0.raw, context.plan.runs[run].runId, start, now] }
        }
    }
}

/// A type-erased byte source, so readers can be generic over concrete sources.
struct AnyByteSource: ByteSource {
    var base: any ByteSource
    init(_ base: any ByteSource) { self.base = base }
    mutating func read(maxCount: Int) throws -> [UInt8] { try base.read(maxCount: maxCount) }
}

/// A bounded hand-off of row batches between a reading thread and a writing one.
final class RowPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[[String?]]] = []
    private var done = false
    private var error: Error?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func put(_ batch: [[String?]]) {
        condition.lock()
        while queue.count >= capacity && !done { condition.wait() }
        queue.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    func finish(_ error: Error?) {
        condition.lock()
        done = true
        self.error = error
        condition.broadcast()
        condition.unlock()
    }

    func take() throws -> [[String?]]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !done { condition.wait() }
        if !queue.isEmpty {
            let batch = queue.removeFirst()
            condition.broadcast()
            return batch
        }
        if let error { throw error }
        return nil
    }
}

/// Counts the bytes a load reads and shows them after the progress bar, redrawn every 4 MiB.
struct ProgressSource: ByteSource {
    var base: any ByteSource
    let log: ApplyLog
    let unit: String
    private var bytes = 0
    private var shown = 0

    init(base: any ByteSource, log: ApplyLog, unit: String) {
        self.base = base
        self.log = log
        self.unit = unit
    }

    mutating func read(maxCount: Int) throws -> [UInt8] {
        let chunk = try base.read(maxCount: maxCount)
        bytes += chunk.count
        if bytes - shown >= 4 << 20 {
            shown = bytes
            log.loadProgress(unit, String(format: "%.1f MB", Double(bytes) / 1_000_000))
        }
        return chunk
    }
}

/// Bytes already read, then the rest of a source.
struct ReplayingSource: ByteSource {
    var prefix: [UInt8]
    var rest: any ByteSource

    mutating func read(maxCount: Int) throws -> [UInt8] {
        if !prefix.isEmpty {
            let n = min(maxCount, prefix.count)
            defer { prefix.removeFirst(n) }
            return Array(prefix[..<n])
        }
        return try rest.read(maxCount: maxCount)
    }
}
