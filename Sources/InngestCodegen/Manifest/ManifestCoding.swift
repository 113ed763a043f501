import Foundation

/// The one way manifests are written: sorted keys and fixed indentation, so the same manifest
/// is the same bytes (a committed manifest diffs cleanly). ``ManifestReader`` reads them.
package enum ManifestCoding {
    package static func encode(_ manifest: Manifest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(manifest)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
