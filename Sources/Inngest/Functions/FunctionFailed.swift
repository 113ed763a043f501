/// The data of `inngest/function.failed`: what an `onFailure` handler receives.
public struct FunctionFailed: EventPayload, Hashable {
    /// `inngest/function.failed`.
    public static let eventName = InngestEventName.functionFailed

    /// The composite id `<app>-<function>` of the function that failed.
    public var functionID: String
    /// The run that failed.
    public var runID: String
    /// The event that started the failed run.
    public var event: AnyEvent
    /// The run's final error.
    public var error: SerializedError

    /// - Parameters:
    ///   - functionID: The failed function's composite id.
    ///   - runID: The failed run's id.
    ///   - event: The event that started the failed run.
    ///   - error: The error it failed with.
    public init(functionID: String, runID: String, event: AnyEvent, error: SerializedError) {
        self.functionID = functionID
        self.runID = runID
        self.event = event
        self.error = error
    }

    private enum CodingKeys: String, CodingKey {
        case functionID = "function_id"
        case runID = "run_id"
        case event, error
    }
}

/// A function's failure handler: runs once after the function fails for good.
public typealias FailureHandler = @Sendable (Context<FunctionFailed>) async throws -> Void
