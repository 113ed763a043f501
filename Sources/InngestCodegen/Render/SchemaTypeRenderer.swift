import InngestCore

/// A Swift type to declare, made from a JSON Schema: a struct with properties, or an
/// enum of string values. Nested objects become their own declarations, so templates
/// never recurse.
struct SchemaTypeDeclaration: Hashable {
    var name: String
    var properties: [Property]
    var cases: [String]
    /// Set for event payloads: the type conforms to `EventPayload`.
    var eventName: String?
    var summary: String?

    var isEnum: Bool { !cases.isEmpty }

    struct Property: Hashable {
        var name: String
        var key: String
        var type: String
        var isOptional: Bool
        var summary: String?
    }
}

/// Maps JSON Schema to Swift types, collecting the declarations it needs.
///
/// Understood: `type` (also with `"null"` in a list, for optionals), `properties`,
/// `required`, `items`, `additionalProperties`, string `enum`, `format: date-time`,
/// `title` and `description`. Anything else becomes `JSONValue`, which decodes every JSON.
struct SchemaTypeRenderer {
    private(set) var declarations: [SchemaTypeDeclaration] = []
    private var taken: Set<String>

    init(reservedNames: Set<String> = []) {
        taken = reservedNames
    }

    /// Declares `schema` under `name` (a title wins), returning the Swift type to use.
    mutating func declare(_ schema: JSONValue, suggestedName: String) -> String {
        swiftType(schema, suggestedName: suggestedName).0
    }

    /// Declares one `EventPayload` type per event, named as ``GeneratedTypeNames`` names
    /// them (the analyzer resolves `.event(Type.self)` with the same names).
    mutating func declareEvents(_ events: [String: JSONValue]) -> [(typeName: String, event: String)] {
        let names = GeneratedTypeNames.eventTypes(of: events)
        taken.formUnion(names.map(\.0))
        for (typeName, event) in names {
            _ = swiftType(events[event] ?? [:], suggestedName: typeName, eventName: event, fixedName: typeName)
        }
        return names.map { (typeName: $0.0, event: $0.1) }
    }

    /// The output type of a function: `Void` for a `null` schema.
    mutating func outputType(_ schema: JSONValue, suggestedName: String) -> String {
        if schema["type"]?.stringValue == "null" { return "Void" }
        return declare(schema, suggestedName: suggestedName)
    }

    /// The Swift type for `schema`. An event (`eventName` set) always gets a declaration
    /// named `fixedName`, whatever its schema says about `data`.
    private mutating func swiftType(_ schema: JSONValue, suggestedName: String, eventName: String? = nil, fixedName: String? = nil) -> (String, Bool) {
        let forceDeclaration = eventName != nil
        let (type, nullable): (String?, Bool) = forceDeclaration ? ("object", false) : Self.typeName(of: schema)
        let summary = schema["description"]?.stringValue
        switch type {
        case "string":
            if let values = schema["enum"]?.arrayValue?.compactMap(\.stringValue), !values.isEmpty {
                let name = reserve(schema, suggestedName)
                declarations.append(SchemaTypeDeclaration(name: name, properties: [], cases: values, eventName: nil, summary: summary))
                return (name, nullable)
            }
            return (schema["format"]?.stringValue == "date-time" ? "Date" : "String", nullable)
        case "integer": return ("Int", nullable)
        case "number": return ("Double", nullable)
        case "boolean": return ("Bool", nullable)
        case "array":
            let (element, elementNullable) = swiftType(schema["items"] ?? [:], suggestedName: suggestedName + "Item")
            return ("[\(element)\(elementNullable ? "?" : "")]", nullable)
        case "object":
            guard let properties = schema["properties"]?.objectValue, !properties.isEmpty else {
                if forceDeclaration { break }
                if let additional = schema["additionalProperties"], case .object = additional {
                    let (value, _) = swiftType(additional, suggestedName: suggestedName + "Value")
                    return ("[String: \(value)]", nullable)
                }
                return ("[String: JSONValue]", nullable)
            }
            return (declareStruct(schema, properties: properties, name: fixedName ?? reserve(schema, suggestedName), eventName: eventName), nullable)
        default:
            break
        }
        if forceDeclaration {
            // An event needs a payload type even when its schema says nothing about `data`.
            let name = fixedName ?? reserve(schema, suggestedName)
            declarations.append(SchemaTypeDeclaration(name: name, properties: [], cases: [], eventName: eventName, summary: summary))
            return (name, false)
        }
        return ("JSONValue", false)
    }

    private mutating func declareStruct(_ schema: JSONValue, properties: [String: JSONValue], name: String, eventName: String?) -> String {
        let index = declarations.count
        declarations.append(SchemaTypeDeclaration(name: name, properties: [], cases: [], eventName: eventName, summary: schema["description"]?.stringValue))
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var propertyNames: Set<String> = []
        var declared: [SchemaTypeDeclaration.Property] = []
        for key in properties.keys.sorted() {
            let propertySchema = properties[key] ?? [:]
            let (type, nullable) = swiftType(propertySchema, suggestedName: name + SwiftNames.upperCamel(key))
            let optional = nullable || !required.contains(key)
            declared.append(
                SchemaTypeDeclaration.Property(
                    name: SwiftNames.unique(SwiftNames.lowerCamel(key), in: &propertyNames), key: key,
                    type: type, isOptional: optional, summary: propertySchema["description"]?.stringValue))
        }
        declarations[index].properties = declared
        return name
    }

    private mutating func reserve(_ schema: JSONValue, _ suggestedName: String) -> String {
        var base = suggestedName
        if let title = schema["title"]?.stringValue, let last = title.split(separator: ".").last {
            base = SwiftNames.upperCamel(String(last))
        }
        return SwiftNames.unique(base, in: &taken)
    }

    /// The schema's type and whether `null` is allowed too.
    private static func typeName(of schema: JSONValue) -> (String?, Bool) {
        if let single = schema["type"]?.stringValue { return (single, false) }
        if let list = schema["type"]?.arrayValue?.compactMap(\.stringValue) {
            let nonNull = list.filter { $0 != "null" }
            return (nonNull.count == 1 ? nonNull[0] : nil, list.contains("null"))
        }
        if schema["properties"] != nil { return ("object", false) }
        return (nil, false)
    }
}
