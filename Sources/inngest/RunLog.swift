import Foundation
import Inngest
import InngestEngine
import ServiceLifecycle

/// Prints a line for each run that ends, so a terminal shows activity without a browser:
/// `✓ app-compute-square 01K… 3 steps 58 ms`, `✗ … NonRetriableError: …`.
struct RunLog: Service {
    let engine: Engine

    /// Prints until the engine stops (its feed of ended runs then finishes). Listed before the
    /// engine's service, the log is asked to stop only after the engine stopped, so it prints
    /// the runs that end while the engine drains; it returns when asked (a service group takes
    /// a service that returns before its turn for a failure).
    func run() async throws {
        for await run in engine.changes.endedRuns() {
            // Written at once, also to a pipe (print is block-buffered there).
            FileHandle.standardOutput.write(Data((await line(for: run) + "\n").utf8))
        }
        try? await gracefulShutdown()
    }

    private func line(for run: ChangeFeed.EndedRun) async -> String {
        let function = engine.compositeID(ofFunction: run.functionID)
        let duration = run.duration.map { Self.format($0) } ?? "-"
        let count = (try? await engine.stepCount(ofRun: run.runID)) ?? 0
        let steps = count == 1 ? "1 step" : "\(count) steps"
        switch run.status {
        case .completed: return "✓ \(function) \(run.runID) \(steps) \(duration)"
        case .failed:
            let error = (try? await engine.run(id: run.runID))?.run.error.map { "\($0.name): \($0.message)" } ?? "failed"
            return "✗ \(function) \(run.runID) \(steps) \(duration) \(Self.oneLine(error))"
        case .cancelled: return "⊘ \(function) \(run.runID) cancelled after \(duration)"
        default: return "- \(function) \(run.runID) \(run.status.rawValue)"
        }
    }

    static func format(_ interval: TimeInterval) -> String {
        interval < 1 ? "\(Int((interval * 1_000).rounded())) ms" : String(format: "%.2f s", interval)
    }

    private static func oneLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 160 ? String(line.prefix(159)) + "…" : line
    }
}
