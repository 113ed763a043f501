import Foundation
import Inngest

/// One op an app reported in a `206` answer, as the engine acts on it.
///
/// Read as leniently as the Inngest server reads ops: the `op` name matches
/// case-insensitively; a sleep's duration may be in `opts.duration` or in `name` (TypeScript
/// puts a time string there, Python an ISO date); a wait's event may be in `opts.event` or in
/// `name`; timeouts may be time strings or dates.
///
/// Ops of features the engine does not run (``UnsupportedFeature``) are refused by name.
struct RemoteOp: Sendable {
    enum Action: Sendable {
        /// The step ran in the request that reported it (`StepRun`, `StepError`, `StepFailed`).
        case ran(StepBodyOutcome)
        /// The step must run in a call of its own (`StepPlanned`).
        case planned
        case sleep(SleepTarget)
        case waitForEvent(WaitForEventRequest)
        case invoke(InvokeRequest)
        case waitForSignal(WaitForSignalRequest)
        /// The function finished inside a `206` (`RunComplete`, sent by checkpointing SDKs).
        case complete(JSONValue)
    }

    let identity: StepIdentity
    let displayName: String
    let kind: StepKind
    let action: Action
    /// `opts.parallelMode: "race"`: a parallel branch whose siblings do not hold up discovery.
    let races: Bool

    /// An op the engine cannot act on; the message names the op and the field.
    struct Invalid: Error, Sendable, CustomStringConvertible {
        var description: String
        /// Set when the op belongs to a feature the engine does not run, rather than being malformed.
        var unsupported: UnsupportedFeature?
    }

