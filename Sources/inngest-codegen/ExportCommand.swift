import ArgumentParser
import Foundation
import InngestCodegen

/// `inngest-codegen export MANIFEST --python FILE --typescript FILE`: typed references to an
/// app's functions for apps in other languages, from the app's manifest.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Writes typed references to a manifest's functions for Python and TypeScript apps.",
        discussion: """
            --python writes a module of pydantic models of each function's input and output and an \
            invoke_<function> helper (step.invoke_by_id); --typescript writes their types and a \
            referenceFunction({ appId, functionId }) per function. A file is rewritten only when it changes.
            """)

    @Argument(help: "The app's manifest (<app-id>.inngest.json).")
    var manifest: String

    @Option(help: "Where to write the Python module.")
    var python: String?

    @Option(help: "Where to write the TypeScript module.")
    var typescript: String?

    func validate() throws {
        if python == nil && typescript == nil { throw ValidationError("nothing to write: pass --python FILE, --typescript FILE or both") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: manifest)
        let model: ExportModel
        do {
            model = ExportModel(manifest: try ManifestReader.load(from: url), source: url.lastPathComponent)
        } catch let error as InputError {
            for line in error.lines { GenerateCommand.printError(line) }
            throw ExitCode.failure
        }
        if let python { try OutputFile.write(PythonExport.render(model), to: URL(fileURLWithPath: python)) }
        if let typescript { try OutputFile.write(TypeScriptExport.render(model), to: URL(fileURLWithPath: typescript)) }
    }
}
