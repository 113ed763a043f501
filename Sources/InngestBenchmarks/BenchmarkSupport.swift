import Foundation
import Inngest

/// A fresh database path in a temporary directory.
func temporaryDatabasePath(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-bench-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("\(name).sqlite").path
}

/// Resident set size of this process, from /proc (Linux); 0 elsewhere.
func residentMemoryBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1_024
    }
    return 0
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    (ContinuousClock.now - start).timeInterval
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// Returns freed heap memory to the system (glibc keeps it otherwise), so RSS shows what is held.
func releaseFreedMemory() {
    #if os(Linux)
        _ = glibcMallocTrim(0)
    #endif
}

#if os(Linux)
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// User and system CPU time of this process so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// A benchmark given arguments it does not take.
struct BenchmarkUsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The integer command-line argument at `index` (as `CommandLine.arguments` counts), at least 1,
/// or `defaultValue` when it is missing.
func positiveArgument(_ index: Int, default defaultValue: Int, name: String) throws -> Int {
    guard CommandLine.arguments.count > index else { return defaultValue }
    let text = CommandLine.arguments[index]
    guard let value = Int(text), value >= 1 else { throw BenchmarkUsageError("\(name) must be a whole number of at least 1, not \(text)") }
    return value
}

/// One machine-readable line for Benchmarks/Peers: `PEER-RESULT` and a JSON object of figures.
func printPeerResult(_ figures: [String: Double]) {
    let members = figures.keys.sorted().map { key in "\"\(key)\": \(figures[key].map { $0.isFinite ? "\($0)" : "null" } ?? "null")" }
    print("PEER-RESULT {\(members.joined(separator: ", "))}")
}
