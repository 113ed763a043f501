/// A value that converts to and from a ``JSONValue`` tree directly, without Foundation's
/// coders: the codec takes this path for events, which arrive as trees from the wire.
///
/// Foundation's `JSONDecoder` decodes a `JSONValue` by trial (each node tried as every kind in
/// turn) and carries a coding path per level, so deep values cost far more than their size;
/// its encoder also stops one level short of ``JSONText/maximumDepth``. Converting the tree
/// directly costs time linear in the size and accepts exactly what ``JSONText`` reads.
package protocol JSONTreeConvertible {
    init(jsonTree: JSONValue) throws(InvalidJSONField)
    func jsonTree() -> JSONValue
}

/// A member of a JSON document with the wrong type or value; `description` names it.
package struct InvalidJSONField: Error, Sendable, Hashable, CustomStringConvertible {
    /// The member's path, e.g. `ts` or `[2].name`.
    package let field: String
    package let problem: String

    package init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    package var description: String { "\"\(field)\" \(problem)" }

    /// The same problem, one level further down: `[index]` before the field.
    package func inElement(_ index: Int) -> InvalidJSONField {
        InvalidJSONField(field: "[\(index)]" + (field.hasPrefix("[") ? field : "." + field), problem: problem)
    }

    /// The JSON type of a value, for messages.
    package static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
