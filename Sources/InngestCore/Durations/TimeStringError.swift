/// Why a time string was rejected.
public struct TimeStringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the time string.
    public enum Reason: Sendable, Hashable {
        case empty
        case negative
        case missingUnit(number: String)
        case unknownUnit(String)
        case missingNumber(at: Int)
        case malformedNumber(String)
        case tooLarge
    }

    /// The text that failed to parse.
    public let input: String
    /// What is wrong with it.
    public let reason: Reason

    public var description: String {
        let units = "ns, us, ms, s, m, h, d, w or their long names"
        let why: String
        switch reason {
        case .empty: why = "it is empty"
        case .negative: why = "durations cannot be negative"
        case .missingUnit(let number): why = "the number \(number) has no unit (use \(units))"
        case .unknownUnit(let unit): why = "unknown unit \"\(unit)\" (use \(units))"
        case .missingNumber(let offset): why = "expected a number at character \(offset + 1)"
        case .malformedNumber(let number): why = "\"\(number)\" is not a number"
        case .tooLarge: why = "it exceeds the largest duration (about 292 years)"
        }
        return "invalid time string \"\(input)\": \(why)"
    }
}
