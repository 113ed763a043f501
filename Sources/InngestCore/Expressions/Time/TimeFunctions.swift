import Foundation

/// The functions that make time values: CEL's `timestamp(x)` and `duration(s)`, and
/// Inngest's `date(x)`, `now_plus(s)` and `now_minus(s)`.
enum TimeFunctions {
    static func apply(
        _ function: ExpressionFunction, _ argument: ExpressionValue, now: CELTimestamp
    ) throws
        -> ExpressionValue
    {
        switch (function, argument) {
        case (.timestamp, .timestamp), (.date, .timestamp), (.duration, .duration):
            return argument
        case (.timestamp, .json(.string(let text))):
            return .timestamp(try CELTimestamp(rfc3339: text))
        case (.timestamp, .json(.integer(let seconds))):
            return .timestamp(try CELTimestamp(seconds: seconds))
        case (.duration, .json(.string(let text))):
            return .duration(try CELDuration(parsing: text))
        case (.date, .json(let json)):
            return .timestamp(try date(json))
        case (.nowPlus, .json(.string(let text))), (.nowMinus, .json(.string(let text))):
            let span = try CELDuration(parsing: text, extraUnits: true)
            return .timestamp(try TemporalOperations.shift(now, by: span.nanoseconds, negate: function == .nowMinus))
        default:
            throw OperationFailure(message: "\(function.rawValue)() is not defined for \(argument.typeName)")
        }
    }

    /// The moment an evaluation starts, at whole-nanosecond precision.
    static func timestamp(of date: Date) -> CELTimestamp {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let nanos = ((date.timeIntervalSince1970 - seconds) * 1e9).rounded(.down)
        guard let whole = Int64(exactly: seconds),
            let time = try? CELTimestamp(
                seconds: whole, nanos: min(max(Int64(exactly: nanos) ?? 0, 0), CELDuration.nanosecondsPerSecond - 1))
        else { return .epoch }
        return time
    }

    /// Inngest's `date()`: RFC 3339, `2006-01-02T15:04:05` or `2006-01-02` (both UTC), or a
    /// number read as Unix seconds, milliseconds or nanoseconds by its size (from the year
    /// 2000 on, as the server does). The server's other text formats (RFC 1123, RFC 822, ANSI
    /// C and the like) are not read.
    static func date(_ value: JSONValue) throws -> CELTimestamp {
        switch value {
        case .string(let text):
            if let time = try? CELTimestamp(rfc3339: text) { return time }
            if let time = try? CELTimestamp(rfc3339: text + "Z") { return time }
            if let time = try? CELTimestamp(rfc3339: text + "T00:00:00Z") { return time }
            throw OperationFailure(message: "date(): unknown date format '\(CELDuration.excerpt(text))'")
        case .integer, .double:
            guard let number = value.integerValue, number >= 946_684_800 else {
                throw OperationFailure(message: "date(): \(value) is not a Unix time from the year 2000 on")
            }
            if number < 9_999_999_999 { return try CELTimestamp(seconds: number) }
            if number < 9_999_999_999_999 {
                return try CELTimestamp(seconds: number / 1_000, nanos: number % 1_000 * 1_000_000)
            }
            return try CELTimestamp(seconds: number / 1_000_000_000, nanos: number % 1_000_000_000)
        default:
            throw OperationFailure(message: "date() is not defined for \(ExpressionOperations.typeName(value))")
        }
    }
}
