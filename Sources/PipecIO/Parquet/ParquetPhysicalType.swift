/// How a ``ParquetColumnType`` is stored: its physical type and the schema annotations written for it.
///
/// Both the deprecated `converted_type` and the newer `logicalType` are written: duckdb reads STRING, DATE and
/// DECIMAL only from the former, and the timestamp's UTC flag only from the latter.
struct ParquetPhysicalType {
    /// parquet.thrift `Type`.
    enum Physical: Int32 {
        case boolean = 0, int32 = 1, int64 = 2, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
    }

    let physical: Physical
    /// FIXED_LEN_BYTE_ARRAY width in bytes.
    let typeLength: Int?
    /// parquet.thrift `ConvertedType`.
    let convertedType: Int32?
    let decimalScale: Int?
    let decimalPrecision: Int?
    /// Writes the `LogicalType` union's one field.
    let logicalType: ((inout ThriftCompactWriter) -> Void)?

    init(_ type: ParquetColumnType) {
        var typeLength: Int?
        var converted: Int32?
        var scale: Int?, precision: Int?
        var logical: ((inout ThriftCompactWriter) -> Void)?
        switch type {
        case .string:
            physical = .byteArray
            converted = 0   // UTF8
            logical = { $0.field(1, struct: { _ in }) }   // STRING
        case .boolean:
            physical = .boolean
        case .int32:
            physical = .int32
        case .int64:
            physical = .int64
        case .uint64:
            physical = .int64
            converted = 14   // UINT_64
            logical = {
                $0.field(10, struct: {   // INTEGER
                    $0.field(1, i8: 64)
                    $0.field(2, bool: false)
                })
            }
        case .float:
            physical = .float
        case .double:
            physical = .double
        case .date:
            physical = .int32
            converted = 6   // DATE
            logical = { $0.field(6, struct: { _ in }) }
        case .timestamp:
            physical = .int64
            converted = 10   // TIMESTAMP_MICROS
            logical = {
                $0.field(8, struct: {   // TIMESTAMP
                    $0.field(1, bool: true)   // isAdjustedToUTC
                    $0.field(2, struct: { $0.field(2, struct: { _ in }) })   // unit: MICROS
                })
            }
        case .decimal(let p, let s):
            if p <= 9 {
                physical = .int32
            } else if p <= 18 {
                physical = .int64
            } else {
                physical = .fixedLenByteArray
                typeLength = Self.decimalBytes(precision: p)
            }
            converted = 5   // DECIMAL
            scale = s
            precision = p
            logical = {
                $0.field(5, struct: {
                    $0.field(1, i32: Int32(s))
                    $0.field(2, i32: Int32(p))
                })
            }
        }
        self.typeLength = typeLength
        convertedType = converted
        decimalScale = scale
        decimalPrecision = precision
        logicalType = logical
    }

    /// The fewest bytes whose two's complement holds every `precision`-digit number: the smallest n with
    /// 2^(8n - 1) > 10^precision, i.e. 8n - 1 > precision × log2(10) (never an exact tie: log2(10) is irrational).
    static func decimalBytes(precision: Int) -> Int {
        Int((Double(precision) * 3.321_928_094_887_362 + 1) / 8) + 1
    }
}
