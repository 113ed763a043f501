import ArgumentParser
import Foundation
import InngestCodegen

/// `inngest-codegen validate FILE…`: checks manifests, such as one written by hand for an app
/// in another language, the way the build plugin reads them when it imports one.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Checks Inngest manifests and reports every problem as file:line:column; exits 1 when there is one.")

    @Argument(help: "The manifests (<app-id>.inngest.json).")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let manifest = try ManifestReader.load(from: URL(fileURLWithPath: file))
                print("\(file): app \"\(manifest.appID)\", \(manifest.functions.count) function(s): valid")
            } catch let error as InputError {
                for line in error.lines { GenerateCommand.printError(line) }
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
