import Foundation
import Inngest
import InngestEngine

/// A run as a test sees it: its status, output or error, the events that started it and
/// its steps in the order they finished. Its description is the run's timeline, which the
/// `expect` methods put in the failures they throw.
public struct TestRun: Sendable, Hashable, CustomStringConvertible {
    /// The run's id.
    public let id: String
    /// The function's id (for a function of another app, `<app>-<function>`).
    public let functionID: String
    /// Where the run is: running, completed, failed, cancelled, skipped.
    public let status: RunStatus
    /// The function's return value, when it completed.
    public let output: JSONValue?
    /// Why the run failed, was cancelled or was skipped.
    public let error: SerializedError?
    /// The events that started the run (one, or a batch).
    public let events: [AnyEvent]
    /// Steps in the order they finished, unfinished ones last.
    public let steps: [StepSummary]
    /// When the run was created, on the virtual clock.
    public let createdAt: Date
    /// When it ended, if it did.
    public let endedAt: Date?
    /// What the run waits for, when a failure describes a run that cannot go on.
    var openWaits: [OpenWait] = []

    init(detail: RunDetail, events: [AnyEvent]) {
        id = detail.run.id
        functionID = detail.run.functionID
        status = detail.run.status
        output = detail.run.output
        error = detail.run.error
        self.events = events
        steps = detail.steps
        createdAt = detail.run.createdAt
        endedAt = detail.run.endedAt
    }

    /// The first step with the user id `id` (its first use when the id repeats).
    ///
    /// - Parameter id: The step's id, as the function writes it.
    /// - Returns: The step, or `nil` when the run has none with that id.
    public func step(_ id: String) -> StepSummary? {
        steps.first { $0.userID == id }
    }

    /// The output decoded as `type`, through the same JSON codec as production.
    ///
    /// - Parameter type: The type to decode.
    /// - Returns: The decoded output.
    /// - Throws: ``RunExpectationFailure`` when the run has no output or it does not decode.
    public func output<Value: Decodable>(as type: Value.Type) throws -> Value {
        guard let output else { throw RunExpectationFailure("run has no output", run: self) }
        do {
            return try JSONCodec.shared.decode(type, from: output)
        } catch {
            throw RunExpectationFailure("the output does not decode as \(type): \(error)", run: self)
        }
    }

    /// Returns the output as `type` if the run completed; otherwise throws a failure that
    /// shows the run's timeline.
    @discardableResult
    public func expectCompleted<Value: Decodable>(as type: Value.Type = JSONValue.self) throws -> Value {
        guard status == .completed else { throw RunExpectationFailure("expected the run to complete, it is \(status)", run: self) }
        return try output(as: type)
    }

    /// Returns the run's error if it failed; otherwise throws a failure that shows the timeline.
    @discardableResult
    public func expectFailed() throws -> SerializedError {
        guard status == .failed, let error else { throw RunExpectationFailure("expected the run to fail, it is \(status)", run: self) }
        return error
    }

    /// Throws a failure showing the timeline unless the run is in `expected`.
    public func expectStatus(_ expected: RunStatus) throws {
        guard status == expected else { throw RunExpectationFailure("expected the run to be \(expected), it is \(status)", run: self) }
    }

    /// Returns step `id`; throws a failure listing the run's steps if it has none of that id.
    public func expectStep(_ id: String) throws -> StepSummary {
        guard let step = step(id) else { throw RunExpectationFailure("the run has no step \"\(id)\"", run: self) }
        return step
    }

    public var description: String { timeline }

    /// The run drawn as text: one line per step with its time from the run's start, kind,
    /// status, attempts and result.
    public var timeline: String {
        var lines = ["run \(id) of \(functionID): \(status)"]
        for event in events {
            lines.append("  event \(event.name) \(Self.brief(event.data))")
        }
        for step in steps {
            var line = "  \(Self.offset(step.startedAt, from: createdAt))"
            if let ended = step.endedAt, ended != step.startedAt { line += "…\(Self.offset(ended, from: createdAt))" }
            line = line.padding(toLength: 22, withPad: " ", startingAt: 0)
            line += "\(step.kind.rawValue) \"\(step.userID)\"\(step.index > 0 ? " #\(step.index)" : "") \(step.status.rawValue)"
            if step.attempts > 0 { line += ", \(step.attempts) attempt\(step.attempts == 1 ? "" : "s")" }
            if let error = step.error { line += " ✗ \(error.name): \(error.message)" } else if let output = step.output { line += " → \(Self.brief(output))" }
            lines.append(line)
        }
        for wait in openWaits {
            let condition = wait.condition.map { " if \($0)" } ?? ""
            let until = ISO8601Timestamp.string(from: wait.expiresAt)
            lines.append("  \(wait.isCancellation ? "cancels on" : "waits for") event \(wait.eventName)\(condition) until \(until)")
        }
        if let output { lines.append("  output → \(Self.brief(output))") }
        if let error { lines.append("  error ✗ \(error.name): \(error.message)") }
        return lines.joined(separator: "\n")
    }

    private static func offset(_ date: Date?, from start: Date) -> String {
        guard let date else { return "?" }
        let seconds = date.timeIntervalSince(start)
        switch abs(seconds) {
        case ..<1: return String(format: "+%.0fms", seconds * 1_000)
        case ..<3_600: return String(format: "+%.0fs", seconds)
        case ..<86_400: return String(format: "+%.1fh", seconds / 3_600)
        default: return String(format: "+%.1fd", seconds / 86_400)
        }
    }

    private static func brief(_ value: JSONValue) -> String {
        let text = (try? String(decoding: JSONCodec.shared.encode(value), as: UTF8.self)) ?? "\(value)"
        return text.count > 120 ? String(text.prefix(117)) + "…" : text
    }
}

/// A test's expectation about a run did not hold; the description shows the run's timeline.
public struct RunExpectationFailure: Error, Sendable, CustomStringConvertible {
    /// What did not hold.
    public let message: String
    /// The run, whose description is its timeline.
    public let run: TestRun

    init(_ message: String, run: TestRun) {
        self.message = message
        self.run = run
    }

    public var description: String { "\(message)\n\(run.timeline)" }
}
