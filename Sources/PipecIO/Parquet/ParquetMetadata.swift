/// The Thrift structs of a Parquet file that pipec fills in (parquet.thrift), each encoding itself with the
/// compact protocol. Field numbers are parquet.thrift's; only the fields pipec writes are modelled.

/// PageHeader with a DataPageHeader (v1 data page): precedes every page body.
struct ParquetPageHeader {
    /// Rows in the page, nulls included.
    var valueCount: Int
    /// Body sizes, excluding this header.
    var uncompressedSize: Int
    var compressedSize: Int

    func encoded() -> [UInt8] {
        ThriftCompactWriter.encode { w in
            w.field(1, i32: 0)   // type: DATA_PAGE
            w.field(2, i32: Int32(uncompressedSize))
            w.field(3, i32: Int32(compressedSize))
            w.field(5, struct: { w in
                w.field(1, i32: Int32(valueCount))
                w.field(2, i32: 0)   // encoding: PLAIN
                w.field(3, i32: 3)   // definition_level_encoding: RLE
                w.field(4, i32: 3)   // repetition_level_encoding: RLE (required even though none are stored)
            })
        }
    }
}

/// ColumnChunk with its ColumnMetaData: where one column's pages of one row group are and what they hold.
struct ParquetColumnChunkMetadata {
    var name: String
    var storage: ParquetPhysicalType
    var codec: Int32
    /// Rows in the chunk, nulls included (duckdb checks it against the row group's row count).
    var valueCount: Int
    /// Sums over the chunk's pages of header + body, before and after compression.
    var uncompressedSize: Int
    var compressedSize: Int
    /// Absolute file offset of the first page header.
    var dataPageOffset: Int
    var statistics: ParquetStatistics

    func encode(_ w: inout ThriftCompactWriter) {
        w.field(2, i64: Int64(dataPageOffset))   // file_offset: deprecated; readers ignore it
        w.field(3, struct: { w in
            w.field(1, i32: storage.physical.rawValue)
            w.field(2, list: [0, 3] as [Int32], of: .i32) { $0.element(i32: $1) }   // PLAIN, RLE
            w.field(3, list: [name], of: .binary) { $0.element(string: $1) }
            w.field(4, i32: codec)
            w.field(5, i64: Int64(valueCount))
            w.field(6, i64: Int64(uncompressedSize))
            w.field(7, i64: Int64(compressedSize))
            w.field(9, i64: Int64(dataPageOffset))
            w.field(12, struct: { w in
                let bounds = statistics.encodedBounds(storage.physical)
                w.field(3, i64: statistics.nullCount)
                // min_value/max_value (not the deprecated min/max, whose order is signed bytewise).
                if let bounds {
                    w.field(5, binary: bounds.max)
                    w.field(6, binary: bounds.min)
                }
            })
        })
    }
}

struct ParquetRowGroupMetadata {
    var columns: [ParquetColumnChunkMetadata]
    var rowCount: Int
    var ordinal: Int

    func encode(_ w: inout ThriftCompactWriter) {
        w.field(1, list: columns, of: .struct) { w, column in w.element(struct: column.encode) }
        w.field(2, i64: Int64(columns.reduce(0) { $0 + $1.uncompressedSize }))   // total_byte_size
        w.field(3, i64: Int64(rowCount))
        w.field(5, i64: Int64(columns.first?.dataPageOffset ?? 0))   // file_offset of the first chunk
        w.field(6, i64: Int64(columns.reduce(0) { $0 + $1.compressedSize }))
        if let ordinal = Int16(exactly: ordinal) { w.field(7, i16: ordinal) }
    }
}

/// FileMetaData: the footer.
struct ParquetFileMetadata {
    var columns: [ParquetColumn]
    var rowGroups: [ParquetRowGroupMetadata]
    var rowCount: Int
    var createdBy: String

    func encoded() -> [UInt8] {
        ThriftCompactWriter.encode { w in
            w.field(1, i32: 1)   // version
            // The schema is a tree flattened depth first: the root (a group with only a name and a child count),
            // then one leaf per column.
            w.field(2, list: [nil] + columns.map(Optional.some), of: .struct) { w, column in
                w.element(struct: { w in
                    guard let column else {
                        w.field(4, string: "schema")
                        w.field(5, i32: Int32(columns.count))
                        return
                    }
                    let storage = ParquetPhysicalType(column.type)
                    w.field(1, i32: storage.physical.rawValue)
                    if let length = storage.typeLength { w.field(2, i32: Int32(length)) }
                    w.field(3, i32: 1)   // repetition_type: OPTIONAL
                    w.field(4, string: column.name)
                    if let converted = storage.convertedType { w.field(6, i32: converted) }
                    if let scale = storage.decimalScale { w.field(7, i32: Int32(scale)) }
                    if let precision = storage.decimalPrecision { w.field(8, i32: Int32(precision)) }
                    if let logical = storage.logicalType { w.field(10, struct: logical) }
                })
            }
            w.field(3, i64: Int64(rowCount))
            w.field(4, list: rowGroups, of: .struct) { w, group in w.element(struct: group.encode) }
            w.field(6, string: createdBy)
            // One TypeDefinedOrder per leaf: tells readers the min/max statistics use each type's natural order.
            w.field(7, list: columns, of: .struct) { w, _ in
                w.element(struct: { $0.field(1, struct: { _ in }) })
            }
        }
    }
}
