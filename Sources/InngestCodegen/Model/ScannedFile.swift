/// What one Swift file contributes: its annotated functions, its Codable types and the
/// problems found in it. Depends only on the file's bytes, so it is cached by content hash.
public struct ScannedFile: Codable, Hashable, Sendable {
    public var path: String
    public var functions: [ScannedFunction]
    public var types: [ScannedType]
    public var diagnostics: [CodegenDiagnostic]

    public init(path: String, functions: [ScannedFunction] = [], types: [ScannedType] = [], diagnostics: [CodegenDiagnostic] = []) {
        self.path = path
        self.functions = functions
        self.types = types
        self.diagnostics = diagnostics
    }
}

/// One `@InngestFunction` declaration.
public struct ScannedFunction: Codable, Hashable, Sendable {
    /// The function id, when written as a string literal.
    public var id: String?
    public var idPosition: SourcePosition
    /// The Swift name, e.g. `computeSquare`.
    public var swiftName: String
    /// The enclosing type for a static method (`Billing` or `Outer.Inner`), else `nil`.
    public var qualifier: String?
    /// The label of the context parameter as it is called (`_` or `ctx`), for `f(_:)`.
    public var parameterLabel: String
    public var position: SourcePosition
    /// The event payload type: the generic argument of `Context`.
    public var inputType: String
    /// The declared return type; `nil` for none (`Void`).
    public var outputType: String?
    public var isAsync: Bool
    public var isThrowing: Bool
    /// The attribute's arguments except `onFailure`, as written, ready for `FunctionConfiguration(...)`.
    public var configurationArguments: [ScannedArgument]
    /// The `onFailure:` argument as written.
    public var onFailure: String?
    /// What could be read statically from the attribute.
    public var configuration: StaticConfiguration
    /// Event names the function refers to (triggers, cancellations, waits), with their positions.
    public var eventReferences: [EventReference]
    public var steps: [ScannedStep]
    /// The context (or its step tools) is passed somewhere the scanner cannot follow,
    /// or a step id is not a literal: the step list may be incomplete.
    public var stepsComplete: Bool
    /// `false` when the signature or declaration cannot be registered (an error was reported).
    public var isRegistrable: Bool
}

/// One argument of the attribute: its label and source text.
public struct ScannedArgument: Codable, Hashable, Sendable {
    public var label: String
    public var source: String
}

/// A literal event name used by a function, checked against the event catalog.
public struct EventReference: Codable, Hashable, Sendable {
    public var name: String
    public var position: SourcePosition
}

/// One `<context>.step.<kind>(...)` call.
public struct ScannedStep: Codable, Hashable, Sendable {
    public var kind: StepKind
    /// The id, when written as a string literal without interpolation.
    public var id: String?
    public var position: SourcePosition
    /// Inside a loop (or a closure passed to `map`, `forEach`, …): runs repeat the id.
    public var inLoop: Bool
    /// Branch choices on the way to the call: two steps with the same `if`/`switch` but
    /// different branches never both run.
    public var branches: [BranchChoice]
}

/// The branch of one `if` or `switch` a step sits in.
public struct BranchChoice: Codable, Hashable, Sendable {
    /// The byte offset of the `if`/`switch` in its file: identifies it.
    public var statement: Int
    public var branch: Int
}

/// A struct, class or enum of the target that may be encoded: used to describe function
/// inputs and outputs as JSON Schema.
public struct ScannedType: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable { case structure, classType, enumeration }

    /// Dotted name including outer types, e.g. `Billing.Invoice`.
    public var name: String
    public var kind: Kind
    /// The inherited types as written (`Codable`, `String`, `EventPayload`, …).
    public var inheritedTypes: [String]
    public var properties: [ScannedProperty]
    /// Enum cases (for enums with a raw type): case name → raw value.
    public var cases: [EnumCase]
    /// `static let eventName = "…"` of an `EventPayload` type.
    public var eventName: String?
}

public struct ScannedProperty: Codable, Hashable, Sendable {
    public var name: String
    /// The JSON key: the `CodingKeys` raw value when one is declared, else the name.
    public var key: String
    public var type: String
    /// A `var` with an initial value may be missing in the JSON only for decoders that
    /// allow it; synthesized Codable still requires non-optional keys, so this only informs.
    public var hasDefault: Bool
}

public struct EnumCase: Codable, Hashable, Sendable {
    public var name: String
    public var rawValue: String
}
