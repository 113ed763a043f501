import Foundation

/// Arithmetic, ordering and getters on timestamps and durations, as CEL defines them:
/// `timestamp - timestamp` is a duration; a duration added to or taken from a timestamp is
/// a timestamp; durations add and subtract; every result is range-checked.
enum TemporalOperations {
    static func arithmetic(
        _ op: BinaryOperator, _ lhs: ExpressionValue, _ rhs: ExpressionValue
    ) throws
        -> ExpressionValue
    {
        switch (op, lhs, rhs) {
        case (.add, .timestamp(let time), .duration(let span)), (.add, .duration(let span), .timestamp(let time)):
            return .timestamp(try shift(time, by: span.nanoseconds, negate: false))
        case (.subtract, .timestamp(let time), .duration(let span)):
            return .timestamp(try shift(time, by: span.nanoseconds, negate: true))
        case (.subtract, .timestamp(let a), .timestamp(let b)):
            // At most about 3.2e11 seconds apart, so the seconds cannot overflow; their
            // nanoseconds can, which is CEL's duration range error.
            let seconds = a.seconds - b.seconds
            let (scaled, overflow) = seconds.multipliedReportingOverflow(by: CELDuration.nanosecondsPerSecond)
            let (total, overflow2) = scaled.addingReportingOverflow(a.nanos - b.nanos)
            guard !overflow, !overflow2 else { throw OperationFailure(message: "duration out of range in '-'") }
            return .duration(CELDuration(nanoseconds: total))
        case (.add, .duration(let a), .duration(let b)):
            let (total, overflow) = a.nanoseconds.addingReportingOverflow(b.nanoseconds)
            guard !overflow else { throw OperationFailure(message: "duration out of range in '+'") }
            return .duration(CELDuration(nanoseconds: total))
        case (.subtract, .duration(let a), .duration(let b)):
            let (total, overflow) = a.nanoseconds.subtractingReportingOverflow(b.nanoseconds)
            guard !overflow else { throw OperationFailure(message: "duration out of range in '-'") }
            return .duration(CELDuration(nanoseconds: total))
        default:
            throw OperationFailure(message: "cannot apply '\(op.rawValue)' to \(lhs.typeName) and \(rhs.typeName)")
        }
    }

    static func negate(_ duration: CELDuration) throws -> ExpressionValue {
        let (result, overflow) = Int64(0).subtractingReportingOverflow(duration.nanoseconds)
        guard !overflow else { throw OperationFailure(message: "duration out of range in '-'") }
        return .duration(CELDuration(nanoseconds: result))
    }

    /// The timestamp `nanoseconds` later (or earlier, negated); none of the sums can
    /// overflow, as seconds are at most about 2.5e11 and a duration at most 9.3e9 seconds.
    static func shift(_ time: CELTimestamp, by nanoseconds: Int64, negate: Bool) throws -> CELTimestamp {
        var seconds = nanoseconds / CELDuration.nanosecondsPerSecond
        var nanos = nanoseconds % CELDuration.nanosecondsPerSecond
        if negate {
            seconds = -seconds
            nanos = -nanos
        }
        var totalNanos = time.nanos + nanos
        var totalSeconds = time.seconds + seconds
        if totalNanos < 0 {
            totalNanos += CELDuration.nanosecondsPerSecond
            totalSeconds -= 1
        } else if totalNanos >= CELDuration.nanosecondsPerSecond {
            totalNanos -= CELDuration.nanosecondsPerSecond
            totalSeconds += 1
        }
        return try CELTimestamp(seconds: totalSeconds, nanos: totalNanos)
    }

    /// Equality and ordering within one time type; `nil` across types.
    static func compare(_ lhs: ExpressionValue, _ rhs: ExpressionValue) -> Int? {
        switch (lhs, rhs) {
        case (.timestamp(let a), .timestamp(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.duration(let a), .duration(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        default: return nil
        }
    }
}

/// The getters CEL defines on timestamps, in UTC or in the time zone given as their
/// argument (an IANA name such as `"Europe/Paris"`, or a fixed offset such as `"+05:30"`).
enum TimestampGetter: String, Sendable, CaseIterable {
    case getFullYear, getMonth, getDate, getDayOfMonth, getDayOfWeek, getDayOfYear
    case getHours, getMinutes, getSeconds, getMilliseconds

    /// Whether a duration has this getter too (the total of that unit, truncated).
    var appliesToDurations: Bool {
        [.getHours, .getMinutes, .getSeconds, .getMilliseconds].contains(self)
    }

    func apply(to receiver: ExpressionValue, timeZone: JSONValue?) throws -> JSONValue {
        switch receiver {
        case .duration(let duration) where appliesToDurations:
            guard timeZone == nil else {
                throw OperationFailure(message: ".\(rawValue)() takes no time zone for a duration")
            }
            let unit: Int64
            switch self {
            case .getHours: unit = 3_600 * CELDuration.nanosecondsPerSecond
            case .getMinutes: unit = 60 * CELDuration.nanosecondsPerSecond
            case .getSeconds: unit = CELDuration.nanosecondsPerSecond
            default: unit = 1_000_000
            }
            return .integer(duration.nanoseconds / unit)
        case .timestamp(let time):
            let offset = try timeZone.map { try Self.offset(of: $0, at: time) } ?? 0
            return .integer(component(of: time, offset: offset))
        default:
            throw OperationFailure(message: ".\(rawValue)() is not defined for \(receiver.typeName)")
        }
    }

    private func component(of time: CELTimestamp, offset: Int64) -> Int64 {
        let (days, secondOfDay) = CELTimestamp.floorDivide(time.seconds + offset, 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        switch self {
        case .getFullYear: return date.year
        case .getMonth: return date.month - 1
        case .getDate: return date.day
        case .getDayOfMonth: return date.day - 1
        // 1970-01-01 was a Thursday (4, counting from Sunday as 0).
        case .getDayOfWeek: return CELTimestamp.floorDivide(days + 4, 7).remainder
        case .getDayOfYear: return days - CivilDate(year: date.year, month: 1, day: 1).daysSinceEpoch
        case .getHours: return secondOfDay / 3_600
        case .getMinutes: return secondOfDay / 60 % 60
        case .getSeconds: return secondOfDay % 60
        case .getMilliseconds: return time.nanos / 1_000_000
        }
    }

    /// Seconds east of UTC for the zone at that moment.
    private static func offset(of zone: JSONValue, at time: CELTimestamp) throws -> Int64 {
        guard case .string(let name) = zone else {
            throw OperationFailure(message: "a time zone must be a string, got \(ExpressionOperations.typeName(zone))")
        }
        let bytes = Array(name.utf8)
        if bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"), bytes[3] == UInt8(ascii: ":"),
            let hours = Int64(String(decoding: bytes[1..<3], as: UTF8.self)),
            let minutes = Int64(String(decoding: bytes[4..<6], as: UTF8.self)), hours < 24, minutes < 60
        {
            let seconds = hours * 3_600 + minutes * 60
            return bytes[0] == UInt8(ascii: "-") ? -seconds : seconds
        }
        guard name.utf8.count <= 64, let timeZone = TimeZone(identifier: name) else {
            throw OperationFailure(message: "unknown time zone '\(CELDuration.excerpt(name))'")
        }
        return Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time.seconds))))
    }
}
