/// Syntax checks for the expression and cron strings in options. They delegate to the
/// one parser of each language, so registration, the build plugin and the engines
/// reject the same inputs with the same words.
package enum SyntaxCheck {
    package static func expression(_ source: String) -> String? { problem { _ = try CELExpression(source) } }

    package static func cron(_ schedule: String) -> String? { problem { _ = try CronSchedule(schedule) } }

    /// The parser's message, or `nil` when it accepts the text.
    private static func problem(_ parse: () throws -> Void) -> String? {
        do {
            try parse()
            return nil
        } catch {
            return String(describing: error)
        }
    }
}
