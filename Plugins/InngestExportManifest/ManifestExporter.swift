import Foundation
import PackagePlugin

/// Runs `inngest-codegen` for one target outside the build: generate the manifest, diff it
/// against a committed one, put it in place.
struct ManifestExporter {
    let context: PluginContext
    let tool: URL
    let target: SourceModuleTarget

    /// Generates the manifest into the plugin's work directory.
    func generate() throws -> (url: URL, appID: String) {
        let inputs = try TargetInputs(target: target)
        let output = context.pluginWorkDirectoryURL.appending(path: "export/\(target.name)/\(inputs.appID).inngest.json")
        try? FileManager.default.removeItem(at: output)
        let templates = try TemplatesLocator.directory(context: context)
        var arguments = [
            "generate", "--target-name", target.name, "--templates-dir", templates.directory.path,
            "--manifest-output", output.path, "--package-dir", context.package.directoryURL.path,
        ]
        if let config = inputs.configFile { arguments += ["--config", config.path] }
        for manifest in inputs.importedManifests { arguments += ["--import", manifest.path] }
        arguments += inputs.swiftFiles.map(\.path)
        let status = try run(arguments)
        guard status == 0 else { throw PluginError("inngest-codegen failed for \(target.name) (see the diagnostics above)") }
        return (output, inputs.appID)
    }

    /// `Manifests/<app-id>.inngest.json` in the package.
    func defaultDestination(appID: String) -> URL {
        context.package.directoryURL.appending(path: "Manifests/\(appID).inngest.json")
    }

    /// Prints the diff against the committed manifest; returns whether it is breaking.
    func diff(committed: URL, fresh: URL) throws -> Bool {
        guard FileManager.default.fileExists(atPath: committed.path) else {
            print("\(committed.path) does not exist yet: nothing to compare.")
            return false
        }
        print("Changes from \(committed.path):")
        return try run(["diff", committed.path, fresh.path]) != 0
    }

    func install(_ fresh: URL, at destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data = try Data(contentsOf: fresh)
        if (try? Data(contentsOf: destination)) != data { try data.write(to: destination, options: .atomic) }
    }

    private func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