    /// - Parameters:
    ///   - retryAt: the answer's `Retry-After`, for a `StepError`.
    init(json: JSONValue, retryAt: RetryAfterError.RetryAt?, now: Date) throws(Invalid) {
        guard case .object(let op) = json else { throw Invalid(description: "an op is not a JSON object") }
        guard let hashedID = op["id"]?.stringValue, !hashedID.isEmpty, hashedID.count <= 128 else {
            throw Invalid(description: "an op has no \"id\" (or one longer than 128 characters)")
        }
        guard let name = op["op"]?.stringValue else { throw Invalid(description: "op \(hashedID) has no \"op\" name") }
        let opts = op["opts"]?.objectValue ?? [:]
        let userland = op["userland"]?.objectValue
        let userID = userland?["id"]?.stringValue ?? op["displayName"]?.stringValue ?? op["name"]?.stringValue ?? hashedID
        identity = StepIdentity(hashedID: hashedID, userID: userID, index: Int(userland?["index"]?.integerValue ?? 0))
        displayName = op["displayName"]?.stringValue ?? userID
        switch opts["type"]?.stringValue {
        case "step.sendEvent": kind = .sendEvent
        case "step.sendSignal": kind = .sendSignal
        default: kind = .run
        }
        races = opts["parallelMode"]?.stringValue?.lowercased() == "race"
        let field = "op \(name) (\(userID))"

        switch name.lowercased() {
        case "steprun", "step":
            action = .ran(.success(op["data"] ?? .null))
        case "steperror", "stepfailed":
            guard let error = op["error"].flatMap(SerializedError.init(json:)) else {
                throw Invalid(description: "\(field) has no \"error\" object with a name and a message")
            }
            action = .ran(.failure(error, name.lowercased() == "steperror" ? .retriable(retryAt) : .nonRetriable))
        case "stepplanned":
            action = .planned
        case "sleep":
            let value = opts["duration"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? op["name"]?.stringValue ?? ""
            action = .sleep(try Self.sleepTarget(value, field: field))
        case "waitforevent":
            guard let event = opts["event"]?.stringValue ?? op["name"]?.stringValue, !event.isEmpty else {
                throw Invalid(description: "\(field) names no event (opts.event or name)")
            }
            let condition = opts["if"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let condition {
                do {
                    _ = try CELExpression(condition)
                } catch {
                    throw Invalid(description: "\(field) opts.if \"\(condition)\" cannot be evaluated: \(error)")
                }
            }
            let timeout = try Self.timeout(opts["timeout"]?.stringValue ?? "", field: "\(field) opts.timeout", now: now)
            action = .waitForEvent(WaitForEventRequest(event: event, timeout: timeout, condition: condition))
        case "invokefunction":
            guard let functionID = opts["function_id"]?.stringValue, !functionID.isEmpty else {
                throw Invalid(description: "\(field) has no opts.function_id")
            }
            var payload = opts["payload"] ?? ["data": [:]]
            guard case .object(var members) = payload else { throw Invalid(description: "\(field) opts.payload must be an object") }
            if members["data"] == nil || members["data"] == .null { members["data"] = [:] }
            payload = .object(members)
            var timeout: InngestDuration?
            if let text = opts["timeout"]?.stringValue, !text.isEmpty {
                timeout = try Self.timeout(text, field: "\(field) opts.timeout", now: now)
            }
            action = .invoke(InvokeRequest(functionID: functionID, payload: payload, timeout: timeout))
        case "waitforsignal":
            action = .waitForSignal(try Self.signalWait(opts: opts, name: op["name"]?.stringValue, field: field, now: now))
        case "runcomplete":
            action = .complete(op["data"] ?? .null)
        default:
            if let feature = UnsupportedFeature(opName: name) {
                throw Invalid(description: "step \"\(userID)\": \(feature)", unsupported: feature)
            }
            throw Invalid(description: "op \"\(name)\" (step \(userID)) is not supported by this engine")
        }
    }

    /// The step to hand to the live driver; `body` runs a planned step or re-runs a failed one.
    func pendingStep(body: @escaping @Sendable (_ attempt: Int) async -> StepBodyOutcome) -> PendingStep? {
        let operation: StepOperation
        switch action {
        case .ran, .planned: operation = .run(RunStep(kind: kind, body: body))
        case .sleep(let target): operation = .sleep(target)
        case .waitForEvent(let request): operation = .waitForEvent(request)
        case .invoke(let request): operation = .invoke(request)
        case .waitForSignal(let request): operation = .waitForSignal(request)
        case .complete: return nil
        }
        return PendingStep(identity: identity, displayName: displayName, operation: operation)
    }

    /// A `WaitForSignal` op: the signal in `opts.signal` or `name`; no timeout waits a year, as
    /// on the Inngest server; any `conflict` but `"replace"` fails the run on a conflict.
    private static func signalWait(opts: [String: JSONValue], name: String?, field: String, now: Date) throws(Invalid) -> WaitForSignalRequest {
        let signal = opts["signal"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? name ?? ""
        if case .invalidSignalName(let bytes, let limit)? = WaitForSignalRequest.problem(ofName: signal) {
            if bytes == 0 { throw Invalid(description: "\(field) names no signal (opts.signal or name)") }
            throw Invalid(description: "\(field) opts.signal is \(bytes) bytes, over the limit of \(limit) bytes")
        }
        var timeout = opts["timeout"]?.stringValue ?? ""
        if timeout.isEmpty, let year = Calendar(identifier: .gregorian).date(byAdding: .year, value: 1, to: now) {
            timeout = ISO8601Timestamp.string(from: year)
        }
        let conflict: SignalConflict = opts["conflict"]?.stringValue?.lowercased() == "replace" ? .replace : .fail
        return WaitForSignalRequest(signal: signal, timeout: try Self.timeout(timeout, field: "\(field) opts.timeout", now: now), conflict: conflict)
    }

    /// A time string (`"30s"`), or a date to sleep until.
    private static func sleepTarget(_ value: String, field: String) throws(Invalid) -> SleepTarget {
        if value.isEmpty { return .duration(.seconds(0)) }
        let duration: InngestDuration
        do {
            duration = try InngestDuration(parsing: value)
        } catch  where error.reason == .tooLarge {
            throw Invalid(description: "\(field) sleeps \(value), longer than 366 days")
        } catch {
            guard let date = ISO8601Timestamp.date(from: value) else {
                throw Invalid(description: "\(field) duration \"\(value)\" is neither a time string nor an ISO-8601 date")
            }
            return .date(date)
        }
        guard let length = try? duration.duration(), length <= InngestLimits.maxWait else {
            throw Invalid(description: "\(field) sleeps \(value), longer than 366 days")
        }
        return .duration(duration)
    }

    /// A timeout given as a time string or as the date it ends; empty means it has already passed.
    private static func timeout(_ value: String, field: String, now: Date) throws(Invalid) -> InngestDuration {
        if value.isEmpty { return .seconds(0) }
        let duration: Duration
        do {
            duration = try InngestDuration(parsing: value).duration()
        } catch  where error.reason == .tooLarge {
            throw Invalid(description: "\(field) \"\(value)\" is longer than 366 days")
        } catch {
            guard let date = ISO8601Timestamp.date(from: value) else {
                throw Invalid(description: "\(field) \"\(value)\" is neither a time string nor an ISO-8601 date")
            }
            duration = .milliseconds(max(0, Int64(saturating: (date.timeIntervalSince(now) * 1_000).rounded(.up))))
        }
        guard duration <= InngestLimits.maxWait else { throw Invalid(description: "\(field) \"\(value)\" is longer than 366 days") }
        return InngestDuration(duration)
    }
}
