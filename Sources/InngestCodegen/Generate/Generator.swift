import Foundation
import InngestCore

/// What one generator run reads and where it writes.
package struct GeneratorInputs: Sendable {
    package var targetName: String
    package var sourceFiles: [URL]
    package var configFile: URL?
    /// Manifests of other apps (`*.inngest.json` in the target, plus the config's `imports`).
    package var importFiles: [URL]
    package var templatesDirectory: URL
    package var swiftOutput: URL?
    package var manifestOutput: URL?
    /// Where the per-file scan cache lives; `nil` scans every file.
    package var cacheDirectory: URL?
    /// Paths in the manifest are relative to this directory.
    package var packageDirectory: URL?

    package init(
        targetName: String, sourceFiles: [URL], configFile: URL? = nil, importFiles: [URL] = [], templatesDirectory: URL,
        swiftOutput: URL? = nil, manifestOutput: URL? = nil, cacheDirectory: URL? = nil, packageDirectory: URL? = nil
    ) {
        self.targetName = targetName
        self.sourceFiles = sourceFiles
        self.configFile = configFile
        self.importFiles = importFiles
        self.templatesDirectory = templatesDirectory
        self.swiftOutput = swiftOutput
        self.manifestOutput = manifestOutput
        self.cacheDirectory = cacheDirectory
        self.packageDirectory = packageDirectory
    }
}

/// What a run produced.
package struct GeneratorResult: Sendable {
    package var appID: String
    package var swift: String
    package var manifest: String
    package var diagnostics: [CodegenDiagnostic]
    /// Files scanned this run (the others came from the cache).
    package var scannedFileCount: Int
    package var cachedFileCount: Int
    package var wroteSwift: Bool
    package var wroteManifest: Bool

    package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Scan → analyse → render → write-if-changed.
package struct Generator: Sendable {
    package init() {}

    package func run(_ inputs: GeneratorInputs) throws -> GeneratorResult {
        let configuration = try inputs.configFile.map(CodegenConfiguration.load) ?? CodegenConfiguration()
        let appID = configuration.resolvedAppID(targetName: inputs.targetName)
        let renderer = try TemplateRenderer(directory: inputs.templatesDirectory)
        let imports = try loadImports(inputs, configuration: configuration, ownAppID: appID)

        let cache = ScanCache(directory: inputs.cacheDirectory)
        let scan = try ParallelScan.scan(inputs.sourceFiles, cache: cache)
        cache.prune()

        let analyzer = TargetAnalyzer(appID: appID, configuration: configuration, imports: imports.map(\.manifest), packageDirectory: inputs.packageDirectory?.path)
        let target = analyzer.analyze(scan.files)
        let manifestJSON = try ManifestCoding.encode(target.manifest)
        let manifestText = try renderer.render(["manifestJSON": Self.withoutFinalNewline(manifestJSON)], template: TemplateRenderer.manifestTemplate)
        let view = GeneratedSwiftViewBuilder(targetName: inputs.targetName, configuration: configuration, manifestFileName: "\(appID).inngest.json")
            .view(target, manifestJSON: Self.withoutFinalNewline(manifestText), imports: imports)
        let swift = Self.endingWithNewline(try renderer.render(view, template: TemplateRenderer.swiftTemplate))

        let wroteSwift = try inputs.swiftOutput.map { try OutputFile.write(swift, to: $0) } ?? false
        let wroteManifest = try inputs.manifestOutput.map { try OutputFile.write(manifestText, to: $0) } ?? false
        return GeneratorResult(
            appID: appID, swift: swift, manifest: manifestText, diagnostics: target.diagnostics,
            scannedFileCount: scan.scanned, cachedFileCount: scan.cached, wroteSwift: wroteSwift, wroteManifest: wroteManifest)
    }

    private static func endingWithNewline(_ text: String) -> String {
        text.utf8.last == UInt8(ascii: "\n") ? text : text + "\n"
    }

    /// By UTF-8 bytes: `String.dropLast()` (the `Collection` one) counts the characters of
    /// the whole text first, which for a large manifest cost a tenth of a warm run.
    private static func withoutFinalNewline(_ text: String) -> String {
        guard text.utf8.last == UInt8(ascii: "\n") else { return text }
        return String(decoding: text.utf8.dropLast(1), as: UTF8.self)
    }

    /// Imported manifests, once each, sorted by app id; the target's own exported manifest
    /// (same app id) is skipped.
    private func loadImports(_ inputs: GeneratorInputs, configuration: CodegenConfiguration, ownAppID: String) throws -> [(file: String, manifest: Manifest)] {
        var urls = inputs.importFiles
        if let configFile = inputs.configFile {
            let base = configFile.deletingLastPathComponent()
            urls += configuration.imports.map { base.appendingPathComponent($0) }
        }
        var seen: Set<String> = []
        var manifests: [(file: String, manifest: Manifest)] = []
        for url in urls where seen.insert(url.standardizedFileURL.path).inserted {
            let manifest = try ManifestReader.load(from: url)
            guard manifest.appID != ownAppID else { continue }
            if let clash = manifests.first(where: { $0.manifest.appID == manifest.appID }) {
                throw InputError("\(url.path): app \"\(manifest.appID)\" is already imported from \(clash.file)")
            }
            manifests.append((file: url.lastPathComponent, manifest: manifest))
        }
        return manifests.sorted { $0.manifest.appID < $1.manifest.appID }
    }
}
