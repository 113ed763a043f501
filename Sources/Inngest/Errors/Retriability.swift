/// Whether an error thrown by user code may be retried, following Inngest's rules.
public enum Retriability: Sendable, Hashable {
    /// Retry if attempts remain, optionally no sooner than the given time.
    case retriable(RetryAfterError.RetryAt?)
    /// Do not retry.
    case nonRetriable

    public init(of error: any Error) {
        switch error {
        case let error as ReportedError:
            self = error.retriability
        case is NonRetriableError, is StepError, is InvalidFunctionConfiguration, is StepUsageError:
            self = .nonRetriable
        case let error as RetryAfterError:
            self = .retriable(error.retryAt)
        default:
            self = .retriable(nil)
        }
    }
}
