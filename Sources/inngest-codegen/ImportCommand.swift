import ArgumentParser
import Foundation
import InngestCodegen

/// `inngest-codegen import SYNC.json --output FILE`: a manifest for an app with no Swift
/// sources, so Swift code can call a Python or TypeScript app's functions through typed references.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Writes a manifest for a running app in any language from what it sends at sync.",
        discussion: """
            SYNC is a register request body (what an SDK posts to /fn/register), an in-band sync answer, or \
            a dev server's function list (curl http://localhost:8288/v1/functions > functions.json; pass \
            --app-id to pick an app); - reads standard input. Ids, names, triggers and options come from it. \
            An input is typed by --events when its trigger event has a schema there; every other input and \
            every output is written untyped (any JSON, with a description saying so): replace those schemas to type them.
            """)

    @Argument(help: "The sync payload (a JSON file, or - for standard input).")
    var sync: String

    @Option(help: "Where to write the manifest (<app-id>.inngest.json).")
    var output: String

    @Option(help: "An event catalog: a JSON object of event name to JSON Schema of its data.")
    var events: String?

    @Option(name: .customLong("app-id"), help: "The app's id: picks an app in a function list; must match the payload's when it names one.")
    var appID: String?

    func run() throws {
        do {
            let catalog = try events.map { try RegistrationImport.eventCatalog(from: Self.read($0), source: $0) } ?? [:]
            let manifest = try RegistrationImport.manifest(from: Self.read(sync), source: sync, appID: appID, events: catalog)
            try OutputFile.write(ManifestCoding.encode(manifest), to: URL(fileURLWithPath: output))
            let typed = manifest.functions.filter { $0.input != RegistrationImport.untypedInput }.count
            print("\(output): app \"\(manifest.appID)\", \(manifest.functions.count) function(s), \(typed) with a typed input; outputs untyped")
        } catch let error as InputError {
            for line in error.lines { GenerateCommand.printError(line) }
            throw ExitCode.failure
        }
    }

    private static func read(_ path: String) throws -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        do {
            return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        } catch {
            throw InputError("\(path): cannot be read: \(error.localizedDescription)")
        }
    }
}
