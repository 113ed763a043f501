import Inngest

/// The static step manifest `<app-id>.inngest.json`: what an app's functions are, what
/// starts them, what they take and return, and their steps with the runtime's wire ids.
///
/// Its JSON Schema is `Schemas/inngest-manifest.schema.json`; ``formatVersion`` changes
/// only with incompatible changes to that format.
public struct Manifest: Codable, Hashable, Sendable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var appID: String
    public var functions: [Function]
    /// Event name → JSON Schema of its `data` (the app's event catalog).
    public var events: [String: JSONValue]

    public init(appID: String, functions: [Function], events: [String: JSONValue]) {
        formatVersion = Self.currentFormatVersion
        self.appID = appID
        self.functions = functions
        self.events = events
    }

    public struct Function: Codable, Hashable, Sendable {
        public var id: String
        /// `<app id>-<id>`, the id the server knows the function by.
        public var wireID: String
        public var name: String
        public var triggers: [Trigger]
        /// The options as the server reads them (`retries`, `concurrency`, `debounce`, …).
        public var options: [String: JSONValue]
        /// JSON Schema of the triggering event's `data` (the invoke input).
        public var input: JSONValue
        /// JSON Schema of the return value.
        public var output: JSONValue
        public var steps: [Step]
        /// `false` when the step list may miss steps: the context escaped into code the
        /// generator does not follow, or a step id is not a literal.
        public var complete: Bool
        /// Where the function is declared (absent in manifests written by hand).
        public var source: Location?

        private enum CodingKeys: String, CodingKey {
            case id, wireID = "wireId", name, triggers, options, input, output, steps, complete, source
        }
    }

    public struct Step: Codable, Hashable, Sendable {
        /// The id the code passes, e.g. `"resize-images"`.
        public var id: String
        /// SHA-1 hex of the id (with `:<n>` for the n-th repeat), as the runtime sends it.
        public var wireID: String
        public var kind: StepKind
        public var file: String
        public var line: Int
        /// The call sits in a loop: later iterations use `<id>:1`, `<id>:2`, ….
        public var inLoop: Bool

        private enum CodingKeys: String, CodingKey {
            case id, wireID = "wireId", kind, file, line, inLoop
        }
    }

    public struct Location: Codable, Hashable, Sendable {
        public var file: String
        public var line: Int
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion, appID = "appId", functions, events
    }
}
