import Foundation

/// Why a cron expression was rejected.
///
/// The description quotes the expression and says what is wrong in terms a user can act on,
/// naming the field, the offending text and what is allowed:
///
/// ```
/// cron "0 25 * * *": hour 25 is out of range 0-23
/// ```
package struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The expression exactly as it was given.
    package let expression: String
    /// The field at fault, or `nil` when the problem is the expression as a whole
    /// (field count, descriptor, time zone).
    package let field: CronField?
    /// What is wrong, without the expression, e.g. `hour 25 is out of range 0-23`.
    package let reason: String

    /// `cron "<expression>": <reason>`.
    package var description: String { "cron \"\(expression)\": \(reason)" }
}

// Foundation's `localizedDescription` would otherwise say only "The operation could not be completed".
extension CronParseError: LocalizedError {
    package var errorDescription: String? { description }
}

// The one place that words the messages, so they stay consistent.
extension CronParseError {
    private static let fieldsHint = "5 fields (minute hour day-of-month month day-of-week)"

    static func wrongFieldCount(_ count: Int, in expression: String) -> Self {
        let found = count == 0 ? "none" : "\(count)"
        return Self(
            expression: expression, field: nil,
            reason: "expected \(fieldsHint) or a descriptor such as @daily, found \(found)")
    }

    static func secondsField(in expression: String) -> Self {
        Self(
            expression: expression, field: nil,
            reason: "found 6 fields, but a seconds field is not supported; use \(fieldsHint)")
    }

    static func unknownDescriptor(_ text: Substring, in expression: String) -> Self {
        let reason: String
        if text == "@every" {
            reason = "@every intervals are not supported; use \(fieldsHint), e.g. \"*/5 * * * *\""
        } else {
            reason = "unknown descriptor \"\(text)\"; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"
        }
        return Self(expression: expression, field: nil, reason: reason)
    }

    static func textAfterDescriptor(_ descriptor: Substring, in expression: String) -> Self {
        Self(
            expression: expression, field: nil,
            reason: "unexpected text after \(descriptor); a descriptor stands alone")
    }

    static func missingTimeZone(_ prefix: Substring, in expression: String) -> Self {
        Self(expression: expression, field: nil, reason: "\(prefix) is missing a time zone name")
    }

    static func unknownTimeZone(_ name: Substring, in expression: String) -> Self {
        Self(
            expression: expression, field: nil,
            reason: "unknown time zone \"\(name)\"; use an IANA name such as Europe/Paris")
    }

    static func emptyListItem(_ text: Substring, _ field: CronField, in expression: String) -> Self {
        Self(expression: expression, field: field, reason: "\(field) \"\(text)\" has an empty list item")
    }

    static func notANumber(_ text: Substring, _ field: CronField, in expression: String) -> Self {
        let accepted = field.nameHint.map { " or \($0)" } ?? ""
        return Self(
            expression: expression, field: field,
            reason: "\(field) \"\(text)\" is not a number\(accepted)")
    }

    static func outOfRange(_ text: Substring, _ field: CronField, in expression: String) -> Self {
        let range = field.writtenRange
        let sunday = field == .dayOfWeek ? " (0 and 7 are Sunday)" : ""
        return Self(
            expression: expression, field: field,
            reason: "\(field) \(text) is out of range \(range.lowerBound)-\(range.upperBound)\(sunday)")
    }

    static func questionMarkNotAllowed(_ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) cannot be \"?\"; it is only allowed in day of month and day of week")
    }

    static func wildcardInRange(_ item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) \"\(item)\" is not valid; \"*\" and \"?\" stand alone or take a step such as \"*/5\"")
    }

    static func malformedRange(_ item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) \"\(item)\" is not a valid range; write it as start-end, e.g. \"1-5\"")
    }

    static func missingRangeBound(_ item: Substring, start: Bool, _ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) range \"\(item)\" is missing its \(start ? "start" : "end")")
    }

    static func reversedRange(_ item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) range \"\(item)\" is reversed; write the smaller value first")
    }

    static func missingStepBase(_ item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) \"\(item)\" has nothing before \"/\"; write e.g. \"*/5\"")
    }

    static func multipleSteps(_ item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(expression: expression, field: field, reason: "\(field) \"\(item)\" has more than one step")
    }

    static func missingStep(_ item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(expression: expression, field: field, reason: "\(field) \"\(item)\" is missing the step after \"/\"")
    }

    static func stepNotANumber(_ step: Substring, item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) step \"\(step)\" in \"\(item)\" is not a number")
    }

    static func zeroStep(_ step: Substring, item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(expression: expression, field: field, reason: "\(field) step \(step) in \"\(item)\" must be at least 1")
    }

    static func stepOutOfRange(_ step: Substring, item: Substring, _ field: CronField, in expression: String) -> Self {
        Self(
            expression: expression, field: field,
            reason: "\(field) step \(step) in \"\(item)\" is out of range 1-\(field.largestStep)")
    }
}
