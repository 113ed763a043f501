import Foundation
import Synchronization

/// The last sync outcome of each app URL, so `GET /dev` can show an app whose registration
/// was refused as not synced, with the reason, instead of only the apps that succeeded.
final class SyncLog: Sendable {
    struct Failure: Sendable {
        let url: String
        let appID: String?
        let reason: String
        let at: Date
    }

    private let failures = Mutex<[String: Failure]>([:])

    func failed(url: String, appID: String?, reason: String, at date: Date) {
        let key = Self.key(url)
        failures.withLock { $0[key] = Failure(url: url, appID: appID ?? $0[key]?.appID, reason: reason, at: date) }
    }

    func succeeded(url: String) {
        let key = Self.key(url)
        _ = failures.withLock { $0.removeValue(forKey: key) }
    }

    /// Failures by URL key (see ``key(_:)``).
    var all: [String: Failure] { failures.withLock { $0 } }

    /// A URL without its query and trailing slash: an app's sync URL and the URL it registers
    /// with may differ in those.
    static func key(_ url: String) -> String {
        var text = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        while text.hasSuffix("/") { text.removeLast() }
        return text.lowercased()
    }
}
