import Foundation
import PackagePlugin

/// Generates `<Target>+Inngest.swift` (registry, typed references, event payloads,
/// imported apps) and `<app-id>.inngest.json` (the step manifest) for a target's
/// `@InngestFunction` declarations, by running `inngest-codegen generate`.
@main
struct InngestPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let inputs = try TargetInputs(target: target)
        let work = context.pluginWorkDirectoryURL
        let swiftOutput = work.appending(path: "\(target.name)+Inngest.swift")
        let manifestOutput = work.appending(path: "\(inputs.appID).inngest.json")
        let templates = try TemplatesLocator.directory(context: context)

        var arguments = [
            "generate",
            "--target-name", target.name,
            "--templates-dir", templates.directory.path,
            "--swift-output", swiftOutput.path,
            "--manifest-output", manifestOutput.path,
            "--cache-dir", work.appending(path: "scan-cache").path,
            "--package-dir", context.package.directoryURL.path,
        ]
        if let config = inputs.configFile { arguments += ["--config", config.path] }
        for manifest in inputs.importedManifests { arguments += ["--import", manifest.path] }
        arguments += inputs.swiftFiles.map(\.path)

        return [
            .buildCommand(
                displayName: "Generating Inngest registry and manifest for \(target.name)",
                executable: try context.tool(named: "inngest-codegen").url,
                arguments: arguments,
                // Templates are inputs: editing one re-runs generation.
                inputFiles: inputs.swiftFiles + inputs.configFile.map { [$0] }.orEmpty + inputs.importedManifests + templates.files,
                outputFiles: [swiftOutput, manifestOutput])
        ]
    }
}

extension Optional where Wrapped == [URL] {
    var orEmpty: [URL] { self ?? [] }
}
