import InngestCore

/// The static step manifest `<app-id>.inngest.json`: what an app's functions are, what
/// starts them, what they take and return, and their steps with the runtime's wire ids.
///
/// Its JSON Schema is `Schemas/inngest-manifest.schema.json`; ``formatVersion`` changes
/// only with incompatible changes to that format.
package struct Manifest: Codable, Hashable, Sendable {
    package static let currentFormatVersion = 1

    package var formatVersion: Int
    package var appID: String
    package var functions: [Function]
    /// Event name → JSON Schema of its `data` (the app's event catalog).
    package var events: [String: JSONValue]

    package init(appID: String, functions: [Function], events: [String: JSONValue]) {
        formatVersion = Self.currentFormatVersion
        self.appID = appID
        self.functions = functions
        self.events = events
    }

    package struct Function: Codable, Hashable, Sendable {
        package var id: String
        /// `<app id>-<id>`, the id the server knows the function by.
        package var wireID: String
        package var name: String
        package var triggers: [Trigger]
        /// The options as the server reads them (`retries`, `concurrency`, `debounce`, …).
        package var options: [String: JSONValue]
        /// JSON Schema of the triggering event's `data` (the invoke input).
        package var input: JSONValue
        /// JSON Schema of the return value.
        package var output: JSONValue
        package var steps: [Step]
        /// `false` when the step list may miss steps: the context escaped into code the
        /// generator does not follow, or a step id is not a literal.
        package var complete: Bool
        /// Where the function is declared (absent in manifests written by hand).
        package var source: Location?

        private enum CodingKeys: String, CodingKey {
            case id
            case wireID = "wireId"
            case name, triggers, options, input, output, steps, complete, source
        }
    }

    package struct Step: Codable, Hashable, Sendable {
        /// The id the code passes, e.g. `"resize-images"`.
        package var id: String
        /// SHA-1 hex of the id (with `:<n>` for the n-th repeat), as the runtime sends it.
        package var wireID: String
        package var kind: StepTool
        package var file: String
        package var line: Int
        /// The call sits in a loop: later iterations use `<id>:1`, `<id>:2`, ….
        package var inLoop: Bool

        private enum CodingKeys: String, CodingKey {
            case id
            case wireID = "wireId"
            case kind, file, line, inLoop
        }
    }

    package struct Location: Codable, Hashable, Sendable {
        package var file: String
        package var line: Int
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion
        case appID = "appId"
        case functions, events
    }
}
