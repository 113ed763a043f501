import Foundation

/// The one way manifests are written and read: sorted keys and fixed indentation, so the
/// same manifest is the same bytes (a committed manifest diffs cleanly).
package enum ManifestCoding {
    package static func encode(_ manifest: Manifest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(manifest)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    package static func decode(_ data: Data, path: String) throws -> Manifest {
        do {
            let manifest = try JSONDecoder().decode(Manifest.self, from: data)
            guard manifest.formatVersion <= Manifest.currentFormatVersion else {
                throw InputError("\(path): manifest format \(manifest.formatVersion) is newer than this generator reads (\(Manifest.currentFormatVersion))")
            }
            return manifest
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(path): not a valid Inngest manifest: \(error)")
        }
    }

    package static func load(from url: URL) throws -> Manifest {
        try decode(try Data(contentsOf: url), path: url.path)
    }
}
