import Foundation

/// Writes generated files only when their bytes change, so an unchanged output does not
/// make SwiftPM recompile the target.
package enum OutputFile {
    /// Returns whether the file was written.
    @discardableResult
    package static func write(_ text: String, to url: URL) throws -> Bool {
        let data = Data(text.utf8)
        if let existing = try? Data(contentsOf: url), existing == data { return false }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
        return true
    }
}
