/// A step used in a way that can never succeed: retrying cannot help, so it is not retried.
public struct StepUsageError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// A step tool was called inside the body of another step.
        case nested(outer: String, inner: String)
        case tooManySteps(limit: Int)
        case outputTooLarge(bytes: Int, limit: Int)
        case invalidDuration(TimeStringError)
        case durationTooLong(String, limit: String)
        case unencodableOutput(String)
        case undecodableResult(type: String, reason: String)
        case invokeDataNotAnObject
        /// A signal name that is empty or longer than ``/InngestCore/InngestLimits/maxSignalNameBytes`` (`bytes` is its UTF-8 length).
        case invalidSignalName(bytes: Int, limit: Int)
    }

    /// The user id of the step.
    public let stepID: String
    public let problem: Problem

    public init(stepID: String, problem: Problem) {
        self.stepID = stepID
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .nested(let outer, let inner):
            return "step \"\(inner)\" was called inside the body of step \"\(outer)\"; steps cannot be nested (call \"\(inner)\" after \"\(outer)\" returns)"
        case .tooManySteps(let limit):
            return "step \"\(stepID)\" exceeds the limit of \(limit) steps per run"
        case .outputTooLarge(let bytes, let limit):
            return "the output of step \"\(stepID)\" is \(bytes) bytes, over the limit of \(limit) bytes"
        case .invalidDuration(let error):
            return "step \"\(stepID)\": \(error.description)"
        case .durationTooLong(let value, let limit):
            return "step \"\(stepID)\": \(value) exceeds the limit of \(limit)"
        case .unencodableOutput(let reason):
            return "the output of step \"\(stepID)\" cannot be encoded as JSON: \(reason)"
        case .undecodableResult(let type, let reason):
            return "the recorded result of step \"\(stepID)\" does not decode as \(type): \(reason)"
        case .invokeDataNotAnObject:
            return "step \"\(stepID)\": invoke data must encode to a JSON object (it becomes the invoked run's event data)"
        case .invalidSignalName(let bytes, let limit):
            if bytes == 0 { return "step \"\(stepID)\": the signal name is empty" }
            return "step \"\(stepID)\": the signal name is \(bytes) bytes, over the limit of \(limit) bytes"
        }
    }
}
