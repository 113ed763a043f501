import Foundation
import Inngest
import InngestEngine

/// A run as a few terminal lines: a heading, one row per step, the output or error.
///
/// ```
///   import-product-images  run 5ZK1Q3WD  ✓ completed in 58ms
///     #  step               kind  tries  took  result
///     1  copy-images-to-s3  run   1      34ms  ["s3://demo-product-images/p-100/front.jpg",...]
///     => output: {"productId":"p-100","thumbnails":[...]}
/// ```
struct Timeline {
    let detail: RunDetail
    /// Why the run exists when no event of the scenario started it directly, e.g. "invoked by main-function".
    var note: String?

    func lines() -> [String] {
        let run = detail.run
        var heading = "  \(run.functionID)  run \(Format.shortID(run.id))  \(Self.status(of: run))"
        if let note { heading += "  (\(note))" }
        var lines = [heading]
        lines += stepTable()
        if let error = run.error {
            lines.append("    => error: \(Format.truncated(error.description, to: 76))")
        } else if let output = run.output, run.status == .completed {
            lines.append("    => output: \(Format.json(output, limit: 76))")
        }
        return lines
    }

    private static func status(of run: RunSummary) -> String {
        switch run.status {
        case .completed: return "✓ completed in \(Format.duration(from: run.startedAt, to: run.endedAt))"
        case .failed: return "✗ failed after \(Format.duration(from: run.startedAt, to: run.endedAt))"
        case .cancelled: return "✗ cancelled"
        case .skipped: return "– skipped"
        case .queued, .running, .waiting: return "… \(run.status.rawValue)"
        }
    }

    private func stepTable() -> [String] {
        guard !detail.steps.isEmpty else { return ["    (no steps)"] }
        let header = ["#", "step", "kind", "tries", "took", "result"]
        let rows = detail.steps.enumerated().map { position, step in
            [
                "\(position + 1)",
                step.index == 0 ? step.userID : "\(step.userID):\(step.index)",
                step.kind.rawValue,
                step.attempts == 0 ? "-" : "\(step.attempts)",
                Format.duration(from: step.startedAt, to: step.endedAt),
                Self.result(of: step),
            ]
        }
        // Every column but the last (free-length) one is padded to its widest cell.
        let widths = (0..<header.count - 1).map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        return ([header] + rows).map { cells in
            let padded = zip(cells, widths).map { Format.padded($0, to: $1) }
            return "    " + (padded + [cells.last ?? ""]).joined(separator: "  ")
        }
    }

    /// What the step produced, said the way its kind reads best.
    private static func result(of step: StepSummary) -> String {
        if let error = step.error {
            let prefix = step.status == .retrying ? "retrying after" : "✗"
            return "\(prefix) \(Format.truncated(error.description, to: 60))"
        }
        if step.status != .completed { return "(\(step.status.rawValue))" }
        let output = step.output ?? .null
        switch step.kind {
        case .waitForEvent:
            guard let name = output["name"]?.stringValue else { return "timed out: no event came" }
            return "got \(name) \(Format.json(output["data"] ?? .null, limit: 50))"
        case .sendEvent:
            let ids = Self.sentEventIDs(in: output)
            return "sent \(Format.count(ids.count, "event")) \(Format.json(.array(ids.map(JSONValue.string)), limit: 40))"
        case .waitForSignal:
            guard let signal = output["signal"]?.stringValue else { return "timed out: no signal came" }
            return "got signal \(signal) \(Format.json(output["data"] ?? .null, limit: 40))"
        case .sleep:
            return "slept"
        case .run, .invoke, .sendSignal:
            return Format.json(output, limit: 56)
        }
    }

    /// The ids a `sendEvent` step recorded: Inngest stores them as `{"ids": [...]}`.
    static func sentEventIDs(in output: JSONValue) -> [String] {
        (output["ids"]?.arrayValue ?? output.arrayValue ?? []).compactMap(\.stringValue)
    }
}
