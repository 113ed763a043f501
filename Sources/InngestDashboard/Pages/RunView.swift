import Foundation
import Inngest
import InngestEngine

/// What the run page shows of a run: its facts, a timeline drawn to scale, each step.
struct RunView {
    let detail: RunDetail
    let base: String
    let compositeID: String
    let canRerun: Bool
    let now: Date

    /// The template's context.
    var context: [String: Any] {
        let run = detail.run
        var context: [String: Any] = [
            "base": base, "id": run.id, "functionID": compositeID, "status": run.status.rawValue,
            "created": Format.time(run.createdAt), "ended": run.endedAt.map(Format.time) ?? "—",
            "duration": Format.duration(from: run.startedAt ?? run.createdAt, to: run.endedAt ?? (run.status.isFinal ? nil : now)),
            "isLive": !run.status.isFinal, "canRerun": canRerun,
            "span": Format.milliseconds(timeline.span),
            "bars": timeline.bars, "steps": steps,
            "events": detail.events.map { ["json": JSONDisplay.text((try? JSONCodec.shared.jsonValue(of: $0)) ?? .null)] },
        ]
        if !detail.failedAttempts.isEmpty {
            context["hasFailedAttempts"] = true
            context["failedAttempts"] = Self.attempts(detail.failedAttempts)
        }
        if let eventID = run.eventID { context["eventID"] = eventID }
        if let parent = run.parentRunID { context["parentRunID"] = parent }
        if let original = run.rerunOf { context["rerunOf"] = original }
        if let output = run.output { context["output"] = JSONDisplay.text(output) }
        if let error = run.error { context["error"] = JSONDisplay.text(error.json) }
        return context
    }

    /// Failed attempts (of a step, or of the function itself) as the template lists them.
    private static func attempts(_ attempts: [StepAttempt]) -> [[String: Any]] {
        attempts.map { attempt in
            [
                "number": attempt.number, "when": Format.time(attempt.endedAt),
                "error": "\(attempt.error.name): \(attempt.error.message)" + (attempt.error.stack.map { "\n" + $0 } ?? ""),
            ]
        }
    }

    /// A step reused by a rerun ended before the run existed.
    private func isReused(_ step: StepSummary) -> Bool {
        detail.run.rerunOf != nil && (step.endedAt.map { $0 < detail.run.createdAt } ?? false)
    }

    private var steps: [[String: Any]] {
        detail.steps.map { step in
            var context: [String: Any] = [
                "base": base, "runID": detail.run.id, "id": step.hashedID, "name": step.index > 0 ? "\(step.userID) (\(step.index))" : step.userID,
                "kind": step.kind.rawValue, "status": step.status.rawValue,
                "attempts": step.attempts == 1 ? "1 attempt" : "\(step.attempts) attempts",
                "timing": timing(of: step), "reused": isReused(step), "open": !step.status.isFinal || step.status == .failed,
                "canRerun": canRerun, "rerunBody": (try? JSONText.write(["from_step": .string(step.hashedID)])) ?? "{}",
                "failedAttempts": Self.attempts(step.failedAttempts),
            ]
            if let output = step.output { context["output"] = JSONDisplay.text(output) }
            if let error = step.error { context["error"] = JSONDisplay.text(error.json) }
            if let detail = step.detail {
                if let until = detail.until { context["until"] = Format.time(until) }
                if let event = detail.event {
                    context["waitsFor"] = "event \(event)" + (detail.condition.map { " if \($0)" } ?? "")
                } else if let signal = detail.signal {
                    context["waitsFor"] = "signal \(signal)"
                } else if let function = detail.function {
                    context["waitsFor"] = "function \(function)"
                } else if detail.until != nil {
                    context["waitsFor"] = "time"
                }
                if let child = detail.runID { context["childRunID"] = child }
            }
            return context
        }
    }

    private func timing(of step: StepSummary) -> String {
        guard let start = step.startedAt else { return "not started" }
        if let end = step.endedAt { return Format.duration(from: start, to: end) }
        if let until = step.detail?.until { return "\(step.status.rawValue) until \(Format.time(until))" }
        return step.status.rawValue
    }

    /// The waterfall: each step a bar from its start to its end (or, while parked, to what it
    /// waits until), on one scale from the run's start to its end (or now).
    var timeline: Timeline { Timeline(detail: detail, now: now) }
}

/// Bars on a scale of 1000 units from the run's start to its end.
struct Timeline {
    let span: TimeInterval
    let bars: [[String: Any]]

    init(detail: RunDetail, now: Date) {
        let run = detail.run
        let starts = [run.startedAt ?? run.createdAt] + detail.steps.compactMap(\.startedAt) + detail.steps.flatMap { $0.failedAttempts.map(\.startedAt) }
        let origin = starts.min() ?? run.createdAt
        var ends = [run.endedAt ?? now] + detail.steps.compactMap(\.endedAt)
        for step in detail.steps where !step.status.isFinal {
            if let until = step.detail?.until { ends.append(min(until, now)) }
        }
        let end = max(ends.max() ?? now, origin.addingTimeInterval(0.001))
        let span = end.timeIntervalSince(origin)
        self.span = span
        func position(_ from: Date, _ to: Date) -> (x: String, width: String) {
            let x = max(0, min(1_000, from.timeIntervalSince(origin) / span * 1_000))
            let width = max(2, min(1_000 - x, to.timeIntervalSince(from) / span * 1_000))
            return (String(format: "%.1f", x), String(format: "%.1f", width))
        }
        bars = detail.steps.map { step in
            let start = step.startedAt ?? origin
            let stop = step.endedAt ?? (step.status.isFinal ? start : now)
            let place = position(start, max(start, stop))
            let timing: String
            if let ended = step.endedAt {
                timing = "\(Format.milliseconds(start.timeIntervalSince(origin))) → \(Format.milliseconds(ended.timeIntervalSince(origin))) (\(Format.duration(from: start, to: ended)))"
            } else if let until = step.detail?.until {
                timing = "\(step.status.rawValue) until \(Format.time(until))"
            } else {
                timing = step.status.rawValue
            }
            return [
                "name": step.index > 0 ? "\(step.userID) (\(step.index))" : step.userID, "kind": step.kind.rawValue, "status": step.status.rawValue,
                "x": place.x, "width": place.width, "timing": timing,
                "attempts": step.failedAttempts.map { attempt -> [String: Any] in
                    let failed = position(attempt.startedAt, max(attempt.startedAt, attempt.endedAt))
                    return ["number": attempt.number, "x": failed.x, "width": failed.width]
                },
            ] as [String: Any]
        }
    }
}

/// Times and durations as the pages show them.
enum Format {
    static func time(_ date: Date) -> String {
        let text = ISO8601Timestamp.string(from: date)
        return text.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }

    static func duration(from start: Date, to end: Date?) -> String {
        guard let end else { return "—" }
        return milliseconds(end.timeIntervalSince(start))
    }

    static func milliseconds(_ interval: TimeInterval) -> String {
        let interval = max(0, interval)
        if interval < 1 { return "\(Int((interval * 1_000).rounded())) ms" }
        if interval < 60 { return String(format: "%.2f s", interval) }
        if interval < 3_600 { return String(format: "%.1f min", interval / 60) }
        if interval < 86_400 { return String(format: "%.1f h", interval / 3_600) }
        return String(format: "%.1f d", interval / 86_400)
    }
}
