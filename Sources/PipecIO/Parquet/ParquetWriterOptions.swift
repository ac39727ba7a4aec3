/// How pages are compressed. Each page body is compressed on its own, so readers can decode pages separately.
public enum ParquetCompression: String, Sendable, Hashable, CaseIterable {
    case uncompressed
    /// One gzip member per page (zlib, level 6), Parquet's GZIP codec.
    case gzip

    /// parquet.thrift `CompressionCodec`.
    var codec: Int32 {
        switch self {
        case .uncompressed: return 0
        case .gzip: return 2
        }
    }
}

/// Knobs of ``ParquetWriter``. The defaults keep a writer's memory near `rowGroupBytes` plus one page per
/// column, whatever the size of the output.
public struct ParquetWriterOptions: Sendable, Hashable {
    public var compression: ParquetCompression
    /// A row group is written out once its encoded (and compressed) pages reach this many bytes...
    public var rowGroupBytes: Int
    /// ...or it holds this many rows.
    public var rowGroupRows: Int
    /// A page is closed once its PLAIN values reach this many bytes (before compression)...
    public var pageBytes: Int
    /// ...or it holds this many rows (nulls included).
    public var pageRows: Int
    /// FileMetaData.created_by: the writing application, e.g. `pipec version 1.2.0`.
    public var createdBy: String

    public init(compression: ParquetCompression = .uncompressed, rowGroupBytes: Int = 32 << 20,
                rowGroupRows: Int = 1_000_000, pageBytes: Int = 1 << 20, pageRows: Int = 20_000,
                createdBy: String = "pipec") {
        self.compression = compression
        self.rowGroupBytes = rowGroupBytes
        self.rowGroupRows = rowGroupRows
        self.pageBytes = pageBytes
        self.pageRows = pageRows
        self.createdBy = createdBy
    }
}
