import InngestCore

/// A type as the exported modules know it, whatever the language: what JSON Schema maps to
/// once, so the Python and TypeScript renderers only spell it.
package indirect enum ExportType: Hashable, Sendable {
    case string
    case integer
    case number
    case boolean
    case null
    /// Any JSON value. `note` says which part of the schema was not mapped (`nil` when the
    /// schema itself allows anything, as `{}` does).
    case json(note: String?)
    /// One of these values (`enum`, `const`).
    case literals([JSONValue])
    case array(ExportType)
    /// An object of any keys whose values are all of one type.
    case map(ExportType)
    /// A declared object type (an ``ExportDeclaration``).
    case object(String)
    case union([ExportType])

    /// A value of this type is a JSON object, as an event's `data` must be.
    var isObject: Bool {
        switch self {
        case .object, .map: return true
        case .union(let members): return !members.isEmpty && members.allSatisfy(\.isObject)
        default: return false
        }
    }

    /// `null` is one of the values.
    var allowsNull: Bool {
        switch self {
        case .null: return true
        case .json: return true
        case .literals(let values): return values.contains(.null)
        case .union(let members): return members.contains(where: \.allowsNull)
        default: return false
        }
    }
}

/// An object type with named fields, from a schema with `properties`.
package struct ExportDeclaration: Hashable, Sendable {
    package var name: String
    package var summary: String?
    /// In key order.
    package var fields: [Field]
    /// The type of values under other keys, when the schema allows them
    /// (`additionalProperties` is a schema or `true`).
    package var otherValues: ExportType?

    package struct Field: Hashable, Sendable {
        /// The key in JSON.
        package var key: String
        package var type: ExportType
        package var isRequired: Bool
        package var summary: String?
    }
}
