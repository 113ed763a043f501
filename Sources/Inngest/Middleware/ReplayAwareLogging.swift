import Logging

/// The middleware every function has, first of all: `ctx.logger` drops the lines the handler
/// writes while it replays code that already ran, so each line is written once per run
/// however often the handler re-runs, and carries the run's and function's ids.
struct ReplayAwareLogging: InngestMiddleware {
    func logger(_ logger: Logger, for run: RunInfo) -> Logger {
        var replayAware = Logger(label: logger.label) { _ in
            ReplayAwareLogHandler(wrapping: logger.handler) { run.isReplaying }
        }
        replayAware[metadataKey: "inngest.run_id"] = .string(run.runID)
        replayAware[metadataKey: "inngest.function_id"] = .string(run.functionID)
        return replayAware
    }
}
