/// A length of time as Inngest writes it: a *time string* such as `"30s"`, `"1h30m"`,
/// `"2.5d"`, `"1 hour"` or `"30 mins"`, or a Swift `Duration`.
///
/// String literals are accepted where an `InngestDuration` is expected, so options
/// read like Inngest's own (`debounce: .init(period: "5m")`). A literal that does not
/// parse is kept and reported by ``FunctionConfiguration/validate()`` (and by the
/// build plugin, at the source line) instead of trapping; ``duration()`` throws it.
public struct InngestDuration: Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    private enum Storage: Sendable {
        /// `text` keeps what the user wrote when the server reads it as is (`"7d"`, `"1.5h"`).
        case valid(nanoseconds: Int64, text: String?)
        case invalid(TimeStringError)
    }

    private let storage: Storage

    /// Parses a time string, throwing ``TimeStringError`` when it is not one.
    ///
    /// - Parameter timeString: A time string such as `"30s"`, `"1h30m"`, `"2.5d"` or `"1 hour"`.
    /// - Throws: ``TimeStringError`` naming what is wrong with it.
    public init(parsing timeString: String) throws(TimeStringError) {
        storage = .valid(nanoseconds: try TimeStringParser.nanoseconds(of: timeString), text: TimeStringParser.compactForm(of: timeString))
    }

    /// A time string written as a literal, such as `"1h30m"`; a bad one is kept as invalid and reported where it is used.
    public init(stringLiteral value: String) {
        do {
            self = try InngestDuration(parsing: value)
        } catch {
            storage = .invalid(error)
        }
    }

    /// A Swift duration, truncated to whole nanoseconds. Negative or out-of-range
    /// durations are kept as invalid and reported like a bad time string.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow || overflow2 {
            storage = .invalid(TimeStringError(input: "\(duration)", reason: .tooLarge))
        } else if total < 0 {
            storage = .invalid(TimeStringError(input: "\(duration)", reason: .negative))
        } else {
            storage = .valid(nanoseconds: total, text: nil)
        }
    }

    /// - Parameter value: A number of milliseconds.
    /// - Returns: The duration.
    public static func milliseconds(_ value: Int) -> InngestDuration { InngestDuration(.milliseconds(value)) }
    /// - Parameter value: A number of seconds.
    /// - Returns: The duration.
    public static func seconds(_ value: Int) -> InngestDuration { InngestDuration(.seconds(value)) }
    /// - Parameter value: A number of minutes.
    /// - Returns: The duration.
    public static func minutes(_ value: Int) -> InngestDuration { InngestDuration(.seconds(value.multipliedClamped(by: 60))) }
    /// - Parameter value: A number of hours.
    /// - Returns: The duration.
    public static func hours(_ value: Int) -> InngestDuration { InngestDuration(.seconds(value.multipliedClamped(by: 3_600))) }
    /// - Parameter value: A number of days.
    /// - Returns: The duration.
    public static func days(_ value: Int) -> InngestDuration { InngestDuration(.seconds(value.multipliedClamped(by: 86_400))) }
    /// - Parameter value: A number of weeks.
    /// - Returns: The duration.
    public static func weeks(_ value: Int) -> InngestDuration { InngestDuration(.seconds(value.multipliedClamped(by: 604_800))) }

    /// The duration, or the error that made the time string invalid.
    public func duration() throws(TimeStringError) -> Duration {
        switch storage {
        case .valid(let nanoseconds, _): return .nanoseconds(nanoseconds)
        case .invalid(let error): throw error
        }
    }

    /// Whole nanoseconds, or the error that made the time string invalid.
    public func nanoseconds() throws(TimeStringError) -> Int64 {
        switch storage {
        case .valid(let nanoseconds, _): return nanoseconds
        case .invalid(let error): throw error
        }
    }

    /// The parse error of an invalid literal; `nil` when valid.
    public var error: TimeStringError? {
        if case .invalid(let error) = storage { return error }
        return nil
    }

    /// The time string sent on the wire: the one written, when the server reads it as it is
    /// (`"7d"`, `"1h30m"`), else the canonical form (`"1 hour"` → `"1h"`, 90 s → `"1m30s"`);
    /// for an invalid value, the text that failed to parse.
    public var timeString: String {
        switch storage {
        case .valid(let nanoseconds, let text): return text ?? TimeStringParser.canonical(nanoseconds: nanoseconds)
        case .invalid(let error): return error.input
        }
    }

    public var description: String { timeString }
}

extension InngestDuration: Hashable {
    /// Equal lengths are equal, however they were written; invalid values compare by their error.
    public static func == (lhs: InngestDuration, rhs: InngestDuration) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.valid(let a, _), .valid(let b, _)): return a == b
        case (.invalid(let a), .invalid(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .valid(let nanoseconds, _): hasher.combine(nanoseconds)
        case .invalid(let error): hasher.combine(error)
        }
    }
}

extension InngestDuration: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try InngestDuration(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(timeString)
    }
}

extension Int {
    /// Saturating multiplication for the convenience constructors: an absurd count
    /// becomes a duration that validation rejects as too large, never a trap.
    fileprivate func multipliedClamped(by factor: Int) -> Int {
        let (result, overflow) = multipliedReportingOverflow(by: factor)
        return overflow ? (self < 0 ? .min : .max) : result
    }
}
