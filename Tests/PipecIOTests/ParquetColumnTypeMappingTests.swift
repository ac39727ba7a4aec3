import Testing
@testable import PipecIO

/// Engine column type names → Parquet column types.
@Suite struct ParquetColumnTypeMappingTests {
    @Test func databaseTypeNames() {
        let cases: [(String, ParquetColumnType)] = [
            // ClickHouse
            ("UInt8", .int32), ("UInt16", .int32), ("UInt32", .int64), ("UInt64", .uint64),
            ("Int8", .int32), ("Int16", .int32), ("Int32", .int32), ("Int64", .int64),
            ("Float32", .float), ("Float64", .double), ("String", .string), ("FixedString(16)", .string),
            ("Date", .date), ("Date32", .date), ("DateTime", .timestamp), ("DateTime('Europe/Berlin')", .timestamp),
            ("DateTime64(3, 'UTC')", .timestamp), ("Decimal(18, 4)", .decimal(precision: 18, scale: 4)),
            ("Decimal32(2)", .decimal(precision: 9, scale: 2)), ("Decimal128(10)", .decimal(precision: 38, scale: 10)),
            ("Decimal(76, 10)", .string), ("Decimal256(10)", .string), ("Int128", .string), ("UUID", .string),
            ("Nullable(Int32)", .int32), ("LowCardinality(String)", .string), ("LowCardinality(Nullable(Date))", .date),
            ("Nullable(Decimal(9, 2))", .decimal(precision: 9, scale: 2)), ("Bool", .boolean), ("Array(Int32)", .string),
            // PostgreSQL
            ("int2", .int32), ("smallint", .int32), ("int4", .int32), ("integer", .int64), ("int8", .int64), ("bigint", .int64),
            ("float4", .float), ("real", .double), ("float8", .double), ("double precision", .double),
            ("numeric", .string), ("numeric(12,2)", .decimal(precision: 12, scale: 2)), ("numeric(5)", .decimal(precision: 5, scale: 0)),
            ("NUMERIC(40,2)", .string), ("text", .string), ("varchar", .string), ("character varying(20)", .string),
            ("char(3)", .string), ("bpchar", .string), ("bool", .boolean), ("boolean", .boolean), ("date", .date),
            ("timestamp", .timestamp), ("timestamptz", .timestamp), ("timestamp with time zone", .timestamp),
            ("timestamp without time zone", .timestamp), ("timestamp(3) with time zone", .timestamp),
            ("time", .string), ("interval", .string), ("jsonb", .string), ("_int4", .string), ("point", .string),
            // SQLite declared types
            ("INTEGER", .int64), ("INT", .int64), ("REAL", .double), ("TEXT", .string), ("BLOB", .string),
            ("VARCHAR(255)", .string), ("DOUBLE", .double), ("FLOAT", .double), ("BOOLEAN", .boolean), ("DATETIME", .timestamp),
            ("DECIMAL(10,5)", .decimal(precision: 10, scale: 5)), ("NUMERIC", .string),
            ("something else", .string),
        ]
        for (name, expected) in cases {
            #expect(ParquetColumnType(databaseType: name) == expected, "\(name)")
        }
        #expect(ParquetColumnType(databaseType: "") == nil)
        #expect(ParquetColumnType(databaseType: "  ") == nil)
    }
}
