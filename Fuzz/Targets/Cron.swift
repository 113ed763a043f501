import Foundation

/// Cron schedules (`TZ=` prefix, names, ranges, steps): parse, then compute next fire times
/// from the epoch, now-ish and the far future, across daylight-saving changes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let schedule = try? CronSchedule(fuzzText(data, size)) else { return 0 }
    for start in [0, 1_767_225_600, 1_774_746_000, 4_102_444_800] {
        var date = Date(timeIntervalSince1970: TimeInterval(start))
        for _ in 0..<3 {
            guard let next = schedule.nextFireDate(after: date) else { break }
            fuzzRequire(next > date, "next fire \(next) is not after \(date)")
            date = next
        }
    }
    return 0
}
