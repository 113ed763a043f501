/// Syntax checks for the expression and cron strings in options. They delegate to the
/// one parser of each language, so registration, the build plugin and the engines
/// reject the same inputs with the same words.
enum ExpressionSyntax {
    static func problem(in source: String) -> String? {
        do {
            _ = try Expression(source)
            return nil
        } catch {
            return String(describing: error)
        }
    }
}

enum CronSyntax {
    static func problem(in schedule: String) -> String? {
        do {
            _ = try CronSchedule(schedule)
            return nil
        } catch {
            return String(describing: error)
        }
    }
}
