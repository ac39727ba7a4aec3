/// Streams rows of text (as every pipec engine returns them; nil = NULL) into a sink as a Parquet file.
///
/// Memory is bounded by the row group being built: each column's pages are kept until the group reaches
/// ``ParquetWriterOptions/rowGroupBytes`` or ``ParquetWriterOptions/rowGroupRows``, then the group's column
/// chunks are written one after the other and only their metadata (~100 bytes each) stays for the footer.
///
/// The file: `PAR1`, row groups of column chunks, each chunk a run of v1 data pages (PLAIN values, definition
/// levels RLE/bit-packed, every column OPTIONAL), then the FileMetaData footer, its length, `PAR1`.
///
/// A value that does not parse as its column's type throws ``ParquetError/invalidValue(column:row:value:reason:)``;
/// after any error the writer refuses further rows and the file must be abandoned (the sink is not finished).
/// A class: it owns the sink and a zlib stream, and is used from one thread at a time.
public final class ParquetWriter {
    public let columns: [ParquetColumn]
    public let options: ParquetWriterOptions
    /// Rows written so far, over all row groups.
    public private(set) var rowCount = 0
    /// Row groups written to the sink so far.
    public var rowGroupCount: Int { rowGroups.count }

    private var sink: any ByteSink
    private var builders: [ParquetColumnChunkBuilder]
    private let deflater: GzipDeflater?
    private var rowGroups: [ParquetRowGroupMetadata] = []
    private var rowsInGroup = 0
    /// Bytes handed to the sink so far: the absolute offset of the next byte.
    private var position = 0
    private var failure: (any Error)?
    private var finished = false

    private static let magic = Array("PAR1".utf8)

    /// - Throws: ``ParquetError/invalidSchema(_:)`` for no columns, empty or repeated names, a decimal outside
    ///   precision 1...38 / scale 0...precision, or options below 1.
    public init(_ sink: any ByteSink, columns: [ParquetColumn], options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        try Self.check(columns, options)
        self.sink = sink
        self.columns = columns
        self.options = options
        builders = columns.map(ParquetColumnChunkBuilder.init)
        deflater = options.compression == .gzip ? try GzipDeflater(level: 6) : nil
    }

    /// Adds one row; `row[i]` is the text of `columns[i]`, nil for NULL.
    public func write(_ row: [String?]) throws {
        if let failure { throw failure }
        precondition(!finished, "ParquetWriter.write after finish")
        guard row.count == builders.count else {
            throw ParquetError.rowWidth(row: rowCount + 1, expected: builders.count, actual: row.count)
        }
        do {
            for i in builders.indices { try builders[i].append(row[i], row: rowCount + 1) }
            rowCount += 1
            rowsInGroup += 1
            var buffered = 0
            for i in builders.indices {
                if builders[i].openPageBytes >= options.pageBytes || builders[i].openPageRows >= options.pageRows {
                    try builders[i].closePage(deflater: deflater)
                }
                buffered += builders[i].bufferedBytes
            }
            if buffered >= options.rowGroupBytes || rowsInGroup >= options.rowGroupRows { try writeRowGroup() }
        } catch {
            // Some columns may hold this row and others not: the file cannot be completed consistently.
            failure = error
            throw error
        }
    }

    /// Writes the last row group, the footer, and finishes the sink. A file with no rows has no row groups.
    public func finish() throws {
        if let failure { throw failure }
        precondition(!finished, "ParquetWriter.finish called twice")
        do {
            if rowsInGroup > 0 { try writeRowGroup() }
            if position == 0 { try emit(Self.magic) }
            let footer = ParquetFileMetadata(columns: columns, rowGroups: rowGroups, rowCount: rowCount,
                                             createdBy: options.createdBy).encoded()
            var tail = footer
            withUnsafeBytes(of: UInt32(footer.count).littleEndian) { tail += $0 }
            tail += Self.magic
            try emit(tail)
            try sink.finish()
            finished = true
        } catch {
            failure = error
            throw error
        }
    }

    private func writeRowGroup() throws {
        if position == 0 { try emit(Self.magic) }
        var chunks: [ParquetColumnChunkMetadata] = []
        for i in builders.indices {
            try builders[i].closePage(deflater: deflater)
            let (pages, metadata) = builders[i].takeChunk(codec: options.compression.codec, offset: position)
            for page in pages { try emit(page) }
            chunks.append(metadata)
        }
        rowGroups.append(ParquetRowGroupMetadata(columns: chunks, rowCount: rowsInGroup, ordinal: rowGroups.count))
        rowsInGroup = 0
    }

    private func emit(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try sink.write(bytes)
        position += bytes.count
    }

    private static func check(_ columns: [ParquetColumn], _ options: ParquetWriterOptions) throws {
        guard !columns.isEmpty else { throw ParquetError.invalidSchema("a Parquet file needs at least one column") }
        var seen = Set<String>()
        for column in columns {
            guard !column.name.isEmpty else { throw ParquetError.invalidSchema("a column has an empty name") }
            guard seen.insert(column.name).inserted else {
                throw ParquetError.invalidSchema("column '\(column.name)' appears twice (readers would lose one; alias it)")
            }
            if case .decimal(let precision, let scale) = column.type, !(1...38).contains(precision) || !(0...precision).contains(scale) {
                throw ParquetError.invalidSchema("column '\(column.name)': \(column.type) needs precision 1...38 and scale 0...precision")
            }
        }
        for (name, value) in [("rowGroupBytes", options.rowGroupBytes), ("rowGroupRows", options.rowGroupRows),
                              ("pageBytes", options.pageBytes), ("pageRows", options.pageRows)] where value < 1 {
            throw ParquetError.invalidSchema("option \(name) must be at least 1, not \(value)")
        }
    }
}
