import Foundation
import Inngest

/// Results to give steps and invokes instead of running them, for a ``TestEnvironment``.
///
/// A mock stands in for the step's work only: the run still records the step, retries a
/// failing mock with the function's backoff, and passes every mocked value through the JSON
/// codec, so a value the real step could not return (a `Date` where the step returns a
/// `String`, a key spelled differently) fails the test as it would fail in production.
///
/// ```swift
/// var mocks = StepMocks()
/// mocks.step("charge-card", returning: Receipt(id: "r-1"))
/// mocks.step("fetch-rates") { attempt in
///     if attempt == 0 { throw RatesUnavailable() }   // the first attempt fails, the retry succeeds
///     return Rates(eur: 1.08)
/// }
/// mocks.invoke(Functions.computeSquare) { input in SquareOutput(result: input.number * input.number) }
/// ```
public struct StepMocks: Sendable {
    struct StepMock: Sendable {
        let functionID: String?
        /// The mocked value's type, to name it when the step's result type does not match.
        let typeName: String
        let body: @Sendable (_ attempt: Int, _ identity: StepIdentity) async -> StepBodyOutcome
    }

    struct InvokeMock: Sendable {
        let reference: @Sendable (_ defaultAppID: String) -> String
        let body: @Sendable (_ data: JSONValue, _ identity: StepIdentity) async -> StepBodyOutcome
    }

    var steps: [String: StepMock] = [:]
    var invokes: [InvokeMock] = []

    /// No mocks: every step runs.
    public init() {}

    /// Gives step `id` the result of `body` instead of running the step. `body` gets the
    /// attempt (0 for the first); an error it throws fails the attempt as the step's own error
    /// would (``/Inngest/NonRetriableError`` and ``/Inngest/RetryAfterError`` included). Any kind of step can be
    /// mocked: a `run`, a `waitForEvent` (return the event, or `nil` for a timeout), a
    /// `waitForSignal` (return a ``/Inngest/ReceivedSignal``, or `nil` for a timeout), a `sleep`
    /// (return nothing: the sleep is skipped).
    ///
    /// - Parameters:
    ///   - id: The step's id, as the function writes it.
    ///   - function: the id of the function whose step it is; `nil` for a step of
    ///     that id in any function.
    ///   - body: Gives the step's result for an attempt, or throws its error.
    public mutating func step<Value: Encodable & Sendable>(
        _ id: String, in function: String? = nil, _ body: @escaping @Sendable (_ attempt: Int) async throws -> Value
    ) {
        steps[id] = StepMock(functionID: function, typeName: String(describing: Value.self)) { attempt, identity in
            do {
                return .success(try StepExecution.encode(try await body(attempt), of: identity))
            } catch {
                return .failure(SerializedError(error), Retriability(of: error))
            }
        }
    }

    /// Gives step `id` the result `value` on every attempt.
    ///
    /// - Parameters:
    ///   - id: The step's id, as the function writes it.
    ///   - function: The id of the function whose step it is; any function's when `nil`.
    ///   - value: The step's result.
    public mutating func step<Value: Encodable & Sendable>(_ id: String, in function: String? = nil, returning value: Value) {
        step(id, in: function) { _ in value }
    }

    /// Fails every attempt of step `id` with `error`.
    ///
    /// - Parameters:
    ///   - id: The step's id, as the function writes it.
    ///   - function: The id of the function whose step it is; any function's when `nil`.
    ///   - error: The error every attempt fails with.
    public mutating func step(_ id: String, in function: String? = nil, throwing error: any Error & Sendable) {
        steps[id] = StepMock(functionID: function, typeName: "an error") { _, _ in
            .failure(SerializedError(error), Retriability(of: error))
        }
    }

    /// Answers every invoke of `reference` with what `body` returns for its input, instead of
    /// starting the invoked function (which need not be in the environment: a function of
    /// another app, in any language). The input reaches `body` decoded from the JSON the
    /// invoke sends; an error `body` throws is the invoked run's failure.
    ///
    /// - Parameters:
    ///   - reference: The invoked function.
    ///   - body: Answers an invoke's input with the invoked function's result, or throws its failure.
    public mutating func invoke<Input: Codable & Sendable, Output: Codable & Sendable>(
        _ reference: FunctionReference<Input, Output>, _ body: @escaping @Sendable (Input) async throws -> Output
    ) {
        invokes.append(
            InvokeMock(
                reference: { reference.compositeID(defaultAppID: $0) }
            ) { data, identity in
                do {
                    var members = data.objectValue ?? [:]
                    members["_inngest"] = nil
                    let input = try StepExecution.decode(Input.self, from: .object(members), of: identity)
                    return .success(try StepExecution.encode(try await body(input), of: identity))
                } catch {
                    // An invoked run that fails is not retried by its caller.
                    return .failure(SerializedError(error), .nonRetriable)
                }
            })
    }
}
