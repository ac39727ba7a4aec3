import Testing
@testable import PipecModel

@Suite struct ColumnTypesTests {
    @Test(arguments: [
        ("DateTime", true), ("date", true), ("  TIMESTAMP WITH TIME ZONE ", true), ("Nullable(DateTime64(3))", true),
        ("LowCardinality(Date)", true), ("Nullable(LowCardinality(Date32))", true), ("timestamptz", true), ("DATE32", true),
        ("UInt64", false), ("String", false), ("Nullable()", false), ("Nullable(", false), ("LowCardinality(Nullable(Date))", false),
        ("Array(Date)", false), ("dat", false), ("", false), ("Daté", false), ("ｄate", false),
    ])
    func temporalTypes(type: String, temporal: Bool) {
        #expect(ColumnTypes.isTemporal(type, dialect: .clickhouse) == temporal)
    }
}
