import Foundation
import PackagePlugin

/// Finds swift-inngest's `Templates/` folder: in a folder above this plugin's source (the
/// plugin is compiled from its package's checkout), else in a package of the graph that has it.
enum TemplatesLocator {
    struct Found {
        var directory: URL
        var files: [URL]
    }

    static func directory(context: PluginContext) throws -> Found {
        // This file is reached through a symlink in each plugin's folder, so its depth varies.
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            candidates.append(folder.appending(path: "Templates"))
        }
        candidates += allPackages(from: context.package).map { $0.directoryURL.appending(path: "Templates") }
        for candidate in candidates {
            let marker = candidate.appending(path: "InngestGenerated.swift.mustache")
            guard FileManager.default.fileExists(atPath: marker.path) else { continue }
            let files = (try? FileManager.default.contentsOfDirectory(at: candidate, includingPropertiesForKeys: nil)) ?? []
            return Found(directory: candidate, files: files.filter { $0.pathExtension == "mustache" }.sorted { $0.path < $1.path })
        }
        throw PluginError("cannot find swift-inngest's Templates/ folder (looked in \(candidates.map(\.path).joined(separator: ", ")))")
    }

    private static func allPackages(from root: Package) -> [Package] {
        var result: [Package] = [root]
        var index = 0
        while index < result.count {
            for dependency in result[index].dependencies where !result.contains(where: { $0.id == dependency.package.id }) {
                result.append(dependency.package)
            }
            index += 1
        }
        return result
    }
}
