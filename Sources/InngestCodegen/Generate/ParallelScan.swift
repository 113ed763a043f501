import Foundation

/// Scans files on all cores, taking what it can from the cache.
enum ParallelScan {
    struct Outcome {
        var files: [ScannedFile]
        var scanned: Int
        var cached: Int
    }

    static func scan(_ urls: [URL], cache: ScanCache) throws -> Outcome {
        let sources = try urls.map { url in
            do {
                return (path: url.path, content: try String(contentsOf: url, encoding: .utf8))
            } catch {
                throw InputError("\(url.path): cannot read the file: \(error.localizedDescription)")
            }
        }
        let results = sources.concurrentMap { source -> (file: ScannedFile, fromCache: Bool) in
            let key = ScanCache.key(path: source.path, content: source.content)
            if let cached = cache.lookup(key, path: source.path) { return (cached, true) }
            let scanned = SourceScanner.scan(source: source.content, path: source.path)
            cache.store(scanned, key: key)
            return (scanned, false)
        }
        let cached = results.count { $0.fromCache }
        return Outcome(files: results.map(\.file), scanned: results.count - cached, cached: cached)
    }
}
