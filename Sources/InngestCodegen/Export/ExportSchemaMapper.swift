import Foundation
import InngestCore

/// Maps JSON Schema to ``ExportType``s, declaring an object type for each schema with
/// `properties`; names are unique within one exported module.
///
/// Mapped: `type` (one or a list; `"null"` in it makes the type nullable), `properties`,
/// `required`, `items`, `additionalProperties`, `enum`, `const`, `anyOf` / `oneOf` (a union),
/// a one-element `allOf`, `description`, and `$ref` to a JSON pointer in the same schema
/// (`#/$defs/Name`). Anything else is any JSON, with a note naming what was not mapped.
struct ExportSchemaMapper {
    private(set) var declarations: [ExportDeclaration] = []
    private var taken: Set<String>
    /// What each `$ref` mapped to, so a definition is declared once and may refer to itself.
    private var references: [Reference: ExportType] = [:]
    private var resolving: Set<Reference> = []
    /// How deep the walk is: a chain of `$ref`s can nest deeper than the JSON text does.
    private var depth = 0
    /// As deep as JSON text may nest (``JSONText/maximumDepth``), so no input exhausts the stack.
    private static let maximumDepth = JSONText.maximumDepth

    /// The schema being mapped, which `$ref`s point into, and its number among those mapped.
    private var root: JSONValue = [:]
    private var rootNumber = 0

    private struct Reference: Hashable {
        var rootNumber: Int
        var pointer: String
    }

    /// Keywords that describe a schema without restricting its values.
    private static let annotations: Set<String> = [
        "title", "description", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly", "$schema", "$id",
        "$defs", "definitions", "$anchor", "format", "contentEncoding", "contentMediaType",
    ]

    init(reservedNames: Set<String>) {
        taken = reservedNames
    }

    /// Takes `name` (or `name2`, …) for a declaration of the caller's.
    mutating func reserve(_ name: String) -> String {
        SwiftNames.unique(name, in: &taken)
    }

    /// The type of a whole schema (its `$ref`s point into it). An object with properties is
    /// declared as `reservedName` (the caller reserved it).
    mutating func mapDocument(_ schema: JSONValue, reservedName: String) -> ExportType {
        root = schema
        rootNumber += 1
        return map(schema, suggestedName: reservedName, reservedName: reservedName)
    }

    /// The type of `schema`, a part of ``root``. An object with properties is declared as
    /// `reservedName` when given, else under a fresh name made from `suggestedName`.
    private mutating func map(_ schema: JSONValue, suggestedName: String, reservedName: String? = nil) -> ExportType {
        guard depth < Self.maximumDepth else { return .json(note: "nested deeper than \(Self.maximumDepth) levels") }
        depth += 1
        defer { depth -= 1 }
        switch schema {
        case .bool(true): return .json(note: nil)
        case .bool(false): return .json(note: "the schema false (no value is valid)")
        case .object(let members): return map(members, suggestedName: suggestedName, reservedName: reservedName)
        default: return .json(note: "not a schema")
        }
    }

    private mutating func map(_ members: [String: JSONValue], suggestedName: String, reservedName: String?) -> ExportType {
        if let reference = members["$ref"] { return mapReference(reference) }
        if let constant = members["const"] { return .literals([constant]) }
        if let values = members["enum"]?.arrayValue, !values.isEmpty { return .literals(values) }
        for key in ["anyOf", "oneOf"] {
            guard let alternatives = members[key]?.arrayValue, !alternatives.isEmpty else { continue }
            return Self.union(
                alternatives.enumerated().map { index, alternative in
                    map(alternative, suggestedName: "\(suggestedName)Option\(index + 1)")
                })
        }
        if let parts = members["allOf"]?.arrayValue {
            return parts.count == 1 ? map(parts[0], suggestedName: suggestedName, reservedName: reservedName) : .json(note: "allOf")
        }
        let types: [String]
        switch members["type"] {
        case .string(let type)?: types = [type]
        case .array(let list)?: types = list.compactMap(\.stringValue)
        case nil:
            if members["properties"] != nil || members["additionalProperties"] != nil {
                types = ["object"]
            } else if members["items"] != nil {
                types = ["array"]
            } else {
                let restricting = members.keys.filter { !Self.annotations.contains($0) }.sorted()
                return .json(note: restricting.isEmpty ? nil : "a schema without type (\(restricting.joined(separator: ", ")))")
            }
        default: return .json(note: "a type that is not a name or a list of names")
        }
        let single = types.count == 1 ? reservedName : nil
        return Self.union(types.map { mapType($0, members, suggestedName: suggestedName, reservedName: single) })
    }

