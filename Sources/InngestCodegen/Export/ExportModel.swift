/// What an exported module holds, taken from a manifest: each function's input and output
/// types and the ids the SDKs invoke it by. The Python and TypeScript renderers spell it.
package struct ExportModel: Sendable {
    package var appID: String
    /// The manifest's file name, for the generated header.
    package var source: String
    package var declarations: [ExportDeclaration]
    /// By id.
    package var functions: [Function]

    package struct Function: Sendable {
        package var id: String
        package var wireID: String
        package var name: String
        /// What `step.invoke_by_id` (Python) and `referenceFunction` (TypeScript) take: both
        /// invoke `<app>-<function>`. `nil` when the wire id has no `-` to split it at.
        package var target: Target?
        /// The event's `data`: always an object type.
        package var input: NamedType
        package var output: NamedType
    }

    package struct Target: Sendable {
        package var app: String
        package var function: String
    }

    /// A function's input or output type under its own name: `type` is `.object(name)` when
    /// the name is a declaration, else the name is an alias of `type`.
    package struct NamedType: Sendable {
        package var name: String
        package var type: ExportType
        package var isDeclaration: Bool { type == .object(name) }
    }

    /// Type names either language needs for itself.
    private static let reservedNames: Set<String> = ["None", "True", "False", "JsonValue", "InngestFunctionReference", "Array", "Record", "Promise"]

    package init(manifest: Manifest, source: String) {
        appID = manifest.appID
        self.source = source
        let sorted = manifest.functions.sorted { $0.id < $1.id }
        var mapper = ExportSchemaMapper(reservedNames: Self.reservedNames)
        // Every function's own names first, so that no nested type takes one of them.
        let names = sorted.map { function in
            let base = ExportNames.pascal(function.id)
            return (input: mapper.reserve(base + "Input"), output: mapper.reserve(base + "Output"))
        }
        functions = zip(sorted, names).map { function, name in
            var input = mapper.mapDocument(function.input, reservedName: name.input)
            if !input.isObject {
                // An event's data is an object whatever the schema says.
                let note: String? = input == .json(note: nil) ? nil : "the input schema is not an object schema"
                input = .map(.json(note: note))
            }
            let output = mapper.mapDocument(function.output, reservedName: name.output)
            return Function(
                id: function.id, wireID: function.wireID, name: function.name, target: Self.target(wireID: function.wireID, appID: manifest.appID),
                input: NamedType(name: name.input, type: input), output: NamedType(name: name.output, type: output))
        }
        declarations = mapper.declarations
    }

    /// Splits a wire id where the SDKs join app and function id: after the app id when it
    /// starts the wire id (always, unless a manifest says otherwise), else at the first `-`.
    private static func target(wireID: String, appID: String) -> Target? {
        if wireID.hasPrefix(appID + "-"), wireID.count > appID.count + 1 {
            return Target(app: appID, function: String(wireID.dropFirst(appID.count + 1)))
        }
        guard let dash = wireID.firstIndex(of: "-"), dash != wireID.startIndex, wireID.index(after: dash) != wireID.endIndex else { return nil }
        return Target(app: String(wireID[..<dash]), function: String(wireID[wireID.index(after: dash)...]))
    }
}
