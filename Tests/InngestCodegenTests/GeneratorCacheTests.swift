import Foundation
import InngestCodegen
import Testing

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
}