    private mutating func mapType(_ type: String, _ members: [String: JSONValue], suggestedName: String, reservedName: String?) -> ExportType {
        switch type {
        case "string": return .string
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "null": return .null
        case "array":
            switch members["items"] {
            case let items? where items.objectValue != nil || items.boolValue != nil:
                return .array(map(items, suggestedName: suggestedName + "Item"))
            case nil: return .array(members["prefixItems"] == nil ? .json(note: nil) : .json(note: "prefixItems"))
            case .some: return .array(.json(note: "items as a list"))
            }
        case "object":
            if let properties = members["properties"]?.objectValue, !properties.isEmpty {
                return .object(declare(members, properties: properties, name: reservedName ?? reserve(suggestedName)))
            }
            return .map(otherValues(members, suggestedName: suggestedName) ?? .json(note: nil))
        default:
            return .json(note: "type \"\(type)\"")
        }
    }

    /// Declares an object type, before its fields are mapped so that one may refer back to it.
    private mutating func declare(_ members: [String: JSONValue], properties: [String: JSONValue], name: String) -> String {
        let index = declarations.count
        declarations.append(ExportDeclaration(name: name, summary: members["description"]?.stringValue, fields: [], otherValues: nil))
        let required = Set(members["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let fields = properties.keys.sorted().map { key in
            let schema = properties[key] ?? [:]
            return ExportDeclaration.Field(
                key: key, type: map(schema, suggestedName: name + ExportNames.pascal(key)), isRequired: required.contains(key),
                summary: schema["description"]?.stringValue)
        }
        declarations[index].fields = fields
        declarations[index].otherValues = otherValues(members, suggestedName: name + "Value")
        return name
    }

    /// The type of values under keys not in `properties`, when other keys are allowed by a
    /// schema or `true`; `nil` when the schema says nothing or `false`.
    private mutating func otherValues(_ members: [String: JSONValue], suggestedName: String) -> ExportType? {
        switch members["additionalProperties"] {
        case .bool(true)?: return .json(note: nil)
        case let schema? where schema.objectValue != nil: return map(schema, suggestedName: suggestedName)
        default: return nil
        }
    }

    private mutating func mapReference(_ reference: JSONValue) -> ExportType {
        guard let pointer = reference.stringValue, let target = Self.resolve(pointer, in: root) else {
            return .json(note: "$ref \(reference.stringValue ?? "that is not a string") (only pointers into the same schema are followed)")
        }
        let key = Reference(rootNumber: rootNumber, pointer: pointer)
        if let known = references[key] { return known }
        guard resolving.insert(key).inserted else { return .json(note: "$ref \(pointer) refers to itself") }
        defer { resolving.remove(key) }
        let name = ExportNames.pascal(pointer.split(separator: "/").last.map(String.init) ?? "Definition")
        // An object is known by its name before its fields are mapped: a field may refer back.
        if let members = target.objectValue, let properties = members["properties"]?.objectValue, !properties.isEmpty,
            members["type"] == nil || members["type"] == .string("object"), members["$ref"] == nil
        {
            let declaredName = reserve(name)
            references[key] = .object(declaredName)
            _ = declare(members, properties: properties, name: declaredName)
            return .object(declaredName)
        }
        let type = map(target, suggestedName: name)
        references[key] = type
        return type
    }

    /// The schema a local JSON pointer (`#/$defs/Name`) points to.
    private static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        guard pointer.hasPrefix("#") else { return nil }
        var node = root
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let next = node.objectValue?[key] {
                node = next
            } else if let elements = node.arrayValue, let index = Int(key), elements.indices.contains(index) {
                node = elements[index]
            } else {
                return nil
            }
        }
        return node
    }

    /// One type for several: nested unions flattened, repeats dropped, `null` last; any JSON
    /// absorbs the rest.
    static func union(_ types: [ExportType]) -> ExportType {
        var members: [ExportType] = []
        for type in types {
            let parts: [ExportType]
            if case .union(let nested) = type { parts = nested } else { parts = [type] }
            for part in parts where !members.contains(part) { members.append(part) }
        }
        if let any = members.first(where: { if case .json = $0 { return true } else { return false } }) { return any }
        if let null = members.firstIndex(of: .null) { members.append(members.remove(at: null)) }
        return members.count == 1 ? members[0] : .union(members)
    }
}
