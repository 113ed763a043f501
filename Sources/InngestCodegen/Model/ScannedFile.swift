/// What one Swift file contributes: its annotated functions, its Codable types and the
/// problems found in it. Depends only on the file's bytes, so it is cached by content hash.
package struct ScannedFile: Codable, Hashable, Sendable {
    package var path: String
    package var functions: [ScannedFunction]
    package var types: [ScannedType]
    package var diagnostics: [CodegenDiagnostic]

    package init(path: String, functions: [ScannedFunction] = [], types: [ScannedType] = [], diagnostics: [CodegenDiagnostic] = []) {
        self.path = path
        self.functions = functions
        self.types = types
        self.diagnostics = diagnostics
    }
}

/// One `@InngestFunction` declaration.
package struct ScannedFunction: Codable, Hashable, Sendable {
    /// The function id, when written as a string literal.
    package var id: String?
    package var idPosition: SourcePosition
    /// The Swift name, e.g. `computeSquare`.
    package var swiftName: String
    /// The enclosing type for a static method (`Billing` or `Outer.Inner`), else `nil`.
    package var qualifier: String?
    /// The label of the context parameter as it is called (`_` or `ctx`), for `f(_:)`.
    package var parameterLabel: String
    package var position: SourcePosition
    /// The event payload type: the generic argument of `Context`.
    package var inputType: String
    /// The declared return type; `nil` for none (`Void`).
    package var outputType: String?
    package var isAsync: Bool
    package var isThrowing: Bool
    /// The attribute's arguments except `onFailure`, as written, ready for `FunctionConfiguration(...)`.
    package var configurationArguments: [ScannedArgument]
    /// The `onFailure:` argument as written.
    package var onFailure: String?
    /// What could be read statically from the attribute.
    package var configuration: StaticConfiguration
    /// Event names the function refers to (triggers, cancellations, waits), with their positions.
    package var eventReferences: [EventReference]
    package var steps: [ScannedStep]
    /// The context (or its step tools) is passed somewhere the scanner cannot follow,
    /// or a step id is not a literal: the step list may be incomplete.
    package var stepsComplete: Bool
    /// `false` when the signature or declaration cannot be registered (an error was reported).
    package var isRegistrable: Bool
}

/// One argument of the attribute: its label and source text.
package struct ScannedArgument: Codable, Hashable, Sendable {
    package var label: String
    package var source: String
}

/// A literal event name used by a function, checked against the event catalog.
package struct EventReference: Codable, Hashable, Sendable {
    package var name: String
    package var position: SourcePosition
}

/// One `<context>.step.<kind>(...)` call.
package struct ScannedStep: Codable, Hashable, Sendable {
    package var kind: StepTool
    /// The id, when written as a string literal without interpolation.
    package var id: String?
    package var position: SourcePosition
    /// Inside a loop (or a closure passed to `map`, `forEach`, …): runs repeat the id.
    package var inLoop: Bool
    /// Branch choices on the way to the call: two steps with the same `if`/`switch` but
    /// different branches never both run.
    package var branches: [BranchChoice]
}

/// The branch of one `if` or `switch` a step sits in.
package struct BranchChoice: Codable, Hashable, Sendable {
    /// The byte offset of the `if`/`switch` in its file: identifies it.
    package var statement: Int
    package var branch: Int
}

/// A struct, class or enum of the target that may be encoded: used to describe function
/// inputs and outputs as JSON Schema.
package struct ScannedType: Codable, Hashable, Sendable {
    package enum Kind: String, Codable, Sendable { case structure, classType, enumeration }

    /// Dotted name including outer types, e.g. `Billing.Invoice`.
    package var name: String
    package var kind: Kind
    /// The inherited types as written (`Codable`, `String`, `EventPayload`, …).
    package var inheritedTypes: [String]
    package var properties: [ScannedProperty]
    /// Enum cases (for enums with a raw type): case name → raw value.
    package var cases: [EnumCase]
    /// `static let eventName = "…"` of an `EventPayload` type.
    package var eventName: String?
}

package struct ScannedProperty: Codable, Hashable, Sendable {
    package var name: String
    /// The JSON key: the `CodingKeys` raw value when one is declared, else the name.
    package var key: String
    package var type: String
    /// A `var` with an initial value may be missing in the JSON only for decoders that
    /// allow it; synthesized Codable still requires non-optional keys, so this only informs.
    package var hasDefault: Bool
}

package struct EnumCase: Codable, Hashable, Sendable {
    package var name: String
    package var rawValue: String
}
