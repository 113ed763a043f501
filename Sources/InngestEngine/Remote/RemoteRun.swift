import Foundation
import Inngest
import Synchronization

/// One execution of a function that lives in another app, driven over HTTP the way the
/// Inngest server drives it.
///
/// It is the handler the engine runs for such a function, so the engine's live driver does
/// everything durable: each op the app reports becomes a step of the run — a step that ran in
/// the app is recorded, a planned one runs in a targeted call, sleeps, waits and invokes park
/// the run on the engine's timers and waits. Retries, backoff, flow control and crash
/// recovery are the engine's, the same as for Swift functions. After a step is recorded the
/// app is called again with the whole memo (discovery), until it answers `200`.
final class RemoteRun: Sendable {
    private let function: RemoteFunction
    private let input: HandlerInput
    private let driver: any StepDriver

    private struct Memo {
        var steps: [String: JSONValue]
        var stack: [String]
        /// Inngest's ForceStepPlan: set while a parallel group is in flight, so the app
        /// plans every new step instead of running it during discovery.
        var planOnly = false
    }

    private let memo: Mutex<Memo>

    init(function: RemoteFunction, input: HandlerInput) {
        self.function = function
        self.input = input
        self.driver = input.execution.driver
        let recorded = input.execution.recorded
        var stack = input.execution.recordedOrder.filter { recorded[$0] != nil }
        let known = Set(stack)
        stack += recorded.keys.filter { !known.contains($0) }.sorted()
        memo = Mutex(Memo(steps: recorded.mapValues(\.wire), stack: stack))
    }

    func run() async throws -> JSONValue {
        var attempt = input.attempt
        while true {
            let answer = await call(stepID: "step", attempt: attempt)
            switch answer {
            case .completed(let output):
                return output
            case .failed(let error, let retriability):
                throw ReportedError(error, retriability: retriability)
            case .ops(let raw):
                if let output = try await perform(raw) { return output }
                // A recorded step starts a new queue item: its attempts count from zero.
                attempt = 0
            }
        }
    }

    /// Acts on a discovery answer's ops; returns the output when one of them completes the run.
    ///
    /// New steps run in parallel and discovery waits for all of them (Inngest's "wait" mode),
    /// except after a step of a race (`opts.parallelMode: "race"`), see ``raceDiscovery(excluding:)``.
    private func perform(_ raw: [JSONValue]) async throws -> JSONValue? {
        let ops = try parse(raw)
        guard !ops.isEmpty else {
            throw ReportedError(
                SerializedError(name: "NoOps", message: "the app answered a discovery call with no ops and no result"),
                retriability: .retriable(nil))
        }
        let steps = newSteps(of: ops, excluding: [])
        let completes = ops.contains { if case .complete = $0.action { return true } else { return false } }
        // Calling discovery again with the same memo would get the same answer: a loop.
        if steps.isEmpty && !completes {
            throw ReportedError(
                SerializedError(name: "NoNewSteps", message: "the app reported only steps that already have results"),
                retriability: .retriable(nil))
        }
        if steps.count > 1 { memo.withLock { $0.planOnly = true } }
        try await withThrowingTaskGroup(of: (hashedID: String, races: Bool).self) { group in
            var inFlight: Set<String> = []
            var racing = true
            var pending = steps
            repeat {
                for (races, step) in pending {
                    inFlight.insert(step.identity.hashedID)
                    group.addTask { [self] in
                        let result = try await resolve(step)
                        memo.withLock { memo in
                            if memo.steps.updateValue(result.wire, forKey: step.identity.hashedID) == nil {
                                memo.stack.append(step.identity.hashedID)
                            }
                        }
                        return (step.identity.hashedID, races)
                    }
                }
                pending = []
                guard let finished = try await group.next() else { break }
                inFlight.remove(finished.hashedID)
                guard finished.races, racing, !inFlight.isEmpty else { continue }
                if let started = await raceDiscovery(excluding: inFlight) { pending = started } else { racing = false }
            } while !inFlight.isEmpty
        }
        // Execution version 2: the group has finished, so discovery may run steps again.
        memo.withLock { $0.planOnly = false }
        for op in ops {
            if case .complete(let output) = op.action { return output }
        }
        return nil
    }

