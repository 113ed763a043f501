import Logging

/// Drops log lines while the handler replays code that already ran in an earlier
/// execution, so each line is written once per run however often the handler re-runs.
struct ReplayAwareLogHandler: LogHandler {
    private var wrapped: any LogHandler
    private let isMuted: @Sendable () -> Bool

    init(wrapping wrapped: any LogHandler, isMuted: @escaping @Sendable () -> Bool) {
        self.wrapped = wrapped
        self.isMuted = isMuted
    }

    func log(event: LogEvent) {
        if !isMuted() { wrapped.log(event: event) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }
}
