import Inngest
import Synchronization

/// The functions an engine runs: its own app's, given at creation, and those of apps synced
/// over HTTP, which a new sync of the same app replaces.
///
/// Runs, timers and flow-control state name a function by its key: the id for the engine's
/// own functions (so existing records stay valid), the composite id `<app>-<id>` for
/// functions of other apps (whose configurations carry the composite id as their id).
final class FunctionCatalog: Sendable {
    /// A class, so a run's execution holds one reference across its awaits rather than a
    /// copy of the function and its resolved options in every suspended task's frame.
    final class Entry: Sendable {
        let function: InngestFunction
        /// The wire id, `<app id>-<function id>`.
        let compositeID: String
        let appID: String
        /// Where the function is served, for a function of another app.
        let url: String?
        /// The options, resolved when the function was registered.
        let options: ResolvedOptions
        var key: String { function.id }

        /// Validates and resolves the function's options: an entry exists only for a function
        /// the engine can apply every option of.
        init(function: InngestFunction, compositeID: String, appID: String, url: String? = nil) throws {
            self.function = function
            self.compositeID = compositeID
            self.appID = appID
            self.url = url
            self.options = try ResolvedOptions(function.configuration)
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var keysByCompositeID: [String: String] = [:]
        var triggers = TriggerIndex()
        var appIDs: [String] = []
    }

    private let state = Mutex(State())

    /// The engine's own functions (with their failure handlers), checked.
    init(appID: String, functions: [InngestFunction]) throws {
        var entries: [Entry] = []
        var seen = Set<String>()
        for function in functions + functions.compactMap({ $0.failureFunction(appID: appID) }) {
            let entry = try Entry(function: function, compositeID: function.configuration.compositeID(appID: appID), appID: appID)
            guard seen.insert(function.id).inserted else { throw EngineError.duplicateFunction(function.id) }
            entries.append(entry)
        }
        try replace(appID: appID, with: entries)
    }

    subscript(key: String) -> Entry? {
        state.withLock { $0.entries[key] }
    }

    func entry(compositeID: String) -> Entry? {
        state.withLock { state in state.keysByCompositeID[compositeID].flatMap { state.entries[$0] } }
    }

    var all: [Entry] {
        state.withLock { Array($0.entries.values) }
    }

    var appIDs: [String] {
        state.withLock { $0.appIDs }
    }

    /// The keys of the functions `event` starts.
    func functions(startedBy name: String, event: JSONValue) -> [String] {
        let triggers = state.withLock { $0.triggers }
        return triggers.functions(startedBy: name, event: event)
    }

    /// Replaces every function of `appID` with `entries`; returns whether anything changed.
    /// Trigger expressions are parsed first: on an error nothing is replaced.
    @discardableResult
    func replace(appID: String, with entries: [Entry]) throws -> Bool {
        try state.withLock { state in
            var next = state.entries.filter { $0.value.appID != appID }
            for entry in entries {
                if let existing = next[entry.key] {
                    throw EngineError.duplicateFunction("\(entry.compositeID) (also in app \(existing.appID))")
                }
                next[entry.key] = entry
            }
            let triggers = try TriggerIndex(entries: Array(next.values))
            let before = state.entries.values.filter { $0.appID == appID }.map(Self.fingerprint)
            let changed = Set(before) != Set(entries.map(Self.fingerprint))
            state.entries = next
            state.keysByCompositeID = Dictionary(next.values.map { ($0.compositeID, $0.key) }, uniquingKeysWith: { first, _ in first })
            state.triggers = triggers
            if !state.appIDs.contains(appID) { state.appIDs.append(appID) }
            return changed
        }
    }

    private struct Fingerprint: Hashable {
        let key: String
        let url: String?
        let configuration: FunctionConfiguration
    }

    private static func fingerprint(_ entry: Entry) -> Fingerprint {
        Fingerprint(key: entry.key, url: entry.url, configuration: entry.function.configuration)
    }
}
