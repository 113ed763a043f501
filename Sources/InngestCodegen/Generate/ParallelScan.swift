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
                return (url.path, try String(contentsOf: url, encoding: .utf8))
            } catch {
                throw InputError("\(url.path): cannot read the file: \(error.localizedDescription)")
            }
        }
        let results = ResultSlots(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let (path, content) = sources[index]
            let key = ScanCache.key(path: path, content: content)
            if let cached = cache.lookup(key, path: path) {
                results.set(index, cached, fromCache: true)
                return
            }
            let scanned = SourceScanner.scan(source: content, path: path)
            cache.store(scanned, key: key)
            results.set(index, scanned, fromCache: false)
        }
        return results.outcome()
    }

    /// One slot per file, filled from several threads.
    private final class ResultSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var files: [ScannedFile?]
        private var cached = 0

        init(count: Int) { files = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ file: ScannedFile, fromCache: Bool) {
            lock.withLock {
                files[index] = file
                if fromCache { cached += 1 }
            }
        }

        func outcome() -> Outcome {
            lock.withLock {
                let all = files.compactMap { $0 }
                return Outcome(files: all, scanned: all.count - cached, cached: cached)
            }
        }
    }
}
