import Foundation
import PipecSchedule

/// Enumerating a year of hourly runs in a DST zone with pipec's cron against Foundation's
/// `Calendar.nextDate(after:matching:)` walking the same fire times: the baseline a Swift program would reach for.
enum ScheduleBenchmark {
    static func run() {
        guard case .success(let cron) = CronExpression.parse("0 * * * *"), let zone = Zone(identifier: "Europe/Amsterdam"),
              let start = try? Timestamp.parse("2025-01-01", zone: zone).get() else {
            print("schedule: setup failed")
            return
        }
        let count = 8_760
        var last = start
        let pipec = Measure.median {
            var t = start
            for _ in 0..<count { if let n = cron.next(after: t, in: zone) { t = n } }
            last = t
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        var foundationLast = Date()
        let foundation = Measure.median {
            var d = Date(timeIntervalSince1970: TimeInterval(start.seconds))
            for _ in 0..<count {
                if let n = calendar.nextDate(after: d, matching: DateComponents(minute: 0), matchingPolicy: .nextTime) { d = n }
            }
            foundationLast = d
        }
        let agree = Int64(foundationLast.timeIntervalSince1970) == last.seconds ? "same last fire time" : "DIFFERENT last fire time"
        print("schedule: \(count) hourly fire times in Europe/Amsterdam: \(Measure.format(pipec)); Foundation Calendar \(Measure.format(foundation)); "
              + "speed-up \(Measure.ratio(foundation / pipec)) (\(agree))")
    }
}
