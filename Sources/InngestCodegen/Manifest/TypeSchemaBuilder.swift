import Foundation
import InngestCore

/// Describes Swift types of the target as JSON Schema, the way the runtime's JSON codec
/// encodes them: synthesized `Codable` keys (or `CodingKeys`), optionals as not required,
/// `Date` as an ISO 8601 string, raw-value enums as their raw values.
///
/// A type the generator cannot see (declared in another module) is described as `{}`
/// with its Swift name as `title`: anything goes, which is honest.
struct TypeSchemaBuilder {
    /// Types of the target by dotted name and by last name component.
    private var types: [String: ScannedType] = [:]
    /// Schemas known by type name: generated catalog and imported payload types.
    private var knownSchemas: [String: JSONValue]

    init(types: [ScannedType], knownSchemas: [String: JSONValue]) {
        self.knownSchemas = knownSchemas
        for type in types {
            self.types[type.name] = type
            if let last = type.name.split(separator: ".").last, self.types[String(last)] == nil {
                self.types[String(last)] = type
            }
        }
    }

    /// The schema of a handler without a return type: JSON `null`.
    static let noOutput: JSONValue = ["type": "null"]

    func schema(_ typeName: String) -> JSONValue {
        schema(SwiftTypeName(parsing: typeName), visiting: [])
    }

    private func schema(_ type: SwiftTypeName, visiting: Set<String>) -> JSONValue {
        switch type {
        case .optional(let wrapped):
            return schema(wrapped, visiting: visiting)
        case .array(let element):
            return ["type": "array", "items": schema(element, visiting: visiting)]
        case .dictionary(let key, let value):
            guard case .named(let keyName) = key, keyName == "String" else { return ["type": "array"] }
            return ["type": "object", "additionalProperties": schema(value, visiting: visiting)]
        case .named(let name):
            if let primitive = Self.primitives[name] { return primitive }
            if let known = knownSchemas[name] { return known }
            guard let declared = types[name], !visiting.contains(declared.name) else { return ["title": .string(name)] }
            return schema(of: declared, visiting: visiting.union([declared.name]))
        }
    }

    private func schema(of type: ScannedType, visiting: Set<String>) -> JSONValue {
        if type.kind == .enumeration {
            guard !type.cases.isEmpty else { return ["title": .string(type.name)] }
            let isInteger = type.inheritedTypes.contains { ["Int", "Int32", "Int64", "UInt"].contains($0) }
            let values: [JSONValue] = type.cases.map { enumCase in
                if isInteger, let number = Int64(enumCase.rawValue) { return .integer(number) }
                return .string(enumCase.rawValue)
            }
            return ["title": .string(type.name), "type": isInteger ? "integer" : "string", "enum": .array(values)]
        }
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        for property in type.properties {
            let propertyType = SwiftTypeName(parsing: property.type)
            properties[property.key] = schema(propertyType, visiting: visiting)
            if !propertyType.isOptional { required.append(.string(property.key)) }
        }
        var object: [String: JSONValue] = ["title": .string(type.name), "type": "object", "properties": .object(properties)]
        if !required.isEmpty { object["required"] = .array(required) }
        return .object(object)
    }

    private static let primitives: [String: JSONValue] = {
        var table: [String: JSONValue] = [
            "String": ["type": "string"], "Character": ["type": "string"],
            "Bool": ["type": "boolean"],
            "Double": ["type": "number"], "Float": ["type": "number"], "Decimal": ["type": "number"],
            "Date": ["type": "string", "format": "date-time"],
            "URL": ["type": "string", "format": "uri"],
            "UUID": ["type": "string", "format": "uuid"],
            "Data": ["type": "string", "contentEncoding": "base64"],
            "JSONValue": [:], "AnyEvent": ["type": "object"],
        ]
        for integer in ["Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64"] {
            table[integer] = ["type": "integer"]
        }
        return table
    }()
}

/// A type as written, parsed just enough for JSON Schema: optionals, arrays, dictionaries, names.
indirect enum SwiftTypeName: Equatable {
    case named(String)
    case optional(SwiftTypeName)
    case array(SwiftTypeName)
    case dictionary(SwiftTypeName, SwiftTypeName)

    var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    init(parsing text: String) {
        let type = text.trimmingCharacters(in: .whitespaces)
        if type.hasSuffix("?") || type.hasSuffix("!") {
            self = .optional(SwiftTypeName(parsing: String(type.dropLast())))
        } else if let inner = Self.generic(type, "Optional") {
            self = .optional(SwiftTypeName(parsing: inner))
        } else if let inner = Self.generic(type, "Array") ?? Self.generic(type, "Set") {
            self = .array(SwiftTypeName(parsing: inner))
        } else if let inner = Self.generic(type, "Dictionary"), let comma = Self.topLevelIndex(of: ",", in: inner) {
            self = .dictionary(SwiftTypeName(parsing: String(inner[..<comma])), SwiftTypeName(parsing: String(inner[inner.index(after: comma)...])))
        } else if type.hasPrefix("["), type.hasSuffix("]") {
            let inner = String(type.dropFirst().dropLast())
            if let colon = Self.topLevelIndex(of: ":", in: inner) {
                self = .dictionary(SwiftTypeName(parsing: String(inner[..<colon])), SwiftTypeName(parsing: String(inner[inner.index(after: colon)...])))
            } else {
                self = .array(SwiftTypeName(parsing: inner))
            }
        } else if type.hasPrefix("("), type.hasSuffix(")"), !type.contains(",") {
            self = SwiftTypeName(parsing: String(type.dropFirst().dropLast()))
        } else {
            self = .named(type.hasPrefix("Inngest.") ? String(type.dropFirst("Inngest.".count)) : type)
        }
    }

    private static func generic(_ type: String, _ name: String) -> String? {
        guard type.hasPrefix(name + "<"), type.hasSuffix(">") else { return nil }
        return String(type.dropFirst(name.count + 1).dropLast())
    }

    /// The first `character` not nested in brackets.
    private static func topLevelIndex(of character: Character, in text: String) -> String.Index? {
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "[", "<", "(": depth += 1
            case "]", ">", ")": depth -= 1
            case character where depth == 0: return index
            default: break
            }
        }
        return nil
    }
}
