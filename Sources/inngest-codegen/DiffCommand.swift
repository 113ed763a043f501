import ArgumentParser
import Foundation
import InngestCodegen

/// `inngest-codegen diff OLD NEW`: for CI, before deploying a new version.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Reports changes between two manifests that break in-flight runs; exits 1 when there is one.")

    @Argument(help: "The manifest deployed now (e.g. the committed one).")
    var old: String

    @Argument(help: "The manifest about to be deployed.")
    var new: String

    func run() throws {
        let diff: ManifestDiff
        do {
            diff = ManifestDiff(
                old: try ManifestReader.load(from: URL(fileURLWithPath: old)),
                new: try ManifestReader.load(from: URL(fileURLWithPath: new)))
        } catch let error as InputError {
            for line in error.lines { GenerateCommand.printError(line) }
            throw ExitCode(2)
        }
        for change in diff.changes { print(change.description) }
        if diff.hasBreakingChanges {
            print("\(diff.breaking.count) breaking change(s) for in-flight runs.")
            throw ExitCode.failure
        }
        print(diff.changes.isEmpty ? "No changes." : "No breaking changes.")
    }
}
