/// CEL's `google.protobuf.Timestamp`: seconds since the Unix epoch and nanoseconds within
/// the second, limited to the years 0001 to 9999 as CEL requires; anything that would leave
/// that range is an error.
struct CELTimestamp: Sendable, Hashable, Comparable {
    /// 0001-01-01T00:00:00Z
    static let minimumSeconds: Int64 = -62_135_596_800
    /// 9999-12-31T23:59:59Z
    static let maximumSeconds: Int64 = 253_402_300_799

    let seconds: Int64
    /// 0 ..< 1,000,000,000
    let nanos: Int64

    static func < (lhs: CELTimestamp, rhs: CELTimestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    /// 1970-01-01T00:00:00Z
    static let epoch = CELTimestamp(checkedSeconds: 0, nanos: 0)

    private init(checkedSeconds seconds: Int64, nanos: Int64) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// A timestamp, or an error when it is outside the years 0001–9999.
    init(seconds: Int64, nanos: Int64 = 0) throws {
        guard (Self.minimumSeconds...Self.maximumSeconds).contains(seconds),
            (0..<CELDuration.nanosecondsPerSecond).contains(nanos)
        else { throw OperationFailure(message: "timestamp is out of the range of years 0001 to 9999") }
        self.seconds = seconds
        self.nanos = nanos
    }

    /// RFC 3339 as Go writes it with nanosecond precision: UTC with `Z`, trailing zeros of
    /// the fraction dropped (`2026-01-02T03:04:05.5Z`).
    var rfc3339: String {
        let (days, secondOfDay) = Self.floorDivide(seconds, 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        var text =
            Self.pad(date.year, 4) + "-" + Self.pad(date.month, 2) + "-" + Self.pad(date.day, 2) + "T"
            + Self.pad(secondOfDay / 3_600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2) + ":"
            + Self.pad(secondOfDay % 60, 2)
        if nanos > 0 {
            var digits = Self.pad(nanos, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// Parses RFC 3339 as Go's `time.Parse(time.RFC3339, …)` does, which cel-go's
    /// `timestamp()` uses: `2026-01-02T03:04:05Z`, with an optional fraction of a second
    /// and `Z` or a `±hh:mm` offset.
    init(rfc3339 text: String) throws {
        let invalid = OperationFailure(message: "invalid timestamp '\(CELDuration.excerpt(text))'; expected RFC 3339")
        let bytes = Array(text.utf8)
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
            let day = reader.number(2), reader.skip("T"), let hour = reader.number(2), reader.skip(":"),
            let minute = reader.number(2), reader.skip(":"), let second = reader.number(2)
        else { throw invalid }
        var nanos: Int64 = 0
        if reader.skip(".") {
            var digits = 0
            while let digit = reader.digit() {
                // Digits past nanoseconds are dropped, as Go does.
                if digits < 9 { nanos = nanos * 10 + digit }
                digits += 1
            }
            guard digits > 0 else { throw invalid }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        if !reader.skip("Z") {
            let sign: Int64
            if reader.skip("+") {
                sign = 1
            } else if reader.skip("-") {
                sign = -1
            } else {
                throw invalid
            }
            guard let hours = reader.number(2), reader.skip(":"), let minutes = reader.number(2), hours < 24,
                minutes < 60
            else { throw invalid }
            offset = sign * (hours * 3_600 + minutes * 60)
        }
        guard reader.atEnd, (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { throw invalid }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        try self.init(seconds: days * 86_400 + hour * 3_600 + minute * 60 + second - offset, nanos: nanos)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads fixed-width ASCII digits and separators; every number here has at most four
/// digits, so none can overflow.
private struct DigitReader {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func digit() -> Int64? {
        guard position < bytes.count, (48...57).contains(bytes[position]) else { return nil }
        position += 1
        return Int64(bytes[position - 1] - 48)
    }

    mutating func number(_ width: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<width {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func skip(_ scalar: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(scalar.value) else { return false }
        position += 1
        return true
    }
}

/// A proleptic Gregorian date, as Go and CEL use for every year (Foundation's calendar
/// switches to Julian dates before 1582).
struct CivilDate {
    let year: Int64
    let month: Int64
    let day: Int64

    init(year: Int64, month: Int64, day: Int64) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// From days since 1970-01-01, counting 400-year eras of 146,097 days from 0000-03-01.
    init(daysSinceEpoch: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = CELTimestamp.floorDivide(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    var daysSinceEpoch: Int64 {
        let marchYear = month <= 2 ? year - 1 : year
        let era = CELTimestamp.floorDivide(marchYear, 400).quotient
        let yearOfEra = marchYear - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
