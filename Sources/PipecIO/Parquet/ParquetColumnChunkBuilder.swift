/// One column of the row group being built: the open page (definition levels and PLAIN values), the pages
/// already closed (header + body, compressed if asked), and the chunk's statistics.
///
/// Closed pages stay in memory until the row group is written, because a column chunk must be contiguous in
/// the file and every chunk of a row group follows the previous one. They are kept as separate arrays (not one
/// growing buffer, whose doubling would briefly need twice the row group's size).
struct ParquetColumnChunkBuilder {
    let column: ParquetColumn
    let storage: ParquetPhysicalType
    /// 1 = value present, 0 = NULL, one per row of the open page.
    private var levels: [UInt8] = []
    private var values: [UInt8] = []
    /// Booleans already packed into `values` (8 per byte, least significant bit first).
    private var booleanCount = 0
    /// Closed pages, each its header followed by its body.
    private var pages: [[UInt8]] = []
    private var pagesSize = 0
    private var chunkRows = 0
    private var uncompressedSize = 0
    private var compressedSize = 0
    private var statistics = ParquetStatistics()

    init(_ column: ParquetColumn) {
        self.column = column
        storage = ParquetPhysicalType(column.type)
    }

    /// Bytes held for this column: closed pages plus the open page.
    var bufferedBytes: Int { pagesSize + values.count + levels.count }
    var openPageRows: Int { levels.count }
    var openPageBytes: Int { values.count }

    /// Adds one row's value; `row` (counted from 1 over the whole file) is for the error message.
    mutating func append(_ text: String?, row: Int) throws(ParquetError) {
        guard let text else {
            levels.append(0)
            statistics.nullCount += 1
            return
        }
        switch column.type {
        case .string:
            let utf8 = text.utf8
            appendLittleEndian(UInt32(utf8.count))
            values.append(contentsOf: utf8)
            statistics.observe(bytes: utf8)
        case .boolean:
            guard let value = Self.boolean(text) else { throw invalid(text, row, "is not a boolean (true/false, t/f, 1/0, yes/no)") }
            if booleanCount % 8 == 0 { values.append(0) }
            if value { values[values.count - 1] |= 1 << UInt8(booleanCount % 8) }
            booleanCount += 1
            statistics.observe(boolean: value)
        case .int32:
            guard let value = Int32(text) else { throw invalid(text, row, "is not an int32 (a whole number from -2147483648 to 2147483647)") }
            appendLittleEndian(value)
            statistics.observe(signed: Int64(value))
        case .int64:
            guard let value = Int64(text) else { throw invalid(text, row, "is not an int64 (a whole number from -2^63 to 2^63-1)") }
            appendLittleEndian(value)
            statistics.observe(signed: value)
        case .uint64:
            guard let value = UInt64(text) else { throw invalid(text, row, "is not a uint64 (a whole number from 0 to 2^64-1)") }
            appendLittleEndian(value)   // the bit pattern; readers know it is unsigned from the annotation
            statistics.observe(unsigned: value)
        case .float:
            guard let value = Float(text) else { throw invalid(text, row, "is not a number") }
            appendLittleEndian(value.bitPattern)
        case .double:
            guard let value = Double(text) else { throw invalid(text, row, "is not a number") }
            appendLittleEndian(value.bitPattern)
        case .date:
            guard let days = CivilTime.days(text) else { throw invalid(text, row, "is not a date (YYYY-MM-DD)") }
            appendLittleEndian(days)
            statistics.observe(signed: Int64(days))
        case .timestamp:
            guard let micros = CivilTime.microseconds(text) else {
                throw invalid(text, row, "is not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][Z|±HH:MM])")
            }
            appendLittleEndian(micros)
            statistics.observe(signed: micros)
        case .decimal(let precision, let scale):
            do throws(DecimalText.Failure) {
                switch storage.physical {
                case .int32:
                    let value = try DecimalText.int64(text, precision: precision, scale: scale)
                    appendLittleEndian(Int32(value))
                    statistics.observe(signed: value)
                case .int64:
                    let value = try DecimalText.int64(text, precision: precision, scale: scale)
                    appendLittleEndian(value)
                    statistics.observe(signed: value)
                default:
                    try DecimalText.bigEndian(text, precision: precision, scale: scale, count: storage.typeLength!, into: &values)
                }
            } catch {
                let reason: String
                switch error {
                case .notADecimal: reason = "is not a decimal number"
                case .tooManyIntegerDigits: reason = "has more than \(precision - scale) digit(s) before the point for \(column.type)"
                case .tooManyFractionDigits: reason = "has more than \(scale) digit(s) after the point for \(column.type)"
                }
                throw invalid(text, row, reason)
            }
        }
        levels.append(1)
    }

