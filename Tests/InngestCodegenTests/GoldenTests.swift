import Foundation
import Inngest
import InngestCodegen
import Testing

/// The generated files for the fixture packages under `Fixtures/`, compared byte for byte
/// with the files under `Golden/`.
///
/// To re-record after an intended change: `INNGEST_RECORD_GOLDEN=1 swift test --filter GoldenTests`,
/// then review the diff of `Tests/InngestCodegenTests/Golden` before committing.
@Suite struct GoldenTests {
    static let cases = ["Shop", "Minimal"]
    static let recording = ProcessInfo.processInfo.environment["INNGEST_RECORD_GOLDEN"] == "1"

    @Test(arguments: cases)
    func generatedFilesMatchTheGoldenFiles(_ name: String) throws {
        let result = try Self.generate(name)
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        try Self.compare(result.swift, golden: "\(name)/\(name)+Inngest.swift")
        try Self.compare(result.manifest, golden: "\(name)/\(result.appID).inngest.json")
    }

    @Test(arguments: cases)
    func generatedManifestsValidateAgainstThePublishedSchema(_ name: String) throws {
        let result = try Self.generate(name)
        let schema = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: TestPaths.schema))
        let manifest = try JSONDecoder().decode(JSONValue.self, from: Data(result.manifest.utf8))
        #expect(JSONSchemaValidator(root: schema).validate(manifest) == [])
    }

    static func generate(_ name: String) throws -> GeneratorResult {
        let root = TestPaths.fixtures.appendingPathComponent(name)
        let sources = root.appendingPathComponent("Sources/\(name)")
        let files = try FileManager.default.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil)
        let config = sources.appendingPathComponent("inngest.config.json")
        let inputs = GeneratorInputs(
            targetName: name,
            sourceFiles: files.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path },
            configFile: FileManager.default.fileExists(atPath: config.path) ? config : nil,
            templatesDirectory: TestPaths.templates, packageDirectory: root)
        return try Generator().run(inputs)
    }

    static func compare(_ text: String, golden relativePath: String) throws {
        let url = TestPaths.golden.appendingPathComponent(relativePath)
        if recording {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        guard text != golden else { return }
        // The actual output is kept beside the run, so it can be inspected or copied over.
        let actual = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-golden-actual/\(relativePath)")
        try FileManager.default.createDirectory(at: actual.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: actual)
        Issue.record(
            """
            \(relativePath) differs from the generated output (written to \(actual.path)); \
            re-record with INNGEST_RECORD_GOLDEN=1 if the change is intended:
            \(LineDiff.describe(expected: golden, actual: text))
            """)
    }
}

@Suite struct LineDiffTests {
    @Test func changedLinesAreShownWithTheirNumbersInOrder() {
        let diff = LineDiff.describe(expected: "a\nb\nc\nd", actual: "a\nB\nc\nd\ne")
        #expect(diff == "-2: b\n+2: B\n+5: e")
    }

    @Test func longDiffsAreCut() {
        let diff = LineDiff.describe(expected: "", actual: (1...50).map(String.init).joined(separator: "\n"), maxLines: 3)
        #expect(diff.hasSuffix("… 48 more changed lines"))
    }
}
