/// CEL's `google.protobuf.Duration` as cel-go holds it: a signed count of nanoseconds in
/// an Int64 (about ±292 years); arithmetic leaving that range is an error.
struct CELDuration: Sendable, Hashable, Comparable {
    static let nanosecondsPerSecond: Int64 = 1_000_000_000

    let nanoseconds: Int64

    static func < (lhs: CELDuration, rhs: CELDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// `"90s"`, `"1.5s"`, `"-0.000000001s"`: the seconds with as many decimals as needed,
    /// as cel-go's `string(duration)` writes them.
    var secondsText: String {
        let negative = nanoseconds < 0
        // The magnitude of Int64.min does not fit an Int64, so it is taken as a UInt64.
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / UInt64(Self.nanosecondsPerSecond)
        let fraction = magnitude % UInt64(Self.nanosecondsPerSecond)
        var text = (negative ? "-" : "") + String(whole)
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "s"
    }

    /// Parses Go's `time.ParseDuration` syntax, which cel-go's `duration()` uses: an
    /// optional sign, then one or more decimal numbers each with a unit, `ns`, `us` (or
    /// `µs`), `ms`, `s`, `m` or `h`, such as `"1h30m"`, `"-1.5s"` or `"0"`.
    /// `extraUnits` adds `d` (24h) and `w` (7d) for Inngest's `now_plus()` and `now_minus()`.
    init(parsing text: String, extraUnits: Bool = false) throws {
        func invalid() -> OperationFailure {
            OperationFailure(message: "invalid duration '\(Self.excerpt(text))'")
        }
        var scalars = Substring(text).unicodeScalars[...]
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        if String(String.UnicodeScalarView(scalars)) == "0" {
            self.nanoseconds = 0
            return
        }
        guard !scalars.isEmpty else { throw invalid() }
        var total: Int64 = 0
        while !scalars.isEmpty {
            let wholeDigits = scalars.prefix { ("0"..."9").contains($0) }
            scalars = scalars.dropFirst(wholeDigits.count)
            var fractionDigits = Substring.UnicodeScalarView()[...]
            if scalars.first == "." {
                scalars = scalars.dropFirst()
                fractionDigits = scalars.prefix { ("0"..."9").contains($0) }
                scalars = scalars.dropFirst(fractionDigits.count)
            }
            guard !wholeDigits.isEmpty || !fractionDigits.isEmpty else { throw invalid() }
            let unitScalars = scalars.prefix { !("0"..."9").contains($0) && $0 != "." }
            scalars = scalars.dropFirst(unitScalars.count)
            guard let unit = Self.unit(String(String.UnicodeScalarView(unitScalars)), extraUnits: extraUnits) else {
                throw OperationFailure(
                    message: unitScalars.isEmpty
                        ? "missing unit in duration '\(Self.excerpt(text))'"
                        : "unknown unit '\(String(String.UnicodeScalarView(unitScalars)))' in duration '\(Self.excerpt(text))'")
            }
            let outOfRange = OperationFailure(message: "duration '\(Self.excerpt(text))' is out of range")
            let wholeText = String(String.UnicodeScalarView(wholeDigits))
            guard let whole = wholeText.isEmpty ? 0 : Int64(wholeText) else { throw outOfRange }
            var (part, overflow) = whole.multipliedReportingOverflow(by: unit)
            if !overflow, !fractionDigits.isEmpty {
                // As Go does it: the digits as an integer times unit/10^digits, through a
                // double, truncated to the nanosecond (so "0.455s" is exactly 455ms).
                var digits: Int64 = 0
                var scale: Double = 1
                for digit in fractionDigits.prefix(18) {
                    digits = digits * 10 + Int64(digit.value - 48)
                    scale *= 10
                }
                let fraction = (Double(digits) * (Double(unit) / scale)).rounded(.towardZero)
                (part, overflow) = part.addingReportingOverflow(Int64(exactly: fraction) ?? 0)
            }
            if !overflow { (total, overflow) = total.addingReportingOverflow(part) }
            if overflow { throw outOfRange }
        }
        self.nanoseconds = negative ? -total : total
    }

    init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    private static func unit(_ name: String, extraUnits: Bool) -> Int64? {
        switch name {
        case "ns": return 1
        case "us", "\u{B5}s", "\u{3BC}s": return 1_000
        case "ms": return 1_000_000
        case "s": return nanosecondsPerSecond
        case "m": return 60 * nanosecondsPerSecond
        case "h": return 3_600 * nanosecondsPerSecond
        case "d" where extraUnits: return 86_400 * nanosecondsPerSecond
        case "w" where extraUnits: return 7 * 86_400 * nanosecondsPerSecond
        default: return nil
        }
    }

    static func excerpt(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
    }
}