    /// Encodes the open page (if it has rows) and appends header + body to the chunk.
    ///
    /// - Parameter deflater: compresses the body as one gzip member when given.
    mutating func closePage(deflater: GzipDeflater?) throws {
        guard !levels.isEmpty else { return }
        // v1 page body: [uint32 LE byte length][levels as RLE/bit-packed hybrid], then the values. Flat schema,
        // so no repetition levels.
        let encodedLevels = RLEHybridEncoder(bitWidth: 1).encode(levels)
        var levelSection: [UInt8] = []
        levelSection.reserveCapacity(4 + encodedLevels.count)
        withUnsafeBytes(of: UInt32(encodedLevels.count).littleEndian) { levelSection += $0 }
        levelSection += encodedLevels
        let rawSize = levelSection.count + values.count
        precondition(rawSize < Int(Int32.max), "a Parquet page must stay below 2 GiB")

        var body: [UInt8] = []
        if let deflater {
            try deflater.reset()
            try deflater.deflate(levelSection[...], finish: false, into: &body)
            try deflater.deflate(values[...], finish: true, into: &body)
        }
        let bodySize = deflater == nil ? rawSize : body.count
        let header = ParquetPageHeader(valueCount: levels.count, uncompressedSize: rawSize, compressedSize: bodySize).encoded()
        var page = header
        if deflater == nil {
            page.reserveCapacity(header.count + rawSize)
            page += levelSection
            page += values
        } else {
            page += body
        }
        pages.append(page)
        pagesSize += page.count
        uncompressedSize += header.count + rawSize
        compressedSize += header.count + bodySize
        chunkRows += levels.count
        levels.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        booleanCount = 0
    }

    /// The closed pages and their metadata, leaving the builder empty for the next row group. Close the open
    /// page first.
    mutating func takeChunk(codec: Int32, offset: Int) -> (pages: [[UInt8]], metadata: ParquetColumnChunkMetadata) {
        precondition(levels.isEmpty, "close the open page before taking the chunk")
        let metadata = ParquetColumnChunkMetadata(name: column.name, storage: storage, codec: codec, valueCount: chunkRows,
                                                  uncompressedSize: uncompressedSize, compressedSize: compressedSize,
                                                  dataPageOffset: offset, statistics: statistics)
        let taken = pages
        pages = []
        pagesSize = 0
        chunkRows = 0
        uncompressedSize = 0
        compressedSize = 0
        statistics = ParquetStatistics()
        return (taken, metadata)
    }

    // MARK: Values

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { values.append(contentsOf: $0) }
    }

    private func invalid(_ text: String, _ row: Int, _ reason: String) -> ParquetError {
        .invalidValue(column: column.name, row: row, value: text, reason: reason)
    }

    /// The spellings engines use: PostgreSQL `t`/`f`, ClickHouse `true`/`false`, SQLite `1`/`0`.
    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "t", "true", "1": return true
        case "f", "false", "0": return false
        default:
            switch text.lowercased() {
            case "true", "t", "yes", "y": return true
            case "false", "f", "no", "n": return false
            default: return nil
            }
        }
    }
}
