import Foundation
import PackagePlugin

/// The files of a target the generator reads, and the app id that names the manifest.
///
/// Output names must be known before the tool runs, so the app id is read here from the
/// config file, with the same default as the tool: the target name, lowercased.
struct TargetInputs {
    static let configFileName = "inngest.config.json"

    var swiftFiles: [URL]
    var configFile: URL?
    var importedManifests: [URL]
    var appID: String

    init(target: SourceModuleTarget) throws {
        swiftFiles = target.sourceFiles(withSuffix: "swift").map(\.url)
        let directory = target.directoryURL
        let config = directory.appending(path: Self.configFileName)
        let fileManager = FileManager.default
        configFile = fileManager.fileExists(atPath: config.path) ? config : nil

        var appID = target.name.lowercased()
        var listedImports: [URL] = []
        if let configFile {
            let peek = try ConfigPeek(url: configFile)
            appID = peek.appID ?? appID
            listedImports = peek.imports.map { directory.appending(path: $0).standardizedFileURL }
        }
        self.appID = appID
        // Manifests dropped into the target folder (excluded or not), plus those the config lists.
        let dropped = Self.files(in: directory, suffix: ".inngest.json")
        var seen: Set<String> = []
        importedManifests = (dropped + listedImports).filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    private static func files(in directory: URL, suffix: String) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var found: [URL] = []
        for case let url as URL in enumerator where url.lastPathComponent.hasSuffix(suffix) {
            found.append(url.standardizedFileURL)
        }
        return found.sorted { $0.path < $1.path }
    }
}

/// The two fields of `inngest.config.json` the plugin needs; the tool reads the rest.
struct ConfigPeek {
    var appID: String?
    var imports: [String]

    init(url: URL) throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let dictionary = object as? [String: Any] else {
            throw PluginError("\(url.path): the Inngest config must be a JSON object")
        }
        appID = dictionary["appId"] as? String
        imports = dictionary["imports"] as? [String] ?? []
    }
}
