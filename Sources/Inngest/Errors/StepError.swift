/// What a step throws when its memoized result is a failure: the step used up its
/// attempts (or threw ``NonRetriableError``) in an earlier request, or an invoked
/// function failed. Keeps the original error's name and message.
///
/// Catch it to handle a failed step; left uncaught it fails the run without retries,
/// since retrying the run cannot change a memoized result.
public struct StepError: Error, Sendable, CustomStringConvertible {
    /// The user id of the step that failed.
    public let stepID: String
    /// The original error's type name.
    public let name: String
    /// The original error's message.
    public let message: String
    /// The original error's stack trace, if its SDK sent one.
    public let stack: String?
    /// The original error's cause, if any.
    public let cause: JSONValue?
    /// Extra data the original error carried.
    public let data: JSONValue?

    /// The failure of step `stepID` with `error`.
    ///
    /// - Parameters:
    ///   - stepID: The failed step's id.
    ///   - error: The error it failed with.
    public init(stepID: String, error: SerializedError) {
        self.stepID = stepID
        self.name = error.name
        self.message = error.message
        self.stack = error.stack
        self.cause = error.cause
        self.data = error.data
    }

    /// The error as it travels on the wire.
    public var serialized: SerializedError {
        SerializedError(name: name, message: message, stack: stack, cause: cause, data: data)
    }

    public var description: String { "step \"\(stepID)\" failed: \(name): \(message)" }
}
