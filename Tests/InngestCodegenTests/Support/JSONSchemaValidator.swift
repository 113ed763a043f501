import Foundation
import Inngest

/// A small JSON Schema (2020-12) validator: the keywords the manifest schema uses
/// (`type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
/// `pattern`, `minLength`, `minimum`, `maximum`, `oneOf`, `$ref` to `#/$defs/…`).
/// Returns the violations with their JSON paths; empty means valid.
struct JSONSchemaValidator {
    let root: JSONValue

    func validate(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        check(value, against: root, path: "$", errors: &errors)
        return errors
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, errors: inout [String]) {
        if case .bool(let accepts) = schema {
            if !accepts { errors.append("\(path): no value is allowed here") }
            return
        }
        if let reference = schema["$ref"]?.stringValue {
            guard reference.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(reference.dropFirst("#/$defs/".count))] else {
                errors.append("\(path): unsupported $ref \(reference)")
                return
            }
            check(value, against: target, path: path, errors: &errors)
        }
        if let types = schema["type"], !Self.matches(value, types) {
            errors.append("\(path): expected type \(types), got \(value)")
            return
        }
        if let constant = schema["const"], constant != value { errors.append("\(path): expected \(constant)") }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) { errors.append("\(path): \(value) is not one of \(options)") }
        if let text = value.stringValue {
            if let minimum = schema["minLength"]?.integerValue, text.count < minimum { errors.append("\(path): shorter than \(minimum)") }
            if let pattern = schema["pattern"]?.stringValue, text.range(of: pattern, options: .regularExpression) == nil {
                errors.append("\(path): \"\(text)\" does not match \(pattern)")
            }
        }
        if let number = value.doubleValue {
            if let minimum = schema["minimum"]?.doubleValue, number < minimum { errors.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"]?.doubleValue, number > maximum { errors.append("\(path): above \(maximum)") }
        }
        if let object = value.objectValue { checkObject(object, schema, path, &errors) }
        if let array = value.arrayValue, let items = schema["items"] {
            for (index, element) in array.enumerated() { check(element, against: items, path: "\(path)[\(index)]", errors: &errors) }
        }
        if let alternatives = schema["oneOf"]?.arrayValue {
            let matching = alternatives.filter { alternative in
                var nested: [String] = []
                check(value, against: alternative, path: path, errors: &nested)
                return nested.isEmpty
            }
            if matching.count != 1 { errors.append("\(path): matches \(matching.count) of the oneOf alternatives, not exactly 1") }
        }
    }

    private func checkObject(_ object: [String: JSONValue], _ schema: JSONValue, _ path: String, _ errors: inout [String]) {
        for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[required] == nil {
            errors.append("\(path): missing \"\(required)\"")
        }
        let properties = schema["properties"]?.objectValue ?? [:]
        for (key, value) in object {
            if let property = properties[key] {
                check(value, against: property, path: "\(path).\(key)", errors: &errors)
            } else if let additional = schema["additionalProperties"] {
                check(value, against: additional, path: "\(path).\(key)", errors: &errors)
            }
        }
    }

    private static func matches(_ value: JSONValue, _ types: JSONValue) -> Bool {
        let names = types.arrayValue?.compactMap(\.stringValue) ?? [types.stringValue].compactMap { $0 }
        return names.contains { name in
            switch (name, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): return true
            case ("integer", .integer): return true
            case ("number", .integer), ("number", .double): return true
            default: return false
            }
        }
    }
}
