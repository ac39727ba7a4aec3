/// Searching wall-clock readings for matches, as croniter does on naive datetimes: minute resolution, no time
/// zone. Each step jumps to the next (or previous) set bit of a field, so the cost is a handful of bit
/// operations per month, day and hour crossed, never a scan over minutes.
extension CronExpression {
    /// Searches give up after this many years. `parse` rejects day-of-month values no listed month has, so the
    /// longest real wait is a leap day (eight years across 2100).
    static let searchYears = 400

    /// The first matching minute strictly after `civil` (croniter `get_next`), seconds zero; nil if none.
    func nextMatch(after civil: CivilDateTime) -> CivilDateTime? {
        var (year, month, day, hour, minute) = (civil.year, civil.month, civil.day, civil.hour, civil.minute + 1)
        let lastYear = year + CronExpression.searchYears
        while year <= lastYear {
            guard let m = CronBits.next(months, from: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if m != month { (month, day, hour, minute) = (m, 1, 0, 0) }
            let days = dayMask(year: year, month: month)
            // Days of this month, hours of each day, minutes of each hour; leaving a loop resets the finer fields.
            while let d = CronBits.next(days, from: day) {
                if d != day { (day, hour, minute) = (d, 0, 0) }
                while let h = CronBits.next(hours, from: hour) {
                    if h != hour { (hour, minute) = (h, 0) }
                    if let mi = CronBits.next(minutes, from: minute) {
                        return CivilDateTime(year: year, month: month, day: day, hour: hour, minute: mi)
                    }
                    (hour, minute) = (hour + 1, 0)
                }
                (day, hour, minute) = (day + 1, 0, 0)
            }
            (month, day, hour, minute) = (month + 1, 1, 0, 0)
        }
        return nil
    }

    /// The last matching minute strictly before `civil` (croniter `get_prev`): 10:17 counts as before 10:17:30.
    func previousMatch(before civil: CivilDateTime) -> CivilDateTime? {
        let partial = civil.second != 0 || civil.microsecond != 0
        var (year, month, day, hour, minute) = (civil.year, civil.month, civil.day, civil.hour,
                                                partial ? civil.minute : civil.minute - 1)
        let firstYear = year - CronExpression.searchYears
        while year >= firstYear {
            guard let m = CronBits.previous(months, through: month) else {
                (year, month, day, hour, minute) = (year - 1, 12, 31, 23, 59)
                continue
            }
            if m != month { (month, day, hour, minute) = (m, 31, 23, 59) }
            let days = dayMask(year: year, month: month)
            while let d = CronBits.previous(days, through: day) {
                if d != day { (day, hour, minute) = (d, 23, 59) }
                while let h = CronBits.previous(hours, through: hour) {
                    if h != hour { (hour, minute) = (h, 59) }
                    if let mi = CronBits.previous(minutes, through: minute) {
                        return CivilDateTime(year: year, month: month, day: day, hour: hour, minute: mi)
                    }
                    (hour, minute) = (hour - 1, 59)
                }
                (day, hour, minute) = (day - 1, 23, 59)
            }
            (month, day, hour, minute) = (month - 1, 31, 23, 59)
        }
        return nil
    }
}
