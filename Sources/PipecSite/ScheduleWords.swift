import PipecModel
import PipecSchedule

/// A schedule in words, for readers who do not parse cron: `0 3 * * *` is "every day at 03:00". Common shapes get
/// a sentence; anything else is described field by field, so the words never claim more than the fields say.
enum ScheduleWords {
    static func describe(_ spec: ScheduleSpec?) -> String {
        guard let spec else { return "no schedule: runs only when asked for" }
        let schedule = spec.schedule
        var words: String
        switch schedule.kind {
        case .manual: words = "no schedule: runs only when asked for"
        case .once: words = "once, at the start"
        case .cron(let cron): words = describe(cron)
        }
        if case .cron = schedule.kind { words += " (\(schedule.zone.identifier))" }
        if let start = schedule.start { words += ", from \(start)" }
        if let end = schedule.end { words += " to \(end)" }
        if case .cron = schedule.kind { words += schedule.catchup ? ", catching up on missed intervals" : ", latest interval only (no catch-up)" }
        return words
    }

    static func describe(_ cron: CronExpression) -> String {
        guard cron.fields.count == 5 else { return "cron \(cron.text)" }
        let (minute, hour, dom, month, dow) = (cron.fields[0], cron.fields[1], cron.fields[2], cron.fields[3], cron.fields[4])
        let anyDay = dom == "*" && month == "*" && dow == "*"
        if let m = Int(minute), let h = Int(hour) {
            let time = "at " + pad(h) + ":" + pad(m)
            if anyDay { return "every day \(time)" }
            if dom == "*" && month == "*", let days = weekdays(dow) { return "every \(days) \(time)" }
            if let d = Int(dom), month == "*", dow == "*" { return "on day \(d) of every month \(time)" }
        }
        if let m = Int(minute), hour == "*", anyDay { return "every hour at minute \(m)" }
        if minute.hasPrefix("*/"), let step = Int(minute.dropFirst(2)), hour == "*", anyDay { return "every \(step) minutes" }
        if minute == "*", hour == "*", anyDay { return "every minute" }
        return "at minute \(minute), hour \(hour), day of month \(dom), month \(month), day of week \(dow)"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// `1`, `1,3`, `MON-FRI`, ... as names, or nil when the field is not a plain list of days.
    private static func weekdays(_ field: String) -> String? {
        let names = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        func day(_ s: Substring) -> Int? { Int(s).flatMap { (0...7).contains($0) ? $0 : nil } ?? names[s.uppercased()] }
        if field.lowercased() == "1-5" || field.uppercased() == "MON-FRI" { return "weekday (Monday to Friday)" }
        var out: [String] = []
        for part in field.split(separator: ",") {
            guard let d = day(part) else { return nil }
            out.append(dayNames[d])
        }
        return out.isEmpty ? nil : out.joined(separator: " and ")
    }
}
