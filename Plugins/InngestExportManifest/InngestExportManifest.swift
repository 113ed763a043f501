import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory inngest-export-manifest [--target T] [--output PATH] [--check]`
///
/// Writes the step manifest of each target into the package (default
/// `Manifests/<app-id>.inngest.json`) for committing or sharing with other apps. When a
/// manifest is already there it first runs `inngest-codegen diff` against it and prints
/// what would break in-flight runs. `--check` only diffs, writes nothing, and fails on a
/// breaking change: for CI.
@main
struct InngestExportManifest: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) throws {
        var extractor = ArgumentExtractor(arguments)
        let targetNames = extractor.extractOption(named: "target")
        let outputs = extractor.extractOption(named: "output")
        let check = extractor.extractFlag(named: "check") > 0
        guard extractor.remainingArguments.isEmpty else {
            throw PluginError("unexpected arguments: \(extractor.remainingArguments.joined(separator: " ")); use --target, --output, --check")
        }
        let targets = try selectTargets(context: context, names: targetNames)
        guard outputs.count <= 1 || outputs.count == targets.count else {
            throw PluginError("give one --output per --target")
        }
        let tool = try context.tool(named: "inngest-codegen").url
        var breaking = false
        for (index, target) in targets.enumerated() {
            let exporter = ManifestExporter(context: context, tool: tool, target: target)
            let fresh = try exporter.generate()
            let destination =
                outputs.isEmpty
                ? exporter.defaultDestination(appID: fresh.appID)
                : URL(fileURLWithPath: outputs[min(index, outputs.count - 1)], relativeTo: context.package.directoryURL).standardizedFileURL
            breaking = try exporter.diff(committed: destination, fresh: fresh.url) || breaking
            if check {
                let upToDate = (try? Data(contentsOf: destination)) == (try? Data(contentsOf: fresh.url))
                print(upToDate ? "\(destination.path) is up to date." : "\(destination.path) differs from the sources: re-export it.")
            } else {
                try exporter.install(fresh.url, at: destination)
                print("Wrote \(destination.path)")
            }
        }
        if check && breaking { throw PluginError("breaking changes for in-flight runs (see above)") }
    }

    /// The named targets, or every Swift target of the package with an `@InngestFunction`.
    private func selectTargets(context: PluginContext, names: [String]) throws -> [SourceModuleTarget] {
        if !names.isEmpty {
            return try context.package.targets(named: names).map { target in
                guard let module = target as? SourceModuleTarget else { throw PluginError("\(target.name) is not a source target") }
                return module
            }
        }
        let annotated = context.package.targets.compactMap { $0 as? SourceModuleTarget }.filter { target in
            target.sourceFiles(withSuffix: "swift").contains { file in
                (try? String(contentsOf: file.url, encoding: .utf8))?.contains("@InngestFunction") == true
            }
        }
        guard !annotated.isEmpty else { throw PluginError("no target of this package has an @InngestFunction; pass --target") }
        return annotated
    }
}
