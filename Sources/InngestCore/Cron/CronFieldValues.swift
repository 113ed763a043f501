/// The values one field of a parsed cron schedule allows.
struct CronFieldValues: Sendable, Hashable {
    /// Bit `n` is set when value `n` matches. Every field's values fit below 64.
    private(set) var bits: UInt64 = 0

    /// Whether the field was left open with `*` or `?` (no step, or step 1). Only the two day
    /// fields care: robfig/cron ORs them when both are restricted and ANDs them otherwise, and
    /// it counts `*/2` as restricted, so this is about how the field was written, not its values.
    private(set) var isUnrestricted = false

    init(bits: UInt64, isUnrestricted: Bool) {
        self.bits = bits
        self.isUnrestricted = isUnrestricted
    }

    /// Every value of the field, written as `*`.
    static func all(_ field: CronField) -> Self {
        var values = Self(bits: 0, isUnrestricted: true)
        for value in field.fullRange { values.bits |= 1 << UInt64(value) }
        return values
    }

    /// Just `value`, as descriptors such as `@daily` spell their fixed fields.
    static func only(_ value: Int) -> Self {
        Self(bits: 1 << UInt64(value), isUnrestricted: false)
    }

    func contains(_ value: Int) -> Bool {
        (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0
    }

    /// The smallest allowed value that is `value` or more; `nil` when there is none, which tells
    /// the search to carry into the next larger unit.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = bits & (UInt64.max << UInt64(max(value, 0)))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    /// Whether every value of `field` is allowed, however it was written (`*`, `0-23`, `*/1`).
    func coversAll(of field: CronField) -> Bool {
        field.fullRange.allSatisfy(contains)
    }
}

extension CronFieldValues {
    /// Parses one field: a comma-separated list of `*`, `?`, `value`, `start-end`, each
    /// optionally followed by `/step`.
    init(parsing text: Substring, as field: CronField, in expression: String) throws(CronParseError) {
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw .emptyListItem(text, field, in: expression) }
            try add(item, as: field, in: expression)
        }
    }

    private mutating func add(_ item: Substring, as field: CronField, in expression: String) throws(CronParseError) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .multipleSteps(item, field, in: expression) }
        let base = parts[0]
        let hasStep = parts.count == 2
        guard !base.isEmpty else { throw .missingStepBase(item, field, in: expression) }

        var step = 1
        if hasStep {
            step = try Self.step(parts[1], item: item, as: field, in: expression)
        }

        let lower: Int
        let upper: Int
        if base == "*" || base == "?" {
            guard base == "*" || field.acceptsQuestionMark else {
                throw .questionMarkNotAllowed(field, in: expression)
            }
            lower = field.fullRange.lowerBound
            upper = field.fullRange.upperBound
            if step == 1 { isUnrestricted = true }
        } else if base.contains("*") || base.contains("?") {
            throw .wildcardInRange(item, field, in: expression)
        } else {
            let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
            switch bounds.count {
            case 1:
                lower = try Self.value(bounds[0], as: field, in: expression)
                // "a/n" runs from a to the end of the field, as in robfig/cron; max() keeps a
                // written 7 (Sunday) from making the range run backwards.
                upper = hasStep ? max(field.fullRange.upperBound, lower) : lower
            case 2:
                guard !bounds[0].isEmpty else { throw .missingRangeBound(item, start: true, field, in: expression) }
                guard !bounds[1].isEmpty else { throw .missingRangeBound(item, start: false, field, in: expression) }
                lower = try Self.value(bounds[0], as: field, in: expression)
                upper = try Self.value(bounds[1], as: field, in: expression)
                guard lower <= upper else { throw .reversedRange(item, field, in: expression) }
            default:
                throw .malformedRange(item, field, in: expression)
            }
        }

        for value in stride(from: lower, through: upper, by: step) {
            bits |= 1 << UInt64(field.canonical(value))
        }
    }

    private static func value(_ text: Substring, as field: CronField, in expression: String) throws(CronParseError) -> Int {
        if let named = field.names[text.lowercased()] { return named }
        guard let number = saturatingNumber(text) else { throw .notANumber(text, field, in: expression) }
        guard field.writtenRange.contains(number) else { throw .outOfRange(text, field, in: expression) }
        return number
    }

    private static func step(_ text: Substring, item: Substring, as field: CronField, in expression: String) throws(CronParseError) -> Int {
        guard !text.isEmpty else { throw .missingStep(item, field, in: expression) }
        guard let step = saturatingNumber(text) else { throw .stepNotANumber(text, item: item, field, in: expression) }
        guard step > 0 else { throw .zeroStep(text, item: item, field, in: expression) }
        guard step <= field.largestStep else { throw .stepOutOfRange(text, item: item, field, in: expression) }
        return step
    }

    /// The value of an all-ASCII-digit string, capped so that `99999999999999999999` is reported
    /// as out of range instead of overflowing. `nil` for anything else (signs included).
    private static func saturatingNumber(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var number = 0
        for byte in text.utf8 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            number = min(number * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000)
        }
        return number
    }
}
