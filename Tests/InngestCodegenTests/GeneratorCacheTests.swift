import Foundation
import Testing

@testable import InngestCodegen

/// The per-file scan cache and write-only-when-changed outputs.
@Suite struct GeneratorCacheTests {
    private func source(_ index: Int, step: String = "work") -> String {
        """
        import Inngest

        @InngestFunction(id: "job-\(index)", trigger: .event("app/job.\(index)"))
        func job\(index)(_ ctx: Context<JSONValue>) async throws {
            try await ctx.step.run("\(step)") { \(index) }
        }
        """
    }

    @Test func secondRunScansOnlyTheChangedFileAndRewritesOnlyChangedOutputs() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try (0..<5).map { index -> URL in
            let url = directory.appendingPathComponent("Job\(index).swift")
            try Data(source(index).utf8).write(to: url)
            return url
        }
        let inputs = GeneratorInputs(
            targetName: "Jobs", sourceFiles: files, templatesDirectory: TestPaths.templates,
            swiftOutput: directory.appendingPathComponent("out/Jobs+Inngest.swift"),
            manifestOutput: directory.appendingPathComponent("out/jobs.inngest.json"),
            cacheDirectory: directory.appendingPathComponent("cache"), packageDirectory: directory)

        let clean = try Generator().run(inputs)
        #expect((clean.scannedFileCount, clean.cachedFileCount) == (5, 0))
        #expect(clean.wroteSwift && clean.wroteManifest)

        let unchanged = try Generator().run(inputs)
        #expect((unchanged.scannedFileCount, unchanged.cachedFileCount) == (0, 5))
        #expect(!unchanged.wroteSwift && !unchanged.wroteManifest)

        // A step rename changes the manifest but not the Swift file.
        try Data(source(3, step: "renamed").utf8).write(to: files[3])
        let edited = try Generator().run(inputs)
        #expect((edited.scannedFileCount, edited.cachedFileCount) == (1, 4))
        #expect(!edited.wroteSwift && edited.wroteManifest)
        #expect(edited.manifest.contains("\"renamed\""))
        // The stale entry of the edited file was pruned.
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("cache").path)
        #expect(entries.count == 5)
    }

    @Test func cacheEntryDecodesToTheSameScanAndNamesItsFileOnce() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Job1.swift").path
        var scanned = SourceScanner.scan(source: source(1), path: path)
        #expect(!scanned.functions.isEmpty)
        // A position in another file keeps its path.
        scanned.diagnostics.append(.warning("elsewhere", at: SourcePosition(file: "/other/Other.swift", line: 3, column: 4)))

        let cache = ScanCache(directory: directory.appendingPathComponent("cache"))
        let key = ScanCache.key(path: path, content: source(1))
        cache.store(scanned, key: key)
        #expect(cache.lookup(key, path: path) == scanned)
        // An entry is only taken for the file it was made from.
        #expect(cache.lookup(key, path: directory.appendingPathComponent("Job2.swift").path) == nil)

        let entry = try String(contentsOf: directory.appendingPathComponent("cache/\(key).json"), encoding: .utf8)
        #expect(entry.components(separatedBy: "Job1.swift").count - 1 == 1, "positions in the scanned file are written without its path")
    }
}
