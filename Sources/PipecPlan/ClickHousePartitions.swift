import PipecSchedule

/// How a ClickHouse table's `PARTITION BY` lines up with a run's interval, for `REPLACE PARTITION`.
///
/// Recognised keys are `toYYYYMMDD(col)` and `toYYYYMM(col)` on the interval column: their partition ids are
/// numbers pipec can compute from the interval (in UTC, pipec's convention for ClickHouse servers; a guard step
/// catches rows that land elsewhere). Anything else does not align, and the strategy falls back to a delete.
struct PartitionAlignment: Sendable, Hashable {
    enum Granularity: Sendable, Hashable {
        case day, month
    }

    struct Partition: Sendable, Hashable {
        /// The partition id as ClickHouse prints it (`20250301`, `202503`).
        var id: Int
        /// Whether the interval covers the whole partition (then none of its current rows survive).
        var covered: Bool
    }

    /// The PARTITION BY expression as written, reused in WHERE clauses so ClickHouse computes it, not pipec.
    var expression: String
    var granularity: Granularity
    var partitions: [Partition]

    /// More partitions than this per interval would make a statement per partition impractical.
    static let maximumPartitions = 400

    /// nil when the key is not one of the recognised forms on `column`.
    static func analyze(partitionBy: String?, column: String, interval: PlanInterval) -> PartitionAlignment? {
        guard let written = partitionBy?.trimmingSpaces, written.hasSuffix(")"), interval.start < interval.end else { return nil }
        let granularity: Granularity
        let inner: Substring
        if written.hasPrefix("toYYYYMMDD(") {
            granularity = .day
            inner = written.dropFirst("toYYYYMMDD(".count).dropLast()
        } else if written.hasPrefix("toYYYYMM(") {
            granularity = .month
            inner = written.dropFirst("toYYYYMM(".count).dropLast()
        } else {
            return nil
        }
        var argument = String(inner).trimmingSpaces
        if argument.hasPrefix("`"), argument.hasSuffix("`"), argument.count >= 2 { argument = String(argument.dropFirst().dropLast()) }
        guard argument == column else { return nil }

        var partitions: [Partition] = []
        var cursor = CivilDateTime(interval.start, offsetSeconds: 0)
        cursor = CivilDateTime(year: cursor.year, month: cursor.month, day: granularity == .day ? cursor.day : 1)
        while cursor.instant(offsetSeconds: 0) < interval.end {
            let next: CivilDateTime
            switch granularity {
            case .day:
                let (y, m, d) = CivilDateTime.civil(fromDays: cursor.epochDay + 1)
                next = CivilDateTime(year: y, month: m, day: d)
            case .month:
                next = cursor.month == 12 ? CivilDateTime(year: cursor.year + 1, month: 1, day: 1) : CivilDateTime(year: cursor.year, month: cursor.month + 1, day: 1)
            }
            let id = granularity == .day ? cursor.year * 10_000 + cursor.month * 100 + cursor.day : cursor.year * 100 + cursor.month
            let covered = interval.start <= cursor.instant(offsetSeconds: 0) && next.instant(offsetSeconds: 0) <= interval.end
            partitions.append(Partition(id: id, covered: covered))
            if partitions.count > maximumPartitions { return nil }
            cursor = next
        }
        return PartitionAlignment(expression: written, granularity: granularity, partitions: partitions)
    }

    /// Whether replacing partitions is the better plan: always for day partitions (copying back the rest of a
    /// day is cheap), for month partitions only when the interval covers them whole (copying back the rest of a
    /// month on every hourly run would rewrite the month each hour).
    var worthReplacing: Bool {
        granularity == .day || partitions.allSatisfy(\.covered)
    }

    var idList: String { partitions.map { String($0.id) }.joined(separator: ", ") }
    var partial: [Partition] { partitions.filter { !$0.covered } }
}