    /// Race mode: a racing branch finished while its siblings still run, so discovery runs now,
    /// as the Inngest server schedules it, and the steps it finds start beside them: the branch's
    /// next step, or the code after a `Promise.race`. Steps already running are not started twice.
    ///
    /// Returns `nil` for any answer but new ops (a failure, the function's end): racing stops
    /// and the discovery after the whole group, as in wait mode, reads that answer again and
    /// acts on it, so nothing here throws past running siblings.
    private func raceDiscovery(excluding inFlight: Set<String>) async -> [(races: Bool, step: PendingStep)]? {
        guard case .ops(let raw) = await call(stepID: "step", attempt: 0), let ops = try? parse(raw) else { return nil }
        if ops.contains(where: { if case .complete = $0.action { return true } else { return false } }) { return nil }
        return newSteps(of: ops, excluding: inFlight)
    }

    /// The ops of an answer; an op the engine cannot act on fails the run, naming the function.
    private func parse(_ raw: [JSONValue]) throws -> [RemoteOp] {
        let now = driver.now
        do {
            return try raw.map { try RemoteOp(json: $0, retryAt: nil, now: now) }
        } catch let error as RemoteOp.Invalid {
            let name = error.unsupported == nil ? "InvalidOp" : "UnsupportedFeature"
            throw ReportedError(SerializedError(name: name, message: "function \"\(function.compositeID)\": \(error.description)"), retriability: .nonRetriable)
        }
    }

    /// The steps of `ops` that have no result yet and are not running, in the order reported.
    private func newSteps(of ops: [RemoteOp], excluding running: Set<String>) -> [(races: Bool, step: PendingStep)] {
        let known = memo.withLock { $0.steps }
        return ops.compactMap { op in
            let hashedID = op.identity.hashedID
            guard known[hashedID] == nil, !running.contains(hashedID), let step = op.pendingStep(body: body(for: op)) else { return nil }
            return (op.races, step)
        }
    }

    private func resolve(_ step: PendingStep) async throws -> StepMemo {
        try await driver.resolve(step, in: input.execution)
    }

    /// The body of a run step: the outcome the app already reported, the first time; a
    /// targeted call (`stepId=<hash>`) for a planned step and for every retry.
    private func body(for op: RemoteOp) -> @Sendable (_ attempt: Int) async -> StepBodyOutcome {
        let reported = Mutex<StepBodyOutcome?>(nil)
        if case .ran(let outcome) = op.action { reported.withLock { $0 = outcome } }
        let hashedID = op.identity.hashedID
        return { [self] attempt in
            if let outcome = reported.withLock({ value in
                defer { value = nil }
                return value
            }) {
                return outcome
            }
            return await runTargeted(hashedID, attempt: attempt)
        }
    }

    private func runTargeted(_ hashedID: String, attempt: Int) async -> StepBodyOutcome {
        switch await call(stepID: hashedID, attempt: attempt, holdingSlots: false) {
        case .ops(let raw):
            for json in raw where json.objectValue?["id"]?.stringValue == hashedID {
                guard let op = try? RemoteOp(json: json, retryAt: nil, now: driver.now), case .ran(let outcome) = op.action else { break }
                return outcome
            }
            return .failure(SerializedError(name: "StepNotFound", message: "the app did not run step \(hashedID) when asked to"), .retriable(nil))
        case .completed:
            return .failure(SerializedError(name: "StepNotFound", message: "the app finished without reaching step \(hashedID)"), .retriable(nil))
        case .failed(let error, let retriability):
            return .failure(error, retriability)
        }
    }

