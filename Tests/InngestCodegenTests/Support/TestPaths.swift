import Foundation

/// Folders of this package, found from this file's location.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = packageRoot.appendingPathComponent("Templates")
    static let schema = packageRoot.appendingPathComponent("Schemas/inngest-manifest.schema.json")
    static let fixtures = packageRoot.appendingPathComponent("Tests/InngestCodegenTests/Fixtures")
    static let golden = packageRoot.appendingPathComponent("Tests/InngestCodegenTests/Golden")
    static let pythonManifest = packageRoot.appendingPathComponent("Examples/Manifests/my-python-app.inngest.json")

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-codegen-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
