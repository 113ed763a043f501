import ArgumentParser
import Foundation
import Inngest
import InngestEngine

/// `inngest runs`: lists the runs in an engine's database, read-only, while the engine runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs, newest first, from an engine's database (read-only: works while the engine runs).")

    @Option(help: "The engine's database file.")
    var database: String = ".inngest/dev.sqlite"

    @Option(help: "Only runs of this function id.")
    var function: String?

    @Option(help: "Only runs in this status (\(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))).")
    var status: String?

    @Option(help: "The most runs to list (1 to 100000).")
    var limit: Int = 20

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000, not \(limit)") }
        if let status, RunStatus(rawValue: status) == nil {
            throw ValidationError("--status must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")), not \(status)")
        }
    }

    func run() async throws {
        let runs: [RunSummary]
        do {
            runs = try await EngineReader(databasePath: database).runs(function: function, status: status.flatMap(RunStatus.init), limit: limit)
        } catch {
            throw ValidationError("\(error)")
        }
        for run in runs {
            let ended = run.endedAt.map { " ended \(ISO8601Timestamp.string(from: $0))" } ?? ""
            print("\(run.id)  \(run.status.rawValue)  \(run.functionID)  created \(ISO8601Timestamp.string(from: run.createdAt))\(ended)")
        }
    }
}
