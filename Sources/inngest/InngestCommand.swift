import ArgumentParser

/// `inngest`: the command line of swift-inngest.
@main
struct InngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inngest",
        abstract: "Durable functions for Swift, wire-compatible with Inngest.",
        subcommands: [DevCommand.self, RunsCommand.self, BackupCommand.self])
}
