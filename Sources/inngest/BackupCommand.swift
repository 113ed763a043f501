import ArgumentParser
import InngestEngine

/// `inngest backup`: a consistent copy of an engine's database while the engine runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy an engine's SQLite database into a new file (SQLite online backup: safe while the engine runs).")

    @Option(help: "The engine's database file.")
    var database: String = ".inngest/dev.sqlite"

    @Argument(help: "The new file to write (it must not exist).")
    var target: String

    func run() async throws {
        do {
            try EngineReader(databasePath: database).backup(to: target)
        } catch {
            throw ValidationError("\(error)")
        }
        print("backed up \(database) to \(target)")
    }
}
