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
        let directory = target.directoryURL
        let configURL = directory.appending(path: "inngest.config.json")
        let hasConfig = FileManager.default.fileExists(atPath: configURL.path)
        let appID = try hasConfig ? Self.appID(in: configURL) ?? target.name.lowercased() : target.name.lowercased()
        let output = context.pluginWorkDirectoryURL.appending(path: "export/\(target.name)/\(appID).inngest.json")
        try? FileManager.default.removeItem(at: output)
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Templates")
        var arguments = [
            "generate", "--target-name", target.name, "--templates-dir", templates.path,
            "--manifest-output", output.path, "--package-dir", context.package.directoryURL.path,
        ]
        if hasConfig { arguments += ["--config", configURL.path] }
        for manifest in Self.manifests(in: directory) { arguments += ["--import", manifest.path] }
        arguments += target.sourceFiles(withSuffix: "swift").map(\.url.path)
        let status = try run(arguments)
        guard status == 0 else { throw ExportError("inngest-codegen failed for \(target.name) (see the diagnostics above)") }
        return (output, appID)
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

    private static func appID(in config: URL) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any]
        return object?["appId"] as? String
    }

    private static func manifests(in directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".inngest.json") }
    }
}
