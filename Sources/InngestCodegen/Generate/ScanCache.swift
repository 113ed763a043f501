import Foundation
import InngestCore

/// Scan results of single files, keyed by a hash of the file's path and content, kept in
/// a directory (the plugin's work directory). A build that changed one file re-scans one file.
final class ScanCache: @unchecked Sendable {
    /// Bump when the scan's output for the same input changes, so old entries are not trusted.
    static let formatVersion = "inngest-scan-6"

    private let directory: URL?
    private let lock = NSLock()
    private var used: Set<String> = []

    init(directory: URL?) {
        self.directory = directory
        if let directory { try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
    }

    static func key(path: String, content: String) -> String {
        StepIdentity.hash("\(formatVersion)\u{0}\(path)\u{0}\(content)")
    }

    /// The cached scan of the file at `path` with the content `key` was made from.
    func lookup(_ key: String, path: String) -> ScannedFile? {
        guard let url = entry(key), let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.userInfo[.scannedFilePath] = path
        guard let scanned = try? decoder.decode(ScannedFile.self, from: data), scanned.path == path else { return nil }
        markUsed(key)
        return scanned
    }

    func store(_ scanned: ScannedFile, key: String) {
        markUsed(key)
        let encoder = JSONEncoder()
        encoder.userInfo[.scannedFilePath] = scanned.path
        guard let url = entry(key), let data = try? encoder.encode(scanned) else { return }
        // A failed write only costs a re-scan next time.
        try? data.write(to: url, options: .atomic)
    }

    /// Removes entries this run did not use: old versions of edited files.
    func prune() {
        guard let directory, let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) else { return }
        let keep = lock.withLock { used }
        for file in files where file.pathExtension == "json" && !keep.contains(file.deletingPathExtension().lastPathComponent) {
            try? FileManager.default.removeItem(at: file)
        }
    }

    private func entry(_ key: String) -> URL? {
        directory?.appendingPathComponent("\(key).json")
    }

    private func markUsed(_ key: String) {
        lock.withLock { _ = used.insert(key) }
    }
}