    /// One call with the memo as it is now. A discovery call holds the run's concurrency
    /// slots (the app may run a step in it); a targeted call runs inside a step body,
    /// which already holds them.
    ///
    /// A discovery call that may run steps is open to checkpoints while it is in flight: it
    /// carries the function's server id and a queue item id of its own, and the steps the app
    /// posts naming them are recorded here (see ``CheckpointCalls``).
    private func call(stepID: String, attempt: Int, holdingSlots: Bool = true) async -> AppAnswer {
        let snapshot = memo.withLock { $0 }
        var plain = AppCaller.Call(
            functionID: function.compositeID, url: function.url, stepID: stepID, runID: input.runID, events: input.events, steps: snapshot.steps,
            stack: snapshot.stack, attempt: attempt, maxAttempts: input.maxAttempts,
            disableImmediateExecution: snapshot.planOnly || stepID != "step")
        let caller = function.caller
        guard let checkpoints = caller.checkpoints, !plain.disableImmediateExecution else {
            let call = plain
            guard holdingSlots else { return await caller.call(call) }
            return await driver.withStepAdmission { await caller.call(call) }
        }
        let queueItemID = ULID.make(at: Date())
        plain.serverFunctionID = function.serverID
        plain.queueItemID = queueItemID
        let call = plain
        let open = CheckpointCalls.OpenCall(queueItemID: queueItemID, functionID: function.serverID) { [self] ops in
            try await recordCheckpoint(ops)
        }
        return await driver.withStepAdmission {
            await checkpoints.whileOpen(runID: input.runID, open) { await caller.call(call) }
        }
    }

    /// Records the steps an app checkpointed during a call: each `StepRun` becomes a completed
    /// step of the run before the app hears `200`; a `StepPlanned` only announces one and is
    /// skipped; a step already recorded is not recorded twice. Any other op is refused, as
    /// the Inngest server refuses async ops in a checkpoint.
    private func recordCheckpoint(_ ops: [JSONValue]) async throws {
        let now = driver.now
        // Every op is checked before any is recorded: a refused checkpoint records nothing.
        var ran: [(hashedID: String, step: PendingStep, output: JSONValue)] = []
        for json in ops {
            let op: RemoteOp
            do {
                op = try RemoteOp(json: json, retryAt: nil, now: now)
            } catch {
                throw CheckpointRefusal.invalid(error.description)
            }
            switch op.action {
            case .planned:
                continue
            case .ran(.success(let output)):
                guard let step = op.pendingStep(body: { _ in .success(output) }) else { continue }
                ran.append((op.identity.hashedID, step, output))
            default:
                let name = json.objectValue?["op"]?.stringValue ?? "?"
                throw CheckpointRefusal.invalid("op \(name) (\(op.identity.userID)) cannot be checkpointed: only StepRun and StepPlanned ops can")
            }
        }
        for (hashedID, step, output) in ran {
            if memo.withLock({ $0.steps[hashedID] != nil }) { continue }
            let result: StepMemo
            do {
                result = try await driver.record(ranStep: step, output: output, in: input.execution)
            } catch {
                throw CheckpointRefusal.unavailable("run \(input.runID) is not taking steps now")
            }
            memo.withLock { memo in
                if memo.steps.updateValue(result.wire, forKey: hashedID) == nil { memo.stack.append(hashedID) }
            }
        }
    }
}

/// A function of an app served over HTTP, registered with the engine by a sync.
struct RemoteFunction: Sendable {
    let compositeID: String
    let url: String
    let caller: AppCaller
    /// The id calls give the app as `ctx.fn_id`, and checkpoints name: a UUID, as the Inngest
    /// server's, derived from the composite id so it survives restarts and resyncs.
    let serverID: String

    init(compositeID: String, url: String, caller: AppCaller) {
        self.compositeID = compositeID
        self.url = url
        self.caller = caller
        self.serverID = Self.uuid(naming: compositeID)
    }

    /// A name-based UUID (version 5 layout, SHA-1) for a function id.
    static func uuid(naming name: String) -> String {
        var bytes = Array(SHA1.digest(Array("inngest-function:\(name)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    /// The function as the engine runs it: its handler drives the app.
    func engineFunction(_ configuration: FunctionConfiguration) -> InngestFunction {
        InngestFunction(
            configuration,
            rawHandler: { input in
                try await RemoteRun(function: self, input: input).run()
            })
    }
}
