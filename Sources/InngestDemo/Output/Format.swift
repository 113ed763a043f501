import Foundation
import Inngest

/// Small text helpers for the terminal output.
enum Format {
    /// A duration the way a person reads it: `42ms`, `9.4s`, `3m 12s`, `24h 0m`, `2d 3h`.
    static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 { return "\(Int((seconds * 1_000).rounded()))ms" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3_600 { return "\(whole / 60)m \(whole % 60)s" }
        if whole < 86_400 * 2 { return "\(whole / 3_600)h \(whole % 3_600 / 60)m" }
        return "\(whole / 86_400)d \(whole % 86_400 / 3_600)h"
    }

    /// The time between two recorded instants, or `-` when either is missing (not finished yet).
    static func duration(from start: Date?, to end: Date?) -> String {
        guard let start, let end else { return "-" }
        return duration(end.timeIntervalSince(start))
    }

    /// Compact JSON, cut to `limit` characters so one value fits on a terminal line.
    static func json(_ value: JSONValue, limit: Int = 72) -> String {
        truncated(value.description, to: limit)
    }

    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 3))) + "..."
    }

    /// The last characters of a ULID: its random part, enough to tell this demo's runs apart.
    static func shortID(_ id: String) -> String {
        String(id.suffix(8))
    }

    static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// "1 event", "3 events".
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
