import ArgumentParser

@main
struct InngestCodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inngest-codegen",
        abstract: "Generates the registry, typed references and step manifest of @InngestFunction declarations.",
        subcommands: [GenerateCommand.self, DiffCommand.self, ValidateCommand.self, ExportCommand.self, ImportCommand.self],
        defaultSubcommand: GenerateCommand.self)
}
