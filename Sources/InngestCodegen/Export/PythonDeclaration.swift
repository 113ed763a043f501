import Foundation

/// An ``ExportDeclaration`` as a pydantic model. A JSON key that cannot be a field name
/// (not an identifier, a keyword, a name the model or its annotations use) gets another
/// name, and the key as its alias for reading and writing JSON.
enum PythonDeclaration {
    static func lines(_ declaration: ExportDeclaration, typeNames: Set<String>) -> [String] {
        var lines = ["class \(declaration.name)(pydantic.BaseModel):"]
        if let summary = declaration.summary { lines.append("    \"\"\"\(PythonType.docstring(summary))\"\"\"") }
        var taken = typeNames
        let fields = declaration.fields.map { field in (field, fieldName(field.key, taken: &taken)) }
        var config: [String] = []
        // Fields are set by their Python names too, not only by their JSON keys.
        if fields.contains(where: { $0.0.key != $0.1 }) { config.append("populate_by_name=True") }
        if declaration.otherValues != nil { config.append("extra=\"allow\"") }
        if declaration.summary != nil { lines.append("") }
        if !config.isEmpty { lines += ["    model_config = pydantic.ConfigDict(\(config.joined(separator: ", ")))", ""] }
        for (field, name) in fields {
            if let summary = field.summary { lines.append("    # \(ExportNames.commentText(summary))") }
            let (spelled, notes) = PythonType.spell(field.type)
            var annotation = spelled
            if !field.isRequired && !field.type.allowsNull { annotation += " | None" }
            var arguments: [String] = []
            if !field.isRequired { arguments.append("default=None") }
            if name != field.key {
                let key = ExportNames.literal(field.key)
                arguments += ["validation_alias=\(key)", "serialization_alias=\(key)"]
            }
            let value: String
            switch arguments {
            case []: value = ""
            case ["default=None"]: value = " = None"
            default: value = " = pydantic.Field(\(arguments.joined(separator: ", ")))"
            }
            lines.append("    \(name): \(annotation)\(value)\(PythonType.comment(notes))")
        }
        if let otherValues = declaration.otherValues {
            let (type, notes) = PythonType.spell(otherValues)
            lines.append("    # Other keys are kept in model_extra, with values of type \(type).\(PythonType.comment(notes))")
        }
        return lines
    }

    /// The key itself when it can be a field name; else a name made from it.
    static func fieldName(_ key: String, taken: inout Set<String>) -> String {
        var name = ExportNames.isIdentifier(key) && !key.hasPrefix("_") ? key : ExportNames.snake(key)
        if keywords.contains(name) || annotationNames.contains(name) || modelAttributes.contains(name) {
            name += "_"
        } else if name.hasPrefix("model_") {
            // pydantic keeps the `model_` names for itself.
            name = "field_" + name
        }
        return SwiftNames.unique(name, in: &taken)
    }

    private static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    /// Names the annotations of the module use: a field of that name would hide them.
    private static let annotationNames: Set<String> = ["int", "str", "float", "bool", "list", "dict", "typing", "pydantic", "datetime", "inngest"]

    /// `BaseModel`'s own attributes.
    private static let modelAttributes: Set<String> = [
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw", "schema", "schema_json",
        "update_forward_refs", "validate",
    ]
}
