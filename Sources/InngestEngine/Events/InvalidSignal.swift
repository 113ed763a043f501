import Inngest

/// A signal the engine refuses to send, with the field and the limit it breaks.
public struct InvalidSignal: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the signal.
    public enum Problem: Sendable, Hashable {
        /// The signal has no name: no wait could hold it.
        case emptyName
        /// The name is longer than `InngestLimits.maxSignalNameBytes` (UTF-8 bytes).
        case nameTooLong(bytes: Int, limit: Int)
        /// The encoded data is larger than a step's result may be (`InngestLimits.maxStepOutputBytes`):
        /// it becomes the result of the step that waits.
        case dataTooLarge(bytes: Int, limit: Int)
        /// The data nests arrays and objects deeper than `InngestLimits.maxEventNesting`.
        case nestedTooDeep(limit: Int)
    }

    /// What is wrong with the signal.
    public let problem: Problem

    /// - Parameter problem: What is wrong with the signal.
    public init(_ problem: Problem) {
        self.problem = problem
    }

    /// Whether the signal is refused for its size (`413` over HTTP) rather than its form.
    public var isTooLarge: Bool {
        if case .dataTooLarge = problem { return true }
        return false
    }

    public var description: String {
        switch problem {
        case .emptyName: return "signal: the signal name is empty"
        case .nameTooLong(let bytes, let limit): return "signal: the name is \(bytes) bytes, over the limit of \(limit) bytes"
        case .dataTooLarge(let bytes, let limit): return "data: the signal's data is \(bytes) bytes encoded, over the limit of \(limit) bytes"
        case .nestedTooDeep(let limit): return "data: arrays and objects nest deeper than \(limit) levels"
        }
    }

    /// Checks a signal before anything is written.
    static func check(_ signal: String, data: JSONValue) throws {
        let nameBytes = signal.utf8.count
        if nameBytes == 0 { throw InvalidSignal(.emptyName) }
        if nameBytes > InngestLimits.maxSignalNameBytes { throw InvalidSignal(.nameTooLong(bytes: nameBytes, limit: InngestLimits.maxSignalNameBytes)) }
        if data.nests(deeperThan: InngestLimits.maxEventNesting) { throw InvalidSignal(.nestedTooDeep(limit: InngestLimits.maxEventNesting)) }
        let bytes = try JSONText.write(data).utf8.count
        if bytes > InngestLimits.maxStepOutputBytes { throw InvalidSignal(.dataTooLarge(bytes: bytes, limit: InngestLimits.maxStepOutputBytes)) }
    }
}
