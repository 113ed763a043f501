import Foundation

/// Reads time strings in both forms Inngest SDKs accept: Go-style compounds
/// (`"1h30m"`, `"1w2d"`, `"1.5h"`, what the server parses) and the long forms of the
/// JavaScript `ms` package (`"1 hour"`, `"30 mins"`, `"2.5 days"`), and writes the
/// canonical compound form the server reads.
enum TimeStringParser {
    private static let nanosecondsPerUnit: [String: Int64] = {
        let second: Int64 = 1_000_000_000
        let table: [(Int64, [String])] = [
            (1, ["ns", "nanosecond", "nanoseconds"]),
            (1_000, ["us", "µs", "μs", "microsecond", "microseconds"]),
            (1_000_000, ["ms", "msec", "msecs", "millisecond", "milliseconds"]),
            (second, ["s", "sec", "secs", "second", "seconds"]),
            (60 * second, ["m", "min", "mins", "minute", "minutes"]),
            (3_600 * second, ["h", "hr", "hrs", "hour", "hours"]),
            (86_400 * second, ["d", "day", "days"]),
            (604_800 * second, ["w", "wk", "wks", "week", "weeks"]),
        ]
        var units: [String: Int64] = [:]
        for (size, names) in table { for name in names { units[name] = size } }
        return units
    }()

    static func nanoseconds(of input: String) throws(TimeStringError) -> Int64 {
        func fail(_ reason: TimeStringError.Reason) -> TimeStringError { TimeStringError(input: input, reason: reason) }

        let characters = Array(input.lowercased())
        var index = 0
        func skipSpaces() { while index < characters.count, characters[index] == " " { index += 1 } }

        skipSpaces()
        guard index < characters.count else { throw fail(.empty) }
        if characters[index] == "-" { throw fail(.negative) }
        if characters[index] == "+" { index += 1 }

        var total: Int64 = 0
        while true {
            skipSpaces()
            if index >= characters.count { break }
            let numberStart = index
            while index < characters.count, characters[index].isASCII, characters[index].isNumber || characters[index] == "." {
                index += 1
            }
            let number = String(characters[numberStart..<index])
            guard !number.isEmpty else { throw fail(.missingNumber(at: numberStart)) }
            guard number.filter({ $0 == "." }).count <= 1, number != ".", let value = Double(number) else {
                throw fail(.malformedNumber(number))
            }
            skipSpaces()
            let unitStart = index
            while index < characters.count, characters[index].isLetter { index += 1 }
            let unit = String(characters[unitStart..<index])
            guard !unit.isEmpty else { throw fail(.missingUnit(number: number)) }
            guard let size = nanosecondsPerUnit[unit] else { throw fail(.unknownUnit(unit)) }
            guard let part = Self.nanoseconds(number, value: value, unitSize: size),
                case (let sum, false) = total.addingReportingOverflow(part)
            else { throw fail(.tooLarge) }
            total = sum
        }
        return total
    }

    /// `number` units of `unitSize` ns, exactly for the whole part (so a written-out
    /// duration reads back to the nanosecond) and rounded for the fraction; `nil` past `Int64`.
    private static func nanoseconds(_ number: String, value: Double, unitSize: Int64) -> Int64? {
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole: Int64 = 0
        if let digits = parts.first, !digits.isEmpty {
            guard let parsed = Int64(digits) else { return nil }
            whole = parsed
        }
        guard case (let scaled, false) = whole.multipliedReportingOverflow(by: unitSize) else { return nil }
        // The fraction of one unit is less than `unitSize`, so it converts without overflow.
        let fraction = (value - value.rounded(.towardZero)) * Double(unitSize)
        guard case (let total, false) = scaled.addingReportingOverflow(Int64(fraction.rounded())) else { return nil }
        return total
    }

    /// The text itself (lowercased, trimmed) when it is already in the compact form the
    /// server's parser reads (`<number><unit>` groups, units ns us ms s m h d w), else `nil`.
    static func compactForm(of input: String) -> String? {
        let text = input.lowercased().trimmingCharacters(in: .whitespaces)
        let units: Set<String> = ["ns", "us", "ms", "s", "m", "h", "d", "w"]
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.first != ".", number.last != ".", number.filter({ $0 == "." }).count <= 1 else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            guard units.contains(String(unit)) else { return nil }
            rest = rest.dropFirst(unit.count)
        }
        return text
    }

    /// `w d h m s` parts with integer counts, then `ms`, `us`, `ns` for any remainder:
    /// `"1w2d"`, `"1h30m"`, `"1s500ms"`, `"0s"`.
    static func canonical(nanoseconds: Int64) -> String {
        guard nanoseconds > 0 else { return "0s" }
        let second: Int64 = 1_000_000_000
        let parts: [(Int64, String)] = [
            (604_800 * second, "w"), (86_400 * second, "d"), (3_600 * second, "h"), (60 * second, "m"),
            (second, "s"), (1_000_000, "ms"), (1_000, "us"), (1, "ns"),
        ]
        var remaining = nanoseconds
        var text = ""
        for (size, unit) in parts where remaining >= size {
            text += "\(remaining / size)\(unit)"
            remaining %= size
        }
        return text
    }
}
