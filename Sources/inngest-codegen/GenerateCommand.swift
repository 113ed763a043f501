import ArgumentParser
import Foundation
import InngestCodegen

/// `inngest-codegen generate`: what the build plugin runs; usable by hand too.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Scans Swift files and writes <Target>+Inngest.swift and <app-id>.inngest.json.",
        discussion: "Diagnostics go to standard error as file:line:column: error|warning: message; any error exits 1.")

    @Option(help: "The target's name: names the output and is the default app id (lowercased).")
    var targetName: String

    @Option(help: "The target's inngest.config.json.")
    var config: String?

    @Option(name: .customLong("import"), help: "A manifest of another app to import (repeatable).")
    var imports: [String] = []

    @Option(help: "The directory holding the *.mustache templates (the package's Templates/).")
    var templatesDir: String?

    @Option(help: "Where to write the generated Swift file.")
    var swiftOutput: String?

    @Option(help: "Where to write the manifest.")
    var manifestOutput: String?

    @Option(help: "A directory for the per-file scan cache.")
    var cacheDir: String?

    @Option(help: "Manifest paths are written relative to this directory.")
    var packageDir: String?

    @Flag(help: "Print how many files were scanned and taken from the cache.")
    var verbose = false

    @Argument(help: "The Swift files of the target.")
    var sources: [String] = []

    func run() throws {
        let templates = try templatesDir.map { URL(fileURLWithPath: $0) } ?? Self.defaultTemplatesDirectory()
        let inputs = GeneratorInputs(
            targetName: targetName, sourceFiles: sources.map { URL(fileURLWithPath: $0) },
            configFile: config.map { URL(fileURLWithPath: $0) }, importFiles: imports.map { URL(fileURLWithPath: $0) },
            templatesDirectory: templates,
            swiftOutput: swiftOutput.map { URL(fileURLWithPath: $0) }, manifestOutput: manifestOutput.map { URL(fileURLWithPath: $0) },
            cacheDirectory: cacheDir.map { URL(fileURLWithPath: $0) }, packageDirectory: packageDir.map { URL(fileURLWithPath: $0) })
        let result: GeneratorResult
        do {
            result = try Generator().run(inputs)
        } catch let error as InputError {
            for line in error.lines { Self.printError(line) }
            throw ExitCode.failure
        }
        for diagnostic in result.diagnostics { Self.printError(diagnostic.description) }
        if verbose {
            Self.printError(
                "inngest-codegen: \(result.scannedFileCount) scanned, \(result.cachedFileCount) from cache; swift \(result.wroteSwift ? "written" : "unchanged"), manifest \(result.wroteManifest ? "written" : "unchanged")"
            )
        }
        if result.hasErrors { throw ExitCode.failure }
    }

    /// `Templates/` of the package this tool was built from, for use outside the plugin.
    private static func defaultTemplatesDirectory() throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let templates = packageRoot.appendingPathComponent("Templates")
        guard FileManager.default.fileExists(atPath: templates.path) else {
            throw ValidationError("no templates found at \(templates.path); pass --templates-dir")
        }
        return templates
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
