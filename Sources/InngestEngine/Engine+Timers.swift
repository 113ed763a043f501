import Foundation
import GRDB
import Inngest
import Logging

extension Engine {
    /// Fires every due timer (in batches, each batch one transaction) and returns when the
    /// next one is due.
    func fireDueTimers() async -> Int64? {
        activity.begin()
        defer { activity.end() }
        while true {
            let now = clock.now()
            do {
                let (effects, fired) = try await database.write { [self] database -> (Effects, Int) in
                    let due = try Timers.takeDue(at: now, limit: 512, in: database)
                    var effects = Effects()
                    for timer in due { effects.merge(try fire(timer, in: database, now: now)) }
                    return (effects, due.count)
                }
                apply(effects)
                if fired == 512 { continue }
                return try await database.read { database in
                    try Timers.earliestDue(in: database)
                }
            } catch {
                logger.error("timers could not be fired: \(error)")
                return now.milliseconds + 1_000
            }
        }
    }

    private func fire(_ timer: Row, in database: Database, now: Date) throws -> Effects {
        var effects = Effects()
        let runID: String? = timer["run_id"]
        let hashedID: String? = timer["hashed_id"]
        guard let kind = Timers.Kind(rawValue: timer["kind"]) else { return effects }
        switch kind {
        case .start:
            guard let runID else { break }
            guard try Runs.start(runID, at: now, in: database) else { break }
            try Timers.delete(.startTimeout, runID: runID, in: database)
            if let functionID = try Runs.functionID(ofRun: runID, in: database),
                let function = catalog[functionID]
            {
                effects.addTimer(try function.insertStartedTimers(runID: runID, in: database, now: now))
                effects.runsStarted.append(functionID)
            }
            effects.starts.append(RunStart(runID: runID))
        case .retryRun:
            guard let runID else { break }
            try Runs.resume(runID, in: database)
            effects.starts.append(RunStart(runID: runID))
        case .retryStep:
            guard let runID, let hashedID else { break }
            try Runs.resume(runID, in: database)
            effects.wakes.append((runID, hashedID, .retry))
        case .sleep:
            guard let runID, let hashedID else { break }
            let memo = StepMemo.value(.null)
            guard try StepRecords.complete(runID: runID, hashedID: hashedID, memo: memo, in: database, now: now, from: .sleeping) else { break }
            try Runs.resume(runID, in: database)
            effects.wakes.append((runID, hashedID, .resolved(memo)))
        case .waitTimeout:
            guard let runID, let hashedID else { break }
            try Waits.remove(runID: runID, hashedID: hashedID, in: database)
            guard database.changesCount == 1 else { break }
            let memo = StepMemo.value(.null)
            try StepRecords.complete(runID: runID, hashedID: hashedID, memo: memo, in: database, now: now)
            try Runs.resume(runID, in: database)
            effects.wakes.append((runID, hashedID, .resolved(memo)))
        case .signalTimeout:
            guard let runID, let hashedID else { break }
            // The step may have lost its name to a wait that replaced it; it still ends now.
            try SignalWaits.release(runID: runID, hashedID: hashedID, in: database)
            let memo = StepMemo.value(.null)
            guard try StepRecords.complete(runID: runID, hashedID: hashedID, memo: memo, in: database, now: now, from: .waiting) else { break }
            try Runs.resume(runID, in: database)
            effects.wakes.append((runID, hashedID, .resolved(memo)))
        case .invokeTimeout:
            guard let runID, let hashedID else { break }
            let timeout = SerializedError(name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete")
            effects.merge(try resolveInvoke(parentRun: runID, hashedID: hashedID, memo: .error(timeout), in: database, now: now))
        case .cancelExpiry:
            guard let runID, let hashedID else { break }
            try Waits.remove(runID: runID, hashedID: hashedID, in: database)
        case .startTimeout, .finishTimeout:
            guard let runID else { break }
            effects.merge(try cancelRun(runID, in: database, now: now))
        case .cron:
            effects.merge(try fireCron(timer, in: database, now: now))
        case .debounce:
            effects.merge(try releaseHeld(timer["payload"], in: database, now: now))
        case .batch:
            effects.merge(try releaseBatch(timer["payload"], in: database, now: now))
        case .retention:
            effects.merge(try fireRetention(in: database, now: now))
        }
        return effects
    }

    /// Starts the cron's function with `inngest/scheduled.timer` and schedules the next time.
    private func fireCron(_ timer: Row, in database: Database, now: Date) throws -> Effects {
        var effects = Effects()
        guard let payload = try StoredJSON.value(CronScheduling.Payload.self, from: timer["payload"]),
            let function = catalog[payload.function],
            let trigger = function.function.configuration.triggers.first(where: {
                if case .cron(let schedule, _) = $0.kind { return schedule == payload.schedule }
                return false
            })
        else { return effects }
        let scheduledMS = timer["scheduled_at"] as Int64? ?? now.milliseconds
        let scheduled = ISO8601Timestamp.string(from: Date(milliseconds: scheduledMS))
        let event = AnyEvent(
            name: InngestEventName.scheduledTimer,
            data: ["cron": .string(payload.schedule), "scheduledAt": .string(scheduled), "fireAt": .string(ISO8601Timestamp.string(from: now))],
            id: scheduled, ts: now.milliseconds, user: [:], v: nil)
        let eventID = ULID.make(at: now)
        try Events.insert(eventID, event, text: try StoredJSON.text(event), senderID: scheduled, at: now, in: database)
        effects.merge(try startRun(of: function, events: [event], eventID: eventID, in: database, now: now))
        // The next time after the one just fired, so a late engine fires a missed time once, not once per missed time.
        if let next = try CronScheduling.nextFire(of: trigger, after: max(now, Date(milliseconds: scheduledMS))) {
            try Timers.insertCron(due: next.fire, scheduled: next.scheduled, payload: timer["payload"] as String?, in: database)
            effects.addTimer(next.fire.milliseconds)
        }
        return effects
    }
}
