import PipecTemplate
import Testing
@testable import PipecModel

@Suite struct TableNamingTests {
    /// `sql` as it was before its one-pass path for names written as-is: split at the first dot, each part quoted
    /// unless bare.
    static func reference(_ name: String, _ dialect: SQLDialect) -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        if dialect == .sqlite { return parts.count == 2 ? TableNaming.quote(name, dialect) : TableNaming.identifier(name, dialect) }
        return parts.map { TableNaming.identifier($0, dialect) }.joined(separator: ".")
    }

    @Test func namesWrittenAsIsAndQuotedAgreeWithSplittingEachPart() {
        let names = [
            "orders", "silver.orders", "l0.t123", "_x.y_1", "Orders", "raw.Orders", "select", "raw.select", "SELECT.x",
            "Distinct", "distincts", "primary.key", "a.b.c", "a.", ".a", "", ".", "a..b", "1abc", "raw.1abc", "x-y",
            "raw.order items", "raw.ordér", "ab.cdefghijk", "user", "users", "raw.user", "on.off", "t`q", "t\"q",
        ]
        for dialect in SQLDialect.allCases {
            for name in names {
                #expect(TableNaming.sql(name, dialect: dialect) == Self.reference(name, dialect), "\(name) in \(dialect)")
            }
        }
    }
}
