import Foundation

extension CronSchedule {
    /// The first time the schedule fires strictly after `date`, or `nil` if it does not fire
    /// before the end of the fifth year after `date`'s year in ``timeZone`` (robfig/cron's
    /// horizon; `0 0 31 2 *` never fires at all).
    ///
    /// Fields are read on the wall clock of ``timeZone``, so across daylight-saving changes:
    /// - A local time that does not exist (skipped by a spring-forward) does not fire that day:
    ///   `TZ=Europe/Paris 30 2 * * *` skips 30 March 2025, as robfig/cron does.
    /// - A local time that happens twice (repeated by a fall-back) fires once, at its first
    ///   occurrence, when the hour field is restricted (`30 2 * * *`, `*/15 1 * * *`), so a daily
    ///   job does not run twice (robfig/cron would run it twice). When the hour field allows every hour (`*/15 * * * *`, `@hourly`)
    ///   both occurrences fire, so the schedule keeps its pace in real time.
    ///
    /// The search jumps by fields (month, day, hour, minute) rather than minute by minute, so
    /// rare schedules such as `0 0 29 2 *` (leap days) are found in a few dozen steps.
    package func nextFireDate(after date: Date) -> Date? {
        let seconds = date.timeIntervalSince1970
        // Beyond ±30,000 years nothing is scheduled, and this keeps the Int conversions safe.
        guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }

        // Fire times are whole seconds, so "strictly after date" means "at or after this second".
        let wholeSeconds = Int(seconds.rounded(.down))
        var periodStart = wholeSeconds + 1
        let localDay = CronWallTime.floorDivide(wholeSeconds + timeZone.secondsFromGMT(for: date), 86_400)
        let lastYear = CronWallTime.date(daysSinceEpoch: localDay).year + 5
        let firesEveryHour = hours.coversAll(of: .hour)

        // Between two transitions the zone's UTC offset is constant, so wall time and instant
        // differ by a fixed amount and the search can work on the wall clock alone. Each pass
        // covers one such period; a candidate that falls past the period's end is redone with
        // the next period's offset, which is what skips the wall times a spring-forward removes.
        // The pass count bound only guards against odd zone data: five years hold ~10 transitions.
        for _ in 0..<1_000 {
            let start = Date(timeIntervalSince1970: TimeInterval(periodStart))
            let offset = timeZone.secondsFromGMT(for: start)
            let periodEnd = timeZone.nextDaylightSavingTimeTransition(after: start)
                .map { Int($0.timeIntervalSince1970.rounded(.up)) }
                .flatMap { $0 > periodStart ? $0 : nil }

            var from = CronWallTime(firstMinuteAtOrAfter: periodStart + offset)
            while true {
                guard let match = firstMatch(atOrAfter: from, throughYear: lastYear) else { return nil }
                let instant = match.secondsSinceEpochAsUTC - offset
                if let periodEnd, instant >= periodEnd { break }
                if !firesEveryHour && isRepeatedWallTime(at: instant, offset: offset) {
                    from = match
                    from.minute += 1
                    continue
                }
                return Date(timeIntervalSince1970: TimeInterval(instant))
            }
            guard let periodEnd else { return nil }
            periodStart = periodEnd
        }
        return nil
    }

    /// The first wall-clock minute at or after `start` that the fields allow, or `nil` past
    /// `lastYear`. A field with no allowed value left carries into the next larger unit and
    /// resets the smaller ones, so each step skips a whole unit instead of a minute.
    func firstMatch(atOrAfter start: CronWallTime, throughYear lastYear: Int) -> CronWallTime? {
        var time = start
        while time.year <= lastYear {
            guard let month = months.first(atOrAfter: time.month) else {
                time = CronWallTime(year: time.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                continue
            }
            if month != time.month {
                time = CronWallTime(year: time.year, month: month, day: 1, hour: 0, minute: 0)
            }
            guard time.day <= CronWallTime.daysInMonth(year: time.year, month: time.month) else {
                time = CronWallTime(year: time.year, month: time.month + 1, day: 1, hour: 0, minute: 0)
                continue
            }
            guard dayMatches(time) else {
                time = CronWallTime(year: time.year, month: time.month, day: time.day + 1, hour: 0, minute: 0)
                continue
            }
            guard let hour = hours.first(atOrAfter: time.hour) else {
                time = CronWallTime(year: time.year, month: time.month, day: time.day + 1, hour: 0, minute: 0)
                continue
            }
            if hour != time.hour {
                time.hour = hour
                time.minute = 0
            }
            guard let minute = minutes.first(atOrAfter: time.minute) else {
                time.hour += 1
                time.minute = 0
                continue
            }
            time.minute = minute
            return time
        }
        return nil
    }

    /// Day of month and day of week are ORed when both are restricted and ANDed when either
    /// is open, as in classic cron: `0 0 1 * MON` is "the 1st and every Monday".
    private func dayMatches(_ time: CronWallTime) -> Bool {
        let byMonthDay = daysOfMonth.contains(time.day)
        let byWeekday = daysOfWeek.contains(time.weekday)
        if daysOfMonth.isUnrestricted || daysOfWeek.isUnrestricted {
            return byMonthDay && byWeekday
        }
        return byMonthDay || byWeekday
    }

    /// Whether the wall time shown at `instant` was already shown earlier, i.e. `instant` lies
    /// in the second pass through the hour a fall-back repeats. Transitions are months apart, so
    /// the offset a day earlier is the one in force before any recent fall-back.
    private func isRepeatedWallTime(at instant: Int, offset: Int) -> Bool {
        let offsetBefore = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant - 86_400)))
        guard offsetBefore > offset else { return false }
        let earlier = instant - (offsetBefore - offset)
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(earlier))) == offsetBefore
    }
}
